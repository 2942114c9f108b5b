"""Sở Y tế: each received version keeps how many measures it answers and the officer's name and
phone it carried, written at intake, so the communes table and the contact list are read in one
query each instead of parsing every version's payload document.

Revision ID: 0008
Revises: 0007
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        batch.add_column(sa.Column("answered", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("officer", sa.String, nullable=False, server_default=""))
        batch.add_column(sa.Column("phone", sa.String, nullable=False, server_default=""))
    # Versions received before this revision: counted once from their documents.
    from kh75_desktop.catalogue import load_catalogue
    from kh75_desktop.figures import Figure
    from kh75_desktop.measures import answered_measures
    from kh75_desktop.packages.chasing import sender_contact

    catalogue = load_catalogue()
    conn = op.get_bind()
    for sub_id, doc in conn.execute(sa.text("SELECT id, figures FROM submission")).fetchall():
        try:
            parsed = json.loads(doc)
            figures = {f["element"]: Figure.from_json(f) for f in parsed.get("figures", [])}
        except (ValueError, TypeError, KeyError, AttributeError):
            continue  # stored by intake, so never expected; such a version counts 0
        officer, phone = sender_contact(parsed)
        conn.execute(sa.text("UPDATE submission SET answered = :a, officer = :o, phone = :p "
                             "WHERE id = :i"),
                     dict(a=answered_measures(catalogue, figures), o=officer, p=phone, i=sub_id))


def downgrade() -> None:
    with op.batch_alter_table("submission") as batch:
        for column in ("phone", "officer", "answered"):
            batch.drop_column(column)
