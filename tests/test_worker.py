"""The page loader: the newest load only, and what it loaded kept out of the collector's walks."""

import gc

from ui.worker import PageLoader, busy_bar


def test_a_page_load_freezes_what_it_loaded(qtbot):
    gc.unfreeze()
    loader = PageLoader(busy_bar())
    shown = []
    loaded = [{"figure": i} for i in range(10_000)]  # long-lived rows, as a page's data
    loader.load(lambda: loaded, shown.append, shown.append)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [loaded]
    assert gc.get_freeze_count() >= len(loaded)  # a full collection no longer walks them
    gc.unfreeze()


def test_only_the_newest_load_is_shown(qtbot):
    loader = PageLoader(busy_bar())
    shown = []
    loader.load(lambda: "old", shown.append, shown.append)
    loader.load(lambda: "new", shown.append, shown.append)
    qtbot.waitUntil(lambda: not loader.loading, timeout=5000)
    assert shown == ["new"]


def test_a_window_start_pauses_the_collector_and_the_shown_window_resumes_it(tmp_path, qapp):
    """ui.launcher.start_window pauses collections for the start; run_app, once the window is
    shown, freezes what the start built and lets the collector run again for the session."""
    from conftest import run_kh75
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import run_app
    from ui.launcher import start_window

    assert run_kh75("demo", data_dir=tmp_path).returncode == 0
    gc.unfreeze()
    seen = {}

    def in_session():
        seen["enabled"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()
        for w in QApplication.topLevelWidgets():
            w.close()
        QApplication.quit()

    try:
        start_window()
        assert not gc.isenabled()
        QTimer.singleShot(500, in_session)
        assert run_app(str(tmp_path)) == 0
    finally:
        gc.enable()
        gc.unfreeze()
    assert seen["enabled"] and seen["frozen"] > 10_000
