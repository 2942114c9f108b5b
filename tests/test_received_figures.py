"""The figures Sở Y tế holds, read back once per version: after a version is taken in only that
one is parsed, each commune answers with its latest version, and a kept version is reused only
under its whole identity (row id and manifest hash), never its id alone."""

from __future__ import annotations

import json
import sqlite3

from world import COMMUNE_PASS, YEAR, confirmed

from kh75_desktop.packages import received_figures
from kh75_desktop.packages.commune_side import export_submission
from kh75_desktop.packages.intake import ACCEPTED
from kh75_desktop.packages.province_side import commune_figures, period_summary

COLUMNS = ("ward_code, year, version, package_id, manifest_sha256, received_at, status, "
           "soft_findings, figures, answered, officer, phone")


def _taken_in(world, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for which in (world.a, world.b):
        export_submission(world.store(which), which, YEAR, out, COMMUNE_PASS)
    results = world.ingest([out], confirmed(world.a, world.b))
    assert [r.outcome for r in results] == [ACCEPTED, ACCEPTED]
    return world.store(world.prov)


def _with_count(document: str, element: str, count: int) -> str:
    doc = json.loads(document)
    for f in doc["figures"]:
        if f["element"] == element:
            f["count"] = count
    return json.dumps(doc, ensure_ascii=False)


def test_only_a_version_new_since_the_last_read_is_parsed(world, tmp_path, monkeypatch):
    prov = _taken_in(world, tmp_path)
    parsed = []
    real = received_figures._parsed
    monkeypatch.setattr(received_figures, "_parsed",
                        lambda ident, doc: parsed.append(ident[0]) or real(ident, doc))
    first = commune_figures(prov, YEAR)
    other = next(w for w in first if w != "14464")
    assert len(first) == 2 and len(parsed) == 2 and first["14464"]["deaths_neonatal"].count != 9
    # a second version of 14464 comes in, with another count of neonatal deaths
    with sqlite3.connect(world.prov / "kh75.sqlite3") as con:
        row = con.execute(f"SELECT {COLUMNS} FROM submission WHERE ward_code = '14464'").fetchone()
        values = list(row)
        values[2], values[3], values[4] = 2, "v2-package", "b" * 64
        values[8] = _with_count(row[8], "deaths_neonatal", 9)
        new_id = con.execute(f"INSERT INTO submission ({COLUMNS}) VALUES "
                             f"({', '.join('?' * len(values))})", values).lastrowid
    parsed.clear()
    second = commune_figures(prov, YEAR)
    assert parsed == [new_id]  # the other commune's version and the older one are not read again
    assert second["14464"]["deaths_neonatal"].count == 9
    assert second[other] == first[other]
    assert "0/2 xã, phường đã gửi số liệu chính thức" in period_summary(prov, YEAR)


def test_a_kept_version_is_reused_only_under_its_whole_identity(world, tmp_path):
    prov = _taken_in(world, tmp_path)
    before = received_figures.latest_versions(prov, YEAR)["14464"]
    assert before.figures["deaths_neonatal"].count != 5
    # the same row id now holds another version (a database put back from another copy)
    with sqlite3.connect(world.prov / "kh75.sqlite3") as con:
        document = con.execute("SELECT figures FROM submission WHERE id = ?",
                               (before.identity[0],)).fetchone()[0]
        con.execute("UPDATE submission SET manifest_sha256 = ?, figures = ? WHERE id = ?",
                    ("c" * 64, _with_count(document, "deaths_neonatal", 5), before.identity[0]))
    after = received_figures.latest_versions(prov, YEAR)["14464"]
    assert after.identity == (before.identity[0], "c" * 64)
    assert after.figures["deaths_neonatal"].count == 5
