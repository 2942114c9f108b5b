"""Reading and writing a profile's data: profile, figures with their audit, report status, contacts.

Every write is one transaction. Saving a figure runs the rules on the year's figures as they would
be after the change: a hard finding refuses the change, a soft finding without an explanation asks
for one; either way nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, select

from ..catalogue import Catalogue
from ..errors import KH75Error
from ..figures import Figure
from ..files import disk_is_full, free_space_words
from ..reporting_period import check_year
from ..rules import Finding, check_figures, hard, soft
from .database import database_path
from .models import AuditRow, ContactRow, FigureRow, Profile, ReportStatusRow
from .records import blank_record, columns, read_row

# A report in these states is locked: its figures were sent and only feedback reopens them.
LOCKED_STATES = {"exported", "accepted"}


def storage_error(err: Exception, engine: Engine) -> KH75Error:
    """A database error in words: full disk, read-only folder, damaged file; nothing was saved."""
    text = str(getattr(err, "orig", err)).lower()
    where = database_path(engine)
    if "full" in text or ("disk i/o" in text and disk_is_full(where.parent)):
        return KH75Error(f"Ổ đĩa đầy ({free_space_words(where.parent)}), chưa lưu được vào "
                         f"{where}. Số liệu đã lưu trước đó vẫn còn nguyên.")
    if "disk i/o" in text:
        return KH75Error(f"Không ghi được xuống đĩa: tệp vượt giới hạn kích thước của ổ đĩa, hoặc "
                         f"thiết bị lỗi (USB bị rút?); chưa lưu được vào {where}. Số liệu đã lưu "
                         "trước đó vẫn còn nguyên.")
    if "too large" in text:
        return KH75Error(f"Tệp {where} vượt giới hạn kích thước cho phép; chưa lưu được. Số liệu "
                         "đã lưu trước đó vẫn còn nguyên.")
    if "readonly" in text or "read-only" in text or "permission" in text:
        return KH75Error(f"Thư mục dữ liệu {where} chỉ đọc, chưa lưu được. Kiểm tra quyền ghi.")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return KH75Error(f"Cơ sở dữ liệu {where} bị hỏng; chưa lưu được. Hãy khôi phục từ bản sao "
                         "lưu ('kh75 restore').")
    return KH75Error(f"Không lưu được vào cơ sở dữ liệu {where}: {text}.")


def db_errors(method):
    """Turn a database error inside a store method into a Vietnamese KH75Error."""
    import functools

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except DBAPIError as err:
            raise storage_error(err, self.engine) from err

    return wrapper


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class RuleViolation(KH75Error):
    """A change refused by hard rules, or held until soft findings are explained."""

    def __init__(self, findings: list[Finding], needs_explanation: bool):
        self.findings = findings
        self.needs_explanation = needs_explanation
        lead = ("Cần ghi giải thích trước khi lưu:" if needs_explanation
                else "Số liệu không hợp lệ, chưa được lưu:")
        super().__init__(lead + " " + " ".join(f.message for f in findings))


@dataclass(frozen=True)
class SaveOutcome:
    changed: bool
    warnings: list[Finding]  # soft findings that now stand explained


def findings_for(catalogue: Catalogue, current: dict[str, Figure], previous: dict[str, Figure],
                 figure: Figure) -> list[Finding]:
    """Findings that concern `figure` if it joined this year's `current` figures."""
    current = {**current, figure.element: figure}
    return [f for f in check_figures(catalogue, current, previous) if f.concerns(figure.element)]


def judge_figure(catalogue: Catalogue, current: dict[str, Figure], previous: dict[str, Figure],
                 figure: Figure) -> list[Finding]:
    """The rules one figure must pass to be saved: raises RuleViolation for a hard finding, or a
    soft one without an explanation; returns the soft findings that stand explained. The entry
    page asks this of the figures it holds (typing never waits for the disk); the store asks it
    again of the database before it writes."""
    findings = findings_for(catalogue, current, previous, figure)
    if hard(findings):
        raise RuleViolation(hard(findings), needs_explanation=False)
    warnings = soft(findings)
    if warnings and not figure.explanation.strip():
        raise RuleViolation(warnings, needs_explanation=True)
    return warnings


def _row_figure(r: tuple) -> Figure:
    """A figure from a (year, element, count, flag, …, estimated) column tuple."""
    return Figure(r[1], r[2], None if r[3] is None else bool(r[3]), r[4], r[5], r[6], r[7],
                  bool(r[8]))


class Store:
    def __init__(self, engine: Engine, catalogue: Catalogue):
        self.engine = engine
        self.catalogue = catalogue

    # -- profile -------------------------------------------------------------------------------
    def profile(self) -> Profile | None:
        """Whose database this is, as a read-only record (records.py), None before setup."""
        return read_row(self.engine, Profile, columns(Profile).id == 1)

    @db_errors
    def save_profile(self, **fields) -> Profile:
        with Session(self.engine) as s:
            p = s.get(Profile, 1)
            now = utc_now()
            if p is None:
                p = Profile(id=1, created_at=now)
            for k, v in fields.items():
                setattr(p, k, v)
            p.updated_at = now
            s.add(p)
            s.commit()
        return self.profile()

    # -- figures -------------------------------------------------------------------------------
    # Figures are read as plain column tuples through Core, not ORM objects: ten years of a
    # commune is 530 rows, read on every page change, and the ORM's per-object cost showed in
    # the UI's stalls.
    _FIGURE_COLUMNS = tuple(columns(FigureRow)[name] for name in (
        "year", "element", "count", "flag", "missing_reason", "source", "note", "explanation",
        "estimated"))

    def _figure_rows(self, *conditions, conn=None) -> list[tuple]:
        """The figure columns of the rows matching `conditions`, read on `conn` when a write's
        transaction is under way, else on a connection of their own."""
        query = sa_select(*self._FIGURE_COLUMNS).where(*conditions)
        if conn is not None:
            return conn.execute(query).all()
        with self.engine.connect() as own:
            return own.execute(query).all()

    def figures(self, ward: str, year: int) -> dict[str, Figure]:
        c = columns(FigureRow)
        rows = self._figure_rows(c.ward_code == ward, c.year == year)
        return {r[1]: _row_figure(r) for r in rows}

    def history(self, ward: str) -> dict[int, dict[str, Figure]]:
        """Every year's figures of a commune."""
        out: dict[int, dict[str, Figure]] = {}
        for r in self._figure_rows(columns(FigureRow).ward_code == ward):
            out.setdefault(r[0], {})[r[1]] = _row_figure(r)
        return dict(sorted(out.items()))

    def years(self, ward: str) -> list[int]:
        with Session(self.engine) as s:
            rows = s.exec(select(FigureRow.year).where(FigureRow.ward_code == ward)
                          .distinct()).all()
            return sorted(rows)

    def check_change(self, ward: str, year: int, figure: Figure) -> list[Finding]:
        """Findings that concern this figure if it were saved now."""
        return findings_for(self.catalogue, self.figures(ward, year),
                            self.figures(ward, year - 1), figure)

    @db_errors
    def save_figure(self, ward: str, year: int, figure: Figure, who: str) -> SaveOutcome:
        if figure.element not in self.catalogue.elements:
            raise KH75Error(f"Số liệu '{figure.element}' không có trong danh mục.")
        check_year(year)
        self.check_unlocked(ward, year, figure.element)
        warnings = judge_figure(self.catalogue, self.figures(ward, year),
                                self.figures(ward, year - 1), figure)
        return SaveOutcome(self._write(ward, year, [figure], who), warnings)

    def check_unlocked(self, ward: str, year: int, *elements: str) -> None:
        """Refuse a change to figures that were sent and not reopened by Sở Y tế's feedback."""
        status = self.report_status(ward, year)
        if status.status in LOCKED_STATES:
            raise KH75Error(f"Báo cáo năm {year} đã gửi (phiên bản {status.version}), số liệu bị "
                            "khóa. Chỉ Sở Y tế trả lại báo cáo mới mở khóa được.")
        if status.status in ("returned", "corrected"):
            from .exchange import ExchangeStore

            unlocked = ExchangeStore(self.engine).unlocked_elements(ward, year)
            for element in elements:
                if element not in unlocked:
                    element_def = self.catalogue.elements.get(element)
                    name = element_def.name if element_def else element
                    raise KH75Error(f"{name}: Sở Y tế chỉ mở khóa các số liệu có ý kiến; số liệu "
                                    "này vẫn giữ như bản đã gửi.")

    @db_errors
    def save_figures(self, ward: str, year: int, figures: list[Figure], who: str,
                     explain_soft: str = "") -> None:
        """Store a whole set at once (demo, template import): all rules checked together."""
        check_year(year)
        self.check_unlocked(ward, year, *(f.element for f in figures))
        current = self.figures(ward, year)
        current.update({f.element: f for f in figures})
        findings = check_figures(self.catalogue, current, self.figures(ward, year - 1))
        if hard(findings):
            raise RuleViolation(hard(findings), needs_explanation=False)
        unexplained = [f for f in soft(findings)
                       if not any(current[e].explanation for e in f.elements if e in current)]
        if unexplained and not explain_soft:
            raise RuleViolation(unexplained, needs_explanation=True)
        self._write(ward, year, figures, who)

    def _write(self, ward: str, year: int, figures: list[Figure], who: str) -> bool:
        """The figures that changed, each with its audit line, and the report's status, in one
        transaction. Through Core: the ORM's unit of work cost some 5 ms of the interpreter a
        figure, on the writer thread just as the window draws the next form (bench/ui)."""
        now = utc_now()
        table, c = FigureRow.__table__, columns(FigureRow)
        changed = False
        with self.engine.begin() as conn:
            for figure in figures:
                row = conn.execute(sa_select(*self._FIGURE_COLUMNS, c.id).where(
                    c.ward_code == ward, c.year == year, c.element == figure.element)).first()
                old = _row_figure(row) if row else None
                if old == figure:
                    continue
                changed = True
                values = dict(count=figure.count, flag=figure.flag,
                              missing_reason=figure.missing_reason, source=figure.source,
                              note=figure.note, explanation=figure.explanation,
                              estimated=figure.estimated, updated_by=who, updated_at=now)
                if row is None:
                    conn.execute(table.insert().values(ward_code=ward, year=year,
                                                       element=figure.element, **values))
                else:
                    conn.execute(table.update().where(c.id == row.id).values(**values))
                conn.execute(AuditRow.__table__.insert().values(
                    ward_code=ward, year=year, element=figure.element,
                    old=json.dumps(old.to_json(), ensure_ascii=False) if old else None,
                    new=json.dumps(figure.to_json(), ensure_ascii=False), who=who, at=now))
            if changed:
                self._touch_status(conn, ward, year, now)
        return changed

    def is_complete(self, ward: str, year: int) -> bool:
        """Figures or explained gaps for every element the 34 measures need."""
        from ..presend import missing_elements

        return not missing_elements(self, ward, year)

    def _touch_status(self, conn, ward: str, year: int, now: str) -> None:
        """A draft becomes complete once every element is answered (and back); a returned
        report that is changed becomes corrected."""
        c = columns(FigureRow)
        rows = self._figure_rows(c.ward_code == ward, c.year == year, conn=conn)
        answered = {r[1] for r in rows if _row_figure(r).is_answered}
        complete = set(self.catalogue.elements) <= answered
        table, st = ReportStatusRow.__table__, columns(ReportStatusRow)
        here = (st.ward_code == ward, st.year == year)
        row = conn.execute(sa_select(st.status).where(*here)).first()
        status = row.status if row else st.status.default.arg
        if status in ("draft", "complete"):
            status = "complete" if complete else "draft"
        elif status == "returned":
            status = "corrected"
        if row is None:
            conn.execute(table.insert().values(ward_code=ward, year=year, status=status,
                                               updated_at=now))
        else:
            conn.execute(table.update().where(*here).values(status=status, updated_at=now))

    def audit(self, ward: str, year: int | None = None) -> list[AuditRow]:
        with Session(self.engine) as s:
            q = select(AuditRow).where(AuditRow.ward_code == ward)
            if year is not None:
                q = q.where(AuditRow.year == year)
            return list(s.exec(q.order_by(AuditRow.id)).all())

    # -- report status -------------------------------------------------------------------------
    def report_status(self, ward: str, year: int) -> ReportStatusRow:
        """Where the year's report stands, as a read-only record (a draft when none is kept)."""
        c = columns(ReportStatusRow)
        return (read_row(self.engine, ReportStatusRow, c.ward_code == ward, c.year == year)
                or blank_record(ReportStatusRow, ward_code=ward, year=year))

    @db_errors
    def set_report_status(self, ward: str, year: int, status: str, version: int | None = None,
                          comment: str | None = None) -> None:
        with Session(self.engine) as s:
            row = s.get(ReportStatusRow, (ward, year)) or ReportStatusRow(ward_code=ward, year=year)
            row.status = status
            if version is not None:
                row.version = version
            if comment is not None:
                row.comment = comment
            row.updated_at = utc_now()
            s.add(row)
            s.commit()

    @db_errors
    def open_official(self, ward: str, year: int) -> None:
        """Unlock every figure of a sent report for its official version (see reporting_period)."""
        with Session(self.engine) as s:
            row = s.get(ReportStatusRow, (ward, year)) or ReportStatusRow(ward_code=ward, year=year)
            row.status = "complete" if self.is_complete(ward, year) else "draft"
            row.official = True
            row.updated_at = utc_now()
            s.add(row)
            s.commit()

    # -- contacts ------------------------------------------------------------------------------
    def contacts(self) -> list[ContactRow]:
        with Session(self.engine) as s:
            return list(s.exec(select(ContactRow).order_by(ContactRow.id)).all())

    @db_errors
    def save_contact(self, contact: ContactRow) -> ContactRow:
        if not contact.name.strip() or not contact.phone.strip():
            raise KH75Error("Liên hệ cần có tên và số điện thoại.")
        with Session(self.engine) as s:
            s.add(contact)
            s.commit()
            s.refresh(contact)
            return contact

    @db_errors
    def delete_contact(self, contact_id: int) -> None:
        with Session(self.engine) as s:
            row = s.get(ContactRow, contact_id)
            if row is not None:
                s.delete(row)
                s.commit()
