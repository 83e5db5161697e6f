"""Look for credentials in what the suite produced: log records, reprs, error texts, files."""

from __future__ import annotations

import base64
import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field

from dbcloud._secret import spellings
from dbcloud.emulator import DEMO_CREDENTIALS

__all__ = ["Haystack", "basic", "demo_credentials", "find", "spellings"]


def basic(user: str, password: str) -> str:
    """The value of an `Authorization: Basic` header."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def demo_credentials() -> set[str]:
    """The emulator's credentials: tokens, the ClickHouse key pair, its secret, its Basic header.

    The ClickHouse key *id* is left out: it names the key, like a user name, and is shown on
    purpose (the console lists it; `BasicAuth`'s repr shows it to tell keys apart).
    """
    key_id, key_secret = DEMO_CREDENTIALS["clickhouse"].split(":", 1)
    return {*DEMO_CREDENTIALS.values(), key_secret, basic(key_id, key_secret)}


@dataclass
class Haystack:
    """Texts to scan, each with where it came from."""

    texts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, where: str, text: str) -> None:
        self.texts.append((where, text))

    def show(self, where: str, value: object) -> object:
        """Keep `value`'s repr and str (what printing or logging it shows); return it."""
        self.add(f"repr of {where}", repr(value))
        self.add(f"str of {where}", str(value))
        return value

    def error(self, where: str, exc: BaseException) -> None:
        """An exception as a user sees it: message, repr, traceback with its causes, body."""
        self.add(f"error {where}", str(exc))
        self.add(f"error {where}", repr(exc))
        self.add(f"traceback {where}", "".join(traceback.format_exception(exc)))
        for name in ("body", "url", "message"):
            if getattr(exc, name, None) is not None:
                self.add(f"error {where}.{name}", repr(getattr(exc, name)))

    def logs(self, records: Iterable[logging.LogRecord]) -> None:
        formatter = logging.Formatter()
        for record in records:
            self.add(f"log {record.name}", formatter.format(record))

    @property
    def size(self) -> int:
        return sum(len(text) for _, text in self.texts)


def find(haystack: Haystack, secrets: Iterable[str]) -> list[str]:
    """Where each secret (in any spelling) occurs; the secret itself is never in the answer."""
    found = []
    for secret in sorted({s for s in secrets if s}):
        label = f"{secret[:3]}…({len(secret)} chars)"
        for where, text in haystack.texts:
            if any(spelling in text for spelling in spellings(secret)):
                found.append(f"{label} in {where}")
    return found
