"""Rows read back as read-only records, through SQLAlchemy Core over the tables' own definitions.

The first ORM query of a process configures every mapper and opens a session: about 11 ms of a
commune window's start (measured), before the first page shows. The reads the window makes
on its way (profile, report status, settings, sent packages, Sở Y tế's comments, figures) go
through Core instead, and give rows whose fields read like the model's (`row.status`), typed
by the same columns (a flag comes back as a bool). They are never changed in place: a write
goes through the ORM, or through Core where it runs often (a typed figure: Store._write), in one
transaction either way.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine, Row


def read_rows(engine: Engine, model, *where, order_by=None) -> list[Row]:
    """Every row of `model`'s table matching `where` (conditions on `columns(model)`)."""
    query = select(model.__table__).where(*where)
    if order_by is not None:
        query = query.order_by(order_by)
    with engine.connect() as conn:
        return list(conn.execute(query).all())


def read_row(engine: Engine, model, *where) -> Row | None:
    rows = read_rows(engine, model, *where)
    return rows[0] if rows else None


def columns(model):
    """The Core columns of `model`'s table (`columns(FigureRow).year`): conditions built on
    them keep a query out of the ORM."""
    return model.__table__.c


@cache
def _record_type(model) -> type:
    return namedtuple(f"{model.__name__}Record", [c.name for c in model.__table__.columns])


def blank_record(model, **given: Any):
    """A record of `model` not stored yet: the model's defaults, with the fields `given`."""
    fields = model.model_fields
    return _record_type(model)(**{c.name: given[c.name] if c.name in given
                                  else fields[c.name].default
                                  for c in model.__table__.columns})
