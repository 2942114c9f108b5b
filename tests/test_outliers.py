"""Outliers: flagged when the count is implausible for the commune's size, never on noise."""

from kh75_desktop.figures import Figure
from kh75_desktop.outliers import find_outliers, tail_probability


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
