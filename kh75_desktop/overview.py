"""What the overview page shows: completion, measures against targets per goal, deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .measures import MeasureResult, completion, compute_all
from .numbers_vi import format_date, format_measure
from .reporting_period import deadline_for, estimate_words, official_hint, period_of
from .storage.models import Profile
from .storage.store import Store


@dataclass(frozen=True)
class Overview:
    year: int
    answered: int
    total: int
    results: list[MeasureResult]
    report_status: str
    report_version: int
    deadline: date
    days_left: int
    official: bool  # reopened for (or sent with) the official figures
    period_words: str  # the dates the figures cover and how many are estimates
    official_hint: str  # "" unless the year ended and official figures are due


def build_overview(store: Store, profile: Profile, year: int, today: date | None = None) -> Overview:
    history = store.history(profile.ward_code)
    results = compute_all(store.catalogue, year, profile.ward_kind, history.get(year, {}), history)
    answered, total = completion(results)
    rs = store.report_status(profile.ward_code, year)
    deadline = deadline_for(store.catalogue, year)
    today = today or date.today()
    period = period_of(store, profile.ward_code, year)
    period_words = (period.words() + " " + estimate_words(history.get(year, {}))).strip()
    return Overview(year, answered, total, results, rs.status, rs.version, deadline,
                    (deadline - today).days, rs.official, period_words,
                    official_hint(year, rs.status, rs.official, today))


def deadline_words(days_left: int, deadline: date) -> str:
    d = format_date(deadline)
    if days_left > 0:
        return f"Còn {days_left} ngày đến hạn gửi báo cáo ({d})"
    if days_left == 0:
        return f"Hôm nay là hạn gửi báo cáo ({d})"
    return f"Đã quá hạn gửi báo cáo {-days_left} ngày (hạn {d})"


def interval_words(r: MeasureResult) -> str:
    """The uncertainty, for the tooltip and the detail pane (the reason line says the verdict)."""
    if r.interval is None or r.value is None or r.measure.kind not in ("rare", "prevalence"):
        return ""
    unit = r.measure.unit
    lo, hi = (format_measure(x, unit) for x in r.interval)
    words = f"Khoảng tin cậy 95% năm {r.year}: {lo} – {hi}."
    if r.pooled is not None:
        p = r.pooled
        plo, phi = (format_measure(x, unit) for x in p.interval)
        words += (f" Gộp {p.years[0]}–{p.years[-1]}: {format_measure(p.value, unit)} "
                  f"(khoảng tin cậy 95%: {plo} – {phi}).")
    return words


def interval_short(r: MeasureResult) -> str:
    """The interval in a table cell: "91,2% – 93,9%"."""
    if r.interval is None or r.value is None or r.measure.kind not in ("rare", "prevalence"):
        return ""
    lo, hi = (format_measure(x, r.measure.unit) for x in r.interval)
    return f"{lo} – {hi}"
