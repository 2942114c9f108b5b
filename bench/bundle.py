"""bench/bundle: the frozen bundle against a bare frozen floor built by the same PyInstaller in
the same run: a PySide6 window that also imports sqlmodel, shown and closed the way
KH75_EXIT_WHEN_SHOWN closes ours.

    uv run python bench/bundle.py [--runs 7]
Prints, each beside its floor: the bundle's size, its start to the populated main window
(interleaved medians), the frozen `selftest`, and for reference the source tree's start.
Everything runs from a folder named like an officer's USB stick ("Ổ đĩa USB #2").
Targets (issues 8 and 20): size <= 1.0x the bare bundle, frozen start <= 1.3x the bare frozen
window, frozen selftest under 3 s.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

from build import build, executable, folder_size  # noqa: E402

BARE = """
import sys
import sqlmodel
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("KH75")); w.resize(1366, 768); w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], env: dict, runs: int) -> dict[str, float]:
    """Median seconds of each command, run in turn so that load on the machine hits all alike."""
    for cmd in commands.values():  # warm the page cache
        timed(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, env))
    return {name: statistics.median(t) for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KH75_EXIT_WHEN_SHOWN="1")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp) / "Ổ đĩa USB #2"
        folder = build(tmp / "dist", tmp / "build")
        bare_script = tmp / "bare.py"
        bare_script.write_text(BARE, encoding="utf-8")
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir",
                        "--distpath", str(tmp / "bare-dist"), "--workpath", str(tmp / "bare-build"),
                        "--specpath", str(tmp), "--name", "bare", str(bare_script)], check=True,
                       capture_output=True)
        bare_folder = tmp / "bare-dist" / "bare"
        bare, ours = folder_size(bare_folder), folder_size(folder)
        exe = str(executable(folder))
        profile = tmp / "hồ sơ xã"
        subprocess.run([exe, "--data-dir", str(profile), "demo"], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        start = interleaved({
            "bare": [str(executable(bare_folder, "bare"))],
            "frozen": [exe, "--data-dir", str(profile)],
            "source": [sys.executable, "-m", "ui.launcher", "--data-dir", str(profile)],
        }, env, args.runs)
        selftest = interleaved({"bare": [str(executable(bare_folder, "bare"))],
                                "selftest": [exe, "selftest"]}, env, 3)
    print(f"bundle size: {ours / 1e6:.0f} MB; floor (bare PySide6 + sqlmodel window bundle): "
          f"{bare / 1e6:.0f} MB; ratio {ours / bare:.2f}x (target <= 1.0x)")
    print(f"start to main window: frozen {start['frozen'] * 1000:.0f} ms; floor (bare frozen "
          f"window) {start['bare'] * 1000:.0f} ms; ratio {start['frozen'] / start['bare']:.2f}x "
          "(target <= 1.3x)")
    print(f"  for reference, the source tree: {start['source'] * 1000:.0f} ms "
          f"({start['frozen'] / start['source']:.2f}x of it frozen)")
    print(f"frozen selftest: {selftest['selftest']:.2f} s (target < 3 s); "
          f"{selftest['selftest'] / selftest['bare']:.1f}x the bare frozen window's start")


if __name__ == "__main__":
    main()
