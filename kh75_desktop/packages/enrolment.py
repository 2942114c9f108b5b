"""Sở Y tế's enrolment of commune keys: a first package signed with a new key waits in the
`pending` folder until the commune's officer reads the key's fingerprint out over the phone and
Sở Y tế confirms it for that ward.

Waiting keys are kept per (ward, fingerprint), so an anonymous package can never displace a
commune's genuine waiting key, and the waiting room is capped per ward and in total, so it
cannot be filled without limit. Refusals never show the fingerprint that was expected.
"""

from __future__ import annotations

from pathlib import Path

import pyrage
from sqlalchemy import text

from ..errors import KH75Error
from ..storage.store import Store, utc_now
from .container import EXTENSION, PackageRejected
from .keys import normalise_fingerprint, public_key_line

PENDING_DIR = "pending"
MAX_WAITING_KEYS_PER_WARD = 3
MAX_WAITING_PACKAGES_PER_WARD = 5
MAX_WAITING_PACKAGES = 400  # about 129 communes' first packages, three times over
MAX_WAITING_BYTES = 200 * 1024 * 1024


def _waiting_files(data_dir: Path, ward: str | None = None) -> list[Path]:
    folder = Path(data_dir) / PENDING_DIR
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{ward}-*{EXTENSION}" if ward else f"*{EXTENSION}"))


def park_package(conn, data_dir: Path, ward: str, name: str, verified, fp: str, data: bytes,
                 label: str) -> None:
    """Keep a package signed with a not-yet-confirmed key, within the caps; inside intake's
    savepoint (`conn` is its sqlite3 connection)."""
    row = conn.execute("SELECT id, packages FROM pending_key WHERE ward_code=? AND fingerprint=?",
                       (ward, fp)).fetchone()
    if row is None:
        keys = conn.execute("SELECT COUNT(*) FROM pending_key WHERE ward_code=?",
                            (ward,)).fetchone()[0]
        if keys >= MAX_WAITING_KEYS_PER_WARD:
            raise PackageRejected(f"{label}: đã có {keys} khóa mới của {name} chờ xác nhận; "
                                  "không nhận thêm khóa lạ cho đơn vị này. Hãy gọi xã để xác "
                                  "nhận khóa đúng (các khóa còn lại sẽ bị loại).")
    waiting = _waiting_files(data_dir, ward)
    if len(waiting) >= MAX_WAITING_PACKAGES_PER_WARD:
        raise PackageRejected(f"{label}: đã có {len(waiting)} gói của {name} chờ xác nhận khóa; "
                              "hãy xác nhận khóa của xã trước khi nhận thêm.")
    everything = _waiting_files(data_dir)
    if len(everything) >= MAX_WAITING_PACKAGES or \
            sum(p.stat().st_size for p in everything) + len(data) > MAX_WAITING_BYTES:
        raise PackageRejected(f"{label}: hàng chờ xác nhận khóa đã đầy ({len(everything)} gói); "
                              "hãy xác nhận hoặc xóa các khóa đang chờ trước.")
    folder = Path(data_dir) / PENDING_DIR
    folder.mkdir(exist_ok=True)
    (folder / f"{ward}-{verified.manifest['package_id']}{EXTENSION}").write_bytes(data)
    if row is None:
        conn.execute("INSERT INTO pending_key (ward_code, fingerprint, key_id, public_key, "
                     "first_seen, packages) VALUES (?,?,?,?,?,1)",
                     (ward, fp, verified.key_id, public_key_line(verified.public_key),
                      utc_now()))
    else:
        conn.execute("UPDATE pending_key SET packages=packages+1 WHERE id=?", (row[0],))


def pending_keys(store: Store) -> list:
    """The keys waiting for a fingerprint: (ward, fingerprint, first seen, packages) rows."""
    with store.engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT ward_code, fingerprint, first_seen, packages FROM pending_key "
            "ORDER BY ward_code, first_seen")))


def enrol(store: Store, data_dir: Path, ward: str, fingerprint_text: str, passphrase: str | None,
          identity: pyrage.x25519.Identity | None = None, replace: bool = False) -> list:
    """Confirm a waiting key of `ward` by the fingerprint its officer read out, take in its
    waiting packages, and drop the ward's other waiting keys and files. With `replace`, the key
    replaces the ward's enrolled one, which is revoked from now (key_events.py)."""
    from .intake import ingest
    from .province_side import require_province

    require_province(store)
    ward = ward.strip()
    fp = normalise_fingerprint(fingerprint_text)
    with store.engine.connect() as conn:
        enrolled = conn.execute(text("SELECT 1 FROM commune_key WHERE ward_code=:w"),
                                dict(w=ward)).first()
        match = conn.execute(text("SELECT 1 FROM pending_key WHERE ward_code=:w AND "
                                  "fingerprint=:f"), dict(w=ward, f=fp)).first()
    if enrolled and not replace:
        raise KH75Error(f"Đơn vị {ward} đã có khóa đã đăng ký. Nếu xã đã đổi khóa, xác nhận thay "
                        "khóa: khóa cũ bị thu hồi từ lúc này ('kh75 province enrol --ward MÃ "
                        "--fingerprint … --replace').")
    if match is None:
        raise KH75Error(f"Dấu vân tay vừa nhập không khớp với khóa nào của đơn vị {ward} đang chờ "
                        "xác nhận. Hãy nhờ xã đọc lại dấu vân tay trên bản in; chưa đăng ký gì.")
    waiting = _waiting_files(data_dir, ward)
    results = ingest(store, data_dir, waiting, passphrase, {ward: fp}, identity=identity,
                     replace_wards={ward} if replace else ())
    for p in waiting:
        p.unlink(missing_ok=True)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM pending_key WHERE ward_code=:w"), dict(w=ward))
    return results


def replace_key(store: Store, ward: str) -> None:
    """Forget a commune's enrolled key (a new laptop without the old key), after a phone call."""
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM commune_key WHERE ward_code=:w"), dict(w=ward))
