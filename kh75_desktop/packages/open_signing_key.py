"""Sở Y tế's signing key kept open between feedback packages for a short while.

Unlocking it takes seconds of scrypt, and a review session signs one package per commune, up to
129 before a deadline: asked every time, the passphrase and the wait came back 129 times. It
stays open only while it is used: it locks again after IDLE_MINUTES without a signature (by the
wall clock and the steady clock both, so a laptop asleep meanwhile counts), when staff lock it,
and when the window closes. A key replaced meanwhile never signs (keys.require_pair).
"""

from __future__ import annotations

import time
from typing import Any, Callable

IDLE_MINUTES = 10


class OpenSigningKey:
    def __init__(self, clocks: tuple[Callable[[], float], Callable[[], float]] = (
            time.monotonic, time.time)):
        self._clocks = clocks
        self._secret: Any = None
        self._since: tuple[float, float] = (0.0, 0.0)

    def get(self) -> Any:
        """The unlocked key while it is still open, else None (and it is locked)."""
        if self._secret is not None and not self._idle_too_long():
            return self._secret
        self.lock()
        return None

    def keep(self, secret: Any) -> None:
        """`secret` has just signed: open for IDLE_MINUTES more."""
        self._secret = secret
        self._since = tuple(clock() for clock in self._clocks)

    def lock(self) -> None:
        self._secret = None

    @property
    def is_open(self) -> bool:
        return self.get() is not None

    def _idle_too_long(self) -> bool:
        limit = IDLE_MINUTES * 60
        # a clock that went backwards (the wall clock set back) counts as too long as well
        return any(not 0 <= clock() - since <= limit
                   for clock, since in zip(self._clocks, self._since, strict=True))
