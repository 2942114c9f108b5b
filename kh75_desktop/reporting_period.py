"""The reporting period: what dates a year's figures cover, which of them are estimates, which
year the app reports on by default, and the official figures sent after the year ends.

The report is due before 15/11 of the year it covers, so figures are counted to a cut-off date
(31/10 unless Sở Y tế sets another for the year) and estimated to 31/12; each figure says whether
it is an estimate ("ước tính"). In the first quarter of the next year the commune reopens the
accepted or sent report and sends the official figures ("số liệu chính thức") as its next
version, whose list of changes shows which estimates moved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from .catalogue import Catalogue
from .errors import KH75Error
from .figures import Figure
from .numbers_vi import format_date, parse_date

CUTOFFS_SETTING = "cutoffs"  # JSON {"2026": "2026-10-31"}: the dates Sở Y tế set, per year
OFFICIAL_STATES = ("exported", "accepted")  # a report that was sent can be reopened as official


FIRST_YEAR = 2020  # history before the plan (2025), entered as sums of the merged communes
LAST_YEAR = 2031  # the plan runs to 2030; its final report is written the year after


def check_year(year: object) -> int:
    """A year any figure may be stored for; KH75Error in words otherwise (0, -5, 1900, 99999)."""
    if type(year) is not int or not FIRST_YEAR <= year <= LAST_YEAR:
        raise KH75Error(f"Năm {str(year)[:10]} nằm ngoài khoảng {FIRST_YEAR}–{LAST_YEAR} của kế "
                        "hoạch; hãy kiểm tra lại năm báo cáo.")
    return year


def deadline_for(catalogue: Catalogue, year: int) -> date:
    """The day a year's report is due at Sở Y tế (15/11 in the plan)."""
    return date(year, catalogue.deadline_month, catalogue.deadline_day)


def default_cutoff(catalogue: Catalogue, year: int) -> date:
    return date(year, catalogue.cutoff_month, catalogue.cutoff_day)


def check_cutoff(year: int, cutoff: date) -> date:
    """A cut-off Sở Y tế may set: inside the year, from 30/06 on (half a year at least)."""
    if not date(year, 6, 30) <= cutoff <= date(year, 12, 31):
        raise KH75Error(f"Ngày chốt số liệu năm {year} phải trong khoảng 30/06/{year} – "
                        f"31/12/{year} (đã nhập {format_date(cutoff)}).")
    return cutoff


def parse_cutoffs(text: str) -> dict[int, date]:
    """The stored cut-offs; entries that are not a valid date of their year are ignored."""
    try:
        raw = json.loads(text or "{}")
    except json.JSONDecodeError:
        return {}
    out: dict[int, date] = {}
    for key, value in (raw.items() if isinstance(raw, dict) else ()):
        try:
            year = int(key)
            out[year] = check_cutoff(year, parse_date(str(value)))
        except (ValueError, KH75Error):
            continue
    return out


def cutoffs_json(cutoffs: dict[int, date]) -> dict[str, str]:
    return {str(y): d.isoformat() for y, d in sorted(cutoffs.items())}


@dataclass(frozen=True)
class Period:
    year: int
    cutoff: date
    official: bool

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.year, 12, 31)

    def words(self) -> str:
        """One line for the report: the dates the figures cover, and what is estimated."""
        if self.official:
            return (f"Số liệu chính thức năm {self.year}, từ ngày {format_date(self.start)} đến "
                    f"ngày {format_date(self.end)}.")
        return (f"Số liệu tính từ ngày {format_date(self.start)} đến ngày "
                f"{format_date(self.cutoff)}; số liệu ghi “ước tính” được ước tính đến ngày "
                f"{format_date(self.end)}.")

    def to_json(self) -> dict:
        return {"cutoff": self.cutoff.isoformat(), "official": self.official}


def estimate_counts(figures: dict[str, Figure]) -> tuple[int, int]:
    """(estimates, figures entered): an explained gap is neither."""
    entered = [f for f in figures.values() if not f.is_missing]
    return sum(1 for f in entered if f.estimated), len(entered)


def estimate_words(figures: dict[str, Figure]) -> str:
    estimated, entered = estimate_counts(figures)
    if not entered:
        return ""
    if not estimated:
        return f"Cả {entered} số liệu đều là số chính thức."
    share = round(100 * estimated / entered)
    return (f"Có {estimated}/{entered} số liệu là số ước tính (khoảng {share}%), đánh dấu "
            "“ước tính” trong các bảng.")


def reporting_year(catalogue: Catalogue, today: date, accepted) -> int:
    """The year to report on: before the deadline, this year; after it, still this year until
    Sở Y tế accepted this year's report, then the next. `accepted(year)` says whether it did."""
    if today < deadline_for(catalogue, today.year) or not accepted(today.year):
        return today.year
    return today.year + 1


def official_opens(year: int) -> date:
    """The first day official figures for `year` may be sent: 01/01 of the next year."""
    return date(year + 1, 1, 1)


def can_send_official(year: int, status: str, official: bool, today: date) -> bool:
    return status in OFFICIAL_STATES and not official and today >= official_opens(year)


def official_hint(year: int, status: str, official: bool, today: date) -> str:
    """What the overview says about official figures, or "" when nothing is due."""
    if not can_send_official(year, status, official, today):
        return ""
    words = (f"Năm {year} đã kết thúc: hãy cập nhật số liệu ước tính bằng số liệu chính thức "
             "và gửi lại Sở Y tế")
    if today <= date(year + 1, 3, 31):
        return words + " trong quý I."
    return words + " (hạn là quý I đã qua)."


# -- stored state ---------------------------------------------------------------------------------
def stored_cutoffs(store) -> dict[int, date]:
    from .storage.exchange import ExchangeStore

    return parse_cutoffs(ExchangeStore(store.engine).setting(CUTOFFS_SETTING))


def cutoff_for(store, year: int) -> date:
    return stored_cutoffs(store).get(year) or default_cutoff(store.catalogue, year)


def set_cutoff(store, year: int, cutoff: date) -> None:
    """Sở Y tế sets a year's cut-off; it travels to communes in every feedback package."""
    from .storage.exchange import ExchangeStore

    cutoffs = stored_cutoffs(store)
    cutoffs[year] = check_cutoff(year, cutoff)
    ExchangeStore(store.engine).set_setting(CUTOFFS_SETTING, json.dumps(cutoffs_json(cutoffs)))


def merge_cutoffs(store, received: dict[int, date], session=None) -> None:
    """A commune keeps the cut-offs from Sở Y tế's latest feedback (already checked)."""
    from .storage.exchange import ExchangeStore

    cutoffs = stored_cutoffs(store)
    cutoffs.update(received)
    ExchangeStore(store.engine).set_setting(CUTOFFS_SETTING, json.dumps(cutoffs_json(cutoffs)),
                                            session)


def period_of(store, ward: str, year: int) -> Period:
    return Period(year, cutoff_for(store, year), store.report_status(ward, year).official)


def reopen_for_official(store, ward: str, year: int, today: date | None = None) -> None:
    """Open a sent report again so the officer can replace estimates with official figures;
    the next export is the report's next version, marked official."""
    today = today or date.today()
    rs = store.report_status(ward, year)
    if rs.official and rs.status not in OFFICIAL_STATES:
        return  # already open for official figures
    if rs.status not in OFFICIAL_STATES:
        raise KH75Error(f"Báo cáo năm {year} chưa gửi Sở Y tế; số liệu chính thức được gửi "
                        "sau khi đã gửi báo cáo ước tính.")
    if rs.official:
        raise KH75Error(f"Số liệu chính thức năm {year} đã được gửi (phiên bản {rs.version}).")
    if today < official_opens(year):
        raise KH75Error(f"Số liệu chính thức năm {year} chỉ gửi được từ ngày "
                        f"{format_date(official_opens(year))}, khi năm đã kết thúc.")
    store.open_official(ward, year)


def working_year(store, profile, today: date) -> int:
    """The year a commune works on: its profile's year, until that year's report is accepted
    and the deadline rule (`reporting_year`) points to a later one."""
    year = profile.current_year
    rule = reporting_year(store.catalogue, today,
                          lambda y: store.report_status(profile.ward_code, y).status == "accepted")
    if rule > year and store.report_status(profile.ward_code, year).status == "accepted":
        return rule
    return year
