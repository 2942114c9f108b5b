"""age's passphrase encryption (Sở Y tế's decryption key, a profile moved to another laptop),
run in a child process when a window asks for it.

Its scrypt takes a second or more, and pyrage holds Python's interpreter lock all that time:
run on a worker thread, it still froze the window (measured: the window's thread got no turn
for 1.5 s). A child process has a lock of its own, so the window's bar keeps moving. The
command line has nothing to keep moving and runs the work in place.
"""

from __future__ import annotations

import multiprocessing
import os

import pyrage

_apart = False
# scrypt takes 1-5 s on an officer's laptop; a child silent this long is not coming back
CHILD_TIMEOUT_S = 120


def run_apart(on: bool = True) -> None:
    """Whether the scrypt runs in a child process from now on (the window's processes)."""
    global _apart
    _apart = on


def encrypt(data: bytes, passphrase: str) -> bytes:
    return _run(_encrypt, data, passphrase)


def decrypt(data: bytes, passphrase: str) -> bytes:
    """`data` decrypted; pyrage.DecryptError for a wrong passphrase or a damaged file."""
    plain, refusal = _run(_decrypt, data, passphrase)
    if refusal is not None:
        raise pyrage.DecryptError(refusal)
    return plain


def worker_pid() -> int:
    """The process id of whatever does the work: a child's when run apart (the selftest shows
    the child starts, in the frozen bundle too)."""
    return _run(os.getpid)


def _encrypt(data: bytes, passphrase: str) -> bytes:
    return pyrage.passphrase.encrypt(data, passphrase)


def _decrypt(data: bytes, passphrase: str) -> tuple[bytes | None, str | None]:
    # the refusal as words: pyrage's exception class need not survive the trip between processes
    try:
        return pyrage.passphrase.decrypt(data, passphrase), None
    except pyrage.DecryptError as err:
        return None, str(err) or "decryption failed"


def _run(fn, *args):
    if not _apart:
        return fn(*args)
    # one child per call, started fresh ("spawn": nothing of the window's state is copied) and
    # gone when it returns: this happens a few times a session
    context = multiprocessing.get_context("spawn")
    answer, sender = context.Pipe(duplex=False)
    child = context.Process(target=_in_child, args=(sender, fn, args), daemon=True)
    try:
        child.start()
    except OSError:
        return fn(*args)  # a machine that cannot start one: the same work, in place
    sender.close()
    try:
        if answer.poll(CHILD_TIMEOUT_S):
            return answer.recv()
    except (EOFError, OSError):
        pass  # the child ended without an answer
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        answer.close()
    # no answer (the child could not run, or hung): the same work here, the window frozen for
    # its second rather than waiting on a bar that never ends, with no way to close the dialog
    return fn(*args)


def _in_child(sender, fn, args) -> None:
    sender.send(fn(*args))
    sender.close()
