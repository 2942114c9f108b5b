"""Writing the report in the window: the sections saved by themselves, locked once sent, the
signatory set in a dialog and previewed, and Sở Y tế reading a commune's words beside its
comments (pytest-qt, offscreen, real widgets)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from world import COMMUNE_PASS, YEAR, confirmed

from kh75_desktop.narrative import load_narrative, save_section
from kh75_desktop.signatory import signatory_for

W = "14464"


@pytest.fixture
def reports(window):
    window.show_page("reports")
    return window


def test_sections_save_themselves_after_typing_stops(qtbot, reports, store):
    window = reports
    editor = window.reports.narrative
    box = editor.edits["difficulties"]
    qtbot.keyClicks(box, "Thieu kinh phi")
    assert load_narrative(store, 2026) == {}  # not on every key
    qtbot.waitUntil(lambda: load_narrative(store, 2026).get("difficulties") == "Thieu kinh phi",
                    timeout=5000)
    assert "Đã lưu" in editor.state.text()
    box.setPlainText("Sửa lại")  # typed, then the window closes before the pause
    window.close()
    assert load_narrative(store, 2026)["difficulties"] == "Sửa lại"


def test_sections_of_a_sent_report_are_read_only(qtbot, reports, store):
    window = reports
    save_section(store, W, 2026, "proposals", "Đề nghị tập huấn.")
    store.set_report_status(W, 2026, "exported", 1)
    window.show_page("overview")
    window.show_page("reports")
    editor = window.reports.narrative
    assert editor.edits["proposals"].toPlainText() == "Đề nghị tập huấn."
    assert all(e.isReadOnly() for e in editor.edits.values())
    assert "bị khóa" in editor.state.text()


def test_signatory_dialog_previews_and_saves(qtbot, store):
    from ui.signatory_dialog import SignatoryDialog

    dialog = SignatoryDialog(store)
    qtbot.addWidget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData("deputy"))
    dialog.signer.setText("Trần Văn Nam")
    assert dialog.preview.text().splitlines()[:3] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
                                                      "PHÓ CHỦ TỊCH"]
    assert "Trần Văn Nam" in dialog.preview.text()
    dialog.recipients.setPlainText("Sở Y tế tỉnh Ninh Bình\nLưu: VT.")
    assert dialog.save()
    sig = signatory_for(store)
    assert sig.signer == "Trần Văn Nam" and sig.role == "deputy"
    assert sig.recipients == ("Sở Y tế tỉnh Ninh Bình", "Lưu: VT.")
    again = SignatoryDialog(store)
    qtbot.addWidget(again)
    again.signer.setText("x" * 300)
    assert not again.save() and "dài quá" in again.message.text()
    assert signatory_for(store).signer == "Trần Văn Nam"  # nothing lost on a refusal


def test_province_reads_the_communes_words_as_plain_text(qtbot, world, tmp_path):
    from kh75_desktop.packages.commune_side import export_submission
    from ui.province.window import ProvinceWindow

    a = world.store(world.a)
    save_section(a, W, YEAR, "difficulties", "<b>Thiếu</b> người & kinh phí")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    export_submission(a, world.a, YEAR, inbox, COMMUNE_PASS)
    world.ingest([inbox], confirmed(world.a))
    w = ProvinceWindow(world.store(world.prov), YEAR)
    qtbot.addWidget(w)
    w.show()
    w.show_page("feedback")
    page = w.feedback
    page.commune.setCurrentIndex(page.commune.findData(W))
    text = page.narrative.toPlainText()
    assert "III. KHÓ KHĂN, VƯỚNG MẮC" in text and "<b>Thiếu</b> người & kinh phí" in text
    assert page.narrative.isReadOnly()
    assert Qt.TextInteractionFlag.TextEditable not in page.narrative.textInteractionFlags()
