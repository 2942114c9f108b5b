"""Commune profiles made under one of the six wrong codes of vietnam-provinces 2025.10 move to the
code in force, with every figure, audit line, status and log row (never split into two communes).

The code is corrected only together with the name the profile was set up with, since three of
the wrong codes (13285, 13291, 13318) are real codes of another ward. The table is frozen here,
as a migration must not change when the app's own table does.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

CORRECTIONS = {
    ("13291", "Phường Phủ Lý"): "13285",
    ("13318", "Phường Phù Vân"): "13291",
    ("13285", "Phường Châu Sơn"): "13318",
    ("13666", "Phường Nam Định"): "13669",
    ("13735", "Phường Mỹ Lộc"): "13708",
    ("14599", "Xã Khánh Hội"): "14614",
}
COMMUNE_TABLES = ("figure", "audit", "report_status", "package_log")


def upgrade() -> None:
    conn = op.get_bind()
    row = conn.execute(sa.text("SELECT id, mode, ward_code, ward_name FROM profile")).first()
    if row is None or row.mode != "commune":
        return
    name = " ".join(row.ward_name.split())
    new = CORRECTIONS.get((row.ward_code, name))
    if new is None:
        if name != row.ward_name:  # "Xã  Xuân Giang"
            conn.execute(sa.text("UPDATE profile SET ward_name=:n WHERE id=:i"),
                         dict(n=name, i=row.id))
        return
    for table in COMMUNE_TABLES:
        conn.execute(sa.text(f"UPDATE {table} SET ward_code=:new WHERE ward_code=:old"),
                     dict(new=new, old=row.ward_code))
    conn.execute(sa.text("UPDATE profile SET ward_code=:c, ward_name=:n WHERE id=:i"),
                 dict(c=new, n=name, i=row.id))


def downgrade() -> None:
    # The old code was wrong; going back would bring the mistake back. Nothing to undo.
    pass
