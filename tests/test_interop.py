"""Interoperability with the stock tools: `minisign` and `age` from Debian.

Each test is skipped, loudly, only where the tool is truly absent; .ci/run installs both.
"""

import shutil
import subprocess
import zipfile

import minisign
import pyrage
import pytest
from world import COMMUNE_PASS, YEAR, confirmed

from kh75_desktop.packages.canonical import canonical_json
from kh75_desktop.packages.commune_side import export_submission
from kh75_desktop.packages.container import MANIFEST, PAYLOAD_AGE, SIGNATURE, build_zip
from kh75_desktop.packages.intake import ACCEPTED
from kh75_desktop.packages.keys import CommuneKey, public_key_line
from kh75_desktop.packages.manifest import file_entry, trusted_comment, verify_package

needs_minisign = pytest.mark.skipif(shutil.which("minisign") is None,
                                    reason="LOUD SKIP: stock `minisign` not installed "
                                           "(apt-get install minisign; .ci/run does)")
needs_age = pytest.mark.skipif(shutil.which("age") is None,
                               reason="LOUD SKIP: stock `age` not installed "
                                      "(apt-get install age; .ci/run does)")


def exported(world, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    path = export_submission(world.store(world.a), world.a, YEAR, out, COMMUNE_PASS).path
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(unpacked)
    return path, unpacked


@needs_minisign
def test_stock_minisign_verifies_our_manifest(world, tmp_path):
    _, unpacked = exported(world, tmp_path)
    pub = public_key_line(CommuneKey(world.a).public_key())
    out = subprocess.run(["minisign", "-V", "-P", pub, "-m", str(unpacked / MANIFEST),
                          "-x", str(unpacked / SIGNATURE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "Signature and comment signature verified" in out.stdout
    assert "kind=submission" in out.stdout and "ward=14464" in out.stdout
    # and refuses it once a byte of the manifest changes
    data = bytearray((unpacked / MANIFEST).read_bytes())
    data[10] ^= 1
    (unpacked / MANIFEST).write_bytes(bytes(data))
    bad = subprocess.run(["minisign", "-V", "-P", pub, "-m", str(unpacked / MANIFEST),
                          "-x", str(unpacked / SIGNATURE)], capture_output=True, text=True)
    assert bad.returncode != 0


@needs_minisign
def test_stock_minisign_verifies_our_commune_public_key_file(world, tmp_path):
    _, unpacked = exported(world, tmp_path)
    keys_dir = world.a / "keys"
    out = subprocess.run(["minisign", "-V", "-p", str(keys_dir / "commune.pub"), "-m",
                          str(unpacked / MANIFEST), "-x", str(unpacked / SIGNATURE)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


@needs_minisign
def test_signature_made_by_stock_minisign_verifies_in_our_code(tmp_path, catalogue):
    sk, pk = tmp_path / "stock.key", tmp_path / "stock.pub"
    subprocess.run(["minisign", "-G", "-W", "-s", str(sk), "-p", str(pk)], check=True,
                   capture_output=True)
    pub = minisign.PublicKey.from_file(pk)
    payload = b'{"format":"kh75-payload"}'
    manifest = {
        "format": "kh75-package", "format_version": 1, "kind": "submission",
        "package_id": "0e6f1b1e-2f55-4a2c-9d56-6f2a0c1e2b3d",
        "issuer": {"ward_code": "14464", "key_id": _key_id(pub), "public_key": public_key_line(pub)},
        "recipient": {"ward_code": "37", "key_id": "0123456789ABCDEF"},
        "year": 2026, "sequence": 1, "report_version": 1, "created_at": "2026-11-01T00:00:00+00:00",
        "files": [file_entry("payload.json", payload)],
    }
    (tmp_path / "manifest.json").write_bytes(canonical_json(manifest))
    subprocess.run(["minisign", "-S", "-s", str(sk), "-m", str(tmp_path / "manifest.json"),
                    "-t", trusted_comment(manifest)], check=True, capture_output=True)
    entries = {MANIFEST: (tmp_path / "manifest.json").read_bytes(),
               SIGNATURE: (tmp_path / "manifest.json.minisig").read_bytes(),
               "payload.json": payload}
    verified = verify_package(entries, "stock", lambda kid: pub if kid == _key_id(pub) else None,
                              allow_new_key=False)
    assert verified.manifest["issuer"]["ward_code"] == "14464" and verified.key_was_known


def _key_id(pub):
    from kh75_desktop.packages.keys import key_id_of

    return key_id_of(pub)


@needs_age
def test_stock_age_decrypts_payload_with_province_identity(world, tmp_path):
    path, unpacked = exported(world, tmp_path)
    identity = world.identity
    id_file = tmp_path / "province.txt"
    id_file.write_text(str(identity) + "\n")
    out = subprocess.run(["age", "-d", "-i", str(id_file), str(unpacked / PAYLOAD_AGE)],
                         capture_output=True)
    assert out.returncode == 0, out.stderr
    assert b'"format":"kh75-payload"' in out.stdout and "Xã Gia Viễn".encode() in out.stdout


@needs_age
def test_payload_encrypted_by_stock_age_is_read_by_province(world, tmp_path):
    """A package whose payload was encrypted by the stock tool passes intake like ours."""
    path, unpacked = exported(world, tmp_path)
    identity = world.identity
    plain = pyrage.decrypt((unpacked / PAYLOAD_AGE).read_bytes(), [identity])
    (tmp_path / "plain.json").write_bytes(plain)
    recipient = str(identity.to_public())
    subprocess.run(["age", "-r", recipient, "-o", str(tmp_path / "stock.age"),
                    str(tmp_path / "plain.json")], check=True)
    import json

    manifest = json.loads((unpacked / MANIFEST).read_bytes())
    stock = (tmp_path / "stock.age").read_bytes()
    manifest["files"] = [file_entry(PAYLOAD_AGE, stock)]
    from kh75_desktop.packages.manifest import sign_manifest

    sk = CommuneKey(world.a).unlock(COMMUNE_PASS)
    mbytes, sig = sign_manifest(manifest, sk)
    pkg = tmp_path / "stock-age.kh75"
    pkg.write_bytes(build_zip({MANIFEST: mbytes, SIGNATURE: sig, PAYLOAD_AGE: stock}))

    results = world.ingest([pkg], confirmed(world.a))
    assert [r.outcome for r in results] == [ACCEPTED]
