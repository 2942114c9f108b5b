"""Sở Y tế: each received version keeps how many measures it answers and the officer's name and
phone it carried, written at intake, so the communes table and the contact list are read in one
query each instead of parsing every version's payload document.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `answered` stays empty (NULL) for the versions already stored: the app sums them up from
    # their documents when the profile opens, since a migration must not import the app.
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("answered", sa.Integer, nullable=True))
        batch.add_column(sa.Column("officer", sa.String, nullable=False, server_default=""))
        batch.add_column(sa.Column("phone", sa.String, nullable=False, server_default=""))
    # Finds those versions without reading past each one's (large) document; empty once done.
    op.create_index("ix_submission_unsummed", "submission", ["id"],
                    sqlite_where=sa.text("answered IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_submission_unsummed", "submission")
    with op.batch_alter_table("submission") as batch:
        for column in ("phone", "officer", "answered"):
            batch.drop_column(column)
