"""Work that can wait until a window has been painted, so it never delays the first picture.

A zero timer set when a window is shown runs before the window is painted: Qt delivers the paint
request later in that same turn of the event loop. A first paint is watched for instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer

# a window is asked to paint itself (UpdateRequest); a widget inside it is painted (Paint)
FIRST_PAINT_EVENTS = (QEvent.Type.UpdateRequest, QEvent.Type.Paint)


def when_painted(widget, callbacks, fallback_ms: int = 1000) -> None:
    """`callbacks`, once, in order after the widget's first paint (or after `fallback_ms` if no
    paint comes, e.g. a window started minimised), each on a turn of the event loop of its own:
    a click or a key that comes meanwhile waits for one of them, not for all."""
    done: list[bool] = []
    waiting = list(callbacks)

    def next_one() -> None:
        if waiting:
            try:
                waiting.pop(0)()
            finally:  # one that fails stops no other
                QTimer.singleShot(0, watcher, next_one)

    def run() -> None:
        if not done:
            done.append(True)
            widget.removeEventFilter(watcher)
            next_one()

    class FirstPaint(QObject):
        def eventFilter(self, _obj, event) -> bool:
            if event.type() in FIRST_PAINT_EVENTS:
                QTimer.singleShot(0, self, run)  # after this paint is done
            return False

    watcher = FirstPaint(widget)  # dies with the widget, and its timers with it
    widget.installEventFilter(watcher)
    QTimer.singleShot(fallback_ms, watcher, run)
