"""Grid entry, keyboard only: a whole indicator typed value after value with Tab and Enter, each
saved under the same rules as the detail card, the row's state shown, locks respected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.figure_grid import ROW_HEIGHT, STATE, VALUE

W = "14464"


def _type(qtbot, text: str, end=Qt.Key.Key_Tab) -> None:
    for ch in text:
        qtbot.keyClick(QApplication.focusWidget(), ch)
    qtbot.keyClick(QApplication.focusWidget(), end)


def test_a_whole_indicator_by_keyboard_in_the_grid(qtbot, window, store):
    window.show_page("entry")
    window.entry.select_indicator(3)
    grid = window.entry.form.grid
    assert grid.keys == ["live_births", "deaths_neonatal", "deaths_under1", "deaths_under5"]
    assert grid.horizontalHeaderItem(VALUE).text() == "Năm 2026"
    grid.focus_value("live_births")
    order = []
    for text, end in (("357", Qt.Key.Key_Tab), ("3", Qt.Key.Key_Return),
                      ("3", Qt.Key.Key_Tab), ("4", Qt.Key.Key_Return)):
        order.append(grid.currentRow())
        _type(qtbot, text, end)
    assert order == [0, 1, 2, 3]  # Tab and Enter both go value to value, down the grid
    window.entry.writer.wait()
    figures = store.figures(W, 2026)
    assert [figures[k].count for k in grid.keys] == [357, 3, 3, 4]
    assert all(grid.item(r, STATE).text() == "✔ Đã lưu" for r in range(4))
    assert grid.item(0, VALUE).text() == "357"
    assert "8,4‰" in window.entry.form.result_labels["3a"].text()  # from the saved figures


def test_a_refused_value_in_the_grid_is_marked_and_never_saved(qtbot, window, store):
    window.show_page("entry")
    window.entry.select_indicator(3)
    grid = window.entry.form.grid
    grid.focus_value("live_births")
    _type(qtbot, "150")
    _type(qtbot, "200")  # 200 newborn deaths in 150 births
    assert grid.item(1, STATE).text() == "✖ Sai, chưa lưu"
    assert "deaths_neonatal" not in store.figures(W, 2026)
    editor = window.entry.form.editor_for("deaths_neonatal")
    assert editor.state == "error" and "không thể lớn hơn" in editor.message.text()


def test_a_value_typed_in_the_detail_card_shows_in_its_grid_row(qtbot, window, store):
    """The row mirrors the card as it is typed: a refused 407 reads 407 beside its error, not
    the figure saved before."""
    window.show_page("entry")
    window.entry.select_indicator(3)
    grid = window.entry.form.grid
    grid.focus_value("live_births")
    _type(qtbot, "357")
    _type(qtbot, "3")
    window.entry.writer.wait()
    editor = window.entry.form.editor_for("deaths_neonatal")
    editor.value.setFocus()
    editor.value.selectAll()
    qtbot.keyClicks(editor.value, "407")
    assert grid.item(1, VALUE).text() == "407"
    qtbot.keyClick(editor.value, Qt.Key.Key_Tab)
    assert grid.item(1, STATE).text() == "✖ Sai, chưa lưu"
    assert grid.item(1, VALUE).text() == "407"
    window.entry.writer.wait()
    assert store.figures(W, 2026)["deaths_neonatal"].count == 3


def test_yes_no_and_locked_rows(qtbot, window, store):
    window.show_page("entry")
    window.entry.select_indicator(1)
    grid = window.entry.form.grid
    grid.focus_value("child_friendly_commune")
    _type(qtbot, "co")  # typed without diacritics, as on a laptop without a Vietnamese IME
    window.entry.writer.wait()
    assert store.figures(W, 2026)["child_friendly_commune"].flag is True
    store.set_report_status(W, 2026, "exported", 1)
    window.entry.refresh()
    grid = window.entry.form.grid
    assert grid.item(0, STATE).text().startswith("Đã khóa")
    assert not grid.item(0, VALUE).flags() & Qt.ItemFlag.ItemIsEditable


def test_grid_rows_are_measured_at_the_width_they_are_shown(qtbot, window):
    """A row is as tall as its name needs at the grid's real width: measured only when the form
    was built (narrow, before it had its width), every row stayed three lines tall."""
    window.resize(1366, 768)
    window.show_page("entry")
    window.entry.select_indicator(3)
    qtbot.waitExposed(window)
    grid = window.entry.form.grid
    # every name fits on one line at this width: each row is the height left to type in
    assert [grid.rowHeight(r) for r in range(grid.rowCount())] == [ROW_HEIGHT] * 4
    assert grid.height() >= 4 * ROW_HEIGHT
    window.entry.select_indicator(20)  # a 94-letter name: it wraps, more so when narrow
    grid = window.entry.form.grid
    row = grid.keys.index("disabled_children_in_education")
    qtbot.wait(100)
    wide = grid.rowHeight(row)
    window.resize(700, 768)  # as narrow as the window goes
    qtbot.waitUntil(lambda: grid.rowHeight(row) > wide, timeout=3000)
    assert grid.height() >= sum(grid.rowHeight(r) for r in range(grid.rowCount()))
