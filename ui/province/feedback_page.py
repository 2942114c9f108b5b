"""Feedback composer: for a commune's received version, accept or return it with comments on
specific measures; writes the signed feedback package to the outbox, named for email."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.narrative import SECTIONS
from kh75_desktop.numbers_vi import format_date
from kh75_desktop.packages.province_side import (
    commune_narratives,
    commune_statuses,
    parse_comment,
    write_feedback,
)
from kh75_desktop.reporting_period import cutoff_for, set_cutoff
from kh75_desktop.safe_text import rich

from ..style import ERROR, OK


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
        self.comments = QTableWidget(0, 2)
        self.comments.setHorizontalHeaderLabels(["Chỉ tiêu", "Ý kiến (mở khóa các số liệu của "
                                                 "chỉ tiêu này để xã sửa)"])
        self.comments.verticalHeader().setVisible(False)
        self.comments.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        middle = QHBoxLayout()
        middle.addWidget(self.comments, 3)
        self.narrative = QPlainTextEdit()
        self.narrative.setReadOnly(True)
        self.narrative.setAccessibleName("Phần viết trong báo cáo của xã")
        self.narrative.setPlaceholderText("Phần viết trong báo cáo của xã, phường (việc đã làm, "
                                          "khó khăn, đề xuất, phương hướng) hiện ở đây.")
        middle.addWidget(self.narrative, 2)
        layout.addLayout(middle, 1)
        self.commune.currentIndexChanged.connect(self._show_narrative)
        self.narratives: dict[str, dict[str, str]] = {}
        row = QHBoxLayout()
        self.measure = QComboBox()
        # long measure names must not widen the whole window past a 1366-pixel screen
        for box in (self.measure, self.commune):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(24)
        for m in window.store.catalogue.measures.values():
            self.measure.addItem(f"{m.key} — {m.name}", m.key)
        self.text = QLineEdit()
        self.text.setPlaceholderText("Nội dung ý kiến")
        add = QPushButton("Thêm ý kiến")
        add.clicked.connect(self.add_comment)
        remove = QPushButton("Xóa ý kiến")
        remove.clicked.connect(lambda: self.comments.removeRow(self.comments.currentRow()))
        row.addWidget(self.measure, 2)
        row.addWidget(self.text, 3)
        row.addWidget(add)
        row.addWidget(remove)
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
        self.write_btn.clicked.connect(self.write)
        layout.addWidget(self.write_btn)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)

    def refresh(self) -> None:
        current = self.commune.currentData()
        self.commune.clear()
        for s in commune_statuses(self.window.store, self.window.year):
            if s.status == "received":
                self.commune.addItem(f"{s.commune.name} ({s.commune.code}) — phiên bản {s.version}",
                                     s.commune.code)
        if current:
            self.commune.setCurrentIndex(max(0, self.commune.findData(current)))
        self.write_btn.setEnabled(self.commune.count() > 0)
        if not self.commune.count():
            self.result.setText("Không có báo cáo nào chờ phản hồi năm "
                                f"{self.window.year}: mọi báo cáo đã nhận đều đã được chấp nhận "
                                "hoặc trả lại.")
        self.narratives = {c.code: n for c, n in commune_narratives(self.window.store,
                                                                    self.window.year)}
        self._show_narrative()
        self._show_cutoff()

    def _show_narrative(self) -> None:
        """The commune's written sections as plain text (a package's words never format)."""
        narrative = self.narratives.get(self.commune.currentData() or "", {})
        self.narrative.setPlainText("\n\n".join(
            f"{s.numeral}. {s.title}\n{narrative[s.key]}" for s in SECTIONS
            if narrative.get(s.key)))

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
            self.result.setText(f"<span style='color:{ERROR}'>✖ {rich(err.message)}</span>")
            return
        day = cutoff_for(self.window.store, self.window.year)
        self.result.setText(f"<span style='color:{OK}'>✔ Ngày chốt số liệu năm "
                            f"{self.window.year}: {format_date(day)}</span> — các xã, phường nhận "
                            "ngày này trong gói phản hồi kế tiếp.")

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
        if not text:
            return
        row = self.comments.rowCount()
        self.comments.insertRow(row)
        self.comments.setItem(row, 0, QTableWidgetItem(measure))
        self.comments.setItem(row, 1, QTableWidgetItem(text))
        self.text.clear()
        self.return_btn.setChecked(True)

    def write(self, passphrase: str | None = None) -> bool:
        ward = self.commune.currentData()
        if not ward:
            return False
        if passphrase is None:
            passphrase, ok = QInputDialog.getText(self, "Ký gói phản hồi", "Mật khẩu khóa của Sở "
                                                  "Y tế:", QLineEdit.EchoMode.Password)
            if not ok:
                return False
        if self.decision.checkedButton() is None:
            self.result.setText(f"<span style='color:{ERROR}'>✖ Hãy chọn “Chấp nhận báo cáo” "
                                "hoặc “Trả lại để sửa”.</span>")
            return False
        cat = self.window.store.catalogue
        try:
            comments = [parse_comment(f"{self.comments.item(r, 0).text()}: "
                                      f"{self.comments.item(r, 1).text()}", cat)
                        for r in range(self.comments.rowCount())]
            decision = "accept" if self.accept_btn.isChecked() else "return"
            written = write_feedback(self.window.store, self.window.data_dir, ward,
                                     self.window.year, decision, comments, passphrase,
                                     Path(self.outbox.text()))
        except KH75Error as err:
            self.result.setText(f"<span style='color:{ERROR}'>✖ {rich(err.message)}</span>")
            return False
        self.result.setText(f"<span style='color:{OK}'>✔ Đã ghi {written.path}</span> — đính kèm "
                            "tệp này vào thư trả lời xã.")
        self.comments.setRowCount(0)
        self.clear_decision()
        self.window.data_changed()
        return True
