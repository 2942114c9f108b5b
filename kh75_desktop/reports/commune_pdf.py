"""The commune's report for its meeting, as a chairman signs it: the body (what was done, the
figures with a short table, the difficulties, proposals and next year's direction) and the
signature block, then the annexes (the full "Biểu số" table with intervals, the charts, the
contacts and the package's fingerprint). "DỰ THẢO" on every page until the report is sent."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..contacts import PLAN_CONTACTS
from ..disclosure import hides
from ..measures import measure_value
from ..numbers_vi import format_stored
from ..report_status import status_label
from ..storage.exchange import ExchangeStore
from ..storage.store import Store
from .charts import CHART_LEGEND, trends, unit_groups, value_vs_target
from .content import UNIT_LINE, CommuneReport, MeasureRow, cell_text, commune_report
from .pdf_common import (
    CONTENT_WIDTH,
    FONT,
    STATUS_HEX,
    build_pdf,
    closing,
    fitted_widths,
    form_header,
    grid_style,
    styles,
)
from .pdf_common import header as doc_header

DRAFT = "DỰ THẢO"
CHART_WIDTH = CONTENT_WIDTH - 12  # the frame's own padding


def _cell(text: str, style, colour: str | None = None) -> Paragraph:
    body = escape(text)
    return Paragraph(f'<font color="{colour}">{body}</font>' if colour else body, style)


def rows_table(rows: list[MeasureRow], columns: list[tuple[str, str]], flex: int = 1,
               numbered: bool = True, font_size: float = 10, flex_share: float = 0.3) -> Table:
    """A table of measure rows, one column per (header, MeasureRow attribute), grouped under
    the plan's goals, with widths that never split a word or a number."""
    st = styles()
    cell = st["cell"].clone("c", fontSize=font_size, leading=font_size + 2)
    cellc = st["cellc"].clone("cc", fontSize=font_size, leading=font_size + 2)
    texts = [[head] + [cell_text(r, attr) for r in rows] for head, attr in columns]
    widths = fitted_widths(texts, flex, font_size, flex_min=flex_share * CONTENT_WIDTH)
    head = [Paragraph(f"<b>{escape(h)}</b>", cellc) for h, _ in columns]
    table = [head]
    style = grid_style(1 + numbered)
    if numbered:
        table.append([Paragraph(c, cellc) for c in "AB12345678"[:len(columns)]])
    goal = None
    for r in rows:
        if r.goal != goal:
            goal = r.goal
            table.append([Paragraph(f"<b>{escape(goal)}</b>", cell)] + [""] * (len(columns) - 1))
            style += [("SPAN", (0, len(table) - 1), (-1, len(table) - 1)),
                      ("BACKGROUND", (0, len(table) - 1), (-1, len(table) - 1),
                       colors.HexColor("#f7f9fb"))]
        line = []
        for i, (_, attr) in enumerate(columns):
            colour = STATUS_HEX[r.status] if attr == "status_word" else None
            line.append(_cell(cell_text(r, attr), cell if i == flex else cellc, colour))
        table.append(line)
    t = Table(table, colWidths=widths, repeatRows=1 + numbered)
    t.setStyle(TableStyle(style))
    return t


SUMMARY_COLUMNS = [("Mã", "key"), ("Chỉ tiêu", "name"), ("Kết quả", "value"),
                   ("Chỉ tiêu năm", "target"), ("Đánh giá", "status_word"),
                   ("Còn cách chỉ tiêu", "shortfall")]
FULL_COLUMNS = [("Mã", "key"), ("Chỉ tiêu", "name"), ("Giá trị", "value"),
                ("Khoảng tin cậy 95%", "interval"), ("Chỉ tiêu năm", "target"),
                ("Đánh giá", "status_word"), ("Năm trước", "previous")]


def qr_drawing(text: str, size: float = 32 * mm) -> Drawing:
    widget = QrCodeWidget(text)
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return d


def contacts_table(local_contacts) -> Table:
    st = styles()
    rows = [[Paragraph("<b>Liên hệ</b>", st["cell"]), Paragraph("<b>Số điện thoại</b>",
                                                               st["cellc"])]]
    for c in PLAN_CONTACTS:
        rows.append([Paragraph(escape(f"{c.name} — {c.note}"), st["cell"]),
                     Paragraph(f"<b>{escape(c.phone)}</b>", st["cellc"])])
    for c in local_contacts:
        rows.append([Paragraph(escape(" — ".join(x for x in (c.name, c.organisation, c.note)
                                                 if x)), st["cell"]),
                     Paragraph(escape(c.phone), st["cellc"])])
    t = Table(rows, colWidths=[CONTENT_WIDTH - 40 * mm, 40 * mm], repeatRows=1)
    t.setStyle(TableStyle(grid_style(1)))
    return t


def body(report: CommuneReport) -> list:
    """From the header to the signature block."""
    st = styles()
    sig = report.signatory
    story = [doc_header(list(sig.issuer), "Số:        /BC-UBND", report.short_name, report.today,
                        governing=0 if sig.collective else len(sig.issuer) - 1),
             Spacer(1, 8 * mm)]
    if report.draft:
        story.append(Paragraph(f"<b>{DRAFT}</b>", st["title"].clone("d", fontSize=13,
                                                                    textColor="#b3261e")))
    story += [Paragraph("BÁO CÁO", st["title"]),
              Paragraph(escape(report.subject), st["subject"]),
              Paragraph(escape(report.intro), st["body"]),
              Paragraph(escape(report.period), st["body"])]
    sections = report.sections()
    for numeral, heading, paragraphs in sections[:-1]:
        story.append(Paragraph(f"{numeral}. {escape(heading)}", st["heading"]))
        if paragraphs is None:
            story += [Paragraph(escape(p), st["body"]) for p in report.figures_paragraphs]
            story += [Paragraph("<i>Bảng 1. Kết quả các chỉ tiêu năm "
                                f"{report.year}</i>", st["center"]),
                      rows_table(report.summary_rows(), SUMMARY_COLUMNS, numbered=False,
                                 font_size=9.5, flex_share=0.34),
                      Spacer(1, 4)]
        else:
            story += [Paragraph(escape(p), st["body"]) for p in paragraphs]
    # The last section travels with the signature block: never a page of signature alone.
    numeral, heading, paragraphs = sections[-1]
    story.append(KeepTogether(
        [Paragraph(f"{numeral}. {escape(heading)}", st["heading"])]
        + [Paragraph(escape(p), st["body"]) for p in paragraphs]
        + [Paragraph("Trên đây là báo cáo kết quả triển khai, thực hiện các mục tiêu, chỉ tiêu "
                     f"về trẻ em năm {report.year} của Ủy ban nhân dân {report.kind_word} "
                     f"{escape(report.short_name)}./.", st["body"]), Spacer(1, 6),
           closing(list(sig.recipients), sig.title_lines(), sig.signer, sig.preparer)]))
    return story


def annexes(report: CommuneReport, store: Store, data_dir: Path) -> list:
    st = styles()
    cat = store.catalogue
    history, year = report.history, report.year
    story = [PageBreak(), Paragraph("PHỤ LỤC", st["title"]),
             Paragraph(f"(Kèm theo Báo cáo kết quả thực hiện các chỉ tiêu về trẻ em năm {year} "
                       f"của UBND {report.kind_word} {escape(report.short_name)})",
                       st["center"]),
             Paragraph("Phụ lục 1. Biểu số 01/KH75: kết quả các chỉ tiêu", st["heading"]),
             form_header("01/KH75", f"UBND {report.kind_word} {escape(report.short_name)}",
                         "Sở Y tế tỉnh Ninh Bình", UNIT_LINE),
             Spacer(1, 3), rows_table(report.rows, FULL_COLUMNS),
             Paragraph(f"<i>Ghi chú: {escape(report.table_note)}</i>", st["small"])]
    charts = [PageBreak(), Paragraph("Phụ lục 2. Biểu đồ", st["heading"]),
              Paragraph(f"<i>{CHART_LEGEND}</i>", st["small"])]
    for goal, name in cat.goals.items():
        shown = [r for r in report.results if r.measure.goal == goal
                 and not hides(r.measure, r.numerator)]
        for unit, group in unit_groups(shown):
            charts.append(KeepTogether([Paragraph(f"<b>{escape(name)}</b>", st["small"]),
                                        value_vs_target(group, unit, CHART_WIDTH),
                                        Spacer(1, 6)]))
    years = sorted(y for y in history if y <= year)
    if len(years) >= 2:
        series = {m.key: [(y, None if hides(m, _count(history.get(y, {}), m.numerator))
                           else measure_value(m, history.get(y, {}))) for y in years]
                  for m in cat.measures.values()}
        t2030 = {}
        for m in cat.measures.values():
            t = m.target_for(2030, store.profile().ward_kind)
            t2030[m.key] = t.value if t is not None and t.op != "reduce_pct" else None
        rows = trends(series, {m.key: m.unit for m in cat.measures.values()}, t2030,
                      CHART_WIDTH)
        if rows:  # the caption never stands alone at the foot of a page
            charts.append(KeepTogether([
                Paragraph(f"<b>Diễn biến các năm {years[0]}–{years[-1]}</b> (trục dọc từ 0, "
                          "theo đơn vị của chỉ tiêu; đường nét đứt: chỉ tiêu năm 2030)",
                          st["small"]), rows[0]]))
            charts += rows[1:]
    story += charts
    story.append(KeepTogether([Paragraph("Phụ lục 3. Đường dây hỗ trợ, liên hệ", st["heading"]),
                               contacts_table(store.contacts())]))
    story.append(KeepTogether([Paragraph("Phụ lục 4. Gói số liệu gửi Sở Y tế", st["heading"]),
                               package_box(store, data_dir, year, report.kind_word)]))
    return story


def _count(figures, element: str | None) -> int | None:
    f = figures.get(element) if element else None
    return f.count if f is not None else None


def package_box(store: Store, data_dir: Path, year: int, kind_word: str) -> Table:
    from ..packages.keys import CommuneKey, key_fingerprint

    st = styles()
    p = store.profile()
    sent = ExchangeStore(store.engine).packages(p.ward_code, year, "submission", "out")
    rs = store.report_status(p.ward_code, year)
    key = CommuneKey(data_dir)
    fp = key_fingerprint(key.public_key()) if key.exists() else "(chưa có khóa ký)"
    if sent:
        last = sent[-1]
        package_text = (f"Gói báo cáo phiên bản {last.sequence} gửi ngày "
                        f"{format_stored(last.created_at, with_time=False)}; "
                        f"mã kiểm tra: {last.manifest_sha256[:16]}")
        qr_text = f"KH75;{p.ward_code};{year};v{last.sequence};{last.manifest_sha256};{fp}"
    else:
        package_text = "Chưa gửi gói báo cáo cho năm này."
        qr_text = f"KH75;{p.ward_code};{year};{fp}"
    info = [Paragraph(f"Trạng thái báo cáo: <b>{status_label(rs.status, rs.version, rs.official)}"
                      "</b>", st["plain"]),
            Paragraph(package_text, st["plain"]),
            Paragraph(f"Dấu vân tay khóa ký của {kind_word}: <b>{fp}</b>", st["plain"]),
            Paragraph("<i>Sở Y tế đối chiếu dấu vân tay này khi nhận gói đầu tiên; mã QR chứa "
                      "các thông tin trên để đối chiếu bằng máy.</i>", st["small"])]
    box = Table([[info, qr_drawing(qr_text)]], colWidths=[CONTENT_WIDTH - 36 * mm, 36 * mm])
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                             ("FONTNAME", (0, 0), (-1, -1), FONT),
                             ("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
    return box


def build_commune_pdf(store: Store, data_dir: Path, year: int, today: date | None = None) -> bytes:
    report = commune_report(store, year, today)
    return build_pdf(body(report) + annexes(report, store, data_dir),
                     f"Báo cáo chỉ tiêu trẻ em năm {year} — {report.ward_name}",
                     watermark=DRAFT if report.draft else "")
