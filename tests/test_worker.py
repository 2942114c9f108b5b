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

