"""The written sections of the year's report, each with a short prompt drawn from the plan's
tasks, saved by themselves a moment after typing stops (and when the page is left). Section II,
the figures, is written by the app and said so."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from kh75_desktop.errors import KH75Error
from kh75_desktop.narrative import FIGURES_HEADING, SECTIONS, load_narrative, save_section
from kh75_desktop.safe_text import one_line

from .style import ERROR, MUTED, OK

AUTOSAVE_MS = 1200


class NarrativeEditor(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.store = window.store
        self.year: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edits: dict[str, QPlainTextEdit] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_pending)
        self.pending: set[str] = set()
        for section in SECTIONS:
            if section.numeral == "III":
                figures = QLabel(f"<b>{FIGURES_HEADING[0]}. {FIGURES_HEADING[1]}</b> — ứng dụng tự "
                                 "viết từ số liệu đã nhập (tóm tắt và bảng kết quả).")
                figures.setWordWrap(True)
                figures.setStyleSheet(f"color: {MUTED}")
                layout.addWidget(figures)
            layout.addWidget(QLabel(f"<b>{section.numeral}. {section.title}</b>"))
            edit = QPlainTextEdit()
            edit.setPlaceholderText(section.prompt)
            edit.setMinimumHeight(90)
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(lambda key=section.key: self._changed(key))
            layout.addWidget(edit, 1)
            self.edits[section.key] = edit
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.state)
        self._loading = False

    def refresh(self) -> None:
        """Show the sections of the window's year (saving what was typed for another year)."""
        self.save_pending()
        self.year = self.window.year
        narrative = load_narrative(self.store, self.year)
        self._loading = True
        for key, edit in self.edits.items():
            edit.setPlainText(narrative.get(key, ""))
        self._loading = False
        status = self.store.report_status(self.window.profile.ward_code, self.year)
        locked = status.status in ("exported", "accepted")
        for edit in self.edits.values():
            edit.setReadOnly(locked)
        self._say(MUTED, f"Báo cáo năm {self.year} đã gửi: phần viết bị khóa cùng số liệu."
                  if locked else "Tự động lưu khi ngừng gõ.")

    def _changed(self, key: str) -> None:
        if self._loading:
            return
        self.pending.add(key)
        self.timer.start()

    def save_pending(self) -> bool:
        self.timer.stop()
        if not self.pending or self.year is None:
            return True
        ward = self.window.profile.ward_code
        try:
            for key in sorted(self.pending):
                save_section(self.store, ward, self.year, key, self.edits[key].toPlainText())
        except KH75Error as err:
            self._say(ERROR, err.message)
            return False
        self.pending.clear()
        self._say(OK, f"Đã lưu lúc {datetime.now():%H:%M}.")
        return True

    def _say(self, colour: str, text: str) -> None:
        self.state.setStyleSheet(f"color: {colour}")
        self.state.setText(one_line(text, 400))
