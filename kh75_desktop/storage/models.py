"""SQLModel tables of a profile database.

The schema itself is created and changed only by the Alembic migrations in `migrations/`;
these classes describe it for queries. A test checks the two agree. The tables only Sở Y tế
fills (commune keys, waiting keys, received versions) are in `province_models`, so a commune's
window never builds them.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import CheckConstraint, UniqueConstraint
from sqlmodel import Field, SQLModel


class Profile(SQLModel, table=True):
    """The one row describing whose database this is (a commune, or Sở Y tế)."""

    id: int = Field(default=1, primary_key=True)
    mode: str = "commune"  # "commune" or "province"
    ward_code: str = ""
    ward_name: str = ""
    ward_kind: str = ""  # "xa" or "phuong"
    officer: str = ""
    phone: str = ""
    current_year: int = 2026
    created_at: str = ""
    updated_at: str = ""


class FigureRow(SQLModel, table=True):
    """One figure of one commune for one data element and year."""

    __tablename__ = "figure"
    __table_args__ = (
        UniqueConstraint("ward_code", "year", "element", name="uq_figure_ward_year_element"),
        CheckConstraint("count IS NULL OR count >= 0", name="ck_figure_count_non_negative"),
    )

    id: Optional[int] = Field(default=None, primary_key=True)
    ward_code: str = Field(index=True)
    year: int
    element: str
    count: Optional[int] = None
    flag: Optional[bool] = None
    missing_reason: Optional[str] = None
    source: Optional[str] = None
    note: str = ""
    explanation: str = ""
    estimated: bool = False  # counted to the cut-off date and estimated to 31/12
    updated_by: str = ""
    updated_at: str = ""


class AuditRow(SQLModel, table=True):
    """Every change to a figure: what it was, what it became, who and when."""

    __tablename__ = "audit"

    id: Optional[int] = Field(default=None, primary_key=True)
    ward_code: str = Field(index=True)
    year: int
    element: str
    old: Optional[str] = None  # JSON of the figure before, None when new
    new: Optional[str] = None  # JSON of the figure after, None when removed
    who: str = ""
    at: str = ""


class ReportStatusRow(SQLModel, table=True):
    """Where a commune's report for a year stands: draft, complete, exported, accepted, returned."""

    __tablename__ = "report_status"

    ward_code: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    status: str = "draft"
    version: int = 0
    official: bool = False  # reopened after the year ended to send the official figures
    comment: str = ""
    updated_at: str = ""


class PackageLogRow(SQLModel, table=True):
    """Every package written or read, with its identity and outcome."""

    __tablename__ = "package_log"

    id: Optional[int] = Field(default=None, primary_key=True)
    package_id: str = Field(index=True)
    kind: str  # "submission" or "feedback"
    direction: str  # "out" or "in"
    ward_code: str
    year: int
    sequence: int
    manifest_sha256: str
    file_name: str = ""
    status: str = ""
    detail: str = ""
    created_at: str = ""


class ContactRow(SQLModel, table=True):
    """A local contact the commune adds (the plan's hotlines are built in, not stored)."""

    __tablename__ = "contact"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    phone: str
    organisation: str = ""
    note: str = ""


class Setting(SQLModel, table=True):
    """Small key/value settings of a profile (province scope, feedback sequence counters)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str = ""


class ProvinceKeyRow(SQLModel, table=True):
    """Commune side: Sở Y tế's keys, imported from its signed key file at setup."""

    __tablename__ = "province_key"

    id: int = Field(default=1, primary_key=True)
    name: str
    signing_key: str
    key_id: str
    age_recipient: str
    fingerprint: str
    imported_at: str = ""


# The received versions (province_models.SubmissionRow) whose summary is still to be worked out
# (stored before schema 0008); the partial index ix_submission_unsummed holds exactly these, so
# asking costs nothing once they are done. Here, not beside the table: every profile's opening
# asks (profile.py), and a commune's must not build Sở Y tế's tables to do so.
UNSUMMED_VERSIONS = "answered IS NULL"


class FeedbackCommentRow(SQLModel, table=True):
    """A comment on one measure of one version, with the figures it unlocks and the answer."""

    __tablename__ = "feedback_comment"

    id: Optional[int] = Field(default=None, primary_key=True)
    ward_code: str = Field(index=True)
    year: int
    version: int
    feedback_id: str
    measure: str
    comment: str
    elements: str = "[]"  # JSON list of element keys unlocked
    answer: str = ""
