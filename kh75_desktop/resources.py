"""Where the shipped resources (fonts, icons, stylesheet, translations, Sở Y tế's key) are: beside
the source tree, or inside a frozen PyInstaller bundle (`sys._MEIPASS`)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path(name: str) -> Path:
    return resources_dir() / "fonts" / name


# Sở Y tế may have its published key file built into the installer it hands out
# (`packaging/build.py --province-key FILE`); setup then offers it, fingerprint shown for the call.
BUNDLED_PROVINCE_KEY = "province.kh75key"


def bundled_province_key() -> bytes | None:
    try:
        return (resources_dir() / "keys" / BUNDLED_PROVINCE_KEY).read_bytes()
    except OSError:
        return None
