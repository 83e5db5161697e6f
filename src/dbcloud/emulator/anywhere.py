"""Emulated Altinity.Cloud Anywhere: the GraphQL API at `/anywhere/api/v1/graphql`.

There is no route table for GraphQL, and no GraphQL library at runtime (the `emulator` extra is
only uvicorn). The emulator reads just the GraphQL it needs: operations with variables, fields,
aliases, arguments (variables or literals) and `__typename`; fragments and directives are refused
as GRAPHQL_VALIDATION_FAILED, naming the limitation. The schema it answers to is the
generated client's: each root field's arguments are read from its document in
`dbcloud_anywhere_client.operations`, every type from the dataclasses of `models`, and answers are
built with those models and the generated codec. So the facade's generated documents, and any
document selecting less of the same fields, are answered exactly as selected.

State: environments of the six kinds (AWS, Altinity-hosted AWS, Azure, GCP, HCloud, Kubernetes),
created, listed, looked up, updated (MERGE or REPLACE), deleted, and described as Terraform code.
Their status follows the emulated clock: `appliedSpecRevision` catches up with `specRevision`
`PROVISION_SECONDS` after a create and `UPDATE_SECONDS` after an update; `fail_next_launch` makes
the next create end with an error in its status instead.

How errors are answered (the vendor documents none of this; the GraphQL-over-HTTP rules for
`application/json` answers are followed, and each choice is one the facade maps):

- a missing or wrong `Authorization: Bearer` token: HTTP 401 with `UNAUTHENTICATED` (a token check
  in front of the GraphQL handler, as bearer-token middleware does);
- a body that is not a GraphQL request (not JSON, no `query`, ...), a method other than POST, an
  unknown path: HTTP 400 / 405 / 404, with a GraphQL `errors` list;
- a document that does not parse (`GRAPHQL_PARSE_FAILED`) or does not fit the schema
  (`GRAPHQL_VALIDATION_FAILED`), variables that do not fit their types (`BAD_USER_INPUT`): HTTP 200,
  no `data` (the request never ran);
- errors while running a field (`NOT_FOUND`, `CONFLICT`, `BAD_USER_INPUT`): HTTP 200, `data: null`
  (every root field but the look-ups is non-null), with the field's `path`.
"""

from __future__ import annotations

import dataclasses
import difflib
import enum
import functools
import hashlib
import hmac
import ipaddress
import json
import re
import threading
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._clock import EmulatedClock
from ._http import EmuRequest, EmuResponse, json_response
from ._ids import IdSource

__all__ = ["DELETE_SECONDS", "GRAPHQL_PATH", "PROVISION_SECONDS", "UPDATE_SECONDS", "EmulatedAnywhere"]

GRAPHQL_PATH = "/api/v1/graphql"
PROVISION_SECONDS = 600.0  # emulated seconds from a create to its spec being applied
UPDATE_SECONDS = 120.0  # ... from an update to its revision being applied
DELETE_SECONDS = 300.0  # ... from a (non-forced) delete to the environment being gone

# Environment names are DNS labels here (they become host names). Assumption: the SDL only says
# "globally-unique"; this also keeps `../` and control characters out of names.
_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}


class _GraphQLError(Exception):
    """An error to report in the answer's `errors` list, with its `extensions.code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _parse_failed(message: str) -> _GraphQLError:
    return _GraphQLError("GRAPHQL_PARSE_FAILED", f"Syntax Error: {message}")


def _invalid(message: str) -> _GraphQLError:
    return _GraphQLError("GRAPHQL_VALIDATION_FAILED", message)


# --- reading GraphQL documents -------------------------------------------------------------------


@dataclass(frozen=True)
class _Type:
    """A GraphQL type reference: a named type (`name`) or a list of `item`; `!` when not nullable."""

    name: str
    nullable: bool = True
    item: _Type | None = None

    def __str__(self) -> str:
        text = f"[{self.item}]" if self.item is not None else self.name
        return text if self.nullable else text + "!"

    @property
    def named(self) -> str:
        return self.item.named if self.item is not None else self.name


@dataclass(frozen=True)
class _Var:
    name: str


@dataclass(frozen=True)
class _EnumLiteral:
    value: str


@dataclass
class _Field:
    name: str
    alias: str | None
    arguments: dict[str, Any]  # literal values, with `_Var` and `_EnumLiteral` inside
    selections: list[_Field] | None

    @property
    def key(self) -> str:
        return self.alias or self.name


@dataclass
class _VariableDefinition:
    type: _Type
    default: Any = None
    has_default: bool = False


@dataclass
class _Operation:
    kind: str
    name: str | None
    variables: dict[str, _VariableDefinition]
    selections: list[_Field]


_TOKENS = re.compile(
    r"""
    (?P<skip>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<spread>\.\.\.)
  | (?P<block>\"\"\"(?:\\\"\"\"|(?!\"\"\")[\s\S])*\"\"\")
  | (?P<string>"(?:\\.|[^"\\\n\r])*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<punct>[!$&():=@\[\]{}|])
  | (?P<bad>.)
    """,
    re.VERBOSE,
)


class _Parser:
    """A recursive-descent reader of executable GraphQL documents (no fragments, no directives)."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        for match in _TOKENS.finditer(text):
            kind = match.lastgroup or "bad"
            if kind == "bad":
                raise _parse_failed(f"unexpected character {match.group()!r}")
            if kind != "skip":
                self.tokens.append((kind, match.group()))
        self.index = 0

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("eof", "")

    def _at(self, text: str) -> bool:
        kind, value = self._peek()
        return value == text and kind in ("punct", "spread")

    def _take(self, text: str | None = None, kind: str | None = None) -> str:
        found_kind, value = self._peek()
        if (text is not None and (value != text or found_kind not in ("punct", "name"))) or (
            kind is not None and found_kind != kind
        ):
            wanted = text or kind
            got = "end of document" if found_kind == "eof" else repr(value)
            raise _parse_failed(f"expected {wanted}, found {got}")
        self.index += 1
        return value

    def document(self) -> list[_Operation]:
        operations: list[_Operation] = []
        while self._peek()[0] != "eof":
            kind, value = self._peek()
            if self._at("{"):
                operations.append(_Operation("query", None, {}, self._selection_set()))
            elif kind == "name" and value in ("query", "mutation", "subscription"):
                self.index += 1
                operations.append(self._operation(value))
            elif kind == "name" and value == "fragment":
                raise _invalid("The emulator does not support fragments; select the fields directly.")
            else:
                raise _parse_failed(f"unexpected {value!r}")
        if not operations:
            raise _parse_failed("the document holds no operation")
        return operations

    def _operation(self, kind: str) -> _Operation:
        name = self._take(kind="name") if self._peek()[0] == "name" else None
        variables: dict[str, _VariableDefinition] = {}
        if self._at("("):
            self._take("(")
            while not self._at(")"):
                self._take("$")
                variable = self._take(kind="name")
                self._take(":")
                definition = _VariableDefinition(self._type())
                if self._at("="):
                    self._take("=")
                    definition.default, definition.has_default = self._value(), True
                if variable in variables:
                    raise _invalid(f'There can be only one variable named "${variable}".')
                variables[variable] = definition
            self._take(")")
        self._no_directives()
        return _Operation(kind, name, variables, self._selection_set())

    def _type(self) -> _Type:
        if self._at("["):
            self._take("[")
            found = _Type("", True, self._type())
            self._take("]")
        else:
            found = _Type(self._take(kind="name"))
        if self._at("!"):
            self._take("!")
            found = dataclasses.replace(found, nullable=False)
        return found

    def _no_directives(self) -> None:
        if self._at("@"):
            raise _invalid("The emulator does not support directives.")

    def _selection_set(self) -> list[_Field]:
        self._take("{")
        fields: list[_Field] = []
        while not self._at("}"):
            if self._at("..."):
                raise _invalid("The emulator does not support fragments; select the fields directly.")
            fields.append(self._field())
        self._take("}")
        if not fields:
            raise _parse_failed("a selection set needs at least one field")
        return fields

    def _field(self) -> _Field:
        name = self._take(kind="name")
        alias = None
        if self._at(":"):
            self._take(":")
            alias, name = name, self._take(kind="name")
        arguments: dict[str, Any] = {}
        if self._at("("):
            self._take("(")
            while not self._at(")"):
                argument = self._take(kind="name")
                self._take(":")
                if argument in arguments:
                    raise _invalid(f'There can be only one argument named "{argument}".')
                arguments[argument] = self._value()
            self._take(")")
        self._no_directives()
        selections = self._selection_set() if self._at("{") else None
        return _Field(name, alias, arguments, selections)

    def _value(self) -> Any:
        kind, value = self._peek()
        if self._at("$"):
            self._take("$")
            return _Var(self._take(kind="name"))
        if self._at("["):
            self._take("[")
            items = []
            while not self._at("]"):
                items.append(self._value())
            self._take("]")
            return items
        if self._at("{"):
            self._take("{")
            fields: dict[str, Any] = {}
            while not self._at("}"):
                key = self._take(kind="name")
                self._take(":")
                fields[key] = self._value()
            self._take("}")
            return fields
        self.index += 1
        if kind == "string":
            try:
                return json.loads(value)
            except ValueError:
                raise _parse_failed(f"invalid string {value}") from None
        if kind == "block":
            return _block_string(value[3:-3])
        if kind == "number":
            return float(value) if any(c in value for c in ".eE") else int(value)
        if kind == "name":
            return {"true": True, "false": False, "null": None}.get(value, _EnumLiteral(value))
        raise _parse_failed(f"expected a value, found {value or 'end of document'!r}")


def _block_string(raw: str) -> str:
    lines = raw.replace('\\"""', '"""').splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    cut = min(indents, default=0)
    lines = lines[:1] + [line[cut:] for line in lines[1:]]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


@functools.lru_cache(maxsize=256)
def _parse(document: str) -> list[_Operation]:
    """The operations of a document (cached: the facade sends the same few documents)."""
    try:
        return _Parser(document).document()
    except RecursionError:
        raise _parse_failed("the document is nested too deeply") from None


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


# --- environments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    """One environment kind: its GraphQL type and root fields, and its Terraform resource."""

    label: str
    type: str  # the GraphQL object type of the environment ("AWSEnv")
    list: str
    get: str
    has_code_gen: bool
    terraform: str  # the resource type of the altinitycloud Terraform provider

    @property
    def create(self) -> str:
        return f"create{self.type}"

    @property
    def update(self) -> str:
        return f"update{self.type}"

    @property
    def delete(self) -> str:
        return f"delete{self.type}"

    @property
    def code_gen(self) -> str | None:
        return f"codeGen{self.type}" if self.has_code_gen else None

    @property
    def spec_type(self) -> str:
        return _fields(_require_model(self.type))["spec"].type.named

    @property
    def status_type(self) -> str:
        return _fields(_require_model(self.type))["status"].type.named


_KINDS = (
    _Kind("AWS environment", "AWSEnv", "awsEnvs", "awsEnv", True, "altinitycloud_env_aws"),
    _Kind("Altinity-hosted AWS environment", "AWSEnvHosted", "awsEnvsHosted", "awsEnvHosted", False, ""),
    _Kind("Azure environment", "AzureEnv", "azureEnvs", "azureEnv", True, "altinitycloud_env_azure"),
    _Kind("GCP environment", "GCPEnv", "gcpEnvs", "gcpEnv", True, "altinitycloud_env_gcp"),
    _Kind("HCloud environment", "HCloudEnv", "hcloudEnvs", "hcloudEnv", True, "altinitycloud_env_hcloud"),
    _Kind("Kubernetes environment", "K8SEnv", "k8sEnvs", "k8sEnv", True, "altinitycloud_env_k8s"),
)


def _require_model(name: str) -> type[Any]:
    cls = _model(name)
    if cls is None:
        raise KeyError(f"no model for {name}")
    return cls


@dataclass
class _Env:
    kind: _Kind
    name: str
    spec: dict[str, Any]  # the full spec, as JSON in GraphQL names
    changed_at: float  # when the current revision was asked for
    revision: int = 1
    applied: int = 0
    fails: bool = False  # the current revision ends with an error instead of being applied
    deleted_at: float | None = None


@dataclass
class _Context:
    """What defaults inside a spec derive from (the SDL: "defaults to environment zones", ...)."""

    region: str = ""
    zones: list[str] = field(default_factory=list)
    account: str = ""


# Defaults the SDL documents for fields a create leaves out, by GraphQL field name and by
# (type, field). The rest default to the empty value of their type.
_DEFAULTS: dict[str, Any] = {
    "sourceIPRanges": ["0.0.0.0/0"],
    "crossZone": True,
    "loadBalancingStrategy": "ZONE_BEST_EFFORT",
    "domain": "datadoghq.com",
    "aksSKUTier": "FREE",
    "aksSupportPolicy": "STANDARD",
    "mode": "STANDARD",
    "ha": True,
    "reservations": ["CLICKHOUSE", "SYSTEM", "ZOOKEEPER"],
    "storageClass": "",  # "empty when the environment default is used"
    "resourcePrefix": "altinity",  # assumption: the SDL gives no default
    "size": 100,  # assumption: GiB of a volume created without a size
    "iops": 3000,  # assumption: gp3's baseline
    "throughput": 125,  # assumption: gp3's baseline
    "lengthInHours": 4,  # assumption
}
_TYPE_DEFAULTS: dict[tuple[str, str], Any] = {
    ("MaintenanceWindowSpec", "enabled"): True,  # "True by default."
    ("ClickHouseDiskSpec", "name"): "default",  # "named `default`"
}


def _build(cls: type[Any], given: Mapping[str, Any] | None, ctx: _Context) -> dict[str, Any]:
    """A complete JSON object of output type `cls`: the values given, defaults for the rest.

    Input objects map onto output objects by field name; input-only fields (passwords, tokens, the
    `...ToDelete` lists) are dropped, so a secret never reaches an answer.
    """
    given = given or {}
    out: dict[str, Any] = {}
    for wire, info in _fields(cls).items():
        value = given.get(wire)
        if value is None:
            value = _default(cls, wire, info, given, ctx)
        out[wire] = _convert(value, info.type, ctx)
    if cls.__name__ == "ClickHouseClusterSpec":
        keeper = given.get("keeper")
        if isinstance(keeper, Mapping) and keeper.get("enabled") is False:
            out["keeper"] = None  # the input says whether a keeper is used; the output names it
    has_password = given.get("passwordValue") is not None or given.get("passwordValueFromSecret") is not None
    if cls.__name__ == "ClickHouseUserSpec" and out.get("passwordType") is None and has_password:
        out["passwordType"] = "PLAIN_TEXT"  # assumption: a password given without its form is plain text
    return out


def _default(cls: type[Any], wire: str, info: _FieldInfo, given: Mapping[str, Any], ctx: _Context) -> Any:
    if (cls.__name__, wire) in _TYPE_DEFAULTS:
        return _TYPE_DEFAULTS[(cls.__name__, wire)]
    if wire in ("zones", "zoneIDs", "locations") and ctx.zones:
        return list(ctx.zones)
    if wire == "name" and "nodeType" in _fields(cls):
        return given.get("nodeType", "")  # a node group's name "defaults to $nodeType"
    if wire == "vpcRegion" and ctx.region:
        return ctx.region
    if wire == "awsAccountID" and ctx.account:
        return ctx.account
    if wire in _DEFAULTS:
        return _DEFAULTS[wire]
    if info.type.nullable:
        return None
    return _empty(info.type)


def _empty(wanted: _Type) -> Any:
    if wanted.item is not None:
        return []
    simple: dict[str, Any] = {
        "String": "",
        "ID": "",
        "Sensitive": "",
        "Int": 0,
        "Float": 0.0,
        "Boolean": False,
    }
    if wanted.name in simple:
        return simple[wanted.name]
    cls = _require_model(wanted.name)
    if issubclass(cls, enum.Enum):
        return next(iter(cls)).value
    return {}


def _convert(value: Any, wanted: _Type, ctx: _Context) -> Any:
    if value is None:
        return None
    if wanted.item is not None:
        item = wanted.item
        return [_convert(v, item, ctx) for v in value] if isinstance(value, list) else []
    if wanted.name in _SCALARS:
        return value
    cls = _require_model(wanted.name)
    if issubclass(cls, enum.Enum):
        return value if value in {m.value for m in cls} else next(iter(cls)).value
    return _build(cls, value if isinstance(value, Mapping) else {}, ctx)


def _merge(current: Mapping[str, Any], patch: Mapping[str, Any], input_cls: type[Any]) -> dict[str, Any]:
    """An update (MERGE) applied to JSON: objects merge, lists are replaced, except lists with a
    `<list>ToDelete` sibling, whose entries are patched, added or removed by name (or key)."""
    result = dict(current)
    fields = _fields(input_cls)
    for wire, names in patch.items():
        if not wire.endswith("ToDelete") or not names or wire[: -len("ToDelete")] not in fields:
            continue
        base = wire[: -len("ToDelete")]
        key = _entry_key(fields[base].type)
        present = {entry.get(key) for entry in result.get(base) or []}
        missing = [name for name in names if name not in present]
        if missing:
            raise _GraphQLError("BAD_USER_INPUT", f"{wire}: no entry named {', '.join(map(repr, missing))}")
        result[base] = [entry for entry in result.get(base) or [] if entry.get(key) not in names]
    for wire, value in patch.items():
        if value is None or (wire.endswith("ToDelete") and wire[: -len("ToDelete")] in fields):
            continue  # assumption: under MERGE an explicit null leaves the field as it is
        wanted = fields[wire].type
        sub = _model(wanted.named)
        if wanted.item is not None and sub is not None and f"{wire}ToDelete" in fields:
            result[wire] = _merge_entries(result.get(wire) or [], value, sub, _entry_key(wanted))
        elif wanted.item is None and sub is not None and dataclasses.is_dataclass(sub):
            result[wire] = _merge(result.get(wire) or {}, value, sub)
        else:
            result[wire] = value
    return result


def _entry_key(wanted: _Type) -> str:
    cls = _require_model(wanted.named)
    return "name" if "name" in _fields(cls) else "key"


def _merge_entries(current: list[Any], patch: list[Any], item_cls: type[Any], key: str) -> list[Any]:
    entries = [dict(entry) for entry in current]
    for item in patch:
        match = next((i for i, entry in enumerate(entries) if entry.get(key) == item.get(key)), None)
        if match is None:
            entries.append(_merge({}, item, item_cls))
        else:
            entries[match] = _merge(entries[match], item, item_cls)
    return entries


def _model_json(type_name: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """JSON of a GraphQL object type, built with its generated model and the codec.

    Decoding checks that every required field is there; encoding with `omit_none=False` writes
    each nullable field, as GraphQL answers every field selected.
    """
    from dbcloud_anywhere_client import codec

    cls = _require_model(type_name)
    return codec.to_dict(codec.from_dict(cls, raw), omit_none=False)


def _digest(*parts: str, size: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:size]


# --- Terraform -----------------------------------------------------------------------------------


def _hcl_string(text: str) -> str:
    # JSON escapes are HCL escapes; template sequences must be doubled to stay literal.
    return json.dumps(text).replace("${", "$${").replace("%{", "%%{")


def _hcl_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(v) for v in value) + "]"
    return _hcl_string(str(value))


def _hcl_body(cls: type[Any], value: Mapping[str, Any], depth: int) -> list[str]:
    """The attributes and blocks of an object, with the provider's snake_case names."""
    from dbcloud_anywhere_client.names import FIELD_NAMES

    renamed = FIELD_NAMES.get(cls.__name__, {})
    hints = typing.get_type_hints(cls)
    pad = "  " * depth
    lines: list[str] = []
    for item in dataclasses.fields(cls):
        found = value.get(renamed.get(item.name, item.name))
        if found is None or found == [] or found == "":
            continue
        wanted = _type_of_hint(hints[item.name])
        sub = _model(wanted.named)
        if sub is not None and dataclasses.is_dataclass(sub):
            for entry in found if isinstance(found, list) else [found]:
                lines += [f"{pad}{item.name} {{", *_hcl_body(sub, entry, depth + 1), f"{pad}}}"]
        else:
            lines.append(f"{pad}{item.name} = {_hcl_value(found)}")
    return lines


def _terraform(env: _Env, boilerplate: bool) -> str:
    label = re.sub(r"[^A-Za-z0-9_]", "_", env.name)
    label = label if label[:1].isalpha() else f"env_{label}"
    resource = env.kind.terraform
    spec_cls = _require_model(env.kind.spec_type)
    lines = [f'resource "{resource}" "{label}" {{', f"  name = {_hcl_string(env.name)}"]
    lines += _hcl_body(spec_cls, env.spec, 1)
    lines.append("}")
    if boilerplate:
        # Assumption: the boilerplate is the provider set-up and a status data source that waits
        # for the spec to be applied, as in the provider's examples.
        header = [
            "terraform {",
            "  required_providers {",
            "    altinitycloud = {",
            '      source = "altinity/altinitycloud"',
            "    }",
            "  }",
            "}",
            "",
            'provider "altinitycloud" {',
            "  # api_token: set ALTINITYCLOUD_API_TOKEN",
            "}",
            "",
        ]
        footer = [
            "",
            f'data "{resource}_status" "{label}" {{',
            f"  name                           = {resource}.{label}.name",
            f"  wait_for_applied_spec_revision = {resource}.{label}.spec_revision",
            "}",
        ]
        lines = header + lines + footer
    return "\n".join(lines) + "\n"


# --- the service ---------------------------------------------------------------------------------

_Resolver = Callable[[_Kind, dict[str, Any]], Any]


class EmulatedAnywhere:
    """The Anywhere GraphQL endpoint, with environments of every kind as state."""

    name = "anywhere"

    def __init__(
        self, clock: EmulatedClock, credential: str, *, seed_data: bool = True, ids: IdSource | None = None
    ) -> None:
        self.clock = clock
        self.credential = credential
        self.ids = ids if ids is not None else IdSource(f"{self.name}:0")  # mutation ids (see _ids.py)
        self.lock = threading.RLock()
        self.requests = 0
        self.creates = 0
        self.fail_next_launch = False
        self.environments: dict[str, _Env] = {}  # by name: names are unique across kinds
        actions: dict[str, _Resolver] = {
            "list": self._list,
            "get": self._get,
            "create": self._create,
            "update": self._update,
            "delete": self._delete,
            "code_gen": self._code_gen,
        }
        self._resolvers: dict[str, tuple[_Kind, _Resolver]] = {}
        for kind in _KINDS:
            for action, resolver in actions.items():
                root = getattr(kind, action)
                if root is not None:
                    self._resolvers[root] = (kind, resolver)
        if seed_data:
            self._seed()

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        """An HTTP-level error, as a GraphQL answer with an `errors` list and no `data`."""
        code = _HTTP_CODES.get(status, "INTERNAL_SERVER_ERROR" if status >= 500 else "BAD_REQUEST")
        headers = {"WWW-Authenticate": 'Bearer realm="anywhere"'} if status == 401 else {}
        return json_response(
            status, {"errors": [{"message": message, "extensions": {"code": code}}]}, headers
        )

    # --- HTTP ----------------------------------------------------------------------------------

    def handle(self, request: EmuRequest) -> EmuResponse:
        self.requests += 1
        if request.path.rstrip("/") != GRAPHQL_PATH:
            return self.error(404, f"no such endpoint: {request.path}; GraphQL is served at {GRAPHQL_PATH}")
        if request.method != "POST":
            # Assumption: only POST is served (the facade and the Terraform provider post);
            # GraphQL-over-HTTP GET for queries is not.
            response = self.error(405, f"{request.method} is not allowed; POST a GraphQL request")
            response.headers["Allow"] = "POST"
            return response
        expected = f"Bearer {self.credential}".encode()
        given = request.headers.get("authorization", "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            return self.error(401, "missing or invalid API token")
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return self.error(400, "the body is not valid JSON")
        if not isinstance(body, dict):
            return self.error(400, "the body must be a JSON object with `query`")
        document, variables, operation_name = (
            body.get("query"),
            body.get("variables"),
            body.get("operationName"),
        )
        if not isinstance(document, str) or not document.strip():
            return self.error(400, "`query` must be a non-empty string holding a GraphQL document")
        if variables is not None and not isinstance(variables, dict):
            return self.error(400, "`variables` must be a JSON object")
        if operation_name is not None and not isinstance(operation_name, str):
            return self.error(400, "`operationName` must be a string")
        with self.lock:
            return json_response(200, self._execute(document, variables or {}, operation_name))

    # --- GraphQL -------------------------------------------------------------------------------

    def _execute(
        self, document: str, variables: dict[str, Any], operation_name: str | None
    ) -> dict[str, Any]:
        try:
            operation = _prepared(document, operation_name)
            values = self._coerce_variables(operation, variables)
        except _GraphQLError as exc:
            return {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}
        data: dict[str, Any] | None = {}
        errors: list[dict[str, Any]] = []
        schema = _schema()
        for selected in operation.selections:
            if selected.name == "__typename":
                if data is not None:
                    data[selected.key] = operation.kind.capitalize()
                continue
            root = schema[selected.name]
            try:
                arguments = self._arguments(root, selected, values)
                kind, resolver = self._resolvers[root.name]
                value = _project(resolver(kind, arguments), root.result, selected.selections)
            except _GraphQLError as exc:
                errors.append(
                    {"message": exc.message, "path": [selected.key], "extensions": {"code": exc.code}}
                )
                if not root.result.nullable:
                    data = None  # a non-null root field failed: the whole `data` is null
                    if operation.kind == "mutation":
                        break  # mutations run one after the other: the rest are not run
                elif data is not None:
                    data[selected.key] = None
                continue
            if data is not None:
                data[selected.key] = value
        return {"errors": errors, "data": data} if errors else {"data": data}

    def _coerce_variables(self, operation: _Operation, given: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, definition in operation.variables.items():
            if name not in given:
                if definition.has_default:
                    try:
                        values[name] = _coerce(
                            _literal(definition.default, {}), definition.type, f'"${name}"'
                        )
                    except _InputError as exc:
                        raise _invalid(f"Invalid default value: {exc}") from None
                elif not definition.type.nullable:
                    raise _GraphQLError(
                        "BAD_USER_INPUT",
                        f'Variable "${name}" of required type "{definition.type}" was not provided.',
                    )
                continue
            try:
                values[name] = _coerce(given[name], definition.type, f'Variable "${name}"')
            except _InputError as exc:
                raise _GraphQLError("BAD_USER_INPUT", str(exc)) from None
        return values

    def _arguments(self, root: _RootField, selected: _Field, values: Mapping[str, Any]) -> dict[str, Any]:
        arguments: dict[str, Any] = {}
        for argument, wanted in root.arguments.items():
            if argument not in selected.arguments:
                continue
            raw = selected.arguments[argument]
            if isinstance(raw, _Var):
                if raw.name in values:
                    arguments[argument] = values[raw.name]
                elif not wanted.nullable:
                    raise _GraphQLError(
                        "BAD_USER_INPUT", f'Argument "{argument}" of required type "{wanted}" is null.'
                    )
                continue
            try:
                arguments[argument] = _coerce(_literal(raw, values), wanted, f'Argument "{argument}"')
            except _InputError as exc:
                raise _GraphQLError("BAD_USER_INPUT", str(exc)) from None
        return arguments

    # --- resolvers -----------------------------------------------------------------------------

    def _find(self, kind: _Kind, name: Any) -> _Env | None:
        env = self.environments.get(name) if isinstance(name, str) else None
        if env is None or env.kind is not kind or self._gone(env):
            return None
        return env

    def _gone(self, env: _Env) -> bool:
        if env.deleted_at is not None and self.clock.now() - env.deleted_at >= DELETE_SECONDS:
            self.environments.pop(env.name, None)
            return True
        return False

    def _required(self, kind: _Kind, name: Any) -> _Env:
        env = self._find(kind, name)
        if env is None:
            raise _GraphQLError("NOT_FOUND", f"{kind.label} {name!r} not found")
        return env

    def _list(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        names = (arguments.get("filter") or {}).get("names")
        envs = [e for e in list(self.environments.values()) if self._find(kind, e.name) is not None]
        if names is not None:
            envs = [e for e in envs if e.name in names]
        return [self._view(env) for env in envs]

    def _get(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        env = self._find(kind, arguments.get("name"))
        return None if env is None else self._view(env)

    def _create(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        given = arguments["input"]
        name, spec_input = given["name"], given["spec"]
        if not _NAME.match(name):
            raise _GraphQLError(
                "BAD_USER_INPUT",
                f"invalid environment name {name!r}: use 1 to 63 lower-case letters, digits and hyphens, "
                "starting and ending with a letter or digit",
            )
        if name in self.environments and not self._gone(self.environments[name]):
            raise _GraphQLError("CONFLICT", f"environment name {name!r} is already taken")
        cidr = spec_input.get("cidr")
        if cidr is not None:
            try:
                ipaddress.ip_network(cidr)
            except ValueError:
                raise _GraphQLError("BAD_USER_INPUT", f"spec.cidr: {cidr!r} is not a CIDR block") from None
        if "nodeGroups" in spec_input and not spec_input["nodeGroups"]:
            raise _GraphQLError("BAD_USER_INPUT", "spec.nodeGroups: at least one node group is required")
        spec = self._new_spec(kind, spec_input)
        env = _Env(kind, name, spec, changed_at=self.clock.now(), fails=self.fail_next_launch)
        self.fail_next_launch = False
        self.environments[name] = env
        self.creates += 1
        return self._mutation_result(env)

    def _new_spec(self, kind: _Kind, spec_input: Mapping[str, Any]) -> dict[str, Any]:
        """The full spec of a new environment: the create input, with the SDL's defaults."""
        given = dict(spec_input)
        ctx = self._context(kind, given)
        for wire in ("zones", "zoneIDs"):  # the environment's zones are derived when not given
            if wire in _fields(_require_model(kind.spec_type)) and not given.get(wire):
                given[wire] = ctx.zones
        return _model_json(kind.spec_type, _build(_require_model(kind.spec_type), given, ctx))

    def _update(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        given = arguments["input"]
        env = self._required(kind, given["name"])
        if env.deleted_at is not None:
            raise _GraphQLError("CONFLICT", f"{kind.label} {env.name!r} is being deleted")
        input_cls = _require_model(_fields(_require_model(self._input_type(kind.update)))["spec"].type.named)
        patch = given["spec"]
        merged = _merge(env.spec, patch, input_cls)
        if given.get("updateStrategy") == "REPLACE":
            # Everything the update can set takes the given value or its default; what it cannot
            # set (the immutable fields) stays.
            settable = set(_fields(input_cls))
            merged = {k: v for k, v in env.spec.items() if k not in settable}
            merged |= {k: v for k, v in patch.items() if v is not None and k in env.spec}
        built = _build(_require_model(kind.spec_type), merged, self._context(kind, env.spec))
        spec = _model_json(kind.spec_type, built)
        if spec != env.spec:  # assumption: an update that changes nothing keeps the revision
            env.spec = spec
            env.revision += 1
            env.changed_at = self.clock.now()
            env.fails = False  # a new revision is tried afresh, even after a failed one
        return self._mutation_result(env)

    def _delete(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        given = arguments["input"]
        env = self._find(kind, given["name"])
        if env is not None:
            if env.spec.get("clickHouseClusters") and not given.get("forceDestroyClusters"):
                # The SDL: without forceDestroyClusters "the deletion will fail until the clusters
                # get removed". Assumption: it fails at once, as a CONFLICT.
                raise _GraphQLError(
                    "CONFLICT",
                    f"{kind.label} {env.name!r} still has ClickHouse clusters; remove them or set "
                    "forceDestroyClusters",
                )
            if given.get("force"):
                self.environments.pop(env.name, None)
            elif env.deleted_at is None:
                env.deleted_at = self.clock.now()
        # Deleting an unknown name is not an error (the facade documents it as a no-op).
        return self._result(kind.delete, {"mutationId": self.ids.uuid4(), "pendingMFA": False})

    def _code_gen(self, kind: _Kind, arguments: dict[str, Any]) -> Any:
        env = self._required(kind, arguments.get("name"))
        text = _terraform(env, bool(arguments.get("boilerplate")))
        return self._result(str(kind.code_gen), {"terraform": text})

    # --- answers -------------------------------------------------------------------------------

    def _input_type(self, root: str) -> str:
        return _schema()[root].arguments["input"].named

    def _result(self, root: str, raw: dict[str, Any]) -> dict[str, Any]:
        """A root field's answer, passed through its generated model and the codec."""
        return _model_json(_schema()[root].result.named, raw)

    # The spec is stored as it came out of the model (see _model_json), once per revision; the
    # objects around it hold only required fields, so they are assembled without another pass.

    def _mutation_result(self, env: _Env) -> dict[str, Any]:
        return {"mutationId": self.ids.uuid4(), "spec": env.spec, "specRevision": env.revision}

    def _view(self, env: _Env) -> dict[str, Any]:
        status = _model_json(env.kind.status_type, self._status(env))
        return {"name": env.name, "spec": env.spec, "specRevision": env.revision, "status": status}

    def _status(self, env: _Env) -> dict[str, Any]:
        elapsed = self.clock.now() - env.changed_at
        due = elapsed >= (PROVISION_SECONDS if env.applied == 0 else UPDATE_SECONDS)
        errors = []
        if due and env.fails:
            errors.append(
                {
                    "code": "CLOUD_PROVIDER_QUOTA_EXCEEDED",
                    "message": f"provisioning {env.name} failed: the cloud account's quota is exhausted "
                    "(emulated failure)",
                }
            )
        elif due:
            env.applied = env.revision
        raw: dict[str, Any] = {
            "appliedSpecRevision": env.applied,
            "pendingDelete": env.deleted_at is not None,
            "errors": errors,
        }
        raw |= self._provider_status(env)
        return _build(_require_model(env.kind.status_type), raw, self._context(env.kind, env.spec))

    def _provider_status(self, env: _Env) -> dict[str, Any]:
        """What the cloud reports once the environment exists: resources, endpoints, peerings."""
        spec, ready = env.spec, env.applied > 0
        region, account = str(spec.get("region", "")), str(spec.get("awsAccountID", ""))
        internal = ((spec.get("loadBalancers") or {}).get("internal")) or {}
        extra: dict[str, Any] = {}
        if env.kind.type in ("AWSEnv", "AWSEnvHosted"):
            service = f"com.amazonaws.vpce.{region}.vpce-svc-{_digest(env.name)}"
            extra["loadBalancers"] = {
                "internal": {"endpointServiceName": service if ready and internal.get("enabled") else None}
            }
        if env.kind.type == "AzureEnv":
            alias = f"{env.name}.{_digest(env.name, size=8)}.{region}.azure.privatelinkservice"
            extra["loadBalancers"] = {
                "internal": {"privateLinkServiceAlias": alias if ready and internal.get("enabled") else None}
            }
        if env.kind.type == "AWSEnv":
            vpc = f"vpc-{_digest(env.name, 'vpc')}"
            extra["awsResources"] = (
                [
                    {"name": "vpc", "id": vpc, "arn": f"arn:aws:ec2:{region}:{account}:vpc/{vpc}"},
                    {
                        "name": "eks",
                        "id": env.name,
                        "arn": f"arn:aws:eks:{region}:{account}:cluster/{env.name}",
                    },
                ]
                if ready
                else []
            )
            extra["peeringConnections"] = [
                {
                    "vpcID": p.get("vpcID"),
                    "id": f"pcx-{_digest(env.name, str(p.get('vpcID')))}" if ready else None,
                }
                for p in spec.get("peeringConnections") or []
            ]
        return extra

    def _context(self, kind: _Kind, spec: Mapping[str, Any]) -> _Context:
        region = str(spec.get("region") or "")
        zones = spec.get("zones") or spec.get("zoneIDs") or spec.get("locations")
        if not zones and region:
            count = spec.get("numberOfZones") or 3
            if kind.type == "AWSEnvHosted":
                zones = [f"{region}-az{i + 1}" for i in range(count)]
            elif kind.type == "AzureEnv":
                zones = [str(i + 1) for i in range(count)]
            elif kind.type == "GCPEnv":
                zones = [f"{region}-{'abcdef'[i % 6]}" for i in range(count)]
            else:
                zones = [f"{region}{'abcdef'[i % 6]}" for i in range(count)]
        return _Context(region, list(zones or []), str(spec.get("awsAccountID") or ""))

    # --- demo data -----------------------------------------------------------------------------

    def _seed(self) -> None:
        """Two ready environments: an AWS one in the customer's account and a Kubernetes one."""
        settled = -PROVISION_SECONDS  # created long enough ago to be applied already
        aws = {
            "awsAccountID": "123456789012",
            "region": "us-east-1",
            "cidr": "10.67.0.0/21",
            "nodeGroups": [{"nodeType": "m6i.large", "capacityPerZone": 3, "reservations": ["CLICKHOUSE"]}],
        }
        k8s = {
            "distribution": "EKS",
            "nodeGroups": [
                {"nodeType": "m6i.large", "capacityPerZone": 2, "zones": ["us-east-1a", "us-east-1b"]}
            ],
        }
        for kind_type, name, spec_input in (("AWSEnv", "demo-aws", aws), ("K8SEnv", "demo-k8s", k8s)):
            kind = next(k for k in _KINDS if k.type == kind_type)
            spec = self._new_spec(kind, spec_input)
            self.environments[name] = _Env(kind, name, spec, changed_at=settled, applied=1)
