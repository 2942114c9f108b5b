"""The province's figures: each measure consolidated over the communes, with its coverage said.

- Rates: numerators and denominators summed over the communes that reported both, judged by the
  measure's kind like a commune's; the coverage ("118/129 xã, phường đã báo cáo") travels with it.
- 4c, whose target differs for xã and phường, is two figures, each judged on its own target.
- 1 and 21 (yes/no per commune): the share of all communes in scope, not of those that reported;
  while the communes not heard from could still change the verdict, it is "not enough data".
- 13: the count compared over the same communes in both years.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .catalogue import COMMUNE_KINDS, Catalogue, Measure
from .communes import Commune
from .figures import Figure
from .measures import INSUFFICIENT, MET, NO_DATA, NO_TARGET, NOT_MET, MeasureResult, compute_measure

KIND_NOUNS = {"": "xã, phường", "xa": "xã", "phuong": "phường"}


@dataclass(frozen=True)
class ProvinceMeasure:
    result: MeasureResult
    communes: int  # communes whose figures went into it
    total: int  # communes in scope (of the group)
    group: str = ""  # "" for all communes, or "xa"/"phuong" for a target set per kind

    @property
    def label(self) -> str:
        """The measure's code, with its group where it is split: "4c (xã)"."""
        key = self.result.measure.key
        return f"{key} ({KIND_NOUNS[self.group]})" if self.group else key

    def coverage_words(self) -> str:
        return f"{self.communes}/{self.total} {KIND_NOUNS[self.group]} đã báo cáo"

    def to_json(self) -> dict[str, Any]:
        out = self.result.to_json()
        out.update(communes=self.communes, total=self.total, group=self.group or None,
                   coverage=self.coverage_words())
        return out


class YearCounts:
    """One year's counts, element by element over the communes, each element read once: a
    measure's sums are then set intersections and sums that run in C. Commune by commune, 33
    measures over 3,321 communes took 260 ms; now reading the 54 elements takes most of 150."""

    def __init__(self, per_ward: dict[str, dict[str, Figure]]):
        self.per_ward = per_ward
        self._columns: dict[str, dict[str, int]] = {}

    def column(self, key: str) -> dict[str, int]:
        """{commune: count} of the communes with a count of `key`."""
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = {
                ward: count for ward, figures in self.per_ward.items()
                if (f := figures.get(key)) is not None and (count := f.count) is not None}
        return col

    def sum(self, keys: list[str], wards: set[str]) -> tuple[dict[str, Figure], set[str]]:
        """Each element summed over the given communes that reported every one of `keys`."""
        columns = [self.column(k) for k in keys]
        used = wards.intersection(*columns)
        if not used:
            return {}, used
        return {k: Figure(k, count=sum(map(col.__getitem__, used)))
                for k, col in zip(keys, columns, strict=True)}, used


def _yes_no_share(m: Measure, year: int, per_ward: dict[str, dict[str, Figure]],
                  wards: set[str]) -> ProvinceMeasure:
    answers = [per_ward[w][m.numerator].flag for w in wards
               if m.numerator in per_ward.get(w, {}) and per_ward[w][m.numerator].flag is not None]
    target = m.target_for(year, "xa")
    total = len(wards)
    if not answers:
        result = MeasureResult(m, year, None, Decimal(total), None, None, target, None, NO_DATA)
        return ProvinceMeasure(result, 0, total)
    yes, unheard = sum(answers), total - len(answers)
    value = Decimal(yes * 100) / Decimal(total)
    if target is None:
        status = NO_TARGET
    elif value >= target.value:
        status = MET
    elif Decimal((yes + unheard) * 100) / Decimal(total) < target.value:
        status = NOT_MET  # even if every commune not heard from says yes
    else:
        status = INSUFFICIENT
    result = MeasureResult(m, year, Decimal(yes), Decimal(total), value, None, target,
                           None if target is None else target.value, status, answered=True)
    return ProvinceMeasure(result, len(answers), total)


def consolidate(catalogue: Catalogue, year: int, scope: tuple[Commune, ...],
                per_year: dict[int, dict[str, dict[str, Figure]]]) -> list[ProvinceMeasure]:
    """Every measure for the province in `year`; `per_year` holds each year's figures by commune
    (the years before feed pooling of rare events and the path to 2030)."""
    return consolidate_counts(catalogue, year, scope,
                              {y: YearCounts(figures) for y, figures in per_year.items()})


def consolidate_counts(catalogue: Catalogue, year: int, scope: tuple[Commune, ...],
                       counts: dict[int, YearCounts]) -> list[ProvinceMeasure]:
    """`consolidate` over each year's figures as YearCounts, which a caller may keep from one
    consolidation to the next (a year's columns are then read once, not after every intake)."""
    now = counts.get(year) or YearCounts({})
    per_ward = now.per_ward
    all_wards = {c.code for c in scope}
    by_kind = {k: {c.code for c in scope if c.kind == k} for k in COMMUNE_KINDS}
    out: list[ProvinceMeasure] = []
    for m in catalogue.measures.values():
        if m.kind == "yesno":
            out.append(_yes_no_share(m, year, per_ward, all_wards))
            continue
        keys = [k for k in (m.numerator, m.denominator) if k]
        if m.kind == "count":
            out.append(_count_change(catalogue, m, year, now, counts.get(year - 1), all_wards))
            continue
        groups = [(k, by_kind[k]) for k in COMMUNE_KINDS] if m.per_commune_kind else [("", all_wards)]
        for group, wards in groups:
            summed, used = now.sum(keys, wards)
            history = {y: c.sum(keys, wards)[0] for y, c in counts.items() if y < year}
            result = compute_measure(catalogue, m, year, group or "xa", summed, history)
            out.append(ProvinceMeasure(result, len(used), len(wards), group))
    return out


def _count_change(catalogue: Catalogue, m: Measure, year: int, now: YearCounts,
                  before: YearCounts | None, wards: set[str]) -> ProvinceMeasure:
    """13 over the communes that reported the count in both years, so the change is real."""
    keys = [m.numerator]
    both = wards.intersection(now.column(m.numerator), before.column(m.numerator)) \
        if before is not None else set()
    if both:
        summed, _ = now.sum(keys, both)
        previous, _ = before.sum(keys, both)
        result = compute_measure(catalogue, m, year, "xa", summed, {year - 1: previous})
        return ProvinceMeasure(result, len(both), len(wards))
    summed, used = now.sum(keys, wards)
    # no commune with both years: the count is shown, the change cannot be judged
    return ProvinceMeasure(compute_measure(catalogue, m, year, "xa", summed, {}), len(used),
                           len(wards))
