"""Packages: the keys' fingerprints, export of the year's signed package, Sở Y tế's feedback with
the commune's answers, and the history of packages sent and received.

Unlocking or making the signing key waits seconds on scrypt (minisign's "sensitive" cost, 3-6 s
on a laptop): that part runs in a worker with the page's bar moving, never on the window's
thread, which Windows would mark "Not Responding"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kh75_desktop.errors import KH75Error
from kh75_desktop.numbers_vi import format_stored
from kh75_desktop.packages.commune_side import (
    ProvinceKeyChange,
    create_commune_key,
    export_submission,
    finish_interrupted_exports,
    import_feedback,
    import_province_key,
    replace_commune_key,
)
from kh75_desktop.packages.keys import CommuneKey, key_fingerprint
from kh75_desktop.presend import presend_items, readiness_words
from kh75_desktop.profile import data_dir_of
from kh75_desktop.report_status import status_label
from kh75_desktop.safe_text import one_line, rich
from kh75_desktop.storage.exchange import ExchangeStore

from ..passphrase_dialog import ask_new_passphrase, ask_passphrase
from ..style import ERROR, WARNING, said
from ..worker import busy_bar, run_busy


class PackagesPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window = window
        self.store = window.store
        self.exchange = ExchangeStore(self.store.engine)
        self.data_dir = data_dir_of(self.store)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.progress = busy_bar()
        layout.addWidget(self.progress)
        self.task = None

        keys = QGroupBox("Khóa và dấu vân tay")
        kl = QVBoxLayout(keys)
        self.commune_fp = QLabel()
        self.province_fp = QLabel()
        for lbl in (self.commune_fp, self.province_fp):
            lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            lbl.setWordWrap(True)
            kl.addWidget(lbl)
        row = QHBoxLayout()
        self.import_key_btn = QPushButton("Nhập tệp khóa của Sở Y tế…")
        self.import_key_btn.clicked.connect(lambda: self.choose_province_key())
        self.create_key_btn = QPushButton("Tạo khóa ký…")
        self.create_key_btn.clicked.connect(lambda: self.create_key())
        self.passphrase_btn = QPushButton("Đổi mật khẩu khóa ký…")
        self.passphrase_btn.clicked.connect(self.change_passphrase)
        self.forgot_btn = QPushButton("Quên mật khẩu?")
        self.forgot_btn.clicked.connect(lambda: self.forgot_passphrase())
        row.addWidget(self.import_key_btn)
        row.addWidget(self.create_key_btn)
        row.addWidget(self.passphrase_btn)
        row.addWidget(self.forgot_btn)
        row.addStretch(1)
        kl.addLayout(row)
        self.key_msg = QLabel()
        self.key_msg.setWordWrap(True)
        kl.addWidget(self.key_msg)
        layout.addWidget(keys)

        send = QGroupBox("Gửi báo cáo cho Sở Y tế")
        sl = QVBoxLayout(send)
        self.status = QLabel()
        self.status.setWordWrap(True)
        sl.addWidget(self.status)
        folder_row = QHBoxLayout()
        self.folder = QLabel()
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton("Chọn thư mục…")
        choose.clicked.connect(self.choose_folder)
        folder_row.addWidget(QLabel("Lưu gói vào:"))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(choose)
        sl.addLayout(folder_row)
        check_title = QLabel("<b>Kiểm tra trước khi gửi</b> — nhấp đúp một dòng để mở đúng ô "
                             "cần sửa.")
        sl.addWidget(check_title)
        self.checklist = QListWidget()
        self.checklist.setAccessibleName("Kiểm tra trước khi gửi")
        self.checklist.setMaximumHeight(170)
        self.checklist.itemActivated.connect(self.jump)
        sl.addWidget(self.checklist)
        actions = QHBoxLayout()
        self.export_btn = QPushButton("Tạo gói gửi Sở Y tế")
        self.export_btn.clicked.connect(self.export)
        self.open_btn = QPushButton("Mở thư mục chứa gói")
        self.open_btn.clicked.connect(self.open_folder)
        actions.addWidget(self.export_btn)
        actions.addWidget(self.open_btn)
        actions.addStretch(1)
        sl.addLayout(actions)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sl.addWidget(self.result)
        layout.addWidget(send)

        feedback = QGroupBox("Phản hồi của Sở Y tế")
        fl = QVBoxLayout(feedback)
        self.import_btn = QPushButton("Nhập gói phản hồi…")
        self.import_btn.clicked.connect(self.choose_feedback)
        fl.addWidget(self.import_btn, alignment=Qt.AlignmentFlag.AlignLeft)
        self.feedback_msg = QLabel()
        self.feedback_msg.setWordWrap(True)
        fl.addWidget(self.feedback_msg)
        self.comments = QTableWidget(0, 3)
        self.comments.setHorizontalHeaderLabels(["Chỉ số", "Ý kiến của Sở Y tế",
                                                 "Trả lời của xã (nhấp đúp để viết)"])
        self.comments.verticalHeader().setVisible(False)
        h = self.comments.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.comments.itemChanged.connect(self._answer_changed)
        self.comments.setMaximumHeight(160)
        fl.addWidget(self.comments)
        layout.addWidget(feedback)

        history = QGroupBox("Lịch sử gói")
        hl = QVBoxLayout(history)
        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(["Thời điểm", "Chiều", "Loại", "Năm", "Chi tiết"])
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history.setMaximumHeight(180)
        hl.addWidget(self.history)
        layout.addWidget(history)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- state ---------------------------------------------------------------------------------
    @property
    def outbox(self) -> Path:
        saved = self.exchange.setting("outbox")
        if saved:
            return Path(saved)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs or self.data_dir) / "KH75"

    def refresh(self) -> None:
        w = self.window
        try:  # a package recorded just before a cut lands now, under its own name
            finish_interrupted_exports(self.store)
        except OSError:
            pass  # the stick was removed: the next visit lands it
        key = CommuneKey(self.data_dir)
        for button in (self.passphrase_btn, self.forgot_btn):
            button.setVisible(key.exists())
        self.create_key_btn.setVisible(not key.exists())
        self.commune_fp.setText(
            f"Khóa ký của {w.profile.ward_name} — dấu vân tay: <b>"
            f"{key_fingerprint(key.public_key())}</b>" if key.exists()
            else "<span style='color:%s'>Chưa có khóa ký của xã.</span>" % ERROR)
        pk = self.exchange.province_key()
        self.province_fp.setText(f"Khóa của {pk.name} — dấu vân tay: <b>{pk.fingerprint}</b>"
                                 if pk else "<span style='color:%s'>Chưa nhập khóa của Sở Y tế."
                                 "</span>" % ERROR)
        rs = self.store.report_status(w.profile.ward_code, w.year)
        items = presend_items(self.store, self.data_dir, w.year)
        blocking = [i for i in items if i.blocking]
        locked = rs.status in ("exported", "accepted")
        self.status.setText(f"Năm {w.year}: <b>{status_label(rs.status, rs.version, rs.official)}</b>"
                            + (f" — còn {len(blocking)} việc phải xong trước khi gửi."
                               if blocking else ""))
        self._fill_checklist(items, locked)
        self.export_btn.setText("Đã gửi" if locked else readiness_words(items))
        self.export_btn.setMinimumWidth(self.export_btn.sizeHint().width())
        self.export_btn.setEnabled(not blocking and not locked)
        self.export_btn.setToolTip(blocking[0].text if blocking else "")
        self.folder.setText(str(self.outbox))
        self._load_comments()
        self._load_history()

    def _fill_checklist(self, items, locked: bool) -> None:
        self.checklist.clear()
        if locked:
            self.checklist.addItem("Báo cáo năm này đã gửi; không còn gì phải kiểm tra.")
        elif not items:
            self.checklist.addItem("✔ Không còn gì cần sửa: có thể tạo gói gửi Sở Y tế.")
        for item in items:
            row = QListWidgetItem(("✖ " if item.blocking else "• ") + one_line(item.text, 300))
            row.setData(Qt.ItemDataRole.UserRole, item)
            row.setForeground(QColor(ERROR if item.blocking else WARNING))
            self.checklist.addItem(row)

    def jump(self, row: QListWidgetItem) -> None:
        """Open the field a check is about (or the comments, or the keys)."""
        item = row.data(Qt.ItemDataRole.UserRole)
        if item is None:
            return
        entry = self.window.entry
        if item.element:
            self.window.show_page("entry")
            entry.focus_element(item.element)
        elif item.measure:
            self.window.show_page("entry")
            entry.focus_measure(item.measure)
        elif item.kind == "comment":
            self.comments.setFocus()
        elif item.kind == "province_key":
            self.import_key_btn.setFocus()

    def _load_comments(self) -> None:
        w = self.window
        rows = self.exchange.open_comments(w.profile.ward_code, w.year)
        status = self.store.report_status(w.profile.ward_code, w.year).status
        if rows and not self.feedback_msg.text():
            self.feedback_msg.setText(
                f"Ý kiến cho phiên bản {rows[0].version}"
                + (" — đã xử lý." if status in ("exported", "accepted") else
                   " — hãy sửa số liệu hoặc trả lời từng ý kiến rồi gửi lại."))
        self.comments.blockSignals(True)
        self.comments.setRowCount(len(rows))
        for i, c in enumerate(rows):
            for col, text in enumerate((c.measure, c.comment, c.answer)):
                item = QTableWidgetItem(text)
                if col < 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.comments.setItem(i, col, item)
        self.comments.blockSignals(False)

    def _answer_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 2:
            self.exchange.answer_comment(item.data(Qt.ItemDataRole.UserRole), item.text())

    def _load_history(self) -> None:
        rows = self.exchange.packages(self.window.profile.ward_code)
        self.history.setRowCount(len(rows))
        for i, p in enumerate(reversed(rows)):
            values = (format_stored(p.created_at), "Gửi đi" if p.direction == "out"
                      else "Nhận về", "Báo cáo" if p.kind == "submission" else "Phản hồi",
                      str(p.year), f"{p.detail} — {Path(p.file_name).name}")
            for col, text in enumerate(values):
                self.history.setItem(i, col, QTableWidgetItem(text))

    # -- actions -------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Thư mục lưu gói", str(self.outbox))
        if path:
            self.exchange.set_setting("outbox", path)
            self.refresh()

    def open_folder(self) -> None:
        self.outbox.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.outbox)))

    def _in_worker(self, fn, on_done, on_error) -> None:
        """`fn` in the pool, the page's actions off and its bar moving; the page is read again
        after either outcome (the buttons come back as the state says)."""
        buttons = (self.import_key_btn, self.create_key_btn, self.passphrase_btn, self.forgot_btn,
                   self.export_btn, self.import_btn)
        self.task = run_busy(buttons, self.progress, fn, on_done, on_error, after=self.refresh)

    def export(self) -> bool:
        """The key is unlocked in a worker; the package is then made here, on the window's
        thread, from the figures as they stand (none can be typed in between unsaved)."""
        passphrase = ask_passphrase(self, "Tạo gói gửi Sở Y tế")
        if passphrase is None:
            return False
        key, year = CommuneKey(self.data_dir), self.window.year
        self.result.setText("Đang mở khóa ký (mất vài giây)…")
        # without a key there is nothing to unlock: export_submission then says what is missing
        self._in_worker(lambda: key.unlock(passphrase) if key.exists() else None,
                        lambda secret: self._export_with(year, secret), self._export_failed)
        return True

    def _export_with(self, year: int, secret) -> None:
        self.window.flush()  # what was typed meanwhile is on disk, in the package or refused
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            result = export_submission(self.store, self.data_dir, year, self.outbox,
                                       secret=secret)
        except (KH75Error, OSError) as err:
            self._export_failed(err.message if isinstance(err, KH75Error) else str(err))
            return
        self.result.setText(said(True, f"Đã tạo gói năm {year}, phiên bản {result.version}:",
                                 f" {rich(result.path)}<br>Đính kèm tệp này vào thư điện tử "
                                 "hoặc chép vào USB gửi Sở Y tế. Số liệu năm này đã được khóa."))

    def _export_failed(self, message: str) -> None:
        self.result.setText(said(False, message))

    def choose_feedback(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Gói phản hồi của Sở Y tế", str(self.outbox),
                                              "Gói KH75 (*.kh75);;Mọi tệp (*)")
        if path:
            self.import_feedback(Path(path))

    def import_feedback(self, path: Path) -> bool:
        try:
            result = import_feedback(self.store, self.data_dir, path)
        except KH75Error as err:
            self.feedback_msg.setText(said(False, f"{err.message} Không có gì thay đổi."))
            return False
        self.feedback_msg.setText(rich(result.message))
        self.refresh()
        return True

    def choose_province_key(self, path: Path | None = None, heard: str | None = None) -> bool:
        """Import Sở Y tế's key file; a new key replaces the trusted one only with the
        fingerprint Sở Y tế reads out over the phone (`heard`, asked for when not given)."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Tệp khóa của Sở Y tế", "",
                                                    "Khóa KH75 (*.kh75key);;Mọi tệp (*)")
            if not chosen:
                return False
            path = Path(chosen)
        try:
            data = Path(path).read_bytes()
            before = self.exchange.province_key()
            try:
                row = import_province_key(self.store, data)
            except ProvinceKeyChange as change:
                if heard is None:
                    heard, ok = QInputDialog.getText(
                        self, "Sở Y tế đổi khóa",
                        f"Khóa đang dùng: {change.current}\nKhóa trong tệp: {change.new}\n\n"
                        "Gọi Sở Y tế, nhờ đọc dấu vân tay của khóa mới, rồi nhập dãy số nghe "
                        "được:")
                    if not ok:
                        return False
                row = import_province_key(self.store, data, heard)
        except (KH75Error, OSError) as err:
            self.key_msg.setText(said(False, err.message if isinstance(err, KH75Error)
                                      else err))
            return False
        replaced = before is not None and before.fingerprint != row.fingerprint
        self.key_msg.setText(said(
            True, f"Đã thay khóa của Sở Y tế (khóa cũ {before.fingerprint}); lần thay này đã "
            "được ghi lại." if replaced else f"Đã nhập khóa. Dấu vân tay: {row.fingerprint}. "
            "Hãy gọi Sở Y tế và đọc đối chiếu dãy số này."))
        self.refresh()
        return True

    def create_key(self, passphrase: str | None = None) -> bool:
        """The commune's signing key, when there is none yet."""
        if passphrase is None:
            passphrase = ask_new_passphrase(self, "Tạo khóa ký", "Khóa ký chứng nhận các gói báo "
                                            "cáo là của xã/phường; mật khẩu được hỏi mỗi lần gửi.")
            if passphrase is None:
                return False
        self.key_msg.setText("Đang tạo khóa ký (mất vài giây)…")
        store, data_dir = self.store, self.data_dir
        self._in_worker(lambda: create_commune_key(store, data_dir, passphrase), lambda fp:
                        self.key_msg.setText(said(True, "Đã tạo khóa ký. Dấu vân tay:",
                                                  f" <b>{fp}</b><br>Gọi Sở Y tế và đọc dãy số "
                                                  "này để Sở Y tế xác nhận.")), self._key_failed)
        return True

    def _key_failed(self, message: str) -> None:
        self.key_msg.setText(said(False, message))

    def forgot_passphrase(self, passphrase: str | None = None) -> bool:
        """No one can recover a passphrase: make a new key, keep the old one, and tell the
        officer to read the new fingerprint to Sở Y tế."""
        if passphrase is None:
            answer = QMessageBox.question(
                self, "Quên mật khẩu khóa ký",
                "Không ai khôi phục được mật khẩu khóa ký, kể cả Sở Y tế.\n\nCó thể tạo khóa ký "
                "mới: khóa cũ được giữ lại trong hồ sơ, các gói đã gửi vẫn hợp lệ. Sau đó phải "
                "gọi Sở Y tế, đọc dấu vân tay mới để Sở Y tế xác nhận trước khi nhận gói kế "
                "tiếp.\n\nTạo khóa ký mới?", defaultButton=QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return False
            passphrase = ask_new_passphrase(self, "Khóa ký mới")
            if passphrase is None:
                return False
        def replaced(fingerprints: tuple[str, str]) -> None:
            old, new = fingerprints
            self.key_msg.setText(said(
                True, "Đã tạo khóa ký mới. Dấu vân tay mới:", f" <b>{new}</b><br>Khóa cũ "
                f"({old}) được giữ lại. Hãy gọi Sở Y tế và đọc dấu vân tay mới; Sở Y tế xác nhận "
                "khóa mới rồi mới nhận được gói kế tiếp."))

        self.key_msg.setText("Đang tạo khóa ký mới (mất vài giây)…")
        store, data_dir = self.store, self.data_dir
        self._in_worker(lambda: replace_commune_key(store, data_dir, passphrase), replaced,
                        self._key_failed)
        return True

    def change_passphrase(self) -> None:
        old = ask_passphrase(self, "Đổi mật khẩu", "Mật khẩu hiện tại:")
        if old is None:
            return
        new = ask_new_passphrase(self, "Đổi mật khẩu")
        if new is None:
            return
        key = CommuneKey(self.data_dir)
        self.key_msg.setText("Đang đổi mật khẩu (mất vài giây)…")
        self._in_worker(lambda: key.change_passphrase(old, new), lambda _: self.key_msg.setText(
            said(True, "Đã đổi mật khẩu khóa ký.")), self._key_failed)
