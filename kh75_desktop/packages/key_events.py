"""Sở Y tế's record of commune keys replaced: when a commune makes a new key (passphrase
forgotten, officer changed, laptop lost), Sở Y tế confirms the new fingerprint read over the
phone; the old key is revoked from that moment and both events are kept. A package signed by a
revoked key is refused whatever date it claims (that date is written by the key's holder)."""

from __future__ import annotations

import json

from ..storage.exchange import ExchangeStore

KEY_EVENTS = "key_events"


def key_events(store) -> list[dict]:
    """Every enrolment and revocation recorded at a replacement, oldest first."""
    try:
        rows = json.loads(ExchangeStore(store.engine).setting(KEY_EVENTS, "[]"))
    except ValueError:
        return []
    return [r for r in rows if isinstance(r, dict)]


def revoked_keys(store) -> dict[str, dict]:
    """key id -> the revocation event (ward, fingerprint, public key, at)."""
    return {e["key_id"]: e for e in key_events(store)
            if e.get("event") == "revoked" and isinstance(e.get("key_id"), str)}


def record_replacement(conn, ward: str, old, new, at: str) -> list[dict]:
    """Within the intake's transaction (a raw sqlite3 connection): revoke `old`, enrol `new`."""
    row = conn.execute("SELECT value FROM setting WHERE key=?", (KEY_EVENTS,)).fetchone()
    try:
        events = json.loads(row[0]) if row else []
    except ValueError:
        events = []
    added = [{"event": "revoked", "ward": ward, "key_id": old.key_id,
              "fingerprint": old.fingerprint, "public_key": old.public_key, "at": at},
             {"event": "enrolled", "ward": ward, "key_id": new.key_id,
              "fingerprint": new.fingerprint, "at": at}]
    conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                  (KEY_EVENTS, json.dumps(events + added, ensure_ascii=False)))
    return added


EVENT_WORDS = {"revoked": "Thu hồi khóa", "enrolled": "Đăng ký khóa mới"}


def event_line(event: dict) -> str:
    from ..numbers_vi import format_stored

    return (f"{format_stored(event.get('at', ''))} · {event.get('ward', '')} · "
            f"{EVENT_WORDS.get(event.get('event'), '')} {event.get('fingerprint', '')}")
