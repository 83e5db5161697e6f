"""An operation checked against the schema before it runs (the operation chosen, its fields,
arguments, variables and selections validated), and answers projected onto the selection."""

from __future__ import annotations

import difflib
import functools
from typing import Any

from ._coerce import _fits, _variables_used
from ._graphql import _Field, _invalid, _Operation, _parse, _Type, _Var
from ._schema import _SCALARS, _fields, _input_types, _is_object, _model, _schema

# --- output selection ----------------------------------------------------------------------------


def _check_selection(wanted: _Type, selections: list[_Field] | None, where: str) -> None:
    name = wanted.named
    if not _is_object(name):
        if selections is not None:
            raise _invalid(
                f'Field "{where}" must not have a selection since type "{wanted}" has no subfields.'
            )
        return
    if selections is None:
        raise _invalid(f'Field "{where}" of type "{wanted}" must have a selection of subfields.')
    cls = _model(name)
    assert cls is not None
    fields = _fields(cls)
    for selected in selections:
        if selected.arguments:
            unknown = next(iter(selected.arguments))
            raise _invalid(f'Unknown argument "{unknown}" on field "{name}.{selected.name}".')
        if selected.name == "__typename":
            if selected.selections is not None:
                raise _invalid(
                    'Field "__typename" must not have a selection since type "String!" has no subfields.'
                )
            continue
        if selected.name not in fields:
            close = difflib.get_close_matches(selected.name, list(fields), n=1, cutoff=0.7)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            raise _invalid(f'Cannot query field "{selected.name}" on type "{name}".{hint}')
        _check_selection(fields[selected.name].type, selected.selections, selected.name)


def _project(value: Any, wanted: _Type, selections: list[_Field] | None) -> Any:
    """The part of a full answer that the selection asks for, under its response keys."""
    if value is None or selections is None:
        return value
    if wanted.item is not None:
        return [_project(item, wanted.item, selections) for item in value]
    cls = _model(wanted.name)
    assert cls is not None
    fields = _fields(cls)
    out: dict[str, Any] = {}
    for selected in selections:
        if selected.name == "__typename":
            out[selected.key] = wanted.name
        else:
            out[selected.key] = _project(
                value.get(selected.name), fields[selected.name].type, selected.selections
            )
    return out


# --- operations ----------------------------------------------------------------------------------


def _choose_operation(document: str, operation_name: str | None) -> _Operation:
    operations = _parse(document)
    if operation_name is not None:
        chosen = [op for op in operations if op.name == operation_name]
        if not chosen:
            raise _invalid(f'Unknown operation named "{operation_name}".')
        return chosen[0]
    if len(operations) > 1:
        raise _invalid("Must provide operation name if query contains multiple operations.")
    return operations[0]


def _validate(operation: _Operation) -> None:
    """GraphQL validation, for what the emulator reads: fields, arguments, variables."""
    if operation.kind == "subscription":
        raise _invalid("The Anywhere schema has no subscriptions.")
    schema = _schema()
    used: set[str] = set()
    parent = operation.kind.capitalize()
    for selected in operation.selections:
        if selected.name == "__typename":
            continue
        root = schema.get(selected.name)
        if root is None or root.kind != operation.kind:
            close = difflib.get_close_matches(
                selected.name, [n for n, r in schema.items() if r.kind == operation.kind], n=1
            )
            hint = f' Did you mean "{close[0]}"?' if close else ""
            raise _invalid(f'Cannot query field "{selected.name}" on type "{parent}".{hint}')
        for argument, value in selected.arguments.items():
            wanted = root.arguments.get(argument)
            if wanted is None:
                raise _invalid(f'Unknown argument "{argument}" on field "{parent}.{root.name}".')
            if isinstance(value, _Var):
                definition = operation.variables.get(value.name)
                if definition is None:
                    raise _invalid(f'Variable "${value.name}" is not defined.')
                if not _fits(definition.type, wanted, definition.has_default):
                    raise _invalid(
                        f'Variable "${value.name}" of type "{definition.type}" used in position '
                        f'expecting type "{wanted}".'
                    )
            for name in _variables_used(value):
                if name not in operation.variables:
                    raise _invalid(f'Variable "${name}" is not defined.')
            used |= _variables_used(value)
        for argument, wanted in root.arguments.items():
            if not wanted.nullable and argument not in selected.arguments:
                raise _invalid(
                    f'Field "{root.name}" argument "{argument}" of type "{wanted}" is required, '
                    "but it was not provided."
                )
        _check_selection(root.result, selected.selections, root.name)
    for name, definition in operation.variables.items():
        named = definition.type.named
        if named not in _SCALARS and named not in _input_types():
            raise _invalid(f'Variable "${name}" cannot be non-input type "{definition.type}".')
        if name not in used:
            raise _invalid(f'Variable "${name}" is never used.')


@functools.lru_cache(maxsize=256)
def _prepared(document: str, operation_name: str | None) -> _Operation:
    """The operation to run, validated (cached: the facade sends the same few documents)."""
    operation = _choose_operation(document, operation_name)
    _validate(operation)
    return operation
