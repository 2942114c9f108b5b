"""Packages: settings, province key, commune keys, submissions, feedback comments.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    op.create_table(
        "province_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("signing_key", sa.String, nullable=False),
        sa.Column("key_id", sa.String, nullable=False),
        sa.Column("age_recipient", sa.String, nullable=False),
        sa.Column("fingerprint", sa.String, nullable=False),
        sa.Column("imported_at", sa.String, nullable=False),
    )
    op.create_table(
        "commune_key",
        sa.Column("ward_code", sa.String, primary_key=True),
        sa.Column("key_id", sa.String, nullable=False, index=True),
        sa.Column("public_key", sa.String, nullable=False),
        sa.Column("fingerprint", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("first_seen", sa.String, nullable=False),
        sa.Column("enrolled_at", sa.String, nullable=False),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ward_code", sa.String, nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("package_id", sa.String, nullable=False),
        sa.Column("manifest_sha256", sa.String, nullable=False),
        sa.Column("received_at", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("soft_findings", sa.String, nullable=False),
    )
    op.create_table(
        "feedback_comment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ward_code", sa.String, nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("feedback_id", sa.String, nullable=False),
        sa.Column("measure", sa.String, nullable=False),
        sa.Column("comment", sa.String, nullable=False),
        sa.Column("elements", sa.String, nullable=False),
        sa.Column("answer", sa.String, nullable=False),
    )


def downgrade() -> None:
    for table in ("feedback_comment", "submission", "commune_key", "province_key", "setting"):
        op.drop_table(table)
