"""The reporting period: a figure may be an estimate to 31/12 ("ước tính"), and a report may be
reopened after the year ends to send the official figures ("số liệu chính thức").

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figure") as batch:
        batch.add_column(sa.Column("estimated", sa.Boolean, nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("report_status") as batch:
        batch.add_column(sa.Column("official", sa.Boolean, nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("report_status") as batch:
        batch.drop_column("official")
    with op.batch_alter_table("figure") as batch:
        batch.drop_column("estimated")
