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


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def validate_manifest(m: Any, label: str) -> dict:
    bad = f"{label}: manifest không hợp lệ"
    _require(isinstance(m, dict), bad)
    _require(m.get("format") == FORMAT and m.get("format_version") == FORMAT_VERSION,
             f"{label}: không phải gói KH75 phiên bản {FORMAT_VERSION}.")
    _require(m.get("kind") in KINDS, f"{bad} (loại gói).")
    _require(isinstance(m.get("package_id"), str) and bool(_UUID.match(m["package_id"])),
             f"{bad} (mã gói).")
    for party in ("issuer", "recipient"):
        p = m.get(party)
        _require(isinstance(p, dict) and isinstance(p.get("ward_code"), str)
                 and bool(_WARD.match(p["ward_code"])), f"{bad} ({party}).")
        _require(isinstance(p.get("key_id"), str) and bool(_KEY_ID.match(p["key_id"])),
                 f"{bad} (mã khóa {party}).")
    _require(_is_int(m.get("year")) and 2020 <= m["year"] <= 2100, f"{bad} (năm).")
    _require(_is_int(m.get("sequence")) and m["sequence"] >= 1, f"{bad} (số thứ tự).")
    _require(isinstance(m.get("created_at"), str), f"{bad} (thời điểm tạo).")
    files = m.get("files")
    _require(isinstance(files, list) and files, f"{bad} (danh sách tệp).")
    for f in files:
        _require(isinstance(f, dict) and isinstance(f.get("name"), str) and _is_int(f.get("size"))
                 and isinstance(f.get("sha256"), str) and bool(_SHA.match(f["sha256"])),
                 f"{bad} (mô tả tệp).")
    if m["kind"] == "feedback":
        r = m.get("in_reply_to")
        _require(isinstance(r, dict) and isinstance(r.get("package_id"), str)
                 and isinstance(r.get("manifest_sha256"), str), f"{bad} (in_reply_to).")
        _require(m.get("decision") in DECISIONS, f"{bad} (quyết định).")
        comments = m.get("comments")
        _require(isinstance(comments, list), f"{bad} (ý kiến).")
        for c in comments:
            _require(isinstance(c, dict) and isinstance(c.get("measure"), str)
                     and isinstance(c.get("comment"), str) and isinstance(c.get("elements"), list)
                     and all(isinstance(e, str) for e in c["elements"]), f"{bad} (ý kiến).")
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
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
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
