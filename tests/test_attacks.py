"""Tampered, forged, replayed and malformed packages, each a real file fed to the real importer:
each is refused with a clear reason and leaves the database exactly as it was."""

import io
import json
import uuid
import warnings
import zipfile

import minisign
import pytest
from world import COMMUNE_PASS, PROVINCE_PASS, YEAR, confirmed, db_digest

from kh75_desktop.errors import KH75Error
from kh75_desktop.packages.commune_side import export_submission, import_feedback
from kh75_desktop.packages.container import (
    MANIFEST,
    MAX_PACKAGE_BYTES,
    PAYLOAD,
    PAYLOAD_AGE,
    SIGNATURE,
    build_zip,
)
from kh75_desktop.packages.intake import ACCEPTED, REJECTED
from kh75_desktop.packages.keys import CommuneKey, ProvinceKeys, key_fingerprint
from kh75_desktop.packages.manifest import sign_manifest
from kh75_desktop.packages.province_side import parse_comment, write_feedback


@pytest.fixture
def enrolled(world, tmp_path):
    """Province with commune A's key enrolled and A's version 1 received; A's v1 parts."""
    out = tmp_path / "out"
    out.mkdir()
    path = export_submission(world.store(world.a), world.a, YEAR, out, COMMUNE_PASS).path
    assert [r.outcome for r in world.ingest([path], confirmed(world.a))] == [ACCEPTED]
    with zipfile.ZipFile(path) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    return world, path, entries


def signed(world, entries, key_dir=None, passphrase=COMMUNE_PASS, **changes):
    """A's package re-signed after `changes` to the manifest: a new id and sequence by default."""
    m = json.loads(entries[MANIFEST])
    m.update({"package_id": str(uuid.uuid4()), "sequence": m["sequence"] + 1})
    m.update(changes)
    m.setdefault("report_version", m["sequence"])
    if "report_version" not in changes:
        m["report_version"] = m["sequence"]  # the n-th package is the n-th version
    sk = CommuneKey(key_dir or world.a).unlock(passphrase)
    mbytes, sig = sign_manifest(m, sk)
    return dict(entries, **{MANIFEST: mbytes, SIGNATURE: sig})


def refused(world, tmp_path, data: bytes, match: str, name="attack.kh75"):
    f = tmp_path / name
    f.write_bytes(data)
    before = db_digest(world.prov)
    results = world.ingest([f])
    assert [r.outcome for r in results] == [REJECTED], results
    assert match in results[0].message, results[0].message
    assert db_digest(world.prov) == before
    return results[0].message


def raw_zip(items, compress=()):
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we make
        with zipfile.ZipFile(buf, "w") as zf:
            for name, data in items:
                info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED if name in compress else zipfile.ZIP_STORED
                zf.writestr(info, data)
    return buf.getvalue()


def test_control_a_well_formed_new_version_is_accepted(enrolled, tmp_path):
    world, _, entries = enrolled
    f = tmp_path / "good.kh75"
    f.write_bytes(build_zip(signed(world, entries)))
    assert [r.outcome for r in world.ingest([f])] == [ACCEPTED]


@pytest.mark.parametrize("entry", [MANIFEST, SIGNATURE, PAYLOAD_AGE])
def test_flipped_byte_in_every_entry(enrolled, tmp_path, entry):
    world, _, entries = enrolled
    data = bytearray(build_zip(signed(world, entries)))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(entry)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.file_size // 2] ^= 0x01
    refused(world, tmp_path, bytes(data), "")


def test_unknown_zip_version_is_refused_not_a_crash(enrolled, tmp_path):
    """Found by the fuzz test: a central directory asking for ZIP version 8.4 made zipfile raise
    NotImplementedError, reported as an unexpected error instead of a refusal."""
    world, _, entries = enrolled
    data = bytearray(build_zip(signed(world, entries)))
    central = data.index(b"PK\x01\x02")
    data[central + 6:central + 8] = (84).to_bytes(2, "little")  # version needed to extract
    message = refused(world, tmp_path, bytes(data), "không phải gói KH75")
    assert "không mong đợi" not in message


def test_manifest_edited_after_signing(enrolled, tmp_path):
    world, _, entries = enrolled
    good = signed(world, entries)
    m = json.loads(good[MANIFEST])
    m["year"] = 2025
    from kh75_desktop.packages.canonical import canonical_json

    tampered = dict(good, **{MANIFEST: canonical_json(m)})
    refused(world, tmp_path, build_zip(tampered), "chữ ký không hợp lệ")


def test_signature_stripped(enrolled, tmp_path):
    world, _, entries = enrolled
    good = signed(world, entries)
    del good[SIGNATURE]
    refused(world, tmp_path, build_zip(good), "thiếu manifest.json.minisig")


def test_trusted_comment_edited(enrolled, tmp_path):
    world, _, entries = enrolled
    good = signed(world, entries)
    sig = good[SIGNATURE].decode().replace("seq=2", "seq=9").encode()
    refused(world, tmp_path, build_zip(dict(good, **{SIGNATURE: sig})), "chữ ký không hợp lệ")


def test_commune_a_signing_a_manifest_naming_commune_b(enrolled, tmp_path):
    world, _, entries = enrolled
    m = json.loads(entries[MANIFEST])
    forged = signed(world, entries, issuer=dict(m["issuer"], ward_code="14494"))
    refused(world, tmp_path, build_zip(forged), "khóa của đơn vị 14464 nhưng ghi là")


def test_unknown_key_claiming_an_enrolled_commune(enrolled, tmp_path):
    world, _, entries = enrolled
    kp = minisign.KeyPair.generate()
    m = json.loads(entries[MANIFEST])
    from kh75_desktop.packages.keys import key_id_of, public_key_line

    m.update({"package_id": str(uuid.uuid4()), "sequence": 2, "report_version": 2,
              "issuer": {"ward_code": "14464", "key_id": key_id_of(kp.public_key),
                         "public_key": public_key_line(kp.public_key)}})
    mbytes, sig = sign_manifest(m, kp.secret_key)
    f = tmp_path / "attack.kh75"
    f.write_bytes(build_zip(dict(entries, **{MANIFEST: mbytes, SIGNATURE: sig})))
    from kh75_desktop.storage.exchange import ExchangeStore

    store = world.store(world.prov)
    before = len(ExchangeStore(store.engine).submissions(2026))
    results = world.ingest([f])
    msg = results[0].message
    # it waits for a phoned fingerprint and a deliberate replacement; nothing is stored as data
    assert results[0].outcome == "pending" and "khác khóa đã đăng ký" in msg
    assert key_fingerprint(CommuneKey(world.a).public_key()) not in msg  # never the expected one
    assert len(ExchangeStore(store.engine).submissions(2026)) == before
    fp = key_fingerprint(kp.public_key)
    again = world.ingest([f], {"14464": fp})  # a fingerprint alone never replaces a key
    assert again[0].outcome == "pending"
    assert ExchangeStore(store.engine).commune_key("14464").fingerprint != fp


def test_sequence_replayed_or_lower(enrolled, tmp_path):
    world, path, entries = enrolled
    refused(world, tmp_path, build_zip(signed(world, entries, sequence=1)), "số thứ tự 1")
    before = db_digest(world.prov)
    again = world.ingest([path])
    assert again[0].outcome == "duplicate" and db_digest(world.prov) == before


def test_truncated_file(enrolled, tmp_path):
    world, path, _ = enrolled
    data = path.read_bytes()
    refused(world, tmp_path, data[: len(data) // 2], "bị cắt cụt")


@pytest.mark.parametrize("name", ["extra.txt", "../x", "C:\\x", "/etc/passwd", "payload.json"])
def test_extra_or_path_traversal_entries(enrolled, tmp_path, name):
    world, _, entries = enrolled
    good = signed(world, entries)
    items = list(good.items()) + [(name, b"x")]
    refused(world, tmp_path, raw_zip(items), "")


def test_duplicate_entry(enrolled, tmp_path):
    world, _, entries = enrolled
    good = signed(world, entries)
    items = list(good.items()) + [(MANIFEST, good[MANIFEST])]
    refused(world, tmp_path, raw_zip(items), "trùng tên")


def test_compressed_entry(enrolled, tmp_path):
    world, _, entries = enrolled
    refused(world, tmp_path, raw_zip(list(signed(world, entries).items()), compress={MANIFEST}),
            "bị nén")


def test_declared_sizes_that_lie(enrolled, tmp_path):
    world, _, entries = enrolled
    data = bytearray(build_zip(signed(world, entries)))
    cd = data.rfind(b"PK\x01\x02")  # the last central directory record: payload.json.age
    size = int.from_bytes(data[cd + 24: cd + 28], "little")
    for field in (20, 24):  # compressed and uncompressed sizes
        data[cd + field: cd + field + 4] = (size + 4096).to_bytes(4, "little")
    refused(world, tmp_path, bytes(data), "")


def test_huge_file(enrolled, tmp_path):
    world, _, _ = enrolled
    message = refused(world, tmp_path, b"PK" + b"\0" * (MAX_PACKAGE_BYTES + 10), "quá lớn")
    assert "(16,0 MB; tối đa 16 MB)" in message  # the file's real size, in Vietnamese
    big = tmp_path / "big.kh75"
    with big.open("wb") as fh:  # 200 MB, sparse: its size is said, it is never read whole
        fh.truncate(200 * 1024 * 1024)
    results = world.ingest([big])
    assert results[0].outcome == REJECTED and "(200,0 MB; tối đa 16 MB)" in results[0].message


def test_plain_payload_is_refused_by_the_province(enrolled, tmp_path):
    world, _, entries = enrolled
    good = signed(world, entries)
    m = json.loads(good[MANIFEST])
    from kh75_desktop.packages.manifest import file_entry

    parts = {k: v for k, v in good.items() if k != PAYLOAD_AGE}
    parts[PAYLOAD] = b"{}"
    m["files"] = [file_entry(PAYLOAD, b"{}")]
    sk = CommuneKey(world.a).unlock(COMMUNE_PASS)
    mbytes, sig = sign_manifest(m, sk)
    refused(world, tmp_path, build_zip(dict(parts, **{MANIFEST: mbytes, SIGNATURE: sig})),
            "phải được mã hóa")


# -- the commune's side: feedback it never asked for --------------------------------------------
def _feedback(world, tmp_path, base=None, **changes):
    """Sở Y tế's returning feedback for A's version 1, or `base` re-signed with `changes`."""
    if base is None:
        prov = world.store(world.prov)
        path = write_feedback(prov, world.prov, "14464", YEAR, "return",
                              [parse_comment("3a: kiểm tra", prov.catalogue)], PROVINCE_PASS,
                              tmp_path / "outbox").path
        with zipfile.ZipFile(path) as zf:
            base = {n: zf.read(n) for n in zf.namelist()}
    entries = dict(base)
    if changes:
        m = json.loads(entries[MANIFEST])
        m.update(changes)
        sk = ProvinceKeys(world.prov).unlock_signing(PROVINCE_PASS)
        mbytes, sig = sign_manifest(m, sk)
        entries.update({MANIFEST: mbytes, SIGNATURE: sig})
    return entries


def commune_refuses(world, tmp_path, data: bytes, match: str):
    f = tmp_path / "feedback-attack.kh75"
    f.write_bytes(data)
    before = db_digest(world.a)
    with pytest.raises(KH75Error, match=match):
        import_feedback(world.store(world.a), world.a, f)
    assert db_digest(world.a) == before


def test_feedback_for_a_submission_never_sent(enrolled, tmp_path):
    world, _, _ = enrolled
    entries = _feedback(world, tmp_path, None, package_id=str(uuid.uuid4()),
                        in_reply_to={"package_id": str(uuid.uuid4()), "manifest_sha256": "0" * 64})
    commune_refuses(world, tmp_path, build_zip(entries), "chưa từng gửi")


def test_feedback_signed_by_an_unknown_key(enrolled, tmp_path):
    world, _, _ = enrolled
    entries = _feedback(world, tmp_path)
    kp = minisign.KeyPair.generate()
    from kh75_desktop.packages.keys import key_id_of

    m = json.loads(entries[MANIFEST])
    m["issuer"]["key_id"] = key_id_of(kp.public_key)
    mbytes, sig = sign_manifest(m, kp.secret_key)
    commune_refuses(world, tmp_path, build_zip(dict(entries, **{MANIFEST: mbytes, SIGNATURE: sig})),
                    "khóa lạ")


def test_feedback_forged_with_the_communes_own_key(enrolled, tmp_path):
    world, _, _ = enrolled
    entries = _feedback(world, tmp_path)
    m = json.loads(entries[MANIFEST])
    sk = CommuneKey(world.a).unlock(COMMUNE_PASS)
    from kh75_desktop.packages.keys import key_id_of

    m["issuer"]["key_id"] = key_id_of(CommuneKey(world.a).public_key())
    mbytes, sig = sign_manifest(m, sk)
    commune_refuses(world, tmp_path, build_zip(dict(entries, **{MANIFEST: mbytes, SIGNATURE: sig})),
                    "khóa lạ")


def test_older_feedback_after_a_newer_one(enrolled, tmp_path):
    world, _, _ = enrolled
    older = _feedback(world, tmp_path)
    newer = _feedback(world, tmp_path, older, package_id=str(uuid.uuid4()), sequence=5)
    f = tmp_path / "newer.kh75"
    f.write_bytes(build_zip(newer))
    import_feedback(world.store(world.a), world.a, f)
    commune_refuses(world, tmp_path, build_zip(older), "phản hồi cũ")


def test_feedback_for_an_older_version(enrolled, tmp_path):
    world, _, _ = enrolled
    commune = world.store(world.a)
    first = _feedback(world, tmp_path)
    f = tmp_path / "first.kh75"
    f.write_bytes(build_zip(first))
    res = import_feedback(commune, world.a, f)
    from kh75_desktop.storage.exchange import ExchangeStore

    ExchangeStore(commune.engine).answer_comment(res.comments[0].id, "đã kiểm tra")
    out = tmp_path / "o2"
    out.mkdir()
    export_submission(commune, world.a, YEAR, out, COMMUNE_PASS)  # version 2 sent
    stale = _feedback(world, tmp_path, first, package_id=str(uuid.uuid4()), sequence=7)
    commune_refuses(world, tmp_path, build_zip(stale), "phiên bản cũ")


def test_corrupted_key_file(world):
    key = world.a / "keys" / "commune.key"
    key.write_bytes(key.read_bytes()[:40] + b"!!garbage!!")
    with pytest.raises(KH75Error, match="bị hỏng"):
        CommuneKey(world.a).unlock(COMMUNE_PASS)
    pub = world.a / "keys" / "commune.pub"
    pub.write_text("untrusted comment: x\nnot base64\n")
    with pytest.raises(KH75Error, match="bị hỏng"):
        CommuneKey(world.a).public_key()


def test_corrupted_province_key_file_is_refused_at_setup(world):
    from kh75_desktop.packages.commune_side import import_province_key

    data = (ProvinceKeys(world.prov).key_file).read_bytes().replace(b"age1", b"age2")
    with pytest.raises(KH75Error, match="không hợp lệ"):
        import_province_key(world.store(world.a), data)
