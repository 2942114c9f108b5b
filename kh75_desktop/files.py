"""Atomic file writing: a temporary file in the same folder, flushed, synced, then replaced.

A power cut leaves either the old file or the new one, never half of one. On Windows a
destination held open by another program (an antivirus, an open viewer) is retried briefly.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
from pathlib import Path

from .errors import KH75Error

REPLACE_RETRIES = 10
REPLACE_DELAY_S = 0.2


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a directory for fsync; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def free_space_words(folder: Path, needed: int = 0) -> str:
    """ "còn 12 KB trống; cần thêm ít nhất 10 MB" for a folder's disk, or "" if unknown."""
    from .numbers_vi import format_number

    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return ""
    want = max(needed, 10 * 1024 * 1024)
    return (f"còn {format_number(free // 1024)} KB trống; hãy giải phóng ít nhất "
            f"{format_number(-(-want // (1024 * 1024)))} MB: xóa tệp tạm, dọn Thùng rác")


def disk_is_full(folder: Path, margin: int = 1024 * 1024) -> bool:
    """Less than `margin` bytes free where the profile lives."""
    try:
        return shutil.disk_usage(folder).free < margin
    except OSError:
        return False


_NO_PERMISSION = "không có quyền (tệp đang mở ở chương trình khác, hoặc bị khóa)"
_OS_REASONS = {
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.EACCES: _NO_PERMISSION,
    errno.EPERM: _NO_PERMISSION,
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOSPC: "ổ đĩa đầy",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.EIO: "lỗi đọc ghi ổ đĩa (USB hỏng hoặc bị rút ra?)",
    errno.ENAMETOOLONG: "đường dẫn quá dài",
    errno.EEXIST: "đã có tệp trùng tên",
}


def os_reason(err: OSError) -> str:
    """Why a file could not be read or written, in Vietnamese words: the system's own message
    (err.strerror) is English on Windows as everywhere, and an officer reads these lines."""
    reason = _OS_REASONS.get(err.errno)
    if reason is not None:
        return reason
    return f"lỗi hệ thống số {err.errno}" if err.errno else "lỗi hệ thống"


def describe_os_error(err: OSError, path: Path) -> str:
    if err.errno == errno.ENOSPC:
        space = free_space_words(Path(path).parent)
        return (f"Ổ đĩa đầy, không ghi được {path}" + (f" ({space})" if space else "")
                + ". Số liệu đã lưu vẫn còn nguyên; giải phóng dung lượng rồi thử lại.")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Không có quyền ghi vào {path.parent} (thư mục chỉ đọc hoặc bị khóa)."
    if err.errno == errno.ENOENT:
        return f"Thư mục {path.parent} không còn tồn tại (USB đã rút ra?)."
    if err.errno == errno.EFBIG:
        return f"Tệp {path} vượt quá giới hạn kích thước cho phép."
    return f"Không ghi được {path}: {os_reason(err)}."


def atomic_write(path: Path, data: bytes) -> Path:
    """Write `data` to `path` atomically; raise KH75Error with a Vietnamese reason on failure."""
    path = Path(path)
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        for attempt in range(REPLACE_RETRIES):
            try:
                os.replace(tmp_name, path)
                break
            except PermissionError:
                if os.name != "nt" or attempt == REPLACE_RETRIES - 1:
                    raise
                time.sleep(REPLACE_DELAY_S)
        tmp_name = None
        _fsync_dir(path.parent)
        return path
    except OSError as err:
        raise KH75Error(describe_os_error(err, path)) from err
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
