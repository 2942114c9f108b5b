"""The `kh75` command line, run as a child process like a script or a user would."""

import json
import sqlite3
from fractions import Fraction

import pytest
from conftest import run_kh75

FACTORS = {"%": 100, "permille": 1000, "per100k": 100000}


def test_help_works():
    out = run_kh75("--help")
    assert out.returncode == 0
    assert "Kế hoạch 75/KH-UBND" in out.stdout
    for cmd in ("catalogue", "communes", "setup", "demo", "status", "check"):
        assert cmd in out.stdout


def test_catalogue_json():
    data = json.loads(run_kh75("catalogue", "--json").stdout)
    assert len(data["measures"]) == 34 and data["version"]
    m = {x["key"]: x for x in data["measures"]}
    assert m["3a"]["targets"] == {"2026": {"op": "<", "value": 5}, "2030": {"op": "<", "value": 4.8}}
    assert m["14"]["lead"] == "Sở Tư pháp"


def test_communes_json():
    data = json.loads(run_kh75("communes", "--json").stdout)
    assert len(data) == 129
    assert sum(c["kind"] == "xa" for c in data) == 97
    assert {"code": "14464", "name": "Xã Gia Viễn", "kind": "xa"} in data


def test_demo_then_status_json_recomputed_by_hand(tmp_path):
    d = tmp_path / "demo"
    assert run_kh75("demo", "--year", "2026", data_dir=d).returncode == 0
    out = run_kh75("status", "--year", "2026", "--json", data_dir=d)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["commune"]["name"] == "Xã Gia Viễn" and len(data["measures"]) == 34
    assert data["completion"] == {"answered": 34, "total": 34}
    con = sqlite3.connect(d / "kh75.sqlite3")
    rows = con.execute("SELECT element, count, flag FROM figure WHERE year=2026").fetchall()
    values = {e: (c if c is not None else int(f)) for e, c, f in rows}
    catalogue = {m["key"]: m for m in json.loads(run_kh75("catalogue", "--json").stdout)["measures"]}
    for r in data["measures"]:
        m = catalogue[r["key"]]
        num = values[m["numerator"]]
        assert r["numerator"] == num
        if m["unit"] in FACTORS:
            den = values[m["denominator"]]
            if den == 0:
                assert r["value"] is None and r["status"] == "not_applicable"
                continue
            expected = Fraction(num * FACTORS[m["unit"]], den)
            assert abs(Fraction(str(r["value"])) - expected) < Fraction(1, 10000), r["key"]
            if r["interval"] is not None:
                lo, hi = r["interval"]
                assert lo <= float(expected) <= hi
        else:
            assert r["value"] == num
        assert r["status"] in {"met", "not_met", "borderline", "insufficient", "no_target", "no_data",
                               "not_applicable"}
        # what the issue on honest judging asked status --json to carry, per measure
        assert r["kind"] == m["kind"] and r["reason"]
        for field in ("interval", "pooled", "judged_on", "target", "target_interpolated",
                      "shortfall", "on_track", "on_track_label", "on_track_reason"):
            assert field in r, field
        if r["kind"] == "register" and r["target"] and r["value"] is not None:
            assert isinstance(r["shortfall"], int) and r["interval"] is None
        if r["judged_on"] == "pooled":
            assert len(r["pooled"]["years"]) >= 2


def test_status_without_profile_is_one_vietnamese_line(tmp_path):
    out = run_kh75("status", data_dir=tmp_path / "empty")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.strip().startswith("Lỗi: Chưa thiết lập hồ sơ")
    assert len(out.stderr.strip().splitlines()) == 1


def test_setup_refuses_unknown_commune(tmp_path):
    out = run_kh75("setup", "--commune", "99999", "--officer", "A", data_dir=tmp_path)
    assert out.returncode == 2 and "99999" in out.stderr and "Traceback" not in out.stderr
    ok = run_kh75("setup", "--commune", "14464", "--officer", "Trần Văn An", "--phone", "0912",
                  data_dir=tmp_path)
    assert ok.returncode == 0 and "Xã Gia Viễn" in ok.stdout


def test_data_dir_from_environment(tmp_path):
    out = run_kh75("demo", "--year", "2026", env={"KH75_DATA_DIR": str(tmp_path / "env")})
    assert out.returncode == 0
    assert (tmp_path / "env" / "kh75.sqlite3").exists()


def test_check_reports_sound_database(tmp_path):
    run_kh75("demo", data_dir=tmp_path)
    out = run_kh75("check", data_dir=tmp_path)
    assert out.returncode == 0 and "Toàn vẹn dữ liệu: tốt" in out.stdout


def test_status_imports_no_alembic_reportlab_or_openpyxl(tmp_path):
    import subprocess
    import sys

    run_kh75("demo", data_dir=tmp_path)
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "kh75_desktop.cli",
                          "--data-dir", str(tmp_path), "status", "--json"],
                         capture_output=True, text=True)
    assert out.returncode == 0
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines()}
    for heavy in ("alembic", "reportlab", "openpyxl", "PySide6", "vietnam_provinces"):
        assert heavy not in imported, heavy


def test_setup_imports_the_key_built_into_the_installer(tmp_path, monkeypatch, capsys,
                                                        world_template):
    """With no --province-key, `kh75 setup` takes the key Sở Y tế built into the bundle; a key
    already imported is never replaced by it."""
    import shutil

    from kh75_desktop import resources
    from kh75_desktop.cli import main
    from kh75_desktop.packages.keys import ProvinceKeys
    from kh75_desktop.profile import open_store
    from kh75_desktop.storage.exchange import ExchangeStore

    res = tmp_path / "res"
    (res / "keys").mkdir(parents=True)
    info = ProvinceKeys(world_template.prov).info()
    shutil.copy(ProvinceKeys(world_template.prov).key_file,
                res / "keys" / resources.BUNDLED_PROVINCE_KEY)
    monkeypatch.setattr(resources, "resources_dir", lambda: res)
    folder = tmp_path / "p"
    assert main(["--data-dir", str(folder), "setup", "--commune", "14464", "--officer", "Hoa"]) == 0
    out = capsys.readouterr().out
    assert "(đi kèm bộ cài đặt)" in out and info.fingerprint in out
    store = open_store(folder)
    assert ExchangeStore(store.engine).province_key().fingerprint == info.fingerprint
    store.engine.dispose()
    (res / "keys" / resources.BUNDLED_PROVINCE_KEY).write_bytes(b"{}")
    assert main(["--data-dir", str(folder), "setup", "--commune", "14464", "--officer", "Hoa"]) == 0
    assert "đi kèm" not in capsys.readouterr().out


def test_years_outside_the_plan_are_refused_everywhere(tmp_path):
    from kh75_desktop.errors import KH75Error
    from kh75_desktop.figures import Figure
    from kh75_desktop.profile import open_store

    d = tmp_path / "xa"
    assert run_kh75("demo", "--year", "2026", data_dir=d).returncode == 0
    for year in ("0", "-5", "1900", "99999"):
        out = run_kh75("set", "live_births", "400", "--year", year, "--explanation", "x",
                       data_dir=d)
        assert out.returncode == 2 and "nằm ngoài khoảng 2020–2031" in out.stderr, out.stderr
    store = open_store(d)
    with pytest.raises(KH75Error, match="ngoài khoảng"):
        store.save_figure("14464", 1900, Figure("live_births", count=1), who="x")
    assert sorted(store.years("14464")) == [2023, 2024, 2025, 2026]  # nothing stored elsewhere


def test_demo_never_overwrites_a_real_profile_and_check_says_what_is_wrong(tmp_path):
    import sqlite3

    d = tmp_path / "xa"
    assert run_kh75("setup", "--commune", "14494", "--officer", "An", data_dir=d).returncode == 0
    out = run_kh75("demo", data_dir=d)
    assert out.returncode == 2 and "--replace" in out.stderr
    assert run_kh75("demo", "--replace", "--commune", "14494", data_dir=d).returncode == 0
    assert run_kh75("check", data_dir=d).returncode == 0
    con = sqlite3.connect(d / "kh75.sqlite3")
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    out = run_kh75("check", data_dir=d)
    assert out.returncode == 2 and "mới hơn" in out.stdout


@pytest.mark.parametrize("entry", ["ui.launcher", "kh75_desktop.cli"])
def test_a_command_ends_with_its_output_whole_and_its_database_closed(tmp_path, entry):
    """The entry points freeze the heap before exit (cli.finish_process): the output must still
    arrive whole through a pipe, and every SQLite connection be closed first; an unclosed last
    connection would leave the write-ahead log beside the database."""
    import subprocess
    import sys

    assert run_kh75("demo", data_dir=tmp_path).returncode == 0
    for command in (["status", "--json"], ["set", "live_births", "350", "--year", "2026"]):
        out = subprocess.run([sys.executable, "-m", entry, "--data-dir", str(tmp_path), *command],
                             capture_output=True, text=True, encoding="utf-8")
        assert out.returncode == 0, out.stderr
        assert not (tmp_path / "kh75.sqlite3-wal").exists(), command
        assert not (tmp_path / "kh75.sqlite3-shm").exists(), command
    status = json.loads(subprocess.run([sys.executable, "-m", entry, "--data-dir", str(tmp_path),
                                        "status", "--json"], capture_output=True, text=True,
                                       encoding="utf-8").stdout)
    assert status["commune"]["code"] and len(status["measures"]) == 34


def test_only_the_named_command_is_built_and_help_or_a_typo_sees_them_all():
    import argparse

    from kh75_desktop.cli import build_parser

    def choices(parser):
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return sub.choices

    everything = choices(build_parser())
    assert {"status", "set", "report", "province"} <= set(everything)
    line = ["--data-dir", "ổ D #2", "status", "--json"]
    parser = build_parser(argv=line)
    assert set(choices(parser)) == {"status"}
    args = parser.parse_args(line)
    assert args.json and args.data_dir == "ổ D #2" and args.func.__name__ == "cmd_status"
    line = ["province", "ingest", "gói", "--passphrase-file", "p"]
    province = choices(build_parser(argv=line))
    assert set(province) == {"province"} and set(choices(province["province"])) == {"ingest"}
    for line in (["-h"], ["statsu"], ["province", "nhan"], ["status", "--help"]):
        assert choices(build_parser(argv=line)).keys() == everything.keys(), line
    assert set(choices(choices(build_parser(argv=["province"]))["province"])) == set(
        choices(everything["province"]))
