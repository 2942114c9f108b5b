"""The `kh75` command line: the same core as the window, for scripts, tests and batch work.

`kh75` alone opens the app. Errors print one Vietnamese line and exit non-zero; an unexpected
failure writes its traceback to a log file in the data folder instead of the terminal.
Command modules are imported lazily, so `kh75 status` loads no more than it needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Callable

from .errors import KH75Error

EXIT_ERROR = 2


def _default_year() -> int:
    """The reporting year: the calendar year just ended until the 15/11 deadline passes."""
    return date.today().year


def _store(args):
    from .paths import data_dir
    from .profile import open_store

    return open_store(data_dir(args.data_dir))


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# -- commands ---------------------------------------------------------------------------------
def cmd_catalogue(args) -> int:
    from .catalogue import load_catalogue

    cat = load_catalogue()
    if args.json:
        _print_json(cat.to_json())
        return 0
    print(f"Danh mục chỉ tiêu phiên bản {cat.version} — {cat.plan}")
    for goal, name in cat.goals.items():
        print(f"\n{name}")
        for m in cat.measures.values():
            if m.goal == goal:
                print(f"  {m.key:>4}  {m.name}  [{cat.leads[m.lead]}]")
    return 0


def cmd_communes(args) -> int:
    from .communes import communes

    rows = communes()
    if args.json:
        _print_json([c.to_json() for c in rows])
        return 0
    for c in rows:
        print(f"{c.code}  {c.name}")
    xa = sum(1 for c in rows if c.kind == "xa")
    print(f"\n{len(rows)} đơn vị: {xa} xã, {len(rows) - xa} phường")
    return 0


def _setup_profile(store, code: str, officer: str, phone: str, year: int):
    from .communes import by_code

    commune = by_code(code)
    if commune is None:
        raise KH75Error(f"Mã xã/phường '{code}' không có trong danh sách 129 đơn vị của tỉnh Ninh "
                        "Bình. Xem 'kh75 communes'.")
    existing = store.profile()
    if existing and existing.ward_code and existing.ward_code != commune.code:
        raise KH75Error(f"Hồ sơ này đã thiết lập cho {existing.ward_name} ({existing.ward_code}); "
                        "mỗi thư mục dữ liệu chỉ dành cho một xã/phường.")
    return store.save_profile(mode="commune", ward_code=commune.code, ward_name=commune.name,
                              ward_kind=commune.kind, officer=officer.strip(),
                              phone=phone.strip(), current_year=year)


def cmd_setup(args) -> int:
    if not args.officer.strip():
        raise KH75Error("Cần nhập họ tên cán bộ phụ trách (--officer).")
    store = _store(args)
    p = _setup_profile(store, args.commune, args.officer, args.phone, args.year)
    print(f"Đã thiết lập hồ sơ: {p.ward_name} (mã {p.ward_code}), cán bộ {p.officer}, năm {p.current_year}.")
    return 0


def cmd_demo(args) -> int:
    from .demo import DEMO_OFFICER, DEMO_PHONE, demo_figures

    store = _store(args)
    p = _setup_profile(store, args.commune, DEMO_OFFICER, DEMO_PHONE, args.year)
    for year in range(args.year - 3, args.year + 1):
        store.save_figures(p.ward_code, year, demo_figures(p.ward_code, year), who=DEMO_OFFICER)
    print(f"Đã tạo hồ sơ mẫu cho {p.ward_name} với số liệu các năm {args.year - 3}–{args.year}.")
    return 0


def cmd_status(args) -> int:
    from .measures import STATUS_LABELS, compute_all, completion
    from .profile import require_profile
    from .report_status import status_label

    store = _store(args)
    p = require_profile(store)
    year = args.year or p.current_year
    history = store.history(p.ward_code)
    results = compute_all(store.catalogue, year, p.ward_kind, history.get(year, {}), history)
    done, total = completion(results)
    rs = store.report_status(p.ward_code, year)
    if args.json:
        _print_json({"commune": {"code": p.ward_code, "name": p.ward_name, "kind": p.ward_kind},
                     "year": year, "catalogue_version": store.catalogue.version,
                     "report_status": rs.status, "report_version": rs.version,
                     "completion": {"answered": done, "total": total},
                     "measures": [r.to_json() for r in results]})
        return 0
    from .numbers_vi import format_measure, format_target

    print(f"{p.ward_name} — năm {year} — {status_label(rs.status, rs.version)} — "
          f"đã có số liệu {done}/{total} chỉ tiêu")
    for r in results:
        m = r.measure
        target = format_target(r.target, m.unit)
        interval = ""
        if r.interval is not None:
            lo, hi = (format_measure(x, m.unit) for x in r.interval)
            interval = f"  (khoảng tin cậy 95%: {lo} – {hi})"
        print(f"  {m.key:>4}  {format_measure(r.value, m.unit):>14}  chỉ tiêu {target:<16} "
              f"{STATUS_LABELS[r.status]}{interval}")
    return 0


def cmd_check(args) -> int:
    from .paths import data_dir
    from .storage.database import DB_FILE_NAME, current_revision, schema_head
    from .storage.integrity import check_database

    path = data_dir(args.data_dir) / DB_FILE_NAME
    if not path.exists():
        raise KH75Error(f"Không có cơ sở dữ liệu tại {path}.")
    problems = check_database(path)
    rev, head = current_revision(path), schema_head()
    print(f"Cơ sở dữ liệu: {path}")
    print(f"Lược đồ: {rev} (phiên bản hiện hành {head})" + ("" if rev == head else " — cần nâng cấp"))
    if problems:
        print("Phát hiện lỗi toàn vẹn:")
        for p in problems:
            print(f"  - {p}")
        return EXIT_ERROR
    print("Toàn vẹn dữ liệu: tốt (integrity_check, foreign_key_check).")
    return 0


# -- parser -----------------------------------------------------------------------------------
def build_parser(gui=None) -> argparse.ArgumentParser:
    """The parser; `gui` (from the Qt layer) adds the commands that open windows."""
    parser = argparse.ArgumentParser(
        prog="kh75",
        description="KH75 Desktop — báo cáo 24 chỉ tiêu trẻ em theo Kế hoạch 75/KH-UBND tỉnh Ninh Bình.",
    )
    parser.add_argument("--data-dir", help="thư mục dữ liệu của hồ sơ (mặc định: KH75_DATA_DIR "
                        "hoặc thư mục dữ liệu của người dùng)")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = add("catalogue", cmd_catalogue, "in danh mục 24 chỉ tiêu, 34 chỉ tiêu đo")
    p.add_argument("--json", action="store_true", help="in dạng JSON cho công cụ khác")
    p = add("communes", cmd_communes, "danh sách 129 xã, phường của tỉnh Ninh Bình")
    p.add_argument("--json", action="store_true")
    p = add("setup", cmd_setup, "thiết lập hồ sơ xã/phường")
    p.add_argument("--commune", required=True, help="mã xã/phường (5 chữ số)")
    p.add_argument("--officer", required=True, help="họ tên cán bộ phụ trách")
    p.add_argument("--phone", default="", help="số điện thoại")
    p.add_argument("--year", type=int, default=_default_year(), help="năm báo cáo")
    p = add("demo", cmd_demo, "tạo hồ sơ mẫu với số liệu thực tế của 4 năm")
    p.add_argument("--year", type=int, default=_default_year())
    p.add_argument("--commune", default="14464", help="mã xã/phường (mặc định Xã Gia Viễn)")
    p = add("status", cmd_status, "giá trị, chỉ tiêu và đánh giá của 34 chỉ tiêu đo")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    add("check", cmd_check, "kiểm tra toàn vẹn và lược đồ cơ sở dữ liệu")
    if gui is not None:
        gui.add_commands(add)
    return parser


def main(argv: list[str] | None = None, gui=None) -> int:
    """Run a command. Without `gui` (the core alone) there is no window to open."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser(gui)
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
    except KH75Error as err:
        print(f"Lỗi: {err.message}", file=sys.stderr)
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
        print(f"Lỗi không mong đợi: {err}. Chi tiết đã ghi vào {log}.", file=sys.stderr)
        return 1


def _write_crash_log(args) -> Path:
    import traceback

    from .paths import data_dir

    try:
        folder = data_dir(getattr(args, "data_dir", None))
        folder.mkdir(parents=True, exist_ok=True)
        log = folder / "kh75-crash.log"
        with log.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
        return log
    except OSError:
        return Path("(không ghi được tệp nhật ký)")


if __name__ == "__main__":
    sys.exit(main())
