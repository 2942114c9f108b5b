"""A window's start, in a process of its own as `kh75` makes it: the collector paused while the
window is built, then the session as usual."""

import json
import os
import subprocess
import sys

from conftest import ROOT, run_kh75

CHILD = """
import gc, json, sys
from ui.launcher import start_window
start_window()
paused_at_start = not gc.isenabled()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui.app import make_app, run_app
from ui.main_window import PRELOADED
seen = {}
import time
deadline = time.monotonic() + 30  # the steps take a turn each after the first paint: on a busy
                                  # 2-core machine more than the half second once waited here

def in_session():
    if [m for m in PRELOADED if m not in sys.modules] and time.monotonic() < deadline:
        QTimer.singleShot(50, in_session)
        return
    windows = [w for w in QApplication.topLevelWidgets() if hasattr(w, "file_receiver")]
    seen.update(enabled=gc.isenabled(), frozen=gc.get_freeze_count(),
                listening=[w.file_receiver.server.isListening() for w in windows],
                parser_ready="babel.numbers" in sys.modules,
                pages_ready=[m for m in PRELOADED if m not in sys.modules],
                built=sorted({k for w in windows for k, page in w.pages.items() if page}))
    for w in QApplication.topLevelWidgets():
        w.close()
    QApplication.quit()

make_app()
QTimer.singleShot(500, in_session)
code = run_app(sys.argv[1])
print(json.dumps(dict(seen, paused_at_start=paused_at_start, code=code)))
"""


def test_the_shown_window_resumes_the_collector_and_listens_for_files(tmp_path):
    """ui.launcher.start_window pauses collections for the start; run_app, once the window is
    shown, freezes what the start built, lets the collector run again for the session and
    listens for the files a later start on the profile hands over; the number parser and the
    other pages' modules are loaded before the officer asks for them."""
    assert run_kh75("demo", data_dir=tmp_path).returncode == 0
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["paused_at_start"] and seen["code"] == 0
    assert seen["enabled"] and seen["frozen"] > 10_000
    assert seen["listening"] == [True]
    assert seen["parser_ready"]
    # what the other pages' first showings load is loaded, and none of them is built yet
    assert seen["pages_ready"] == [] and seen["built"] == ["overview"]


def test_work_after_the_first_paint_waits_for_it_never_delays_it(qtbot):
    """Issue 19: what a shown window does next (resume the collector, listen for files) runs
    after its first paint; a zero timer set at show would run
    before it. A widget never painted still gets its turn (after the fallback)."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QLabel, QMainWindow

    from ui.first_paint import when_painted

    order = []

    class Paints(QObject):
        def eventFilter(self, _obj, event):
            if event.type() == QEvent.Type.UpdateRequest:
                order.append("paint")
            return False

    window = QMainWindow()
    window.setCentralWidget(QLabel("KH75"))
    qtbot.addWidget(window)
    paints = Paints(window)
    window.installEventFilter(paints)
    window.show()
    QTimer.singleShot(0, lambda: order.append("zero timer"))
    when_painted(window, [lambda: order.append("after paint"), lambda: order.append("second")])
    qtbot.waitUntil(lambda: "second" in order, timeout=5000)
    assert order.index("zero timer") < order.index("paint") < order.index("after paint")
    assert order.count("after paint") == 1 and order[-1] == "second"
    # each on a turn of its own, so an event that comes meanwhile waits for one only; and one
    # that fails stops no other
    turns = []

    def fails():
        turns.append("fails")
        raise RuntimeError("a step that fails")

    again = QLabel("again")
    qtbot.addWidget(again)
    again.show()
    when_painted(again, [lambda: (turns.append("one"),
                                  QTimer.singleShot(0, lambda: turns.append("between"))),
                         fails, lambda: turns.append("last")])
    with qtbot.capture_exceptions() as raised:
        qtbot.waitUntil(lambda: "last" in turns, timeout=5000)
    assert turns == ["one", "between", "fails", "last"]
    assert [str(e[1]) for e in raised] == ["a step that fails"]
    hidden = QLabel("never shown")
    qtbot.addWidget(hidden)
    ran = []
    when_painted(hidden, [lambda: ran.append(True)], fallback_ms=50)
    qtbot.waitUntil(lambda: ran == [True], timeout=5000)


def _after_a_window_start(data_dir, report: str) -> str:
    """The last line `report` (Python run once the window is painted) prints, in a process
    started as `kh75` starts one."""
    code = ("import sys\nfrom ui.launcher import main\n"
            "assert main(['--data-dir', sys.argv[1]]) == 0\n" + report)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KH75_EXIT_WHEN_SHOWN="1")
    out = subprocess.run([sys.executable, "-c", code, str(data_dir)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_a_communes_window_starts_light(tmp_path):
    """Issue 19, what a commune's window never does before its first page shows:
    - build the tables only Sở Y tế fills (keys of 129 communes, received versions; some 8 ms);
    - use the ORM: the reads on the way (profile, report status, figures, settings, sent
      packages, comments) go through Core (storage/records.py), as the first ORM query of a
      process configures every mapper and opens a session, some 11 ms;
    - load Babel, whose locale data took 13-15 ms: its numbers are written without it."""
    assert run_kh75("demo", data_dir=tmp_path).returncode == 0
    loaded, configured, babel = _after_a_window_start(tmp_path, (
        "from sqlalchemy import inspect\n"
        "from kh75_desktop.storage.models import Profile\n"
        "storage = ','.join(sorted(m for m in sys.modules if m.startswith('kh75_desktop.storage')))\n"
        "print(storage, inspect(Profile).configured, 'babel' in sys.modules)")).split()
    assert "kh75_desktop.storage.models" in loaded  # the window did read the profile
    assert "province_models" not in loaded
    assert configured == "False" and babel == "False"
