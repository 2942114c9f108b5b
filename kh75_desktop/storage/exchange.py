"""Stored state of the package exchange: settings, keys, package log, submissions, comments.

The tables only Sở Y tế fills (commune keys, received versions) are imported by the methods
that read them, so a commune's window never builds them (see province_models)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, select

from .models import FeedbackCommentRow, PackageLogRow, ProvinceKeyRow, Setting
from .records import columns, read_row, read_rows
from .store import utc_now

if TYPE_CHECKING:
    from .province_models import CommuneKeyRow, SubmissionRow


class ExchangeStore:
    def __init__(self, engine):
        self.engine = engine

    def session(self) -> Session:
        return Session(self.engine)

    # -- settings --------------------------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        row = read_row(self.engine, Setting, columns(Setting).key == key)
        return row.value if row else default

    def set_setting(self, key: str, value: str, s: Session | None = None) -> None:
        if s is not None:
            s.merge(Setting(key=key, value=value))
            return
        with self.session() as s2:
            s2.merge(Setting(key=key, value=value))
            s2.commit()

    # -- keys ------------------------------------------------------------------------------------
    def province_key(self) -> ProvinceKeyRow | None:
        """Sở Y tế's key as a read-only record (read through Core: the packages page's first
        showing paid 30 ms for the ORM's first query)."""
        return read_row(self.engine, ProvinceKeyRow, columns(ProvinceKeyRow).id == 1)

    def save_province_key(self, row: ProvinceKeyRow) -> None:
        with self.session() as s:
            row.id = 1
            row.imported_at = utc_now()
            s.merge(row)
            s.commit()

    def commune_key(self, ward: str) -> CommuneKeyRow | None:
        from .province_models import CommuneKeyRow

        with self.session() as s:
            return s.get(CommuneKeyRow, ward)

    def commune_key_by_id(self, key_id: str) -> CommuneKeyRow | None:
        from .province_models import CommuneKeyRow

        with self.session() as s:
            return s.exec(select(CommuneKeyRow).where(CommuneKeyRow.key_id == key_id,
                                                      CommuneKeyRow.status == "enrolled")).first()

    def commune_keys(self) -> list:
        """Every commune's key as a read-only record, by ward: through Core, since the ORM
        took 20-25 ms to build objects for a country's 3,321 at the start of each intake."""
        from .province_models import CommuneKeyRow

        return read_rows(self.engine, CommuneKeyRow, order_by=columns(CommuneKeyRow).ward_code)

    def save_commune_key(self, row: CommuneKeyRow) -> None:
        with self.session() as s:
            s.merge(row)
            s.commit()

    # -- package log -----------------------------------------------------------------------------
    def package_seen(self, package_id: str, direction: str | None = None) -> bool:
        with self.session() as s:
            q = select(PackageLogRow.id).where(PackageLogRow.package_id == package_id)
            if direction:
                q = q.where(PackageLogRow.direction == direction)
            return s.exec(q).first() is not None

    def packages(self, ward: str | None = None, year: int | None = None,
                 kind: str | None = None, direction: str | None = None) -> list[PackageLogRow]:
        """The package log's rows, oldest first, as read-only records."""
        c = columns(PackageLogRow)
        where = [col == val for col, val in ((c.ward_code, ward), (c.year, year),
                                             (c.kind, kind), (c.direction, direction))
                 if val is not None]
        return read_rows(self.engine, PackageLogRow, *where, order_by=c.id)

    def max_sequence(self, ward: str, year: int, kind: str, direction: str) -> int:
        with self.session() as s:
            value = s.exec(select(func.max(PackageLogRow.sequence)).where(
                PackageLogRow.ward_code == ward, PackageLogRow.year == year,
                PackageLogRow.kind == kind, PackageLogRow.direction == direction,
                PackageLogRow.status != "rejected")).first()
            return int(value or 0)

    # -- submissions (province) ------------------------------------------------------------------
    def submissions(self, year: int, ward: str | None = None) -> list[SubmissionRow]:
        from .province_models import SubmissionRow

        with self.session() as s:
            q = select(SubmissionRow).where(SubmissionRow.year == year)
            if ward:
                q = q.where(SubmissionRow.ward_code == ward)
            return list(s.exec(q.order_by(SubmissionRow.ward_code, SubmissionRow.version)).all())

    def latest_submissions(self, year: int) -> dict[str, SubmissionRow]:
        latest: dict[str, SubmissionRow] = {}
        for row in self.submissions(year):
            latest[row.ward_code] = row  # ordered by version: the last one wins
        return latest

    # -- comments --------------------------------------------------------------------------------
    def comments(self, ward: str, year: int, feedback_id: str | None = None
                 ) -> list[FeedbackCommentRow]:
        """Sở Y tế's comments on the year's versions, oldest first, as read-only records."""
        c = columns(FeedbackCommentRow)
        where = [c.ward_code == ward, c.year == year]
        if feedback_id:
            where.append(c.feedback_id == feedback_id)
        return read_rows(self.engine, FeedbackCommentRow, *where, order_by=c.id)

    def open_comments(self, ward: str, year: int) -> list[FeedbackCommentRow]:
        """Comments of the newest returning feedback for the year."""
        rows = self.comments(ward, year)
        if not rows:
            return []
        newest = max(r.version for r in rows)
        return [r for r in rows if r.version == newest]

    def unlocked_elements(self, ward: str, year: int) -> set[str]:
        out: set[str] = set()
        for r in self.open_comments(ward, year):
            out.update(json.loads(r.elements))
        return out

    def answer_comment(self, comment_id: int, answer: str) -> None:
        with self.session() as s:
            row = s.get(FeedbackCommentRow, comment_id)
            if row is not None:
                row.answer = answer.strip()
                s.add(row)
                s.commit()
