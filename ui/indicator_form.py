"""One indicator's form: plan text, targets, live results, and an editor per data element.

Forms are built once per year and kept; showing one again only re-syncs figures that another
indicator's form may have changed (shared elements such as live births or the number of schools).
A form can be built in pieces of a few milliseconds each (`build_step`), so the page can make
the next ones between keystrokes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from kh75_desktop.entry import indicator_view, preview
from kh75_desktop.errors import KH75Error
from kh75_desktop.measures import STATUS_COLOURS, STATUS_LABELS, measure_value
from kh75_desktop.numbers_vi import format_measure, format_target

from .figure_editor import FigureEditor
from .figure_grid import FigureGrid
from .style import styled


class IndicatorForm(QScrollArea):
    def __init__(self, catalogue, indicator: int, year: int, commune_kind: str, history: dict,
                 locks=None, parent=None, whole: bool = True):
        """The form, built at once; with `whole=False` only its frame, the rest made by
        `build_step` (the history and locks are read again when the form is shown: sync)."""
        super().__init__(parent)
        self.catalogue = catalogue
        self.indicator = indicator
        self.year = year
        self.kind = commune_kind
        self.editors: list[FigureEditor] = []
        self.setWidgetResizable(True)
        self._steps = self._build(history, locks)
        if whole:
            self.finish()

    @property
    def built(self) -> bool:
        return self._steps is None

    def build_step(self) -> bool:
        """Make the next piece of the form (its plan text, its grid, one figure's card or that
        card's styling, the body's styling, the last layout, its results); True once the form
        is whole."""
        if self._steps is not None:
            try:
                next(self._steps)
            except StopIteration:
                self._steps = None
        return self._steps is None

    def finish(self) -> None:
        while not self.build_step():
            pass

    def _build(self, history: dict, locks):
        # every widget is made with its parent: one made loose and then added costs 3-5x more
        catalogue, indicator, year, commune_kind = (self.catalogue, self.indicator, self.year,
                                                    self.kind)
        view = indicator_view(catalogue, indicator, year, history)
        body = QWidget(self.viewport())
        layout = QVBoxLayout(body)
        short = catalogue.indicators[indicator].short
        title = QLabel(f"Chỉ tiêu {view.indicator}. {short}".rstrip(". "), body)
        styled(title, "pageTitle")
        layout.addWidget(title)
        plan = QLabel(view.plan_text, body)
        styled(plan, "planText")
        plan.setWordWrap(True)
        layout.addWidget(plan)
        lead = QLabel(f"Cơ quan chủ trì: {view.lead}", body)
        styled(lead, "muted")
        lead.setWordWrap(True)
        layout.addWidget(lead)
        for m in view.measures:
            if m.level_note:  # 6 and 10: the province's figure comes from its own source
                note = QLabel(m.level_note, body)
                note.setTextFormat(Qt.TextFormat.PlainText)
                note.setWordWrap(True)
                styled(note, "muted")
                layout.addWidget(note)
        targets = QLabel("<br>".join(
            f"<b>{m.key}</b> {escape(m.name)}: năm 2026 "
            f"<b>{escape(format_target(m.target_for(2026, commune_kind), m.unit))}</b>"
            f" · năm 2030 <b>{escape(format_target(m.target_for(2030, commune_kind), m.unit))}</b>"
            for m in view.measures), body)
        targets.setTextFormat(Qt.TextFormat.RichText)
        targets.setWordWrap(True)
        layout.addWidget(targets)
        section = QLabel("Kết quả tính từ số liệu đã lưu", body)
        styled(section, "sectionTitle")
        layout.addWidget(section)
        self.result_labels: dict[str, QLabel] = {}
        self.comment_labels: dict[str, QLabel] = {}
        for m in view.measures:
            lbl = QLabel(body)
            lbl.setWordWrap(True)
            lbl.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(lbl)
            self.result_labels[m.key] = lbl
            note = QLabel(body)
            note.setWordWrap(True)
            styled(note, "comment")
            note.setTextFormat(Qt.TextFormat.PlainText)  # Sở Y tế's words, never markup
            note.setVisible(False)
            layout.addWidget(note)
            self.comment_labels[m.key] = note
        section = QLabel("Số liệu cần nhập", body)
        styled(section, "sectionTitle")
        layout.addWidget(section)
        yield
        self.grid = FigureGrid(view.elements, year, body)
        layout.addWidget(self.grid)
        yield
        hint = QLabel("Gõ số vào cột năm nay; Tab hoặc Enter sang số liệu tiếp theo · "
                      "Ctrl+Page Down / Ctrl+Page Up: chỉ tiêu tiếp theo / trước · Số liệu được "
                      "lưu ngay khi rời ô.", body)
        styled(hint, "muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        section = QLabel("Chi tiết từng số liệu (định nghĩa, nguồn, ghi chú, lý do, giải thích)", body)
        styled(section, "sectionTitle")
        layout.addWidget(section)
        for ev in view.elements:
            editor = FigureEditor(catalogue, ev, body)
            layout.addWidget(editor)
            self.editors.append(editor)
            yield
            # its style sheet applied and its size worked out in a step of its own, not all
            # of them at once when the body is laid out (8-13 ms, the longest step)
            editor.ensurePolished()
            editor.sizeHint()
            yield
        hint = QLabel("Tab/Enter: sang ô tiếp theo · Số liệu được lưu ngay khi rời ô nhập.", body)
        styled(hint, "muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        # the rest of the style sheets applied now, not when the form is first shown
        body.ensurePolished()
        yield
        self.setWidget(body)  # lays the whole body out
        yield
        self.update_results(history)
        if locks is not None:
            self.apply_locks(locks)

    def apply_locks(self, locks) -> None:
        """Lock sent figures, show which ones Sở Y tế reopened and its comments."""
        for e in self.editors:
            e.set_locked(not locks.editable(e.element.key), locks.reason(e.element.key))
            self.grid.show_figure(e)
        for key, label in self.comment_labels.items():
            text = locks.comments.get(key)
            label.setVisible(bool(text))
            label.setText(f"Ý kiến của Sở Y tế về chỉ số {key}: {text}" if text else "")

    def editor_for(self, element: str) -> FigureEditor | None:
        return next((e for e in self.editors if e.element.key == element), None)

    def pending(self) -> dict:
        """The figures as typed in this form, those that can be read."""
        out = {}
        for e in self.editors:
            try:
                out[e.element.key] = e.figure()
            except KH75Error:
                continue
        return out

    def sync(self, history: dict) -> None:
        """Show figures saved elsewhere since this form was built (shared elements)."""
        figures = history.get(self.year, {})
        for e in self.editors:
            saved = figures.get(e.element.key)
            if not e.dirty and saved is not None and saved != e.stored:
                e.stored = saved
                e.load(saved)
            self.grid.show_figure(e)
        self.update_results(history)

    def update_results(self, history: dict) -> None:
        """The indicator's measures from the saved figures only: a value being typed, or one
        the rules refused, never shows as a result."""
        results = preview(self.catalogue, self.indicator, self.year, self.kind, history, {})
        for r in results:
            m = r.measure
            past = [f"{y}: {format_measure(measure_value(m, history.get(y, {})), m.unit)}"
                    for y in range(self.year - 1, self.year - 4, -1)]
            colour = STATUS_COLOURS[r.status]
            words = " ".join(x for x in (r.reason, r.track_reason) if x)
            self.result_labels[m.key].setText(
                f"<b>{m.key}</b> {escape(m.name)}: <b>{escape(format_measure(r.value, m.unit))}"
                f"</b> — chỉ tiêu {escape(format_target(r.target, m.unit))} — "
                f"<span style='color:{colour}'><b>{STATUS_LABELS[r.status]}</b></span><br>"
                + (f"<i>{escape(words)}</i><br>" if words else "")
                + "<span style='color:#5f6b7a'>Các năm trước — "
                + escape(" · ".join(past)) + "</span>")
