"""Outliers among communes for Sở Y tế's review, without the false alarms of z-scores on small,
zero-heavy counts, and without flagging a commune for being large.

A commune is compared with the province the way a funnel plot does: given its own denominator,
how likely is a count at least as extreme as its own if its true rate were the province's? Only
a two-sided probability under 1 in 1,000 is flagged, so one death in a small commune never is.
Real communes differ more than chance alone allows (overdispersion): a funnel drawn for chance
alone flags most large communes. Following Spiegelhalter (Statistics in Medicine 2005;24:1185),
the between-commune variance tau^2 is estimated from the robust spread of the z-scores and
added to each commune's own variance; a commune is flagged only when it is unusual both by its
exact tail and against that widened funnel. The same exact test against the commune's own
last-year rate (half a case added, so a year without one never makes a first case look
impossible) flags a break with its past. For proportions near 100 % (vaccination, enrolment)
the shortfall is what is counted.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from decimal import Decimal

from .catalogue import Measure
from .figures import Figure
from .numbers_vi import format_measure
from .stats import poisson_cdf

TAIL = 0.001  # two-sided
Z_TAIL = 3.290526731491926  # two-sided 0.001 of the normal
MAD_TO_SD = 1.482602218505602  # a normal's SD from its median absolute deviation
MIN_RELATIVE_CHANGE = 0.5


@dataclass(frozen=True)
class Outlier:
    ward: str
    measure: str
    kind: str  # "province" (far from the province's rate) or "past" (far from its own last year)
    value: Decimal
    reference: Decimal  # the province's rate, or the commune's own last-year rate
    tail: float  # probability of a count this extreme by chance

    def words(self, unit: str) -> str:
        """In words, the values as an officer writes them in the measure's `unit` (5,6‰)."""
        side = "cao" if self.value > self.reference else "thấp"
        what = "mức chung của tỉnh" if self.kind == "province" else "năm trước của chính xã"
        return (f"Chỉ tiêu {self.measure}: {side} bất thường so với {what} "
                f"({format_measure(self.value, unit)} so với "
                f"{format_measure(self.reference, unit)}).")


def tail_probability(observed: int, expected: float) -> float:
    """Two-sided Poisson tail: twice the smaller of P(X >= observed) and P(X <= observed)."""
    if expected <= 0:
        return 1.0 if observed == 0 else 0.0
    upper = 1.0 - (poisson_cdf(observed - 1, expected) if observed > 0 else 0.0)
    lower = poisson_cdf(observed, expected)
    return min(1.0, 2 * min(upper, lower))


def unusual_tail(observed: int, expected: float) -> float | None:
    """The two-sided tail when it is under TAIL (the commune is flagged), else None.

    Each side of the tail holds at least the probability of the observed count itself, so when
    twice that is TAIL or more the commune is surely not flagged, and the exact tail (a series
    whose length grows with the count) is not summed: most communes, at a logarithm's cost."""
    if expected > 0 and observed >= 0:
        log_own = observed * math.log(expected) - expected - math.lgamma(observed + 1)
        if 2 * math.exp(log_own) >= TAIL * (1 + 1e-6):  # the margin covers rounding
            return None
    p = tail_probability(observed, expected)
    return p if p < TAIL else None


def _variance(m: Measure, rate: float, den: int) -> float:
    """Chance variance of a commune's rate (as a fraction) around the province's."""
    if m.unit == "%":
        return rate * (1 - rate) / den
    return rate / den


def between_commune_variance(m: Measure, pairs: dict[str, tuple[int, int]], rate: float) -> float:
    """tau^2 by the method of moments on the spread of z-scores, 0 when chance explains it.

    The spread is measured robustly (median absolute deviation) rather than by winsorising as
    Spiegelhalter does: winsorising at 10 % understates a normal spread by about a fifth, which
    here flagged one ordinary commune in every province, and the few real outliers must not widen
    the funnel that is meant to find them."""
    z, weights = [], []
    for num, den in pairs.values():
        var = _variance(m, rate, den)
        if var <= 0:
            continue
        z.append((num / den - rate) / math.sqrt(var))
        weights.append(1 / var)
    n = len(z)
    if n < 3:
        return 0.0
    centre = statistics.median(z)
    phi = (MAD_TO_SD * statistics.median(abs(x - centre) for x in z)) ** 2
    if n * phi <= n - 1:
        return 0.0
    sw = sum(weights)
    return (n * phi - (n - 1)) / (sw - sum(w * w for w in weights) / sw)


def _counted(m: Measure, num: int, den: int, rate: float) -> tuple[int, float]:
    """The count to test and its expectation; for high proportions, the shortfall."""
    if m.unit == "%" and rate > 0.5:
        return den - num, den * (1.0 - rate)
    return num, den * rate


def find_outliers(m: Measure, per_ward: dict[str, dict[str, Figure]],
                  last_year: dict[str, dict[str, Figure]]) -> list[Outlier]:
    if m.denominator is None or m.factor is None:
        return []
    pairs = {}
    for ward, figs in per_ward.items():
        n, d = figs.get(m.numerator), figs.get(m.denominator)
        if n is not None and d is not None and n.count is not None and d.count:
            pairs[ward] = (n.count, d.count)
    total_num = sum(n for n, _ in pairs.values())
    total_den = sum(d for _, d in pairs.values())
    if not total_den or len(pairs) < 3:
        return []
    factor = float(m.factor)
    overall = total_num / total_den
    tau2 = between_commune_variance(m, pairs, overall)
    out = []
    for ward, (num, den) in pairs.items():
        # the province's rate without this commune, so a big commune does not hide itself
        rest_num, rest_den = total_num - num, total_den - den
        if rest_den <= 0:
            continue
        # half a case added (Jeffreys): a province with no case at all elsewhere does not make a
        # single case look impossible
        rate = (rest_num + 0.5) / (rest_den + 1)
        # both tests must hold: the exact tail (a series sum) is worked out only for a commune
        # outside the widened funnel (a few of 3,321), not for every one
        unusual = True
        if tau2 > 0:
            spread = math.sqrt(_variance(m, overall, den) + tau2)
            unusual = abs(num / den - overall) / spread > Z_TAIL
        if unusual and (p := unusual_tail(*_counted(m, num, den, rate))) is not None:
            out.append(Outlier(ward, m.key, "province", Decimal(num * factor / den),
                               Decimal(rate * factor), p))
        past = last_year.get(ward, {})
        pn, pd = past.get(m.numerator), past.get(m.denominator)
        if pn is None or pd is None or pn.count is None or not pd.count:
            continue
        prev_rate = pn.count / pd.count
        now_rate = num / den
        relative = abs(now_rate - prev_rate) / max(prev_rate, 1e-9)
        if relative <= MIN_RELATIVE_CHANGE or math.isclose(now_rate, prev_rate):
            continue
        # half a case added to last year's count, as against the province: a year without a
        # case must not make this year's first one look impossible (16 of 129 communes were
        # flagged "cao bất thường" for a death or two after a year with none)
        expected_rate = (pn.count + 0.5) / (pd.count + 1)
        p = unusual_tail(*_counted(m, num, den, expected_rate))
        if p is not None:
            out.append(Outlier(ward, m.key, "past", Decimal(now_rate * factor),
                               Decimal(prev_rate * factor), p))
    return sorted(out, key=lambda o: o.tail)
