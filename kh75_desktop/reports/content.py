"""What a printed report says, apart from how it is drawn: the measure rows as text (for the
summary table in the body and the full table in the annex), the shortfall in plain words, and the
commune report's parts in order. The PDF (reportlab) and the Word copy (python-docx) both render
from here, so the two never say different things."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..disclosure import HIDDEN_NOTE, any_hidden, hides, shown_value
from ..judgement_words import status_summary
from ..measures import (
    NOT_MET,
    STATUS_SHORT,
    MeasureResult,
    completion,
    compute_all,
    measure_value,
    whole_units_to_target,
)
from ..narrative import FIGURES_HEADING, SECTIONS, load_narrative
from ..numbers_vi import format_measure, format_number, format_target
from ..reporting_period import estimate_words, period_of
from ..signatory import Signatory, signatory_for
from ..storage.store import LOCKED_STATES

PLAN_REF = ("Kế hoạch số 75/KH-UBND ngày 18/09/2025 của Ủy ban nhân dân tỉnh Ninh Bình thực "
            "hiện Chương trình hành động quốc gia vì trẻ em tỉnh Ninh Bình đến năm 2030")
UNIT_LINE = "Đơn vị tính: %, ‰ (phần nghìn), số trẻ trên 100.000 trẻ em, số cuộc"


@dataclass(frozen=True)
class MeasureRow:
    goal: str
    key: str
    name: str
    value: str
    interval: str
    target: str
    status: str  # the status key, for colour
    status_word: str
    previous: str
    estimated: bool
    shortfall: str
    coverage: str = ""  # at the province: "12/129" communes whose figures make the value


GLUED_SIGN = re.compile(r"([<>≤≥=]) (?=\d)")


def cell_text(r: MeasureRow, attr: str) -> str:
    """A table cell's text: the estimate said beside the value, and a comparison sign held to
    its number by a no-break space ("≤ 550/100.000" never leaves "≤" alone on a line)."""
    value = getattr(r, attr)
    if attr == "value" and r.estimated:
        value = f"{value} (ước tính)"
    return GLUED_SIGN.sub("\\1\u00a0", value)


def shown_unit(m, share_of_communes: bool) -> str:
    """At the province a yes/no measure is the share of communes, in percent."""
    return "%" if share_of_communes and m.unit == "yesno" else m.unit


def shortfall_words(r: MeasureResult) -> str:
    """How far a measure that is not met is from its target, in its own unit."""
    if r.status != NOT_MET or r.value is None:
        return ""
    m = r.measure
    if r.shortfall:
        return f"còn {_counted(r.shortfall, m.subject)}"
    if r.target_value is None:
        return ""
    if m.kind == "count":  # 13: this year's cases against last year's, cut by the plan
        over = whole_units_to_target(r.value, r.target_value, "<=", "down")
        return f"cao hơn {_counted(over, m.subject)}"
    if m.kind == "yesno":
        if r.denominator is None:  # a commune's own yes or no: its status says it all
            return ""
        short = whole_units_to_target(r.numerator, r.target_value * r.denominator / 100,
                                      r.target.op, "up")
        return f"còn {_counted(short, 'xã, phường')}"
    gap = abs(Decimal(r.value) - Decimal(r.target_value))
    side = "cao hơn" if r.value > r.target_value else "thấp hơn"
    if m.unit == "%":
        return f"{side} {format_number(gap, 1)}\u00a0điểm\u00a0%"
    return f"{side} {format_measure(gap, m.unit)}"


def _counted(n, what: str) -> str:
    """ "1 cuộc", the number held to what it counts on one line (a no-break space)."""
    return f"{format_number(n)}\u00a0{what}"


def measure_rows(catalogue, results: list[MeasureResult], previous: dict[str, str] | None = None,
                 share_of_communes: bool = False, estimated: dict[str, bool] | None = None,
                 labels: list[tuple[str, str]] | None = None) -> list[MeasureRow]:
    """One row per result, grouped by goal. `labels`, parallel to `results`, gives the province
    its own code ("4c (xã)") and coverage ("12/129 xã, phường đã báo cáo") per row."""
    rows = []
    for goal, goal_name in catalogue.goals.items():
        for i, r in enumerate(results):
            m = r.measure
            if m.goal != goal:
                continue
            label, coverage = labels[i] if labels else (m.key, "")
            unit = shown_unit(m, share_of_communes)
            interval = "" if r.interval is None or hides(m, r.numerator) else " – ".join(
                format_measure(v, unit) for v in r.interval)
            rows.append(MeasureRow(
                goal_name, label, m.name, shown_value(m, r.numerator, r.value, unit), interval,
                format_target(r.target, m.unit), r.status, STATUS_SHORT[r.status],
                (previous or {}).get(m.key, "–"), bool((estimated or {}).get(m.key)),
                shortfall_words(r), coverage))
    return rows


@dataclass
class CommuneReport:
    """Everything the commune's report says, in the order it is printed."""

    year: int
    today: date
    ward_name: str
    short_name: str
    kind_word: str  # "xã" or "phường"
    draft: bool
    signatory: Signatory
    intro: str
    period: str
    figures_paragraphs: list[str]
    rows: list[MeasureRow]
    table_note: str
    narrative: dict[str, str]
    results: list[MeasureResult] = field(repr=False, default_factory=list)
    history: dict = field(repr=False, default_factory=dict)

    @property
    def subject(self) -> str:
        return (f"Kết quả triển khai, thực hiện các mục tiêu, chỉ tiêu về trẻ em năm {self.year} "
                "theo Kế hoạch số 75/KH-UBND ngày 18/09/2025 của UBND tỉnh Ninh Bình")

    def sections(self) -> list[tuple[str, str, list[str] | None]]:
        """(numeral, heading, paragraphs) in order; paragraphs None marks section II, the
        figures, whose text and table the renderer places."""
        from ..narrative import paragraphs

        out = []
        for section in SECTIONS:
            if section.numeral == "III":
                out.append((*FIGURES_HEADING, None))
            text = self.narrative.get(section.key, "")
            out.append((section.numeral, section.title,
                        paragraphs(text) or ["(Chưa viết nội dung phần này.)"]))
        return out

    def summary_rows(self) -> list[MeasureRow]:
        """The body's short table: every measure with a value or a judgement."""
        return [r for r in self.rows if r.value != "–" or r.status == NOT_MET]


def _count(figures, element: str | None) -> int | None:
    f = figures.get(element) if element else None
    return f.count if f is not None else None


def commune_report(store, year: int, today: date | None = None) -> CommuneReport:
    today = today or date.today()
    cat = store.catalogue
    p = store.profile()
    history = store.history(p.ward_code)
    results = compute_all(cat, year, p.ward_kind, history.get(year, {}), history)
    answered, total = completion(results)
    last_year = history.get(year - 1, {})
    previous = {m.key: shown_value(m, _count(last_year, m.numerator), measure_value(m, last_year))
                for m in cat.measures.values()}
    this_year = history.get(year, {})
    estimated = {m.key: any(this_year[k].estimated for k in (m.numerator, m.denominator)
                            if k in this_year) for m in cat.measures.values()}
    withheld = any_hidden(results) or any(
        hides(m, _count(last_year, m.numerator)) for m in cat.measures.values())
    short = p.ward_name.split(" ", 1)[1] if " " in p.ward_name else p.ward_name
    kind_word = "xã" if p.ward_kind == "xa" else "phường"
    scale = "của xã" if p.ward_kind == "xa" else "của phường"
    figures = [f"Đã có số liệu hoặc giải trình cho {answered}/{total} chỉ số của 24 chỉ tiêu. "
               f"So với chỉ tiêu năm: {status_summary(results)}. Với quy mô {scale}, một vài "
               "trường hợp làm tỷ lệ thay đổi lớn, nên các sự kiện hiếm được gộp ba năm khi "
               "một năm quá ít ca; khoảng tin cậy 95% ghi ở Phụ lục 1."]
    not_met = [r for r in results if r.status == NOT_MET]
    if not_met:
        figures.append("Các chỉ tiêu chưa đạt: " + "; ".join(
            f"{r.key} ({r.measure.name}: {shown_value(r.measure, r.numerator, r.value)}, chỉ "
            f"tiêu {format_target(r.target, r.measure.unit)})" for r in not_met) + ".")
    note = ("“Quá ít ca”: quá ít trường hợp để đánh giá — khoảng tin cậy 95% chứa cả giá trị "
            "đạt và chưa đạt chỉ tiêu. “Không phát sinh”: mẫu số bằng 0 trong năm. “Ước tính”: "
            f"giá trị tính từ số liệu ước tính đến 31/12/{year}."
            + (" " + HIDDEN_NOTE if withheld else ""))
    status = store.report_status(p.ward_code, year)
    return CommuneReport(
        year=year, today=today, ward_name=p.ward_name, short_name=short, kind_word=kind_word,
        draft=status.status not in LOCKED_STATES, signatory=signatory_for(store),
        intro=(f"Thực hiện {PLAN_REF}, Ủy ban nhân dân {kind_word} {short} báo cáo kết quả "
               f"triển khai, thực hiện các mục tiêu, chỉ tiêu về trẻ em năm {year} như sau:"),
        period=f"Kỳ báo cáo: {period_of(store, p.ward_code, year).words()} "
               f"{estimate_words(this_year)}".strip(),
        figures_paragraphs=figures,
        rows=measure_rows(cat, results, previous, estimated=estimated), table_note=note,
        narrative=load_narrative(store, year), results=results, history=history)
