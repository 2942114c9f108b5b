"""Open a profile database: SQLite pragmas, schema check and migrations.

Every connection runs in WAL mode with synchronous=FULL and foreign keys on. On open, the schema
version is read straight from `alembic_version`; only when it is behind is Alembic imported and
run, so an ordinary start pays nothing for it. A database written by a newer version is refused.
"""

from __future__ import annotations

import sqlite3
import weakref
from pathlib import Path

from sqlalchemy import QueuePool, create_engine, event
from sqlalchemy.engine import Engine

from ..errors import KH75Error
from ..files import os_reason

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
DB_FILE_NAME = "kh75.sqlite3"


def sqlite_uri(path: Path, read_only: bool = False) -> str:
    """The SQLite URI of a file, from `Path.as_uri()`: a '#', '%', '?' or space in a Windows user
    name is escaped, never read as the start of a query or fragment."""
    uri = Path(path).absolute().as_uri()
    return uri + "?mode=ro" if read_only else uri


def connect_read_only(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A read-only connection that never creates the file (or anything beside it); `immutable`
    for a backup that nothing else writes (it may sit on a write-protected stick)."""
    uri = sqlite_uri(path, read_only=True) + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True)


_PATHS: "weakref.WeakKeyDictionary[Engine, Path]" = weakref.WeakKeyDictionary()


def database_path(engine: Engine) -> Path:
    """The file an engine made by `open_engine` works on."""
    return _PATHS[engine]


def dispose_all() -> None:
    """Close every connection of every engine still open (before the process freezes its heap
    to exit: a frozen engine would never close its SQLite connections)."""
    for engine in list(_PATHS):
        engine.dispose()


def known_revisions() -> list[str]:
    """Revision ids in order, read from the file names (NNNN_name.py), without Alembic."""
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))


def schema_head() -> str:
    return known_revisions()[-1]


def _on_connect(dbapi_conn: sqlite3.Connection, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def current_revision(path: Path) -> str | None:
    """The schema revision recorded in the file, None for a new or empty database."""
    if not path.exists():
        return None
    try:
        con = connect_read_only(path)
        try:
            row = con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                              "AND name='alembic_version'").fetchone()
            if row is None:
                return None
            version = con.execute("SELECT version_num FROM alembic_version").fetchone()
            return version[0] if version else None
        finally:
            con.close()
    except sqlite3.DatabaseError as err:
        text = str(err).lower()
        if "readonly" in text or "unable to open" in text:
            raise KH75Error(f"Thư mục dữ liệu {path.parent} chỉ đọc hoặc không mở được ({err}); "
                            "hãy kiểm tra quyền ghi. Tệp không bị thay đổi.") from err
        raise KH75Error(f"Tệp cơ sở dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu KH75: "
                        f"{err}. Hãy khôi phục từ bản sao lưu.") from err


def backup_copy(source: Path, target: Path, frozen_source: bool = False) -> Path:
    """A consistent copy of a database with SQLite's online backup API, written in rollback-journal
    mode so it reads from a write-protected USB stick and leaves nothing beside itself there.
    `frozen_source`: the source is a backup file (maybe on such a stick), opened immutable."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if frozen_source:
        src = sqlite3.connect(sqlite_uri(source, read_only=True) + "&immutable=1", uri=True)
    else:
        src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return target


def _unstamped_tables(path: Path) -> tuple[list[str], bool]:
    """Tables in a file that has no schema stamp, and whether any holds a row."""
    con = connect_read_only(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite_%'")]
        rows = any(con.execute(f'SELECT EXISTS(SELECT 1 FROM "{t}")').fetchone()[0]
                   for t in tables if t != "alembic_version")
        return tables, rows
    finally:
        con.close()


class UnknownSchema(KH75Error):
    """Tables and figures without a schema stamp: nothing is changed; a backup is the way back."""


def _migrate(engine: Engine, path: Path, revision: str | None) -> None:
    """Bring the schema to head in ONE transaction: every migration and the stamp commit together
    or not at all (SQLite's DDL is transactional once BEGIN is explicit), so a cut never leaves
    tables without a stamp. The file is backed up once per schema version before the first try."""
    from alembic import command  # heavy: imported only when the schema is behind
    from alembic.config import Config

    if revision is not None:
        from datetime import datetime, timezone

        folder = path.parent / "backups"
        if not list(folder.glob(f"truoc-nang-cap-{revision}-*.sqlite3")):
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            backup_copy(path, folder / f"truoc-nang-cap-{revision}-{stamp}.sqlite3")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        saved = driver.isolation_level
        driver.isolation_level = None  # the driver must not commit DDL on its own
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
        except BaseException:
            if driver.in_transaction:
                driver.execute("ROLLBACK")
            conn.rollback()
            raise
        finally:
            driver.isolation_level = saved


def open_engine(path: Path) -> Engine:
    """An engine on the profile database at `path`, created or migrated to the current schema."""
    path = Path(path)
    revision = current_revision(path)
    known = known_revisions()
    if revision is not None and revision not in known:
        raise KH75Error(f"Cơ sở dữ liệu {path} được tạo bởi phiên bản KH75 mới hơn "
                        f"(lược đồ {revision}). Hãy cập nhật ứng dụng; tệp không bị thay đổi.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KH75Error(f"Không tạo được thư mục dữ liệu {path.parent}: {os_reason(err)}.") from err
    uri = sqlite_uri(path)
    # A creator, not a "sqlite:///…" URL: SQLAlchemy would read '#' or '?' in the path itself.
    engine = create_engine("sqlite://", poolclass=QueuePool,
                           creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    _PATHS[engine] = path
    event.listen(engine, "connect", _on_connect)
    if revision is None and path.exists() and path.stat().st_size:
        tables, has_rows = _unstamped_tables(path)
        if has_rows:
            engine.dispose()
            raise UnknownSchema(f"Cơ sở dữ liệu {path} có số liệu nhưng mất dấu phiên bản lược "
                                "đồ (có thể do bị cắt khi nâng cấp); ứng dụng không tự sửa để "
                                "khỏi mất số liệu.")
        if tables:  # a first start cut before anything was entered: start that start again
            engine.dispose()
            path.unlink()
            for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                extra.unlink(missing_ok=True)
    if revision != known[-1]:
        _migrate(engine, path, revision)
    return engine
