"""bench/bundle: the bundle's size against a bare PySide6 window bundled by the same PyInstaller
in the same run, and its start to the main window against the source tree's.

    uv run python bench/bundle.py
Targets (issue 8): size at most 1.0x the bare bundle; start at most 1.3x the source tree's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

from build import build, folder_size  # noqa: E402

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("KH75")); w.show()
"""


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KH75_EXIT_WHEN_SHOWN="1")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = build(tmp / "dist", tmp / "build")
        bare_script = tmp / "bare.py"
        bare_script.write_text(BARE)
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir",
                        "--distpath", str(tmp / "bare-dist"), "--workpath", str(tmp / "bare-build"),
                        "--specpath", str(tmp), "--name", "bare", str(bare_script)], check=True,
                       capture_output=True)
        bare = folder_size(tmp / "bare-dist" / "bare")
        ours = folder_size(folder)
        profile = tmp / "profile"
        subprocess.run([str(folder / "kh75"), "--data-dir", str(profile), "demo"], check=True,
                       env=env, stdout=subprocess.DEVNULL)
        frozen_cmd = [str(folder / "kh75"), "--data-dir", str(profile)]
        source_cmd = [sys.executable, "-m", "ui.launcher", "--data-dir", str(profile)]
        for _ in range(2):
            timed(frozen_cmd, env), timed(source_cmd, env)
        frozen, source = [], []
        for _ in range(5):
            frozen.append(timed(frozen_cmd, env))
            source.append(timed(source_cmd, env))
    f, s = statistics.median(frozen), statistics.median(source)
    print(f"bundle size: {ours / 1e6:.0f} MB; bare PySide6 window bundle: {bare / 1e6:.0f} MB; "
          f"ratio {ours / bare:.2f}x (target <= 1.0x)")
    print(f"start to main window: frozen {f * 1000:.0f} ms, source tree {s * 1000:.0f} ms; "
          f"ratio {f / s:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
