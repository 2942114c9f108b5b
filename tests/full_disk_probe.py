"""Run inside a private mount namespace on a small tmpfs (see test_safety): fill the disk under a
real profile and report what the officer is told, as JSON on stdout."""

import json
import os
import subprocess
import sys
from pathlib import Path

disk = Path(sys.argv[1])
folder = disk / "KH75"


def kh75(*args):
    out = subprocess.run([sys.executable, "-m", "ui.launcher", "--data-dir", str(folder), *args],
                         capture_output=True, text=True, encoding="utf-8",
                         env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    return {"code": out.returncode, "err": out.stderr.strip(), "out": out.stdout.strip()}


report = {"demo": kh75("demo", "--year", "2026")}
filler = disk / "filler.bin"
with filler.open("wb") as fh:
    try:
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()
    except OSError:
        pass
try:
    with filler.open("ab") as fh:  # the last few bytes too
        while True:
            fh.write(b"\0" * 512)
            fh.flush()
except OSError:
    pass
report["status_full"] = kh75("status")
report["set_full"] = kh75("set", "live_births", "401", "--explanation", "thử")
sys.path.insert(0, os.getcwd())
try:
    from kh75_desktop.instance_lock import InstanceLock

    (folder / "kh75.lock").unlink(missing_ok=True)
    InstanceLock(folder).acquire()
    report["lock_full"] = "acquired"
except Exception as err:  # noqa: BLE001 - what the window would show
    report["lock_full"] = f"{type(err).__name__}: {getattr(err, 'message', err)}"
filler.unlink()
report["status_freed"] = kh75("status", "--json")
print(json.dumps(report, ensure_ascii=False))
