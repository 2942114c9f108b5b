"""Excel data exports: the commune's measures and raw figures; the province's measures, the
communes' submission status, and one row per commune and measure, ready for a pivot table."""

from __future__ import annotations

from datetime import date

from ..disclosure import (
    HIDDEN_COUNT,
    HIDDEN_NOTE,
    WITHHELD_REASON,
    any_hidden,
    hides,
    withholds,
)
from ..measures import STATUS_LABELS, TRACK_LABELS, compute_all, judge_measure
from ..numbers_vi import format_target, stored_day
from ..reporting_period import estimate_words, period_of
from ..storage.store import Store
from .xlsx_common import (
    FORMATS,
    add_sheet,
    new_workbook,
    to_bytes,
    value_format,
)

UNIT_WORDS = {"%": "%", "permille": "‰", "per100k": "/100.000", "yesno": "Có/Không",
              "count": "số cuộc"}


def _num(d):
    return None if d is None else float(d)


def _measure_rows(results) -> tuple[list[list], list[str]]:
    rows, formats = [], []
    for r in results:
        m = r.measure
        lo, hi = (r.interval if r.interval else (None, None))
        numerator, value = _num(r.numerator), _num(r.value)
        reason = r.reason
        if hides(m, r.numerator):  # 1-4 children: "< 5", no rate, no count in words
            numerator, value, lo, hi = HIDDEN_COUNT, "–", None, None
            reason = WITHHELD_REASON
        rows.append([m.key, m.indicator, m.goal, m.name, UNIT_WORDS[m.unit], numerator,
                     _num(r.denominator), value, _num(lo), _num(hi),
                     format_target(r.target, m.unit), STATUS_LABELS[r.status],
                     TRACK_LABELS[r.on_track], reason])
        # as many decimals as the value or its target needs (0,22% beside "< 0,12%")
        formats.append(max((value_format(m.unit, v) for v in (r.value, r.target_value, lo)),
                           key=len))
    return rows, formats


MEASURE_HEADERS = ["Mã", "Chỉ tiêu số", "Mục tiêu", "Chỉ tiêu", "Đơn vị", "Tử số", "Mẫu số",
                   "Giá trị", "Khoảng tin cậy 95% (dưới)", "Khoảng tin cậy 95% (trên)",
                   "Chỉ tiêu năm", "Đánh giá", "Lộ trình 2030", "Lý do đánh giá"]
MEASURE_WIDTHS = [5, 7, 7, 38, 8, 8, 8, 9, 10, 10, 14, 16, 12, 48]


def _measure_formats(formats: list[str]) -> dict[int, list[str]]:
    """Number formats of a measures sheet: the value and its interval as the value needs, the
    numerator and denominator as whole numbers."""
    counts = ["#,##0"] * len(formats)
    return {6: counts, 7: counts, 8: formats, 9: formats, 10: formats}


def commune_workbook(store: Store, year: int) -> bytes:
    p = store.profile()
    cat = store.catalogue
    history = store.history(p.ward_code)
    figures = history.get(year, {})
    results = compute_all(cat, year, p.ward_kind, figures, history)
    wb = new_workbook()
    rows, formats = _measure_rows(results)
    hid_any = any_hidden(results)
    period = period_of(store, p.ward_code, year)
    add_sheet(wb, "Chỉ tiêu", MEASURE_HEADERS, rows, MEASURE_WIDTHS,
              title_line=f"{p.ward_name} — kết quả 34 chỉ số của 24 chỉ tiêu năm {year} "
                         f"(Kế hoạch 75/KH-UBND)",
              formats=_measure_formats(formats),
              note=f"Kỳ báo cáo: {period.words()} {estimate_words(figures)}"
                   + (" " + HIDDEN_NOTE if hid_any else ""))
    fig_rows = []
    for key, e in cat.elements.items():
        f = figures.get(key)
        value = None if f is None else (f.count if f.count is not None else
                                        (None if f.flag is None else ("Có" if f.flag else "Không")))
        if f is not None and withholds(cat, key, f.count):
            value = HIDDEN_COUNT
        fig_rows.append([e.name, value, "Ước tính" if f and f.estimated else None,
                         f.missing_reason if f else None,
                         cat.sources.get(f.source or e.source, "") if f else cat.sources[e.source],
                         f.note if f else "", f.explanation if f else "",
                         ", ".join(m.key for m in cat.measures_using(key)), key])
    add_sheet(wb, "Số liệu", ["Số liệu", "Giá trị", "Ước tính", "Lý do không có số liệu",
                              "Nguồn", "Ghi chú", "Giải thích", "Dùng cho chỉ tiêu",
                              "Mã kỹ thuật"],
              fig_rows, [56, 12, 10, 28, 26, 30, 30, 14, 24],
              title_line=f"{p.ward_name} — số liệu năm {year}",
              formats={2: ["#,##0"] * len(fig_rows)}, note=HIDDEN_NOTE if hid_any else None)
    return to_bytes(wb)


def province_workbook(store: Store, year: int, today: date | None = None) -> bytes:
    from ..packages.province_side import (
        STATUS_WORDS,
        _figures_by_ward,
        commune_statuses,
        earlier_years,
        province_measures,
        scope_communes,
    )

    cat = store.catalogue
    wb = new_workbook()
    measures = province_measures(store, year)
    rows, formats = _measure_rows([pm.result for pm in measures])
    for row, pm in zip(rows, measures, strict=True):
        row[0] = pm.label
        row.append(pm.coverage_words())
    # the code column holds "4c (phường)": wide enough that no word of it is broken
    add_sheet(wb, "Chỉ tiêu toàn tỉnh", MEASURE_HEADERS + ["Đã báo cáo"], rows,
              [12] + MEASURE_WIDTHS[1:] + [26],
              title_line=f"Tỉnh Ninh Bình — chỉ tiêu trẻ em năm {year} (tổng hợp từ các xã, "
                         "phường)",
              formats=_measure_formats([f if f != FORMATS["yesno"] else '0.0"%"'
                                        for f in formats]),
              note=HIDDEN_NOTE if any_hidden([pm.result for pm in measures]) else None)
    statuses = commune_statuses(store, year, today)
    add_sheet(wb, "Tình hình gửi", ["Mã", "Xã, phường", "Loại", "Trạng thái", "Phiên bản",
                                    "Ngày nhận", "Trễ hạn", "Số chỉ số có số liệu"],
              [[s.commune.code, s.commune.name, s.commune.kind_label, STATUS_WORDS[s.status],
                s.version or None, stored_day(s.received_at), "Có" if s.late else "Không",
                s.completeness] for s in statuses], [8, 28, 8, 16, 10, 12, 10, 12],
              title_line=f"Tình hình gửi báo cáo năm {year}")
    per_ward, earlier = _figures_by_ward(store, year), earlier_years(store, year)
    long_rows, long_formats = [], []
    any_withheld = False
    for c in scope_communes(store):
        figures = per_ward.get(c.code)
        if not figures:
            continue
        history = earlier.of(c.code)
        for m in cat.measures.values():
            r = judge_measure(m, year, c.kind, figures, history)
            numerator, value = _num(r.numerator), _num(r.value)
            if hides(m, r.numerator):
                numerator, value = HIDDEN_COUNT, "–"
                any_withheld = True
            long_rows.append([c.code, c.name, c.kind_label, m.key, m.goal, m.name, UNIT_WORDS[m.unit],
                              numerator, _num(r.denominator), value, STATUS_LABELS[r.status]])
            long_formats.append(value_format(m.unit, value))
    add_sheet(wb, "Dữ liệu xã", ["Mã xã", "Xã, phường", "Loại", "Mã chỉ tiêu", "Mục tiêu",
                                 "Chỉ tiêu", "Đơn vị", "Tử số", "Mẫu số", "Giá trị",
                                 "Đánh giá"], long_rows,
              [8, 26, 8, 8, 8, 50, 10, 10, 10, 10, 26],
              title_line=f"Dữ liệu từng xã, phường năm {year} (một dòng một chỉ tiêu, dùng "
                         "cho bảng tổng hợp — pivot)",
              formats={10: long_formats}, note=HIDDEN_NOTE if any_withheld else None)
    return to_bytes(wb)
