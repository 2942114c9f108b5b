"""Integrity checks of a database file: SQLite's own integrity and foreign-key checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .database import connect_read_only


def check_database(path: Path, quick: bool = False, immutable: bool = False) -> list[str]:
    """Problems found, in words; an empty list means the file is sound. `immutable` for a backup
    file, which may sit on a write-protected stick."""
    try:
        con = connect_read_only(path, immutable)
    except sqlite3.Error as err:
        return [f"không mở được tệp: {err}"]
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}").fetchall()]
        problems = [] if rows == ["ok"] else rows
        if not quick:
            for table, rowid, parent, _ in con.execute("PRAGMA foreign_key_check").fetchall():
                problems.append(f"bảng {table} dòng {rowid} trỏ tới {parent} không tồn tại")
        return problems
    except sqlite3.DatabaseError as err:
        return [f"tệp bị hỏng: {err}"]
    finally:
        con.close()
