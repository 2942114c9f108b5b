"""The communes: counts and filters by state, a sortable, filterable table (search without
accents), and the reminder list of those not heard from, with an editable contact and a note of
the last call (kh75_desktop/packages/chasing.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.packages.chasing import (
    communes_stamp,
    contact_book,
    reminders,
    save_contact,
)
from kh75_desktop.packages.province_side import commune_statuses, status_counts
from kh75_desktop.reporting_period import deadline_for

from ..worker import PageLoader, busy_bar
from .models import CommuneFilter, CommuneStatusModel

CHASE_ROWS = 300
FILTERS = {"all": "Tất cả", "received": "Chờ xem xét", "returned": "Đã trả lại",
           "accepted": "Đã chấp nhận", "nothing": "Chưa gửi", "late": "Trễ hạn"}


class CommunesPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.model = CommuneStatusModel()
        self.proxy = CommuneFilter()
        self.proxy.setSourceModel(self.model)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        for col, width in enumerate((70, 0, 70, 110, 80, 100, 70, 150)):
            if width:
                header.resizeSection(col, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm xã, phường (có hoặc không dấu) hoặc mã")
        self.search.textChanged.connect(self.proxy.set_text)
        self.modes = QButtonGroup(self)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        self.mode_buttons: dict[str, QRadioButton] = {}
        filters = QHBoxLayout()
        for i, mode in enumerate(FILTERS):
            b = QRadioButton(FILTERS[mode])
            b.setChecked(i == 0)
            b.toggled.connect(lambda on, m=mode: on and self.proxy.set_mode(m))
            self.modes.addButton(b)
            filters.addWidget(b)
            self.mode_buttons[mode] = b
        filters.addStretch(1)
        self.count = QLabel()
        self.loader = PageLoader(busy_bar())
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(filters)
        layout.addWidget(self.loader.progress)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.count)
        layout.addWidget(QLabel("<b>Cần nhắc gửi báo cáo</b> (chưa gửi; cán bộ và điện thoại theo "
                                "gói gần nhất của xã — sửa hoặc điền thêm ngay trong bảng, ghi chú "
                                "lần gọi gần nhất)"))
        self.chase = QTableWidget(0, 6)
        self.chase.setHorizontalHeaderLabels(["Mã", "Xã, phường", "Cán bộ", "Điện thoại",
                                              "Trễ (ngày)", "Ghi chú lần gọi gần nhất"])
        self.chase.verticalHeader().hide()
        chase_header = self.chase.horizontalHeader()
        # Fixed widths, not "resize to contents": that measured all 300 rows on every show of
        # the page, a 100 ms freeze (bench/province).
        chase_header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 70), (1, 220), (2, 180), (3, 130), (4, 80)):
            chase_header.resizeSection(col, width)  # room to type a name and a phone number
        self.chase.setMaximumHeight(170)
        self.chase.itemChanged.connect(self._contact_edited)
        layout.addWidget(self.chase, 1)
        self.chase_msg = QLabel()
        self.chase_msg.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.chase_msg)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)

    def refresh(self) -> None:
        """Statuses of every commune (3,000 and more nationally) are read in the worker; on a
        return to the page with nothing changed, the table shown stays."""
        store, year, model = self.window.store, self.window.year, self.model
        stamp = communes_stamp(store, year, date.today())
        if self.loader.showing(stamp):
            return
        self.count.setText("Đang tải danh sách xã, phường…")
        self.loader.load(lambda: (model.prepare(commune_statuses(store, year)),
                                  contact_book(store)), self._show, self.count.setText, stamp)

    def _show(self, loaded) -> None:
        prepared, book = loaded
        self.model.set_rows(prepared)
        counts = status_counts(prepared[0])
        for mode, button in self.mode_buttons.items():
            button.setText(f"{FILTERS[mode]} ({counts[mode]})")
        deadline = deadline_for(self.window.store.catalogue, self.window.year)
        everyone = reminders(prepared[0], book, deadline, date.today())
        rows = everyone[:CHASE_ROWS]  # thousands of rows would stall the window (national scope)
        self.chase.blockSignals(True)
        self.chase.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = (r.code, r.name, r.contact.officer, r.contact.phone,
                     str(r.days_late) if r.days_late else "", r.contact.note)
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col not in (2, 3, 5):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.chase.setItem(i, col, item)
        self.chase.blockSignals(False)
        more = len(everyone) - len(rows)
        self.chase_msg.setText(
            f"Còn {more} đơn vị chưa gửi khác: chọn «Chưa gửi» ở bảng trên để xem hết." if more
            else "" if rows else "Tất cả xã, phường đã gửi báo cáo.")
        self._count()

    def _contact_edited(self, item: QTableWidgetItem) -> None:
        row = item.row()
        code = self.chase.item(row, 0).text()
        officer, phone, note = (self.chase.item(row, c).text() for c in (2, 3, 5))
        try:
            save_contact(self.window.store, code, officer, phone, note)
        except KH75Error as err:
            self.chase_msg.setText(f"✖ {err.message} Chưa lưu.")
            return
        self.chase_msg.setText(f"✔ Đã lưu liên hệ của {self.chase.item(row, 1).text()}.")

    def _count(self, *_args) -> None:
        self.count.setText(f"Hiển thị {self.proxy.rowCount()}/{self.model.rowCount()} đơn vị.")
