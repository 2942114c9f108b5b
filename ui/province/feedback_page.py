"""Review and feedback: the queue of reports waiting (oldest first); for the chosen one the whole
picture (review_panel.py) with Sở Y tế's comments typed in the measures' rows; then an explicit
decision, accept or return, written as a signed feedback package to the outbox. The signing key
is unlocked in a worker (scrypt: seconds), the package then made on the window's thread; the key
then stays open for the next packages a while (packages/open_signing_key.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.numbers_vi import format_date, format_stored
from kh75_desktop.packages.keys import ProvinceKeys
from kh75_desktop.packages.open_signing_key import IDLE_MINUTES
from kh75_desktop.packages.province_side import parse_comment, write_feedback
from kh75_desktop.packages.review import review_of, review_queue
from kh75_desktop.reporting_period import cutoff_for, set_cutoff

from ..passphrase_dialog import ask_passphrase
from ..style import said
from ..worker import busy_bar, run_busy
from .review_panel import ReviewPanel


class FeedbackPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        layout = QVBoxLayout(self)
        self.commune = QComboBox()
        self.commune.setAccessibleName("Xã, phường")
        self.accept_btn = QRadioButton("Chấp nhận báo cáo")
        self.return_btn = QRadioButton("Trả lại để sửa")
        self.decision = QButtonGroup(self)  # nothing chosen until Sở Y tế chooses
        self.decision.addButton(self.accept_btn)
        self.decision.addButton(self.return_btn)
        top = QHBoxLayout()
        top.addWidget(QLabel("Báo cáo chờ phản hồi:"))
        top.addWidget(self.commune, 1)
        top.addWidget(self.accept_btn)
        top.addWidget(self.return_btn)
        layout.addLayout(top)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.heading)
        self.review = ReviewPanel()
        self.narrative = self.review.narrative
        layout.addWidget(self.review, 1)
        self.commune.currentIndexChanged.connect(self._show_review)
        row = QHBoxLayout()
        self.measure = QComboBox()
        # long measure names must not widen the whole window past a 1366-pixel screen
        for box in (self.measure, self.commune):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(24)
        for m in window.store.catalogue.measures.values():
            self.measure.addItem(f"{m.key} — {m.name}", m.key)
        self.text = QLineEdit()
        self.text.setPlaceholderText("Ý kiến về chỉ số đã chọn (hoặc gõ thẳng vào cột ý kiến)")
        add = QPushButton("Ghi ý kiến")
        add.clicked.connect(lambda: self.add_comment())
        row.addWidget(self.measure, 2)
        row.addWidget(self.text, 3)
        row.addWidget(add)
        layout.addLayout(row)
        out = QHBoxLayout()
        self.outbox = QLabel(str(window.data_dir / "outbox"))
        choose = QPushButton("Chọn thư mục…")
        choose.clicked.connect(self.choose_outbox)
        out.addWidget(QLabel("Thư mục gửi đi:"))
        out.addWidget(self.outbox, 1)
        out.addWidget(choose)
        layout.addLayout(out)
        period = QHBoxLayout()
        self.cutoff_label = QLabel()
        self.cutoff = QDateEdit()
        self.cutoff.setDisplayFormat("dd/MM/yyyy")
        self.cutoff.setCalendarPopup(True)
        self.cutoff.setAccessibleName("Ngày chốt số liệu")
        save_cutoff = QPushButton("Lưu ngày chốt")
        save_cutoff.clicked.connect(self.save_cutoff)
        period.addWidget(self.cutoff_label)
        period.addWidget(self.cutoff)
        period.addWidget(save_cutoff)
        period.addWidget(QLabel("(gửi kèm mọi gói phản hồi; mặc định 31/10)"), 1)
        layout.addLayout(period)
        self.write_btn = QPushButton("Ký và ghi gói phản hồi")
        self.write_btn.clicked.connect(lambda: self.write())
        self.key_state = QLabel()
        self.lock_btn = QPushButton("Khóa lại ngay")
        self.lock_btn.clicked.connect(self.lock_key)
        signing = QHBoxLayout()
        signing.addWidget(self.write_btn)
        signing.addWidget(self.key_state, 1)
        signing.addWidget(self.lock_btn)
        layout.addLayout(signing)
        self.progress = busy_bar()
        layout.addWidget(self.progress)
        self.task = None
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)

    def refresh(self) -> None:
        current = self.commune.currentData()
        self.commune.blockSignals(True)
        self.commune.clear()
        for s in review_queue(self.window.store, self.window.year):
            self.commune.addItem(f"{s.commune.name} ({s.commune.code}) — phiên bản {s.version}, "
                                 f"nhận {format_stored(s.received_at)}", s.commune.code)
        if current:
            self.commune.setCurrentIndex(max(0, self.commune.findData(current)))
        self.commune.blockSignals(False)
        self.write_btn.setEnabled(self.commune.count() > 0)
        self._show_review()
        self._show_cutoff()
        self._show_key_state()

    def _show_key_state(self) -> None:
        is_open = self.window.signing.is_open
        self.key_state.setText(f"Khóa ký đang mở: tự khóa lại sau {IDLE_MINUTES} phút không ký."
                               if is_open else "")
        self.lock_btn.setVisible(is_open)

    def lock_key(self) -> None:
        self.window.signing.lock()
        self._show_key_state()

    def _show_review(self) -> None:
        ward = self.commune.currentData()
        if not ward:
            self.review.clear()
            # in the heading: the result line below may still say what was just written
            self.heading.setText(f"Không có báo cáo nào chờ phản hồi năm {self.window.year}: mọi "
                                 "báo cáo đã nhận đều đã được chấp nhận hoặc trả lại.")
            return
        review = review_of(self.window.store, ward, self.window.year)
        self.review.show_review(review)
        self.heading.setText(f"{review.name} — báo cáo năm {review.year}, phiên bản "
                             f"{review.version}, nhận lúc {review.received_at}. Gõ ý kiến vào "
                             "dòng của chỉ số; có ý kiến thì chọn «Trả lại để sửa».")

    def _show_cutoff(self) -> None:
        year = self.window.year
        day = cutoff_for(self.window.store, year)
        self.cutoff_label.setText(f"Ngày chốt số liệu năm {year}:")
        self.cutoff.setDateRange(QDate(year, 6, 30), QDate(year, 12, 31))
        self.cutoff.setDate(QDate(day.year, day.month, day.day))

    def save_cutoff(self) -> None:
        try:
            set_cutoff(self.window.store, self.window.year, self.cutoff.date().toPython())
        except KH75Error as err:
            self.result.setText(said(False, err.message))
            return
        day = cutoff_for(self.window.store, self.window.year)
        self.result.setText(said(True, f"Ngày chốt số liệu năm {self.window.year}: "
                                       f"{format_date(day)}", " — các xã, phường nhận ngày này "
                                 "trong gói phản hồi kế tiếp."))

    def choose_outbox(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Thư mục gửi đi", self.outbox.text())
        if folder:
            self.outbox.setText(folder)

    def clear_decision(self) -> None:
        self.decision.setExclusive(False)  # an exclusive group cannot be emptied otherwise
        for button in (self.accept_btn, self.return_btn):
            button.setChecked(False)
        self.decision.setExclusive(True)

    def add_comment(self, measure: str | None = None, text: str | None = None) -> None:
        measure = measure or self.measure.currentData()
        text = (text if text is not None else self.text.text()).strip()
        if not text or not self.review.set_comment(measure, text):
            return
        self.text.clear()
        self.return_btn.setChecked(True)

    def write(self, passphrase: str | None = None) -> bool:
        ward = self.commune.currentData()
        if not ward:
            return False
        if self.decision.checkedButton() is None:  # said before the passphrase is asked for
            self.result.setText(said(False, "Hãy chọn “Chấp nhận báo cáo” hoặc “Trả lại để "
                                            "sửa”."))
            return False
        open_key = self.window.signing.get() if passphrase is None else None
        if passphrase is None and open_key is None:
            passphrase = ask_passphrase(self, "Ký gói phản hồi", "Mật khẩu ký của Sở Y tế:")
            if passphrase is None:
                return False
        cat = self.window.store.catalogue
        try:
            comments = [parse_comment(f"{measure}: {text}", cat)
                        for measure, text in self.review.comments()]
        except KH75Error as err:
            self._failed(err.message)
            return False
        # what is signed is what the officer saw when pressing the button
        what = (ward, self.window.year, "accept" if self.accept_btn.isChecked() else "return",
                comments, Path(self.outbox.text()))
        if open_key is not None:  # opened for an earlier package a moment ago
            self._write_with(open_key, *what)
            return True
        keys = ProvinceKeys(self.window.data_dir)
        self.result.setText("Đang mở khóa ký (mất vài giây)…")
        self.task = run_busy((self.write_btn,), self.progress,
                             lambda: keys.unlock_signing(passphrase),
                             lambda secret: self._write_with(secret, *what), self._failed)
        return True

    def _write_with(self, secret, ward: str, year: int, decision: str, comments, outbox: Path
                    ) -> None:
        w = self.window
        try:
            written = write_feedback(w.store, w.data_dir, ward, year, decision, comments, None,
                                     outbox, secret=secret)
        except KH75Error as err:
            w.signing.lock()  # asked again next time (the key may have been replaced meanwhile)
            self._failed(err.message)
            self._show_key_state()
            return
        w.signing.keep(secret)
        # the line says the key is open: said again once it has locked by itself
        QTimer.singleShot(IDLE_MINUTES * 60_000 + 1000, self._show_key_state)
        self.result.setText(said(True, f"Đã ghi {written.path}",
                                 " — đính kèm tệp này vào thư trả lời xã."))
        self.clear_decision()
        w.data_changed()
        self._show_key_state()

    def _failed(self, message: str) -> None:
        self.result.setText(said(False, message))
