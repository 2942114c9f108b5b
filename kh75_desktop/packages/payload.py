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
    for raw in doc.get("figures", []):
        if not isinstance(raw, dict) or raw.get("element") not in catalogue.elements:
            raise PackageRejected(f"{bad} (số liệu lạ: {str(raw)[:60]}).")
        key = raw["element"]
        count, flag = raw.get("count"), raw.get("flag")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)
                                  or count < 0):
            raise PackageRejected(f"{bad} ({key}: số không hợp lệ).")
        if flag is not None and not isinstance(flag, bool):
            raise PackageRejected(f"{bad} ({key}: Có/Không không hợp lệ).")
        for text_field in ("missing_reason", "source", "note", "explanation"):
            if raw.get(text_field) is not None and not isinstance(raw[text_field], str):
                raise PackageRejected(f"{bad} ({key}: {text_field}).")
        if key in figures:
            raise PackageRejected(f"{bad} ({key} xuất hiện hai lần).")
        figures[key] = Figure.from_json(raw)
    return doc, figures
