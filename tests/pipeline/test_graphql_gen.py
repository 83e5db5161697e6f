"""The GraphQL generator: SDL fixes, schema checks, and the package it writes.

The SDL below is a made-up toy API, written for these tests; the vendor SDL is only read from the
`shared_specs` snapshot directory.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import graphql
import pytest
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.graphql_gen import build_schema_checked, generate_graphql, prepare_sdl

from dbcloud._reading import strict_reading

TOY_SDL = """
extend type Query {
  "All the widgets."
  widgets(filter: WidgetFilter, pageSize: Int! = 20): [Widget!]!
  widget(widgetID: ID!): Widget
  search(text: String!): [SearchHit!]!
  node(id: ID!): Node
  ping: String!
}

extend type Mutation {
  createWidget(input: CreateWidgetInput!): Widget!
  deleteWidget(widgetID: ID!): Boolean!
}

scalar Sensitive

enum Colour { DARK_RED lightBlue }

interface Node { id: ID! }

type Widget implements Node {
  id: ID!
  displayName: String!
  colour: Colour
  sizeInGB: Float!
  tags: [String!]!
  owner: Owner
  apiKey: Sensitive
  from: String
  legacyName: String @deprecated(reason: "gone soon")
}

type Owner implements Node {
  id: ID!
  email: String!
  quota(region: String!): Int
}

union SearchHit = Widget | Owner

input WidgetFilter { names: [String!], colour: Colour }

input CreateWidgetInput {
  displayName: String!
  colour: Colour = DARK_RED
  sizeInGB: Float!
  tags: [String!]
  apiKey: Sensitive
}
"""

PACKAGE = "toy_graphql_pkg"


@contextmanager
def imported(package_dir: Path) -> Iterator[dict[str, ModuleType]]:
    """Import a generated package from its parent directory; forget it (and the path) afterwards."""
    name = package_dir.name
    parent = str(package_dir.parent)
    sys.path.insert(0, parent)
    importlib.invalidate_caches()
    try:
        yield {part: importlib.import_module(f"{name}.{part}") for part in ("models", "codec", "operations")}
    finally:
        sys.path.remove(parent)
        for module in [key for key in sys.modules if key == name or key.startswith(f"{name}.")]:
            del sys.modules[module]


@pytest.fixture(scope="module")
def toy_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    package_dir = tmp_path_factory.mktemp("toy") / PACKAGE
    stats = generate_graphql(TOY_SDL, package_dir, api="toy", origin="toy.graphql")
    return package_dir, stats


def toy_schema() -> graphql.GraphQLSchema:
    return build_schema_checked(prepare_sdl(TOY_SDL)[0], "toy.graphql")


# --------------------------------------------------------------------------- prepare_sdl


def test_prepare_sdl_adds_root_types_that_are_only_extended() -> None:
    fixed, notes = prepare_sdl(TOY_SDL)
    assert fixed.startswith(TOY_SDL)  # appended, so vendor line numbers still hold
    assert len(notes) == 2
    assert "type Query" in notes[0]
    assert "type Mutation" in notes[1]
    schema = build_schema_checked(fixed, "toy")
    assert schema.query_type is not None
    assert list(schema.query_type.fields) == ["widgets", "widget", "search", "node", "ping"]
    assert prepare_sdl(fixed) == (fixed, [])


def test_prepare_sdl_leaves_defined_root_types_alone() -> None:
    sdl = "type Query { a: Int }\nextend type Query { b: Int }\n"
    assert prepare_sdl(sdl) == (sdl, [])


def test_prepare_sdl_mutation_only() -> None:
    sdl = "type Query { a: Int }\nextend type Mutation { b(x: Int): Int }"
    fixed, notes = prepare_sdl(sdl)
    assert len(notes) == 1
    assert "type Mutation" in notes[0]
    assert "1 `extend type Mutation` block)" in notes[0]
    assert fixed.count("type Query") == 1
    schema = build_schema_checked(fixed, "m")
    assert schema.mutation_type is not None
    assert list(schema.mutation_type.fields) == ["b"]


def test_prepare_sdl_follows_a_schema_block() -> None:
    sdl = "schema { query: Root }\nextend type Root { a: Int }\n"
    fixed, notes = prepare_sdl(sdl)
    assert notes
    assert "type Root" in notes[0]
    assert build_schema_checked(fixed, "s").query_type is not None


def test_prepare_sdl_leaves_unparsable_text_to_the_schema_check() -> None:
    assert prepare_sdl("type {") == ("type {", [])


# --------------------------------------------------------------------------- build_schema_checked


def test_build_schema_checked_names_origin_and_problem() -> None:
    with pytest.raises(
        PipelineError, match=r"^vendor\.graphql: the SDL does not build: .*Cannot extend type"
    ):
        build_schema_checked("extend type Query { a: Int }", "vendor.graphql")


def test_build_schema_checked_syntax_and_schema_errors() -> None:
    with pytest.raises(PipelineError, match=r"^bad\.graphql: not valid GraphQL SDL: .*line 1"):
        build_schema_checked("type Query {", "bad.graphql")
    with pytest.raises(
        PipelineError, match=r"^nofield\.graphql: the SDL does not build: Unknown type 'Missing'"
    ):
        build_schema_checked("type Query { a: Missing }", "nofield.graphql")
    with pytest.raises(PipelineError, match=r"^noquery\.graphql: the schema is not valid: .*Query root type"):
        build_schema_checked("type Mutation { a: Int }", "noquery.graphql")


# --------------------------------------------------------------------------- generate_graphql


@pytest.mark.slow
def test_toy_package_stats(toy_package: tuple[Path, Any]) -> None:
    package_dir, stats = toy_package
    assert stats.api == "toy"
    assert stats.operations == 7
    assert stats.generated == 7
    assert stats.models == 7  # Colour, Node, Widget, Owner, SearchHit, WidgetFilter, CreateWidgetInput
    assert stats.warnings == ["Owner.quota: not selected, it needs an argument"]
    assert sorted(path.name for path in package_dir.iterdir()) == [
        "__init__.py",
        "codec.py",
        "models.py",
        "names.py",
        "operations.py",
    ]


@pytest.mark.slow
def test_toy_models_round_trip(toy_package: tuple[Path, Any]) -> None:
    with imported(toy_package[0]) as modules:
        models, codec = modules["models"], modules["codec"]
        data = {
            "id": "w1",
            "displayName": "first",
            "colour": "lightBlue",
            "sizeInGB": 10,
            "tags": ["a", "b"],
            "owner": {"id": "o1", "email": "o@example.com"},
            "apiKey": "s3cret",
            "from": "elsewhere",
            "unknownNewField": 1,
        }
        widget = codec.from_dict(models.Widget, data)
        assert widget.display_name == "first"
        assert widget.size_in_gb == 10.0
        assert isinstance(widget.size_in_gb, float)
        assert widget.colour is models.Colour.LIGHT_BLUE
        assert widget.owner == models.Owner(id="o1", email="o@example.com")
        assert widget.from_ == "elsewhere"
        assert widget.api_key == "s3cret"
        assert widget.legacy_name is None
        back = codec.to_dict(widget)
        assert back == {key: value for key, value in data.items() if key != "unknownNewField"}
        assert codec.from_dict(models.Widget, back) == widget

        created = models.CreateWidgetInput(display_name="w", size_in_gb=1.5)
        assert created.colour is models.Colour.DARK_RED
        assert codec.to_dict(created) == {"displayName": "w", "colour": "DARK_RED", "sizeInGB": 1.5}
        assert codec.encode([models.Colour.LIGHT_BLUE]) == ["lightBlue"]


@pytest.mark.slow
def test_toy_enums_unions_and_interfaces(toy_package: tuple[Path, Any]) -> None:
    with imported(toy_package[0]) as modules:
        models, codec = modules["models"], modules["codec"]
        assert models.Colour("DARK_RED") is models.Colour.DARK_RED
        assert models.Colour.LIGHT_BLUE.value == "lightBlue"
        assert models.Sensitive is str
        # A value this package does not know stays a plain string instead of failing the whole response.
        assert codec.decode(models.Colour, "NEW_COLOUR") == "NEW_COLOUR"
        hits = codec.decode(
            list[models.SearchHit],
            [
                {"__typename": "Owner", "id": "o1", "email": "e"},
                {"__typename": "Widget", "id": "w1", "displayName": "d", "sizeInGB": 1, "tags": []},
            ],
        )
        assert [type(hit).__name__ for hit in hits] == ["Owner", "Widget"]
        node = codec.decode(models.Node | None, {"__typename": "Owner", "id": "o2", "email": "x"})
        assert node == models.Owner(id="o2", email="x")
        assert codec.decode(models.Node | None, None) is None
        assert codec.model_class("Widget") is models.Widget


@pytest.mark.slow
def test_toy_decode_errors(toy_package: tuple[Path, Any]) -> None:
    with imported(toy_package[0]) as modules:
        models, codec = modules["models"], modules["codec"]
        # Tolerant by default: a missing required field and a null read as None, and an item of
        # a list that cannot be read is left out.
        widget = codec.from_dict(models.Widget, {"id": "w", "sizeInGB": 1, "tags": []})
        assert widget.display_name is None
        assert codec.decode(list[models.SearchHit], [{"id": "x"}]) == []
        missing = r"Widget: the required field 'displayName' is missing"
        with strict_reading():
            with pytest.raises(codec.DecodeError, match=missing):
                codec.from_dict(models.Widget, {"id": "w", "sizeInGB": 1, "tags": []})
            with pytest.raises(codec.DecodeError, match=r"Widget\.tags: null where a value is required"):
                codec.from_dict(models.Widget, {"id": "w", "displayName": "d", "sizeInGB": 1, "tags": None})
            with pytest.raises(codec.DecodeError, match=r"without __typename"):
                codec.decode(list[models.SearchHit], [{"id": "x"}])


@pytest.mark.slow
def test_toy_operations_validate(toy_package: tuple[Path, Any]) -> None:
    schema = toy_schema()
    with imported(toy_package[0]) as modules:
        operations = modules["operations"]
        registry = operations.OPERATIONS
        assert list(registry) == [
            "widgets",
            "widget",
            "search",
            "node",
            "ping",
            "createWidget",
            "deleteWidget",
        ]
        for name, (kind, document, _result) in registry.items():
            assert graphql.validate(schema, graphql.parse(document)) == [], name
            assert document.startswith(f"{kind} {name[0].upper()}{name[1:]}")
        assert registry["widgets"].result == "Widget"
        assert operations.RESULT_TYPES["widgets"] == "[Widget!]!"
        assert registry["createWidget"].kind == "mutation"
        assert registry["ping"].result == "String"
        assert registry["createWidget"].document == operations.CREATE_WIDGET_MUTATION

        widgets = registry["widgets"].document
        # pageSize has a default, so its variable may be left out; legacyName is deprecated.
        assert "($filter: WidgetFilter, $pageSize: Int)" in widgets
        assert "legacyName" not in widgets
        assert "quota" not in widgets
        assert "__typename" not in widgets
        assert "... on Owner {" in registry["search"].document
        assert "__typename" in registry["node"].document


@pytest.mark.slow
def test_generate_is_deterministic(tmp_path: Path) -> None:
    """Two runs in processes with different hash seeds write the same bytes."""
    sdl_file = tmp_path / "toy.graphql"
    sdl_file.write_text(TOY_SDL, encoding="utf-8")
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from dbcloud_codegen.graphql_gen import generate_graphql
        sdl = Path(sys.argv[1]).read_text(encoding="utf-8")
        generate_graphql(sdl, Path(sys.argv[2]), api="toy", origin="toy.graphql")
        """
    )
    scripts_dir = str(Path(__file__).resolve().parents[2] / "scripts")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}" / PACKAGE
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": scripts_dir}
        subprocess.run(
            [sys.executable, "-c", script, str(sdl_file), str(out)], check=True, env=env, timeout=120
        )
        outputs.append({path.name: path.read_bytes() for path in sorted(out.iterdir())})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 5


@pytest.mark.slow
def test_selection_warnings_for_cycles_and_depth(tmp_path: Path) -> None:
    sdl = """
    type Query { root: A! }
    type A { name: String!, next: B, again: [A!]! }
    type B { c: C! }
    type C { leaf: Int! }
    """
    stats = generate_graphql(sdl, tmp_path / "cyc", api="cyc", origin="cyc.graphql", max_depth=1)
    assert stats.warnings == [
        "B.c: not selected, deeper than 1 levels",
        "A.next: not selected, none of the fields of B can be",
        "A.again: not selected, A is already on the path (cycle)",
    ]
    assert stats.generated == 1


@pytest.mark.slow
def test_generate_refuses_a_directory_with_files(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    target.mkdir()
    (target / "old.py").write_text("", encoding="utf-8")
    with pytest.raises(PipelineError, match="not an empty directory"):
        generate_graphql("type Query { a: Int }", target, api="x", origin="x.graphql")


def test_generate_reports_a_broken_sdl(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"^x\.graphql: the SDL does not build"):
        generate_graphql("type Query { a: Nope }", tmp_path / "pkg", api="x", origin="x.graphql")
    assert not (tmp_path / "pkg").exists()


# --------------------------------------------------------------------------- the vendor SDL

_INSPECT = """
import dataclasses, enum, json, sys
sys.path.insert(0, sys.argv[1])
from {package} import codec, models, operations
kinds = {{}}
for name in json.loads(sys.argv[2]):
    found = codec.model_class(name)
    kinds[name] = "enum" if issubclass(found, enum.Enum) else "?"
    if dataclasses.is_dataclass(found):
        kinds[name] = "dataclass"
print(json.dumps({{
    "kinds": kinds,
    "sensitive_is_str": models.Sensitive is str,
    "operations": {{name: list(op) for name, op in operations.OPERATIONS.items()}},
    "third_party": sorted(m for m in ("attrs", "httpx", "pydantic", "graphql") if m in sys.modules),
}}))
"""


@pytest.mark.specs
@pytest.mark.slow
def test_anywhere_sdl(shared_specs: Path, tmp_path: Path) -> None:
    sdl = (shared_specs / "altinity-anywhere.graphql").read_text(encoding="utf-8")
    package_dir = tmp_path / "anywhere_models"
    stats = generate_graphql(sdl, package_dir, api="altinity-anywhere", origin="altinity-anywhere.graphql")
    assert stats.operations == 35
    assert stats.generated == 35
    assert stats.warnings == []

    schema = build_schema_checked(prepare_sdl(sdl)[0], "anywhere")
    roots = {"Query", "Mutation"}
    named = {
        name: type_
        for name, type_ in schema.type_map.items()
        if not name.startswith("__") and name not in roots and not graphql.is_scalar_type(type_)
    }
    assert stats.models == len(named) == 231

    # Import with the standard library alone (-S: no site-packages), as the pipeline's check will.
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            _INSPECT.format(package=package_dir.name),
            str(tmp_path),
            json.dumps(sorted(named)),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(result.stdout)
    assert report["third_party"] == []
    assert report["sensitive_is_str"] is True
    for name, type_ in named.items():
        expected = "enum" if graphql.is_enum_type(type_) else "dataclass"
        assert report["kinds"][name] == expected, name
    ops = report["operations"]
    assert len(ops) == 35
    assert sum(kind == "query" for kind, _, _ in ops.values()) == 17
    assert sum(kind == "mutation" for kind, _, _ in ops.values()) == 18
    for name, (_, document, result_type) in ops.items():
        assert graphql.validate(schema, graphql.parse(document)) == [], name
        assert result_type in schema.type_map, name
