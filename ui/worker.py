"""Run long work off the UI thread and hand the result or the error back on the UI thread.

One helper for every page (reports, intake): a QRunnable on the global pool whose signals,
emitted from the worker, are delivered to slots living on the main thread.
"""

from __future__ import annotations

import gc
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from kh75_desktop.errors import KH75Error


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int, int, object)


class Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], with_progress: bool):
        super().__init__()
        self.fn = fn
        self.with_progress = with_progress
        self.signals = _Signals()
        self.setAutoDelete(False)  # the caller keeps it until its signals have been delivered

    def run(self) -> None:
        try:
            if self.with_progress:
                result = self.fn(lambda i, n, item=None: self.signals.progress.emit(i, n, item))
            else:
                result = self.fn()
        except KH75Error as err:
            self.signals.failed.emit(err.message)
        except Exception as err:  # noqa: BLE001 - shown to the officer, logged below
            traceback.print_exc()
            # the exception's own words are English and technical: said plainly, kept in the log
            self.signals.failed.emit("Lỗi không mong đợi khi thực hiện việc này. Hãy thử lại; nếu "
                                     "vẫn lỗi, liên hệ hỗ trợ (mã lỗi: "
                                     f"{type(err).__name__}).")
        else:
            self.signals.done.emit(result)


_running: set[Task] = set()


def run_task(fn: Callable[..., Any], on_done: Callable[[Any], None],
             on_error: Callable[[str], None],
             on_progress: Callable[[int, int, Any], None] | None = None) -> Task:
    """Start `fn` in the pool; `fn` takes a progress callback when `on_progress` is given."""
    task = Task(fn, on_progress is not None)
    _running.add(task)

    def finish(handler, value):
        _running.discard(task)
        handler(value)

    task.signals.done.connect(lambda value: finish(on_done, value))
    task.signals.failed.connect(lambda message: finish(on_error, message))
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    QThreadPool.globalInstance().start(task)
    return task


def run_busy(buttons, progress, fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[str], None], after: Callable[[], None] | None = None) -> Task:
    """`run_task` for a page: its buttons disabled and its progress bar shown while `fn` runs;
    `after` either outcome (a page reading its state again, its buttons as that says)."""
    for b in buttons:
        b.setEnabled(False)
    progress.setVisible(True)

    def finish(handler, value):
        for b in buttons:
            b.setEnabled(True)
        progress.setVisible(False)
        handler(value)
        if after is not None:
            after()

    return run_task(fn, lambda v: finish(on_done, v), lambda m: finish(on_error, m))


class PageLoader:
    """Loads a page's data in the pool with its busy bar shown. Only the newest load is shown:
    a result that arrives after a newer load began (the year switched twice) is dropped.

    A load may carry the stamp of what it reads (the core says what that is): while the page
    shows a load with the same stamp, `showing` says so and the page need not load again."""

    def __init__(self, progress):
        self.progress = progress
        self.generation = 0
        self.shown_stamp: object = None
        self._settled: list[Callable[[], None]] = []

    @property
    def loading(self) -> bool:
        # the bar's own flag: isVisible() is False on a page not shown yet, whatever it loads
        return not self.progress.isHidden()

    def showing(self, stamp: object) -> bool:
        return stamp is not None and stamp == self.shown_stamp and not self.loading

    def load(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[str], None], stamp: object = None) -> Task:
        self.generation += 1
        generation = self.generation
        self.shown_stamp = None
        self.progress.setVisible(True)
        fn = _then_freeze(fn)

        def finish(handler, value, shown):
            if generation == self.generation:
                self.progress.setVisible(False)
                handler(value)
                self.shown_stamp = shown
                self._settle()

        return run_task(fn, lambda v: finish(on_done, v, stamp),
                        lambda m: finish(on_error, m, None))

    def when_shown(self, callback: Callable[[], None], wait_ms: int) -> None:
        """`callback` once: as soon as the load under way is shown, or after `wait_ms` if it
        takes longer (then with the busy bar showing)."""
        self._settled.append(callback)
        QTimer.singleShot(wait_ms, self.progress, self._settle)  # gone with the page

    def _settle(self) -> None:
        waiting, self._settled = self._settled, []
        for callback in waiting:
            callback()


def _then_freeze(fn: Callable[[], Any]) -> Callable[[], Any]:
    """`fn`, then what it loaded moved out of the collector's sight (gc.freeze()).

    A page's data (200,000 figures of 3,321 communes) is long-lived; left to the collector, every
    full collection walks all of it while holding the GIL, and the window froze for 100 ms each
    time (bench/province). Frozen objects are still freed by reference counting when a newer
    load replaces them; only cycles among them would stay, and loaded data holds none."""
    def run():
        result = fn()
        gc.freeze()
        return result

    return run


def busy_bar():
    """An indeterminate progress bar, hidden until work starts.

    Its room is kept while hidden: showing it must not lay the page out again, because a
    table repainting then calls its Python model hundreds of times, each call waiting for the
    GIL the worker holds (measured: a 280 ms freeze instead of none)."""
    from PySide6.QtWidgets import QProgressBar

    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setMaximumHeight(8)
    bar.setTextVisible(False)
    policy = bar.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    bar.setSizePolicy(policy)
    bar.setVisible(False)
    return bar


def busy() -> bool:
    return bool(_running)
