"""Who signs the printed report: the issuing body's lines, how the leader signs (the head, a
deputy "KT.", acting "Q.", on behalf of the collective "TM."), the names, the preparer and the
"Nơi nhận" list, with the signature block previewed as it will print. Commune and Sở Y tế alike."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.safe_text import one_line
from kh75_desktop.signatory import ROLES, save_signatory, signatory_for

from .style import message_label


class SignatoryDialog(QDialog):
    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.current = signatory_for(store)
        sig = self.current
        self.setWindowTitle("Người ký và nơi nhận")
        self.resize(620, 560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.issuer = QPlainTextEdit("\n".join(sig.issuer))
        self.issuer.setFixedHeight(70)
        form.addRow("Cơ quan ban hành\n(mỗi dòng một dòng in):", self.issuer)
        self.role = QComboBox()
        for key, words in ROLES.items():
            self.role.addItem(words, key)
        self.role.setCurrentIndex(list(ROLES).index(sig.role))
        form.addRow("Cách ký:", self.role)
        self.on_behalf = QCheckBox(f"Ký thay mặt tập thể (TM. {sig.collective})")
        self.on_behalf.setChecked(sig.on_behalf)
        self.on_behalf.setVisible(bool(sig.collective))
        form.addRow("", self.on_behalf)
        self.signer = QLineEdit(sig.signer)
        self.signer.setPlaceholderText("Họ và tên người ký, ví dụ: Trần Văn Nam")
        form.addRow("Người ký:", self.signer)
        self.preparer = QLineEdit(sig.preparer)
        self.preparer.setPlaceholderText("Để trống nếu không in ô người lập biểu")
        form.addRow("Người lập biểu:", self.preparer)
        self.recipients = QPlainTextEdit("\n".join(sig.recipients))
        self.recipients.setFixedHeight(100)
        form.addRow("Nơi nhận\n(mỗi dòng một nơi):", self.recipients)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setStyleSheet("border: 1px solid #c9d1dc; padding: 8px; font-weight: bold;")
        layout.addWidget(QLabel("Khối chữ ký sẽ in:"))
        layout.addWidget(self.preview)
        self.message = message_label()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for signal in (self.role.currentIndexChanged, self.on_behalf.toggled,
                       self.signer.textChanged):
            signal.connect(self.update_preview)
        self.update_preview()

    def edited(self):
        return replace(
            self.current,
            issuer=tuple(self.issuer.toPlainText().splitlines()),
            role=self.role.currentData(), on_behalf=self.on_behalf.isChecked(),
            signer=self.signer.text(), preparer=self.preparer.text(),
            recipients=tuple(self.recipients.toPlainText().splitlines()))

    def update_preview(self) -> None:
        sig = self.edited()
        name = one_line(sig.signer, 80) or "(họ và tên)"
        self.preview.setText("\n".join(sig.title_lines()) + "\n(Ký, ghi rõ họ tên, đóng dấu)\n\n"
                             + name)

    def save(self) -> bool:
        try:
            self.current = save_signatory(self.store, self.edited())
        except KH75Error as err:
            self.message.setText(err.message)
            return False
        self.accept()
        return True
