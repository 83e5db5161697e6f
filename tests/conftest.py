from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._bridge import Flavour

ROOT = Path(__file__).resolve().parents[1]
SHARED_SPECS = ROOT.parent / "shared" / "specs"


@pytest.fixture(scope="session")
def shared_specs() -> Path:
    """The vendor spec snapshots beside the checkout (CI has them; a lone clone may not)."""
    if not (SHARED_SPECS / "PROVENANCE.md").exists():
        pytest.skip(f"vendor spec snapshots not found at {SHARED_SPECS}")
    return SHARED_SPECS


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[Flavour]:
    """Runs a test on the sync client and on its async twin (driven through `tests._bridge`)."""
    chosen = Flavour(str(request.param))
    yield chosen
    chosen.close()
