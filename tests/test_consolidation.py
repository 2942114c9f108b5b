"""The province's figures: 4c per commune kind, shares over all 129, 13 over the same communes."""

from decimal import Decimal

from kh75_desktop.communes import communes
from kh75_desktop.consolidation import consolidate
from kh75_desktop.figures import Figure
from kh75_desktop.measures import INSUFFICIENT, MET, NOT_MET


def _by_label(rows):
    return {r.label: r for r in rows}


def test_obesity_judged_per_commune_kind(catalogue):
    scope = communes()
    per_ward = {c.code: {"u5_measured": Figure("u5_measured", count=1000),
                         "u5_obese": Figure("u5_obese", count=70)} for c in scope}  # 7 % each
    rows = _by_label(consolidate(catalogue, 2026, scope, {2026: per_ward}))
    assert "4c" not in rows
    xa, phuong = rows["4c (xã)"], rows["4c (phường)"]
    assert (xa.communes, xa.total, phuong.communes, phuong.total) == (97, 97, 32, 32)
    assert xa.result.status == NOT_MET  # < 5 % for xã
    assert phuong.result.status == MET  # < 10 % for phường
    assert xa.coverage_words() == "97/97 xã đã báo cáo"


def test_yes_no_share_is_over_all_communes(catalogue):
    scope = communes()
    reported = scope[:37]
    per_ward = {c.code: {"child_friendly_commune": Figure("child_friendly_commune", flag=True)}
                for c in reported}
    rows = _by_label(consolidate(catalogue, 2026, scope, {2026: per_ward}))
    r = rows["1"]
    assert r.communes == 37 and r.total == 129
    assert r.result.value == Decimal(3700) / Decimal(129)  # 28.7 %, not 100 %
    assert r.coverage_words() == "37/129 xã, phường đã báo cáo"
    # 37 yes and 92 unheard could still reach 65 %: not enough data to conclude
    assert r.result.status == INSUFFICIENT
    all_yes = {c.code: {"child_friendly_commune": Figure("child_friendly_commune", flag=True)}
               for c in scope[:90]}
    assert _by_label(consolidate(catalogue, 2026, scope, {2026: all_yes}))["1"].result.status == MET
    mostly_no = {c.code: {"child_friendly_commune": Figure("child_friendly_commune", flag=False)}
                 for c in scope[:60]}
    assert _by_label(consolidate(catalogue, 2026, scope,
                                 {2026: mostly_no}))["1"].result.status == NOT_MET


def test_child_marriage_change_over_the_same_communes(catalogue):
    scope = communes()
    a, b, c = (x.code for x in scope[:3])
    count = lambda n: {"child_marriages": Figure("child_marriages", count=n)}  # noqa: E731
    before = {a: count(10), b: count(10)}
    now = {a: count(9), b: count(9), c: count(30)}  # c did not report last year
    r = _by_label(consolidate(catalogue, 2026, scope, {2025: before, 2026: now}))["13"]
    assert r.communes == 2
    assert r.result.value == 18 and r.result.previous == 20
    assert r.result.status == MET  # 18 <= 19.6 allowed
    assert r.result.value != 48  # c's count is not compared with nothing


def test_a_commune_is_summed_only_with_every_figure_of_the_measure(catalogue):
    scope = communes()
    a, b, c, d = (x.code for x in scope[:4])
    births = lambda n: Figure("live_births", count=n)  # noqa: E731
    per_ward = {a: {"live_births": births(400), "deaths_neonatal": Figure("deaths_neonatal",
                                                                          count=2)},
                b: {"live_births": births(300), "deaths_neonatal": Figure(
                    "deaths_neonatal", missing_reason="Sổ A6 bị mất")},  # an explained gap
                c: {"live_births": births(200)},  # the deaths not entered
                d: {"live_births": births(100), "deaths_neonatal": Figure("deaths_neonatal",
                                                                          count=1)}}
    r = _by_label(consolidate(catalogue, 2026, scope, {2026: per_ward}))["3a"]
    assert r.communes == 2 and r.total == 129
    assert (r.result.numerator, r.result.denominator) == (3, 500)  # a and d alone


def _random_figures(catalogue, rng, wards):
    """Each commune's figures as a package may hold them: counts, explained gaps, elements not
    entered, yes/no answers."""
    counts = sorted({k for m in catalogue.measures.values() if m.kind != "yesno"
                     for k in (m.numerator, m.denominator) if k})
    flags = sorted({m.numerator for m in catalogue.measures.values() if m.kind == "yesno"})

    def one() -> dict:
        figures = {}
        for k in counts:
            roll = rng.random()
            if roll < 0.8:
                figures[k] = Figure(k, count=rng.randrange(0, 400))
            elif roll < 0.9:
                figures[k] = Figure(k, missing_reason="Sổ bị mất")
        for k in flags:
            if rng.random() < 0.8:
                figures[k] = Figure(k, flag=rng.random() < 0.6)
        return figures

    return one, {w: one() for w in wards}


def test_counts_mended_after_new_versions_equal_counts_summed_afresh(catalogue):
    import random

    from kh75_desktop.consolidation import YearCounts, consolidate_counts

    scope = communes()
    codes = [c.code for c in scope]
    for seed in range(6):
        rng = random.Random(seed)
        one, now = _random_figures(catalogue, rng, codes[:120])
        history = {y: YearCounts(_random_figures(catalogue, rng, codes[:110])[1])
                   for y in (2024, 2025)}
        counts = original = YearCounts(now)
        first = [p.to_json() for p in consolidate_counts(catalogue, 2026, scope,
                                                         {**history, 2026: counts})]
        for _ in range(4):  # a few intakes, each mending the counts the one before made
            later = dict(now)
            for ward in rng.sample(codes, 3):  # a new version, or a first one
                later[ward] = one()
            later.pop(rng.choice(sorted(later)))  # and one commune gone (a database put back)
            mended = YearCounts(later, previous=counts)
            got = [p.to_json() for p in consolidate_counts(catalogue, 2026, scope,
                                                           {**history, 2026: mended})]
            assert got == [p.to_json() for p in consolidate(
                catalogue, 2026, scope, {2024: history[2024].per_ward,
                                         2025: history[2025].per_ward, 2026: later})]
            now, counts = later, mended
        # the counts a version was mended from are left as they were: a page may still read them
        assert [p.to_json() for p in consolidate_counts(
            catalogue, 2026, scope, {**history, 2026: original})] == first
