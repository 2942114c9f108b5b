"""Initial schema: profile, figures, audit, report status, package log, contacts.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mode", sa.String, nullable=False),
        sa.Column("ward_code", sa.String, nullable=False),
        sa.Column("ward_name", sa.String, nullable=False),
        sa.Column("ward_kind", sa.String, nullable=False),
        sa.Column("officer", sa.String, nullable=False),
        sa.Column("phone", sa.String, nullable=False),
        sa.Column("current_year", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(
        "figure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ward_code", sa.String, nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("element", sa.String, nullable=False),
        sa.Column("count", sa.Integer, nullable=True),
        sa.Column("flag", sa.Boolean, nullable=True),
        sa.Column("missing_reason", sa.String, nullable=True),
        sa.Column("source", sa.String, nullable=True),
        sa.Column("note", sa.String, nullable=False),
        sa.Column("explanation", sa.String, nullable=False),
        sa.Column("updated_by", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
        sa.UniqueConstraint("ward_code", "year", "element", name="uq_figure_ward_year_element"),
        sa.CheckConstraint("count IS NULL OR count >= 0", name="ck_figure_count_non_negative"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ward_code", sa.String, nullable=False, index=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("element", sa.String, nullable=False),
        sa.Column("old", sa.String, nullable=True),
        sa.Column("new", sa.String, nullable=True),
        sa.Column("who", sa.String, nullable=False),
        sa.Column("at", sa.String, nullable=False),
    )
    op.create_table(
        "report_status",
        sa.Column("ward_code", sa.String, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("comment", sa.String, nullable=False),
        sa.Column("updated_at", sa.String, nullable=False),
    )
    op.create_table(
        "package_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("package_id", sa.String, nullable=False, index=True),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("direction", sa.String, nullable=False),
        sa.Column("ward_code", sa.String, nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("manifest_sha256", sa.String, nullable=False),
        sa.Column("file_name", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("detail", sa.String, nullable=False),
        sa.Column("created_at", sa.String, nullable=False),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("phone", sa.String, nullable=False),
        sa.Column("organisation", sa.String, nullable=False),
        sa.Column("note", sa.String, nullable=False),
    )


def downgrade() -> None:
    for table in ("contact", "package_log", "report_status", "audit", "figure", "profile"):
        op.drop_table(table)
