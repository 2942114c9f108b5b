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


WRITE_COMMANDS = {"set", "values", "export", "import", "demo", "setup"}


def _store(args):
    from .paths import data_dir
    from .profile import open_store

    folder = data_dir(args.data_dir)
    store = open_store(folder)
    if getattr(args, "command", None) in WRITE_COMMANDS:
        from .backup import ensure_daily_backup

        ensure_daily_backup(folder)
    return store


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


def _passphrase(args, new: bool = False, attr: str = "passphrase_file",
                prompt: str = "Mật khẩu khóa ký: ") -> str:
    """From --passphrase-file for scripts, else a hidden prompt; never from an argument."""
    from .packages.keys import check_new_passphrase, passphrase_hint, read_passphrase_file

    path = getattr(args, attr, None)
    if path:
        value = read_passphrase_file(path)
        if new:
            check_new_passphrase(value, value)
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise KH75Error(f"Cần mật khẩu: dùng --{attr.replace('_', '-')} TỆP khi chạy không có "
                        "bàn phím.")
    import getpass

    value = getpass.getpass(prompt)
    if new:
        print(f"Độ mạnh: {passphrase_hint(value)}")
        check_new_passphrase(value, getpass.getpass("Nhập lại mật khẩu: "))
    return value


def _data_dir(args, province: bool = False) -> Path:
    from .paths import data_dir

    return data_dir(args.data_dir, province=province)


def cmd_setup(args) -> int:
    if not args.officer.strip():
        raise KH75Error("Cần nhập họ tên cán bộ phụ trách (--officer).")
    store = _store(args)
    p = _setup_profile(store, args.commune, args.officer, args.phone, args.year)
    print(f"Đã thiết lập hồ sơ: {p.ward_name} (mã {p.ward_code}), cán bộ {p.officer}, năm {p.current_year}.")
    _setup_keys(args, store)
    return 0


def _setup_keys(args, store) -> None:
    from .packages.commune_side import create_commune_key, import_province_key
    from .packages.keys import CommuneKey
    from .resources import bundled_province_key
    from .storage.exchange import ExchangeStore

    data, origin = None, ""
    if getattr(args, "province_key", None):
        try:
            data = Path(args.province_key).read_bytes()
        except OSError as err:
            raise KH75Error(f"Không đọc được tệp khóa {args.province_key}: {err.strerror}.") from err
    elif ExchangeStore(store.engine).province_key() is None:
        data, origin = bundled_province_key(), " (đi kèm bộ cài đặt)"
    if data is not None:
        row = import_province_key(store, data)
        print(f"Đã nhập khóa của {row.name}{origin}. Dấu vân tay (đọc đối chiếu qua điện thoại): "
              f"{row.fingerprint}")
    if CommuneKey(_data_dir(args)).exists():
        return
    interactive = sys.stdin is not None and sys.stdin.isatty()
    if not getattr(args, "passphrase_file", None) and not interactive:
        print("Chưa tạo khóa ký: chạy 'kh75 keys create --passphrase-file TỆP' trước khi gửi báo cáo.")
        return
    fp = create_commune_key(store, _data_dir(args), _passphrase(args, new=True))
    print(f"Đã tạo khóa ký của xã/phường. Dấu vân tay: {fp}")


def cmd_keys(args) -> int:
    from .packages.keys import CommuneKey, key_fingerprint
    from .storage.exchange import ExchangeStore

    store = _store(args)
    key = CommuneKey(_data_dir(args))
    if args.action == "create":
        _setup_keys(args, store)
    elif args.action == "passphrase":
        old = _passphrase(args, prompt="Mật khẩu hiện tại: ")
        new = _passphrase(args, new=True, attr="new_passphrase_file", prompt="Mật khẩu mới: ")
        key.change_passphrase(old, new)
        print("Đã đổi mật khẩu khóa ký.")
        return 0
    if key.exists():
        print(f"Khóa ký của xã/phường — dấu vân tay: {key_fingerprint(key.public_key())}")
    else:
        print("Chưa có khóa ký của xã/phường.")
    pk = ExchangeStore(store.engine).province_key()
    print(f"Khóa của Sở Y tế — dấu vân tay: {pk.fingerprint}" if pk else
          "Chưa nhập khóa của Sở Y tế.")
    return 0


def cmd_export(args) -> int:
    from .packages.commune_side import export_submission
    from .profile import require_profile

    store = _store(args)
    p = require_profile(store)
    year = args.year or p.current_year
    result = export_submission(store, _data_dir(args), year, Path(args.out), _passphrase(args))
    print(f"Đã tạo gói báo cáo năm {year}, phiên bản {result.version}: {result.path}")
    print(f"Dấu vân tay khóa ký của xã: {result.fingerprint}")
    return 0


def cmd_import(args) -> int:
    from .packages.commune_side import import_feedback
    from .profile import require_profile

    store = _store(args)
    require_profile(store)
    result = import_feedback(store, _data_dir(args), Path(args.file))
    print(result.message)
    for c in result.comments:
        print(f"  - Chỉ tiêu {c.measure}: {c.comment}")
    return 0


def cmd_set(args) -> int:
    from .figures import Figure
    from .numbers_vi import parse_count, parse_yes_no
    from .profile import require_profile

    store = _store(args)
    p = require_profile(store)
    year = args.year or p.current_year
    element = store.catalogue.elements.get(args.element)
    if element is None:
        raise KH75Error(f"Số liệu '{args.element}' không có trong danh mục (xem 'kh75 catalogue "
                        "--json').")
    old = store.figures(p.ward_code, year).get(element.key)
    common = dict(source=args.source or (old.source if old else element.source),
                  note=args.note if args.note is not None else (old.note if old else ""),
                  explanation=args.explanation or "")
    if args.missing:
        fig = Figure(element.key, missing_reason=args.missing, **common)
    elif args.value is None:
        raise KH75Error("Cần giá trị, hoặc --missing LÝ_DO khi không có số liệu.")
    elif element.kind == "yesno":
        try:
            flag = parse_yes_no(args.value)
        except KH75Error as err:
            raise KH75Error(f"{element.name}: {err.message}") from err
        fig = Figure(element.key, flag=flag, **common)
    else:
        fig = Figure(element.key, count=parse_count(args.value), **common)
    store.save_figure(p.ward_code, year, fig, who=p.officer)
    print(f"Đã lưu {element.name} năm {year}.")
    return 0


def cmd_comments(args) -> int:
    from .profile import require_profile
    from .storage.exchange import ExchangeStore

    store = _store(args)
    p = require_profile(store)
    year = args.year or p.current_year
    exchange = ExchangeStore(store.engine)
    rows = exchange.open_comments(p.ward_code, year)
    if args.answer is not None:
        if args.measure is None:
            raise KH75Error("Cần --measure để trả lời ý kiến.")
        match = [r for r in rows if r.measure == args.measure]
        if not match:
            raise KH75Error(f"Không có ý kiến nào của Sở Y tế về chỉ tiêu {args.measure}.")
        for r in match:
            exchange.answer_comment(r.id, args.answer)
        print(f"Đã ghi trả lời cho chỉ tiêu {args.measure}.")
        return 0
    if not rows:
        print(f"Không có ý kiến nào của Sở Y tế cho năm {year}.")
    for r in rows:
        print(f"Chỉ tiêu {r.measure} (phiên bản {r.version}): {r.comment}")
        print(f"    Trả lời: {r.answer or '(chưa trả lời)'}")
    return 0


def cmd_demo(args) -> int:
    from .demo import DEMO_OFFICER, DEMO_PHONE, demo_figures
    from .resources import bundled_province_key

    store = _store(args)
    p = _setup_profile(store, args.commune, DEMO_OFFICER, DEMO_PHONE, args.year)
    for year in range(args.year - 3, args.year + 1):
        store.save_figures(p.ward_code, year, demo_figures(p.ward_code, year), who=DEMO_OFFICER)
    print(f"Đã tạo hồ sơ mẫu cho {p.ward_name} với số liệu các năm {args.year - 3}–{args.year}.")
    if args.province_key or args.passphrase_file or bundled_province_key():
        _setup_keys(args, store)
    return 0


def cmd_status(args) -> int:
    from .measures import STATUS_LABELS, completion, compute_all
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
              f"{STATUS_LABELS[r.status]}{interval}\n{'':8}{r.reason}")
    return 0


def _write_output(path: Path, data: bytes) -> None:
    from .files import atomic_write

    atomic_write(path, data)
    print(f"Đã ghi {path}")


def cmd_report(args) -> int:
    from .profile import require_profile

    store = _store(args)
    p = require_profile(store)
    year = args.year or p.current_year
    if args.format == "pdf":
        from .reports.commune_pdf import build_commune_pdf

        data = build_commune_pdf(store, _data_dir(args), year)
    else:
        from .reports.xlsx_export import commune_workbook

        data = commune_workbook(store, year)
    _write_output(Path(args.out), data)
    return 0


def cmd_template(args) -> int:
    from .profile import require_profile
    from .reports.template import build_template

    store = _store(args)
    p = require_profile(store)
    _write_output(Path(args.out), build_template(store, args.year or p.current_year))
    return 0


def cmd_values_import(args) -> int:
    from .profile import require_profile
    from .reports.template import import_template

    store = _store(args)
    p = require_profile(store)
    year, n = import_template(store, Path(args.file), who=p.officer)
    print(f"Đã lưu {n} số liệu năm {year} từ {args.file}.")
    return 0


def cmd_province_report(args) -> int:
    store = _province_store(args)
    from .packages.province_side import require_province

    require_province(store)
    if args.format == "pdf":
        from .reports.province_pdf import build_province_pdf

        data = build_province_pdf(store, args.year)
    else:
        from .reports.xlsx_export import province_workbook

        data = province_workbook(store, args.year)
    _write_output(Path(args.out), data)
    return 0


def cmd_province_dhis2(args) -> int:
    from .dhis2 import data_value_set
    from .packages.province_side import commune_figures, require_province

    store = _province_store(args)
    require_province(store)
    doc = data_value_set(store.catalogue, args.year, commune_figures(store, args.year))
    _write_output(Path(args.out), json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
    print(f"{len(doc['dataValues'])} giá trị. Nhập vào DHIS2: POST /api/dataValueSets?"
          "dataElementIdScheme=CODE&orgUnitIdScheme=CODE")
    return 0


def _province_store(args):
    from .profile import open_store

    return open_store(_data_dir(args, province=True))


def cmd_province_init(args) -> int:
    from .packages.province_side import init_province

    store = _province_store(args)
    info = init_province(store, _data_dir(args, province=True), _passphrase(args, new=True),
                         args.scope)
    from .packages.keys import ProvinceKeys

    print(f"Đã tạo khóa của {info.name}.")
    print(f"Tệp khóa gửi các xã: {ProvinceKeys(_data_dir(args, province=True)).key_file}")
    print(f"Dấu vân tay (đọc cho xã đối chiếu): {info.fingerprint}")
    return 0


def cmd_province_ingest(args) -> int:
    from .packages.province_side import ACCEPTED, DUPLICATE, PENDING, REJECTED, ingest

    store = _province_store(args)
    results = ingest(store, _data_dir(args, province=True), [Path(p) for p in args.paths],
                     _passphrase(args), args.confirm_fingerprint or [])
    _print_ingest(results)
    counts = {o: sum(r.outcome == o for r in results)
              for o in (ACCEPTED, PENDING, DUPLICATE, REJECTED)}
    print(f"Tổng: {len(results)} tệp — nhận {counts[ACCEPTED]}, chờ xác nhận {counts[PENDING]}, "
          f"đã có từ trước {counts[DUPLICATE]}, từ chối {counts[REJECTED]}.")
    return 0 if counts[REJECTED] == 0 else 1


def _print_ingest(results) -> None:
    from .packages.province_side import ACCEPTED, DUPLICATE, PENDING

    words = {ACCEPTED: "NHẬN", PENDING: "CHỜ XÁC NHẬN KHÓA", DUPLICATE: "ĐÃ CÓ"}
    for r in results:
        text = r.message if r.message.startswith(r.file) else f"{r.file}: {r.message}"
        print(f"[{words.get(r.outcome, 'TỪ CHỐI')}] {text}")


def cmd_province_enrol(args) -> int:
    from .packages.province_side import enrol, replace_key

    store = _province_store(args)
    if args.forget:
        replace_key(store, args.ward)
        print(f"Đã xóa khóa đã đăng ký của đơn vị {args.ward}; gói kế tiếp sẽ chờ xác nhận.")
        return 0
    if not args.fingerprint:
        raise KH75Error("Cần --fingerprint (dấu vân tay đọc từ bản in của xã).")
    results = enrol(store, _data_dir(args, province=True), args.ward, args.fingerprint,
                    _passphrase(args))
    print(f"Đã xác nhận khóa của đơn vị {args.ward}.")
    _print_ingest(results)
    return 0


def cmd_province_status(args) -> int:
    from .packages.province_side import STATUS_WORDS, commune_statuses

    store = _province_store(args)
    rows = commune_statuses(store, args.year)
    if args.json:
        _print_json({"year": args.year, "communes": [r.to_json() for r in rows]})
        return 0
    for r in rows:
        version = f" v{r.version}" if r.version else ""
        late = " — TRỄ HẠN" if r.late else ""
        print(f"{r.commune.code}  {r.commune.name:<28} {STATUS_WORDS[r.status]}{version}{late}")
    heard = sum(r.status != "nothing" for r in rows)
    print(f"\n{heard}/{len(rows)} đơn vị đã gửi; {sum(r.late for r in rows)} trễ hạn.")
    return 0


def cmd_province_measures(args) -> int:
    from .measures import STATUS_LABELS
    from .numbers_vi import format_measure, format_target
    from .packages.province_side import province_measures

    store = _province_store(args)
    rows = province_measures(store, args.year)
    if args.json:
        _print_json({"year": args.year, "measures": [r.to_json() for r in rows]})
        return 0
    for r in rows:
        res, m = r.result, r.result.measure
        value = format_measure(res.value, "%" if m.unit == "yesno" and res.value is not None
                               else m.unit)
        print(f"{r.label:>10}  {value:>14}  chỉ tiêu {format_target(res.target, m.unit):<24} "
              f"{STATUS_LABELS[res.status]}  ({r.coverage_words()})\n{'':12}{res.reason}")
    return 0


def cmd_province_feedback(args) -> int:
    from .packages.province_side import parse_comment, write_feedback

    store = _province_store(args)
    comments = [parse_comment(c, store.catalogue) for c in args.comment or []]
    decision = "accept" if args.accept else "return"
    out = write_feedback(store, _data_dir(args, province=True), args.ward, args.year, decision,
                         comments, _passphrase(args), Path(args.outbox))
    print(f"Đã ghi gói phản hồi: {out.path}")
    return 0


def cmd_backup(args) -> int:
    from .backup import make_backup

    target = make_backup(_data_dir(args), "thu-cong", Path(args.out) if args.out else None)
    print(f"Đã sao lưu vào {target}")
    return 0


def cmd_restore(args) -> int:
    from .backup import describe_backup, restore_backup

    source = Path(args.file)
    info = describe_backup(source)
    print(f"Bản sao lưu: {info.words()}")
    if info.problems:
        raise KH75Error(f"Bản sao lưu {source.name} bị hỏng: {info.problems[0]}.")
    if not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise KH75Error("Thêm --yes để khôi phục khi chạy không có bàn phím.")
        if input("Khôi phục bản này? Dữ liệu hiện tại được sao lưu trước. (c/k): ").strip().lower() \
                not in ("c", "có", "co", "y"):
            print("Đã hủy.")
            return 0
    before = restore_backup(_data_dir(args), source)
    print(f"Đã khôi phục. Trạng thái trước khi khôi phục được giữ tại {before}.")
    return 0


def cmd_profile(args) -> int:
    from .profile_transfer import export_profile, import_profile

    if args.action == "export":
        path = export_profile(_data_dir(args), Path(args.file), _passphrase(args))
        print(f"Đã xuất hồ sơ (cơ sở dữ liệu và khóa ký, mã hóa bằng mật khẩu) vào {path}")
    else:
        import_profile(_data_dir(args), Path(args.file), _passphrase(args))
        print(f"Đã nhập hồ sơ vào {_data_dir(args)}; khóa ký và lịch sử gói được giữ nguyên.")
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
    p.add_argument("--province-key", help="tệp khóa của Sở Y tế")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu khóa ký (cho kịch bản)")
    p = add("demo", cmd_demo, "tạo hồ sơ mẫu với số liệu thực tế của 4 năm")
    p.add_argument("--year", type=int, default=_default_year())
    p.add_argument("--commune", default="14464", help="mã xã/phường (mặc định Xã Gia Viễn)")
    p.add_argument("--province-key", help="tệp khóa của Sở Y tế (tạo luôn khóa ký của xã)")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu khóa ký")
    p = add("status", cmd_status, "giá trị, chỉ tiêu và đánh giá của 34 chỉ tiêu đo")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    add("check", cmd_check, "kiểm tra toàn vẹn và lược đồ cơ sở dữ liệu")
    p = add("backup", cmd_backup, "sao lưu cơ sở dữ liệu (mặc định vào thư mục sao lưu tự động)")
    p.add_argument("--out", help="tệp đích, ví dụ trên USB")
    p = add("restore", cmd_restore, "khôi phục từ một bản sao lưu (sao lưu hiện trạng trước)")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="không hỏi lại")
    p = add("profile", cmd_profile, "chuyển hồ sơ sang máy mới (xuất / nhập, có mật khẩu)")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file")
    p.add_argument("--passphrase-file")
    p = add("keys", cmd_keys, "khóa ký của xã và khóa của Sở Y tế (dấu vân tay)")
    p.add_argument("action", nargs="?", choices=["show", "create", "passphrase"], default="show")
    p.add_argument("--province-key", help="tệp khóa của Sở Y tế cần nhập")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu (cho kịch bản)")
    p.add_argument("--new-passphrase-file", help="tệp chứa mật khẩu mới (đổi mật khẩu)")
    p = add("export", cmd_export, "tạo gói báo cáo có chữ ký gửi Sở Y tế")
    p.add_argument("--year", type=int)
    p.add_argument("--out", required=True, help="thư mục ghi gói")
    p.add_argument("--passphrase-file")
    p = add("import", cmd_import, "nhập gói phản hồi của Sở Y tế")
    p.add_argument("file")
    p = add("set", cmd_set, "nhập hoặc sửa một số liệu (áp dụng cùng quy tắc như khi gõ)")
    p.add_argument("element", help="mã số liệu, ví dụ live_births")
    p.add_argument("value", nargs="?", help="số (1.234) hoặc có/không")
    p.add_argument("--year", type=int)
    p.add_argument("--missing", help="không có số liệu, với lý do")
    p.add_argument("--source", help="nguồn số liệu (tram_y_te, truong_hoc, cong_an, tu_phap, khac)")
    p.add_argument("--note")
    p.add_argument("--explanation", help="giải thích khi có cảnh báo")
    p = add("report", cmd_report, "in báo cáo tóm tắt (PDF) hoặc xuất số liệu (Excel)")
    p.add_argument("format", choices=["pdf", "xlsx"])
    p.add_argument("--year", type=int)
    p.add_argument("--out", required=True)
    p = add("template", cmd_template, "mẫu Excel thu thập số liệu theo nguồn (trạm y tế, trường…)")
    p.add_argument("--year", type=int)
    p.add_argument("--out", required=True)
    p = add("values", cmd_values_import, "nhập số liệu từ mẫu Excel đã điền: kh75 values import TỆP")
    p.add_argument("action", choices=["import"])
    p.add_argument("file")
    p = add("comments", cmd_comments, "ý kiến của Sở Y tế và trả lời của xã")
    p.add_argument("--year", type=int)
    p.add_argument("--measure", help="mã chỉ tiêu cần trả lời")
    p.add_argument("--answer", help="nội dung trả lời")

    prov = sub.add_parser("province", help="các lệnh của Sở Y tế",
                          description="Sở Y tế: khóa, nhận gói, theo dõi, tổng hợp, phản hồi.")
    psub = prov.add_subparsers(dest="province_command", metavar="LỆNH")

    def padd(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        p = psub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = padd("init", cmd_province_init, "tạo khóa ký, khóa giải mã và tệp khóa gửi các xã")
    p.add_argument("--passphrase-file")
    p.add_argument("--scope", choices=["province", "national"], default="province",
                   help="đơn vị được nhận: 129 xã, phường của tỉnh (mặc định) hoặc cả nước")
    p = padd("ingest", cmd_province_ingest, "kiểm tra và nhận các gói (tệp hoặc thư mục)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--confirm-fingerprint", action="append",
                   help="dấu vân tay khóa mới đã đối chiếu (có thể lặp lại)")
    p.add_argument("--passphrase-file")
    p = padd("enrol", cmd_province_enrol, "xác nhận khóa mới của một xã bằng dấu vân tay")
    p.add_argument("--ward", required=True)
    p.add_argument("--fingerprint")
    p.add_argument("--forget", action="store_true", help="xóa khóa đã đăng ký (xã đổi khóa)")
    p.add_argument("--passphrase-file")
    p = padd("status", cmd_province_status, "tình hình gửi báo cáo của các xã, phường")
    p.add_argument("--year", type=int, default=_default_year())
    p.add_argument("--json", action="store_true")
    p = padd("measures", cmd_province_measures, "chỉ tiêu toàn tỉnh so với mục tiêu")
    p.add_argument("--year", type=int, default=_default_year())
    p.add_argument("--json", action="store_true")
    p = padd("feedback", cmd_province_feedback, "chấp nhận hoặc trả lại báo cáo của một xã")
    p.add_argument("--ward", required=True)
    p.add_argument("--year", type=int, default=_default_year())
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--accept", action="store_true")
    g.add_argument("--return", dest="return_", action="store_true")
    p.add_argument("--comment", action="append", help="'MÃ: nội dung', ví dụ '3a: kiểm tra lại'")
    p.add_argument("--outbox", required=True, help="thư mục ghi gói phản hồi")
    p.add_argument("--passphrase-file")
    p = padd("report", cmd_province_report, "báo cáo tổng hợp của tỉnh (PDF hoặc Excel)")
    p.add_argument("format", choices=["pdf", "xlsx"])
    p.add_argument("--year", type=int, default=_default_year())
    p.add_argument("--out", required=True)
    p = padd("dhis2", cmd_province_dhis2, "dữ liệu tổng hợp dạng DHIS2 dataValueSets (JSON)")
    p.add_argument("--year", type=int, default=_default_year())
    p.add_argument("--out", required=True)
    if gui is not None:
        gui.add_province_commands(padd)
        prov.set_defaults(func=gui.open_province)
    else:
        prov.set_defaults(func=lambda a: (prov.print_help(), 0)[1])

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
