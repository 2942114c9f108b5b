"""Sở Y tế: two covering indexes over the small columns of `submission`, so the communes table,
the contact list and the "has anything changed" checks never read the rows themselves.

Each row holds its version's whole payload document (about 6 KB) before the summary columns
that 0008 appended, so reading `answered`, `officer` or `phone` walked every row's overflow
pages: 3 ms of a province's 1,290 versions per query, most of the communes page's load.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_submission_summary", "submission",
                    ["year", "ward_code", "version", "status", "received_at", "answered"])
    op.create_index("ix_submission_contact", "submission",
                    ["ward_code", "year", "version", "officer", "phone"])


def downgrade() -> None:
    op.drop_index("ix_submission_contact", "submission")
    op.drop_index("ix_submission_summary", "submission")
