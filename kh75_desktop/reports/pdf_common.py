"""The administrative-document frame shared by the commune and province PDFs (Nghị định 30/2020):
A4 with 20/20/30/15 mm margins, an embedded serif with every Vietnamese glyph, the issuing body
and quốc hiệu / tiêu ngữ header, the written-out place-and-date line, "Trang x/y" centred in the
top margin from page 2 on, the "Biểu số" table form, nơi nhận and the signature block."""

from __future__ import annotations

from datetime import date
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..measures import STATUS_COLOURS as MEASURE_STATUS_COLOURS
from ..resources import font_path

FONT = "KH75Serif"
MARGINS = dict(topMargin=20 * mm, bottomMargin=20 * mm, leftMargin=30 * mm, rightMargin=15 * mm)
CONTENT_WIDTH = A4[0] - MARGINS["leftMargin"] - MARGINS["rightMargin"]
STATUS_HEX = MEASURE_STATUS_COLOURS
STATUS_COLOURS = {k: colors.HexColor(v) for k, v in STATUS_HEX.items()}


@cache
def register_fonts() -> str:
    """Liberation Serif (metric-compatible with Times New Roman, SIL OFL), embedded as subsets."""
    faces = {"": "Regular", "-Bold": "Bold", "-Italic": "Italic", "-BoldItalic": "BoldItalic"}
    for suffix, face in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(font_path(f"LiberationSerif-{face}.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Italic",
                                  boldItalic=FONT + "-BoldItalic")
    # Charts start from reportlab's default graphics state, which names Helvetica (an unembedded
    # font) even when every string sets its own font; make our serif the default instead.
    from reportlab.graphics.shapes import STATE_DEFAULTS

    STATE_DEFAULTS["fontName"] = FONT
    return FONT


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=13, leading=17, alignment=TA_JUSTIFY,
                          firstLineIndent=10 * mm, spaceAfter=4)
    return {
        "body": base,
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0, alignment=TA_LEFT),
        "center": ParagraphStyle("center", parent=base, firstLineIndent=0, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName=FONT + "-Bold", fontSize=14,
                                leading=18, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0),
        "subject": ParagraphStyle("subject", parent=base, fontName=FONT + "-Bold", fontSize=13,
                                  alignment=TA_CENTER, firstLineIndent=0, spaceAfter=10),
        "heading": ParagraphStyle("heading", parent=base, fontName=FONT + "-Bold", fontSize=13,
                                  firstLineIndent=0, spaceBefore=8, spaceAfter=4),
        # Table cells wrap between words only: a code or a number is never cut in two.
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=12, splitLongWords=0),
        "cellc": ParagraphStyle("cellc", fontName=FONT, fontSize=10, leading=12,
                                alignment=TA_CENTER, splitLongWords=0),
        "cellb": ParagraphStyle("cellb", fontName=FONT + "-Bold", fontSize=10, leading=12,
                                splitLongWords=0),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=11, leading=14),
        "smallc": ParagraphStyle("smallc", fontName=FONT, fontSize=11, leading=14,
                                 alignment=TA_CENTER),
    }


def date_line(place: str, day: date) -> str:
    return f"{place}, ngày {day.day} tháng {day.month} năm {day.year}"


class _Rule(Flowable):
    """The short rule under the tiêu ngữ."""

    def __init__(self, width: float):
        super().__init__()
        self.width, self.height = width, 2

    def draw(self) -> None:
        self.canv.setLineWidth(0.7)
        self.canv.line(0, 1, self.width, 1)


def header(issuer_lines: list[str], number_line: str, place: str, day: date,
           governing: int = 0) -> Table:
    """Issuing body and number at the left, quốc hiệu, tiêu ngữ and the date line at the right.
    The first `governing` lines name the body above the issuer, in regular weight (NĐ 30)."""
    st = styles()
    left = []
    for i, line in enumerate(issuer_lines):
        text = escape(line) if i < governing else f"<b>{escape(line)}</b>"
        left.append(Paragraph(text, ParagraphStyle("h2", parent=st["smallc"], fontSize=12,
                                                   leading=15)))
    left += [_CentredRule(22 * mm), Spacer(1, 4),
             Paragraph(number_line, ParagraphStyle("n", parent=st["smallc"], fontSize=13))]
    right = [Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>",
                       ParagraphStyle("qh", parent=st["smallc"], fontSize=12, leading=15)),
             Paragraph("<b>Độc lập - Tự do - Hạnh phúc</b>",
                       ParagraphStyle("tn", parent=st["smallc"], fontSize=13, leading=16)),
             _CentredRule(58 * mm), Spacer(1, 6),
             Paragraph(f"<i>{date_line(place, day)}</i>",
                       ParagraphStyle("d", parent=st["smallc"], fontSize=13, leading=16))]
    t = Table([[left, right]], colWidths=[CONTENT_WIDTH * 0.40, CONTENT_WIDTH * 0.60])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return t


class _CentredRule(Flowable):
    def __init__(self, length: float):
        super().__init__()
        self.length, self.height = length, 2

    def wrap(self, avail_width, avail_height):
        self.avail = avail_width
        return avail_width, self.height

    def draw(self) -> None:
        x0 = (self.avail - self.length) / 2
        self.canv.setLineWidth(0.7)
        self.canv.line(x0, 1, x0 + self.length, 1)


def form_header(form_number: str, reporting_unit: str, receiving_unit: str, unit_line: str
                ) -> Table:
    """The "Biểu số" heading: form number at the left, reporting and receiving units at right."""
    st = styles()
    t = Table([[Paragraph(f"<b>Biểu số {form_number}</b>", st["small"]),
                Paragraph(f"Đơn vị báo cáo: <b>{reporting_unit}</b><br/>"
                          f"Đơn vị nhận báo cáo: <b>{receiving_unit}</b>", st["small"])],
               [Paragraph(f"<i>{unit_line}</i>", st["small"]), ""]],
              colWidths=[CONTENT_WIDTH * 0.45, CONTENT_WIDTH * 0.55])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def grid_style(header_rows: int = 2) -> list:
    return [("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), 10),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eef2f7")),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), FONT + "-Bold"),
            ("ALIGN", (0, 0), (-1, header_rows - 1), "CENTER")]


def closing(recipients: list[str], signer_title: list[str], signer_name: str,
            preparer: str | None) -> Table:
    """Nơi nhận at the left; the preparer beside the signatory, both level with it (NĐ 30)."""
    st = styles()
    left = [Paragraph("<b><i>Nơi nhận:</i></b>", ParagraphStyle("nn", parent=st["small"],
                                                                 fontSize=12))]
    left += [Paragraph(f"- {escape(r)}" + (";" if i < len(recipients) - 1 and not
                                           r.endswith((".", ";")) else ""),
                       ParagraphStyle("r", parent=st["small"], fontSize=11, leading=13))
             for i, r in enumerate(recipients)]
    title_style = ParagraphStyle("s", parent=st["smallc"], fontSize=13, leading=16)
    right = [Paragraph("<b>" + "<br/>".join(escape(x) for x in signer_title) + "</b>",
                       title_style),
             Paragraph("<i>(Ký, ghi rõ họ tên, đóng dấu)</i>", st["smallc"]),
             Spacer(1, 22 * mm),
             Paragraph(f"<b>{escape(signer_name)}</b>" if signer_name else "", title_style)]
    if preparer is not None:
        middle = [Paragraph("<b>NGƯỜI LẬP BIỂU</b>", title_style),
                  Paragraph("<i>(Ký, ghi rõ họ tên)</i>", st["smallc"]),
                  Spacer(1, 22 * mm),
                  Paragraph(f"<b>{escape(preparer)}</b>" if preparer else "", title_style)]
        row, widths = [left, middle, right], [0.33, 0.25, 0.42]
    else:
        row, widths = [left, right], [0.45, 0.55]
    t = Table([row], colWidths=[CONTENT_WIDTH * w for w in widths])
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def fitted_widths(columns: list[list[str]], flex: int, font_size: float = 10,
                  padding: float = 12, total: float = CONTENT_WIDTH,
                  flex_min: float = 40 * mm) -> list[float]:
    """Column widths in which no word of any cell is split: each column at least as wide as its
    longest word, as wide as its longest cell when there is room (a header may wrap between its
    words), and column `flex` taking the rest, never less than `flex_min`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()

    def width(text: str, bold: bool) -> float:
        return stringWidth(text, FONT + ("-Bold" if bold else ""), font_size)

    natural, minimum = [], []
    for texts in columns:  # texts[0] is the header (bold)
        words = max(width(w, i == 0) for i, t in enumerate(texts)
                    for w in t.split(" "))  # split(" "): a no-break space joins
        minimum.append(words + padding)
        natural.append(max([width(t, False) for t in texts[1:]] + [words]) + padding)
    widths = list(natural)
    room = total - sum(w for i, w in enumerate(widths) if i != flex)
    floor = max(minimum[flex], flex_min)
    while room < floor:  # narrow the column with the most to spare towards its longest word
        gain, i = max((widths[i] - minimum[i], i) for i in range(len(widths)) if i != flex)
        if gain <= 0.5:
            break
        cut = min(gain, floor - room)
        widths[i] -= cut
        room += cut
    widths[flex] = max(room, minimum[flex])
    return widths


def numbered_canvas_class(title: str, watermark: str = ""):
    """A canvas that writes "Trang x/y" centred in the top margin on every page but the first,
    and `watermark` (DỰ THẢO) faintly across every page."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            self.setTitle(title)
            self.setAuthor("KH75 Desktop")

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if watermark:  # faint across the page, and plainly in the top right corner
                    self.saveState()
                    self.setFont(FONT + "-Bold", 12)
                    self.setFillColor(colors.HexColor("#b3261e"))
                    self.drawRightString(A4[0] - MARGINS["rightMargin"], A4[1] - 12 * mm,
                                         watermark)
                    self.restoreState()
                    self.saveState()
                    self.setFont(FONT + "-Bold", 96)
                    self.setFillColor(colors.Color(0.75, 0.75, 0.75, alpha=0.25))
                    self.translate(A4[0] / 2, A4[1] / 2)
                    self.rotate(55)
                    self.drawCentredString(0, -30, watermark)
                    self.restoreState()
                if self._pageNumber > 1:
                    self.setFont(FONT, 12)
                    self.drawCentredString(MARGINS["leftMargin"] + CONTENT_WIDTH / 2,
                                           A4[1] - 12 * mm, f"Trang {self._pageNumber}/{total}")
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list, title: str, watermark: str = "") -> bytes:
    import io

    register_fonts()
    buf = io.BytesIO()
    # initialFontName: without it every page names Helvetica, an unembedded font.
    doc = SimpleDocTemplate(buf, pagesize=A4, title=title, author="KH75 Desktop",
                            initialFontName=FONT, initialFontSize=12, **MARGINS)
    doc.build(story, canvasmaker=numbered_canvas_class(title, watermark))
    return buf.getvalue()
