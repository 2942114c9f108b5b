"""Canonical JSON for signed documents: sorted keys, UTF-8, no spaces, no floats."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def _check(value: Any, where: str = "$") -> None:
    if isinstance(value, float):
        raise ValueError(f"float at {where}: signed documents carry integers and strings only")
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValueError(f"non-string key at {where}")
            _check(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check(v, f"{where}[{i}]")


# One encoder for all: json.dumps with options builds a new one per call, which was a fifth of
# re-encoding a manifest at intake.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                            allow_nan=False)


def canonical_json(value: Any, check: bool = True) -> bytes:
    """`check=False` only to re-encode a document just decoded from JSON (it can hold floats
    only if the check was skipped when it was made, and then the comparison fails anyway)."""
    if check:
        _check(value)
    return _ENCODER.encode(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
