"""Settings and safety: back up now (to a USB stick), restore a backup after seeing what it holds,
and move the profile to a new laptop."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop import __version__
from kh75_desktop.backup import backup_catalogue, describe_backup, make_backup, restore_backup
from kh75_desktop.contacts import PLAN_CONTACTS
from kh75_desktop.errors import KH75Error
from kh75_desktop.profile import data_dir_of
from kh75_desktop.profile_transfer import export_profile
from kh75_desktop.safe_text import one_line
from kh75_desktop.setup_flow import officer_problem

from ..backup_table import BackupTable
from ..passphrase_dialog import ask_passphrase
from ..style import said
from ..worker import busy_bar, run_busy


class SettingsPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.data_dir = data_dir_of(window.store)
        columns = QHBoxLayout(self)
        left = QVBoxLayout()
        columns.addLayout(left, 2)
        layout = QVBoxLayout()
        columns.addLayout(layout, 3)
        people = QGroupBox("Cán bộ phụ trách và người ký")
        pl = QFormLayout(people)
        profile = window.profile
        self.officer = QLineEdit(profile.officer)
        self.officer.setAccessibleName("Họ và tên cán bộ")
        self.phone = QLineEdit(profile.phone)
        self.phone.setAccessibleName("Số điện thoại")
        pl.addRow("Họ và tên:", self.officer)
        pl.addRow("Số điện thoại:", self.phone)
        buttons = QHBoxLayout()
        save = QPushButton("Lưu")
        save.clicked.connect(self.save_officer)
        signatory = QPushButton("Người ký và nơi nhận…")
        signatory.clicked.connect(self.edit_signatory)
        buttons.addWidget(save)
        buttons.addWidget(signatory)
        buttons.addStretch(1)
        pl.addRow(buttons)
        left.addWidget(people)
        folder = QGroupBox("Thư mục dữ liệu")
        fl = QVBoxLayout(folder)
        path = QLabel(str(self.data_dir))
        path.setWordWrap(True)
        path.setTextFormat(Qt.TextFormat.PlainText)
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fl.addWidget(path)
        open_folder = QPushButton("Mở thư mục")
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir))))
        fl.addWidget(open_folder, alignment=Qt.AlignmentFlag.AlignLeft)
        left.addWidget(folder)
        box = QGroupBox("Sao lưu")
        bl = QVBoxLayout(box)
        where = QLabel("Ứng dụng tự sao lưu mỗi ngày, khi đóng sau khi sửa, và trước mỗi lần nhập, "
                       "khôi phục, nâng cấp. Chọn một bản để xem nội dung trước khi khôi phục.")
        where.setWordWrap(True)
        bl.addWidget(where)
        row = QHBoxLayout()
        self.backup_btn = QPushButton("Sao lưu ra tệp (USB)…")
        self.backup_btn.clicked.connect(lambda: self.backup_to_file())
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
                     "máy mới: mở KH75 Desktop, chọn «Chuyển hồ sơ từ máy khác» ở bước đầu. Sở Y "
                     "tế vẫn nhận ra cùng người ký.")
        how.setWordWrap(True)
        ml.addWidget(how)
        self.move_btn = QPushButton("Xuất hồ sơ để chuyển máy…")
        self.move_btn.clicked.connect(lambda: self.export_profile())
        ml.addWidget(self.move_btn)
        self.progress = busy_bar()
        ml.addWidget(self.progress)
        self.task = None
        left.addWidget(move)
        about = QGroupBox("Giới thiệu")
        al = QVBoxLayout(about)
        hotline = PLAN_CONTACTS[0]
        text = QLabel(f"KH75 Desktop phiên bản {__version__}: nhập, kiểm tra, in và gửi báo cáo 24 "
                      "chỉ tiêu về trẻ em theo Kế hoạch 75/KH-UBND của UBND tỉnh Ninh Bình.\n"
                      f"{hotline.name}: {hotline.phone} (miễn phí, 24/7).")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        al.addWidget(text)
        left.addWidget(about)
        left.addStretch(1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)

    def save_officer(self) -> bool:
        officer, phone = self.officer.text().strip(), self.phone.text().strip()
        problem = officer_problem(officer, phone)
        if problem:
            self._say(False, problem)
            return False
        self.window.profile = self.window.store.save_profile(officer=officer, phone=phone)
        self.window.update_status_line()
        self._say(True, "Đã lưu họ tên và số điện thoại cán bộ.")
        return True

    def edit_signatory(self) -> None:
        from ..signatory_dialog import SignatoryDialog

        SignatoryDialog(self.window.store, self).exec()

    def refresh(self) -> None:
        self.restore_btn.setEnabled(self.backups.fill(backup_catalogue(self.data_dir)) >= 0)

    def _say(self, ok: bool, text: str) -> None:
        self.result.setText(said(ok, one_line(text, 1200)))

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
            passphrase = ask_passphrase(self, "Xuất hồ sơ")
            if passphrase is None:
                return
        # unlocking the key and encrypting the file are both scrypt: seconds, in a worker
        self.result.setText("Đang mở khóa ký và mã hóa hồ sơ (mất vài giây)…")
        data_dir = self.data_dir
        self.task = run_busy((self.move_btn, self.backup_btn, self.restore_btn,
                              self.restore_file_btn), self.progress,
                             lambda: export_profile(data_dir, path, passphrase),
                             lambda _: self._say(True, f"Đã xuất hồ sơ vào {path}"),
                             lambda message: self._say(False, message), after=self.refresh)
