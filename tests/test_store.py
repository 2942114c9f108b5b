"""The profile database: a real SQLite file, its pragmas, audit, rules on save and migrations."""

import json
import sqlite3
import subprocess
import sys

import pytest
from sqlmodel import SQLModel

from kh75_desktop.errors import KH75Error
from kh75_desktop.figures import Figure
from kh75_desktop.profile import open_store
from kh75_desktop.safe_text import REPLACEMENT
from kh75_desktop.storage.database import DB_FILE_NAME, open_engine, schema_head
from kh75_desktop.storage.store import RuleViolation

W = "14464"


def test_pragmas_on_every_connection(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_save_figure_writes_value_and_audit(store, data_dir):
    store.save_figure(W, 2026, Figure("live_births", count=180, source="tram_y_te"), who="Hoa")
    store.save_figure(W, 2026, Figure("live_births", count=181, source="tram_y_te",
                                      note="bổ sung 1 ca"), who="Hoa")
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    assert con.execute("SELECT count, note FROM figure WHERE element='live_births'").fetchall() == \
        [(181, "bổ sung 1 ca")]
    audit = con.execute("SELECT old, new, who FROM audit ORDER BY id").fetchall()
    assert len(audit) == 2 and audit[0][0] is None and '"count": 181' in audit[1][1]
    # saving the same figure again is no change and no audit row
    assert not store.save_figure(W, 2026, Figure("live_births", count=181, source="tram_y_te",
                                                 note="bổ sung 1 ca"), who="Hoa").changed
    assert len(store.audit(W, 2026)) == 2


def test_hard_rule_refuses_and_changes_nothing(store):
    store.save_figure(W, 2026, Figure("deaths_under1", count=2), who="Hoa")
    with pytest.raises(RuleViolation) as err:
        store.save_figure(W, 2026, Figure("deaths_neonatal", count=3), who="Hoa")
    assert not err.value.needs_explanation
    assert "sơ sinh" in err.value.message
    assert "deaths_neonatal" not in store.figures(W, 2026)
    assert len(store.audit(W)) == 1


def test_soft_rule_needs_an_explanation_which_is_stored(store):
    store.save_figure(W, 2025, Figure("children_injured", count=40), who="Hoa")
    with pytest.raises(RuleViolation) as err:
        store.save_figure(W, 2026, Figure("children_injured", count=95), who="Hoa")
    assert err.value.needs_explanation
    out = store.save_figure(W, 2026, Figure("children_injured", count=95,
                                            explanation="Lũ tháng 9 gây nhiều thương tích"),
                            who="Hoa")
    assert out.warnings and store.figures(W, 2026)["children_injured"].explanation.startswith("Lũ")


def test_missing_with_reason_is_not_zero(store):
    store.save_figure(W, 2026, Figure("child_marriages", missing_reason="Tư pháp chưa tổng hợp"),
                      who="Hoa")
    f = store.figures(W, 2026)["child_marriages"]
    assert f.count is None and f.is_explained_gap and f.number is None


def test_report_completes_when_all_answered_and_locks_after_export(store):
    from kh75_desktop.demo import demo_figures

    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    assert store.report_status(W, 2026).status == "complete"
    store.set_report_status(W, 2026, "exported", version=1)
    with pytest.raises(KH75Error, match="khóa"):
        store.save_figure(W, 2026, Figure("live_births", count=1), who="Hoa")
    store.set_report_status(W, 2026, "returned")
    from sqlmodel import Session

    from kh75_desktop.storage.models import FeedbackCommentRow

    with Session(store.engine) as s:  # Sở Y tế's comment on 3a reopens its two figures only
        s.add(FeedbackCommentRow(ward_code=W, year=2026, version=1, feedback_id="f", measure="3a",
                                 comment="kiểm tra", elements='["deaths_neonatal", "live_births"]'))
        s.commit()
    with pytest.raises(KH75Error, match="chỉ mở khóa"):
        store.save_figure(W, 2026, Figure("schools_total", count=99), who="Hoa")
    births = store.figures(W, 2026)["live_births"].count
    store.save_figure(W, 2026, Figure("live_births", count=births + 5, source="tram_y_te"),
                      who="Hoa")
    assert store.report_status(W, 2026).status == "corrected"


def test_migration_schema_matches_models(data_dir, tmp_path):
    """The Alembic-made schema and SQLModel's declared tables agree column by column."""
    open_engine(data_dir / DB_FILE_NAME)
    from sqlalchemy import create_engine, inspect

    import kh75_desktop.storage.models  # noqa: F401  (registers the tables)
    import kh75_desktop.storage.province_models  # noqa: F401  (and Sở Y tế's)

    declared = create_engine(f"sqlite:///{tmp_path / 'declared.sqlite3'}")
    SQLModel.metadata.create_all(declared)
    migrated = inspect(create_engine(f"sqlite:///{data_dir / DB_FILE_NAME}"))
    ref = inspect(declared)
    assert set(ref.get_table_names()) == set(migrated.get_table_names()) - {"alembic_version"}
    for table in ref.get_table_names():
        cols = {c["name"]: (str(c["type"]), c["nullable"]) for c in ref.get_columns(table)}
        got = {c["name"]: (str(c["type"]), c["nullable"]) for c in migrated.get_columns(table)}
        assert cols.keys() == got.keys(), table
        assert {k: v[1] for k, v in cols.items()} == {k: v[1] for k, v in got.items()}, table


def test_current_schema_opens_without_importing_alembic(store, data_dir):
    code = ("import sys; from kh75_desktop.storage.database import open_engine; "
            f"open_engine(__import__('pathlib').Path({str(data_dir / DB_FILE_NAME)!r})); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_head_revision_known_without_alembic_matches_alembic():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from kh75_desktop.storage.database import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert ScriptDirectory.from_config(cfg).get_current_head() == schema_head()


def test_database_from_a_newer_version_is_refused_untouched(store, data_dir):
    path = data_dir / DB_FILE_NAME
    store.engine.dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(KH75Error, match="phiên bản KH75 mới hơn"):
        open_store(data_dir)
    assert path.read_bytes() == before


def test_corrupt_file_gives_clear_message(tmp_path):
    (tmp_path / DB_FILE_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(KH75Error, match="bị hỏng"):
        open_store(tmp_path)


def test_contacts_add_edit_remove(store):
    from kh75_desktop.storage.models import ContactRow

    c = store.save_contact(ContactRow(name="Trạm y tế xã", phone="0229 3868 123"))
    c.phone = "0229 3868 124"
    store.save_contact(c)
    assert [(x.name, x.phone) for x in store.contacts()] == [("Trạm y tế xã", "0229 3868 124")]
    store.delete_contact(c.id)
    assert store.contacts() == []
    with pytest.raises(KH75Error):
        store.save_contact(ContactRow(name=" ", phone="1"))


def test_profile_under_a_wrong_package_code_moves_to_the_right_one(data_dir):
    """A profile set up as Phủ Lý under 13291 (vietnam-provinces' code; 13291 is Phù Vân's) moves
    to 13285 with its figures and history when the schema is upgraded: one commune, not two."""
    import sqlite3

    from conftest import downgrade_to

    from kh75_desktop.profile import open_store

    s = open_store(data_dir)
    s.engine.dispose()
    downgrade_to(data_dir / DB_FILE_NAME, "0003")
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    con.execute("INSERT INTO profile (id, mode, ward_code, ward_name, ward_kind, officer, phone, "
                "current_year, created_at, updated_at) VALUES (1, 'commune', '13291', "
                "'Phường  Phủ Lý', 'phuong', 'Trần Văn An', '', 2026, '', '')")
    con.execute("INSERT INTO figure (ward_code, year, element, count, note, explanation, "
                "updated_by, updated_at) VALUES ('13291', 2026, 'live_births', 310, '', '', "
                "'Trần Văn An', '')")
    con.execute("INSERT INTO audit (ward_code, year, element, new, who, at) VALUES ('13291', "
                "2026, 'live_births', '{\"count\": 310}', 'Trần Văn An', '')")
    con.commit()
    con.close()
    s = open_store(data_dir)
    p = s.profile()
    assert (p.ward_code, p.ward_name) == ("13285", "Phường Phủ Lý")
    assert s.figures("13285", 2026)["live_births"].count == 310
    assert s.figures("13291", 2026) == {}
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    assert con.execute("SELECT COUNT(*) FROM audit WHERE ward_code='13291'").fetchone()[0] == 0
    assert con.execute("SELECT COUNT(*) FROM audit WHERE ward_code='13285'").fetchone()[0] >= 1
    con.close()


def test_versions_received_before_the_summary_columns_are_summed_up_when_the_profile_opens(
        tmp_path):
    """Revision 0008 keeps with each version its count of answered measures and its officer's
    name and phone, which the communes table and the contact list read instead of every
    payload: versions already stored are summed up from their documents when the profile opens
    (the migration itself never imports the app)."""
    from kh75_desktop.catalogue import load_catalogue
    from kh75_desktop.demo import demo_figures
    from kh75_desktop.measures import answered_measures
    from kh75_desktop.profile import open_store

    path = tmp_path / "Sở Y tế #1" / DB_FILE_NAME
    path.parent.mkdir()
    open_engine(path).dispose()
    full = {f.element: f for f in demo_figures("14464", 2026)}
    part = {k: full[k] for k in ("live_births", "deaths_neonatal")}
    con = sqlite3.connect(path)
    for index in ("ix_submission_unsummed", "ix_submission_summary", "ix_submission_contact",
                  "ix_submission_identity"):
        con.execute(f"DROP INDEX {index}")
    for column in ("answered", "officer", "phone"):  # the file as 0007 left it
        con.execute(f"ALTER TABLE submission DROP COLUMN {column}")
    con.execute("UPDATE alembic_version SET version_num='0007'")
    for ward, figures in (("14464", full), ("14467", part)):
        doc = json.dumps({"figures": [f.to_json() for f in figures.values()],
                          "officer": {"name": "Lê Văn\nAn " + ward, "phone": "0912345678"}})
        con.execute("INSERT INTO submission (ward_code, year, version, package_id, "
                    "manifest_sha256, received_at, status, soft_findings, figures) "
                    "VALUES (?, 2026, 1, ?, '', '2026-11-02T00:00:00+00:00', 'received', '[]', ?)",
                    (ward, "p-" + ward, doc))
    con.commit()
    con.close()
    open_store(path.parent, check=False).engine.dispose()
    con = sqlite3.connect(path)
    got = dict(con.execute("SELECT ward_code, answered FROM submission"))
    left = con.execute("SELECT COUNT(*) FROM submission INDEXED BY ix_submission_unsummed "
                       "WHERE answered IS NULL").fetchone()[0]
    contacts = set(con.execute("SELECT ward_code, officer, phone FROM submission"))
    con.close()
    # one line each: the control character shows as a mark
    assert contacts == {("14464", "Lê Văn" + REPLACEMENT + "An 14464", "0912345678"),
                        ("14467", "Lê Văn" + REPLACEMENT + "An 14467", "0912345678")}
    catalogue = load_catalogue()
    assert got == {"14464": answered_measures(catalogue, full),
                   "14467": answered_measures(catalogue, part)}
    assert got["14464"] == 34 and 0 < got["14467"] < 34
    assert left == 0


def test_a_figure_text_past_its_limit_is_never_saved(store):
    from kh75_desktop.figures import TEXT_LIMITS

    long_note = Figure("live_births", count=120, note="Theo sổ A1. " + "x" * 500)
    with pytest.raises(RuleViolation) as err:
        store.save_figure(W, 2026, long_note, who="Hoa")
    assert "Số trẻ đẻ ra sống trong năm: ghi chú dài 512 ký tự, quá giới hạn 500 ký tự" \
        in str(err.value)
    assert store.figures(W, 2026) == {}
    with pytest.raises(RuleViolation, match="giải thích dài 1.001 ký tự"):  # a template's set
        store.save_figures(W, 2026, [Figure("live_births", count=120, explanation="x" * 1001)],
                           who="Hoa")
    assert store.figures(W, 2026) == {}
    at_limit = Figure("live_births", count=120, note="n" * TEXT_LIMITS["note"])
    store.save_figure(W, 2026, at_limit, who="Hoa")
    assert store.figures(W, 2026)["live_births"].note == at_limit.note
