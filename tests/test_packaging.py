"""The Windows side of packaging, checked where it can be on any machine: the version resource
and the installer script follow the package version, and the installer is per user."""

import ast
import re
import sys
from pathlib import Path

from kh75_desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))

from version_info import version_info_text  # noqa: E402


def test_version_resource_carries_the_package_version():
    text = version_info_text(__version__)
    call = ast.parse(text, mode="eval").body  # the Python-call syntax PyInstaller evaluates
    assert isinstance(call, ast.Call) and call.func.id == "VSVersionInfo"
    numbers = tuple(int(n) for n in __version__.split(".")) + (0,)
    assert f"filevers={numbers[:4]}" in text
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert "báo cáo chỉ tiêu trẻ em" in text


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
