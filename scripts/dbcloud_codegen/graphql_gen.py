"""Generate a Python package from a GraphQL SDL: typed models, operation documents, a small codec.

The package written by `generate_graphql` holds:

- `models.py`: one class per named type of the SDL (objects, inputs, interfaces, enums; unions and
  custom scalars become type aliases), written by datamodel-code-generator, with secret attributes
  declared `repr=False` (see "Secrets" below);
- `names.py`: the GraphQL name of every model attribute (and class) whose Python name differs;
- `codec.py`: `from_dict` / `to_dict` (and `decode` / `encode`) between GraphQL JSON and the models;
- `operations.py`: one operation document per root field of Query and Mutation, and a registry;
- `__init__.py`: a docstring.

Why `dataclasses.dataclass` for the models
------------------------------------------
datamodel-code-generator 0.89.0 can write pydantic v2 models, pydantic dataclasses, stdlib
dataclasses, `typing.TypedDict` or `msgspec.Struct`. pydantic and msgspec would add a runtime dependency (the
runtime needs only httpx and attrs), so the choice is between stdlib dataclasses and TypedDict.

- A TypedDict *is* the JSON object: no codec is needed and it imports about three times faster
  (about 35 ms against 110 ms for the Anywhere SDL's 216 classes). But its keys have to be the wire
  names (`specRevision`, `awsAccountID`): it cannot rename keys, has no attribute access, its enums are
  bare `Literal` strings and it carries no defaults.
- A dataclass gives what the facade promises its callers: snake_case attributes, real `StrEnum`
  members, defaults for the optional fields of inputs, and keyword-only constructors that mypy checks
  when a mutation input is built. Its cost is the small codec below, which maps the snake_case
  attributes to the GraphQL names (dataclasses have no field aliases; datamodel-code-generator reports
  the names it chose in its model metadata, which becomes `names.py`), and ~100 ms of import time, paid
  once when the facade first imports the package (it does so lazily).

So: dataclasses, `kw_only=True`. A caller parses a response with `codec.from_dict(models.AWSEnv,
data["awsEnv"])` or `codec.decode(list[models.AWSEnv], data["awsEnvs"])`, and builds variables with
`{"input": codec.to_dict(models.CreateAWSEnvInput(...))}`.

Secrets
-------
A secret must never reach a repr, and a dataclass prints every field in its repr. So every field
of type `Sensitive` (the SDL's scalar for secrets, a `str` here), or lists of it, is declared
`_dataclass_field(repr=False, default=...)` (`dataclasses.field` imported under a name no GraphQL field
takes), and so is a field whose name reads like a secret (`passwordValue`; the rules of
secret_fields.py, shared with the OpenAPI clients) unless its type is a Boolean, a number or an enum.
Defaults and the codec are unaffected.

Selection sets
--------------
Each document selects every field of the returned type, recursing into object fields. A field is
left out when it would revisit a type already on the path (a cycle), when it lies deeper than
`MAX_SELECTION_DEPTH`, when it needs an argument, or when it is deprecated and nullable (its model
attribute then keeps its default `None`, and the document keeps working once the field is removed).
Every omission other than the deprecated ones is reported as a warning, since the model may then
miss a required value. Interfaces and unions select `__typename` and an inline fragment per possible
type; the codec uses `__typename` to pick the model class.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import graphql
from graphql import (
    DocumentNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    GraphQLUnionType,
)
from graphql.validation.validate import validate_sdl

from .errors import PipelineError
from .secret_fields import hide_attributes, is_secret_name
from .stats import GenStats

__all__ = [
    "MAX_SELECTION_DEPTH",
    "build_schema_checked",
    "generate_graphql",
    "prepare_sdl",
]

log = logging.getLogger(__name__)

MAX_SELECTION_DEPTH = 8
"""Object nesting a selection set follows below the root field (the Anywhere SDL needs 5)."""

_ROOT_KINDS = ("query", "mutation", "subscription")
_DEFAULT_ROOT_NAMES = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
_MODELS_HEADER = "# Models of the GraphQL types, written by datamodel-code-generator."
_SCALAR_TYPES = ("Sensitive=str", "Int=int")  # a secret travels as a string; Int has no 32-bit limit here
_SECRET_SCALARS = frozenset({"Sensitive"})  # custom scalars whose values are secrets
_NEVER_SECRET = frozenset({"Boolean", "Int", "Float"})
_MODEL_KINDS = ("object", "input object", "interface", "union", "enum")


# --------------------------------------------------------------------------- SDL fixes


def prepare_sdl(text: str) -> tuple[str, list[str]]:
    """Make an SDL that only extends its root types buildable; return it with notes on what changed.

    For each root operation type (Query, Mutation, Subscription, or the names a `schema` block gives)
    that the SDL extends but never defines, an empty definition is appended, after the original text,
    so that line numbers in later error messages still match the vendor's file. Running it again
    changes nothing. Text that does not parse is returned unchanged (`build_schema_checked` reports it).
    """
    try:
        document = graphql.parse(text, no_location=True)
    except GraphQLSyntaxError:
        return text, []
    defined: set[str] = set()
    extended: dict[str, int] = {}
    root_names = dict(_DEFAULT_ROOT_NAMES)
    for node in document.definitions:
        if isinstance(node, graphql.TypeDefinitionNode):
            defined.add(node.name.value)
        elif isinstance(node, graphql.ObjectTypeExtensionNode):
            extended[node.name.value] = extended.get(node.name.value, 0) + 1
        if isinstance(node, graphql.SchemaDefinitionNode | graphql.SchemaExtensionNode):
            for operation_type in node.operation_types or ():
                root_names[operation_type.operation.value] = operation_type.type.name.value
    added: list[str] = []
    notes: list[str] = []
    for kind in _ROOT_KINDS:
        name = root_names[kind]
        if name in extended and name not in defined:
            added.append(f"type {name}\n")
            blocks = extended[name]
            notes.append(
                f"added an empty `type {name}`: the SDL extends it ({blocks} `extend type {name}` "
                f"block{'s' if blocks != 1 else ''}) but never defines it"
            )
            defined.add(name)
    if not added:
        return text, []
    separator = "" if text.endswith("\n") or not text else "\n"
    fixed = text + separator + "\n# Root types the SDL only extends (added by the dbcloud pipeline).\n"
    return fixed + "".join(added), notes


def build_schema_checked(sdl: str, origin: str) -> GraphQLSchema:
    """Build a schema from SDL and validate it; a problem raises `PipelineError` naming `origin`."""
    try:
        document = graphql.parse(sdl)
    except GraphQLSyntaxError as exc:
        raise PipelineError(f"{origin}: not valid GraphQL SDL: {_describe(exc)}") from exc
    sdl_errors = validate_sdl(document)
    if sdl_errors:
        raise PipelineError(f"{origin}: the SDL does not build: {_describe_all(sdl_errors)}")
    try:
        schema = graphql.build_ast_schema(document, assume_valid_sdl=True)
    except (GraphQLError, TypeError) as exc:
        raise PipelineError(f"{origin}: the SDL does not build: {exc}") from exc
    schema_errors = graphql.validate_schema(schema)
    if schema_errors:
        raise PipelineError(f"{origin}: the schema is not valid: {_describe_all(schema_errors)}")
    return schema


def _describe(error: GraphQLError) -> str:
    where = ", ".join(f"line {loc.line} column {loc.column}" for loc in error.locations or ())
    return f"{error.message} ({where})" if where else error.message


def _describe_all(errors: Iterable[GraphQLError], limit: int = 10) -> str:
    listed = [_describe(error) for error in errors]
    more = f"; and {len(listed) - limit} more" if len(listed) > limit else ""
    return "; ".join(listed[:limit]) + more


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class _Operation:
    field_name: str
    kind: str  # "query" or "mutation"
    constant: str
    document: str
    result: str  # the named GraphQL type of the result
    result_type: str  # the full GraphQL type, e.g. [AWSEnv!]!


@dataclass
class _SelectionWriter:
    schema: GraphQLSchema
    max_depth: int
    warnings: list[str] = field(default_factory=list)

    def lines(self, named: GraphQLNamedType, path: tuple[str, ...], indent: int) -> list[str]:
        """The lines inside the braces of a selection set on `named`; empty if nothing can be selected."""
        pad = "  " * indent
        if isinstance(named, GraphQLObjectType):
            return self._fields(named, path, indent)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            lines = [f"{pad}__typename"]
            if isinstance(named, GraphQLInterfaceType):
                lines += self._fields(named, path, indent)
            for possible in self.schema.get_possible_types(named):
                inner = self._fields(possible, (*path, possible.name), indent + 1)
                if inner:
                    lines += [f"{pad}... on {possible.name} {{", *inner, f"{pad}}}"]
            return lines
        return []

    def _fields(
        self, owner: GraphQLObjectType | GraphQLInterfaceType, path: tuple[str, ...], indent: int
    ) -> list[str]:
        pad = "  " * indent
        lines: list[str] = []
        for name, gql_field in owner.fields.items():
            where = f"{owner.name}.{name}"
            if any(graphql.is_required_argument(arg) for arg in gql_field.args.values()):
                self.warnings.append(f"{where}: not selected, it needs an argument")
                continue
            nullable = not isinstance(gql_field.type, GraphQLNonNull)
            if gql_field.deprecation_reason is not None and nullable:
                continue
            named = graphql.get_named_type(gql_field.type)
            if graphql.is_leaf_type(named):
                lines.append(f"{pad}{name}")
                continue
            if named.name in path:
                self.warnings.append(f"{where}: not selected, {named.name} is already on the path (cycle)")
                continue
            if len(path) > self.max_depth:
                self.warnings.append(f"{where}: not selected, deeper than {self.max_depth} levels")
                continue
            inner = self.lines(named, (*path, named.name), indent + 1)
            if not inner:
                self.warnings.append(f"{where}: not selected, none of the fields of {named.name} can be")
                continue
            lines += [f"{pad}{name} {{", *inner, f"{pad}}}"]
        return lines


def _constant_name(field_name: str, kind: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", field_name)
    return f"{words.upper()}_{kind.upper()}".lstrip("_") or kind.upper()


def _operation_documents(schema: GraphQLSchema, max_depth: int) -> tuple[list[_Operation], list[str]]:
    writer = _SelectionWriter(schema, max_depth)
    operations: list[_Operation] = []
    for kind, root in (("query", schema.query_type), ("mutation", schema.mutation_type)):
        if root is None:
            continue
        for name, gql_field in root.fields.items():
            operations.append(_operation(writer, kind, name, gql_field))
    return operations, list(dict.fromkeys(writer.warnings))  # a type selected twice warns once


def _operation(writer: _SelectionWriter, kind: str, name: str, gql_field: GraphQLField) -> _Operation:
    variables: list[str] = []
    arguments: list[str] = []
    for arg_name, arg in gql_field.args.items():
        arg_type = arg.type
        # A non-null argument with a default takes a nullable variable: leaving it out keeps the default.
        if isinstance(arg_type, GraphQLNonNull) and not graphql.is_required_argument(arg):
            arg_type = arg_type.of_type
        variables.append(f"${arg_name}: {arg_type}")
        arguments.append(f"{arg_name}: ${arg_name}")
    named = graphql.get_named_type(gql_field.type)
    head = f"{kind} {name[:1].upper()}{name[1:]}"
    if variables:
        head += f"({', '.join(variables)})"
    call = f"{name}({', '.join(arguments)})" if arguments else name
    if graphql.is_leaf_type(named):
        body = [f"  {call}"]
    else:
        inner = writer.lines(named, (named.name,), 2)
        if not inner:
            inner = ["    __typename"]
            writer.warnings.append(f"{name}: no field of {named.name} can be selected; selects __typename")
        body = [f"  {call} {{", *inner, "  }"]
    document = "\n".join([f"{head} {{", *body, "}"]) + "\n"
    return _Operation(
        field_name=name,
        kind=kind,
        constant=_constant_name(name, kind),
        document=document,
        result=named.name,
        result_type=str(gql_field.type),
    )


def _check_documents(schema: GraphQLSchema, operations: list[_Operation], origin: str) -> None:
    problems: list[str] = []
    for operation in operations:
        try:
            document: DocumentNode = graphql.parse(operation.document)
        except GraphQLSyntaxError as exc:
            problems.append(f"{operation.field_name}: {_describe(exc)}")
            continue
        errors = graphql.validate(schema, document)
        if errors:
            problems.append(f"{operation.field_name}: {_describe_all(errors, limit=3)}")
    constants = [operation.constant for operation in operations]
    problems += [f"two root fields give the constant {name}" for name in _duplicates(constants)]
    keys = [operation.field_name for operation in operations]
    problems += [f"{name!r} is both a query and a mutation" for name in _duplicates(keys)]
    if problems:
        raise PipelineError(f"{origin}: generated operation documents are not valid: " + "; ".join(problems))


def _duplicates(names: list[str]) -> list[str]:
    return sorted(name for name, count in Counter(names).items() if count > 1)


def _python_string(text: str) -> str:
    if '"""' not in text and "\\" not in text and not text.endswith('"'):
        return f'"""\\\n{text}"""'
    return json.dumps(text)


def _operations_module(operations: list[_Operation], api: str) -> str:
    out = [
        f'"""GraphQL operation documents of the {api} API: one per root field of Query and Mutation.',
        "",
        "`OPERATIONS` maps a root field name to (kind, document, result type name); `RESULT_TYPES`",
        "gives the full GraphQL type of each result, e.g. `[AWSEnv!]!`. Each document takes the root",
        "field's arguments as variables of the same names and selects the whole result.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Literal, NamedTuple",
        "",
        "",
        "class Operation(NamedTuple):",
        '    kind: Literal["query", "mutation"]',
        "    document: str",
        "    result: str",
        '    """The named GraphQL type the root field returns (a model in models.py unless a scalar)."""',
        "",
        "",
    ]
    for operation in operations:
        out += [f"{operation.constant} = {_python_string(operation.document)}", ""]
    registry = [
        f"    {json.dumps(op.field_name)}: Operation({json.dumps(op.kind)}, {op.constant}, "
        f"{json.dumps(op.result)}),"
        for op in operations
    ]
    result_types = [f"    {json.dumps(op.field_name)}: {json.dumps(op.result_type)}," for op in operations]
    out += ["", *_dict_literal("OPERATIONS: dict[str, Operation]", registry), ""]
    out += _dict_literal("RESULT_TYPES: dict[str, str]", result_types)
    return "\n".join([*out, ""])


# --------------------------------------------------------------------------- models


@dataclass(frozen=True)
class _ModelInfo:
    graphql_name: str
    class_name: str
    kind: str  # scalar, object, input object, interface, union, enum
    renamed: dict[str, str]  # Python attribute -> GraphQL field name, where they differ


def _generate_models(sdl: str, origin: str) -> tuple[str, list[_ModelInfo], list[str]]:
    """models.py text, what datamodel-code-generator says it wrote, and the warnings it gave."""
    with tempfile.TemporaryDirectory(prefix="dbcloud-graphql-") as scratch:
        metadata_path = Path(scratch) / "metadata.json"
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            from datamodel_code_generator import generate
            from datamodel_code_generator.enums import DataModelType, InputFileType
            from datamodel_code_generator.format import Formatter, PythonVersion

            try:
                text = generate(
                    sdl,
                    input_file_type=InputFileType.GraphQL,
                    output_model_type=DataModelType.DataclassesDataclass,
                    target_python_version=PythonVersion.PY_311,
                    formatters=[Formatter.BUILTIN],
                    disable_timestamp=True,
                    custom_file_header=_MODELS_HEADER,
                    snake_case_field=True,
                    keyword_only=True,
                    capitalise_enum_members=True,
                    graphql_no_typename=True,
                    use_standard_collections=True,
                    use_union_operator=True,
                    type_mappings=list(_SCALAR_TYPES),
                    emit_model_metadata=metadata_path,
                )
            except Exception as exc:  # the generator raises many kinds; report any of them plainly
                raise PipelineError(f"{origin}: datamodel-code-generator failed: {exc}") from exc
        found = [f"datamodel-code-generator: {warning.message}" for warning in caught]
        try:
            metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PipelineError(f"{origin}: datamodel-code-generator wrote no model metadata: {exc}") from exc
    if not isinstance(text, str):
        raise PipelineError(f"{origin}: datamodel-code-generator wrote several modules; expected one")
    infos: list[_ModelInfo] = []
    for model in metadata.get("models", []):
        # source_ref reads "[]/<kind>/<GraphQL name>", the kind as graphql-core names it ("input object").
        parts = str(model.get("source_ref", "")).split("/")
        kind = parts[1] if len(parts) == 3 else ""
        renamed: dict[str, str] = {}
        if kind in {"object", "input object", "interface"}:
            renamed = {
                item["name"]: item["alias"] for item in model["fields"] if item["name"] != item["alias"]
            }
        infos.append(_ModelInfo(model["name"], model["class_name"], kind, renamed))
    return text, infos, found


def _check_models(schema: GraphQLSchema, infos: list[_ModelInfo], origin: str) -> None:
    roots = {
        root.name for root in (schema.query_type, schema.mutation_type, schema.subscription_type) if root
    }
    wanted = {
        name
        for name, type_ in schema.type_map.items()
        if not name.startswith("__") and name not in roots and not graphql.is_specified_scalar_type(type_)
    }
    missing = sorted(wanted - {info.graphql_name for info in infos})
    if missing:
        raise PipelineError(f"{origin}: datamodel-code-generator wrote no model for {', '.join(missing)}")


def _secret_attributes(schema: GraphQLSchema, infos: list[_ModelInfo]) -> dict[str, list[str]]:
    """{class name: attributes} of the model attributes that hold secrets (see "Secrets" above)."""
    models = {info.graphql_name: info for info in infos}
    hidden: dict[str, list[str]] = {}
    for type_name, type_ in schema.type_map.items():
        info = models.get(type_name)
        if info is None or not isinstance(
            type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType
        ):
            continue
        attribute_of = {wire: attribute for attribute, wire in info.renamed.items()}
        for field_name, gql_field in type_.fields.items():
            named = graphql.get_named_type(gql_field.type)
            secret_type = named.name in _SECRET_SCALARS
            secret_name = (
                is_secret_name(field_name)
                and named.name not in _NEVER_SECRET
                and not isinstance(named, GraphQLEnumType)
            )
            if secret_type or secret_name:
                hidden.setdefault(info.class_name, []).append(attribute_of.get(field_name, field_name))
    return hidden


def _names_module(infos: list[_ModelInfo]) -> str:
    out = [
        '"""GraphQL names of the models and attributes whose Python names differ; read by codec.py."""',
        "",
        "from __future__ import annotations",
        "",
        "# GraphQL type name -> class name in models.py, where they differ.",
    ]
    classes = [
        f"    {json.dumps(info.graphql_name)}: {json.dumps(info.class_name)},"
        for info in sorted(infos, key=lambda info: info.graphql_name)
        if info.class_name != info.graphql_name
    ]
    out += _dict_literal("CLASS_NAMES: dict[str, str]", classes)
    out += ["", "# class name -> {attribute: GraphQL field name}, for the attributes that were renamed."]
    fields: list[str] = []
    for info in sorted(infos, key=lambda info: info.class_name):
        if info.renamed:
            fields.append(f"    {json.dumps(info.class_name)}: {{")
            fields += [
                f"        {json.dumps(attr)}: {json.dumps(wire)}," for attr, wire in info.renamed.items()
            ]
            fields.append("    },")
    out += _dict_literal("FIELD_NAMES: dict[str, dict[str, str]]", fields)
    return "\n".join([*out, ""])


def _dict_literal(target: str, entries: list[str]) -> list[str]:
    return [f"{target} = {{", *entries, "}"] if entries else [f"{target} = {{}}"]


_CODEC = '''\
"""Convert between GraphQL JSON values and the dataclasses of models.py.

`from_dict(models.AWSEnv, data)` builds a model from a JSON object with GraphQL field names;
`decode(list[models.AWSEnv], value)` does the same for any type hint (lists, optionals, enums).
`to_dict(obj)` and `encode(value)` go back, to GraphQL field names, leaving out None values unless
`omit_none=False` (for an input, a left-out field and an explicit null can mean different things).

Values are read tolerantly, by dbcloud's rules (`dbcloud._reading`): an enum value this package does
not know is kept as a plain string, so a newer server does not break an older client; `null` and a
missing required key read as None; numbers and booleans sent as text are read as such; an item of a
list that cannot be read is left out. Unknown keys are ignored. Strict reading (`DBCLOUD_STRICT`,
`dbcloud._reading.strict_reading()`) raises `DecodeError` for each of these instead.
"""

from __future__ import annotations

import dataclasses
import enum
import os
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from . import models
from .names import CLASS_NAMES, FIELD_NAMES


# dbcloud's reading rules (dbcloud._reading) when dbcloud is installed beside this package; alone,
# the package reads tolerantly by the simpler rules below (no text coercion, no warnings).
try:
    from dbcloud._reading import is_strict as _is_strict
    from dbcloud._reading import read_scalar as _read_scalar
    from dbcloud._reading import warn_once as _warn_once
except ImportError:  # pragma: no cover - exercised by the pipeline's stand-alone import check

    def _is_strict() -> bool:
        return os.environ.get("DBCLOUD_STRICT", "").strip().lower() in ("1", "true", "yes", "on")

    def _read_scalar(python_type: type, value: Any) -> Any:
        return value

    def _warn_once(owner: type, field: str, what: str) -> None:
        return None

__all__ = ["DecodeError", "decode", "encode", "from_dict", "model_class", "to_dict"]

T = TypeVar("T")


class DecodeError(ValueError):
    """A JSON value does not have the shape of the model it is decoded into."""


def model_class(type_name: str) -> type[Any]:
    """The class in models.py for a GraphQL type name."""
    found = getattr(models, CLASS_NAMES.get(type_name, type_name), None)
    if not isinstance(found, type):
        raise KeyError(f"no model for the GraphQL type {type_name!r}")
    return found


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """A model object from a JSON object with GraphQL field names."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise TypeError(f"{cls!r} is not a model class")
    return typing.cast(T, _decode(cls, data, cls.__name__))


def decode(hint: Any, value: Any) -> Any:
    """A value of the type `hint` (a model, `list[...]`, `X | None`, an enum) from JSON."""
    return _decode(hint, value, "value")


def to_dict(obj: Any, *, omit_none: bool = True) -> dict[str, Any]:
    """A JSON object with GraphQL field names from a model object."""
    if isinstance(obj, type) or not dataclasses.is_dataclass(obj):
        raise TypeError(f"{type(obj).__name__} is not a model object")
    return typing.cast(dict[str, Any], encode(obj, omit_none=omit_none))


def encode(value: Any, *, omit_none: bool = True) -> Any:
    """A JSON value from models, enums, lists and dicts of them."""
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        renamed = FIELD_NAMES.get(type(value).__name__, {})
        out: dict[str, Any] = {}
        for item in dataclasses.fields(value):
            attr = getattr(value, item.name)
            if attr is None and omit_none:
                continue
            out[renamed.get(item.name, item.name)] = encode(attr, omit_none=omit_none)
        return out
    if isinstance(value, Mapping):
        return {key: encode(item, omit_none=omit_none) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [encode(item, omit_none=omit_none) for item in value]
    return value


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    """The resolved annotations of a model class, computed once."""
    hints = _HINTS.get(cls)
    if hints is None:
        hints = _HINTS[cls] = typing.get_type_hints(cls)
    return hints


def _decode(hint: Any, value: Any, path: str) -> Any:
    if isinstance(hint, typing.ForwardRef | str):  # a union alias names its members as strings
        hint = _named(hint.__forward_arg__ if isinstance(hint, typing.ForwardRef) else hint)
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if value is None and len(options) < len(typing.get_args(hint)):
            return None
        if len(options) == 1:
            return _decode(options[0], value, path)
        return _decode(_choose(options, value, path), value, path)
    strict = _is_strict()
    if value is None:
        if strict:
            raise DecodeError(f"{path}: null where a value is required")
        return None  # null is accepted anywhere (dbcloud's reading rules)
    if origin is list:
        if not isinstance(value, list):
            raise DecodeError(f"{path}: expected a list, got {type(value).__name__}")
        (item_hint,) = typing.get_args(hint)
        items = []
        for index, item in enumerate(value):
            try:
                items.append(_decode(item_hint, item, f"{path}[{index}]"))
            except DecodeError as exc:
                if strict:
                    raise
                _warn_once(DecodeError, path, f"an item was left out of the list ({exc})")
        return items
    if not isinstance(hint, type):
        return value
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise DecodeError(f"{path}: expected an object, got {type(value).__name__}")
        return _decode_object(_concrete(hint, value), value, path)
    if issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            return value
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    try:  # numbers and booleans sent as text, where the schema says number or boolean
        return _read_scalar(hint, value)
    except ValueError as exc:
        if strict:
            raise DecodeError(f"{path}: {exc}") from None
        return value  # kept as sent: visible



def _named(name: str) -> Any:
    found = getattr(models, name, None)
    if found is None:
        raise TypeError(f"models.py has no type named {name!r}")
    return found


def _decode_object(cls: type[Any], data: Mapping[str, Any], path: str) -> Any:
    renamed = FIELD_NAMES.get(cls.__name__, {})
    hints = _hints(cls)
    values: dict[str, Any] = {}
    for item in dataclasses.fields(cls):
        if not item.init:
            continue
        wire = renamed.get(item.name, item.name)
        if wire in data:
            values[item.name] = _decode(hints[item.name], data[wire], f"{path}.{wire}")
        elif item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING:
            if _is_strict():
                raise DecodeError(f"{path}: the required field {wire!r} is missing")
            _warn_once(cls, wire, "required by the schema, but missing from the answer; read as None")
            values[item.name] = None
    return cls(**values)


def _concrete(cls: type[Any], data: Mapping[str, Any]) -> type[Any]:
    """The subclass `__typename` names, for a value of an interface type."""
    name = data.get("__typename")
    if isinstance(name, str):
        try:
            found = model_class(name)
        except KeyError:
            return cls
        if issubclass(found, cls):
            return found
    return cls


def _choose(options: list[Any], value: Any, path: str) -> Any:
    """The member of a union that `__typename` names (or the only object member)."""
    name = value.get("__typename") if isinstance(value, Mapping) else None
    if isinstance(name, str):
        for option in options:
            if isinstance(option, typing.ForwardRef | str):
                option = _named(option.__forward_arg__ if isinstance(option, typing.ForwardRef) else option)
            if option is getattr(models, CLASS_NAMES.get(name, name), None):
                return option
    if len(options) == 1:
        return options[0]
    raise DecodeError(f"{path}: cannot tell which of {len(options)} types this is without __typename")
'''


def _init_module(api: str) -> str:
    return (
        f'"""Typed models and GraphQL operation documents for the {api} API.\n\n'
        "models.py: the types; operations.py: one document per root field and the OPERATIONS registry;\n"
        "codec.py: from_dict / to_dict between GraphQL JSON and the models.\n"
        '"""\n'
    )


# --------------------------------------------------------------------------- entry point


def generate_graphql(
    sdl_text: str,
    package_dir: Path,
    *,
    api: str,
    origin: str,
    max_depth: int = MAX_SELECTION_DEPTH,
) -> GenStats:
    """Write the package for an SDL at `package_dir` (created; it must not hold files yet)."""
    started = time.perf_counter()
    sdl, notes = prepare_sdl(sdl_text)
    for note in notes:
        log.info("%s: %s", origin, note)
    schema = build_schema_checked(sdl, origin)
    operations, selection_warnings = _operation_documents(schema, max_depth)
    _check_documents(schema, operations, origin)
    models_text, infos, model_warnings = _generate_models(sdl, origin)
    _check_models(schema, infos, origin)
    # House rule: secrets never reach a repr, and a dataclass prints every field; hide the secret ones.
    hidden = _secret_attributes(schema, infos)
    models_text = hide_attributes(
        models_text, hidden, module="dataclasses", alias="_dataclass_field", origin=f"{origin} (models.py)"
    )

    if package_dir.exists() and (not package_dir.is_dir() or any(package_dir.iterdir())):
        raise PipelineError(f"{package_dir}: already exists and is not an empty directory")
    files = {
        "__init__.py": _init_module(api),
        "models.py": models_text if models_text.endswith("\n") else models_text + "\n",
        "names.py": _names_module(infos),
        "codec.py": _CODEC,
        "operations.py": _operations_module(operations, api),
    }
    try:
        package_dir.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (package_dir / name).write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise PipelineError(f"{package_dir}: cannot write the package: {exc.strerror}") from exc

    roots = [schema.query_type, schema.mutation_type]
    return GenStats(
        api=api,
        operations=sum(len(root.fields) for root in roots if root is not None),
        generated=len(operations),
        models=sum(1 for info in infos if info.kind in _MODEL_KINDS),
        warnings=[*model_warnings, *selection_warnings],
        secret_fields=[
            f"{name}.{attribute}" for name in sorted(hidden) for attribute in sorted(hidden[name])
        ],
        seconds=time.perf_counter() - started,
    )
