"""Open a profile: the catalogue plus the store on the profile's database file."""

from __future__ import annotations

from pathlib import Path

from .catalogue import Catalogue, load_catalogue
from .errors import DatabaseCorrupt, KH75Error
from .files import os_reason
from .storage.database import DB_FILE_NAME, UnknownSchema, open_engine
from .storage.models import UNSUMMED_VERSIONS, Profile
from .storage.store import Store


def open_store(data_dir: Path, catalogue: Catalogue | None = None, check: bool = True,
               create: bool = True) -> Store:
    """The store on the profile's database.

    `check` runs SQLite's quick_check first and, on corruption, names the newest good backup to
    restore instead of failing later. A database that is missing or empty while backups of it
    exist is never silently replaced by a fresh profile: the backups are named instead. With
    `create` false (read-only commands) nothing is ever written: no file, no schema."""
    folder = Path(data_dir)
    path = folder / DB_FILE_NAME
    try:
        exists = path.exists()
        size = path.stat().st_size if exists else 0
    except OSError as err:
        raise KH75Error(f"Không truy cập được thư mục dữ liệu {data_dir}: {os_reason(err)}.") from err
    if size == 0:
        lost = _lost_profile(folder, exists)
        if lost is not None:
            raise lost
        if not create:
            raise NoProfile(f"Chưa thiết lập hồ sơ tại {folder}. Hãy mở ứng dụng để thiết lập "
                            "lần đầu hoặc chạy 'kh75 setup'.")
        if exists:  # an empty file left by a cut first start, with no backup: start afresh
            path.unlink()
    elif check:
        from .storage.integrity import check_database

        problems = check_database(path, quick=True)
        if problems:
            raise _open_fault(folder, problems) or corruption_error(folder, problems)
    try:
        engine = open_engine(path)
    except UnknownSchema as err:  # a cut upgrade: the recovery screen, with the backups
        from .backup import newest_good_backup

        good = newest_good_backup(folder)
        summary = (f"Tệp số liệu {path} còn số liệu nhưng bị cắt giữa chừng khi nâng cấp; "
                   "ứng dụng không tự sửa để khỏi mất số liệu.")
        raise DatabaseCorrupt(err.message + _restore_advice(good), good, folder, summary) from err
    store = Store(engine, catalogue or load_catalogue())
    if _has_unsummed_versions(engine):  # once after schema 0008; then one look in an empty index
        from .packages.version_summary import sum_up_older_versions

        sum_up_older_versions(store)
    return store


def _has_unsummed_versions(engine) -> bool:
    """Whether versions stored before schema 0008 still lack their summary, asked without
    importing the province's modules into every start of a commune's window or command."""
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(text(f"SELECT 1 FROM submission WHERE {UNSUMMED_VERSIONS} LIMIT 1")
                            ).first() is not None


def _open_fault(folder: Path, problems: list[str]) -> KH75Error | None:
    """A check that could not even open the file is a full disk or a read-only folder when the
    disk says so; only what remains is damage."""
    import os

    from .files import disk_is_full, free_space_words

    text = " ".join(problems).lower()
    if not any(w in text for w in ("unable to open", "disk i/o", "readonly", "read-only",
                                   "full", "không mở được")):
        return None
    if disk_is_full(folder):
        return KH75Error(f"Ổ đĩa chứa hồ sơ {folder} đã đầy ({free_space_words(folder)}). Tệp "
                         "dữ liệu không hỏng và số liệu vẫn còn nguyên; mở lại ứng dụng sau khi "
                         "giải phóng dung lượng.")
    if not os.access(folder, os.W_OK):
        return KH75Error(f"Không có quyền ghi vào thư mục dữ liệu {folder}; số liệu vẫn còn "
                         "nguyên. Hãy kiểm tra quyền ghi (hoặc chép hồ sơ sang thư mục khác).")
    return None


class NoProfile(KH75Error):
    """No database yet, and a read-only command must not make one."""


def _lost_profile(folder: Path, exists: bool) -> DatabaseCorrupt | None:
    """The message for a database file that is empty or gone while backups of it exist."""
    from .backup import list_backups, newest_good_backup

    backups = list_backups(folder)
    if not backups:
        return None
    good = newest_good_backup(folder)
    state = "trống (0 byte)" if exists else "không còn"
    summary = (f"Tệp số liệu {folder / DB_FILE_NAME} {state}, nhưng thư mục sao lưu còn "
               f"{len(backups)} bản.")
    return DatabaseCorrupt(summary + _restore_advice(good) + " Không tạo hồ sơ mới để khỏi mất "
                           "các bản sao lưu này.", good, folder, summary)


def _restore_advice(good: Path | None) -> str:
    if good is None:
        return (" Không tìm thấy bản sao lưu tốt; hãy giữ nguyên tệp và chọn một bản sao lưu "
                "khác (ví dụ trên USB) hoặc liên hệ hỗ trợ.")
    return (f" Bản sao lưu tốt gần nhất: {good.name}. Khôi phục trong ứng dụng hoặc bằng "
            f"'kh75 restore \"{good}\"'.")


def corruption_error(data_dir: Path, problems: list[str]) -> DatabaseCorrupt:
    from .backup import newest_good_backup

    good = newest_good_backup(data_dir)
    return DatabaseCorrupt(f"Cơ sở dữ liệu {data_dir / DB_FILE_NAME} bị hỏng ({problems[0]})."
                           + _restore_advice(good), good, Path(data_dir),
                           f"Tệp số liệu {data_dir / DB_FILE_NAME} bị hỏng, không đọc được.")


def require_profile(store: Store) -> Profile:
    """The commune profile, or a clear message that setup has not been done."""
    profile = store.profile()
    if profile is None or not profile.ward_code:
        raise KH75Error("Chưa thiết lập hồ sơ xã/phường. Hãy chạy 'kh75 setup' hoặc mở ứng dụng "
                        "để thiết lập lần đầu.")
    return profile


def data_dir_of(store: Store) -> Path:
    """The profile folder a store was opened on (keys and backups live beside the database)."""
    from .storage.database import database_path

    return database_path(store.engine).parent
