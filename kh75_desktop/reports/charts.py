"""Charts drawn with reportlab's graphics: each measure's value against its target, and the trend
of each measure over the years entered. Units differ between measures (%, ‰, per 100,000), so
every measure gets its own scale, one row or one small panel each."""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from ..measures import MeasureResult
from ..numbers_vi import format_measure
from .pdf_common import FONT, STATUS_COLOURS, register_fonts

GREY = colors.HexColor("#c9d1dc")
TARGET = colors.HexColor("#1f3a5f")


def value_vs_target(results: list[MeasureResult], width: float) -> Drawing:
    """One row per measure: a bar for the value, a dark tick for this year's target."""
    register_fonts()
    rows = [r for r in results if r.measure.unit not in ("yesno", "count")]
    row_h, label_w, value_w = 14, 34, 70
    bar_w = width - label_w - value_w
    d = Drawing(width, row_h * len(rows) + 14)
    y = d.height - 12
    d.add(String(label_w, y + 2, "Thanh: giá trị năm nay · vạch đậm: chỉ tiêu năm",
                 fontName=FONT, fontSize=8, fillColor=colors.HexColor("#5f6b7a")))
    for r in rows:
        y -= row_h
        d.add(String(0, y + 3, r.key, fontName=FONT + "-Bold", fontSize=9))
        target = r.target_value if r.target is not None else None
        top = max([v for v in (r.value, target, r.interval[1] if r.interval else None)
                   if v is not None] + [Decimal(1)]) * Decimal("1.15")
        scale = bar_w / float(top)
        d.add(Rect(label_w, y + 2, bar_w, 9, fillColor=colors.HexColor("#f3f6fa"),
                   strokeColor=None))
        if r.value is not None:
            d.add(Rect(label_w, y + 2, float(r.value) * scale, 9,
                       fillColor=STATUS_COLOURS[r.status], strokeColor=None))
        if r.interval is not None:
            lo, hi = (label_w + float(x) * scale for x in r.interval)
            d.add(Line(lo, y + 6.5, hi, y + 6.5, strokeColor=colors.black, strokeWidth=0.6))
        if target is not None:
            x = label_w + float(target) * scale
            d.add(Line(x, y, x, y + 13, strokeColor=TARGET, strokeWidth=2))
        d.add(String(label_w + bar_w + 4, y + 3, format_measure(r.value, r.measure.unit),
                     fontName=FONT, fontSize=9))
    return d


def trends(series: dict[str, list[tuple[int, Decimal | None]]], units: dict[str, str],
           targets_2030: dict[str, Decimal | None], width: float, per_row: int = 4) -> Drawing:
    """Small panels, one per measure: the values over the years and the 2030 target dashed."""
    register_fonts()
    keys = [k for k, pts in series.items() if sum(v is not None for _, v in pts) >= 2]
    panel_w, panel_h = width / per_row, 52
    rows = (len(keys) + per_row - 1) // per_row
    d = Drawing(width, rows * panel_h)
    for i, key in enumerate(keys):
        col, row = i % per_row, i // per_row
        x0, y0 = col * panel_w + 4, d.height - (row + 1) * panel_h + 6
        pts = [(y, v) for y, v in series[key] if v is not None]
        target = targets_2030.get(key)
        values = [float(v) for _, v in pts] + ([float(target)] if target is not None else [])
        lo, hi = min(values), max(values)
        if hi == lo:
            hi = lo + 1
        years = [y for y, _ in series[key]]
        plot_w, plot_h = panel_w - 14, panel_h - 24
        px = _Scale(x0, y0, plot_w, plot_h, min(years), max(years), lo, hi)

        d.add(Rect(x0, y0, plot_w, plot_h, fillColor=None, strokeColor=GREY, strokeWidth=0.5))
        if target is not None:
            _, ty = px(min(years), target)
            d.add(Line(x0, ty, x0 + plot_w, ty, strokeColor=TARGET, strokeWidth=0.8,
                       strokeDashArray=[2, 2]))
        d.add(PolyLine([c for y, v in pts for c in px(y, v)], strokeColor=colors.HexColor("#2f5a8f"),
                       strokeWidth=1.2))
        last_y, last_v = pts[-1]
        d.add(String(x0, y0 + plot_h + 4, f"{key}: {format_measure(last_v, units[key])} "
                     f"({last_y})", fontName=FONT + "-Bold", fontSize=8))
        d.add(String(x0, y0 - 9, f"{min(years)}–{max(years)}", fontName=FONT, fontSize=7,
                     fillColor=colors.HexColor("#5f6b7a")))
    return d


class _Scale:
    """Maps (year, value) to a point in one panel."""

    def __init__(self, x0, y0, w, h, first, last, lo, hi):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.first, self.span = first, (last - first) or 1
        self.lo, self.range = lo, (hi - lo) or 1

    def __call__(self, year, value) -> tuple[float, float]:
        return (self.x0 + (year - self.first) / self.span * self.w,
                self.y0 + (float(value) - self.lo) / self.range * self.h)
