"""Colours and the application style sheet, in one place."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

STATUS_COLOURS = {
    "met": "#1b7f3b",
    "not_met": "#b3261e",
    "too_few": "#5f6b7a",
    "no_data": "#a15c00",
    "no_target": "#5f6b7a",
    "not_applicable": "#5f6b7a",
}
ERROR = "#b3261e"
WARNING = "#a15c00"
OK = "#1b7f3b"


def resources_dir() -> Path:
    """resources/ beside the source tree, or inside a frozen bundle."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources"


def apply_style(app: QApplication) -> None:
    qss = resources_dir() / "style.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
