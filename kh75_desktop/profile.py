"""Open a profile: the catalogue plus the store on the profile's database file."""

from __future__ import annotations

from pathlib import Path

from .catalogue import Catalogue, load_catalogue
from .errors import KH75Error
from .storage.database import DB_FILE_NAME, open_engine
from .storage.models import Profile
from .storage.store import Store


def open_store(data_dir: Path, catalogue: Catalogue | None = None, check: bool = True) -> Store:
    """The store on the profile's database; `check` runs SQLite's quick_check first and, on
    corruption, names the newest good backup to restore instead of failing later."""
    path = Path(data_dir) / DB_FILE_NAME
    try:
        path.exists()
    except OSError as err:
        raise KH75Error(f"Không truy cập được thư mục dữ liệu {data_dir}: {err.strerror}.") from err
    if check and path.exists():
        from .storage.integrity import check_database

        problems = check_database(path, quick=True)
        if problems:
            raise corruption_error(Path(data_dir), problems)
    return Store(open_engine(path), catalogue or load_catalogue())


class DatabaseCorrupt(KH75Error):
    def __init__(self, message: str, backup: Path | None):
        super().__init__(message)
        self.backup = backup


def corruption_error(data_dir: Path, problems: list[str]) -> DatabaseCorrupt:
    from .backup import newest_good_backup

    good = newest_good_backup(data_dir)
    advice = (f" Bản sao lưu tốt gần nhất: {good}. Khôi phục bằng 'kh75 restore \"{good}\"' "
              "hoặc trong ứng dụng." if good else " Không tìm thấy bản sao lưu tốt; hãy liên hệ "
              "hỗ trợ và giữ nguyên tệp.")
    return DatabaseCorrupt(f"Cơ sở dữ liệu {data_dir / DB_FILE_NAME} bị hỏng ({problems[0]})."
                           + advice, good)


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
