"""Sở Y tế's side: its keys and scope, follow-up of the 129 communes, consolidated measures, and
signed feedback packages. Intake of packages is in intake.py, enrolment of keys in enrolment.py.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NamedTuple

import minisign
from sqlalchemy import text

from .. import __version__
from ..catalogue import Catalogue, Measure
from ..communes import (
    Commune,
    communes,
    national_wards,
)
from ..consolidation import ProvinceMeasure, YearCounts, consolidate_counts
from ..errors import KH75Error
from ..figures import Figure
from ..files import os_reason
from ..measures import POOL_YEARS, judge_measure
from ..outliers import find_outliers
from ..reporting_period import (
    cutoff_for,
    cutoffs_json,
    deadline_for,
    estimate_counts,
    stored_cutoffs,
)
from ..storage.database import database_path
from ..storage.exchange import ExchangeStore
from ..storage.store import Store, utc_now
from .canonical import sha256_hex
from .commune_side import slug
from .container import (
    EXTENSION,
    MANIFEST,
    PAYLOAD,
    SIGNATURE,
    write_package,
)
from .keys import (
    PROVINCE_NAME,
    ProvinceKeys,
    parse_public_key,
    require_pair,
)
from .manifest import FORMAT, FORMAT_VERSION, file_entry, sign_manifest
from .received_figures import latest_versions

PROVINCE_WARD = "37"




def init_province(store: Store, data_dir: Path, passphrase: str, decrypt_passphrase: str,
                  scope: str = "province"):
    """Sở Y tế's profile and keys: `passphrase` signs feedback, `decrypt_passphrase` opens
    packages (see ProvinceKeys.create)."""
    keys = ProvinceKeys(data_dir)
    info = keys.create(passphrase, decrypt_passphrase)
    store.save_profile(mode="province", ward_code=PROVINCE_WARD, ward_name=PROVINCE_NAME,
                       ward_kind="province", officer="", phone="")
    ExchangeStore(store.engine).set_setting("scope", scope)
    return info


def require_province(store: Store) -> None:
    p = store.profile()
    if p is None or p.mode != "province":
        raise KH75Error("Thư mục dữ liệu này không phải hồ sơ của Sở Y tế (có thể là hồ sơ của "
                        "một xã). Mở ứng dụng Sở Y tế với thư mục trống để thiết lập, hoặc chạy "
                        "'kh75 province init'.")


def scope_communes(store: Store) -> tuple[Commune, ...]:
    return national_wards() if ExchangeStore(store.engine).setting("scope") == "national" \
        else communes()



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


def status_counts(statuses: list[CommuneStatus]) -> dict[str, int]:
    """How many communes are in each state, for the counts above the communes table."""
    counts = {"all": len(statuses), "sent": 0, "late": 0, **{k: 0 for k in STATUS_WORDS}}
    for s in statuses:
        counts[s.status] += 1
        counts["sent"] += s.status != "nothing"
        counts["late"] += s.late
    return counts


# Read from the covering index ix_submission_summary alone (migration 0009).
COMMUNE_STATUS_SQL = (
    "SELECT s.ward_code, s.status, s.version, s.received_at, s.answered, f.first "
    "FROM submission s JOIN (SELECT ward_code, MAX(version) AS v, "
    "MIN(received_at) AS first FROM submission WHERE year = :y GROUP BY ward_code) f "
    "ON s.ward_code = f.ward_code AND s.version = f.v WHERE s.year = :y")


def commune_statuses(store: Store, year: int, today: date | None = None) -> list[CommuneStatus]:
    """Each commune's latest version, its state, when its first version came and how many
    measures it answers: one query over the summary columns intake writes, no payload read."""
    require_province(store)
    today = today or date.today()
    deadline = deadline_for(store.catalogue, year)
    with store.engine.connect() as conn:
        rows = {r[0]: r[1:] for r in conn.execute(text(COMMUNE_STATUS_SQL), dict(y=year))}
    out = []
    for c in scope_communes(store):
        row = rows.get(c.code)
        if row is None:
            out.append(CommuneStatus(c, "nothing", 0, "", today > deadline, 0))
            continue
        status, version, received_at, answered, first = row
        out.append(CommuneStatus(c, status, version, received_at,
                                 date.fromisoformat(first[:10]) > deadline, answered or 0))
    return out


def submission_stamp(store: Store, year: int | None = None, decisions: bool = True) -> tuple:
    """What the received versions (of `year`, or of every year) are, in numbers read from an
    index: it changes whenever a version is taken in (versions are never removed) or, with
    `decisions`, decided on. A decision only ever moves a version from received to accepted or
    returned, never back, so the two totals only grow."""
    sql = SUBMISSION_STAMP_SQL if decisions else "SELECT COUNT(*), MAX(id) FROM submission"
    where = "" if year is None else " WHERE year = :y"
    with store.engine.connect() as conn:
        return tuple(conn.execute(text(sql + where), dict(y=year)).one())


SUBMISSION_STAMP_SQL = ("SELECT COUNT(*), MAX(id), TOTAL(id * (status = 'accepted')), "
                        "TOTAL(id * (status = 'returned')) FROM submission")


def measures_stamp(store: Store, year: int) -> tuple:
    """What the province measures of `year` (pooled over the years before it) and the communes'
    figures of the year and the year before are made of: unchanged, so are they. A decision on
    a version changes none of its figures, so only versions taken in count here."""
    return (str(database_path(store.engine)), year, submission_stamp(store, decisions=False),
            ExchangeStore(store.engine).setting("scope"))


def _kept(cache: dict, key: tuple, make, limit: int = 8):
    """`make()`, worked out once per `key` (a stamp of what it reads) and kept in `cache`; the
    cache is emptied past `limit` entries (a year switched back and forth, a new intake)."""
    found = cache.get(key)
    if found is None:
        found = make()
        if len(cache) > limit:
            cache.clear()
        cache[key] = found
    return found


_FIGURES_CACHE: dict[tuple, dict[str, dict[str, Figure]]] = {}


def _figures_by_ward(store: Store, year: int) -> dict[str, dict[str, Figure]]:
    """The figures of each commune's latest received version of the year (received_figures.py),
    kept as a whole until a version is taken in (a decision changes no figure)."""
    def read() -> dict[str, dict[str, Figure]]:
        return {ward: v.figures for ward, v in latest_versions(store, year).items()}

    return _kept(_FIGURES_CACHE, _figures_stamp(store, year), read)


def _figures_stamp(store: Store, year: int) -> tuple:
    return (str(database_path(store.engine)), year,
            submission_stamp(store, year, decisions=False))


_COUNTS_CACHE: dict[tuple, YearCounts] = {}
_LAST_COUNTS: dict[tuple[str, int], YearCounts] = {}  # (database, year) -> the latest made


def _year_counts(store: Store, year: int) -> YearCounts:
    """A year's figures as the consolidation sums them, kept with the figures: after a version
    of this year is taken in, the years before are not read again, and this year's counts are
    mended from the last ones for the communes that sent a version, not summed again."""
    place = (str(database_path(store.engine)), year)

    def count() -> YearCounts:
        counts = YearCounts(_figures_by_ward(store, year), _LAST_COUNTS.get(place))
        if place not in _LAST_COUNTS and len(_LAST_COUNTS) >= 16:
            _LAST_COUNTS.clear()
        _LAST_COUNTS[place] = counts
        # the counts they replace are never asked for again (their stamp has passed): not kept
        # beside them (at 3,321 communes each holds some 10 MB of columns and sums)
        for stale in [k for k in list(_COUNTS_CACHE) if k[:2] == place]:
            _COUNTS_CACHE.pop(stale, None)
        return counts

    return _kept(_COUNTS_CACHE, _figures_stamp(store, year), count)


@dataclass(frozen=True)
class EarlierYears:
    """The communes' figures of the years a judgement of a year reads besides the year itself:
    the years a rare event is pooled over, and last year's count for a yearly cut (13). Judged
    on these, a commune's status at Sở Y tế is the one its own report gives."""
    by_year: dict[int, dict[str, dict[str, Figure]]]

    def of(self, ward: str) -> dict[int, dict[str, Figure]]:
        return {y: figures.get(ward, {}) for y, figures in self.by_year.items()}


def earlier_years(store: Store, year: int) -> EarlierYears:
    return EarlierYears({y: _figures_by_ward(store, y)
                         for y in range(year - POOL_YEARS + 1, year)})


def submitted_figures(store: Store, ward: str, year: int) -> dict[str, Figure]:
    return _figures_by_ward(store, year).get(ward, {})


def period_summary(store: Store, year: int) -> str:
    """The period the province's figures cover: the cut-off, how many communes sent official
    figures, and the share of estimates among the figures received."""
    from ..numbers_vi import format_date

    latest = latest_versions(store, year)
    official = sum(v.official for v in latest.values())
    estimated = entered = 0
    for version in latest.values():
        e, n = estimate_counts(version.figures)
        estimated, entered = estimated + e, entered + n
    words = (f"Số liệu tính đến ngày chốt {format_date(cutoff_for(store, year))}, ước tính đến "
             f"ngày 31/12/{year}")
    if latest:
        words += f"; {official}/{len(latest)} xã, phường đã gửi số liệu chính thức cả năm"
    if entered:
        words += f"; {round(100 * estimated / entered)}% số liệu nhận được là số ước tính"
    return words + "."


# -- consolidated measures -----------------------------------------------------------------------
_MEASURES_CACHE: dict[tuple, list[ProvinceMeasure]] = {}


def province_measures(store: Store, year: int) -> list[ProvinceMeasure]:
    """Every measure for the province, consolidated over the communes (see consolidation.py).

    Kept until a package is taken in (submissions are only ever added) or the scope changes, so
    the measures page is instant on return and the workbook and report reuse the same numbers."""
    require_province(store)

    def consolidated() -> list[ProvinceMeasure]:
        with store.engine.connect() as conn:
            years = [y for (y,) in conn.execute(text(
                "SELECT DISTINCT year FROM submission WHERE year < :y"), dict(y=year))]
        counts = {y: _year_counts(store, y) for y in [*years, year]}
        return consolidate_counts(store.catalogue, year, scope_communes(store), counts)

    return list(_kept(_MEASURES_CACHE, measures_stamp(store, year), consolidated))


class CommuneValue(NamedTuple):
    """One commune's value of one measure, its status, and what looks unusual about it."""
    ward: str
    value: object  # Decimal, or None without figures
    status: str
    outliers: tuple[str, ...]


_DRILL_CACHE: dict[tuple, tuple[list[CommuneValue], int]] = {}


def measure_communes(store: Store, year: int, measure: Measure) -> tuple[list[CommuneValue], int]:
    """One measure commune by commune for `year`, each judged against its own target, with the
    outliers among them (outliers.py); and how many communes have one. Kept, as the province
    measures are, until a version is taken in: a return to a measure is instant."""
    def judged() -> tuple[list[CommuneValue], int]:
        per_ward, earlier = _figures_by_ward(store, year), earlier_years(store, year)
        kinds = {c.code: c.kind for c in scope_communes(store)}
        flagged: dict[str, list[str]] = {}
        for o in find_outliers(measure, per_ward, earlier.by_year[year - 1]):
            flagged.setdefault(o.ward, []).append(o.words(measure.unit))
        rows = []
        for ward in sorted(per_ward):
            j = judge_measure(measure, year, kinds.get(ward, "xa"), per_ward[ward],
                              earlier.of(ward))
            rows.append(CommuneValue(ward, j.value, j.status, tuple(flagged.get(ward, ()))))
        return rows, len(flagged)

    return _kept(_DRILL_CACHE, (measures_stamp(store, year), measure.key), judged, limit=64)


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
                   comments: list[tuple[str, str, list[str]]], passphrase: str | None,
                   outbox: Path, secret: minisign.SecretKey | None = None) -> FeedbackWritten:
    """The signed decision on a commune's latest version, under the signing key unlocked from
    `passphrase`, or the unlocked `secret` a window got from a worker (scrypt takes seconds)."""
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
    info = keys.info()
    secret = keys.unlock_signing(passphrase or "") if secret is None else \
        require_pair(secret, parse_public_key(info.signing_key))
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
        raise KH75Error(f"Không tạo được thư mục {outbox}: {os_reason(err)}.") from err
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




# -- review helpers for the window ----------------------------------------------------------------
def commune_figures(store: Store, year: int) -> dict[str, dict[str, Figure]]:
    """Each commune's figures in its latest received version of the year."""
    return _figures_by_ward(store, year)


def commune_narratives(store: Store, year: int) -> list[tuple[Commune, dict[str, str]]]:
    """The written sections of each commune's latest report for `year`, by commune code (checked
    on intake; checked again here, as anything read back from a package)."""
    from ..errors import KH75Error
    from ..narrative import validate_narrative

    names = {c.code: c for c in scope_communes(store)}
    out = []
    for ward, row in sorted(ExchangeStore(store.engine).latest_submissions(year).items()):
        try:
            narrative = validate_narrative(json.loads(row.figures).get("narrative"), ward)
        except (ValueError, AttributeError, KH75Error):
            continue
        if narrative and ward in names:
            out.append((names[ward], narrative))
    return out
