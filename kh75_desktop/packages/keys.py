"""Keys: the commune's minisign signing key, Sở Y tế's signing key and age identity, the signed
province key file, fingerprints read over the phone, and passphrase checks.

Secret keys stay in minisign's own file format, encrypted with the officer's passphrase (scrypt,
as minisign does), so the stock `minisign` tool can use them; the age identity is kept encrypted
with a second passphrase of its own by age's scrypt recipient.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import minisign
import pyrage

from .. import age_passphrase
from ..errors import KH75Error
from ..files import atomic_write
from .canonical import canonical_json

KEY_DIR = "keys"
COMMUNE_SECRET = "commune.key"
COMMUNE_PUBLIC = "commune.pub"
PROVINCE_SECRET = "province.key"
PROVINCE_PUBLIC = "province.pub"
PROVINCE_AGE = "province.age"
PROVINCE_KEY_FILE = "so-y-te-ninh-binh.kh75key"
PROVINCE_NAME = "Sở Y tế tỉnh Ninh Bình"


# -- identifiers ---------------------------------------------------------------------------------
def key_id_of(public_key: minisign.PublicKey) -> str:
    """The key id as minisign prints it (16 hex digits)."""
    raw = base64.b64decode(public_key.to_base64())
    return raw[2:10][::-1].hex().upper()


def signature_key_id(signature: minisign.Signature) -> str:
    line = bytes(signature).decode("ascii").splitlines()[1]
    return base64.b64decode(line)[2:10][::-1].hex().upper()


def public_key_line(public_key: minisign.PublicKey) -> str:
    return public_key.to_base64().decode("ascii")


def require_pair(secret: minisign.SecretKey, public: minisign.PublicKey) -> minisign.SecretKey:
    """`secret`, once it is the very key whose public half is `public` (whole keys compared): a
    key unlocked before another replaced it never signs in its place."""
    if public_key_line(secret.get_public_key()) != public_key_line(public):
        raise KH75Error("Khóa ký vừa mở không còn là khóa đang dùng (khóa đã được thay); hãy "
                        "làm lại.")
    return secret


def parse_public_key(line: str) -> minisign.PublicKey:
    try:
        return minisign.PublicKey.from_base64(line.strip())
    except (minisign.Error, ValueError, binascii.Error) as err:
        raise KH75Error(f"Khóa công khai không hợp lệ: {err}.") from err


def fingerprint(data: bytes) -> str:
    """Six groups of five digits from SHA-256: easy to read over the phone, in any language."""
    number = int.from_bytes(hashlib.sha256(data).digest()[:16], "big")
    digits = f"{number % 10**30:030d}"
    return " ".join(digits[i:i + 5] for i in range(0, 30, 5))


def key_fingerprint(public_key: minisign.PublicKey) -> str:
    return fingerprint(base64.b64decode(public_key.to_base64()))


def normalise_fingerprint(text: str) -> str:
    digits = "".join(c for c in text if c.isdigit())
    return " ".join(digits[i:i + 5] for i in range(0, len(digits), 5))


# -- passphrases ---------------------------------------------------------------------------------
MIN_PASSPHRASE = 10
MIN_STRENGTH = 3  # zxcvbn's score: 3 is "safely unguessable" (about 10^8 guesses or more)
# Words zxcvbn's English lists do not know but a Vietnamese guesser tries first.
LOCAL_WORDS = ("matkhau", "mat-khau", "mat khau", "matma", "kh75", "ninhbinh", "ninh binh",
               "soyte", "so y te", "tramyte", "tram y te", "treem", "baocao", "anhyeuem",
               "emyeuanh", "yeuem", "vietnam", "hanoi", "xinchao", "123456789", "qwerty")
# Stock minisign's own cost (libsodium's "sensitive" scrypt: N = 2^20, r = 8, p = 1, 1 GiB):
# a stolen laptop's key file then costs an attacker seconds per guess, not microseconds.
SCRYPT_OPSLIMIT = 33_554_432
SCRYPT_MEMLIMIT = 1_073_741_824


def passphrase_strength(passphrase: str, context: tuple[str, ...] = ()) -> int:
    """zxcvbn's score 0-4, knowing the local words and this profile's own names (`context`)."""
    if not passphrase:
        return 0
    from zxcvbn import zxcvbn

    words = [*LOCAL_WORDS, *(w for c in context for w in str(c).lower().split() if len(w) > 2)]
    return int(zxcvbn(passphrase[:100], user_inputs=words)["score"])


def passphrase_hint(passphrase: str, context: tuple[str, ...] = ()) -> str:
    """How strong a new passphrase is, in words an officer understands, with what to do."""
    if len(passphrase) < MIN_PASSPHRASE:
        return (f"Quá ngắn: cần ít nhất {MIN_PASSPHRASE} ký tự. Nên dùng một câu riêng của mình "
                "gồm 4–5 từ.")
    score = passphrase_strength(passphrase, context)
    if score <= 1:
        return ("Rất dễ đoán (dãy số, tên riêng, từ thông dụng như «matkhau»). Hãy dùng một câu "
                "riêng của mình gồm 4–5 từ.")
    if score == 2:
        return "Còn dễ đoán: thêm một, hai từ nữa hoặc một con số chỉ mình biết."
    return "Mạnh." if score == 4 else "Đủ mạnh."


def check_new_passphrase(passphrase: str, confirm: str, context: tuple[str, ...] = ()) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KH75Error(f"Mật khẩu cần ít nhất {MIN_PASSPHRASE} ký tự; nên là một câu gồm 4–5 từ.")
    if passphrase_strength(passphrase, context) < MIN_STRENGTH:
        raise KH75Error("Mật khẩu quá dễ đoán: " + passphrase_hint(passphrase, context))
    if passphrase != confirm:
        raise KH75Error("Hai lần nhập mật khẩu không khớp nhau.")


def read_passphrase_file(path: str | Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise KH75Error(f"Không đọc được tệp mật khẩu {path}: {err}.") from err
    passphrase = text.rstrip("\r\n")
    if not passphrase:
        raise KH75Error(f"Tệp mật khẩu {path} trống.")
    return passphrase


# -- secret key files ----------------------------------------------------------------------------
def write_secret_key(path: Path, sk: minisign.SecretKey, passphrase: str,
                     opslimit: int | None = None, memlimit: int | None = None) -> None:
    """A secret key in minisign's file format, encrypted under `passphrase`. Every KH75 key
    takes the module's cost; only `kh75 selftest` asks for less, on a throwaway key."""
    sk.encrypt(passphrase, opslimit=opslimit or SCRYPT_OPSLIMIT,
               memlimit=memlimit or SCRYPT_MEMLIMIT)
    sk.untrusted_comment = "KH75 Desktop encrypted secret key"
    atomic_write(path, bytes(sk))


def _load_secret(path: Path) -> minisign.SecretKey:
    try:
        return minisign.SecretKey.from_bytes(path.read_bytes())
    except FileNotFoundError as err:
        raise KH75Error(f"Chưa có khóa ký tại {path}.") from err
    except (OSError, minisign.Error, ValueError, UnicodeDecodeError, binascii.Error) as err:
        raise KH75Error(f"Tệp khóa {path} bị hỏng hoặc không đúng định dạng minisign.") from err


# The most scrypt work a key file may ask for: stock minisign's "sensitive" level (N = 2^20, r = 8,
# p = 1), which KH75's own keys use (keys made before 0.2 used 1/32 of it and are upgraded on the
# next passphrase change). A damaged or tampered file can ask for billions of times more, which
# would freeze unlocking instead of failing.
MAX_SCRYPT_WORK = (1 << 20) * 8


def _check_kdf_work(sk: minisign.SecretKey, path: Path) -> None:
    from minisign.scrypt import scrypt_params_from_limits

    # py-minisign keeps the limits read from the file in private fields; nothing public gives them
    try:
        params = scrypt_params_from_limits(sk._kdf_opslimit, sk._kdf_memlimit)
    except minisign.Error as err:
        raise KH75Error(f"Tệp khóa {path} bị hỏng (tham số mã hóa không hợp lệ).") from err
    if params.N * params.r * params.p > MAX_SCRYPT_WORK:
        raise KH75Error(f"Tệp khóa {path} bị hỏng hoặc bị sửa đổi (tham số mã hóa bất thường).")


def unlock_secret_key(path: Path, passphrase: str) -> minisign.SecretKey:
    sk = _load_secret(path)
    if not passphrase:
        raise KH75Error("Chưa nhập mật khẩu.")
    if sk.is_encrypted():
        _check_kdf_work(sk, path)
    try:
        sk.decrypt(passphrase)
    except minisign.Error as err:
        raise KH75Error("Mật khẩu không đúng.") from err
    except (ValueError, MemoryError) as err:
        raise KH75Error(f"Tệp khóa {path} bị hỏng (không giải mã được).") from err
    return sk


def _load_public(path: Path) -> minisign.PublicKey:
    try:
        return minisign.PublicKey.from_bytes(path.read_bytes())
    except FileNotFoundError as err:
        raise KH75Error(f"Chưa có khóa công khai tại {path}.") from err
    except (OSError, minisign.Error, ValueError, UnicodeDecodeError, binascii.Error) as err:
        raise KH75Error(f"Tệp khóa công khai {path} bị hỏng.") from err


@dataclass(frozen=True)
class KeyPaths:
    folder: Path

    @classmethod
    def of(cls, data_dir: Path) -> KeyPaths:
        return cls(Path(data_dir) / KEY_DIR)

    def __truediv__(self, name: str) -> Path:
        return self.folder / name


class CommuneKey:
    """The commune's signing key pair in the profile's data folder."""

    def __init__(self, data_dir: Path):
        self.paths = KeyPaths.of(data_dir)

    def exists(self) -> bool:
        return (self.paths / COMMUNE_SECRET).exists()

    def create(self, passphrase: str, ward_code: str) -> minisign.PublicKey:
        if self.exists():
            raise KH75Error("Xã/phường đã có khóa ký; đổi mật khẩu thay vì tạo khóa mới.")
        self.paths.folder.mkdir(parents=True, exist_ok=True)
        kp = minisign.KeyPair.generate()
        pub = kp.public_key
        pub.untrusted_comment = f"KH75 commune {ward_code} public key {key_id_of(pub)}"
        write_secret_key(self.paths / COMMUNE_SECRET, kp.secret_key, passphrase)
        atomic_write(self.paths / COMMUNE_PUBLIC, bytes(pub))
        return pub

    def public_key(self) -> minisign.PublicKey:
        return _load_public(self.paths / COMMUNE_PUBLIC)

    def retire(self) -> Path:
        """Move the key pair into keys/retired/ (kept, never deleted) so a new one can be made
        when the passphrase is forgotten; returns the folder it went to."""
        from datetime import datetime, timezone

        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.paths / "retired" / f"{stamp}-{key_id_of(self.public_key())}"
        target.mkdir(parents=True, exist_ok=False)
        for name in (COMMUNE_PUBLIC, COMMUNE_SECRET):
            if (self.paths / name).exists():
                os.replace(self.paths / name, target / name)
        return target

    def unlock(self, passphrase: str) -> minisign.SecretKey:
        return unlock_secret_key(self.paths / COMMUNE_SECRET, passphrase)

    def change_passphrase(self, old: str, new: str) -> None:
        sk = self.unlock(old)
        write_secret_key(self.paths / COMMUNE_SECRET, sk, new)


# -- the province key file -----------------------------------------------------------------------
@dataclass(frozen=True)
class ProvinceKeyInfo:
    name: str
    signing_key: str  # minisign public key line
    key_id: str
    age_recipient: str
    fingerprint: str

    @property
    def public_key(self) -> minisign.PublicKey:
        return parse_public_key(self.signing_key)


def _key_document(name: str, pub: minisign.PublicKey, recipient: str) -> dict:
    return {"format": "kh75-province-key", "version": 1, "name": name,
            "signing_key": public_key_line(pub), "key_id": key_id_of(pub),
            "age_recipient": recipient}


def parse_province_key_file(data: bytes) -> ProvinceKeyInfo:
    """Read and verify a province key file (self-signed); its fingerprint is read over the phone."""
    try:
        doc = json.loads(data.decode("utf-8"))
        key, sig_text = doc["key"], doc["signature"]
        if key.get("format") != "kh75-province-key" or key.get("version") != 1:
            raise ValueError("format")
        pub = parse_public_key(key["signing_key"])
        if key_id_of(pub) != key["key_id"]:
            raise ValueError("key id")
        pub.verify(canonical_json(key), minisign.Signature.from_bytes(sig_text.encode("ascii")))
        pyrage.x25519.Recipient.from_str(key["age_recipient"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, minisign.Error,
            pyrage.RecipientError, AttributeError) as err:
        raise KH75Error("Tệp khóa của Sở Y tế không hợp lệ hoặc đã bị sửa đổi.") from err
    return ProvinceKeyInfo(key["name"], key["signing_key"], key["key_id"], key["age_recipient"],
                           fingerprint(canonical_json(key)))


class ProvinceKeys:
    """Sở Y tế's signing key and age identity, and the key file it publishes to communes."""

    def __init__(self, data_dir: Path):
        self.paths = KeyPaths.of(data_dir)

    def exists(self) -> bool:
        return (self.paths / PROVINCE_SECRET).exists()

    def create(self, passphrase: str, decrypt_passphrase: str) -> ProvinceKeyInfo:
        """Sở Y tế's keys: the signing key under `passphrase` (feedback), the age identity under
        its own `decrypt_passphrase` (intake). Two passphrases, so that age's cheaper scrypt can
        never be the shortcut to the signing key, nor the other way round."""
        if passphrase == decrypt_passphrase:
            raise KH75Error("Mật khẩu ký và mật khẩu giải mã phải khác nhau.")
        if self.exists():
            raise KH75Error("Sở Y tế đã có khóa; không tạo lại để các xã không phải nhập lại.")
        self.paths.folder.mkdir(parents=True, exist_ok=True)
        kp = minisign.KeyPair.generate()
        pub = kp.public_key
        pub.untrusted_comment = f"KH75 province public key {key_id_of(pub)}"
        identity = pyrage.x25519.Identity.generate()
        recipient = str(identity.to_public())
        doc = _key_document(PROVINCE_NAME, pub, recipient)
        signature = kp.secret_key.sign(canonical_json(doc), trusted_comment="kh75 province key")
        key_file = json.dumps({"key": doc, "signature": bytes(signature).decode("ascii")},
                              ensure_ascii=False, indent=2).encode("utf-8")
        atomic_write(self.paths / PROVINCE_AGE,
                     age_passphrase.encrypt(str(identity).encode("ascii"), decrypt_passphrase))
        write_secret_key(self.paths / PROVINCE_SECRET, kp.secret_key, passphrase)
        atomic_write(self.paths / PROVINCE_PUBLIC, bytes(pub))
        atomic_write(self.paths / PROVINCE_KEY_FILE, key_file)
        return parse_province_key_file(key_file)

    @property
    def key_file(self) -> Path:
        return self.paths / PROVINCE_KEY_FILE

    def info(self) -> ProvinceKeyInfo:
        try:
            return parse_province_key_file(self.key_file.read_bytes())
        except FileNotFoundError as err:
            raise KH75Error("Chưa khởi tạo khóa của Sở Y tế ('kh75 province init').") from err

    def unlock_signing(self, passphrase: str) -> minisign.SecretKey:
        return unlock_secret_key(self.paths / PROVINCE_SECRET, passphrase)

    def unlock_identity(self, passphrase: str) -> pyrage.x25519.Identity:
        try:
            data = (self.paths / PROVINCE_AGE).read_bytes()
        except OSError as err:
            raise KH75Error("Không đọc được khóa giải mã của Sở Y tế.") from err
        try:
            secret = age_passphrase.decrypt(data, passphrase)
        except pyrage.DecryptError as err:
            raise KH75Error("Mật khẩu giải mã không đúng.") from err
        return pyrage.x25519.Identity.from_str(secret.decode("ascii"))
