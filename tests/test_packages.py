"""The whole exchange loop on real files: export, intake, enrolment, feedback, correction."""

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from world import COMMUNE_PASS, PROVINCE_DECRYPT_PASS, PROVINCE_PASS, YEAR, confirmed, db_digest

from kh75_desktop.errors import KH75Error
from kh75_desktop.figures import Figure
from kh75_desktop.packages.commune_side import export_submission, import_feedback
from kh75_desktop.packages.container import MANIFEST, PAYLOAD_AGE, SIGNATURE
from kh75_desktop.packages.enrolment import enrol
from kh75_desktop.packages.intake import (
    ACCEPTED,
    DUPLICATE,
    PENDING,
    REJECTED,
    ingest,
    package_files,
)
from kh75_desktop.packages.keys import CommuneKey, key_fingerprint
from kh75_desktop.packages.province_side import (
    commune_statuses,
    parse_comment,
    province_measures,
    submitted_figures,
    write_feedback,
)
from kh75_desktop.storage.exchange import ExchangeStore


def export(world, which, tmp_path):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return export_submission(world.store(which), which, YEAR, out, COMMUNE_PASS)


def fp(which):
    return key_fingerprint(CommuneKey(which).public_key())


def test_package_layout(world, tmp_path):
    result = export(world, world.a, tmp_path)
    assert result.path.name == "KH75-14464-Xa-Gia-Vien-2026-v1.kh75"
    with zipfile.ZipFile(result.path) as zf:
        assert [i.filename for i in zf.infolist()] == [MANIFEST, SIGNATURE, PAYLOAD_AGE]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())
        manifest = json.loads(zf.read(MANIFEST))
        assert b"Gia" not in zf.read(PAYLOAD_AGE)  # the payload reveals nothing
        sig = zf.read(SIGNATURE).decode()
    assert manifest["kind"] == "submission" and manifest["issuer"]["ward_code"] == "14464"
    assert manifest["sequence"] == 1 and manifest["year"] == YEAR
    assert f"trusted comment: kh75 kind=submission id={manifest['package_id']} ward=14464 " \
           f"year={YEAR} seq=1" in sig
    store = world.store(world.a)
    assert store.report_status("14464", YEAR).status == "exported"
    with pytest.raises(KH75Error, match="khóa"):
        store.save_figure("14464", YEAR, Figure("live_births", count=1), who="x")


def test_whole_loop(world, tmp_path):
    export(world, world.a, tmp_path)
    export(world, world.b, tmp_path)
    prov = world.store(world.prov)
    first = world.ingest([tmp_path / "out"])
    assert [r.outcome for r in first] == [PENDING, PENDING]
    assert first[0].fingerprint == fp(world.a)
    assert submitted_figures(prov, "14464", YEAR) == {}  # nothing before the key is confirmed
    with pytest.raises(KH75Error, match="không khớp"):
        enrol(prov, world.prov, "14464", "11111 22222 33333 44444 55555 66666",
              PROVINCE_DECRYPT_PASS)
    assert [r.outcome for r in enrol(prov, world.prov, "14464", fp(world.a), PROVINCE_DECRYPT_PASS)] == \
        [ACCEPTED]
    second = world.ingest([tmp_path / "out"], confirmed(world.b))
    assert sorted(r.outcome for r in second) == [ACCEPTED, DUPLICATE]
    statuses = {s.commune.code: s for s in commune_statuses(prov, YEAR)}
    assert len(statuses) == 129 and statuses["14464"].status == "received"
    assert statuses["14464"].version == 1 and statuses["14464"].completeness == 34
    # province figures are the sums of the two communes
    fa, fb = world.store(world.a).figures("14464", YEAR), \
        world.store(world.b).figures(second[0].ward or first[1].ward, YEAR)
    births = next(r for r in province_measures(prov, YEAR) if r.result.key == "3a")
    assert births.communes == 2
    assert births.result.denominator == fa["live_births"].count + fb["live_births"].count

    outbox = tmp_path / "outbox"
    fb_path = write_feedback(prov, world.prov, "14464", YEAR, "return",
                             [parse_comment("3a: Kiểm tra lại số tử vong sơ sinh", prov.catalogue)],
                             PROVINCE_PASS, outbox).path
    commune = world.store(world.a)
    res = import_feedback(commune, world.a, fb_path)
    assert res.decision == "return" and [c.measure for c in res.comments] == ["3a"]
    assert commune.report_status("14464", YEAR).status == "returned"
    again = import_feedback(commune, world.a, fb_path)
    assert again.decision is None and "đã được nhập" in again.message
    with pytest.raises(KH75Error, match="chỉ mở khóa"):
        commune.save_figure("14464", YEAR, Figure("schools_total", count=3), who="Hoa")
    commune.save_figure("14464", YEAR, Figure("deaths_neonatal", count=0, source="tram_y_te"),
                        who="Hoa")
    ExchangeStore(commune.engine).answer_comment(res.comments[0].id, "Đã sửa theo sổ A6.")
    v2 = export(world, world.a, tmp_path)
    assert v2.version == 2 and v2.path.name.endswith("-v2.kh75")
    third = world.ingest([v2.path])
    assert [r.outcome for r in third] == [ACCEPTED]
    assert submitted_figures(prov, "14464", YEAR)["deaths_neonatal"].count == 0
    assert [s.version for s in ExchangeStore(prov.engine).submissions(YEAR, "14464")] == [1, 2]
    log = ExchangeStore(prov.engine).packages("14464", YEAR, "submission", "in")
    responses = json.loads(log[-1].detail)
    assert responses == [{"measure": "3a", "comment": "Kiểm tra lại số tử vong sơ sinh",
                          "answer": "Đã sửa theo sổ A6."}]
    ok = write_feedback(prov, world.prov, "14464", YEAR, "accept", [], PROVINCE_PASS, outbox).path
    assert import_feedback(commune, world.a, ok).decision == "accept"
    assert commune.report_status("14464", YEAR).status == "accepted"
    # the older feedback (for version 1) is now refused, and changes nothing
    before = db_digest(world.a)
    with pytest.raises(KH75Error):
        import_feedback(commune, world.a, outbox / "missing.kh75")
    assert db_digest(world.a) == before


def test_export_refuses_incomplete_year_and_wrong_passphrase(world, tmp_path):
    store = world.store(world.a)
    out = tmp_path / "o"
    out.mkdir()
    with pytest.raises(KH75Error, match="chưa đủ"):
        export_submission(store, world.a, YEAR + 1, out, COMMUNE_PASS)
    before = db_digest(world.a)
    with pytest.raises(KH75Error, match="Mật khẩu không đúng"):
        export_submission(store, world.a, YEAR, out, "sai-mat-khau")
    with pytest.raises(KH75Error, match="Chưa nhập mật khẩu"):
        export_submission(store, world.a, YEAR, out, "")
    assert list(out.iterdir()) == [] and db_digest(world.a) == before


def test_a_folder_gives_its_package_files_in_name_order(tmp_path):
    folder = tmp_path / "Gói nhận #3 (Ổ D)"
    (folder / "c-2026-1.kh75").mkdir(parents=True)  # a folder named like a package is not one
    for name in ("b-2026-2.kh75", "b-2026-1.kh75", "xã Ân Thi.kh75", ".kh75", "ghi chú.txt",
                 "a.kh75.bak"):
        (folder / name).write_bytes(b"")
    single = tmp_path / "một gói.kh75"
    assert package_files([single, folder]) == [
        single, folder / "b-2026-1.kh75", folder / "b-2026-2.kh75", folder / "xã Ân Thi.kh75"]


@pytest.mark.parametrize("batch", [1, 64])
def test_a_version_that_cannot_be_written_is_refused_alone_and_taken_in_later(
        world, tmp_path, monkeypatch, batch):
    from kh75_desktop.packages import version_batch

    monkeypatch.setattr(version_batch, "BATCH", batch)
    export(world, world.a, tmp_path)
    export(world, world.b, tmp_path)
    assert [r.outcome for r in world.ingest([tmp_path / "out"], confirmed(world.a, world.b))] \
        == [ACCEPTED, ACCEPTED]  # keys enrolled; the 2025 versions below go through batches
    later = tmp_path / "Gói năm 2025 #2"
    later.mkdir()
    a, b = (export_submission(world.store(w), w, YEAR - 1, later, COMMUNE_PASS).path
            for w in (world.a, world.b))
    (later / "zz-bản sao.kh75").write_bytes(b.read_bytes())  # the same package sent twice
    ward_b = world.store(world.b).profile().ward_code
    con = sqlite3.connect(world.prov / "kh75.sqlite3")
    con.execute(f"CREATE TRIGGER full_disk BEFORE INSERT ON submission WHEN NEW.ward_code = "
                f"'{ward_b}' BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    con.commit()
    results = {r.file: r for r in world.ingest([later])}
    assert results[a.name].outcome == ACCEPTED
    for name in (b.name, "zz-bản sao.kh75"):  # refused, and not then taken for a duplicate
        assert results[name].outcome == REJECTED
        assert "không lưu được vào cơ sở dữ liệu" in results[name].message
    prov = ExchangeStore(world.store(world.prov).engine)
    assert [s.version for s in prov.submissions(YEAR - 1, "14464")] == [1]
    assert prov.submissions(YEAR - 1, ward_b) == []
    assert prov.packages(ward_b, YEAR - 1, "submission", "in") == []
    con.execute("DROP TRIGGER full_disk")
    con.commit()
    con.close()
    again = {r.file: r.outcome for r in world.ingest([later])}
    assert again == {a.name: DUPLICATE, b.name: ACCEPTED, "zz-bản sao.kh75": DUPLICATE}
    assert [s.version for s in prov.submissions(YEAR - 1, ward_b)] == [1]


def test_passphrase_change(world):
    key = CommuneKey(world.a)
    key.change_passphrase(COMMUNE_PASS, "mat-khau-moi-5678")
    key.unlock("mat-khau-moi-5678")
    with pytest.raises(KH75Error, match="không đúng"):
        key.unlock(COMMUNE_PASS)


@pytest.mark.parametrize("opslimit", [1 << 40, (1 << 64) - 1])
def test_key_file_asking_for_endless_work_is_refused_at_once(world, opslimit):
    """A damaged or tampered key file whose scrypt limits would freeze unlocking for hours (found
    by the fuzz test) is named as damaged instead, before any key derivation runs."""
    import base64
    import time

    path = world.a / "keys" / "commune.key"
    comment, line = path.read_text().splitlines()[:2]
    raw = bytearray(base64.b64decode(line))
    raw[38:46] = opslimit.to_bytes(8, "little")  # after algorithms (6 bytes) and salt (32)
    path.write_text(f"{comment}\n{base64.b64encode(bytes(raw)).decode()}\n")
    start = time.perf_counter()
    with pytest.raises(KH75Error, match="bị hỏng"):
        CommuneKey(world.a).unlock(COMMUNE_PASS)
    assert time.perf_counter() - start < 5


def test_ingest_with_wrong_province_passphrase_is_refused(world, tmp_path):
    export(world, world.a, tmp_path)
    prov = world.store(world.prov)
    before = db_digest(world.prov)
    with pytest.raises(KH75Error, match="Mật khẩu giải mã không đúng"):
        ingest(prov, world.prov, [tmp_path / "out"], "sai")
    assert db_digest(world.prov) == before


def _commune_as(folder, code: str, name: str, world) -> None:
    """A commune profile as any app version made it, code and name as given."""
    from kh75_desktop.demo import demo_figures
    from kh75_desktop.packages.commune_side import create_commune_key, import_province_key
    from kh75_desktop.packages.keys import ProvinceKeys
    from kh75_desktop.profile import open_store

    store = open_store(folder)
    store.save_profile(mode="commune", ward_code=code, ward_name=name, ward_kind="phuong",
                       officer="Trần Văn An", phone="", current_year=YEAR)
    store.save_figures(code, YEAR, demo_figures(code, YEAR), who="An")
    import_province_key(store, ProvinceKeys(world.prov).key_file.read_bytes())
    create_commune_key(store, folder, COMMUNE_PASS)


def test_a_package_made_under_a_wrong_code_is_taken_in_under_the_right_one(world, tmp_path):
    """An earlier version set Phủ Lý up under 13291 (Phù Vân's code): Sở Y tế takes its report
    in under 13285 and says so; Phù Vân's own report stays under 13291. Never two communes."""
    old, genuine = tmp_path / "Phủ Lý (bản cũ)", tmp_path / "Phù Vân"
    _commune_as(old, "13291", "Phường Phủ Lý", world)
    _commune_as(genuine, "13291", "Phường Phù Vân", world)
    out = tmp_path / "out"
    out.mkdir()
    export_submission(world.store(old), old, YEAR, out, COMMUNE_PASS)
    results = world.ingest([out], {"13285": fp(old)})
    assert results[0].outcome == ACCEPTED and results[0].ward == "13285"
    assert "mã cũ 13291 của Phường Phủ Lý" in results[0].message and "13285" in results[0].message
    exchange = ExchangeStore(world.store(world.prov).engine)
    assert set(exchange.latest_submissions(YEAR)) == {"13285"}
    assert exchange.commune_key("13285").status == "enrolled"
    assert exchange.commune_key("13291") is None
    out2 = tmp_path / "out2"
    out2.mkdir()
    export_submission(world.store(genuine), genuine, YEAR, out2, COMMUNE_PASS)
    results = world.ingest([out2], confirmed(genuine))
    assert results[0].outcome == ACCEPTED and results[0].ward == "13291"
    assert "mã cũ" not in results[0].message
    assert set(exchange.latest_submissions(YEAR)) == {"13285", "13291"}


def test_province_reports_under_wrong_codes_move_on_upgrade(world, tmp_path):
    """Reports a province took in under the rotated codes before the fix move with their keys:
    13291 named Phủ Lý -> 13285, 13285 named Châu Sơn -> 13318, at once."""
    import sqlite3

    from conftest import downgrade_to

    from kh75_desktop.storage.database import DB_FILE_NAME

    out = tmp_path / "out"
    out.mkdir()
    export(world, world.a, tmp_path)
    world.ingest([out], confirmed(world.a))
    path = world.prov / DB_FILE_NAME
    downgrade_to(path, "0005")
    con = sqlite3.connect(path)
    doc = json.loads(con.execute("SELECT figures FROM submission").fetchone()[0])
    for code, name in (("13291", "Phường Phủ Lý"), ("13285", "Phường Châu Sơn")):
        doc["commune"] = {"code": code, "name": name, "kind": "phuong"}
        con.execute("INSERT INTO submission (ward_code, year, version, package_id, "
                    "manifest_sha256, received_at, status, soft_findings, figures) VALUES "
                    "(?, 2026, 1, ?, 'h', 't', 'received', '[]', ?)",
                    (code, f"p-{code}", json.dumps(doc, ensure_ascii=False)))
        con.execute("INSERT INTO commune_key VALUES (?, ?, 'k', ?, 'enrolled', 't', 't')",
                    (code, f"K{code}", f"fp-{code}"))
    con.commit()
    con.close()
    exchange = ExchangeStore(world.store(world.prov).engine)  # opening upgrades the schema
    assert {"13285", "13318", "14464"} == set(exchange.latest_submissions(YEAR))
    assert exchange.latest_submissions(YEAR)["13285"].package_id == "p-13291"
    assert exchange.commune_key("13285").key_id == "K13291"
    assert exchange.commune_key("13318").key_id == "K13285"
    assert exchange.commune_key("13291") is None


def test_an_export_cut_before_its_file_lands_is_landed_never_made_twice(world, tmp_path,
                                                                        monkeypatch):
    from kh75_desktop.packages import commune_side

    out = tmp_path / "out"
    out.mkdir()
    store = world.store(world.a)

    def cut(staged, final):
        raise OSError(5, "power cut")

    monkeypatch.setattr(commune_side, "_land", cut)
    with pytest.raises(OSError):
        export_submission(store, world.a, YEAR, out, COMMUNE_PASS)
    assert not list(out.glob("*.kh75"))  # nothing that looks sendable yet
    recorded = ExchangeStore(store.engine).packages(kind="submission", direction="out")
    assert len(recorded) == 1 and store.report_status("14464", YEAR).status == "exported"
    monkeypatch.undo()
    with pytest.raises(KH75Error, match="Tệp gói đã có tại"):
        export_submission(store, world.a, YEAR, out, COMMUNE_PASS)  # lands it, makes no v2
    files = list(out.glob("*.kh75"))
    assert [f.name for f in files] == [Path(recorded[0].file_name).name]
    results = world.ingest(files, confirmed(world.a))
    assert [r.outcome for r in results] == [ACCEPTED] and results[0].version == 1
    stray = out / ".KH75-14464-x-2026-v9.kh75.dang-ghi"  # staged but never recorded
    stray.write_bytes(b"x")
    commune_side.finish_interrupted_exports(store, out)
    assert not stray.exists()


def test_province_measures_are_kept_until_a_package_is_taken_in(world, tmp_path):
    """The measures page is instant on return (issue 19), and never shows stale sums."""
    (tmp_path / "1").mkdir()
    export(world, world.a, tmp_path / "1")
    world.ingest([tmp_path / "1" / "out"], confirmed(world.a))
    prov = world.store(world.prov)
    first = province_measures(prov, YEAR)
    assert province_measures(prov, YEAR)[0] is first[0]  # the same computation, reused
    births = next(r for r in first if r.result.key == "3a")
    assert births.communes == 1
    (tmp_path / "2").mkdir()
    export(world, world.b, tmp_path / "2")
    world.ingest([tmp_path / "2" / "out"], confirmed(world.b))
    births = next(r for r in province_measures(prov, YEAR) if r.result.key == "3a")
    assert births.communes == 2  # the new package's figures are counted at once
    # the year's counts were mended from the ones before, which are then let go: one kept
    from kh75_desktop.packages import province_side
    from kh75_desktop.storage.database import database_path

    place = (str(database_path(prov.engine)), YEAR)
    assert [k for k in province_side._COUNTS_CACHE if k[:2] == place] == \
        [province_side._figures_stamp(prov, YEAR)]


def test_the_communes_and_measures_stamps_follow_what_their_pages_show(world, tmp_path):
    """The communes page is kept on return while its stamp holds (issue 19): the stamp must move
    on a version taken in, on a decision, on a contact typed at Sở Y tế and on the next day; the
    measures' stamp on a version taken in but not on a decision, which changes no figure."""
    from datetime import date, timedelta

    from kh75_desktop.packages.chasing import communes_stamp, save_contact
    from kh75_desktop.packages.province_side import measure_communes, measures_stamp

    prov = world.store(world.prov)
    today = date(2026, 12, 1)
    empty = communes_stamp(prov, YEAR, today)
    assert communes_stamp(prov, YEAR, today) == empty
    export(world, world.a, tmp_path)
    world.ingest([tmp_path / "out"], confirmed(world.a))
    taken = communes_stamp(prov, YEAR, today)
    measures = measures_stamp(prov, YEAR)
    assert taken != empty
    assert communes_stamp(prov, YEAR, today + timedelta(days=1)) != taken
    m = prov.catalogue.measures["3a"]
    values, _flagged = measure_communes(prov, YEAR, m)
    assert [v.ward for v in values] == ["14464"]
    assert measure_communes(prov, YEAR, m)[0] is values  # a return to the measure: kept
    write_feedback(prov, world.prov, "14464", YEAR, "accept", [], PROVINCE_PASS,
                   tmp_path / "outbox")
    decided = communes_stamp(prov, YEAR, today)
    assert decided != taken
    assert measures_stamp(prov, YEAR) == measures
    save_contact(prov, "14467", "Lê Văn Tâm", "0912 000 111", "")
    assert communes_stamp(prov, YEAR, today) != decided
    (tmp_path / "b").mkdir()
    export(world, world.b, tmp_path / "b")
    world.ingest([tmp_path / "b" / "out"], confirmed(world.b))
    assert measures_stamp(prov, YEAR) != measures
    assert len(measure_communes(prov, YEAR, m)[0]) == 2  # the new version is counted at once


def test_one_measures_communes_pool_a_rare_event_over_the_years_the_commune_pools(
        world, monkeypatch):
    """Two deaths in 700 births three years running: the year alone and two years pooled cannot
    tell the target (< 5 per mille) from not, three years can (10.5 deaths expected). The table
    of one measure's communes at Sở Y tế must give the status the commune's own report gives,
    pooled over the same three years, not over two."""
    import kh75_desktop.packages.province_side as province_side
    from kh75_desktop.measures import MET, compute_measure

    prov = world.store(world.prov)
    m = prov.catalogue.measures["3a"]
    sent = {m.numerator: Figure(m.numerator, count=2), m.denominator: Figure(m.denominator,
                                                                             count=700)}
    years = {y: {"14464": sent} for y in range(YEAR - 2, YEAR + 1)}
    monkeypatch.setattr(province_side, "_figures_by_ward", lambda _store, y: years.get(y, {}))
    own = compute_measure(prov.catalogue, m, YEAR, "xa", sent,
                          {YEAR - 2: sent, YEAR - 1: sent})
    assert own.status == MET and own.pooled.years == (YEAR - 2, YEAR - 1, YEAR)
    values, _flagged = province_side.measure_communes(prov, YEAR, m)
    assert [(v.ward, v.status) for v in values] == [("14464", MET)]

def test_the_communes_table_and_contacts_are_read_from_indexes_alone(world):
    """Each version's row carries its whole payload document before the summary columns: the
    communes table, the contact list and the stamps must read covering indexes, never the rows
    (3 ms a query over a province's 1,290 versions otherwise)."""
    from sqlalchemy import text

    from kh75_desktop.packages import chasing, province_side

    prov = world.store(world.prov)
    statements = {"statuses": province_side.COMMUNE_STATUS_SQL,
                  "contacts": chasing.PACKAGE_CONTACTS_SQL,
                  "stamp": province_side.SUBMISSION_STAMP_SQL + " WHERE year = :y"}
    with prov.engine.connect() as conn:
        for name, sql in statements.items():
            plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql),
                                                              dict(y=YEAR)))
            steps = [step for part in plan.split("SEARCH ") for step in part.split("SCAN ")]
            reads = [step for step in steps if step.split(" ", 1)[0] in ("submission", "s")]
            assert reads and all("USING COVERING INDEX" in step for step in reads), (name, plan)


def test_a_communes_contact_is_the_one_its_newest_version_carried(world):
    """Latest year first, then the highest version (as a number: 10 after 9), even the largest
    version intake allows; a version that carried no contact leaves the one before it."""
    from kh75_desktop.packages.chasing import package_contacts
    from kh75_desktop.packages.manifest import MAX_SEQUENCE

    rows = [("11111", 2025, 3, "Cũ", "0901000001"), ("11111", 2026, 1, "Bình", "0901000002"),
            ("11111", 2026, 2, "", ""),
            ("22222", 2026, 9, "Chín", "0901000009"), ("22222", 2026, 10, "Mười", ""),
            ("33333", 2026, MAX_SEQUENCE, "Năm trước", "0901000003"),
            ("33333", 2027, 1, "Năm nay", "0901000004")]
    with sqlite3.connect(world.prov / "kh75.sqlite3") as con:
        for i, (ward, year, version, officer, phone) in enumerate(rows):
            con.execute("INSERT INTO submission (ward_code, year, version, package_id, "
                        "manifest_sha256, received_at, status, soft_findings, figures, "
                        "answered, officer, phone) VALUES (?, ?, ?, ?, ?, '2026-11-01', "
                        "'received', '[]', '{}', 0, ?, ?)",
                        (ward, year, version, f"p{i}", f"{i:064d}", officer, phone))
    book = package_contacts(world.store(world.prov))
    assert {w: (c.officer, c.phone) for w, c in book.items()} == {
        "11111": ("Bình", "0901000002"), "22222": ("Mười", ""),
        "33333": ("Năm nay", "0901000004")}
