"""Where a profile lives: `--data-dir`, else `KH75_DATA_DIR`, else the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "KH75"


def data_dir(override: str | os.PathLike[str] | None = None, province: bool = False) -> Path:
    if override:
        return Path(override).expanduser()
    env = os.environ.get("KH75_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    base = Path(user_data_dir(APP_NAME, appauthor=False))
    return base / "so-y-te" if province else base
