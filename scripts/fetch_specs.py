"""Fetch the vendors' specs into specs/.cache/raw/ and pin them in specs/lock.json.

python scripts/fetch_specs.py [--mirror DIR] [--update] [API ...]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbcloud_codegen.fetch_cli import main

if __name__ == "__main__":
    sys.exit(main())
