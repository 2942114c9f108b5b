"""SQLModel tables of a profile database.

The schema itself is created and changed only by the Alembic migrations in `migrations/`;
these classes describe it for queries. A test checks the two agree.
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


class CommuneKeyRow(SQLModel, table=True):
    """Province side: a commune's enrolled signing key (its fingerprint was confirmed)."""

    __tablename__ = "commune_key"

    ward_code: str = Field(primary_key=True)
    key_id: str = Field(index=True)
    public_key: str
    fingerprint: str
    status: str = "enrolled"  # waiting keys live in pending_key
    first_seen: str = ""
    enrolled_at: str = ""


class PendingKeyRow(SQLModel, table=True):
    """Province side: a new key a first package was signed with, waiting for its fingerprint to
    be read out by the commune; one row per (ward, fingerprint), so none displaces another."""

    __tablename__ = "pending_key"
    __table_args__ = (UniqueConstraint("ward_code", "fingerprint", name="uq_pending_ward_fp"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    ward_code: str = Field(index=True)
    fingerprint: str
    key_id: str
    public_key: str
    first_seen: str = ""
    packages: int = 0  # its packages waiting in the pending folder


class SubmissionRow(SQLModel, table=True):
    """Province side: one received version of a commune's report."""

    __tablename__ = "submission"

    id: Optional[int] = Field(default=None, primary_key=True)
    ward_code: str = Field(index=True)
    year: int
    version: int
    package_id: str
    manifest_sha256: str
    received_at: str
    status: str = "received"  # "received", "accepted", "returned"
    soft_findings: str = ""  # JSON list of soft-rule messages, for review
    figures: str = "{}"  # the version's payload document (JSON), its figures included
    # measures the version answers (figures or explained gaps), of 34; None only until a version
    # stored before schema 0008 is summed up (packages.version_summary)
    answered: Optional[int] = None
    officer: str = ""  # the officer's name and phone the version carried, bounded
    phone: str = ""


# The versions whose summary is still to be worked out (stored before schema 0008); the partial
# index ix_submission_unsummed holds exactly these, so asking costs nothing once they are done.
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
