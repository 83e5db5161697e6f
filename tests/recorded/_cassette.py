"""One definition of how cassettes are recorded, written and replayed, for conftest.py and for
tests that drive vcrpy themselves."""

from __future__ import annotations

import os
from typing import Any

from vcr.serializers import yamlserializer

from dbcloud._http import mask_secrets
from dbcloud.emulator import DEMO_CREDENTIALS

from ._match import MATCH_ON, json_body
from ._scrub import Scrubber, problems, scrub_identifiers
from ._targets import APIS, REPLAY_CREDENTIALS, TEST_SECRETS

__all__ = [
    "LIVE",
    "VENDOR_VARIABLES",
    "CheckedYaml",
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


class CheckedYaml:
    """vcrpy's YAML serializer, with account identifiers scrubbed and a final leak check.

    A cassette that still holds a credential is not written: the recording fails instead.
    """

    @staticmethod
    def serialize(data: dict[str, Any]) -> str:
        data = scrub_identifiers(data)
        found = problems(data, session_credentials())
        if found:
            raise AssertionError("cassette not written, it would hold secrets:\n  " + "\n  ".join(found))
        return str(yamlserializer.serialize(data))

    @staticmethod
    def deserialize(text: str) -> Any:
        return yamlserializer.deserialize(text)


def configure(vcr: Any) -> None:
    """Register the body matcher and the checked serializer on a `vcr.VCR`."""
    vcr.register_matcher("json_body", json_body)
    vcr.register_serializer("yaml", CheckedYaml)


def options(scrubber: Scrubber) -> dict[str, Any]:
    """`use_cassette` options: what is matched, what is scrubbed."""
    return {
        "match_on": MATCH_ON,
        "before_record_request": scrubber.request,
        "before_record_response": scrubber.response,
        "decode_compressed_response": True,
        # A scenario that failed half-way records nothing: no partial cassette to trip over later.
        "record_on_exception": False,
    }


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
