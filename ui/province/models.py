"""Qt models of the province window: the communes' status table and its accent-free filter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from kh75_desktop.communes import fold
from kh75_desktop.packages.province_side import STATUS_WORDS, CommuneStatus

from ..models import RowsTableModel

_Index = QModelIndex | QPersistentModelIndex


class CommuneStatusModel(RowsTableModel):
    HEADERS = ("Mã", "Xã, phường", "Loại", "Trạng thái", "Phiên bản", "Ngày nhận", "Trễ hạn",
               "Số chỉ tiêu có số liệu")

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        s: CommuneStatus = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            received = s.received_at[:10]
            return (s.commune.code, s.commune.name, s.commune.kind_label, STATUS_WORDS[s.status],
                    s.version or "", f"{received[8:10]}/{received[5:7]}/{received[:4]}"
                    if received else "", "Trễ" if s.late else "", s.completeness)[col]
        if role == Qt.ItemDataRole.UserRole:  # sort keys
            return (s.commune.code, fold(s.commune.name), s.commune.kind, s.status, s.version,
                    s.received_at, s.late, s.completeness)[col]
        if role == Qt.ItemDataRole.ForegroundRole and col == 6 and s.late:
            return QBrush(QColor("#b3261e"))
        return None


class CommuneFilter(QSortFilterProxyModel):
    """Search without accents ("gia vien"), and show all, the late, or those not heard from."""

    def __init__(self):
        super().__init__()
        self.text = ""
        self.mode = "all"  # all / late / nothing
        self.setSortRole(Qt.ItemDataRole.UserRole)

    def _refilter(self, change) -> None:
        # Qt 6.10 replaced invalidateFilter() (deprecated since) with begin/endFilterChange().
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "text", fold(text)))

    def set_mode(self, mode: str) -> None:
        self._refilter(lambda: setattr(self, "mode", mode))

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        s = self.sourceModel().row_at(source_row)
        if self.mode == "late" and not s.late:
            return False
        if self.mode == "nothing" and s.status != "nothing":
            return False
        if self.text:
            haystack = fold(s.commune.name) + " " + s.commune.code
            return all(w in haystack for w in self.text.split())
        return True
