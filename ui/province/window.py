"""Sở Y tế's main window: intake, communes, measures, feedback and exports, one page each."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.packages.keys import ProvinceKeys
from kh75_desktop.packages.open_signing_key import OpenSigningKey
from kh75_desktop.packages.province_side import require_province, scope_communes
from kh75_desktop.profile import data_dir_of

from ..passphrase_dialog import ask_passphrase
from ..style import styled
from .communes_page import CommunesPage
from .exports_page import ExportsPage
from .feedback_page import FeedbackPage
from .intake_page import IntakePage
from .measures_page import MeasuresPage

SWITCH_WAIT_MS = 100  # under a tenth of a second a page change still reads as instant


class ProvinceWindow(QMainWindow):
    def __init__(self, store, year: int):
        super().__init__()
        require_province(store)
        self.store = store
        self.data_dir = data_dir_of(store)
        self.year = year
        self.identity = None
        self.signing = OpenSigningKey()  # open between feedback packages, for a while
        units = scope_communes(store)
        self.commune_names = {c.code: c.name for c in units}
        self.nav = QListWidget()
        styled(self.nav, "nav")
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        self.intake = IntakePage(self)
        self.communes = CommunesPage(self)
        self.measures = MeasuresPage(self)
        self.feedback = FeedbackPage(self)
        self.exports = ExportsPage(self)
        self.pages = {"intake": ("Nhận gói", self.intake),
                      "communes": ("Các xã, phường", self.communes),
                      "measures": ("Chỉ tiêu toàn tỉnh", self.measures),
                      "feedback": ("Phản hồi", self.feedback),
                      "exports": ("Xuất báo cáo", self.exports)}
        for label, page in self.pages.values():
            self.nav.addItem(label)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self._show)
        self.year_box = QComboBox()
        for y in range(2025, 2031):
            self.year_box.addItem(f"Năm {y}", y)
        self.year_box.setCurrentIndex(self.year_box.findData(year))
        self.year_box.currentIndexChanged.connect(lambda i: self.set_year(self.year_box.itemData(i)))
        self.heading = QLabel()
        styled(self.heading, "pageTitle")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Năm báo cáo:"))
        top.addWidget(self.year_box)
        right = QVBoxLayout()
        right.setContentsMargins(4, 8, 0, 0)
        right.addLayout(top)
        right.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 8, 8)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        try:
            fp = ProvinceKeys(self.data_dir).info().fingerprint
            self.statusBar().showMessage(f"Dấu vân tay khóa của Sở Y tế: {fp}")
        except KH75Error:
            pass
        self.resize(1366, 768)
        self._title()
        self.nav.setCurrentRow(0)

    def closeEvent(self, event) -> None:
        self.signing.lock()  # never left open for whoever opens the window next
        super().closeEvent(event)

    def _title(self) -> None:
        self.heading.setText(f"Sở Y tế tỉnh Ninh Bình — năm {self.year}")
        self.setWindowTitle(f"KH75 Desktop — Sở Y tế — năm {self.year}")

    def _show(self, row: int) -> None:
        """The page chosen, with its data: a page that loads in the worker comes up once its
        rows are in (or after SWITCH_WAIT_MS, with its busy bar), never first with the rows it
        showed before. Painting those while the worker reads also slowed the worker: every
        table cell painted is a Python call waiting for the lock the worker holds."""
        page = self.stack.widget(row)
        page.refresh()
        loader = getattr(page, "loader", None)
        if loader is None or not loader.loading:
            self.stack.setCurrentIndex(row)
            return
        loader.when_shown(lambda: self.nav.currentRow() == row and
                          self.stack.setCurrentIndex(row), SWITCH_WAIT_MS)

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(list(self.pages).index(key))

    def set_year(self, year: int) -> None:
        self.year = year
        self._title()
        self.stack.currentWidget().refresh()

    def data_changed(self) -> None:
        self.stack.currentWidget().refresh()

    def identity_source(self):
        """What gives a worker the age identity: the one unlocked this session, or one
        unlocking it with the passphrase asked now (scrypt, a second or more: in the worker, in
        a child process, so the window keeps moving). None if the officer cancels."""
        if self.identity is not None:
            identity = self.identity
            return lambda: identity
        passphrase = ask_passphrase(self, "Mở khóa giải mã", "Mật khẩu giải mã gói của Sở Y tế:")
        if passphrase is None:
            return None
        keys = ProvinceKeys(self.data_dir)

        def unlock():
            # kept for the session; set from the worker, read on the window's thread only after
            # the work it was unlocked for is done
            self.identity = keys.unlock_identity(passphrase)
            return self.identity

        return unlock
