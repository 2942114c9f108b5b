"""The `kh75` console script: the core command line plus the commands that open windows.

Importing this module loads no Qt; each window command imports PySide6 only when it runs, so
`kh75 status` stays as light as the core.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kh75_desktop.cli import main as core_main


class GuiCommands:
    """The commands the core CLI cannot offer without Qt."""

    @staticmethod
    def open_app(args) -> int:
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

    def add_commands(self, add) -> None:
        p = add("screenshots", self.screenshots, "chụp ảnh các trang chính (không cần màn hình)")
        p.add_argument("--out", required=True, help="thư mục ghi ảnh PNG")


def main(argv: list[str] | None = None) -> int:
    return core_main(argv, gui=GuiCommands())


if __name__ == "__main__":
    sys.exit(main())
