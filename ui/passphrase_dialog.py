"""Choosing a new passphrase: the rule said up front, a strength hint as the officer types, and
the same check the core applies (length, zxcvbn strength, typed twice alike)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.packages.keys import MIN_PASSPHRASE, check_new_passphrase, passphrase_hint

from .style import MUTED, message_label

RULE = (f"Mật khẩu cần ít nhất {MIN_PASSPHRASE} ký tự và khó đoán: nên là một câu riêng của mình "
        "gồm 4–5 từ, ví dụ «mua sen hồ Gia Viễn rất đẹp». Không ai khôi phục được mật khẩu này; "
        "hãy ghi nhớ hoặc cất nơi an toàn.")


def rule_label() -> QLabel:
    """The passphrase rule, said before anything is typed."""
    rule = QLabel(RULE)
    rule.setWordWrap(True)
    rule.setStyleSheet(f"color: {MUTED}")
    return rule


def password_field(name: str) -> QLineEdit:
    """A hidden text field, named for screen readers."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class NewPassphraseDialog(QDialog):
    def __init__(self, title: str, intro: str = "", parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(520, 260)
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addWidget(rule_label())
        form = QFormLayout()
        self.passphrase = password_field("Mật khẩu mới")
        self.confirm = password_field("Nhập lại mật khẩu mới")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form.addRow("Mật khẩu mới:", self.passphrase)
        form.addRow("Nhập lại:", self.confirm)
        form.addRow("Độ mạnh:", self.hint)
        layout.addLayout(form)
        self.message = message_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.passphrase.textChanged.connect(
            lambda text: self.hint.setText(passphrase_hint(text) if text else ""))

    def check(self) -> bool:
        try:
            check_new_passphrase(self.passphrase.text(), self.confirm.text())
        except KH75Error as err:
            self.message.setText(err.message)
            return False
        self.accept()
        return True

    def value(self) -> str:
        return self.passphrase.text()


def ask_new_passphrase(parent, title: str, intro: str = "") -> str | None:
    dialog = NewPassphraseDialog(title, intro, parent)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_passphrase(parent, title: str, label: str = "Mật khẩu khóa ký:") -> str | None:
    """An existing passphrase, typed hidden; None when the officer cancels."""
    from PySide6.QtWidgets import QInputDialog

    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok else None
