"""Render every main page to PNG offscreen, so the README's pictures are always current."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _settle(timeout_s: float = 30.0) -> None:
    """Let pages that load in the worker finish before the picture is taken."""
    import time

    from PySide6.QtWidgets import QApplication

    from .worker import busy

    end = time.monotonic() + timeout_s
    for _ in range(3):
        QApplication.processEvents()
    while busy() and time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)
    QApplication.processEvents()


def _blocked_value(window) -> None:
    """Type more neonatal deaths than live births, as a hurried officer might: the rule refuses
    it and nothing is saved; the picture shows what the officer sees."""
    from kh75_desktop.numbers_vi import format_number

    editors = {e.element.key: e for e in window.entry.editors}
    births = editors["live_births"].stored
    count = (births.count if births and births.count else 150) + 50
    editor = editors["deaths_neonatal"]
    editor.value.setText(format_number(count))
    editor._changed()
    editor.commit.emit()
    editor.focus_value()


def render_screenshots(data_dir: Path, out: Path, size=(1366, 768)) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kh75_desktop.profile import open_store, require_profile

    from .app import make_app
    from .main_window import MainWindow
    from .wizard import SetupWizard

    app = make_app()
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(data_dir)
    require_profile(store)
    window = MainWindow(store)
    window.resize(*size)
    window.show()
    written = []

    def shot(name: str) -> None:
        for _ in range(3):
            QApplication.processEvents()
        path = out / f"{name}.png"
        window.grab().save(str(path))
        written.append(path)

    from .main_window import PAGES

    for i, (key, _label, _build) in enumerate(PAGES, 1):
        window.show_page(key)
        if key == "entry":
            window.entry.select_indicator(3)
        shot(f"{i:02d}-{key}")
        if key == "entry":
            _blocked_value(window)
            shot("02b-entry-blocked-value")
    window.close()
    with tempfile.TemporaryDirectory() as tmp:
        wizard = SetupWizard(open_store(Path(tmp)))
        wizard.show()
        for name in ("00-setup-wizard", "00a-setup-commune"):
            QApplication.processEvents()
            path = out / f"{name}.png"
            wizard.grab().save(str(path))
            written.append(path)
            wizard.next()
            wizard.pages[0].search.setText("gia vien")
        wizard.close()
    written.append(_recovery_shot(data_dir, out))
    app.processEvents()
    return written


def _recovery_shot(data_dir: Path, out: Path) -> Path:
    """The recovery screen over a copy of the profile whose database was damaged after two
    backups (one daily, one by hand); the profile itself is never touched."""
    from datetime import datetime, timezone

    from kh75_desktop.backup import make_backup
    from kh75_desktop.errors import DatabaseCorrupt
    from kh75_desktop.profile import open_store
    from kh75_desktop.storage.database import DB_FILE_NAME

    from .recovery_dialog import RecoveryDialog

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for reason in ("hang-ngay", "thu-cong"):  # named as the app names them, in that order
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
            make_backup(data_dir, "", folder / "backups" / f"kh75-{stamp}-{reason}.sqlite3")
        (folder / DB_FILE_NAME).write_bytes(b"\0" * 8192)  # the header gone
        try:
            open_store(folder)
            raise AssertionError("a zeroed database must not open")
        except DatabaseCorrupt as err:
            dialog = RecoveryDialog(err, folder)
        return _grab_dialog(dialog, out / "00b-recovery.png")


def render_province_screenshots(data_dir: Path, out: Path, year: int,
                                size=(1366, 768)) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from kh75_desktop.profile import open_store

    from .app import make_app
    from .province.window import ProvinceWindow

    make_app()
    out.mkdir(parents=True, exist_ok=True)
    window = ProvinceWindow(open_store(data_dir), year)
    window.resize(*size)
    window.show()
    written = []
    for i, key in enumerate(window.pages, 1):
        window.show_page(key)
        _settle()
        if key == "measures" and window.measures.table.rowCount():
            window.measures.table.selectRow(2)
            _settle()
        path = out / f"p{i:02d}-{key}.png"
        window.grab().save(str(path))
        written.append(path)
    window.close()
    written.append(_province_setup_shot(out))
    return written


def _province_setup_shot(out: Path) -> Path:
    """Sở Y tế's first-run dialog, over a throwaway empty folder (no key is made)."""
    from kh75_desktop.profile import open_store

    from .province.setup_dialog import ProvinceSetupDialog

    with tempfile.TemporaryDirectory() as tmp:
        return _grab_dialog(ProvinceSetupDialog(open_store(Path(tmp)), Path(tmp)),
                            out / "p00-setup.png")


def _grab_dialog(dialog, path: Path) -> Path:
    """Show a dialog, let it lay out, save its picture, close it."""
    from PySide6.QtWidgets import QApplication

    dialog.show()
    for _ in range(3):
        QApplication.processEvents()
    dialog.grab().save(str(path))
    dialog.close()
    return path
