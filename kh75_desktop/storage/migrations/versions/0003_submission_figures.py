"""Province: keep each received version's figures with the submission, as one JSON document.

Intake wrote 53 figure rows per package; one document per version is what the province reads
(the latest version per commune) and keeps every version instead of overwriting the last.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("figures", sa.String, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("figures")
