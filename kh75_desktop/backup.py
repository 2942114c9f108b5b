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
from .numbers_vi import format_datetime, format_stored
from .safe_text import one_line
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


# What each backup was taken for, as its file name says (kh75-STAMP-REASON.sqlite3, or
# truoc-nang-cap-REVISION-STAMP.sqlite3 before a schema upgrade).
KINDS = {
    "hang-ngay": "Hằng ngày",
    "dong-ung-dung": "Khi đóng ứng dụng",
    "tu-dong": "Tự động",
    "thu-cong": "Sao lưu tay",
    "truoc-khoi-phuc": "Trước khi khôi phục",
    "tep-hong": "Tệp hỏng được giữ lại",
    "truoc-ho-so-moi": "Trước khi bắt đầu hồ sơ mới",
    "truoc-nhan-goi": "Trước khi nhận gói",
    "truoc-nhap-phan-hoi": "Trước khi nhập phản hồi",
    "truoc-nhap-mau": "Trước khi nhập mẫu",
    "truoc-nang-cap": "Trước khi nâng cấp",
}
# Never rotated out: what the officer saved by hand, the state before an upgrade, and a damaged
# file set aside (the only copy of whatever it still holds).
KEPT_KINDS = frozenset({"thu-cong", "truoc-nang-cap", "tep-hong", "truoc-ho-so-moi"})


def backup_kind(path: Path) -> str:
    """The reason key of a backup file name ("" when the name is not one KH75 writes)."""
    stem = Path(path).stem
    if stem.startswith("truoc-nang-cap-"):
        return "truoc-nang-cap"
    parts = stem.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[0] == "kh75" else ""


def rotate(data_dir: Path, keep: int = KEEP_AUTOMATIC) -> None:
    rotated = [b for b in list_backups(data_dir) if backup_kind(b) not in KEPT_KINDS]
    for old in rotated[:-keep]:
        old.unlink(missing_ok=True)


STALE_TEMP_SECONDS = 3600


def clean_stale_temp(data_dir: Path) -> int:
    """Remove what a killed backup or restore left behind (full-size ".kh75-*.tmp" files), once
    they are an hour old so no running copy is touched. Returns how many were removed."""
    import time

    removed = 0
    now = time.time()
    for folder in (Path(data_dir), backups_dir(data_dir)):
        if not folder.is_dir():
            continue
        for tmp in folder.glob(".kh75-*.tmp"):
            try:
                if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                    tmp.unlink()
                    removed += 1
            except OSError:
                continue
    return removed


def ensure_daily_backup(data_dir: Path) -> Path | None:
    """Take the day's backup if the newest one is older than a day and there is data to keep
    (and clear what a killed backup left behind)."""
    clean_stale_temp(data_dir)
    db = Path(data_dir) / DB_FILE_NAME
    if not db.exists() or not _has_figures(db):
        return None
    backups = list_backups(data_dir)
    if backups:
        age = datetime.now().timestamp() - backups[-1].stat().st_mtime
        if age < DAILY.total_seconds():
            return None
    return make_backup(data_dir, "hang-ngay")


def backup_at_close(data_dir: Path) -> Path | None:
    """At the end of a session: a backup holding today's edits, when figures changed after the
    newest backup (the daily one is taken before the day's first edit, so it never holds them)."""
    db = Path(data_dir) / DB_FILE_NAME
    backups = list_backups(data_dir)
    if not db.exists() or not backups:
        return None
    newest = datetime.fromtimestamp(backups[-1].stat().st_mtime, timezone.utc)
    try:
        con = connect_read_only(db)
        try:
            last_edit = con.execute("SELECT MAX(at) FROM audit").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if not last_edit or datetime.fromisoformat(last_edit) <= newest:
        return None
    return make_backup(data_dir, "dong-ung-dung")


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
    last_change: str  # "29/11/2026 15:20" in local time, "" when nothing was ever entered
    revision: str
    problems: list[str]
    figures: int = 0

    def content(self) -> str:
        """What the backup holds, in a few words an officer can compare across backups."""
        years = ", ".join(map(str, self.years)) or "chưa có số liệu"
        return (f"{self.commune} — {self.figures} số liệu, các năm {years}; sửa lần cuối "
                f"{self.last_change or 'không rõ'}")

    def words(self) -> str:
        return f"{self.content()}; lược đồ {self.revision}."


def describe_backup(path: Path) -> BackupInfo:
    problems = check_database(Path(path), immutable=True)
    try:
        con = connect_read_only(path, immutable=True)
        try:
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            profile = con.execute("SELECT ward_name, ward_code FROM profile").fetchone()
            years = [r[0] for r in con.execute("SELECT DISTINCT year FROM figure ORDER BY year")]
            figures = con.execute("SELECT COUNT(*) FROM figure").fetchone()[0]
            last = con.execute("SELECT MAX(at) FROM audit").fetchone()[0] or ""
        finally:
            con.close()
    except (sqlite3.Error, TypeError) as err:
        raise KH75Error(f"{Path(path).name} không phải bản sao lưu KH75 đọc được ({err}).") from err
    commune = f"{one_line(profile[0], 80)} ({one_line(profile[1], 10)})" if profile \
        else "chưa thiết lập"
    return BackupInfo(Path(path), commune, years, format_stored(last), revision, problems,
                      figures)


@dataclass(frozen=True)
class BackupEntry:
    """One row of the backup list: when, why, and what it holds (or why it cannot be read)."""

    path: Path
    taken: str
    kind: str
    info: BackupInfo | None
    error: str = ""

    @property
    def good(self) -> bool:
        return self.info is not None and not self.info.problems \
            and self.info.revision in known_revisions()

    def content(self) -> str:
        if self.info is None or self.info.problems:  # the technical cause is in `error`/info
            return "Hỏng, không đọc được: không dùng để khôi phục."
        if self.info.revision not in known_revisions():
            return f"{self.info.content()} (do phiên bản KH75 mới hơn tạo ra)"
        return self.info.content()

    def line(self) -> str:
        return f"{self.taken} · {self.kind} · {self.content()}"


def _taken_at(path: Path) -> datetime:
    """When a backup was taken: the UTC stamp its name carries (a copy keeps it, whatever the
    file's own time says), else the file's modification time; in local time."""
    import re

    found = re.search(r"(\d{8}T\d{6})\d*Z", Path(path).name)
    if found:
        stamp = datetime.strptime(found.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc)
        return stamp.astimezone()
    return datetime.fromtimestamp(Path(path).stat().st_mtime)


def backup_catalogue(data_dir: Path, extra: list[Path] = ()) -> list[BackupEntry]:
    """Every backup in the profile's folder (and `extra` files), newest first, described."""
    entries = []
    for path in [*reversed(list_backups(data_dir)), *extra]:
        try:
            taken = format_datetime(_taken_at(path))
            info, error = describe_backup(path), ""
        except KH75Error as err:
            info, error = None, err.message
        except OSError as err:
            taken, info, error = "", None, describe_os_error(err, path)
        entries.append(BackupEntry(path, taken, KINDS.get(backup_kind(path), "Tệp sao lưu"),
                                   info, error))
    return entries


def _set_aside(data_dir: Path, db: Path, reason: str = "truoc-khoi-phuc") -> Path:
    """Keep the current database before a restore: a consistent copy when it is sound, else the
    file moved aside as it is, byte for byte, with its journal (never read, never repaired)."""
    folder = backups_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    if db.is_file() and not check_database(db, quick=True):
        try:
            return make_backup(data_dir, reason)
        except KH75Error:
            pass  # unreadable after all (a full disk, a damaged page): move it aside instead
    target = folder / f"kh75-{_stamp()}-tep-hong.sqlite3"
    os.replace(db, target)  # a file or even a folder in its place: moved, not opened
    for suffix in ("-wal", "-shm", "-journal"):
        extra = db.with_name(db.name + suffix)
        if extra.exists():
            os.replace(extra, target.with_name(target.name + suffix))
    return target


def restore_backup(data_dir: Path, backup: Path) -> Path | None:
    """Replace the live database by `backup`, after checking the backup and setting the current
    state aside. Works whatever state the live file is in (damaged, empty, a folder, missing)
    and into a folder that does not exist yet. Returns where the previous state was kept (None
    when there was none)."""
    info = describe_backup(backup)
    if info.problems:
        raise KH75Error(f"Bản sao lưu {backup.name} bị hỏng ({info.problems[0]}); không khôi phục.")
    if info.revision not in known_revisions():
        raise KH75Error(f"Bản sao lưu {backup.name} do phiên bản KH75 mới hơn tạo ra; hãy cập nhật "
                        "ứng dụng trước khi khôi phục.")
    folder = Path(data_dir)
    db = folder / DB_FILE_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if db.is_file() and db.stat().st_size and not check_database(db, quick=True):
            # sound: copied into in place, so a window holding the profile sees the restore
            before = make_backup(folder, "truoc-khoi-phuc")
            _copy_into_live(Path(backup), db)
            return before
        before = _set_aside(folder, db) if db.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=".kh75-restore.", suffix=".tmp", dir=folder)
        os.close(fd)
        try:
            backup_copy(Path(backup), Path(tmp), frozen_source=True)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            for suffix in ("-wal", "-shm", "-journal"):  # never let an old journal replay
                db.with_name(db.name + suffix).unlink(missing_ok=True)
            os.replace(tmp, db)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as err:
        raise KH75Error(describe_os_error(err, db)) from err
    except sqlite3.Error as err:
        raise KH75Error(f"Không khôi phục được từ {backup.name}: {err}. Dữ liệu hiện tại không "
                        "bị thay đổi.") from err
    return before


def _copy_into_live(backup: Path, db: Path) -> None:
    src = connect_read_only(backup, immutable=True)
    try:
        dst = sqlite3.connect(str(db))
        try:
            src.backup(dst)  # page by page, under SQLite's own locking and journal
        finally:
            dst.close()
    finally:
        src.close()


def newest_good_backup(data_dir: Path) -> Path | None:
    for path in reversed(list_backups(data_dir)):
        try:
            if not describe_backup(path).problems:
                return path
        except KH75Error:
            continue
    return None


def start_afresh(data_dir: Path) -> Path | None:
    """Make way for a new profile when the database is lost or damaged and no backup will do:
    whatever is there is set aside first (never deleted), and every backup stays where it is
    (the kinds that rotate out are copies of the old profile; the set-aside file never does).
    Returns where the old state was kept (None when there was nothing)."""
    from .storage.database import open_engine

    folder = Path(data_dir)
    db = folder / DB_FILE_NAME
    try:
        kept = None
        if db.is_file() and db.stat().st_size == 0:
            db.unlink()  # an empty file holds nothing to keep
        elif db.exists():
            kept = _set_aside(folder, db, "truoc-ho-so-moi")
        open_engine(db).dispose()  # the new, empty profile: from now on it is not "lost"
    except OSError as err:
        raise KH75Error(describe_os_error(err, db)) from err
    return kept
