"""The schema the Anywhere emulator answers to, read from the generated client: each root field's
arguments from its document in `dbcloud_anywhere_client.operations`, every type from the
dataclasses of `models`."""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass
from typing import Any

from ._graphql import _parse, _Parser, _Type

# --- the schema, from the generated models and documents -----------------------------------------

_SCALARS: dict[str, tuple[type, ...]] = {
    "String": (str,),
    "ID": (str, int),
    "Sensitive": (str,),
    "Int": (int,),
    "Float": (int, float),
    "Boolean": (bool,),
}
_PY_SCALARS = {str: "String", int: "Int", float: "Float", bool: "Boolean"}


@dataclass(frozen=True)
class _FieldInfo:
    type: _Type
    required: bool  # an input field without a default (a non-null one)


def _type_of_hint(hint: Any) -> _Type:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or (args and type(None) in args):
        inner = [a for a in args if a is not type(None)]
        return dataclasses.replace(_type_of_hint(inner[0]), nullable=True)
    if origin is list:
        return _Type("", False, _type_of_hint(args[0]))
    if hint in _PY_SCALARS:
        return _Type(_PY_SCALARS[hint], False)
    return _Type(hint.__name__, False)


@functools.cache
def _model(name: str) -> type[Any] | None:
    """The model class (an object, input or enum type) of a GraphQL type name."""
    from dbcloud_anywhere_client.codec import model_class

    if name in _SCALARS:
        return None
    try:
        return model_class(name)
    except KeyError:
        return None


_FIELDS: dict[type[Any], dict[str, _FieldInfo]] = {}


def _fields(cls: type[Any]) -> dict[str, _FieldInfo]:
    """A model's fields by GraphQL name (computed once per model)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = _read_fields(cls)
    return found


def _read_fields(cls: type[Any]) -> dict[str, _FieldInfo]:
    from dbcloud_anywhere_client.names import FIELD_NAMES

    renamed = FIELD_NAMES.get(cls.__name__, {})
    hints = typing.get_type_hints(cls)
    return {
        renamed.get(f.name, f.name): _FieldInfo(
            _type_of_hint(hints[f.name]),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    }


def _is_object(name: str) -> bool:
    cls = _model(name)
    return cls is not None and dataclasses.is_dataclass(cls)


@dataclass(frozen=True)
class _RootField:
    name: str
    kind: str  # query or mutation
    arguments: dict[str, _Type]
    result: _Type


@functools.cache
def _schema() -> dict[str, _RootField]:
    """Every root field: its arguments (from its generated document) and its result type."""
    from dbcloud_anywhere_client.operations import OPERATIONS, RESULT_TYPES

    fields: dict[str, _RootField] = {}
    for name, operation in OPERATIONS.items():
        (parsed,) = _parse(operation.document)
        (root,) = parsed.selections
        arguments = {arg: parsed.variables[value.name].type for arg, value in root.arguments.items()}
        result = _Parser(RESULT_TYPES[name])._type()
        fields[name] = _RootField(name, operation.kind, arguments, result)
    return fields


@functools.cache
def _input_types() -> frozenset[str]:
    """The input object and enum types: those reachable from the root fields' arguments."""
    found: set[str] = set()
    pending = [t.named for root in _schema().values() for t in root.arguments.values()]
    while pending:
        name = pending.pop()
        if name in found or name in _SCALARS:
            continue
        found.add(name)
        cls = _model(name)
        if cls is not None and dataclasses.is_dataclass(cls):
            pending += [info.type.named for info in _fields(cls).values()]
    return frozenset(found)
