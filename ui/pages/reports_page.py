"""Reports: the written sections of the year's report beside the buttons that make it (PDF to
sign, Word to edit, the Excel export), who signs it, and the fill-in template that goes to the
health station, schools, police and civil-status officer and comes back. Built in a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.files import atomic_write
from kh75_desktop.packages.commune_side import slug
from kh75_desktop.profile import data_dir_of
from kh75_desktop.safe_text import rich

from ..narrative_editor import NarrativeEditor
from ..style import ERROR, said
from ..worker import busy_bar, run_busy


class ReportsPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.store = window.store
        outer = QHBoxLayout(self)
        write = QGroupBox("Phần viết của báo cáo")
        wl = QVBoxLayout(write)
        self.narrative = NarrativeEditor(window)
        wl.addWidget(self.narrative)
        outer.addWidget(write, 3)
        side = QVBoxLayout()
        outer.addLayout(side, 2)
        make = QGroupBox("In và xuất báo cáo")
        ml = QVBoxLayout(make)
        intro = QLabel("Báo cáo trình ký theo thể thức Nghị định 30/2020/NĐ-CP: phần viết, tóm tắt "
                       "và bảng kết quả, khối chữ ký; phụ lục gồm bảng đầy đủ, biểu đồ, đường dây "
                       "hỗ trợ. Ghi “DỰ THẢO” cho đến khi báo cáo được gửi.")
        intro.setWordWrap(True)
        ml.addWidget(intro)
        self.pdf_btn = QPushButton("Tạo báo cáo PDF…")
        self.docx_btn = QPushButton("Tạo bản Word (để sửa, đánh số)…")
        self.xlsx_btn = QPushButton("Xuất số liệu Excel…")
        self.signatory_btn = QPushButton("Người ký và nơi nhận…")
        self.pdf_btn.clicked.connect(lambda: self.save("pdf"))
        self.docx_btn.clicked.connect(lambda: self.save("docx"))
        self.xlsx_btn.clicked.connect(lambda: self.save("xlsx"))
        self.signatory_btn.clicked.connect(self.edit_signatory)
        for button in (self.pdf_btn, self.docx_btn, self.xlsx_btn, self.signatory_btn):
            ml.addWidget(button)
        side.addWidget(make)
        tpl = QGroupBox("Mẫu thu thập số liệu")
        tl = QVBoxLayout(tpl)
        hint = QLabel("Một trang cho mỗi nơi cung cấp số liệu (trạm y tế, trường học, công an, tư "
                      "pháp…), có định nghĩa và số năm trước. Khi nhận lại, mọi ô được kiểm tra; "
                      "có lỗi thì không lưu gì và báo rõ trang, ô.")
        hint.setWordWrap(True)
        tl.addWidget(hint)
        self.template_btn = QPushButton("Tạo mẫu Excel…")
        self.import_btn = QPushButton("Nhập mẫu đã điền…")
        self.template_btn.clicked.connect(lambda: self.save("template"))
        self.import_btn.clicked.connect(self.choose_import)
        tl.addWidget(self.template_btn)
        tl.addWidget(self.import_btn)
        side.addWidget(tpl)
        self.progress = busy_bar()
        side.addWidget(self.progress)
        self.result = QLabel()
        self.result.setWordWrap(True)
        side.addWidget(self.result)
        self.open_btn = QPushButton("Mở tệp vừa tạo")
        self.open_btn.setVisible(False)
        self.open_btn.clicked.connect(self.open_last)
        side.addWidget(self.open_btn)
        side.addStretch(1)
        self.last: Path | None = None

    def refresh(self) -> None:
        self.narrative.refresh()

    def edit_signatory(self) -> None:
        from ..signatory_dialog import SignatoryDialog

        SignatoryDialog(self.store, self).exec()

    def default_name(self, kind: str) -> str:
        p, y = self.window.profile, self.window.year
        base = {"pdf": f"BaoCao-KH75-{slug(p.ward_name)}-{y}.pdf",
                "docx": f"BaoCao-KH75-{slug(p.ward_name)}-{y}.docx",
                "xlsx": f"SoLieu-KH75-{slug(p.ward_name)}-{y}.xlsx",
                "template": f"MauThuThap-KH75-{slug(p.ward_name)}-{y}.xlsx"}[kind]
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return str(Path(docs or data_dir_of(self.store)) / base)

    FILTERS = {"pdf": "PDF (*.pdf)", "docx": "Word (*.docx)", "xlsx": "Excel (*.xlsx)",
               "template": "Excel (*.xlsx)"}

    def save(self, kind: str, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Lưu tệp", self.default_name(kind),
                                                    self.FILTERS[kind])
            if not chosen:
                return
            path = Path(chosen)
        if not self.narrative.save_pending():
            return
        store, data_dir, year = self.store, data_dir_of(self.store), self.window.year

        def work():
            from kh75_desktop.reports.build import commune_document

            atomic_write(path, commune_document(store, data_dir, year, kind))
            return path

        self._start(work, lambda p: self._done(f"Đã lưu {p}", p))

    def choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Mẫu đã điền", "", "Excel (*.xlsx)")
        if chosen:
            self.import_template(Path(chosen))

    def import_template(self, path: Path) -> None:
        store, officer = self.store, self.window.profile.officer

        def work():
            from kh75_desktop.reports.template import import_template

            return import_template(store, path, who=officer)

        def done(result):
            year, n = result
            self._done(f"Đã lưu {n} số liệu năm {year} từ {path.name}.", None)
            self.window.entry.refresh()

        self._start(work, done)

    def _start(self, work, done) -> None:
        self.result.setText("Đang thực hiện…")
        self.task = run_busy((self.pdf_btn, self.docx_btn, self.xlsx_btn, self.template_btn,
                              self.import_btn),
                             self.progress, work, done, self._failed)

    def _done(self, text: str, path: Path | None) -> None:
        self.result.setText(said(True, text))
        self.last = path
        self.open_btn.setVisible(path is not None)

    def _failed(self, message: str) -> None:
        shown = "<br>".join(rich(line) for line in message.split("\n"))
        self.result.setText(f"<span style='color:{ERROR}'>✖ {shown}</span>")
        self.open_btn.setVisible(False)

    def open_last(self) -> None:
        if self.last:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last)))
