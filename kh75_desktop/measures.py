"""Compute the 34 measures from a year's figures and judge them against the plan's targets.

Values are exact Decimals. Each rate carries its 95 % interval (Wilson for proportions, exact
Poisson for rates per 1,000 or 100,000 and for counts), and a target is only judged when the
interval lies on one side of it, or when enough cases are expected for the point value to mean
something; otherwise the status is "too few cases to judge".
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalogue import Catalogue, Measure, Target
from .figures import Figure
from .stats import poisson_interval, wilson_interval

MET = "met"
NOT_MET = "not_met"
NO_DATA = "no_data"
TOO_FEW = "too_few"
NO_TARGET = "no_target"
NOT_APPLICABLE = "not_applicable"

STATUS_LABELS = {
    MET: "Đạt", NOT_MET: "Chưa đạt", NO_DATA: "Chưa có số liệu",
    TOO_FEW: "Quá ít trường hợp để đánh giá", NO_TARGET: "Không có chỉ tiêu năm này",
    NOT_APPLICABLE: "Không phát sinh",
}

STATUS_SHORT = dict(STATUS_LABELS, too_few="Quá ít ca", no_target="Không có chỉ tiêu")

# Fewer expected cases than this at the target rate and an interval spanning the target: too few.
MIN_EXPECTED_CASES = 10


@dataclass(frozen=True)
class MeasureResult:
    measure: Measure
    year: int
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    interval: tuple[Decimal, Decimal] | None
    target: Target | None
    target_value: Decimal | None  # for reduce_pct: the count to stay at or under
    status: str
    previous: Decimal | None = None  # last year's numerator for counts
    on_track: bool | None = None
    answered: bool = False  # figures or explained gaps for all its elements

    @property
    def key(self) -> str:
        return self.measure.key

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "indicator": self.measure.indicator, "goal": self.measure.goal,
            "unit": self.measure.unit, "direction": self.measure.direction,
            "numerator": _num(self.numerator), "denominator": _num(self.denominator),
            "value": _num(self.value),
            "interval": None if self.interval is None else [_num(x) for x in self.interval],
            "target": None if self.target is None else self.target.to_json(),
            "target_value": _num(self.target_value),
            "status": self.status, "status_label": STATUS_LABELS[self.status],
            "on_track": self.on_track, "answered": self.answered,
        }


def _num(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d.quantize(Decimal("0.0001")))


def _meets(op: str, value: Decimal, target: Decimal) -> bool:
    return {"<": value < target, "<=": value <= target, ">=": value >= target,
            "=": value == target}[op]


def _judge(op: str, value: Decimal, target: Decimal, interval: tuple[Decimal, Decimal] | None,
           expected_cases: Decimal | None) -> str:
    point = MET if _meets(op, value, target) else NOT_MET
    if op == "=" or interval is None:
        return point
    low, high = interval
    if _meets(op, low, target) == _meets(op, high, target):
        return point  # the whole interval is on one side
    if expected_cases is not None and expected_cases < MIN_EXPECTED_CASES:
        return TOO_FEW
    return point


def compute_measure(catalogue: Catalogue, m: Measure, year: int, commune_kind: str,
                    figures: dict[str, Figure],
                    history: dict[int, dict[str, Figure]] | None = None) -> MeasureResult:
    history = history or {}
    target = m.target_for(year, commune_kind)
    keys = [k for k in (m.numerator, m.denominator) if k]
    answered = all(k in figures and figures[k].is_answered for k in keys)
    num = figures[m.numerator].number if m.numerator in figures else None
    den = None
    if m.denominator:
        den = figures[m.denominator].number if m.denominator in figures else None

    def result(status: str, value=None, interval=None, target_value=None, previous=None,
               on_track=None) -> MeasureResult:
        return MeasureResult(m, year, num, den, value, interval, target, target_value, status,
                             previous, on_track, answered)

    if num is None or (m.denominator and den is None):
        return result(NO_DATA)
    if m.unit == "yesno":
        status = NO_TARGET if target is None else (MET if num == 1 else NOT_MET)
        return result(status, value=num)
    if m.unit == "count":
        prev_fig = history.get(year - 1, {}).get(m.numerator)
        prev = prev_fig.number if prev_fig else None
        low, high = poisson_interval(int(num))
        interval = (_dec(low), _dec(high))
        if target is None:
            return result(NO_TARGET, value=num, interval=interval, previous=prev)
        if num == 0:
            return result(MET, value=num, interval=interval, target_value=Decimal(0),
                          previous=prev)
        if prev is None:
            return result(NO_DATA, value=num, interval=interval, previous=prev)
        allowed = prev * (1 - target.value / 100)
        status = _judge("<=", num, allowed, interval, prev + num)
        return result(status, value=num, interval=interval, target_value=allowed, previous=prev)
    assert den is not None and m.factor is not None
    if den == 0:
        return result(NOT_APPLICABLE)
    value = num * m.factor / den
    interval = None
    if not m.census:
        if m.unit == "%" and num <= den:
            lo, hi = wilson_interval(int(num), int(den))
        else:
            lo_c, hi_c = poisson_interval(int(num))
            lo, hi = lo_c / float(den), hi_c / float(den)
        interval = (_dec(lo * float(m.factor)), _dec(hi * float(m.factor)))
    on_track = _on_track(catalogue, m, year, commune_kind, value, history)
    if target is None:
        return result(NO_TARGET, value=value, interval=interval, on_track=on_track)
    t_frac = target.value / m.factor
    expected = den * min(t_frac, 1 - t_frac) if m.unit == "%" else den * t_frac
    status = _judge(target.op, value, target.value, interval, expected)
    return result(status, value=value, interval=interval, target_value=target.value,
                  on_track=on_track)


def _dec(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal("0.0001"))


def measure_value(m: Measure, figures: dict[str, Figure]) -> Decimal | None:
    """The measure's value alone (no judgement), None when it cannot be computed."""
    num = figures[m.numerator].number if m.numerator in figures else None
    if num is None:
        return None
    if m.denominator is None:
        return num
    den = figures[m.denominator].number if m.denominator in figures else None
    if den is None or den == 0 or m.factor is None:
        return None
    return num * m.factor / den


def _on_track(catalogue: Catalogue, m: Measure, year: int, commune_kind: str, value: Decimal,
              history: dict[int, dict[str, Figure]]) -> bool | None:
    """Is the value at least as good as the straight path from the baseline to the 2030 target?"""
    target_2030 = m.target_for(2030, commune_kind)
    if target_2030 is None or target_2030.op == "reduce_pct":
        return None
    baseline = None
    for y in sorted(history):
        if y < year:
            v = measure_value(m, history[y])
            if v is not None:
                baseline = (y, v)
                break
    if baseline is None or baseline[0] >= 2030:
        return None
    by, bv = baseline
    t = target_2030.value
    expected = bv + (t - bv) * Decimal(min(year, 2030) - by) / Decimal(2030 - by)
    return value >= expected if m.direction == "up" else value <= expected


def compute_all(catalogue: Catalogue, year: int, commune_kind: str, figures: dict[str, Figure],
                history: dict[int, dict[str, Figure]] | None = None) -> list[MeasureResult]:
    return [compute_measure(catalogue, m, year, commune_kind, figures, history)
            for m in catalogue.measures.values()]


def completion(results: list[MeasureResult]) -> tuple[int, int]:
    """How many measures have figures or explained gaps, out of all."""
    return sum(1 for r in results if r.answered), len(results)
