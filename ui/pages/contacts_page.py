"""Contacts: the hotline 111 and the plan's three centres, plus the commune's own contacts."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.contacts import PLAN_CONTACTS
from kh75_desktop.errors import KH75Error
from kh75_desktop.storage.models import ContactRow

from ..models import ContactTableModel
from ..style import styled


class ContactDialog(QDialog):
    def __init__(self, parent, contact: ContactRow | None = None):
        super().__init__(parent)
        self.setWindowTitle("Liên hệ")
        self.contact = contact or ContactRow(name="", phone="")
        self.name = QLineEdit(self.contact.name)
        self.phone = QLineEdit(self.contact.phone)
        self.organisation = QLineEdit(self.contact.organisation)
        self.note = QLineEdit(self.contact.note)
        form = QFormLayout(self)
        form.addRow("Tên:", self.name)
        form.addRow("Số điện thoại:", self.phone)
        form.addRow("Cơ quan:", self.organisation)
        form.addRow("Ghi chú:", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def result_contact(self) -> ContactRow:
        c = self.contact
        c.name, c.phone = self.name.text().strip(), self.phone.text().strip()
        c.organisation, c.note = self.organisation.text().strip(), self.note.text().strip()
        return c


class ContactsPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.model = ContactTableModel()
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda *_: self.edit())
        self.view.clicked.connect(self._clicked)
        self.copy_btn = QPushButton("Sao chép số")
        self.add_btn = QPushButton("Thêm liên hệ")
        self.edit_btn = QPushButton("Sửa")
        self.del_btn = QPushButton("Xóa")
        self.copy_btn.clicked.connect(self.copy_number)
        self.add_btn.clicked.connect(self.add)
        self.edit_btn.clicked.connect(self.edit)
        self.del_btn.clicked.connect(self.remove)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._sync_buttons())
        self.feedback = QLabel()
        styled(self.feedback, "muted")
        buttons = QHBoxLayout()
        for b in (self.copy_btn, self.add_btn, self.edit_btn, self.del_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.feedback)
        intro = QLabel("Tổng đài 111 và ba trung tâm công tác xã hội cấp tỉnh theo Kế hoạch "
                       "75/KH-UBND; thêm các số liên hệ của xã (trạm y tế, trường học, công an…). "
                       "Nhấp vào một số điện thoại để sao chép.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_contacts(PLAN_CONTACTS, self.window.store.contacts())
        self._sync_buttons()

    def _row(self) -> int:
        idx = self.view.currentIndex()
        return idx.row() if idx.isValid() else -1

    def _sync_buttons(self) -> None:
        row = self._row()
        local = row >= 0 and not self.model.is_builtin(row)
        self.copy_btn.setEnabled(row >= 0)
        self.edit_btn.setEnabled(local)
        self.del_btn.setEnabled(local)

    def _clicked(self, index) -> None:
        if index.column() == 1:  # one click on a number copies it
            self.copy_number()

    def copy_number(self) -> None:
        row = self._row()
        if row < 0:
            return
        c = self.model.contact_at(row)
        QGuiApplication.clipboard().setText(c.phone)
        self.feedback.setText(f"Đã sao chép số {c.phone} ({c.name}).")

    def _edit_dialog(self, contact: ContactRow | None) -> None:
        dialog = ContactDialog(self, contact)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self.window.store.save_contact(dialog.result_contact())
            except KH75Error as err:
                QMessageBox.warning(self, "Liên hệ", err.message)
                continue
            break
        self.refresh()

    def add(self) -> None:
        self._edit_dialog(None)

    def edit(self) -> None:
        row = self._row()
        if row >= 0 and not self.model.is_builtin(row):
            self._edit_dialog(self.model.contact_at(row))

    def remove(self) -> None:
        row = self._row()
        if row < 0 or self.model.is_builtin(row):
            return
        c = self.model.contact_at(row)
        answer = QMessageBox.question(self, "Xóa liên hệ", f"Xóa liên hệ {c.name} ({c.phone})?")
        if answer == QMessageBox.StandardButton.Yes:
            self.window.store.delete_contact(c.id)
            self.refresh()
