"""One running app per profile: an OS lock on a file in the profile folder.

The operating system releases the lock when the process ends, however it ends, so a lock left by
a crash or a kill is never stale: the next start simply takes it.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import KH75Error

LOCK_NAME = "kh75.lock"


class InstanceLock:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self._fh = None

    def acquire(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "a+")  # noqa: SIM115 - held open for the life of the app
        except OSError as err:  # a full disk or a read-only folder: said, never a traceback
            from .files import describe_os_error

            raise KH75Error(describe_os_error(err, self.path)) from err
        try:
            if os.name == "nt":
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            fh.close()
            raise KH75Error("KH75 Desktop đang mở hồ sơ này ở một cửa sổ khác. Hãy dùng cửa sổ "
                            "đó (xem thanh tác vụ); chỉ một cửa sổ được sửa hồ sơ một lúc.") from err
        try:  # the pid is only a note for a person; a full disk must not stop the app here
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
        except OSError:
            pass
        self._fh = fh

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
