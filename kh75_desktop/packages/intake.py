"""Intake of commune packages at Sở Y tế: each file verified as DESIGN §5 orders (container,
signature, manifest, ward against the enrolled key, sequence and id, payload hash, payload); one
bad file is reported and skipped, never stops the rest, and leaves nothing behind. Accepted
versions are written in batches (version_batch.py). A first package under a new key waits for
its fingerprint (enrolment.py).
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

import minisign
import pyrage
from sqlalchemy import text

from ..communes import CODE_CORRECTIONS, Commune, corrected_code, normalise_name
from ..errors import KH75Error
from ..files import os_reason
from ..numbers_vi import format_stored
from ..rules import check_figures, hard, soft
from ..safe_text import one_line
from ..storage.exchange import ExchangeStore
from ..storage.province_models import CommuneKeyRow
from ..storage.store import Store, utc_now
from .container import (
    EXTENSION,
    MAX_PACKAGE_BYTES,
    PAYLOAD_AGE,
    PackageRejected,
    read_package_bytes,
    too_large,
)
from .enrolment import park_package
from .key_events import record_replacement, revoked_keys
from .keys import (
    ProvinceKeys,
    key_fingerprint,
    key_id_of,
    normalise_fingerprint,
    parse_public_key,
    public_key_line,
)
from .manifest import verify_package
from .payload import parse_payload, payload_text
from .province_side import require_province, scope_communes
from .version_batch import AcceptedVersion, VersionBatch, savepoint, write_version
from .version_summary import version_summary

ACCEPTED, REJECTED, PENDING, DUPLICATE = "accepted", "rejected", "pending", "duplicate"


class AlreadyReceived(PackageRejected):
    """The very package was taken in before: nothing to do, and nothing wrong."""


COMMIT_EVERY = 250
_json_text = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per call


@dataclass
class IngestResult:
    file: str
    outcome: str  # accepted / rejected / pending / duplicate
    message: str
    ward: str = ""
    year: int = 0
    version: int = 0
    fingerprint: str = ""


def package_files(paths: Iterable[Path]) -> list[Path]:
    """The files given, and the .kh75 files of each folder given, in name order (as Path sorts:
    case-blind on Windows). By entry name through scandir: sorting and stat-ing Path objects
    took 8 ms for a province's 1,290 files."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            with os.scandir(p) as entries:
                names = [e.name for e in entries
                         if os.path.splitext(e.name)[1] == EXTENSION and e.is_file()]
            out.extend(p / name for name in sorted(names, key=os.path.normcase))
        else:
            out.append(p)
    return out


@dataclass
class _Intake:
    """State for one run of intake, loaded once so each package costs no extra queries."""

    store: Store
    data_dir: Path
    identity: pyrage.x25519.Identity
    province_key_id: str
    confirm: dict[str, str]  # ward -> fingerprint read over the phone for that ward's new key
    wards: dict[str, Commune]
    # key id / ward -> its key: a stored record (ExchangeStore.commune_keys), or a row enrolled now
    keys_by_id: dict[str, CommuneKeyRow] = field(default_factory=dict)
    keys_by_ward: dict[str, CommuneKeyRow] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    max_seq: dict[tuple[str, int], int] = field(default_factory=dict)
    replace: frozenset[str] = frozenset()  # wards whose enrolled key a confirmed one replaces
    revoked: dict[str, dict] = field(default_factory=dict)  # key id -> revocation event
    parsed_keys: dict[str, minisign.PublicKey] = field(default_factory=dict)  # line -> key
    batch: VersionBatch | None = None

    def forget(self, version: AcceptedVersion) -> None:
        """A version accepted but then not written no longer counts as received."""
        self.seen.discard(version.package_id)
        if self.max_seq.get((version.ward, version.year)) == version.sequence:
            self.max_seq[(version.ward, version.year)] = version.previous_sequence


def _load_intake(store: Store, data_dir: Path, passphrase: str | None, confirm: Iterable[str],
                 identity: pyrage.x25519.Identity | None = None) -> _Intake:
    require_province(store)
    keys = ProvinceKeys(data_dir)
    if identity is None:
        identity = keys.unlock_identity(passphrase or "")
    intake = _Intake(store, data_dir, identity, keys.info().key_id,
                     {ward.strip(): normalise_fingerprint(fp) for ward, fp in dict(confirm).items()},
                     {c.code: c for c in scope_communes(store)})
    for row in ExchangeStore(store.engine).commune_keys():
        intake.keys_by_ward[row.ward_code] = row
        intake.keys_by_id[row.key_id] = row
    intake.revoked = revoked_keys(store)
    with store.engine.connect() as conn:
        intake.seen = {r[0] for r in conn.execute(text(
            "SELECT package_id FROM package_log WHERE direction='in'"))}
        for ward, year, seq in conn.execute(text(
                "SELECT ward_code, year, MAX(sequence) FROM package_log WHERE direction='in' "
                "AND kind='submission' AND status!='rejected' GROUP BY ward_code, year")):
            intake.max_seq[(ward, year)] = seq
    return intake


def _parsed_key(intake: _Intake, line: str) -> minisign.PublicKey:
    """A stored key line parsed once per run (a commune sends up to 15 packages: 5 years,
    several versions); cached by the whole line, never by its id."""
    key = intake.parsed_keys.get(line)
    if key is None:
        key = intake.parsed_keys[line] = parse_public_key(line)
    return key


def _enrol_row(ward: str, pub: minisign.PublicKey) -> CommuneKeyRow:
    now = utc_now()
    return CommuneKeyRow(ward_code=ward, key_id=key_id_of(pub), public_key=public_key_line(pub),
                         fingerprint=key_fingerprint(pub), status="enrolled", first_seen=now,
                         enrolled_at=now)


_OLD_CODES = frozenset(code for code, _ in CODE_CORRECTIONS)


def _decrypt(intake: _Intake, entries: dict[str, bytes], label: str) -> bytes:
    if PAYLOAD_AGE not in entries:
        raise PackageRejected(f"{label}: dữ liệu báo cáo phải được mã hóa cho Sở Y tế.")
    try:
        return pyrage.decrypt(entries[PAYLOAD_AGE], [intake.identity])
    except pyrage.DecryptError as err:
        raise PackageRejected(f"{label}: không giải mã được dữ liệu bằng khóa của Sở Y tế.") from err


def _code_in_force(plain: bytes, ward: str) -> tuple[str, str]:
    """The code in force for a package an earlier version made under a wrong code, told by the
    commune name in its payload, and a note saying so; (ward, "") when nothing to correct."""
    try:
        commune = json.loads(plain.decode("utf-8")).get("commune", {})
        name = commune.get("name") if isinstance(commune, dict) else None
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return ward, ""  # parse_payload refuses it in words later
    if not isinstance(name, str) or len(name) > 100:
        return ward, ""
    new = corrected_code(ward, name)
    if new is None:
        return ward, ""
    return new, (f" Gói ghi mã cũ {ward} của {normalise_name(name)} (bản ứng dụng trước); đã "
                 f"nhận theo mã đang có hiệu lực {new}.")


def _ingest_one(intake: _Intake, conn, path: Path, data: bytes
                ) -> tuple[IngestResult, AcceptedVersion | None]:
    """The package's outcome, and its version when accepted and not yet written (a version
    that enrols a key is written here, with the key, under one savepoint)."""
    label = one_line(path.name, 120)
    entries = read_package_bytes(data, label)

    def known(kid: str):
        row = intake.keys_by_id.get(kid)
        if row is None and kid in intake.revoked:  # verified, then refused in words below
            return parse_public_key(intake.revoked[kid]["public_key"])
        return _parsed_key(intake, row.public_key) if row else None

    verified = verify_package(entries, label, known, allow_new_key=True)
    m = verified.manifest
    if m["kind"] != "submission":
        raise PackageRejected(f"{label}: không phải gói báo cáo của xã/phường.")
    if m["recipient"]["key_id"] != intake.province_key_id:
        raise PackageRejected(f"{label}: gói được gửi cho khóa khác, không phải khóa của Sở Y tế.")
    ward, year, seq = m["issuer"]["ward_code"], m["year"], m["sequence"]
    manifest_ward, plain, code_note = ward, None, ""
    if ward in _OLD_CODES:  # maybe made by a version that used one of the six wrong codes
        plain = _decrypt(intake, entries, label)
        ward, code_note = _code_in_force(plain, ward)
    commune = intake.wards.get(ward)
    if commune is None:
        raise PackageRejected(f"{label}: mã đơn vị {ward} không thuộc danh sách xã, phường.")
    new_key = replaced = None
    revoked = intake.revoked.get(verified.key_id)
    if revoked is not None and verified.key_id not in intake.keys_by_id:
        # Every package of a revoked key is refused, whatever date it claims: the date is
        # written by whoever holds the old key, and a thief would write an early one.
        raise PackageRejected(f"{label}: gói ký bằng khóa đã bị thu hồi lúc "
                              f"{format_stored(revoked['at'])} (khóa cũ của {commune.name}); chỉ "
                              "nhận gói ký bằng khóa mới đã xác nhận. Nếu gói này được làm trước "
                              "khi đổi khóa, hãy nhờ xã gửi lại bằng khóa mới.")
    if verified.key_was_known and verified.key_id in intake.keys_by_id:
        owner = intake.keys_by_id[verified.key_id].ward_code
        if owner != ward:
            raise PackageRejected(f"{label}: gói ký bằng khóa của đơn vị {owner} nhưng ghi là "
                                  f"{commune.name} ({ward}).")
    else:
        fp = key_fingerprint(verified.public_key)
        enrolled = intake.keys_by_ward.get(ward)
        confirmed = intake.confirm.get(ward) == fp and (enrolled is None or ward in intake.replace)
        if not confirmed:
            with savepoint(conn):
                park_package(conn, intake.data_dir, ward, commune.name, verified, fp, data, label)
            # the enrolled key's fingerprint is never shown: it would invite copying it back
            words = (f"{commune.name} gửi gói ký bằng một khóa mới (dấu vân tay {fp}), khác "
                     "khóa đã đăng ký. Nếu xã đã đổi khóa (quên mật khẩu, đổi cán bộ, mất máy), "
                     "gọi xã đối chiếu dấu vân tay rồi xác nhận thay khóa; chưa nhận gì vào "
                     "số liệu của xã." if enrolled is not None else
                     f"Khóa mới của {commune.name}: dấu vân tay {fp}. Hãy gọi xã, nhờ đọc dấu "
                     "vân tay trên bản in, đối chiếu rồi xác nhận.")
            return IngestResult(label, PENDING, words, ward, year, m["report_version"], fp), None
        new_key, replaced = _enrol_row(ward, verified.public_key), enrolled
    last = intake.max_seq.get((ward, year), 0)
    if m["package_id"] in intake.seen or seq <= last:
        # A refusal rests on versions written, never on one still waiting in the batch (it may
        # yet fail to write). Taking in needs no such care: a version that fails only lowers
        # what a later one has to pass.
        intake.batch.flush()
        last = intake.max_seq.get((ward, year), 0)
    if m["package_id"] in intake.seen:
        raise AlreadyReceived(f"{label}: gói này (mã {m['package_id'][:8]}…) đã được nhận trước "
                              "đây; không có gì thay đổi.")
    if seq <= last:
        raise PackageRejected(f"{label}: số thứ tự {seq} không lớn hơn gói đã nhận ({last}) — gói "
                              "cũ hoặc gửi lặp.")
    if plain is None:
        plain = _decrypt(intake, entries, label)
    document = payload_text(plain, label)
    doc, figures = parse_payload(document, intake.store.catalogue, manifest_ward, year, label)
    findings = check_figures(intake.store.catalogue, figures, shape_checked=True)
    if hard(findings):
        raise PackageRejected(f"{label}: số liệu mâu thuẫn: " + " ".join(
            f.message for f in hard(findings)[:3]))
    version = m["report_version"]  # signed, and equal to the sequence (validate_manifest)
    now = utc_now()
    accepted = AcceptedVersion(
        (ward, year, version, m["package_id"], verified.manifest_sha256, now,
         _json_text([f.message for f in soft(findings)]),
         document, *version_summary(intake.store.catalogue, doc, figures)),
        (m["package_id"], ward, year, seq, verified.manifest_sha256, str(path),
         _json_text(doc.get("responses", [])), now),
        ward, year, seq, m["package_id"], last)
    if new_key is not None:  # enrolled by a confirmed fingerprint, now that all checks passed
        intake.batch.flush()  # versions before it first, so ids follow file order
        with savepoint(conn):
            write_version(conn, accepted)
            conn.execute("DELETE FROM pending_key WHERE ward_code=?", (ward,))
            if replaced is not None:  # the old key is revoked from now, and both events kept
                conn.execute("DELETE FROM commune_key WHERE ward_code=?", (ward,))
                events = record_replacement(conn, ward, replaced, new_key, now)
            conn.execute("INSERT INTO commune_key VALUES (?,?,?,?,?,?,?)",
                         (ward, new_key.key_id, new_key.public_key, new_key.fingerprint,
                          "enrolled", new_key.first_seen, new_key.enrolled_at))
        # The key state changes only once its writes are in, so a refusal needs no undo here.
        if replaced is not None:
            intake.keys_by_id.pop(replaced.key_id, None)
            intake.revoked[replaced.key_id] = events[0]
        intake.keys_by_id[new_key.key_id] = new_key
        intake.keys_by_ward[ward] = new_key
        accepted = None  # written
    # A version waiting in its batch counts as received from now (VersionBatch forgets it
    # again if it cannot be written).
    intake.seen.add(m["package_id"])
    intake.max_seq[(ward, year)] = seq
    return IngestResult(label, ACCEPTED, f"Đã nhận báo cáo năm {year} của {commune.name} "
                        f"(phiên bản {version}).{code_note}", ward, year, version), accepted


def ingest(store: Store, data_dir: Path, paths: Iterable[Path], passphrase: str | None,
           confirm_fingerprints: Mapping[str, str] | None = None,
           progress: Callable[[int, int, IngestResult], None] | None = None,
           identity: pyrage.x25519.Identity | None = None,
           replace_wards: Iterable[str] = ()) -> list[IngestResult]:
    """Verify and store every package file found in `paths`; one result per file.

    `confirm_fingerprints` maps a ward to the fingerprint its officer read out over the phone:
    a first package signed by a new key is taken in only for that ward and that key; any other
    new key waits (see enrolment.py).

    The age identity is unlocked from `passphrase` (scrypt: about a second), unless a window
    that unlocked it once for its session passes `identity`."""
    files = package_files(paths)
    intake = _load_intake(store, Path(data_dir), passphrase, confirm_fingerprints or {}, identity)
    intake.replace = frozenset(replace_wards)
    if files:
        from ..backup import make_backup

        make_backup(data_dir, "truoc-nhan-goi")
    results: list[IngestResult] = []

    def report(i: int, result: IngestResult) -> None:
        results.append(result)
        if progress:
            progress(i, len(files), result)

    # Plain sqlite3 with explicit savepoints: SQLAlchemy's per-statement overhead was most of
    # the cost of intake, and each package must still be atomic.
    sa_conn = store.engine.raw_connection()
    conn = sa_conn.driver_connection
    saved_mode = conn.isolation_level
    conn.isolation_level = None  # we issue BEGIN / SAVEPOINT / COMMIT ourselves
    try:
        conn.execute("BEGIN IMMEDIATE")
        batch = intake.batch = VersionBatch(conn, intake.forget, _refusal, report)
        for i, path in enumerate(files, 1):
            try:
                with path.open("rb") as fh:  # never read more than the cap allows
                    size = os.fstat(fh.fileno()).st_size
                    if size > MAX_PACKAGE_BYTES:
                        raise PackageRejected(too_large(one_line(path.name, 120), size))
                    # read(n) allocates n bytes first: asking for the cap (16 MB) for a 10 KB
                    # file cost a 16 MB allocation a package, a fifth of intake's own work. A
                    # file grown since fstat is read cut short and refused as such.
                    data = fh.read(size + 1)
                result, version = _ingest_one(intake, conn, path, data)
            except Exception as err:  # noqa: BLE001 - one bad file never stops the rest
                result, version = _refusal(path, err), None
            batch.add(i, path, result, version)
            if i % COMMIT_EVERY == 0:
                batch.flush()
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
        batch.flush()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.isolation_level = saved_mode
        sa_conn.close()
    return results


def _refusal(path: Path, err: Exception) -> IngestResult:
    name = one_line(path.name, 120)  # a file name is the sender's words too
    if isinstance(err, AlreadyReceived):
        return IngestResult(name, DUPLICATE, one_line(err.message))
    if isinstance(err, KH75Error):
        return IngestResult(name, REJECTED, one_line(err.message))
    if isinstance(err, sqlite3.Error):  # e.g. the disk filled up while writing
        return IngestResult(name, REJECTED, f"{name}: không lưu được vào cơ sở dữ liệu của Sở "
                            "(ổ đĩa đầy hoặc lỗi ghi); gói chưa được nhận — hãy kiểm tra ổ đĩa "
                            "rồi nhận lại.")
    if isinstance(err, OSError):
        return IngestResult(name, REJECTED, f"{name}: không đọc được tệp ({os_reason(err)}).")
    return IngestResult(name, REJECTED, f"{name}: lỗi không mong đợi khi kiểm tra "
                                        f"({type(err).__name__}).")
