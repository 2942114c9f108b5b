"""bench/reports: the commune PDF and XLSX, and the province PDF and XLSX for 129 communes, each
beside a bare reportlab document of the same table made in the same run.

    uv run python bench/reports.py [--runs 5]
Targets (issue 5): commune PDF under 0.5 s; province PDF for 129 communes under 3 s; (issue 19)
province workbook under 1 s, shown beside the same cells written bare by openpyxl.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from openpyxl import Workbook, load_workbook  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.platypus import SimpleDocTemplate, Table  # noqa: E402

from kh75_desktop.communes import communes  # noqa: E402
from kh75_desktop.measures import compute_all  # noqa: E402
from kh75_desktop.numbers_vi import format_measure  # noqa: E402
from kh75_desktop.packages.intake import ingest  # noqa: E402
from kh75_desktop.packages.keys import ProvinceKeys  # noqa: E402
from kh75_desktop.packages.province_side import commune_statuses, init_province, province_measures  # noqa: E402
from kh75_desktop.profile import open_store  # noqa: E402
from kh75_desktop.reports.commune_docx import build_commune_docx  # noqa: E402
from kh75_desktop.reports.commune_pdf import build_commune_pdf  # noqa: E402
from kh75_desktop.reports.province_pdf import build_province_pdf  # noqa: E402
from kh75_desktop.reports.xlsx_export import commune_workbook, province_workbook  # noqa: E402


def bare_pdf(rows: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Table(rows, repeatRows=1)])
    return buf.getvalue()


def bare_xlsx(sheets: list[list[tuple]]) -> bytes:
    """The same cells written plainly: values only, no styles, heights or print setup."""
    wb = Workbook()
    wb.remove(wb.active)
    for i, rows in enumerate(sheets):
        ws = wb.create_sheet(f"S{i}")
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cells_of(book: bytes) -> list[list[tuple]]:
    wb = load_workbook(io.BytesIO(book), read_only=True)
    return [list(ws.iter_rows(values_only=True)) for ws in wb.worksheets]


def interleaved(fn, floor, runs: int) -> tuple[float, float]:
    """Medians of `fn` and `floor` timed in turn, so both see the same load."""
    a, b = [], []
    for _ in range(runs):
        a.append(timed(fn, 1))
        b.append(timed(floor, 1))
    return statistics.median(a), statistics.median(b)


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        from kh75_desktop.cli import main as kh75

        commune_dir = tmp / "commune"
        kh75(["--data-dir", str(commune_dir), "demo", "--year", "2026"])
        store = open_store(commune_dir)
        results = compute_all(store.catalogue, 2026, "xa", store.figures("14464", 2026),
                              store.history("14464"))
        commune_rows = [["Mã", "Chỉ tiêu", "Giá trị", "Đánh giá"]] + [
            [r.key, r.measure.name[:60], format_measure(r.value, r.measure.unit), r.status]
            for r in results]
        build_commune_pdf(store, commune_dir, 2026)  # warm fonts and imports
        bare_c = timed(lambda: bare_pdf(commune_rows), args.runs)
        pdf_c = timed(lambda: build_commune_pdf(store, commune_dir, 2026), args.runs)
        xlsx_c = timed(lambda: commune_workbook(store, 2026), args.runs)
        docx_c = timed(lambda: build_commune_docx(store, 2026), args.runs)

        prov_dir = tmp / "prov"
        prov = open_store(prov_dir)
        init_province(prov, prov_dir, "bench-passphrase", "bench-decryption")
        identity = ProvinceKeys(prov_dir).unlock_identity("bench-decryption")
        from packages import make_packages  # bench/packages.py: signed packages per commune

        folder = tmp / "packages"
        folder.mkdir()
        keys = make_packages(folder, prov_dir, 3321, only=communes())
        from kh75_desktop.packages.keys import key_fingerprint

        ingest(prov, prov_dir, [folder], None, {w: key_fingerprint(k) for w, k in keys.items()},
               identity=identity)
        statuses = commune_statuses(prov, 2026)
        prov_rows = [["Mã", "Chỉ tiêu", "Giá trị", "Đánh giá"]] + [
            [pm.result.key, pm.result.measure.name[:60], str(pm.result.value), pm.result.status]
            for pm in province_measures(prov, 2026)] + [
            [s.commune.code, s.commune.name, s.status, str(s.version)] for s in statuses]
        bare_p = timed(lambda: bare_pdf(prov_rows), args.runs)
        pdf_p = timed(lambda: build_province_pdf(prov, 2026), args.runs)
        plain = cells_of(province_workbook(prov, 2026))
        xlsx_p, bare_x = interleaved(lambda: province_workbook(prov, 2026),
                                     lambda: bare_xlsx(plain), args.runs)
        heard = sum(s.status != "nothing" for s in statuses)
    print(f"commune PDF:   {pdf_c * 1000:6.0f} ms  (bare reportlab table {bare_c * 1000:.0f} ms, "
          f"{pdf_c / bare_c:.1f}x; target < 500 ms)")
    print(f"commune XLSX:  {xlsx_c * 1000:6.0f} ms")
    print(f"commune DOCX:  {docx_c * 1000:6.0f} ms")
    print(f"province PDF:  {pdf_p * 1000:6.0f} ms  for {heard} communes (bare reportlab table "
          f"{bare_p * 1000:.0f} ms, {pdf_p / bare_p:.1f}x; target < 3000 ms)")
    print(f"province XLSX: {xlsx_p * 1000:6.0f} ms  for {heard} communes (the same cells bare "
          f"in openpyxl {bare_x * 1000:.0f} ms, {xlsx_p / bare_x:.2f}x; target < 1000 ms)")


if __name__ == "__main__":
    main()
