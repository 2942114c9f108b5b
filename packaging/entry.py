"""Entry point of the frozen bundle: the same `kh75` command as `uv run kh75`."""

import sys

from ui.launcher import main

if __name__ == "__main__":
    sys.exit(main())
