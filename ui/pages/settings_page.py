"""Settings and safety: back up now (to a USB stick), restore a backup after seeing what it holds,
and move the profile to a new laptop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.backup import describe_backup, list_backups, make_backup, restore_backup
from kh75_desktop.errors import KH75Error
from kh75_desktop.profile import data_dir_of
from kh75_desktop.profile_transfer import export_profile

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
        self.backups = QTableWidget(0, 2)
        self.backups.setHorizontalHeaderLabels(["Bản sao lưu tự động", "Nội dung"])
        self.backups.verticalHeader().setVisible(False)
        self.backups.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backups.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backups.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.backups.horizontalHeader().resizeSection(0, 380)
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
        rows = list(reversed(list_backups(self.data_dir)))
        self.backups.setRowCount(len(rows))
        for i, path in enumerate(rows):
            try:
                text = describe_backup(path).words()
            except KH75Error as err:
                text = err.message
            self.backups.setItem(i, 0, QTableWidgetItem(path.name))
            self.backups.setItem(i, 1, QTableWidgetItem(text))
        self.restore_btn.setEnabled(bool(rows))

    def _say(self, ok: bool, text: str) -> None:
        colour = OK if ok else ERROR
        self.result.setText(f"<span style='color:{colour}'>{'✔' if ok else '✖'} {text}</span>")

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
        row = self.backups.currentRow()
        if row >= 0:
            self.restore(self.data_dir / "backups" / self.backups.item(row, 0).text())

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
