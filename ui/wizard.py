"""First-run setup wizard: a welcome step (a new profile, or one moved from another laptop), then
the pages that draw `kh75_desktop.setup_flow.SetupFlow` with a step counter, and a last page
with the commune key's fingerprint to read to Sở Y tế. Making the key waits seconds on scrypt: it
runs in a worker, the keys page's bar moving, and the wizard moves on by itself when it is done."""

from __future__ import annotations

import copy
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
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from kh75_desktop.files import os_reason
from kh75_desktop.profile import data_dir_of
from kh75_desktop.safe_text import one_line
from kh75_desktop.setup_flow import MAX_YEAR, MIN_YEAR, SetupFlow

from .passphrase_dialog import password_field
from .style import message_label, styled
from .worker import busy_bar, run_busy


class _Page(QWizardPage):
    step = ""

    def __init__(self, flow: SetupFlow, title: str, subtitle: str):
        super().__init__()
        self.flow = flow
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.error = message_label()

    def pull(self) -> None:
        """Copy the widgets' contents into the flow."""

    def validatePage(self) -> bool:
        self.pull()
        problem = self.flow.validate(self.step)
        self.error.setText(problem or "")
        return problem is None


def _busy_rows(form: QFormLayout) -> tuple:
    """A page's bar and its line saying what is under way (both empty until then)."""
    progress, working = busy_bar(), QLabel()
    styled(working, "muted")
    form.addRow(progress)
    form.addRow(working)
    return progress, working


class CommunePage(_Page):
    step = "commune"

    def __init__(self, flow: SetupFlow):
        super().__init__(flow, "Bước 1/4 · Chọn xã, phường",
                         "Gõ tên xã/phường (có hoặc không dấu) hoặc mã số, rồi chọn trong danh sách.")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Ví dụ: gia vien")
        self.search.setAccessibleName("Tìm xã, phường")
        self.list = QListWidget()
        self.list.setAccessibleName("Danh sách xã, phường")
        self.none_found = QLabel()
        self.none_found.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.none_found)
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
        self.none_found.setText(
            f"Không tìm thấy xã, phường nào khớp với “{one_line(text, 40)}”. Hãy gõ ít chữ hơn, "
            "hoặc gõ mã số (ví dụ 14464)." if text.strip() and not self.list.count() else "")

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
        super().__init__(flow, "Bước 2/4 · Cán bộ phụ trách",
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
        super().__init__(flow, "Bước 3/4 · Năm báo cáo",
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
        super().__init__(flow, "Bước 4/4 · Khóa ký và khóa của Sở Y tế",
                         "Mật khẩu bảo vệ khóa ký của xã; được hỏi mỗi lần gửi báo cáo. Hãy ghi "
                         "nhớ: không ai khôi phục được mật khẩu này.")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Mật khẩu khóa ký")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Nhập lại mật khẩu")
        self.hint = QLabel()
        styled(self.hint, "muted")
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
        self.progress, self.working = _busy_rows(form)
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
            self.error.setText(f"Không đọc được {path}: {os_reason(err)}.")
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

    def validatePage(self) -> bool:
        return super().validatePage() and self.wizard().finish_setup()


class WelcomePage(QWizardPage):
    """New profile, or a profile file from another laptop."""

    def __init__(self):
        super().__init__()
        self.setTitle("Chào mừng đến với KH75 Desktop")
        self.setSubTitle("Ứng dụng giúp xã, phường nhập số liệu 24 chỉ tiêu về trẻ em của Kế hoạch "
                         "75/KH-UBND, kiểm tra, in báo cáo và gửi Sở Y tế.")
        self.new = QRadioButton("Thiết lập hồ sơ mới cho xã, phường (khoảng 3 phút)")
        self.move = QRadioButton("Chuyển hồ sơ từ máy khác (có tệp hồ sơ .kh75profile)")
        self.new.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.new)
        layout.addWidget(self.move)
        hint = QLabel("Tệp hồ sơ được tạo ở trang Cài đặt của máy cũ («Xuất hồ sơ để chuyển "
                      "máy»); mật khẩu là mật khẩu khóa ký của xã.")
        hint.setWordWrap(True)
        styled(hint, "muted")
        layout.addWidget(hint)
        layout.addStretch(1)

    def nextId(self) -> int:
        return IMPORT if self.move.isChecked() else COMMUNE


class ImportPage(QWizardPage):
    """Bring a profile file in: the database and the signing key, as they were."""

    def __init__(self):
        super().__init__()
        self.setTitle("Chuyển hồ sơ từ máy khác")
        self.setSubTitle("Chọn tệp hồ sơ và nhập mật khẩu khóa ký của xã.")
        self.path: Path | None = None
        self.file_label = QLabel("Chưa chọn tệp.")
        self.file_label.setWordWrap(True)
        self.choose_btn = QPushButton("Chọn tệp hồ sơ…")
        self.choose_btn.clicked.connect(self.choose)
        self.passphrase = password_field("Mật khẩu khóa ký")
        self.error = message_label()
        form = QFormLayout(self)
        form.addRow(self.choose_btn, self.file_label)
        form.addRow("Mật khẩu:", self.passphrase)
        self.progress, self.working = _busy_rows(form)
        form.addRow(self.error)
        self.setFinalPage(True)

    def nextId(self) -> int:
        return -1

    def choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Tệp hồ sơ", "",
                                                "Hồ sơ KH75 (*.kh75profile);;Mọi tệp (*)")
        if chosen:
            self.set_file(Path(chosen))

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))

    def validatePage(self) -> bool:
        if self.wizard().imported:  # Qt asks again on the way out: done once is enough
            return True
        if self.path is None:
            self.error.setText("Hãy chọn tệp hồ sơ.")
            return False
        return self.wizard().import_profile(self.path, self.passphrase.text())


class DonePage(QWizardPage):
    """The profile is made: the fingerprint to read to Sở Y tế, and what comes next."""

    def __init__(self):
        super().__init__()
        self.setTitle("Đã thiết lập xong")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def nextId(self) -> int:
        return -1  # the last page: "Hoàn tất", as its words say (by id order it led to WELCOME)

    def initializePage(self) -> None:
        # the profile is made: cancelling now would undo nothing, only leave the words unread
        self.wizard().setOption(QWizard.WizardOption.NoCancelButton, True)
        fp = self.wizard().fingerprint
        self.text.setText(
            f"Dấu vân tay khóa ký của xã: <b>{fp}</b><br><br>Hãy gọi Sở Y tế và đọc dãy số này; "
            "Sở Y tế ghi lại để nhận ra các gói báo cáo của xã. Dãy số này cũng có ở trang «Gói "
            "gửi Sở Y tế».<br><br>Bấm «Hoàn tất» để bắt đầu nhập số liệu.")


COMMUNE, OFFICER, YEAR, KEYS, DONE, WELCOME, IMPORT = range(7)


class SetupWizard(QWizard):
    def __init__(self, store, data_dir: Path | None = None, year: int | None = None):
        super().__init__()
        self.store = store
        self.data_dir = Path(data_dir) if data_dir else data_dir_of(store)
        self.fingerprint = ""
        self.imported = False
        self.task = None  # the profile and key being made
        self.flow = SetupFlow() if year is None else SetupFlow(year=year)
        self.setWindowTitle("KH75 Desktop — Thiết lập lần đầu")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.setButtonText(QWizard.WizardButton.CommitButton, "Tạo hồ sơ")
        self.pages = [CommunePage(self.flow), OfficerPage(self.flow), YearPage(self.flow),
                      KeysPage(self.flow)]
        self.pages[-1].setCommitPage(True)  # the profile and key exist after it: no way back
        self.welcome, self.import_page, self.done_page = WelcomePage(), ImportPage(), DonePage()
        self.setPage(WELCOME, self.welcome)
        for page_id, page in zip((COMMUNE, OFFICER, YEAR, KEYS), self.pages, strict=True):
            self.setPage(page_id, page)
        self.setPage(DONE, self.done_page)
        self.setPage(IMPORT, self.import_page)
        self.setStartId(WELCOME)
        self.resize(680, 500)

    def finish_setup(self) -> bool:
        """True once the profile and key are made. Otherwise checks what was typed (a problem
        stays on the keys page) and starts making them in a worker: the wizard's buttons are off
        meanwhile, and it moves on to the last page by itself when they are made."""
        if self.fingerprint:
            return True
        if self.task is not None:
            return False
        for p in self.pages:
            p.pull()
        keys = self.pages[-1]
        problem = self.flow.first_problem()
        keys.error.setText(problem or "")
        if problem:
            return False
        # what was typed when the button was pressed: the fields may not change it meanwhile
        flow, store, data_dir = copy.copy(self.flow), self.store, self.data_dir
        keys.working.setText("Đang tạo hồ sơ và khóa ký (mất vài giây)…")
        buttons = (self.button(b) for b in (QWizard.WizardButton.BackButton,
                                            QWizard.WizardButton.CommitButton,
                                            QWizard.WizardButton.CancelButton))
        self.task = run_busy((keys.passphrase, keys.confirm, keys.key_button, *buttons),
                             keys.progress, lambda: flow.finish(store, data_dir), self._made,
                             self._not_made, after=self._settled)
        return False

    def _made(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        self.next()

    def _not_made(self, message: str) -> None:
        self.pages[-1].error.setText(message)

    def _settled(self) -> None:
        self.task = None
        self.import_page.working.setText("")
        self.pages[-1].working.setText("")

    def reject(self) -> None:
        if self.task is None:  # never closed while the profile is being written
            super().reject()

    def import_profile(self, source: Path, passphrase: str) -> bool:
        """Bring a profile file in over this still-empty profile, in a worker (its decryption
        takes a second or more); the wizard closes by itself once it is in, and the caller
        reopens the profile. True only once it is in."""
        from kh75_desktop.profile_transfer import import_over_empty

        if self.imported or self.task is not None:
            return self.imported
        page, data_dir = self.import_page, self.data_dir
        self.store.engine.dispose()  # the file is replaced: no connection may hold it
        page.error.setText("")
        page.working.setText("Đang mở tệp hồ sơ (mất vài giây)…")
        buttons = (self.button(b) for b in (QWizard.WizardButton.BackButton,
                                            QWizard.WizardButton.FinishButton,
                                            QWizard.WizardButton.CancelButton))
        self.task = run_busy((page.choose_btn, page.passphrase, *buttons), page.progress,
                             lambda: import_over_empty(data_dir, source, passphrase),
                             self._imported, page.error.setText, after=self._settled)
        return False

    def _imported(self, _) -> None:
        self.imported = True
        self.accept()

    def accept(self) -> None:
        if self.currentPage() is self.import_page:
            if not self.imported and not self.import_page.validatePage():
                return
        elif not self.finish_setup():
            return
        super().accept()
