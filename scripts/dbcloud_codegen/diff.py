"""Compare two versions of one API's spec: what was added, removed or changed, and what breaks clients.

Both sides must be the same kind of spec: two OpenAPI 3 documents (dicts) or two GraphQL SDL texts.

"Changed" means the canonical JSON of an entry differs, descriptions, summaries and examples
included: the generated clients carry those texts as docstrings, so a reworded description still
changes what a regeneration writes. The breaking rules below look only at structure, so a pure
wording change never counts as breaking.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .documents import Document
from .errors import PipelineError
from .normalize import HTTP_METHODS

__all__ = ["SpecDiff", "diff_specs"]

Entries = dict[str, Any]


@dataclass
class SpecDiff:
    """The differences between an old and a new spec; every list is sorted."""

    operations_added: list[str] = field(default_factory=list)
    operations_removed: list[str] = field(default_factory=list)
    operations_changed: list[str] = field(default_factory=list)
    schemas_added: list[str] = field(default_factory=list)
    schemas_removed: list[str] = field(default_factory=list)
    schemas_changed: list[str] = field(default_factory=list)
    breaking: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The diff as plain data: `operations`, `schemas` (each added/removed/changed) and `breaking`."""
        return {
            "operations": {
                "added": list(self.operations_added),
                "removed": list(self.operations_removed),
                "changed": list(self.operations_changed),
            },
            "schemas": {
                "added": list(self.schemas_added),
                "removed": list(self.schemas_removed),
                "changed": list(self.schemas_changed),
            },
            "breaking": list(self.breaking),
        }

    def _sections(self) -> list[tuple[str, str, list[str]]]:
        return [
            ("Operations added", "+", self.operations_added),
            ("Operations removed", "-", self.operations_removed),
            ("Operations changed", "~", self.operations_changed),
            ("Schemas added", "+", self.schemas_added),
            ("Schemas removed", "-", self.schemas_removed),
            ("Schemas changed", "~", self.schemas_changed),
        ]

    def _count_line(self, label: str, added: list[str], removed: list[str], changed: list[str]) -> str:
        return f"{label}: +{len(added)} -{len(removed)} ~{len(changed)}"

    def format_text(self) -> str:
        """A plain-text report: the counts first, then each non-empty list."""
        lines = [
            self._count_line(
                "operations", self.operations_added, self.operations_removed, self.operations_changed
            ),
            self._count_line("schemas", self.schemas_added, self.schemas_removed, self.schemas_changed),
            f"breaking: {len(self.breaking)}",
        ]
        for heading, marker, items in [("Breaking changes", "!", self.breaking), *self._sections()]:
            if items:
                lines += ["", f"{heading} ({len(items)}):", *(f"  {marker} {item}" for item in items)]
        return "\n".join(lines) + "\n"

    def format_markdown(self, title: str) -> str:
        """A section for specs/CHANGES.md headed `## title`; deterministic, so reruns write the same bytes."""
        lines = [
            f"## {title}",
            "",
            "| | added | removed | changed |",
            "|---|---|---|---|",
            _table_row("operations", self.operations_added, self.operations_removed, self.operations_changed),
            _table_row("schemas", self.schemas_added, self.schemas_removed, self.schemas_changed),
            "",
            f"### Breaking changes ({len(self.breaking)})",
            "",
        ]
        lines += [f"- {_md_escape(item)}" for item in self.breaking] or ["None."]
        for heading, _marker, items in self._sections():
            if items:
                lines += ["", f"### {heading} ({len(items)})", "", *(f"- `{item}`" for item in items)]
        return "\n".join(lines) + "\n"


def _table_row(label: str, added: list[str], removed: list[str], changed: list[str]) -> str:
    return f"| {label} | {len(added)} | {len(removed)} | {len(changed)} |"


def _md_escape(text: str) -> str:
    # Names carry `_` and GraphQL types carry brackets: escape whatever Markdown would read as markup.
    return "".join(f"\\{char}" if char in "\\`*_[]<>|" else char for char in text)


def diff_specs(old: Document | str, new: Document | str) -> SpecDiff:
    """Diff two specs of the same kind: OpenAPI documents (dicts) or GraphQL SDL texts (str).

    An entry counts as changed when anything in it differs, wording included; only structural
    changes can be breaking. Mixing the two kinds raises `PipelineError`.
    """
    if isinstance(old, str) and isinstance(new, str):
        return _diff_sdl(old, new)
    if isinstance(old, dict) and isinstance(new, dict):
        return _diff_openapi(old, new)
    raise PipelineError("cannot compare a GraphQL SDL with an OpenAPI document")


# --- shared -------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    # YAML may give non-string mapping keys (e.g. `200:`); JSON needs strings to sort them.
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _canonical(value: Any) -> str:
    return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False, default=str)


def _compare(old: Entries, new: Entries) -> tuple[list[str], list[str], list[str]]:
    """Added, removed and changed keys between two maps of entries."""
    added = sorted(new.keys() - old.keys())
    removed = sorted(old.keys() - new.keys())
    changed = sorted(key for key in old.keys() & new.keys() if _canonical(old[key]) != _canonical(new[key]))
    return added, removed, changed


def _build(
    old: Entries, new: Entries, old_schemas: Entries, new_schemas: Entries, breaking: Iterable[str]
) -> SpecDiff:
    ops_added, ops_removed, ops_changed = _compare(old, new)
    schemas_added, schemas_removed, schemas_changed = _compare(old_schemas, new_schemas)
    return SpecDiff(
        operations_added=ops_added,
        operations_removed=ops_removed,
        operations_changed=ops_changed,
        schemas_added=schemas_added,
        schemas_removed=schemas_removed,
        schemas_changed=schemas_changed,
        breaking=sorted(set(breaking)),
    )


# --- OpenAPI ------------------------------------------------------------------------------------


def _diff_openapi(old: Document, new: Document) -> SpecDiff:
    """Diff two OpenAPI documents.

    Operations are keyed `METHOD /path`, since some vendors have no operationIds. Each operation is
    compared with its path-level parameters merged in (in a stable order) and `$ref`s to parameters
    and request bodies followed, so a shared parameter that changes shows on every operation using it.

    Breaking: a removed operation or schema (a rename is a removal plus an addition); a new required
    parameter, or a parameter that became required; a request body that became required; a new
    required property; a removed enum value; a type that lost one of its members. The last three are
    checked in component schemas and in the inline schemas of parameters and request bodies (not of
    responses, where a new required property or a lost enum value does not hurt a client). A type
    gaining members (`string` -> `[string, null]`, or `integer` -> `number`) is not breaking.
    """
    old_ops, new_ops = _operations(old), _operations(new)
    old_schemas, new_schemas = _component_schemas(old), _component_schemas(new)
    breaking = [f"removed operation {key}" for key in old_ops.keys() - new_ops.keys()]
    breaking += [f"removed schema {name}" for name in old_schemas.keys() - new_schemas.keys()]
    for key in old_ops.keys() & new_ops.keys():
        breaking += _operation_breaks(key, old_ops[key], new_ops[key])
    for name in old_schemas.keys() & new_schemas.keys():
        breaking += _schema_breaks(old_schemas[name], new_schemas[name], f"schema {name}")
    return _build(old_ops, new_ops, old_schemas, new_schemas, breaking)


def _component_schemas(doc: Document) -> Entries:
    components = doc.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return {str(name): schema for name, schema in schemas.items()} if isinstance(schemas, dict) else {}


def _resolve(doc: Document, node: Any) -> Any:
    """Follow local `$ref`s (`#/...`); an unresolvable or looping ref is returned as it is."""
    for _hop in range(32):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return node
        target: Any = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return node
            target = target[part]
        node = target
    return node


def _operations(doc: Document) -> Entries:
    result: Entries = {}
    paths = doc.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        item = _resolve(doc, item)
        if not isinstance(item, dict):
            continue
        shared = item.get("parameters")
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                result[f"{method.upper()} {path}"] = _effective_operation(doc, operation, shared)
    return result


def _effective_operation(doc: Document, operation: dict[str, Any], shared: Any) -> dict[str, Any]:
    params: dict[tuple[str, str], Any] = {}
    for source in (shared, operation.get("parameters")):
        for param in source if isinstance(source, list) else []:
            param = _resolve(doc, param)
            if isinstance(param, dict):
                params[(str(param.get("in")), str(param.get("name")))] = param
    effective = dict(operation)
    if params or "parameters" in operation:
        effective["parameters"] = [params[key] for key in sorted(params)]
    if "requestBody" in operation:
        effective["requestBody"] = _resolve(doc, operation["requestBody"])
    return effective


def _parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An effective operation's parameters keyed by a label such as `query parameter limit`."""
    return {
        f"{param.get('in')} parameter {param.get('name')}": param for param in operation.get("parameters", [])
    }


def _operation_breaks(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    breaks: list[str] = []
    old_params, new_params = _parameters(old), _parameters(new)
    for name, param in new_params.items():
        was = old_params.get(name)
        if param.get("required") is True and was is None:
            breaks.append(f"new required {name} in {key}")
        elif param.get("required") is True and was is not None and was.get("required") is not True:
            breaks.append(f"{name} became required in {key}")
        if was is not None:
            breaks += _schema_breaks(was.get("schema"), param.get("schema"), f"{name} of {key}")
    return breaks + _body_breaks(key, old.get("requestBody"), new.get("requestBody"))


def _body_breaks(key: str, old: Any, new: Any) -> list[str]:
    if not isinstance(new, dict):
        return []
    breaks: list[str] = []
    was_required = isinstance(old, dict) and old.get("required") is True
    if new.get("required") is True and not was_required:
        verb = "became required" if isinstance(old, dict) else "is new and required"
        breaks.append(f"request body {verb} in {key}")
    old_content = old.get("content") if isinstance(old, dict) else None
    new_content = new.get("content")
    if isinstance(old_content, dict) and isinstance(new_content, dict):
        for media in sorted(old_content.keys() & new_content.keys(), key=str):
            old_schema, new_schema = (_media_schema(content[media]) for content in (old_content, new_content))
            breaks += _schema_breaks(old_schema, new_schema, f"request body {media} of {key}")
    return breaks


def _media_schema(media: Any) -> Any:
    return media.get("schema") if isinstance(media, dict) else None


def _schema_breaks(old: Any, new: Any, where: str) -> list[str]:
    """Breaking changes between two inline schemas; `$ref`s are left alone (components diff on their own)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return []
    breaks = _type_breaks(old, new, where) + _enum_breaks(old, new, where) + _required_breaks(old, new, where)
    old_props, new_props = old.get("properties"), new.get("properties")
    if isinstance(old_props, dict) and isinstance(new_props, dict):
        for name in sorted(old_props.keys() & new_props.keys(), key=str):
            breaks += _schema_breaks(old_props[name], new_props[name], f"{where}.{name}")
    return breaks + _schema_breaks(old.get("items"), new.get("items"), f"{where}[]")


def _types(schema: dict[str, Any]) -> frozenset[str] | None:
    declared = schema.get("type")
    if isinstance(declared, str):
        types = {declared}
    elif isinstance(declared, list) and all(isinstance(item, str) for item in declared):
        types = set(declared)
    else:
        return None
    if schema.get("nullable") is True:  # the 3.0 spelling of a `null` member
        types.add("null")
    return frozenset(types)


def _format_types(types: frozenset[str]) -> str:
    return "|".join(sorted(types, key=lambda name: (name == "null", name)))


def _type_breaks(old: dict[str, Any], new: dict[str, Any], where: str) -> list[str]:
    old_types, new_types = _types(old), _types(new)
    if old_types is None or new_types is None:
        return []
    # An integer is still accepted where a number is; any other lost member narrows the type.
    lost = {
        name
        for name in old_types
        if name not in new_types and not (name == "integer" and "number" in new_types)
    }
    if not lost:
        return []
    return [f"type of {where} changed from {_format_types(old_types)} to {_format_types(new_types)}"]


def _enum_breaks(old: dict[str, Any], new: dict[str, Any], where: str) -> list[str]:
    old_values, new_values = old.get("enum"), new.get("enum")
    if not isinstance(old_values, list) or not isinstance(new_values, list):
        return []  # dropping the enum altogether widens the schema
    kept = {_canonical(value) for value in new_values}
    return [
        f"removed enum value {_canonical(value)} from {where}"
        for value in old_values
        if _canonical(value) not in kept
    ]


def _required_breaks(old: dict[str, Any], new: dict[str, Any], where: str) -> list[str]:
    old_required, new_required = _required(old), _required(new)
    return [f"new required property {name} in {where}" for name in sorted(new_required - old_required)]


def _required(schema: dict[str, Any]) -> set[str]:
    names = schema.get("required")
    return {name for name in names if isinstance(name, str)} if isinstance(names, list) else set()


# --- GraphQL SDL --------------------------------------------------------------------------------


def _diff_sdl(old: str, new: str) -> SpecDiff:
    """Diff two GraphQL SDL texts.

    Operations are the fields of the root types (`query name`, `mutation name`, `subscription name`),
    gathered from `extend type` blocks too: the Anywhere SDL has no base `type Query` at all. Schemas
    are the other named types, each with its extensions merged in.

    Breaking: a removed root field, type, enum value or output field; a new non-null argument or input
    field without a default; a type whose kind changed; a field or argument type change that narrows
    what clients may rely on. An output field may gain `!` (clients get a stronger promise) and an
    argument or input field may lose it (clients may send less); any other type change is breaking.
    """
    old_ops, old_types = _sdl_model(old)
    new_ops, new_types = _sdl_model(new)
    breaking = [f"removed operation {key}" for key in old_ops.keys() - new_ops.keys()]
    breaking += [f"removed type {name}" for name in old_types.keys() - new_types.keys()]
    for key in old_ops.keys() & new_ops.keys():
        breaking += _field_breaks(old_ops[key], new_ops[key], key)
    for name in old_types.keys() & new_types.keys():
        breaking += _gql_type_breaks(name, old_types[name], new_types[name])
    return _build(old_ops, new_ops, old_types, new_types, breaking)


_ROOT_KINDS = {"Query": "query", "Mutation": "mutation", "Subscription": "subscription"}


def _sdl_model(text: str) -> tuple[Entries, Entries]:
    """Root fields keyed `kind name`, and every other named type as plain data."""
    from graphql import GraphQLSyntaxError, parse

    try:
        document = parse(text, no_location=True)
    except GraphQLSyntaxError as exc:
        raise PipelineError(f"not valid GraphQL SDL: {exc.message} at {exc.locations}") from exc
    types: Entries = {}
    roots = dict(_ROOT_KINDS)
    for node in document.definitions:
        roots |= _root_names(node)
        kind = _gql_kind(node)
        if kind is not None:
            _merge_type(types, kind, node)
    operations: Entries = {}
    for type_name, op_kind in roots.items():
        root = types.pop(type_name, None)
        for field_name, spec in (root or {}).get("fields", {}).items():
            operations[f"{op_kind} {field_name}"] = spec
    return operations, types


def _root_names(node: Any) -> dict[str, str]:
    from graphql import SchemaDefinitionNode, SchemaExtensionNode

    if not isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
        return {}
    return {op.type.name.value: op.operation.value for op in node.operation_types or ()}


def _gql_kind(node: Any) -> str | None:
    from graphql import (
        EnumTypeDefinitionNode,
        EnumTypeExtensionNode,
        InputObjectTypeDefinitionNode,
        InputObjectTypeExtensionNode,
        InterfaceTypeDefinitionNode,
        InterfaceTypeExtensionNode,
        ObjectTypeDefinitionNode,
        ObjectTypeExtensionNode,
        ScalarTypeDefinitionNode,
        ScalarTypeExtensionNode,
        UnionTypeDefinitionNode,
        UnionTypeExtensionNode,
    )

    kinds: list[tuple[tuple[type, ...], str]] = [
        ((ObjectTypeDefinitionNode, ObjectTypeExtensionNode), "object"),
        ((InterfaceTypeDefinitionNode, InterfaceTypeExtensionNode), "interface"),
        ((InputObjectTypeDefinitionNode, InputObjectTypeExtensionNode), "input"),
        ((EnumTypeDefinitionNode, EnumTypeExtensionNode), "enum"),
        ((UnionTypeDefinitionNode, UnionTypeExtensionNode), "union"),
        ((ScalarTypeDefinitionNode, ScalarTypeExtensionNode), "scalar"),
    ]
    return next((kind for classes, kind in kinds if isinstance(node, classes)), None)


def _merge_type(types: Entries, kind: str, node: Any) -> None:
    """Fold one definition or extension into the type's entry."""
    entry: dict[str, Any] = types.setdefault(node.name.value, {"kind": kind})
    description = getattr(node, "description", None)
    if description is not None:
        entry["description"] = description.value
    _extend_list(entry, "directives", _directives(node))
    _extend_list(entry, "interfaces", [named.name.value for named in getattr(node, "interfaces", None) or ()])
    _extend_list(entry, "members", [named.name.value for named in getattr(node, "types", None) or ()])
    for value in getattr(node, "values", None) or ():
        entry.setdefault("values", {})[value.name.value] = _described(value)
    for field_node in getattr(node, "fields", None) or ():
        spec = _input_value(field_node) if kind == "input" else _field(field_node)
        entry.setdefault("fields", {})[field_node.name.value] = spec


def _extend_list(entry: dict[str, Any], key: str, items: list[str]) -> None:
    if items:
        entry[key] = sorted({*entry.get(key, []), *items})


def _directives(node: Any) -> list[str]:
    from graphql import print_ast

    return [print_ast(directive) for directive in getattr(node, "directives", None) or ()]


def _described(node: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if node.description is not None:
        spec["description"] = node.description.value
    if directives := _directives(node):
        spec["directives"] = directives
    return spec


def _field(node: Any) -> dict[str, Any]:
    from graphql import print_ast

    spec = {"type": print_ast(node.type), **_described(node)}
    if node.arguments:
        spec["args"] = {arg.name.value: _input_value(arg) for arg in node.arguments}
    return spec


def _input_value(node: Any) -> dict[str, Any]:
    from graphql import print_ast

    spec = {"type": print_ast(node.type), **_described(node)}
    if node.default_value is not None:
        spec["default"] = print_ast(node.default_value)
    return spec


def _gql_type_breaks(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    if old["kind"] != new["kind"]:
        return [f"kind of type {name} changed from {old['kind']} to {new['kind']}"]
    old_values, new_values = old.get("values", {}), new.get("values", {})
    breaks = [
        f"removed enum value {value} from {name}" for value in sorted(old_values.keys() - new_values.keys())
    ]
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    if old["kind"] == "input":
        return breaks + _input_breaks(old_fields, new_fields, f"input field {name}.{{}}")
    breaks += [f"removed field {name}.{field}" for field in sorted(old_fields.keys() - new_fields.keys())]
    for field_name in sorted(old_fields.keys() & new_fields.keys()):
        breaks += _field_breaks(old_fields[field_name], new_fields[field_name], f"field {name}.{field_name}")
    return breaks


def _field_breaks(old: dict[str, Any], new: dict[str, Any], where: str) -> list[str]:
    breaks = []
    if not _narrows_safely(old["type"], new["type"]):
        breaks.append(f"type of {where} changed from {old['type']} to {new['type']}")
    return breaks + _input_breaks(old.get("args", {}), new.get("args", {}), f"argument {{}} of {where}")


def _input_breaks(old: dict[str, Any], new: dict[str, Any], label: str) -> list[str]:
    """New non-null inputs without a default, and input types clients can no longer satisfy.

    `label` holds a `{}` for the input's name, e.g. `argument {} of query awsEnv`.
    """
    breaks = []
    for name in sorted(new):
        spec, was = new[name], old.get(name)
        if was is None and spec["type"].endswith("!") and "default" not in spec:
            breaks.append(f"new non-null {label.format(name + ': ' + spec['type'])}")
        elif was is not None and not _narrows_safely(spec["type"], was["type"]):
            breaks.append(f"type of {label.format(name)} changed from {was['type']} to {spec['type']}")
    return breaks


def _narrows_safely(old: str, new: str) -> bool:
    """Whether an output type `new` promises at least what `old` did (same type, `!` only added).

    Called with the two sides swapped, it answers the same question for inputs: whether every value
    accepted by `old` is still accepted by `new`.
    """
    if old == new:
        return True
    if new.endswith("!"):
        return _narrows_safely(old.removesuffix("!"), new[:-1])
    if old.startswith("[") and old.endswith("]") and new.startswith("[") and new.endswith("]"):
        return _narrows_safely(old[1:-1], new[1:-1])
    return False
