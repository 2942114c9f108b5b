"""Commands of a commune's profile: setup, keys, figures, status, reports, packages."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import KH75Error
from ..files import os_reason
from ..reporting_period import check_year
from ..safe_text import one_line
from .common import (
    args_data_dir,
    ask_passphrase,
    commune_store,
    commune_year,
    default_year,
    print_json,
    profile_year,
    write_output,
)


def cmd_catalogue(args) -> int:
    from ..catalogue import load_catalogue

    cat = load_catalogue()
    if args.json:
        print_json(cat.to_json())
        return 0
    print(f"Danh mục chỉ tiêu phiên bản {cat.version} — {cat.plan}")
    for goal, name in cat.goals.items():
        print(f"\n{name}")
        for m in cat.measures.values():
            if m.goal == goal:
                print(f"  {m.key:>4}  {m.name}  [{cat.leads[m.lead]}]")
    return 0


def cmd_communes(args) -> int:
    from ..communes import communes

    rows = communes()
    if args.json:
        print_json([c.to_json() for c in rows])
        return 0
    for c in rows:
        print(f"{c.code}  {c.name}")
    xa = sum(1 for c in rows if c.kind == "xa")
    print(f"\n{len(rows)} đơn vị: {xa} xã, {len(rows) - xa} phường")
    return 0


def setup_profile(store, code: str, officer: str, phone: str, year: int):
    from ..communes import by_code

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
    store = commune_store(args)
    p = setup_profile(store, args.commune, args.officer, args.phone, args.year)
    print(f"Đã thiết lập hồ sơ: {p.ward_name} (mã {p.ward_code}), cán bộ {p.officer}, năm {p.current_year}.")
    setup_keys(args, store)
    return 0


def setup_keys(args, store) -> None:
    from ..packages.commune_side import create_commune_key, import_province_key
    from ..packages.keys import CommuneKey
    from ..resources import bundled_province_key
    from ..storage.exchange import ExchangeStore

    data, origin = None, ""
    if getattr(args, "province_key", None):
        try:
            data = Path(args.province_key).read_bytes()
        except OSError as err:
            raise KH75Error(f"Không đọc được tệp khóa {args.province_key}: {os_reason(err)}.") from err
    elif ExchangeStore(store.engine).province_key() is None:
        data, origin = bundled_province_key(), " (đi kèm bộ cài đặt)"
    if data is not None:
        before = ExchangeStore(store.engine).province_key()
        row = import_province_key(store, data, getattr(args, "confirm_fingerprint", None))
        if before is not None and before.fingerprint != row.fingerprint:
            print(f"Đã thay khóa của Sở Y tế: dấu vân tay cũ {before.fingerprint}, mới "
                  f"{row.fingerprint} (đã ghi lại lần thay này).")
        print(f"Đã nhập khóa của {row.name}{origin}. Dấu vân tay (đọc đối chiếu qua điện thoại): "
              f"{row.fingerprint}")
    if CommuneKey(args_data_dir(args)).exists():
        return
    interactive = sys.stdin is not None and sys.stdin.isatty()
    if not getattr(args, "passphrase_file", None) and not interactive:
        print("Chưa tạo khóa ký: chạy 'kh75 keys create --passphrase-file TỆP' trước khi gửi báo cáo.")
        return
    fp = create_commune_key(store, args_data_dir(args), ask_passphrase(args, new=True))
    print(f"Đã tạo khóa ký của xã/phường. Dấu vân tay: {fp}")


def cmd_keys(args) -> int:
    from ..packages.keys import CommuneKey, key_fingerprint
    from ..storage.exchange import ExchangeStore

    store = commune_store(args)
    key = CommuneKey(args_data_dir(args))
    if args.action == "create" and key.exists() and not args.replace and not args.province_key:
        raise KH75Error(f"Xã/phường đã có khóa ký (dấu vân tay {key_fingerprint(key.public_key())})"
                        "; khóa cũ được giữ nguyên. Nếu quên mật khẩu, thêm --replace để tạo khóa "
                        "mới thay khóa cũ; sau đó đọc dấu vân tay mới cho Sở Y tế qua điện thoại.")
    if args.action == "create" and key.exists() and args.replace:
        from ..packages.commune_side import replace_commune_key

        old, new = replace_commune_key(store, args_data_dir(args), ask_passphrase(args, new=True))
        print(f"Đã tạo khóa ký mới. Dấu vân tay mới: {new} (khóa cũ {old} được lưu trong "
              "keys/retired). Gọi Sở Y tế, đọc dấu vân tay mới để Sở Y tế xác nhận trước khi "
              "nhận gói kế tiếp.")
        return 0
    if args.action == "create":
        setup_keys(args, store)
    elif args.action == "passphrase":
        old = ask_passphrase(args, prompt="Mật khẩu hiện tại: ")
        new = ask_passphrase(args, new=True, attr="new_passphrase_file", prompt="Mật khẩu mới: ")
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
    from ..packages.commune_side import export_submission

    store, p, year = commune_year(args)
    result = export_submission(store, args_data_dir(args), year, Path(args.out), ask_passphrase(args))
    print(f"Đã tạo gói báo cáo năm {year}, phiên bản {result.version}: {result.path}")
    print(f"Dấu vân tay khóa ký của xã: {result.fingerprint}")
    return 0


def cmd_import(args) -> int:
    from ..packages.commune_side import import_feedback
    from ..profile import require_profile

    store = commune_store(args)
    require_profile(store)
    result = import_feedback(store, args_data_dir(args), Path(args.file))
    print(result.message)
    for c in result.comments:
        print(f"  - Chỉ tiêu {c.measure}: {one_line(c.comment, 2000)}")
    return 0


def cmd_set(args) -> int:
    from ..figures import Figure
    from ..numbers_vi import parse_count, parse_yes_no

    store, p, year = commune_year(args)
    element = store.catalogue.elements.get(args.element)
    if element is None:
        raise KH75Error(f"Số liệu '{args.element}' không có trong danh mục (xem 'kh75 catalogue "
                        "--json').")
    old = store.figures(p.ward_code, year).get(element.key)
    common = dict(source=args.source or (old.source if old else element.source),
                  note=args.note if args.note is not None else (old.note if old else ""),
                  explanation=args.explanation or "",
                  estimated=(args.estimated if args.estimated is not None
                             else bool(old and old.estimated)))
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
    print(f"Đã lưu số liệu năm {year}: {element.name}.")
    return 0


def cmd_comments(args) -> int:
    from ..storage.exchange import ExchangeStore

    store, p, year = commune_year(args)
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
        print(f"Chỉ tiêu {r.measure} (phiên bản {r.version}): {one_line(r.comment, 2000)}")
        print(f"    Trả lời: {one_line(r.answer, 2000) or '(chưa trả lời)'}")
    return 0


def cmd_demo(args) -> int:
    from ..demo import DEMO_OFFICER, DEMO_PHONE, demo_figures, demo_narrative
    from ..narrative import save_section
    from ..resources import bundled_province_key

    check_year(args.year - 3)
    check_year(args.year)
    store = commune_store(args)
    existing = store.profile()
    if existing is not None and existing.ward_code and not args.replace:
        raise KH75Error(f"Thư mục này đã có hồ sơ của {existing.ward_name}; số liệu mẫu sẽ ghi đè "
                        "số liệu thật. Dùng thư mục khác, hoặc thêm --replace nếu thật sự muốn.")
    p = setup_profile(store, args.commune, DEMO_OFFICER, DEMO_PHONE, args.year)
    for year in range(args.year - 3, args.year + 1):
        store.save_figures(p.ward_code, year, demo_figures(p.ward_code, year, year == args.year),
                           who=DEMO_OFFICER)
    for key, text in demo_narrative(args.year).items():
        save_section(store, p.ward_code, args.year, key, text)
    print(f"Đã tạo hồ sơ mẫu cho {p.ward_name} với số liệu các năm {args.year - 3}–{args.year}.")
    if args.province_key or args.passphrase_file or bundled_province_key():
        setup_keys(args, store)
    return 0


def cmd_status(args) -> int:
    from ..measures import STATUS_LABELS, completion, compute_all
    from ..report_status import status_label
    from ..reporting_period import estimate_counts, estimate_words, period_of

    store, p, year = commune_year(args)
    history = store.history(p.ward_code)
    results = compute_all(store.catalogue, year, p.ward_kind, history.get(year, {}), history)
    done, total = completion(results)
    rs = store.report_status(p.ward_code, year)
    period = period_of(store, p.ward_code, year)
    if args.json:
        print_json({"commune": {"code": p.ward_code, "name": p.ward_name, "kind": p.ward_kind},
                     "year": year, "catalogue_version": store.catalogue.version,
                     "report_status": rs.status, "report_version": rs.version,
                     "period": period.to_json(),
                     "estimates": dict(zip(("estimated", "entered"),
                                           estimate_counts(history.get(year, {})), strict=True)),
                     "completion": {"answered": done, "total": total},
                     "measures": [r.to_json() for r in results]})
        return 0
    from ..numbers_vi import format_measure, format_target

    print(f"{p.ward_name} — năm {year} — {status_label(rs.status, rs.version, rs.official)} — "
          f"đã có số liệu {done}/{total} chỉ số")
    print(period.words() + " " + estimate_words(history.get(year, {})))
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


def cmd_report(args) -> int:
    from ..reports.build import commune_document

    store, p, year = commune_year(args)
    write_output(Path(args.out), commune_document(store, args_data_dir(args), year, args.format))
    return 0


def cmd_template(args) -> int:
    from ..profile import require_profile
    from ..reports.template import build_template

    store = commune_store(args)
    p = require_profile(store)
    write_output(Path(args.out), build_template(store, profile_year(store, p) if args.year is None
                                                else check_year(args.year)))
    return 0


def cmd_values_import(args) -> int:
    from ..profile import require_profile
    from ..reports.template import import_template

    store = commune_store(args)
    p = require_profile(store)
    year, n = import_template(store, Path(args.file), who=p.officer)
    print(f"Đã lưu {n} số liệu năm {year} từ {args.file}.")
    return 0



def cmd_official(args) -> int:
    from ..reporting_period import reopen_for_official

    store, p, year = commune_year(args)
    reopen_for_official(store, p.ward_code, year)
    print(f"Đã mở lại báo cáo năm {year} để nhập số liệu chính thức. Sửa các số liệu ước tính "
          "(bỏ dấu ước tính) rồi gửi lại Sở Y tế: gói mới là phiên bản kế tiếp, kèm danh sách "
          "số liệu đã thay đổi.")
    return 0


def add_commune_commands(add) -> None:
    p = add("catalogue", cmd_catalogue, "in danh mục 24 chỉ tiêu và 34 chỉ số đo lường chúng")
    p.add_argument("--json", action="store_true", help="in dạng JSON cho công cụ khác")
    p = add("communes", cmd_communes, "danh sách 129 xã, phường của tỉnh Ninh Bình")
    p.add_argument("--json", action="store_true")
    p = add("setup", cmd_setup, "thiết lập hồ sơ xã/phường")
    p.add_argument("--commune", required=True, help="mã xã/phường (5 chữ số)")
    p.add_argument("--officer", required=True, help="họ tên cán bộ phụ trách")
    p.add_argument("--phone", default="", help="số điện thoại")
    p.add_argument("--year", type=int, default=default_year(), help="năm báo cáo")
    p.add_argument("--province-key", help="tệp khóa của Sở Y tế")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu khóa ký (cho kịch bản)")
    p = add("demo", cmd_demo, "tạo hồ sơ mẫu với số liệu thực tế của 4 năm")
    p.add_argument("--year", type=int, default=default_year())
    p.add_argument("--commune", default="14464", help="mã xã/phường (mặc định Xã Gia Viễn)")
    p.add_argument("--replace", action="store_true", help="ghi số liệu mẫu đè lên hồ sơ đã có")
    p.add_argument("--province-key", help="tệp khóa của Sở Y tế (tạo luôn khóa ký của xã)")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu khóa ký")
    p = add("status", cmd_status, "giá trị, mức chỉ tiêu và đánh giá của 34 chỉ số")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p = add("keys", cmd_keys, "khóa ký của xã và khóa của Sở Y tế (dấu vân tay)")
    p.add_argument("action", nargs="?", choices=["show", "create", "passphrase"], default="show")
    p.add_argument("--province-key", help="tệp khóa của Sở Y tế cần nhập")
    p.add_argument("--confirm-fingerprint", help="dấu vân tay khóa mới của Sở Y tế, do Sở Y tế "
                   "đọc qua điện thoại (chỉ cần khi thay khóa)")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu (cho kịch bản)")
    p.add_argument("--new-passphrase-file", help="tệp chứa mật khẩu mới (đổi mật khẩu)")
    p.add_argument("--replace", action="store_true",
                   help="với create: tạo khóa mới thay khóa cũ (khi quên mật khẩu); khóa cũ được "
                        "giữ trong keys/retired")
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
    g = p.add_mutually_exclusive_group()
    g.add_argument("--estimated", action="store_true", default=None,
                   help="số ước tính đến 31/12 (đếm đến ngày chốt số liệu)")
    g.add_argument("--final", dest="estimated", action="store_false",
                   help="số chính thức (bỏ dấu ước tính)")
    p = add("official", cmd_official,
            "mở lại báo cáo đã gửi để gửi số liệu chính thức sau khi năm kết thúc")
    p.add_argument("--year", type=int)
    p = add("report", cmd_report, "báo cáo để trình ký (PDF, hoặc Word để sửa) hoặc xuất số liệu "
            "(Excel)")
    p.add_argument("format", choices=["pdf", "docx", "xlsx"])
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

