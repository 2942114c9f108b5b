"""Intake's writes: the versions it accepts are written in batches, and every package's outcome
is reported in file order once what it stored is written.

Two INSERTs a version (its document and its log line) cost more one by one than the checks
before them: each statement found the database's pages cold after a package's crypto and
parsing. A batch writes up to `BATCH` versions with two `executemany` under one savepoint. If
that fails, the batch is written again version by version, each under its own savepoint, so one
version that cannot be written is refused alone, leaves nothing behind and is forgotten by the
run (its id and sequence no longer count as received); the others are kept.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

BATCH = 64

INSERT_VERSION = (
    "INSERT INTO submission (ward_code, year, version, package_id, manifest_sha256, received_at, "
    "status, soft_findings, figures, answered, officer, phone) "
    "VALUES (?,?,?,?,?,?,'received',?,?,?,?,?)")
INSERT_LOG = (
    "INSERT INTO package_log (package_id, kind, direction, ward_code, year, sequence, "
    "manifest_sha256, file_name, status, detail, created_at) "
    "VALUES (?,'submission','in',?,?,?,?,?,'received',?,?)")


@dataclass
class AcceptedVersion:
    """One accepted version's two rows, and what the run remembered of it when accepting it
    (`previous_sequence`: the ward-year's highest sequence before it), to forget it again."""

    submission: tuple
    log: tuple
    ward: str
    year: int
    sequence: int
    package_id: str
    previous_sequence: int


@contextmanager
def savepoint(conn, name: str = "package") -> Iterator[None]:
    """Everything written inside is kept together or not at all (`conn`: raw sqlite3, inside
    intake's transaction)."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        conn.execute(f"ROLLBACK TO {name}")
        conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


def write_version(conn, version: AcceptedVersion) -> None:
    conn.execute(INSERT_VERSION, version.submission)
    conn.execute(INSERT_LOG, version.log)


class VersionBatch:
    """Outcomes in file order, and the accepted versions among them not yet written.

    `forget(version)` undoes what the run remembered of a version that could not be written;
    `refusal(path, err)` words the refusal; `report(i, result)` receives every outcome once, in
    order, after its batch is written."""

    def __init__(self, conn, forget: Callable[[AcceptedVersion], None],
                 refusal: Callable, report: Callable[[int, object], None]):
        self.conn, self.forget, self.refusal, self.report = conn, forget, refusal, report
        self.held: list[tuple[int, object, object, AcceptedVersion | None]] = []
        self.versions = 0

    def add(self, i: int, path, result, version: AcceptedVersion | None = None) -> None:
        self.held.append((i, path, result, version))
        if version is not None:
            self.versions += 1
            if self.versions >= BATCH:
                self.flush()

    def flush(self) -> None:
        """Write the held versions, then report every held outcome; call before anything else
        writes versions (so ids follow file order) and before each commit."""
        held, self.held, self.versions = self.held, [], 0
        versions = [v for _, _, _, v in held if v is not None]
        if versions:
            try:
                with savepoint(self.conn, "batch"):
                    self.conn.executemany(INSERT_VERSION, [v.submission for v in versions])
                    self.conn.executemany(INSERT_LOG, [v.log for v in versions])
            except Exception:  # noqa: BLE001 - find the version at fault; keep the others
                held = self._one_by_one(held)
        for i, _, result, _ in held:
            self.report(i, result)

    def _one_by_one(self, held: list) -> list:
        out, failed = [], []
        for i, path, result, version in held:
            if version is not None:
                try:
                    with savepoint(self.conn):
                        write_version(self.conn, version)
                except Exception as err:  # noqa: BLE001 - one version never stops the rest
                    result = self.refusal(path, err)
                    failed.append(version)
            out.append((i, path, result, version))
        for version in reversed(failed):  # latest first, so each restores what it replaced
            self.forget(version)
        return out
