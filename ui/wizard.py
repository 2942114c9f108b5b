"""First-run setup wizard: the pages draw `kh75_desktop.setup_flow.SetupFlow` and nothing more."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.profile import data_dir_of
from kh75_desktop.setup_flow import MAX_YEAR, MIN_YEAR, SetupFlow

from .style import ERROR


class _Page(QWizardPage):
    step = ""

    def __init__(self, flow: SetupFlow, title: str, subtitle: str):
        super().__init__()
        self.flow = flow
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ERROR};")
        self.error.setWordWrap(True)

    def pull(self) -> None:
        """Copy the widgets' contents into the flow."""

    def validatePage(self) -> bool:
        self.pull()
        problem = self.flow.validate(self.step)
        self.error.setText(problem or "")
        return problem is None


class CommunePage(_Page):
    step = "commune"

    def __init__(self, flow: SetupFlow):
        super().__init__(flow, "Chọn xã, phường",
                         "Gõ tên xã/phường (có hoặc không dấu) hoặc mã số, rồi chọn trong danh sách.")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Ví dụ: gia vien")
        self.search.setAccessibleName("Tìm xã, phường")
        self.list = QListWidget()
        self.list.setAccessibleName("Danh sách xã, phường")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.error)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._pick_first)
        self.list.currentItemChanged.connect(lambda *_: self.completeChanged.emit())
        self.refresh("")

    def refresh(self, text: str) -> None:
        self.list.clear()
        for c in self.flow.find_communes(text):
            item = QListWidgetItem(f"{c.name}  ({c.code})")
            item.setData(Qt.ItemDataRole.UserRole, c.code)
            self.list.addItem(item)
        if self.list.count() == 1:
            self.list.setCurrentRow(0)

    def _pick_first(self) -> None:
        if self.list.count():
            self.list.setCurrentRow(0)
            self.list.setFocus()

    def pull(self) -> None:
        item = self.list.currentItem()
        self.flow.commune = None
        if item is not None:
            self.flow.choose_commune(item.data(Qt.ItemDataRole.UserRole))

    def isComplete(self) -> bool:
        return self.list.currentItem() is not None


class OfficerPage(_Page):
    step = "officer"

    def __init__(self, flow: SetupFlow):
        super().__init__(flow, "Cán bộ phụ trách",
                         "Họ tên và số điện thoại in trên báo cáo gửi Sở Y tế.")
        self.officer = QLineEdit()
        self.officer.setAccessibleName("Họ và tên cán bộ")
        self.phone = QLineEdit()
        self.phone.setAccessibleName("Số điện thoại")
        self.phone.setPlaceholderText("Ví dụ: 0912 345 678")
        form = QFormLayout(self)
        form.addRow("Họ và tên:", self.officer)
        form.addRow("Số điện thoại:", self.phone)
        form.addRow(self.error)

    def pull(self) -> None:
        self.flow.officer = self.officer.text()
        self.flow.phone = self.phone.text()


class YearPage(_Page):
    step = "year"

    def __init__(self, flow: SetupFlow):
        super().__init__(flow, "Năm báo cáo",
                         "Năm có số liệu cần nhập (từ 01/01 đến 31/12). Có thể đổi năm sau này.")
        self.year = QSpinBox()
        self.year.setRange(MIN_YEAR, MAX_YEAR)
        self.year.setValue(flow.year)
        self.year.setAccessibleName("Năm báo cáo")
        form = QFormLayout(self)
        form.addRow("Năm:", self.year)
        form.addRow(self.error)

    def pull(self) -> None:
        self.flow.year = self.year.value()


class KeysPage(_Page):
    step = "keys"

    def __init__(self, flow: SetupFlow):
        super().__init__(flow, "Khóa ký và khóa của Sở Y tế",
                         "Mật khẩu bảo vệ khóa ký của xã; được hỏi mỗi lần gửi báo cáo. Hãy ghi "
                         "nhớ: không ai khôi phục được mật khẩu này.")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Mật khẩu khóa ký")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Nhập lại mật khẩu")
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.key_button = QPushButton("Chọn tệp khóa của Sở Y tế…")
        self.key_button.clicked.connect(self.choose_key_file)
        self.fingerprint = QLabel("Chưa chọn (có thể nhập sau ở trang Gói gửi Sở Y tế).")
        self.fingerprint.setWordWrap(True)
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow("Mật khẩu:", self.passphrase)
        form.addRow("Nhập lại:", self.confirm)
        form.addRow("", self.hint)
        form.addRow("Khóa của Sở Y tế:", self.key_button)
        form.addRow("Dấu vân tay:", self.fingerprint)
        form.addRow(self.error)
        self.passphrase.textChanged.connect(self._hint)
        if self.flow.province_key_is_bundled:
            self.key_button.setText("Chọn tệp khóa khác…")
            self._show_fingerprint("Khóa này đi kèm bộ cài đặt. ")

    def _hint(self) -> None:
        self.pull()
        self.hint.setText("Độ mạnh: " + self.flow.passphrase_hint() if self.flow.passphrase else "")

    def choose_key_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Tệp khóa của Sở Y tế", "",
                                              "Khóa KH75 (*.kh75key);;Mọi tệp (*)")
        if path:
            self.load_key_file(Path(path))

    def load_key_file(self, path: Path) -> None:
        try:
            self.flow.province_key = path.read_bytes()
        except OSError as err:
            self.error.setText(f"Không đọc được {path}: {err.strerror}.")
            return
        fp = self.flow.province_fingerprint()
        if fp is None:
            self.flow.province_key = None
            self.error.setText("Tệp khóa của Sở Y tế không hợp lệ hoặc đã bị sửa đổi.")
            return
        self.error.setText("")
        self._show_fingerprint()

    def _show_fingerprint(self, origin: str = "") -> None:
        fp = self.flow.province_fingerprint()
        if fp is None:
            self.error.setText("Khóa của Sở Y tế đi kèm bộ cài đặt không hợp lệ; hãy chọn tệp khóa "
                               "Sở Y tế gửi.")
            self.flow.province_key = None
            return
        self.fingerprint.setText(f"<b>{fp}</b><br>{origin}Gọi Sở Y tế và đọc đối chiếu dãy số này.")

    def pull(self) -> None:
        self.flow.passphrase = self.passphrase.text()
        self.flow.confirm = self.confirm.text()


class SetupWizard(QWizard):
    def __init__(self, store, data_dir: Path | None = None, year: int = 2026):
        super().__init__()
        self.store = store
        self.data_dir = Path(data_dir) if data_dir else data_dir_of(store)
        self.fingerprint = ""
        self.flow = SetupFlow(year=year)
        self.setWindowTitle("KH75 Desktop — Thiết lập lần đầu")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.pages = [CommunePage(self.flow), OfficerPage(self.flow), YearPage(self.flow),
                      KeysPage(self.flow)]
        for p in self.pages:
            self.addPage(p)
        self.resize(640, 480)

    def accept(self) -> None:
        for p in self.pages:
            p.pull()
        try:
            self.fingerprint = self.flow.finish(self.store, self.data_dir)
        except KH75Error as err:
            self.pages[-1].error.setText(err.message)
            return
        super().accept()
