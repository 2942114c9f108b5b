"""The frozen bundle, built by the README's command with Sở Y tế's key built in, into a folder
named like an officer's USB stick (spaces, Vietnamese letters, '#'): its selftest passes there,
a package exported by the frozen app (keyed by the built-in key alone) is accepted by the source
tree's province intake, and its window opens on a real X server."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kh75_desktop.packages.keys import ProvinceKeys, key_fingerprint, parse_public_key
from kh75_desktop.selftest import CORE_CHECKS

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("objdump") is None and sys.platform == "linux",
                                reason="LOUD SKIP: PyInstaller needs binutils' objdump on Linux")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, world_template):
    out = tmp_path_factory.mktemp("bundle") / "Ổ đĩa USB #2"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    key_file = ProvinceKeys(world_template.prov).key_file
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py"), "--dist",
                    str(out / "dist"), "--work", str(out / "build"), "--no-selftest",
                    "--province-key", str(key_file)],
                   check=True, cwd=ROOT, env=env, capture_output=True, timeout=900)
    folder = next((out / "dist").glob("KH75-*"))
    return folder / ("kh75.exe" if os.name == "nt" else "kh75")


def run(exe, *args, env_extra=None, **kwargs):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env,
                          timeout=300, **kwargs)


def test_frozen_selftest_passes_from_a_folder_with_spaces_vietnamese_letters_and_a_hash(
        bundle, world_template, tmp_path):
    """Issue 20: the bundle lies under "Ổ đĩa USB #2", and its scratch folder under a temporary
    folder with such a name too, as a Windows user name can make it."""
    assert "#" in str(bundle) and "Ổ đĩa" in str(bundle)
    scratch = tmp_path / "Thư mục tạm #3"
    scratch.mkdir()
    out = run(bundle, "selftest", env_extra={"TMPDIR": str(scratch), "TEMP": str(scratch),
                                             "TMP": str(scratch)})
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("[ĐẠT]") == len(CORE_CHECKS) + 1 and "tất cả đạt" in out.stdout
    # the window's child process for age's scrypt: the bundle started again as that child
    assert "tiến trình con giải mã khởi động được" in out.stdout
    assert ProvinceKeys(world_template.prov).info().fingerprint in out.stdout
    assert "biểu tượng và bản dịch tiếng Việt của Qt có mặt" in out.stdout
    assert "Traceback" not in out.stderr
    assert "Ổ đĩa USB #" in out.stdout  # the package check wrote and read its file in such a folder
    assert not any(scratch.iterdir())  # and left nothing behind


def test_frozen_export_is_accepted_by_the_source_intake(bundle, world, tmp_path):
    pp = tmp_path / "pp"
    pp.write_text("mat-khau-xa-frozen")
    commune = tmp_path / "frozen-commune"
    made = run(bundle, "--data-dir", str(commune), "demo", "--year", "2026",
               "--passphrase-file", str(pp))
    assert made.returncode == 0, made.stderr
    assert "(đi kèm bộ cài đặt)" in made.stdout
    out = tmp_path / "out"
    out.mkdir()
    exported = run(bundle, "--data-dir", str(commune), "export", "--year", "2026", "--out",
                   str(out), "--passphrase-file", str(pp))
    assert exported.returncode == 0, exported.stderr
    pub = parse_public_key((commune / "keys" / "commune.pub").read_text().splitlines()[1])
    results = world.ingest(list(out.glob("*.kh75")), {"14464": key_fingerprint(pub)})
    assert [r.outcome for r in results] == ["accepted"], results


@pytest.fixture
def x_display():
    """A real X server (Xvfb) on a free display number, for the bundle's X11 platform plugin."""
    if shutil.which("Xvfb") is None:
        pytest.skip("LOUD SKIP: Xvfb is not installed; .ci/run installs it")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24",
                               "-nolisten", "tcp"], pass_fds=(write,), stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.skipif(sys.platform != "linux", reason="the X11 plugin is Linux's")
def test_frozen_window_opens_on_a_real_x_server(bundle, tmp_path, x_display):
    """The pruned bundle still carries everything Qt's xcb plugin links: the window opens on X."""
    profile = tmp_path / "xcb-profile"
    assert run(bundle, "--data-dir", str(profile), "demo", "--year", "2026").returncode == 0
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=x_display, KH75_EXIT_WHEN_SHOWN="1",
               QT_DEBUG_PLUGINS="1")
    shown = subprocess.run([str(bundle), "--data-dir", str(profile)], capture_output=True,
                           text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr[-3000:]
    assert "cannot load" not in shown.stderr


def test_bundle_migrations_are_exactly_the_tracked_ones(bundle):
    """Issue 20: Alembic loads whatever lies in the folder, so it holds the tracked scripts only."""
    shipped_root = bundle.parent / "_internal" / "kh75_desktop" / "storage" / "migrations"
    shipped = sorted(p.relative_to(shipped_root).as_posix()
                     for p in shipped_root.rglob("*") if p.is_file())
    tracked = subprocess.run(["git", "ls-files", "."], capture_output=True, text=True, check=True,
                             cwd=ROOT / "kh75_desktop" / "storage" / "migrations").stdout.split()
    assert shipped == sorted(tracked)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF bundles only")
def test_build_names_the_glibc_the_bundle_needs(bundle):
    """Issue 20: the README's minimum glibc is what the bundle really asks for."""
    sys.path.insert(0, str(ROOT / "packaging"))
    from build import highest_glibc

    version, needer = highest_glibc(bundle.parent)
    assert version >= (2, 17) and (bundle.parent / needer).is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"glibc (\d+\.\d+) or newer", readme)
    assert stated, "README states the bundle's minimum glibc"
    assert tuple(int(n) for n in stated.group(1).split(".")) >= version[:2]
