"""What every command shares: the default year, opening a profile, passphrases, output."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from ..errors import KH75Error

EXIT_ERROR = 2
WRITE_COMMANDS = {"set", "values", "export", "import", "demo", "setup", "official"}
CREATE_COMMANDS = {"setup", "demo"}


def default_year() -> int:
    """The reporting year by the deadline rule when no report's acceptance is known: before
    15/11 this year, and after it still this year (see reporting_period.reporting_year)."""
    from ..setup_flow import default_reporting_year

    return default_reporting_year(date.today())


def commune_year(args):
    """(store, profile, year) for a command on a commune's year: --year or the working year."""
    from ..profile import require_profile

    store = commune_store(args)
    profile = require_profile(store)
    from ..reporting_period import check_year

    year = profile_year(store, profile) if args.year is None else check_year(args.year)
    return store, profile, year


def profile_year(store, profile) -> int:
    """A commune's working year: the one it last worked on, moved on to the next once that
    year's report was accepted and the deadline rule says so."""
    from ..reporting_period import working_year

    return working_year(store, profile, date.today())


def commune_store(args):
    from ..paths import data_dir
    from ..profile import open_store

    folder = data_dir(args.data_dir)
    if getattr(args, "command", None) in WRITE_COMMANDS:
        # a write waits for no one and overwrites no one: the window holding the profile wins
        from ..instance_lock import InstanceLock

        lock = InstanceLock(folder)
        try:
            lock.acquire()
        except KH75Error as err:
            raise KH75Error("KH75 Desktop đang mở hồ sơ này; lệnh ghi số liệu không chạy khi cửa "
                            "sổ đang mở. Hãy nhập trong cửa sổ, hoặc đóng nó rồi chạy lại (các "
                            "lệnh chỉ đọc như 'kh75 status' vẫn dùng được).") from err
        args.held_lock = lock  # released by main() when the command ends
    # only setting a profile up may create its database; every other command reads or refuses
    store = open_store(folder, create=getattr(args, "command", None) in CREATE_COMMANDS)
    if getattr(args, "command", None) in WRITE_COMMANDS:
        from ..backup import ensure_daily_backup

        ensure_daily_backup(folder)
    return store


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def ask_passphrase(args, new: bool = False, attr: str = "passphrase_file",
                prompt: str = "Mật khẩu khóa ký: ") -> str:
    """From --passphrase-file for scripts, else a hidden prompt; never from an argument."""
    from ..packages.keys import check_new_passphrase, passphrase_hint, read_passphrase_file

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


def args_data_dir(args, province: bool = False) -> Path:
    from ..paths import data_dir

    return data_dir(args.data_dir, province=province)


def write_output(path: Path, data: bytes) -> None:
    from ..files import atomic_write

    atomic_write(path, data)
    print(f"Đã ghi {path}")


def province_store(args):
    from ..profile import open_store

    folder = args_data_dir(args, province=True)
    if getattr(args, "province_command", None) == "init":
        return open_store(folder)
    from ..profile import NoProfile

    try:
        return open_store(folder, create=False)
    except NoProfile as err:
        raise KH75Error(f"Thư mục dữ liệu {folder} chưa khởi tạo cho Sở Y tế ('kh75 province "
                        "init').") from err

