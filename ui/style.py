"""Colours, the style sheet, the window icon and Qt's Vietnamese strings, in one place."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel

from kh75_desktop.resources import resources_dir

ERROR = "#b3261e"
WARNING = "#a15c00"
OK = "#1b7f3b"
MUTED = "#555555"


def message_label(colour: str = ERROR) -> QLabel:
    """A wrapped, plain-text line for what went wrong (or right) under a form: a message may
    quote a package's or a user's words, which must never format."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {colour}")
    return label


def apply_style(app: QApplication) -> None:
    """Style sheet, the KH75 icon on every window, and Vietnamese for the strings Qt draws itself
    (standard buttons Có/Không/Hủy, the edit menu of text fields, the file dialog)."""
    res = resources_dir()
    qss = res / "style.qss"
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
    app.setWindowIcon(QIcon(str(res / "icons" / "kh75.png")))
    if app.findChild(QTranslator, "qtbase_vi") is None:
        translator = QTranslator(app)
        translator.setObjectName("qtbase_vi")
        if translator.load(str(res / "translations" / "qtbase_vi.qm")):
            app.installTranslator(translator)
