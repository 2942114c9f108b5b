"""Moving a profile to a new laptop: one file holding the database and the profile's keys (a
commune's signing key, or Sở Y tế's signing key, age identity and key file for communes), itself
encrypted (age, scrypt) with the signing passphrase; imported on the new machine with the same
keys and package history, so the other side sees the same signer."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pyrage

from . import age_passphrase
from .errors import KH75Error
from .files import atomic_write, os_reason
from .packages.keys import (
    COMMUNE_PUBLIC,
    COMMUNE_SECRET,
    KEY_DIR,
    PROVINCE_AGE,
    PROVINCE_KEY_FILE,
    PROVINCE_PUBLIC,
    PROVINCE_SECRET,
    CommuneKey,
    ProvinceKeys,
)
from .storage.database import DB_FILE_NAME, backup_copy
from .storage.integrity import check_database

KEY_SETS = {"commune": (COMMUNE_SECRET, COMMUNE_PUBLIC),
            "province": (PROVINCE_SECRET, PROVINCE_PUBLIC, PROVINCE_AGE, PROVINCE_KEY_FILE)}
# the exact entries a profile file may hold, one set or the other
ENTRY_SETS = [{DB_FILE_NAME, *(f"{KEY_DIR}/{n}" for n in names)} for names in KEY_SETS.values()]
EXTENSION = ".kh75profile"
MAX_BYTES = 512 * 1024 * 1024


def export_profile(data_dir: Path, out: Path, passphrase: str) -> Path:
    data_dir = Path(data_dir)
    # the signing passphrase protects the file: checked first, on whichever key set is here
    if CommuneKey(data_dir).exists():
        CommuneKey(data_dir).unlock(passphrase)
        names = KEY_SETS["commune"]
    elif ProvinceKeys(data_dir).exists():
        ProvinceKeys(data_dir).unlock_signing(passphrase)
        names = KEY_SETS["province"]
    else:
        raise KH75Error("Hồ sơ chưa có khóa ký; chưa có gì để chuyển sang máy mới.")
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = backup_copy(data_dir / DB_FILE_NAME, Path(tmp) / DB_FILE_NAME)
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(snapshot, DB_FILE_NAME)
            for name in names:
                zf.write(data_dir / KEY_DIR / name, f"{KEY_DIR}/{name}")
    return atomic_write(Path(out), age_passphrase.encrypt(buf.getvalue(), passphrase))


def import_profile(data_dir: Path, source: Path, passphrase: str) -> None:
    """Bring a profile file in. Staged in a folder beside the profile and moved in at the end,
    the database last: a cut leaves either no profile or the whole one, and importing the same
    file again after a cut finishes the job."""
    data_dir = Path(data_dir)
    files = _read_profile_file(Path(source), passphrase)
    db = data_dir / DB_FILE_NAME
    keys = data_dir / KEY_DIR
    if db.exists():
        raise KH75Error(f"Thư mục {data_dir} đã có hồ sơ; chỉ nhập hồ sơ vào máy (thư mục) mới.")
    names = [n.split("/", 1)[1] for n in files if n.startswith(f"{KEY_DIR}/")]
    for name in names:
        present = keys / name
        if present.exists() and present.read_bytes() != files[f"{KEY_DIR}/{name}"]:
            raise KH75Error(f"Thư mục {data_dir} đã có khóa ký khác với hồ sơ trong tệp; chỉ nhập "
                            "hồ sơ vào máy (thư mục) mới.")
    data_dir.mkdir(parents=True, exist_ok=True)
    for stale in data_dir.glob(".kh75-import-*"):  # a cut import's staging folder
        shutil.rmtree(stale, ignore_errors=True)
    stage = Path(tempfile.mkdtemp(prefix=".kh75-import-", dir=data_dir))
    try:
        atomic_write(stage / DB_FILE_NAME, files[DB_FILE_NAME])
        (stage / KEY_DIR).mkdir()
        for name in names:
            atomic_write(stage / KEY_DIR / name, files[f"{KEY_DIR}/{name}"])
        keys.mkdir(exist_ok=True)
        for name in names:
            os.replace(stage / KEY_DIR / name, keys / name)
        os.replace(stage / DB_FILE_NAME, db)  # last: its presence means the profile is whole
    except (OSError, KH75Error) as err:
        from .files import describe_os_error

        words = err.message if isinstance(err, KH75Error) else describe_os_error(err, db)
        raise KH75Error(words + " Chưa nhập xong; chạy lại lệnh nhập để hoàn tất.") from err
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def import_over_empty(data_dir: Path, source: Path, passphrase: str) -> None:
    """Import into a folder whose database was only just created by the first-run screen (no
    commune, no figure): that empty file makes way; anything with data is refused."""
    data_dir = Path(data_dir)
    db = data_dir / DB_FILE_NAME
    if db.exists():
        _read_profile_file(Path(source), passphrase)  # a wrong passphrase changes nothing
        from .storage.database import connect_read_only

        try:
            con = connect_read_only(db)
            try:
                has_data = con.execute(
                    "SELECT EXISTS(SELECT 1 FROM profile WHERE ward_code IS NOT NULL AND "
                    "ward_code != '') OR EXISTS(SELECT 1 FROM figure)").fetchone()[0]
            finally:
                con.close()
        except sqlite3.Error:
            has_data = True  # unreadable: never removed
        if has_data:
            raise KH75Error(f"Thư mục {data_dir} đã có hồ sơ; chỉ nhập hồ sơ vào máy (thư mục) mới.")
        for suffix in ("", "-wal", "-shm", "-journal"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
    import_profile(data_dir, source, passphrase)


def _read_profile_file(source: Path, passphrase: str) -> dict[str, bytes]:
    try:
        if source.stat().st_size > MAX_BYTES:
            raise KH75Error(f"{source.name}: tệp quá lớn.")
        data = source.read_bytes()
    except OSError as err:
        raise KH75Error(f"Không đọc được {source}: {os_reason(err)}.") from err
    if not passphrase:
        raise KH75Error("Chưa nhập mật khẩu.")
    try:
        plain = age_passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as err:
        raise KH75Error("Mật khẩu không đúng, hoặc tệp hồ sơ bị hỏng.") from err
    try:
        zf = zipfile.ZipFile(io.BytesIO(plain))
        names = {i.filename for i in zf.infolist()}
        if names not in ENTRY_SETS or len(zf.infolist()) != len(names):
            raise KH75Error("Tệp hồ sơ không đúng cấu trúc.")
        files = {n: zf.read(n) for n in names}
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise KH75Error("Tệp hồ sơ bị hỏng.") from err
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / DB_FILE_NAME
        probe.write_bytes(files[DB_FILE_NAME])
        problems = check_database(probe)
        if problems:
            raise KH75Error(f"Cơ sở dữ liệu trong tệp hồ sơ bị hỏng: {problems[0]}.")
    return files
