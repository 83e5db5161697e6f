"""`_routes.py`: the operation table the pipeline writes into every generated OpenAPI package."""

from __future__ import annotations

import ast
import copy
import datetime
import enum
import importlib
import inspect
import json
import runpy
import sys
import typing
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
from dbcloud_codegen.project import Project
from dbcloud_codegen.regenerate import regenerate
from dbcloud_codegen.routes import Route, is_secured, security_label

from .conftest import tiny_spec

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "generated"
# Endpoint functions generated per OpenAPI package (README: Coverage).
COUNTS = {
    "dbcloud_acm_client": 269,
    "dbcloud_clickhouse_client": 142,
    "dbcloud_clickstack_oss_client": 38,
    "dbcloud_cockroach_client": 144,
}


def routes_spec() -> dict[str, Any]:
    """The conftest's tiny spec, plus what the table has to describe: security, query, bodies, errors."""
    spec = copy.deepcopy(tiny_spec())
    spec["components"]["securitySchemes"] = {"key": {"type": "apiKey", "in": "header", "name": "X-Tiny-Key"}}
    spec["components"]["schemas"]["Widget"] = {"type": "object", "properties": {"colour": {"type": "string"}}}
    spec["security"] = [{"key": []}]
    paths = spec["paths"]
    paths["/things"]["get"]["parameters"] = [
        {"name": "pageSize", "in": "query", "schema": {"type": "integer"}},
        {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
        {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["big", "small"]}},
        {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
    ]
    thing = {"$ref": "#/components/schemas/Thing"}
    paths["/things"]["post"] = {
        "tags": ["Things"],
        "requestBody": {"required": True, "content": {"application/json": {"schema": thing}}},
        "responses": {
            "422": {"description": "invalid"},
            "201": {"description": "made", "content": {"application/json": {"schema": thing}}},
            "200": {"description": "existed", "content": {"application/json": {"schema": thing}}},
        },
    }
    paths["/things/{thingId}"] = {
        "put": {
            "tags": ["Things"],
            "operationId": "replaceThing",
            "parameters": [
                {
                    "name": "thingId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "format": "uuid"},
                }
            ],
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {"oneOf": [thing, {"$ref": "#/components/schemas/Widget"}]}
                    }
                }
            },
            "responses": {"204": {"description": "replaced"}, "404": {"description": "no such thing"}},
        }
    }
    paths["/ping"] = {
        "get": {"tags": ["Health"], "security": [], "responses": {"200": {"description": "pong"}}}
    }
    paths["/whoami"] = {
        "get": {
            "tags": ["Health"],
            "security": [{}, {"key": []}],  # credentials optional
            "responses": {"200": {"description": "you"}},
        }
    }
    return spec


# --- which scheme, and whether an operation needs it ---------------------------------------------


@pytest.mark.parametrize(
    ("security", "secured"),
    [
        ([{"key": []}], True),
        ([{"key": []}, {"basic": []}], True),
        ([{"a": [], "b": []}], True),
        ([], False),  # explicitly open
        ([{}, {"key": []}], False),  # credentials optional
        (None, False),  # nothing declared, nothing inherited
    ],
)
def test_is_secured(security: Any, secured: bool) -> None:
    assert is_secured(security) is secured


def _doc(
    schemes: dict[str, Any], security: Any = None, operations: list[Any] | None = None
) -> dict[str, Any]:
    paths = {f"/p{i}": {"get": {} if s is None else {"security": s}} for i, s in enumerate(operations or [])}
    doc: dict[str, Any] = {"paths": paths, "components": {"securitySchemes": schemes}}
    if security is not None:
        doc["security"] = security
    return doc


KEY = {"type": "apiKey", "in": "header", "name": "X-Auth-Token"}
BEARER = {"type": "http", "scheme": "Bearer"}
BASIC = {"type": "http", "scheme": "basic"}


@pytest.mark.parametrize(
    ("doc", "label"),
    [
        (_doc({"k": KEY}, security=[{"k": []}]), "apiKey:header:X-Auth-Token"),
        (_doc({"b": BEARER}, security=[{"b": []}]), "http:bearer"),
        (_doc({"b": BASIC}, security=[{}, {"b": []}]), "http:basic"),
        # No global security: the scheme most operations name.
        (
            _doc({"k": KEY, "b": BASIC}, operations=[[{"k": []}], [{"b": []}], [{"k": []}], None]),
            "apiKey:header:X-Auth-Token",
        ),
        (_doc({"k": KEY, "b": BASIC}, operations=[[{"k": []}], [{"b": []}]]), "http:basic"),  # a tie: by name
        (_doc({"o": {"type": "oauth2", "flows": {}}}, security=[{"o": []}]), "oauth2"),
        (_doc({"k": KEY}, operations=[None, []]), "none"),
        ({"paths": {}}, "none"),
    ],
)
def test_security_label(doc: dict[str, Any], label: str) -> None:
    assert security_label(doc) == label


def test_security_naming_an_undeclared_scheme_is_refused() -> None:
    from dbcloud_codegen.errors import PipelineError

    with pytest.raises(PipelineError, match="'gone', which components/securitySchemes lacks"):
        security_label(_doc({"k": KEY}, security=[{"gone": []}]))


# --- checking a table against the generated functions --------------------------------------------


def _stub(cls: type) -> Any:
    """An instance that passes the generated code's isinstance checks and serializes to `{}`."""
    stub = type(f"Stub{cls.__name__}", (cls,), {"to_dict": lambda self: {}})
    return object.__new__(stub)


_SAMPLES: dict[str, Any] = {
    "str": "a b/c",  # needs quoting in a path
    "int": 7,
    "float": 1.5,
    "bool": True,
    "UUID": uuid.UUID(int=42),
    "datetime.datetime": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    "datetime.date": datetime.date(2024, 1, 2),
}


def _sample(type_name: str, models: ModuleType) -> Any:
    if type_name in _SAMPLES:
        return _SAMPLES[type_name]
    if type_name.startswith("list[") and type_name.endswith("]"):
        return [_sample(type_name[5:-1], models)]
    cls = getattr(models, type_name)  # any other type is a class of the package's models
    return next(iter(cls)) if issubclass(cls, enum.Enum) else _stub(cls)


def _is_model(type_name: str, models: ModuleType) -> bool:
    if type_name in _SAMPLES or type_name.startswith("list["):
        return False
    return not issubclass(getattr(models, type_name), enum.Enum)


def _classes(dotted: str) -> list[type]:
    """The classes a table names by dotted path ("a.b.C | a.d.E" for a union)."""
    found = []
    for path in dotted.split(" | "):
        module, _, name = path.rpartition(".")
        found.append(getattr(importlib.import_module(module), name))
    return found


def _members(annotation: Any) -> set[Any]:
    return set(typing.get_args(annotation)) or {annotation}


def check_route(package: str, route: Route) -> None:
    """Call the route's `_get_kwargs` with an argument for everything the table lists, and compare."""
    module = importlib.import_module(f"{package}.api.{route.name}")
    models = importlib.import_module(f"{package}.models")
    args = {python: _sample(type_name, models) for _, python, type_name in route.path_params}
    args |= {python: _sample(type_name, models) for _, python, _, type_name in route.query}
    if route.body is not None and route.body[1] is not None:
        # The models are the ones the generated function declares for its `body`.
        body_classes = _classes(route.body[1])
        assert set(body_classes) <= _members(inspect.get_annotations(module._get_kwargs)["body"])
        args["body"] = _stub(body_classes[0])
    kwargs = module._get_kwargs(**args)
    assert kwargs["method"].upper() == route.method, route.name
    quoted = {python: quote(str(args[python]), safe="") for _, python, _ in route.path_params}
    assert kwargs["url"] == route.path.format(**quoted), route.name
    params = kwargs.get("params", {})
    for wire, _, _, type_name in route.query:
        # A model-typed argument is sent as its own fields (none, for the stub), not under its name.
        assert (wire in params) != _is_model(type_name, models), (route.name, wire)
    if route.body is not None:
        assert kwargs["headers"]["Content-Type"] == route.body[0], route.name
    # Every model the table names for a response is one `_parse_response` may return.
    returned = _members(inspect.get_annotations(module._parse_response)["return"])
    for _, model in route.responses:
        if model is not None:
            assert set(_classes(model)) <= returned, (route.name, model)


def load_table(package_dir: Path) -> tuple[str, tuple[Route, ...]]:
    namespace = runpy.run_path(str(package_dir / "_routes.py"))
    return namespace["SECURITY"], namespace["ROUTES"]


# --- the scratch project -------------------------------------------------------------------------


@pytest.fixture
def tiny(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The scratch project regenerated from `routes_spec()`, importable as dbcloud_tiny_client."""
    mirror = tmp_path / "routes-mirror"
    mirror.mkdir()
    (mirror / "tiny.json").write_text(json.dumps(routes_spec()), encoding="utf-8")
    assert regenerate(project, [], mirror=mirror, jobs=1, out=lambda _: None) == 0
    monkeypatch.syspath_prepend(str(project.generated))
    yield project.generated / "dbcloud_tiny_client"
    for name in [m for m in sys.modules if m.split(".")[0] == "dbcloud_tiny_client"]:
        del sys.modules[name]


TINY = "dbcloud_tiny_client"
THING = f"{TINY}.models.thing.Thing"
TINY_ROUTES = [
    Route("health.get_ping", "GET", "/ping", (), (), None, False, ((200, None),), "health"),
    Route("health.get_whoami", "GET", "/whoami", (), (), None, False, ((200, None),), "health"),
    Route(
        "things.delete_things",
        "DELETE",
        "/things/{id}",
        (("id", "id", "int"),),
        (),
        None,
        True,
        ((200, None),),
        "things",
    ),
    Route(
        name="things.get_things",
        method="GET",
        path="/things",
        path_params=(),
        query=(
            ("pageSize", "page_size", False, "int"),
            ("q", "q", True, "str"),
            ("kind", "kind", False, "GetThingsKind"),
            ("tags", "tags", False, "list[str]"),
            ("since", "since", False, "datetime.datetime"),
        ),
        body=None,
        secured=True,
        responses=((200, None),),  # a list of Things: not a model
        tag="things",
    ),
    Route(
        name="things.post_things",
        method="POST",
        path="/things",
        path_params=(),
        query=(),
        body=("application/json", THING, True),
        secured=True,
        responses=((200, THING), (201, THING), (422, None)),
        tag="things",
    ),
    Route(
        name="things.replace_thing",
        method="PUT",
        path="/things/{thing_id}",  # the placeholder is the Python argument
        path_params=(("thingId", "thing_id", "UUID"),),
        query=(),
        body=("application/json", f"{THING} | {TINY}.models.widget.Widget", False),
        secured=True,
        responses=((204, None), (404, None)),
        tag="things",
    ),
]


@pytest.mark.slow
def test_tiny_table_is_exact_and_reproducible(project: Project, tiny: Path) -> None:
    security, routes = load_table(tiny)
    assert security == "apiKey:header:X-Tiny-Key"
    assert list(routes) == TINY_ROUTES
    assert [type(r).__name__ for r in routes] == ["Route"] * len(TINY_ROUTES)
    assert regenerate(project, [], check=True, jobs=1, out=lambda _: None) == 0


@pytest.mark.slow
def test_tiny_table_agrees_with_the_generated_functions(tiny: Path) -> None:
    _, routes = load_table(tiny)
    for route in routes:
        check_route(TINY, route)


# --- the committed packages ----------------------------------------------------------------------


@pytest.fixture(params=sorted(COUNTS))
def package(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_one_route_per_generated_function(package: str) -> None:
    _, routes = load_table(GENERATED / package)
    assert len(routes) == COUNTS[package]
    api = GENERATED / package / "api"
    on_disk = sorted(
        ".".join(p.relative_to(api).with_suffix("").parts)
        for p in api.glob("*/*.py")
        if p.name != "__init__.py"
    )
    assert [r.name for r in routes] == on_disk  # sorted by name, one for one


def test_routes_module_imports_nothing_but_typing(package: str) -> None:
    tree = ast.parse((GENERATED / package / "_routes.py").read_text(encoding="utf-8"))
    imports = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert imports == ["from typing import NamedTuple"]


def test_every_route_matches_its_generated_function(package: str) -> None:
    _, routes = load_table(GENERATED / package)
    for route in routes:
        check_route(package, route)


def test_the_default_scheme_of_each_api() -> None:
    assert {p: load_table(GENERATED / p)[0] for p in COUNTS} == {
        "dbcloud_acm_client": "apiKey:header:X-Auth-Token",
        "dbcloud_clickhouse_client": "http:basic",
        "dbcloud_clickstack_oss_client": "http:bearer",
        "dbcloud_cockroach_client": "http:bearer",
    }


def test_acm_sign_in_is_open_and_the_rest_is_secured() -> None:
    _, routes = load_table(GENERATED / "dbcloud_acm_client")
    by_path = {(r.method, r.path): r for r in routes}
    assert by_path["POST", "/login"].secured is False
    assert by_path["GET", "/environments"].secured is True
    # The spec declares the scheme on 248 of its 268 operations, and on the overlay's JSON launch.
    assert sum(r.secured for r in routes) == 249


def test_the_packages_read_their_own_table() -> None:
    # Importing through the package works too (what the emulator does), and the rows are `Route`s.
    table = importlib.import_module("dbcloud_cockroach_client._routes")
    assert table.ROUTES[0]._fields == Route._fields
