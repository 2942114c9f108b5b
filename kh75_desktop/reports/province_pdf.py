"""Sở Y tế's printed report: who reported (coverage first), the province's measures summed over
the communes against the plan's targets with each value's coverage beside it, the communes'
difficulties and proposals in their own words, then the annexes: charts and the communes'
submission status in code order. Issuer and signature from the one signatory setting."""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..disclosure import HIDDEN_NOTE, any_hidden, hides
from ..judgement_words import status_summary
from ..narrative import SECTIONS, paragraphs
from ..numbers_vi import format_date, format_stored
from ..packages.province_side import (
    STATUS_WORDS,
    commune_narratives,
    commune_statuses,
    period_summary,
    province_measures,
)
from ..reporting_period import deadline_for
from ..signatory import signatory_for
from ..storage.store import Store
from .charts import CHART_LEGEND, unit_groups, value_vs_target
from .commune_pdf import CHART_WIDTH, contacts_table, rows_table
from .content import PLAN_REF, UNIT_LINE, measure_rows
from .pdf_common import (
    build_pdf,
    closing,
    fitted_widths,
    form_header,
    grid_style,
    styles,
)
from .pdf_common import header as doc_header

PROVINCE_COLUMNS = [("Mã", "key"), ("Chỉ tiêu", "name"), ("Giá trị", "value"),
                    ("Chỉ tiêu năm", "target"), ("Đánh giá", "status_word"),
                    ("Có số liệu", "coverage")]
GATHERED = ("difficulties", "proposals")


def build_province_pdf(store: Store, year: int, today: date | None = None) -> bytes:
    today = today or date.today()
    st = styles()
    cat = store.catalogue
    sig = signatory_for(store)
    measures = province_measures(store, year)
    results = [pm.result for pm in measures]
    statuses = sorted(commune_statuses(store, year, today), key=lambda s: s.commune.code)
    heard = [s for s in statuses if s.status != "nothing"]
    late = [s for s in statuses if s.late]
    deadline = deadline_for(cat, year)
    coverage = (f"Đến ngày {format_date(today)}, {len(heard)}/{len(statuses)} xã, phường đã gửi "
                f"báo cáo năm {year}; {sum(s.status == 'accepted' for s in statuses)} báo cáo đã "
                f"được chấp nhận; {len(late)} đơn vị gửi sau hạn {format_date(deadline)} hoặc "
                "chưa gửi.")
    partial = len(heard) < len(statuses)
    story = [doc_header(list(sig.issuer), "Số:        /BC-SYT", "Ninh Bình", today,
                        governing=0 if sig.collective else len(sig.issuer) - 1),
             Spacer(1, 8 * mm), Paragraph("BÁO CÁO", st["title"]),
             Paragraph(f"Tổng hợp kết quả thực hiện các mục tiêu, chỉ tiêu về trẻ em năm {year} "
                       "của các xã, phường theo Kế hoạch số 75/KH-UBND ngày 18/09/2025 của UBND "
                       "tỉnh Ninh Bình", st["subject"]),
             Paragraph(f"Thực hiện {PLAN_REF}, Sở Y tế tổng hợp báo cáo của các xã, phường năm "
                       f"{year} như sau:", st["body"]),
             Paragraph("I. TÌNH HÌNH GỬI BÁO CÁO", st["heading"]),
             Paragraph(coverage + (" Các số liệu toàn tỉnh dưới đây chỉ tính trên các đơn vị đã "
                                   "gửi, chưa đại diện cho cả tỉnh." if partial else ""),
                       st["body"]),
             Paragraph(f"Kỳ báo cáo: {escape(period_summary(store, year))}", st["body"]),
             Paragraph("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU TOÀN TỈNH", st["heading"]),
             Paragraph("Tử số và mẫu số được cộng từ các xã, phường đã gửi; chỉ tiêu Có/Không "
                       "tính theo tỷ lệ trên tổng số xã, phường; cột cuối ghi số đơn vị có số liệu "
                       f"cho từng chỉ tiêu. So với chỉ tiêu năm: {status_summary(results)}.",
                       st["body"]),
             form_header("01/KH75-TH", "Sở Y tế tỉnh Ninh Bình", "UBND tỉnh Ninh Bình; Bộ Y tế",
                         UNIT_LINE),
             Spacer(1, 3),
             rows_table(measure_rows(cat, results, share_of_communes=True,
                                     labels=[(pm.label, f"{pm.communes}/{pm.total}")
                                             for pm in measures]), PROVINCE_COLUMNS)]
    if any_hidden(results):
        story.append(Paragraph(f"<i>Ghi chú: {HIDDEN_NOTE}</i>", st["small"]))
    story += _gathered(store, year, st)
    story.append(KeepTogether([
        Paragraph("Trên đây là báo cáo tổng hợp kết quả thực hiện các mục tiêu, chỉ tiêu về trẻ em "
                  f"năm {year} của các xã, phường./.", st["body"]), Spacer(1, 6),
        closing(list(sig.recipients), sig.title_lines(), sig.signer, sig.preparer or None)]))
    story += _annexes(cat, results, statuses, deadline, st)
    return build_pdf(story, f"Báo cáo tổng hợp chỉ tiêu trẻ em năm {year} — Sở Y tế Ninh Bình")


def _gathered(store: Store, year: int, st) -> list:
    """III and IV: the communes' difficulties and proposals, each under its commune."""
    narratives = commune_narratives(store, year)
    story = []
    for numeral, key in zip(("III", "IV"), GATHERED, strict=True):
        section = next(s for s in SECTIONS if s.key == key)
        story.append(Paragraph(f"{numeral}. {section.title} CỦA CÁC XÃ, PHƯỜNG", st["heading"]))
        written = [(c, n[key]) for c, n in narratives if n.get(key)]
        if not written:
            story.append(Paragraph("Chưa có xã, phường nào ghi nội dung này.", st["body"]))
        for commune, text in written:
            parts = paragraphs(text)
            story.append(Paragraph(f"<b>{escape(commune.name)}</b>: {escape(parts[0])}",
                                   st["body"]))
            story += [Paragraph(escape(p), st["body"]) for p in parts[1:]]
    return story


def _annexes(cat, results, statuses, deadline, st) -> list:
    story = [PageBreak(), Paragraph("PHỤ LỤC", st["title"]),
             Paragraph("Phụ lục 1. Biểu đồ các chỉ tiêu toàn tỉnh", st["heading"]),
             Paragraph(f"<i>{CHART_LEGEND}</i>", st["small"])]
    for goal, name in cat.goals.items():
        shown = [r for r in results if r.measure.goal == goal and not hides(r.measure, r.numerator)]
        for unit, group in unit_groups(shown):
            story.append(KeepTogether([Paragraph(f"<b>{escape(name)}</b>", st["small"]),
                                       value_vs_target(group, unit, CHART_WIDTH),
                                       Spacer(1, 6)]))
    head = ("STT", "Mã", "Xã, phường", "Trạng thái", "Phiên bản", "Ngày nhận", "Trễ hạn")
    body_rows = []
    for i, s in enumerate(statuses, 1):
        body_rows.append([str(i), s.commune.code, s.commune.name, STATUS_WORDS[s.status],
                          str(s.version or ""), format_stored(s.received_at, with_time=False),
                          "Có" if s.late else ""])
    widths = fitted_widths([[h] + [r[i] for r in body_rows] for i, h in enumerate(head)], 2, 9)
    rows = [[Paragraph(f"<b>{h}</b>", st["cellc"]) for h in head],
            [Paragraph(c, st["cellc"]) for c in ("A", "B", "C", "1", "2", "3", "4")]]
    style = grid_style(2)
    for r in body_rows:
        rows.append([escape(x) for x in r])
        if r[-1]:
            style.append(("TEXTCOLOR", (6, len(rows) - 1), (6, len(rows) - 1),
                          colors.HexColor("#b3261e")))
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(style + [("FONTSIZE", (0, 2), (-1, -1), 9),
                                       ("ALIGN", (3, 2), (-1, -1), "CENTER")]))
    story += [PageBreak(), Paragraph("Phụ lục 2. Danh sách xã, phường (theo mã)", st["heading"]),
              form_header("02/KH75-TH", "Sở Y tế tỉnh Ninh Bình", "UBND tỉnh Ninh Bình",
                          f"Hạn gửi báo cáo: {format_date(deadline)}"), Spacer(1, 3), table,
              KeepTogether([Paragraph("Phụ lục 3. Đường dây hỗ trợ", st["heading"]),
                            contacts_table([])])]
    return story
