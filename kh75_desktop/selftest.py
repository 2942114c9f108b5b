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
    figures = demo_figures("14464", 2026)
    store.save_figures("14464", 2026, figures, who="selftest")
    store.engine.dispose()
    return f"tạo và nâng cấp đến lược đồ {schema_head()}, ghi {len(figures)} số liệu"


# A throwaway key's scrypt cost (N = 2^14, 16 MiB): the same code path as an officer's key, which
# takes 2^20 and 1 GiB (seconds each time), so the check stays well under a second.
_SELFTEST_OPSLIMIT, _SELFTEST_MEMLIMIT = 524_288, 16_777_216


def _package(tmp: Path) -> str:
    """One submission sealed and opened again by the app's own steps, on throwaway keys: the
    commune's key written encrypted and unlocked, the payload encrypted for a Sở Y tế identity,
    the manifest signed, the file written to and read from a folder named like an officer's
    USB stick, then the signature, hashes, decryption and figures checked as intake does."""
    import minisign
    import pyrage

    from .communes import communes
    from .packages.canonical import canonical_json
    from .packages.commune_side import seal_submission, submission_file_name
    from .packages.container import PAYLOAD_AGE, read_package, write_package
    from .packages.keys import key_id_of, unlock_secret_key, write_secret_key
    from .packages.manifest import verify_package
    from .packages.payload import build_payload, parse_payload
    from .profile import open_store
    from .rules import check_figures, hard
    from .storage.models import ProvinceKeyRow

    folder = tmp / "Ổ đĩa USB #1"
    folder.mkdir()
    commune_key, province_key = minisign.KeyPair.generate(), minisign.KeyPair.generate()
    write_secret_key(folder / "xa.key", commune_key.secret_key, "selftest-passphrase",
                     _SELFTEST_OPSLIMIT, _SELFTEST_MEMLIMIT)
    secret = unlock_secret_key(folder / "xa.key", "selftest-passphrase")
    identity = pyrage.x25519.Identity.generate()
    province = ProvinceKeyRow(name="Sở Y tế (tự kiểm tra)", signing_key="",
                              key_id=key_id_of(province_key.public_key),
                              age_recipient=str(identity.to_public()), fingerprint="")
    store = open_store(tmp / "db")
    profile = store.profile()
    figures = store.figures(profile.ward_code, 2026)
    payload = canonical_json(build_payload(profile, 2026, 1, figures, [], []))
    _, entries = seal_submission(profile.ward_code, 2026, 1, 1, payload, province, secret,
                                 commune_key.public_key, store.catalogue.version)
    path = write_package(folder / submission_file_name(profile.ward_code, profile.ward_name,
                                                       2026, 1), entries)
    signer = commune_key.public_key
    verified = verify_package(read_package(path), path.name,
                              lambda kid: signer if kid == key_id_of(signer) else None, False)
    plain = pyrage.decrypt(verified.entries[PAYLOAD_AGE], [identity])
    _, opened = parse_payload(plain, store.catalogue, profile.ward_code, 2026, path.name)
    store.engine.dispose()
    if opened != figures or hard(check_figures(store.catalogue, opened, shape_checked=True)):
        raise RuntimeError("số liệu mở ra từ gói khác số liệu đã đóng gói")
    if len(communes()) != 129:
        raise RuntimeError(f"danh sách có {len(communes())} xã, phường thay vì 129")
    return (f"ký, mã hóa, ghi vào thư mục “{folder.name}”, đọc lại, kiểm tra chữ ký và giải mã "
            "một gói")


def _child_process(tmp: Path) -> str:
    """The window runs age's passphrase scrypt in a child process of this same program (in the
    bundle, the program itself started again): it must start."""
    import os

    from . import age_passphrase

    age_passphrase.run_apart(True)
    try:
        pid = age_passphrase.worker_pid()
    finally:
        age_passphrase.run_apart(False)
    if pid == os.getpid():
        raise RuntimeError("không khởi động được tiến trình con để giải mã")
    return "tiến trình con giải mã khởi động được"


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
                            ("Xuất Excel", _xlsx), ("Khóa của Sở Y tế", _bundled_key),
                            ("Tiến trình giải mã riêng", _child_process)]


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
