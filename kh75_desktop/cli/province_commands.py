"""Sở Y tế's commands: keys, intake, enrolment, follow-up, measures, feedback, reports."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import KH75Error
from ..safe_text import one_line
from .common import (
    args_data_dir,
    ask_passphrase,
    default_year,
    print_json,
    province_store,
    write_output,
)


def cmd_province_report(args) -> int:
    store = province_store(args)
    from ..packages.province_side import require_province

    require_province(store)
    if args.format == "pdf":
        from ..reports.province_pdf import build_province_pdf

        data = build_province_pdf(store, args.year)
    else:
        from ..reports.xlsx_export import province_workbook

        data = province_workbook(store, args.year)
    write_output(Path(args.out), data)
    return 0


def cmd_province_dhis2(args) -> int:
    from ..dhis2 import data_value_set
    from ..packages.province_side import commune_figures, require_province

    store = province_store(args)
    require_province(store)
    doc = data_value_set(store.catalogue, args.year, commune_figures(store, args.year))
    write_output(Path(args.out), json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))
    print(f"{len(doc['dataValues'])} giá trị. Nhập vào DHIS2: POST /api/dataValueSets?"
          "dataElementIdScheme=CODE&orgUnitIdScheme=CODE")
    return 0


def cmd_province_init(args) -> int:
    from ..packages.province_side import init_province

    store = province_store(args)
    signing = ask_passphrase(args, new=True, prompt="Mật khẩu ký (ký gói phản hồi): ")
    decrypt = ask_passphrase(args, new=True, attr="decrypt_passphrase_file",
                             prompt="Mật khẩu giải mã (mở gói của các xã, khác mật khẩu ký): ")
    info = init_province(store, args_data_dir(args, province=True), signing, decrypt, args.scope)
    from ..packages.keys import ProvinceKeys

    print(f"Đã tạo khóa của {info.name}.")
    print(f"Tệp khóa gửi các xã: {ProvinceKeys(args_data_dir(args, province=True)).key_file}")
    print(f"Dấu vân tay (đọc cho xã đối chiếu): {info.fingerprint}")
    return 0


def cmd_province_ingest(args) -> int:
    from ..packages.intake import ingest

    if bool(args.confirm_fingerprint) != bool(args.ward):
        raise KH75Error("--confirm-fingerprint đi cùng --ward MÃ: dấu vân tay xã đọc qua điện "
                        "thoại chỉ xác nhận khóa của chính xã đó.")
    confirm = {args.ward: args.confirm_fingerprint} if args.ward else {}
    store = province_store(args)
    results = ingest(store, args_data_dir(args, province=True), [Path(p) for p in args.paths],
                     ask_passphrase(args, prompt="Mật khẩu giải mã: "), confirm)
    return report_ingest(results)


def report_ingest(results) -> int:
    """Print one line per file and the totals; exit 0 only when every file was taken in or was
    there before, 3 when some wait for a key's fingerprint, 1 when any was refused."""
    from ..packages.intake import ACCEPTED, DUPLICATE, PENDING, REJECTED

    print_ingest(results)
    counts = {o: sum(r.outcome == o for r in results)
              for o in (ACCEPTED, PENDING, DUPLICATE, REJECTED)}
    print(f"Tổng: {len(results)} tệp — nhận {counts[ACCEPTED]}, chờ xác nhận {counts[PENDING]}, "
          f"đã có từ trước {counts[DUPLICATE]}, từ chối {counts[REJECTED]}.")
    return 1 if counts[REJECTED] else (3 if counts[PENDING] else 0)


def print_ingest(results) -> None:
    from ..packages.intake import ACCEPTED, DUPLICATE, PENDING

    words = {ACCEPTED: "NHẬN", PENDING: "CHỜ XÁC NHẬN KHÓA", DUPLICATE: "ĐÃ CÓ"}
    for r in results:
        text = r.message if r.message.startswith(r.file) else f"{r.file}: {r.message}"
        print(f"[{words.get(r.outcome, 'TỪ CHỐI')}] {one_line(text, 600)}")


def cmd_province_enrol(args) -> int:
    from ..packages.enrolment import enrol, replace_key

    store = province_store(args)
    if args.forget:
        replace_key(store, args.ward)
        print(f"Đã xóa khóa đã đăng ký của đơn vị {args.ward}; gói kế tiếp sẽ chờ xác nhận.")
        return 0
    if not args.fingerprint:
        raise KH75Error("Cần --fingerprint (dấu vân tay đọc từ bản in của xã).")
    results = enrol(store, args_data_dir(args, province=True), args.ward, args.fingerprint,
                    ask_passphrase(args, prompt="Mật khẩu giải mã: "), replace=args.replace)
    print(f"Đã xác nhận khóa của đơn vị {args.ward}.")
    return report_ingest(results)


def cmd_province_status(args) -> int:
    from ..packages.province_side import STATUS_WORDS, commune_statuses

    store = province_store(args)
    rows = commune_statuses(store, args.year)
    if args.json:
        print_json({"year": args.year, "communes": [r.to_json() for r in rows]})
        return 0
    for r in rows:
        version = f" v{r.version}" if r.version else ""
        late = " — TRỄ HẠN" if r.late else ""
        print(f"{r.commune.code}  {r.commune.name:<28} {STATUS_WORDS[r.status]}{version}{late}")
    heard = sum(r.status != "nothing" for r in rows)
    print(f"\n{heard}/{len(rows)} đơn vị đã gửi; {sum(r.late for r in rows)} trễ hạn.")
    return 0


def cmd_province_measures(args) -> int:
    from ..measures import STATUS_LABELS
    from ..numbers_vi import format_measure, format_target
    from ..packages.province_side import province_measures

    store = province_store(args)
    rows = province_measures(store, args.year)
    if args.json:
        print_json({"year": args.year, "measures": [r.to_json() for r in rows]})
        return 0
    for r in rows:
        res, m = r.result, r.result.measure
        value = format_measure(res.value, "%" if m.unit == "yesno" and res.value is not None
                               else m.unit)
        print(f"{r.label:>10}  {value:>14}  chỉ tiêu {format_target(res.target, m.unit):<24} "
              f"{STATUS_LABELS[res.status]}  ({r.coverage_words()})\n{'':12}{res.reason}")
    return 0


def cmd_province_feedback(args) -> int:
    from ..packages.province_side import parse_comment, write_feedback

    store = province_store(args)
    comments = [parse_comment(c, store.catalogue) for c in args.comment or []]
    decision = "accept" if args.accept else "return"
    out = write_feedback(store, args_data_dir(args, province=True), args.ward, args.year, decision,
                         comments, ask_passphrase(args), Path(args.outbox))
    print(f"Đã ghi gói phản hồi: {out.path}")
    return 0



def cmd_province_period(args) -> int:
    from ..numbers_vi import format_date, parse_date
    from ..packages.province_side import require_province
    from ..reporting_period import cutoff_for, set_cutoff

    store = province_store(args)
    require_province(store)
    if args.cutoff:
        set_cutoff(store, args.year, parse_date(args.cutoff))
        print(f"Đã đặt ngày chốt số liệu năm {args.year}: {format_date(cutoff_for(store, args.year))}."
              " Ngày này được gửi tới các xã, phường trong mọi gói phản hồi.")
    else:
        print(f"Ngày chốt số liệu năm {args.year}: {format_date(cutoff_for(store, args.year))}.")
    return 0


def add_province_commands(padd) -> None:
    p = padd("init", cmd_province_init, "tạo khóa ký, khóa giải mã và tệp khóa gửi các xã")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu ký (cho kịch bản)")
    p.add_argument("--decrypt-passphrase-file",
                   help="tệp chứa mật khẩu giải mã, khác mật khẩu ký (cho kịch bản)")
    p.add_argument("--scope", choices=["province", "national"], default="province",
                   help="đơn vị được nhận: 129 xã, phường của tỉnh (mặc định) hoặc cả nước")
    p = padd("ingest", cmd_province_ingest, "kiểm tra và nhận các gói (tệp hoặc thư mục)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--ward", help="mã xã có khóa mới cần xác nhận (đi cùng --confirm-fingerprint)")
    p.add_argument("--confirm-fingerprint",
                   help="dấu vân tay khóa mới của xã --ward, do xã đọc qua điện thoại")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu giải mã")
    p = padd("enrol", cmd_province_enrol, "xác nhận khóa mới của một xã bằng dấu vân tay")
    p.add_argument("--ward", required=True)
    p.add_argument("--fingerprint")
    p.add_argument("--forget", action="store_true", help="xóa khóa đã đăng ký (xã đổi khóa)")
    p.add_argument("--replace", action="store_true",
                   help="khóa mới thay khóa đã đăng ký; khóa cũ bị thu hồi từ lúc này")
    p.add_argument("--passphrase-file", help="tệp chứa mật khẩu giải mã")
    p = padd("status", cmd_province_status, "tình hình gửi báo cáo của các xã, phường")
    p.add_argument("--year", type=int, default=default_year())
    p.add_argument("--json", action="store_true")
    p = padd("measures", cmd_province_measures, "chỉ tiêu toàn tỉnh so với mục tiêu")
    p.add_argument("--year", type=int, default=default_year())
    p.add_argument("--json", action="store_true")
    p = padd("feedback", cmd_province_feedback, "chấp nhận hoặc trả lại báo cáo của một xã")
    p.add_argument("--ward", required=True)
    p.add_argument("--year", type=int, default=default_year())
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--accept", action="store_true")
    g.add_argument("--return", dest="return_", action="store_true")
    p.add_argument("--comment", action="append", help="'MÃ: nội dung', ví dụ '3a: kiểm tra lại'")
    p.add_argument("--outbox", required=True, help="thư mục ghi gói phản hồi")
    p.add_argument("--passphrase-file")
    p = padd("period", cmd_province_period, "ngày chốt số liệu của năm báo cáo (mặc định 31/10)")
    p.add_argument("--year", type=int, default=default_year())
    p.add_argument("--cutoff", help="ngày chốt mới, dạng 30/09/2026")
    p = padd("report", cmd_province_report, "báo cáo tổng hợp của tỉnh (PDF hoặc Excel)")
    p.add_argument("format", choices=["pdf", "xlsx"])
    p.add_argument("--year", type=int, default=default_year())
    p.add_argument("--out", required=True)
    p = padd("dhis2", cmd_province_dhis2, "dữ liệu tổng hợp dạng DHIS2 dataValueSets (JSON)")
    p.add_argument("--year", type=int, default=default_year())
    p.add_argument("--out", required=True)
