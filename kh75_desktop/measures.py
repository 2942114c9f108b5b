"""Compute the 34 measures from a year's figures and judge each by its kind against its target.

How a measure is judged depends on what its figures are (the catalogue's `kind`):

- *register* (every child or school counted): the value itself decides; the result says how many
  children or schools stand between the commune and its target. No interval: a full register is
  not a sample.
- *rare* (deaths, abuse, drop-outs): the year's rate with its exact Poisson interval. When the
  year alone is too small to tell (its interval spans the target and few cases are expected), the
  last three years are pooled and judged instead; the result says which was used.
- *prevalence* (malnutrition from a weigh-in, development assessments): the Wilson interval; when
  it spans the target the status is "borderline", or "not enough data" for a tiny sample.
- *yesno* and *count* (13: a yearly cut of a count).

Values are exact Decimals; intervals are floats rounded to four places.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, NamedTuple

from .catalogue import Catalogue, Measure, Target
from .figures import Figure
from .stats import poisson_interval, wilson_interval

MET = "met"
NOT_MET = "not_met"
BORDERLINE = "borderline"
INSUFFICIENT = "insufficient"
NO_DATA = "no_data"
NO_TARGET = "no_target"
NOT_APPLICABLE = "not_applicable"

STATUS_LABELS = {
    MET: "Đạt", NOT_MET: "Chưa đạt", BORDERLINE: "Sát ngưỡng",
    INSUFFICIENT: "Chưa đủ số liệu để kết luận", NO_DATA: "Chưa có số liệu",
    NO_TARGET: "Không có chỉ tiêu năm này", NOT_APPLICABLE: "Không phát sinh",
}
STATUS_SHORT = dict(STATUS_LABELS, insufficient="Chưa đủ số liệu", no_target="Không có chỉ tiêu")
# One colour per meaning, for the window and the printed report alike: "not met" (red) never
# looks like "not enough data" (blue-grey) or "does not apply" (grey).
STATUS_COLOURS = {
    MET: "#1b7f3b", NOT_MET: "#b3261e", BORDERLINE: "#c2410c", INSUFFICIENT: "#35608f",
    NO_DATA: "#a15c00", NO_TARGET: "#5f6b7a", NOT_APPLICABLE: "#7c8088",
}

ON_TRACK = "on_track"
BEHIND = "behind"
TRACK_UNKNOWN = "insufficient"
TRACK_LABELS = {ON_TRACK: "Đúng lộ trình", BEHIND: "Chậm lộ trình",
                TRACK_UNKNOWN: "Chưa đủ số liệu", None: "–"}

# Fewer cases than this expected at the target rate, and an interval spanning the target: the
# figure cannot tell met from not met.
MIN_EXPECTED_CASES = 10
POOL_YEARS = 3


@dataclass(frozen=True)
class Pooled:
    """A rare-event rate over the year and the years before it that have figures."""
    years: tuple[int, ...]
    numerator: Decimal
    denominator: Decimal
    value: Decimal
    interval: tuple[Decimal, Decimal]


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
    on_track: str | None = None  # ON_TRACK, BEHIND, TRACK_UNKNOWN or None (cannot say)
    answered: bool = False  # figures or explained gaps for all its elements
    pooled: Pooled | None = None  # set when the judgement rests on pooled years
    shortfall: int | None = None  # children/schools to change to meet the target (register)
    baseline: tuple[int, Decimal] | None = None  # first year entered and its value
    path: Decimal | None = None  # the straight path's value this year

    @property
    def reason(self) -> str:
        """Why this status, in one line an officer can read aloud."""
        from .judgement_words import reason_for

        return reason_for(self)

    @property
    def track_reason(self) -> str:
        from .judgement_words import track_reason_for

        return track_reason_for(self)

    @property
    def key(self) -> str:
        return self.measure.key

    @property
    def judged_on(self) -> str:
        return "pooled" if self.pooled is not None else "year"

    def to_json(self) -> dict[str, Any]:
        pooled = None
        if self.pooled is not None:
            p = self.pooled
            pooled = {"years": list(p.years), "numerator": _num(p.numerator),
                      "denominator": _num(p.denominator), "value": _num(p.value),
                      "interval": [_num(x) for x in p.interval]}
        return {
            "key": self.key, "indicator": self.measure.indicator, "goal": self.measure.goal,
            "kind": self.measure.kind, "unit": self.measure.unit,
            "direction": self.measure.direction,
            "numerator": _num(self.numerator), "denominator": _num(self.denominator),
            "value": _num(self.value),
            "interval": None if self.interval is None else [_num(x) for x in self.interval],
            "pooled": pooled, "judged_on": self.judged_on,
            "target": None if self.target is None else self.target.to_json(),
            "target_interpolated": bool(self.target and self.target.interpolated),
            "target_value": _num(self.target_value),
            "status": self.status, "status_label": STATUS_LABELS[self.status],
            "shortfall": self.shortfall, "previous": _num(self.previous),
            "on_track": self.on_track, "on_track_label": TRACK_LABELS[self.on_track],
            "reason": self.reason, "on_track_reason": self.track_reason,
            "answered": self.answered,
        }


def _num(d: Decimal | None) -> int | float | None:
    if d is None:
        return None
    if d == d.to_integral_value():
        return int(d)
    return float(d.quantize(Decimal("0.0001")))


def _dec(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal("0.0001"))


_COMPARISONS = {"<": operator.lt, "<=": operator.le, ">=": operator.ge, "=": operator.eq}


def meets(op: str, value: Decimal, target: Decimal) -> bool:
    return _COMPARISONS[op](value, target)


def _interval(m: Measure, num: Decimal, den: Decimal) -> tuple[Decimal, Decimal]:
    """Wilson for a share of children, exact Poisson for events per 1,000 or 100,000."""
    if m.unit == "%" and num <= den:
        lo, hi = wilson_interval(int(num), int(den))
    else:
        lo_c, hi_c = poisson_interval(int(num))
        lo, hi = lo_c / float(den), hi_c / float(den)
    return _dec(lo * float(m.factor)), _dec(hi * float(m.factor))


def _expected_cases(m: Measure, den: Decimal, rate: Decimal) -> Decimal:
    """Cases expected among `den` at a rate in the measure's unit (for shares, the rarer side)."""
    t = rate / m.factor
    return den * min(t, 1 - t) if m.unit == "%" else den * t


def _one_side(op: str, interval: tuple[Decimal, Decimal], target: Decimal) -> bool:
    return meets(op, interval[0], target) == meets(op, interval[1], target)


def _pool(m: Measure, year: int, history: dict[int, dict[str, Figure]],
          figures: dict[str, Figure]) -> Pooled | None:
    """The year and up to two before it, where both figures were entered; None under two years."""
    years, num, den = [], Decimal(0), Decimal(0)
    for y in range(year - POOL_YEARS + 1, year + 1):
        figs = figures if y == year else history.get(y, {})
        n, d = figs.get(m.numerator), figs.get(m.denominator)
        if n is None or d is None or n.number is None or not d.number:
            continue
        years.append(y)
        num += n.number
        den += d.number
    if len(years) < 2:
        return None
    return Pooled(tuple(years), num, den, num * m.factor / den, _interval(m, num, den))


def register_shortfall(m: Measure, num: Decimal, den: Decimal, target: Target) -> int:
    """Children (or schools) to add to the numerator (higher is better) or to remove from it
    (lower is better) for the value to meet the target; 0 when it does."""
    return whole_units_to_target(num, target.value * den / m.factor, target.op, m.direction)


def whole_units_to_target(num: Decimal, edge: Decimal, op: str, direction: str) -> int:
    """Whole cases (children, communes) by which a count `num` must change to meet a target whose
    exact edge is `edge`: six marriages against an allowed 5.88 are one too many, not 0.12."""
    if direction == "up":
        if op == ">=" or op == "=":
            needed = edge.to_integral_value(ROUND_CEILING)
        else:  # ">" is not in the plan, kept for completeness
            needed = edge.to_integral_value(ROUND_FLOOR) + 1
        return max(0, int(needed - num))
    allowed = (edge.to_integral_value(ROUND_CEILING) - 1 if op == "<"
               else edge.to_integral_value(ROUND_FLOOR))
    return max(0, int(num - allowed))


class Judgement(NamedTuple):
    """What a measure's status rests on: its figures, value and interval, the target value it
    was held to, and the pooled years when they decided it. A named tuple: one is made per
    commune and measure, at a third of a frozen dataclass's cost."""
    numerator: Decimal | None
    denominator: Decimal | None
    status: str
    value: Decimal | None = None
    interval: tuple[Decimal, Decimal] | None = None
    target_value: Decimal | None = None
    previous: Decimal | None = None
    pooled: Pooled | None = None


def judge_measure(m: Measure, year: int, commune_kind: str, figures: dict[str, Figure],
                  history: dict[int, dict[str, Figure]]) -> Judgement:
    """A measure's value and status alone, without the shortfall and the path to 2030: what a
    table of communes shows, and where `compute_measure` starts."""
    target = m.target_for(year, commune_kind)
    n = figures.get(m.numerator)
    num = None if n is None else n.number
    den = None
    if m.denominator:
        d = figures.get(m.denominator)
        den = None if d is None else d.number
    if num is None or (m.denominator and den is None):
        return Judgement(num, den, NO_DATA)
    if m.kind == "yesno":
        status = NO_TARGET if target is None else (MET if num == 1 else NOT_MET)
        return Judgement(num, den, status, value=num)
    if m.kind == "count":
        return _judge_count(m, year, num, den, target, history)
    assert den is not None and m.factor is not None
    if den == 0:
        return Judgement(num, den, NOT_APPLICABLE)
    value = num * m.factor / den
    interval = None if m.kind == "register" else _interval(m, num, den)
    status, used_pool = NO_TARGET, None
    if target is not None:
        if m.kind == "register":
            status = MET if meets(target.op, value, target.value) else NOT_MET
        else:
            status, used_pool = _judge_estimate(
                m, target, value, interval, den,
                lambda: _pool(m, year, history, figures) if m.kind == "rare" else None)
    return Judgement(num, den, status, value, interval,
                     None if target is None else target.value, pooled=used_pool)


def compute_measure(catalogue: Catalogue, m: Measure, year: int, commune_kind: str,
                    figures: dict[str, Figure],
                    history: dict[int, dict[str, Figure]] | None = None) -> MeasureResult:
    history = history or {}
    j = judge_measure(m, year, commune_kind, figures, history)
    target = m.target_for(year, commune_kind)
    answered = all(k in figures and figures[k].is_answered
                   for k in (m.numerator, m.denominator) if k)
    shortfall, track = None, (None, None, None)
    if j.value is not None and m.kind not in ("yesno", "count"):  # a rate was worked out
        if m.kind == "register" and target is not None and target.op != "reduce_pct":
            shortfall = register_shortfall(m, j.numerator, j.denominator, target)
        judged = j.pooled or j  # the pooled years, when they decided the status
        track = _on_track(m, year, commune_kind, judged.value, judged.interval,
                          judged.denominator, history)
    on_track, baseline, path = track
    return MeasureResult(m, year, j.numerator, j.denominator, j.value, j.interval, target,
                         j.target_value, j.status, j.previous, on_track, answered, j.pooled,
                         shortfall, baseline, path)


def _judge_estimate(m: Measure, target: Target, value: Decimal,
                    interval: tuple[Decimal, Decimal], den: Decimal,
                    pool: Callable[[], Pooled | None]) -> tuple[str, Pooled | None]:
    """Status of a rare-event or prevalence rate, and the pooled figures when they decided it
    (pooled only when the year alone cannot decide: most communes never need them)."""
    point = MET if meets(target.op, value, target.value) else NOT_MET
    if target.op == "=" or _one_side(target.op, interval, target.value):
        return point, None
    if m.kind == "prevalence":
        if _expected_cases(m, den, target.value) < MIN_EXPECTED_CASES:
            return INSUFFICIENT, None
        return BORDERLINE, None
    # rare events: the year alone spans the target; the pooled years decide when they can
    pooled = pool()
    if pooled is not None:
        pooled_point = MET if meets(target.op, pooled.value, target.value) else NOT_MET
        if (_one_side(target.op, pooled.interval, target.value)
                or _expected_cases(m, pooled.denominator, target.value) >= MIN_EXPECTED_CASES):
            return pooled_point, pooled
        return INSUFFICIENT, pooled
    if _expected_cases(m, den, target.value) >= MIN_EXPECTED_CASES:
        return point, None
    return INSUFFICIENT, None


def _judge_count(m: Measure, year: int, num: Decimal, den: Decimal | None,
                 target: Target | None, history: dict[int, dict[str, Figure]]) -> Judgement:
    """13: this year's count against last year's, cut by the plan's yearly percentage."""
    prev_fig = history.get(year - 1, {}).get(m.numerator)
    prev = prev_fig.number if prev_fig else None
    low, high = poisson_interval(int(num))
    interval = (_dec(low), _dec(high))
    if target is None:
        return Judgement(num, den, NO_TARGET, num, interval, previous=prev)
    if num == 0:
        return Judgement(num, den, MET, num, interval, Decimal(0), prev)
    if prev is None:
        return Judgement(num, den, NO_DATA, num, interval, previous=prev)
    allowed = prev * (1 - target.value / 100)
    status = MET if num <= allowed else NOT_MET
    if not _one_side("<=", interval, allowed) and prev + num < MIN_EXPECTED_CASES:
        status = INSUFFICIENT
    return Judgement(num, den, status, num, interval, allowed, prev)


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


def path_value(m: Measure, year: int, commune_kind: str,
               baseline: tuple[int, Decimal]) -> Decimal | None:
    """Where the straight line from the baseline to the 2030 target stands in a year."""
    target_2030 = m.target_for(2030, commune_kind)
    by, bv = baseline
    if target_2030 is None or by >= 2030:
        return None
    t = target_2030.value
    return bv + (t - bv) * Decimal(min(year, 2030) - by) / Decimal(2030 - by)


def _on_track(m: Measure, year: int, commune_kind: str, value: Decimal,
              interval: tuple[Decimal, Decimal] | None, den: Decimal,
              history: dict[int, dict[str, Figure]]
              ) -> tuple[str | None, tuple[int, Decimal] | None, Decimal | None]:
    """(state, baseline, path value): already at the 2030 target, or at least as good as the
    straight path from the baseline (the first year entered) to it. An estimate whose interval
    spans the line it is compared with, with few cases expected there, is not judged: one death
    must not flip the answer."""
    target_2030 = m.target_for(2030, commune_kind)
    if target_2030 is None or target_2030.op == "reduce_pct":
        return None, None, None

    def settled(reference: Decimal) -> bool:
        return (interval is None or not interval[0] <= reference <= interval[1]
                or _expected_cases(m, den, reference) >= MIN_EXPECTED_CASES)

    baseline = next(((y, v) for y in sorted(history) if y < year
                     for v in [measure_value(m, history[y])] if v is not None), None)
    if meets(target_2030.op, value, target_2030.value):
        return (ON_TRACK if settled(target_2030.value) else TRACK_UNKNOWN), baseline, None
    path = None if baseline is None else path_value(m, year, commune_kind, baseline)
    if path is None:
        return None, baseline, None
    if not settled(path):
        return TRACK_UNKNOWN, baseline, path
    good = value >= path if m.direction == "up" else value <= path
    return (ON_TRACK if good else BEHIND), baseline, path


def compute_all(catalogue: Catalogue, year: int, commune_kind: str, figures: dict[str, Figure],
                history: dict[int, dict[str, Figure]] | None = None) -> list[MeasureResult]:
    return [compute_measure(catalogue, m, year, commune_kind, figures, history)
            for m in catalogue.measures.values()]


def answered_measures(catalogue: Catalogue, figures: dict[str, Figure]) -> int:
    """How many measures have figures or explained gaps for all their elements: the count
    `completion` gives, without computing every measure (Sở Y tế keeps it per version)."""
    answered = {k for k, f in figures.items() if f.is_answered}
    return sum(answered.issuperset(keys) for keys in catalogue.measure_elements)


def completion(results: list[MeasureResult]) -> tuple[int, int]:
    """How many measures have figures or explained gaps, out of all."""
    return sum(1 for r in results if r.answered), len(results)
