"""SQLModel tables only Sở Y tế fills: the communes' enrolled keys, new keys waiting for their
fingerprint, and every received version of a commune's report.

Kept apart from `models` so a commune's window and commands never build them (SQLModel makes
each table class in about 2.5 ms, and SQLAlchemy configures every class it knows at the first
query). The schema itself comes from the Alembic migrations, as for every table.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


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
