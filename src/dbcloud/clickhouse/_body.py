"""Request bodies from Python keyword arguments, checked against the generated model before sending.

Facade methods take snake_case keywords (`ip_access_list=`, `threshold_type=`); the API's names are
camelCase (`ipAccessList`, `thresholdType`). Nested objects are given as dicts in the API's own
names and go out as given. `build_body` renames, turns Python values into JSON ones, and parses the
result with the operation's generated request model, so that an unknown field, a missing required
one or a value outside an enum is refused with a `ValidationError` before anything is sent.

What is sent is the caller's JSON, in the order given, not the model's `to_dict()`: the model would
rewrite timestamps ("Z" → "+00:00") and reorder keys, and a documented example should leave the
facade byte for byte as the vendor wrote it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from .._errors import ValidationError
from .._reading import SpecMismatchError
from .._secret import Secret

__all__ = ["build_body", "require_some", "to_json", "wire_name"]


def wire_name(name: str) -> str:
    """A snake_case argument name as the API's camelCase field name (camelCase passes through)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_json(value: Any, *, field: str = "value") -> Any:
    """A Python value as JSON: enums by value, UUIDs as text, times as ISO 8601, models as dicts.

    Raises:
        ValidationError: the value cannot be sent as JSON, or a datetime has no time zone.
    """
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value, field=field)
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValidationError(f"{field} must carry a time zone (the API reads ISO 8601)", field=field)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): to_json(v, field=f"{field}[{k!r}]") for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [to_json(v, field=f"{field}[{i}]") for i, v in enumerate(value)]
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # a generated model
        return to_dict()
    raise ValidationError(f"{field}: a {type(value).__name__} cannot be sent as JSON", field=field)


def build_body(model: type[Any], fields: Mapping[str, Any], *, what: str) -> tuple[Any, dict[str, Any]]:
    """The request body for `fields`: the parsed model (for the generated operation) and the JSON to send.

    Args:
        model: the operation's generated request model.
        fields: argument name (snake_case or the API's own) to value; None values are left out.
        what: the request, for messages ("service creation").

    Returns:
        (model instance, JSON object in the API's names, in the order given).

    Raises:
        ValidationError: a field is unknown, given twice, missing, or of the wrong kind or value.
    """
    wire: dict[str, Any] = {}
    given: dict[str, str] = {}
    for name, value in fields.items():
        if value is None:
            continue
        key = wire_name(name)
        if key in wire:
            raise ValidationError(f"{given[key]} and {name} name the same field {key!r}", field=name)
        given[key] = name
        wire[key] = to_json(value, field=name)
    builder: Any = model
    try:
        # Strictly: what we send must be what the spec describes (answers are read tolerantly).
        parsed = builder.from_dict(wire, strict=True)
    except SpecMismatchError as exc:
        if exc.missing and exc.path:
            where = ".".join(_snake(part) for part in exc.path)
            raise ValidationError(f"{what} needs {where} ({'.'.join(exc.path)!r})", field=where) from None
        field = given.get(exc.field or "")
        raise ValidationError(f"invalid {what}: {exc}", field=field) from None
    extra = getattr(parsed, "additional_properties", {}) or {}
    known = set(parsed.to_dict()) - set(extra)
    unknown = [given[key] for key in wire if key not in known]
    if unknown:
        declared = sorted(f.name for f in attrs.fields(type(parsed)) if f.name != "additional_properties")
        close = difflib.get_close_matches(_snake(unknown[0]), declared, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValidationError(
            f"{', '.join(unknown)}: not a field of {what} ({hint}it takes: {', '.join(declared)})",
            field=unknown[0],
        )
    return parsed, wire


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def require_some(fields: Mapping[str, Any], *, what: str) -> None:
    """Refuse an update that would change nothing.

    Raises:
        ValidationError: every field is None.
    """
    if all(value is None for value in fields.values()):
        raise ValidationError(f"{what}: nothing to change; give at least one field")
