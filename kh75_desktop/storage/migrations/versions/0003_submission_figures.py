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
        batch.add_column(sa.Column("figures", sa.String, nullable=False, server_default="{}"))
    # Versions received before this revision kept their figures as rows: move the latest
    # version's rows into its document (older versions' figures were already overwritten).
    import json

    conn = op.get_bind()
    latest = conn.execute(sa.text(
        "SELECT id, ward_code, year FROM submission s WHERE version = (SELECT MAX(version) "
        "FROM submission t WHERE t.ward_code = s.ward_code AND t.year = s.year)")).fetchall()
    for sub_id, ward, year in latest:
        rows = conn.execute(sa.text(
            "SELECT element, count, flag, missing_reason, source, note, explanation FROM figure "
            "WHERE ward_code = :w AND year = :y"), dict(w=ward, y=year)).fetchall()
        figures = [{k: v for k, v in zip(("element", "count", "flag", "missing_reason", "source",
                                          "note", "explanation"), r, strict=True)
                    if v not in (None, "")} for r in rows]
        for f in figures:
            if "flag" in f:
                f["flag"] = bool(f["flag"])
        conn.execute(sa.text("UPDATE submission SET figures = :d WHERE id = :i"),
                     dict(d=json.dumps({"figures": figures}, ensure_ascii=False), i=sub_id))


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.drop_column("figures")
