"""Shared fixtures: a fresh profile folder per test, the offscreen Qt platform set once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def catalogue():
    from kh75_desktop.catalogue import load_catalogue

    return load_catalogue()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    d = tmp_path / "profile"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir):
    from kh75_desktop.profile import open_store

    s = open_store(data_dir)
    s.save_profile(mode="commune", ward_code="14464", ward_name="Xã Gia Viễn", ward_kind="xa",
                   officer="Nguyễn Thị Hoa", phone="0912345678", current_year=2026)
    return s


def run_kh75(*args: str, data_dir: Path | None = None, input: str | None = None,
             env: dict | None = None) -> subprocess.CompletedProcess:
    """The real `kh75` command in a child process, as a user or a script would run it."""
    cmd = [sys.executable, "-m", "ui.launcher"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    full_env = dict(os.environ, PYTHONIOENCODING="utf-8")
    full_env.update(env or {})
    return subprocess.run(cmd + list(args), capture_output=True, text=True, encoding="utf-8",
                          input=input, env=full_env, cwd=ROOT, timeout=120)


@pytest.fixture(scope="session")
def world_template(tmp_path_factory):
    from world import build_world

    return build_world(tmp_path_factory.mktemp("world") / "w")


@pytest.fixture
def world(world_template, tmp_path):
    """A private copy of the exchange world for one test."""
    return world_template.copy_to(tmp_path / "w")


def downgrade_to(path: Path, revision: str) -> None:
    """Take a profile database back to an earlier schema, to test the upgrade from it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from kh75_desktop.storage.database import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
    engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def cheap_scrypt_in_process():
    """Key files made inside the test process use py-minisign's own default scrypt cost (N = 2^15)
    instead of the production N = 2^20, which costs 3 s and 1 GiB per key and would spend most of
    the suite in scrypt. Commands run as subprocesses and the frozen bundle keep the production
    cost, and test_exchange_hardening checks a key made with the production constants."""
    from kh75_desktop.packages import keys

    production = (keys.SCRYPT_OPSLIMIT, keys.SCRYPT_MEMLIMIT)
    keys.SCRYPT_OPSLIMIT, keys.SCRYPT_MEMLIMIT = 1_048_576, 33_554_432
    yield production
    keys.SCRYPT_OPSLIMIT, keys.SCRYPT_MEMLIMIT = production


@pytest.fixture
def window(qtbot, store):
    """The commune's main window on the `store` profile, shown (offscreen)."""
    from ui.main_window import MainWindow

    w = MainWindow(store)
    qtbot.addWidget(w)
    w.show()
    return w
