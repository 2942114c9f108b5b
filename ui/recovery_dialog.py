"""The recovery screen: shown instead of the main window when the profile's database is damaged,
empty or gone. It lists every backup by date, kind and content, restores the chosen one (or one
from a USB stick), or — when none will do — starts a new profile with the old file kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from kh75_desktop.backup import BackupEntry, backup_catalogue, restore_backup, start_afresh
from kh75_desktop.errors import DatabaseCorrupt, KH75Error
from kh75_desktop.safe_text import one_line

from .backup_table import BackupTable
from .style import ERROR, MUTED


class RecoveryDialog(QDialog):
    """Accepted once the profile can be opened again (restored or started afresh)."""

    def __init__(self, problem: DatabaseCorrupt, folder: Path, title: str = "KH75 Desktop",
                 parent=None):
        super().__init__(parent)
        self.folder = Path(folder)
        self.setWindowTitle(f"{title} — Khôi phục dữ liệu")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        title = QLabel("<b>Không mở được tệp số liệu</b>")
        layout.addWidget(title)
        self.problem = QLabel(one_line(problem.summary, 1200))
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.problem)
        how = QLabel("Chọn một bản sao lưu để khôi phục (bản tốt gần nhất đã được chọn sẵn). Tệp "
                     "hiện tại được giữ lại nguyên vẹn trong thư mục sao lưu, không bị xóa.")
        how.setWordWrap(True)
        how.setStyleSheet(f"color: {MUTED}")
        layout.addWidget(how)
        self.table = BackupTable()
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.restore_btn = QPushButton("Khôi phục bản đã chọn")
        self.restore_btn.setDefault(True)
        self.restore_btn.clicked.connect(self.restore_selected)
        self.other_btn = QPushButton("Chọn tệp sao lưu khác (USB)…")
        self.other_btn.clicked.connect(self.restore_other)
        self.fresh_btn = QPushButton("Bắt đầu hồ sơ mới…")
        self.fresh_btn.clicked.connect(lambda: self.start_new())
        close = QPushButton("Thoát")
        close.clicked.connect(self.reject)
        for button in (self.restore_btn, self.other_btn, self.fresh_btn):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        first_good = self.table.fill(backup_catalogue(self.folder))
        if first_good < 0:
            self.message.setText(
                "Không có bản sao lưu nào dùng được trong thư mục sao lưu. Hãy chọn tệp sao lưu "
                "trên USB, hoặc bắt đầu hồ sơ mới (tệp cũ vẫn được giữ lại).")
        self._selection_changed()

    def selected(self) -> BackupEntry | None:
        return self.table.selected()

    def _selection_changed(self) -> None:
        entry = self.selected()
        self.restore_btn.setEnabled(entry is not None and entry.good)

    def restore_selected(self) -> bool:
        entry = self.selected()
        if entry is None or not entry.good:
            return False
        return self.restore(entry.path, entry.line())

    def restore_other(self) -> bool:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn tệp sao lưu", "",
                                                "Sao lưu KH75 (*.sqlite3)")
        if not chosen:
            return False
        entry = backup_catalogue(self.folder, extra=[Path(chosen)])[-1]
        if not entry.good:
            self._fail(f"Tệp {Path(chosen).name} không dùng được: {entry.content()}")
            return False
        return self.restore(entry.path, entry.line())

    def restore(self, path: Path, words: str, confirm: bool = True) -> bool:
        if confirm and QMessageBox.question(
                self, "Khôi phục", f"Khôi phục bản sao lưu này?\n\n{words}") \
                != QMessageBox.StandardButton.Yes:
            return False
        try:
            restore_backup(self.folder, path)
        except KH75Error as err:
            self._fail(err.message)
            return False
        self.accept()
        return True

    def start_new(self, confirm: bool = True) -> bool:
        if confirm and QMessageBox.question(
                self, "Bắt đầu hồ sơ mới",
                "Bắt đầu một hồ sơ trống và thiết lập lại từ đầu?\n\nTệp hiện tại và mọi bản sao "
                "lưu được giữ lại trong thư mục sao lưu; có thể khôi phục sau trong Cài đặt.",
                defaultButton=QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return False
        try:
            start_afresh(self.folder)
        except KH75Error as err:
            self._fail(err.message)
            return False
        self.accept()
        return True

    def _fail(self, text: str) -> None:
        self.message.setStyleSheet(f"color: {ERROR}")
        self.message.setText(one_line(text, 1200))
