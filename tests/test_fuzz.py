"""Property-based fuzzing of every reader of outside input: packages, key files, templates and
catalogue files get random and mutated bytes; only clean, explained refusals may come out, and a
refused package changes nothing. Example counts are fixed so CI runs the same amount each time."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from world import COMMUNE_PASS, YEAR, confirmed, db_digest

from kh75_desktop.catalogue import CATALOGUE_PATH, parse_catalogue
from kh75_desktop.errors import KH75Error
from kh75_desktop.packages.commune_side import export_submission
from kh75_desktop.packages.container import PackageRejected, read_package_bytes
from kh75_desktop.packages.keys import CommuneKey, parse_province_key_file


def fuzz(cases: int) -> settings:
    return settings(max_examples=cases, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])
PACKAGE_CASES, BYTES_CASES, KEY_CASES, TEMPLATE_CASES, CATALOGUE_CASES = 150, 300, 200, 60, 200


def mutate(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for kind, pos, value in edits:
        if not out:
            break
        i = pos % len(out)
        if kind == 0:
            out[i] ^= (value % 255) + 1
        elif kind == 1:
            del out[i:i + 1 + value % 16]
        else:
            out[i:i] = bytes([value % 256]) * (1 + value % 8)
    return bytes(out)


EDITS = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**7), st.integers(0, 10**4)),
                 min_size=1, max_size=6)


@pytest.fixture(scope="module")
def received(world_template, tmp_path_factory):
    """A province that has taken in commune A's package, and that package's bytes."""
    w = world_template.copy_to(tmp_path_factory.mktemp("fuzz") / "w")
    out = tmp_path_factory.mktemp("fuzz-out")
    path = export_submission(w.store(w.a), w.a, YEAR, out, COMMUNE_PASS).path
    w.ingest([path], confirmed(w.a))
    return w, path.read_bytes(), tmp_path_factory.mktemp("fuzz-files")


@fuzz(PACKAGE_CASES)
@given(edits=EDITS)
def test_mutated_packages_are_refused_cleanly_and_change_nothing(received, edits):
    w, good, folder = received
    f = folder / "mutated.kh75"
    f.write_bytes(mutate(good, edits))
    before = db_digest(w.prov)
    results = w.ingest([f])
    assert [r.outcome for r in results] in (["rejected"], ["duplicate"])
    assert "lỗi không mong đợi" not in results[0].message
    assert db_digest(w.prov) == before


@fuzz(BYTES_CASES)
@given(data=st.binary(max_size=4096))
def test_random_bytes_are_not_a_package(data):
    with pytest.raises(PackageRejected):
        read_package_bytes(data, "x")


@fuzz(KEY_CASES)
@given(edits=EDITS, which=st.sampled_from(["secret", "public", "province"]))
def test_mutated_key_files_are_refused_cleanly(world_template, tmp_path_factory, edits, which):
    from kh75_desktop.packages.keys import ProvinceKeys

    keys = world_template.a / "keys"
    if which == "province":
        data = mutate(ProvinceKeys(world_template.prov).key_file.read_bytes(), edits)
        try:
            parse_province_key_file(data)
        except KH75Error:
            pass
        return
    folder = tmp_path_factory.mktemp("k")
    (folder / "keys").mkdir()
    for name in ("commune.key", "commune.pub"):
        (folder / "keys" / name).write_bytes((keys / name).read_bytes())
    target = folder / "keys" / ("commune.key" if which == "secret" else "commune.pub")
    target.write_bytes(mutate(target.read_bytes(), edits))
    try:
        if which == "secret":
            CommuneKey(folder).unlock(COMMUNE_PASS)
        else:
            CommuneKey(folder).public_key()
    except KH75Error:
        pass


@pytest.fixture(scope="module")
def template_bytes(world_template):
    from kh75_desktop.reports.template import build_template

    return build_template(world_template.store(world_template.a), YEAR + 1)


@fuzz(TEMPLATE_CASES)
@given(edits=EDITS)
def test_mutated_templates_are_refused_cleanly(world_template, template_bytes, edits):
    from kh75_desktop.reports.template import read_template

    store = world_template.store(world_template.a)
    try:
        read_template(store, mutate(template_bytes, edits), "mẫu")
    except KH75Error:
        pass


@fuzz(CATALOGUE_CASES)
@given(path=st.lists(st.sampled_from(["measures", "elements", "rules", "indicators", "goals", 0,
                                      3, "key", "unit", "targets", "2026", "op", "value",
                                      "numerator", "kind", "left"]), min_size=1, max_size=4),
       value=st.one_of(st.none(), st.integers(), st.text(max_size=8), st.floats(allow_nan=True),
                       st.lists(st.integers(), max_size=2), st.booleans()))
def test_mutated_catalogues_are_refused_cleanly(path, value):
    data = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    node = data
    for step in path[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return
    try:
        node[path[-1]] = value
    except (IndexError, TypeError):
        return
    try:
        parse_catalogue(data)
    except KH75Error:
        pass


def test_fuzz_case_count_for_the_record():
    total = PACKAGE_CASES + BYTES_CASES + KEY_CASES + TEMPLATE_CASES + CATALOGUE_CASES
    assert total == 910
