"""The recovery screen the window opens instead of a crash or a fresh profile when the database
is damaged, empty or gone: every backup listed by date, kind and content; restore, restore from
another file, or start afresh with the old file kept."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox

from kh75_desktop.backup import backup_catalogue, list_backups, make_backup, rotate
from kh75_desktop.demo import demo_figures
from kh75_desktop.errors import DatabaseCorrupt
from kh75_desktop.profile import open_store
from kh75_desktop.storage.database import DB_FILE_NAME

W = "14464"


def _damaged_profile(store, data_dir, damage="header"):
    """Two good backups (daily, then by hand with more figures), one damaged, then the live
    database damaged as a power cut or a bad disk would leave it."""
    store.save_figures(W, 2025, demo_figures(W, 2025), who="Hoa")
    daily = make_backup(data_dir, "hang-ngay")
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    manual = make_backup(data_dir, "thu-cong")
    broken = make_backup(data_dir, "dong-ung-dung")
    broken.write_bytes(b"\0" * 4096)
    store.engine.dispose()
    db = data_dir / DB_FILE_NAME
    for extra in ("-wal", "-shm"):
        db.with_name(db.name + extra).unlink(missing_ok=True)
    if damage == "header":
        data = bytearray(db.read_bytes())
        data[:100] = b"\x13" * 100
        db.write_bytes(bytes(data))
    elif damage == "deleted":
        db.unlink()
    with pytest.raises(DatabaseCorrupt) as raised:
        open_store(data_dir)
    return raised.value, daily, manual, broken


@pytest.mark.parametrize("damage", ["header", "deleted"])
def test_recovery_lists_every_backup_and_restores_the_newest_good(qtbot, store, data_dir,
                                                                  damage):
    from ui.recovery_dialog import RecoveryDialog

    problem, daily, manual, broken = _damaged_profile(store, data_dir, damage)
    dialog = RecoveryDialog(problem, data_dir)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert [e.path for e in table.entries] == [broken, manual, daily]  # newest first
    cells = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert cells[0][1] == "Khi đóng ứng dụng" and cells[0][2].startswith("Hỏng")
    assert cells[1][1] == "Sao lưu tay" and "108 số liệu, các năm 2025, 2026" in cells[1][2]
    assert cells[2][1] == "Hằng ngày" and "54 số liệu, các năm 2025" in cells[2][2]
    assert all("/" in row[0] and "T" not in row[0] for row in cells)  # 29/11/2026 15:20
    assert "kh75 restore" not in dialog.problem.text()  # no terminal advice in the window
    assert dialog.selected().path == manual and dialog.restore_btn.isEnabled()
    table.selectRow(0)  # the damaged one cannot be chosen
    assert dialog.selected() is None and not dialog.restore_btn.isEnabled()
    table.selectRow(1)
    assert dialog.restore(manual, "", confirm=False)
    assert dialog.result() == RecoveryDialog.DialogCode.Accepted
    again = open_store(data_dir)
    assert again.figures(W, 2026)["live_births"].count == demo_figures(W, 2026)[3].count
    kinds = [e.kind for e in backup_catalogue(data_dir)]
    if damage == "header":  # the damaged file moved aside byte for byte, listed, never rotated
        assert "Tệp hỏng được giữ lại" in kinds


def test_with_no_usable_backup_a_new_profile_keeps_the_old_file(qtbot, store, data_dir,
                                                                  monkeypatch):
    from ui.recovery_dialog import RecoveryDialog

    problem, daily, manual, broken = _damaged_profile(store, data_dir)
    for good in (daily, manual):
        good.unlink()
    dialog = RecoveryDialog(problem, data_dir)
    qtbot.addWidget(dialog)
    assert not dialog.restore_btn.isEnabled() and "bắt đầu hồ sơ mới" in dialog.message.text()
    damaged = (data_dir / DB_FILE_NAME).read_bytes()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    asked = []  # the button asks first (it once started afresh at once)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.fresh_btn, Qt.MouseButton.LeftButton)
    assert asked == ["Bắt đầu hồ sơ mới"] and dialog.result() != RecoveryDialog.DialogCode.Accepted
    assert (data_dir / DB_FILE_NAME).read_bytes() == damaged  # nothing done
    assert dialog.start_new(confirm=False)
    fresh = open_store(data_dir)
    assert fresh.profile() is None  # the setup wizard comes next
    kept = [b for b in list_backups(data_dir) if b.name.endswith("-tep-hong.sqlite3")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged


def test_the_window_start_opens_recovery_not_a_crash(qtbot, store, data_dir, monkeypatch):
    from ui import app as app_module
    from ui.recovery_dialog import RecoveryDialog

    _damaged_profile(store, data_dir, "deleted")
    shown = []

    def choose_the_preselected(dialog):
        shown.append([e.kind for e in dialog.table.entries])
        dialog.restore_selected()
        return dialog.result()

    monkeypatch.setattr(RecoveryDialog, "exec", choose_the_preselected)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    opened = app_module.open_checked(data_dir, "KH75 Desktop")
    assert shown == [["Khi đóng ứng dụng", "Sao lưu tay", "Hằng ngày"]]
    assert opened.figures(W, 2026)["live_births"].count > 0


def test_rotation_keeps_hand_made_and_damaged_copies(store, data_dir):
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    manual = make_backup(data_dir, "thu-cong")
    kept = make_backup(data_dir, "tep-hong")
    for _ in range(25):
        make_backup(data_dir, "hang-ngay")
    rotate(data_dir)
    names = [b.name for b in list_backups(data_dir)]
    assert manual.name in names and kept.name in names and len(names) == 22


def test_cli_lists_backups_and_starts_afresh_only_when_asked(store, data_dir):
    from conftest import run_kh75

    _damaged_profile(store, data_dir)
    out = run_kh75("restore", data_dir=data_dir)
    assert out.returncode == 0 and out.stdout.count("kh75 restore") == 3
    assert "✖" in out.stdout and "Sao lưu tay" in out.stdout
    out = run_kh75("restore", "--new-profile", data_dir=data_dir)
    assert out.returncode != 0 and "--yes" in out.stderr  # no keyboard: never silently
    out = run_kh75("restore", "--new-profile", "--yes", data_dir=data_dir)
    assert out.returncode == 0 and "tep-hong" in out.stdout
    out = run_kh75("status", data_dir=data_dir)
    assert "Chưa thiết lập hồ sơ" in out.stderr
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    assert con.execute("SELECT COUNT(*) FROM figure").fetchone()[0] == 0
    con.close()
