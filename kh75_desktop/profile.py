"""Open a profile: the catalogue plus the store on the profile's database file."""

from __future__ import annotations

from pathlib import Path

from .catalogue import Catalogue, load_catalogue
from .errors import KH75Error
from .storage.database import DB_FILE_NAME, open_engine
from .storage.models import Profile
from .storage.store import Store


def open_store(data_dir: Path, catalogue: Catalogue | None = None) -> Store:
    return Store(open_engine(Path(data_dir) / DB_FILE_NAME), catalogue or load_catalogue())


def require_profile(store: Store) -> Profile:
    """The commune profile, or a clear message that setup has not been done."""
    profile = store.profile()
    if profile is None or not profile.ward_code:
        raise KH75Error("Chưa thiết lập hồ sơ xã/phường. Hãy chạy 'kh75 setup' hoặc mở ứng dụng "
                        "để thiết lập lần đầu.")
    return profile


def data_dir_of(store: Store) -> Path:
    """The profile folder a store was opened on (keys and backups live beside the database)."""
    return Path(store.engine.url.database).parent
