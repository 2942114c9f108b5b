"""Backups of a profile database with SQLite's online backup API: automatic and rotated (daily
while in use, before every import, restore and migration), by hand to a USB stick, described
before a restore, and restored only after the current state is itself backed up."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .errors import KH75Error
from .files import describe_os_error
from .storage.database import DB_FILE_NAME, backup_copy, connect_read_only, known_revisions
from .storage.integrity import check_database

BACKUP_DIR = "backups"
KEEP_AUTOMATIC = 20
DAILY = timedelta(hours=24)


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR


def _stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def make_backup(data_dir: Path, reason: str = "tu-dong", out: Path | None = None) -> Path:
    """A consistent copy of the live database; to `out`, or rotated in the backups folder."""
    db = Path(data_dir) / DB_FILE_NAME
    if not db.exists():
        raise KH75Error(f"Không có cơ sở dữ liệu tại {db} để sao lưu.")
    target = Path(out) if out else backups_dir(data_dir) / f"kh75-{_stamp()}-{reason}.sqlite3"
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".kh75-backup.", suffix=".tmp", dir=folder)
        os.close(fd)
        try:
            backup_copy(db, Path(tmp))
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as err:
        raise KH75Error(describe_os_error(err, target)) from err
    except sqlite3.Error as err:
        raise KH75Error(f"Không sao lưu được vào {target}: {err}. (Ổ đĩa đầy?)") from err
    if out is None:
        rotate(data_dir)
    return target


def list_backups(data_dir: Path) -> list[Path]:
    folder = backups_dir(data_dir)
    return sorted(folder.glob("*.sqlite3"), key=lambda p: p.stat().st_mtime) \
        if folder.exists() else []


def rotate(data_dir: Path, keep: int = KEEP_AUTOMATIC) -> None:
    for old in list_backups(data_dir)[:-keep]:
        old.unlink(missing_ok=True)


def ensure_daily_backup(data_dir: Path) -> Path | None:
    """Take the day's backup if the newest one is older than a day and there is data to keep."""
    db = Path(data_dir) / DB_FILE_NAME
    if not db.exists() or not _has_figures(db):
        return None
    backups = list_backups(data_dir)
    if backups:
        age = datetime.now().timestamp() - backups[-1].stat().st_mtime
        if age < DAILY.total_seconds():
            return None
    return make_backup(data_dir, "hang-ngay")


def _has_figures(db: Path) -> bool:
    try:
        con = connect_read_only(db)
        try:
            return con.execute("SELECT EXISTS(SELECT 1 FROM figure)").fetchone()[0] == 1
        finally:
            con.close()
    except sqlite3.Error:
        return False


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    commune: str
    years: list[int]
    last_change: str
    revision: str
    problems: list[str]

    def words(self) -> str:
        years = ", ".join(map(str, self.years)) or "chưa có số liệu"
        return (f"{self.commune} — số liệu các năm {years}; thay đổi cuối lúc "
                f"{self.last_change or 'không rõ'}; lược đồ {self.revision}.")


def describe_backup(path: Path) -> BackupInfo:
    problems = check_database(Path(path))
    try:
        con = connect_read_only(path)
        try:
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            profile = con.execute("SELECT ward_name, ward_code FROM profile").fetchone()
            years = [r[0] for r in con.execute("SELECT DISTINCT year FROM figure ORDER BY year")]
            last = con.execute("SELECT MAX(at) FROM audit").fetchone()[0] or ""
        finally:
            con.close()
    except (sqlite3.Error, TypeError) as err:
        raise KH75Error(f"{Path(path).name} không phải bản sao lưu KH75 đọc được ({err}).") from err
    commune = f"{profile[0]} ({profile[1]})" if profile else "chưa thiết lập"
    return BackupInfo(Path(path), commune, years, last.replace("T", " ")[:19], revision, problems)


def restore_backup(data_dir: Path, backup: Path) -> Path:
    """Replace the live database by `backup`, after checking it and backing up the current state.
    Returns the backup taken of the state before the restore."""
    info = describe_backup(backup)
    if info.problems:
        raise KH75Error(f"Bản sao lưu {backup.name} bị hỏng ({info.problems[0]}); không khôi phục.")
    if info.revision not in known_revisions():
        raise KH75Error(f"Bản sao lưu {backup.name} do phiên bản KH75 mới hơn tạo ra; hãy cập nhật "
                        "ứng dụng trước khi khôi phục.")
    db = Path(data_dir) / DB_FILE_NAME
    before = make_backup(data_dir, "truoc-khoi-phuc") if db.exists() else None
    try:
        src = connect_read_only(backup)
        try:
            dst = sqlite3.connect(str(db))
            try:
                src.backup(dst)  # page by page, under SQLite's own locking and journal
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as err:
        raise KH75Error(f"Không khôi phục được: {err}. Dữ liệu hiện tại vẫn còn trong bản sao lưu "
                        f"{before.name if before else ''}.") from err
    return before


def newest_good_backup(data_dir: Path) -> Path | None:
    for path in reversed(list_backups(data_dir)):
        try:
            if not describe_backup(path).problems:
                return path
        except KH75Error:
            continue
    return None
