"""Sở Y tế: reports and keys taken in under one of the six wrong codes of vietnam-provinces
2025.10 move to the code in force (the commune side moved its own profile in 0004).

A code moves only when every report stored under it names the commune the wrong code was given
to, since three of the wrong codes are real codes of another ward. Codes are moved through a
temporary prefix because the corrections rotate three codes among three wards.

Revision ID: 0006
Revises: 0005
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen copy of 0004's table: a migration never imports the app, and the frozen bundle loads
# migration files by path, so they cannot share a module.
CORRECTIONS = {
    ("13291", "Phường Phủ Lý"): "13285",
    ("13318", "Phường Phù Vân"): "13291",
    ("13285", "Phường Châu Sơn"): "13318",
    ("13666", "Phường Nam Định"): "13669",
    ("13735", "Phường Mỹ Lộc"): "13708",
    ("14599", "Xã Khánh Hội"): "14614",
}
PROVINCE_TABLES = ("submission", "package_log", "feedback_comment", "commune_key")


def _name(document: str) -> str:
    try:
        commune = json.loads(document).get("commune", {})
    except (ValueError, AttributeError):
        return ""
    name = commune.get("name", "") if isinstance(commune, dict) else ""
    return " ".join(name.split()) if isinstance(name, str) else ""


def upgrade() -> None:
    conn = op.get_bind()
    row = conn.execute(sa.text("SELECT mode FROM profile")).first()
    if row is None or row.mode != "province":
        return
    old_codes = sorted({code for code, _ in CORRECTIONS})
    targets: dict[str, set] = {}
    for ward, figures in conn.execute(sa.text(
            "SELECT ward_code, figures FROM submission WHERE ward_code IN ("
            + ",".join(f"'{c}'" for c in old_codes) + ")")):
        targets.setdefault(ward, set()).add(CORRECTIONS.get((ward, _name(figures))))
    moves = {old: news.pop() for old, news in targets.items()
             if len(news) == 1 and None not in news}
    for old, new in moves.items():
        for table in PROVINCE_TABLES:
            # OR IGNORE: a key already enrolled under the right code stays as it is
            conn.execute(sa.text(f"UPDATE OR IGNORE {table} SET ward_code=:tmp "
                                 "WHERE ward_code=:old"), dict(tmp="~" + new, old=old))
    for table in PROVINCE_TABLES:
        conn.execute(sa.text(f"UPDATE OR IGNORE {table} SET ward_code=substr(ward_code, 2) "
                             "WHERE ward_code LIKE '~%'"))
    # a key left behind: the right code already had its own enrolled key, which stays
    conn.execute(sa.text("DELETE FROM commune_key WHERE ward_code LIKE '~%'"))


def downgrade() -> None:
    # The old codes were wrong; going back would bring the mistake back. Nothing to undo.
    pass
