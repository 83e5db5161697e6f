"""Input coercion: variables and arguments checked against their GraphQL types, literals with
their variables put in, and whether a variable fits the argument it is used for."""

from __future__ import annotations

import difflib
import enum
import json
from collections.abc import Mapping
from typing import Any

from ._graphql import _EnumLiteral, _Type, _Var
from ._schema import _SCALARS, _fields, _input_types, _model

# --- input coercion ------------------------------------------------------------------------------


class _InputError(ValueError):
    pass


def _coerce(value: Any, wanted: _Type, where: str) -> Any:
    """A JSON input value checked against its GraphQL type (GraphQL's input coercion rules)."""
    if value is None:
        if not wanted.nullable:
            raise _InputError(f'{where}: Expected non-nullable type "{wanted}" not to be null.')
        return None
    if wanted.item is not None:
        items = value if isinstance(value, list) else [value]  # one value stands for a list of one
        return [_coerce(item, wanted.item, f"{where}[{i}]") for i, item in enumerate(items)]
    name = wanted.name
    if name in _SCALARS:
        return _scalar(value, name, where)
    cls = _model(name)
    if cls is None or name not in _input_types():
        raise _InputError(f'{where}: "{name}" is not an input type.')
    if issubclass(cls, enum.Enum):
        if isinstance(value, str) and value in {m.value for m in cls}:
            return value
        shown = json.dumps(value) if isinstance(value, str) and len(value) <= 64 else f"a {_json_type(value)}"
        raise _InputError(f'{where}: Value {shown} does not exist in "{name}" enum.')
    if not isinstance(value, dict):
        raise _InputError(f'{where}: Expected type "{name}" to be an object.')
    fields = _fields(cls)
    for key in value:
        if key not in fields:
            close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.7)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            raise _InputError(f'{where}: Field "{key}" is not defined by type "{name}".{hint}')
    out: dict[str, Any] = {}
    for key, info in fields.items():
        if key in value:
            out[key] = _coerce(value[key], info.type, f"{where}.{key}")
        elif info.required:
            raise _InputError(f'{where}: Field "{key}" of required type "{info.type}" was not provided.')
    return out


def _scalar(value: Any, name: str, where: str) -> Any:
    # Messages name the JSON type, never the value: it may be a password or a token.
    if isinstance(value, bool) and name != "Boolean":
        raise _InputError(f"{where}: {name} cannot represent a boolean")
    if name == "Int" and isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, _SCALARS[name]):
        raise _InputError(f"{where}: {name} cannot represent a {_json_type(value)}")
    if name == "Int" and isinstance(value, int) and not -(2**31) <= value < 2**31:
        raise _InputError(f"{where}: Int cannot represent a number outside the 32-bit range")
    if name == "Float" and isinstance(value, int | float):
        return float(value)
    return str(value) if name == "ID" else value


def _json_type(value: Any) -> str:
    kinds = ((str, "string"), (bool, "boolean"), (int, "integer"), (float, "number"), (list, "list"))
    return next((word for cls, word in kinds if isinstance(value, cls)), "object")


def _literal(value: Any, variables: Mapping[str, Any]) -> Any:
    """An argument's value with its variables put in."""
    if isinstance(value, _Var):
        return variables.get(value.name)
    if isinstance(value, _EnumLiteral):
        return value.value
    if isinstance(value, list):
        return [_literal(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: _literal(item, variables) for key, item in value.items()}
    return value


def _variables_used(value: Any) -> set[str]:
    if isinstance(value, _Var):
        return {value.name}
    found: set[str] = set()
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        found |= _variables_used(item)
    return found


def _fits(variable: _Type, argument: _Type, has_default: bool) -> bool:
    """May a variable of this type be used where the argument's type is expected?"""
    if not argument.nullable and variable.nullable and not has_default:
        return False
    if (variable.item is None) != (argument.item is None):
        return False
    if variable.item is not None and argument.item is not None:
        return _fits(variable.item, argument.item, False)
    return variable.name == argument.name
