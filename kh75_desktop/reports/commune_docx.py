"""The commune's report as an editable Word document (python-docx), because văn thư number, edit
and sign in Word: the same content as the PDF (reports/content.py) in the layout of Nghị định
30/2020 — A4, margins 20/20/30/15 mm, Times New Roman 14 (13 in tables and the signature
block), the header table with quốc hiệu and tiêu ngữ, "DỰ THẢO" in the page header of a draft,
the signature block with the preparer beside the signer, then the annex tables."""

from __future__ import annotations

import io
import re
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..contacts import PLAN_CONTACTS
from .commune_pdf import DRAFT, FULL_COLUMNS, SUMMARY_COLUMNS
from .content import UNIT_LINE, CommuneReport, MeasureRow, cell_text, commune_report
from .pdf_common import date_line

FONT = "Times New Roman"
# Word and LibreOffice may break a line after a dash or a slash, "2–" on one line and "3%/năm"
# on the next; a word joiner (U+2060, no width, no glyph) after one that follows a number holds
# the number whole, as the PDF's lines (broken only at spaces) do.
_BREAK_AFTER_NUMBER = re.compile(r"(?<=[\d%‰])([–/-])(?=\S)")
CENTER, JUSTIFY, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT


def _set_font(style, size: float) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):  # Vietnamese uses all of them
        fonts.set(qn(attr), FONT)


def _unbroken(text: str) -> str:
    return _BREAK_AFTER_NUMBER.sub("\\1\u2060", text)


def _para(container, text: str = "", *, bold=False, italic=False, size: float | None = None,
          align=JUSTIFY, indent: bool = False, after: float = 6, colour: str | None = None):
    p = container.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_after = Pt(after)
    p.paragraph_format.space_before = Pt(0)
    if indent:
        p.paragraph_format.first_line_indent = Cm(1)
    if text:
        run = p.add_run(_unbroken(text))
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour)
    return p


def _lines(cell, lines: list[tuple[str, dict]]) -> None:
    """Fill a table cell with centred lines, each with its own run options."""
    cell.paragraphs[0].text = ""
    first = True
    for text, opts in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        p.alignment = opts.get("align", CENTER)
        p.paragraph_format.space_after = Pt(0)
        run = p.add_run(_unbroken(text))
        run.bold = opts.get("bold", False)
        run.italic = opts.get("italic", False)
        run.font.size = Pt(opts.get("size", 13))


def _widths(table, cms: list[float]) -> None:
    """Fixed column widths (Word honours the cells' widths, LibreOffice the grid's)."""
    table.autofit = False
    for row in table.rows:
        for cell, cm in zip(row.cells, cms, strict=False):
            cell.width = Cm(cm)
    for col, cm in zip(table.columns, cms, strict=False):
        col.width = Cm(cm)


PT_TO_CM = 2.54 / 72
TABLE_PT = 10


def _no_borders(table) -> None:
    borders = table._tbl.tblPr.makeelement(qn("w:tblBorders"), {})
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{edge}"), {qn("w:val"): "nil"}))
    table._tbl.tblPr.append(borders)


def _header(doc, report: CommuneReport) -> None:
    sig = report.signatory
    t = doc.add_table(rows=1, cols=2)
    _no_borders(t)
    left, right = t.rows[0].cells
    _widths(t, [6.0, 10.5])
    _lines(left, [(line, {"bold": True, "size": 13}) for line in sig.issuer]
           + [("―――――", {"size": 10}), ("Số:        /BC-UBND", {"size": 13})])
    _lines(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True, "size": 13}),
                   ("Độc lập - Tự do - Hạnh phúc", {"bold": True, "size": 14}),
                   ("――――――――――", {"size": 10}),
                   (date_line(report.short_name, report.today), {"italic": True, "size": 14})])


def _measure_table(doc, rows: list[MeasureRow], columns: list[tuple[str, str]],
                   flex_share: float) -> None:
    """The measure table, its widths from the same rule as the PDF's (Liberation Serif has
    Times New Roman's metrics): no code or number is ever broken across lines."""
    from .pdf_common import CONTENT_WIDTH, fitted_widths

    texts = [[head] + [cell_text(r, attr) for r in rows] for head, attr in columns]
    widths = fitted_widths(texts, 1, TABLE_PT, padding=16, flex_min=flex_share * CONTENT_WIDTH)
    t = doc.add_table(rows=1, cols=len(columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (head, _) in zip(t.rows[0].cells, columns, strict=True):
        _lines(cell, [(head, {"bold": True, "size": TABLE_PT})])
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    header = t.rows[0]._tr.get_or_add_trPr()  # repeated on every page the table runs onto
    header.append(header.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))
    goal = None
    for r, line in zip(rows, zip(*(col[1:] for col in texts), strict=True), strict=True):
        if r.goal != goal:
            goal = r.goal
            merged = t.add_row().cells
            cell = merged[0].merge(merged[-1])
            _lines(cell, [(goal, {"bold": True, "size": TABLE_PT,
                                  "align": WD_ALIGN_PARAGRAPH.LEFT})])
        cells = t.add_row().cells
        for cell, text, (_, attr) in zip(cells, line, columns, strict=True):
            align = WD_ALIGN_PARAGRAPH.LEFT if attr == "name" else CENTER
            _lines(cell, [(text, {"size": TABLE_PT, "align": align})])
    _widths(t, [w * PT_TO_CM for w in widths])


def _closing(doc, report: CommuneReport) -> None:
    sig = report.signatory
    t = doc.add_table(rows=1, cols=3)
    _no_borders(t)
    left, middle, right = t.rows[0].cells
    _widths(t, [5.5, 4.5, 6.5])
    recipients = [(f"- {r};" if not r.endswith((".", ";")) else f"- {r}", {"size": 11,
                  "align": WD_ALIGN_PARAGRAPH.LEFT}) for r in sig.recipients]
    _lines(left, [("Nơi nhận:", {"bold": True, "italic": True, "size": 12,
                                 "align": WD_ALIGN_PARAGRAPH.LEFT})] + recipients)
    blank = [("", {})] * 4
    _lines(middle, [("NGƯỜI LẬP BIỂU", {"bold": True}), ("(Ký, ghi rõ họ tên)",
                                                         {"italic": True, "size": 12})]
           + blank + [(sig.preparer, {"bold": True})])
    _lines(right, [(line, {"bold": True}) for line in sig.title_lines()]
           + [("(Ký, ghi rõ họ tên, đóng dấu)", {"italic": True, "size": 12})]
           + blank + [(sig.signer, {"bold": True})])


def build_commune_docx(store, year: int, today: date | None = None) -> bytes:
    report = commune_report(store, year, today)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _set_font(doc.styles["Normal"], 14)
    doc.core_properties.title = f"Báo cáo chỉ tiêu trẻ em năm {year} — {report.ward_name}"
    doc.core_properties.author = report.ward_name
    if report.draft:  # on every page, in the page header
        _para(section.header, DRAFT, bold=True, size=13, align=RIGHT, colour="B3261E")
    _header(doc, report)
    _para(doc, after=12)
    if report.draft:
        _para(doc, DRAFT, bold=True, align=CENTER, colour="B3261E", after=0)
    _para(doc, "BÁO CÁO", bold=True, align=CENTER, after=0)
    _para(doc, report.subject, bold=True, align=CENTER, after=12)
    _para(doc, report.intro, indent=True)
    _para(doc, report.period, indent=True)
    for numeral, heading, paragraphs in report.sections():
        _para(doc, f"{numeral}. {heading}", bold=True, after=4)
        if paragraphs is None:
            for text in report.figures_paragraphs:
                _para(doc, text, indent=True)
            caption = _para(doc, f"Bảng 1. Kết quả các chỉ tiêu năm {report.year}",
                            italic=True, align=CENTER, after=2)
            caption.paragraph_format.keep_with_next = True
            _measure_table(doc, report.summary_rows(), SUMMARY_COLUMNS, 0.34)
            _para(doc, after=4)
        else:
            for text in paragraphs:
                _para(doc, text, indent=True)
    _para(doc, f"Trên đây là báo cáo kết quả triển khai, thực hiện các mục tiêu, chỉ tiêu về trẻ "
               f"em năm {report.year} của Ủy ban nhân dân {report.kind_word} "
               f"{report.short_name}./.", indent=True)
    _closing(doc, report)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, "PHỤ LỤC", bold=True, align=CENTER, after=0)
    _para(doc, f"(Kèm theo Báo cáo kết quả thực hiện các chỉ tiêu về trẻ em năm {year} của UBND "
               f"{report.kind_word} {report.short_name})", italic=True, align=CENTER, size=13)
    _para(doc, "Phụ lục 1. Biểu số 01/KH75: kết quả các chỉ tiêu", bold=True, after=2)
    _para(doc, UNIT_LINE, italic=True, size=12, after=4)
    _measure_table(doc, report.rows, FULL_COLUMNS, 0.30)
    _para(doc, f"Ghi chú: {report.table_note}", italic=True, size=12)
    _para(doc, "Phụ lục 2. Biểu đồ: xem bản PDF của báo cáo này.", bold=True)
    _para(doc, "Phụ lục 3. Đường dây hỗ trợ, liên hệ", bold=True, after=2)
    t = doc.add_table(rows=1, cols=2)
    t.style = "Table Grid"
    _lines(t.rows[0].cells[0], [("Liên hệ", {"bold": True, "size": 12})])
    _lines(t.rows[0].cells[1], [("Số điện thoại", {"bold": True, "size": 12})])
    for c in [*PLAN_CONTACTS, *store.contacts()]:
        cells = t.add_row().cells
        name = " — ".join(x for x in (c.name, getattr(c, "organisation", ""), c.note) if x)
        _lines(cells[0], [(name, {"size": 12, "align": WD_ALIGN_PARAGRAPH.LEFT})])
        _lines(cells[1], [(c.phone, {"size": 12})])
    _widths(t, [12.5, 4.0])
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
