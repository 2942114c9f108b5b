"""The Windows installer, compiled by the stock Inno Setup compiler and run under Wine.

kh75.iss is compiled by an unmodified ISCC.exe (Inno Setup 6.4.1, from the npm package that
ships its binaries) over a stand-in bundle in a folder named like a USB stick, then the setup
it makes is run silently in a Wine prefix: refused on Windows 7 in Vietnamese, installed per
user on Windows 10, upgraded over with a file the new bundle dropped, and uninstalled, the
profile's folder kept. Wine is not Windows 10/11: the checklist in packaging/windows/README.md
is still run on a real laptop before a release; this proves the script compiles and that its
rules (per user, minimum version, a clean _internal on upgrade, data kept) do what they say.
Skipped, loudly, only where Wine or the compiler is truly absent; .ci/run installs both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ISCC = Path(os.environ.get("KH75_ISCC", Path.home() / ".cache" / "kh75-ci" / "innosetup"
                           / "node_modules" / "innosetup" / "bin" / "ISCC.exe"))

pytestmark = pytest.mark.skipif(
    shutil.which("wine") is None or shutil.which("xvfb-run") is None or not ISCC.exists(),
    reason="LOUD SKIP: Wine, xvfb-run or Inno Setup's ISCC.exe is not installed; .ci/run "
           "installs them")

OLD_MIGRATION = "_internal/kh75_desktop/storage/migrations/versions/0009_dropped.py"
KEPT_MIGRATION = "_internal/kh75_desktop/storage/migrations/versions/0008_summary.py"
NEW_FILE = "_internal/kh75_desktop/new_in_0_2_0.py"
ASSOCIATION = r"HKCU\Software\Classes\KH75.Package\shell\open\command"


def _winpath(path: Path) -> str:
    return "Z:" + str(path).replace("/", "\\")


class Wine:
    """One Wine prefix, reporting itself as a given Windows version."""

    def __init__(self, prefix: Path, version: str):
        self.prefix = prefix
        self.env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all",
                    "WINEDLLOVERRIDES": "mscoree,mshtml="}  # no Mono/Gecko install prompts
        self.run("wineboot", "-i")
        self.run("winecfg", "/v", version)

    def run(self, *cmd: str, display: bool = False, check: bool = True
            ) -> subprocess.CompletedProcess:
        """A command in the prefix; `display` gives it a virtual screen (Setup's forms need one
        even when nothing is shown). Waits for every process it started, as Setup's and the
        uninstaller's copies of themselves outlive the command."""
        full = ["xvfb-run", "-a", *cmd] if display else list(cmd)
        done = subprocess.run(full, env=self.env, capture_output=True, text=True,
                              errors="replace", timeout=300)
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=300)
        if check:
            assert done.returncode == 0, (cmd, done.returncode, done.stdout[-3000:],
                                          done.stderr[-3000:])
        return done

    @property
    def profile(self) -> Path:
        """The Windows user's folder Wine made (named after the Unix user)."""
        users = [p for p in (self.prefix / "drive_c" / "users").iterdir()
                 if p.is_dir() and p.name != "Public"]
        assert len(users) == 1, users
        return users[0]

    @property
    def local_appdata(self) -> Path:
        return self.profile / "AppData" / "Local"

    def setup(self, exe: Path, log: Path, *extra: str) -> subprocess.CompletedProcess:
        return self.run("wine", str(exe), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART",
                        f"/LOG={_winpath(log)}", *extra, display=True, check=False)

    def registry(self, key: str) -> str | None:
        done = self.run("wine", "reg", "query", key, check=False)
        return done.stdout if done.returncode == 0 else None

    def close(self) -> None:
        subprocess.run(["wineserver", "-k"], env=self.env, timeout=60)


def _stage(root: Path, version: str, files: dict[str, str]) -> None:
    """The tree kh75.iss expects beside it: the script, its messages file, the icon and a
    bundle at dist/KH75-<version> (stand-in files: Setup copies them, never runs them)."""
    (root / "packaging" / "windows").mkdir(parents=True, exist_ok=True)
    for name in ("kh75.iss", "Vietnamese.isl"):
        shutil.copy2(ROOT / "packaging" / "windows" / name, root / "packaging" / "windows" / name)
    (root / "resources" / "icons").mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "resources" / "icons" / "kh75.ico", root / "resources" / "icons")
    bundle = root / "dist" / f"KH75-{version}"
    for rel, text in {"kh75.exe": "console", "kh75w.exe": "windowed", **files}.items():
        (bundle / rel).parent.mkdir(parents=True, exist_ok=True)
        (bundle / rel).write_text(f"{text} {version}\n", encoding="utf-8")


@pytest.fixture(scope="module")
def compiler(tmp_path_factory):
    wine = Wine(tmp_path_factory.mktemp("wine-compiler"), "win10")
    yield wine
    wine.close()


@pytest.fixture(scope="module")
def setups(tmp_path_factory, compiler) -> dict[str, Path]:
    """Setup programs for 0.1.0 and 0.2.0, compiled by the stock ISCC from a USB-like path."""
    root = tmp_path_factory.mktemp("iss") / "Ổ đĩa USB #2"
    out = {}
    for version, files in (("0.1.0", {OLD_MIGRATION: "old", KEPT_MIGRATION: "kept"}),
                           ("0.2.0", {KEPT_MIGRATION: "kept", NEW_FILE: "new"})):
        _stage(root, version, files)
        done = compiler.run("wine", str(ISCC), f"/DAppVersion={version}",
                            _winpath(root / "packaging" / "windows" / "kh75.iss"))
        assert "Successful compile" in done.stdout
        assert "Warning" not in done.stdout, done.stdout
        out[version] = root / "dist" / f"KH75-Desktop-{version}-setup.exe"
        assert out[version].stat().st_size > 100_000
    out["compiler output"] = done.stdout
    return out


def test_stock_inno_setup_compiles_the_script_with_its_vietnamese(setups):
    """Issue 20: `compiler:Languages\\Vietnamese.isl` did not exist on a stock Inno Setup; the
    script now reads Default.isl and the project's own file, and compiles without a warning."""
    assert "Inno Setup 6 Command-Line Compiler" in setups["compiler output"]
    assert "Vietnamese.isl" not in os.listdir(ISCC.parent / "Languages")  # not stock, indeed
    assert setups["0.1.0"].name == "KH75-Desktop-0.1.0-setup.exe"


def test_a_configured_sign_tool_is_run_and_an_unsigned_result_fails_the_build(setups, compiler,
                                                                             tmp_path):
    """With /DSignTool the compiler hands the uninstaller and the setup to the configured tool
    (signtool on the release machine) and refuses to finish when it did not sign them: an
    installer is never shipped half-signed. Here the tool only records what it was given."""
    root = setups["0.1.0"].parent.parent
    record = tmp_path / "signed.txt"
    done = compiler.run("wine", str(ISCC), "/DAppVersion=0.1.0", "/DSignTool=kh75sign",
                        f"/Skh75sign=cmd.exe /c echo $f >> {_winpath(record)}",
                        f"/O{_winpath(tmp_path)}",
                        _winpath(root / "packaging" / "windows" / "kh75.iss"), check=False)
    assert done.returncode != 0
    assert "Running Sign Tool kh75sign" in done.stdout
    assert "does not have a digital signature" in done.stdout + done.stderr
    assert "uninst.e32.tmp" in record.read_text(errors="replace")


def test_setup_refuses_windows_7_in_vietnamese(setups, tmp_path):
    wine = Wine(tmp_path / "prefix", "win7")
    try:
        done = wine.setup(setups["0.1.0"], tmp_path / "setup.log")
        log = (tmp_path / "setup.log").read_text(encoding="utf-8-sig")
        assert done.returncode != 0
        assert "Windows version: 6.1" in log
        assert "Chương trình này không chạy được trên phiên bản Windows của máy này." in log
        assert not (wine.local_appdata / "Programs" / "KH75 Desktop").exists()
    finally:
        wine.close()


def test_install_upgrade_and_uninstall_per_user_keep_the_data(setups, tmp_path):
    wine = Wine(tmp_path / "prefix", "win10")
    try:
        app = wine.local_appdata / "Programs" / "KH75 Desktop"
        done = wine.setup(setups["0.1.0"], tmp_path / "install.log")
        log = (tmp_path / "install.log").read_text(encoding="utf-8-sig")
        assert done.returncode == 0, log[-2000:]
        assert "Administrative install mode: No" in log  # per user, even run by an admin
        assert "Install mode root key: HKEY_CURRENT_USER" in log
        assert (app / "kh75w.exe").read_text().startswith("windowed 0.1.0")
        assert (app / OLD_MIGRATION).exists()
        assert f'"{_winpath_of_app(wine, app)}\\kh75w.exe" open "%1"' in (
            wine.registry(ASSOCIATION) or "")
        menu = (wine.profile / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu"
                / "Programs" / "KH75 Desktop")
        assert {p.name for p in menu.iterdir()} == {
            "KH75 Desktop.lnk", "KH75 Desktop — Sở Y tế.lnk", "Gỡ cài đặt KH75 Desktop.lnk"}

        # the officer's figures, where the app keeps them on Windows
        data = wine.local_appdata / "KH75"
        (data / "province").mkdir(parents=True)
        (data / "kh75.db").write_bytes(b"SQLite format 3\x00 figures of Gia Vien")
        (data / "province" / "kh75.db").write_bytes(b"SQLite format 3\x00 province")

        done = wine.setup(setups["0.2.0"], tmp_path / "upgrade.log")
        assert done.returncode == 0
        assert (app / "kh75w.exe").read_text().startswith("windowed 0.2.0")
        assert not (app / OLD_MIGRATION).exists(), "a dropped migration survived the upgrade"
        assert (app / KEPT_MIGRATION).read_text().startswith("kept 0.2.0")
        assert (app / NEW_FILE).exists()
        assert sorted(p.name for p in app.glob("unins*")) == ["unins000.dat", "unins000.exe"]
        assert (data / "kh75.db").read_bytes().endswith(b"figures of Gia Vien")

        wine.run("wine", _winpath(app / "unins000.exe"), "/VERYSILENT", "/SUPPRESSMSGBOXES",
                 "/NORESTART", display=True, check=False)
        assert not (app / "kh75w.exe").exists() and not (app / "_internal").exists()
        assert wine.registry(ASSOCIATION) is None
        assert wine.registry(r"HKCU\Software\Classes\.kh75") is None
        assert not menu.exists()
        assert (data / "kh75.db").read_bytes().endswith(b"figures of Gia Vien")
        assert (data / "province" / "kh75.db").read_bytes().endswith(b"province")
    finally:
        wine.close()


def _winpath_of_app(wine: Wine, app: Path) -> str:
    """The app folder as Windows inside the prefix names it (C:\\users\\…)."""
    return "C:\\" + str(app.relative_to(wine.prefix / "drive_c")).replace("/", "\\")
