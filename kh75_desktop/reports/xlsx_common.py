"""Shared openpyxl helpers: header rows, number formats (with the decimals a value needs), real
dates, text always stored as text (a cell from a package starting with "=" is never a formula,
one holding a control character never stops the workbook),
sheet names within Excel's rules, and an A4 print setup that stays legible."""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
BOLD = Font(bold=True, name="Times New Roman", size=11)
BODY = Font(name="Times New Roman", size=11)
WRAP = Alignment(wrap_text=True, vertical="top")
# Real numbers with formats; Excel and LibreOffice show them with the reader's own separators.
FORMATS = {"%": '0.0"%"', "permille": '0.0"‰"', "per100k": '#,##0.0', "count": "#,##0",
           "yesno": "0"}
DATE_FORMAT = "dd/mm/yyyy"
SHEET_NAME_LIMIT = 31


def value_format(unit: str, value) -> str:
    """The number format for one value: as many decimals as the printed report gives it (0,22%
    is never shown as 0,2% beside a "< 0,12%" target)."""
    if unit not in ("%", "permille", "per100k") or value is None or isinstance(value, str):
        return FORMATS[unit]
    from decimal import Decimal

    from ..numbers_vi import decimals_for

    places = decimals_for(unit, Decimal(str(value)))
    digits = ("." + "0" * places) if places else ""
    suffix = {"%": '"%"', "permille": '"‰"', "per100k": ""}[unit]
    return ("#,##0" if unit == "per100k" else "0") + digits + suffix


def sheet_title(title: str, existing: list[str]) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique in the book."""
    import re

    base = re.sub(r"[\\/?*\[\]:]", "-", title).strip("' ") or "Trang"
    name, n = base[:SHEET_NAME_LIMIT], 2
    while name.lower() in (x.lower() for x in existing):
        tail = f" ({n})"
        name, n = base[:SHEET_NAME_LIMIT - len(tail)] + tail, n + 1
    return name


def row_lines(values, widths: list[float]) -> int:
    """How many lines a row's wrapped text takes in columns of `widths` (0: a hidden column):
    spreadsheet programs do not always grow a row for wrapped text on opening a file, and the
    lines then print over each other."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if width and isinstance(value, str):
            lines = max(lines, _text_lines(value, max(1, int(width * 1.1))))  # Times New Roman 11
    return lines


@lru_cache(maxsize=4096)
def _text_lines(text: str, chars: int) -> int:
    """Lines `text` takes at `chars` a line, broken at spaces as the spreadsheet does ("4c
    (phường)" in a narrow column is three lines, not the two its length alone gives). Cached:
    the province's sheet repeats each indicator's name for 129 communes."""
    from textwrap import wrap

    return sum(1 if len(part) <= chars else len(wrap(part, chars)) for part in text.split("\n"))


def fit_row_heights(ws: Worksheet, rows: list[list], first_row: int, line_pt: float = 15) -> None:
    """Row heights from the values written from `first_row` on (worked out from the values, not
    read back cell by cell: the province's 50,000 cells took an eighth of its workbook)."""
    widths = []
    for i in range(1, max((len(r) for r in rows), default=0) + 1):
        dim = ws.column_dimensions[get_column_letter(i)]
        widths.append(0 if dim.hidden else (dim.width or 10))
    for offset, values in enumerate(rows):
        ws.row_dimensions[first_row + offset].height = line_pt * row_lines(values, widths)


def print_legibly(ws: Worksheet, header_row: int) -> None:
    """A4 landscape, fitted to the page width only, the header row repeated on every page."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def named_style(wb: Workbook, name: str, **attrs) -> str:
    """A workbook-wide named style: one assignment per cell instead of a font and an alignment
    each hashed into the workbook's style tables (the province's 48,000 cells took a second)."""
    if name not in wb.named_styles:
        wb.add_named_style(NamedStyle(name=name, **attrs))
    return name


def add_sheet(wb: Workbook, title: str, headers: list[str], rows: list[list],
              widths: list[int] | None = None, landscape: bool = True,
              title_line: str | None = None, formats: dict[int, list[str]] | None = None,
              note: str | None = None) -> Worksheet:
    """A whole sheet: the title line, the header row, the rows, then `note` two rows below.
    `formats` gives a column's number format row by row (column numbers from 1). The body's
    cells share their style settings: the sheet is finished, not to be restyled cell by cell."""
    ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
    start = 3 if title_line else 1
    widths = widths or [max(10, min(60, max((len(str(r[i])) for r in rows), default=8) + 2))
                        for i in range(len(headers))]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = f"A{start + 1}"
    fit_row_heights(ws, [headers, *rows], start)
    if title_line:
        ws.append([_text_cell(ws, title_line, font=Font(bold=True, name="Times New Roman",
                                                         size=13))])
        ws.append([])
    header_align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.append([_text_cell(ws, h, font=BOLD, fill=HEADER_FILL, alignment=header_align)
               for h in headers])
    body = _style_of(ws, named_style(wb, "KH75 Nội dung", font=BODY, alignment=WRAP))
    day = _style_of(ws, named_style(wb, "KH75 Ngày", font=BODY, alignment=WRAP,
                                    number_format=DATE_FORMAT))
    by_format = {fmt: _style_of(ws, named_style(wb, f"KH75 Số {fmt}", font=BODY, alignment=WRAP,
                                                number_format=fmt))
                 for column in (formats or {}).values() for fmt in set(column)}
    column_formats = sorted((formats or {}).items())
    for r, row in enumerate(rows):
        styles = [day if isinstance(v, date) else body for v in row]
        for col, column in column_formats:
            styles[col - 1] = by_format[column[r]]
        cells = []
        for value, style in zip(row, styles, strict=True):
            if value is None:  # an empty cell is left out, as the spreadsheet would
                cells.append(None)
                continue
            cell = put(Cell(ws, row=1, column=1), value)  # placed by append
            # the named style's settings, one array shared by every cell of that style: a
            # copy each, or the `style` setter's lookup by name, was a seventh of the
            # province's 48,000 cells. Shared, a cell restyled in place would restyle the
            # others; nothing restyles a cell once add_sheet has written it.
            cell._style = style
            cells.append(cell)
        ws.append(cells)
    if note:
        ws.append([])
        ws.append([_text_cell(ws, note, font=Font(italic=True, name="Times New Roman", size=10),
                              alignment=Alignment(wrap_text=True, vertical="top"))])
        # across the table and wrapped to its width: left in one cell, a long note ran on past
        # the table's last column and the printed page was laid out to its end
        row, last = ws.max_row, get_column_letter(len(headers))
        ws.merge_cells(f"A{row}:{last}{row}")
        # at Times New Roman 10, some 1.2 characters a unit of the table's width
        ws.row_dimensions[row].height = 14 * _text_lines(note, max(1, int(sum(widths) * 1.2)))
    print_legibly(ws, start)
    if not landscape:
        ws.page_setup.orientation = "portrait"
    ws.auto_filter.ref = f"A{start}:{get_column_letter(len(headers))}{start + len(rows)}"
    return ws


@lru_cache(maxsize=4096)
def sheet_text(text: str) -> str:
    """Text as a worksheet cell can hold it: the control characters XML cannot carry dropped (a
    note pasted from another program may hold one, and openpyxl then refuses the whole
    workbook) and cut to Excel's 32,767 characters. Cached: the province's sheet repeats each
    name 129 times."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:32767]


def put(cell: Cell, value) -> Cell:
    """`value` in `cell`; text is always stored as text, so a note "=HYPERLINK(…)" or "= 100,0%"
    stays words and never becomes a formula (set as openpyxl's own reader sets a cell)."""
    if isinstance(value, str):
        cell._value, cell.data_type = sheet_text(value), "s"
    else:
        cell.value = value
    return cell


def _style_of(ws: Worksheet, name: str) -> StyleArray:
    """The settings a cell takes from the named style `name`."""
    cell = Cell(ws, row=1, column=1)
    cell.style = name
    return cell._style


def _text_cell(ws: Worksheet, text: str, **style) -> Cell:
    """A cell of text that is never read as a formula, with its own font, fill or alignment."""
    cell = put(Cell(ws, row=1, column=1), text)
    for name, value in style.items():
        setattr(cell, name, value)
    return cell


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb
