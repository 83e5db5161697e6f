"""`python -m dbcloud ...`: the `dbcloud` command line."""

import sys

from .cli import main

sys.exit(main())
