"""The package file: a ZIP of stored (uncompressed) entries from a fixed allow-list.

Reading checks the container before anything inside is trusted or parsed: the file's size, exact
entry names (no paths, no duplicates, no extras), stored entries only, each entry's size under
its cap and equal to what was declared, and the ZIP's own CRCs.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import KH75Error
from ..files import atomic_write, os_reason
from ..safe_text import one_line

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
PAYLOAD = "payload.json"
PAYLOAD_AGE = "payload.json.age"
SUMMARY = "summary.pdf"

MAX_PACKAGE_BYTES = 16 * 1024 * 1024
ENTRY_CAPS = {MANIFEST: 256 * 1024, SIGNATURE: 8 * 1024, PAYLOAD: 4 * 1024 * 1024,
              PAYLOAD_AGE: 4 * 1024 * 1024 + 64 * 1024, SUMMARY: 10 * 1024 * 1024}
ORDER = (MANIFEST, SIGNATURE, PAYLOAD, PAYLOAD_AGE, SUMMARY)
FIXED_TIME = (2025, 1, 1, 0, 0, 0)
EXTENSION = ".kh75"


class PackageRejected(KH75Error):
    """A package refused on import; the message says why, in Vietnamese."""


def build_zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        for name in ORDER:
            if name in entries:
                info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
                info.compress_type = zipfile.ZIP_STORED
                info.external_attr = 0o644 << 16
                zf.writestr(info, entries[name])
    return buf.getvalue()


def write_package(path: Path, entries: dict[str, bytes]) -> Path:
    unknown = set(entries) - set(ORDER)
    if unknown:
        raise ValueError(f"entries outside the allow-list: {sorted(unknown)}")
    return atomic_write(path, build_zip(entries))


def read_package_bytes(data: bytes, label: str = "gói") -> dict[str, bytes]:
    """The entries of a package, after every structural check; PackageRejected otherwise."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageRejected(too_large(label, len(data)))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    # zipfile raises NotImplementedError for a "version needed" or method it does not know
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError) as err:
        raise PackageRejected(f"{label}: không phải gói KH75 hoặc tệp bị cắt cụt.") from err
    names = [i.filename for i in infos]
    if len(names) != len(set(names)):
        raise PackageRejected(f"{label}: có mục trùng tên trong gói.")
    extra = [n for n in names if n not in ENTRY_CAPS]
    if extra:
        shown = one_line(", ".join(extra[:5]), 120)  # entry names are the sender's words
        raise PackageRejected(f"{label}: có mục không được phép trong gói: {shown}.")
    for required in (MANIFEST, SIGNATURE):
        if required not in names:
            raise PackageRejected(f"{label}: thiếu {required}.")
    if (PAYLOAD in names) == (PAYLOAD_AGE in names):
        raise PackageRejected(f"{label}: cần đúng một tệp dữ liệu (payload).")
    total = 0
    entries: dict[str, bytes] = {}
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED:
            raise PackageRejected(f"{label}: mục {info.filename} bị nén; gói KH75 chỉ chứa mục "
                                  "không nén.")
        if info.flag_bits & 0x1:
            raise PackageRejected(f"{label}: mục {info.filename} bị mã hóa kiểu ZIP.")
        cap = ENTRY_CAPS[info.filename]
        if info.file_size > cap or info.compress_size != info.file_size:
            raise PackageRejected(f"{label}: kích thước mục {info.filename} không hợp lệ.")
        total += info.file_size
        if total > len(data):
            raise PackageRejected(f"{label}: kích thước khai báo lớn hơn tệp thực tế.")
        try:
            content = zf.read(info)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as err:
            raise PackageRejected(f"{label}: mục {info.filename} bị hỏng hoặc bị sửa.") from err
        if len(content) != info.file_size:
            raise PackageRejected(f"{label}: kích thước mục {info.filename} không khớp.")
        entries[info.filename] = content
    return entries


def too_large(label: str, size: int) -> str:
    """The refusal of an oversize file, with its real size: "tệp quá lớn (200,0 MB; tối đa 16 MB)"."""
    from ..numbers_vi import format_number

    mb = 1024 * 1024
    return (f"{label}: tệp quá lớn ({format_number(size / mb, 1)} MB; tối đa "
            f"{format_number(MAX_PACKAGE_BYTES // mb)} MB).")


def read_package(path: Path) -> dict[str, bytes]:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise PackageRejected(too_large(path.name, size))
        data = path.read_bytes()
    except PackageRejected:
        raise
    except OSError as err:
        raise PackageRejected(f"{path.name}: không đọc được tệp ({os_reason(err)}).") from err
    return read_package_bytes(data, path.name)


def package_kind(path: Path) -> str | None:
    """What a .kh75 file says it is ("submission" from a commune, "feedback" from Sở Y tế),
    read without trusting it, only to open the right window; None when unreadable."""
    import json

    try:
        data = Path(path).read_bytes()[:MAX_PACKAGE_BYTES + 1]
        manifest = json.loads(read_package_bytes(data, Path(path).name)[MANIFEST])
        kind = manifest.get("kind") if isinstance(manifest, dict) else None
    except (OSError, ValueError, KeyError, PackageRejected):
        return None
    return kind if kind in ("submission", "feedback") else None
