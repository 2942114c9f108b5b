"""Manifests: build and sign them, and verify a package's signature, manifest and file hashes.

The manifest is canonical JSON signed with minisign (prehashed Ed25519), so the stock `minisign`
tool verifies it; the trusted comment repeats kind, id, ward, year and sequence, and must agree
with the manifest. Every other entry of the package is listed with its size and SHA-256.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

import minisign

from .canonical import canonical_json, sha256_hex
from .container import MANIFEST, SIGNATURE, PackageRejected
from .keys import key_id_of, parse_public_key, signature_key_id

FORMAT = "kh75-package"
FORMAT_VERSION = 1
KINDS = ("submission", "feedback")
DECISIONS = ("accept", "return")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_WARD = re.compile(r"^\d{2,5}$")
_KEY_ID = re.compile(r"^[0-9A-F]{16}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_YEAR = re.compile(r"^20\d\d$")
_ISO_DATE = re.compile(r"^20\d\d-\d\d-\d\d$")
MAX_CUTOFFS = 20
MAX_SEQUENCE = 1_000_000  # a commune sends a handful of versions a year
_ISO_TIME = re.compile(r"^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)?$")


def trusted_comment(manifest: dict) -> str:
    ward = manifest["issuer"]["ward_code"] if manifest["kind"] == "submission" \
        else manifest["recipient"]["ward_code"]
    return (f"kh75 kind={manifest['kind']} id={manifest['package_id']} ward={ward} "
            f"year={manifest['year']} seq={manifest['sequence']}")


def file_entry(name: str, data: bytes) -> dict:
    return {"name": name, "size": len(data), "sha256": sha256_hex(data)}


def sign_manifest(manifest: dict, secret_key: minisign.SecretKey) -> tuple[bytes, bytes]:
    data = canonical_json(manifest)
    sig = secret_key.sign(data, prehash=True, trusted_comment=trusted_comment(manifest),
                          untrusted_comment="KH75 package manifest signature")
    return data, bytes(sig)


@dataclass(frozen=True)
class VerifiedPackage:
    manifest: dict
    manifest_sha256: str
    entries: dict[str, bytes]
    key_id: str
    public_key: minisign.PublicKey
    key_was_known: bool


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise PackageRejected(message)


def _is_int(v: Any, low: int = 0, high: int = MAX_SEQUENCE) -> bool:
    """A whole number within bounds, checked before any use (10**30 never reaches SQLite)."""
    return type(v) is int and low <= v <= high


def _is_text(v: Any, limit: int) -> bool:
    return type(v) is str and len(v) <= limit


COMMON_FIELDS = {"format", "format_version", "kind", "package_id", "issuer", "recipient", "year",
                 "sequence", "created_at", "app_version", "catalogue_version", "files"}
KIND_FIELDS = {"submission": {"report_version"},
               "feedback": {"in_reply_to", "decision", "comments", "cutoffs"}}
PARTY_FIELDS = {"ward_code", "key_id", "public_key", "name"}
MAX_FILES = 8
MAX_COMMENTS = 200
MAX_COMMENT_CHARS = 2000


def validate_manifest(m: Any, label: str) -> dict:
    """The manifest's whole schema: no unknown field, every string and number bounded."""
    bad = f"{label}: manifest không hợp lệ"
    _require(isinstance(m, dict), bad)
    _require(m.get("format") == FORMAT and m.get("format_version") == FORMAT_VERSION,
             f"{label}: không phải gói KH75 phiên bản {FORMAT_VERSION}.")
    _require(m.get("kind") in KINDS, f"{bad} (loại gói).")
    unknown = set(m) - COMMON_FIELDS - KIND_FIELDS[m["kind"]]
    _require(not unknown, f"{bad} (trường lạ).")
    _require(isinstance(m.get("package_id"), str) and bool(_UUID.match(m["package_id"])),
             f"{bad} (mã gói).")
    for party in ("issuer", "recipient"):
        p = m.get(party)
        _require(isinstance(p, dict) and not set(p) - PARTY_FIELDS
                 and isinstance(p.get("ward_code"), str) and bool(_WARD.match(p["ward_code"]))
                 and _is_text(p.get("public_key", ""), 200) and _is_text(p.get("name", ""), 100),
                 f"{bad} ({party}).")
        _require(isinstance(p.get("key_id"), str) and bool(_KEY_ID.match(p["key_id"])),
                 f"{bad} (mã khóa {party}).")
    _require(_is_int(m.get("year"), 2020, 2100), f"{bad} (năm).")
    _require(_is_int(m.get("sequence"), 1), f"{bad} (số thứ tự).")
    _require(_is_text(m.get("created_at"), 40) and bool(_ISO_TIME.match(m["created_at"])),
             f"{bad} (thời điểm tạo).")
    _require(all(_is_text(m.get(k, ""), 40) for k in ("app_version", "catalogue_version")),
             f"{bad} (phiên bản).")
    files = m.get("files")
    _require(isinstance(files, list) and 0 < len(files) <= MAX_FILES, f"{bad} (danh sách tệp).")
    for f in files:
        _require(isinstance(f, dict) and set(f) == {"name", "size", "sha256"}
                 and _is_text(f["name"], 64) and _is_int(f["size"], 0, 1 << 26)
                 and isinstance(f["sha256"], str) and bool(_SHA.match(f["sha256"])),
                 f"{bad} (mô tả tệp).")
    if m["kind"] == "submission":
        # a commune's n-th package is its report's n-th version: two "phiên bản 2" cannot exist
        _require(m.get("report_version") == m["sequence"], f"{bad} (phiên bản báo cáo).")
    if m["kind"] == "feedback":
        r = m.get("in_reply_to")
        _require(isinstance(r, dict) and set(r) == {"package_id", "manifest_sha256"}
                 and _is_text(r["package_id"], 36) and _is_text(r["manifest_sha256"], 64),
                 f"{bad} (in_reply_to).")
        _require(m.get("decision") in DECISIONS, f"{bad} (quyết định).")
        comments = m.get("comments")
        _require(isinstance(comments, list) and len(comments) <= MAX_COMMENTS, f"{bad} (ý kiến).")
        for c in comments:
            _require(isinstance(c, dict) and set(c) == {"measure", "comment", "elements"}
                     and _is_text(c["measure"], 8) and _is_text(c["comment"], MAX_COMMENT_CHARS)
                     and isinstance(c["elements"], list) and len(c["elements"]) <= 10
                     and all(_is_text(e, 64) for e in c["elements"]), f"{bad} (ý kiến).")
        cutoffs = m.get("cutoffs", {})  # the reporting cut-off date Sở Y tế set for each year
        _require(isinstance(cutoffs, dict) and len(cutoffs) <= MAX_CUTOFFS
                 and all(isinstance(k, str) and _YEAR.match(k) and isinstance(v, str)
                         and _ISO_DATE.match(v) for k, v in cutoffs.items()),
                 f"{bad} (ngày chốt số liệu).")
    return m


def verify_package(entries: dict[str, bytes], label: str,
                   known_key: Callable[[str], minisign.PublicKey | None],
                   allow_new_key: bool) -> VerifiedPackage:
    """Signature first (key known, or embedded for a first package), then manifest, then hashes."""
    try:
        signature = minisign.Signature.from_bytes(entries[SIGNATURE])
        key_id = signature_key_id(signature)
    except (minisign.Error, ValueError, UnicodeDecodeError, IndexError) as err:
        raise PackageRejected(f"{label}: tệp chữ ký bị hỏng hoặc không đúng định dạng.") from err
    manifest_bytes = entries[MANIFEST]
    public_key = known_key(key_id)
    known = public_key is not None
    if public_key is None:
        if not allow_new_key:
            raise PackageRejected(f"{label}: gói được ký bằng khóa lạ (mã khóa {key_id}), "
                                  "không phải khóa đã biết.")
        try:  # a first package carries its signer's public key; trust waits for the fingerprint
            embedded = json.loads(manifest_bytes.decode("utf-8"))["issuer"]["public_key"]
            public_key = parse_public_key(embedded)
        except Exception as err:
            raise PackageRejected(f"{label}: gói được ký bằng khóa lạ và không kèm khóa công "
                                  "khai hợp lệ.") from err
        if key_id_of(public_key) != key_id:
            raise PackageRejected(f"{label}: chữ ký không khớp với khóa kèm theo gói.")
    try:
        public_key.verify(manifest_bytes, signature)
    except (minisign.Error, ValueError) as err:
        raise PackageRejected(f"{label}: chữ ký không hợp lệ — manifest hoặc chú thích tin cậy "
                              "đã bị sửa đổi.") from err
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise PackageRejected(f"{label}: manifest không đọc được.") from err
    validate_manifest(manifest, label)
    _require(canonical_json(manifest, check=False) == manifest_bytes,
             f"{label}: manifest không ở dạng chuẩn.")
    _require(signature.trusted_comment == trusted_comment(manifest),
             f"{label}: chú thích tin cậy của chữ ký không khớp với manifest.")
    _require(manifest["issuer"]["key_id"] == key_id,
             f"{label}: manifest ghi mã khóa khác với khóa đã ký.")
    listed = {f["name"]: f for f in manifest["files"]}
    others = {n for n in entries if n not in (MANIFEST, SIGNATURE)}
    _require(set(listed) == others, f"{label}: các tệp trong gói không khớp với manifest.")
    for name, f in listed.items():
        data = entries[name]
        _require(len(data) == f["size"], f"{label}: kích thước {name} không khớp với manifest.")
        _require(sha256_hex(data) == f["sha256"],
                 f"{label}: mã băm của {name} không khớp — tệp đã bị sửa đổi.")
    return VerifiedPackage(manifest, sha256_hex(manifest_bytes), entries, key_id, public_key, known)
