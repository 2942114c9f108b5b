"""What Sở Y tế reviews for one commune and year: the queue of reports waiting (oldest first),
and for one report every measure with this year's value beside the earlier years, its target
and status; each figure with its source, note, estimate flag and the commune's explanation; the
changes since the previous version; the answers to the last round's comments; the written
sections. Everything read from a package is bounded and made one inert line here."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import KH75Error
from ..figures import Figure, figure_words
from ..measures import MeasureResult, compute_all, measure_value
from ..narrative import validate_narrative
from ..numbers_vi import format_measure, format_number, format_stored
from ..safe_text import one_line
from ..storage.exchange import ExchangeStore
from ..storage.store import Store
from .payload import stored_figures
from .province_side import commune_statuses, scope_communes

MAX_LINES = 300  # changes or answers shown from one package
TEXT_LIMIT = 300


@dataclass(frozen=True)
class FigureLine:
    element: str
    name: str
    value: str
    previous: str
    estimated: bool
    source: str
    note: str  # the commune's note, or its reason for a missing figure
    explanation: str  # why an unlikely value is right


@dataclass(frozen=True)
class ChangeLine:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class AnswerLine:
    measure: str
    comment: str
    answer: str


@dataclass
class Review:
    ward: str
    name: str
    year: int
    version: int
    received_at: str  # "29/11/2026 15:20"
    results: list[MeasureResult]
    past: dict[str, list[str]]  # measure key -> values of the three earlier years, newest first
    figures: list[FigureLine]
    changes: list[ChangeLine]
    answers: list[AnswerLine]
    narrative: dict[str, str]
    warnings: list[str] = field(default_factory=list)  # soft findings the intake noted


def review_queue(store: Store, year: int) -> list:
    """The reports waiting for Sở Y tế's decision, the oldest received first."""
    waiting = [s for s in commune_statuses(store, year) if s.status == "received"]
    return sorted(waiting, key=lambda s: s.received_at)


def _json_figure_words(raw) -> str:
    if not isinstance(raw, dict):
        return "–"
    count, flag, reason = raw.get("count"), raw.get("flag"), raw.get("missing_reason")
    if type(count) is int:
        return format_number(count)
    if type(flag) is bool:
        return "Có" if flag else "Không"
    return "không có số liệu" if isinstance(reason, str) else "–"


def _ward_figures(store: Store, ward: str, year: int) -> dict[str, Figure]:
    """One commune's latest received figures of a year: its own payload only, so opening a
    review never parses the whole province's packages on the window's thread."""
    versions = ExchangeStore(store.engine).submissions(year, ward)
    return stored_figures(json.loads(versions[-1].figures)) if versions else {}


def review_of(store: Store, ward: str, year: int) -> Review:
    cat = store.catalogue
    exchange = ExchangeStore(store.engine)
    versions = exchange.submissions(year, ward)
    row = versions[-1] if versions else None
    commune = next((c for c in scope_communes(store) if c.code == ward), None)
    if row is None or commune is None:
        raise ValueError(f"no report of {ward} for {year}")
    doc = json.loads(row.figures)
    figures = stored_figures(doc)
    history = {y: _ward_figures(store, ward, y) for y in range(year - 3, year)}
    history[year] = figures
    results = compute_all(cat, year, commune.kind, figures, history)
    past = {m.key: [format_measure(measure_value(m, history[y]), m.unit) if history[y] else "–"
                    for y in range(year - 1, year - 4, -1)] for m in cat.measures.values()}
    last_year = history[year - 1]
    lines = []
    for key, e in cat.elements.items():
        f = figures.get(key)
        lines.append(FigureLine(
            key, e.name, figure_words(f), figure_words(last_year.get(key)),
            bool(f and f.estimated), cat.sources.get(f.source or e.source, "") if f else "",
            one_line((f.missing_reason or f.note) if f else "", TEXT_LIMIT),
            one_line(f.explanation if f else "", TEXT_LIMIT)))
    changes = []
    for change in (doc.get("changes") or [])[:MAX_LINES]:
        if not isinstance(change, dict) or change.get("element") not in cat.elements:
            continue
        changes.append(ChangeLine(cat.elements[change["element"]].name,
                                  _json_figure_words(change.get("old")),
                                  _json_figure_words(change.get("new"))))
    answers = []
    for r in (doc.get("responses") or [])[:MAX_LINES]:
        if isinstance(r, dict):
            answers.append(AnswerLine(one_line(r.get("measure", ""), 10),
                                      one_line(r.get("comment", ""), TEXT_LIMIT),
                                      one_line(r.get("answer", ""), TEXT_LIMIT)))
    try:
        narrative = validate_narrative(doc.get("narrative"), commune.name)
    except KH75Error:  # refused on intake already; an old package simply has none
        narrative = {}
    try:
        warnings = [one_line(w, TEXT_LIMIT) for w in json.loads(row.soft_findings)][:MAX_LINES]
    except (ValueError, TypeError):
        warnings = []
    return Review(ward, commune.name, year, row.version, format_stored(row.received_at),
                  results, past, lines, changes, answers, narrative, warnings)
