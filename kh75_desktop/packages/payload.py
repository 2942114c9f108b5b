"""The submission payload: a commune's figures for a year, what changed since the last version,
and its answers to Sở Y tế's comments. Validated field by field on import."""

from __future__ import annotations

import json
from typing import Any

from ..catalogue import Catalogue
from ..figures import Figure
from .container import PackageRejected

PAYLOAD_FORMAT = "kh75-payload"


def build_payload(profile, year: int, version: int, figures: dict[str, Figure],
                  changes: list[dict], responses: list[dict]) -> dict:
    return {
        "format": PAYLOAD_FORMAT, "version": 1,
        "commune": {"code": profile.ward_code, "name": profile.ward_name, "kind": profile.ward_kind},
        "officer": {"name": profile.officer, "phone": profile.phone},
        "year": year, "report_version": version,
        "figures": [figures[k].to_json() for k in sorted(figures)],
        "changes": changes, "responses": responses,
    }


def parse_payload(data: bytes, catalogue: Catalogue, ward: str, year: int, label: str
                  ) -> tuple[dict, dict[str, Figure]]:
    bad = f"{label}: dữ liệu trong gói không hợp lệ"
    try:
        doc: Any = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise PackageRejected(f"{bad} (không đọc được JSON).") from err
    if not isinstance(doc, dict) or doc.get("format") != PAYLOAD_FORMAT:
        raise PackageRejected(f"{bad}.")
    commune = doc.get("commune")
    if not isinstance(commune, dict) or commune.get("code") != ward or doc.get("year") != year:
        raise PackageRejected(f"{label}: dữ liệu ghi xã/năm khác với manifest.")
    figures: dict[str, Figure] = {}
    elements = catalogue.elements
    raw_figures = doc.get("figures")
    if not isinstance(raw_figures, list):
        raise PackageRejected(f"{bad} (thiếu danh sách số liệu).")
    for raw in raw_figures:
        if type(raw) is not dict or raw.get("element") not in elements:
            raise PackageRejected(f"{bad} (số liệu lạ: {str(raw)[:60]}).")
        key = raw["element"]
        count, flag = raw.get("count"), raw.get("flag")
        if count is not None and (type(count) is not int or count < 0):
            raise PackageRejected(f"{bad} ({key}: số không hợp lệ).")
        if flag is not None and type(flag) is not bool:
            raise PackageRejected(f"{bad} ({key}: Có/Không không hợp lệ).")
        reason, source = raw.get("missing_reason"), raw.get("source")
        note, explanation = raw.get("note", ""), raw.get("explanation", "")
        for t in (reason, source):
            if t is not None and type(t) is not str:
                raise PackageRejected(f"{bad} ({key}: trường chữ không hợp lệ).")
        if type(note) is not str or type(explanation) is not str:
            raise PackageRejected(f"{bad} ({key}: trường chữ không hợp lệ).")
        if key in figures:
            raise PackageRejected(f"{bad} ({key} xuất hiện hai lần).")
        figures[key] = Figure(key, count, flag, reason, source, note, explanation)
    return doc, figures

