"""Nothing lost to crashes, full disks, upgrades or a new laptop: each fault asserts a clear
message and no loss."""

import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kh75_desktop.backup import (
    describe_backup,
    ensure_daily_backup,
    list_backups,
    make_backup,
    restore_backup,
)
from kh75_desktop.demo import demo_figures
from kh75_desktop.errors import KH75Error
from kh75_desktop.figures import Figure
from kh75_desktop.files import atomic_write
from kh75_desktop.instance_lock import InstanceLock
from kh75_desktop.profile import DatabaseCorrupt, open_store
from kh75_desktop.storage.database import DB_FILE_NAME, current_revision, schema_head

DATA = Path(__file__).parent / "data"
W = "14464"


@pytest.mark.parametrize("revision", ["0001", "0002", "0004"])
def test_database_from_each_released_schema_opens_with_every_figure(tmp_path, revision):
    shutil.copy(DATA / f"schema-{revision}.sqlite3", tmp_path / DB_FILE_NAME)
    before = sqlite3.connect(tmp_path / DB_FILE_NAME).execute(
        "SELECT year, element, count, flag FROM figure ORDER BY year, element").fetchall()
    store = open_store(tmp_path)
    after = sqlite3.connect(tmp_path / DB_FILE_NAME).execute(
        "SELECT year, element, count, flag FROM figure ORDER BY year, element").fetchall()
    elements = 53 if revision < "0004" else 54  # 0004's catalogue added schools_general
    assert after == before and len(after) == 2 * elements
    births_before = next(c for y, e, c, _ in before if (y, e) == (2025, "live_births"))
    assert store.figures(W, 2025)["live_births"].count == births_before
    # figures made before the reporting period are official figures, the report not reopened
    assert not any(f.estimated for f in store.figures(W, 2025).values())
    assert not store.report_status(W, 2025).official
    assert store.profile().ward_name == "Xã Gia Viễn"
    assert [c.name for c in store.contacts()] == ["Trạm y tế xã"]
    rev = sqlite3.connect(tmp_path / DB_FILE_NAME).execute(
        "SELECT version_num FROM alembic_version").fetchone()[0]
    assert rev == schema_head()
    assert any("truoc-nang-cap" in p.name for p in list_backups(tmp_path))  # backed up first


def test_backup_restore_shows_what_it_holds(store, data_dir):
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    backup = make_backup(data_dir, "thu-cong", data_dir.parent / "usb" / "kh75.sqlite3")
    info = describe_backup(backup)
    assert "Xã Gia Viễn" in info.words() and info.years == [2026] and not info.problems
    births = store.figures(W, 2026)["live_births"].count
    store.save_figure(W, 2026, Figure("live_births", count=births + 7, source="tram_y_te",
                                      explanation="thử"), who="Hoa")
    before = restore_backup(data_dir, backup)
    assert "truoc-khoi-phuc" in before.name
    assert store.figures(W, 2026)["live_births"].count == demo_figures(W, 2026)[3].count
    assert describe_backup(before).years == [2026]  # the state before the restore is kept


def test_daily_backup_and_rotation(store, data_dir):
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    first = ensure_daily_backup(data_dir)
    assert first is not None and ensure_daily_backup(data_dir) is None  # once a day
    for _ in range(25):
        make_backup(data_dir)
    assert len(list_backups(data_dir)) == 20


def test_corrupt_database_names_the_newest_good_backup(store, data_dir):
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    good = make_backup(data_dir)
    store.engine.dispose()
    db = data_dir / DB_FILE_NAME
    for sidecar in ("-wal", "-shm"):
        Path(str(db) + sidecar).unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    for page in range(2, len(data) // 4096):
        data[page * 4096 + 100: page * 4096 + 300] = os.urandom(200)
    db.write_bytes(bytes(data))
    with pytest.raises(DatabaseCorrupt) as err:
        open_store(data_dir)
    assert err.value.backup == good and "bị hỏng" in err.value.message
    restore_backup(data_dir, good)
    assert open_store(data_dir).figures(W, 2026)["live_births"].count > 0


def test_second_instance_is_refused_and_a_killed_ones_lock_is_recovered(data_dir):
    code = ("import sys, time; from kh75_desktop.instance_lock import InstanceLock; "
            f"lock = InstanceLock({str(data_dir)!r}); lock.acquire(); print('locked', flush=True); "
            "time.sleep(60)")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(KH75Error, match="đang mở hồ sơ này"):
            InstanceLock(data_dir).acquire()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    with InstanceLock(data_dir):  # the lock file is still there, but no one holds it
        assert (data_dir / "kh75.lock").exists()


def _writer(data_dir: Path, round_: int, out_fd: int) -> None:
    """In a forked child: save rising figures and report each one once it is saved."""
    store = open_store(data_dir, check=False)
    elements = ["child_marriages", "children_abused", "children_special", "children_injured"]
    for i in range(10_000):
        element = elements[i % len(elements)]
        value = 1 + round_ * 10 + i  # rising across rounds (each is killed within 6 saves)
        store.save_figure(W, 2026, Figure(element, count=value, explanation="kiểm thử"), who="t")
        os.write(out_fd, f"{element} {value}\n".encode())


def test_kill_minus_9_at_random_moments_loses_no_acknowledged_figure(data_dir):
    """200 kills of a process writing figures: integrity holds and every figure it reported as
    saved is there. The writers are forked from this process, so each round costs no start-up."""
    store = open_store(data_dir)
    store.save_profile(mode="commune", ward_code=W, ward_name="Xã Gia Viễn", ward_kind="xa",
                       officer="Hoa", phone="", current_year=2026)
    store.engine.dispose()
    rng = random.Random(75)
    acknowledged: dict[str, int] = {}
    for round_ in range(200):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_fd)
            try:
                _writer(data_dir, round_, write_fd)
            finally:
                os._exit(0)
        os.close(write_fd)
        target = rng.randint(1, 6)
        seen = 0
        with os.fdopen(read_fd) as reader:
            for line in reader:
                element, value = line.split()
                acknowledged[element] = int(value)
                seen += 1
                if seen >= target:
                    break
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(con.execute("SELECT element, count FROM figure WHERE year=2026").fetchall())
    assert len(acknowledged) == 4
    for element, value in acknowledged.items():
        assert stored[element] >= value, element  # the writer only raises values


def _in_child(fn, *args):
    """Run `fn` in a forked child with a 200 KB file-size limit, as a full disk would stop it."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
            fn(*args)
        except KH75Error as err:
            code = 3 if ("đầy" in err.message or "giới hạn" in err.message) else 4
            Path(os.environ.get("KH75_FAULT_LOG", "/dev/null")).write_text(err.message)
        except BaseException:
            code = 5
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_disk_full_while_saving_exporting_and_backing_up(store, data_dir, tmp_path):
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    before = sqlite3.connect(data_dir / DB_FILE_NAME).execute(
        "SELECT COUNT(*), SUM(count) FROM figure").fetchone()
    store.engine.dispose()

    def save_many():
        s = open_store(data_dir, check=False)
        for year in range(2020, 2032):
            s.save_figures(W, year, [Figure(e.element, count=e.count, flag=e.flag,
                                            note="x" * 3000, explanation="y")
                                     for e in demo_figures(W, 2026)], who="Hoa")

    def big_file():
        atomic_write(tmp_path / "big.pdf", b"%PDF" + b"0" * 400_000)

    def backup_big():
        make_backup(data_dir, "thu-cong", tmp_path / "usb" / "backup.sqlite3")

    big = sqlite3.connect(tmp_path / "pad.sqlite3")
    big.execute("CREATE TABLE t(x)")
    big.execute("INSERT INTO t VALUES (zeroblob(300000))")
    big.commit()
    big.close()
    assert _in_child(save_many) == 3
    assert _in_child(big_file) == 3
    assert not (tmp_path / "big.pdf").exists() and not list(tmp_path.glob(".big.pdf*"))
    shutil.copy(tmp_path / "pad.sqlite3", data_dir / "pad-not-used")
    assert _in_child(backup_big) in (0, 3)
    con = sqlite3.connect(data_dir / DB_FILE_NAME)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    counts = con.execute("SELECT COUNT(*), SUM(count) FROM figure WHERE year=2026").fetchone()
    assert counts == before  # 2026's figures are all there


def test_file_written_into_a_folder_that_vanishes(tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    shutil.rmtree(folder)
    with pytest.raises(KH75Error, match="không còn tồn tại"):
        atomic_write(folder / "goi.kh75", b"data")


def test_power_cut_between_writing_and_replacing(tmp_path, monkeypatch):
    target = tmp_path / "bao-cao.pdf"
    target.write_bytes(b"old report")

    def cut(*_a, **_k):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", cut)
    with pytest.raises(KH75Error):
        atomic_write(target, b"new report")
    assert target.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.pdf"]


def test_read_only_data_folder(store, data_dir):
    """Saving into a folder the user cannot write: a clear message, the figures untouched. As
    root (CI), the check runs in a forked child that drops to the unprivileged user first."""
    import tempfile

    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    store.engine.dispose()
    reachable = Path(tempfile.mkdtemp(prefix="kh75-ro-"))  # pytest's own folders are 0700
    os.chmod(reachable, 0o755)
    data_dir = Path(shutil.copytree(data_dir, reachable / "profile"))
    os.chmod(data_dir, 0o555)
    for p in data_dir.iterdir():
        os.chmod(p, 0o444)
    try:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                s = open_store(data_dir, check=False)
                s.save_figure(W, 2026, Figure("child_marriages", count=99), who="Hoa")
                code = 1  # saved: the folder was not read-only after all
            except KH75Error as err:
                code = 3 if ("chỉ đọc" in err.message or "quyền" in err.message) else 4
            except BaseException:
                code = 5
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 3
    finally:
        os.chmod(data_dir, 0o755)
        for p in data_dir.iterdir():
            os.chmod(p, 0o644)
    assert open_store(data_dir).figures(W, 2026)["child_marriages"].count != 99
    shutil.rmtree(reachable)


def test_profile_moves_to_a_new_laptop(world, tmp_path):
    from world import COMMUNE_PASS

    from kh75_desktop.packages.keys import CommuneKey, key_fingerprint
    from kh75_desktop.profile_transfer import export_profile, import_profile

    moved = tmp_path / "ho-so.kh75profile"
    with pytest.raises(KH75Error, match="Mật khẩu không đúng"):
        export_profile(world.a, moved, "sai")
    export_profile(world.a, moved, COMMUNE_PASS)
    new = tmp_path / "may-moi"
    with pytest.raises(KH75Error, match="Mật khẩu không đúng"):
        import_profile(new, moved, "sai")
    assert not (new / DB_FILE_NAME).exists()
    import_profile(new, moved, COMMUNE_PASS)
    assert key_fingerprint(CommuneKey(new).public_key()) == \
        key_fingerprint(CommuneKey(world.a).public_key())
    assert open_store(new).figures(W, 2026) == open_store(world.a).figures(W, 2026)
    with pytest.raises(KH75Error, match="đã có hồ sơ"):
        import_profile(new, moved, COMMUNE_PASS)


@pytest.mark.parametrize("name", ["Hồ sơ #1", "100% xã", "hỏi?đáp", "thư mục có dấu cách"])
def test_odd_folder_names_open_check_and_back_up_the_right_file(tmp_path, name):
    """'#', '%', '?' and spaces in a Windows user name: every SQLite URI comes from
    Path.as_uri(), so the integrity check reads this file and nothing appears beside it."""
    from kh75_desktop.backup import ensure_daily_backup, list_backups

    folder = tmp_path / "Users" / name / "KH75"
    store = _demo_profile(folder)
    store.engine.dispose()
    assert current_revision(folder / DB_FILE_NAME) == schema_head()
    assert open_store(folder).figures(W, 2026)["live_births"].count > 0  # quick_check passed
    ensure_daily_backup(folder)
    assert [b for b in list_backups(folder) if "hang-ngay" in b.name]
    siblings = {p.name for p in (tmp_path / "Users").iterdir()}
    assert siblings == {name}, siblings  # no stray file made from a cut-off path


def _demo_profile(folder: Path):
    """A commune profile in `folder` with the demo's 2026 figures."""
    store = open_store(folder)
    store.save_profile(mode="commune", ward_code=W, ward_name="Xã Gia Viễn", ward_kind="xa",
                       officer="Hoa", phone="", current_year=2026)
    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    return store


def _copy_release(tmp_path, revision="0004") -> Path:
    folder = tmp_path / "hồ sơ"
    folder.mkdir()
    shutil.copy(DATA / f"schema-{revision}.sqlite3", folder / DB_FILE_NAME)
    return folder


def test_an_upgrade_cut_halfway_leaves_the_old_schema_whole(tmp_path, monkeypatch):
    """A failure in the last migration (after two others ran) rolls all of them back, stamp
    included; the next start upgrades cleanly, and the pre-upgrade backup is taken once."""
    from alembic.operations import Operations

    folder = _copy_release(tmp_path)
    real = Operations.create_table

    def cut(self, *args, **kwargs):
        real(self, *args, **kwargs)
        raise OSError(28, "No space left on device")  # the cut, after the DDL ran

    monkeypatch.setattr(Operations, "create_table", cut)
    with pytest.raises(OSError):
        open_store(folder)
    con = sqlite3.connect(folder / DB_FILE_NAME)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0004"
    columns = {r[1] for r in con.execute("PRAGMA table_info(figure)")}
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    con.close()
    assert "estimated" not in columns and "pending_key" not in tables  # 0005-0007 all undone
    monkeypatch.setattr(Operations, "create_table", real)
    with pytest.raises(OSError):  # a second failed start must not add a second backup
        monkeypatch.setattr(Operations, "create_table", cut)
        open_store(folder)
    monkeypatch.setattr(Operations, "create_table", real)
    store = open_store(folder)
    assert store.figures(W, 2026)["live_births"].count > 0
    assert len([b for b in list_backups(folder) if "truoc-nang-cap-0004" in b.name]) == 1


def test_tables_without_a_stamp_are_never_migrated_over(tmp_path):
    folder = _copy_release(tmp_path)
    con = sqlite3.connect(folder / DB_FILE_NAME)
    con.execute("DELETE FROM alembic_version")  # the stamp lost, the figures still there
    con.commit()
    con.close()
    from kh75_desktop.profile import DatabaseCorrupt

    with pytest.raises(DatabaseCorrupt, match="mất dấu phiên bản lược đồ") as raised:
        open_store(folder)
    assert raised.value.folder == folder  # so the recovery screen can list its backups
    con = sqlite3.connect(folder / DB_FILE_NAME)
    assert con.execute("SELECT COUNT(*) FROM figure").fetchone()[0] == 2 * 54  # untouched
    con.close()


def test_a_first_start_cut_before_any_figure_starts_again(tmp_path):
    folder = tmp_path / "mới"
    folder.mkdir()
    con = sqlite3.connect(folder / DB_FILE_NAME)
    con.execute("CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT)")  # tables, no stamp
    con.commit()
    con.close()
    store = open_store(folder)
    assert store.profile() is None and current_revision(folder / DB_FILE_NAME) == schema_head()


@pytest.mark.parametrize("damage", ["empty", "deleted"])
def test_an_empty_or_deleted_database_names_its_backups_and_is_never_replaced(tmp_path, damage):
    from conftest import run_kh75

    folder = tmp_path / "hồ sơ"
    store = _demo_profile(folder)
    backup = make_backup(folder, "hang-ngay")
    store.engine.dispose()
    db = folder / DB_FILE_NAME
    for extra in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        extra.unlink(missing_ok=True)
    if damage == "empty":
        db.write_bytes(b"")
    out = run_kh75("status", data_dir=folder)
    assert out.returncode == 2 and backup.name in out.stderr and "kh75 restore" in out.stderr
    # the backups listed by date, kind and content, so the officer can choose
    assert "Hằng ngày" in out.stderr and "54 số liệu, các năm 2026" in out.stderr
    assert (db.exists() and db.stat().st_size == 0) if damage == "empty" else not db.exists()
    with pytest.raises(DatabaseCorrupt) as err:
        open_store(folder)
    assert err.value.backup == backup
    restore_backup(folder, err.value.backup)
    assert open_store(folder).figures(W, 2026)["live_births"].count > 0


def test_read_only_commands_never_create_a_profile(tmp_path):
    from conftest import run_kh75

    folder = tmp_path / "chưa có"
    for command in (["status"], ["keys"], ["comments"], ["report", "pdf", "--out",
                                                         str(tmp_path / "r.pdf")]):
        out = run_kh75(*command, data_dir=folder)
        assert out.returncode == 2 and "Chưa thiết lập hồ sơ" in out.stderr, out.stderr
    assert not (folder / DB_FILE_NAME).exists()


@pytest.mark.parametrize("damage", ["half", "zeros", "header", "folder"])
def test_restore_works_from_every_damaged_state_and_keeps_the_damaged_file(tmp_path, damage):
    folder = tmp_path / "hồ sơ"
    store = _demo_profile(folder)
    backup = make_backup(folder, "hang-ngay")
    store.engine.dispose()
    db = folder / DB_FILE_NAME
    data = db.read_bytes()
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        extra.unlink(missing_ok=True)
    if damage == "half":
        db.write_bytes(data[:len(data) // 2])
    elif damage == "zeros":
        db.write_bytes(b"\0" * len(data))
    elif damage == "header":
        db.write_bytes(b"garbled header!!" + data[16:])
    else:
        db.unlink()
        db.mkdir()
        (db / "x").write_text("x")
    damaged = db.read_bytes() if db.is_file() else None
    before = restore_backup(folder, backup)
    assert open_store(folder).figures(W, 2026)["live_births"].count > 0
    if damaged is not None:
        assert before.read_bytes() == damaged  # kept as it was, byte for byte
    else:
        assert (before / "x").read_text() == "x"


def test_restore_into_a_new_laptop_folder_and_from_a_read_only_stick(tmp_path):
    from conftest import run_kh75

    folder = tmp_path / "cũ"
    _demo_profile(folder)
    stick = tmp_path / "USB"
    backup = make_backup(folder, "thu-cong", stick / "kh75.sqlite3")
    assert sqlite3.connect(backup).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    stick.chmod(0o555)
    backup.chmod(0o444)
    try:
        before = sorted(p.name for p in stick.iterdir())
        new = tmp_path / "máy mới" / "KH75"  # does not exist yet
        out = run_kh75("restore", str(backup), "--yes", data_dir=new)
        assert out.returncode == 0, out.stderr
        assert "None" not in out.stdout and "được giữ tại" not in out.stdout
        assert open_store(new).figures(W, 2026)["live_births"].count > 0
        assert sorted(p.name for p in stick.iterdir()) == before  # nothing left on the stick
    finally:
        stick.chmod(0o755)


def test_a_full_disk_is_told_as_a_full_disk_never_as_damage(tmp_path):
    """A real full disk: a 4 MB tmpfs in a private mount namespace, filled under a real profile."""
    import json as json_mod

    disk = tmp_path / "disk"
    disk.mkdir()
    probe = Path(__file__).parent / "full_disk_probe.py"
    cmd = ["unshare", "-m", "sh", "-c",
           f'mount -t tmpfs -o size=4m tmpfs "{disk}" && exec "{sys.executable}" "{probe}" "{disk}"']
    if shutil.which("unshare") is None:
        pytest.skip("LOUD SKIP: `unshare` missing; the RLIMIT test covers writes only")
    out = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                         cwd=Path(__file__).parent.parent, timeout=300)
    if out.returncode != 0 and "mount" in out.stderr:
        pytest.skip(f"LOUD SKIP: no private tmpfs here ({out.stderr.strip()[:120]}); the RLIMIT "
                    "test covers writes only")
    assert out.returncode == 0, out.stderr
    report = json_mod.loads(out.stdout.strip().splitlines()[-1])
    assert report["demo"]["code"] == 0, report["demo"]
    for step in ("status_full", "set_full"):
        err = report[step]["err"]
        assert report[step]["code"] == 2, report[step]
        assert "Ổ đĩa" in err and "đầy" in err and "bị hỏng" not in err, err
        assert "không mong đợi" not in err
    assert report["lock_full"] == "acquired" or "Ổ đĩa đầy" in report["lock_full"], report
    freed = report["status_freed"]
    assert freed["code"] == 0, freed
    assert json_mod.loads(freed["out"])["completion"]["answered"] == 34  # nothing was lost


def test_what_a_killed_backup_left_behind_is_cleared_on_the_next_start(store, data_dir):
    from kh75_desktop.backup import backups_dir, ensure_daily_backup

    store.save_figures(W, 2026, demo_figures(W, 2026), who="Hoa")
    folder = backups_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / ".kh75-backup.abc.tmp"
    stale.write_bytes(b"\0" * 300_000)
    os.utime(stale, (1, 1))  # from a run killed long ago
    fresh = data_dir / ".kh75-restore.def.tmp"
    fresh.write_bytes(b"x")  # a restore running right now
    ensure_daily_backup(data_dir)
    assert not stale.exists() and fresh.exists()


def test_cli_writes_wait_for_no_one_while_the_window_holds_the_profile(tmp_path):
    from conftest import run_kh75

    folder = tmp_path / "hồ sơ"
    _demo_profile(folder).engine.dispose()
    code = ("import sys, time; from kh75_desktop.instance_lock import InstanceLock; "
            f"lock = InstanceLock({str(folder)!r}); lock.acquire(); print('locked', flush=True); "
            "time.sleep(60)")
    window = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert window.stdout.readline().strip() == "locked"
        out = run_kh75("set", "live_births", "401", "--explanation", "x", data_dir=folder)
        assert out.returncode == 2 and "đang mở hồ sơ này" in out.stderr, out.stderr
        assert run_kh75("status", data_dir=folder).returncode == 0  # reading still works
    finally:
        window.send_signal(signal.SIGKILL)
        window.wait()
    births = open_store(folder).figures(W, 2026)["live_births"].count
    out = run_kh75("set", "live_births", str(births + 1), "--explanation", "x", data_dir=folder)
    assert out.returncode == 0, out.stderr


def test_a_profile_import_cut_before_the_end_is_finished_by_importing_again(
        world, tmp_path, monkeypatch):
    from world import COMMUNE_PASS

    from kh75_desktop import profile_transfer
    from kh75_desktop.packages.keys import CommuneKey, key_fingerprint
    from kh75_desktop.profile_transfer import export_profile, import_profile

    moved = tmp_path / "ho-so.kh75profile"
    export_profile(world.a, moved, COMMUNE_PASS)
    new = tmp_path / "máy mới"
    real_replace = os.replace

    def cut(src, dst):
        if Path(dst) == new / DB_FILE_NAME:  # the power goes just before the database moves in
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(profile_transfer.os, "replace", cut)
    with pytest.raises(KH75Error, match="chạy lại lệnh nhập"):
        import_profile(new, moved, COMMUNE_PASS)
    assert (new / "keys" / "commune.key").exists() and not (new / DB_FILE_NAME).exists()
    with pytest.raises(KH75Error, match="Chưa thiết lập hồ sơ"):
        open_store(new, create=False)  # `status` says there is none, and the import agrees
    monkeypatch.setattr(profile_transfer.os, "replace", real_replace)
    import_profile(new, moved, COMMUNE_PASS)  # again: finishes
    assert open_store(new).figures(W, 2026) == open_store(world.a).figures(W, 2026)
    assert key_fingerprint(CommuneKey(new).public_key()) == \
        key_fingerprint(CommuneKey(world.a).public_key())
    assert not list(new.glob(".kh75-import-*"))


def test_a_file_that_cannot_be_read_is_said_in_vietnamese_not_in_the_systems_english(
        world, tmp_path):
    """The system's reason (err.strerror) is English, on Windows too; the officer reads
    Vietnamese words for it wherever a file could not be read or a folder made."""
    import errno

    from kh75_desktop.files import os_reason
    from kh75_desktop.packages.commune_side import import_feedback

    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == \
        "không tìm thấy tệp hoặc thư mục"
    assert "khóa" in os_reason(PermissionError(errno.EACCES, "Permission denied"))
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == \
        f"lỗi hệ thống số {errno.EXDEV}"
    with pytest.raises(KH75Error) as refused:
        import_feedback(world.store(world.a), world.a, tmp_path / "không có #1.kh75")
    message = refused.value.message
    assert "không tìm thấy tệp" in message and "No such file" not in message
    folder = tmp_path / "một thư mục"
    folder.mkdir()
    with pytest.raises(KH75Error) as refused:
        import_feedback(world.store(world.a), world.a, folder)
    assert "thư mục, không phải tệp" in refused.value.message or \
        "không có quyền" in refused.value.message  # Windows says EACCES for a folder
