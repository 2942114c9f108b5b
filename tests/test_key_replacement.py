"""A forgotten passphrase is not a dead end: a new key is made on purpose (never by accident),
the old one kept with its fingerprint in the history, and the new fingerprint said plainly; the
window creates a missing key with the passphrase rule up front."""

from __future__ import annotations

from world import COMMUNE_PASS

from kh75_desktop.cli import main
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
    first = key_fingerprint(CommuneKey(data_dir).public_key())
    assert first in page.key_msg.text() and page.forgot_btn.isVisible()
    assert page.forgot_passphrase(NEW_PASS + " mới")
    second = key_fingerprint(CommuneKey(data_dir).public_key())
    assert second != first and second in page.key_msg.text() and first in page.key_msg.text()
