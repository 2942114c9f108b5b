"""The submission payload: a commune's figures for a year, what changed since the last version,
its answers to Sở Y tế's comments and its report's written sections. Validated field by field
on import."""

from __future__ import annotations

import json
from typing import Any

from ..catalogue import Catalogue
from ..errors import KH75Error
from ..figures import TEXT_LIMITS, Figure, overlong_text, overlong_words
from ..narrative import validate_narrative
from .container import PackageRejected

PAYLOAD_FORMAT = "kh75-payload"
_OPTIONAL_TEXT = (str, type(None))


def build_payload(profile, year: int, version: int, figures: dict[str, Figure],
                  changes: list[dict], responses: list[dict], period=None,
                  narrative: dict[str, str] | None = None) -> dict:
    doc = {
        "format": PAYLOAD_FORMAT, "version": 1,
        "commune": {"code": profile.ward_code, "name": profile.ward_name, "kind": profile.ward_kind},
        "officer": {"name": profile.officer, "phone": profile.phone},
        "year": year, "report_version": version,
        "figures": [figures[k].to_json() for k in sorted(figures)],
        "changes": changes, "responses": responses,
    }
    if period is not None:  # the cut-off the figures were counted to, and whether official
        doc["period"] = period.to_json()
    if narrative:  # the report's written sections (what was done, difficulties, proposals…)
        doc["narrative"] = narrative
    return doc


def payload_text(data: bytes, label: str) -> str:
    """The decrypted payload as text (strict UTF-8), decoded once for parsing and storing."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise PackageRejected(f"{label}: dữ liệu trong gói không hợp lệ (không đọc được JSON)."
                              ) from err


def parse_payload(data: bytes | str, catalogue: Catalogue, ward: str, year: int, label: str
                  ) -> tuple[dict, dict[str, Figure]]:
    """The payload (its bytes, or its text from `payload_text`) and its figures, each figure
    checked for a known element, the right kind (a count or a yes/no), a non-negative whole
    number and text fields."""
    bad = f"{label}: dữ liệu trong gói không hợp lệ"
    text = data if isinstance(data, str) else payload_text(data, label)
    try:
        doc: Any = json.loads(text)
    except (ValueError, RecursionError) as err:  # incl. 5,000-digit numbers
        raise PackageRejected(f"{bad} (không đọc được JSON).") from err
    if not isinstance(doc, dict) or doc.get("format") != PAYLOAD_FORMAT:
        raise PackageRejected(f"{bad}.")
    commune = doc.get("commune")
    if not isinstance(commune, dict) or commune.get("code") != ward or doc.get("year") != year:
        raise PackageRejected(f"{label}: dữ liệu ghi xã/năm khác với manifest.")
    _check_period(doc.get("period"), year, bad)
    try:
        validate_narrative(doc.get("narrative"), label)
    except KH75Error as err:
        raise PackageRejected(err.message) from err
    figures: dict[str, Figure] = {}
    elements, limits, yesno = catalogue.elements, catalogue.count_limits, catalogue.yesno_keys
    raw_figures = doc.get("figures")
    if not isinstance(raw_figures, list):
        raise PackageRejected(f"{bad} (thiếu danh sách số liệu).")
    make = tuple.__new__  # a Figure from its fields in order, without the keyword machinery
    note_max, explanation_max, reason_max, source_max = (
        TEXT_LIMITS[k] for k in ("note", "explanation", "missing_reason", "source"))
    for raw in raw_figures:
        if type(raw) is not dict:
            raise PackageRejected(f"{bad} (số liệu lạ: {str(raw)[:60]}).")
        get = raw.get
        key, count, flag = get("element"), get("count"), get("flag")
        reason, source = get("missing_reason"), get("source")
        note, explanation = get("note", ""), get("explanation", "")
        estimated = get("estimated", False)
        # Few conditions on the hot path (3,000 packages of 53 figures at Sở Y tế); the precise
        # reason is worked out only for a figure that fails them. A count is a whole number
        # from 0 to its element's limit (a yes/no element has none); a flag a bool of a yes/no.
        if type(key) is not str \
                or ((type(count) is not int or not 0 <= count <= limits.get(key, -1))
                    if count is not None else key not in elements) \
                or (flag is not None and (type(flag) is not bool or key not in yesno)) \
                or key in figures \
                or type(reason) not in _OPTIONAL_TEXT or type(source) not in _OPTIONAL_TEXT \
                or type(note) is not str or type(explanation) is not str \
                or type(estimated) is not bool \
                or len(note) > note_max or len(explanation) > explanation_max \
                or (reason is not None and len(reason) > reason_max) \
                or (source is not None and len(source) > source_max):
            raise PackageRejected(f"{bad} ({_problem(raw, elements, figures)}).")
        figures[key] = make(Figure, (key, count, flag, reason, source, note, explanation,
                                     estimated))
    return doc, figures


def stored_figures(doc: Any) -> dict[str, Figure]:
    """The figures of a payload document intake checked and stored, by element."""
    return {f["element"]: Figure.from_json(f) for f in doc.get("figures", [])}


def _check_period(period: Any, year: int, bad: str) -> None:
    """Absent in packages made before the reporting period existed; otherwise a cut-off date of
    the report's year and an official flag."""
    if period is None:
        return
    from datetime import date

    try:
        ok = (type(period) is dict and type(period.get("official")) is bool
              and type(period.get("cutoff")) is str and len(period["cutoff"]) == 10
              and date.fromisoformat(period["cutoff"]).year == year)
    except ValueError:
        ok = False
    if not ok:
        raise PackageRejected(f"{bad} (kỳ báo cáo).")


def _problem(raw: dict, elements, seen) -> str:
    key = raw.get("element")
    if type(key) is not str or key not in elements:
        return f"số liệu lạ: {str(raw)[:60]}"
    if key in seen:
        return f"{key} xuất hiện hai lần"
    count, flag = raw.get("count"), raw.get("flag")
    if count is not None and (type(count) is not int or count < 0
                              or elements[key].kind != "count"):
        return f"{key}: số không hợp lệ"
    if count is not None and count > elements[key].max_count:
        from ..rules import over_max_words

        return over_max_words(elements[key], count)
    if flag is not None and (type(flag) is not bool or elements[key].kind != "yesno"):
        return f"{key}: Có/Không không hợp lệ"
    if type(raw.get("estimated", False)) is not bool:
        return f"{key}: dấu ước tính không hợp lệ"
    if (field := overlong_text(raw)) is not None:
        return overlong_words(elements[key].name, field, len(raw[field])).rstrip(".")
    return f"{key}: trường chữ không hợp lệ"
