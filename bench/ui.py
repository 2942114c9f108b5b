"""bench/ui: (a) start to main window shown and populated, against the stack's import floor;
(b) the longest stall of the event loop while 1,000 keystrokes are typed into entry fields.

(a) runs two child processes, interleaved, each timed from spawn to exit:
  floor: import sqlmodel, then a bare PySide6 QMainWindow shown and painted;
  app:   the real start path (open the profile, build MainWindow, show, paint the overview),
         on a profile with seven years of figures (2020-2026, the years the store accepts).
(b) types 1,000 keystrokes into the entry page's fields in this process, pressing Enter after
    each figure (which validates and saves it to SQLite with synchronous=FULL), and reports the
    longest time one key event kept the event loop busy.

    QT_QPA_PLATFORM=offscreen uv run python bench/ui.py [--runs 10]
Targets (issues 3 and 19): start at most 1.3x the floor; no stall over 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FLOOR = """
import sqlmodel
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("KH75")); w.resize(1366, 768); w.show()
app.processEvents()
"""

APP = """
import sys
from pathlib import Path
from kh75_desktop.profile import open_store
from ui.app import make_app, open_main
app = make_app()
window = open_main(open_store(Path(sys.argv[1])))
app.processEvents()
assert window.overview.completion_big.text()  # populated
"""


def make_profile(folder: Path, years: int = 7) -> None:
    from kh75_desktop.cli import main as kh75
    from kh75_desktop.demo import demo_figures
    from kh75_desktop.profile import open_store

    kh75(["--data-dir", str(folder), "setup", "--commune", "14464", "--officer", "Bench",
          "--year", "2026"])
    store = open_store(folder)
    # the years the store accepts before the one typed (2027): 2020-2026
    for year in range(2027 - years, 2027):
        store.save_figures("14464", year, demo_figures("14464", year), who="bench")


def timed(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_start(folder: Path, runs: int) -> None:
    for _ in range(2):
        timed(FLOOR), timed(APP, str(folder))
    floor, app = [], []
    for _ in range(runs):
        floor.append(timed(FLOOR))
        app.append(timed(APP, str(folder)))
    f, a = statistics.median(floor), statistics.median(app)
    print(f"(a) floor (import sqlmodel + bare PySide6 window): median {f * 1000:.0f} ms")
    print(f"    app start to populated main window:            median {a * 1000:.0f} ms")
    print(f"    ratio app/floor: {a / f:.2f}x (target <= 1.30x)")


def bench_typing(folder: Path, keystrokes: int = 1000, key_interval_ms: int = 15) -> None:
    """Type through the event loop, as a person would, while a 2 ms heartbeat timer measures
    the longest gap in which the loop could not run it: that gap is the stall the officer feels."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kh75_desktop.profile import open_store
    from ui.app import make_app
    from ui.main_window import MainWindow

    make_app()
    store = open_store(folder)
    reference = store.figures("14464", 2026)
    store.save_profile(current_year=2027)  # an empty year: every figure typed is new
    window = MainWindow(store)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)  # keys sent to an inactive window are dropped
    window.show_page("entry")
    window.entry.select_indicator(1)
    window.entry.editors[0].focus_value()
    loop = QEventLoop()
    beats: list[float] = []
    typed = 0

    def next_key() -> None:
        nonlocal typed
        if typed >= keystrokes:
            typer.stop()
            loop.quit()
            return
        widget = QApplication.focusWidget()
        editor = next((e for e in window.entry.editors if widget in (e.value, e.explanation)),
                      None)
        if editor is not None and editor.element.kind == "yesno":
            if not editor.value.currentData():
                QTest.keyClick(widget, "c")  # first letter picks "Có"
            else:
                QTest.keyClick(widget, Qt.Key.Key_Return)
        elif editor is None:
            QTest.keyClick(widget, Qt.Key.Key_Return)
        else:
            target = str(reference[editor.element.key].count)
            text = widget.text() if hasattr(widget, "text") else ""
            if text.replace(".", "") == target:
                QTest.keyClick(widget, Qt.Key.Key_Return)
            else:
                QTest.keyClick(widget, target[len(text.replace(".", ""))])
        typed += 1

    heartbeat = QTimer()
    heartbeat.setInterval(2)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    typer = QTimer()
    typer.setInterval(key_interval_ms)
    typer.timeout.connect(next_key)
    heartbeat.start()
    typer.start()
    loop.exec()
    heartbeat.stop()
    gaps = sorted(b - a for a, b in zip(beats, beats[1:], strict=False))
    saved = len(store.figures("14464", 2027))
    print(f"(b) {typed} keystrokes typed through the event loop, {saved} figures saved")
    print(f"    longest event-loop stall: {gaps[-1] * 1000:.1f} ms (target <= 50 ms); "
          f"p99 gap {gaps[int(len(gaps) * 0.99)] * 1000:.1f} ms over {len(gaps)} heartbeats")
    window.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_profile(folder)
        bench_start(folder, args.runs)
        bench_typing(folder)


if __name__ == "__main__":
    main()
