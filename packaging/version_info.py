"""The Windows version resource of kh75.exe, made from the package version so the two never
drift (Explorer's Properties > Details shows it). PyInstaller reads this text format on Windows;
it is written as text because PyInstaller's own classes need pefile, a Windows-only package."""

from __future__ import annotations

VIETNAMESE_UNICODE = "042a04b0"  # language 0x042a (Vietnamese), code page 1200 (UTF-16)


def version_info_text(version: str) -> str:
    numbers = [int(part) for part in version.split(".")[:4]]
    fixed = tuple(numbers + [0] * (4 - len(numbers)))
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
