"""Validation rules over a year's figures, the same engine at the commune and at Sở Y tế.

Rules come in the shape DHIS2 proved (left expression, operator, right expression, a strategy for
missing values, an importance) from the catalogue, plus rules every rate implies: a numerator never
exceeds its denominator. Hard findings keep an inconsistent set from being stored; soft findings
ask for an explanation. The year-on-year check tests the change against Poisson noise, so a commune
going from 1 death to 3 is not flagged while one going from 40 to 90 is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .catalogue import Catalogue
from .figures import Figure, overlong_text, overlong_words

HARD = "hard"
SOFT = "soft"


@dataclass(frozen=True)
class Finding:
    rule: str
    importance: str  # "hard" or "soft"
    elements: tuple[str, ...]
    message: str

    def concerns(self, element: str) -> bool:
        return element in self.elements


def over_max_words(element, count: int) -> str:
    from .numbers_vi import format_number

    shown = format_number(count) if count < 10**15 else "một số quá lớn"
    return (f"{element.name}: {shown} vượt giới hạn tối đa {format_number(element.max_count)} "
            "của một xã, phường — hãy kiểm tra lại (có thể gõ thừa chữ số).")


def check_figures(catalogue: Catalogue, figures: dict[str, Figure],
                  previous: dict[str, Figure] | None = None,
                  shape_checked: bool = False) -> list[Finding]:
    """Every hard and soft finding for one commune-year.

    `shape_checked`: each figure is already known to name a catalogue element, to be of its
    kind and non-negative (a payload read by `parse_payload`), so that pass is skipped."""
    # Plain ints (yes = 1): exact like Decimals, and much cheaper at Sở Y tế's 3,000 packages.
    values = {k: (f.count if f.count is not None else
                  (None if f.flag is None else int(f.flag))) for k, f in figures.items()}
    findings: list[Finding] = []
    for key, fig in ({} if shape_checked else figures).items():
        element = catalogue.elements.get(key)
        if element is None:
            findings.append(Finding("unknown_element", HARD, (key,),
                                    f"Số liệu '{key}' không có trong danh mục."))
            continue
        if fig.count is not None and fig.count < 0:
            findings.append(Finding("non_negative", HARD, (key,),
                                    f"{element.name}: số liệu không được âm."))
        if element.kind == "yesno" and fig.count is not None:
            findings.append(Finding("yesno_kind", HARD, (key,),
                                    f"{element.name}: chỉ nhận Có hoặc Không."))
        if element.kind == "count" and fig.flag is not None:
            findings.append(Finding("count_kind", HARD, (key,),
                                    f"{element.name}: cần nhập một số."))
        if element.max_count is not None and fig.count is not None \
                and fig.count > element.max_count:
            findings.append(Finding("max_count", HARD, (key,), over_max_words(element,
                                                                              fig.count)))
        if (field := overlong_text(fig._asdict())) is not None:
            findings.append(Finding("text_length", HARD, (key,), overlong_words(
                element.name, field, len(getattr(fig, field)))))
    for m in catalogue.ratio_measures:  # the numerator may not pass the denominator
        num, den = values.get(m.numerator), values.get(m.denominator)
        if num is None or den is None or num <= den:
            continue
        n_name = catalogue.elements[m.numerator].name
        d_name = catalogue.elements[m.denominator].name
        if m.over_importance == SOFT:
            if num * 100 <= den * (100 + m.over_percent) + 100 * m.over_count:
                continue  # within what two registers kept apart may differ by
            findings.append(Finding(f"ratio_{m.key}", SOFT, (m.numerator, m.denominator),
                                    f"Chỉ tiêu {m.key}: {n_name} ({num}) lớn hơn {d_name} ({den}); "
                                    "có thể do chuyển đến hoặc hai sổ khác nhau, hãy kiểm tra lại "
                                    "hoặc ghi giải thích."))
        else:
            findings.append(Finding(f"ratio_{m.key}", HARD, (m.numerator, m.denominator),
                                    f"Chỉ tiêu {m.key}: {n_name} ({num}) không thể lớn hơn "
                                    f"{d_name} ({den})."))
    zeroed: dict[str, int] | None = None
    for rule, left, right, holds in catalogue.compiled_rules:
        if rule.missing == "skip_if_any":
            if None in map(values.get, rule.elements):
                continue
            env = values
        else:
            if rule.missing == "skip_if_all" and all(values.get(n) is None for n in rule.elements):
                continue
            if zeroed is None:
                zeroed = {k: (v if v is not None else 0) for k, v in values.items()}
                zeroed.update({n: 0 for r in catalogue.rules for n in r.elements
                               if zeroed.get(n) is None})
            env = zeroed
        lhs, rhs = left(env), right(env)
        if lhs is None or rhs is None:
            continue
        if not holds(lhs, rhs):
            findings.append(Finding(rule.id, rule.importance, rule.elements, rule.message))
    if previous:
        findings.extend(_year_change(catalogue, figures, previous))
    # Never report the same element pair twice for one rule.
    return list(dict.fromkeys(findings))


def is_large_change(prev: int, value: int, min_relative: float, z: float) -> bool:
    """A change both large in relative terms and beyond Poisson noise (|x-y| > z*sqrt(x+y))."""
    if prev == value:
        return False
    relative = abs(value - prev) / max(prev, 1)
    return relative > min_relative and abs(value - prev) > z * math.sqrt(value + prev)


def _year_change(catalogue: Catalogue, figures: dict[str, Figure],
                 previous: dict[str, Figure]) -> list[Finding]:
    """Changes against last year that need an explanation: a head count (children, pupils,
    schools) moving more than 15 %; an event count both large and beyond Poisson noise; a rate
    moving further than chance allows for its size."""
    cfg = catalogue.year_change
    if not cfg:
        return []
    from .numbers_vi import format_number

    importance = cfg.get("importance", SOFT)
    out = []
    for key, fig in figures.items():
        prev = previous.get(key)
        element = catalogue.elements.get(key)
        if element is None or fig.count is None or prev is None or prev.count is None:
            continue
        if element.population and "population_relative" in cfg:
            change = (fig.count - prev.count) / max(prev.count, 1)
            if abs(change) > float(cfg["population_relative"]) and abs(fig.count - prev.count) > 2:
                message = cfg["population_message"].format(
                    pct=f"{change * 100:+.0f}", prev=format_number(prev.count),
                    value=format_number(fig.count))
                out.append(Finding("population_change", importance, (key,),
                                   f"{element.name}: {message}"))
            continue
        if is_large_change(prev.count, fig.count, float(cfg["min_relative"]), float(cfg["z"])):
            message = cfg["message"].format(prev=format_number(prev.count),
                                            value=format_number(fig.count))
            out.append(Finding("year_change", importance, (key,), f"{element.name}: {message}"))
    if "rate_z" in cfg:
        out.extend(_rate_changes(catalogue, figures, previous, float(cfg["rate_z"]),
                                 cfg["rate_message"], importance))
    return out


def _rate_changes(catalogue: Catalogue, figures: dict[str, Figure], previous: dict[str, Figure],
                  z_limit: float, message: str, importance: str) -> list[Finding]:
    """Two-sample z of this year's rate against last year's (binomial for shares, Poisson for
    rates per 1,000 or 100,000), flagged past `z_limit`: a rate that moved further than its
    interval allows."""
    from .numbers_vi import format_measure

    out = []
    for m in catalogue.ratio_measures:
        if m.kind not in ("rare", "prevalence"):
            continue  # a full register has no sampling noise to weigh a change against
        counts = []
        for figs in (figures, previous):
            n, d = figs.get(m.numerator), figs.get(m.denominator)
            counts.append(None if n is None or d is None or n.count is None or not d.count
                          else (n.count, d.count))
        if None in counts:
            continue
        (n1, d1), (n0, d0) = counts
        pooled = (n1 + n0) / (d1 + d0)
        spread = pooled * (1 - pooled) if m.unit == "%" and pooled <= 1 else pooled
        if spread <= 0:
            continue
        z = abs(n1 / d1 - n0 / d0) / math.sqrt(spread * (1 / d1 + 1 / d0))
        if z > z_limit:
            factor = m.factor
            text = message.format(key=m.key,
                                  prev=format_measure(factor * n0 / d0, m.unit),
                                  value=format_measure(factor * n1 / d1, m.unit))
            out.append(Finding(f"rate_change_{m.key}", importance, (m.numerator,), text))
    return out


def hard(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.importance == HARD]


def soft(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.importance == SOFT]
