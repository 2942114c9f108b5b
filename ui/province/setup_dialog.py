"""Sở Y tế's first run in the window: its two passphrases (one signs feedback, one opens the
communes' packages; never the same), then the key file for communes with the fingerprint to
publish, saved wherever staff want it (to email, or a USB stick for the installer)."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.files import os_reason
from kh75_desktop.packages.keys import ProvinceKeys, check_new_passphrase, passphrase_hint
from kh75_desktop.packages.province_side import init_province
from kh75_desktop.profile_transfer import import_over_empty

from ..passphrase_dialog import ask_passphrase, password_field, rule_label
from ..style import ERROR, OK
from ..worker import busy_bar, run_busy


class ProvinceSetupDialog(QDialog):
    def __init__(self, store, data_dir: Path, parent=None):
        super().__init__(parent)
        self.store, self.data_dir = store, Path(data_dir)
        self.setWindowTitle("KH75 Desktop — Thiết lập cho Sở Y tế")
        self.resize(640, 460)
        layout = QVBoxLayout(self)
        intro = QLabel("<b>Thiết lập lần đầu cho Sở Y tế tỉnh Ninh Bình</b><br>Sở Y tế dùng hai "
                       "mật khẩu khác nhau: một để <b>ký</b> gói phản hồi gửi các xã, một để "
                       "<b>mở</b> gói báo cáo các xã gửi lên. Người chỉ nhận gói không cần biết "
                       "mật khẩu ký.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(rule_label())
        form = QFormLayout()
        self.signing, self.signing_again = password_field("Mật khẩu ký"), password_field("Nhập lại")
        self.decrypt, self.decrypt_again = password_field("Mật khẩu mở gói"), password_field("Nhập lại")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form.addRow("Mật khẩu ký:", self.signing)
        form.addRow("Nhập lại:", self.signing_again)
        form.addRow("Mật khẩu mở gói:", self.decrypt)
        form.addRow("Nhập lại:", self.decrypt_again)
        form.addRow("Độ mạnh:", self.hint)
        layout.addLayout(form)
        for field in (self.signing, self.decrypt):
            field.textChanged.connect(lambda text: self.hint.setText(
                passphrase_hint(text) if text else ""))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message, 1)
        self.progress = busy_bar()
        layout.addWidget(self.progress)
        self.task = None
        buttons = QHBoxLayout()
        self.create_btn = QPushButton("Tạo khóa của Sở Y tế")
        self.create_btn.setDefault(True)
        self.create_btn.clicked.connect(self.create)
        self.save_btn = QPushButton("Lưu tệp khóa gửi các xã…")
        self.save_btn.clicked.connect(lambda: self.save_key_file())
        self.save_btn.setVisible(False)
        self.done_btn = QPushButton("Bắt đầu")
        self.done_btn.clicked.connect(self.accept)
        self.done_btn.setVisible(False)
        self.import_btn = QPushButton("Chuyển hồ sơ từ máy cũ…")
        self.import_btn.clicked.connect(lambda: self.import_from())
        cancel = QPushButton("Thoát")
        cancel.clicked.connect(self.reject)
        self.cancel_btn = cancel
        for b in (self.create_btn, self.import_btn, self.save_btn, self.done_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout.addLayout(buttons)
        self.fingerprint = ""
        self.imported = False

    def create(self) -> bool:
        """The passphrases checked here; the keys made in a worker (two scrypts: seconds), the
        dialog's buttons off and its bar moving meanwhile. True once the making has begun."""
        try:
            check_new_passphrase(self.signing.text(), self.signing_again.text())
            check_new_passphrase(self.decrypt.text(), self.decrypt_again.text())
            if self.signing.text() == self.decrypt.text():
                raise KH75Error("Hai mật khẩu phải khác nhau: người mở gói không được ký thay "
                                "Sở Y tế.")
        except KH75Error as err:
            self._failed(err.message)
            return False
        store, data_dir = self.store, self.data_dir
        signing, decrypt = self.signing.text(), self.decrypt.text()

        def make():
            return init_province(store, data_dir, signing, decrypt)

        self.message.setStyleSheet("")
        self.message.setText("Đang tạo khóa của Sở Y tế (mất vài giây)…")
        self.task = run_busy(self._fields(), self.progress, make, self._created, self._failed,
                             after=self._settled)
        return True

    def _fields(self) -> tuple:
        """What is off while the keys are made or a profile is brought in."""
        return (self.create_btn, self.import_btn, self.cancel_btn, self.signing,
                self.signing_again, self.decrypt, self.decrypt_again)

    def _failed(self, message: str) -> None:
        self.message.setStyleSheet(f"color: {ERROR}")
        self.message.setText(message)

    def _settled(self) -> None:
        self.task = None

    def reject(self) -> None:
        if self.task is None:  # never closed while the keys are being written
            super().reject()

    def _created(self, info) -> None:
        self.fingerprint = info.fingerprint
        for field in (self.signing, self.signing_again, self.decrypt, self.decrypt_again):
            field.clear()
            field.setEnabled(False)
        self.message.setStyleSheet(f"color: {OK}")
        self.message.setText(
            f"Đã tạo khóa của Sở Y tế.\n\nDấu vân tay (công bố cho các xã đối chiếu, ví dụ trong "
            f"văn bản hướng dẫn):\n{info.fingerprint}\n\nTệp khóa gửi các xã: "
            f"{ProvinceKeys(self.data_dir).key_file}")
        self.create_btn.setVisible(False)
        self.cancel_btn.setVisible(False)
        self.save_btn.setVisible(True)
        self.done_btn.setVisible(True)

    def import_from(self, source: Path | None = None, passphrase: str | None = None) -> bool:
        """Sở Y tế's profile moved from its old computer (made there on the exports page),
        brought in by a worker (its decryption takes a second or more); the dialog closes by
        itself once it is in. True once the bringing in has begun."""
        if source is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Tệp hồ sơ Sở Y tế", "",
                                                    "Hồ sơ KH75 (*.kh75profile);;Mọi tệp (*)")
            if not chosen:
                return False
            source = Path(chosen)
        if passphrase is None:
            passphrase = ask_passphrase(self, "Chuyển hồ sơ", "Mật khẩu ký của Sở Y tế:")
            if passphrase is None:
                return False
        self.store.engine.dispose()  # the database file is replaced
        data_dir = self.data_dir
        self.message.setStyleSheet("")
        self.message.setText("Đang mở tệp hồ sơ (mất vài giây)…")
        self.task = run_busy(self._fields(), self.progress,
                             lambda: import_over_empty(data_dir, source, passphrase),
                             self._imported, self._failed, after=self._settled)
        return True

    def _imported(self, _) -> None:
        self.imported = True
        self.accept()

    def save_key_file(self, target: Path | None = None) -> Path | None:
        source = ProvinceKeys(self.data_dir).key_file
        if target is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Lưu tệp khóa", source.name,
                                                    "Khóa KH75 (*.kh75key)")
            if not chosen:
                return None
            target = Path(chosen)
        try:
            shutil.copyfile(source, target)
        except OSError as err:
            self.message.setText(f"{self.message.text()}\n\nKhông lưu được {target}: "
                                 f"{os_reason(err)}.")
            return None
        self.message.setText(f"{self.message.text()}\n\nĐã lưu bản sao tệp khóa: {target}")
        return target
