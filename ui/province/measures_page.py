"""Province measures against the 2026 and 2030 targets; a measure's communes and its outliers."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.measures import STATUS_SHORT, compute_measure
from kh75_desktop.numbers_vi import format_measure, format_target
from kh75_desktop.outliers import find_outliers
from kh75_desktop.packages.province_side import commune_figures, province_measures

from ..style import STATUS_COLOURS


def _item(text) -> QTableWidgetItem:
    return QTableWidgetItem("" if text is None else str(text))


class MeasuresPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(["Mã", "Chỉ tiêu", "Toàn tỉnh", "Chỉ tiêu 2026",
                                              "Chỉ tiêu 2030", "Đánh giá", "Số đơn vị"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(lambda r, *_: self.drill(r))
        self.detail_title = QLabel()
        self.detail = QTableWidget(0, 5)
        self.detail.setHorizontalHeaderLabels(["Mã", "Xã, phường", "Giá trị", "Đánh giá",
                                               "Cần xem lại"])
        self.detail.verticalHeader().setVisible(False)
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.setSortingEnabled(True)
        self.detail.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.detail_title)
        bl.addWidget(self.detail)
        split = QSplitter()
        split.setOrientation(split.orientation().Vertical)
        split.addWidget(self.table)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        intro = QLabel("Tử số, mẫu số cộng từ các xã, phường đã gửi; chỉ tiêu Có/Không là tỷ lệ "
                       "xã, phường. Chọn một chỉ tiêu để xem từng xã và các giá trị bất thường "
                       "(so với mức chung của tỉnh, hoặc năm trước của xã).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(split)
        self.measures = []

    def refresh(self) -> None:
        w = self.window
        self.measures = province_measures(w.store, w.year)
        self.per_ward = commune_figures(w.store, w.year)
        self.last_year = commune_figures(w.store, w.year - 1)
        self.table.setRowCount(len(self.measures))
        for i, pm in enumerate(self.measures):
            r, m = pm.result, pm.result.measure
            unit = "%" if m.unit == "yesno" else m.unit
            status = _item(STATUS_SHORT[r.status])
            status.setForeground(QColor(STATUS_COLOURS[r.status]))
            for col, it in enumerate((_item(m.key), _item(m.name),
                                      _item(format_measure(r.value, unit)),
                                      _item(format_target(m.target_for(2026, "xa"), m.unit)),
                                      _item(format_target(m.target_for(2030, "xa"), m.unit)),
                                      status, _item(pm.communes))):
                self.table.setItem(i, col, it)
        self.table.resizeColumnToContents(0)

    def drill(self, row: int) -> None:
        if not 0 <= row < len(self.measures):
            return
        w = self.window
        m = self.measures[row].result.measure
        flagged = {}
        for o in find_outliers(m, self.per_ward, self.last_year):
            flagged.setdefault(o.ward, []).append(o.words())
        names = w.commune_names
        kinds = w.commune_kinds
        self.detail.setSortingEnabled(False)
        wards = sorted(self.per_ward)
        self.detail.setRowCount(len(wards))
        for i, ward in enumerate(wards):
            r = compute_measure(w.store.catalogue, m, w.year, kinds.get(ward, "xa"),
                                self.per_ward[ward])
            for col, text in enumerate((ward, names.get(ward, ward),
                                        format_measure(r.value, m.unit), STATUS_SHORT[r.status],
                                        " ".join(flagged.get(ward, [])))):
                self.detail.setItem(i, col, _item(text))
        self.detail.setSortingEnabled(True)
        self.detail_title.setText(f"<b>{m.key}. {m.name}</b> — {len(wards)} đơn vị, "
                                  f"{len(flagged)} cần xem lại")
