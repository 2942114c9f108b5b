"""Reports read back as a person or another program would: pdftotext, pdffonts, openpyxl and
LibreOffice headless; the fill-in template filled by script and imported."""

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from world import confirmed

from kh75_desktop.demo import demo_figures
from kh75_desktop.errors import KH75Error
from kh75_desktop.measures import compute_all
from kh75_desktop.numbers_vi import format_measure
from kh75_desktop.reports.commune_pdf import build_commune_pdf
from kh75_desktop.reports.template import TemplateRejected, build_template, import_template
from kh75_desktop.reports.xlsx_export import commune_workbook

W = "14464"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="LOUD SKIP: poppler-utils not installed (.ci/run does)")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LOUD SKIP: LibreOffice Calc not "
                                  "installed (apt-get install libreoffice-calc; .ci/run does)")


@pytest.fixture
def demo_store(store):
    for year in range(2023, 2027):
        store.save_figures(W, year, demo_figures(W, year), who="Hoa")
    return store


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@needs_poppler
def test_commune_pdf_text_and_fonts(demo_store, data_dir, tmp_path):
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(build_commune_pdf(demo_store, data_dir, 2026))
    text = pdf_text(pdf)
    for expected in ("BÁO CÁO", "XÃ GIA VIỄN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Biểu số 01/KH75", "Nơi nhận:",
                     "Nguyễn Thị Hoa", "Tổng đài quốc gia bảo vệ trẻ em", "1800556882",
                     "1900571208", "02283886142", "Trang 2/"):
        assert expected in text, expected
    results = compute_all(demo_store.catalogue, 2026, "xa", demo_store.figures(W, 2026),
                          demo_store.history(W))
    flat = " ".join(text.split())
    for r in results:
        shown = format_measure(r.value, r.measure.unit)
        assert shown in flat, (r.key, shown)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # embedded
    assert not any("Helvetica" in line for line in fonts)


def test_commune_xlsx_matches_status(demo_store, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(commune_workbook(demo_store, 2026))
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ tiêu"]
    assert ws.freeze_panes == "A4"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.print_title_rows
    results = {r.key: r for r in compute_all(demo_store.catalogue, 2026, "xa",
                                             demo_store.figures(W, 2026), demo_store.history(W))}
    from kh75_desktop.reports.xlsx_common import value_format

    seen = 0
    for cells in ws.iter_rows(min_row=4, max_row=3 + 34):
        row = [c.value for c in cells]
        r = results[row[0]]
        # each row's value in the decimals it needs; counts as whole numbers; the body font
        if isinstance(row[7], (int, float)):
            assert cells[7].number_format == max(
                (value_format(r.measure.unit, v) for v in (r.value, r.target_value,
                                                           r.interval and r.interval[0])), key=len)
        assert all(c.number_format == "#,##0" for c in cells[5:7] if isinstance(c.value, float))
        assert cells[3].font.name == "Times New Roman" and cells[3].alignment.wrap_text
        if r.value is None:
            assert row[7] is None
        elif r.measure.hide_small_counts and 0 < r.numerator < 5:  # could name the child
            assert (row[5], row[7]) == ("< 5", "–")
        else:
            assert row[7] == pytest.approx(float(r.value))
            assert isinstance(row[7], (int, float))
        seen += 1
    assert seen == 34
    notes = [row[0] for row in ws.iter_rows(min_row=3 + 34 + 1, values_only=True) if row[0]]
    assert notes and notes[0].startswith("Kỳ báo cáo: Số liệu tính từ ngày 01/01/2026")
    # the note spans the table and wraps to its width, never running on past its last column
    note_row = next(c.row for c in ws["A"] if c.value == notes[0])
    span = f"A{note_row}:{ws.cell(row=3, column=ws.max_column).column_letter}{note_row}"
    assert span in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(row=note_row, column=1).alignment.wrap_text
    table_chars = sum(ws.column_dimensions[ws.cell(row=3, column=c).column_letter].width
                      for c in range(1, ws.max_column + 1))
    assert len(notes[0]) > table_chars and ws.row_dimensions[note_row].height >= 28
    figs = {row[8]: row[1] for row in wb["Số liệu"].iter_rows(min_row=4, values_only=True)}
    assert figs["live_births"] == demo_store.figures(W, 2026)["live_births"].count


@needs_office
def test_xlsx_converts_cleanly_with_libreoffice(demo_store, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(commune_workbook(demo_store, 2026))
    out = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                          "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                          "--outdir", str(tmp_path / "csv"), str(path)],
                         capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    csv = (tmp_path / "csv" / "so-lieu.csv").read_text(encoding="utf-8")
    assert "Xã Gia Viễn" in csv and "Tỷ suất tử vong trẻ sơ sinh" in csv


def fill_template(path: Path, values: dict, edits: dict | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title == "KH75":
            continue
        for row in range(5, ws.max_row + 1):
            key = ws.cell(row=row, column=1).value
            if key in values:
                ws.cell(row=row, column=5, value=values[key])
            if edits and (ws.title, row) in edits:
                ws.cell(row=row, column=5, value=edits[(ws.title, row)])
    wb.save(path)


def test_template_round_trip(demo_store, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_template(demo_store, 2027))
    wb = openpyxl.load_workbook(path)
    assert "Trạm y tế" in wb.sheetnames and wb["KH75"].sheet_state == "hidden"
    ws = wb["Trạm y tế"]
    keys = [ws.cell(row=r, column=1).value for r in range(5, ws.max_row + 1)]
    assert "live_births" in keys and "schools_total" not in keys  # only what the station gives
    row = 5 + keys.index("live_births")
    assert ws.cell(row=row, column=4).value == demo_store.figures(W, 2026)["live_births"].count
    assert ws.data_validations.dataValidation  # validation on the cells to fill
    expected = {f.element: f for f in demo_figures(W, 2027)}
    values = {k: (f.count if f.count is not None else ("Có" if f.flag else "Không"))
              for k, f in expected.items()}
    values["live_births"] = f"{expected['live_births'].count:,}".replace(",", ".")
    fill_template(path, values)
    wb = openpyxl.load_workbook(path)  # reason and explanation where a soft rule asks for one
    for ws in wb.worksheets:
        for r in range(5, ws.max_row + 1):
            if str(ws.cell(row=r, column=1).value).startswith("disaster"):
                ws.cell(row=r, column=8, value="Bão số 3")
    wb.save(path)
    year, n = import_template(demo_store, path, who="Hoa")
    assert (year, n) == (2027, len(demo_store.catalogue.elements))  # 54: schools, not sites
    stored = demo_store.figures(W, 2027)
    for k, f in expected.items():
        assert (stored[k].count, stored[k].flag) == (f.count, f.flag), k


def test_template_with_bad_cells_is_refused_whole(demo_store, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_template(demo_store, 2027))
    values = {f.element: f.count for f in demo_figures(W, 2027) if f.count is not None}
    other = "Khác (cán bộ bảo vệ trẻ em, văn"  # sheet names stop at Excel's 31 characters
    fill_template(path, values, edits={("Trạm y tế", 5): "abc", ("Trạm y tế", 6): -3,
                                       ("Trường học", 7): "12,5", (other, 5): "Có lẽ"})
    with pytest.raises(TemplateRejected) as err:
        import_template(demo_store, path, who="Hoa")
    cells = {(p.sheet, p.cell) for p in err.value.problems}
    assert cells == {("Trạm y tế", "E5"), ("Trạm y tế", "E6"), ("Trường học", "E7"),
                     (other, "E5")}
    assert "Trang 'Trạm y tế', ô E5" in err.value.message
    assert demo_store.figures(W, 2027) == {}


def test_template_breaking_a_hard_rule_stores_nothing(demo_store, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_template(demo_store, 2027))
    fill_template(path, {"deaths_neonatal": 5, "deaths_under1": 2, "deaths_under5": 6,
                         "live_births": 150})
    with pytest.raises(KH75Error, match="sơ sinh"):
        import_template(demo_store, path, who="Hoa")
    assert demo_store.figures(W, 2027) == {}


def test_template_for_another_commune_is_refused(demo_store, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_template(demo_store, 2027))
    wb = openpyxl.load_workbook(path)
    wb["KH75"]["B1"] = "14494"
    wb.save(path)
    with pytest.raises(KH75Error, match="14494"):
        import_template(demo_store, path, who="Hoa")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(KH75Error, match="Không đọc được tệp Excel"):
        import_template(demo_store, tmp_path / "broken.xlsx", who="Hoa")


@needs_poppler
def test_province_pdf_and_xlsx(world, tmp_path):
    from world import COMMUNE_PASS, YEAR

    from kh75_desktop.narrative import save_section
    from kh75_desktop.packages.commune_side import export_submission
    from kh75_desktop.packages.keys import CommuneKey, key_fingerprint
    from kh75_desktop.packages.province_side import province_measures
    from kh75_desktop.reports.province_pdf import build_province_pdf
    from kh75_desktop.reports.xlsx_export import province_workbook

    out = tmp_path / "out"
    out.mkdir()
    fps = []
    a = world.store(world.a)
    save_section(a, a.profile().ward_code, YEAR, "difficulties",
                 "Thiếu kinh phí truyền thông.\n=HYPERLINK(\"http://x\",\"y\")")
    for which in (world.a, world.b):
        export_submission(world.store(which), which, YEAR, out, COMMUNE_PASS)
        fps.append(key_fingerprint(CommuneKey(which).public_key()))
    world.ingest([out], confirmed(world.a, world.b))
    prov = world.store(world.prov)
    pdf = tmp_path / "tinh.pdf"
    pdf.write_bytes(build_province_pdf(prov, YEAR))
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    # issuer and signature agree (Sở Y tế issues, its director signs); coverage comes first
    assert "UBND TỈNH NINH BÌNH" in text and "SỞ Y TẾ" in text
    assert "KT. GIÁM ĐỐC" in flat and "CHI CỤC DÂN SỐ" not in flat
    assert flat.index("2/129 xã, phường đã gửi") < flat.index("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
    assert "chưa đại diện cho cả tỉnh" in flat  # judged on 2 of 129: said plainly
    # the communes' difficulties, each under its commune, the package's text shown as text
    assert "Xã Gia Viễn: Thiếu kinh phí truyền thông." in flat and "=HYPERLINK" in flat
    listing = flat[flat.index("Phụ lục 2. Danh sách"):]
    assert listing.index("14464") < listing.index("14494")  # in code order
    assert "Xã Gia Viễn" in text and "Phường Hoa Lư" in text
    xlsx = tmp_path / "tinh.xlsx"
    xlsx.write_bytes(province_workbook(prov, YEAR))
    wb = openpyxl.load_workbook(xlsx)
    per_commune = list(wb["Dữ liệu xã"].iter_rows(min_row=4, max_row=3 + 2 * 34,
                                                  values_only=True))
    assert {r[0] for r in per_commune} == {"14464", "14494"}
    withheld = [r for r in per_commune if r[7] == "< 5"]
    for r in withheld:  # a commune's 1-4 abused or HIV-infected children are never printed
        assert r[3] in ("6", "9") and r[9] == "–"
    tail = [r[0] for r in wb["Dữ liệu xã"].iter_rows(min_row=3 + 2 * 34 + 1, values_only=True)
            if r[0]]
    assert bool(withheld) == any("< 5" in t for t in tail)
    assert wb["Tình hình gửi"].max_row == 3 + 129
    measures = {pm.label: pm for pm in province_measures(prov, YEAR)}
    assert {"4c (xã)", "4c (phường)"} <= set(measures) and "4c" not in measures
    # the code column fits its longest code on one line (1.1 characters per unit of width)
    code_width = wb["Chỉ tiêu toàn tỉnh"].column_dimensions["A"].width
    assert code_width * 1.1 >= max(len(label) for label in measures)
    for row in wb["Chỉ tiêu toàn tỉnh"].iter_rows(min_row=4, max_row=3 + len(measures),
                                                   values_only=True):
        res = measures[row[0]].result
        if res.measure.hide_small_counts and 0 < (res.numerator or 0) < 5:
            assert row[7] == "–"
        else:
            assert (row[7] is None) if res.value is None else \
                row[7] == pytest.approx(float(res.value))


def test_the_province_workbook_judges_each_commune_as_its_own_report_does(world, tmp_path):
    """One row per commune and measure in the province's workbook: each status is the one the
    commune's own report gives on the same figures, so the yearly cut (13) reads last year's
    count and a rare event is pooled over the years sent, not judged on the year alone."""
    from world import COMMUNE_PASS, YEAR

    from kh75_desktop.measures import STATUS_LABELS
    from kh75_desktop.packages.commune_side import export_submission
    from kh75_desktop.reports.xlsx_export import province_workbook

    a = world.store(world.a)
    for year in (YEAR - 1, YEAR):
        out = tmp_path / str(year)
        out.mkdir()
        export_submission(a, world.a, year, out, COMMUNE_PASS)
        world.ingest([out], confirmed(world.a))
    history = a.history("14464")
    own = {r.key: STATUS_LABELS[r.status]
           for r in compute_all(a.catalogue, YEAR, "xa", history[YEAR], history)}
    xlsx = tmp_path / "tinh.xlsx"
    xlsx.write_bytes(province_workbook(world.store(world.prov), YEAR))
    rows = [r for r in openpyxl.load_workbook(xlsx)["Dữ liệu xã"].iter_rows(min_row=4,
                                                                             values_only=True)
            if r[0] == "14464"]
    assert {r[3]: r[10] for r in rows} == own
    assert own["13"] != STATUS_LABELS["no_data"]  # last year's count was sent: 13 is judged


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    from kh75_desktop.reports.xlsx_common import add_sheet, new_workbook, to_bytes

    wb = new_workbook()
    add_sheet(wb, "Thử", ["A", "B"], [["= 100,0%", '=HYPERLINK("http://x","y")']], [10, 10])
    path = tmp_path / "t.xlsx"
    path.write_bytes(to_bytes(wb))
    ws = openpyxl.load_workbook(path)["Thử"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "= 100,0%" in values and '=HYPERLINK("http://x","y")' in values
    assert all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value)


def test_a_note_with_a_control_character_or_a_formula_is_written_as_words(demo_store, tmp_path):
    """A note pasted from another program may carry a control character (a bell, a vertical
    tab) that no worksheet can hold, and one may start with "=": the commune's workbook and its
    entry template are both still made, the note in them as words, never as a formula."""
    from kh75_desktop.figures import Figure

    demo_store.save_figures(W, 2026, [
        Figure("live_births", 357, note="Theo sổ\x07 A\x0bB", explanation="=1+1"),
        Figure("deaths_neonatal", 3, note='=HYPERLINK("http://x","bấm")')], who="Hoa")
    books = {"so-lieu.xlsx": commune_workbook(demo_store, 2026),
             "mau.xlsx": build_template(demo_store, 2026)}
    for name, data in books.items():
        path = tmp_path / name
        path.write_bytes(data)
        cells = [c for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows()
                 for c in row if isinstance(c.value, str)]
        texts = {c.value for c in cells}
        assert "Theo sổ AB" in texts and "=1+1" in texts, name
        assert '=HYPERLINK("http://x","bấm")' in texts, name
        assert not [c.coordinate for c in cells if c.data_type != "s"], name


def _row_of(ws, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == key)


def test_template_cells_that_would_crash_hang_or_hide_are_refused_by_name(demo_store, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_template(demo_store, 2027))
    wb = openpyxl.load_workbook(path)
    sheet = next(ws for ws in wb.worksheets if any(
        ws.cell(row=r, column=1).value == "live_births" for r in range(1, ws.max_row + 1)))
    births = _row_of(sheet, "live_births")
    sheet.cell(row=births, column=5).value = 1e308  # 1E+308 typed or pasted
    neonatal = _row_of(sheet, "deaths_neonatal")
    sheet.cell(row=neonatal, column=5).value = "=2+1"  # a formula saved without its value
    under1 = _row_of(sheet, "deaths_under1")
    sheet.merge_cells(start_row=under1, start_column=5, end_row=under1 + 1, end_column=5)
    wb.save(path)
    with pytest.raises(TemplateRejected) as err:
        import_template(demo_store, path, who="Hoa")
    text = str(err.value.message)
    assert f"E{births}" in text and "quá lớn" in text
    assert f"E{neonatal}" in text and "công thức" in text
    assert f"E{under1}:E{under1 + 1}" in text and "gộp" in text
    assert "Lỗi không mong đợi" not in text
    assert 2027 not in demo_store.years(W)  # all or nothing


def test_a_tiny_workbook_holding_a_million_rows_is_refused_at_once(demo_store, tmp_path):
    import time
    import zipfile

    path = tmp_path / "mau.xlsx"
    path.write_bytes(build_template(demo_store, 2027))
    with zipfile.ZipFile(path) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    sheet = next(n for n in entries if n.startswith("xl/worksheets/sheet") and n != "sheet1.xml")
    rows = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 1_000_000
    xml = entries[sheet].replace(b"</sheetData>", rows + b"</sheetData>")
    entries[sheet] = xml
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    assert bomb.stat().st_size < 200_000  # about the 92 KB of the finding
    start = time.perf_counter()
    with pytest.raises(KH75Error, match="quá nhiều dữ liệu"):
        import_template(demo_store, bomb, who="Hoa")
    assert time.perf_counter() - start < 10  # the old reader ran for minutes


def test_reportlab_runs_with_its_c_accelerator():
    """rl-accel is a dependency so every PDF page formats its numbers in C (issue 19)."""
    from reportlab.lib.rl_accel import fp_str

    assert fp_str.__module__ == "_rl_accel"


def test_wrapped_text_gets_rows_tall_enough_to_print_every_line():
    """Row heights are worked out from the values written: a long name in a narrow column gets
    one line per 1.1 x width characters, and one per written line break; lines break at spaces,
    as the spreadsheet breaks them; short rows keep one."""
    import io

    from openpyxl import load_workbook

    from kh75_desktop.reports.xlsx_common import add_sheet, new_workbook, to_bytes

    wb = new_workbook()
    add_sheet(wb, "Thử", ["Mã", "Tên"], [["01", "x" * 100], ["02", "ngắn"],
                                        ["03", "dòng 1\ndòng 2\ndòng 3"],
                                        ["nghiêng nghiêng đường", "ngắn"]], [10, 20])
    back = load_workbook(io.BytesIO(to_bytes(wb)))["Thử"]
    heights = [back.row_dimensions[r].height for r in range(1, 6)]
    assert heights == [15, 75, 15, 45, 45]  # 21 letters in 11: three lines, not two
