"""The fill-in template an officer hands to the health station, schools, police and civil-status
officer, and its import back.

One sheet per source office lists exactly the figures that office provides, with definitions,
last year's figure and data validation on the cells to fill. Reading it back checks every cell
first and reports each problem by sheet and address; then the same hard and soft rules as typed
entry apply, and the figures are stored all together or not at all.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import KH75Error
from ..figures import Figure
from ..files import os_reason
from ..numbers_vi import parse_count, parse_yes_no
from ..reporting_period import check_year
from ..rules import check_figures, hard, soft
from ..storage.store import Store
from .xlsx_common import (
    BODY,
    BOLD,
    HEADER_FILL,
    fit_row_heights,
    new_workbook,
    print_legibly,
    put,
    sheet_title,
    to_bytes,
)

META_SHEET = "KH75"
FIRST_ROW = 5
COLUMNS = ("Mã số liệu", "Số liệu", "Định nghĩa", "Năm trước", "Năm nay", "Không có số liệu: lý do",
           "Ghi chú", "Giải thích (khi thay đổi lớn)")
INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")
YES, NO = "Có", "Không"


def build_template(store: Store, year: int) -> bytes:
    p = store.profile()
    cat = store.catalogue
    current = store.figures(p.ward_code, year)
    last = store.figures(p.ward_code, year - 1)
    wb = new_workbook()
    for source, source_name in cat.sources.items():
        elements = [e for e in cat.elements.values() if e.source == source]
        if not elements:
            continue
        ws = wb.create_sheet(sheet_title(source_name, wb.sheetnames))
        ws["B1"] = f"{p.ward_name} — số liệu năm {year} do {source_name} cung cấp"
        ws["B1"].font = Font(bold=True, name="Times New Roman", size=13)
        ws["B2"] = ("Điền vào cột “Năm nay” (ô màu vàng). Số nguyên, không âm; có thể viết 1.234. "
                    "Nếu không có số liệu, để trống và ghi lý do. Số liệu kỳ báo cáo: 01/01 – "
                    f"31/12/{year}.")
        ws["B2"].alignment = Alignment(wrap_text=True)
        ws.merge_cells("B2:H2")
        ws.row_dimensions[2].height = 32
        for col, h in enumerate(COLUMNS, 1):
            c = ws.cell(row=FIRST_ROW - 1, column=col, value=h)
            c.font, c.fill = BOLD, HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")
        count_dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                  allow_blank=True, showErrorMessage=True,
                                  errorTitle="Số liệu không hợp lệ",
                                  error="Hãy nhập số nguyên không âm.")
        yesno_dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="Chỉ nhận Có hoặc Không",
                                  error="Chọn Có hoặc Không.")
        ws.add_data_validation(count_dv)
        ws.add_data_validation(yesno_dv)
        for i, e in enumerate(elements):
            row = FIRST_ROW + i
            prev = last.get(e.key)
            now = current.get(e.key)
            values = [e.key, e.name, e.definition, _shown(prev), _shown(now),
                      now.missing_reason if now else None, now.note if now else None,
                      now.explanation if now else None]
            for col, v in enumerate(values, 1):
                c = put(ws.cell(row=row, column=col), v)  # the commune's words stay words
                c.font = BODY
                c.alignment = Alignment(wrap_text=True, vertical="top")
            cell = ws.cell(row=row, column=5)
            cell.fill = INPUT_FILL
            cell.protection = Protection(locked=False)
            (yesno_dv if e.kind == "yesno" else count_dv).add(cell)
            if e.kind == "count":
                cell.number_format = "#,##0"
                ws.cell(row=row, column=4).number_format = "#,##0"
            for col in (6, 7, 8):
                ws.cell(row=row, column=col).protection = Protection(locked=False)
        # Column A holds the technical key the import reads: kept, hidden from view and print.
        for col, w in zip("ABCDEFGH", (14, 32, 46, 10, 11, 20, 18, 20), strict=True):
            ws.column_dimensions[col].width = w
        ws.column_dimensions["A"].hidden = True
        fit_row_heights(ws, [[c.value for c in row] for row in ws.iter_rows(
            min_row=FIRST_ROW - 1, max_row=FIRST_ROW + len(elements) - 1)], FIRST_ROW - 1)
        ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
        print_legibly(ws, FIRST_ROW - 1)
    meta = wb.create_sheet(META_SHEET)
    for r, (k, v) in enumerate((("commune", p.ward_code), ("year", year),
                                ("catalogue", cat.version)), 1):
        meta.cell(row=r, column=1, value=k)
        meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "hidden"
    return to_bytes(wb)


def _shown(f: Figure | None):
    if f is None:
        return None
    if f.count is not None:
        return f.count
    if f.flag is not None:
        return YES if f.flag else NO
    return None


@dataclass(frozen=True)
class TemplateProblem:
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        return f"Trang '{self.sheet}', ô {self.cell}: {self.message}"


class TemplateRejected(KH75Error):
    def __init__(self, problems: list[TemplateProblem]):
        self.problems = problems
        super().__init__("Mẫu số liệu có lỗi, chưa lưu số liệu nào:\n" +
                         "\n".join(f"- {p}" for p in problems))


def read_template(store: Store, data: bytes, label: str = "mẫu") -> tuple[int, list[Figure]]:
    """Every figure filled in, after every cell is checked; TemplateRejected lists all problems."""
    p = store.profile()
    cat = store.catalogue
    _check_size(data, label)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as err:  # openpyxl raises many kinds for a broken file
        raise KH75Error(f"Không đọc được tệp Excel {label}: tệp hỏng hoặc không phải .xlsx.") from err
    if META_SHEET not in wb.sheetnames:
        raise KH75Error(f"{label}: không phải mẫu số liệu KH75 (thiếu trang {META_SHEET}).")
    meta = {wb[META_SHEET].cell(row=r, column=1).value: wb[META_SHEET].cell(row=r, column=2).value
            for r in range(1, 4)}
    if str(meta.get("commune")) != p.ward_code:
        raise KH75Error(f"{label}: mẫu này của đơn vị mã {meta.get('commune')}, không phải "
                        f"{p.ward_name}.")
    try:
        year = check_year(int(meta.get("year")))
    except (TypeError, ValueError, KH75Error) as err:
        raise KH75Error(f"{label}: trang {META_SHEET} không ghi năm hợp lệ.") from err
    problems: list[TemplateProblem] = []
    figures: list[Figure] = []
    seen: set[str] = set()
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        if ws.max_row > MAX_ROWS:
            raise KH75Error(f"{label}: trang {ws.title} có {ws.max_row} dòng; mẫu chỉ có vài "
                            "chục dòng. Hãy dùng đúng tệp mẫu do ứng dụng tạo.")
        for merged in ws.merged_cells.ranges:  # a merged cell would keep an old value hidden
            if merged.max_row >= FIRST_ROW and merged.max_col >= 5:
                problems.append(TemplateProblem(ws.title, str(merged), "các ô bị gộp (merge); hãy "
                                                "bỏ gộp để mỗi số liệu nằm ở ô riêng."))
        for row in range(FIRST_ROW, ws.max_row + 1):
            key = ws.cell(row=row, column=1).value
            if key is None:
                continue
            address = f"E{row}"
            element = cat.elements.get(str(key).strip())
            if element is None:
                problems.append(TemplateProblem(ws.title, f"A{row}", f"mã số liệu '{key}' không "
                                                "có trong danh mục (đừng sửa cột A)."))
                continue
            if element.key in seen:
                problems.append(TemplateProblem(ws.title, f"A{row}", f"{element.name} xuất hiện "
                                                "hai lần."))
                continue
            seen.add(element.key)
            raw = ws.cell(row=row, column=5).value
            formula = formulas[ws.title].cell(row=row, column=5).value
            if raw is None and isinstance(formula, str) and formula.startswith("="):
                problems.append(TemplateProblem(ws.title, address, "ô có công thức nhưng chưa có "
                                                "giá trị tính sẵn: mở tệp bằng Excel, lưu lại, "
                                                "hoặc gõ thẳng con số."))
                continue
            reason = _text(ws.cell(row=row, column=6).value)
            common = dict(source=element.source, note=_text(ws.cell(row=row, column=7).value),
                          explanation=_text(ws.cell(row=row, column=8).value))
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if reason:
                    figures.append(Figure(element.key, missing_reason=reason, **common))
                continue
            if element.kind == "yesno":
                try:
                    figures.append(Figure(element.key, flag=parse_yes_no(raw), **common))
                except KH75Error as err:
                    problems.append(TemplateProblem(ws.title, address, err.message))
                continue
            try:
                if isinstance(raw, bool):
                    raise KH75Error(f"'{raw}' không phải là số.")
                if isinstance(raw, float) and not (math.isfinite(raw) and abs(raw) < 1e15):
                    raise KH75Error(f"'{raw}' quá lớn, không phải số liệu của một xã, phường.")
                if isinstance(raw, (int, float)):
                    if raw != int(raw) or raw < 0:
                        raise KH75Error(f"'{raw}' phải là số nguyên không âm.")
                    count = int(raw)
                else:
                    count = parse_count(str(raw))
            except KH75Error as err:
                problems.append(TemplateProblem(ws.title, address, err.message))
                continue
            figures.append(Figure(element.key, count=count, **common))
    if problems:
        raise TemplateRejected(problems)
    return year, figures


MAX_ROWS = 500  # the template's longest sheet has a few dozen rows
MAX_UNPACKED_BYTES = 5 * 1024 * 1024  # a filled template unpacks to well under 1 MB


def _check_size(data: bytes, label: str) -> None:
    """Refuse a workbook whose sheets unpack to far more than a template (a 92 KB file can hold a
    million rows) before openpyxl builds a cell for each."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise KH75Error(f"Không đọc được tệp Excel {label}: tệp hỏng hoặc không phải .xlsx.") \
            from err
    if unpacked > MAX_UNPACKED_BYTES:
        raise KH75Error(f"{label}: tệp chứa quá nhiều dữ liệu so với một mẫu số liệu; hãy dùng đúng "
                        "tệp mẫu do ứng dụng tạo.")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def import_template(store: Store, path: Path, who: str) -> tuple[int, int]:
    """Read, check and store a filled template all or nothing; returns (year, figures stored)."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise KH75Error(f"Không đọc được {path}: {os_reason(err)}.") from err
    year, figures = read_template(store, data, Path(path).name)
    if not figures:
        raise KH75Error(f"{Path(path).name}: mẫu chưa có số liệu nào được điền.")
    p = store.profile()
    merged = store.figures(p.ward_code, year)
    merged.update({f.element: f for f in figures})
    findings = check_figures(store.catalogue, merged, store.figures(p.ward_code, year - 1))
    touched = {f.element for f in figures}
    relevant = [f for f in findings if touched & set(f.elements)]
    unexplained = [f for f in soft(relevant)
                   if not any(merged[e].explanation for e in f.elements if e in merged)]
    blocking = hard(relevant) + unexplained
    if blocking:
        raise KH75Error("Mẫu số liệu vi phạm quy tắc kiểm tra, chưa lưu số liệu nào:\n" + "\n".join(
            f"- {f.message}" + (" (ghi giải thích ở cột H)" if f.importance == "soft" else "")
            for f in blocking))
    from ..backup import make_backup
    from ..profile import data_dir_of

    make_backup(data_dir_of(store), "truoc-nhap-mau")
    store.save_figures(p.ward_code, year, figures, who=who, explain_soft="template")
    return year, len(figures)
