"""Vietnamese number formatting and parsing (1.234; 4,8‰; 97,5%).

Vietnamese writes a thousands dot and a decimal comma (CLDR's "vi": group ".", decimal ",",
pattern #,##0). Formatting is Python's own `format` with the two separators swapped: Babel's
locale data took 13-15 ms to load on the first number of every window's start, before the first
page could show (tests hold the two to the same output over a grid of values). Parsing what an
officer types stays with Babel's CLDR parser, loaded on the first figure typed.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .catalogue import UNIT_LABELS
from .errors import KH75Error

LOCALE = "vi"
_TO_VIETNAMESE = str.maketrans(",.", ".,")


_STEPS = {d: Decimal(1).scaleb(-d) for d in range(4)}


def format_number(value: Decimal | int | float | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number if number else abs(number)  # a zero never "-0"
    step = _STEPS.get(decimals)
    if step is not None and number.is_finite() and number.adjusted() < 20:
        # rounded half to even here, as `format` would: a rate of 28 digits and the values
        # that print like it share one cache entry, and hashing it is cheap
        number = number.quantize(step)
    return _formatted(number, decimals, number.is_signed())


@lru_cache(maxsize=8192)
def _formatted(value: Decimal, decimals: int, signed: bool) -> str:
    """Grouped by thousands, rounded half to even to `decimals` places (as Babel does), once
    per value: a table repaint asks for the same few hundred. `signed` keeps -0.0 (from -0.04,
    written "-0,0" as Babel does) apart from the 0.0 it equals."""
    return format(value, f",.{decimals}f").translate(_TO_VIETNAMESE)


def decimals_for(unit: str, value: Decimal) -> int:
    """One decimal for most rates, two for the tiny drop-out rates, none for big per-100k ones."""
    if unit == "per100k":
        return 0 if abs(value) >= 100 else 1
    if unit == "%" and abs(value) < 1 and value != 0:
        return 2
    return 1


def format_measure(value: Decimal | None, unit: str) -> str:
    """A measure's value with its unit, as an officer writes it: 4,8‰, 97,5%, 550/100.000."""
    if value is None:
        return "–"
    if unit == "yesno":
        return "Có" if value else "Không"
    if unit == "count":
        return format_number(value)
    return format_number(value, decimals_for(unit, value)) + UNIT_LABELS[unit]


COMPARATOR_SIGNS = {"<": "<", "<=": "≤", ">=": "≥", "=": "="}


INTERPOLATED_MARK = " (mốc nội suy)"


def format_target(target, unit: str, mark_interpolated: bool = True) -> str:
    """A target as the plan writes it: "< 5,0‰", "≥ 97,0%", "≥ 65% số xã, phường", "giảm 2–3%/năm";
    a 2027-2029 target, which the plan does not set, says it is interpolated."""
    if target is None:
        return "–"
    if mark_interpolated and getattr(target, "interpolated", False):
        return format_target(target, unit, False) + INTERPOLATED_MARK
    if target.op == "reduce_pct":
        top = f"–{format_number(target.value_max)}" if target.value_max is not None else ""
        return f"giảm {format_number(target.value)}{top}%/năm"
    sign = COMPARATOR_SIGNS[target.op]
    if unit == "yesno":
        return f"{sign} {format_number(target.value)}% số xã, phường"
    return f"{sign} {format_measure(target.value, unit)}"


def parse_count(text: str) -> int:
    """A whole number as typed, with Vietnamese grouping: "1.234" and "1234" are both 1234."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "")
    if not cleaned:
        raise KH75Error("Chưa nhập số.")
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        value = parse_decimal(cleaned, locale=LOCALE, strict=True)
    except (NumberFormatError, InvalidOperation) as err:
        raise KH75Error(f"'{text}' không phải là một số hợp lệ.") from err
    if not value.is_finite():
        raise KH75Error(f"'{text[:40]}' không phải là một số hợp lệ.")
    if value.adjusted() > 15:
        raise KH75Error(f"'{text[:40]}' quá lớn, không phải số liệu của một xã, phường.")
    if value != value.to_integral_value():
        raise KH75Error(f"'{text}' phải là số nguyên (số người, số trường…).")
    if value < 0:
        raise KH75Error(f"'{text}': số liệu không được âm.")
    return int(value)


def prepare_parsing() -> None:
    """Babel's parser and its Vietnamese data loaded ahead of the first figure typed: a window
    calls this once it is shown, so the first Enter does not wait some 20 ms for them."""
    parse_count("1")


YES_WORDS = ("có", "co", "yes")
NO_WORDS = ("không", "khong", "no")


def parse_yes_no(text: str) -> bool:
    """Có/Không as typed, with or without accents; KH75Error for anything else."""
    word = str(text).strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise KH75Error(f"'{text}': chỉ nhận Có hoặc Không.")


def format_date(day) -> str:
    """A date as Vietnamese documents write it: 31/10/2026 (formatted by hand: strftime took
    five times as long, a tenth of the communes table's rows)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def format_datetime(moment) -> str:
    """A moment as the officer reads it: 29/11/2026 15:20."""
    return f"{format_date(moment)} {moment.hour:02d}:{moment.minute:02d}"


def stored_moment(iso: str):
    """A time the app stored (UTC, ISO 8601) in the officer's local time; None when empty or
    unreadable. A package sent at 06:00 in Ninh Bình is stored as 23:00 UTC the day before."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone()


def stored_day(iso: str):
    """The officer's calendar day of a stored time, None when there is none."""
    moment = stored_moment(iso)
    return moment.date() if moment else None


def format_stored(iso: str, with_time: bool = True) -> str:
    """A stored time as the officer reads it: 29/11/2026 15:20 (or 29/11/2026); "" if none."""
    moment = stored_moment(iso)
    if moment is None:
        return ""
    return format_datetime(moment) if with_time else format_date(moment)


def parse_date(text: str):
    """A date typed as 31/10/2026 (or 2026-10-31); KH75Error otherwise."""
    if isinstance(text, date):
        return text
    text = str(text).strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise KH75Error(f"'{text[:40]}' không phải là ngày hợp lệ (dạng 31/10/2026).")
