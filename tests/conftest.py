from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_SPECS = ROOT.parent / "shared" / "specs"


@pytest.fixture(scope="session")
def shared_specs() -> Path:
    """The vendor spec snapshots beside the checkout (CI has them; a lone clone may not)."""
    if not (SHARED_SPECS / "PROVENANCE.md").exists():
        pytest.skip(f"vendor spec snapshots not found at {SHARED_SPECS}")
    return SHARED_SPECS
