"""Entry point of the frozen bundle: the same `kh75` command as `uv run kh75`.

The windowed kh75w.exe has no console, so Python starts it with no stdout or stderr; anything
written there (a worker's traceback) would raise instead. Output goes to a log file in the
user's log folder, which support can ask for.
"""

import os
import sys


def _streams_for_a_windowed_start() -> None:
    if sys.stdout is not None and sys.stderr is not None:
        return
    try:
        from platformdirs import user_log_dir

        folder = user_log_dir("KH75", appauthor=False)
        os.makedirs(folder, exist_ok=True)
        log = open(os.path.join(folder, "kh75.log"), "a", encoding="utf-8")  # noqa: SIM115
    except OSError:
        log = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    sys.stdout = sys.stdout or log
    sys.stderr = sys.stderr or log


if __name__ == "__main__":
    # the child process that runs age's scrypt for the window starts this same program
    import multiprocessing

    multiprocessing.freeze_support()
    _streams_for_a_windowed_start()
    from ui.launcher import main

    sys.exit(main())
