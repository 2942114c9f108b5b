"""A figure: what a commune enters for one data element in one year.

A count, a yes/no, or explicitly missing with a reason (which is not zero), with its source office,
a note, where a soft rule asked for one an explanation, and whether it is an estimate: the report
is due before the year ends, so a figure counted to the cut-off date and projected to 31/12 is
marked "ước tính" until the official figures replace it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple


class Figure(NamedTuple):
    """Immutable. A named tuple, not a frozen dataclass: Sở Y tế makes one per figure of every
    package it takes in (53 x 3,000), and a frozen dataclass took 1.6 µs to build, six times
    as long, most of a payload's validation."""

    element: str
    count: int | None = None
    flag: bool | None = None
    missing_reason: str | None = None
    source: str | None = None
    note: str = ""
    explanation: str = ""
    estimated: bool = False

    @property
    def number(self) -> Decimal | None:
        """The figure as a number for rules and measures (yes = 1, no = 0), None when missing."""
        if self.count is not None:
            return Decimal(self.count)
        if self.flag is not None:
            return Decimal(1 if self.flag else 0)
        return None

    @property
    def is_missing(self) -> bool:
        return self.count is None and self.flag is None

    @property
    def is_explained_gap(self) -> bool:
        return self.is_missing and bool((self.missing_reason or "").strip())

    @property
    def is_answered(self) -> bool:
        """Has a figure, or an explained gap: what completeness counts."""
        return not self.is_missing or self.is_explained_gap

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self._asdict().items() if v not in (None, "")}
        if not self.estimated:  # absent means official, as in packages made before estimates
            del data["estimated"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figure:
        # the fields in order, without the keyword machinery: Sở Y tế reads 180,000 of these
        # back from the versions it holds, and keywords took two thirds of the time
        get = data.get
        return _make(cls, (str(data["element"]), get("count"), get("flag"),
                           get("missing_reason"), get("source"), get("note", ""),
                           get("explanation", ""), bool(get("estimated", False))))


_make = tuple.__new__

# The longest each text of a figure may be, in characters, wherever it comes from (typed, an
# entry template, a package): a sentence or two, never a document. The entry fields stop there.
TEXT_LIMITS = {"missing_reason": 500, "source": 40, "note": 500, "explanation": 1000}
TEXT_WORDS = {"missing_reason": "lý do không có số liệu", "source": "nguồn số liệu",
              "note": "ghi chú", "explanation": "giải thích"}


def overlong_text(texts: dict[str, Any]) -> str | None:
    """The first of a figure's texts (its fields by name) longer than its limit, or None."""
    for field, limit in TEXT_LIMITS.items():
        value = texts.get(field)
        if isinstance(value, str) and len(value) > limit:
            return field
    return None


def overlong_words(element_name: str, field: str, length: int) -> str:
    from .numbers_vi import format_number

    return (f"{element_name}: {TEXT_WORDS[field]} dài {format_number(length)} ký tự, quá giới "
            f"hạn {format_number(TEXT_LIMITS[field])} ký tự.")


def numbers_of(figures: dict[str, Figure]) -> dict[str, Decimal | None]:
    return {k: f.number for k, f in figures.items()}


def figure_words(fig: Figure | None, empty: str = "–") -> str:
    """A figure as a table shows it: 1.234, Có/Không, "không có số liệu", or `empty`."""
    if fig is None:
        return empty
    if fig.count is not None:
        from .numbers_vi import format_number

        return format_number(fig.count)
    if fig.flag is not None:
        return "Có" if fig.flag else "Không"
    return "không có số liệu" if fig.missing_reason else empty
