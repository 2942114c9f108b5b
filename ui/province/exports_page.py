"""Exports: the province reports (PDF, Excel) and a DHIS2 dataValueSets document, in a worker."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.files import atomic_write

from ..passphrase_dialog import ask_passphrase
from ..style import said
from ..worker import busy_bar, run_busy


def build_export(store, year: int, kind: str) -> bytes:
    if kind == "pdf":
        from kh75_desktop.reports.province_pdf import build_province_pdf

        return build_province_pdf(store, year)
    if kind == "xlsx":
        from kh75_desktop.reports.xlsx_export import province_workbook

        return province_workbook(store, year)
    from kh75_desktop.dhis2 import data_value_set
    from kh75_desktop.packages.province_side import commune_figures

    doc = data_value_set(store.catalogue, year, commune_figures(store, year))
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


class ExportsPage(QWidget):
    LABELS = {"pdf": ("Báo cáo tổng hợp (PDF)…", "PDF (*.pdf)"),
              "xlsx": ("Bảng tính tổng hợp (Excel)…", "Excel (*.xlsx)"),
              "dhis2": ("Dữ liệu cho DHIS2…", "JSON (*.json)")}

    def __init__(self, window):
        super().__init__()
        self.window = window
        layout = QVBoxLayout(self)
        self.buttons = {}
        for kind, (label, _) in self.LABELS.items():
            b = QPushButton(label)
            b.clicked.connect(lambda _=False, k=kind: self.choose(k))
            layout.addWidget(b)
            self.buttons[kind] = b
        signatory = QPushButton("Người ký và nơi nhận của báo cáo tổng hợp…")
        signatory.clicked.connect(self.edit_signatory)
        layout.addWidget(signatory)
        move = self.move_btn = QPushButton("Chuyển hồ sơ Sở Y tế sang máy mới…")
        move.setToolTip("Một tệp chứa số liệu đã nhận và các khóa của Sở Y tế, mã hóa bằng mật "
                        "khẩu ký; trên máy mới chọn «Chuyển hồ sơ từ máy cũ» khi mở lần đầu.")
        move.clicked.connect(lambda: self.export_profile())
        layout.addWidget(move)
        hint = QLabel("Dữ liệu cho DHIS2: tệp để bộ phận công nghệ thông tin nhập số liệu của các "
                      "xã, phường vào hệ thống DHIS2 của ngành y tế.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.details = QLabel("Chi tiết kỹ thuật: POST /api/dataValueSets?dataElementIdScheme="
                              "CODE&orgUnitIdScheme=CODE (mã số liệu KH75_3a_TU, KH75_3a_MAU…; "
                              "đơn vị theo mã xã, phường chính thức).")
        self.details.setWordWrap(True)
        self.details.setVisible(False)
        toggle = QPushButton("Chi tiết kỹ thuật")
        toggle.setCheckable(True)
        toggle.toggled.connect(self.details.setVisible)
        layout.addWidget(toggle, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)
        self.progress = busy_bar()
        layout.addWidget(self.progress)
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        layout.addStretch(1)

    def refresh(self) -> None:
        pass

    def export_profile(self, path: Path | None = None, passphrase: str | None = None) -> bool:
        from kh75_desktop.profile_transfer import export_profile

        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Chuyển hồ sơ", "so-y-te.kh75profile",
                                                    "Hồ sơ KH75 (*.kh75profile)")
            if not chosen:
                return False
            path = Path(chosen)
        if passphrase is None:
            passphrase = ask_passphrase(self, "Chuyển hồ sơ", "Mật khẩu ký của Sở Y tế:")
            if passphrase is None:
                return False
        data_dir = self.window.data_dir
        self.result.setText("Đang mở khóa ký và mã hóa hồ sơ (mất vài giây)…")  # scrypt, twice
        self.task = run_busy(
            [*self.buttons.values(), self.move_btn], self.progress,
            lambda: export_profile(data_dir, path, passphrase),
            lambda _: self.result.setText(said(True, f"Đã lưu hồ sơ vào {path}")),
            lambda m: self.result.setText(said(False, m)))
        return True

    def edit_signatory(self) -> None:
        from ..signatory_dialog import SignatoryDialog

        SignatoryDialog(self.window.store, self).exec()

    def choose(self, kind: str) -> None:
        suffix = {"pdf": "pdf", "xlsx": "xlsx", "dhis2": "json"}[kind]
        default = str(self.window.data_dir / f"KH75-tinh-{self.window.year}.{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp", default, self.LABELS[kind][1])
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> None:
        store, year = self.window.store, self.window.year

        def work():
            atomic_write(path, build_export(store, year, kind))
            return path

        self.task = run_busy(
            self.buttons.values(), self.progress, work,
            lambda p: self.result.setText(said(True, f"Đã lưu {p}")),
            lambda m: self.result.setText(said(False, m)))
