"""Sở Y tế's side: keys, intake of commune packages, enrolment of commune keys, follow-up of the
129 communes, consolidated measures, and signed feedback packages.

Intake verifies each file as DESIGN §5 orders (container, signature, manifest, ward against the
enrolled key, sequence and id, payload hash, payload) and stores it in one savepoint: one bad
file is reported and skipped, never stops the rest, and leaves nothing behind.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import minisign
import pyrage
from sqlalchemy import text

from .. import __version__
from ..catalogue import Catalogue
from ..communes import (
    CODE_CORRECTIONS,
    Commune,
    communes,
    corrected_code,
    national_wards,
    normalise_name,
)
from ..consolidation import ProvinceMeasure, consolidate
from ..errors import KH75Error
from ..figures import Figure
from ..overview import deadline_for
from ..reporting_period import cutoff_for, cutoffs_json, estimate_counts, stored_cutoffs
from ..rules import check_figures, hard, soft
from ..safe_text import one_line
from ..storage.exchange import ExchangeStore
from ..storage.models import CommuneKeyRow
from ..storage.store import Store, utc_now
from .canonical import sha256_hex
from .commune_side import slug
from .container import (
    EXTENSION,
    MANIFEST,
    MAX_PACKAGE_BYTES,
    PAYLOAD,
    PAYLOAD_AGE,
    SIGNATURE,
    PackageRejected,
    read_package,
    read_package_bytes,
    write_package,
)
from .keys import (
    PROVINCE_NAME,
    ProvinceKeys,
    key_fingerprint,
    key_id_of,
    normalise_fingerprint,
    parse_public_key,
    public_key_line,
)
from .manifest import FORMAT, FORMAT_VERSION, file_entry, sign_manifest, verify_package
from .payload import parse_payload

PROVINCE_WARD = "37"
ACCEPTED, REJECTED, PENDING, DUPLICATE = "accepted", "rejected", "pending", "duplicate"


class AlreadyReceived(PackageRejected):
    """The very package was taken in before: nothing to do, and nothing wrong."""
COMMIT_EVERY = 250


def init_province(store: Store, data_dir: Path, passphrase: str, scope: str = "province"):
    keys = ProvinceKeys(data_dir)
    info = keys.create(passphrase)
    store.save_profile(mode="province", ward_code=PROVINCE_WARD, ward_name=PROVINCE_NAME,
                       ward_kind="province", officer="", phone="")
    ExchangeStore(store.engine).set_setting("scope", scope)
    return info


def require_province(store: Store) -> None:
    p = store.profile()
    if p is None or p.mode != "province":
        raise KH75Error("Thư mục dữ liệu này chưa khởi tạo cho Sở Y tế ('kh75 province init').")


def scope_communes(store: Store) -> tuple[Commune, ...]:
    return national_wards() if ExchangeStore(store.engine).setting("scope") == "national" \
        else communes()


# -- intake --------------------------------------------------------------------------------------
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
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(x for x in p.iterdir() if x.suffix == EXTENSION and x.is_file()))
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
    confirm: set[str]
    wards: dict[str, Commune]
    keys_by_id: dict[str, CommuneKeyRow] = field(default_factory=dict)
    keys_by_ward: dict[str, CommuneKeyRow] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    max_seq: dict[tuple[str, int], int] = field(default_factory=dict)


def _load_intake(store: Store, data_dir: Path, passphrase: str | None, confirm: Iterable[str],
                 identity: pyrage.x25519.Identity | None = None) -> _Intake:
    require_province(store)
    keys = ProvinceKeys(data_dir)
    if identity is None:
        identity = keys.unlock_identity(passphrase or "")
    intake = _Intake(store, data_dir, identity, keys.info().key_id,
                     {normalise_fingerprint(c) for c in confirm},
                     {c.code: c for c in scope_communes(store)})
    for row in ExchangeStore(store.engine).commune_keys():
        intake.keys_by_ward[row.ward_code] = row
        if row.status == "enrolled":
            intake.keys_by_id[row.key_id] = row
    with store.engine.connect() as conn:
        intake.seen = {r[0] for r in conn.execute(text(
            "SELECT package_id FROM package_log WHERE direction='in'"))}
        for ward, year, seq in conn.execute(text(
                "SELECT ward_code, year, MAX(sequence) FROM package_log WHERE direction='in' "
                "AND kind='submission' AND status!='rejected' GROUP BY ward_code, year")):
            intake.max_seq[(ward, year)] = seq
    return intake


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


def _ingest_one(intake: _Intake, conn, path: Path, data: bytes) -> IngestResult:
    label = one_line(path.name, 120)
    entries = read_package_bytes(data, label)

    def known(kid: str):
        row = intake.keys_by_id.get(kid)
        return parse_public_key(row.public_key) if row else None

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
    new_key = None
    if verified.key_was_known:
        owner = intake.keys_by_id[verified.key_id].ward_code
        if owner != ward:
            raise PackageRejected(f"{label}: gói ký bằng khóa của đơn vị {owner} nhưng ghi là "
                                  f"{commune.name} ({ward}).")
    else:
        fp = key_fingerprint(verified.public_key)
        enrolled = intake.keys_by_ward.get(ward)
        if enrolled is not None and enrolled.status == "enrolled":
            raise PackageRejected(f"{label}: {commune.name} đã đăng ký khóa khác (dấu vân tay "
                                  f"{enrolled.fingerprint}); khóa mới {fp} không được chấp nhận "
                                  "tự động. Gọi điện cho xã để xác minh rồi đăng ký lại khóa.")
        if fp not in intake.confirm:
            pending_dir = intake.data_dir / "pending"
            pending_dir.mkdir(exist_ok=True)
            (pending_dir / f"{ward}-{m['package_id']}{EXTENSION}").write_bytes(data)
            row = CommuneKeyRow(ward_code=ward, key_id=verified.key_id,
                                public_key=public_key_line(verified.public_key), fingerprint=fp,
                                status="pending", first_seen=utc_now())
            conn.execute("INSERT OR REPLACE INTO commune_key VALUES (?,?,?,?,?,?,'')",
                         (ward, row.key_id, row.public_key, fp, "pending", row.first_seen))
            intake.keys_by_ward[ward] = row
            return IngestResult(label, PENDING, f"Khóa mới của {commune.name}: dấu vân tay {fp}. "
                                "Hãy đối chiếu với bản in của xã rồi xác nhận.", ward, year,
                                m["report_version"], fp)
        new_key = _enrol_row(ward, verified.public_key)
    if m["package_id"] in intake.seen:
        raise AlreadyReceived(f"{label}: gói này (mã {m['package_id'][:8]}…) đã được nhận trước "
                              "đây; không có gì thay đổi.")
    last = intake.max_seq.get((ward, year), 0)
    if seq <= last:
        raise PackageRejected(f"{label}: số thứ tự {seq} không lớn hơn gói đã nhận ({last}) — gói "
                              "cũ hoặc gửi lặp.")
    if plain is None:
        plain = _decrypt(intake, entries, label)
    doc, figures = parse_payload(plain, intake.store.catalogue, manifest_ward, year, label)
    findings = check_figures(intake.store.catalogue, figures, shape_checked=True)
    if hard(findings):
        raise PackageRejected(f"{label}: số liệu mâu thuẫn: " + " ".join(
            f.message for f in hard(findings)[:3]))
    version = m["report_version"]  # signed, and equal to the sequence (validate_manifest)
    now = utc_now()
    conn.execute(
        "INSERT INTO submission (ward_code, year, version, package_id, manifest_sha256, "
        "received_at, status, soft_findings, figures) VALUES (?,?,?,?,?,?,'received',?,?)",
        (ward, year, version, m["package_id"], verified.manifest_sha256, now,
         json.dumps([f.message for f in soft(findings)], ensure_ascii=False),
         plain.decode("utf-8")))
    conn.execute(
        "INSERT INTO package_log (package_id, kind, direction, ward_code, year, sequence, "
        "manifest_sha256, file_name, status, detail, created_at) "
        "VALUES (?,'submission','in',?,?,?,?,?,'received',?,?)",
        (m["package_id"], ward, year, seq, verified.manifest_sha256, str(path),
         json.dumps(doc.get("responses", []), ensure_ascii=False), now))
    if new_key is not None:  # enrolled by a confirmed fingerprint, now that all checks passed
        conn.execute("INSERT OR REPLACE INTO commune_key VALUES (?,?,?,?,?,?,?)",
                     (ward, new_key.key_id, new_key.public_key, new_key.fingerprint, "enrolled",
                      new_key.first_seen, new_key.enrolled_at))
    # The in-memory state changes only after every check and write of this package passed, so
    # a refused package needs no undo here (its savepoint undoes the database).
    if new_key is not None:
        intake.keys_by_id[new_key.key_id] = new_key
        intake.keys_by_ward[ward] = new_key
    intake.seen.add(m["package_id"])
    intake.max_seq[(ward, year)] = seq
    return IngestResult(label, ACCEPTED, f"Đã nhận báo cáo năm {year} của {commune.name} "
                        f"(phiên bản {version}).{code_note}", ward, year, version)


def ingest(store: Store, data_dir: Path, paths: Iterable[Path], passphrase: str | None,
           confirm_fingerprints: Iterable[str] = (),
           progress: Callable[[int, int, IngestResult], None] | None = None,
           identity: pyrage.x25519.Identity | None = None) -> list[IngestResult]:
    """Verify and store every package file found in `paths`; one result per file.

    The age identity is unlocked from `passphrase` (scrypt: about a second), unless a window
    that unlocked it once for its session passes `identity`."""
    files = package_files(paths)
    intake = _load_intake(store, Path(data_dir), passphrase, confirm_fingerprints, identity)
    if files:
        from ..backup import make_backup

        make_backup(data_dir, "truoc-nhan-goi")
    results: list[IngestResult] = []
    # Plain sqlite3 with explicit savepoints: SQLAlchemy's per-statement overhead was most of
    # the cost of intake (53 figure rows a package), and each package must still be atomic.
    sa_conn = store.engine.raw_connection()
    conn = sa_conn.driver_connection
    saved_mode = conn.isolation_level
    conn.isolation_level = None  # we issue BEGIN / SAVEPOINT / COMMIT ourselves
    try:
        conn.execute("BEGIN IMMEDIATE")
        for i, path in enumerate(files, 1):
            conn.execute("SAVEPOINT package")
            try:
                with path.open("rb") as fh:  # never read more than the cap allows
                    data = fh.read(MAX_PACKAGE_BYTES + 1)
                result = _ingest_one(intake, conn, path, data)
                conn.execute("RELEASE package")
            except Exception as err:  # noqa: BLE001 - one bad file never stops the rest
                conn.execute("ROLLBACK TO package")
                conn.execute("RELEASE package")
                result = _refusal(path, err)
            results.append(result)
            if i % COMMIT_EVERY == 0:
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
            if progress:
                progress(i, len(files), result)
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
    if isinstance(err, OSError):
        return IngestResult(name, REJECTED, f"{name}: không đọc được tệp ({one_line(err.strerror)}).")
    return IngestResult(name, REJECTED, f"{name}: lỗi không mong đợi khi kiểm tra "
                                        f"({type(err).__name__}).")


def enrol(store: Store, data_dir: Path, ward: str, fingerprint_text: str, passphrase: str | None,
          identity: pyrage.x25519.Identity | None = None) -> list[IngestResult]:
    """Confirm a pending commune key by its fingerprint, then take in its waiting packages."""
    require_province(store)
    exchange = ExchangeStore(store.engine)
    row = exchange.commune_key(ward)
    fp = normalise_fingerprint(fingerprint_text)
    if row is None:
        raise KH75Error(f"Không có khóa nào của đơn vị {ward} đang chờ xác nhận.")
    if row.fingerprint != fp:
        raise KH75Error(f"Dấu vân tay {fp} không khớp với khóa đang chờ của đơn vị {ward} "
                        f"({row.fingerprint}). Không đăng ký.")
    if row.status == "pending":
        row.status, row.enrolled_at = "enrolled", utc_now()
        exchange.save_commune_key(row)
    waiting = sorted((Path(data_dir) / "pending").glob(f"{ward}-*{EXTENSION}"))
    results = ingest(store, data_dir, waiting, passphrase, identity=identity)
    for p in waiting:
        p.unlink(missing_ok=True)
    return results


def replace_key(store: Store, ward: str) -> None:
    """Forget a commune's enrolled key (a new laptop without the old key), after a phone call."""
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM commune_key WHERE ward_code=:w"), dict(w=ward))


# -- follow-up -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class CommuneStatus:
    commune: Commune
    status: str  # nothing / received / accepted / returned
    version: int
    received_at: str
    late: bool
    completeness: int  # measures answered out of 34

    def to_json(self) -> dict:
        return {"code": self.commune.code, "name": self.commune.name, "kind": self.commune.kind,
                "status": self.status, "version": self.version, "received_at": self.received_at,
                "late": self.late, "completeness": self.completeness}


STATUS_WORDS = {"nothing": "Chưa gửi", "received": "Đã nhận", "accepted": "Đã chấp nhận",
                "returned": "Đã trả lại"}


def commune_statuses(store: Store, year: int, today: date | None = None) -> list[CommuneStatus]:
    require_province(store)
    today = today or date.today()
    deadline = deadline_for(store.catalogue, year)
    exchange = ExchangeStore(store.engine)
    latest = exchange.latest_submissions(year)
    first: dict[str, str] = {}
    for row in exchange.submissions(year):
        first.setdefault(row.ward_code, row.received_at)
    answered = _answered_counts(store, year)
    out = []
    for c in scope_communes(store):
        row = latest.get(c.code)
        if row is None:
            out.append(CommuneStatus(c, "nothing", 0, "", today > deadline, 0))
            continue
        received = date.fromisoformat(first[c.code][:10])
        out.append(CommuneStatus(c, row.status, row.version, row.received_at, received > deadline,
                                 answered.get(c.code, 0)))
    return out


def _answered_counts(store: Store, year: int) -> dict[str, int]:
    """Measures with figures or explained gaps for all their elements, per commune (the same
    count as `measures.completion`, without computing every measure)."""
    needs = [tuple(k for k in (m.numerator, m.denominator) if k)
             for m in store.catalogue.measures.values()]
    out = {}
    for ward, figures in _figures_by_ward(store, year).items():
        answered = {k for k, f in figures.items() if f.is_answered}
        out[ward] = sum(all(k in answered for k in keys) for keys in needs)
    return out


_FIGURES_CACHE: dict[tuple, dict[str, dict[str, Figure]]] = {}


def _figures_by_ward(store: Store, year: int) -> dict[str, dict[str, Figure]]:
    """The figures of each commune's latest received version of the year.

    Parsing 3,000 payload documents takes a while, and every page of the window asks for them:
    the result is kept until a submission is added or changes status."""
    with store.engine.connect() as conn:
        stamp = conn.execute(text("SELECT COUNT(*), MAX(id), GROUP_CONCAT(DISTINCT status) FROM "
                                  "submission WHERE year=:y"), dict(y=year)).one()
    key = (str(store.engine.url), year, tuple(stamp))
    cached = _FIGURES_CACHE.get(key)
    if cached is not None:
        return cached
    out: dict[str, dict[str, Figure]] = {}
    for ward, row in ExchangeStore(store.engine).latest_submissions(year).items():
        doc = json.loads(row.figures)  # the version's whole payload document
        out[ward] = {f["element"]: Figure.from_json(f) for f in doc.get("figures", [])}
    if len(_FIGURES_CACHE) > 8:
        _FIGURES_CACHE.clear()
    _FIGURES_CACHE[key] = out
    return out


def submitted_figures(store: Store, ward: str, year: int) -> dict[str, Figure]:
    return _figures_by_ward(store, year).get(ward, {})


def period_summary(store: Store, year: int) -> str:
    """The period the province's figures cover: the cut-off, how many communes sent official
    figures, and the share of estimates among the figures received."""
    from ..numbers_vi import format_date

    latest = ExchangeStore(store.engine).latest_submissions(year)
    official = 0
    for row in latest.values():
        period = json.loads(row.figures).get("period")
        official += bool(isinstance(period, dict) and period.get("official") is True)
    estimated = entered = 0
    for figures in _figures_by_ward(store, year).values():
        e, n = estimate_counts(figures)
        estimated, entered = estimated + e, entered + n
    words = (f"Số liệu tính đến ngày chốt {format_date(cutoff_for(store, year))}, ước tính đến "
             f"ngày 31/12/{year}")
    if latest:
        words += f"; {official}/{len(latest)} xã, phường đã gửi số liệu chính thức cả năm"
    if entered:
        words += f"; {round(100 * estimated / entered)}% số liệu nhận được là số ước tính"
    return words + "."


# -- consolidated measures -----------------------------------------------------------------------
def province_measures(store: Store, year: int) -> list[ProvinceMeasure]:
    """Every measure for the province, consolidated over the communes (see consolidation.py)."""
    require_province(store)
    with store.engine.connect() as conn:
        years = [y for (y,) in conn.execute(text(
            "SELECT DISTINCT year FROM submission WHERE year < :y"), dict(y=year))]
    per_year = {y: _figures_by_ward(store, y) for y in [*years, year]}
    return consolidate(store.catalogue, year, scope_communes(store), per_year)


# -- feedback ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedbackWritten:
    path: Path
    package_id: str


def parse_comment(text_: str, catalogue: Catalogue) -> tuple[str, str, list[str]]:
    """ "3a: nội dung" -> (measure, comment, the elements it unlocks)."""
    key, sep, comment = text_.partition(":")
    key = key.strip()
    if not sep or key not in catalogue.measures or not comment.strip():
        raise KH75Error(f"Ý kiến '{text_}' cần dạng 'MÃ_CHỈ_TIÊU: nội dung', ví dụ '3a: kiểm tra "
                        "lại số trẻ sơ sinh tử vong'.")
    m = catalogue.measures[key]
    return key, comment.strip(), [k for k in (m.numerator, m.denominator) if k]


def write_feedback(store: Store, data_dir: Path, ward: str, year: int, decision: str,
                   comments: list[tuple[str, str, list[str]]], passphrase: str, outbox: Path
                   ) -> FeedbackWritten:
    require_province(store)
    if decision not in ("accept", "return"):
        raise KH75Error("Quyết định phải là chấp nhận hoặc trả lại.")
    if decision == "return" and not comments:
        raise KH75Error("Trả lại báo cáo cần ít nhất một ý kiến gắn với chỉ tiêu.")
    exchange = ExchangeStore(store.engine)
    latest = exchange.latest_submissions(year).get(ward)
    if latest is None:
        raise KH75Error(f"Chưa nhận báo cáo năm {year} của đơn vị {ward}.")
    if latest.status != "received":
        raise KH75Error(f"Phiên bản {latest.version} của đơn vị {ward} đã được "
                        f"{'chấp nhận' if latest.status == 'accepted' else 'trả lại'}.")
    key_row = exchange.commune_key(ward)
    if key_row is None or key_row.status != "enrolled":
        raise KH75Error(f"Khóa của đơn vị {ward} chưa được xác nhận.")
    keys = ProvinceKeys(data_dir)
    secret = keys.unlock_signing(passphrase)
    info = keys.info()
    seq = int(exchange.setting(f"feedback_seq_{year}", "0")) + 1
    comment_docs = [{"measure": k, "comment": c, "elements": e} for k, c, e in comments]
    payload = json.dumps({"format": "kh75-feedback", "decision": decision,
                          "comments": comment_docs}, ensure_ascii=False,
                         sort_keys=True).encode("utf-8")
    entries = {PAYLOAD: payload}
    package_id = str(uuid.uuid4())
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "kind": "feedback",
        "package_id": package_id,
        "issuer": {"ward_code": PROVINCE_WARD, "key_id": info.key_id,
                   "public_key": info.signing_key},
        "recipient": {"ward_code": ward, "key_id": key_row.key_id},
        "year": year, "sequence": seq,
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "app_version": __version__, "catalogue_version": store.catalogue.version,
        "in_reply_to": {"package_id": latest.package_id,
                        "manifest_sha256": latest.manifest_sha256},
        "decision": decision, "comments": comment_docs,
        "cutoffs": cutoffs_json(stored_cutoffs(store)),
        "files": [file_entry(PAYLOAD, payload)],
    }
    manifest_bytes, sig = sign_manifest(manifest, secret)
    entries.update({MANIFEST: manifest_bytes, SIGNATURE: sig})
    outbox = Path(outbox)
    try:
        outbox.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KH75Error(f"Không tạo được thư mục {outbox}: {err.strerror}.") from err
    commune = next((c for c in scope_communes(store) if c.code == ward), None)
    name = slug(commune.name) if commune else ward
    word = "chap-nhan" if decision == "accept" else "tra-lai"
    path = write_package(outbox / f"KH75-phanhoi-{ward}-{name}-{year}-v{latest.version}-{word}"
                                  f"{EXTENSION}", entries)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE submission SET status=:s WHERE id=:i"),
                     dict(s="accepted" if decision == "accept" else "returned", i=latest.id))
        conn.execute(text(
            "INSERT INTO package_log (package_id, kind, direction, ward_code, year, sequence, "
            "manifest_sha256, file_name, status, detail, created_at) "
            "VALUES (:p,'feedback','out',:w,:y,:q,:h,:f,:s,:d,:t)"),
            dict(p=package_id, w=ward, y=year, q=seq, h=sha256_hex(manifest_bytes), f=str(path),
                 s=decision, d=f"phiên bản {latest.version}", t=utc_now()))
        for k, c, e in comments:
            conn.execute(text(
                "INSERT INTO feedback_comment (ward_code, year, version, feedback_id, measure, "
                "comment, elements, answer) VALUES (:w,:y,:v,:p,:m,:c,:e,'')"),
                dict(w=ward, y=year, v=latest.version, p=package_id, m=k, c=c, e=json.dumps(e)))
        conn.execute(text("INSERT OR REPLACE INTO setting (key, value) VALUES (:k, :v)"),
                     dict(k=f"feedback_seq_{year}", v=str(seq)))
    return FeedbackWritten(path, package_id)


def read_pending_package(path: Path) -> dict[str, bytes]:
    return read_package(path)


# -- review helpers for the window ----------------------------------------------------------------
def commune_contacts(store: Store) -> dict[str, tuple[str, str]]:
    """The officer and phone each commune last sent, from the newest payload of any year."""
    out: dict[str, tuple[str, str]] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT ward_code, figures FROM submission ORDER BY year, version"))
        for ward, doc in rows:
            try:
                officer = json.loads(doc).get("officer") or {}
            except (ValueError, AttributeError):
                continue
            if officer.get("name") or officer.get("phone"):
                out[ward] = (str(officer.get("name", "")), str(officer.get("phone", "")))
    return out


def pending_keys(store: Store) -> list[CommuneKeyRow]:
    return [k for k in ExchangeStore(store.engine).commune_keys() if k.status == "pending"]


def commune_figures(store: Store, year: int) -> dict[str, dict[str, Figure]]:
    """Each commune's figures in its latest received version of the year."""
    return _figures_by_ward(store, year)
