"""spec diffing: tiny hand-written specs for each rule, the CLI, and the real vendor snapshot pairs."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import spec_diff
from dbcloud_codegen.diff import SpecDiff, diff_specs
from dbcloud_codegen.documents import read_spec_file
from dbcloud_codegen.errors import PipelineError

SCRIPT = Path(spec_diff.__file__).resolve()


def _api(paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    return doc


def _op(*params: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"parameters": list(params), "responses": {"200": {"description": "ok"}}, **extra}


def _param(name: str, where: str = "query", required: bool = False, **schema: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema or {"type": "string"}}


def _obj(required: list[str] | None = None, **props: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": props}
    if required is not None:
        schema["required"] = required
    return schema


def _one_schema(old: dict[str, Any], new: dict[str, Any]) -> SpecDiff:
    return diff_specs(_api(schemas={"Thing": old}), _api(schemas={"Thing": new}))


# --- OpenAPI: operations and schemas ------------------------------------------------------------


def test_operations_are_keyed_by_method_and_path() -> None:
    old = _api({"/a": {"get": _op(), "post": _op()}, "/gone": {"delete": _op()}})
    new = _api(
        {"/a": {"get": _op(), "post": _op(tags=["x"]), "summary": "s", "x-ext": {}}, "/b": {"put": _op()}}
    )
    result = diff_specs(old, new)
    assert result.operations_added == ["PUT /b"]
    assert result.operations_removed == ["DELETE /gone"]
    assert result.operations_changed == ["POST /a"]
    assert result.breaking == ["removed operation DELETE /gone"]


def test_every_http_method_counts_and_nothing_else() -> None:
    methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
    new = _api({"/a": {m: _op() for m in methods} | {"parameters": [], "servers": []}})
    assert diff_specs(_api(), new).operations_added == sorted(f"{m.upper()} /a" for m in methods)


def test_wording_changes_count_as_changed_but_never_break() -> None:
    old = _api({"/a": {"get": _op(description="old")}}, {"S": _obj(a={"type": "string", "example": "x"})})
    new = _api({"/a": {"get": _op(description="new")}}, {"S": _obj(a={"type": "string", "example": "y"})})
    result = diff_specs(old, new)
    assert result.operations_changed == ["GET /a"]
    assert result.schemas_changed == ["S"]
    assert result.breaking == []


def test_identical_specs_have_an_empty_diff() -> None:
    doc = _api({"/a": {"get": _op(_param("q"))}}, {"S": _obj(a={"type": "string"})})
    assert diff_specs(doc, json.loads(json.dumps(doc))) == SpecDiff()


def test_schemas_added_removed_changed_and_a_rename_breaks() -> None:
    old = _api(schemas={"Keep": _obj(a={"type": "string"}), "CreateRequest": _obj(), "Same": _obj()})
    new = _api(
        schemas={
            "Keep": _obj(a={"type": "string"}, b={"type": "string"}),
            "CreateBody": _obj(),
            "Same": _obj(),
        }
    )
    result = diff_specs(old, new)
    assert result.schemas_added == ["CreateBody"]
    assert result.schemas_removed == ["CreateRequest"]
    assert result.schemas_changed == ["Keep"]
    assert result.breaking == ["removed schema CreateRequest"]


def test_a_document_without_components_has_no_schemas() -> None:
    result = diff_specs(_api(), _api(schemas={"S": _obj()}))
    assert result.schemas_added == ["S"]
    assert result.breaking == []


def test_non_string_yaml_keys_still_compare() -> None:
    old = _api({"/a": {"get": {"responses": {200: {"description": "ok"}, "default": {"description": "x"}}}}})
    new = _api(
        {"/a": {"get": {"responses": {"200": {"description": "ok"}, "default": {"description": "x"}}}}}
    )
    assert diff_specs(old, new).operations_changed == []


# --- OpenAPI: parameters and request bodies -----------------------------------------------------


def test_new_required_parameter_breaks() -> None:
    old = _api({"/a": {"get": _op()}})
    new = _api({"/a": {"get": _op(_param("limit", required=True))}})
    assert diff_specs(old, new).breaking == ["new required query parameter limit in GET /a"]


def test_new_optional_parameter_changes_but_does_not_break() -> None:
    old = _api({"/a": {"get": _op()}})
    new = _api({"/a": {"get": _op(_param("limit"))}})
    result = diff_specs(old, new)
    assert result.operations_changed == ["GET /a"]
    assert result.breaking == []


def test_parameter_that_became_required_breaks() -> None:
    old = _api({"/a": {"get": _op(_param("x-tenant", "header"))}})
    new = _api({"/a": {"get": _op(_param("x-tenant", "header", required=True))}})
    assert diff_specs(old, new).breaking == ["header parameter x-tenant became required in GET /a"]


def test_removed_parameter_is_not_breaking() -> None:
    old = _api({"/a": {"get": _op(_param("q", required=True))}})
    assert diff_specs(old, _api({"/a": {"get": _op()}})).breaking == []


def test_path_level_and_referenced_parameters_are_followed() -> None:
    shared = {"parameters": {"Page": _param("page")}}
    old = _api({"/a": {"parameters": [{"$ref": "#/components/parameters/Page"}], "get": _op()}})
    new = json.loads(json.dumps(old))
    old["components"], new["components"] = shared, {"parameters": {"Page": _param("page", required=True)}}
    result = diff_specs(old, new)
    assert result.operations_changed == ["GET /a"]
    assert result.breaking == ["query parameter page became required in GET /a"]


def test_operation_parameter_overrides_the_path_level_one() -> None:
    old = _api({"/a": {"parameters": [_param("q")], "get": _op()}})
    new = _api({"/a": {"parameters": [_param("q")], "get": _op(_param("q", required=True))}})
    assert diff_specs(old, new).breaking == ["query parameter q became required in GET /a"]


def test_removed_enum_value_in_a_parameter_breaks() -> None:
    old = _api({"/a": {"get": _op(_param("sort", enum=["asc", "desc"], type="string"))}})
    new = _api({"/a": {"get": _op(_param("sort", enum=["asc", "random"], type="string"))}})
    assert diff_specs(old, new).breaking == ['removed enum value "desc" from query parameter sort of GET /a']


def test_parameter_type_change_breaks() -> None:
    old = _api({"/a/{id}": {"get": _op(_param("id", "path", True, type="string"))}})
    new = _api({"/a/{id}": {"get": _op(_param("id", "path", True, type="integer"))}})
    expected = "type of path parameter id of GET /a/{id} changed from string to integer"
    assert diff_specs(old, new).breaking == [expected]


def _body(required: bool | None, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"content": {"application/json": {"schema": schema or {"type": "object"}}}}
    if required is not None:
        body["required"] = required
    return body


@pytest.mark.parametrize(
    ("old_body", "new_body", "expected"),
    [
        (_body(False), _body(True), ["request body became required in POST /a"]),
        (_body(None), _body(True), ["request body became required in POST /a"]),
        (None, _body(True), ["request body is new and required in POST /a"]),
        (None, _body(False), []),
        (_body(True), _body(False), []),
        (_body(True), None, []),
    ],
)
def test_request_body_requirement(
    old_body: dict[str, Any] | None, new_body: dict[str, Any] | None, expected: list[str]
) -> None:
    old_op, new_op = _op(), _op()
    if old_body is not None:
        old_op["requestBody"] = old_body
    if new_body is not None:
        new_op["requestBody"] = new_body
    assert diff_specs(_api({"/a": {"post": old_op}}), _api({"/a": {"post": new_op}})).breaking == expected


def test_new_required_property_in_an_inline_request_body_breaks() -> None:
    old = _api({"/a": {"post": _op(requestBody=_body(True, _obj(name={"type": "string"})))}})
    new_schema = _obj(["size"], name={"type": "string"}, size={"type": "integer"})
    new = _api({"/a": {"post": _op(requestBody=_body(True, new_schema))}})
    expected = "new required property size in request body application/json of POST /a"
    assert diff_specs(old, new).breaking == [expected]


def test_referenced_request_body_is_followed() -> None:
    old = _api({"/a": {"post": _op(requestBody={"$ref": "#/components/requestBodies/B"})}})
    new = json.loads(json.dumps(old))
    old["components"] = {"requestBodies": {"B": _body(False)}}
    new["components"] = {"requestBodies": {"B": _body(True)}}
    assert diff_specs(old, new).breaking == ["request body became required in POST /a"]


# --- OpenAPI: schema rules ----------------------------------------------------------------------


def test_new_required_property_breaks() -> None:
    result = _one_schema(_obj(a={"type": "string"}), _obj(["b"], a={"type": "string"}, b={"type": "string"}))
    assert result.breaking == ["new required property b in schema Thing"]


def test_existing_property_that_became_required_breaks() -> None:
    result = _one_schema(_obj([], a={"type": "string"}), _obj(["a"], a={"type": "string"}))
    assert result.breaking == ["new required property a in schema Thing"]


def test_new_optional_property_does_not_break() -> None:
    result = _one_schema(
        _obj(["a"], a={"type": "string"}), _obj(["a"], a={"type": "string"}, b={"type": "string"})
    )
    assert result.schemas_changed == ["Thing"]
    assert result.breaking == []


def test_nested_properties_and_array_items_are_checked() -> None:
    old = _obj(inner=_obj(x={"type": "string"}), tags={"type": "array", "items": {"enum": ["a", "b"]}})
    new = _obj(inner=_obj(["x"], x={"type": "string"}), tags={"type": "array", "items": {"enum": ["a"]}})
    assert _one_schema(old, new).breaking == [
        "new required property x in schema Thing.inner",
        'removed enum value "b" from schema Thing.tags[]',
    ]


def test_removed_enum_value_in_a_property_breaks() -> None:
    old = _obj(state={"type": "string", "enum": ["READY", "CREATING", "DELETED"]})
    new = _obj(state={"type": "string", "enum": ["READY", "DELETED", "PAUSED"]})
    assert _one_schema(old, new).breaking == ['removed enum value "CREATING" from schema Thing.state']


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ({"enum": ["a"]}, {"enum": ["a", "b"]}),  # value added
        ({"type": "string", "enum": ["a"]}, {"type": "string"}),  # enum dropped: any string now
        ({"enum": ["b", "a"]}, {"enum": ["a", "b"]}),  # reordered
    ],
)
def test_enum_widening_does_not_break(old: dict[str, Any], new: dict[str, Any]) -> None:
    assert _one_schema(old, new).breaking == []


@pytest.mark.parametrize(
    ("old", "new", "breaks"),
    [
        ({"type": "string"}, {"type": "integer"}, True),
        ({"type": "string"}, {"type": ["string", "null"]}, False),
        ({"type": ["string", "null"]}, {"type": ["null", "string"]}, False),
        ({"type": ["string", "null"]}, {"type": "string"}, True),
        ({"type": ["string", "integer"]}, {"type": ["string", "null"]}, True),
        ({"type": "string"}, {"type": "string", "nullable": True}, False),
        ({"type": "string", "nullable": True}, {"type": "string"}, True),
        ({"type": "integer"}, {"type": "number"}, False),
        ({"type": "number"}, {"type": "integer"}, True),
        ({"type": "string"}, {"$ref": "#/components/schemas/Other"}, False),
        ({}, {"type": "string"}, False),
    ],
)
def test_type_changes(old: dict[str, Any], new: dict[str, Any], breaks: bool) -> None:
    assert bool(_one_schema(_obj(v=old), _obj(v=new)).breaking) is breaks


def test_type_change_message_lists_null_last() -> None:
    result = _one_schema({"type": ["null", "string", "integer"]}, {"type": "string"})
    assert result.breaking == ["type of schema Thing changed from integer|string|null to string"]


def test_mixing_graphql_with_openapi_is_refused() -> None:
    with pytest.raises(PipelineError, match="cannot compare a GraphQL SDL with an OpenAPI document"):
        diff_specs(_api(), "type Query { a: Int }")


# --- GraphQL SDL --------------------------------------------------------------------------------

OLD_SDL = '''
extend type Query {
  """Find one."""
  env(name: String!): Env
  envs: [Env!]!
  legacy: Int
}
extend type Mutation { createEnv(input: EnvInput!): Env! }
type Env { name: String!  size: Int  region: String }
input EnvInput { name: String!  size: Int }
enum State { READY CREATING }
scalar Sensitive
'''


def _sdl(old: str, new: str) -> SpecDiff:
    return diff_specs(old, new)


def test_sdl_root_fields_come_from_extend_blocks() -> None:
    new = (
        OLD_SDL.replace("legacy: Int", "hosted: Env")
        + "extend type Mutation { deleteEnv(name: String!): Boolean }"
    )
    result = _sdl(OLD_SDL, new)
    assert result.operations_added == ["mutation deleteEnv", "query hosted"]
    assert result.operations_removed == ["query legacy"]
    assert result.breaking == ["removed operation query legacy"]


def test_sdl_root_types_are_not_schemas() -> None:
    result = _sdl("scalar X", OLD_SDL)
    assert result.schemas_added == ["Env", "EnvInput", "Sensitive", "State"]
    assert result.schemas_removed == ["X"]
    assert len(result.operations_added) == 4


def test_sdl_description_change_is_a_change_but_not_breaking() -> None:
    result = _sdl(OLD_SDL, OLD_SDL.replace("Find one.", "Look one up."))
    assert result.operations_changed == ["query env"]
    assert result.breaking == []


def test_sdl_removed_type_and_enum_value_break() -> None:
    new = OLD_SDL.replace("scalar Sensitive", "").replace(
        "enum State { READY CREATING }", "enum State { READY }"
    )
    result = _sdl(OLD_SDL, new)
    assert result.schemas_removed == ["Sensitive"]
    assert result.schemas_changed == ["State"]
    assert result.breaking == ["removed enum value CREATING from State", "removed type Sensitive"]


def test_sdl_removed_object_field_breaks() -> None:
    result = _sdl(OLD_SDL, OLD_SDL.replace("region: String }", "}"))
    assert result.breaking == ["removed field Env.region"]


def test_sdl_fields_of_extended_types_merge() -> None:
    new = OLD_SDL.replace("region: String }", "}") + "extend type Env { region: String }"
    assert _sdl(OLD_SDL, new) == SpecDiff()


@pytest.mark.parametrize(
    ("new_args", "expected"),
    [
        ("name: String!, zone: String!", ["new non-null argument zone: String! of query env"]),
        ("name: String!, zone: String", []),
        ('name: String!, zone: String! = "eu"', []),
        ("name: String", []),
        ("name: Int!", ["type of argument name of query env changed from String! to Int!"]),
    ],
)
def test_sdl_root_field_arguments(new_args: str, expected: list[str]) -> None:
    result = _sdl(OLD_SDL, OLD_SDL.replace("env(name: String!)", f"env({new_args})"))
    assert result.operations_changed == ["query env"]
    assert result.breaking == expected


@pytest.mark.parametrize(
    ("new_input", "expected"),
    [
        ("name: String!  size: Int  zone: String!", ["new non-null input field EnvInput.zone: String!"]),
        ("name: String!  size: Int  zone: String", []),
        ('name: String!  size: Int  zone: String! = "eu"', []),
        ("name: String  size: Int", []),
        ("name: String!  size: Int!", ["type of input field EnvInput.size changed from Int to Int!"]),
        ("name: String!", []),
    ],
)
def test_sdl_input_fields(new_input: str, expected: list[str]) -> None:
    result = _sdl(OLD_SDL, OLD_SDL.replace("name: String!  size: Int }", f"{new_input} }}"))
    assert result.schemas_changed == ["EnvInput"]
    assert result.breaking == expected


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("size: Int  region", "size: Int!  region", []),
        ("size: Int  region", "size: String  region", ["type of field Env.size changed from Int to String"]),
        (
            "Env { name: String!",
            "Env { name: String",
            ["type of field Env.name changed from String! to String"],
        ),
        ("size: Int  region", "size: [Int]  region", ["type of field Env.size changed from Int to [Int]"]),
    ],
)
def test_sdl_object_field_types(old: str, new: str, expected: list[str]) -> None:
    assert _sdl(OLD_SDL, OLD_SDL.replace(old, new)).breaking == expected


@pytest.mark.parametrize(
    ("old_type", "new_type", "breaks"),
    [
        ("[Env!]!", "[Env]!", True),
        ("[Env!]!", "[Env!]", True),
        ("[Env!]!", "Env!", True),
    ],
)
def test_sdl_list_types_on_root_fields(old_type: str, new_type: str, breaks: bool) -> None:
    result = _sdl(OLD_SDL, OLD_SDL.replace(f"envs: {old_type}", f"envs: {new_type}"))
    assert bool(result.breaking) is breaks


def test_sdl_list_type_may_gain_non_null_items_in_output() -> None:
    old = OLD_SDL.replace("envs: [Env!]!", "envs: [Env]")
    assert _sdl(old, OLD_SDL).breaking == []


def test_sdl_kind_change_breaks() -> None:
    new = OLD_SDL.replace("scalar Sensitive", "enum Sensitive { A }")
    assert _sdl(OLD_SDL, new).breaking == ["kind of type Sensitive changed from scalar to enum"]


def test_sdl_schema_definition_names_the_roots() -> None:
    old = "schema { query: Root } type Root { a: Int }"
    result = _sdl(old, "schema { query: Root } type Root { b: Int }")
    assert result.operations_removed == ["query a"]
    assert result.schemas_added == result.schemas_removed == []


def test_sdl_syntax_error_is_a_pipeline_error() -> None:
    with pytest.raises(PipelineError, match="not valid GraphQL SDL"):
        _sdl(OLD_SDL, "type Query {")


# --- SpecDiff output ----------------------------------------------------------------------------

SAMPLE = SpecDiff(
    operations_added=["GET /b"],
    operations_removed=["GET /old_one"],
    schemas_added=["New"],
    schemas_changed=["Keep", "Other"],
    breaking=["removed operation GET /old_one"],
)


def test_to_json_has_exactly_the_documented_keys() -> None:
    data = SAMPLE.to_json()
    assert data == {
        "operations": {"added": ["GET /b"], "removed": ["GET /old_one"], "changed": []},
        "schemas": {"added": ["New"], "removed": [], "changed": ["Keep", "Other"]},
        "breaking": ["removed operation GET /old_one"],
    }


def test_format_text_puts_counts_first() -> None:
    lines = SAMPLE.format_text().splitlines()
    assert lines[:3] == ["operations: +1 -1 ~0", "schemas: +1 -0 ~2", "breaking: 1"]
    assert "  ! removed operation GET /old_one" in lines
    assert "  ~ Other" in lines
    assert "Operations changed" not in SAMPLE.format_text()


def test_format_markdown_is_a_deterministic_section() -> None:
    text = SAMPLE.format_markdown("acme 1 → 2")
    assert text == SAMPLE.format_markdown("acme 1 → 2")
    assert text.startswith("## acme 1 → 2\n")
    assert "| operations | 1 | 1 | 0 |" in text
    assert "### Breaking changes (1)\n\n- removed operation GET /old\\_one\n" in text
    assert "### Schemas changed (2)\n\n- `Keep`\n- `Other`\n" in text
    assert "Schemas removed" not in text


def test_format_markdown_without_breaking_changes() -> None:
    assert "### Breaking changes (0)\n\nNone.\n" in SpecDiff().format_markdown("t")


# --- CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def spec_pair(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(_api({"/a": {"get": _op()}, "/b": {"get": _op()}})))
    new.write_text(json.dumps(_api({"/a": {"get": _op()}, "/c": {"post": _op()}})))
    return old, new


def test_cli_prints_the_text_report(spec_pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff.main([str(spec_pair[0]), str(spec_pair[1])]) == 0
    out = capsys.readouterr().out
    assert out.startswith("operations: +1 -1 ~0\n")
    assert "  ! removed operation GET /b" in out


def test_cli_prints_json(spec_pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert spec_diff.main([str(spec_pair[0]), str(spec_pair[1]), "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["operations"] == {"added": ["POST /c"], "removed": ["GET /b"], "changed": []}
    assert out == json.dumps(data, indent=2, sort_keys=True) + "\n"


def test_cli_missing_file_exits_2(
    spec_pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.json"
    assert spec_diff.main([str(missing), str(spec_pair[1])]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"spec_diff: {missing}: cannot read")


def test_cli_truncated_json_exits_2(
    spec_pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.json"
    cut.write_text(spec_pair[1].read_text()[:40])
    assert spec_diff.main([str(spec_pair[0]), str(cut)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"spec_diff: {cut}: not valid JSON")
    assert "truncated" in err


def test_cli_refuses_graphql_against_openapi(
    spec_pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sdl = tmp_path / "schema.graphql"
    sdl.write_text(OLD_SDL)
    assert spec_diff.main([str(sdl), str(spec_pair[1])]) == 2
    assert capsys.readouterr().err == "spec_diff: cannot compare a GraphQL SDL with an OpenAPI document\n"


def test_cli_runs_as_a_plain_script(spec_pair: tuple[Path, Path], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(spec_pair[0]), str(spec_pair[1]), "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["breaking"] == ["removed operation GET /b"]


# --- real vendor snapshots ----------------------------------------------------------------------

Counts = tuple[int, int, int, int, int, int]


@pytest.fixture(scope="module")
def real_diff(shared_specs: Path) -> Callable[[str, str], SpecDiff]:
    """Diff two snapshots by file name; each file is read once per module (the YAMLs are slow)."""
    docs: dict[str, dict[str, Any] | str] = {}
    diffs: dict[tuple[str, str], SpecDiff] = {}

    def load(name: str) -> dict[str, Any] | str:
        if name not in docs:
            docs[name] = read_spec_file(shared_specs / name)
        return docs[name]

    def diff(old: str, new: str) -> SpecDiff:
        if (old, new) not in diffs:
            diffs[(old, new)] = diff_specs(load(old), load(new))
        return diffs[(old, new)]

    return diff


def _counts(result: SpecDiff) -> Counts:
    return (
        len(result.operations_added),
        len(result.operations_removed),
        len(result.operations_changed),
        len(result.schemas_added),
        len(result.schemas_removed),
        len(result.schemas_changed),
    )


@pytest.mark.specs
@pytest.mark.parametrize(
    ("old", "new", "counts", "breaking"),
    [
        # (ops +, -, ~, schemas +, -, ~), breaking entries; the PROVENANCE figures, plus the "~ ops"
        # it does not state.
        ("cockroach-cloud-2023-04-10.yaml", "cockroach-cloud.yaml", (87, 2, 57, 122, 5, 55), 34),
        ("cockroach-cloud-2024-11-14.yaml", "cockroach-cloud.yaml", (23, 5, 28, 42, 5, 56), 52),
        ("cockroach-cloud-2025-10-24.yaml", "cockroach-cloud.yaml", (0, 0, 19, 5, 0, 14), 3),
        ("cockroach-cloud.yaml", "cockroach-cloud-2026-06-29.yaml", (0, 0, 37, 36, 32, 14), 32),
        ("clickhouse-cloud-2026-04-14.json", "clickhouse-cloud.json", (55, 0, 22, 97, 0, 92), 79),
        ("altinity-anywhere-2024-11-25.graphql", "altinity-anywhere.graphql", (8, 0, 2, 90, 0, 24), 1),
    ],
)
def test_real_pair_figures(
    real_diff: Callable[[str, str], SpecDiff], old: str, new: str, counts: Counts, breaking: int
) -> None:
    result = real_diff(old, new)
    assert _counts(result) == counts
    assert len(result.breaking) == breaking


@pytest.mark.specs
def test_cockroach_oldest_to_main_removes_the_allowlist_entry_operations(
    real_diff: Callable[[str, str], SpecDiff],
) -> None:
    result = real_diff("cockroach-cloud-2023-04-10.yaml", "cockroach-cloud.yaml")
    path = "/api/v1/clusters/{cluster_id}/networking/allowlist/{entry.cidr_ip}/{entry.cidr_mask}"
    assert result.operations_removed == [f"PATCH {path}", f"PUT {path}"]
    assert all(f"removed operation {key}" in result.breaking for key in result.operations_removed)


@pytest.mark.specs
def test_cockroach_renames_break_every_removed_schema(real_diff: Callable[[str, str], SpecDiff]) -> None:
    result = real_diff("cockroach-cloud.yaml", "cockroach-cloud-2026-06-29.yaml")
    assert "CreateDatabaseRequest" in result.schemas_removed
    assert "CreateDatabaseBody" in result.schemas_added
    assert result.breaking == [f"removed schema {name}" for name in result.schemas_removed]


@pytest.mark.specs
def test_anywhere_adds_the_hosted_and_codegen_operations(real_diff: Callable[[str, str], SpecDiff]) -> None:
    result = real_diff("altinity-anywhere-2024-11-25.graphql", "altinity-anywhere.graphql")
    queries = ["awsEnvHosted", "awsEnvsHosted", "codeGenAzureEnv", "codeGenHCloudEnv", "codeGenK8SEnv"]
    mutations = ["createAWSEnvHosted", "deleteAWSEnvHosted", "updateAWSEnvHosted"]
    expected = [f"mutation {name}" for name in mutations] + [f"query {name}" for name in queries]
    assert result.operations_added == expected
    assert result.operations_removed == []
    assert len(result.schemas_added) == 90
    assert result.schemas_removed == []
    zones = "type of input field K8SEnvNodeGroupSpecInput.zones changed from [String!] to [String!]!"
    assert result.breaking == [zones]


@pytest.mark.specs
def test_real_diffs_survive_a_json_round_trip(real_diff: Callable[[str, str], SpecDiff]) -> None:
    result = real_diff("clickhouse-cloud-2026-04-14.json", "clickhouse-cloud.json")
    data = json.loads(json.dumps(result.to_json()))
    assert (
        SpecDiff(
            operations_added=data["operations"]["added"],
            operations_removed=data["operations"]["removed"],
            operations_changed=data["operations"]["changed"],
            schemas_added=data["schemas"]["added"],
            schemas_removed=data["schemas"]["removed"],
            schemas_changed=data["schemas"]["changed"],
            breaking=data["breaking"],
        )
        == result
    )
