"""What the facades return: small typed records, the same shape for every vendor.

Every resource a user reads comes back as a frozen dataclass whose identifying and state fields are
plain types: `id: str` (ACM's numeric ids too, so that every vendor's ids compare and print alike),
`name: str`, and, for clusters and services, `state: ClusterState` beside the vendor's own word.
Fields the vendor may really leave out are `X | None`; the vendor's whole JSON object is at `.raw`
(left out of `repr` and of equality), and `.model` parses it into the generated model when one
exists, for every field the record does not lift out (one `generated_model` descriptor per record
class, which imports the generated package only when `.model` is first read).

The records are read tolerantly, like the generated models (see `_reading`): a value of the wrong
kind reads as None, a state the vendor adds reads as `ClusterState.UNKNOWN` with its word kept. Only
a missing identifier makes a record unreadable: such an item is left out of a list (and logged once,
at WARNING on `dbcloud.reading`), and a single answer without one is an `APIResponseError`.

Building a record costs a few dictionary lookups (no parse of the generated model, which is only
done when `.model` is asked for), so a list of thousands stays close to the cost of `json.loads`.
"""

from __future__ import annotations

import datetime
import importlib
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Generic, Self, TypeVar, overload

from ._errors import APIResponseError
from ._values import as_bool, as_int

__all__ = [
    "MissingIdentifier",
    "as_bool",
    "as_int",
    "generated_model",
    "identifier",
    "mapping",
    "model_of",
    "number",
    "objects",
    "read_list",
    "read_one",
    "text",
    "texts",
    "when",
]

R = TypeVar("R")
M = TypeVar("M")

_log = logging.getLogger("dbcloud.reading")
_warned: set[tuple[str, str]] = set()


class MissingIdentifier(ValueError):
    """Raised by a record's `from_api` when the answer lacks the field that identifies it."""


def text(value: Any) -> str | None:
    """A non-empty string as is, a number as its text (ids and versions come both ways); else None."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def texts(value: Any) -> tuple[str, ...]:
    """The readable texts of a JSON list (`text` of each item, the others left out); () for a non-list."""
    return tuple(t for t in (text(v) for v in value) if t is not None) if isinstance(value, list) else ()


def objects(value: Any) -> tuple[Mapping[str, Any], ...]:
    """The JSON objects of a JSON list (the other items left out); () for a non-list, so that a
    number or a string where a list belongs reads as empty instead of failing the call."""
    return tuple(v for v in value if isinstance(v, Mapping)) if isinstance(value, list) else ()


def number(value: Any) -> float | None:
    """A number, also from its text; None for anything else (booleans included)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def mapping(value: Any) -> Mapping[str, Any]:
    """`value` when it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


def when(value: Any) -> datetime.datetime | None:
    """An ISO 8601 time (`Z` or an offset; ACM's `YYYY-MM-DD HH:MM:SS` is read as UTC); else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=datetime.UTC)


class _Asked(dict[str, Any]):
    """An answer, with the id its request asked for (used only where the answer leaves it out)."""

    asked_id: str = ""


def identifier(data: Mapping[str, Any], *keys: str) -> str:
    """The first of `keys` that holds an id (text or a number), as text; else the id the request
    asked for, when `read_one` was told it.

    Raises:
        MissingIdentifier: none does.
    """
    for key in keys:
        found = text(data.get(key))
        if found is not None:
            return found
    if isinstance(data, _Asked) and data.asked_id:
        return data.asked_id
    raise MissingIdentifier(f"no {' or '.join(keys)}")


def model_of(path: str, raw: Mapping[str, Any]) -> Any:
    """`raw` parsed by the generated model at `path` ("package.models.module:Class"), tolerantly."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name).from_dict(raw)


class generated_model(Generic[M]):  # lower case, like the `property` it stands in for
    """A record's `.model`: its `.raw` read by a generated model, on each access.

    Declared once per record class, as a class variable (so that the dataclass does not take it for
    a field, and no slot is made for it):

        model: ClassVar[generated_model[ServiceModel]] = generated_model(
            "dbcloud_clickhouse_client.models.service:Service"
        )

    `source` is where the model lives ("package.models.module:Class", read by `model_of`), or, for a
    record whose model depends on more than its class (the deployment that answered, the member of a
    `oneOf`), a function of the record that gives the parsed model. The generated package is imported
    on the first read, never when the record's module is. Like a read-only property, it has a
    docstring (`doc`, else one said from `source`) that `help()` shows, and it cannot be assigned.
    """

    def __init__(self, source: str | Callable[[Any], M], doc: str | None = None) -> None:
        self._source = source
        self._name = "model"
        if doc is None:
            if isinstance(source, str):
                module, _, cls = source.partition(":")
                doc = f"The answer (`.raw`) read by the generated `{cls}` model (`{module}`)."
            else:
                doc = "The answer (`.raw`) read by its generated model."
        self.__doc__ = doc

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"generated_model({self._source!r})"

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> Self: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> M: ...

    def __get__(self, instance: Any, owner: type[Any] | None = None) -> Self | M:
        if instance is None:
            return self  # on the class: the descriptor itself (help(), introspection)
        if isinstance(self._source, str):
            parsed: M = model_of(self._source, instance.raw)
            return parsed
        return self._source(instance)

    def __set__(self, instance: object, value: Any) -> None:
        # A data descriptor, as a read-only property is (help() lists it among the attributes).
        raise AttributeError(f"{type(instance).__name__}.{self._name} is read from .raw; it cannot be set")


def read_one(
    build: Callable[[Mapping[str, Any]], R], data: Any, *, what: str, vendor: str, asked_id: str | None = None
) -> R:
    """One record from an answer.

    Args:
        build: the record's `from_api`.
        data: the answer's data.
        what: the record, for messages ("a cluster").
        vendor: the vendor, for messages.
        asked_id: the id the request named (a get): the record's id when the answer leaves it out,
            since a missing "required" field must not fail the call.

    Raises:
        APIResponseError: the answer is not a JSON object, or lacks an identifier nobody asked for.
    """
    if not isinstance(data, Mapping):
        raise APIResponseError(f"{vendor} answered {what} with a {type(data).__name__}, not an object")
    try:
        return build(data)
    except MissingIdentifier as exc:
        if asked_id:
            asked = _Asked(data)
            asked.asked_id = asked_id
            return build(asked)
        raise APIResponseError(f"{vendor} answered {what} without its identifier ({exc})") from None


def read_list(
    build: Callable[[Mapping[str, Any]], R], items: Iterable[Any], *, what: str, vendor: str
) -> list[R]:
    """The records of a list answer; an item that is not an object or lacks its id is left out."""
    records: list[R] = []
    for item in items:
        if isinstance(item, Mapping):
            try:
                records.append(build(item))
                continue
            except MissingIdentifier as exc:
                reason = str(exc)
        else:
            reason = f"a {type(item).__name__}, not an object"
        key = (vendor, what)
        if key not in _warned:
            _warned.add(key)
            _log.warning(
                "%s listed %s with an item that cannot be read (%s); it is left out", vendor, what, reason
            )
    return records
