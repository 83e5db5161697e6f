"""One definition of how cassettes are recorded, written and replayed, for conftest.py and for
tests that drive vcrpy themselves."""

from __future__ import annotations

import os
from typing import Any

from dbcloud._http import mask_secrets
from dbcloud.emulator import DEMO_CREDENTIALS
from dbcloud.testing import CheckedSerializer, Scrubber, register, vcr_config

from ._targets import APIS, REPLAY_CREDENTIALS, TEST_SECRETS

__all__ = [
    "LIVE",
    "VENDOR_VARIABLES",
    "configure",
    "mask_report",
    "options",
    "session_credentials",
]

# Every vendor variable a facade reads; live recording takes its settings from them.
VENDOR_VARIABLES = sorted({variable for api in APIS.values() for variable in api.live.values()})
# Read once, at import: the tests clear the environment, and the leak check still needs them.
LIVE = {name: os.environ.get(name, "") for name in VENDOR_VARIABLES}


def session_credentials() -> list[str]:
    """Every credential value the cassette tests can authenticate with: none may be in a cassette."""
    values = [*REPLAY_CREDENTIALS.values(), *TEST_SECRETS]
    values += [part for value in DEMO_CREDENTIALS.values() for part in (value, *value.split(":"))]
    values += [LIVE[api.live[name]] for api in APIS.values() for name in api.secrets]
    return [value for value in values if value]


def configure(vcr: Any) -> None:
    """Register the body matcher and the checked serializer on a `vcr.VCR`.

    The serializer is `dbcloud.testing`'s, checking for this session's credentials, under vcrpy's
    own name: these cassettes keep their `.yaml` names.
    """
    register(vcr, serializer=CheckedSerializer(session_credentials), name="yaml")


def options(scrubber: Scrubber) -> dict[str, Any]:
    """`use_cassette` options: `dbcloud.testing.vcr_config()`'s, with this session's scrubber, and
    vcrpy's own serializer name (`configure` puts the checked one under it)."""
    config = vcr_config()
    del config["serializer"]
    return {**config, "before_record_request": scrubber.request, "before_record_response": scrubber.response}


def mask_report(report: Any) -> None:
    """Mask the session's credentials in a failed test's report, in place.

    vcrpy describes an unmatched request as it was sent, before scrubbing, so a replay that fails
    would print an admin password a scenario sent. The report is what reaches the CI log.
    """
    if report.failed and report.longrepr is not None:
        text = str(report.longrepr)
        masked = mask_secrets(text, session_credentials())
        if masked != text:
            report.longrepr = masked
