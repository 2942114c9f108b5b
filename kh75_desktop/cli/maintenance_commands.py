"""Commands that look after a profile's files: backup, restore, moving it, checking it."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import KH75Error
from .common import (
    EXIT_ERROR,
    args_data_dir,
    ask_passphrase,
)


def cmd_backup(args) -> int:
    from ..backup import make_backup

    target = make_backup(args_data_dir(args), "thu-cong", Path(args.out) if args.out else None)
    print(f"Đã sao lưu vào {target}")
    return 0


def cmd_restore(args) -> int:
    from ..backup import describe_backup, restore_backup

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
    before = restore_backup(args_data_dir(args), source)
    print("Đã khôi phục." + (f" Trạng thái trước khi khôi phục được giữ tại {before}."
                             if before else ""))
    return 0


def cmd_profile(args) -> int:
    from ..profile_transfer import export_profile, import_profile

    if args.action == "export":
        path = export_profile(args_data_dir(args), Path(args.file), ask_passphrase(args))
        print(f"Đã xuất hồ sơ (cơ sở dữ liệu và khóa ký, mã hóa bằng mật khẩu) vào {path}")
    else:
        import_profile(args_data_dir(args), Path(args.file), ask_passphrase(args))
        print(f"Đã nhập hồ sơ vào {args_data_dir(args)}; khóa ký và lịch sử gói được giữ nguyên.")
    return 0


def cmd_check(args) -> int:
    from ..paths import data_dir
    from ..storage.database import DB_FILE_NAME, current_revision, known_revisions, schema_head
    from ..storage.integrity import check_database

    path = data_dir(args.data_dir) / DB_FILE_NAME
    if not path.exists():
        raise KH75Error(f"Không có cơ sở dữ liệu tại {path}.")
    problems = check_database(path)
    rev, head = current_revision(path), schema_head()
    print(f"Cơ sở dữ liệu: {path}")
    if rev == head:
        state = ""
    elif rev is None:
        state = " — mất dấu phiên bản lược đồ: hãy khôi phục bản sao lưu"
    elif rev not in known_revisions():
        state = " — do phiên bản KH75 mới hơn tạo ra: hãy cập nhật ứng dụng"
    else:
        state = " — cần nâng cấp: mở ứng dụng để nâng cấp"
    print(f"Lược đồ: {rev or 'không rõ'} (phiên bản hiện hành {head}){state}")
    if problems:
        print("Phát hiện lỗi toàn vẹn:")
        for p in problems:
            print(f"  - {p}")
        return EXIT_ERROR
    print("Toàn vẹn dữ liệu: tốt (integrity_check, foreign_key_check).")
    return 0 if rev == head else EXIT_ERROR



def add_maintenance_commands(add) -> None:
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
