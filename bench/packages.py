"""bench/packages: export of one package, and intake in two cases, the province's real load (its
129 communes over five years, one to three versions a year) and the national one (3,321 units,
one package each), each against a floor measured in the same run: reading each zip, parsing and
verifying its signed manifest with py-minisign, hashing the payload, decrypting it with pyrage
and parsing its JSON.

    uv run python bench/packages.py [--count 3321] [--reps 3]
Target (issue 19): intake at most 1.5x its floor.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import minisign  # noqa: E402
import pyrage  # noqa: E402

from kh75_desktop.catalogue import load_catalogue  # noqa: E402
from kh75_desktop.communes import communes, national_wards  # noqa: E402
from kh75_desktop.demo import demo_figures  # noqa: E402
from kh75_desktop.packages.canonical import canonical_json  # noqa: E402
from kh75_desktop.packages.commune_side import export_submission  # noqa: E402
from kh75_desktop.packages.container import MANIFEST, PAYLOAD_AGE, SIGNATURE, build_zip  # noqa: E402
from kh75_desktop.packages.intake import ACCEPTED, ingest  # noqa: E402
from kh75_desktop.packages.keys import ProvinceKeys, key_fingerprint, key_id_of, public_key_line  # noqa: E402
from kh75_desktop.packages.manifest import file_entry, sign_manifest  # noqa: E402
from kh75_desktop.packages.payload import build_payload  # noqa: E402
from kh75_desktop.packages.province_side import init_province  # noqa: E402
from kh75_desktop.profile import open_store  # noqa: E402
from kh75_desktop.storage.province_models import CommuneKeyRow  # noqa: E402

PASS = "bench-passphrase"
YEAR = 2026


class _Profile:
    def __init__(self, c):
        self.ward_code, self.ward_name, self.ward_kind = c.code, c.name, c.kind
        self.officer, self.phone = "Bench", "0900000000"


def province_plan(years: range = range(YEAR - 4, YEAR + 1)) -> list[tuple[object, int, int]]:
    """The province's real load: its 129 communes, five years, one to three versions a year
    (a fixed pseudo-random pick, so every run takes in the same packages)."""
    return [(c, y, v) for i, c in enumerate(communes()) for y in years
            for v in range(1, 1 + (i * 7 + y) % 3 + 1)]


def national_plan(count: int) -> list[tuple[object, int, int]]:
    """Every commune-level unit of the country (or the first `count`), one package each."""
    return [(c, YEAR, 1) for c in national_wards()[:count]]


def make_packages(folder: Path, province_dir: Path, count: int = 0, only=None, plan=None,
                  pairs: dict[str, minisign.KeyPair] | None = None
                  ) -> dict[str, minisign.PublicKey]:
    """Signed, encrypted demo packages, one file per (commune, year, version) of `plan` (by
    default the first `count` units, or the units in `only`, one 2026 package each); one key
    per commune, kept in `pairs` when given (a later version signed by the same key). Returns
    each commune's public key."""
    if plan is None:
        plan = [(c, YEAR, 1) for c in (only or national_wards())[:count]]
    info = ProvinceKeys(province_dir).info()
    recipient = pyrage.x25519.Recipient.from_str(info.age_recipient)
    cat = load_catalogue()
    pairs = {} if pairs is None else pairs
    for c, year, version in plan:
        kp = pairs.setdefault(c.code, minisign.KeyPair.generate())
        figures = {f.element: f for f in demo_figures(c.code, year)}
        payload = canonical_json(build_payload(_Profile(c), year, version, figures, [], []))
        encrypted = pyrage.encrypt(payload, [recipient])
        manifest = {
            "format": "kh75-package", "format_version": 1, "kind": "submission",
            "package_id": str(uuid.uuid4()),
            "issuer": {"ward_code": c.code, "key_id": key_id_of(kp.public_key),
                       "public_key": public_key_line(kp.public_key)},
            "recipient": {"ward_code": "37", "key_id": info.key_id},
            "year": year, "sequence": version, "report_version": version,
            "created_at": f"{year}-11-01T00:00:00+00:00", "app_version": "bench",
            "catalogue_version": cat.version, "files": [file_entry(PAYLOAD_AGE, encrypted)],
        }
        mbytes, sig = sign_manifest(manifest, kp.secret_key)
        (folder / f"{c.code}-{year}-{version}.kh75").write_bytes(
            build_zip({MANIFEST: mbytes, SIGNATURE: sig, PAYLOAD_AGE: encrypted}))
    return {ward: kp.public_key for ward, kp in pairs.items()}


def enrol(store, keys: dict[str, minisign.PublicKey]) -> None:
    """Every commune's key confirmed beforehand, as after the phone calls."""
    from sqlmodel import Session

    with Session(store.engine) as s:
        for ward, pub in keys.items():
            s.add(CommuneKeyRow(ward_code=ward, key_id=key_id_of(pub),
                                public_key=public_key_line(pub),
                                fingerprint=key_fingerprint(pub), status="enrolled"))
        s.commit()


def bare(files: list[Path], keys: dict[str, minisign.PublicKey], identity) -> float:
    """The floor: what no intake can skip, done with the same libraries and nothing else:
    read the zip, parse the manifest, verify its signature, hash the payload, decrypt it and
    parse its JSON."""
    start = time.perf_counter()
    for f in files:
        with zipfile.ZipFile(io.BytesIO(f.read_bytes())) as zf:
            m, s, p = zf.read(MANIFEST), zf.read(SIGNATURE), zf.read(PAYLOAD_AGE)
        keys[f.stem.split("-")[0]].verify(m, minisign.Signature.from_bytes(s))
        json.loads(m)
        hashlib.sha256(p).hexdigest()
        json.loads(pyrage.decrypt(p, [identity]))
    return time.perf_counter() - start


def bench_intake(tmp: Path, label: str, scope: str, plan, reps: int) -> None:
    prov_dir = tmp / f"prov-{scope}"
    prov = open_store(prov_dir)
    init_province(prov, prov_dir, PASS, PASS + "-decryption", scope=scope)
    identity = ProvinceKeys(prov_dir).unlock_identity(PASS + "-decryption")
    folder = tmp / f"packages-{scope}"
    folder.mkdir()
    t = time.perf_counter()
    keys = make_packages(folder, prov_dir, plan=plan)
    files = sorted(folder.glob("*.kh75"))
    print(f"{label}: made {len(files)} packages of {len(keys)} communes in "
          f"{time.perf_counter() - t:.1f} s")
    enrol(prov, keys)
    prov.engine.dispose()
    bare(files[:50], keys, identity)  # warm the page cache
    ratios, rates = [], []
    for rep in range(reps):
        # a fresh copy of the province (keys enrolled, nothing received) for each repetition
        rep_dir = tmp / f"prov-{scope}-{rep}"
        shutil.copytree(prov_dir, rep_dir)
        before = bare(files, keys, identity)
        start = time.perf_counter()
        results = ingest(open_store(rep_dir), rep_dir, [folder], None, identity=identity)
        ingest_s = time.perf_counter() - start
        after = bare(files, keys, identity)
        base = (before + after) / 2
        accepted = sum(r.outcome == ACCEPTED for r in results)
        n = len(files)
        ratios.append(ingest_s / base)
        rates.append(n / ingest_s)
        print(f"  run {rep + 1}: floor {base:.2f} s ({base / n * 1000:.2f} ms each; before "
              f"{before:.2f}, after {after:.2f}); intake {ingest_s:.2f} s "
              f"({ingest_s / n * 1000:.2f} ms each), {accepted}/{n} accepted; "
              f"ratio {ingest_s / base:.2f}x")
    print(f"  median ratio intake/floor over {reps} runs: {statistics.median(ratios):.2f}x "
          f"(target <= 1.5x); median {statistics.median(rates):.0f} packages/s")


def bench_export(tmp: Path) -> None:
    """Export of one package from a demo commune (unlock key, encrypt, sign, write)."""
    from kh75_desktop.cli import main as kh75

    prov_dir = tmp / "prov-export"
    init_province(open_store(prov_dir), prov_dir, PASS, PASS + "-decryption")
    commune_dir = tmp / "commune"
    (tmp / "pp").write_text("mat-khau-xa-1234")
    kh75(["--data-dir", str(commune_dir), "demo", "--year", str(YEAR), "--province-key",
          str(ProvinceKeys(prov_dir).key_file), "--passphrase-file", str(tmp / "pp")])
    out = tmp / "export"
    out.mkdir()
    start = time.perf_counter()
    export_submission(open_store(commune_dir), commune_dir, YEAR, out, "mat-khau-xa-1234")
    print(f"export of one package: {(time.perf_counter() - start) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3321, help="units in the national case")
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bench_export(tmp)
        bench_intake(tmp, "province (129 communes x 5 years x 1-3 versions)", "province",
                     province_plan(), args.reps)
        bench_intake(tmp, f"national ({args.count} units, one package each)", "national",
                     national_plan(args.count), args.reps)


if __name__ == "__main__":
    main()
