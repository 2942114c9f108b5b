"""The Packages page and the entry page's locks, driven through real widgets."""

import pytest
from PySide6.QtWidgets import QLabel
from world import COMMUNE_PASS, PROVINCE_PASS, YEAR, confirmed

from kh75_desktop.packages.keys import CommuneKey, key_fingerprint
from kh75_desktop.packages.province_side import parse_comment, write_feedback
from kh75_desktop.storage.exchange import ExchangeStore


@pytest.fixture
def commune_window(qtbot, world, tmp_path, monkeypatch):
    from ui.main_window import MainWindow
    from ui.pages import packages_page

    store = world.store(world.a)
    ExchangeStore(store.engine).set_setting("outbox", str(tmp_path / "outbox"))
    monkeypatch.setattr(packages_page, "ask_passphrase", lambda *a, **k: COMMUNE_PASS)
    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    return w


def editor(window, key):
    return next(e for e in window.entry.editors if e.element.key == key)


def test_export_locks_then_feedback_reopens_commented_figures(qtbot, commune_window, world,
                                                              tmp_path, monkeypatch):
    import threading

    unlocked_on = []  # scrypt takes seconds at the production cost: never on the window's thread
    unlock = CommuneKey.unlock
    monkeypatch.setattr(CommuneKey, "unlock", lambda self, passphrase: (
        unlocked_on.append(threading.current_thread()), unlock(self, passphrase))[1])
    w = commune_window
    page = w.packages
    w.show_page("packages")
    assert key_fingerprint(CommuneKey(world.a).public_key()) in page.commune_fp.text()
    assert page.export_btn.isEnabled()
    assert page.export()
    assert not page.progress.isHidden()  # the key is unlocked off the window's thread
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    assert unlocked_on and threading.main_thread() not in unlocked_on
    files = list((tmp_path / "outbox").glob("*.kh75"))
    assert [f.name for f in files] == ["KH75-14464-Xa-Gia-Vien-2026-v1.kh75"]
    assert "phiên bản 1" in page.result.text() and not page.export_btn.isEnabled()
    assert page.history.rowCount() == 1

    w.show_page("entry")
    w.entry.select_indicator(3)
    assert not editor(w, "live_births").value.isEnabled()
    assert "khóa" in editor(w, "live_births").message.text()

    world.ingest(files, confirmed(world.a))
    prov = world.store(world.prov)
    fb = write_feedback(prov, world.prov, "14464", YEAR, "return",
                        [parse_comment("3a: Đối chiếu lại sổ tử vong", prov.catalogue)],
                        PROVINCE_PASS, tmp_path / "from-province").path
    w.show_page("packages")
    assert page.import_feedback(fb)
    assert "trả lại" in page.feedback_msg.text()
    assert page.comments.rowCount() == 1 and page.comments.item(0, 0).text() == "3a"
    page.comments.item(0, 2).setText("Đã đối chiếu, sửa 1 ca.")
    answers = ExchangeStore(w.store.engine).open_comments("14464", YEAR)
    assert answers[0].answer == "Đã đối chiếu, sửa 1 ca."
    assert not page.import_feedback(tmp_path / "nope.kh75")
    assert "Không có gì thay đổi" in page.feedback_msg.text()

    w.show_page("entry")
    w.entry.select_indicator(3)
    form = w.entry.form
    assert form.comment_labels["3a"].isVisibleTo(form) and "Đối chiếu" in \
        form.comment_labels["3a"].text()
    assert editor(w, "deaths_neonatal").value.isEnabled()
    assert not editor(w, "deaths_under1").value.isEnabled()
    w.entry.select_indicator(7)
    assert not editor(w, "schools_total").value.isEnabled()


def test_reports_page_builds_files_in_a_worker_and_imports_a_template(qtbot, commune_window,
                                                                      tmp_path):
    import openpyxl

    w = commune_window
    page = w.reports
    w.show_page("reports")
    pdf = tmp_path / "bao-cao.pdf"
    page.save("pdf", pdf)
    assert not page.progress.isHidden()  # the work runs off the UI thread
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=20000)
    assert pdf.read_bytes().startswith(b"%PDF") and "Đã lưu" in page.result.text()
    tpl = tmp_path / "mau.xlsx"
    w.set_year(2027)
    page.save("template", tpl)
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=20000)
    wb = openpyxl.load_workbook(tpl)
    ws = wb["Trạm y tế"]
    ws["E5"] = "abc"
    wb.save(tpl)
    page.import_template(tpl)
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=20000)
    assert "ô E5" in page.result.text()
    plausible = w.store.figures("14464", 2026)["children_0_8"].count + 20  # within 15 % of 2026
    ws["E5"] = plausible
    wb.save(tpl)
    page.import_template(tpl)
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=20000)
    assert "Đã lưu 1 số liệu năm 2027" in page.result.text()
    assert w.store.figures("14464", 2027)["children_0_8"].count == plausible


def test_settings_page_backs_up_restores_and_exports_the_profile(qtbot, commune_window, world,
                                                                  tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from kh75_desktop.figures import Figure
    from kh75_desktop.profile_transfer import import_profile

    w = commune_window
    page = w.settings
    w.show_page("settings")
    usb = tmp_path / "usb" / "sao-luu.sqlite3"
    usb.parent.mkdir()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog

    asked = []  # the button asks where (it once backed up to "False" without asking)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: asked.append(a[1]) or (str(usb), ""))
    qtbot.mouseClick(page.backup_btn, Qt.MouseButton.LeftButton)
    assert asked == ["Sao lưu"] and usb.exists() and "Đã sao lưu" in page.result.text()
    assert str(usb) in page.result.text()
    w.store.save_figure("14464", 2026, Figure("child_marriages", count=77, explanation="thử"),
                        who="Hoa")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.restore(usb)
    assert w.store.figures("14464", 2026)["child_marriages"].count != 77
    assert page.backups.rowCount() >= 1 and page.backups.item(0, 1).text() == "Trước khi khôi phục"
    assert "truoc-khoi-phuc" in page.backups.entries[0].path.name
    bad = tmp_path / "hong.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    assert not page.restore(bad, confirm=False) and "✖" in page.result.text()
    moved = tmp_path / "ho-so.kh75profile"
    page.export_profile(moved, COMMUNE_PASS)
    assert not page.progress.isHidden()  # scrypt, off the window's thread
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    assert "Đã xuất hồ sơ" in page.result.text()
    import_profile(tmp_path / "new", moved, COMMUNE_PASS)
    assert (tmp_path / "new" / "kh75.sqlite3").exists()


def test_a_new_province_key_is_taken_in_the_window_only_with_its_phoned_fingerprint(
        commune_window, world, tmp_path):
    from kh75_desktop.packages.keys import ProvinceKeys

    w = commune_window
    w.show_page("packages")
    page = w.packages
    genuine = ProvinceKeys(world.prov).info()
    assert page.choose_province_key(ProvinceKeys(world.prov).key_file)  # the same key: no change
    other = tmp_path / "new-province"
    new = ProvinceKeys(other).create("mật khẩu mới của Sở Y tế 2027",
                                     "giải mã gói mới của Sở Y tế 2027")
    assert not page.choose_province_key(ProvinceKeys(other).key_file, heard=genuine.fingerprint)
    assert "không khớp" in page.key_msg.text()
    exchange = ExchangeStore(w.store.engine)
    assert exchange.province_key().fingerprint == genuine.fingerprint
    assert page.choose_province_key(ProvinceKeys(other).key_file, heard=new.fingerprint)
    assert "Đã thay khóa của Sở Y tế" in page.key_msg.text()
    assert exchange.province_key().fingerprint == new.fingerprint
    assert new.fingerprint in page.province_fp.text()


def test_settings_changes_the_officer_and_refuses_a_bad_phone(qtbot, commune_window):
    w = commune_window
    w.show_page("settings")
    page = w.settings
    page.officer.setText("Trần Thị Mai")
    page.phone.setText("09xx")
    assert not page.save_officer() and "chữ số" in page.result.text()
    assert w.store.profile().officer == "Nguyễn Thị Hoa"  # nothing saved on a refusal
    page.phone.setText("0987 654 321")
    assert page.save_officer()
    p = w.store.profile()
    assert (p.officer, p.phone) == ("Trần Thị Mai", "0987 654 321")
    assert "Trần Thị Mai" in w.statusBar().currentMessage()
    assert str(page.data_dir) in [lbl.text() for lbl in page.findChildren(QLabel)]
