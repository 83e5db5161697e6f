"""`python -m dbcloud.emulator`: the same as `dbcloud emulator` (options: `--help`)."""

import sys

from ..cli import main

sys.exit(main(["emulator", *sys.argv[1:]]))
