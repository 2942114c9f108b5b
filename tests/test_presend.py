"""The "Kiểm tra trước khi gửi" list: exactly the planted problems, each leading to its field,
and the export button closed with the count while any blocking item remains."""

from __future__ import annotations

import sqlite3

from kh75_desktop.demo import demo_figures
from kh75_desktop.figures import Figure
from kh75_desktop.presend import presend_items, readiness_words
from kh75_desktop.storage.database import DB_FILE_NAME

W = "14464"


def _planted(store, data_dir):
    """Demo figures for 2025 and 2026, then: one figure removed, and one jump whose
    explanation is lost (as an old version or another tool could leave it)."""
    store.save_figures(W, 2025, demo_figures(W, 2025), who="Hoa")
    figures = [f for f in demo_figures(W, 2026) if f.element != "child_marriages"]
    store.save_figures(W, 2026, figures, who="Hoa")
    births = store.figures(W, 2026)["live_births"]
    store.save_figures(W, 2026, [Figure("live_births", births.count * 2, source=births.source,
                                        explanation="tạm")], who="Hoa", explain_soft="tạm")
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    con.execute("UPDATE figure SET explanation='' WHERE element='live_births' AND year=2026")
    con.commit()
    con.close()


def test_the_list_holds_exactly_the_planted_problems(store, data_dir):
    _planted(store, data_dir)
    items = presend_items(store, data_dir, 2026)
    kinds = sorted((i.kind, i.element) for i in items if i.blocking)
    assert ("missing", "child_marriages") in kinds
    assert any(k == "warning" and e == "live_births" for k, e in kinds)
    assert ("key", None) in kinds and ("province_key", None) in kinds
    assert not [k for k, _ in kinds if k == "error"]  # nothing hard was planted
    blocking = sum(i.blocking for i in items)
    assert readiness_words(items) == f"Còn {blocking} việc phải xong trước khi gửi"


def test_jumping_from_the_list_opens_the_field(qtbot, window, store, data_dir):
    _planted(store, data_dir)
    window.show_page("packages")
    page = window.packages
    assert not page.export_btn.isEnabled()
    assert page.export_btn.text().startswith("Còn ")
    rows = [page.checklist.item(i) for i in range(page.checklist.count())]
    missing = next(r for r in rows if "Chưa nhập" in r.text())
    page.jump(missing)
    assert window.stack.currentWidget() is window.entry
    editor = next(e for e in window.entry.editors if e.element.key == "child_marriages")
    qtbot.waitUntil(lambda: editor.value.hasFocus() or
                    window.focusWidget() is editor.value, timeout=2000)


def test_an_unanswered_comment_blocks_until_answered(world):
    from world import YEAR

    from kh75_desktop.storage.exchange import ExchangeStore
    from kh75_desktop.storage.models import FeedbackCommentRow

    store = world.store(world.a)
    ward = store.profile().ward_code
    exchange = ExchangeStore(store.engine)
    with exchange.session() as s:
        s.add(FeedbackCommentRow(feedback_id="f1", ward_code=ward, year=YEAR, version=1,
                                 measure="3a", comment="Số sinh thấp bất thường", answer=""))
        s.commit()
    store.set_report_status(ward, YEAR, "returned", 1)
    items = presend_items(store, world.a, YEAR)
    comment = [i for i in items if i.kind == "comment"]
    assert len(comment) == 1 and comment[0].measure == "3a" and comment[0].blocking
    c = exchange.open_comments(ward, YEAR)[0]
    exchange.answer_comment(c.id, "Đã kiểm tra lại sổ A1")
    assert not [i for i in presend_items(store, world.a, YEAR) if i.kind == "comment"]
