"""Thin Qt table models over core results; tested with qtmodeltester, without widgets."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from kh75_desktop.measures import STATUS_COLOURS, STATUS_LABELS, STATUS_SHORT, TRACK_LABELS
from kh75_desktop.numbers_vi import format_measure, format_target
from kh75_desktop.overview import interval_short, interval_words

_Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel):
    """A flat, read-only table over a list of rows, with fixed column headers."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, rows=()):
        super().__init__()
        self._rows = list(rows)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
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

    def valid(self, index: _Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows)


class SortedRowsModel(RowsTableModel):
    """A table of thousands of rows (3,000 communes nationally) that sorts itself in Python.

    Each row's cells and sort keys are worked out once, when the rows are set; sorting is one
    `sorted()` instead of Qt calling `data()` some 50,000 times through a proxy, which froze the
    window for half a second.
    """

    _sorted_by: tuple[int, Qt.SortOrder] | None = None

    def cells(self, row) -> tuple:
        raise NotImplementedError

    def sort_keys(self, row) -> tuple:
        return self.cells(row)

    def prepare(self, rows) -> tuple[list, list, list]:
        """Rows with their cells and sort keys; pure Python, so a worker may call it."""
        rows = list(rows)
        return rows, [self.cells(r) for r in rows], [self.sort_keys(r) for r in rows]

    @staticmethod
    def _order(keys: list, column: int, order: Qt.SortOrder) -> list[int]:
        return sorted(range(len(keys)), key=lambda i: keys[i][column],
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def set_rows(self, rows) -> None:
        """New rows (or what `prepare` made of them), kept in the order last sorted by."""
        rows, cells, keys = rows if isinstance(rows, tuple) else self.prepare(rows)
        if self._sorted_by is not None:
            order = self._order(keys, *self._sorted_by)
            rows, cells, keys = ([seq[i] for i in order] for seq in (rows, cells, keys))
        self._cells, self._keys = cells, keys
        super().set_rows(rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and self.valid(index):
            return self._cells[index.row()][index.column()]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            return
        self._sorted_by = (column, order)
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        new_order = self._order(self._keys, column, order)
        new_position = {old: new for new, old in enumerate(new_order)}
        self._rows, self._cells, self._keys = ([seq[i] for i in new_order]
                                               for seq in (self._rows, self._cells, self._keys))
        moved = self.persistentIndexList()
        self.changePersistentIndexList(moved, [self.index(new_position[i.row()], i.column())
                                               for i in moved])
        self.layoutChanged.emit()


class MeasureTableModel(QStandardItemModel):
    """Measures against this year's target: one row per measure.

    The words are set on Qt's own items, once per refresh, so the view sizes and paints them in
    C++: a Python model was called some 5,000 times (each role converted to a Python enum) while
    the first window was built, 10-20 ms of its start."""

    HEADERS = ("Mã", "Chỉ tiêu", "Giá trị", "Chỉ tiêu năm", "Đánh giá", "Lộ trình 2030",
               "Khoảng tin cậy 95%")

    def __init__(self, rows=()):
        super().__init__(0, len(self.HEADERS))
        self.setHorizontalHeaderLabels(list(self.HEADERS))
        self._results: list = []
        self.set_results(rows)

    def result_at(self, row: int):
        return self._results[row]

    def set_results(self, results) -> None:
        """New results; their words are worked out here, once, not on every repaint."""
        self._results = list(results)
        self.setRowCount(0)
        for r in self._results:
            tip = "\n".join(x for x in (f"{r.key}. {r.measure.name}",
                                        f"{STATUS_LABELS[r.status]}: {r.reason}",
                                        r.track_reason, interval_words(r)) if x)
            words = (r.key, r.measure.name, format_measure(r.value, r.measure.unit),
                     format_target(r.target, r.measure.unit), STATUS_SHORT[r.status],
                     TRACK_LABELS[r.on_track], interval_short(r))
            items = []
            for col, text in enumerate(words):
                item = QStandardItem(text)
                item.setEditable(False)
                item.setToolTip(tip)
                if col in (2, 3):
                    item.setTextAlignment(_RIGHT_FLAGS)
                items.append(item)
            items[4].setForeground(QBrush(QColor(STATUS_COLOURS[r.status])))
            self.appendRow(items)


_RIGHT_FLAGS = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ContactTableModel(RowsTableModel):
    """Contacts: the plan's built-in numbers first, then the commune's own."""

    HEADERS = ("Tên", "Số điện thoại", "Ghi chú")

    def __init__(self, builtin=(), local=()):
        super().__init__()
        self.set_contacts(builtin, local)

    def set_contacts(self, builtin, local) -> None:
        self._builtin = len(builtin)
        self.set_rows(list(builtin) + list(local))

    def is_builtin(self, row: int) -> bool:
        return row < self._builtin

    contact_at = RowsTableModel.row_at

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not self.valid(index):
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
