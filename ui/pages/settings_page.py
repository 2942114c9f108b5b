"""Settings and safety: back up now (to a USB stick), restore a backup after seeing what it holds,
and move the profile to a new laptop."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.backup import backup_catalogue, describe_backup, make_backup, restore_backup
from kh75_desktop.errors import KH75Error
from kh75_desktop.profile import data_dir_of
from kh75_desktop.profile_transfer import export_profile
from kh75_desktop.safe_text import one_line

from ..backup_table import BackupTable
from ..style import ERROR, OK


class SettingsPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.data_dir = data_dir_of(window.store)
        layout = QVBoxLayout(self)
        box = QGroupBox("Sao lưu")
        bl = QVBoxLayout(box)
        where = QLabel(f"Thư mục dữ liệu: {self.data_dir}. Ứng dụng tự sao lưu mỗi ngày và trước "
                       "mỗi lần nhập, khôi phục, nâng cấp.")
        where.setWordWrap(True)
        bl.addWidget(where)
        row = QHBoxLayout()
        self.backup_btn = QPushButton("Sao lưu ra tệp (USB)…")
        self.backup_btn.clicked.connect(self.backup_to_file)
        self.restore_btn = QPushButton("Khôi phục bản đã chọn…")
        self.restore_btn.clicked.connect(self.restore_selected)
        self.restore_file_btn = QPushButton("Khôi phục từ tệp…")
        self.restore_file_btn.clicked.connect(self.restore_from_file)
        for b in (self.backup_btn, self.restore_btn, self.restore_file_btn):
            row.addWidget(b)
        row.addStretch(1)
        bl.addLayout(row)
        self.backups = BackupTable()
        bl.addWidget(self.backups)
        layout.addWidget(box, 1)
        move = QGroupBox("Chuyển sang máy mới")
        ml = QVBoxLayout(move)
        how = QLabel("Một tệp chứa cơ sở dữ liệu và khóa ký, mã hóa bằng mật khẩu khóa ký. Trên "
                     "máy mới: kh75 profile import TỆP. Sở Y tế vẫn nhận ra cùng người ký.")
        how.setWordWrap(True)
        ml.addWidget(how)
        self.move_btn = QPushButton("Xuất hồ sơ để chuyển máy…")
        self.move_btn.clicked.connect(self.export_profile)
        ml.addWidget(self.move_btn)
        layout.addWidget(move)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)

    def refresh(self) -> None:
        self.restore_btn.setEnabled(self.backups.fill(backup_catalogue(self.data_dir)) >= 0)

    def _say(self, ok: bool, text: str) -> None:
        colour = OK if ok else ERROR
        self.result.setText(f"<span style='color:{colour}'>{'✔' if ok else '✖'} "
                            f"{html.escape(one_line(text, 1200))}</span>")

    def backup_to_file(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Sao lưu", "kh75-sao-luu.sqlite3",
                                                    "Sao lưu KH75 (*.sqlite3)")
            if not chosen:
                return
            path = Path(chosen)
        try:
            make_backup(self.data_dir, "thu-cong", path)
        except KH75Error as err:
            self._say(False, err.message)
            return
        self._say(True, f"Đã sao lưu vào {path}")

    def restore_selected(self) -> None:
        entry = self.backups.selected()
        if entry is not None and entry.good:
            self.restore(entry.path)

    def restore_from_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Khôi phục", "", "Sao lưu KH75 (*.sqlite3)")
        if chosen:
            self.restore(Path(chosen))

    def restore(self, path: Path, confirm: bool = True) -> bool:
        try:
            info = describe_backup(path)
        except KH75Error as err:
            self._say(False, err.message)
            return False
        if confirm:
            answer = QMessageBox.question(self, "Khôi phục", f"{info.words()}\n\nKhôi phục bản "
                                          "này? Dữ liệu hiện tại được sao lưu trước.")
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            before = restore_backup(self.data_dir, path)
        except KH75Error as err:
            self._say(False, err.message)
            return False
        kept = f" Trạng thái trước đó giữ tại {before.name}." if before else ""
        self._say(True, f"Đã khôi phục {path.name}.{kept}")
        self.window.profile = self.window.store.profile()
        self.refresh()
        return True

    def export_profile(self, path: Path | None = None, passphrase: str | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Xuất hồ sơ", "ho-so.kh75profile",
                                                    "Hồ sơ KH75 (*.kh75profile)")
            if not chosen:
                return
            path = Path(chosen)
        if passphrase is None:
            passphrase, ok = QInputDialog.getText(self, "Xuất hồ sơ", "Mật khẩu khóa ký:",
                                                  QLineEdit.EchoMode.Password)
            if not ok:
                return
        try:
            export_profile(self.data_dir, path, passphrase)
        except KH75Error as err:
            self._say(False, err.message)
            return
        self._say(True, f"Đã xuất hồ sơ vào {path}")
