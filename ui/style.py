"""Colours, the style sheet, the window icon and Qt's Vietnamese strings, in one place."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel

from kh75_desktop.resources import resources_dir
from kh75_desktop.safe_text import rich

ERROR = "#b3261e"
WARNING = "#a15c00"
OK = "#1b7f3b"
MUTED = "#555555"


def said(ok: bool, text: object, after: str = "") -> str:
    """A result line for a rich-text label: ✔ in green or ✖ in red, then `text` escaped (it may
    carry a name, a path or a message from outside), then `after`, rich text of our own."""
    colour, mark = (OK, "✔") if ok else (ERROR, "✖")
    return f"<span style='color:{colour}'>{mark} {rich(text)}</span>{after}"


def message_label(colour: str = ERROR) -> QLabel:
    """A wrapped, plain-text line for what went wrong (or right) under a form: a message may
    quote a package's or a user's words, which must never format."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {colour}")
    return label


# Calm, high-contrast, readable on an old laptop screen. Each look is set on the widgets that
# wear it, never as one style sheet for the whole application: with an application-wide sheet
# Qt styles every widget through its style-sheet engine, which took 25 of the 38 ms of building
# the main window and a quarter of its first paint (measured), and as much on every page built.
LOOKS = {
    "nav": "QListWidget#nav { background: #1f3a5f; color: white; border: none; font-size: 11pt; }"
           "QListWidget#nav::item { padding: 10px 14px; }"
           "QListWidget#nav::item:selected { background: #2f5a8f; color: white; }",
    "pageTitle": "QLabel#pageTitle { font-size: 15pt; font-weight: bold; color: #1f3a5f; }",
    "sectionTitle": "QLabel#sectionTitle { font-size: 11pt; font-weight: bold; color: #1f3a5f; "
                    "margin-top: 6px; }",
    "planText": "QLabel#planText { color: #333; background: #f3f6fa; padding: 8px; "
                "border-left: 3px solid #2f5a8f; }",
    "muted": "QLabel#muted { color: #5f6b7a; }",
    # a card, and the border a figure's value field takes from its state within one
    "card": "QFrame#card { background: #f3f6fa; border: 1px solid #d5dde8; border-radius: 6px; }"
            'QLineEdit[state="error"] { border: 2px solid #b3261e; }'
            'QLineEdit[state="warning"] { border: 2px solid #a15c00; }'
            'QLineEdit[state="saved"] { border: 1px solid #1b7f3b; }',
    "bigNumber": "QLabel#bigNumber { font-size: 20pt; font-weight: bold; color: #1f3a5f; }",
    "comment": "QLabel#comment { color: #8a4b00; background: #fff4e0; padding: 6px; "
               "border-left: 3px solid #a15c00; }",
}
BODY_POINT_SIZE = 10


def styled(widget, look: str):
    """`widget` wearing one of the LOOKS (its object name is the look's name); returns it."""
    widget.setObjectName(look)
    widget.setStyleSheet(LOOKS[look])
    return widget


def restyled(widget, declarations: str) -> None:
    """A styled widget's look with `declarations` on top ("font-size: 13pt;")."""
    look = widget.objectName()  # the same selector as the look's, so the later rule wins
    selector = f"{widget.metaObject().className()}#{look}"
    widget.setStyleSheet(f"{LOOKS[look]} {selector} {{ {declarations} }}")


def apply_style(app: QApplication) -> None:
    """The body font, the KH75 icon on every window, and Vietnamese for the strings Qt draws
    itself (standard buttons Có/Không/Hủy, the edit menu of text fields, the file dialog)."""
    res = resources_dir()
    font = app.font()
    font.setPointSize(BODY_POINT_SIZE)
    app.setFont(font)
    app.setWindowIcon(QIcon(str(res / "icons" / "kh75.png")))
    if app.findChild(QTranslator, "qtbase_vi") is None:
        translator = QTranslator(app)
        translator.setObjectName("qtbase_vi")
        if translator.load(str(res / "translations" / "qtbase_vi.qm")):
            app.installTranslator(translator)
