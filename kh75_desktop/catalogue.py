"""The catalogue of plan 75/KH-UBND: goals, indicators, data elements, measures, targets and rules.

The catalogue is data (`data/catalogue.json`, versioned); this module loads it, validates it and
offers it as typed objects. Validation fails loudly on a broken file, in Vietnamese, naming the item.
"""

from __future__ import annotations

import json
import operator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Callable

from .errors import KH75Error

CATALOGUE_PATH = Path(__file__).parent / "data" / "catalogue.json"

UNITS = {"%": Decimal(100), "permille": Decimal(1000), "per100k": Decimal(100000), "yesno": None,
         "count": None}
UNIT_LABELS = {"%": "%", "permille": "‰", "per100k": "/100.000", "yesno": "", "count": ""}
COMPARATORS = {"<", "<=", ">=", "=", "reduce_pct"}
DIRECTIONS = {"up", "down"}
ELEMENT_KINDS = {"count", "yesno"}
COMMUNE_KINDS = ("xa", "phuong")
TARGET_YEARS = ("2026", "2030")
MILESTONES = (2026, 2030)
PLAN_YEARS = range(2025, 2031)
# How a measure is judged (see measures.py): every child counted, rare events, a measured share,
# a yes/no fact, a count compared with last year.
MEASURE_KINDS = {"register", "rare", "prevalence", "yesno", "count"}
RULE_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne}
MISSING_STRATEGIES = {"skip_if_any", "skip_if_all", "never_skip"}
IMPORTANCES = {"hard", "soft"}


@dataclass(frozen=True)
class Target:
    op: str
    value: Decimal
    value_max: Decimal | None = None
    # True for 2027-2029: a point on the straight line between the plan's 2026 and 2030 figures,
    # never to be printed as if the plan had set it.
    interpolated: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "value": _json_number(self.value)}
        if self.interpolated:
            out["interpolated"] = True
        if self.value_max is not None:
            out["value_max"] = _json_number(self.value_max)
        return out


@dataclass(frozen=True)
class Element:
    key: str
    kind: str  # "count" or "yesno"
    source: str
    name: str
    definition: str
    population: bool = False  # a head count (children, pupils, schools): stable year to year
    max_count: int | None = None  # no commune or ward can have more: bounds every input's work


@dataclass(frozen=True)
class Measure:
    key: str
    indicator: int
    goal: int
    name: str
    unit: str
    direction: str
    lead: str
    partners: tuple[str, ...]
    numerator: str
    denominator: str | None
    # year -> Target, or year -> {"xa": Target, "phuong": Target}, or year -> None
    targets: dict[str, Target | dict[str, Target] | None]
    kind: str = "register"  # one of MEASURE_KINDS
    kind_reason: str = ""  # why this kind, in words for Sở Y tế to check
    subject: str = "trẻ"  # what the denominator counts, for shortfalls ("còn 6 trẻ")
    # A numerator over its denominator is impossible ("hard") unless the plan's definition allows
    # it: completion against a cohort (pupils move in), or two registers kept by different offices
    # (14: the civil-status book may list a few more than the health station), "soft" beyond a
    # tolerance of `over_percent` % plus `over_count`.
    over_importance: str = "hard"
    over_percent: Decimal = Decimal(0)
    over_count: int = 0
    level_note: str = ""  # a province-level measure: what the commune can and cannot know
    hide_small_counts: bool = False  # 1-4 cases printed as "< 5": they could name the child

    @property
    def factor(self) -> Decimal | None:
        return UNITS[self.unit]

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None

    @property
    def per_commune_kind(self) -> bool:
        """Does the plan set different targets for xã and phường (4c)?"""
        return any(isinstance(t, dict) for t in self.targets.values())

    def milestone(self, year: int, commune_kind: str) -> Target | None:
        t = self.targets.get(str(year))
        return t[commune_kind] if isinstance(t, dict) else t

    @cached_property
    def _targets(self) -> dict[tuple[int, str], Target | None]:
        return {}  # cached_property writes the instance's __dict__: allowed on a frozen class

    def target_for(self, year: int, commune_kind: str) -> Target | None:
        """The target in force for a year.

        Through 2026 the plan's 2026 figure, from 2030 its 2030 figure; 2027-2029 lie on the
        straight line between the two, marked as interpolated. A measure without a 2026 figure
        (5b, 6) has no target before 2030, and a yearly cut (13) is the same every year.
        Worked out once per year and kind: one measure's 3,321 communes ask twice each.
        """
        key = (year, commune_kind)
        if key not in self._targets:
            self._targets[key] = self._target_in_force(year, commune_kind)
        return self._targets[key]

    def _target_in_force(self, year: int, commune_kind: str) -> Target | None:
        first, last = (self.milestone(y, commune_kind) for y in MILESTONES)
        if year <= MILESTONES[0]:
            return first
        if year >= MILESTONES[1] or last is None:
            return last
        if first is None:
            return None
        if first.op == "reduce_pct" or first.value == last.value:
            return last
        share = Decimal(year - MILESTONES[0]) / Decimal(MILESTONES[1] - MILESTONES[0])
        return Target(last.op, first.value + (last.value - first.value) * share,
                      interpolated=True)


@dataclass(frozen=True)
class Rule:
    id: str
    left: str
    op: str
    right: str
    missing: str
    importance: str
    message: str
    elements: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    indicator: int
    goal: int
    lead: str
    partners: tuple[str, ...]
    plan_text: str
    short: str = ""  # a few words for lists: "Tử vong trẻ em"


@dataclass(frozen=True)
class Catalogue:
    version: str
    plan: str
    deadline_month: int
    deadline_day: int
    cutoff_month: int
    cutoff_day: int
    goals: dict[int, str]
    sources: dict[str, str]
    leads: dict[str, str]
    indicators: dict[int, Indicator]
    elements: dict[str, Element]
    measures: dict[str, Measure]
    rules: tuple[Rule, ...]
    year_change: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def measure_elements(self) -> tuple[tuple[str, ...], ...]:
        """Each measure's element keys (its numerator, and its denominator when it has one),
        worked out once: Sở Y tế asks this of every package it takes in."""
        return tuple(tuple(k for k in (m.numerator, m.denominator) if k)
                     for m in self.measures.values())

    @cached_property
    def count_limits(self) -> dict[str, int]:
        """Each count element's largest possible value (a yes/no element has none)."""
        return {k: e.max_count for k, e in self.elements.items() if e.kind == "count"}

    @cached_property
    def yesno_keys(self) -> frozenset[str]:
        return frozenset(k for k, e in self.elements.items() if e.kind == "yesno")

    @cached_property
    def compiled_rules(self) -> tuple[tuple[Rule, Callable, Callable, Callable], ...]:
        """Each rule with its two sides compiled and its comparison looked up, once: Sở Y tế
        checks every package it takes in, 3,000 and more at a time."""
        from .expressions import compile_expression

        return tuple((r, compile_expression(r.left), compile_expression(r.right), RULE_OPS[r.op])
                     for r in self.rules)

    @cached_property
    def ratio_measures(self) -> tuple[Measure, ...]:
        """Rates with a denominator (%, per mille, per 100,000): their numerator counts among
        the denominator's people."""
        return tuple(m for m in self.measures.values() if m.denominator is not None)

    def measures_of_indicator(self, indicator: int) -> list[Measure]:
        return [m for m in self.measures.values() if m.indicator == indicator]

    def elements_of_indicator(self, indicator: int) -> list[Element]:
        keys: list[str] = []
        for m in self.measures_of_indicator(indicator):
            for k in (m.denominator, m.numerator):
                if k and k not in keys:
                    keys.append(k)
        return [self.elements[k] for k in keys]

    def measures_using(self, element: str) -> list[Measure]:
        return [m for m in self.measures.values() if element in (m.numerator, m.denominator)]

    def to_json(self) -> dict[str, Any]:
        """The shape `kh75 catalogue --json` prints for other tools."""
        measures = []
        for m in self.measures.values():
            targets: dict[str, Any] = {}
            for year, t in m.targets.items():
                if t is None:
                    targets[year] = None
                elif isinstance(t, dict):
                    targets[year] = {kind: tk.to_json() for kind, tk in t.items()}
                else:
                    targets[year] = t.to_json()
            measures.append({
                "key": m.key, "indicator": m.indicator, "goal": m.goal, "name": m.name,
                "unit": m.unit, "direction": m.direction, "lead": self.leads[m.lead],
                "partners": [self.leads[p] for p in m.partners],
                "numerator": m.numerator, "denominator": m.denominator, "targets": targets,
                "kind": m.kind, "kind_reason": m.kind_reason,
                "plan_text": self.indicators[m.indicator].plan_text,
            })
        elements = [{"key": e.key, "kind": e.kind, "name": e.name, "source": e.source,
                     "source_name": self.sources[e.source], "definition": e.definition,
                     "measures": [m.key for m in self.measures_using(e.key)]}
                    for e in self.elements.values()]
        return {"version": self.version, "plan": self.plan,
                "goals": [{"goal": g, "name": n} for g, n in self.goals.items()],
                "measures": measures, "elements": elements,
                "rules": [{"id": r.id, "left": r.left, "op": r.op, "right": r.right,
                           "missing": r.missing, "importance": r.importance,
                           "message": r.message} for r in self.rules]}


def _json_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


class _Validator:
    """Collects every problem in a catalogue file, so one run names them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def check(self, ok: bool, message: str) -> bool:
        if not ok:
            self.problems.append(message)
        return ok


def _parse_target(raw: Any, where: str, v: _Validator) -> Target | None:
    if not isinstance(raw, dict) or not v.check(raw.get("op") in COMPARATORS,
                                                f"{where}: phép so sánh không hợp lệ {raw!r}"):
        return None
    value = raw.get("value")
    if not v.check(isinstance(value, (int, float)) and not isinstance(value, bool),
                   f"{where}: giá trị chỉ tiêu phải là số"):
        return None
    vmax = raw.get("value_max")
    return Target(raw["op"], Decimal(str(value)), Decimal(str(vmax)) if vmax is not None else None)


def parse_catalogue(data: Any) -> Catalogue:
    """Build and validate a catalogue from decoded JSON; raise KH75Error listing every problem."""
    v = _Validator()
    if not isinstance(data, dict):
        raise KH75Error("Danh mục chỉ tiêu không hợp lệ: tệp không phải là một đối tượng JSON.")
    try:
        goals = {int(g["goal"]): str(g["name"]) for g in data["goals"]}
        sources = {str(s["key"]): str(s["name"]) for s in data["sources"]}
        leads = {str(k): str(n) for k, n in data["leads"].items()}
        indicators: dict[int, Indicator] = {}
        for raw in data["indicators"]:
            num = int(raw["indicator"])
            v.check(num not in indicators, f"Chỉ tiêu {num} bị khai báo hai lần")
            v.check(int(raw["goal"]) in goals, f"Chỉ tiêu {num}: mục tiêu {raw['goal']} không có")
            v.check(raw["lead"] in leads, f"Chỉ tiêu {num}: cơ quan chủ trì {raw['lead']} không có")
            partners = tuple(raw.get("partners", ()))
            for p in partners:
                v.check(p in leads, f"Chỉ tiêu {num}: cơ quan phối hợp {p} không có")
            indicators[num] = Indicator(num, int(raw["goal"]), raw["lead"], partners,
                                        str(raw["plan_text"]), str(raw.get("short", ""))[:60])
        elements: dict[str, Element] = {}
        for raw in data["elements"]:
            key = str(raw["key"])
            v.check(key not in elements, f"Số liệu '{key}' bị khai báo hai lần")
            v.check(raw["kind"] in ELEMENT_KINDS, f"Số liệu '{key}': loại '{raw['kind']}' không hợp lệ")
            v.check(raw["source"] in sources, f"Số liệu '{key}': nguồn '{raw['source']}' không có")
            max_count = raw.get("max")
            v.check((raw["kind"] == "count") == (type(max_count) is int and max_count > 0),
                    f"Số liệu '{key}': số đếm cần giới hạn tối đa 'max' (số nguyên dương)")
            elements[key] = Element(key, raw["kind"], raw["source"], str(raw["name"]),
                                    str(raw["definition"]), bool(raw.get("population", False)),
                                    max_count if type(max_count) is int else None)
        measures: dict[str, Measure] = {}
        for raw in data["measures"]:
            key = str(raw["key"])
            where = f"Chỉ tiêu đo '{key}'"
            v.check(key not in measures, f"{where} bị khai báo hai lần")
            unit = raw["unit"]
            v.check(unit in UNITS, f"{where}: đơn vị '{unit}' không hợp lệ")
            v.check(raw["direction"] in DIRECTIONS, f"{where}: hướng '{raw['direction']}' không hợp lệ")
            ind = int(raw["indicator"])
            if not v.check(ind in indicators, f"{where}: chỉ tiêu {ind} không có"):
                continue
            num, den = raw["numerator"], raw["denominator"]
            v.check(num in elements, f"{where}: tử số '{num}' không có trong danh mục số liệu")
            if den is not None:
                v.check(den in elements, f"{where}: mẫu số '{den}' không có trong danh mục số liệu")
            if unit in ("%", "permille", "per100k"):
                v.check(den is not None, f"{where}: đơn vị tỷ lệ cần mẫu số")
            elif unit in UNITS:
                v.check(den is None, f"{where}: đơn vị '{unit}' không dùng mẫu số")
            if unit == "yesno" and num in elements:
                v.check(elements[num].kind == "yesno", f"{where}: cần số liệu Có/Không")
            kind = raw.get("kind")
            if v.check(kind in MEASURE_KINDS, f"{where}: cách đánh giá '{kind}' không hợp lệ"):
                expected_kind = {"yesno": "yesno", "count": "count"}.get(unit)
                v.check(expected_kind is None and kind not in ("yesno", "count")
                        or kind == expected_kind,
                        f"{where}: cách đánh giá '{kind}' không hợp với đơn vị '{unit}'")
                v.check(kind not in ("register", "prevalence") or unit == "%",
                        f"{where}: cách đánh giá '{kind}' cần đơn vị %")
            v.check(bool(str(raw.get("kind_reason", "")).strip()),
                    f"{where}: thiếu lý do chọn cách đánh giá")
            over = raw.get("over_denominator", {"importance": "hard"})
            v.check(isinstance(over, dict) and over.get("importance") in IMPORTANCES,
                    f"{where}: 'over_denominator' phải có mức độ hard hoặc soft")
            targets: dict[str, Target | dict[str, Target] | None] = {}
            raw_targets = raw.get("targets", {})
            for year in TARGET_YEARS:
                v.check(year in raw_targets, f"{where}: thiếu chỉ tiêu năm {year}")
                rt = raw_targets.get(year)
                if rt is None:
                    targets[year] = None
                elif isinstance(rt, dict) and "op" not in rt:
                    v.check(set(rt) == set(COMMUNE_KINDS), f"{where}: chỉ tiêu theo loại xã/phường")
                    targets[year] = {kind: _parse_target(rt.get(kind), f"{where} năm {year}", v)
                                     for kind in COMMUNE_KINDS}
                else:
                    t = _parse_target(rt, f"{where} năm {year}", v)
                    if t is not None and t.op == "reduce_pct":
                        v.check(unit == "count", f"{where}: 'reduce_pct' chỉ dùng cho số đếm")
                    targets[year] = t
            measures[key] = Measure(
                key=key, indicator=ind, goal=indicators[ind].goal, name=str(raw["name"]),
                unit=unit, direction=raw["direction"], lead=indicators[ind].lead,
                partners=indicators[ind].partners, numerator=num, denominator=den,
                targets=targets, kind=str(kind), kind_reason=str(raw.get("kind_reason", "")),
                subject=str(raw.get("subject", "trẻ")), over_importance=str(over["importance"]),
                over_percent=Decimal(str(over.get("percent", 0))),
                over_count=int(over.get("count", 0)), level_note=str(raw.get("level_note", "")),
                hide_small_counts=raw.get("hide_small_counts", False) is True)
        for num in indicators:
            v.check(any(m.indicator == num for m in measures.values()),
                    f"Chỉ tiêu {num} không có chỉ số nào")
        rules = []
        from .expressions import names_in  # deferred: only needed to validate rules
        ids: set[str] = set()
        for raw in data.get("rules", []):
            rid = str(raw["id"])
            v.check(rid not in ids, f"Quy tắc '{rid}' bị khai báo hai lần")
            ids.add(rid)
            v.check(raw["op"] in RULE_OPS, f"Quy tắc '{rid}': phép so sánh '{raw['op']}' không hợp lệ")
            v.check(raw["missing"] in MISSING_STRATEGIES,
                    f"Quy tắc '{rid}': cách xử lý thiếu số liệu không hợp lệ")
            v.check(raw["importance"] in IMPORTANCES, f"Quy tắc '{rid}': mức độ không hợp lệ")
            names: list[str] = []
            for side in ("left", "right"):
                try:
                    names += names_in(raw[side])
                except KH75Error as err:
                    v.problems.append(f"Quy tắc '{rid}': {err.message}")
            for n in names:
                v.check(n in elements, f"Quy tắc '{rid}': số liệu '{n}' không có trong danh mục")
            rules.append(Rule(rid, raw["left"], raw["op"], raw["right"], raw["missing"],
                              raw["importance"], str(raw["message"]), tuple(dict.fromkeys(names))))
    except (KeyError, TypeError, ValueError) as err:
        raise KH75Error(f"Danh mục chỉ tiêu không hợp lệ: thiếu hoặc sai trường {err}.") from err
    if v.problems:
        raise KH75Error("Danh mục chỉ tiêu không hợp lệ:\n- " + "\n- ".join(v.problems))
    deadline = data.get("reporting_deadline", {"month": 11, "day": 15})
    cutoff = data.get("reporting_cutoff", {"month": 10, "day": 31})
    return Catalogue(
        version=str(data["version"]), plan=str(data.get("plan", "")),
        deadline_month=int(deadline["month"]), deadline_day=int(deadline["day"]),
        cutoff_month=int(cutoff["month"]), cutoff_day=int(cutoff["day"]),
        goals=goals, sources=sources, leads=leads, indicators=indicators, elements=elements,
        measures=measures, rules=tuple(rules), year_change=dict(data.get("year_change", {})))


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate a catalogue file; the bundled one is cached."""
    if path is None:
        return _bundled()
    return _load(path)


def _load(path: Path) -> Catalogue:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise KH75Error(f"Không đọc được danh mục chỉ tiêu {path}: {err}") from err
    return parse_catalogue(data)


@cache
def _bundled() -> Catalogue:
    return _load(CATALOGUE_PATH)
