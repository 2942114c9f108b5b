"""Counts too small to print: 1 to 4 children infected with HIV from their mother (6) or abused (9)
in one commune could name the child to anyone who reads the report at a meeting.

Printed and exported summaries show such a count as "< 5" and its rate as "–", with a note; the
signed package to Sở Y tế keeps the exact figure, and the app's own screens show it to the officer
who entered it.
"""

from __future__ import annotations

from decimal import Decimal

from .catalogue import Catalogue, Measure
from .numbers_vi import format_measure

HIDDEN_BELOW = 5
HIDDEN_COUNT = "< 5"
WITHHELD_REASON = ("Dưới 5 trường hợp: không ghi số và tỷ lệ để không lộ danh tính trẻ (số chính "
                   "xác đã gửi Sở Y tế).")
HIDDEN_NOTE = ("Số trẻ từ 1 đến 4 ở chỉ tiêu 6 (lây truyền HIV từ mẹ sang con) và chỉ tiêu 9 "
               "(trẻ em bị xâm hại) được ghi “< 5” và không ghi tỷ lệ, để không lộ danh tính "
               "trẻ; số liệu chính xác được gửi Sở Y tế trong gói số liệu.")


def is_small(count: Decimal | int | None) -> bool:
    return count is not None and 0 < count < HIDDEN_BELOW


def hides(measure: Measure, numerator: Decimal | int | None) -> bool:
    """Whether a measure's value is withheld from print for this numerator."""
    return measure.hide_small_counts and is_small(numerator)


def hidden_elements(catalogue: Catalogue) -> frozenset[str]:
    """The counts whose 1-4 are withheld: the numerators of the measures that say so."""
    return frozenset(m.numerator for m in catalogue.measures.values() if m.hide_small_counts)


def withholds(catalogue: Catalogue, element: str, count: int | None) -> bool:
    """Whether a figure's own count is printed as "< 5" (a numerator of 6 or 9, 1 to 4)."""
    return element in hidden_elements(catalogue) and is_small(count)


def shown_value(measure: Measure, numerator, value, unit: str | None = None) -> str:
    """A measure's value as printed: "– (< 5 trẻ)" when its numerator is withheld."""
    if hides(measure, numerator):
        return withheld_words(measure)
    return format_measure(value, unit or measure.unit)


def withheld_words(measure: Measure) -> str:
    """What is printed instead of a withheld value: "– (< 5 trẻ)"."""
    return "– " + f"({HIDDEN_COUNT} {measure.subject})".replace(" ", "\u00a0")  # never split


def any_hidden(results) -> bool:
    return any(hides(r.measure, r.numerator) for r in results)
