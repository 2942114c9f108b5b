"""Grid entry: one row per figure of the indicator, with the three previous years beside this
year's value and the figure's state (saved, not entered, wrong, needs an explanation, locked,
reopened by Sở Y tế). Tab and Enter go from value to value; a typed value goes through the same
figure editor (the detail card below the grid), so the rules and the saving are the editor's."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
)

from kh75_desktop.figures import figure_words

from .style import ERROR, MUTED, OK, WARNING

NAME, VALUE, STATE = 0, 4, 5


ROW_HEIGHT = 28


class _EnterGoesOn(QStyledItemDelegate):
    """Enter in a value cell commits it and opens the next row's value, like Tab."""

    def eventFilter(self, editor, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return,
                                                                     Qt.Key.Key_Enter):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.EditNextItem)
            return True
        return super().eventFilter(editor, event)


class FigureGrid(QTableWidget):
    typed = Signal(str, str)  # element key, the text typed in its value cell
    chosen = Signal(str)  # the row's figure was selected: show its detail card

    def __init__(self, views, year: int, parent=None):
        super().__init__(len(views), 6, parent)
        self.keys = [v.element.key for v in views]
        self.setHorizontalHeaderLabels(["Số liệu", str(year - 3), str(year - 2), str(year - 1),
                                        f"Năm {year}", "Tình trạng"])
        self.verticalHeader().hide()
        self.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)  # room to type in a cell
        self.setAccessibleName("Bảng nhập số liệu")
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.setItemDelegateForColumn(VALUE, _EnterGoesOn(self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(VALUE, 120)
        header.resizeSection(STATE, 190)
        self._filling = False
        self._filling = True
        for row, view in enumerate(views):
            name = QTableWidgetItem(view.element.name)
            name.setToolTip(view.element.definition)
            self._fixed(row, NAME, name)
            for col, (_, fig) in zip((3, 2, 1), view.past, strict=False):
                item = QTableWidgetItem(figure_words(fig))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._fixed(row, col, item)
            value = QTableWidgetItem(figure_words(view.figure, ""))
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setBackground(QBrush(QColor("#fffbe6")))
            self.setItem(row, VALUE, value)
            self._fixed(row, STATE, QTableWidgetItem(""))
        self._filling = False
        self.resizeRowsToContents()
        self.cellChanged.connect(self._cell_changed)
        self.currentCellChanged.connect(lambda row, *_: row >= 0 and self.chosen.emit(
            self.keys[row]))
        self.fit_height()

    def _fixed(self, row: int, col: int, item: QTableWidgetItem) -> None:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setItem(row, col, item)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Rows are first measured before the form has its width, when a name wraps to three
        # lines: at the real width they are measured again, or every row stays three lines tall.
        if event.size().width() != event.oldSize().width():
            self.resizeRowsToContents()
            self.fit_height()

    def fit_height(self) -> None:
        """As tall as its rows: the form around it scrolls, never the grid."""
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height + 2)

    def _cell_changed(self, row: int, col: int) -> None:
        if col == VALUE and not self._filling:
            self.typed.emit(self.keys[row], self.item(row, VALUE).text())

    def moveCursor(self, action, modifiers) -> QModelIndex:
        """Tab/Enter/Down go to the next figure's value; Shift+Tab/Up to the previous one."""
        current = self.currentIndex()
        step = {QAbstractItemView.CursorAction.MoveNext: 1,
                QAbstractItemView.CursorAction.MoveDown: 1,
                QAbstractItemView.CursorAction.MovePrevious: -1,
                QAbstractItemView.CursorAction.MoveUp: -1}.get(action)
        if step is None or not current.isValid():
            return super().moveCursor(action, modifiers)
        row = min(max(current.row() + step, 0), self.rowCount() - 1)
        return self.model().index(row, VALUE)

    def focus_value(self, element: str) -> None:
        row = self.keys.index(element)
        self.setCurrentCell(row, VALUE)
        self.setFocus()

    def show_figure(self, editor, typed: str | None = None) -> None:
        """Mirror one editor: its value as saved or typed, and its state in words; `typed` is
        what was just typed in the editor's own field (otherwise a changed row keeps the text
        typed into the grid)."""
        row = self.keys.index(editor.element.key)
        self._filling = True
        value = self.item(row, VALUE)
        shown = (figure_words(editor.stored, "") if not editor.dirty else
                 value.text() if typed is None else typed)
        if editor.no_data.isChecked():
            shown = "không có số liệu"
        value.setText(shown)
        editable = editor.value.isEnabled() or editor.no_data.isChecked()
        flags = value.flags()
        value.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable and not editor.locked
                       else flags & ~Qt.ItemFlag.ItemIsEditable)
        words, colour = state_words(editor)
        state = self.item(row, STATE)
        state.setText(words)
        state.setForeground(QBrush(QColor(colour)))
        state.setToolTip(editor.message.text())
        self._filling = False


def state_words(editor) -> tuple[str, str]:
    """The state marker of a figure: what the officer needs to know at a glance."""
    if editor.locked:
        return "Đã khóa (đã gửi)", MUTED
    if editor.reopened:
        prefix = "Sở Y tế có ý kiến · "
    else:
        prefix = ""
    state = editor.state
    if state == "error":
        return prefix + "✖ Sai, chưa lưu", ERROR
    if state == "warning":
        return prefix + "⚠ Cần giải thích", WARNING
    if state == "saving" and not editor.dirty:
        return prefix + "… Đang lưu", MUTED
    if state == "saved" and not editor.dirty:
        return prefix + "✔ Đã lưu", OK
    if editor.dirty:
        return prefix + "Đang sửa", MUTED
    return prefix + "Chưa nhập", WARNING
