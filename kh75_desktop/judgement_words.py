"""The one-line reason behind each status and each on-track verdict, in plain Vietnamese.

These lines are read aloud in a commune meeting, so they name children and cases, not
statistics; the 95 % interval stays in tooltips and in the last column of tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .measures import (
    BEHIND,
    BORDERLINE,
    INSUFFICIENT,
    MET,
    NO_DATA,
    NO_TARGET,
    NOT_APPLICABLE,
    ON_TRACK,
    TRACK_UNKNOWN,
)
from .numbers_vi import format_measure, format_number, format_target

if TYPE_CHECKING:
    from .measures import MeasureResult


def _years(years: tuple[int, ...]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _side(r: MeasureResult) -> str:
    return "đạt" if r.status == MET else "chưa đạt"


def reason_for(r: MeasureResult) -> str:
    m = r.measure
    target = format_target(r.target, m.unit)
    if r.status == NO_DATA:
        if r.value is not None and m.kind == "count":
            return f"Năm {r.year}: {format_number(r.value)} {m.subject}; chưa có số năm trước để so sánh."
        return ("Không có số liệu (đã ghi lý do)." if r.answered
                else "Chưa nhập đủ số liệu để tính.")
    if r.status == NOT_APPLICABLE:
        return f"Năm {r.year} không có {m.subject} nào thuộc diện tính tỷ lệ này."
    if r.status == NO_TARGET:
        later = m.target_for(2030, "xa")
        return (f"Kế hoạch không đặt chỉ tiêu cho năm {r.year}"
                + (" (chỉ có mốc năm 2030)." if later is not None else "."))
    if m.kind == "yesno" and r.denominator is not None:  # the province's share of communes
        share = (f"{format_number(r.numerator)}/{format_number(r.denominator)} xã, phường đạt = "
                 f"{format_measure(r.value, '%')}")
        if r.status == INSUFFICIENT:
            return (f"{share}; các xã, phường chưa báo cáo còn có thể làm thay đổi kết luận so "
                    f"với mức {target}.")
        return f"{share}, {_side(r)} mức {target}."
    if m.kind == "yesno":
        word = "Có" if r.value else "Không"
        return f"{word}: tính vào tỷ lệ xã, phường đạt của tỉnh (chỉ tiêu {target})."
    if m.kind == "count":
        return _count_reason(r, target)
    n, d, value = format_number(r.numerator), format_number(r.denominator), \
        format_measure(r.value, m.unit)
    if m.kind == "register":
        return _register_reason(r, n, d, value, target)
    if m.kind == "rare":
        return _rare_reason(r, n, d, value, target)
    return _prevalence_reason(r, n, d, value, target)


def _register_reason(r: MeasureResult, n: str, d: str, value: str, target: str) -> str:
    m = r.measure
    head = f"{n}/{d} {m.subject} = {value}"
    if r.status == MET:
        return f"{head}, {'đạt' if m.direction == 'up' else 'trong'} mức {target}."
    short = r.shortfall or 0
    if m.direction == "down":
        return f"{head}: vượt {format_number(short)} {m.subject} so với mức {target}."
    missing = r.denominator - r.numerator
    if missing == short:
        return f"{head}: còn {format_number(missing)} {m.subject} chưa đạt, cần đủ để đạt mức {target}."
    return (f"{head}: còn {format_number(missing)} {m.subject} chưa đạt; cần thêm "
            f"{format_number(short)} {m.subject} để đạt mức {target}.")


def _rare_reason(r: MeasureResult, n: str, d: str, value: str, target: str) -> str:
    m = r.measure
    year_part = f"Năm {r.year}: {n} ca trên {d} {m.subject} = {value}"
    p = r.pooled
    if r.status == INSUFFICIENT:
        pooled = ""
        if p is not None:
            pooled = (f"; gộp {_years(p.years)}: {format_number(p.numerator)} ca trên "
                      f"{format_number(p.denominator)}")
        return f"{year_part}{pooled} — quá ít ca để kết luận so với mức {target}."
    if p is not None:
        return (f"Một năm riêng chưa đủ để kết luận; gộp {len(p.years)} năm {_years(p.years)}: "
                f"{format_number(p.numerator)} ca trên {format_number(p.denominator)} {m.subject} "
                f"= {format_measure(p.value, m.unit)}, {_side(r)} mức {target}.")
    return f"{year_part}, {_side(r)} mức {target}."


def _prevalence_reason(r: MeasureResult, n: str, d: str, value: str, target: str) -> str:
    m = r.measure
    head = f"{n} trên {d} {m.subject} = {value}"
    if r.status == INSUFFICIENT:
        return (f"Chỉ có {d} {m.subject} được đánh giá: quá ít để kết luận so với mức "
                f"{target}.")
    if r.status == BORDERLINE:
        from .measures import register_shortfall

        gap = register_shortfall(m, r.numerator, r.denominator, r.target)
        lo, hi = (format_measure(x, m.unit) for x in r.interval)
        over = (f"; chênh {format_number(gap)} {m.subject} so với mức chỉ tiêu" if gap else "")
        return (f"{head}, sát mức {target}: sai số của phép đo ({lo} – {hi}) chứa mức chỉ tiêu, "
                f"chưa khẳng định đạt hay chưa đạt{over}.")
    return f"{head}, {_side(r)} mức {target} kể cả khi tính sai số của phép đo."


def _count_reason(r: MeasureResult, target: str) -> str:
    m = r.measure
    now = format_number(r.value)
    if r.value == 0:
        return f"Năm {r.year} không có {m.subject} nào."
    prev = format_number(r.previous)
    allowed = format_number(r.target_value, 1)
    head = f"Năm {r.year}: {now} {m.subject}, năm trước {prev}"
    if r.status == INSUFFICIENT:
        return f"{head} — số quá nhỏ để kết luận mức {target}."
    if r.status == MET:
        return f"{head}: đạt mức {target} (không quá {allowed})."
    return f"{head}: chưa đạt mức {target} (cần không quá {allowed})."


def track_reason_for(r: MeasureResult) -> str:
    m = r.measure
    if r.on_track is None:
        if (r.value is None or r.status in (NO_DATA, NOT_APPLICABLE)
                or m.kind in ("yesno", "count") or not _has_2030(r)):
            return ""
        return "Chưa có năm gốc để so sánh với lộ trình đến năm 2030."
    if r.on_track == TRACK_UNKNOWN:
        return "Chưa đủ số liệu: số ca quá ít để so với lộ trình đến năm 2030."
    if r.path is None:
        return "Đã đạt mức mục tiêu năm 2030."
    by, bv = r.baseline
    path = format_measure(r.path, m.unit)
    word = "đúng" if r.on_track == ON_TRACK else "chậm so với"
    assert r.on_track in (ON_TRACK, BEHIND)
    return (f"Lộ trình từ năm {by} ({format_measure(bv, m.unit)}) đến mục tiêu năm 2030 cần "
            f"{path} vào năm {r.year}: {word} lộ trình.")


def _has_2030(r: MeasureResult) -> bool:
    from .catalogue import COMMUNE_KINDS

    return any(r.measure.target_for(2030, k) is not None for k in COMMUNE_KINDS)


def status_summary(results) -> str:
    """"20 đạt, 6 chưa đạt, 1 sát ngưỡng, 3 chưa đủ số liệu để kết luận": the judged measures."""
    from .measures import NOT_MET

    counts = {s: sum(1 for r in results if r.status == s)
              for s in (MET, NOT_MET, BORDERLINE, INSUFFICIENT)}
    words = {MET: "đạt", NOT_MET: "chưa đạt", BORDERLINE: "sát ngưỡng",
             INSUFFICIENT: "chưa đủ số liệu để kết luận"}
    return ", ".join(f"{n} {words[s]}" for s, n in counts.items() if n or s in (MET, NOT_MET))
