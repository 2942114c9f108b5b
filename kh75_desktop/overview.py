"""What the overview page shows: completion, measures against targets per goal, and a deadline
card that follows the report (days left, sent on time or late, returned, accepted) with the next
step in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .measures import MeasureResult, completion, compute_all
from .numbers_vi import format_date, format_measure, stored_day
from .reporting_period import deadline_for, estimate_words, official_hint, period_of
from .storage.exchange import ExchangeStore
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
    deadline_card: DeadlineCard | None = None


@dataclass(frozen=True)
class DeadlineCard:
    headline: str  # the card's big line
    detail: str  # the line under it
    next_step: str  # what the officer does now
    tone: str  # "ok" (green), "warn" (amber), "late" (red) or "neutral"


NEAR_DAYS = 14


def deadline_card(status: str, deadline: date, today: date, sent_on: date | None = None,
                  open_comments: int = 0, official: bool = False) -> DeadlineCard:
    """The deadline card for a report in `status`: before sending it counts the days (amber
    within two weeks, red once past); once sent it says when and whether on time; then what Sở
    Y tế decided. The next step is always said."""
    d = format_date(deadline)
    if status == "accepted":
        return DeadlineCard("Sở Y tế đã chấp nhận", _sent_words(sent_on, deadline),
                            "Không cần làm gì thêm cho năm này.", "ok")
    if status == "returned":
        return DeadlineCard(f"Sở Y tế trả lại ({open_comments} ý kiến)",
                            _sent_words(sent_on, deadline),
                            "Sửa các số liệu có ý kiến, trả lời từng ý kiến rồi gửi lại.", "warn")
    if status == "exported":
        late = sent_on is not None and sent_on > deadline
        return DeadlineCard(f"Đã gửi ngày {format_date(sent_on)}" if sent_on else "Đã gửi",
                            _sent_words(sent_on, deadline), "Chờ Sở Y tế xem xét và phản hồi.",
                            "warn" if late else "ok")
    days = (deadline - today).days
    if days > 0:
        headline, tone = f"Còn {days} ngày", "warn" if days <= NEAR_DAYS else "neutral"
    elif days == 0:
        headline, tone = "Hôm nay là hạn", "warn"
    else:
        headline, tone = f"Đã quá hạn {-days} ngày", "late"
    if status == "corrected":
        step = "Gửi lại gói báo cáo đã sửa cho Sở Y tế."
    elif official:
        step = "Thay số ước tính bằng số chính thức rồi gửi lại."
    elif status == "complete":
        step = "Số liệu đã đủ: kiểm tra trước khi gửi rồi tạo gói gửi Sở Y tế."
    else:
        step = "Nhập đủ số liệu, kiểm tra trước khi gửi rồi tạo gói gửi Sở Y tế."
    return DeadlineCard(headline, f"Hạn gửi Sở Y tế: {d}", step, tone)


def _sent_words(sent_on: date | None, deadline: date) -> str:
    if sent_on is None:
        return f"Hạn gửi: {format_date(deadline)}"
    late = (sent_on - deadline).days
    when = f"Gửi ngày {format_date(sent_on)}"
    return f"{when}, muộn {late} ngày so với hạn {format_date(deadline)}" if late > 0 \
        else f"{when}, đúng hạn ({format_date(deadline)})"


def build_overview(store: Store, profile: Profile, year: int, today: date | None = None) -> Overview:
    history = store.history(profile.ward_code)
    results = compute_all(store.catalogue, year, profile.ward_kind, history.get(year, {}), history)
    answered, total = completion(results)
    rs = store.report_status(profile.ward_code, year)
    deadline = deadline_for(store.catalogue, year)
    today = today or date.today()
    period = period_of(store, profile.ward_code, year)
    period_words = (period.words() + " " + estimate_words(history.get(year, {}))).strip()
    exchange = ExchangeStore(store.engine)
    sent = exchange.packages(profile.ward_code, year, "submission", "out")
    sent_on = stored_day(sent[-1].created_at) if sent else None
    card = deadline_card(rs.status, deadline, today, sent_on,
                         len(exchange.open_comments(profile.ward_code, year)), rs.official)
    return Overview(year, answered, total, results, rs.status, rs.version, deadline,
                    (deadline - today).days, rs.official, period_words,
                    official_hint(year, rs.status, rs.official, today), card)


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
