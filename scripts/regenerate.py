"""Regenerate the low-level clients in generated/ from the vendors' specs.

    python scripts/regenerate.py [--check] [--mirror DIR] [API ...]

Missing specs are fetched first (from the mirror when one is set, else live). See
scripts/dbcloud_codegen/ for the stages.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbcloud_codegen.regenerate import main

if __name__ == "__main__":
    sys.exit(main())
