"""The `kh75` command line: the same core as the window, for scripts, tests and batch work.

`kh75` alone opens the app. Errors print one Vietnamese line and exit non-zero; an unexpected
failure writes its traceback to a log file in the data folder instead of the terminal.
Commands live in one module per group (commune, province, maintenance); their work is imported
inside each command, so `kh75 status` loads no more than it needs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from ..errors import DatabaseCorrupt, KH75Error
from ..safe_text import lines, one_line
from .common import EXIT_ERROR
from .commune_commands import add_commune_commands
from .maintenance_commands import add_maintenance_commands
from .province_commands import add_province_commands

__all__ = ["EXIT_ERROR", "build_parser", "finish_process", "main"]


class _Unbuilt:
    """Stands in for the parser of a command this command line does not name: its arguments
    are never parsed, so they are not built. Building all 30 parsers cost every `kh75` start
    about 6 ms, most of it argparse asking gettext for its own words, some 400 file lookups."""

    def add_argument(self, *args, **kwargs) -> None:
        return None

    def add_mutually_exclusive_group(self, *args, **kwargs) -> _Unbuilt:
        return self

    def set_defaults(self, **kwargs) -> None:
        return None


def _named_commands(argv: list[str]) -> tuple[str | None, str | None] | None:
    """(command, province command) as the line names them, or None to build every parser: a
    help request lists them all."""
    words: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("-h", "--help"):
            return None
        elif arg == "--data-dir":
            skip = True
        elif not arg.startswith("-") and len(words) < 2:
            words.append(arg)
    command = words[0] if words else None
    return command, (words[1] if command == "province" and len(words) > 1 else None)


def build_parser(gui=None, argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; `gui` (from the Qt layer) adds the commands that open windows. With `argv`,
    only the parsers of the commands it names are built (all of them when a word is unknown,
    so the error lists the choices)."""
    named = None if argv is None else _named_commands(argv)
    if named is not None and (named[0] is not None or gui is not None):  # else: help is shown
        parser, found = _build(gui, named)
        if found:
            return parser
    return _build(gui, None)[0]


def _build(gui, named: tuple[str | None, str | None] | None) -> tuple[argparse.ArgumentParser, bool]:
    """The parser, and whether the commands `named` were among those built."""
    built: set[str] = set()  # "status", or "province ingest"
    parser = argparse.ArgumentParser(
        prog="kh75",
        description="KH75 Desktop — báo cáo 24 chỉ tiêu trẻ em theo Kế hoạch 75/KH-UBND tỉnh Ninh Bình.",
    )
    parser.add_argument("--data-dir", help="thư mục dữ liệu của hồ sơ (mặc định: KH75_DATA_DIR "
                        "hoặc thư mục dữ liệu của người dùng)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser | _Unbuilt:
        if named is not None and name != named[0]:
            return _Unbuilt()
        built.add(name)
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    add_commune_commands(add)
    add_maintenance_commands(add)

    if named is None or named[0] == "province":
        built.add("province")
        prov = sub.add_parser("province", help="các lệnh của Sở Y tế",
                              description="Sở Y tế: khóa, nhận gói, theo dõi, tổng hợp, phản hồi.")
        psub = prov.add_subparsers(dest="province_command", metavar="LỆNH")

        def padd(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser | _Unbuilt:
            if named is not None and named[1] is not None and name != named[1]:
                return _Unbuilt()
            built.add("province " + name)
            p = psub.add_parser(name, help=help_text, description=help_text)
            p.set_defaults(func=func)
            return p

        add_province_commands(padd)
        if gui is not None:
            gui.add_province_commands(padd)
            prov.set_defaults(func=gui.open_province)
        else:
            prov.set_defaults(func=lambda a: (prov.print_help(), 0)[1])

    if gui is not None:
        gui.add_commands(add)
    wanted = " ".join(w for w in named if w) if named else ""
    return parser, not wanted or wanted in built


def main(argv: list[str] | None = None, gui=None) -> int:
    """Run a command. Without `gui` (the core alone) there is no window to open."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser(gui, sys.argv[1:] if argv is None else argv)
    args, rest = parser.parse_known_args(argv)
    if args.command is None:
        if gui is None:
            parser.print_help()
            return 0
        args.rest = rest
        args.func = gui.open_app
    elif rest:
        parser.error("tham số không nhận ra: " + " ".join(rest))
    try:
        return args.func(args)
    except DatabaseCorrupt as err:
        print(f"Lỗi: {lines(err.message)}", file=sys.stderr)
        if err.folder is not None:
            from .maintenance_commands import print_backup_list

            print_backup_list(err.folder, sys.stderr)
        return EXIT_ERROR
    except KH75Error as err:
        print(f"Lỗi: {lines(err.message)}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback on the terminal
        log = _write_crash_log(args)
        print(f"Lỗi không mong đợi: {one_line(err)}. Chi tiết đã ghi vào {log}.", file=sys.stderr)
        return 1
    finally:
        held = getattr(args, "held_lock", None)  # a write command's hold on the profile
        if held is not None:
            held.release()


def finish_process() -> None:
    """Called by the process's entry point when a command has ended, just before exit.

    The interpreter's shutdown runs garbage collections over every object the imports made
    (SQLAlchemy's and pydantic's classes): about 130 ms of a 460 ms `python -c "import sqlmodel"`,
    measured. Frozen objects are skipped by those collections, and never finalised, so what must
    be closed is closed first: output flushed, every database engine disposed. A window's process
    is left to Qt's own teardown."""
    import gc

    if "PySide6.QtWidgets" in sys.modules:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be written anyway
            pass
    database = sys.modules.get("kh75_desktop.storage.database")
    if database is not None:
        database.dispose_all()
    gc.freeze()


def _write_crash_log(args) -> Path:
    import traceback

    from ..paths import data_dir

    try:
        folder = data_dir(getattr(args, "data_dir", None))
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "kh75-crash.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return log
    except OSError:
        return Path("(không ghi được tệp nhật ký)")
