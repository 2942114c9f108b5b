"""Files the bundle carries as data, chosen by name, never by copying a folder wholesale.

Alembic loads every script it finds in the migrations folder: a stray `__pycache__`, an editor's
backup or an untracked experiment copied into the bundle would run against officers' databases.
"""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS = Path("kh75_desktop") / "storage" / "migrations"
# the revision scripts as they are named in the repository: 0001_initial.py, 0002_packages.py…
REVISION_NAME = re.compile(r"^\d{4}_[a-z0-9_]+\.py$")


def migration_files(root: Path) -> list[tuple[str, str]]:
    """(source file, folder in the bundle) for Alembic's env.py and each revision script."""
    folder = Path(root) / MIGRATIONS
    chosen = [folder / "env.py"] + sorted(
        p for p in (folder / "versions").iterdir() if p.is_file() and REVISION_NAME.match(p.name))
    return [(str(p), p.parent.relative_to(root).as_posix()) for p in chosen]
