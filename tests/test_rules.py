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


# -- the checks a careful reviewer makes (each with the failing example from the issue) ----------
def test_more_deaths_than_births_is_refused(catalogue):
    found = hard(check_figures(catalogue, figs(live_births=150, deaths_neonatal=200)))
    assert [f.rule for f in found] == ["ratio_3a"]
    assert "(200)" in found[0].message and "(150)" in found[0].message
    for element in ("deaths_under1", "deaths_under5"):
        assert hard(check_figures(catalogue, figs(live_births=150, **{element: 151})))


def test_nested_age_groups(catalogue):
    found = hard(check_figures(catalogue, figs(children_under5=1549, children_0_8=1499)))
    assert [f.rule for f in found] == ["under5_le_0_8"]
    found = hard(check_figures(catalogue, figs(children_0_8=3600, children_under5=2000,
                                               children_5y=1700)))
    assert [f.rule for f in found] == ["age5_le_0_8_minus_under5"]
    assert hard(check_figures(catalogue, figs(hiv_exposed_infants=5, live_births=4)))
    assert hard(check_figures(catalogue, figs(disaster_children=9000, children_under16=7000)))
    assert hard(check_figures(catalogue, figs(disabled_children_need_education=40,
                                              children_special=30)))
    assert hard(check_figures(catalogue, figs(children_injured=8000, children_under16=7000)))


def test_age_structure_is_soft(catalogue):
    found = check_figures(catalogue, figs(children_5_17=4000, children_under16=7000))
    assert [f.rule for f in found] == ["age5_17_min"] and not hard(found)
    found = check_figures(catalogue, figs(live_births=100, children_under5=2000))
    assert [f.rule for f in soft(found)] == ["births_share_min"]
    found = check_figures(catalogue, figs(primary_pupils=3000, grade1_cohort=400))
    assert [f.rule for f in soft(found)] == ["primary_pupils_max"]
    found = check_figures(catalogue, figs(u5_measured=800, children_under5=2000))
    assert [f.rule for f in soft(found)] == ["weighed_half_under5"]


def test_population_moving_more_than_15_percent_needs_a_note(catalogue):
    found = check_figures(catalogue, figs(children_under16=3900), figs(children_under16=2671))
    assert [f.rule for f in soft(found)] == ["population_change"]
    assert "+46%" in found[0].message and "2.671 → 3.900" in found[0].message
    assert not check_figures(catalogue, figs(children_under16=2900), figs(children_under16=2671))


def test_a_rate_moving_beyond_its_interval_needs_a_note(catalogue):
    before = figs(u5_measured=1000, u5_underweight=80)
    found = check_figures(catalogue, figs(u5_measured=1000, u5_underweight=150), before)
    assert "rate_change_4a" in [f.rule for f in soft(found)]
    assert not [f for f in check_figures(catalogue, figs(u5_measured=1000, u5_underweight=90),
                                         before) if f.rule.startswith("rate_change")]


def test_birth_registration_may_exceed_the_health_count_by_a_few(catalogue):
    assert not check_figures(catalogue, figs(children_under5=1000, u5_birth_registered=1015))
    found = check_figures(catalogue, figs(children_under5=1000, u5_birth_registered=1040))
    assert [f.rule for f in soft(found)] == ["ratio_14"] and not hard(found)


def test_demo_commune_breaks_no_hard_rule_in_any_year(catalogue):
    from kh75_desktop.communes import communes
    from kh75_desktop.demo import demo_figures

    for commune in communes()[:40]:
        previous = None
        for year in range(2023, 2027):
            figures = {f.element: f for f in demo_figures(commune.code, year)}
            assert not hard(check_figures(catalogue, figures, previous)), (commune.code, year)
            births = figures["live_births"].count
            assert 300 <= births <= 460 and 5000 <= figures["children_under16"].count <= 8000
            previous = figures
