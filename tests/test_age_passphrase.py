"""Issue 19: age's passphrase scrypt (a second or more, and pyrage holds Python's lock all that
time) runs in a child process for a window, so the window's thread keeps its turns while a
worker waits for it; the command line runs it in place."""

from __future__ import annotations

import os
import threading
import time

import pyrage
import pytest

from kh75_desktop import age_passphrase


def _longest_gap_while(work) -> tuple[float, object]:
    """The main thread's longest wait between 5 ms naps while `work` runs on another thread."""
    out: list = []
    thread = threading.Thread(target=lambda: out.append(work()))
    longest, last = 0.0, time.perf_counter()
    thread.start()
    while thread.is_alive():
        time.sleep(0.005)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    thread.join()
    return longest, out[0]


def test_the_command_line_runs_it_in_place():
    assert not age_passphrase._apart
    assert age_passphrase.worker_pid() == os.getpid()


def test_a_window_process_decrypts_in_a_child_and_its_own_threads_keep_running(monkeypatch):
    secret = "khóa bí mật của Sở Y tế".encode()
    sealed = age_passphrase.encrypt(secret, "mật khẩu mở gói")  # in place, as the CLI does
    in_place, plain = _longest_gap_while(lambda: age_passphrase.decrypt(sealed, "mật khẩu mở gói"))
    assert plain == secret
    monkeypatch.setattr(age_passphrase, "_apart", True)
    assert age_passphrase.worker_pid() != os.getpid()
    apart, plain = _longest_gap_while(lambda: age_passphrase.decrypt(sealed, "mật khẩu mở gói"))
    assert plain == secret
    # in place the main thread waited for the whole scrypt; apart it keeps its turns
    assert apart < in_place / 3, (apart, in_place)
    with pytest.raises(pyrage.DecryptError):
        age_passphrase.decrypt(sealed, "sai mật khẩu")
    again = age_passphrase.encrypt(secret, "mật khẩu khác")  # sealed in the child, opened here
    monkeypatch.setattr(age_passphrase, "_apart", False)
    assert age_passphrase.decrypt(again, "mật khẩu khác") == secret


def test_a_child_that_gives_no_answer_leaves_the_work_to_this_process(monkeypatch):
    """A child that ends without an answer, or says nothing in time, never leaves the window
    waiting on a bar that does not end: the work is done here instead."""
    import sys

    monkeypatch.setattr(age_passphrase, "_apart", True)
    with pytest.raises(SystemExit):  # sys.exit ended the child unanswered; then ran here
        age_passphrase._run(sys.exit, 7)
    monkeypatch.setattr(age_passphrase, "CHILD_TIMEOUT_S", 0.001)  # no child starts this fast
    started = time.perf_counter()
    assert age_passphrase.worker_pid() == os.getpid()
    assert time.perf_counter() - started < 5
