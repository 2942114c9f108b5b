"""README's exchange, run as written, line by line, in an empty folder: each line through bash
with `kh75` meaning this checkout's command. Only the fingerprint in the enrol line is replaced,
by the one `kh75 keys` printed, as the officer would read it out."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_exchange() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("### The exchange, end to end", 1)[1].split("```\n", 2)[1]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_exchange_runs_as_written(tmp_path):
    kh75 = f"{shlex.quote(sys.executable)} -m ui.launcher"
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    fingerprint = None
    outputs = []
    lines = readme_exchange()
    assert len(lines) >= 12
    for line in lines:
        if fingerprint and "--fingerprint" in line:
            line = re.sub(r'--fingerprint "[^"]*"', f'--fingerprint "{fingerprint}"', line)
        out = subprocess.run(["bash", "-c", f"kh75() {{ {kh75} \"$@\"; }}\n{line}"],
                             cwd=tmp_path, env=env, capture_output=True, text=True,
                             encoding="utf-8", timeout=180)
        outputs.append(out.stdout + out.stderr)
        expected = 3 if " ingest " in line else 0  # 3: some packages wait for a key
        assert out.returncode == expected, f"{line}\n{out.stdout}\n{out.stderr}"
        found = re.search(r"Khóa ký của xã/phường — dấu vân tay: ([\d ]+)", out.stdout)
        if found:
            fingerprint = found.group(1).strip()
    assert fingerprint is not None
    assert any("phiên bản 2" in o for o in outputs[-1:])
    assert (tmp_path / "outbox").is_dir()
