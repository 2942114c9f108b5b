"""The list of a profile's backups, newest first: when, what for, and what each holds; damaged
ones shown in red and not selectable. Serves the recovery screen and the Settings page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from kh75_desktop.backup import BackupEntry
from kh75_desktop.safe_text import one_line

from .style import ERROR


class BackupTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(0, 3, parent)
        self.entries: list[BackupEntry] = []
        self.setHorizontalHeaderLabels(["Thời điểm", "Loại", "Nội dung"])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def fill(self, entries: list[BackupEntry]) -> int:
        """Show `entries`; select the newest good one and return its row (-1 when none)."""
        self.entries = list(entries)
        self.setRowCount(len(self.entries))
        first_good = -1
        for row, entry in enumerate(self.entries):
            for col, text in enumerate((entry.taken, entry.kind, one_line(entry.content(), 300))):
                item = QTableWidgetItem(text)
                if not entry.good:
                    item.setForeground(QColor(ERROR))
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                self.setItem(row, col, item)
            if entry.good and first_good < 0:
                first_good = row
        self.resizeRowsToContents()
        if first_good >= 0:
            self.selectRow(first_good)
        return first_good

    def selected(self) -> BackupEntry | None:
        rows = self.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None
