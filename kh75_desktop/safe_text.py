"""Text from outside (package file and entry names, commune names, comments, explanations) made
safe for where a person reads it: one line of a terminal, log or list, where a newline could forge
a second "[NHẬN]" line and an ANSI escape could erase a refusal; and HTML-escaped for a rich-text
Qt label. Workbooks write such text as text cells (reports/xlsx_common.py)."""

from __future__ import annotations

import html
import unicodedata

REPLACEMENT = "\ufffd"
LINE_LIMIT = 300


def _is_control(ch: str) -> bool:
    # Cc: C0/C1 controls incl. ESC; Cf: format characters incl. bidi overrides; Zl/Zp: separators
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")


def one_line(text: object, limit: int = LINE_LIMIT) -> str:
    """A single printable line: every control character becomes a visible mark, never an
    effect; long text is cut with an ellipsis."""
    s = str(text)
    if len(s) > limit:
        s = s[:limit] + "…"
    if s.isprintable():  # the common case costs one C-level scan
        return s
    return "".join(REPLACEMENT if _is_control(ch) or ch in "\t" else ch for ch in s)


def lines(text: object) -> str:
    """Like `one_line`, but keeps the line breaks of a multi-line message of our own."""
    return "\n".join(one_line(part, 10_000) for part in str(text).split("\n"))


def rich(text: object) -> str:
    """For inside a rich-text Qt label: escaped, so "<b>" or "<img>" is shown, not obeyed."""
    return html.escape(one_line(text, 10_000), quote=False)
