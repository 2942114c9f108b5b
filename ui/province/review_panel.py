"""The review of one commune's report, in tabs: every measure beside its earlier years, target and
status, with Sở Y tế's comment typed in the measure's own row; every figure with its source,
note, estimate flag and explanation; the changes since the previous version; the answers to the
last round's comments; the written sections; the warnings the intake noted. Plain text only:
a package's words never format."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
)

from kh75_desktop.measures import STATUS_COLOURS, STATUS_SHORT
from kh75_desktop.narrative import SECTIONS
from kh75_desktop.numbers_vi import format_measure, format_target

COMMENT = 7  # the measures table's comment column


def _table(headers: list[str], stretch: int) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setWordWrap(True)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return t


def _fill(t: QTableWidget, rows: list[tuple], editable: int | None = None) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(str(text))
            item.setToolTip(str(text))  # a name cut at 1366 pixels is read whole on hover
            if c != editable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            t.setItem(r, c, item)


class ReviewPanel(QTabWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.keys: list[str] = []
        self.measures = _table(["Mã", "Chỉ số", "Năm nay", "Năm trước", "2 năm trước",
                                "Chỉ tiêu năm", "Đánh giá", "Ý kiến của Sở Y tế (gõ vào đây)"],
                               COMMENT)
        self.measures.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.measures.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Interactive)
        self.measures.horizontalHeader().resizeSection(1, 300)
        self.figures = _table(["Số liệu", "Năm nay", "Năm trước", "Ước tính", "Nguồn",
                               "Ghi chú / lý do thiếu", "Giải thích của xã"], 6)
        self.changes = _table(["Số liệu", "Phiên bản trước", "Phiên bản này"], 0)
        self.answers = _table(["Chỉ số", "Ý kiến lần trước", "Trả lời của xã"], 2)
        self.narrative = QPlainTextEdit()
        self.narrative.setReadOnly(True)
        self.narrative.setAccessibleName("Phần viết trong báo cáo của xã")
        self.narrative.setPlaceholderText("Xã, phường chưa viết phần nào.")
        self.warnings = QPlainTextEdit()
        self.warnings.setReadOnly(True)
        self.addTab(self.measures, "Chỉ số và ý kiến")
        self.addTab(self.figures, "Số liệu")
        self.addTab(self.changes, "Thay đổi so với phiên bản trước")
        self.addTab(self.answers, "Trả lời ý kiến")
        self.addTab(self.narrative, "Phần viết")
        self.addTab(self.warnings, "Cảnh báo")

    def show_review(self, review) -> None:
        self.keys = [r.measure.key for r in review.results]
        _fill(self.measures, [(r.measure.key, r.measure.name,
                               format_measure(r.value, r.measure.unit), *review.past[
                                   r.measure.key][:2], format_target(r.target, r.measure.unit),
                               STATUS_SHORT[r.status], "") for r in review.results],
              editable=COMMENT)
        for row, r in enumerate(review.results):
            self.measures.item(row, 6).setForeground(QBrush(QColor(STATUS_COLOURS[r.status])))
        _fill(self.figures, [(f.name, f.value, f.previous, "Có" if f.estimated else "",
                              f.source, f.note, f.explanation) for f in review.figures])
        _fill(self.changes, [(c.name, c.old, c.new) for c in review.changes])
        _fill(self.answers, [(a.measure, a.comment, a.answer) for a in review.answers])
        self.narrative.setPlainText("\n\n".join(
            f"{s.numeral}. {s.title}\n{review.narrative[s.key]}" for s in SECTIONS
            if review.narrative.get(s.key)))
        self.warnings.setPlainText("\n".join(review.warnings) or "Không có cảnh báo.")
        self.setTabText(2, f"Thay đổi so với phiên bản trước ({len(review.changes)})")
        self.setTabText(3, f"Trả lời ý kiến ({len(review.answers)})")
        self.setTabText(5, f"Cảnh báo ({len(review.warnings)})")

    def clear(self) -> None:
        self.keys = []
        for t in (self.measures, self.figures, self.changes, self.answers):
            t.setRowCount(0)
        self.narrative.clear()
        self.warnings.clear()

    def set_comment(self, measure: str, text: str) -> bool:
        if measure not in self.keys:
            return False
        row = self.keys.index(measure)
        self.measures.item(row, COMMENT).setText(text)
        self.measures.scrollToItem(self.measures.item(row, COMMENT))
        return True

    def comments(self) -> list[tuple[str, str]]:
        """(measure, comment) for every row with a comment typed."""
        out = []
        for row, key in enumerate(self.keys):
            text = self.measures.item(row, COMMENT).text().strip()
            if text:
                out.append((key, text))
        return out
