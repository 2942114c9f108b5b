"""What guided entry needs for one indicator, and the live preview of its measures.

The page asks this module for an indicator's definition, targets, elements (with the figure already
entered, the other indicators that share it, last years' values) and, as the officer types, the
measures recomputed from figures not yet saved. No rule lives in the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .catalogue import Catalogue, Element, Measure
from .figures import Figure
from .measures import MeasureResult, compute_measure
from .rules import Finding, check_figures, hard


@dataclass(frozen=True)
class ElementView:
    element: Element
    figure: Figure | None
    shared_with: tuple[int, ...]  # other indicators that use this element
    past: tuple[tuple[int, Figure | None], ...]  # (year, figure) for the years before, newest first


@dataclass(frozen=True)
class IndicatorView:
    indicator: int
    goal: int
    plan_text: str
    lead: str
    measures: tuple[Measure, ...]
    elements: tuple[ElementView, ...]


def indicator_view(catalogue: Catalogue, indicator: int, year: int,
                   history: dict[int, dict[str, Figure]], past_years: int = 3) -> IndicatorView:
    ind = catalogue.indicators[indicator]
    figures = history.get(year, {})
    views = []
    for e in catalogue.elements_of_indicator(indicator):
        shared = tuple(sorted({m.indicator for m in catalogue.measures_using(e.key)} - {indicator}))
        past = tuple((y, history.get(y, {}).get(e.key)) for y in range(year - 1, year - 1 - past_years, -1))
        views.append(ElementView(e, figures.get(e.key), shared, past))
    lead = catalogue.leads[ind.lead]
    if ind.partners:
        lead += " (phối hợp: " + ", ".join(catalogue.leads[p] for p in ind.partners) + ")"
    return IndicatorView(indicator, ind.goal, ind.plan_text, lead,
                         tuple(catalogue.measures_of_indicator(indicator)), tuple(views))


def preview(catalogue: Catalogue, indicator: int, year: int, commune_kind: str,
            history: dict[int, dict[str, Figure]], pending: dict[str, Figure]) -> list[MeasureResult]:
    """The indicator's measures as they would be with the pending (unsaved) figures; a typed
    figure that a hard rule refuses is left out, so no result rests on an impossible value."""
    figures = dict(history.get(year, {}))
    previous = history.get(year - 1)
    for figure in pending.values():
        trial = dict(figures)
        trial[figure.element] = figure
        if not any(f.concerns(figure.element)
                   for f in hard(check_figures(catalogue, trial, previous))):
            figures[figure.element] = figure
    return [compute_measure(catalogue, m, year, commune_kind, figures, history)
            for m in catalogue.measures_of_indicator(indicator)]


def pending_findings(catalogue: Catalogue, year: int, history: dict[int, dict[str, Figure]],
                     figure: Figure) -> list[Finding]:
    """Findings about one figure as typed, before it is saved."""
    figures = dict(history.get(year, {}))
    figures[figure.element] = figure
    return [f for f in check_figures(catalogue, figures, history.get(year - 1))
            if f.concerns(figure.element)]


def indicator_progress(catalogue: Catalogue, indicator: int, figures: dict[str, Figure]) -> str:
    """"done" when every element is answered, "partial" when some are, "empty" otherwise."""
    keys = [e.key for e in catalogue.elements_of_indicator(indicator)]
    answered = sum(1 for k in keys if k in figures and figures[k].is_answered)
    return "done" if answered == len(keys) else ("partial" if answered else "empty")


@dataclass(frozen=True)
class LockState:
    """What the officer may change this year: nothing once sent, only the reopened figures
    when Sở Y tế returned the report, everything otherwise; and Sở Y tế's comments."""

    status: str
    unlocked: frozenset[str]
    comments: dict[str, str]  # measure key -> comment

    def editable(self, element: str) -> bool:
        if self.status in ("exported", "accepted"):
            return False
        if self.status in ("returned", "corrected"):
            return element in self.unlocked
        return True

    def reason(self, element: str) -> str:
        if self.status in ("exported", "accepted"):
            return "Đã khóa: báo cáo đã gửi Sở Y tế."
        if self.status in ("returned", "corrected"):
            return ("Mở để sửa: Sở Y tế có ý kiến về số liệu này." if element in self.unlocked
                    else "Đã khóa: giữ như bản đã gửi (Sở Y tế không có ý kiến).")
        return ""


def lock_state(store, ward: str, year: int) -> LockState:
    from .storage.exchange import ExchangeStore

    exchange = ExchangeStore(store.engine)
    status = store.report_status(ward, year).status
    comments = {}
    for c in exchange.open_comments(ward, year) if status in ("returned", "corrected") else []:
        comments[c.measure] = (comments[c.measure] + " " if c.measure in comments else "") + c.comment
    return LockState(status, frozenset(exchange.unlocked_elements(ward, year)), comments)
