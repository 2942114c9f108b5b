"""One database writer thread for typed figures (DESIGN §4): typing never waits for the disk.

Writes run one at a time, in the order they were handed over, on a pool of one thread; each
result (or the exception) comes back on the window's thread. `wait()` blocks until every write
handed over has reached the disk: leaving the page, switching year and closing the window call
it, so no figure the officer saw accepted is lost.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot


class _Write(QRunnable):
    def __init__(self, writer: DbWriter, fn: Callable[[], Any], on_done, on_error):
        super().__init__()
        self.writer, self.fn, self.on_done, self.on_error = writer, fn, on_done, on_error

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as err:  # noqa: BLE001 - handed back to the page, which words it
            if not hasattr(err, "message"):
                traceback.print_exc()
            self.writer.finished.emit(self.on_error, err)
        else:
            self.writer.finished.emit(self.on_done, result)


class DbWriter(QObject):
    # emitted on the writer thread, delivered (queued) on the thread this object lives in
    finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one writer: writes land in the order they were typed
        self.pool.setExpiryTimeout(-1)
        self.finished.connect(self._deliver)
        self.pending = 0

    def submit(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None]) -> None:
        self.pending += 1
        self.pool.start(_Write(self, fn, on_done, on_error))

    @Slot(object, object)
    def _deliver(self, handler, value) -> None:
        self.pending -= 1
        handler(value)

    def wait(self) -> None:
        """Block until every write is on disk, then hand back their results at once."""
        if self.pending:
            self.pool.waitForDone()
            QCoreApplication.sendPostedEvents(self)
