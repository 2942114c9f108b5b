"""Start the window: the Qt application, the profile, then the setup wizard or the main window."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from kh75_desktop.errors import KH75Error
from kh75_desktop.paths import data_dir as resolve_data_dir
from kh75_desktop.profile import data_dir_of, open_store

from .first_paint import when_painted
from .style import apply_style


def make_app(argv: list[str] | None = None) -> QApplication:
    # A table repaint calls its Python model hundreds of times, and each call waits for the GIL
    # while a worker computes: at the default 5 ms switch interval a repaint froze the window
    # for 280 ms (bench/province); at 1 ms, 30 ms.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("KH75 Desktop")
    app.setOrganizationName("KH75")
    apply_style(app)
    return app


def resume_collector() -> None:
    """The garbage collector running again after a start that paused it (ui.launcher's
    start_window); what the start built, long-lived nearly all of it, is frozen out of every
    later collection's walk, which keeps a full collection short while the officer types."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def settle_when_shown(window, folder: Path, handler, prepare=()) -> None:
    """Once the shown window has been painted: the collector resumed (resume_collector), and
    the window taking the files a later start on its profile hands over to `handler`, the
    number parser loaded for the first figure typed, then the `prepare` steps (what a page's
    first showing would load), each on a turn of its own. The first two ran before the first
    paint, which waited 8 ms for them (QtNetwork alone takes 7 ms to load).
    Smoke tests and benches (KH75_EXIT_WHEN_SHOWN) quit as soon as the window is painted."""

    def listen() -> None:
        from .single_instance import FileReceiver

        window.file_receiver = FileReceiver(folder, handler, window)

    if os.environ.get("KH75_EXIT_WHEN_SHOWN"):
        when_painted(window, [QApplication.instance().quit])
    else:
        from kh75_desktop.numbers_vi import prepare_parsing

        when_painted(window, [resume_collector, listen, prepare_parsing, *prepare])


def open_main(store, parent=None):
    """The setup wizard on an empty profile, then the main window; returns the window shown."""
    from .main_window import MainWindow

    profile = store.profile()
    if profile is None or not profile.ward_code:
        from .wizard import SetupWizard

        resume_collector()  # the wizard waits for the officer
        wizard = SetupWizard(store, data_dir_of(store))
        if wizard.exec() != SetupWizard.DialogCode.Accepted:
            return None
        if wizard.imported:  # a profile moved from another laptop: open it (and migrate it)
            store = open_store(data_dir_of(store))
        profile = None  # the wizard wrote it: read it again
    window = MainWindow(store, profile)
    window.show()
    return window


def open_checked(folder, title: str):
    """Open the profile; when its database is damaged, empty or gone, the recovery screen (every
    backup by date and content) instead of a crash or a fresh profile."""
    from kh75_desktop.errors import DatabaseCorrupt

    try:
        return open_store(folder)
    except DatabaseCorrupt as err:
        from .recovery_dialog import RecoveryDialog

        recovery = RecoveryDialog(err, err.folder or Path(folder), title)
        if recovery.exec() != RecoveryDialog.DialogCode.Accepted:
            return None
        return open_checked(folder, title)
    except KH75Error as err:
        QMessageBox.critical(None, title, err.message)
        return None


def open_package(data_dir: str | None, path: Path) -> int:
    """A .kh75 file double-clicked: a commune's report goes to Sở Y tế's intake, Sở Y tế's
    feedback to the commune's import; anything else is refused in words, not opened."""
    from kh75_desktop.packages.container import package_kind
    from kh75_desktop.storage.database import DB_FILE_NAME

    kind = package_kind(path)
    if kind == "submission":
        if (resolve_data_dir(data_dir, province=True) / DB_FILE_NAME).exists() or data_dir:
            return run_province_app(data_dir, open_file=path)
        make_app()
        QMessageBox.information(None, "KH75 Desktop", f"{path.name} là gói báo cáo của một xã, "
                                "gửi Sở Y tế; máy này chưa có hồ sơ Sở Y tế để nhận gói. Hãy "
                                "gửi tệp này cho Sở Y tế.")
        return 2
    if kind is None:
        make_app()
        QMessageBox.warning(None, "KH75 Desktop", f"{path.name} không phải gói KH75 đọc được "
                            "(có thể bị hỏng hoặc chưa tải xong).")
        return 2
    return run_app(data_dir, open_file=path)


def run_app(data_dir: str | None, argv: list[str] | None = None,
            open_file: Path | None = None) -> int:
    from kh75_desktop.backup import ensure_daily_backup
    from kh75_desktop.instance_lock import InstanceLock

    app = make_app(argv)
    folder = resolve_data_dir(data_dir)
    lock = InstanceLock(folder)
    try:
        lock.acquire()
    except KH75Error as err:
        from .single_instance import send_to_running

        if open_file is None or not send_to_running(folder, open_file):
            QMessageBox.information(None, "KH75 Desktop", err.message)
        return 0  # the running window took the file
    try:
        store = open_checked(folder, "KH75 Desktop")
        if store is None:
            return 2
        try:
            ensure_daily_backup(folder)
        except KH75Error as err:  # a full disk must not keep the officer out of the figures
            QMessageBox.warning(None, "KH75 Desktop", err.message)
        window = open_main(store)
        if window is None:
            return 0

        def take_feedback(path: Path) -> None:  # a .kh75 double-clicked: Sở Y tế's feedback
            window.show_page("packages")
            window.raise_()
            window.activateWindow()
            window.packages.import_feedback(path)

        from .main_window import page_preparations

        # later double-clicks: feedback
        settle_when_shown(window, folder, take_feedback, page_preparations())
        if open_file is not None:
            take_feedback(open_file)
        return app.exec()
    finally:
        resume_collector()
        lock.release()


def run_province_app(data_dir: str | None, open_file: Path | None = None) -> int:
    from datetime import date

    from kh75_desktop.instance_lock import InstanceLock
    from kh75_desktop.packages.province_side import require_province

    from .province.window import ProvinceWindow

    app = make_app()
    folder = resolve_data_dir(data_dir, province=True)
    lock = InstanceLock(folder)
    try:
        lock.acquire()
    except KH75Error as err:
        from .single_instance import send_to_running

        if open_file is None or not send_to_running(folder, open_file):
            QMessageBox.information(None, "KH75 Desktop — Sở Y tế", err.message)
        return 0
    try:
        store = open_checked(folder, "KH75 Desktop — Sở Y tế")
        if store is None:
            return 2
        profile = store.profile()
        if profile is None or not profile.ward_code:  # a new folder: set Sở Y tế up here
            from .province.setup_dialog import ProvinceSetupDialog

            resume_collector()  # the dialog waits for the officer
            setup = ProvinceSetupDialog(store, folder)
            if setup.exec() != ProvinceSetupDialog.DialogCode.Accepted:
                return 0
            if setup.imported:  # moved from the old computer: open it (and migrate it)
                store = open_store(folder)
        try:
            require_province(store)
        except KH75Error as err:
            QMessageBox.critical(None, "KH75 Desktop — Sở Y tế", err.message)
            return 2
        window = ProvinceWindow(store, date.today().year)
        window.show()

        def take_in(path: Path) -> None:  # a commune's package double-clicked: take it in
            window.show_page("intake")
            window.raise_()
            window.activateWindow()
            window.intake.start([path])

        settle_when_shown(window, folder, take_in)  # later double-clicks: packages
        if open_file is not None:
            take_in(open_file)
        return app.exec()
    finally:
        resume_collector()
        lock.release()


if __name__ == "__main__":
    sys.exit(run_app(None))
