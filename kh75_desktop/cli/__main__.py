"""`python -m kh75_desktop.cli`: the command line without the window."""

import sys

from . import finish_process, main

code = main()
finish_process()
sys.exit(code)
