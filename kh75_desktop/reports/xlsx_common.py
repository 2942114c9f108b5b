"""Shared openpyxl helpers: header rows, number formats (with the decimals a value needs), real
dates, text always stored as text (a cell from a package starting with "=" is never a formula),
sheet names within Excel's rules, and an A4 print setup that stays legible."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill
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
    from textwrap import wrap

    lines = 1
    for value, width in zip(values, widths, strict=False):
        if width and isinstance(value, str):
            chars = max(1, int(width * 1.1))  # Times New Roman 11 in Excel's units
            # broken at spaces, as the spreadsheet does ("4c (phường)" in a narrow column is
            # three lines, not the two its length alone gives); a short part is one line
            lines = max(lines, sum(1 if len(part) <= chars else len(wrap(part, chars))
                                   for part in value.split("\n")))
    return lines


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
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
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
              title_line: str | None = None) -> Worksheet:
    ws = wb.create_sheet(sheet_title(title, wb.sheetnames))
    start = 1
    if title_line:
        title = ws.cell(row=1, column=1, value=title_line)
        title.data_type = "s"
        title.font = Font(bold=True, name="Times New Roman", size=13)
        start = 3
    for col, h in enumerate(headers, 1):
        c = ws.cell(row=start, column=col, value=h)
        c.font, c.fill = BOLD, HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    body = named_style(wb, "KH75 Nội dung", font=BODY, alignment=WRAP)
    day = named_style(wb, "KH75 Ngày", font=BODY, alignment=WRAP, number_format=DATE_FORMAT)
    for row in rows:  # appended as whole rows of cells: no lookup of each cell by position
        cells = []
        for value in row:
            cell = Cell(ws, value=value)
            cell.style = day if isinstance(value, date) else body
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: "= 100,0%" or "=HYPERLINK(…)" is no formula
            cells.append(cell)
        ws.append(cells)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    widths = widths or [max(10, min(60, max((len(str(r[i])) for r in rows), default=8) + 2))
                        for i in range(len(headers))]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    fit_row_heights(ws, [headers, *rows], start)
    print_legibly(ws, start)
    if not landscape:
        ws.page_setup.orientation = "portrait"
    ws.auto_filter.ref = f"A{start}:{get_column_letter(len(headers))}{start + len(rows)}"
    return ws


def add_note(ws: Worksheet, text: str) -> None:
    """A note two rows below a sheet's table (as text, never a formula)."""
    cell = ws.cell(row=ws.max_row + 2, column=1, value=text)
    cell.data_type = "s"
    cell.font = Font(italic=True, name="Times New Roman", size=10)


def set_formats(ws: Worksheet, column: int, formats: list[str], first_row: int) -> None:
    for i, fmt in enumerate(formats):
        ws.cell(row=first_row + i, column=column).number_format = fmt


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb
