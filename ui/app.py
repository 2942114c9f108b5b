"""Start the window: the Qt application, the profile, then the setup wizard or the main window."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from kh75_desktop.errors import KH75Error
from kh75_desktop.paths import data_dir as resolve_data_dir
from kh75_desktop.profile import data_dir_of, open_store

from .style import apply_style


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("KH75 Desktop")
    app.setOrganizationName("KH75")
    apply_style(app)
    return app


def open_main(store, parent=None):
    """The setup wizard on an empty profile, then the main window; returns the window shown."""
    from .main_window import MainWindow
    from .wizard import SetupWizard

    profile = store.profile()
    if profile is None or not profile.ward_code:
        wizard = SetupWizard(store, data_dir_of(store))
        if wizard.exec() != SetupWizard.DialogCode.Accepted:
            return None
    window = MainWindow(store)
    window.show()
    return window


def run_app(data_dir: str | None, argv: list[str] | None = None) -> int:
    app = make_app(argv)
    try:
        store = open_store(resolve_data_dir(data_dir))
    except KH75Error as err:
        QMessageBox.critical(None, "KH75 Desktop", err.message)
        return 2
    window = open_main(store)
    if window is None:
        return 0
    return app.exec()


def run_province_app(data_dir: str | None) -> int:
    from datetime import date

    from kh75_desktop.packages.province_side import require_province

    from .province.window import ProvinceWindow

    app = make_app()
    try:
        store = open_store(resolve_data_dir(data_dir, province=True))
        require_province(store)
    except KH75Error as err:
        QMessageBox.critical(None, "KH75 Desktop — Sở Y tế", err.message)
        return 2
    window = ProvinceWindow(store, date.today().year)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app(None))
