"""Generic repairs for defects that vendor OpenAPI documents share.

Each pass takes the document, mends it in place and returns notes, one per repair, that say what it
changed and where. Nothing here knows a vendor: vendor-specific fixes are Overlay documents in
specs/overlays/. The passes run in two groups around the overlays:

- `STRUCTURAL` passes make the document well-formed enough for an overlay's JSONPath to find its
  targets (an `info` object, Schema objects where Schemas belong);
- `SEMANTIC` passes run after the overlays, so an overlay can name an operation or repair a
  reference before the generic fallback (a derived operationId, an untyped Schema) kicks in.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from .documents import Document
from .errors import PipelineError
from .secret_fields import SECRET_MARK, secret_reason

__all__ = [
    "BODY_MARK",
    "HTTP_METHODS",
    "SEMANTIC",
    "STRUCTURAL",
    "UUID_MARK",
    "derive_operation_id",
    "iter_operations",
    "iter_schemas",
    "normalize",
]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Pass = Callable[[Document], list[str]]

_TOP_LEVEL = {
    "openapi",
    "info",
    "jsonSchemaDialect",
    "servers",
    "paths",
    "webhooks",
    "components",
    "security",
    "tags",
    "externalDocs",
}
_INFO_KEYS = ("title", "summary", "description", "termsOfService", "contact", "license", "version")


def iter_operations(doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (path, method, operation) of the document, in document order."""
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in item:
            if method in HTTP_METHODS and isinstance(item[method], dict):
                yield path, method, item[method]


# Keys whose values are data, not spec structure: a pass must not "repair" an example.
_DATA_KEYS = frozenset({"example", "examples", "default", "enum", "const", "x-dbcloud-enum"})


def _walk(node: Any, where: str = "#") -> Iterator[tuple[Any, str]]:
    """Every dict and list of spec structure below `node`, with a JSON-pointer-like location."""
    yield node, where
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict | list) and key not in _DATA_KEYS:
                yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict | list):
                yield from _walk(value, f"{where}/{index}")


# --- structural passes ---------------------------------------------------------------------------


def repair_info(doc: Document) -> list[str]:
    """Build `info` from keys left at the top level; drop top-level keys OpenAPI does not allow."""
    notes: list[str] = []
    info = doc.get("info")
    if not isinstance(info, dict):
        info = {}
        doc["info"] = info
        notes.append("info: missing; built from top-level keys")
    for key in _INFO_KEYS:
        if key in doc and key not in _TOP_LEVEL:
            value = doc.pop(key)
            if key not in info and value is not None:
                info[key] = value
                notes.append(f"info: moved top-level `{key}` into info")
    info.setdefault("title", "API")
    if "version" not in info:
        info["version"] = "0"
        notes.append("info: no version; set to '0'")
    elif not isinstance(info["version"], str):
        info["version"] = str(info["version"])
        notes.append("info.version: not a string; converted")
    for key in [k for k in doc if k not in _TOP_LEVEL and not k.startswith("x-")]:
        doc.pop(key)
        notes.append(f"top level: removed stray key `{key}`")
    return notes


def repair_schema_arrays(doc: Document) -> list[str]:
    """An array where a Schema (or a map of Schemas) is required becomes an empty one.

    ACM writes `schema: []` for "no particular shape"; the empty Schema `{}` means that.
    """
    counts: Counter[str] = Counter()
    for node, _ in list(_walk(doc)):
        if not isinstance(node, dict):
            continue
        for key in ("schema", "items", "not", "additionalProperties", "properties", "schemas"):
            if isinstance(node.get(key), list):
                node[key] = {}
                counts[key] += 1
    return [f"`{key}: []` replaced by `{{}}` ({n}x)" for key, n in sorted(counts.items())]


STRUCTURAL: list[Pass] = [repair_info, repair_schema_arrays]


# --- semantic passes -----------------------------------------------------------------------------


_MISSING = object()


def _lookup(doc: Document, ref: str) -> Any:
    """What a local `$ref` names, or `_MISSING`."""
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node


def _resolve(doc: Document, ref: str) -> bool:
    return _lookup(doc, ref) is not _MISSING


def repair_dangling_refs(doc: Document) -> list[str]:
    """A `$ref` to a Schema that does not exist becomes an untyped Schema, said in its description.

    Refs to other component kinds cannot be guessed at; they are left for validation to report.
    """
    notes: list[str] = []
    for node, where in list(_walk(doc)):
        ref = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/components/schemas/") or _resolve(doc, ref):
            continue
        node.pop("$ref")
        node["description"] = f"Untyped: the vendor's spec refers to {ref}, which it does not define."
        notes.append(f"{where}: dangling {ref} replaced by an untyped schema")
    return notes


def repair_discriminator_mappings(doc: Document) -> list[str]:
    """A discriminator whose values are not the names of its members' Schemas gets a mapping.

    Without `mapping`, OpenAPI reads a discriminator's value as the name of the Schema to use, so
    `{"type": "webhook"}` under `oneOf: [AlertChannelWebhook]` names a `webhook` Schema that does not
    exist, and a validator cannot read the answer. Each member's own values for the property (its
    `enum` or `const`) map to it; a value two members claim is left unmapped.
    """
    notes: list[str] = []
    for node, where in list(_walk(doc)):
        if not isinstance(node, dict) or not isinstance(node.get("discriminator"), dict):
            continue
        discriminator = node["discriminator"]
        prop = discriminator.get("propertyName")
        members = [m for m in node.get("oneOf") or node.get("anyOf") or [] if isinstance(m, dict)]
        refs = [m["$ref"] for m in members if isinstance(m.get("$ref"), str)]
        if not isinstance(prop, str) or not refs:
            continue
        mapping = discriminator.get("mapping") or {}
        claims: dict[str, list[str]] = {}
        for ref in refs:
            for value in _discriminator_values(doc, ref, prop):
                claims.setdefault(value, []).append(ref)
        added = {
            value: owners[0]
            for value, owners in claims.items()
            if len(set(owners)) == 1
            and value not in mapping
            and not _resolve(doc, f"#/components/schemas/{value}")
        }
        if added:
            discriminator["mapping"] = {**mapping, **added}
            notes.append(f"{where}: discriminator {prop!r} mapped {sorted(added)} to their Schemas")
    return notes


def repair_optional_discriminators(doc: Document) -> list[str]:
    """A discriminator that some member does not require is dropped; the oneOf alone decides.

    A discriminator's property must be present in every instance, so a member that may leave it out
    cannot be chosen by it: ClickStack OSS's LineChartConfig is discriminated by `configType`, which
    its builder variant neither requires nor declares (and HyperDX's own answers leave out), so a
    validator refused every builder chart. Runs after `repair_discriminator_mappings`.
    """
    notes: list[str] = []
    for node, where in list(_walk(doc)):
        if not isinstance(node, dict) or not isinstance(node.get("discriminator"), dict):
            continue
        prop = node["discriminator"].get("propertyName")
        members = [m for m in node.get("oneOf") or node.get("anyOf") or [] if isinstance(m, dict)]
        if not isinstance(prop, str) or not members:
            continue
        if all(_requires(doc, member, prop, set()) for member in members):
            continue
        node.pop("discriminator")
        notes.append(f"{where}: discriminator {prop!r} dropped, as a member does not require it")
    return notes


def _requires(doc: Document, schema: Any, prop: str, seen: set[str]) -> bool:
    """Whether every instance of `schema` must hold `prop` (its `$ref`s, allOf and oneOf followed)."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        if schema["$ref"] in seen:
            return False
        seen = seen | {schema["$ref"]}
    schema = _follow(doc, schema)
    if not isinstance(schema, dict):
        return False
    if prop in (schema.get("required") or []):
        return True
    if any(_requires(doc, part, prop, seen) for part in schema.get("allOf") or []):
        return True
    branches = schema.get("oneOf") or schema.get("anyOf") or []
    return bool(branches) and all(_requires(doc, branch, prop, seen) for branch in branches)


def _discriminator_values(doc: Document, ref: str, prop: str) -> list[str]:
    """The values a member Schema allows for the discriminator's property (`enum` or `const`)."""
    schema = _follow(doc, ref)
    field = _follow(doc, ((schema or {}).get("properties") or {}).get(prop))
    if not isinstance(field, dict):
        return []
    if "const" in field:
        return [str(field["const"])]
    return [str(value) for value in field.get("enum") or [] if value is not None]


def _follow(doc: Document, node: Any) -> Any:
    """The Schema `node` is (a `$ref` string or a Schema), its `$ref`s followed; None if missing."""
    if isinstance(node, str):
        node = {"$ref": node}
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
        seen.add(node["$ref"])
        node = _lookup(doc, node["$ref"])
    return None if node is _MISSING else node


_TEMPLATE_VAR = re.compile(r"{([^{}]+)}")


def repair_path_parameters(doc: Document) -> list[str]:
    """Path parameters must match the path template one to one and be required."""
    notes: list[str] = []
    for path, item in (doc.get("paths") or {}).items():
        names = _TEMPLATE_VAR.findall(path)
        shared = [p for p in item.get("parameters", []) if isinstance(p, dict)]
        for method in (m for m in HTTP_METHODS if isinstance(item.get(m), dict)):
            op = item[method]
            params = op.setdefault("parameters", [])
            declared = set()
            for param in (p for p in params + shared if isinstance(p, dict) and p.get("in") == "path"):
                if param.get("name") in names:
                    declared.add(param["name"])
                    if param.get("required") is not True:
                        param["required"] = True
                        notes.append(f"{method.upper()} {path}: path parameter {param['name']} made required")
                else:
                    # Not in the template, so it cannot travel in the path: keep it usable as a query
                    # parameter rather than silently dropping what the vendor documented.
                    param["in"] = "query"
                    param["required"] = False
                    notes.append(
                        f"{method.upper()} {path}: parameter {param.get('name')!r} is not in the path "
                        "template; moved to the query"
                    )
            for name in names:
                if name not in declared:
                    params.append(
                        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                    )
                    notes.append(f"{method.upper()} {path}: undeclared path parameter {name!r} added")
    return notes


BODY_MARK = "x-dbcloud-body"
"""Operation extension an overlay sets to send the operation's query parameters as a request body."""

_BODY_MEDIA = ("application/json", "application/x-www-form-urlencoded")
_NO_BODY_METHODS = ("get", "head", "delete", "options", "trace")


def _body_target(op: dict[str, Any], label: str) -> tuple[str, str | None]:
    """The media type and the optional component name an operation's `x-dbcloud-body` asks for."""
    mark = op.pop(BODY_MARK)
    media, component = (mark, None) if isinstance(mark, str) else (None, None)
    if isinstance(mark, dict):
        media, component = mark.get("media"), mark.get("schema")
        unknown = sorted(set(mark) - {"media", "schema"})
        if unknown:
            raise PipelineError(f"{label}: {BODY_MARK} has unknown keys {unknown}")
    if media not in _BODY_MEDIA:
        raise PipelineError(f"{label}: {BODY_MARK} must name one of {list(_BODY_MEDIA)}, got {media!r}")
    if component is not None and not isinstance(component, str):
        raise PipelineError(f"{label}: {BODY_MARK}.schema must be a component name")
    return media, component


def move_query_to_body(doc: Document) -> list[str]:
    """Send the query parameters of operations marked `x-dbcloud-body` as their request body.

    Some vendors document every input as a query parameter, POSTs included, where their own tools
    send a body (ACM's spec has no requestBody at all; its CLI posts JSON and forms). A value in the
    query lands in the access logs of the vendor and of every proxy in between, so for operations
    that carry a secret or a document, an overlay marks the operation with the body its vendor takes:

        x-dbcloud-body: application/x-www-form-urlencoded
        x-dbcloud-body: {media: application/json, schema: ClusterLaunchRequest}

    The query parameters become the properties of the body, typed as the query typed them and
    required when they were; path and header parameters stay. With `schema`, the named component is
    the body: its own properties win over the query's (so the overlay gives the documented JSON types),
    and the query parameters it does not declare are added to it. The mark is removed.
    """
    notes: list[str] = []
    components = (doc.get("components") or {}).get("schemas") or {}
    for path, method, op in iter_operations(doc):
        if BODY_MARK not in op:
            continue
        label = f"{method.upper()} {path}"
        media, component = _body_target(op, label)
        if method in _NO_BODY_METHODS:
            raise PipelineError(f"{label}: a {method.upper()} has no body to move its query into")
        if op.get("requestBody") is not None:
            raise PipelineError(f"{label}: {BODY_MARK} on an operation that already has a requestBody")
        params = op.get("parameters") or []
        query = [p for p in params if isinstance(p, dict) and p.get("in") == "query"]
        op["parameters"] = [p for p in params if p not in query]
        if component is not None and not isinstance(components.get(component), dict):
            raise PipelineError(f"{label}: {BODY_MARK} names the schema {component!r}, which does not exist")
        declared: dict[str, Any] = (
            dict(components[component].get("properties") or {}) if component is not None else {}
        )
        properties: dict[str, Any] = {}
        required: list[str] = []
        for param in query:
            name = str(param.get("name"))
            prop = declared.pop(name, None)
            if prop is None:
                prop = dict(param.get("schema") or {})
                if param.get("description") and "description" not in prop:
                    prop["description"] = param["description"]
            properties[name] = prop
            if param.get("required") is True:
                required.append(name)
        properties.update(declared)  # the component's own fields the query never had
        schema: dict[str, Any] = {"type": "object", "properties": properties}
        if component is not None:
            target = components[component]
            target["properties"] = properties
            required = list(dict.fromkeys([*(target.get("required") or []), *required]))
            if required:
                target["required"] = required
            body_schema: dict[str, Any] = {"$ref": f"#/components/schemas/{component}"}
        else:
            if required:
                schema["required"] = required
            body_schema = schema
        op["requestBody"] = {"required": bool(required), "content": {media: {"schema": body_schema}}}
        names = ", ".join(str(p.get("name")) for p in query) or "no query parameters"
        notes.append(f"{label}: {names} sent as a {media} body" + (f" ({component})" if component else ""))
    return notes


def derive_operation_id(method: str, path: str) -> str:
    """A readable operationId from method and path: `GET /cluster/{id}/nodes` → `get_cluster_nodes`."""
    words = [method.lower()]
    for segment in path.strip("/").split("/"):
        literal = _TEMPLATE_VAR.sub("", segment)
        words += re.findall(r"[A-Za-z0-9]+", literal)
    return "_".join(w.lower() for w in words if w) or method.lower()


def _by_params_id(method: str, path: str) -> str:
    params = _TEMPLATE_VAR.findall(path)
    suffix = "_by_" + "_and_".join(re.sub(r"\W+", "_", p).strip("_").lower() for p in params)
    return derive_operation_id(method, path) + (suffix if params else "")


def _python_name(operation_id: str) -> str:
    # The generator names modules and models from the snake_case of the operationId; ids that differ
    # only in case or punctuation collide there, and it overwrites one without a word.
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", operation_id)
    return "_".join(words).lower()


def repair_operation_ids(doc: Document) -> list[str]:
    """Give every operation a unique operationId, derived from method and path where it has none.

    Uniqueness is checked on the generated Python name too, since the generator keys its modules
    and models on it.
    """
    notes: list[str] = []
    ops = list(iter_operations(doc))
    taken: Counter[str] = Counter(
        _python_name(op["operationId"]) for _, _, op in ops if isinstance(op.get("operationId"), str)
    )
    derived = Counter(
        derive_operation_id(m, p) for p, m, op in ops if not isinstance(op.get("operationId"), str)
    )
    seen: set[str] = set()
    for path, method, op in ops:
        current = op.get("operationId")
        if isinstance(current, str) and _python_name(current) not in seen:
            seen.add(_python_name(current))
            continue
        base = derive_operation_id(method, path)
        candidate = (
            base if derived[base] == 1 and taken[_python_name(base)] == 0 else _by_params_id(method, path)
        )
        n = 2
        unique = candidate
        while _python_name(unique) in seen or (unique != current and taken[_python_name(unique)]):
            unique = f"{candidate}_{n}"
            n += 1
        seen.add(_python_name(unique))
        op["operationId"] = unique
        if isinstance(current, str):
            notes.append(f"{method.upper()} {path}: duplicate operationId {current!r} renamed {unique!r}")
        else:
            notes.append(f"{method.upper()} {path}: operationId {unique!r} derived")
    return notes


_IDENTIFIER_TITLE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


def repair_titles(doc: Document) -> list[str]:
    """Keep Schema titles only where they make good, unique class names.

    The generator names a model after its Schema's title. A sentence as title (CockroachDB has many)
    becomes a file name longer than the file system allows; the same title on two different Schemas
    makes two models fight over one name. Such titles move to the description or go.
    """
    notes: list[str] = []
    titled = [
        (node, where)
        for node, where in _walk(doc)
        if isinstance(node, dict) and isinstance(node.get("title"), str) and _is_schema_location(where)
    ]
    by_title: dict[str, set[str]] = {}
    for node, _ in titled:
        by_title.setdefault(node["title"], set()).add(_canonical(node))
    for node, where in titled:
        title = node["title"]
        if not _IDENTIFIER_TITLE.match(title):
            node.pop("title")
            node.setdefault("description", title)
            notes.append(f"{where}: prose title removed")
        elif len(by_title[title]) > 1:
            node.pop("title")
            notes.append(f"{where}: title {title!r} is shared by different schemas; removed")
    return notes


def _is_schema_location(where: str) -> bool:
    # Titles on info, tags or examples are not Schema titles.
    return not where.startswith("#/info") and "/examples/" not in where and not where.endswith("/example")


def _canonical(node: Any) -> str:
    return json.dumps(node, sort_keys=True, default=str)


def check_parameter_names(doc: Document) -> list[str]:
    """Refuse parameters whose names fold onto one Python argument name.

    The generator turns wire names Python cannot spell (`pagination.page`) into identifiers
    (`pagination_page`) and keeps the wire name for the request; two names that fold together
    (`pagination.page` and `pagination_page`) would silently leave one argument out. No generic
    rename is right, so this stops with both names for an overlay to settle.
    """
    for path, method, op in iter_operations(doc):
        folded: dict[tuple[str, str], str] = {}
        for param in (p for p in op.get("parameters", []) if isinstance(p, dict) and "name" in p):
            name = param["name"]
            key = (str(param.get("in", "")), _python_name(re.sub(r"\W", "_", name)))
            if key in folded and folded[key] != name:
                raise PipelineError(
                    f"{method.upper()} {path}: parameters {folded[key]!r} and {name!r} both become the "
                    f"Python argument {key[1]!r}; rename one in an overlay"
                )
            folded[key] = name
    return []


def repair_number_enums(doc: Document) -> list[str]:
    """An enum of non-integer numbers, which the generator cannot model, becomes a documented number."""
    notes: list[str] = []
    for node, where in list(_walk(doc)):
        values = node.get("enum") if isinstance(node, dict) else None
        if not isinstance(values, list) or not any(isinstance(v, float) for v in values):
            continue
        node.pop("enum")
        allowed = ", ".join(str(v) for v in values)
        node["description"] = (node.get("description", "") + f" Allowed values: {allowed}.").strip()
        node["x-dbcloud-enum"] = values
        notes.append(f"{where}: number enum [{allowed}] kept as a documented number")
    return notes


def hoist_union_members(doc: Document) -> list[str]:
    """Move inline object members of a component's oneOf/anyOf into components of their own.

    openapi-python-client parses a component union twice when it resolves references, and then
    refuses the second copy of any model nested inside an inline member ("duplicate model"), which
    drops the whole component. A named member is parsed once. The new names are the ones the
    generator would have given the inline members (`<Component>Type<n>`), so model names do not move.
    """
    notes: list[str] = []
    schemas = (doc.get("components") or {}).get("schemas") or {}
    for name in list(schemas):
        schema = schemas[name]
        if not isinstance(schema, dict):
            continue
        for keyword in ("oneOf", "anyOf"):
            members = schema.get(keyword)
            if not isinstance(members, list):
                continue
            for index, member in enumerate(members):
                if not _is_nested_object(member):
                    continue
                new_name = f"{name}Type{index}"
                if new_name in schemas:
                    continue
                schemas[new_name] = member
                members[index] = {"$ref": f"#/components/schemas/{new_name}"}
                notes.append(f"components.schemas.{name}.{keyword}[{index}]: hoisted to {new_name}")
    return notes


def _is_nested_object(member: Any) -> bool:
    if not isinstance(member, dict) or "$ref" in member or not isinstance(member.get("properties"), dict):
        return False
    return any(
        isinstance(prop, dict) and (prop.get("type") == "object" or isinstance(prop.get("items"), dict))
        for prop in member["properties"].values()
    )


_SUPPORTED_BODY = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def repair_content_types(doc: Document) -> list[str]:
    """Media types the generator skips get the nearest one it reads, so no response is dropped.

    `*/*` and vendor types such as `application/x-pem-file` become `text/plain` for string Schemas,
    `application/octet-stream` for binary ones and `application/json` otherwise.
    """
    notes: list[str] = []
    for path, method, op in iter_operations(doc):
        bodies: list[tuple[str, dict[str, Any]]] = []
        body = op.get("requestBody")
        if isinstance(body, dict) and isinstance(body.get("content"), dict):
            bodies.append(("request body", body["content"]))
        for status, response in (op.get("responses") or {}).items():
            if isinstance(response, dict) and isinstance(response.get("content"), dict):
                bodies.append((f"response {status}", response["content"]))
        for label, content in bodies:
            for media in list(content):
                if _generator_reads(media, label):
                    continue
                replacement = _nearest_media_type(content[media], label)
                if replacement in content:
                    content.pop(media)
                else:
                    content[replacement] = content.pop(media)
                notes.append(f"{method.upper()} {path} {label}: {media} read as {replacement}")
    return notes


def _generator_reads(media: str, label: str) -> bool:
    base = media.split(";")[0].strip().lower()
    if label == "request body":
        return base in _SUPPORTED_BODY or base == "application/octet-stream" or base.endswith("+json")
    return (
        base.startswith("text/")
        or base in {"application/json", "application/octet-stream"}
        or base.endswith("+json")
    )


def _nearest_media_type(media_object: Any, label: str) -> str:
    schema = media_object.get("schema", {}) if isinstance(media_object, dict) else {}
    if isinstance(schema, dict) and schema.get("format") == "binary":
        return "application/octet-stream"
    if isinstance(schema, dict) and schema.get("type") == "string" and label != "request body":
        return "text/plain"
    return "application/json"


# Example values shaped like live credentials: the generator copies examples into docstrings, and
# secret scanners flag the copies even when the vendor meant a placeholder.
_SECRET_SHAPES = [
    (
        re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"),
        "https://hooks.slack.com/services/<webhook-path>",
    ),
    (re.compile(r"\bAKIA[0-9A-Z]{16}\b"), "<aws-access-key-id>"),
    (re.compile(r"\bxox[abpr]-[A-Za-z0-9-]{10,}"), "<slack-token>"),
]


def redact_example_secrets(doc: Document) -> list[str]:
    """Replace credential-shaped example values with a neutral placeholder."""
    notes: list[str] = []

    def scrub(node: Any, where: str) -> Any:
        if isinstance(node, dict):
            return {key: scrub(value, f"{where}/{key}") for key, value in node.items()}
        if isinstance(node, list):
            return [scrub(value, f"{where}/{i}") for i, value in enumerate(node)]
        if isinstance(node, str):
            for shape, placeholder in _SECRET_SHAPES:
                if shape.search(node):
                    node = shape.sub(placeholder, node)
                    notes.append(f"{where}: credential-shaped example replaced")
        return node

    for node, where in list(_walk(doc)):
        if isinstance(node, dict):
            for key in ("example", "examples", "description"):
                if key in node:
                    node[key] = scrub(node[key], f"{where}/{key}")
    return notes


# Keywords whose value is one Schema, a list of Schemas, or a map of names to Schemas.
_SUBSCHEMA = ("items", "not", "additionalProperties", "contains", "if", "then", "else", "propertyNames")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")


def iter_schemas(doc: Document) -> Iterator[tuple[dict[str, Any], str]]:
    """Every Schema object of the document once, with its location: the component Schemas, the
    `schema` of parameters, headers and media types, and every Schema nested in those."""
    components = (doc.get("components") or {}).get("schemas") or {}
    roots = [(schema, f"#/components/schemas/{name}") for name, schema in components.items()]
    roots += [
        (node["schema"], f"{where}/schema")
        for node, where in _walk(doc)
        if isinstance(node, dict) and isinstance(node.get("schema"), dict)
    ]
    seen: set[int] = set()
    stack = [(schema, where) for schema, where in reversed(roots) if isinstance(schema, dict)]
    while stack:
        schema, where = stack.pop()
        if id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema, where
        children: list[tuple[Any, str]] = [(schema.get(key), f"{where}/{key}") for key in _SUBSCHEMA]
        for key in _SUBSCHEMA_LISTS:
            members = schema.get(key)
            if isinstance(members, list):
                children += [(member, f"{where}/{key}/{i}") for i, member in enumerate(members)]
        for key in _SUBSCHEMA_MAPS:
            named = schema.get(key)
            if isinstance(named, dict):
                children += [(child, f"{where}/{key}/{name}") for name, child in named.items()]
        stack += [(child, at) for child, at in reversed(children) if isinstance(child, dict)]


def mark_secret_properties(doc: Document) -> list[str]:
    """Mark every property that holds a secret with `x-dbcloud-secret: true`.

    The generated models print their attributes in `repr`; the mark makes the pipeline declare those
    attributes `repr=False` (secret_fields.py says which properties count as secrets and how the
    mark is applied). A mark already present, true or false, is kept: an overlay has decided.
    """
    notes: list[str] = []
    for schema, where in list(iter_schemas(doc)):
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            continue
        for name, prop in properties.items():
            if not isinstance(prop, dict):
                continue
            if SECRET_MARK in prop:
                if not isinstance(prop[SECRET_MARK], bool):
                    raise PipelineError(f"{where}/properties/{name}: {SECRET_MARK} must be true or false")
                continue
            reason = secret_reason(doc, name, prop)
            if reason is not None:
                prop[SECRET_MARK] = True
                notes.append(f"{where}/properties/{name}: secret ({reason}); hidden from repr")
    return notes


_URL_LOCATIONS = ("query", "path")


def _url_parameters(doc: Document) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, parameter) for every query and path parameter, the path item's shared ones included."""
    for path, method, op in iter_operations(doc):
        shared = (doc["paths"][path] or {}).get("parameters") or []
        for param in [*shared, *(op.get("parameters") or [])]:
            if isinstance(param, dict) and param.get("in") in _URL_LOCATIONS:
                yield path, method, param


UUID_MARK = "x-dbcloud-format"
"""Where `text_uuid_parameters` keeps a parameter's `format: uuid` (read by the route table)."""


def text_uuid_parameters(doc: Document) -> list[str]:
    """Path and query parameters of `format: uuid` are typed as text in the generated operations.

    Every facade holds ids as `str` (a UUID is one spelling of an id), and a user who calls a
    generated operation with the id of a result should not have to wrap it in `uuid.UUID`: with the
    format, the generator types the argument `UUID`, which `mypy` then refuses for a `str` (the
    request is the same either way: the id goes on the path as text). The format moves to
    `x-dbcloud-format: uuid`, so the route table still records it and the emulator still refuses a
    malformed id as the vendor does. Bodies and answers keep their formats.
    """
    notes: list[str] = []
    for path, method, param in _url_parameters(doc):
        schema = param.get("schema")
        if isinstance(schema, dict) and schema.get("format") == "uuid":
            schema.pop("format")
            schema[UUID_MARK] = "uuid"
            notes.append(
                f"{method.upper()} {path}: {param['in']} parameter {param.get('name')!r} typed as text"
            )
    return notes


def check_secrets_off_url(doc: Document) -> list[str]:
    """Refuse a spec in which any operation would put a secret in its URL.

    A URL is written to the access logs of the vendor and of every proxy between, and kept in
    browser and shell histories; our own redaction cannot reach those. So no query or path
    parameter may hold a secret (the same rule as the models' secret fields: `secret_fields.
    secret_reason`, or the parameter's own `x-dbcloud-secret`), and no API key may be sent in the
    query. The fix for a spec that does it is an overlay: `x-dbcloud-body` on the operation moves
    its query into the body the vendor takes; a parameter that only looks like a secret is marked
    `x-dbcloud-secret: false`.
    """
    problems: list[str] = []
    for path, method, param in _url_parameters(doc):
        mark = param.get(SECRET_MARK)
        name = str(param.get("name"))
        given = param.get("schema")
        schema: dict[str, Any] = given if isinstance(given, dict) else {}
        secret = mark if isinstance(mark, bool) else secret_reason(doc, name, schema) is not None
        if secret:
            problems.append(f"{method.upper()} {path}: {param['in']} parameter {name!r}")
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in schemes.items():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "query":
            problems.append(f"security scheme {name!r} sends its key in the query")
    if problems:
        raise PipelineError(
            "secrets would travel on the URL (move them to the body with an overlay's "
            f"{BODY_MARK}, or mark a parameter that is not a secret {SECRET_MARK}: false): "
            + "; ".join(problems)
        )
    return []


SEMANTIC: list[Pass] = [
    repair_dangling_refs,
    repair_discriminator_mappings,
    repair_optional_discriminators,
    repair_path_parameters,
    move_query_to_body,  # after the path repair, which may move a parameter to the query
    text_uuid_parameters,
    repair_operation_ids,
    repair_titles,
    check_parameter_names,
    repair_number_enums,
    hoist_union_members,
    repair_content_types,
    redact_example_secrets,
    mark_secret_properties,  # late: the marks must not make equal Schemas differ for repair_titles
    check_secrets_off_url,
]


def normalize(doc: Document, passes: list[Pass]) -> list[str]:
    """Run `passes` in order over `doc`; return every note, prefixed with the pass's name."""
    notes: list[str] = []
    for repair in passes:
        notes += [f"{repair.__name__}: {note}" for note in repair(doc)]
    return notes
