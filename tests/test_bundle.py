"""The frozen bundle, built by the README's command: its selftest passes, and a package exported
by the frozen app is accepted by the source tree's province intake."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from world import PROVINCE_PASS

from kh75_desktop.packages.keys import key_fingerprint, parse_public_key

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("objdump") is None and sys.platform == "linux",
                                reason="LOUD SKIP: PyInstaller needs binutils' objdump on Linux")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--dist",
                    str(out / "dist"), "--work", str(out / "build"), "--no-selftest"],
                   check=True, cwd=ROOT, env=env, capture_output=True, timeout=900)
    folder = next((out / "dist").glob("KH75-*"))
    return folder / ("kh75.exe" if os.name == "nt" else "kh75")


def run(exe, *args, **kwargs):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                          timeout=300, **kwargs)


def test_frozen_selftest(bundle):
    out = run(bundle, "selftest")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("[ĐẠT]") == 6 and "tất cả đạt" in out.stdout
    assert "Traceback" not in out.stderr


def test_frozen_export_is_accepted_by_the_source_intake(bundle, world, tmp_path):
    key_file = world.prov / "keys" / "so-y-te-ninh-binh.kh75key"
    pp = tmp_path / "pp"
    pp.write_text("mat-khau-xa-frozen")
    commune = tmp_path / "frozen-commune"
    made = run(bundle, "--data-dir", str(commune), "demo", "--year", "2026", "--province-key",
               str(key_file), "--passphrase-file", str(pp))
    assert made.returncode == 0, made.stderr
    out = tmp_path / "out"
    out.mkdir()
    exported = run(bundle, "--data-dir", str(commune), "export", "--year", "2026", "--out",
                   str(out), "--passphrase-file", str(pp))
    assert exported.returncode == 0, exported.stderr
    pub = parse_public_key((commune / "keys" / "commune.pub").read_text().splitlines()[1])
    results = world.ingest(list(out.glob("*.kh75")), [key_fingerprint(pub)])
    assert [r.outcome for r in results] == ["accepted"], results
    assert PROVINCE_PASS
