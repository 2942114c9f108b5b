"""bench/packages: export of one package, and intake of 3,321 packages (every commune-level unit
of the country) against the bare cost, measured in the same run, of reading each zip, verifying
its signature with py-minisign and decrypting its payload with pyrage.

    uv run python bench/packages.py [--count 3321]
Targets (issue 4): intake at most 2x the bare cost, and at least 300 packages a second.
"""

from __future__ import annotations

import argparse
import io
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
from kh75_desktop.communes import national_wards  # noqa: E402
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
from kh75_desktop.storage.models import CommuneKeyRow  # noqa: E402

PASS = "bench-passphrase"
YEAR = 2026


class _Profile:
    def __init__(self, c):
        self.ward_code, self.ward_name, self.ward_kind = c.code, c.name, c.kind
        self.officer, self.phone = "Bench", "0900000000"


def make_packages(folder: Path, province_dir: Path, count: int, only=None
                  ) -> dict[str, minisign.PublicKey]:
    """Signed, encrypted demo packages for the first `count` units (or the units in `only`)."""
    info = ProvinceKeys(province_dir).info()
    recipient = pyrage.x25519.Recipient.from_str(info.age_recipient)
    cat = load_catalogue()
    keys = {}
    for c in (only or national_wards())[:count]:
        kp = minisign.KeyPair.generate()
        figures = {f.element: f for f in demo_figures(c.code, YEAR)}
        payload = canonical_json(build_payload(_Profile(c), YEAR, 1, figures, [], []))
        encrypted = pyrage.encrypt(payload, [recipient])
        manifest = {
            "format": "kh75-package", "format_version": 1, "kind": "submission",
            "package_id": str(uuid.uuid4()),
            "issuer": {"ward_code": c.code, "key_id": key_id_of(kp.public_key),
                       "public_key": public_key_line(kp.public_key)},
            "recipient": {"ward_code": "37", "key_id": info.key_id},
            "year": YEAR, "sequence": 1, "report_version": 1,
            "created_at": "2026-11-01T00:00:00+00:00", "app_version": "bench",
            "catalogue_version": cat.version, "files": [file_entry(PAYLOAD_AGE, encrypted)],
        }
        mbytes, sig = sign_manifest(manifest, kp.secret_key)
        (folder / f"{c.code}.kh75").write_bytes(
            build_zip({MANIFEST: mbytes, SIGNATURE: sig, PAYLOAD_AGE: encrypted}))
        keys[c.code] = kp.public_key
    return keys


def bare(files: list[Path], keys: dict[str, minisign.PublicKey], identity) -> float:
    start = time.perf_counter()
    for f in files:
        with zipfile.ZipFile(io.BytesIO(f.read_bytes())) as zf:
            m, s, p = zf.read(MANIFEST), zf.read(SIGNATURE), zf.read(PAYLOAD_AGE)
        keys[f.stem].verify(m, minisign.Signature.from_bytes(s))
        pyrage.decrypt(p, [identity])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3321)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        prov_dir = tmp / "prov"
        prov = open_store(prov_dir)
        init_province(prov, prov_dir, PASS, PASS + "-decryption", scope="national")
        identity = ProvinceKeys(prov_dir).unlock_identity(PASS + "-decryption")

        # export of one package, from a demo commune
        commune_dir = tmp / "commune"
        from kh75_desktop.cli import main as kh75

        key_file = ProvinceKeys(prov_dir).key_file
        (tmp / "pp").write_text("mat-khau-xa-1234")
        kh75(["--data-dir", str(commune_dir), "demo", "--year", str(YEAR), "--province-key",
              str(key_file), "--passphrase-file", str(tmp / "pp")])
        out = tmp / "export"
        out.mkdir()
        start = time.perf_counter()
        export_submission(open_store(commune_dir), commune_dir, YEAR, out, "mat-khau-xa-1234")
        export_s = time.perf_counter() - start

        folder = tmp / "packages"
        folder.mkdir()
        t = time.perf_counter()
        keys = make_packages(folder, prov_dir, args.count)
        print(f"made {len(keys)} packages in {time.perf_counter() - t:.1f} s")
        from sqlmodel import Session

        with Session(prov.engine) as s:  # every key confirmed beforehand, as after phone calls
            for ward, pub in keys.items():
                s.add(CommuneKeyRow(ward_code=ward, key_id=key_id_of(pub),
                                    public_key=public_key_line(pub),
                                    fingerprint=key_fingerprint(pub), status="enrolled"))
            s.commit()
        files = sorted(folder.glob("*.kh75"))
        prov.engine.dispose()
        bare(files[:50], keys, identity)  # warm the page cache
        ratios, rates = [], []
        for rep in range(args.reps):
            # a fresh copy of the province (keys enrolled, nothing received) for each repetition
            rep_dir = tmp / f"prov-{rep}"
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
            print(f"run {rep + 1}: bare {base:.2f} s ({base / n * 1000:.2f} ms each; before "
                  f"{before:.2f}, after {after:.2f}); intake {ingest_s:.2f} s "
                  f"({ingest_s / n * 1000:.2f} ms each), {accepted}/{n} accepted; "
                  f"ratio {ingest_s / base:.2f}x")
        print(f"export of one package (unlock key, encrypt, sign, write): {export_s * 1000:.0f} ms")
        print(f"median ratio intake/bare over {args.reps} runs: {statistics.median(ratios):.2f}x "
              f"(target <= 2.0x); median {statistics.median(rates):.0f} packages/s "
              "(target >= 300)")


if __name__ == "__main__":
    main()
