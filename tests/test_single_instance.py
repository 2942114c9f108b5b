"""A file opened while the app already runs on the profile goes to the running window: a second
process hands the path over a local socket instead of opening a second window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ui.single_instance import FileReceiver

ROOT = Path(__file__).resolve().parent.parent


def test_a_second_process_hands_its_file_to_the_first(qtbot, tmp_path):
    folder = tmp_path / "hồ sơ #1"
    folder.mkdir()
    received: list[Path] = []
    receiver = FileReceiver(folder, received.append)
    assert receiver.listening
    package = tmp_path / "phản hồi.kh75"
    package.write_bytes(b"x")
    code = ("import sys; from pathlib import Path; from PySide6.QtCore import QCoreApplication; "
            "app = QCoreApplication([]); from ui.single_instance import send_to_running; "
            "sys.exit(0 if send_to_running(Path(sys.argv[1]), Path(sys.argv[2])) else 3)")
    sender = subprocess.Popen([sys.executable, "-c", code, str(folder), str(package)], cwd=ROOT)
    qtbot.waitUntil(lambda: sender.poll() is not None and bool(received), timeout=20000)
    assert sender.returncode == 0 and received == [package.resolve()]
    other = subprocess.run([sys.executable, "-c", code, str(tmp_path / "khác"), str(package)],
                           cwd=ROOT, timeout=60)
    assert other.returncode == 3  # no app on that profile: the caller opens a window itself
