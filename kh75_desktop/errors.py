"""The exception the core raises for anything a user must read (a Vietnamese message), and the
one kind a caller acts on: a profile database that needs recovering."""

from __future__ import annotations

from pathlib import Path


class KH75Error(Exception):
    """An expected failure with a message in Vietnamese that says what and where."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseCorrupt(KH75Error):
    """The profile's database cannot be used as it is; `backup` is the newest good backup (or
    None) and `folder` the profile folder whose backups the recovery screen lists. `summary` is
    what happened in plain words, without the terminal advice the message ends with."""

    def __init__(self, message: str, backup: Path | None, folder: Path | None = None,
                 summary: str = ""):
        super().__init__(message)
        self.backup = backup
        self.folder = folder
        self.summary = summary or message
