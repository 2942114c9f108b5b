"""The Windows side of packaging, checked where it can be on any machine: the version resource
and the installer script follow the package version, and the installer is per user."""

import ast
import re
import sys
from pathlib import Path

from kh75_desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

import pytest  # noqa: E402
from version_info import version_info_text  # noqa: E402


def test_version_resource_carries_the_package_version():
    text = version_info_text(__version__)
    call = ast.parse(text, mode="eval").body  # the Python-call syntax PyInstaller evaluates
    assert isinstance(call, ast.Call) and call.func.id == "VSVersionInfo"
    numbers = tuple(int(n) for n in __version__.split(".")) + (0,)
    assert f"filevers={numbers[:4]}" in text
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert "báo cáo chỉ tiêu trẻ em" in text


@pytest.mark.parametrize("version,fixed", [
    ("0.2.0rc1", (0, 2, 0, 0)),            # a pre-release crashed the build (issue 20)
    ("1.0.0.dev3+g1a2b3c", (1, 0, 0, 0)),
    ("2.1", (2, 1, 0, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)),
    ("2026.70000", (2026, 65535, 0, 0)),   # each number is a 16-bit word in the resource
])
def test_version_resource_for_odd_versions(version, fixed):
    text = version_info_text(version)
    assert isinstance(ast.parse(text, mode="eval").body, ast.Call)
    assert f"filevers={fixed}" in text and f"prodvers={fixed}" in text
    assert f"StringStruct('ProductVersion', '{version}')" in text


def test_installer_script_is_per_user_and_follows_the_version():
    raw = (ROOT / "packaging" / "windows" / "kh75.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, for Inno Setup before 6.3"
    iss = raw.decode("utf-8-sig")
    assert re.search(r'#define AppVersion "([^"]+)"', iss).group(1) == __version__
    assert "PrivilegesRequired=lowest" in iss and "{localappdata}" in iss
    assert re.search(r"AppId=\{\{[0-9A-F]{8}-([0-9A-F]{4}-){3}[0-9A-F]{12}\}", iss)
    assert 'Subkey: "Software\\Classes\\.kh75"' in iss and "Root: HKCU" in iss
    assert (ROOT / "resources" / "icons" / "kh75.ico").exists()
    assert "SetupIconFile=..\\..\\resources\\icons\\kh75.ico" in iss


def _setup_section(iss: str) -> dict[str, str]:
    body = iss.split("[Setup]", 1)[1].split("\n[", 1)[0]
    return dict(line.split("=", 1) for line in body.splitlines()
                if "=" in line and not line.startswith((";", "#")))


def test_installer_is_per_user_windows_10_x64_and_cleans_old_bundles():
    """Issue 20: an upgrade keeps no stale file, and 'all users' cannot elevate into the wrong
    profile."""
    iss = (ROOT / "packaging" / "windows" / "kh75.iss").read_bytes().decode("utf-8-sig")
    setup = _setup_section(iss)
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert tuple(int(n) for n in setup["MinVersion"].split(".")) >= (10, 0, 17763)
    assert setup["ArchitecturesAllowed"] == "x64compatible"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    install_delete = iss.split("[InstallDelete]", 1)[1].split("\n[", 1)[0]
    assert 'Type: filesandordirs; Name: "{app}\\_internal"' in install_delete
    assert iss.index("[InstallDelete]") < iss.index("[Files]")
    assert "#ifdef SignTool\nSignTool={#SignTool}\nSignedUninstaller=yes\n#endif" in iss


def test_bundle_carries_exactly_the_tracked_migrations(tmp_path):
    """Issue 20: a stray cache or untracked script in the migrations folder never ships."""
    import shutil
    import subprocess

    from bundle_files import MIGRATIONS, migration_files

    tracked = subprocess.run(["git", "ls-files", str(MIGRATIONS)], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    chosen = migration_files(ROOT)
    assert sorted(Path(src).relative_to(ROOT).as_posix() for src, _ in chosen) == sorted(tracked)
    # the same choice in a copy strewn with what a working tree collects
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / MIGRATIONS, copy / MIGRATIONS)
    versions = copy / MIGRATIONS / "versions"
    (versions / "__pycache__").mkdir(exist_ok=True)
    (versions / "__pycache__" / "0001_initial.cpython-311.pyc").write_bytes(b"\0")
    (versions / "0008_experiment.py~").write_text("# editor backup")
    (versions / "scratch.py").write_text("# untracked")
    names = sorted(Path(src).name for src, _ in migration_files(copy))
    assert names == sorted(Path(t).name for t in tracked)
    assert {dest for _, dest in chosen} == {"kh75_desktop/storage/migrations",
                                            "kh75_desktop/storage/migrations/versions"}


def test_windows_gets_a_windowed_and_a_console_executable_from_one_spec():
    """Issue 20: the Start menu and .kh75 files open kh75w.exe, which has no console to close by
    mistake; kh75.exe stays the command line."""
    tree = ast.parse((ROOT / "packaging" / "kh75.spec").read_text(encoding="utf-8"))
    made = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "executable":
            console = next(k.value.value for k in node.keywords if k.arg == "console")
            made[node.args[0].value] = console
    assert made == {"kh75": True, "kh75w": False}
    iss = (ROOT / "packaging" / "windows" / "kh75.iss").read_bytes().decode("utf-8-sig")
    opened = re.findall(r'\{app\}\\(kh75w?\.exe)', iss)
    assert opened and set(opened) == {"kh75w.exe"}  # menu, icon and association: windowed


def test_windowed_start_writes_output_to_a_log_not_to_nothing(tmp_path):
    """With no console Python has no stdout or stderr; a traceback must land in a log file."""
    import subprocess

    code = ("import sys, runpy; sys.stdout = sys.stderr = None; "
            "m = runpy.run_path(sys.argv[1]); m['_streams_for_a_windowed_start'](); "
            "print('kept', file=sys.stderr); sys.stderr.flush(); print(sys.stderr.name)")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", code, str(ROOT / "packaging" / "entry.py")],
                   capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    log = Path(next(tmp_path.rglob("kh75.log")))
    assert "kept" in log.read_text(encoding="utf-8")


# Message names of Inno Setup 6.0's Default.isl that take arguments, with the arguments each
# takes: a translation must keep every one, or Setup shows a raw "%2" or loses the folder name.
ARGUMENTS = {
    "SetupWindowTitle": "%1", "UninstallAppFullTitle": "%1", "SetupLdrStartupMessage": "%1",
    "LastErrorMessage": "%1%2%3", "SetupFileMissing": "%1", "OnlyOnTheseArchitectures": "%1",
    "WinVersionTooLowError": "%1%2", "WinVersionTooHighError": "%1%2",
    "SetupAppRunningError": "%1", "UninstallAppRunningError": "%1", "ErrorCreatingDir": "%1",
    "ErrorTooManyFilesInDir": "%1", "AboutSetupMessage": "%1%2%3%4", "DiskSpaceWarning": "%1%2",
    "BadDirName32": "%1", "DirExists": "%1", "DirDoesntExist": "%1", "BadGroupName": "%1",
    "RunEntryExec": "%1", "RunEntryShellExec": "%1", "ErrorInternal2": "%1",
    "ErrorFunctionFailedNoCode": "%1", "ErrorFunctionFailed": "%1%2",
    "ErrorFunctionFailedWithMessage": "%1%2%3", "ErrorExecutingProgram": "%1",
    "SourceDoesntExist": "%1", "UninstallNotFound": "%1", "UninstallOpenError": "%1",
    "UninstallUnsupportedVer": "%1", "UninstallUnknownEntry": "%1", "ConfirmUninstall": "%1",
    "UninstallStatusLabel": "%1", "UninstalledAll": "%1", "UninstalledMost": "%1",
    "UninstalledAndNeedsRestart": "%1", "UninstallDataCorrupted": "%1",
    "StatusUninstalling": "%1", "ShutdownBlockReasonInstallingApp": "%1",
    "ShutdownBlockReasonUninstallingApp": "%1", "NameAndVersion": "%1%2",
    "UninstallProgram": "%1", "LaunchProgram": "%1", "AssocFileExtension": "%1%2",
    "AssocingFileExtension": "%1%2", "DataKept": "%1",
}


def _isl_sections(text: str) -> dict[str, list[tuple[str, str]]]:
    sections: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
        else:
            current.append(tuple(line.split("=", 1)))
    return sections


def test_installer_speaks_vietnamese_from_its_own_messages_file():
    """Issue 20: Inno Setup installs no Vietnamese.isl (it is an unofficial translation), so
    `compiler:Languages\\Vietnamese.isl` did not compile on a stock install; the project's own
    file is read over Inno Setup's Default.isl, which every install has."""
    iss = (ROOT / "packaging" / "windows" / "kh75.iss").read_bytes().decode("utf-8-sig")
    languages = iss.split("[Languages]", 1)[1].split("\n[", 1)[0]
    entries = [line for line in languages.splitlines() if line and not line.startswith(";")]
    assert entries == ['Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"']
    raw = (ROOT / "packaging" / "windows" / "Vietnamese.isl").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Inno Setup reads an .isl as ANSI without a BOM"
    sections = _isl_sections(raw.decode("utf-8-sig"))
    assert dict(sections["LangOptions"]) == {"LanguageName": "Tiếng Việt", "LanguageID": "$042A",
                                             "LanguageCodePage": "0"}
    for name in ("Messages", "CustomMessages"):
        keys = [k for k, _ in sections[name]]
        assert len(keys) == len(set(keys)), f"a message named twice in [{name}]"
        for key, value in sections[name]:
            assert re.fullmatch(r"[A-Za-z0-9]+", key), key
            expected = set(re.findall(r"%[1-9]", ARGUMENTS.get(key, "")))
            assert set(re.findall(r"%[1-9]", value)) == expected, key
    messages = dict(sections["Messages"])
    # what a per-user install, an upgrade and an uninstall show, in Vietnamese
    assert messages["ButtonFinish"] == "&Xong"
    for key in ("ButtonNext", "ButtonBack", "ButtonCancel", "ButtonInstall",
                "WelcomeLabel1", "WelcomeLabel2", "SelectDirLabel3", "ReadyLabel1",
                "InstallingLabel", "FinishedLabel", "ExitSetupMessage", "SetupAppRunningError",
                "ConfirmUninstall", "UninstalledAll", "UninstallAppRunningError"):
        assert re.search("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                         messages[key].lower()), key
    assert "không bị xóa" in messages["ConfirmUninstall"]


def test_uninstall_keeps_the_data_and_says_where_it_is():
    """The uninstaller removes the program only, and names the folder that keeps the figures,
    which is the folder the app keeps them in on Windows."""
    from kh75_desktop.paths import APP_NAME

    iss = (ROOT / "packaging" / "windows" / "kh75.iss").read_bytes().decode("utf-8-sig")
    code = iss.split("[Code]", 1)[1]
    assert f"ExpandConstant('{{localappdata}}\\{APP_NAME}')" in code
    assert "usPostUninstall" in code and "CustomMessage('DataKept')" in code
    assert "UninstallSilent" in code  # a silent uninstall (an IT script) is never stopped
    assert "[UninstallDelete]" not in iss  # nothing beyond what Setup itself installed
    isl = (ROOT / "packaging" / "windows" / "Vietnamese.isl").read_bytes().decode("utf-8-sig")
    kept = dict(_isl_sections(isl)["CustomMessages"])["DataKept"]
    assert "%1" in kept and "vẫn được giữ" in kept
