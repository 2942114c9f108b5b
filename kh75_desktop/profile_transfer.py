"""Moving a profile to a new laptop: one file holding the database and the encrypted signing
key, itself encrypted (age, scrypt) with the officer's passphrase; imported on the new machine
with the same key and package history, so Sở Y tế sees the same signer."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pyrage

from .errors import KH75Error
from .files import atomic_write
from .packages.keys import COMMUNE_PUBLIC, COMMUNE_SECRET, KEY_DIR, CommuneKey
from .storage.database import DB_FILE_NAME, backup_copy
from .storage.integrity import check_database

ENTRIES = {"kh75.sqlite3", f"{KEY_DIR}/{COMMUNE_SECRET}", f"{KEY_DIR}/{COMMUNE_PUBLIC}"}
EXTENSION = ".kh75profile"
MAX_BYTES = 512 * 1024 * 1024


def export_profile(data_dir: Path, out: Path, passphrase: str) -> Path:
    data_dir = Path(data_dir)
    key = CommuneKey(data_dir)
    key.unlock(passphrase)  # the same passphrase protects the file: check it first
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = backup_copy(data_dir / DB_FILE_NAME, Path(tmp) / DB_FILE_NAME)
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.write(snapshot, DB_FILE_NAME)
            for name in (COMMUNE_SECRET, COMMUNE_PUBLIC):
                zf.write(data_dir / KEY_DIR / name, f"{KEY_DIR}/{name}")
    return atomic_write(Path(out), pyrage.passphrase.encrypt(buf.getvalue(), passphrase))


def import_profile(data_dir: Path, source: Path, passphrase: str) -> None:
    data_dir = Path(data_dir)
    if (data_dir / DB_FILE_NAME).exists() or (data_dir / KEY_DIR / COMMUNE_SECRET).exists():
        raise KH75Error(f"Thư mục {data_dir} đã có hồ sơ; chỉ nhập hồ sơ vào máy (thư mục) mới.")
    try:
        if Path(source).stat().st_size > MAX_BYTES:
            raise KH75Error(f"{Path(source).name}: tệp quá lớn.")
        data = Path(source).read_bytes()
    except OSError as err:
        raise KH75Error(f"Không đọc được {source}: {err.strerror}.") from err
    if not passphrase:
        raise KH75Error("Chưa nhập mật khẩu.")
    try:
        plain = pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as err:
        raise KH75Error("Mật khẩu không đúng, hoặc tệp hồ sơ bị hỏng.") from err
    try:
        zf = zipfile.ZipFile(io.BytesIO(plain))
        names = {i.filename for i in zf.infolist()}
        if names != ENTRIES or len(zf.infolist()) != len(ENTRIES):
            raise KH75Error("Tệp hồ sơ không đúng cấu trúc.")
        files = {n: zf.read(n) for n in ENTRIES}
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise KH75Error("Tệp hồ sơ bị hỏng.") from err
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / DB_FILE_NAME
        probe.write_bytes(files[DB_FILE_NAME])
        problems = check_database(probe)
        if problems:
            raise KH75Error(f"Cơ sở dữ liệu trong tệp hồ sơ bị hỏng: {problems[0]}.")
    (data_dir / KEY_DIR).mkdir(parents=True, exist_ok=True)
    for name in (f"{KEY_DIR}/{COMMUNE_SECRET}", f"{KEY_DIR}/{COMMUNE_PUBLIC}", DB_FILE_NAME):
        atomic_write(data_dir / name, files[name])
