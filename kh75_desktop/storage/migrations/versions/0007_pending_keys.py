"""Sở Y tế: waiting commune keys get their own table, one row per (ward, fingerprint), so an
anonymous package can no longer displace a commune's waiting key (it replaced the one row per
ward before).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ward_code", sa.String, nullable=False, index=True),
        sa.Column("fingerprint", sa.String, nullable=False),
        sa.Column("key_id", sa.String, nullable=False),
        sa.Column("public_key", sa.String, nullable=False),
        sa.Column("first_seen", sa.String, nullable=False, server_default=""),
        sa.Column("packages", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("ward_code", "fingerprint", name="uq_pending_ward_fp"),
    )
    conn = op.get_bind()
    conn.execute(sa.text(
        "INSERT INTO pending_key (ward_code, fingerprint, key_id, public_key, first_seen, packages) "
        "SELECT ward_code, fingerprint, key_id, public_key, first_seen, 1 FROM commune_key "
        "WHERE status = 'pending'"))
    conn.execute(sa.text("DELETE FROM commune_key WHERE status = 'pending'"))


def downgrade() -> None:
    op.drop_table("pending_key")
