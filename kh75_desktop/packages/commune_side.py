"""The commune's side of the exchange: keys at setup, export of a signed submission, import of
Sở Y tế's feedback. Every refusal says why in Vietnamese and changes nothing."""

from __future__ import annotations

import json
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import minisign
import pyrage
from sqlmodel import Session

from .. import __version__
from ..errors import KH75Error
from ..narrative import load_narrative
from ..presend import missing_elements
from ..reporting_period import merge_cutoffs, parse_cutoffs, period_of
from ..rules import check_figures, hard
from ..storage.database import database_path
from ..storage.exchange import ExchangeStore
from ..storage.integrity import check_database
from ..storage.models import FeedbackCommentRow, PackageLogRow, ProvinceKeyRow, ReportStatusRow
from ..storage.store import Store, utc_now
from .canonical import canonical_json, sha256_hex
from .container import (
    EXTENSION,
    MANIFEST,
    PAYLOAD,
    PAYLOAD_AGE,
    SIGNATURE,
    PackageRejected,
    read_package,
    write_package,
)
from .keys import (
    CommuneKey,
    check_new_passphrase,
    key_fingerprint,
    key_id_of,
    normalise_fingerprint,
    parse_province_key_file,
    parse_public_key,
    public_key_line,
    require_pair,
)
from .manifest import FORMAT, FORMAT_VERSION, file_entry, sign_manifest, verify_package
from .payload import build_payload


def slug(name: str) -> str:
    """ASCII file-name form of a Vietnamese name: "Xã Gia Viễn" -> "Xa-Gia-Vien"."""
    text = name.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")


def submission_file_name(ward: str, name: str, year: int, version: int) -> str:
    return f"KH75-{ward}-{slug(name)}-{year}-v{version}{EXTENSION}"


# -- setup ---------------------------------------------------------------------------------------
PROVINCE_KEY_HISTORY = "province_key_history"  # JSON list of deliberate key replacements


class ProvinceKeyChange(KH75Error):
    """A genuinely new Sở Y tế key, to be taken only with the fingerprint Sở Y tế reads out."""

    def __init__(self, message: str, current: str, new: str):
        super().__init__(message)
        self.current, self.new = current, new


def import_province_key(store: Store, data: bytes, confirm_fingerprint: str | None = None
                        ) -> ProvinceKeyRow:
    """Trust Sở Y tế's key file. The first import sets the key; the same key again changes
    nothing; a different key is never taken silently: one with the trusted key's id but other key
    material is refused as a forgery, and a genuinely new key is taken only with its fingerprint
    as read out by Sở Y tế over the phone, and the change is recorded."""
    info = parse_province_key_file(data)
    exchange = ExchangeStore(store.engine)
    current = exchange.province_key()
    if current is not None:
        if (current.signing_key, current.age_recipient) == (info.signing_key, info.age_recipient):
            return current
        if current.key_id == info.key_id:
            raise KH75Error(
                "Tệp khóa này ghi cùng mã khóa với khóa Sở Y tế đang dùng nhưng là một khóa khác: "
                "dấu hiệu giả mạo. Không nhập; khóa đang dùng giữ nguyên (dấu vân tay "
                f"{current.fingerprint}). Hãy báo ngay cho Sở Y tế.")
        if confirm_fingerprint is None or normalise_fingerprint(confirm_fingerprint) != \
                info.fingerprint:
            what = ("Dấu vân tay vừa nhập không khớp với tệp khóa mới." if confirm_fingerprint
                    else "Không thay khóa một cách âm thầm.")
            raise ProvinceKeyChange(
                f"{what} Tệp này chứa khóa mới của Sở Y tế (dấu vân tay {info.fingerprint}), "
                f"khác khóa đang dùng (dấu vân tay {current.fingerprint}). Chỉ thay khi đã gọi "
                "Sở Y tế, nhờ đọc dấu vân tay của khóa mới và nhập đúng dãy số nghe được.",
                current.fingerprint, info.fingerprint)
    row = ProvinceKeyRow(name=info.name, signing_key=info.signing_key, key_id=info.key_id,
                         age_recipient=info.age_recipient, fingerprint=info.fingerprint,
                         imported_at=utc_now())
    exchange.save_province_key(row)
    if current is not None:
        history = json.loads(exchange.setting(PROVINCE_KEY_HISTORY, "[]"))
        history.append({"old": current.fingerprint, "new": info.fingerprint, "at": utc_now()})
        exchange.set_setting(PROVINCE_KEY_HISTORY, json.dumps(history))
    return row


def create_commune_key(store: Store, data_dir: Path, passphrase: str) -> str:
    """Make the signing key; returns its fingerprint (printed on the summary, read by phone)."""
    profile = store.profile()
    pub = CommuneKey(data_dir).create(passphrase, profile.ward_code)
    return key_fingerprint(pub)


KEY_HISTORY = "key_history"


def replace_commune_key(store: Store, data_dir: Path, passphrase: str) -> tuple[str, str]:
    """A new signing key when the passphrase is forgotten (or the officer changed): the old pair
    is kept under keys/retired/ and in the key history, and the new fingerprint must be read to
    Sở Y tế, which confirms it before taking the next package. Returns (old, new) fingerprints."""
    key = CommuneKey(data_dir)
    if not key.exists():
        return "", create_commune_key(store, data_dir, passphrase)
    check_new_passphrase(passphrase, passphrase)
    old = key_fingerprint(key.public_key())
    exchange = ExchangeStore(store.engine)
    history = json.loads(exchange.setting(KEY_HISTORY, "[]"))
    retired = key.retire()
    new = create_commune_key(store, data_dir, passphrase)
    history.append({"fingerprint": old, "retired_at": utc_now(), "kept_in": retired.name,
                    "replaced_by": new})
    exchange.set_setting(KEY_HISTORY, json.dumps(history, ensure_ascii=False))
    return old, new


def key_history(store: Store) -> list[dict]:
    """The commune's earlier signing keys, oldest first."""
    try:
        rows = json.loads(ExchangeStore(store.engine).setting(KEY_HISTORY, "[]"))
    except ValueError:
        return []
    return [r for r in rows if isinstance(r, dict)]


# -- export --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_id: str
    version: int
    manifest_sha256: str
    fingerprint: str


def _audit_mark_key(ward: str, year: int) -> str:
    return f"audit_mark_{ward}_{year}"


def _changes_since(store: Store, ward: str, year: int, since: str | None) -> list[dict]:
    """Every change to the year's figures since the last package was made: after the audit
    line recorded at that export, or (packages made before the mark existed) after its time."""
    if since is None:  # the first version: everything is new, there is no diff to carry
        return []
    mark = ExchangeStore(store.engine).setting(_audit_mark_key(ward, year))
    rows = [a for a in store.audit(ward, year)
            if (a.id > int(mark) if mark.isdigit() else a.at > since)]
    return [{"element": a.element, "old": json.loads(a.old) if a.old else None,
             "new": json.loads(a.new) if a.new else None, "at": a.at, "who": a.who}
            for a in rows]


def export_submission(store: Store, data_dir: Path, year: int, out_dir: Path,
                      passphrase: str | None = None, summary_pdf: bytes | None = None,
                      secret: minisign.SecretKey | None = None) -> ExportResult:
    """The year's signed package, under the key unlocked from `passphrase` or, from a window that
    unlocked it in a worker (scrypt takes seconds), the unlocked `secret`."""
    profile = store.profile()
    ward = profile.ward_code
    exchange = ExchangeStore(store.engine)
    landed = finish_interrupted_exports(store, out_dir)
    status = store.report_status(ward, year)
    if status.status in ("exported", "accepted"):
        where = f" Tệp gói đã có tại {landed[-1]}." if landed else ""
        raise KH75Error(f"Báo cáo năm {year} đã gửi phiên bản {status.version}; chỉ gửi lại khi "
                        f"Sở Y tế trả lại báo cáo.{where}")
    if status.status == "returned" and not all(
            c.answer for c in exchange.open_comments(ward, year)):
        raise KH75Error("Sở Y tế đã trả lại báo cáo: hãy sửa các số liệu có ý kiến hoặc trả lời "
                        "từng ý kiến trước khi gửi lại.")
    missing = missing_elements(store, ward, year)
    if missing:
        raise KH75Error(f"Báo cáo năm {year} chưa đủ: còn {len(missing)} số liệu chưa nhập hoặc "
                        f"chưa giải trình (ví dụ: {store.catalogue.elements[missing[0]].name}).")
    figures = store.figures(ward, year)
    if hard(check_figures(store.catalogue, figures, store.figures(ward, year - 1))):
        raise KH75Error("Số liệu còn mâu thuẫn theo quy tắc kiểm tra; hãy sửa trước khi gửi.")
    problems = check_database(database_path(store.engine))
    if problems:
        raise KH75Error("Cơ sở dữ liệu có lỗi toàn vẹn, chưa thể gửi: " + "; ".join(problems[:3]))
    province = exchange.province_key()
    if province is None:
        raise KH75Error("Chưa nhập tệp khóa của Sở Y tế; hãy nhập ở phần Cài đặt hoặc "
                        "'kh75 setup --province-key TỆP'.")
    key = CommuneKey(data_dir)
    if not key.exists():
        raise KH75Error("Xã/phường chưa có khóa ký; hãy tạo ở phần Cài đặt hoặc 'kh75 keys create'.")
    public = key.public_key()
    secret = key.unlock(passphrase or "") if secret is None else require_pair(secret, public)
    version = status.version + 1
    sequence = exchange.max_sequence(ward, year, "submission", "out") + 1
    previous = exchange.packages(ward, year, "submission", "out")
    since = previous[-1].created_at if previous else None
    responses = [{"measure": c.measure, "comment": c.comment, "answer": c.answer}
                 for c in exchange.open_comments(ward, year)] if previous else []
    payload = canonical_json(build_payload(profile, year, version, figures,
                                           _changes_since(store, ward, year, since), responses,
                                           period_of(store, ward, year),
                                           load_narrative(store, year)))
    extra = {} if summary_pdf is None else {"summary.pdf": summary_pdf}
    package_id, entries = seal_submission(ward, year, sequence, version, payload, province,
                                          secret, public, store.catalogue.version, extra)
    manifest_bytes = entries[MANIFEST]
    out_dir = Path(out_dir)
    try:  # a folder named for the first time ("--out outbox") is made, as the README shows
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        from ..files import describe_os_error

        raise KH75Error(describe_os_error(err, out_dir)) from err
    # The file lands only once it is recorded: written under a staging name, recorded, then
    # renamed. A cut in between leaves a recorded package that the next attempt lands.
    path = out_dir / submission_file_name(ward, profile.ward_name, year, version)
    write_package(staging_path(path), entries)
    digest = sha256_hex(manifest_bytes)
    with Session(store.engine) as s:
        s.add(PackageLogRow(package_id=package_id, kind="submission", direction="out",
                            ward_code=ward, year=year, sequence=sequence,
                            manifest_sha256=digest, file_name=str(path), status="sent",
                            detail=f"phiên bản {version}", created_at=utc_now()))
        row = s.get(ReportStatusRow, (ward, year)) or ReportStatusRow(ward_code=ward, year=year)
        row.status, row.version, row.updated_at = "exported", version, utc_now()
        s.add(row)
        audit = store.audit(ward, year)
        exchange.set_setting(_audit_mark_key(ward, year), str(audit[-1].id if audit else 0), s)
        s.commit()
    _land(staging_path(path), path)
    return ExportResult(path, package_id, version, digest, key_fingerprint(public))


def seal_submission(ward: str, year: int, sequence: int, version: int, payload: bytes,
                    province: ProvinceKeyRow, secret: minisign.SecretKey,
                    public: minisign.PublicKey, catalogue_version: str,
                    extra: dict[str, bytes] | None = None) -> tuple[str, dict[str, bytes]]:
    """A submission's package id and files: the payload encrypted for Sở Y tế alone, any
    `extra` file (the summary PDF) beside it, and the manifest listing each by size and hash,
    signed with the commune's unlocked key."""
    entries = {PAYLOAD_AGE: pyrage.encrypt(
        payload, [pyrage.x25519.Recipient.from_str(province.age_recipient)]), **(extra or {})}
    package_id = str(uuid.uuid4())
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "kind": "submission",
        "package_id": package_id,
        "issuer": {"ward_code": ward, "key_id": key_id_of(public),
                   "public_key": public_key_line(public)},
        "recipient": {"ward_code": "37", "key_id": province.key_id, "name": province.name},
        "year": year, "sequence": sequence, "report_version": version, "created_at": now,
        "app_version": __version__, "catalogue_version": catalogue_version,
        "files": [file_entry(n, d) for n, d in sorted(entries.items())],
    }
    manifest_bytes, sig = sign_manifest(manifest, secret)
    return package_id, {**entries, MANIFEST: manifest_bytes, SIGNATURE: sig}


def staging_path(path: Path) -> Path:
    """Where a package is written before it is recorded: hidden, and not a .kh75 file."""
    return path.with_name(f".{path.name}.dang-ghi")


def _land(staged: Path, final: Path) -> None:
    os.replace(staged, final)


def finish_interrupted_exports(store: Store, out_dir: Path | None = None) -> list[Path]:
    """Land every recorded package whose file a cut left under its staging name, and remove
    staged files that were never recorded (never sent); returns the files landed."""
    exchange = ExchangeStore(store.engine)
    landed = []
    recorded = set()
    for row in exchange.packages(kind="submission", direction="out"):
        if not row.file_name:
            continue
        final = Path(row.file_name)
        recorded.add(staging_path(final))
        if not final.exists() and staging_path(final).exists():
            _land(staging_path(final), final)
            landed.append(final)
    if out_dir is not None and Path(out_dir).is_dir():
        for staged in Path(out_dir).glob(".KH75-*.dang-ghi"):
            if staged not in recorded:
                staged.unlink(missing_ok=True)
    return landed


# -- feedback import -----------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedbackResult:
    decision: str | None  # None when the same feedback was imported before
    version: int
    comments: list[FeedbackCommentRow]
    message: str


def import_feedback(store: Store, data_dir: Path, path: Path) -> FeedbackResult:
    label = Path(path).name
    profile = store.profile()
    ward = profile.ward_code
    exchange = ExchangeStore(store.engine)
    province = exchange.province_key()
    if province is None:
        raise KH75Error("Chưa nhập tệp khóa của Sở Y tế nên chưa kiểm tra được phản hồi.")
    entries = read_package(Path(path))
    province_pub = parse_public_key(province.signing_key)
    verified = verify_package(entries, label,
                              lambda kid: province_pub if kid == province.key_id else None,
                              allow_new_key=False)
    m = verified.manifest
    if m["kind"] != "feedback":
        raise PackageRejected(f"{label}: đây không phải gói phản hồi của Sở Y tế.")
    if m["recipient"]["ward_code"] != ward:
        raise PackageRejected(f"{label}: phản hồi này gửi cho đơn vị khác (mã "
                              f"{m['recipient']['ward_code']}), không phải {profile.ward_name}.")
    key = CommuneKey(data_dir)
    if key.exists() and m["recipient"]["key_id"] != key_id_of(key.public_key()):
        raise PackageRejected(f"{label}: phản hồi ghi khóa của xã khác với khóa hiện tại.")
    year = m["year"]
    if exchange.package_seen(m["package_id"], "in"):
        return FeedbackResult(None, 0, [], "Phản hồi này đã được nhập trước đây; không có gì "
                                           "thay đổi.")
    last = exchange.max_sequence(ward, year, "feedback", "in")
    if m["sequence"] <= last:
        raise PackageRejected(f"{label}: phản hồi cũ (số thứ tự {m['sequence']}), đã có phản hồi "
                              f"mới hơn (số {last}).")
    sent = exchange.packages(ward, year, "submission", "out")
    reply = m["in_reply_to"]
    match = next((p for p in sent if p.package_id == reply["package_id"]
                  and p.manifest_sha256 == reply["manifest_sha256"]), None)
    if match is None:
        raise PackageRejected(f"{label}: phản hồi cho một gói mà {profile.ward_name} chưa từng gửi.")
    if match is not sent[-1]:
        raise PackageRejected(f"{label}: phản hồi cho phiên bản cũ ({match.detail}); đã có "
                              "phiên bản mới hơn được gửi.")
    if PAYLOAD in entries:
        try:
            json.loads(entries[PAYLOAD].decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise PackageRejected(f"{label}: nội dung phản hồi không đọc được.") from err
    version = match.sequence  # a commune's submission sequence is its report version
    comments = []
    for c in m["comments"]:
        unknown = [e for e in c["elements"] if e not in store.catalogue.elements]
        if c["measure"] not in store.catalogue.measures or unknown:
            raise PackageRejected(f"{label}: ý kiến nhắc đến chỉ tiêu hoặc số liệu không có trong "
                                  "danh mục.")
        comments.append(FeedbackCommentRow(ward_code=ward, year=year, version=version,
                                           feedback_id=m["package_id"], measure=c["measure"],
                                           comment=c["comment"],
                                           elements=json.dumps(c["elements"])))
    decision = m["decision"]
    from ..backup import make_backup

    make_backup(data_dir, "truoc-nhap-phan-hoi")
    with Session(store.engine) as s:
        s.add(PackageLogRow(package_id=m["package_id"], kind="feedback", direction="in",
                            ward_code=ward, year=year, sequence=m["sequence"],
                            manifest_sha256=verified.manifest_sha256, file_name=str(path),
                            status=decision, detail=f"phiên bản {version}", created_at=utc_now()))
        if decision == "return":
            for c in comments:
                s.add(c)
        row = s.get(ReportStatusRow, (ward, year)) or ReportStatusRow(ward_code=ward, year=year)
        row.status = "accepted" if decision == "accept" else "returned"
        row.version = version
        row.comment = "; ".join(f"{c.measure}: {c.comment}" for c in comments)
        row.updated_at = utc_now()
        s.add(row)
        if m.get("cutoffs"):
            merge_cutoffs(store, parse_cutoffs(json.dumps(m["cutoffs"])), s)
        s.commit()
    if decision == "accept":
        message = f"Sở Y tế đã chấp nhận báo cáo năm {year} (phiên bản {version})."
    else:
        message = (f"Sở Y tế trả lại báo cáo năm {year} (phiên bản {version}) với {len(comments)} "
                   "ý kiến; các số liệu liên quan đã được mở khóa để sửa.")
    return FeedbackResult(decision, version, exchange.comments(ward, year, m["package_id"]), message)
