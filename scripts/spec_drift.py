"""Check every vendor spec for changes; accept, regenerate, test and report what changed.

    python scripts/spec_drift.py [--mirror DIR] [--report FILE] [--summary FILE]
                                 [--test-command COMMAND] [API ...]

Exit status: 0 nothing changed, 1 a spec changed and the tests pass, 2 a spec changed and the
regeneration or the tests fail, 3 error. .github/workflows/spec-drift.yml runs it every week.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbcloud_codegen.drift import main

if __name__ == "__main__":
    sys.exit(main())
