"""The Windows version resource of kh75.exe, made from the package version so the two never
drift (Explorer's Properties > Details shows it). PyInstaller reads this text format on Windows;
it is written as text because PyInstaller's own classes need pefile, a Windows-only package."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

VIETNAMESE_UNICODE = "042a04b0"  # language 0x042a (Vietnamese), code page 1200 (UTF-16)


def fixed_numbers(version: str) -> tuple[int, int, int, int]:
    """The four numbers Windows keeps of a version (PEP 440's release part): 0.2.0rc1 and
    0.2.0.dev3+g1a2b are 0.2.0.0; the text resource keeps the whole version."""
    try:
        release = list(Version(version).release)
    except InvalidVersion as err:
        raise SystemExit(f"version {version!r} is not a PEP 440 version") from err
    release = [min(n, 65535) for n in release[:4]]  # each is a 16-bit word in the resource
    return tuple(release + [0] * (4 - len(release)))


def version_info_text(version: str) -> str:
    fixed = fixed_numbers(version)
    strings = {
        "CompanyName": "KH75 Desktop",
        "FileDescription": "KH75 Desktop — báo cáo chỉ tiêu trẻ em (KH 75/KH-UBND)",
        "FileVersion": version,
        "InternalName": "kh75",
        "OriginalFilename": "kh75.exe",
        "ProductName": "KH75 Desktop",
        "ProductVersion": version,
    }
    table = ",\n        ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={fixed}, prodvers={fixed}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable({VIETNAMESE_UNICODE!r}, [
        {table}])]),
    VarFileInfo([VarStruct('Translation', [0x042a, 1200])])
  ]
)
"""
