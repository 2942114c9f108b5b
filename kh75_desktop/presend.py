"""Everything that stands between the officer and a clean package, in one list: figures not yet
entered or explained, figures a rule refuses, warnings without an explanation, Sở Y tế's comments
without an answer, estimates not yet marked, and the keys. Each item names the figure (or the
measure) it concerns so the window can jump to it; blocking items keep the export closed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .rules import HARD, SOFT, check_figures
from .storage.store import LOCKED_STATES


@dataclass(frozen=True)
class PresendItem:
    kind: str  # missing, error, warning, comment, estimate, key, province_key
    blocking: bool
    text: str
    element: str | None = None  # the figure to jump to
    measure: str | None = None  # or the measure a comment is about


def missing_elements(store, ward: str, year: int) -> list[str]:
    """The figures neither entered nor explained as missing, in catalogue order."""
    figures = store.figures(ward, year)
    return [k for k in store.catalogue.elements if k not in figures or not figures[k].is_answered]


def presend_items(store, data_dir: Path, year: int, today: date | None = None
                  ) -> list[PresendItem]:
    from .packages.keys import CommuneKey
    from .reporting_period import cutoff_for
    from .storage.exchange import ExchangeStore

    today = today or date.today()
    cat = store.catalogue
    ward = store.profile().ward_code
    status = store.report_status(ward, year)
    if status.status in LOCKED_STATES:
        return []
    figures = store.figures(ward, year)
    items = [PresendItem("missing", True, f"Chưa nhập: {cat.elements[k].name}", element=k)
             for k in missing_elements(store, ward, year)]
    for finding in check_figures(cat, figures, store.figures(ward, year - 1)):
        first = finding.elements[0] if finding.elements else None
        if finding.importance == HARD:
            items.append(PresendItem("error", True, f"Số liệu mâu thuẫn: {finding.message}",
                                     element=first))
        elif finding.importance == SOFT and not any(
                figures.get(k) is not None and figures[k].explanation
                for k in finding.elements):
            items.append(PresendItem("warning", True, f"Cần giải thích: {finding.message}",
                                     element=first))
    exchange = ExchangeStore(store.engine)
    if status.status in ("returned", "corrected"):
        for c in exchange.open_comments(ward, year):
            if not c.answer.strip():
                items.append(PresendItem("comment", True, f"Chưa trả lời ý kiến của Sở Y tế về "
                                         f"chỉ số {c.measure}: {c.comment}", measure=c.measure))
    cutoff = cutoff_for(store, year)
    if not status.official and today <= date(year, 12, 31) and cutoff < date(year, 12, 31) \
            and figures and not any(f.estimated for f in figures.values()):
        items.append(PresendItem(
            "estimate", False, f"Chưa có số liệu nào ghi “ước tính”: số liệu tính đến ngày chốt "
            f"{cutoff:%d/%m/%Y}; những số đã ước tính đến hết năm hãy đánh dấu “Ước tính”."))
    if not CommuneKey(data_dir).exists():
        items.append(PresendItem("key", True, "Chưa có khóa ký của xã: tạo khóa ở trang Gói gửi "
                                 "Sở Y tế."))
    if exchange.province_key() is None:
        items.append(PresendItem("province_key", True, "Chưa nhập tệp khóa của Sở Y tế."))
    return items


def readiness_words(items: list[PresendItem]) -> str:
    """The export button's words: what remains, or that the package can be made."""
    blocking = sum(1 for i in items if i.blocking)
    if blocking:
        return f"Còn {blocking} việc phải xong trước khi gửi"
    return "Tạo gói gửi Sở Y tế"
