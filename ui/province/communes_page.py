"""The communes: a sortable, filterable table (search without accents, late ones, not heard
from) and, for those not yet heard from, the contact to chase."""

from __future__ import annotations

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
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.packages.province_side import commune_contacts, commune_statuses, status_counts

from ..worker import PageLoader, busy_bar
from .models import CommuneFilter, CommuneStatusModel

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
        layout.addWidget(QLabel("<b>Cần nhắc gửi báo cáo</b> (chưa gửi; liên hệ theo gói gần nhất "
                                "của xã)"))
        self.chase = QTextEdit()
        self.chase.setReadOnly(True)
        self.chase.setMaximumHeight(140)
        layout.addWidget(self.chase, 1)
        self.proxy.rowsInserted.connect(self._count)
        self.proxy.modelReset.connect(self._count)
        self.proxy.layoutChanged.connect(self._count)

    def refresh(self) -> None:
        """Statuses of every commune (3,000 and more nationally) are read in the worker."""
        store, year, model = self.window.store, self.window.year, self.model
        self.count.setText("Đang tải danh sách xã, phường…")
        self.loader.load(lambda: (model.prepare(commune_statuses(store, year)),
                                  commune_contacts(store)), self._show, self.count.setText)

    def _show(self, loaded) -> None:
        prepared, contacts = loaded
        self.model.set_rows(prepared)
        counts = status_counts(prepared[0])
        for mode, button in self.mode_buttons.items():
            button.setText(f"{FILTERS[mode]} ({counts[mode]})")
        lines = []
        for r in prepared[0]:
            if r.status != "nothing":
                continue
            name, phone = contacts.get(r.commune.code, ("", ""))
            who = f"{name} — {phone}" if name or phone else "chưa có liên hệ (chưa từng gửi gói)"
            lines.append(f"{r.commune.code}  {r.commune.name}: {who}")
        self.chase.setPlainText("\n".join(lines) or "Tất cả xã, phường đã gửi báo cáo.")
        self._count()

    def _count(self, *_args) -> None:
        self.count.setText(f"Hiển thị {self.proxy.rowCount()}/{self.model.rowCount()} đơn vị.")
