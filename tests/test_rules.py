"""Hard and soft rules over a commune-year's figures."""

from kh75_desktop.figures import Figure
from kh75_desktop.rules import check_figures, hard, is_large_change, soft


def figs(**values):
    return {k: Figure(k, count=v) for k, v in values.items()}


def test_death_ordering(catalogue):
    bad = check_figures(catalogue, figs(deaths_neonatal=3, deaths_under1=2, deaths_under5=4))
    assert [f.rule for f in hard(bad)] == ["neonatal_le_under1"]
    assert not check_figures(catalogue, figs(deaths_neonatal=1, deaths_under1=2, deaths_under5=2))


def test_numerator_above_denominator_is_hard_except_cohorts(catalogue):
    found = check_figures(catalogue, figs(u5_measured=100, u5_underweight=101))
    assert [f.rule for f in hard(found)] == ["ratio_4a"]
    found = check_figures(catalogue, figs(grade1_cohort=100, primary_completed=104))
    assert [f.rule for f in soft(found)] == ["ratio_17a"] and not hard(found)


def test_missing_strategy_skip_if_any(catalogue):
    assert not check_figures(catalogue, figs(deaths_neonatal=5))


def test_negative_count_is_hard(catalogue):
    assert [f.rule for f in check_figures(catalogue, figs(live_births=-1))] == ["non_negative"]


def test_year_change_ignores_small_count_noise(catalogue):
    assert not is_large_change(1, 3, 0.5, 3)        # 1 -> 3 deaths is noise
    assert is_large_change(40, 90, 0.5, 3)          # 40 -> 90 is not
    assert not is_large_change(1000, 1100, 0.5, 3)  # +10 % on a big count: within range
    prev = figs(children_injured=40)
    found = check_figures(catalogue, figs(children_injured=95), prev)
    assert [f.rule for f in soft(found)] == ["year_change"]
    assert "40 → 95" in found[0].message
