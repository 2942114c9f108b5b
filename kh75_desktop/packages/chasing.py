"""Chasing the late: a contact for each commune (the officer and phone its latest package carried,
corrected or filled in by Sở Y tế, with a note of the last call), and the reminder list of
communes that have not sent, with how many days late they are."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from ..errors import KH75Error
from ..safe_text import one_line
from ..setup_flow import phone_problem
from ..storage.database import database_path
from ..storage.exchange import ExchangeStore
from ..storage.store import Store
from .manifest import MAX_SEQUENCE
from .province_side import submission_stamp

CONTACTS = "commune_contacts"  # setting: {code: {"officer", "phone", "note"}} typed by Sở Y tế
NAME_LIMIT, PHONE_LIMIT, NOTE_LIMIT = 80, 20, 200


@dataclass(frozen=True)
class Contact:
    officer: str
    phone: str
    note: str = ""
    edited: bool = False  # typed at Sở Y tế rather than read from a package


@dataclass(frozen=True)
class Reminder:
    code: str
    name: str
    contact: Contact
    days_late: int  # 0 before the deadline


def sender_contact(doc: object) -> tuple[str, str]:
    """The officer's name and phone a payload document carries, bounded to one line each;
    ("", "") when it carries none it could read. Intake keeps them with the version."""
    officer = doc.get("officer") if isinstance(doc, dict) else None
    if not isinstance(officer, dict):
        return "", ""
    name, phone = officer.get("name", ""), officer.get("phone", "")
    if not isinstance(name, str) or not isinstance(phone, str):
        return "", ""
    return one_line(name, NAME_LIMIT), one_line(phone, PHONE_LIMIT)


def package_contacts(store: Store) -> dict[str, Contact]:
    """The officer and phone each commune last sent, from the newest version of any year that
    carried one (kept by intake beside each version: no payload is read again)."""
    with store.engine.connect() as conn:
        rows = conn.execute(text(PACKAGE_CONTACTS_SQL)).all()
    return {ward: Contact(officer, phone) for ward, officer, phone, _newest in rows}


# One row per commune, worked out in SQL from the covering index ix_submission_contact
# (migration 0009): reading every version (1,290 a province year, 3,321 and more nationally)
# to keep the last took most of the communes page's load. The other columns of a row chosen by
# a lone max() are that row's (SQLite's rule for bare columns); the newest is the latest year,
# then version, which intake bounds by MAX_SEQUENCE. Grouped along the index, this reads five
# times faster than a window function, which sorted the versions again.
PACKAGE_CONTACTS_SQL = (
    f"SELECT ward_code, officer, phone, MAX(year * {MAX_SEQUENCE + 1} + version) "
    "FROM submission WHERE officer != '' OR phone != '' GROUP BY ward_code")


def contact_book(store: Store) -> dict[str, Contact]:
    """Package contacts, with what Sở Y tế corrected or added on top."""
    book = package_contacts(store)
    for code, raw in _edited(store).items():
        base = book.get(code, Contact("", ""))
        book[code] = Contact(raw.get("officer") or base.officer, raw.get("phone") or base.phone,
                             raw.get("note", ""), True)
    return book


def _edited(store: Store) -> dict[str, dict]:
    try:
        data = json.loads(ExchangeStore(store.engine).setting(CONTACTS, "{}"))
    except ValueError:
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}


def save_contact(store: Store, code: str, officer: str, phone: str, note: str) -> Contact:
    """Sở Y tế's correction of a commune's contact and its note of the last call, bounded."""
    officer, phone, note = (" ".join(str(x).split()) for x in (officer, phone, note))
    if len(officer) > NAME_LIMIT or len(note) > NOTE_LIMIT:
        raise KH75Error(f"Tên cán bộ tối đa {NAME_LIMIT} ký tự, ghi chú tối đa {NOTE_LIMIT} ký tự.")
    problem = phone_problem(phone)
    if problem:
        raise KH75Error(f"Liên hệ của đơn vị {code}: {problem}")
    if not all(x.isprintable() for x in (officer, note)):
        raise KH75Error("Tên hoặc ghi chú có ký tự điều khiển.")
    edited = _edited(store)
    edited[code] = {"officer": officer, "phone": phone, "note": note}
    ExchangeStore(store.engine).set_setting(CONTACTS, json.dumps(edited, ensure_ascii=False))
    return contact_book(store)[code]


def communes_stamp(store: Store, year: int, today: date) -> tuple:
    """What the communes table and the reminder list of `year` are made of on `today` (the days
    late): the versions taken in and decided on, the contacts Sở Y tế typed and the scope."""
    exchange = ExchangeStore(store.engine)
    return (str(database_path(store.engine)), year, today, submission_stamp(store, year),
            exchange.setting(CONTACTS, "{}"), exchange.setting("scope"))


def reminders(statuses, book: dict[str, Contact], deadline: date, today: date) -> list[Reminder]:
    """The communes that have not sent, the longest late first, then by code."""
    late = max(0, (today - deadline).days)
    out = [Reminder(s.commune.code, s.commune.name, book.get(s.commune.code, Contact("", "")),
                    late) for s in statuses if s.status == "nothing"]
    return sorted(out, key=lambda r: (-r.days_late, r.code))
