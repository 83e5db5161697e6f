"""Write `_routes.py`: every operation of a generated OpenAPI package as plain data.

The local emulator (`dbcloud.emulator`) serves every operation of every API, but the vendor specs
never ship with dbcloud. So the pipeline leaves a table in each generated package, taken from what
openapi-python-client itself parsed (the `Endpoint`s of `GeneratorData`), so that the table and the
generated functions cannot disagree: same module names, same path templates, same argument names and
types, same request and response models. Security comes from the normalized spec, because the
generator only keeps a per-operation flag and ignores a document-wide `security`.

The module holds nothing but literals (models are named by dotted path, never imported), so reading
it costs next to nothing. Its format is described in the module's own docstring (`_MODULE_DOC`); its
`Route` class is written from the annotations of `Route` here, which therefore stay plain builtins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import PipelineError

if TYPE_CHECKING:
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.openapi import Endpoint
    from openapi_python_client.parser.properties import Property
    from openapi_python_client.parser.properties.protocol import PropertyProtocol

__all__ = ["Route", "build_routes", "is_secured", "render_routes", "security_label", "write_routes"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Route(NamedTuple):
    """One row of the table; `render_routes` writes this very class into the module."""

    name: str
    method: str
    path: str
    path_params: tuple[tuple[str, str, str], ...]
    query: tuple[tuple[str, str, bool, str], ...]
    body: tuple[str, str | None, bool] | None
    secured: bool
    responses: tuple[tuple[int, str | None], ...]
    tag: str


_MODULE_DOC = '''"""Every operation of this package as plain data, for serving the API without its spec.

Read by dbcloud's emulator; importing this module imports nothing else. One `Route` per endpoint
module, sorted by `name`:

- `name`: the module below `api` (`import_module(f"{package}.api.{name}")`);
- `method`: the HTTP method, upper case;
- `path`: the template `_get_kwargs` formats: its placeholders are the Python argument names;
- `path_params`: `(wire name, Python argument name, type)` per placeholder, in the order they appear;
- `query`: `(wire name, Python argument name, required, type)`; a type that names a model (not an
  enum) is sent as that model's own fields, flattened into the query;
- `body`: `(content type, model, required)` or None; `model` is the dotted path
  `{package}.models.<module>.<Class>`, several joined by " | " when the body is one of several
  models (tried in that order), or None when the body is not a model;
- `secured`: whether the operation requires the security scheme;
- `responses`: `(status, model)`: the 2xx responses first (the first is the one a client expects),
  `model` as in `body`; then the other documented statuses with None (a range like 4XX by its first code).

Types are spelled as the generator typed the arguments: "str", "int", "float", "bool", "UUID",
"datetime.datetime", "datetime.date", "list[str]", or the name of a class in `{package}.models`.
`SECURITY` is the scheme that applies when an operation is secured: "apiKey:<in>:<name>",
"http:<scheme>" ("http:bearer", "http:basic"), the scheme's type for any other kind, or "none".
"""

from typing import NamedTuple
'''


def write_routes(package_dir: Path, data: GeneratorData, doc: Mapping[str, Any], *, field_prefix: str) -> int:
    """Write `package_dir/_routes.py` for the generated package; return the number of routes."""
    routes = build_routes(data, doc, package=package_dir.name, field_prefix=field_prefix)
    (package_dir / "_routes.py").write_text(render_routes(routes, security_label(doc)), encoding="utf-8")
    return len(routes)


def build_routes(
    data: GeneratorData, doc: Mapping[str, Any], *, package: str, field_prefix: str
) -> list[Route]:
    """One `Route` per endpoint the generator wrote a module for, sorted by module name.

    `field_prefix` is the generator's `Config.field_prefix`, which it also used to name the modules.
    """
    from openapi_python_client.strings import PythonIdentifier

    default_security = doc.get("security")
    paths: Mapping[str, Any] = doc.get("paths") or {}
    routes: list[Route] = []
    for tag, collection in data.endpoint_collections_by_tag.items():
        for endpoint in collection.endpoints:
            # The same name the generator gives the module file (Project._build_api).
            module = PythonIdentifier(endpoint.name, field_prefix)
            operation = _operation(paths, endpoint)
            formats = _uuid_parameters(operation, paths, endpoint)
            routes.append(
                Route(
                    name=f"{tag}.{module}",
                    method=endpoint.method.upper(),
                    path=endpoint.path.get_untrusted_value(),
                    path_params=tuple(
                        (p.name.get_untrusted_value(), str(p.python_name), _type_name(p, formats))
                        for p in endpoint.path_parameters
                    ),
                    query=tuple(
                        (p.name.get_untrusted_value(), str(p.python_name), p.required, _type_name(p, formats))
                        for p in endpoint.query_parameters
                    ),
                    body=_body(endpoint, package),
                    secured=is_secured(operation.get("security", default_security)),
                    responses=_responses(endpoint, package),
                    tag=str(tag),
                )
            )
    routes.sort(key=lambda route: route.name)
    duplicates = [name for name, count in Counter(r.name for r in routes).items() if count > 1]
    if duplicates:
        raise PipelineError(f"two endpoints share a module name: {', '.join(sorted(duplicates))}")
    return routes


def _spec_path(endpoint: Endpoint) -> str:
    """The spec's path key of `endpoint`: the generator rewrote its placeholders into Python names,
    and its own parameter list undoes that."""
    path = endpoint.path.get_untrusted_value()
    for parameter in endpoint.path_parameters:
        wire = parameter.name.get_untrusted_value()
        path = path.replace("{" + str(parameter.python_name) + "}", "{" + wire + "}")
    return path


def _operation(paths: Mapping[str, Any], endpoint: Endpoint) -> Mapping[str, Any]:
    """The spec's operation object behind `endpoint`."""
    path = _spec_path(endpoint)
    operation = (paths.get(path) or {}).get(endpoint.method)
    if not isinstance(operation, Mapping):
        raise PipelineError(f"{endpoint.method.upper()} {path}: generated, but not found in the spec")
    return operation


def _type_name(prop: Property, uuids: frozenset[str] = frozenset()) -> str:
    # A parameter the pipeline typed as text for callers (normalize.text_uuid_parameters) is still
    # a UUID to the server: the table says so, for the emulator's checks.
    if prop.name.get_untrusted_value() in uuids:
        return "UUID"
    return prop.get_type_string(no_optional=True).as_unembedded_code()


def _uuid_parameters(
    operation: Mapping[str, Any], paths: Mapping[str, Any], endpoint: Endpoint
) -> frozenset[str]:
    """The wire names of the operation's parameters marked `x-dbcloud-format: uuid`."""
    from .normalize import UUID_MARK

    shared = (paths.get(_spec_path(endpoint)) or {}).get("parameters") or []
    return frozenset(
        str(p.get("name"))
        for p in [*shared, *(operation.get("parameters") or [])]
        if isinstance(p, Mapping)
        and isinstance(p.get("schema"), Mapping)
        and p["schema"].get(UUID_MARK) == "uuid"
    )


def _model_path(prop: PropertyProtocol, package: str) -> str | None:
    """`package.models.module.Class` for a model, several joined by " | " for a union of models."""
    from openapi_python_client.parser.properties import ModelProperty
    from openapi_python_client.parser.properties.union import UnionProperty

    if isinstance(prop, ModelProperty):
        return f"{package}.models.{prop.class_info.module_name}.{prop.class_info.name}"
    if isinstance(prop, UnionProperty):
        members = [_model_path(inner, package) for inner in prop.inner_properties]
        if members and all(members):
            return " | ".join(m for m in members if m)
    return None


def _body(endpoint: Endpoint, package: str) -> tuple[str, str | None, bool] | None:
    # An operation with several content types gets one `body` argument the generated code checks
    # against each in turn; the first is the one the table names.
    if not endpoint.bodies:
        return None
    body = endpoint.bodies[0]
    return (body.content_type.get_untrusted_value(), _model_path(body.prop, package), body.prop.required)


def _responses(endpoint: Endpoint, package: str) -> tuple[tuple[int, str | None], ...]:
    success: list[tuple[int, str | None]] = []
    other: list[tuple[int, str | None]] = []
    # `patterns` is in the order the generated `_parse_response` tries them: exact codes ascending,
    # then ranges; `default` has no status of its own and is left out.
    for response in endpoint.responses.patterns:
        code_range = response.status_code.range
        if code_range is None:
            continue
        code = code_range[0]
        if 200 <= code < 300:
            success.append((code, _model_path(response.prop, package)))
        else:
            other.append((code, None))
    return (*success, *sorted(other, key=lambda item: item[0]))


def is_secured(requirements: object) -> bool:
    """Whether a `security` value requires credentials: some requirement, and none of them empty."""
    if not isinstance(requirements, Sequence) or isinstance(requirements, str) or not requirements:
        return False
    return all(isinstance(requirement, Mapping) and requirement for requirement in requirements)


def security_label(doc: Mapping[str, Any]) -> str:
    """The scheme that applies by default, as "apiKey:header:X-Auth-Token", "http:bearer", … or "none".

    The document-wide `security` names it; without one, the scheme most operations require (ties go
    to the name that sorts first).
    """
    schemes: Mapping[str, Any] = (doc.get("components") or {}).get("securitySchemes") or {}
    name = _first_scheme(doc.get("security")) or _most_used_scheme(doc)
    if name is None:
        return "none"
    scheme = schemes.get(name)
    if not isinstance(scheme, Mapping):
        raise PipelineError(f"security names the scheme {name!r}, which components/securitySchemes lacks")
    kind = str(scheme.get("type", ""))
    if kind == "apiKey":
        return f"apiKey:{scheme.get('in', '')}:{scheme.get('name', '')}"
    if kind == "http":
        return f"http:{str(scheme.get('scheme', '')).lower()}"
    return kind or "none"


def _first_scheme(requirements: object) -> str | None:
    if not isinstance(requirements, Sequence) or isinstance(requirements, str):
        return None
    for requirement in requirements:
        if isinstance(requirement, Mapping) and requirement:
            return str(next(iter(requirement)))
    return None


def _most_used_scheme(doc: Mapping[str, Any]) -> str | None:
    used: Counter[str] = Counter()
    for path_item in (doc.get("paths") or {}).values():
        if not isinstance(path_item, Mapping):
            continue
        for method in _METHODS:
            operation = path_item.get(method)
            if isinstance(operation, Mapping):
                name = _first_scheme(operation.get("security"))
                if name is not None:
                    used[name] += 1
    if not used:
        return None
    return min(used, key=lambda name: (-used[name], name))


def render_routes(routes: Iterable[Route], security: str) -> str:
    """The module's source (unformatted: the pipeline runs ruff over every generated file)."""
    # The class is written from this module's `Route`, so the two cannot drift apart.
    lines = [_MODULE_DOC, "", "class Route(NamedTuple):"]
    for field, annotation in Route.__annotations__.items():
        # Postponed annotations: NamedTuple keeps each as a ForwardRef holding the source text.
        lines.append(f"    {field}: {getattr(annotation, '__forward_arg__', annotation)}")
    lines += ["", "", f"SECURITY = {security!r}", "", "ROUTES: tuple[Route, ...] = ("]
    for route in routes:
        fields = ", ".join(f"{field}={value!r}" for field, value in zip(Route._fields, route, strict=True))
        lines.append(f"    Route({fields}),")
    lines.append(")\n")
    return "\n".join(lines)
