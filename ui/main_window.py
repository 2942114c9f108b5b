"""The main window: side navigation, one page per concern, commune and year in the title.

Only the overview is built for the first window; every other page is built the first time it is
shown or asked for, so the window appears fast. What those pages import (keys, crypto, reports)
is loaded once the window is painted, a module a turn (page_preparations), so a page's first
showing does not wait for it either.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
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

from kh75_desktop.reporting_period import working_year
from kh75_desktop.setup_flow import MAX_YEAR, MIN_YEAR

from .pages.overview_page import OverviewPage
from .style import styled


def _entry(window):
    from .pages.entry_page import EntryPage

    return EntryPage(window)


# What the other pages load the first time they are shown: imported after the window is painted,
# one module a turn (the heaviest dependencies first, so no turn holds them all). A page's first
# showing took 100-180 ms, nearly all of it these imports (minisign and cryptography for the
# packages, reports and settings pages).
PRELOADED = ("ui.pages.entry_page", "cryptography.hazmat.primitives.serialization", "minisign",
             "kh75_desktop.packages.commune_side", "ui.pages.contacts_page",
             "ui.pages.packages_page", "ui.pages.reports_page", "ui.pages.settings_page")


def page_preparations() -> list:
    """What the pages' first showings would load on the officer's click, as steps for the turns
    of the event loop after the window is painted: their modules (PRELOADED), and the Python
    enums PySide6 makes the first time a scroll area and a style-sheet style are touched (76 of
    them, some 600 values, 35 ms of the entry page's first showing). Nothing is built: a page
    is still made, and reads its data, when it is first shown."""
    def scroll_area() -> None:
        from PySide6.QtWidgets import QScrollArea

        area = QScrollArea()
        area.viewport()
        area.deleteLater()

    def style() -> None:  # as a figure's field is restyled for its state (FigureEditor)
        from PySide6.QtWidgets import QLineEdit

        field = QLineEdit()
        field.setStyleSheet("QLineEdit { border: 1px solid #d5dde8; }")  # its style-sheet style
        field.style().unpolish(field)
        field.style().polish(field)
        field.deleteLater()

    imports = [lambda name=name: import_module(name) for name in PRELOADED]
    return [imports[0], scroll_area, style, *imports[1:]]


def _contacts(window):
    from .pages.contacts_page import ContactsPage

    return ContactsPage(window)


def _packages(window):
    from .pages.packages_page import PackagesPage

    return PackagesPage(window)


def _reports(window):
    from .pages.reports_page import ReportsPage

    return ReportsPage(window)


def _settings(window):
    from .pages.settings_page import SettingsPage

    return SettingsPage(window)


# key, label in the navigation, builder (None: built with the window)
PAGES = (("overview", "Tổng quan", None),
         ("entry", "Nhập số liệu", _entry),
         ("contacts", "Danh bạ", _contacts),
         ("packages", "Gói gửi Sở Y tế", _packages),
         ("reports", "Báo cáo, in ấn", _reports),
         ("settings", "Cài đặt, sao lưu", _settings))


def _lazy(key: str) -> property:
    return property(lambda self: self.page(key))


class MainWindow(QMainWindow):
    year_changed = Signal(int)

    def __init__(self, store, profile=None):
        super().__init__()
        self.store = store
        self.profile = profile or store.profile()
        # the year last worked on, moved on once Sở Y tế accepted it and its deadline passed
        self.year = working_year(store, self.profile, date.today())
        self.nav = QListWidget()
        styled(self.nav, "nav")
        self.nav.setFixedWidth(190)
        self.nav.setAccessibleName("Điều hướng")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}  # the pages built so far
        self.overview = OverviewPage(self)
        for key, label, _build in PAGES:
            self.nav.addItem(label)
            self.stack.addWidget(self.overview if key == "overview" else QWidget())
        self.pages["overview"] = self.overview
        self.nav.currentRowChanged.connect(self._show_page)

        self.year_box = QComboBox()
        self.year_box.setAccessibleName("Năm báo cáo")
        for y in range(MIN_YEAR, MAX_YEAR + 1):
            self.year_box.addItem(f"Năm {y}", y)
        self.year_box.setCurrentIndex(self.year - MIN_YEAR)
        self.year_box.currentIndexChanged.connect(
            lambda i: self.set_year(self.year_box.itemData(i)))
        top = QHBoxLayout()
        self.heading = QLabel()
        styled(self.heading, "pageTitle")
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Năm báo cáo:"))
        top.addWidget(self.year_box)
        right = QVBoxLayout()
        right.addLayout(top)
        right.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 8, 8)
        right.setContentsMargins(4, 8, 0, 0)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self.update_status_line()
        for i in range(self.nav.count()):
            QShortcut(QKeySequence(f"Alt+{i + 1}"), self, activated=lambda i=i: self.nav.setCurrentRow(i))
        self.resize(1366, 768)
        self._update_title()
        self.nav.setCurrentRow(0)

    entry = _lazy("entry")
    contacts = _lazy("contacts")
    packages = _lazy("packages")
    reports = _lazy("reports")
    settings = _lazy("settings")

    def page(self, key: str) -> QWidget:
        """The page `key`, built (in place of its empty placeholder) on first use."""
        page = self.pages.get(key)
        if page is None:
            row = [k for k, _label, _build in PAGES].index(key)
            page = PAGES[row][2](self)
            self.pages[key] = page
            placeholder = self.stack.widget(row)
            current = self.stack.currentIndex()
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
        return page

    def _update_title(self) -> None:
        text = f"{self.profile.ward_name} — năm {self.year}"
        self.setWindowTitle(f"KH75 Desktop — {text}")
        self.heading.setText(text)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self.flush()
        page = self.page(PAGES[row][0])
        self.stack.setCurrentIndex(row)
        if hasattr(page, "refresh"):
            page.refresh()

    def update_status_line(self) -> None:
        self.statusBar().showMessage(f"Cán bộ: {self.profile.officer}  ·  {self.profile.phone}")

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow([k for k, _label, _build in PAGES].index(key))

    def set_year(self, year: int) -> None:
        if year == self.year:
            return
        self.flush()
        self.year = year
        self.profile = self.store.save_profile(current_year=year)
        if self.year_box.currentData() != year:
            self.year_box.setCurrentIndex(year - MIN_YEAR)
        self._update_title()
        self.year_changed.emit(year)
        page = self.stack.currentWidget()
        if hasattr(page, "refresh"):
            page.refresh()

    def flush(self) -> None:
        """Save whatever is typed but not yet saved (in the pages built so far)."""
        if "entry" in self.pages:
            self.pages["entry"].flush()
        if "reports" in self.pages:
            self.pages["reports"].narrative.save_pending()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()
        from kh75_desktop.backup import backup_at_close
        from kh75_desktop.errors import KH75Error
        from kh75_desktop.profile import data_dir_of

        try:
            backup_at_close(data_dir_of(self.store))  # today's edits kept beyond this session
        except KH75Error:
            pass  # a full disk must not keep the window open; the figures are saved already
        super().closeEvent(event)
