"""Sở Y tế's window on real widgets: intake of good, tampered and new-key packages, confirming a
key, filtering late communes, returning a report with a comment."""

import json
import zipfile

import pytest
from PySide6.QtCore import Qt
from world import COMMUNE_PASS, PROVINCE_DECRYPT_PASS, PROVINCE_PASS, YEAR

from kh75_desktop.communes import fold
from kh75_desktop.packages.commune_side import export_submission
from kh75_desktop.packages.keys import CommuneKey, key_fingerprint
from kh75_desktop.storage.exchange import ExchangeStore
from ui.worker import busy


@pytest.fixture
def province(qtbot, world, tmp_path):
    from ui.province.window import ProvinceWindow

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for which in (world.a, world.b):
        export_submission(world.store(which), which, YEAR, inbox, COMMUNE_PASS)
    # A's key is known already (confirmed by phone last year): enrol it first
    a_fp = key_fingerprint(CommuneKey(world.a).public_key())
    world.ingest([next(inbox.glob("KH75-14464-*"))], {"14464": a_fp})
    tampered = inbox / "KH75-tampered.kh75"
    with zipfile.ZipFile(next(inbox.glob("KH75-14464-*"))) as zf:
        data = bytearray(next(inbox.glob("KH75-14464-*")).read_bytes())
        info = zf.getinfo("payload.json.age")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 40] ^= 1
    tampered.write_bytes(bytes(data))
    w = ProvinceWindow(world.store(world.prov), YEAR)
    w.identity = world.identity
    qtbot.addWidget(w)
    w.show()
    return w, inbox


def test_the_decryption_key_is_unlocked_in_the_intake_worker_once_a_session(
        qtbot, province, monkeypatch):
    """Issue 19: age's scrypt (a second or more) ran on the window's thread before the intake
    began; now the intake's worker unlocks it (in a child process, as in the window's process),
    a wrong passphrase is said in the page, and the identity is kept for the session."""
    import time

    from PySide6.QtCore import QTimer

    import ui.province.window as window_module
    from kh75_desktop import age_passphrase

    w, inbox = province
    w.identity = None
    monkeypatch.setattr(age_passphrase, "_apart", True)
    asked = []
    monkeypatch.setattr(window_module, "ask_passphrase",
                        lambda *a: asked.append(a) or asked_answer.pop(0))
    asked_answer = [None, "sai mật khẩu", PROVINCE_DECRYPT_PASS]
    w.show_page("intake")
    page = w.intake
    assert not page.start([inbox]) and page.progress.isHidden()  # cancelled: nothing begun
    assert page.start([inbox])
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    assert "✖" in page.summary.text() and "Mật khẩu giải mã không đúng" in page.summary.text()
    assert w.identity is None and page.results.model().rowCount() == 0
    ticks = [time.perf_counter()]
    timer = QTimer(interval=10, timeout=lambda: ticks.append(time.perf_counter()))
    timer.start()
    assert page.start([inbox])
    assert "Đang mở khóa giải mã" in page.summary.text()
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    timer.stop()
    assert w.identity is not None and "tệp: nhận" in page.summary.text()
    longest = max(b - a for a, b in zip(ticks, ticks[1:], strict=False))
    assert longest < 0.5, longest  # the window kept its turns while the key was unlocked
    assert page.start([inbox])  # the second time no passphrase is asked
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    assert len(asked) == 3


def test_intake_confirm_filter_and_return(qtbot, qtmodeltester, province, world, tmp_path):
    w, inbox = province
    w.show_page("intake")
    page = w.intake
    assert page.start([inbox])
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=30000)
    results = page.results.model()
    qtmodeltester.check(results)
    outcomes = {results.index(r, 0).data(): results.index(r, 1).data()
                for r in range(results.rowCount())}
    assert outcomes["KH75-tampered.kh75"] == "Từ chối"
    # the detail without its file name (a column of its own) still reads as a sentence
    details = {results.index(r, 0).data(): results.index(r, 2).data()
               for r in range(results.rowCount())}
    assert "tampered" not in details["KH75-tampered.kh75"]
    assert details["KH75-tampered.kh75"][0].isupper()
    assert any(v == "Chờ xác nhận khóa" for v in outcomes.values())
    assert any(v == "Đã có từ trước" for v in outcomes.values())
    assert "từ chối 1" in page.summary.text()
    assert page.pending.rowCount() == 1
    b_ward = page.pending.item(0, 0).text()
    fp = page.pending.item(0, 2).text()
    assert fp == key_fingerprint(CommuneKey(world.b).public_key())

    from ui.province.intake_page import ConfirmKeyDialog

    dialog = ConfirmKeyDialog(page, "Xã B", fp)
    dialog.typed.setText("12345 67890 12345 67890 12345 67890")
    assert not dialog.matches() and "Không khớp" in dialog.verdict.text()
    dialog.typed.setText(fp.replace(" ", ""))
    assert dialog.matches()
    page.confirm(b_ward, fp)
    qtbot.waitUntil(lambda: not page.progress.isVisible(), timeout=30000)
    assert page.pending.rowCount() == 0
    assert ExchangeStore(w.store.engine).commune_key(b_ward).status == "enrolled"

    w.show_page("communes")
    communes = w.communes
    assert communes.loader.loading  # read in the worker, not on the UI thread
    qtbot.waitUntil(lambda: not busy(), timeout=30000)
    qtmodeltester.check(communes.model)
    assert communes.proxy.rowCount() == 129
    communes.search.setText("gia vien")
    assert communes.proxy.rowCount() == 1
    communes.search.setText("")
    assert communes.mode_buttons["nothing"].text() == "Chưa gửi (127)"
    chase = communes.chase
    assert chase.rowCount() == 127  # everyone not heard from, with a contact to fill in
    assert chase.item(0, 2).text() == "" and "chưa" not in chase.item(0, 2).text()
    chase.item(0, 3).setText("09xx")  # a phone typed wrong is refused and said
    assert "chữ số" in communes.chase_msg.text()
    chase.item(0, 2).setText("Lê Văn Tâm")
    chase.item(0, 3).setText("0912 000 111")
    chase.item(0, 5).setText("Gọi 29/11: hứa gửi trước 05/12")
    assert "Đã lưu" in communes.chase_msg.text()
    from kh75_desktop.packages.chasing import contact_book

    saved = contact_book(w.store)[chase.item(0, 0).text()]
    assert (saved.officer, saved.phone, saved.note) == ("Lê Văn Tâm", "0912 000 111",
                                                        "Gọi 29/11: hứa gửi trước 05/12")
    assert communes.mode_buttons["all"].text() == "Tất cả (129)"
    waiting = int(communes.mode_buttons["received"].text().split("(")[1].rstrip(")"))
    communes.mode_buttons["received"].setChecked(True)
    assert communes.proxy.rowCount() == waiting == 2
    communes.proxy.set_mode("nothing")
    assert communes.proxy.rowCount() == 127
    communes.proxy.set_mode("late")
    late = communes.proxy.rowCount()
    assert late == sum(r.late for r in communes.model._rows)
    communes.view.sortByColumn(7, communes.view.horizontalHeader().sortIndicatorOrder())
    communes.proxy.set_mode("all")
    communes.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    names = [communes.proxy.index(i, 1).data() for i in range(communes.proxy.rowCount())]
    assert names == sorted(names, key=fold, reverse=True) and len(names) == 129
    communes.view.selectRow(0)
    chosen = communes.proxy.index(0, 0).data()
    communes.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the selection follows its row
    assert communes.view.selectionModel().selectedRows()[0].data() == chosen
    qtmodeltester.check(communes.model)

    w.show_page("measures")
    qtbot.waitUntil(lambda: not busy(), timeout=30000)
    assert w.measures.table.rowCount() == 35  # 4c is two rows, xã and phường
    w.measures.drill(2)
    qtbot.waitUntil(lambda: not busy(), timeout=30000)
    assert w.measures.detail_model.rowCount() == 2
    qtmodeltester.check(w.measures.detail_model)
    assert "2 đơn vị" in w.measures.detail_title.text()
    from kh75_desktop.measures import STATUS_COLOURS, STATUS_SHORT

    detail = w.measures.detail_model
    for r in range(2):  # each status in the colour the measures table above gives it
        status = next(k for k, v in STATUS_SHORT.items() if v == detail.index(r, 3).data())
        brush = detail.index(r, 3).data(Qt.ItemDataRole.ForegroundRole)
        assert brush.color().name() == STATUS_COLOURS[status]

    w.show_page("feedback")
    fb = w.feedback
    fb.commune.setCurrentIndex(fb.commune.findData("14464"))
    assert not fb.accept_btn.isChecked() and not fb.return_btn.isChecked()  # nothing preselected
    assert not fb.write(PROVINCE_PASS) and "Hãy chọn" in fb.result.text()
    fb.add_comment("3a", "Đối chiếu lại sổ tử vong")
    assert fb.return_btn.isChecked()
    fb.outbox.setText(str(tmp_path / "outbox"))
    assert fb.write(PROVINCE_PASS)
    assert not fb.progress.isHidden() and not fb.write_btn.isEnabled()  # unlocking, off thread
    qtbot.waitUntil(lambda: fb.progress.isHidden(), timeout=30000)
    written = list((tmp_path / "outbox").glob("*.kh75"))
    assert len(written) == 1 and "tra-lai" in written[0].name
    with zipfile.ZipFile(written[0]) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["decision"] == "return" and manifest["comments"][0]["measure"] == "3a"
    assert fb.commune.findData("14464") == -1  # no longer waiting for feedback


def test_dhis2_export(qtbot, province, world, tmp_path):
    from kh75_desktop.dhis2 import data_value_set
    from kh75_desktop.packages.province_side import commune_figures

    w, _ = province
    w.show_page("exports")
    target = tmp_path / "dhis2.json"
    w.exports.export("dhis2", target)
    assert not w.exports.buttons["pdf"].isEnabled()  # busy while the worker runs
    qtbot.waitUntil(lambda: not w.exports.progress.isVisible(), timeout=20000)
    assert w.exports.buttons["pdf"].isEnabled() and "Đã lưu" in w.exports.result.text()
    doc = data_value_set(w.store.catalogue, YEAR, commune_figures(w.store, YEAR))
    assert json.loads(target.read_text(encoding="utf-8")) == doc
    values = doc["dataValues"]
    assert set(doc) == {"dataValues"} and values
    for v in values:
        assert set(v) == {"dataElement", "period", "orgUnit", "value"}
        assert v["period"] == "2026" and isinstance(v["value"], str)
        assert v["dataElement"].startswith("KH75_")
    births = [v for v in values if v["dataElement"] == "KH75_3a_MAU" and v["orgUnit"] == "14464"]
    assert births[0]["value"] == str(world.store(world.a).figures("14464", YEAR)["live_births"]
                                     .count)
    assert any(v["value"] in ("true", "false") for v in values)


def test_province_screenshots_fit_1366(tmp_path, world):
    from PySide6.QtGui import QImage

    from ui.screenshots import render_province_screenshots

    paths = render_province_screenshots(world.prov, tmp_path / "s", YEAR)
    assert [p.name for p in paths] == ["p01-intake.png", "p02-communes.png", "p03-measures.png",
                                       "p04-feedback.png", "p05-exports.png", "p00-setup.png"]
    for p in paths[:5]:  # the window's pages at 1366×768; the setup dialog at its own size
        img = QImage(str(p))
        assert (img.width(), img.height()) == (1366, 768), p.name


def test_cutoff_date_is_set_from_the_window(qtbot, province):
    from datetime import date

    from PySide6.QtCore import QDate

    from kh75_desktop.reporting_period import cutoff_for

    w, _ = province
    w.show_page("feedback")
    page = w.feedback
    assert page.cutoff.date() == QDate(YEAR, 10, 31)  # the default until Sở Y tế sets one
    assert page.cutoff.minimumDate() == QDate(YEAR, 6, 30)
    page.cutoff.setDate(QDate(YEAR, 9, 30))
    page.save_cutoff()
    assert cutoff_for(w.store, YEAR) == date(YEAR, 9, 30)
    assert "30/09/2026" in page.result.text()


def test_review_shows_the_diff_and_answers_of_a_resubmitted_report(qtbot, world, tmp_path):
    from world import confirmed

    from kh75_desktop.figures import Figure
    from kh75_desktop.packages.commune_side import import_feedback
    from ui.province.review_panel import COMMENT
    from ui.province.window import ProvinceWindow

    a = world.store(world.a)
    ward = a.profile().ward_code
    export_submission(a, world.a, YEAR, tmp_path / "v1", COMMUNE_PASS)
    world.ingest([tmp_path / "v1"], confirmed(world.a))
    w = ProvinceWindow(world.store(world.prov), YEAR)
    w.identity = world.identity
    qtbot.addWidget(w)
    w.show()
    w.show_page("feedback")
    fb = w.feedback
    fb.commune.setCurrentIndex(fb.commune.findData(ward))
    panel = fb.review
    assert panel.measures.rowCount() == 34 and panel.changes.rowCount() == 0
    assert "phiên bản 1" in fb.heading.text()
    row = panel.keys.index("3a")
    panel.measures.item(row, COMMENT).setText("Đối chiếu lại sổ tử vong")  # typed in its row
    fb.return_btn.setChecked(True)
    fb.outbox.setText(str(tmp_path / "fb"))
    assert fb.write(PROVINCE_PASS)
    qtbot.waitUntil(lambda: fb.progress.isHidden(), timeout=30000)
    import_feedback(a, world.a, next((tmp_path / "fb").glob("*.kh75")))
    exchange = ExchangeStore(a.engine)
    unlocked = exchange.unlocked_elements(ward, YEAR)
    assert set(unlocked) == {"live_births", "deaths_neonatal"}  # only 3a's figures reopen
    comment = exchange.open_comments(ward, YEAR)[0]
    exchange.answer_comment(comment.id, "Đã đối chiếu sổ A6: sửa 3 thành 2")
    births = a.figures(ward, YEAR)["deaths_neonatal"]
    a.save_figures(ward, YEAR, [Figure("deaths_neonatal", 2, source=births.source,
                                       explanation="Đối chiếu sổ A6")], who="Hoa",
                   explain_soft="Đối chiếu sổ A6")
    export_submission(a, world.a, YEAR, tmp_path / "v2", COMMUNE_PASS)
    world.ingest([tmp_path / "v2"])
    fb.refresh()
    fb.commune.setCurrentIndex(fb.commune.findData(ward))
    assert "phiên bản 2" in fb.heading.text()
    changes = [[panel.changes.item(r, c).text() for c in range(3)]
               for r in range(panel.changes.rowCount())]
    assert changes == [["Số trẻ sơ sinh tử vong (dưới 28 ngày tuổi)", "3", "2"]]
    answers = [[panel.answers.item(r, c).text() for c in range(3)]
               for r in range(panel.answers.rowCount())]
    assert answers == [["3a", "Đối chiếu lại sổ tử vong", "Đã đối chiếu sổ A6: sửa 3 thành 2"]]
    assert not fb.accept_btn.isChecked() and not fb.return_btn.isChecked()


def test_province_is_set_up_from_an_empty_folder_in_the_window(qtbot, tmp_path):
    from kh75_desktop.packages.keys import ProvinceKeys
    from kh75_desktop.packages.province_side import require_province
    from kh75_desktop.profile import open_store
    from ui.province.setup_dialog import ProvinceSetupDialog

    folder = tmp_path / "Sở Y tế #1"
    store = open_store(folder)
    dialog = ProvinceSetupDialog(store, folder)
    qtbot.addWidget(dialog)
    same = "ký và mở gói của Sở Y tế 2026"
    for field, text in ((dialog.signing, same), (dialog.signing_again, same),
                        (dialog.decrypt, same), (dialog.decrypt_again, same)):
        field.setText(text)
    assert not dialog.create() and "khác nhau" in dialog.message.text()
    dialog.decrypt.setText("123")
    dialog.decrypt_again.setText("123")
    assert not dialog.create() and store.profile() is None  # nothing made on a refusal
    dialog.decrypt.setText("mở gói các xã bằng mật khẩu riêng")
    dialog.decrypt_again.setText("mở gói các xã bằng mật khẩu riêng")
    assert dialog.create()  # the keys' two scrypts run in a worker, the dialog not closable
    assert not dialog.progress.isHidden() and not dialog.create_btn.isEnabled()
    dialog.show()
    dialog.reject()
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=30000)
    require_province(store)
    info = ProvinceKeys(folder).info()
    assert info.fingerprint in dialog.message.text() and not dialog.done_btn.isHidden()
    copy = dialog.save_key_file(tmp_path / "gửi các xã.kh75key")
    assert copy.read_bytes() == ProvinceKeys(folder).key_file.read_bytes()
    ProvinceKeys(folder).unlock_identity("mở gói các xã bằng mật khẩu riêng")


def test_sở_y_tế_moves_to_a_new_computer(qtbot, province, world, tmp_path):
    from kh75_desktop.packages.keys import ProvinceKeys
    from kh75_desktop.profile import open_store
    from ui.province.setup_dialog import ProvinceSetupDialog

    w, _ = province
    moved = tmp_path / "so-y-te.kh75profile"
    page = w.exports
    assert page.export_profile(moved, "sai mật khẩu")  # unlocked in a worker, refused there
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    assert "✖" in page.result.text() and "Mật khẩu không đúng" in page.result.text()
    assert not moved.exists()
    assert page.export_profile(moved, PROVINCE_PASS)
    assert not page.progress.isHidden() and not page.move_btn.isEnabled()
    qtbot.waitUntil(lambda: page.progress.isHidden(), timeout=30000)
    assert "✔" in page.result.text() and moved.exists()
    folder = tmp_path / "máy mới"
    dialog = ProvinceSetupDialog(open_store(folder), folder)
    qtbot.addWidget(dialog)
    assert dialog.import_from(moved, "sai mật khẩu")  # brought in by a worker, refused there
    assert not dialog.progress.isHidden() and not dialog.import_btn.isEnabled()
    qtbot.waitUntil(lambda: dialog.progress.isHidden(), timeout=30000)
    assert "Mật khẩu không đúng" in dialog.message.text() and not dialog.imported
    assert dialog.import_btn.isEnabled()
    assert dialog.import_from(moved, PROVINCE_PASS)
    qtbot.waitUntil(lambda: dialog.imported, timeout=30000)
    assert dialog.result() == dialog.DialogCode.Accepted
    store = open_store(folder)
    assert ProvinceKeys(folder).info().fingerprint == ProvinceKeys(world.prov).info().fingerprint
    old = ExchangeStore(w.store.engine).submissions(YEAR)
    assert len(ExchangeStore(store.engine).submissions(YEAR)) == len(old) > 0
    ProvinceKeys(folder).unlock_identity(PROVINCE_DECRYPT_PASS)  # the identity moved too


def test_an_unexpected_failure_in_a_worker_is_said_in_vietnamese(qtbot):
    import zipfile

    from ui.worker import run_task

    said = []

    def work():
        raise zipfile.BadZipFile("File is not a zip file")

    run_task(work, lambda _r: None, said.append)
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "Lỗi không mong đợi" in said[0] and "BadZipFile" in said[0]
    assert "File is not" not in said[0]


def test_a_page_shown_again_with_nothing_changed_is_not_loaded_again(qtbot, province, world,
                                                                     tmp_path):
    """Issue 19: back on the communes or the measures page, what it shows stays when nothing it
    is made of changed (no worker, no second paint); a decision reloads the communes at once."""
    from kh75_desktop.packages.province_side import write_feedback

    w, _inbox = province
    communes = w.communes
    w.show_page("communes")
    assert communes.loader.loading
    qtbot.waitUntil(lambda: not busy(), timeout=30000)
    rows = communes.model._rows
    w.show_page("intake")
    w.show_page("communes")
    assert not communes.loader.loading and communes.model._rows is rows
    write_feedback(w.store, world.prov, "14464", YEAR, "accept", [], PROVINCE_PASS,
                   tmp_path / "outbox")
    w.show_page("intake")
    w.show_page("communes")
    assert communes.loader.loading
    qtbot.waitUntil(lambda: not busy(), timeout=30000)
    status = {r.commune.code: r.status for r in communes.model._rows}
    assert status["14464"] == "accepted"
    assert communes.mode_buttons["accepted"].text() == "Đã chấp nhận (1)"

    w.show_page("measures")
    qtbot.waitUntil(lambda: not busy(), timeout=30000)
    shown = w.measures.measures
    assert shown and w.measures.table.rowCount() == len(shown)
    w.show_page("communes")
    w.show_page("measures")
    assert not w.measures.loader.loading and w.measures.measures is shown


def test_a_page_comes_up_with_its_rows_never_with_the_old_ones(qtbot, province):
    """A page that loads in the worker is switched to once its rows are in, so the officer never
    reads the rows it showed before (another year's); chosen and left before its rows came, it
    never takes the screen from the page chosen after it."""
    w, _inbox = province
    w.show_page("intake")
    w.show_page("communes")
    assert w.communes.loader.loading and w.stack.currentWidget() is w.intake
    qtbot.waitUntil(lambda: w.stack.currentWidget() is w.communes, timeout=30000)
    assert w.communes.model.rowCount() == 129
    w.set_year(YEAR - 1)  # the year changes under the page: its rows are read again
    w.show_page("measures")
    w.show_page("feedback")
    qtbot.waitUntil(lambda: not busy(), timeout=30000)
    qtbot.wait(150)  # past the longest wait for a slow page
    assert w.stack.currentWidget() is w.feedback


def test_the_measures_table_mended_in_place_reads_as_one_made_afresh(qtbot, province):
    """After a new version the measures table keeps its cells and sets only the words that
    changed: every cell's words, hover text and status colour must then be what a table made
    from nothing shows."""
    from kh75_desktop.communes import communes
    from kh75_desktop.consolidation import consolidate
    from kh75_desktop.demo import demo_figures
    from ui.province.measures_page import MeasuresPage

    w, _inbox = province
    scope = communes()
    first = {c.code: {f.element: f for f in demo_figures(c.code, YEAR)} for c in scope[:60]}
    later = dict(first)
    later.update({c.code: {f.element: f for f in demo_figures(c.code, YEAR - 1)}
                  for c in scope[:129]})  # most communes heard from: values and states move
    before = consolidate(w.store.catalogue, YEAR, scope, {YEAR: first})
    after = consolidate(w.store.catalogue, YEAR, scope, {YEAR: later})

    def cells(page):
        t = page.table
        return [[(t.item(r, c).text(), t.item(r, c).toolTip(),
                  t.item(r, c).foreground().color().name() if c == 5 else "")
                 for c in range(t.columnCount())] for r in range(t.rowCount())]

    mended = w.measures
    mended._show(before)
    shown_before = cells(mended)
    mended._show(after)
    fresh = MeasuresPage(w)
    qtbot.addWidget(fresh)
    fresh._show(after)
    assert cells(mended) == cells(fresh)
    assert cells(mended) != shown_before  # the second set really differs from the first
    from kh75_desktop.measures import STATUS_COLOURS, STATUS_SHORT

    for row, pm in zip(cells(mended), after, strict=True):
        status = pm.result.status
        assert row[0][0] == pm.label
        assert row[5] == (STATUS_SHORT[status], pm.result.reason, STATUS_COLOURS[status])
        assert row[6] == (f"{pm.communes}/{pm.total}", pm.coverage_words(), "")


def test_the_signing_key_stays_open_between_feedback_packages_while_it_is_used(
        qtbot, world, tmp_path, monkeypatch):
    """Issue 19: each feedback package asked the signing passphrase and waited seconds of
    scrypt, 129 times in a review; the key now stays open between packages while it is used,
    shown as open with a way to lock it, and is asked again once locked."""
    from world import confirmed

    import ui.province.feedback_page as feedback_page
    from ui.province.window import ProvinceWindow

    for which in (world.a, world.b):
        export_submission(world.store(which), which, YEAR, tmp_path / "in", COMMUNE_PASS)
    world.ingest([tmp_path / "in"], {**confirmed(world.a), **confirmed(world.b)})
    asked = []
    monkeypatch.setattr(feedback_page, "ask_passphrase",
                        lambda *a: asked.append(a) or PROVINCE_PASS)
    w = ProvinceWindow(world.store(world.prov), YEAR)
    qtbot.addWidget(w)
    w.show()
    w.show_page("feedback")
    fb = w.feedback
    fb.outbox.setText(str(tmp_path / "fb"))
    assert fb.commune.count() == 2 and not fb.lock_btn.isVisible() and not fb.key_state.text()

    def decide_and_press():
        fb.accept_btn.setChecked(True)
        qtbot.mouseClick(fb.write_btn, Qt.MouseButton.LeftButton)

    decide_and_press()
    assert len(asked) == 1 and not fb.progress.isHidden()  # asked, then unlocked in a worker
    qtbot.waitUntil(lambda: fb.progress.isHidden(), timeout=30000)
    assert "✔" in fb.result.text() and fb.lock_btn.isVisible()
    assert "tự khóa lại sau 10 phút" in fb.key_state.text()
    decide_and_press()  # the next commune: no passphrase, no wait
    assert len(asked) == 1 and fb.progress.isHidden() and "✔" in fb.result.text()
    assert len(list((tmp_path / "fb").glob("*.kh75"))) == 2 and fb.commune.count() == 0
    assert "Không có báo cáo nào chờ phản hồi" in fb.heading.text()  # and what was written
    qtbot.mouseClick(fb.lock_btn, Qt.MouseButton.LeftButton)
    assert not w.signing.is_open and not fb.lock_btn.isVisible() and not fb.key_state.text()
    w.signing.keep(object())
    w.close()
    assert not w.signing.is_open  # never left open for the next person at the window


def test_an_open_signing_key_locks_after_ten_idle_minutes_by_either_clock():
    from kh75_desktop.packages.open_signing_key import IDLE_MINUTES, OpenSigningKey

    steady, wall = [100.0], [1_700_000_000.0]
    key = OpenSigningKey((lambda: steady[0], lambda: wall[0]))
    assert key.get() is None
    secret = object()
    key.keep(secret)
    steady[0] += IDLE_MINUTES * 60 - 1
    wall[0] += IDLE_MINUTES * 60 - 1
    assert key.get() is secret
    key.keep(secret)  # it signed again: ten more minutes
    wall[0] += IDLE_MINUTES * 60 + 1  # asleep: the steady clock may not have moved
    assert key.get() is None and not key.is_open
    key.keep(secret)
    wall[0] -= 60  # the wall clock set back
    assert key.get() is None
    key.keep(secret)
    steady[0] += IDLE_MINUTES * 60 + 1
    assert key.get() is None
