"""The cassette configuration dbcloud's own tests record with, for pytest-recording and vcrpy.

`vcr_config()` gives the options of one cassette (what is matched, what is scrubbed);
`CheckedSerializer` writes the cassette, after the account identifiers are replaced and only when no
known secret is left in it. The plugin registers both on every vcrpy instance pytest-recording makes
(`register(vcr)` does it by hand, for vcrpy without pytest-recording).
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._match import MATCH_ON, json_body
from ._scrub import Scrubber, problems, scrub_identifiers

if TYPE_CHECKING:
    from dbcloud.emulator import Emulator

__all__ = [
    "SERIALIZER",
    "VENDOR_URLS",
    "CheckedSerializer",
    "add_secrets",
    "emulator_rewrites",
    "known_secrets",
    "register",
    "vcr_config",
]

SERIALIZER = "dbcloud.yaml"
"""The name `vcr_config()` selects the checked serializer by; pytest-recording also takes it as the
cassette's suffix, so a cassette is `<test>.dbcloud.yaml`."""

# Where each facade's base URL variable points by default: what a cassette stores instead of the
# emulator's address, so that a replay needs no emulator. ClickStack OSS is self-hosted, so it gets
# a reserved name (RFC 2606) rather than anybody's real endpoint.
VENDOR_URLS: Mapping[str, str] = {
    "ACM_API_URL": "https://acm.altinity.cloud/api",
    "ALTINITYCLOUD_API_URL": "https://anywhere.altinity.cloud",
    "CLICKHOUSE_API_URL": "https://api.clickhouse.cloud",
    "CLICKSTACK_ENDPOINT": "https://clickstack.example.com",
    "COCKROACH_SERVER": "https://cockroachlabs.cloud",
}

# The environment variables that hold credentials (the vendors' own names, README "Environment").
_SECRET_VARIABLES = (
    "ACM_API_KEY",
    "ALTINITYCLOUD_API_TOKEN",
    "CLICKHOUSE_CLOUD_API_KEY",
    "CLICKHOUSE_CLOUD_API_SECRET",
    "CLICKSTACK_API_KEY",
    "COCKROACH_API_KEY",
)
# Read at import, as well as when a cassette is written: a test that clears the environment must
# not hide a developer's live key from the final check.
_AT_IMPORT = {name: os.environ.get(name, "") for name in _SECRET_VARIABLES}

_added: set[str] = set()
_lock = threading.Lock()


def _with_parts(values: Iterable[str]) -> set[str]:
    """The values and, for a `key_id:key_secret` pair, each half: either alone is a secret too."""
    found: set[str] = set()
    for value in values:
        found.add(value)
        found.update(value.split(":"))
    return {value for value in found if value}


def add_secrets(secrets: Iterable[str]) -> None:
    """Add values that no cassette of this process may hold (checked when each one is written)."""
    with _lock:
        _added.update(_with_parts(secrets))


def known_secrets() -> set[str]:
    """Every value the checked serializer refuses to write: the credentials in the vendors'
    variables (now and when dbcloud.testing was imported), the emulator's credentials, and those
    given to `vcr_config(secrets=...)` or `add_secrets`."""
    from dbcloud._vendors import vendors

    values = [*_AT_IMPORT.values(), *(os.environ.get(name, "") for name in _SECRET_VARIABLES)]
    values += [entry.emulator_credential for entry in vendors() if entry.emulator]
    with _lock:
        return _with_parts(values) | _added


def _yaml() -> Any:
    """vcrpy's YAML serializer, imported when a cassette is first read or written."""
    return importlib.import_module("vcr.serializers.yamlserializer")


class CheckedSerializer:
    """vcrpy's YAML serializer, with account identifiers scrubbed and a final check for secrets.

    A cassette that would still hold a known secret, a credential header other than the
    placeholder or a secret field with a real-looking value is not written: the test fails instead,
    with a message naming each problem (never the value).

    Args:
        secrets: the values no cassette may hold, or a function that gives them when a cassette is
            written (default: `known_secrets`).
    """

    def __init__(self, secrets: Collection[str] | Callable[[], Collection[str]] = known_secrets) -> None:
        self._secrets = secrets

    def serialize(self, data: dict[str, Any]) -> str:
        secrets = self._secrets() if callable(self._secrets) else self._secrets
        data = scrub_identifiers(data)
        found = problems(data, secrets)
        if found:
            raise AssertionError("cassette not written, it would hold secrets:\n  " + "\n  ".join(found))
        return str(_yaml().serialize(data))

    def deserialize(self, text: str) -> Any:
        return _yaml().deserialize(text)


def register(vcr: Any, *, serializer: CheckedSerializer | None = None, name: str = SERIALIZER) -> None:
    """Register the JSON-body matcher (as "json_body") and the checked serializer on a `vcr.VCR`.

    The plugin does this for every cassette pytest-recording opens; call it yourself when you drive
    vcrpy directly.
    """
    vcr.register_matcher("json_body", json_body)
    vcr.register_serializer(name, serializer or CheckedSerializer())


def emulator_rewrites(emulator: Emulator) -> list[tuple[str, str]]:
    """`(emulator URL, vendor URL)` for every API the emulator serves."""
    env = emulator.env
    return [(env[variable], canonical) for variable, canonical in VENDOR_URLS.items() if variable in env]


def vcr_config(
    *,
    secrets: Iterable[str] = (),
    rewrites: Iterable[tuple[str, str]] = (),
    emulator: Emulator | None = None,
) -> dict[str, Any]:
    """The `use_cassette` options dbcloud's own cassettes are recorded with.

    Return it from your `vcr_config` fixture (pytest-recording) or pass it to `vcr.use_cassette`.
    The request is matched on method, path, query and body (compared as JSON or as form fields, so
    a replay that sends another value fails with the field named). Credentials, cookies and secret
    fields are replaced with `DBCLOUD-REDACTED` before anything is stored; account ids and e-mail
    addresses with stable placeholders when the cassette is written.

    Args:
        secrets: further values to scrub wherever they occur (passwords your automation sends); the
            credentials in the vendors' environment variables and the emulator's are always scrubbed.
        rewrites: `(recorded URL prefix, stored URL prefix)` pairs, e.g. a self-hosted endpoint
            and the reserved name a cassette should store instead.
        emulator: a running emulator being recorded against: its URLs are stored as the vendors'
            own (`VENDOR_URLS`), so the cassette replays with the default base URLs.

    Returns:
        A new dict, with a new `Scrubber` (it numbers the secrets it sees, per cassette).
    """
    secrets = list(secrets)
    add_secrets(secrets)
    pairs = list(rewrites) + (emulator_rewrites(emulator) if emulator is not None else [])
    scrubber = Scrubber([*secrets, *known_secrets()], rewrites=pairs)
    return {
        "match_on": MATCH_ON,
        "before_record_request": scrubber.request,
        "before_record_response": scrubber.response,
        "decode_compressed_response": True,
        "serializer": SERIALIZER,
        # A test that failed half-way records nothing: no partial cassette to trip over later.
        "record_on_exception": False,
    }
