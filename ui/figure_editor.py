"""One data element's editor: value (or yes/no), "no data" with a reason, source, note, and the
explanation a soft warning asks for. It parses and shows state; saving is the page's job."""

from __future__ import annotations

from math import ceil

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from kh75_desktop.catalogue import Catalogue
from kh75_desktop.entry import ElementView
from kh75_desktop.errors import KH75Error
from kh75_desktop.figures import TEXT_LIMITS, Figure
from kh75_desktop.numbers_vi import format_number, parse_count, parse_yes_no

from .style import ERROR, OK, WARNING, styled

# Item data are strings: PySide6 mishandles the reference counts of Python bools kept as
# QVariant item data (seen as "bool_dealloc" at interpreter exit).
YESNO_CHOICES = (("— chọn —", ""), ("Có", "yes"), ("Không", "no"))
_FLAG_OF = {"": None, "yes": True, "no": False}
_DATA_OF = {v: k for k, v in _FLAG_OF.items()}


def _past_text(past) -> str:
    parts = []
    for year, fig in past:
        if fig is None:
            parts.append(f"{year}: –")
        elif fig.count is not None:
            parts.append(f"{year}: {format_number(fig.count)}")
        elif fig.flag is not None:
            parts.append(f"{year}: {'Có' if fig.flag else 'Không'}")
        else:
            parts.append(f"{year}: không có số liệu")
    return "Các năm trước — " + " · ".join(parts)


class FigureEditor(QFrame):
    edited = Signal()  # contents changed (live preview)
    commit = Signal()  # the officer finished with a field: save now
    advance = Signal()  # Enter pressed: go to the next figure

    def __init__(self, catalogue: Catalogue, view: ElementView, parent: QWidget | None = None):
        super().__init__(parent)
        self.element = view.element
        self.stored = view.figure
        self.dirty = False
        self.locked = False
        self.reopened = False  # Sở Y tế unlocked it with a comment
        self._needs_explanation = False
        e = self.element
        styled(self, "card")
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        title = QLabel(f"<b>{e.name}</b>", self)
        title.setWordWrap(True)
        grid.addWidget(title, 0, 0, 1, 4)
        if e.kind == "yesno":
            self.value = QComboBox(self)
            for label, val in YESNO_CHOICES:
                self.value.addItem(label, val)
            self.value.currentIndexChanged.connect(self._changed)
            self.value.activated.connect(lambda *_: self.commit.emit())
            self.value.installEventFilter(self)  # Enter on Có/Không goes on, as in a text field
        else:
            self.value = QLineEdit(self)
            self.value.setPlaceholderText("Nhập số, ví dụ 1.234")
            self.value.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.value.textEdited.connect(self._changed)
            self.value.editingFinished.connect(self.commit.emit)
            self.value.returnPressed.connect(self.advance.emit)
        self.value.setAccessibleName(e.name)
        self.value.setMinimumWidth(120)
        self.value.setMaximumWidth(160)
        self.no_data = QCheckBox("Không có số liệu", self)
        self.no_data.toggled.connect(self._toggle_no_data)
        # a count to the cut-off date projected to 31/12 (yes/no answers are never estimates)
        self.estimated = QCheckBox("Ước tính", self)
        self.estimated.setToolTip("Số đếm đến ngày chốt số liệu rồi ước tính đến 31/12; khi có "
                                  "số chính thức, sửa số và bỏ dấu này.")
        self.estimated.setAccessibleName(f"Số ước tính: {e.name}")
        self.estimated.toggled.connect(lambda *_: (self._changed(), self.commit.emit()))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("Lý do không có số liệu (bắt buộc)")
        self.reason.setMaxLength(TEXT_LIMITS["missing_reason"])
        self.reason.setAccessibleName(f"Lý do không có số liệu: {e.name}")
        self.reason.textEdited.connect(self._changed)
        self.reason.editingFinished.connect(self.commit.emit)
        self.reason.returnPressed.connect(self.advance.emit)
        self.source = QComboBox(self)
        self.source.setAccessibleName(f"Nguồn số liệu: {e.name}")
        for key, name in catalogue.sources.items():
            self.source.addItem(name, key)
        self.source.activated.connect(lambda *_: (self._changed(), self.commit.emit()))
        self.note = QLineEdit(self)
        self.note.setPlaceholderText("Ghi chú")
        self.note.setMaxLength(TEXT_LIMITS["note"])
        self.note.setAccessibleName(f"Ghi chú: {e.name}")
        self.note.textEdited.connect(self._changed)
        self.note.editingFinished.connect(self.commit.emit)
        self.explanation = QLineEdit(self)
        self.explanation.setPlaceholderText("Giải thích cho cảnh báo (bắt buộc để lưu)")
        self.explanation.setMaxLength(TEXT_LIMITS["explanation"])
        self.explanation.setAccessibleName(f"Giải thích: {e.name}")
        self.explanation.textEdited.connect(self._changed)
        self.explanation.editingFinished.connect(self.commit.emit)
        self.explanation.returnPressed.connect(self.advance.emit)
        grid.addWidget(self.value, 1, 0)
        flags = QHBoxLayout()
        flags.setContentsMargins(0, 0, 0, 0)
        flags.addWidget(self.no_data)
        flags.addWidget(self.estimated)
        grid.addLayout(flags, 1, 1)
        self.estimated.setVisible(e.kind == "count")  # once parented: never a window of its own
        grid.addWidget(QLabel("Nguồn:", self), 1, 2, alignment=Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.source, 1, 3)
        grid.addWidget(self.reason, 2, 0, 1, 2)
        grid.addWidget(self.note, 2, 2, 1, 2)
        grid.addWidget(self.explanation, 3, 0, 1, 4)
        info = [e.definition]
        if view.shared_with:
            info.append("Dùng chung với chỉ tiêu " + ", ".join(map(str, view.shared_with))
                        + " — nhập một lần, các chỉ tiêu đều dùng.")
        info.append(_past_text(view.past))
        self.info = QLabel("\n".join(info), self)
        styled(self.info, "muted")
        self.info.setWordWrap(True)
        grid.addWidget(self.info, 4, 0, 1, 4)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        # always a line tall, empty or not: an empty label is a pixel shorter than a line of
        # words, and "Đang lưu" appearing under a new figure moved every field below it
        self.message.setMinimumHeight(ceil(QFontMetricsF(self.message.font()).lineSpacing()))
        grid.addWidget(self.message, 5, 0, 1, 4)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 2)
        self.load(view.figure)

    def eventFilter(self, obj, event) -> bool:
        if (obj is self.value and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.commit.emit()
            self.advance.emit()
            return True
        return super().eventFilter(obj, event)

    # -- contents ------------------------------------------------------------------------------
    def load(self, fig: Figure | None) -> None:
        widgets = (self.value, self.no_data, self.estimated, self.reason, self.source, self.note,
                   self.explanation)
        for w in widgets:
            w.blockSignals(True)
        fig = fig or Figure(self.element.key, source=self.element.source)
        if isinstance(self.value, QComboBox):
            self.value.setCurrentIndex(self.value.findData(_DATA_OF[fig.flag]))
        else:
            self.value.setText(format_number(fig.count) if fig.count is not None else "")
        self.no_data.setChecked(fig.is_missing and fig.missing_reason is not None)
        self.source.setCurrentIndex(max(0, self.source.findData(fig.source or self.element.source)))
        for field, text in ((self.reason, fig.missing_reason or ""), (self.note, fig.note),
                            (self.explanation, fig.explanation)):
            # a text stored before the limits is shown whole (a field cuts what passes its
            # limit), and the rules ask for it shorter when it is saved again
            field.setMaxLength(max(field.maxLength(), len(text)))
            field.setText(text)
        self.estimated.setChecked(fig.estimated)
        for w in widgets:
            w.blockSignals(False)
        self._sync_visibility()
        self.dirty = False
        if self.stored is not None:
            self.set_state("saved", "✔ Đã lưu")

    def _sync_visibility(self) -> None:
        missing = self.no_data.isChecked()
        self.value.setEnabled(not missing)
        self.estimated.setEnabled(not missing and self.value.isEnabled())
        self.reason.setVisible(missing)
        self.explanation.setVisible(bool(self.explanation.text()) or self._needs_explanation)

    def _toggle_no_data(self, checked: bool) -> None:
        if checked:
            if isinstance(self.value, QComboBox):
                self.value.setCurrentIndex(0)
            else:
                self.value.clear()
        self._sync_visibility()
        self._changed()
        if checked:
            self.reason.setFocus()
        else:
            self.value.setFocus()
            self.commit.emit()

    def _changed(self, *_args) -> None:
        self.dirty = True
        self.edited.emit()

    def is_empty(self) -> bool:
        if self.no_data.isChecked():
            return False
        if isinstance(self.value, QComboBox):
            return not self.value.currentData()
        return not self.value.text().strip()

    def figure(self) -> Figure:
        """The figure as typed; raises KH75Error with the reason when it cannot be read."""
        common = dict(source=self.source.currentData(), note=self.note.text().strip(),
                      explanation=self.explanation.text().strip())
        if self.no_data.isChecked():
            reason = self.reason.text().strip()
            if not reason:
                raise KH75Error("Hãy ghi lý do không có số liệu (không có số liệu khác với số 0).")
            return Figure(self.element.key, missing_reason=reason, **common)
        if isinstance(self.value, QComboBox):
            flag = _FLAG_OF[self.value.currentData()]
            if flag is None:
                raise KH75Error("Hãy chọn Có hoặc Không.")
            return Figure(self.element.key, flag=flag, **common)
        return Figure(self.element.key, count=parse_count(self.value.text()),
                      estimated=self.estimated.isChecked(), **common)

    def typed_words(self) -> str:
        """The value as it stands in the field: the digits typed, or Có/Không ("" unchosen)."""
        if isinstance(self.value, QComboBox):
            return self.value.currentText() if self.value.currentData() else ""
        return self.value.text()

    def focus_value(self) -> None:
        target = self.reason if self.no_data.isChecked() else self.value
        target.setFocus()
        if isinstance(target, QLineEdit):
            target.selectAll()

    # -- state ---------------------------------------------------------------------------------
    def set_state(self, state: str, text: str) -> None:
        """The state marker: the value field's border and the line under it. Only what changed
        is set again: restyling a field lays the whole form out again and repaints it, and a
        save's "saving" -> "saved" comes back while the officer types the next figure."""
        if self.value.property("state") != state:
            self.value.setProperty("state", state)
            self.value.style().unpolish(self.value)
            self.value.style().polish(self.value)
        self._message(text, {"error": ERROR, "warning": WARNING, "saved": OK}.get(state,
                                                                                  "#5f6b7a"))
        self._needs_explanation = state == "warning"
        self._sync_visibility()

    def _message(self, text: str, colour: str) -> None:
        """The line under the field, in `colour`: set on its palette, which repaints the line
        alone, where a style sheet of its own restyled it and laid the form out again."""
        palette = self.message.palette()
        if palette.color(QPalette.ColorRole.WindowText) != QColor(colour):
            palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
            self.message.setPalette(palette)
        self.message.setText(text)

    def set_typed(self, text: str) -> None:
        """A value typed elsewhere (the grid) as if typed here; "có"/"không" for yes/no, and
        "không có số liệu" ticks the no-data box so the reason is asked for below."""
        text = text.strip()
        if text.lower() == "không có số liệu":
            self.no_data.setChecked(True)
            return
        if self.no_data.isChecked():
            self.no_data.setChecked(False)
        if isinstance(self.value, QComboBox):
            if not text:
                self.value.setCurrentIndex(0)
            else:
                self.value.setCurrentIndex(self.value.findData(_DATA_OF[parse_yes_no(text)]))
        else:
            self.value.setText(text)
        self._changed()

    def set_locked(self, locked: bool, reason: str) -> None:
        """Sent figures cannot be edited; those Sở Y tế reopened say so."""
        self.locked = locked
        self.reopened = bool(reason) and not locked
        for w in (self.value, self.no_data, self.estimated, self.reason, self.source, self.note,
                  self.explanation):
            w.setEnabled(not locked)
        if not locked and self.no_data.isChecked():
            self.value.setEnabled(False)
        if reason:
            self._message(reason, "#5f6b7a" if locked else WARNING)

    @property
    def state(self) -> str:
        return self.value.property("state") or ""

    def mark_saved(self, fig: Figure, warnings: list[str]) -> None:
        self.stored = fig
        self.dirty = False
        text = "✔ Đã lưu"
        if warnings:
            text += " (có giải thích cho cảnh báo: " + " ".join(warnings) + ")"
        self.set_state("saved", text)
