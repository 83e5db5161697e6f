"""Compare two versions of a vendor spec and report what changed and what breaks.

    python scripts/spec_diff.py OLD NEW [--json]

OLD and NEW are spec files (OpenAPI JSON/YAML, or GraphQL SDL); both must be the same kind.
Exit status: 0 when the report was printed, 2 when an input cannot be read or compared.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbcloud_codegen.diff import diff_specs
from dbcloud_codegen.documents import read_spec_file
from dbcloud_codegen.errors import PipelineError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spec_diff", description="Diff two versions of an API spec.")
    parser.add_argument("old", type=Path, help="the earlier spec file")
    parser.add_argument("new", type=Path, help="the later spec file")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON instead of text")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Print the diff of two spec files; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        result = diff_specs(read_spec_file(args.old), read_spec_file(args.new))
    except PipelineError as exc:
        print(f"spec_diff: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_json(), indent=2, sort_keys=True))
    else:
        sys.stdout.write(result.format_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
