"""The commune window driven through its real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from kh75_desktop.demo import demo_figures
from kh75_desktop.figures import Figure
from kh75_desktop.storage.models import ContactRow

W = "14464"


def type_text(widget, text):
    """Type any text, Vietnamese included, as key events (QTest only knows ASCII keys)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent

    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def editor_for(window, element):
    return next(e for e in window.entry.editors if e.element.key == element)


def open_indicator(window, n):
    window.show_page("entry")
    window.entry.select_indicator(n)


def type_into(qtbot, editor, text, finish=Qt.Key.Key_Tab):
    editor.value.setFocus()
    editor.value.selectAll()
    qtbot.keyClicks(editor.value, text)
    editor.value.editingFinished.emit()
    editor.window().entry.writer.wait()  # the figure is on disk once the writer says so


def test_wizard_makes_a_profile(qtbot, data_dir, world_template):
    from kh75_desktop.packages.keys import CommuneKey, ProvinceKeys
    from kh75_desktop.profile import open_store
    from kh75_desktop.storage.exchange import ExchangeStore
    from ui.wizard import SetupWizard

    store = open_store(data_dir)
    wiz = SetupWizard(store, data_dir)
    qtbot.addWidget(wiz)
    wiz.show()
    assert wiz.currentPage() is wiz.welcome and wiz.welcome.new.isChecked()
    wiz.next()
    page = wiz.pages[0]
    assert page.title().startswith("Bước 1/4")
    qtbot.keyClicks(page.search, "khong co xa nay")
    assert page.list.count() == 0 and "Không tìm thấy" in page.none_found.text()
    page.search.clear()
    qtbot.keyClicks(page.search, "gia vien")
    assert not page.none_found.text()
    assert page.list.count() == 1 and page.isComplete()
    wiz.next()
    officer = wiz.pages[1]
    type_text(officer.officer, "Nguyễn Thị Hoa")
    qtbot.keyClicks(officer.phone, "abc")
    wiz.next()
    assert wiz.currentPage() is officer and "chữ số" in officer.error.text()
    officer.phone.clear()
    qtbot.keyClicks(officer.phone, "0912 345 678")
    wiz.next()
    wiz.pages[2].year.setValue(2027)
    wiz.next()
    keys = wiz.pages[3]
    type_text(keys.passphrase, "ngắn")
    assert "Quá ngắn" in keys.hint.text()
    wiz.accept()
    assert "ít nhất 10" in keys.error.text() and store.profile() is None
    keys.passphrase.clear()
    type_text(keys.passphrase, "matkhau123456")  # long enough, and the first thing tried
    type_text(keys.confirm, "matkhau123456")
    assert "Rất dễ đoán" in keys.hint.text()
    wiz.accept()
    assert "quá dễ đoán" in keys.error.text() and store.profile() is None
    keys.passphrase.clear()
    keys.confirm.clear()
    type_text(keys.passphrase, "Mùa lúa chín 2026")
    type_text(keys.confirm, "Mùa lúa chín 2026")
    province = ProvinceKeys(world_template.prov)
    keys.load_key_file(province.key_file)
    assert province.info().fingerprint in keys.fingerprint.text()
    wiz.next()  # "Tạo hồ sơ": the profile and the key are made, the fingerprint shown
    # the key's scrypt runs in a worker: the wizard waits on the keys page, its buttons off
    assert wiz.currentPage() is keys and not keys.progress.isHidden()
    assert not keys.passphrase.isEnabled()  # what is being made is what was typed
    assert not wiz.button(wiz.WizardButton.CommitButton).isEnabled()
    wiz.reject()  # not closed while the profile is being written
    assert wiz.isVisible()
    qtbot.waitUntil(lambda: wiz.currentPage() is wiz.done_page, timeout=30000)
    assert wiz.fingerprint in wiz.done_page.text.text() and keys.progress.isHidden()
    # "Bấm «Hoàn tất»", the page says: that button, and no "Tiếp theo" back to the welcome page
    assert wiz.button(wiz.WizardButton.FinishButton).isVisible()
    assert not wiz.button(wiz.WizardButton.NextButton).isVisible()
    assert not wiz.button(wiz.WizardButton.CancelButton).isVisible()  # nothing left to cancel
    wiz.accept()
    p = store.profile()
    assert (p.ward_code, p.ward_name, p.ward_kind, p.officer, p.current_year) == \
        (W, "Xã Gia Viễn", "xa", "Nguyễn Thị Hoa", 2027)
    assert CommuneKey(data_dir).unlock("Mùa lúa chín 2026") is not None
    assert ExchangeStore(store.engine).province_key().key_id == province.info().key_id
    assert wiz.fingerprint.count(" ") == 5


def test_typed_figures_are_stored_with_vietnamese_grouping(qtbot, window, store):
    open_indicator(window, 3)
    births = editor_for(window, "live_births")
    type_into(qtbot, births, "1.234")
    assert store.figures(W, 2026)["live_births"].count == 1234
    assert births.state == "saved"
    assert len(store.audit(W, 2026)) == 1
    # results rest on saved figures only: nothing while "6" is being typed, 4,9‰ once saved
    deaths = editor_for(window, "deaths_neonatal")
    deaths.value.setFocus()
    qtbot.keyClicks(deaths.value, "6")
    assert "4,9‰" not in window.entry.result_labels["3a"].text()
    assert "deaths_neonatal" not in store.figures(W, 2026)
    qtbot.keyClick(deaths.value, Qt.Key.Key_Tab)
    window.entry.writer.wait()
    assert store.figures(W, 2026)["deaths_neonatal"].count == 6
    assert "4,9‰" in window.entry.result_labels["3a"].text()


def test_hard_error_blocks_the_figure(qtbot, window, store):
    open_indicator(window, 3)
    type_into(qtbot, editor_for(window, "live_births"), "150")
    type_into(qtbot, editor_for(window, "deaths_under1"), "2")
    neonatal = editor_for(window, "deaths_neonatal")
    type_into(qtbot, neonatal, "3")
    assert neonatal.state == "error"
    assert "không thể lớn hơn" in neonatal.message.text()
    assert "deaths_neonatal" not in store.figures(W, 2026)
    type_into(qtbot, neonatal, "200")  # the example: 200 deaths in 150 births
    assert neonatal.state == "error" and "deaths_neonatal" not in store.figures(W, 2026)
    result = window.entry.form.result_labels["3a"].text()
    assert "1.333,3‰" not in result  # a result never rests on a refused value
    type_into(qtbot, neonatal, "1")
    assert store.figures(W, 2026)["deaths_neonatal"].count == 1
    assert "6,7‰" in window.entry.form.result_labels["3a"].text()


def _drawn_in(label, colour: str) -> bool:
    """Whether the label's text is painted in `colour`, as the officer sees it."""
    image = label.grab().toImage()
    return any(image.pixelColor(x, y).name() == colour
               for x in range(image.width()) for y in range(image.height()))


def test_the_line_under_a_field_is_drawn_in_its_state_colour(qtbot, window, store):
    from ui.style import ERROR, OK

    open_indicator(window, 3)
    births = editor_for(window, "live_births")
    type_into(qtbot, births, "12,5")
    assert births.state == "error"
    assert _drawn_in(births.message, ERROR) and not _drawn_in(births.message, OK)
    type_into(qtbot, births, "150")
    window.entry.writer.wait()
    assert births.state == "saved"
    assert _drawn_in(births.message, OK) and not _drawn_in(births.message, ERROR)
    # the value field took its state's border, as the style sheet of the card says
    assert births.value.property("state") == "saved"


def test_a_figure_saved_moves_no_field_of_its_form(qtbot, store):
    """The line under a new figure goes from empty to "Đang lưu" to "Đã lưu" while the next
    figure is typed: it keeps its height, so no field below moves and the form is not laid
    out and painted again on every save."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow
    from ui.style import BODY_POINT_SIZE

    app_font = QApplication.font()
    font = QApplication.font()  # the body font the app sets (ui.style.apply_style): a line
    font.setPointSize(BODY_POINT_SIZE)  # of its words is a fraction of a pixel taller than
    QApplication.setFont(font)  # its metrics say
    try:
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.resize(1200, 800)
        window.show()
        open_indicator(window, 3)
        births = editor_for(window, "live_births")
        assert births.message.text() == ""

        def places():
            qtbot.wait(20)  # a layout asks its parent's in a posted event: let them all run
            return [(e.y(), e.height()) for e in window.entry.editors]

        before = places()
        births.set_state("saving", "… Đang lưu")
        assert places() == before
        type_into(qtbot, births, "150")
        assert births.state == "saved" and births.message.text().startswith("✔ Đã lưu")
        assert places() == before
    finally:
        QApplication.setFont(app_font)


def test_a_figure_text_stops_at_its_limit_and_an_older_longer_one_is_never_cut(
        qtbot, store):
    import sqlite3

    from kh75_desktop.figures import TEXT_LIMITS
    from kh75_desktop.storage.database import database_path
    from ui.main_window import MainWindow

    store.save_figure(W, 2026, Figure("live_births", count=150, note="cũ"), who="Hoa")
    older = "Ghi chú từ bản trước. " * 40  # 880 characters, stored before the limits
    con = sqlite3.connect(database_path(store.engine))
    con.execute("UPDATE figure SET note = ? WHERE element = 'live_births'", (older,))
    con.commit()
    con.close()
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    open_indicator(window, 3)
    births = editor_for(window, "live_births")
    assert births.note.text() == older  # shown whole, not cut at 500
    assert editor_for(window, "deaths_neonatal").note.maxLength() == TEXT_LIMITS["note"]
    assert births.explanation.maxLength() == TEXT_LIMITS["explanation"]
    births.note.setFocus()
    births.note.end(False)
    qtbot.keyClick(births.note, "x")  # the field takes nothing past what it holds
    qtbot.keyClick(births.note, Qt.Key.Key_Backspace)  # shortened, still too long
    births.note.editingFinished.emit()
    window.entry.writer.wait()
    assert births.state == "error" and "ghi chú dài 879 ký tự" in births.message.text()
    assert store.figures(W, 2026)["live_births"].note == older  # nothing lost


def test_unreadable_number_is_an_inline_error(qtbot, window, store):
    open_indicator(window, 3)
    births = editor_for(window, "live_births")
    type_into(qtbot, births, "12,5")
    assert births.state == "error" and "số nguyên" in births.message.text()
    assert store.figures(W, 2026) == {}


def test_soft_warning_demands_an_explanation(qtbot, window, store):
    store.save_figure(W, 2025, Figure("children_injured", count=40), who="Hoa")
    open_indicator(window, 11)
    injured = editor_for(window, "children_injured")
    type_into(qtbot, injured, "95")
    assert injured.state == "warning"
    assert injured.explanation.isVisible()
    assert "children_injured" not in store.figures(W, 2026)
    type_text(injured.explanation, "Lũ tháng 9")
    injured.explanation.editingFinished.emit()
    window.entry.writer.wait()
    stored = store.figures(W, 2026)["children_injured"]
    assert stored.count == 95 and stored.explanation == "Lũ tháng 9"
    assert injured.state == "saved"


def test_no_data_with_a_reason_is_not_zero(qtbot, window, store):
    open_indicator(window, 13)
    marriages = editor_for(window, "child_marriages")
    marriages.no_data.setChecked(True)
    assert marriages.reason.isVisible() and not marriages.value.isEnabled()
    marriages.reason.editingFinished.emit()  # leaving it empty is refused
    assert marriages.state == "error" and "lý do" in marriages.message.text()
    type_text(marriages.reason, "Tư pháp chưa tổng hợp")
    marriages.reason.editingFinished.emit()
    window.entry.writer.wait()
    f = store.figures(W, 2026)["child_marriages"]
    assert f.count is None and f.missing_reason == "Tư pháp chưa tổng hợp"


def test_keyboard_only_entry_of_a_whole_indicator(qtbot, window, store):
    open_indicator(window, 3)
    window.entry.editors[0].focus_value()
    for text in ("180", "1", "2", "3"):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entry.indicator == 4)
    window.entry.writer.wait()  # moving on never waits for the disk; the test does
    figs = store.figures(W, 2026)
    assert [figs[k].count for k in ("live_births", "deaths_neonatal", "deaths_under1",
                                    "deaths_under5")] == [180, 1, 2, 3]
    assert window.entry.indicator == 4  # Enter on the last figure goes on to the next indicator
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.entry.indicator == 3
    assert window.entry.items[3].text(0).startswith("✔")


def test_moving_on_to_the_next_indicator_never_waits_for_the_disk(qtbot, window, store,
                                                                  monkeypatch):
    """A slow disk (each write 0.4 s) holds up no key: Enter on the last figure shows the next
    indicator at once while the writes go on behind, and every figure still lands."""
    import time

    write = store.save_figure

    def slow_write(*args, **kwargs):
        time.sleep(0.4)
        return write(*args, **kwargs)

    monkeypatch.setattr(store, "save_figure", slow_write)
    open_indicator(window, 3)
    window.entry.editors[0].focus_value()
    for text in ("180", "1", "2", "3"):
        qtbot.keyClicks(QApplication.focusWidget(), text)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.entry.indicator == 4, timeout=400)
    assert window.entry.writer.pending > 0  # still writing behind the officer
    window.entry.writer.wait()
    figs = store.figures(W, 2026)
    assert [figs[k].count for k in ("live_births", "deaths_neonatal", "deaths_under1",
                                    "deaths_under5")] == [180, 1, 2, 3]


def test_the_next_indicators_are_built_ahead_while_keys_never_pause(qtbot, window, store):
    """A fast typist never stops long enough for a whole form: the next indicators' forms are
    made piece by piece between the keys, so Enter onto one finds it ready; one reached while
    half made is finished there and then, and takes figures like any other."""
    entry = window.entry
    open_indicator(window, 3)
    field = entry.editors[0].value
    field.setFocus()
    for _ in range(60):  # a key every 15 ms for about a second, never a pause
        qtbot.keyClick(field, "1")
        qtbot.wait(15)
    assert entry.forms.get(4) is not None and entry.forms[4].built
    built = [i for i, f in entry.forms.items() if f.built]
    entry.prebuild.stop()
    half = next(i for i in entry.items if i not in entry.forms)
    form = entry._started(half, whole=False)
    assert form.build_step() is False and not form.built
    entry.select_indicator(half)
    assert entry.form is form and form.built and entry.editors
    assert len(built) > 2  # more than the one shown and the next
    editor = entry.editors[0]
    if editor.element.kind == "count":
        type_into(qtbot, editor, "7")
        assert store.figures(W, 2026)[editor.element.key].count == 7


def test_switching_year_shows_that_years_figures(qtbot, window, store):
    store.save_figures(W, 2025, demo_figures(W, 2025), who="Hoa")
    open_indicator(window, 3)
    assert editor_for(window, "live_births").value.text() == ""
    window.year_box.setCurrentIndex(window.year_box.findData(2025))
    assert window.windowTitle() == "KH75 Desktop — Xã Gia Viễn — năm 2025"
    expected = store.figures(W, 2025)["live_births"].count
    assert editor_for(window, "live_births").value.text().replace(".", "") == str(expected)
    assert store.profile().current_year == 2025


def test_overview_shows_completion_and_statuses(qtbot, window, store):
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    window.show_page("entry")
    window.show_page("overview")
    ov = window.overview
    assert ov.completion_big.text() == "34/34"
    assert ov.status_big.text() == "Đã đủ số liệu"
    _, model = ov.tables[1]
    assert model.rowCount() == 12
    statuses = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(12)}
    assert statuses["7"] in ("Đạt", "Chưa đạt")


def test_closing_the_window_saves_what_was_typed(qtbot, window, store):
    open_indicator(window, 3)
    births = editor_for(window, "live_births")
    births.value.setFocus()
    qtbot.keyClicks(births.value, "177")
    window.close()
    assert store.figures(W, 2026)["live_births"].count == 177


def test_a_figure_says_it_is_being_saved_until_the_writer_has_it_on_disk(qtbot, window, store):
    import threading

    open_indicator(window, 3)
    gate = threading.Event()
    window.entry.writer.submit(gate.wait, lambda _: None, lambda _: None)  # the disk is busy
    births = editor_for(window, "live_births")
    births.value.setFocus()
    qtbot.keyClicks(births.value, "1.234")
    qtbot.keyClick(births.value, Qt.Key.Key_Tab)  # returns at once: typing never waits
    assert births.state == "saving" and "Đang lưu" in births.message.text()
    assert "live_births" not in store.figures(W, 2026)
    gate.set()
    window.entry.writer.wait()
    assert births.state == "saved" and "Đang lưu" not in births.message.text()
    assert store.figures(W, 2026)["live_births"].count == 1234


def test_no_accepted_figure_is_lost_when_the_window_closes_right_after_typing(
        qtbot, window, store, data_dir):
    from kh75_desktop.profile import open_store

    open_indicator(window, 3)
    typed = {"live_births": "1.234", "deaths_neonatal": "6", "deaths_under1": "9"}
    for element, text in typed.items():
        editor = editor_for(window, element)
        editor.value.setFocus()
        qtbot.keyClicks(editor.value, text)
        qtbot.keyClick(editor.value, Qt.Key.Key_Tab)  # handed to the writer, not waited for
    window.close()
    reopened = open_store(data_dir).figures(W, 2026)
    assert {e: reopened[e].count for e in typed} == {
        "live_births": 1234, "deaths_neonatal": 6, "deaths_under1": 9}


def test_contacts_copy_add_edit_remove(qtbot, window, store, monkeypatch):
    from ui.pages import contacts_page

    page = window.contacts
    window.show_page("contacts")
    page.view.setCurrentIndex(page.model.index(0, 1))
    page.copy_number()
    assert QApplication.clipboard().text() == "111"

    def fill(name, phone):
        def exec_(dialog):
            dialog.name.setText(name)
            dialog.phone.setText(phone)
            return QDialog.DialogCode.Accepted
        return exec_

    monkeypatch.setattr(contacts_page.ContactDialog, "exec", fill("Trạm y tế xã", "0229 111"))
    page.add()
    assert [(c.name, c.phone) for c in store.contacts()] == [("Trạm y tế xã", "0229 111")]
    page.view.setCurrentIndex(page.model.index(4, 0))
    monkeypatch.setattr(contacts_page.ContactDialog, "exec", fill("Trạm y tế xã", "0229 222"))
    page.edit()
    assert store.contacts()[0].phone == "0229 222"
    page.view.setCurrentIndex(page.model.index(0, 0))
    assert not page.del_btn.isEnabled()  # the plan's numbers cannot be removed
    page.view.setCurrentIndex(page.model.index(4, 0))
    monkeypatch.setattr(contacts_page.QMessageBox, "question",
                        lambda *a: contacts_page.QMessageBox.StandardButton.Yes)
    page.remove()
    assert store.contacts() == []


def test_models_pass_qtmodeltester(qtmodeltester, store):
    from kh75_desktop.contacts import PLAN_CONTACTS
    from kh75_desktop.measures import compute_all
    from ui.models import ContactTableModel, MeasureTableModel

    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    results = compute_all(store.catalogue, 2026, "xa", store.figures(W, 2026))
    qtmodeltester.check(MeasureTableModel(results))
    qtmodeltester.check(ContactTableModel(PLAN_CONTACTS, [ContactRow(id=1, name="A", phone="1")]))


def test_screenshots_command_renders_every_page(tmp_path):
    from conftest import run_kh75
    from PySide6.QtGui import QImage

    d = tmp_path / "p"
    assert run_kh75("demo", "--year", "2026", data_dir=d).returncode == 0
    out = run_kh75("screenshots", "--out", str(tmp_path / "s"), data_dir=d,
                   env={"QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    names = sorted(p.name for p in (tmp_path / "s").glob("*.png"))
    assert names == ["00-setup-wizard.png", "00a-setup-commune.png", "00b-recovery.png",
                     "01-overview.png", "02-entry.png",
                     "02b-entry-blocked-value.png", "03-contacts.png",
                     "04-packages.png", "05-reports.png", "06-settings.png"]
    img = QImage(str(tmp_path / "s" / "01-overview.png"))
    assert (img.width(), img.height()) == (1366, 768)


@pytest.fixture
def bundled_key(monkeypatch, tmp_path, world_template):
    """An installer Sở Y tế built with its key inside (resources/keys/province.kh75key)."""
    import shutil

    from kh75_desktop import resources
    from kh75_desktop.packages.keys import ProvinceKeys

    res = tmp_path / "resources"
    shutil.copytree(resources.resources_dir(), res)
    (res / "keys").mkdir(exist_ok=True)
    key = ProvinceKeys(world_template.prov)
    shutil.copy(key.key_file, res / "keys" / resources.BUNDLED_PROVINCE_KEY)
    monkeypatch.setattr(resources, "resources_dir", lambda: res)
    return key.info()


def test_wizard_offers_the_key_built_into_the_installer(qtbot, data_dir, bundled_key):
    from kh75_desktop.profile import open_store
    from kh75_desktop.storage.exchange import ExchangeStore
    from ui.wizard import SetupWizard

    store = open_store(data_dir)
    wiz = SetupWizard(store, data_dir)
    qtbot.addWidget(wiz)
    keys = wiz.pages[3]
    assert bundled_key.fingerprint in keys.fingerprint.text()
    assert "đi kèm bộ cài đặt" in keys.fingerprint.text()
    assert keys.key_button.text() == "Chọn tệp khóa khác…"
    wiz.flow.choose_commune(W)
    wiz.flow.officer = "Nguyễn Thị Hoa"
    wiz.flow.passphrase = wiz.flow.confirm = "Mùa lúa chín 2026"
    wiz.flow.finish(store, data_dir)
    assert ExchangeStore(store.engine).province_key().fingerprint == bundled_key.fingerprint


def test_a_damaged_bundled_key_is_named_not_used(qtbot, data_dir, bundled_key):
    from kh75_desktop import resources
    from kh75_desktop.profile import open_store
    from ui.wizard import SetupWizard

    path = resources.resources_dir() / "keys" / resources.BUNDLED_PROVINCE_KEY
    doc = json.loads(path.read_bytes())
    doc["key"]["name"] += " (giả mạo)"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    wiz = SetupWizard(open_store(data_dir), data_dir)
    qtbot.addWidget(wiz)
    keys = wiz.pages[3]
    assert "đi kèm bộ cài đặt không hợp lệ" in keys.error.text()
    assert wiz.flow.province_key is None and bundled_key.fingerprint not in keys.fingerprint.text()


def test_an_estimate_is_ticked_beside_its_figure_and_the_overview_says_the_period(
        qtbot, window, store):
    open_indicator(window, 3)
    births = editor_for(window, "live_births")
    assert births.estimated.isVisible() and births.estimated.isEnabled()
    type_into(qtbot, births, "180")
    qtbot.mouseClick(births.estimated, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: store.figures(W, 2026).get("live_births") is not None
                    and store.figures(W, 2026)["live_births"].estimated)
    assert births.estimated.window() is window  # part of the form, never a window of its own
    open_indicator(window, 1)
    assert not editor_for(window, "child_friendly_commune").estimated.isVisible()  # yes/no
    window.show_page("overview")
    text = window.overview.period.text()
    assert "đến ngày 31/10/2026" in text and "Có 1/1 số liệu là số ước tính" in text
    assert window.overview.official_button.isHidden()  # the year has not ended


def test_closing_after_edits_keeps_a_backup_holding_them(qtbot, window, store, data_dir):
    import os

    from kh75_desktop.backup import describe_backup, list_backups, make_backup

    store.save_figures(W, 2025, demo_figures(W, 2025), who="Hoa")
    daily = make_backup(data_dir, "hang-ngay")
    os.utime(daily, (daily.stat().st_atime, daily.stat().st_mtime - 60))  # taken this morning
    open_indicator(window, 3)
    births = store.figures(W, 2025)["live_births"].count + 3  # an ordinary year-on-year change
    type_into(qtbot, editor_for(window, "live_births"), str(births))
    assert store.figures(W, 2026)["live_births"].count == births
    window.close()
    closing = [b for b in list_backups(data_dir) if "dong-ung-dung" in b.name]
    assert len(closing) == 1 and 2026 in describe_backup(closing[0]).years


def test_wizard_moves_a_profile_from_another_laptop(qtbot, world, tmp_path, monkeypatch):
    """Its decryption (age's scrypt) runs in a worker and, as in the window's process, in a
    child process: the wizard's thread keeps its turns, its buttons are off meanwhile, and it
    closes by itself once the profile is in."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QWizard
    from world import COMMUNE_PASS

    from kh75_desktop import age_passphrase
    from kh75_desktop.profile import open_store
    from kh75_desktop.profile_transfer import export_profile
    from ui.wizard import SetupWizard

    moved = tmp_path / "ho-so.kh75profile"
    export_profile(world.a, moved, COMMUNE_PASS)
    old = world.store(world.a)
    folder = tmp_path / "máy mới #2"
    store = open_store(folder)  # as the first start makes it: empty
    wiz = SetupWizard(store, folder)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.welcome.move.setChecked(True)
    wiz.next()
    assert wiz.currentPage() is wiz.import_page
    page = wiz.import_page
    page.set_file(moved)
    page.passphrase.setText("sai mật khẩu rồi")
    wiz.accept()
    assert not page.progress.isHidden() and "Đang mở tệp hồ sơ" in page.working.text()
    finish = wiz.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled() and not page.passphrase.isEnabled()
    wiz.reject()  # not closable while the profile is being brought in
    assert wiz.isVisible()
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    assert "Mật khẩu không đúng" in page.error.text() and not wiz.imported
    assert finish.isEnabled() and page.passphrase.isEnabled() and not page.working.text()
    monkeypatch.setattr(age_passphrase, "_apart", True)
    page.passphrase.setText(COMMUNE_PASS)
    ticks = [time.perf_counter()]
    timer = QTimer(interval=10, timeout=lambda: ticks.append(time.perf_counter()))
    timer.start()
    wiz.accept()
    assert not wiz.imported and wiz.isVisible()
    qtbot.waitUntil(lambda: wiz.imported, timeout=30000)
    timer.stop()
    assert wiz.result() == SetupWizard.DialogCode.Accepted and not wiz.isVisible()
    longest = max(b - a for a, b in zip(ticks, ticks[1:], strict=False))
    assert len(ticks) > 20 and longest < 0.5, (len(ticks), longest)
    again = open_store(folder)
    ward = old.profile().ward_code
    assert again.profile().ward_code == ward
    assert again.figures(ward, 2026) == old.figures(ward, 2026)



def test_looks_are_worn_by_their_widgets_and_a_card_keeps_its_look_with_its_tone(qtbot, window):
    """Issue 19: no style sheet for the whole application (it sent every widget through Qt's
    style-sheet engine); each look is set where it is worn, and a big number given its own size
    and tone keeps the look's weight."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from ui.app import make_app
    from ui.pages.overview_page import TONES

    make_app()  # the application the window runs in (pytest-qt made it bare)
    assert QApplication.instance().styleSheet() == ""
    assert QApplication.instance().font().pointSize() == 10
    window.show_page("overview")
    ov = window.overview
    qtbot.waitUntil(lambda: ov.deadline_big.text() != "", timeout=5000)
    for label, size in ((ov.status_big, 13), (ov.deadline_big, 15), (ov.targets_big, 20)):
        label.ensurePolished()
        assert label.font().pointSize() == size and label.font().bold(), label.objectName()
    tone = ov.deadline_big.palette().color(QPalette.ColorRole.WindowText).name()
    assert tone in TONES.values()
    title = window.heading
    title.ensurePolished()
    assert title.font().pointSize() == 15 and title.font().bold()
