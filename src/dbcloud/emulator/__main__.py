"""`python -m dbcloud.emulator [--port N] [--speed S] [--no-seed-data]`."""

import sys

from ..cli import main

sys.exit(main(["emulator", *sys.argv[1:]]))
