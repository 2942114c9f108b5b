"""Qt models of the province window: the communes' status table and its accent-free filter."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from kh75_desktop.communes import fold
from kh75_desktop.measures import STATUS_COLOURS
from kh75_desktop.numbers_vi import format_stored
from kh75_desktop.packages.province_side import STATUS_WORDS, CommuneStatus

from ..models import RowsTableModel, SortedRowsModel

_Index = QModelIndex | QPersistentModelIndex


class CommuneStatusModel(SortedRowsModel):
    HEADERS = ("Mã", "Xã, phường", "Loại", "Trạng thái", "Phiên bản", "Ngày nhận", "Trễ hạn",
               "Số chỉ số có số liệu")

    def cells(self, s: CommuneStatus) -> tuple:
        return (s.commune.code, s.commune.name, s.commune.kind_label, STATUS_WORDS[s.status],
                s.version or "", format_stored(s.received_at, with_time=False),
                "Trễ" if s.late else "", s.completeness)

    def sort_keys(self, s: CommuneStatus) -> tuple:
        return (s.commune.code, fold(s.commune.name), s.commune.kind, s.status, s.version or 0,
                s.received_at, s.late, s.completeness)

    def search_text(self, row: int) -> str:
        """The accent-free name and code the search box matches."""
        return self._keys[row][1] + " " + self._keys[row][0]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6 and self.valid(index) \
                and self._rows[index.row()].late:
            return QBrush(QColor("#b3261e"))
        return super().data(index, role)


class MeasureCommunesModel(SortedRowsModel):
    """One measure commune by commune; rows are (code, name, value, status words, outlier
    words, value for sorting, status), worked out in the worker. The status is coloured as on
    the measures table above it."""

    HEADERS = ("Mã", "Xã, phường", "Giá trị", "Đánh giá", "Cần xem lại")

    def cells(self, row: tuple) -> tuple:
        return row[:5]

    def sort_keys(self, row: tuple) -> tuple:
        code, name, _text, words, flags, value, _status = row
        return (code, fold(name), (value is None, value or 0), words, (not flags, flags))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and self.valid(index):
            return QBrush(QColor(STATUS_COLOURS[self._rows[index.row()][6]]))
        return super().data(index, role)


class IntakeResultsModel(RowsTableModel):
    """One row per package file taken in: (file, outcome words, their colour, detail). Rows are
    appended batch by batch as the worker reports them; a cell's text is only asked for when it
    is shown, so 3,321 results cost the window's thread no widget item each."""

    HEADERS = ("Tệp", "Kết quả", "Chi tiết")

    def append(self, rows: list[tuple[str, str, str, str]]) -> None:
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
            return None
        file, outcome, colour, detail = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (file, outcome, detail)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 2:
            return detail  # a long refusal reads in full without widening the column
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return QBrush(QColor(colour))
        return None


class CommuneFilter(QSortFilterProxyModel):
    """Search without accents ("gia vien"), and show all, the late, or one status."""

    def __init__(self):
        super().__init__()
        self.text = ""
        self.mode = "all"  # all, late, or one status: nothing / received / returned / accepted

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
        model = self.sourceModel()
        s = model.row_at(source_row)
        if self.mode == "late" and not s.late:
            return False
        if self.mode in STATUS_WORDS and s.status != self.mode:
            return False
        if self.text:
            haystack = model.search_text(source_row)
            return all(w in haystack for w in self.text.split())
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The source model sorts itself (fast); the proxy only filters, keeping its order."""
        self.sourceModel().sort(column, order)
