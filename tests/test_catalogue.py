"""The catalogue holds the plan's 34 measures with the targets exactly as the plan states them."""

import json
from decimal import Decimal

import pytest

from kh75_desktop.catalogue import CATALOGUE_PATH, parse_catalogue
from kh75_desktop.errors import KH75Error

# Transcribed independently from section II.2 of 75/KH-UBND: key -> (unit, direction, 2026, 2030).
PLAN = {
    "1": ("yesno", "up", (">=", 65), (">=", 80)),
    "2": ("%", "up", (">=", 90), (">=", 95)),
    "3a": ("permille", "down", ("<", 5.0), ("<", 4.8)),
    "3b": ("permille", "down", ("<=", 6.0), ("<=", 5.8)),
    "3c": ("permille", "down", ("<", 9.0), ("<", 8.8)),
    "4a": ("%", "down", ("<", 9), ("<", 6)),
    "4b": ("%", "down", ("<=", 15), ("<", 13)),
    "5a": ("%", "up", (">=", 97), (">=", 98)),
    "5b": ("%", "up", None, (">=", 98)),
    "6": ("%", "down", None, ("<", 2)),
    "7": ("%", "up", ("=", 100), ("=", 100)),
    "8a": ("%", "down", ("<", 5), ("<", 4.5)),
    "8b": ("%", "up", (">=", 90), (">=", 95)),
    "9": ("%", "down", ("<", 3), ("<", 2)),
    "10": ("%", "down", ("<", 4.9), ("<=", 4.5)),
    "11a": ("per100k", "down", ("<=", 550), ("<=", 500)),
    "11b": ("per100k", "down", ("<=", 16), ("<=", 15)),
    "12": ("%", "up", ("=", 100), ("=", 100)),
    "13": ("count", "down", ("reduce_pct", 2), ("reduce_pct", 2)),
    "14": ("%", "up", (">=", 98.5), ("=", 100)),
    "15": ("%", "up", (">=", 99.1), (">=", 99.3)),
    "16": ("%", "up", (">=", 99.1), (">=", 99.3)),
    "17a": ("%", "up", (">=", 97), (">=", 99)),
    "17b": ("%", "down", ("<", 0.12), ("<", 0.1)),
    "18a": ("%", "up", (">=", 88), (">=", 93)),
    "18b": ("%", "down", ("<", 0.14), ("<", 0.05)),
    "19": ("%", "up", (">=", 95), (">=", 95)),
    "20a": ("%", "up", (">=", 55), (">=", 60)),
    "20b": ("%", "up", (">=", 80), (">=", 90)),
    "21": ("yesno", "up", (">=", 40), (">=", 45)),
    "22": ("%", "up", (">=", 30), (">=", 35)),
    "23": ("%", "up", (">=", 85), (">=", 90)),
    "24": ("%", "up", (">=", 30), (">=", 35)),
}
LEADS = {"Sở Tư pháp": {"14"}, "Sở Văn hóa và Thể thao": {"21"},
         "Sở Giáo dục và Đào tạo": {"7", "15", "16", "17a", "17b", "18a", "18b", "19", "20a", "20b"}}


def test_measures_in_plan_order(catalogue):
    keys = list(catalogue.measures)
    assert len(keys) == 34
    assert keys[:8] == ["1", "2", "3a", "3b", "3c", "4a", "4b", "4c"]
    assert keys[-3:] == ["22", "23", "24"]
    assert sorted({m.indicator for m in catalogue.measures.values()}) == list(range(1, 25))
    assert [m.goal for m in catalogue.measures.values() if m.indicator in (8, 14, 15, 22)] == \
        [2, 2, 2, 3, 4]


@pytest.mark.parametrize("key", list(PLAN))
def test_target_unit_direction_as_the_plan_states(catalogue, key):
    unit, direction, t26, t30 = PLAN[key]
    m = catalogue.measures[key]
    assert (m.unit, m.direction) == (unit, direction)
    for year, expected in (("2026", t26), ("2030", t30)):
        t = m.targets[year]
        if expected is None:
            assert t is None
        else:
            assert (t.op, t.value) == (expected[0], Decimal(str(expected[1])))


def test_obesity_target_differs_for_rural_and_urban(catalogue):
    m = catalogue.measures["4c"]
    for year in (2026, 2030):
        assert (m.target_for(year, "xa").op, m.target_for(year, "xa").value) == ("<", 5)
        assert m.target_for(year, "phuong").value == 10


def test_lead_departments_follow_section_vi(catalogue):
    data = catalogue.to_json()
    for m in data["measures"]:
        expected = next((lead for lead, keys in LEADS.items() if m["key"] in keys), "Sở Y tế")
        assert m["lead"] == expected, m["key"]


def test_shared_elements_are_entered_once(catalogue):
    users = [m.key for m in catalogue.measures_using("live_births")]
    assert users == ["3a", "3b", "3c"]
    # 7 counts every school for children (kindergartens too); 19 and 20a "trường học": schools,
    # counted as schools rather than sites; 22 and 23 share the children aged 7-15
    assert [m.key for m in catalogue.measures_using("schools_total")] == ["7"]
    assert [m.key for m in catalogue.measures_using("schools_general")] == ["19", "20a"]
    assert [m.key for m in catalogue.measures_using("children_7_15")] == ["22", "23"]


def test_json_shape_for_other_tools(catalogue):
    data = json.loads(json.dumps(catalogue.to_json()))
    m = next(x for x in data["measures"] if x["key"] == "4c")
    assert m["targets"]["2026"] == {"xa": {"op": "<", "value": 5}, "phuong": {"op": "<", "value": 10}}
    m13 = next(x for x in data["measures"] if x["key"] == "13")
    assert m13["targets"]["2030"]["op"] == "reduce_pct" and m13["numerator"] == "child_marriages"
    assert m13["denominator"] is None
    element_keys = {e["key"] for e in data["elements"]}
    for x in data["measures"]:
        assert x["numerator"] in element_keys
        assert x["denominator"] is None or x["denominator"] in element_keys
    assert all(e["definition"] for e in data["elements"])


def _raw():
    return json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))


def test_validation_names_a_measure_pointing_at_a_missing_element():
    raw = _raw()
    raw["measures"][2]["denominator"] = "births_typo"
    with pytest.raises(KH75Error, match="3a.*births_typo"):
        parse_catalogue(raw)


def test_validation_catches_duplicates_and_unknown_units():
    raw = _raw()
    raw["measures"].append(dict(raw["measures"][0]))
    raw["elements"].append(dict(raw["elements"][0]))
    raw["measures"][5]["unit"] = "percent"
    with pytest.raises(KH75Error) as err:
        parse_catalogue(raw)
    text = str(err.value)
    assert "'1' bị khai báo hai lần" in text
    assert "child_friendly_commune' bị khai báo hai lần" in text
    assert "đơn vị 'percent'" in text


def test_validation_refuses_code_in_rule_expressions():
    raw = _raw()
    raw["rules"][0]["right"] = "__import__('os').system('true')"
    with pytest.raises(KH75Error, match="không được phép"):
        parse_catalogue(raw)
