"""Charts drawn with reportlab's graphics, made to be read at a glance: measures that share a unit
share one labelled axis; the band where the target is met is shaded green, so the direction
("lower is better") shows without reading; each trend panel has its own y-axis from zero, in
its unit, with the 2030 target dashed."""

from __future__ import annotations

from decimal import Decimal
from math import ceil, floor, log10

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from ..measures import MeasureResult
from ..numbers_vi import format_measure
from .pdf_common import FONT, STATUS_COLOURS, register_fonts

GREY = colors.HexColor("#c9d1dc")
MUTED = colors.HexColor("#5f6b7a")
TARGET = colors.HexColor("#1f3a5f")
GOOD_BAND = colors.HexColor("#e2f0e5")
UNIT_WORDS = {"%": "phần trăm (%)", "permille": "phần nghìn (‰)",
              "per100k": "số trẻ trên 100.000 trẻ em"}
CHART_UNITS = tuple(UNIT_WORDS)


def nice_top(value: float, unit: str) -> float:
    """A round axis end at or above `value` (1, 2, 2.5 or 5 times a power of ten); a share in
    percent ends at 100 whenever the values allow."""
    if unit == "%" and value <= 100:
        return 100.0 if value > 50 else _round_up(value)
    return _round_up(value)


def _round_up(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10 ** floor(log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def unit_groups(results: list[MeasureResult]) -> list[tuple[str, list[MeasureResult]]]:
    """The results that can be drawn on an axis, grouped by unit and by order of magnitude in
    catalogue order, so a 0,11% drop-out rate is not a hairline beside 99% coverage."""
    groups: dict[tuple[str, float], list[MeasureResult]] = {}
    for r in results:
        if r.measure.unit in CHART_UNITS and r.value is not None:
            peak = max([float(v) for v in (r.value, r.target_value) if v is not None] + [0.0])
            magnitude = 10 ** ceil(log10(peak)) if peak > 0 else 1.0  # 33,7% and 100% together
            groups.setdefault((r.measure.unit, magnitude), []).append(r)
    return [(unit, group) for (unit, _), group in groups.items()]


def value_vs_target(results: list[MeasureResult], unit: str, width: float) -> Drawing:
    """One row per measure on one shared axis in `unit`: the value as a bar in its status colour,
    the year's target as a dark tick, the met side of the target shaded green."""
    register_fonts()
    row_h, label_w, value_w, axis_h = 15, 30, 62, 26
    bar_w = width - label_w - value_w
    tops = [float(v) for r in results for v in
            (r.value, r.target_value if r.target is not None else None,
             r.interval[1] if r.interval else None) if v is not None]
    top = nice_top(max(tops, default=1.0), unit)
    scale = bar_w / top
    d = Drawing(width, row_h * len(results) + axis_h + 4)
    y = d.height
    for r in results:
        y -= row_h
        d.add(String(0, y + 4, r.key, fontName=FONT + "-Bold", fontSize=9))
        d.add(Rect(label_w, y + 2, bar_w, 11, fillColor=colors.HexColor("#f5f7fa"),
                   strokeColor=None))
        target = float(r.target_value) if r.target is not None and r.target_value is not None \
            else None
        if target is not None:
            t = min(target, top) * scale
            band = (label_w + t, bar_w - t) if r.measure.direction == "up" else (label_w, t)
            d.add(Rect(band[0], y + 2, band[1], 11, fillColor=GOOD_BAND, strokeColor=None))
        if r.value is not None:
            d.add(Rect(label_w, y + 4.5, min(float(r.value), top) * scale, 6,
                       fillColor=STATUS_COLOURS[r.status], strokeColor=None))
        if r.interval is not None:
            lo, hi = (label_w + min(float(x), top) * scale for x in r.interval)
            d.add(Line(lo, y + 7.5, hi, y + 7.5, strokeColor=colors.black, strokeWidth=0.6))
        if target is not None:
            x = label_w + min(target, top) * scale
            d.add(Line(x, y + 1, x, y + 14, strokeColor=TARGET, strokeWidth=2))
        d.add(String(label_w + bar_w + 4, y + 4, format_measure(r.value, r.measure.unit),
                     fontName=FONT, fontSize=9))
    _axis(d, label_w, y, bar_w, top, unit)
    return d


def ticks(top: float) -> list[float]:
    """Round tick values from 0 to `top` (a value nice_top returned): 0, 5, 10 … 25."""
    mantissa = top / 10 ** floor(log10(top))
    steps = 4 if abs(mantissa - 2) < 1e-9 else 5
    return [top * i / steps for i in range(steps + 1)]


def tick_label(value: float, unit: str) -> str:
    """A tick as the report writes numbers, without needless decimals: 0%, 2,5%, 0,25%."""
    from ..catalogue import UNIT_LABELS
    from ..numbers_vi import format_number

    exact = Decimal(str(round(value, 4))).normalize()
    places = max(0, -exact.as_tuple().exponent)
    return format_number(exact, min(places, 2)) + UNIT_LABELS[unit]


def _axis(d: Drawing, x0: float, y: float, length: float, top: float, unit: str) -> None:
    d.add(Line(x0, y, x0 + length, y, strokeColor=colors.black, strokeWidth=0.6))
    for value in ticks(top):
        x = x0 + length * value / top
        d.add(Line(x, y, x, y - 3, strokeColor=colors.black, strokeWidth=0.6))
        d.add(String(x, y - 11, tick_label(value, unit), fontName=FONT, fontSize=8,
                     textAnchor="middle"))
    d.add(String(x0 + length / 2, y - 22, f"Đơn vị: {UNIT_WORDS[unit]}", fontName=FONT,
                 fontSize=8, textAnchor="middle", fillColor=MUTED))


CHART_LEGEND = ("Thanh: giá trị năm nay (màu theo đánh giá) · vạch đậm: chỉ tiêu năm · nền xanh: "
                "vùng đạt chỉ tiêu · đoạn mảnh: khoảng tin cậy 95%.")


def trends(series: dict[str, list[tuple[int, Decimal | None]]], units: dict[str, str],
           targets_2030: dict[str, Decimal | None], width: float, per_row: int = 3
           ) -> list[Drawing]:
    """Small panels, one per measure, a drawing per row of panels (so pages can break between
    rows): the values over the years on a y-axis from zero in the measure's unit, the 2030
    target dashed."""
    register_fonts()
    keys = [k for k, pts in series.items()
            if units[k] in CHART_UNITS and sum(v is not None for _, v in pts) >= 2]
    return [_trend_row(keys[i:i + per_row], series, units, targets_2030, width / per_row)
            for i in range(0, len(keys), per_row)]


def _trend_row(keys, series, units, targets_2030, panel_w: float) -> Drawing:
    panel_h = 78
    d = Drawing(panel_w * len(keys), panel_h)
    for col, key in enumerate(keys):
        axis_w = 34
        x0 = col * panel_w + axis_w
        y0 = 14
        plot_w, plot_h = panel_w - axis_w - 10, panel_h - 32
        pts = [(y, v) for y, v in series[key] if v is not None]
        target = targets_2030.get(key)
        values = [float(v) for _, v in pts] + ([float(target)] if target is not None else [])
        top = nice_top(max(values), units[key])
        years = [y for y, _ in series[key]]
        first = min(years)
        at = _Scale(x0, y0, plot_w, plot_h, first, max(years), top)

        d.add(Line(x0, y0, x0, y0 + plot_h, strokeColor=colors.black, strokeWidth=0.5))
        d.add(Line(x0, y0, x0 + plot_w, y0, strokeColor=GREY, strokeWidth=0.5))
        for value in (0, top / 2, top):
            ty = y0 + value / top * plot_h
            d.add(Line(x0 - 2, ty, x0, ty, strokeColor=colors.black, strokeWidth=0.5))
            d.add(String(x0 - 3, ty - 2.5, tick_label(value, units[key]), fontName=FONT,
                         fontSize=6.5, textAnchor="end"))
        if target is not None:
            _, ty = at(first, target)
            d.add(Line(x0, ty, x0 + plot_w, ty, strokeColor=TARGET, strokeWidth=0.8,
                       strokeDashArray=[2, 2]))
        d.add(PolyLine([c for y, v in pts for c in at(y, v)],
                       strokeColor=colors.HexColor("#2f5a8f"), strokeWidth=1.2))
        for y, v in pts:
            cx, cy = at(y, v)
            d.add(Rect(cx - 1.2, cy - 1.2, 2.4, 2.4, fillColor=colors.HexColor("#2f5a8f"),
                       strokeColor=None))
        last_y, last_v = pts[-1]
        d.add(String(x0 - axis_w + 2, y0 + plot_h + 6, f"{key}: {format_measure(last_v, units[key])}"
                     f" năm {last_y}", fontName=FONT + "-Bold", fontSize=8))
        d.add(String(x0, y0 - 9, str(first), fontName=FONT, fontSize=7, fillColor=MUTED))
        d.add(String(x0 + plot_w, y0 - 9, str(max(years)), fontName=FONT, fontSize=7,
                     fillColor=MUTED, textAnchor="end"))
    return d


class _Scale:
    """Maps (year, value) to a point in one trend panel whose y-axis starts at zero."""

    def __init__(self, x0, y0, w, h, first, last, top):
        self.x0, self.y0, self.w, self.h = x0, y0, w, h
        self.first, self.span, self.top = first, (last - first) or 1, top

    def __call__(self, year, value) -> tuple[float, float]:
        return (self.x0 + (year - self.first) / self.span * self.w,
                self.y0 + float(value) / self.top * self.h)
