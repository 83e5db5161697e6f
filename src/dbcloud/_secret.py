"""A credential that does not show itself (`Secret`), the ways one is written into text, and masking.

Which *names* hold a secret is `_secret_names`; this module is about the credential *values* a
client holds, wherever they turn up.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
from collections.abc import Iterable

__all__ = ["MASK", "Secret", "basic_credential", "mask_secrets", "masked", "spellings"]

MASK = "********"


class Secret:
    """Holds a credential so that printing, logging or formatting an object never shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The credential itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would write the credential to wherever the pickle goes.
        raise TypeError("a Secret cannot be pickled")


def spellings(value: str) -> set[str]:
    """The ways a credential is written into text, each to be masked (or searched for) alike.

    As given; URL-encoded, in the `%2B` and the `+` style (a query string, a form body); and
    JSON-escaped, with and without non-ASCII escapes (a server that echoes a request body quotes
    it). A Basic `id:secret` pair travels base64-encoded: that is one more credential, made by
    `_http.basic_credential`, not a spelling of the secret.
    """
    return {
        value,
        urllib.parse.quote(value, safe=""),
        urllib.parse.quote_plus(value),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }


def mask_secrets(text: str, secrets: Iterable[str | Secret]) -> str:
    """`text` with every occurrence of each secret, in every form it travels in, replaced by `********`.

    The forms: as given, URL-encoded (`%2B` and `+` styles), and JSON-escaped (a server that echoes
    a request body quotes it). A Basic `id:secret` pair travels base64-encoded: pass it as one more
    secret, made by `basic_credential`.

    Args:
        text: an error body, a message, a command line.
        secrets: the values to hide; `Secret` objects are revealed for the comparison only.
            Empty values are ignored.
    """
    values: set[str] = set()
    for secret in secrets:
        value = secret.reveal() if isinstance(secret, Secret) else secret
        if value:
            values |= spellings(value)
    if not values:
        return text
    # One pass, longest first, so that a secret containing another is masked whole.
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    return pattern.sub(MASK, text)


def masked(value: object, secrets: Iterable[str | Secret]) -> object:
    """`value` (text, or lists, tuples and dicts of it, keys included) with the secrets masked."""
    hidden = tuple(secrets)
    if not hidden:
        return value
    if isinstance(value, str):
        return mask_secrets(value, hidden)
    if isinstance(value, dict):
        return {masked(k, hidden): masked(v, hidden) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(masked(item, hidden) for item in value)
    return value


def basic_credential(key_id: str, secret: str | Secret) -> Secret:
    """The base64 `id:secret` of an HTTP Basic header, as a secret to mask where it is echoed."""
    value = secret.reveal() if isinstance(secret, Secret) else secret
    return Secret(base64.b64encode(f"{key_id}:{value}".encode()).decode("ascii"))
