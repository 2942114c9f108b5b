"""Guided entry, one indicator at a time: definition, targets, the figures it needs, the live value.

Every change is saved when the officer leaves a field (Tab, Enter, a click elsewhere) and after a
short pause in typing, so nothing waits for a save button. The store applies the rules; this page
only shows what they say.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QScrollArea, QSplitter, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from kh75_desktop.entry import indicator_progress, indicator_view, preview
from kh75_desktop.errors import KH75Error
from kh75_desktop.measures import STATUS_LABELS, measure_value
from kh75_desktop.numbers_vi import format_measure, format_target
from kh75_desktop.overview import interval_words
from kh75_desktop.storage.store import RuleViolation

from ..figure_editor import FigureEditor
from ..style import STATUS_COLOURS

PROGRESS_MARKS = {"done": "✔", "partial": "◐", "empty": "○"}
IDLE_SAVE_MS = 1500


class EntryPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.catalogue = window.store.catalogue
        self.indicator = 1
        self.editors: list[FigureEditor] = []
        self.history: dict = {}
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Danh sách chỉ tiêu")
        self.items: dict[int, QTreeWidgetItem] = {}
        for goal, name in self.catalogue.goals.items():
            top = QTreeWidgetItem([name.split(":")[0]])
            top.setToolTip(0, name)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(top)
            for ind in self.catalogue.indicators.values():
                if ind.goal == goal:
                    item = QTreeWidgetItem([f"Chỉ tiêu {ind.indicator}"])
                    item.setData(0, Qt.ItemDataRole.UserRole, ind.indicator)
                    item.setToolTip(0, ind.plan_text)
                    top.addChild(item)
                    self.items[ind.indicator] = item
        self.tree.expandAll()
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.tree.setMinimumWidth(170)
        self.tree.setMaximumWidth(220)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.scroll)
        splitter.setStretchFactor(1, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_SAVE_MS)
        self.idle.timeout.connect(self._save_idle)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, activated=lambda: self.step(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, activated=lambda: self.step(-1))

    # -- navigation ----------------------------------------------------------------------------
    def _tree_changed(self, item, _previous) -> None:
        ind = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if ind is not None and ind != self.indicator:
            self.flush()
            self.indicator = ind
            self._build()

    def select_indicator(self, indicator: int) -> None:
        self.tree.setCurrentItem(self.items[indicator])
        if self.indicator != indicator:
            self.flush()
            self.indicator = indicator
            self._build()

    def step(self, delta: int) -> None:
        keys = list(self.items)
        i = (keys.index(self.indicator) + delta) % len(keys)
        self.select_indicator(keys[i])
        if self.editors:
            self.editors[0].focus_value()

    def refresh(self) -> None:
        self.tree.setCurrentItem(self.items[self.indicator])
        self._build()

    # -- building the form ---------------------------------------------------------------------
    def _build(self) -> None:
        w = self.window
        self.history = w.store.history(w.profile.ward_code)
        view = indicator_view(self.catalogue, self.indicator, w.year, self.history)
        body = QWidget()
        layout = QVBoxLayout(body)
        title = QLabel(f"Chỉ tiêu {view.indicator}")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        plan = QLabel(view.plan_text)
        plan.setObjectName("planText")
        plan.setWordWrap(True)
        layout.addWidget(plan)
        lead = QLabel(f"Cơ quan chủ trì: {view.lead}")
        lead.setObjectName("muted")
        lead.setWordWrap(True)
        layout.addWidget(lead)
        kind = w.profile.ward_kind
        targets = QLabel("<br>".join(
            f"<b>{m.key}</b> {escape(m.name)}: năm 2026 "
            f"<b>{escape(format_target(m.target_for(2026, kind), m.unit))}</b>"
            f" · năm 2030 <b>{escape(format_target(m.target_for(2030, kind), m.unit))}</b>"
            for m in view.measures))
        targets.setTextFormat(Qt.TextFormat.RichText)
        targets.setWordWrap(True)
        layout.addWidget(targets)
        section = QLabel("Kết quả tính tự động (cập nhật khi gõ)")
        section.setObjectName("sectionTitle")
        layout.addWidget(section)
        self.result_labels: dict[str, QLabel] = {}
        for m in view.measures:
            lbl = QLabel()
            lbl.setWordWrap(True)
            lbl.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(lbl)
            self.result_labels[m.key] = lbl
        section = QLabel("Số liệu cần nhập")
        section.setObjectName("sectionTitle")
        layout.addWidget(section)
        self.editors = []
        for ev in view.elements:
            editor = FigureEditor(self.catalogue, ev)
            editor.edited.connect(self._edited)
            editor.commit.connect(lambda e=editor: self.save(e))
            editor.advance.connect(lambda e=editor: self._advance(e))
            layout.addWidget(editor)
            self.editors.append(editor)
        hint = QLabel("Tab/Enter: sang ô tiếp theo · Ctrl+Page Down / Ctrl+Page Up: chỉ tiêu "
                      "tiếp theo / trước · Số liệu được lưu ngay khi rời ô nhập.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.scroll.setWidget(body)
        self._update_results()
        self._update_tree()

    def _advance(self, editor: FigureEditor) -> None:
        self.save(editor)
        if editor.state in ("error", "warning"):
            (editor.explanation if editor.state == "warning" else editor.value).setFocus()
            return
        i = self.editors.index(editor)
        if i + 1 < len(self.editors):
            self.editors[i + 1].focus_value()
        else:
            self.step(1)

    # -- live preview and saving ---------------------------------------------------------------
    def _pending(self) -> dict:
        pending = {}
        for e in self.editors:
            try:
                pending[e.element.key] = e.figure()
            except KH75Error:
                continue
        return pending

    def _edited(self) -> None:
        self._update_results()
        self.idle.start()

    def _update_results(self) -> None:
        w = self.window
        results = preview(self.catalogue, self.indicator, w.year, w.profile.ward_kind,
                          self.history, self._pending())
        for r in results:
            m = r.measure
            past = []
            for y in range(w.year - 1, w.year - 4, -1):
                v = measure_value(m, self.history.get(y, {}))
                past.append(f"{y}: {format_measure(v, m.unit)}")
            colour = STATUS_COLOURS[r.status]
            words = interval_words(r)
            self.result_labels[m.key].setText(
                f"<b>{m.key}</b> {escape(m.name)}: <b>{escape(format_measure(r.value, m.unit))}"
                f"</b> — chỉ tiêu {escape(format_target(r.target, m.unit))} — "
                f"<span style='color:{colour}'><b>{STATUS_LABELS[r.status]}</b></span><br>"
                + (f"<i>{escape(words)}</i><br>" if words else "")
                + "<span style='color:#5f6b7a'>Các năm trước — "
                + escape(" · ".join(past)) + "</span>")

    def _update_tree(self) -> None:
        figures = self.history.get(self.window.year, {})
        for ind, item in self.items.items():
            mark = PROGRESS_MARKS[indicator_progress(self.catalogue, ind, figures)]
            item.setText(0, f"{mark} Chỉ tiêu {ind}")

    def _save_idle(self) -> None:
        for e in self.editors:
            if e.dirty and e.state != "warning" and not e.is_empty():
                self.save(e, quiet=True)

    def save(self, editor: FigureEditor, quiet: bool = False) -> bool:
        """Validate and store one editor's figure; show the outcome on the editor."""
        if not editor.dirty and editor.state != "warning":
            return True
        if editor.is_empty():
            editor.set_state("", "Chưa nhập")
            return False
        try:
            fig = editor.figure()
        except KH75Error as err:
            if not quiet:
                editor.set_state("error", "✖ " + err.message)
            return False
        w = self.window
        try:
            outcome = w.store.save_figure(w.profile.ward_code, w.year, fig, who=w.profile.officer)
        except RuleViolation as v:
            text = " ".join(f.message for f in v.findings)
            if v.needs_explanation:
                editor.set_state("warning", "⚠ " + text + " Hãy ghi giải thích để lưu.")
            else:
                editor.set_state("error", "✖ " + text + " Số liệu chưa được lưu.")
            return False
        except KH75Error as err:
            editor.set_state("error", "✖ " + err.message)
            return False
        editor.mark_saved(fig, [f.message for f in outcome.warnings])
        self.history = w.store.history(w.profile.ward_code)
        self._update_results()
        self._update_tree()
        return True

    def flush(self) -> None:
        """Save every editor with unsaved changes (leaving the page, closing the window)."""
        self.idle.stop()
        for e in self.editors:
            if e.dirty:
                self.save(e)
