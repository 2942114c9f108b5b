"""Measures computed from figures, judged against targets, checked on hand-worked cases."""

from decimal import Decimal

import pytest

from kh75_desktop.figures import Figure
from kh75_desktop.measures import MET, NO_DATA, NO_TARGET, NOT_APPLICABLE, NOT_MET, TOO_FEW, compute_measure


def figs(**values):
    out = {}
    for k, v in values.items():
        out[k] = Figure(k, flag=v) if isinstance(v, bool) else Figure(k, count=v)
    return out


def run(catalogue, key, year=2026, kind="xa", history=None, **values):
    return compute_measure(catalogue, catalogue.measures[key], year, kind, figs(**values), history)


def test_one_neonatal_death_in_180_births_is_too_few_to_judge(catalogue):
    r = run(catalogue, "3a", live_births=180, deaths_neonatal=1)
    assert r.value == Decimal(1) * 1000 / 180  # 5.5556 per mille, exact decimal
    lo, hi = r.interval
    assert float(lo) == pytest.approx(0.0253 / 180 * 1000, abs=1e-3)   # 0.1407
    assert float(hi) == pytest.approx(5.5716 / 180 * 1000, abs=1e-3)   # 30.953
    assert r.status == TOO_FEW


def test_large_commune_is_judged(catalogue):
    # 30 deaths in 10,000 births: 3.0 per mille, interval 2.02-4.28, wholly under 5.
    r = run(catalogue, "3a", live_births=10000, deaths_neonatal=30)
    assert r.value == Decimal("3")
    assert r.status == MET
    r = run(catalogue, "3a", live_births=10000, deaths_neonatal=90)
    assert r.status == NOT_MET


def test_percent_with_wilson_interval(catalogue):
    r = run(catalogue, "4a", u5_measured=263, u5_underweight=81)
    assert r.value == Decimal(8100) / 263  # 30.80 %
    assert [float(x) for x in r.interval] == pytest.approx([25.53, 36.62], abs=0.01)
    assert r.status == NOT_MET


def test_obesity_target_depends_on_commune_kind(catalogue):
    values = dict(u5_measured=1000, u5_obese=70)  # 7 %, interval 5.6-8.7
    assert run(catalogue, "4c", kind="xa", **values).status == NOT_MET
    assert run(catalogue, "4c", kind="phuong", **values).status == MET


def test_no_2026_target_for_5b_and_6(catalogue):
    assert run(catalogue, "5b", children_under5=900, u5_fully_vaccinated=880).status == NO_TARGET
    r = run(catalogue, "6", year=2030, hiv_exposed_infants=400, hiv_infected_infants=2)
    assert r.status == MET and r.value == Decimal("0.5")


def test_missing_zero_denominator_and_yes_no(catalogue):
    assert run(catalogue, "3b", live_births=200).status == NO_DATA
    assert run(catalogue, "12", disaster_children=0, disaster_children_helped=0).status == \
        NOT_APPLICABLE
    assert run(catalogue, "21", play_area=True).status == MET
    assert run(catalogue, "21", play_area=False).status == NOT_MET


def test_school_census_has_no_interval(catalogue):
    r = run(catalogue, "7", schools_total=8, schools_with_toilets=7)
    assert r.interval is None and r.value == Decimal("87.5") and r.status == NOT_MET


def test_child_marriage_yearly_reduction(catalogue):
    last = {2025: figs(child_marriages=40)}
    r = run(catalogue, "13", history=last, child_marriages=30)
    assert r.target_value == Decimal("39.2") and r.status == MET
    r = run(catalogue, "13", history=last, child_marriages=40)
    assert r.status == NOT_MET
    small = {2025: figs(child_marriages=3)}
    assert run(catalogue, "13", history=small, child_marriages=3).status == TOO_FEW
    assert run(catalogue, "13", history=small, child_marriages=0).status == MET
    assert run(catalogue, "13", child_marriages=4).status == NO_DATA  # no last year to compare


def test_on_track_against_straight_path(catalogue):
    # Baseline 2022: 10 % underweight; 2030 target < 6 %: the 2026 path value is 8 %.
    history = {2022: figs(u5_measured=1000, u5_underweight=100)}
    ahead = run(catalogue, "4a", history=history, u5_measured=1000, u5_underweight=75)
    behind = run(catalogue, "4a", history=history, u5_measured=1000, u5_underweight=85)
    assert ahead.on_track is True and behind.on_track is False
    assert run(catalogue, "4a", u5_measured=1000, u5_underweight=75).on_track is None


def test_explained_gap_counts_as_answered(catalogue):
    f = {"live_births": Figure("live_births", count=120),
         "deaths_neonatal": Figure("deaths_neonatal", missing_reason="Trạm y tế chưa gửi số")}
    r = compute_measure(catalogue, catalogue.measures["3a"], 2026, "xa", f)
    assert r.status == NO_DATA and r.answered
