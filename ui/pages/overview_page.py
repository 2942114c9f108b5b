"""Overview: completion, report status, deadline countdown and each goal's measures vs targets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.judgement_words import status_summary
from kh75_desktop.measures import MET
from kh75_desktop.overview import build_overview
from kh75_desktop.report_status import status_label
from kh75_desktop.reporting_period import reopen_for_official

from ..models import MeasureTableModel
from ..style import ERROR, OK, WARNING, restyled, styled

TONES = {"ok": OK, "warn": WARNING, "late": ERROR, "neutral": "#1f3a5f"}


def _card(title: str) -> tuple[QFrame, QLabel, QLabel]:
    card = QFrame()
    styled(card, "card")
    layout = QVBoxLayout(card)
    t = QLabel(title)
    styled(t, "muted")
    big = QLabel()
    styled(big, "bigNumber")
    small = QLabel()
    small.setWordWrap(True)
    layout.addWidget(t)
    layout.addWidget(big)
    layout.addWidget(small)
    return card, big, small


class OverviewPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        outer = QVBoxLayout(self)
        cards = QHBoxLayout()
        c1, self.completion_big, self.completion_small = _card("Mức độ hoàn thành")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        c1.layout().addWidget(self.progress)
        c2, self.status_big, self.status_small = _card("Trạng thái báo cáo")
        c3, self.deadline_big, self.deadline_small = _card("Hạn gửi báo cáo")
        c4, self.targets_big, self.targets_small = _card("So với chỉ tiêu năm")
        for c in (c1, c2, c3, c4):
            cards.addWidget(c, 1)
        outer.addLayout(cards)
        self.period = QLabel()
        self.period.setWordWrap(True)
        styled(self.period, "muted")
        outer.addWidget(self.period)
        official_row = QHBoxLayout()
        self.official_hint = QLabel()
        self.official_hint.setWordWrap(True)
        self.official_button = QPushButton("Cập nhật số liệu chính thức…")
        self.official_button.clicked.connect(self._reopen_official)
        official_row.addWidget(self.official_hint, 1)
        official_row.addWidget(self.official_button)
        outer.addLayout(official_row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.goals_layout = QVBoxLayout(body)
        self.tables: dict[int, tuple[QTableView, MeasureTableModel]] = {}
        for goal, name in window.store.catalogue.goals.items():
            title = QLabel(name)
            styled(title, "sectionTitle")
            title.setWordWrap(True)
            model = MeasureTableModel()
            view = QTableView()
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().setVisible(False)
            view.setWordWrap(False)
            view.setTextElideMode(Qt.TextElideMode.ElideRight)
            view.doubleClicked.connect(lambda idx, m=model: self._open(m, idx.row()))
            # widths fitted once per refresh: ResizeToContents re-reads every cell on each
            # layout pass (some 5,500 data() calls while the first window was being built)
            view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            self.goals_layout.addWidget(title)
            self.goals_layout.addWidget(view)
            self.tables[goal] = (view, model)
        self.goals_layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        hint = QLabel("Nhấp đúp vào một dòng để mở trang nhập số liệu của chỉ tiêu đó.")
        styled(hint, "muted")
        outer.addWidget(hint)

    def _open(self, model: MeasureTableModel, row: int) -> None:
        self.window.entry.select_indicator(model.result_at(row).measure.indicator)
        self.window.show_page("entry")

    def _reopen_official(self) -> None:
        w = self.window
        answer = QMessageBox.question(
            self, "Số liệu chính thức",
            f"Mở lại báo cáo năm {w.year} để thay số ước tính bằng số chính thức?\n\nMọi số "
            "liệu được mở khóa để sửa. Khi gửi lại, Sở Y tế nhận phiên bản kế tiếp kèm danh sách "
            "các số liệu đã thay đổi.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            reopen_for_official(w.store, w.profile.ward_code, w.year)
        except KH75Error as err:
            QMessageBox.warning(self, "Số liệu chính thức", err.message)
            return
        self.refresh()

    def refresh(self) -> None:
        w = self.window
        ov = build_overview(w.store, w.profile, w.year)
        self.completion_big.setText(f"{ov.answered}/{ov.total}")
        self.completion_small.setText("chỉ số đã có số liệu hoặc đã giải trình")
        self.progress.setRange(0, ov.total)
        self.progress.setValue(ov.answered)
        self.status_big.setText(status_label(ov.report_status, ov.report_version, ov.official))
        restyled(self.status_big, "font-size: 13pt;")
        self.status_small.setText(f"Đủ {ov.total} chỉ số của 24 chỉ tiêu thì có thể gửi Sở Y tế.")
        card = ov.deadline_card
        self.deadline_big.setText(card.headline)
        restyled(self.deadline_big, f"font-size: 15pt; color: {TONES[card.tone]};")
        self.deadline_small.setText(f"{card.detail}\n{card.next_step}")
        self.period.setText("Kỳ báo cáo: " + ov.period_words)
        self.official_hint.setText(ov.official_hint)
        self.official_hint.setVisible(bool(ov.official_hint))
        self.official_button.setVisible(bool(ov.official_hint))
        self.targets_big.setText(f"{sum(1 for r in ov.results if r.status == MET)} đạt")
        self.targets_small.setText(status_summary(ov.results).split(", ", 1)[-1])
        for goal, (view, model) in self.tables.items():
            model.set_results([r for r in ov.results if r.measure.goal == goal])
            view.resizeColumnsToContents()
            height = view.horizontalHeader().height() + 4
            height += sum(view.rowHeight(i) for i in range(model.rowCount()))
            view.setFixedHeight(height)
