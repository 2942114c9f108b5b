"""The strings Qt draws itself (standard buttons, text fields' edit menu, the file dialog) are
Vietnamese: our qtbase_vi translation is compiled from its source, keyed on Qt's real source
strings, and in effect in the app."""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QTimer, QTranslator
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from kh75_desktop.resources import resources_dir
from ui.app import make_app

TS = resources_dir() / "translations" / "qtbase_vi.ts"
QM = TS.with_suffix(".qm")


def messages():
    for context in ET.parse(TS).getroot().iter("context"):
        for msg in context.iter("message"):
            yield context.findtext("name"), msg.findtext("source"), msg.findtext("translation")


def test_compiled_translation_matches_its_source(tmp_path):
    import subprocess

    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    out = tmp_path / "fresh.qm"
    subprocess.run([str(lrelease), str(TS), "-qm", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == QM.read_bytes(), "run pyside6-lrelease on qtbase_vi.ts"


def test_every_source_string_is_one_qt_translates():
    """Keyed right: Qt's own German catalogue (the one kept up to date with Qt 6) knows each
    (context, source) we translate, so none of ours is a string Qt never asks for."""
    german = QTranslator()
    assert german.load(str(Path(PySide6.__file__).parent / "Qt" / "translations" / "qtbase_de.qm"))
    unknown = [(ctx, src) for ctx, src, _ in messages() if not german.translate(ctx, src)]
    assert unknown == []
    untranslated = [(ctx, src) for ctx, src, vi in messages() if not vi or vi == src]
    assert untranslated == []


def test_standard_buttons_and_edit_menu_are_vietnamese(qtbot):
    make_app()
    assert QCoreApplication.translate("QPlatformTheme", "&Yes") == "&Có"
    box = QMessageBox(QMessageBox.Icon.Question, "Thử", "Khôi phục?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    texts = sorted(b.text() for b in box.buttons())
    assert texts == ["&Có", "&Không", "Hủy"]
    field = QLineEdit("12")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    actions = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert "&Sao chép" in actions and "&Dán" in actions and "Chọn tất cả" in actions
    assert not QApplication.windowIcon().isNull()


def test_qt_file_dialog_speaks_vietnamese(qtbot):
    """Where there is no native dialog (Linux without a desktop theme), Qt's own one is used."""
    make_app()
    dialog = QFileDialog(None, "Các gói .kh75")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    QTimer.singleShot(0, dialog.reject)
    dialog.show()
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"Tìm &trong:", "&Tên tệp:", "&Loại tệp:"} <= texts
    buttons = {b.text() for b in dialog.findChildren(QPushButton)}
    assert "&Mở" in buttons and "Hủy" in buttons
