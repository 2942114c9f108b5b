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


def print_backup_list(data_dir: Path, stream=None) -> None:
    """The profile's backups, newest first, by date, kind and content."""
    from ..backup import backup_catalogue

    stream = stream or sys.stdout
    entries = backup_catalogue(data_dir)
    if not entries:
        print(f"Không có bản sao lưu nào trong {data_dir / 'backups'}.", file=stream)
        return
    print(f"Các bản sao lưu trong {data_dir / 'backups'} (mới nhất trước):", file=stream)
    for entry in entries:
        mark = "  " if entry.good else "✖ "
        print(f"{mark}{entry.line()}\n    kh75 restore \"{entry.path}\"", file=stream)


def _confirm(args, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin or not sys.stdin.isatty():
        raise KH75Error("Thêm --yes để thực hiện khi chạy không có bàn phím.")
    return input(f"{question} (c/k): ").strip().lower() in ("c", "có", "co", "y")


def cmd_restore(args) -> int:
    from ..backup import describe_backup, restore_backup, start_afresh

    folder = args_data_dir(args)
    if args.new_profile:
        if not _confirm(args, "Bắt đầu hồ sơ mới? Tệp hiện tại và các bản sao lưu được giữ lại."):
            print("Đã hủy.")
            return 0
        kept = start_afresh(folder)
        print("Đã tạo hồ sơ trống; mở ứng dụng hoặc chạy 'kh75 setup' để thiết lập."
              + (f" Tệp cũ được giữ tại {kept}." if kept else ""))
        return 0
    if args.file is None:
        print_backup_list(folder)
        return 0
    source = Path(args.file)
    info = describe_backup(source)
    print(f"Bản sao lưu: {info.words()}")
    if info.problems:
        raise KH75Error(f"Bản sao lưu {source.name} bị hỏng: {info.problems[0]}.")
    if not _confirm(args, "Khôi phục bản này? Dữ liệu hiện tại được sao lưu trước."):
        print("Đã hủy.")
        return 0
    before = restore_backup(folder, source)
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
    p = add("restore", cmd_restore, "khôi phục từ một bản sao lưu (sao lưu hiện trạng trước); "
            "không có TỆP: liệt kê các bản sao lưu")
    p.add_argument("file", nargs="?")
    p.add_argument("--new-profile", action="store_true",
                   help="bắt đầu hồ sơ mới khi không bản sao lưu nào dùng được (giữ lại tệp cũ)")
    p.add_argument("--yes", action="store_true", help="không hỏi lại")
    p = add("profile", cmd_profile, "chuyển hồ sơ sang máy mới (xuất / nhập, có mật khẩu)")
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file")
    p.add_argument("--passphrase-file")
