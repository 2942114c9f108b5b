"""bench/startup: process start to `kh75 status --json` output, against the stack's import floor.

Both are measured in the same run, interleaved, so machine noise hits them alike:
  floor:  python -c "import sqlmodel"
  status: kh75 --data-dir D status --json   (on a demo profile with four years of figures)
Reports medians and the ratio status/floor. Targets: 1.3x (issue 2), 1.15x (issue 19).
A second floor freezes the heap before exit as `kh75` does (cli.finish_process), so the
share of the ratio that comes from skipping shutdown's garbage collections shows:
  frozen floor: python -c "import sqlmodel, gc; gc.freeze()"

    uv run python bench/startup.py [--runs 30]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    kh75 = shutil.which("kh75", path=str(Path(sys.executable).parent)) or "kh75"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([kh75, "--data-dir", tmp, "demo", "--year", "2026"], check=True,
                       stdout=subprocess.DEVNULL)
        floor_cmd = [sys.executable, "-c", "import sqlmodel"]
        status_cmd = [kh75, "--data-dir", tmp, "status", "--year", "2026", "--json"]
        frozen_cmd = [sys.executable, "-c", "import sqlmodel, gc; gc.freeze()"]
        for _ in range(3):  # warm the page cache
            timed(floor_cmd), timed(frozen_cmd), timed(status_cmd)
        floor, frozen, status = [], [], []
        for _ in range(args.runs):
            floor.append(timed(floor_cmd))
            frozen.append(timed(frozen_cmd))
            status.append(timed(status_cmd))
    f, z, s = statistics.median(floor), statistics.median(frozen), statistics.median(status)
    print(f"import floor (python -c 'import sqlmodel'): median {f * 1000:.0f} ms over {args.runs}")
    print(f"frozen floor (the same, gc.freeze() at end): median {z * 1000:.0f} ms")
    print(f"kh75 status --json:                          median {s * 1000:.0f} ms over {args.runs}")
    print(f"ratio status/floor: {s / f:.2f}x (target <= 1.15x, issue 19); "
          f"status/frozen floor: {s / z:.2f}x")


if __name__ == "__main__":
    main()
