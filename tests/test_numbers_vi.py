"""Vietnamese numbers: formatting is Python's own with the separators swapped, held here to
Babel's CLDR output for "vi" (the formatter it replaced on the start path); parsing is Babel's."""

import random
import subprocess
import sys
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from conftest import ROOT

from kh75_desktop.errors import KH75Error
from kh75_desktop.numbers_vi import format_measure, format_number, parse_count


def babel_vi(value, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale="vi")


EDGES = ["0.005", "0.015", "0.025", "2.25", "2.35", "-0.04", "-0.06", "999.95",
         "999999.5", "1234.5", "-1234.5", "1234567.891", "1e20", "-1e-9", "100000"]


@pytest.mark.parametrize("decimals", [0, 1, 2, 3])
def test_format_number_writes_what_babel_writes_for_vietnamese(decimals):
    rng = random.Random(19)
    values = [Decimal(v) for v in EDGES]
    values += [Decimal(rng.randint(-10**9, 10**9)) / Decimal(10) ** rng.randint(0, 6)
               for _ in range(3000)]
    values += [rng.uniform(0, 10**6) for _ in range(500)]  # floats, as measures may hand over
    wrong = [(v, format_number(v, decimals), babel_vi(v, decimals)) for v in values
             if v and format_number(v, decimals) != babel_vi(v, decimals)]
    assert wrong == []
    # a zero is written the same whatever its sign (Babel writes "-0" for Decimal("-0"))
    assert format_number(Decimal("-0"), decimals) == format_number(0, decimals) \
        == babel_vi(0, decimals)


def test_numbers_read_as_an_officer_writes_them():
    assert format_number(1234567) == "1.234.567"
    assert format_number(Decimal("33.75"), 1) == "33,8"  # half to even: 33,75 -> 33,8
    assert format_number(Decimal("33.65"), 1) == "33,6"
    assert format_measure(Decimal("4.83"), "permille") == "4,8‰"
    assert format_measure(Decimal("550"), "per100k") == "550/100.000"
    assert format_number(None) == "–"


def test_typed_numbers_are_parsed_by_cldr_rules():
    assert parse_count("1.234") == 1234
    assert parse_count(" 1234 ") == 1234
    with pytest.raises(KH75Error, match="số nguyên"):
        parse_count("12,5")
    with pytest.raises(KH75Error, match="không phải là một số"):
        parse_count("12a")


def test_formatting_a_number_loads_no_locale_data():
    """Issue 19: the first page's numbers never wait for Babel (13-15 ms of locale data)."""
    code = ("import sys\nfrom kh75_desktop.numbers_vi import format_number\n"
            "format_number(1234.5, 1)\nprint('babel' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_dates_and_moments_are_written_as_strftime_writes_them():
    """Dates are formatted by hand, for speed: day/month/year and hour:minute with leading
    zeros, as strftime("%d/%m/%Y %H:%M") gives them, over the years the app holds."""
    from datetime import date, datetime

    from kh75_desktop.numbers_vi import format_date, format_datetime, format_stored

    rng = random.Random(19)
    for _ in range(5000):
        moment = datetime(rng.randint(2000, 2100), rng.randint(1, 12), rng.randint(1, 28),
                          rng.randint(0, 23), rng.randint(0, 59))
        assert format_datetime(moment) == moment.strftime("%d/%m/%Y %H:%M")
        assert format_date(moment.date()) == moment.strftime("%d/%m/%Y")
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    stored = datetime(2026, 11, 28, 23, 0).astimezone().isoformat()
    assert format_stored(stored) == format_datetime(datetime.fromisoformat(stored))
