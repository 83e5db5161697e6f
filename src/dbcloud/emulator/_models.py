"""Build and check JSON with the generated attrs models, so the emulator needs no vendor spec.

The generated models carry what the emulator needs: required fields (attributes without a default),
types (annotation strings such as `"int | Unset"` or `"list[Node] | Unset"`), enums and wire names
(`to_dict`). Synthesized values are minimal and deterministic: only required fields, each with
the simplest value of its type.
"""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import re
import uuid
from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs

from .._reading import SpecMismatchError

__all__ = ["RequestBodyError", "loosen_scalars", "model_class", "parse_body", "synthesize"]

_LITERAL = re.compile(r"^Literal\[(.+)\]$")
_LIST = re.compile(r"^list\[(.+)\]$")


class RequestBodyError(ValueError):
    """A request body the model refuses: the message says what is wrong."""


def model_class(dotted: str) -> type:
    """`package.models.module.Class` → the class (imported on first use)."""
    module, _, name = dotted.rpartition(".")
    cls: type = getattr(importlib.import_module(module), name)
    return cls


def _split_union(annotation: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in annotation:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


@cache
def _models_index(package: str) -> Mapping[str, str]:
    """Class name → module of every model of a generated package (from its lazy `models` index)."""
    models = importlib.import_module(f"{package}.models")
    index: Mapping[str, str] = getattr(models, "_MODULES", {})
    return index


def _resolve(name: str, owner: type) -> Any:
    module = importlib.import_module(owner.__module__)
    found = getattr(module, name, None)
    if found is not None:
        return found
    package = owner.__module__.split(".models.")[0]
    target = _models_index(package).get(name)
    if target is None:
        return None
    return getattr(importlib.import_module(target, f"{package}.models"), name)


def _value(annotation: str, owner: type, seed: str) -> Any:
    members = [m for m in _split_union(annotation) if m not in ("Unset", "None")]
    if not members:
        return None
    first = members[0]
    literal = _LITERAL.match(first)
    if literal:
        return eval(literal.group(1).split(",")[0], {})  # noqa: S307 - a literal from generated code
    if _LIST.match(first) or first.startswith("list"):
        return []
    simple: dict[str, Any] = {
        "str": "example",
        "int": 1,
        "float": 0.0,
        "bool": False,
        "Any": {},
        "datetime.datetime": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "datetime.date": dt.date(2026, 1, 1),
        "UUID": uuid.uuid5(uuid.NAMESPACE_URL, seed),
    }
    if first in simple:
        return simple[first]
    if first.startswith("dict") or first.startswith("Mapping"):
        return {}
    target = _resolve(first, owner)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return next(iter(target))
    if isinstance(target, type) and attrs.has(target):
        return _instance(target, seed)
    return None


def _instance(cls: type, seed: str) -> Any:
    values = {}
    for field in attrs.fields(cls):
        if field.default is attrs.NOTHING and field.init:
            values[field.name] = _value(str(field.type), cls, f"{seed}.{field.name}")
    return cls(**values)


def synthesize(model: type, overrides: Mapping[str, Any] | None = None, *, seed: str = "") -> dict[str, Any]:
    """A minimal JSON object valid for `model` (required fields only), with `overrides` merged in.

    `overrides` are in the wire's own field names and replace what was synthesized.
    """
    data: dict[str, Any] = _instance(model, seed or model.__name__).to_dict()
    if overrides:
        data.update(overrides)
    return data


@cache
def _wire_names(cls: type) -> frozenset[str] | None:
    """The JSON keys a model knows, or None when it accepts any (it keeps additional properties)."""
    names = {f.name for f in attrs.fields(cls)}
    if "additional_properties" in names:
        return None
    full = {}
    for field in attrs.fields(cls):
        if field.init:
            full[field.name] = _value(str(field.type), cls, field.name)
    try:
        return frozenset(cls(**full).to_dict())
    except (TypeError, ValueError, AttributeError):
        return None


_INT_TEXT = re.compile(r"^-?\d+$")
_BOOL_TEXT = {"true": True, "false": False}


def loosen_scalars(model: type, data: Any) -> Any:
    """A JSON body with its top-level numbers and booleans sent as text ("3", "true") typed where
    the model says so, as servers that read loosely (ACM) do; anything else is left as sent."""
    table = getattr(model, "_dbcloud_fields", None)
    if not isinstance(data, dict) or table is None:
        return data
    kinds = {wire: kind for _, wire, _, kind in table.fields}
    loose = dict(data)
    for wire, value in data.items():
        kind = kinds.get(wire)
        if not isinstance(value, str):
            continue
        if kind == "int" and _INT_TEXT.match(value.strip()):
            loose[wire] = int(value)
        elif kind == "bool" and value.strip().lower() in _BOOL_TEXT:
            loose[wire] = _BOOL_TEXT[value.strip().lower()]
    return loose


def parse_body(model: type, data: Any) -> Any:
    """Check a JSON body against a model: an object, required fields, known fields, simple types.

    Raises:
        RequestBodyError: what is wrong, in words a client developer can act on.
    """
    if not isinstance(data, dict):
        raise RequestBodyError(f"the body must be a JSON object, got {type(data).__name__}")
    known = _wire_names(model)
    if known is not None:
        unknown = sorted(set(data) - known)
        if unknown:
            raise RequestBodyError(f"unknown field(s) {unknown}")
    try:
        # Strictly, as a server checks what it is sent (clients read answers tolerantly).
        instance = model.from_dict(data, strict=True)  # type: ignore[attr-defined]
    except SpecMismatchError as exc:
        if exc.missing:
            raise RequestBodyError(f"missing required field {'.'.join(exc.path)!r}") from None
        raise RequestBodyError(f"invalid value: {exc}") from None
    _check_types(instance, "")
    return instance


def _check_types(obj: Any, where: str) -> None:
    if not attrs.has(type(obj)):
        return
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        kinds = set(_split_union(str(field.type)))
        path = f"{where}{field.name}"
        if type(value).__name__ == "Unset" or value is None:
            continue
        if attrs.has(type(value)):
            _check_types(value, f"{path}.")
        elif isinstance(value, list):
            if not any(kind.startswith("list") for kind in kinds):
                raise RequestBodyError(f"{path} must not be a list")
            for item in value:
                _check_types(item, f"{path}[].")
        elif isinstance(value, dict) and kinds <= {"str", "int", "float", "bool", "Unset", "None"}:
            raise RequestBodyError(f"{path} must not be an object")
        elif kinds <= {"str", "Unset", "None"} and not isinstance(value, str):
            raise RequestBodyError(f"{path} must be a string")
        elif kinds <= {"int", "Unset", "None"} and (isinstance(value, bool) or not isinstance(value, int)):
            raise RequestBodyError(f"{path} must be an integer")
        elif kinds <= {"bool", "Unset", "None"} and not isinstance(value, bool):
            raise RequestBodyError(f"{path} must be true or false")
        elif kinds <= {"float", "int", "Unset", "None"} and (
            isinstance(value, bool) or not isinstance(value, int | float)
        ):
            raise RequestBodyError(f"{path} must be a number")
