"""Intake: drop files or choose a folder; each package is verified in a worker with a progress
bar and a result per file; new commune keys wait for their fingerprint to be confirmed."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.packages.enrolment import enrol, pending_keys
from kh75_desktop.packages.intake import ACCEPTED, DUPLICATE, PENDING, ingest
from kh75_desktop.packages.key_events import event_line, key_events
from kh75_desktop.packages.keys import normalise_fingerprint
from kh75_desktop.storage.exchange import ExchangeStore

from ..style import ERROR, OK, WARNING, said, styled
from ..worker import run_task
from .models import IntakeResultsModel

OUTCOME_WORDS = {ACCEPTED: ("Đã nhận", OK), PENDING: ("Chờ xác nhận khóa", WARNING),
                 DUPLICATE: ("Đã có từ trước", "#5f6b7a")}


def batched(emit, every_s: float = 0.1):
    """Collect per-file results and pass them on a few times a second: one signal per file
    (3,000 of them) kept the UI thread busy inserting rows."""
    import time

    pending: list = []
    last = [time.monotonic()]

    def progress(i: int, n: int, result) -> None:
        pending.append(result)
        now = time.monotonic()
        if i == n or now - last[0] >= every_s:
            emit(i, n, list(pending))
            pending.clear()
            last[0] = now

    return progress


class ConfirmKeyDialog(QDialog):
    """The fingerprint the package carries, beside the one read from the commune's printout."""

    def __init__(self, parent, ward_name: str, fingerprint: str, replacing: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Xác nhận khóa của xã, phường")
        self.expected = fingerprint
        form = QFormLayout(self)
        if replacing:
            intro = QLabel(f"<b>{escape(ward_name)}</b> gửi gói ký bằng một khóa mới, khác khóa "
                           "đã đăng ký (xã đổi khóa khi quên mật khẩu, đổi cán bộ hoặc mất máy)."
                           "<br><b>Xác nhận sẽ thay khóa:</b> khóa cũ bị thu hồi từ lúc này; gói "
                           "ký bằng khóa cũ sau lúc này bị từ chối.")
        else:
            intro = QLabel(f"<b>{escape(ward_name)}</b> gửi gói đầu tiên bằng một khóa mới.")
        intro.setWordWrap(True)
        form.addRow(intro)
        shown = QLabel(f"<b>{fingerprint}</b>")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Dấu vân tay trong gói:", shown)
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Gõ dãy số in trên báo cáo của xã (hoặc đọc qua điện thoại)")
        form.addRow("Dấu vân tay trên bản in:", self.typed)
        self.verdict = QLabel()
        form.addRow(self.verdict)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Xác nhận khóa")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.typed.textChanged.connect(self._compare)
        self._compare()

    def matches(self) -> bool:
        return normalise_fingerprint(self.typed.text()) == self.expected

    def _compare(self) -> None:
        ok = self.matches()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if not self.typed.text().strip():
            self.verdict.setText("")
        else:
            self.verdict.setText(said(True, "Trùng khớp") if ok else
                                 said(False, "Không khớp — không xác nhận"))


class IntakePage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        intro = QLabel("Kéo thả các tệp .kh75 vào đây, hoặc chọn thư mục (thư mục tệp đính kèm thư "
                       "điện tử, USB). Mỗi gói được kiểm tra chữ ký, nội dung và số thứ tự; gói "
                       "lỗi bị từ chối kèm lý do, không ảnh hưởng các gói khác.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.folder_btn = QPushButton("Chọn thư mục…")
        self.files_btn = QPushButton("Chọn tệp…")
        self.folder_btn.clicked.connect(self.choose_folder)
        self.files_btn.clicked.connect(self.choose_files)
        row.addWidget(self.folder_btn)
        row.addWidget(self.files_btn)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        layout.addWidget(self.progress)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.results_model = IntakeResultsModel()
        self.results = QTableView()
        self.results.setModel(self.results_model)
        self.results.verticalHeader().setVisible(False)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        h = self.results.horizontalHeader()
        h.resizeSection(0, 320)
        h.resizeSection(1, 150)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.results, 2)
        layout.addWidget(QLabel("<b>Khóa mới chờ xác nhận</b>"))
        self.pending = QTableWidget(0, 3)
        self.pending.setHorizontalHeaderLabels(["Mã", "Xã, phường", "Dấu vân tay"])
        self.pending.verticalHeader().setVisible(False)
        self.pending.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pending.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pending.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.pending.setMaximumHeight(150)
        layout.addWidget(self.pending, 1)
        self.confirm_btn = QPushButton("Đối chiếu và xác nhận khóa…")
        self.confirm_btn.clicked.connect(self.confirm_selected)
        layout.addWidget(self.confirm_btn, alignment=Qt.AlignmentFlag.AlignLeft)
        self.key_log = QLabel()
        self.key_log.setWordWrap(True)
        self.key_log.setTextFormat(Qt.TextFormat.PlainText)
        styled(self.key_log, "muted")
        layout.addWidget(self.key_log)
        self.task = None

    def refresh(self) -> None:
        names = self.window.commune_names
        rows = pending_keys(self.window.store)
        self.pending.setRowCount(len(rows))
        for i, k in enumerate(rows):
            for col, text in enumerate((k.ward_code, names.get(k.ward_code, ""), k.fingerprint)):
                self.pending.setItem(i, col, QTableWidgetItem(text))
        self.confirm_btn.setEnabled(bool(rows))
        events = key_events(self.window.store)
        self.key_log.setText("Lịch sử đổi khóa: " + "; ".join(event_line(e) for e in events[-6:])
                             if events else "")

    # -- choosing files ------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.start(paths)

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Thư mục chứa các gói .kh75")
        if folder:
            self.start([Path(folder)])

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Các gói .kh75", "", "Gói KH75 (*.kh75)")
        if files:
            self.start([Path(f) for f in files])

    # -- intake in a worker --------------------------------------------------------------------
    def start(self, paths: list[Path]) -> bool:
        unlocked = self.window.identity is not None
        identity = self.window.identity_source()
        if identity is None:
            return False
        w = self.window
        self.results_model.set_rows([])
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.folder_btn.setEnabled(False)
        self.files_btn.setEnabled(False)
        self.summary.setText("Đang kiểm tra…" if unlocked else
                             "Đang mở khóa giải mã (mất vài giây), rồi kiểm tra các gói…")
        store, data_dir = w.store, w.data_dir
        self.task = run_task(
            lambda progress: ingest(store, data_dir, paths, None, progress=batched(progress),
                                    identity=identity()),
            self._done, self._failed, self._progress)
        return True

    def _progress(self, i: int, n: int, batch) -> None:
        """One batch of results (the worker sends them a few times a second, not per file)."""
        self.progress.setMaximum(n)
        self.progress.setValue(i)
        rows = []
        for result in batch:
            word, colour = OUTCOME_WORDS.get(result.outcome, ("Từ chối", ERROR))
            message = result.message
            if message.startswith(result.file + ": "):  # the file is in its own column
                message = message[len(result.file) + 2:]
                message = message[:1].upper() + message[1:]  # a sentence of its own now
            rows.append((result.file, word, colour, message))
        self.results_model.append(rows)

    def _done(self, results) -> None:
        self._idle()
        counts = {o: sum(r.outcome == o for r in results) for o in (ACCEPTED, PENDING, DUPLICATE)}
        rejected = len(results) - sum(counts.values())
        self.summary.setText(f"{len(results)} tệp: nhận {counts[ACCEPTED]}, chờ xác nhận khóa "
                             f"{counts[PENDING]}, đã có {counts[DUPLICATE]}, từ chối {rejected}.")
        self.window.data_changed()

    def _failed(self, message: str) -> None:
        self._idle()
        self.summary.setText(said(False, message))

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.folder_btn.setEnabled(True)
        self.files_btn.setEnabled(True)

    def confirm_selected(self) -> None:
        row = self.pending.currentRow()
        if row < 0:
            row = 0
        if self.pending.rowCount() == 0:
            return
        ward = self.pending.item(row, 0).text()
        replacing = ExchangeStore(self.window.store.engine).commune_key(ward) is not None
        dialog = ConfirmKeyDialog(self, self.pending.item(row, 1).text(),
                                  self.pending.item(row, 2).text(), replacing)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.matches():
            self.confirm(ward, dialog.typed.text(), replacing)

    def confirm(self, ward: str, fingerprint: str, replacing: bool = False) -> None:
        identity = self.window.identity_source()
        if identity is None:
            return
        w = self.window
        store, data_dir = w.store, w.data_dir

        def work():
            return enrol(store, data_dir, ward, fingerprint, None, identity=identity(),
                         replace=replacing)

        self.progress.setVisible(True)
        self.task = run_task(work, self._done, self._failed)
