"""Thin Qt table models over core results; tested with qtmodeltester, without widgets."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from kh75_desktop.measures import STATUS_LABELS, STATUS_SHORT, MeasureResult
from kh75_desktop.numbers_vi import format_measure, format_target
from kh75_desktop.overview import interval_short, interval_words

from .style import STATUS_COLOURS

_Index = QModelIndex | QPersistentModelIndex


class MeasureTableModel(QAbstractTableModel):
    """Measures against this year's target: one row per measure."""

    HEADERS = ("Mã", "Chỉ tiêu", "Giá trị", "Chỉ tiêu năm", "Đánh giá", "Lộ trình 2030",
               "Khoảng tin cậy 95%")

    def __init__(self, results: list[MeasureResult] | None = None):
        super().__init__()
        self._rows: list[MeasureResult] = list(results or [])

    def set_results(self, results: list[MeasureResult]) -> None:
        self.beginResetModel()
        self._rows = list(results)
        self.endResetModel()

    def result_at(self, row: int) -> MeasureResult:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.key
            if col == 1:
                return r.measure.name
            if col == 2:
                return format_measure(r.value, r.measure.unit)
            if col == 3:
                return format_target(r.target, r.measure.unit)
            if col == 4:
                return STATUS_SHORT[r.status]
            if col == 5:
                return {True: "Đúng lộ trình", False: "Chậm lộ trình", None: "–"}[r.on_track]
            if col == 6:
                return interval_short(r)
        if role == Qt.ItemDataRole.ForegroundRole and col == 4:
            return QBrush(QColor(STATUS_COLOURS[r.status]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(x for x in (f"{r.key}. {r.measure.name}", STATUS_LABELS[r.status],
                                          interval_words(r)) if x)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ContactTableModel(QAbstractTableModel):
    """Contacts: the plan's built-in numbers first, then the commune's own."""

    HEADERS = ("Tên", "Số điện thoại", "Ghi chú")

    def __init__(self, builtin=(), local=()):
        super().__init__()
        self._builtin = list(builtin)
        self._local = list(local)

    def set_contacts(self, builtin, local) -> None:
        self.beginResetModel()
        self._builtin, self._local = list(builtin), list(local)
        self.endResetModel()

    def is_builtin(self, row: int) -> bool:
        return row < len(self._builtin)

    def contact_at(self, row: int):
        return self._builtin[row] if self.is_builtin(row) else self._local[row - len(self._builtin)]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._builtin) + len(self._local)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        c = self.contact_at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            note = c.note if self.is_builtin(index.row()) else (
                " – ".join(x for x in (c.organisation, c.note) if x))
            return (c.name, c.phone, note)[index.column()]
        if role == Qt.ItemDataRole.FontRole and self.is_builtin(index.row()) and index.column() == 1:
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        return None
