"""A credential that does not show itself (`Secret`), and the ways one is written into text."""

from __future__ import annotations

import json
import urllib.parse

__all__ = ["Secret", "spellings"]


class Secret:
    """Holds a credential so that printing, logging or formatting an object never shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The credential itself, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    def __str__(self) -> str:
        return "********"

    def __format__(self, spec: str) -> str:
        return "********"

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
