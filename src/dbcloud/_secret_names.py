"""Which names hold a secret: the one rule for the pipeline, logs, URLs, exceptions, the CLI and cassettes.

A field holds a secret when its wire name reads like one: its last word names a secret (`adminPass`,
`kubeToken`, `keySecret`, `newPasswordHash`), or it is a key qualified as secret (`awsSecretKey`,
`sshKey`, `azure_shared_key`), or a connection string (which embeds a password or an account key).
A name that ends in a word about the secret (`tokenExpiry`, `passwordType`, `keyId`) or starts with
a predicate (`hasPassword`, `allowAdminPassword`) is not one. A wrong guess costs little one way (a
value masked that could have been shown) and a leaked credential the other, so the rule leans
towards hiding.

The code generator declares the attributes it picks `repr=False` (scripts/dbcloud_codegen/
secret_fields.py, which also reads the spec's own marks: `format: password`, `writeOnly`); every
other place asks `is_secret_name`. URL query parameters get one documented extra
(`is_secret_param`): a secret should never travel in a URL at all, so any parameter whose name
merely mentions one (`key`, `apikey`, `tokenExpiry`) is masked in what is logged or kept.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ._secret import MASK

__all__ = [
    "URL_SECRET_FRAGMENTS",
    "hide_value",
    "is_secret_name",
    "is_secret_param",
    "name_words",
    "secret_values",
    "without_secret_fields",
]

# Words that name a secret value when they end the name. Fused spellings (`apikey`) are listed too,
# since a lower-case name gives no word boundary to split on.
_SECRET_NOUNS = frozenset(
    {
        "pass",
        "passwd",
        "password",
        "passwords",
        "passphrase",
        "pwd",
        "secret",
        "secrets",
        "token",
        "tokens",
        "credential",
        "credentials",
        "apikey",
        "apikeys",
        "privatekey",
        "secretkey",
        "sshkey",
        "accesstoken",
        "authtoken",
    }
)
# A name ending in `key` is a secret when one of these words comes before it: `awsSecretKey`,
# `secretAccessKey`, `azure_shared_key`. Other keys are identifiers (`sortingKey`, `idempotencyKey`,
# `awsKey` for an access key id) or public (`publicKey`). `encryption` is here because a raw key is
# sometimes sent that way, although ClickHouse uses the field for a KMS key ARN.
_KEY_QUALIFIERS = frozenset(
    {"private", "secret", "ssh", "api", "shared", "account", "signing", "master", "client", "auth"}
    | {"encryption", "license"}
)
_KEY_WORDS = frozenset({"key", "keys"})
# Trailing words that still describe the secret itself, in another form: `passwordHash` can be
# cracked offline, `tokenValue` is the token.
_SAME_SECRET = frozenset(
    {"hash", "hashed", "digest", "value", "plain", "plaintext", "raw", "b64", "base64", "encoded"}
    | {"enc", "encrypted", "pem", "data"}
)
# A first word that makes the name a question or a switch about a secret, not the secret.
_PREDICATES = frozenset(
    {"has", "is", "are", "can", "should", "must", "need", "needs", "require", "requires", "supports"}
    | {"allow", "allows", "allowed", "use", "uses", "enable", "enabled", "disable", "disabled"}
    | {"blocked", "show", "skip", "no", "with", "without", "change"}
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

URL_SECRET_FRAGMENTS = ("pass", "pwd", "secret", "token", "key", "credential")
"""The extra for URL query parameters: a name containing one of these (any case) is masked."""
_URL_FRAGMENT = re.compile("|".join(URL_SECRET_FRAGMENTS), re.IGNORECASE)


def name_words(name: str) -> list[str]:
    """The lower-case words of a camelCase, PascalCase, snake_case or kebab-case name."""
    return [word.lower() for word in _WORD.findall(name)]


def is_secret_name(name: str) -> bool:
    """Whether a field of this wire name holds a secret (see the module docstring)."""
    words = name_words(name)
    if not words or words[0] in _PREDICATES:
        return False
    while len(words) > 1 and words[-1] in _SAME_SECRET:
        words.pop()
    last = words[-1]
    if last in _SECRET_NOUNS:
        return True
    if last in _KEY_WORDS:
        return any(word in _KEY_QUALIFIERS for word in words[:-1])
    # A connection string usually embeds a password or an account key.
    return words[-2:] == ["connection", "string"]


def is_secret_param(name: str) -> bool:
    """Whether a URL query parameter's value is masked where the URL is logged or kept.

    The field rule, and (the URL extra) any name containing one of `URL_SECRET_FRAGMENTS`: `key`,
    `api_key`, `apikey`, `access_token`, `adminPass`, `tokenExpiry` all are.
    """
    return is_secret_name(name) or _URL_FRAGMENT.search(name) is not None


def hide_value(value: Any) -> Any:
    """The mask in place of a secret field's value; numbers, booleans and empty values stay
    (`hasPassword: true`, `token: ""` say nothing secret), objects and lists are hidden whole."""
    if value is None or isinstance(value, bool | int | float) or value in ("", [], {}):
        return value
    return MASK


def without_secret_fields(data: Any) -> Any:
    """JSON data (dicts, lists, scalars) with the value of every field named as a secret masked."""
    if isinstance(data, Mapping):
        return {
            key: hide_value(value) if is_secret_name(str(key)) else without_secret_fields(value)
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [without_secret_fields(item) for item in data]
    return data


def secret_values(data: Any) -> set[str]:
    """The strings held in fields named as secrets anywhere in JSON data (a request's body or
    variables), to mask where a server echoes them."""
    found: set[str] = set()
    if isinstance(data, Mapping):
        for key, value in data.items():
            if isinstance(value, str) and is_secret_name(str(key)):
                if value:
                    found.add(value)
            else:
                found |= secret_values(value)
    elif isinstance(data, list | tuple):
        for item in data:
            found |= secret_values(item)
    return found
