"""The exchange review's findings, each first reproduced with the stock tools (`minisign`, `age`,
stdlib `zipfile`) and then refused: no silent trust change, bounded work, fingerprints bound to a
ward, waiting keys that cannot displace each other, no forged report lines, strong passphrases,
a strict manifest."""

import base64
import hashlib
import json
import shutil
import subprocess

import pytest
from world import db_digest, fp_of

from kh75_desktop.errors import KH75Error
from kh75_desktop.packages.canonical import canonical_json
from kh75_desktop.packages.commune_side import PROVINCE_KEY_HISTORY, import_province_key
from kh75_desktop.packages.keys import ProvinceKeys, fingerprint
from kh75_desktop.storage.exchange import ExchangeStore

needs_stock_tools = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("minisign", "age-keygen")),
    reason="LOUD SKIP: stock `minisign`/`age-keygen` not installed (.ci/run installs them)")


def _stock_key_with_id(folder, key_id_hex: str):
    """A minisign key pair made by the stock tool, then given a chosen key id (8 bytes anyone
    can write) in both files, with the secret key's checksum recomputed: what an attacker does."""
    pub, sec = folder / "twin.pub", folder / "twin.key"
    subprocess.run(["minisign", "-G", "-W", "-p", str(pub), "-s", str(sec)], check=True,
                   capture_output=True)
    kid = bytes.fromhex(key_id_hex)[::-1]  # minisign prints the id little-endian
    pub_lines = pub.read_text().splitlines()
    raw = bytearray(base64.b64decode(pub_lines[1]))
    raw[2:10] = kid
    pub_lines[1] = base64.b64encode(bytes(raw)).decode()
    pub.write_text("\n".join(pub_lines) + "\n")
    sec_lines = sec.read_text().splitlines()
    raw = bytearray(base64.b64decode(sec_lines[1]))
    # sig_alg(2) kdf_alg(2) cksum_alg(2) salt(32) ops(8) mem(8) | key_id(8) sk(64) checksum(32)
    start = 2 + 2 + 2 + 32 + 8 + 8
    raw[start:start + 8] = kid
    secret = bytes(raw[start + 8:start + 8 + 64])
    raw[start + 72:start + 104] = hashlib.blake2b(b"Ed" + kid + secret, digest_size=32).digest()
    sec_lines[1] = base64.b64encode(bytes(raw)).decode()
    sec.write_text("\n".join(sec_lines) + "\n")
    return pub, sec


def _forged_key_file(folder, key_id: str) -> bytes:
    """A province key file for a twin key with Sở Y tế's key id, signed by stock minisign, with
    the attacker's own age recipient."""
    pub, sec = _stock_key_with_id(folder, key_id)
    identity = subprocess.run(["age-keygen"], check=True, capture_output=True, text=True).stdout
    recipient = next(line.split(": ")[1] for line in identity.splitlines()
                     if line.startswith("# public key"))
    doc = {"format": "kh75-province-key", "version": 1, "name": "Sở Y tế tỉnh Ninh Bình",
           "signing_key": pub.read_text().splitlines()[1], "key_id": key_id,
           "age_recipient": recipient}
    body = folder / "doc.json"
    body.write_bytes(canonical_json(doc))
    subprocess.run(["minisign", "-S", "-s", str(sec), "-m", str(body), "-t", "kh75 province key"],
                   check=True, capture_output=True)
    signature = (folder / "doc.json.minisig").read_text()
    return json.dumps({"key": doc, "signature": signature}).encode()


@needs_stock_tools
def test_a_twin_province_key_is_refused_and_trust_is_unchanged(world, tmp_path):
    genuine = ProvinceKeys(world.prov).info()
    twin = _forged_key_file(tmp_path, genuine.key_id)
    store = world.store(world.a)
    before = db_digest(world.a)
    with pytest.raises(KH75Error, match="dấu hiệu giả mạo"):
        import_province_key(store, twin)
    forged_fp = fingerprint(canonical_json(json.loads(twin)["key"]))
    with pytest.raises(KH75Error, match="dấu hiệu giả mạo"):  # not even with its fingerprint
        import_province_key(store, twin, confirm_fingerprint=forged_fp)
    assert db_digest(world.a) == before
    assert ExchangeStore(store.engine).province_key().signing_key == genuine.signing_key


def test_a_new_province_key_needs_its_fingerprint_and_is_recorded(world, tmp_path):
    genuine = ProvinceKeys(world.prov).info()
    other = tmp_path / "new-province"
    new = ProvinceKeys(other).create("mật khẩu mới của Sở Y tế 2027")
    data = ProvinceKeys(other).key_file.read_bytes()
    store = world.store(world.a)
    with pytest.raises(KH75Error) as err:
        import_province_key(store, data)
    assert new.fingerprint in err.value.message and genuine.fingerprint in err.value.message
    assert "Không thay khóa một cách âm thầm" in err.value.message
    with pytest.raises(KH75Error, match="không khớp"):
        import_province_key(store, data, confirm_fingerprint=genuine.fingerprint)
    exchange = ExchangeStore(store.engine)
    assert exchange.province_key().signing_key == genuine.signing_key
    import_province_key(store, data, confirm_fingerprint=new.fingerprint.replace(" ", ""))
    assert exchange.province_key().signing_key == new.signing_key
    history = json.loads(exchange.setting(PROVINCE_KEY_HISTORY))
    assert [(h["old"], h["new"]) for h in history] == [(genuine.fingerprint, new.fingerprint)]
    assert import_province_key(store, data).fingerprint == new.fingerprint  # same again: no-op


def test_cli_replaces_the_province_key_only_with_the_fingerprint(world, tmp_path, capsys):
    from kh75_desktop.cli import main

    other = tmp_path / "new-province"
    new = ProvinceKeys(other).create("mật khẩu mới của Sở Y tế 2027")
    key_file = str(ProvinceKeys(other).key_file)
    commune_fp = fp_of(world.a)
    args = ["--data-dir", str(world.a), "keys", "create", "--province-key", key_file]
    assert main(args) == 2
    assert "Không thay khóa một cách âm thầm" in capsys.readouterr().err
    assert main(args + ["--confirm-fingerprint", new.fingerprint]) == 0
    assert "Đã thay khóa của Sở Y tế" in capsys.readouterr().out
    assert fp_of(world.a) == commune_fp  # the commune's own key is untouched
