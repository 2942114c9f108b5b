"""Guided entry, one indicator at a time: definition, targets, the figures it needs, the live value.

Every change is saved when the officer leaves a field (Tab, Enter, a click elsewhere) and after a
short pause in typing, so nothing waits for a save button. The rules are judged at once on the
figures the page holds (the core's `judge_figure`, which the store asks again before writing);
the write itself goes to the database writer thread, and the figure shows "Đang lưu…" until it
is on disk. Forms are cached per indicator; the others are built ahead, the next indicators
first, one piece of a few milliseconds per tick, so that neither a keystroke nor Enter onto the
next indicator waits for a whole form being built.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QStackedWidget, QTreeWidget, QTreeWidgetItem, QWidget

from kh75_desktop.entry import indicator_progress, lock_state
from kh75_desktop.errors import KH75Error
from kh75_desktop.storage.store import RuleViolation, judge_figure

from ..db_writer import DbWriter
from ..figure_editor import FigureEditor
from ..indicator_form import IndicatorForm

PROGRESS_MARKS = {"done": "✔", "partial": "◐", "empty": "○"}
IDLE_SAVE_MS = 1500
PREBUILD_MS = 10  # one piece of a form (0.5-10 ms) per tick: keys are handled between them


class EntryPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.catalogue = window.store.catalogue
        self.indicator = 1
        self.history: dict = {}
        self.forms: dict[int, IndicatorForm] = {}
        self.locks = None
        self.writer = DbWriter(self)
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
                    item = QTreeWidgetItem([self._label(ind.indicator, "empty")])
                    item.setData(0, Qt.ItemDataRole.UserRole, ind.indicator)
                    item.setToolTip(0, ind.plan_text)
                    top.addChild(item)
                    self.items[ind.indicator] = item
        self.tree.expandAll()
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.tree.setMinimumWidth(280)
        self.tree.setMaximumWidth(300)
        self.stack = QStackedWidget()
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_SAVE_MS)
        self.idle.timeout.connect(self._save_idle)
        # A whole form costs 10-30 ms and used to be built only after a pause in typing, so a
        # fast typist reached the next indicator before it was there and waited 40-60 ms; now
        # forms are made a piece at a time, never more than a few ms, whether or not keys come.
        self.prebuild = QTimer(self)
        self.prebuild.setInterval(PREBUILD_MS)
        self.prebuild.timeout.connect(self._prebuild_step)
        QShortcut(QKeySequence("Ctrl+PgDown"), self, activated=lambda: self.step(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, activated=lambda: self.step(-1))

    def _label(self, indicator: int, progress: str) -> str:
        """"✔ 3. Tử vong trẻ em": the plan's number, a short name and how far entry got."""
        short = self.catalogue.indicators[indicator].short
        return f"{PROGRESS_MARKS[progress]} {indicator}. {short}".rstrip()

    # -- the current form ------------------------------------------------------------------------
    @property
    def form(self) -> IndicatorForm | None:
        return self.forms.get(self.indicator)

    @property
    def editors(self) -> list[FigureEditor]:
        return self.form.editors if self.form else []

    @property
    def result_labels(self):
        return self.form.result_labels if self.form else {}

    def _form_for(self, indicator: int) -> IndicatorForm:
        """The indicator's form, whole and wired (finished now if it was being built ahead)."""
        form = self._started(indicator)
        if not form.built:
            form.finish()
            self._wire(form)
        return form

    def _started(self, indicator: int, whole: bool = True) -> IndicatorForm:
        form = self.forms.get(indicator)
        if form is None:
            w = self.window
            form = IndicatorForm(self.catalogue, indicator, w.year, w.profile.ward_kind,
                                 self.history, self.locks, parent=self.stack, whole=whole)
            self.forms[indicator] = form
            self.stack.addWidget(form)
            if form.built:
                self._wire(form)
        return form

    def _wire(self, form: IndicatorForm) -> None:
        for editor in form.editors:
            editor.edited.connect(lambda f=form, e=editor: self._edited(f, e))
            editor.commit.connect(lambda e=editor: self.save(e))
            editor.advance.connect(lambda e=editor: self._advance(e))
        form.grid.typed.connect(lambda key, text, f=form: self._typed_in_grid(f, key, text))
        form.grid.chosen.connect(lambda key, f=form: f.ensureWidgetVisible(
            f.editor_for(key), 0, 0))

    def _prebuild_step(self) -> None:
        keys = list(self.items)
        at = keys.index(self.indicator)
        # the next indicators first: the officer goes there when this one is done
        waiting = [i for i in keys[at + 1:] + keys[:at]
                   if i not in self.forms or not self.forms[i].built]
        if not waiting:
            self.prebuild.stop()
            return
        form = self._started(waiting[0], whole=False)
        if form.build_step():
            self._wire(form)

    # -- navigation ----------------------------------------------------------------------------
    def _tree_changed(self, item, _previous) -> None:
        ind = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        if ind is not None and ind != self.indicator:
            self._show(ind)

    def _show(self, indicator: int) -> None:
        # Moving to another indicator reads nothing back from the database (the page's history
        # already holds every figure handed to the writer), so it never waits for the disk:
        # waiting for the last figure's fsync was most of the stall on Enter (up to 30 ms).
        self.flush(wait=False)
        self.indicator = indicator
        form = self._form_for(indicator)
        form.sync(self.history)
        if self.locks is not None:
            form.apply_locks(self.locks)
        self.stack.setCurrentWidget(form)

    def select_indicator(self, indicator: int) -> None:
        if self.indicator != indicator or self.form is None:
            self._show(indicator)
        self.tree.setCurrentItem(self.items[indicator])

    def focus_element(self, element: str) -> bool:
        """Show the indicator holding `element` and put the cursor in its value field."""
        ind = next((i for i in self.items if any(
            e.key == element for e in self.catalogue.elements_of_indicator(i))), None)
        if ind is None:
            return False
        self.select_indicator(ind)
        editor = next((e for e in self.editors if e.element.key == element), None)
        if editor is None:
            return False
        self.form.ensureWidgetVisible(editor, 0, 40)
        editor.focus_value()
        return True

    def focus_measure(self, measure: str) -> bool:
        """Show the indicator a measure belongs to, the cursor in its first figure."""
        m = self.catalogue.measures.get(measure)
        if m is None:
            return False
        self.select_indicator(m.indicator)
        if self.editors:
            self.editors[0].focus_value()
        return True

    def step(self, delta: int) -> None:
        keys = list(self.items)
        i = (keys.index(self.indicator) + delta) % len(keys)
        self.select_indicator(keys[i])
        if self.editors:
            self.editors[0].focus_value()

    def refresh(self) -> None:
        """Reload from the database (page shown, year switched) and redraw."""
        w = self.window
        self.flush()
        self.history = w.store.history(w.profile.ward_code)
        self.locks = lock_state(w.store, w.profile.ward_code, w.year)
        stale = [f for f in self.forms.values() if f.year != w.year]
        for form in stale:
            self.stack.removeWidget(form)
            form.deleteLater()
            del self.forms[form.indicator]
        self.select_indicator(self.indicator)
        if self.form is not None:
            self.form.sync(self.history)
            self.form.apply_locks(self.locks)
        self._update_tree()
        self.prebuild.start()

    def _advance(self, editor: FigureEditor) -> None:
        self.save(editor)
        if editor.state in ("error", "warning"):
            (editor.explanation if editor.state == "warning" else editor.value).setFocus()
            return
        editors = self.editors
        i = editors.index(editor) if editor in editors else len(editors) - 1
        if i + 1 < len(editors):
            editors[i + 1].focus_value()
        else:
            QTimer.singleShot(0, lambda: self.step(1))

    # -- live preview and saving ---------------------------------------------------------------
    def _edited(self, form: IndicatorForm, editor: FigureEditor) -> None:
        form.grid.show_figure(editor, editor.typed_words())
        self.idle.start()

    def _typed_in_grid(self, form: IndicatorForm, element: str, text: str) -> None:
        """A value typed in the grid goes through its editor: same rules, same saving."""
        editor = form.editor_for(element)
        try:
            editor.set_typed(text)
        except KH75Error as err:
            editor.set_state("error", "✖ " + err.message)
            form.grid.show_figure(editor)
            return
        self.save(editor)
        if editor.state in ("error", "warning") or editor.no_data.isChecked():
            form.ensureWidgetVisible(editor, 0, 40)  # the reason or the explanation is below

    def _update_tree(self) -> None:
        figures = self.history.get(self.window.year, {})
        for ind, item in self.items.items():
            item.setText(0, self._label(ind, indicator_progress(self.catalogue, ind, figures)))

    def _save_idle(self) -> None:
        for e in self.editors:
            if e.dirty and e.state != "warning" and not e.is_empty():
                self.save(e, quiet=True)

    def save(self, editor: FigureEditor, quiet: bool = False) -> bool:
        """Validate and store one editor's figure; show the outcome on the editor and in the
        grid's row."""
        saved = self._save(editor, quiet)
        if self.form is not None and editor in self.form.editors:
            self.form.grid.show_figure(editor)
        return saved

    def _save(self, editor: FigureEditor, quiet: bool = False) -> bool:
        """Judge the figure now; hand it to the writer thread when it passes."""
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
        year = w.year
        figures = self.history.setdefault(year, {})
        try:
            judge_figure(w.store.catalogue, figures, self.history.get(year - 1, {}), fig)
        except RuleViolation as v:
            self._refused(editor, v)
            return False
        before = figures.get(fig.element)
        figures[fig.element] = fig  # what later figures are judged against, while it is written
        editor.dirty = False
        editor.set_state("saving", "… Đang lưu")
        store, ward, who = w.store, w.profile.ward_code, w.profile.officer
        self.writer.submit(lambda: store.save_figure(ward, year, fig, who=who),
                           lambda outcome: self._saved(editor, year, fig, outcome),
                           lambda err: self._not_saved(editor, year, fig, before, err))
        return True

    def _refused(self, editor: FigureEditor, v: RuleViolation) -> None:
        text = " ".join(f.message for f in v.findings)
        if self.form is not None and editor in self.form.editors:
            self.form.ensureWidgetVisible(editor.message, 0, 40)  # the reason in view
        if v.needs_explanation:
            ask = "" if "giải thích" in text.lower() else " Hãy ghi giải thích để lưu."
            editor.set_state("warning", "⚠ " + text + ask)
        else:
            editor.set_state("error", "✖ " + text + " Số liệu chưa được lưu.")
            if self.form is not None:  # results go back to what is saved
                self.form.update_results(self.history)

    def _saved(self, editor: FigureEditor, year: int, fig, outcome) -> None:
        """The writer put `fig` on disk: the editor says so unless it was changed since."""
        editor.stored = fig
        if not editor.dirty and editor.state == "saving":
            editor.mark_saved(fig, [f.message for f in outcome.warnings])
        self._after_write(editor, year)

    def _not_saved(self, editor: FigureEditor, year: int, fig, before, err: Exception) -> None:
        """The store refused at writing (locked since, a full disk): the figure is typed again
        as unsaved, and the page forgets it."""
        figures = self.history.setdefault(year, {})
        if figures.get(fig.element) is fig:
            if before is None:
                figures.pop(fig.element, None)
            else:
                figures[fig.element] = before
        if not editor.dirty:
            editor.dirty = True
            if isinstance(err, RuleViolation):
                self._refused(editor, err)
            else:
                message = getattr(err, "message", "Lỗi không mong đợi khi lưu số liệu.")
                editor.set_state("error", "✖ " + message)
        self._after_write(editor, year)

    def _after_write(self, editor: FigureEditor, year: int) -> None:
        if year != self.window.year:
            return
        if self.form is not None:
            if editor in self.form.editors:
                self.form.grid.show_figure(editor)
            self.form.update_results(self.history)
        self._update_tree()

    def flush(self, wait: bool = True) -> None:
        """Save every editor with unsaved changes, in every form; with `wait` (leaving the page,
        closing the window, reading the database again) until every write is on disk."""
        self.idle.stop()
        for form in self.forms.values():
            for e in form.editors:
                if e.dirty:
                    self.save(e)
        if wait:
            self.writer.wait()
