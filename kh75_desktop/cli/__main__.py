"""`python -m kh75_desktop.cli`: the command line without the window."""

import sys

from . import main

sys.exit(main())
