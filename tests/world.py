"""A small exchange world for package tests: Sở Y tế and two demo communes with keys.

Made once per session (keys cost scrypt time) and copied into each test's own folder.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kh75_desktop.communes import communes
from kh75_desktop.demo import demo_figures
from kh75_desktop.packages.commune_side import create_commune_key, import_province_key
from kh75_desktop.packages.keys import ProvinceKeys
from kh75_desktop.packages.province_side import init_province
from kh75_desktop.profile import open_store

PROVINCE_PASS = "mat-khau-so-y-te"  # signs feedback
PROVINCE_DECRYPT_PASS = "giai-ma-goi-so-y-te"  # opens packages
COMMUNE_PASS = "mat-khau-xa-1234"
YEAR = 2026


@dataclass
class World:
    root: Path
    identity: object = None  # the province's age identity, unlocked once per session

    @property
    def prov(self) -> Path:
        return self.root / "prov"

    @property
    def a(self) -> Path:
        return self.root / "a"

    @property
    def b(self) -> Path:
        return self.root / "b"

    def store(self, which: Path):
        return open_store(which)

    def copy_to(self, dest: Path) -> World:
        shutil.copytree(self.root, dest)
        return World(dest, self.identity)

    def ingest(self, paths, confirm=None):
        """Intake at Sở Y tế; `confirm` maps a ward to the fingerprint read out for it."""
        from kh75_desktop.packages.intake import ingest

        return ingest(self.store(self.prov), self.prov, paths, None, confirm,
                      identity=self.identity)


def make_commune(folder: Path, code: str, key_file: bytes) -> str:
    store = open_store(folder)
    c = next(x for x in communes() if x.code == code)
    store.save_profile(mode="commune", ward_code=c.code, ward_name=c.name, ward_kind=c.kind,
                       officer="Nguyễn Thị Hoa", phone="0912345678", current_year=YEAR)
    for year in range(YEAR - 1, YEAR + 1):
        store.save_figures(c.code, year, demo_figures(c.code, year), who="Hoa")
    import_province_key(store, key_file)
    fp = create_commune_key(store, folder, COMMUNE_PASS)
    store.engine.dispose()
    return fp


def build_world(root: Path) -> World:
    w = World(root)
    store = open_store(w.prov)
    init_province(store, w.prov, PROVINCE_PASS, PROVINCE_DECRYPT_PASS)
    store.engine.dispose()
    key_file = ProvinceKeys(w.prov).key_file.read_bytes()
    make_commune(w.a, "14464", key_file)
    make_commune(w.b, communes()[5].code, key_file)
    w.identity = ProvinceKeys(w.prov).unlock_identity(PROVINCE_DECRYPT_PASS)
    return w


def fp_of(folder: Path) -> str:
    """A commune's key fingerprint, as Sở Y tế confirms it by phone."""
    from kh75_desktop.packages.keys import CommuneKey, key_fingerprint

    return key_fingerprint(CommuneKey(folder).public_key())


def confirmed(*folders: Path) -> dict[str, str]:
    """{ward: fingerprint} for communes whose officers read their fingerprints out by phone."""
    out = {}
    for folder in folders:
        store = open_store(folder)
        out[store.profile().ward_code] = fp_of(folder)
        store.engine.dispose()
    return out


def db_digest(folder: Path) -> str:
    """The logical content of a profile database, to assert that a refusal changed nothing."""
    con = sqlite3.connect(folder / "kh75.sqlite3")
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()
