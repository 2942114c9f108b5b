"""Where the shipped resources (fonts, icons, stylesheet) are: beside the source tree, or inside a
frozen PyInstaller bundle (`sys._MEIPASS`)."""

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
