"""The `kh75` console script: the core command line plus the commands that open windows.

Importing this module loads no Qt; each window command imports PySide6 only when it runs, so
`kh75 status` stays as light as the core.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kh75_desktop.cli import finish_process
from kh75_desktop.cli import main as core_main

# The core modules a window's first page needs, imported before PySide6: once PySide6 is loaded,
# shiboken's import hook reads the source of every module imported after it, looking for
# "PySide6" (its __feature__ support): it read 347 module sources on each start, SQLAlchemy,
# pydantic and SQLModel among them (the start's ratio to its floor: 1.77x -> 1.73x, near noise).
_CORE_FIRST = ("kh75_desktop.paths", "kh75_desktop.profile", "kh75_desktop.backup",
               "kh75_desktop.instance_lock", "kh75_desktop.overview", "kh75_desktop.judgement_words",
               "kh75_desktop.report_status", "kh75_desktop.setup_flow", "sqlalchemy.dialects.sqlite")


def load_core_first() -> None:
    import importlib

    for name in _CORE_FIRST:
        importlib.import_module(name)


def start_window() -> None:
    """Before a window's imports: the garbage collector paused, then the core imported before
    PySide6. While the modules load and the first page is built nearly nothing is garbage, yet
    the collections walked every object loaded so far, again and again: about 50 ms of a 600 ms
    start (measured with gc.callbacks). `ui.app` freezes what the start built and resumes the
    collector as soon as the window is shown, or before a setup dialog waits for the officer."""
    import gc

    gc.disable()
    load_core_first()
    window_process()


def window_process() -> None:
    """A process with a window: age's passphrase scrypt (a second or more, holding Python's
    lock) runs in a child process, so the window's thread keeps its turns."""
    from kh75_desktop import age_passphrase

    age_passphrase.run_apart(True)


class GuiCommands:
    """The commands the core CLI cannot offer without Qt."""

    @staticmethod
    def open_app(args) -> int:
        start_window()
        from .app import run_app

        return run_app(args.data_dir, getattr(args, "rest", []))

    @staticmethod
    def screenshots(args) -> int:
        from kh75_desktop.paths import data_dir

        from .screenshots import render_screenshots

        for path in render_screenshots(data_dir(args.data_dir), Path(args.out)):
            print(path)
        return 0

    @staticmethod
    def open_province(args) -> int:
        start_window()
        from .app import run_province_app

        return run_province_app(args.data_dir)

    @staticmethod
    def province_screenshots(args) -> int:
        from kh75_desktop.paths import data_dir

        from .screenshots import render_province_screenshots

        for path in render_province_screenshots(data_dir(args.data_dir, province=True),
                                                Path(args.out), args.year):
            print(path)
        return 0

    def add_province_commands(self, add) -> None:
        p = add("screenshots", self.province_screenshots, "chụp ảnh các trang của Sở Y tế")
        p.add_argument("--out", required=True, help="thư mục ghi ảnh PNG")
        p.add_argument("--year", type=int, default=2026)

    @staticmethod
    def selftest(args) -> int:
        from kh75_desktop.selftest import run_selftest

        def qt_check(tmp):
            import os

            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from PySide6.QtCore import QCoreApplication

            from kh75_desktop.profile import open_store

            from .app import make_app
            from .main_window import MainWindow

            app = make_app()
            if app.windowIcon().isNull():
                raise RuntimeError("thiếu biểu tượng ứng dụng (resources/icons)")
            cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
            if cancel != "Hủy":
                raise RuntimeError(f"thiếu bản dịch tiếng Việt của Qt (nút Cancel là '{cancel}')")
            window = MainWindow(open_store(tmp / "db"))
            window.show()
            size = window.size()
            window.close()
            return (f"Qt khởi động, cửa sổ chính {size.width()}×{size.height()}, "
                    "biểu tượng và bản dịch tiếng Việt của Qt có mặt")

        return 0 if run_selftest([("Giao diện Qt", qt_check)]) else 1

    @staticmethod
    def open_file(args) -> int:
        load_core_first()
        window_process()
        from .app import open_package

        return open_package(args.data_dir, Path(args.file))

    def add_commands(self, add) -> None:
        p = add("open", self.open_file, "mở một gói .kh75 đúng cửa sổ: phản hồi của Sở Y tế vào "
                "hồ sơ xã, báo cáo của xã vào trang nhận gói của Sở Y tế")
        p.add_argument("file")
        add("selftest", self.selftest, "tự kiểm tra các thành phần (cả trong bản đóng gói)")
        p = add("screenshots", self.screenshots, "chụp ảnh các trang chính (không cần màn hình)")
        p.add_argument("--out", required=True, help="thư mục ghi ảnh PNG")


def main(argv: list[str] | None = None) -> int:
    """The process's entry point (the console script and the frozen bundle)."""
    code = core_main(argv, gui=GuiCommands())
    finish_process()
    return code


if __name__ == "__main__":
    sys.exit(main())
