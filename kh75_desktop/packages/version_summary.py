"""What Sở Y tế keeps beside each received version so its pages read one query each: how many
measures the version answers and the officer's name and phone it carried. Intake writes them;
versions stored before schema 0008 (which added the columns empty) are summed up once, from
their documents, when the profile opens. A migration never imports the app, so this lives here."""

from __future__ import annotations

import json

from sqlalchemy import text

from ..catalogue import Catalogue
from ..figures import Figure
from ..measures import answered_measures
from ..storage.models import UNSUMMED_VERSIONS
from ..storage.store import Store
from .chasing import sender_contact
from .payload import stored_figures


def version_summary(catalogue: Catalogue, doc: object,
                    figures: dict[str, Figure]) -> tuple[int, str, str]:
    """(measures answered, officer, phone) of one version's payload document."""
    return (answered_measures(catalogue, figures), *sender_contact(doc))


def sum_up_older_versions(store: Store) -> int:
    """Fill the summary of every version that has none yet; how many were filled. A document
    that no longer parses (never expected: intake stored it) counts 0 answered, no contact."""
    with store.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, figures FROM submission WHERE {UNSUMMED_VERSIONS}")).all()
        for sub_id, document in rows:
            try:
                doc = json.loads(document)
                figures = stored_figures(doc)
            except (ValueError, TypeError, KeyError, AttributeError):
                doc, figures = None, {}
            answered, officer, phone = version_summary(store.catalogue, doc, figures)
            conn.execute(text("UPDATE submission SET answered = :a, officer = :o, phone = :p "
                              "WHERE id = :i"), dict(a=answered, o=officer, p=phone, i=sub_id))
        if rows:
            conn.commit()
        return len(rows)
