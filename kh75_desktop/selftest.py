"""`kh75 selftest`: checks, inside a frozen bundle too, that every part the app needs works.

Each check returns a line; the Qt check is added by the window layer. Everything runs in a
temporary folder and leaves nothing behind.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Callable

Check = tuple[str, Callable[[Path], str]]


def _catalogue(tmp: Path) -> str:
    from .catalogue import load_catalogue

    cat = load_catalogue()
    return f"{len(cat.measures)} chỉ số, {len(cat.elements)} số liệu, phiên bản {cat.version}"


def _database(tmp: Path) -> str:
    from .demo import demo_figures
    from .profile import open_store
    from .storage.database import schema_head

    store = open_store(tmp / "db")
    store.save_profile(mode="commune", ward_code="14464", ward_name="Xã Gia Viễn",
                       ward_kind="xa", officer="Kiểm tra", phone="", current_year=2026)
    store.save_figures("14464", 2026, demo_figures("14464", 2026), who="selftest")
    store.engine.dispose()
    return f"tạo và nâng cấp đến lược đồ {schema_head()}, ghi 53 số liệu"


def _package(tmp: Path) -> str:
    import pyrage

    from .communes import communes
    from .packages.commune_side import create_commune_key, export_submission, import_province_key
    from .packages.intake import ACCEPTED, ingest
    from .packages.keys import CommuneKey, ProvinceKeys, key_fingerprint
    from .packages.province_side import init_province
    from .profile import open_store

    prov = open_store(tmp / "prov")
    init_province(prov, tmp / "prov", "selftest-passphrase", "selftest-decryption")
    commune = open_store(tmp / "db")
    import_province_key(commune, ProvinceKeys(tmp / "prov").key_file.read_bytes())
    create_commune_key(commune, tmp / "db", "selftest-passphrase")
    out = tmp / "out"
    out.mkdir()
    path = export_submission(commune, tmp / "db", 2026, out, "selftest-passphrase").path
    fp = key_fingerprint(CommuneKey(tmp / "db").public_key())
    results = ingest(prov, tmp / "prov", [path], "selftest-decryption",
                     {commune.profile().ward_code: fp})
    if [r.outcome for r in results] != [ACCEPTED]:
        raise RuntimeError(results[0].message)
    assert len(communes()) == 129 and pyrage
    return "ký, mã hóa, kiểm tra chữ ký và giải mã một gói"


def _pdf(tmp: Path) -> str:
    from .profile import open_store
    from .reports.commune_pdf import build_commune_pdf

    data = build_commune_pdf(open_store(tmp / "db"), tmp / "db", 2026)
    if b"LiberationSerif" not in data:
        raise RuntimeError("phông chữ tiếng Việt không được nhúng")
    (tmp / "r.pdf").write_bytes(data)
    return f"báo cáo PDF {len(data) // 1024} KB, phông chữ tiếng Việt nhúng"


def _xlsx(tmp: Path) -> str:
    import openpyxl

    from .profile import open_store
    from .reports.xlsx_export import commune_workbook

    (tmp / "r.xlsx").write_bytes(commune_workbook(open_store(tmp / "db"), 2026))
    sheets = openpyxl.load_workbook(tmp / "r.xlsx").sheetnames
    return "tệp Excel: " + ", ".join(sheets)


def _bundled_key(tmp: Path) -> str:
    from .packages.keys import parse_province_key_file
    from .resources import bundled_province_key

    data = bundled_province_key()
    if data is None:
        return "không có khóa đi kèm (nhập tệp khóa Sở Y tế gửi khi thiết lập)"
    info = parse_province_key_file(data)
    return f"khóa của {info.name} đi kèm, dấu vân tay {info.fingerprint}"


CORE_CHECKS: list[Check] = [("Danh mục chỉ tiêu", _catalogue), ("Cơ sở dữ liệu", _database),
                            ("Gói có chữ ký", _package), ("Báo cáo PDF", _pdf),
                            ("Xuất Excel", _xlsx), ("Khóa của Sở Y tế", _bundled_key)]


def run_selftest(extra: list[Check] = (), emit: Callable[[str], None] = print) -> bool:
    ok = True
    with tempfile.TemporaryDirectory(prefix="kh75-selftest-") as tmp:
        for name, check in [*CORE_CHECKS, *extra]:
            start = time.perf_counter()
            try:
                detail = check(Path(tmp))
                emit(f"[ĐẠT]   {name}: {detail} ({(time.perf_counter() - start) * 1000:.0f} ms)")
            except Exception as err:  # noqa: BLE001 - every failure is one line of the report
                ok = False
                emit(f"[LỖI]   {name}: {type(err).__name__}: {err}")
    emit("Tự kiểm tra: tất cả đạt." if ok else "Tự kiểm tra: CÓ LỖI.")
    return ok
