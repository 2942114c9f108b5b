"""A forgotten passphrase is not a dead end: a new key is made on purpose (never by accident),
the old one kept with its fingerprint in the history, and the new fingerprint said plainly; the
window creates a missing key with the passphrase rule up front."""

from __future__ import annotations

import pytest
from world import COMMUNE_PASS

from kh75_desktop.cli import main
from kh75_desktop.errors import KH75Error
from kh75_desktop.packages.commune_side import key_history, replace_commune_key
from kh75_desktop.packages.keys import CommuneKey, key_fingerprint

NEW_PASS = "sen nở hồ Gia Viễn tháng sáu"


def test_cli_refuses_to_replace_a_key_without_replace(world, capsys):
    before = key_fingerprint(CommuneKey(world.a).public_key())
    assert main(["--data-dir", str(world.a), "keys", "create"]) != 0
    err = capsys.readouterr().err
    assert "đã có khóa ký" in err and "--replace" in err and before in err
    assert key_fingerprint(CommuneKey(world.a).public_key()) == before


def test_cli_replace_keeps_the_old_key_and_prints_the_new_fingerprint(world, tmp_path, capsys):
    before = key_fingerprint(CommuneKey(world.a).public_key())
    secret = tmp_path / "pass.txt"
    secret.write_text(NEW_PASS, encoding="utf-8")
    assert main(["--data-dir", str(world.a), "keys", "create", "--replace",
                 "--passphrase-file", str(secret)]) == 0
    out = capsys.readouterr().out
    after = key_fingerprint(CommuneKey(world.a).public_key())
    assert after != before and after in out and before in out
    CommuneKey(world.a).unlock(NEW_PASS)  # the new passphrase opens the new key
    retired = list((world.a / "keys" / "retired").iterdir())
    assert len(retired) == 1 and (retired[0] / "commune.pub").exists()
    history = key_history(world.store(world.a))
    assert [h["fingerprint"] for h in history] == [before]
    assert history[0]["replaced_by"] == after


def test_cli_changes_the_passphrase(world, tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(COMMUNE_PASS, encoding="utf-8")
    new.write_text(NEW_PASS, encoding="utf-8")
    assert main(["--data-dir", str(world.a), "keys", "passphrase", "--passphrase-file", str(old),
                 "--new-passphrase-file", str(new)]) == 0
    CommuneKey(world.a).unlock(NEW_PASS)


def test_a_weak_passphrase_never_retires_the_old_key(world):
    import pytest

    from kh75_desktop.errors import KH75Error

    before = key_fingerprint(CommuneKey(world.a).public_key())
    with pytest.raises(KH75Error):
        replace_commune_key(world.store(world.a), world.a, "123456")
    assert key_fingerprint(CommuneKey(world.a).public_key()) == before
    assert not (world.a / "keys" / "retired").exists()


def test_window_creates_a_missing_key_and_replaces_a_forgotten_one(qtbot, store, data_dir):
    from ui.main_window import MainWindow

    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    w.show_page("packages")
    page = w.packages
    assert page.create_key_btn.isVisible() and not page.forgot_btn.isVisible()
    assert page.create_key(NEW_PASS)
    # making a key waits on scrypt: in a worker, the page's actions off meanwhile
    assert not page.progress.isHidden() and not page.export_btn.isEnabled()
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    first = key_fingerprint(CommuneKey(data_dir).public_key())
    assert first in page.key_msg.text() and page.forgot_btn.isVisible()
    assert page.forgot_passphrase(NEW_PASS + " mới")
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    second = key_fingerprint(CommuneKey(data_dir).public_key())
    assert second != first and second in page.key_msg.text() and first in page.key_msg.text()


def test_sở_y_tế_replaces_a_commune_key_and_refuses_the_revoked_one(world, tmp_path):
    import shutil

    from world import YEAR, confirmed

    from kh75_desktop.packages.commune_side import export_submission
    from kh75_desktop.packages.enrolment import enrol
    from kh75_desktop.packages.key_events import key_events
    from kh75_desktop.storage.exchange import ExchangeStore

    first = tmp_path / "v1"
    export_submission(world.store(world.a), world.a, YEAR, first, COMMUNE_PASS)
    world.ingest([first], confirmed(world.a))
    old_fp = key_fingerprint(CommuneKey(world.a).public_key())
    old_laptop = tmp_path / "máy cũ"
    shutil.copytree(world.a, old_laptop)  # the old key, still somewhere
    a = world.store(world.a)
    ward = a.profile().ward_code
    a.set_report_status(ward, YEAR, "returned", 1)  # so a version 2 may be sent
    _, new_fp = replace_commune_key(a, world.a, NEW_PASS)
    second = tmp_path / "v2"
    export_submission(a, world.a, YEAR, second, NEW_PASS)
    prov = world.store(world.prov)
    waiting = world.ingest([second])
    assert waiting[0].outcome == "pending" and new_fp in waiting[0].message
    try:
        enrol(prov, world.prov, ward, new_fp, None, identity=world.identity)
        raise AssertionError("an enrolled key is never replaced without saying so")
    except KH75Error as err:
        assert "--replace" in err.message
    results = enrol(prov, world.prov, ward, new_fp, None, identity=world.identity, replace=True)
    assert [r.outcome for r in results] == ["accepted"]
    exchange = ExchangeStore(prov.engine)
    assert exchange.commune_key(ward).fingerprint == new_fp
    events = [(e["event"], e["fingerprint"]) for e in key_events(prov)]
    assert events == [("revoked", old_fp), ("enrolled", new_fp)]
    late = tmp_path / "old-key-after"
    old = world.store(old_laptop)
    for version in (1, 2):  # a version 3, so that only the key can be the reason
        old.set_report_status(ward, YEAR, "returned", version)
        export_submission(old, old_laptop, YEAR, late / str(version), COMMUNE_PASS)
    late = late / "2"
    refused = world.ingest([late])
    assert refused[0].outcome == "rejected" and "đã bị thu hồi" in refused[0].message


def test_a_key_unlocked_before_it_was_replaced_signs_nothing(world, tmp_path):
    """A window unlocks the key in a worker and signs a moment later: a key replaced between
    the two (the CLI, another window) is the wrong key, told by its whole public key."""
    from world import PROVINCE_PASS, YEAR, confirmed

    from kh75_desktop.packages.commune_side import export_submission
    from kh75_desktop.packages.keys import ProvinceKeys
    from kh75_desktop.packages.province_side import write_feedback

    a = world.store(world.a)
    ward = a.profile().ward_code
    unlocked_before = CommuneKey(world.a).unlock(COMMUNE_PASS)
    replace_commune_key(a, world.a, NEW_PASS)
    out = tmp_path / "gửi đi"
    with pytest.raises(KH75Error, match="khóa đã được thay"):
        export_submission(a, world.a, YEAR, out, secret=unlocked_before)
    assert not out.exists() or not list(out.iterdir())
    assert a.report_status(ward, YEAR).status not in ("exported", "accepted")
    sent = export_submission(a, world.a, YEAR, out, secret=CommuneKey(world.a).unlock(NEW_PASS))
    assert sent.version == 1 and sent.path.exists()

    world.ingest([sent.path], confirmed(world.a))
    prov = world.store(world.prov)
    with pytest.raises(KH75Error, match="khóa đã được thay"):  # a commune's key is not Sở Y tế's
        write_feedback(prov, world.prov, ward, YEAR, "accept", [], None, tmp_path / "phản hồi",
                       secret=CommuneKey(world.a).unlock(NEW_PASS))
    written = write_feedback(prov, world.prov, ward, YEAR, "accept", [], None,
                             tmp_path / "phản hồi",
                             secret=ProvinceKeys(world.prov).unlock_signing(PROVINCE_PASS))
    assert written.path.exists()
