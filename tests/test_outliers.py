"""Outliers: flagged when the count is implausible for the commune's size, never on noise."""

import math
import random

from kh75_desktop.figures import Figure
from kh75_desktop.outliers import (
    between_commune_variance,
    find_outliers,
    tail_probability,
    unusual_tail,
)


def ward(num, den, m):
    return {m.numerator: Figure(m.numerator, count=num), m.denominator: Figure(m.denominator,
                                                                              count=den)}


def test_one_death_in_a_small_commune_is_not_flagged(catalogue):
    m = catalogue.measures["3a"]
    per_ward = {f"{i:05d}": ward(0, 150, m) for i in range(20)}
    per_ward["00001"] = ward(1, 120, m)  # 8.3 per mille, but one case
    assert find_outliers(m, per_ward, {}) == []


def test_a_real_excess_is_flagged(catalogue):
    m = catalogue.measures["4a"]
    per_ward = {f"{i:05d}": ward(70, 1000, m) for i in range(20)}
    per_ward["00007"] = ward(160, 1000, m)  # 16 % against 7 %
    out = find_outliers(m, per_ward, {})
    assert [(o.ward, o.kind) for o in out] == [("00007", "province")]
    assert "cao bất thường" in out[0].words("%")
    # the values as an officer writes them, never "16.00" with a decimal point
    assert "(16,0% so với " in out[0].words("%") and "." not in out[0].words("%")[:-1]


def test_high_coverage_shortfall_is_what_counts(catalogue):
    m = catalogue.measures["5a"]
    per_ward = {f"{i:05d}": ward(490, 500, m) for i in range(20)}  # 98 %
    per_ward["00003"] = ward(425, 500, m)  # 85 %: 75 missed where 10 are expected
    assert [o.ward for o in find_outliers(m, per_ward, {})] == ["00003"]


def test_break_with_own_past(catalogue):
    m = catalogue.measures["4a"]
    now = {f"{i:05d}": ward(70, 1000, m) for i in range(10)}
    past = {k: ward(70, 1000, m) for k in now}
    past["00002"] = ward(20, 1000, m)
    kinds = {(o.ward, o.kind) for o in find_outliers(m, now, past)}
    assert kinds == {("00002", "past")}


def test_tail_probability():
    assert tail_probability(0, 0.5) > 0.5
    assert tail_probability(12, 2.0) < 1e-5


# -- the funnel on simulated provinces ------------------------------------------------------------
def _province(m, rng, spread, shifted=()):
    """129 communes of 3,000-6,000 children around 30 %, each drawn as a binomial count."""
    per_ward = {}
    for i in range(129):
        n = rng.randint(3000, 6000)
        p = 0.30 + (rng.gauss(0, spread) if spread else 0.0) + (0.15 if i in shifted else 0.0)
        count = sum(1 for _ in range(n) if rng.random() < p)
        per_ward[f"{i:05d}"] = ward(count, n, m)
    return per_ward


def test_no_real_difference_flags_almost_nobody(catalogue):
    m = catalogue.measures["22"]
    rng = random.Random(2026)
    flagged = sum(len(find_outliers(m, _province(m, rng, 0.0), {})) for _ in range(12))
    assert flagged / (12 * 129) <= 0.002  # nominal 0.1 %: two-sided p < 0.001


def test_overdispersion_flags_only_the_real_shifts(catalogue):
    """True rates 30 % ± 3 points between communes: a chance-only funnel flags dozens."""
    m = catalogue.measures["22"]
    shifted = {0, 1, 2}
    found_real, found_other = 0, 0
    for seed in range(6):
        rng = random.Random(seed)
        per_ward = _province(m, rng, 0.03, shifted)
        wards = {o.ward for o in find_outliers(m, per_ward, {})}
        found_real += len(wards & {f"{i:05d}" for i in shifted})
        found_other += len(wards - {f"{i:05d}" for i in shifted})
        # without the allowance, the exact test alone flags a good share of ordinary communes
        chance_only = [w for w, figs in per_ward.items()
                       if tail_probability(figs[m.numerator].count, _expected(per_ward, m, w))
                       < 0.001]
        assert len(chance_only) > 20
    assert found_real >= 16  # of 18 real shifts
    assert found_other <= 2  # of 756 ordinary communes


def _expected(per_ward, m, w):
    num = sum(f[m.numerator].count for k, f in per_ward.items() if k != w)
    den = sum(f[m.denominator].count for k, f in per_ward.items() if k != w)
    return per_ward[w][m.denominator].count * num / den


def test_between_commune_variance_is_zero_without_spread(catalogue):
    m = catalogue.measures["22"]
    per_ward = _province(m, random.Random(7), 0.0)
    pairs = {w: (f[m.numerator].count, f[m.denominator].count) for w, f in per_ward.items()}
    assert between_commune_variance(m, pairs, 0.30) == 0.0
    spread = _province(m, random.Random(7), 0.03)
    pairs = {w: (f[m.numerator].count, f[m.denominator].count) for w, f in spread.items()}
    assert 0.02 < math.sqrt(between_commune_variance(m, pairs, 0.30)) < 0.04



def test_a_first_death_after_a_year_without_one_is_not_a_break_with_the_past(catalogue):
    """A commune with no neonatal death last year and one or two this year is noise, not
    "cao bất thường so với năm trước": a zero last year must not make any case look impossible
    (half a case added, as against the province). A real jump from zero is still flagged."""
    m = catalogue.measures["3a"]
    now = {f"{i:05d}": ward(1, 350, m) for i in range(30)}
    past = {k: ward(1, 350, m) for k in now}
    for code in ("00001", "00002", "00003"):
        past[code] = ward(0, 340, m)
    now["00002"] = ward(2, 350, m)
    now["00003"] = ward(12, 350, m)  # 34 per mille after none
    flagged = {(o.ward, o.kind) for o in find_outliers(m, now, past)}
    assert ("00001", "past") not in flagged and ("00002", "past") not in flagged
    assert ("00003", "past") in flagged


def test_the_quick_screen_never_hides_an_unusual_count():
    """unusual_tail skips the exact tail when twice the probability of the count itself is at
    least 1 in 1,000; on a grid across the flagging edge (counts 0 to 100,000, expectations
    within six standard deviations) it flags exactly what the exact tail flags."""
    for k in [0, 1, 2, 3, 5, 8, 13, 21, 40, 75, 150, 400, 1_000, 5_000, 20_000, 100_000]:
        for step in range(-60, 61):
            mu = k + step / 10 * math.sqrt(k + 1)
            if mu <= 0:
                continue
            exact = tail_probability(k, mu)
            assert unusual_tail(k, mu) == (exact if exact < 0.001 else None), (k, mu)


def test_a_country_of_ordinary_communes_sums_few_exact_tails(catalogue, monkeypatch):
    """3,321 communes of one vaccination rate, no real difference between them: the funnel
    is chance alone (no widening), so every commune is tested, and the quick screen settles all
    but a few without the series sum."""
    import kh75_desktop.outliers as outliers

    m = catalogue.measures["22"]
    rng = random.Random(5)
    per_ward = {}
    for i in range(3321):
        n = rng.randint(200, 2000)
        per_ward[f"{i:05d}"] = ward(round(n * 0.3 + rng.gauss(0, math.sqrt(n * 0.21))), n, m)
    summed = []
    exact = outliers.tail_probability
    monkeypatch.setattr(outliers, "tail_probability",
                        lambda k, mu: summed.append(k) or exact(k, mu))
    found = find_outliers(m, per_ward, {})
    assert len(found) <= 10
    assert len(summed) <= 100
