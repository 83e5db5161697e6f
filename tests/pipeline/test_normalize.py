"""Each generic repair pass, on small specs written for the test."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from dbcloud_codegen import normalize as n
from dbcloud_codegen.documents import load_openapi
from dbcloud_codegen.errors import PipelineError


def spec(
    paths: dict[str, Any] | None = None, schemas: dict[str, Any] | None = None, **top: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": paths or {}}
    if schemas is not None:
        doc["components"] = {"schemas": schemas}
    doc.update(top)
    return doc


def op(**fields: Any) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok"}}, **fields}


def test_repair_info_builds_info_from_stray_top_level_keys() -> None:
    doc = spec(title="ACM", description="the API", version="25.7.34", data=None, error=None)
    del doc["info"]
    notes = n.repair_info(doc)
    assert doc["info"] == {"title": "ACM", "description": "the API", "version": "25.7.34"}
    assert set(doc) == {"openapi", "info", "paths"}
    assert any("stray key `data`" in note for note in notes)


def test_repair_info_keeps_extensions_and_stringifies_version() -> None:
    doc = spec(**{"x-vendor": 1})
    doc["info"]["version"] = 2
    n.repair_info(doc)
    assert doc["x-vendor"] == 1
    assert doc["info"]["version"] == "2"


def test_repair_info_leaves_a_good_document_alone() -> None:
    doc = spec()
    before = copy.deepcopy(doc)
    assert n.repair_info(doc) == []
    assert doc == before


def test_array_in_place_of_a_schema_becomes_an_empty_schema() -> None:
    media = {"application/json": {"schema": []}}
    doc = spec({"/a": {"get": op(responses={"200": {"description": "ok", "content": media}})}})
    doc["components"] = {"schemas": []}
    notes = n.repair_schema_arrays(doc)
    assert media["application/json"]["schema"] == {}
    assert doc["components"]["schemas"] == {}
    assert len(notes) == 2


def test_array_repair_does_not_touch_examples() -> None:
    schema = {"type": "object", "example": {"schemas": [], "items": []}}
    doc = spec(schemas={"S": schema})
    assert n.repair_schema_arrays(doc) == []
    assert schema["example"] == {"schemas": [], "items": []}


def test_yaml_dates_stay_strings() -> None:
    text = b"openapi: 3.0.0\ninfo: {title: T, version: 2024-09-16}\npaths: {}\n"
    doc = load_openapi(text, "t.yaml", "yaml")
    assert doc["info"]["version"] == "2024-09-16"


def test_dangling_schema_ref_becomes_untyped_and_says_so() -> None:
    bad = {"$ref": "#/components/schemas/Missing"}
    good = {"$ref": "#/components/schemas/Here"}
    doc = spec(schemas={"Here": {"type": "object"}, "Holder": {"properties": {"a": bad, "b": good}}})
    notes = n.repair_dangling_refs(doc)
    assert "$ref" not in bad
    assert "Missing" in bad["description"]
    assert good == {"$ref": "#/components/schemas/Here"}
    assert len(notes) == 1


def test_path_parameter_not_in_template_moves_to_query() -> None:
    param = {"name": "terminate", "in": "path", "required": True, "schema": {"type": "integer"}}
    doc = spec({"/org/{id}": {"delete": op(parameters=[{"name": "id", "in": "path", "schema": {}}, param])}})
    n.repair_path_parameters(doc)
    assert param["in"] == "query"
    assert param["required"] is False
    id_param = doc["paths"]["/org/{id}"]["delete"]["parameters"][0]
    assert id_param["required"] is True


def test_undeclared_template_variable_gets_a_parameter() -> None:
    doc = spec({"/cluster/{id}/x": {"get": op()}})
    n.repair_path_parameters(doc)
    assert doc["paths"]["/cluster/{id}/x"]["get"]["parameters"] == [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    ]


def test_path_level_parameters_count_as_declared() -> None:
    doc = spec({"/a/{id}": {"parameters": [{"name": "id", "in": "path", "required": True}], "get": op()}})
    assert n.repair_path_parameters(doc) == []


def test_missing_operation_ids_are_derived_readably() -> None:
    doc = spec(
        {
            "/environments": {"get": op()},
            "/cluster/{id}/nodes": {"get": op()},
            "/environment/{environment}/clusters/launch": {"post": op()},
        }
    )
    n.repair_operation_ids(doc)
    ids = [o["operationId"] for _, _, o in n.iter_operations(doc)]
    assert ids == ["get_environments", "get_cluster_nodes", "post_environment_clusters_launch"]


def test_derived_ids_that_would_collide_name_their_parameters() -> None:
    doc = spec({"/account": {"post": op()}, "/account/{id}": {"post": op()}})
    n.repair_operation_ids(doc)
    assert doc["paths"]["/account"]["post"]["operationId"] == "post_account"
    assert doc["paths"]["/account/{id}"]["post"]["operationId"] == "post_account_by_id"


def test_derived_ids_are_stable_across_runs() -> None:
    doc = spec({"/a/{x}": {"get": op(), "delete": op()}, "/a": {"get": op()}})
    first, second = copy.deepcopy(doc), copy.deepcopy(doc)
    n.repair_operation_ids(first)
    n.repair_operation_ids(second)
    assert first == second


def test_duplicate_operation_ids_are_detected_and_renamed() -> None:
    doc = spec({"/a": {"get": op(operationId="listThings")}, "/b": {"get": op(operationId="listThings")}})
    notes = n.repair_operation_ids(doc)
    assert doc["paths"]["/a"]["get"]["operationId"] == "listThings"
    assert doc["paths"]["/b"]["get"]["operationId"] == "get_b"
    assert notes == ["GET /b: duplicate operationId 'listThings' renamed 'get_b'"]


def test_operation_ids_that_collide_only_as_python_names_are_renamed() -> None:
    # The generator names modules by snake_case: getThing and get_thing would share get_thing.py.
    doc = spec({"/a": {"get": op(operationId="getThing")}, "/b": {"get": op(operationId="get_thing")}})
    n.repair_operation_ids(doc)
    assert doc["paths"]["/b"]["get"]["operationId"] == "get_b"


def test_existing_unique_operation_ids_are_kept() -> None:
    doc = spec({"/a": {"get": op(operationId="one")}, "/b": {"get": op(operationId="two")}})
    assert n.repair_operation_ids(doc) == []


def test_prose_titles_move_to_the_description() -> None:
    prose = {"type": "string", "title": "The URL of the server issuing JWTs"}
    doc = spec(schemas={"S": {"type": "object", "properties": {"issuer": prose}}})
    n.repair_titles(doc)
    assert "title" not in prose
    assert prose["description"] == "The URL of the server issuing JWTs"


def test_a_title_shared_by_different_schemas_is_dropped() -> None:
    one = {"title": "Entry", "type": "object", "properties": {"a": {"type": "string"}}}
    two = {"title": "Entry", "type": "object", "properties": {"b": {"type": "string"}}}
    doc = spec(schemas={"One": one, "Two": two})
    n.repair_titles(doc)
    assert "title" not in one
    assert "title" not in two


def test_good_titles_and_info_title_stay() -> None:
    doc = spec(schemas={"S": {"title": "Cluster", "type": "object"}})
    assert n.repair_titles(doc) == []
    assert doc["info"]["title"] == "T"


def test_dotted_parameter_names_pass_when_they_stay_distinct() -> None:
    params = [{"name": "pagination.page", "in": "query"}, {"name": "pagination.limit", "in": "query"}]
    doc = spec({"/a": {"get": op(parameters=params)}})
    assert n.check_parameter_names(doc) == []


def test_parameter_names_that_fold_together_are_refused() -> None:
    params = [{"name": "pagination.page", "in": "query"}, {"name": "pagination_page", "in": "query"}]
    doc = spec({"/a": {"get": op(parameters=params)}})
    with pytest.raises(PipelineError, match=re.escape("'pagination.page' and 'pagination_page'")):
        n.check_parameter_names(doc)


def test_number_enum_becomes_a_documented_number() -> None:
    level = {"type": "number", "enum": [0.5, 0.9, 0.99], "description": "Percentile."}
    doc = spec(schemas={"QuantileLevel": level})
    n.repair_number_enums(doc)
    assert "enum" not in level
    assert level["x-dbcloud-enum"] == [0.5, 0.9, 0.99]
    assert level["description"] == "Percentile. Allowed values: 0.5, 0.9, 0.99."


def test_integer_and_string_enums_are_left_to_the_generator() -> None:
    doc = spec(schemas={"A": {"type": "integer", "enum": [1, 2]}, "B": {"type": "string", "enum": ["x"]}})
    assert n.repair_number_enums(doc) == []


def test_inline_union_members_with_nested_objects_are_hoisted() -> None:
    member = {"type": "object", "properties": {"args": {"type": "array", "items": {"type": "object"}}}}
    plain = {"type": "object", "properties": {"name": {"type": "string"}}}
    doc = spec(schemas={"Create": {"oneOf": [member, plain, {"type": "string"}]}})
    n.hoist_union_members(doc)
    schemas = doc["components"]["schemas"]
    assert schemas["Create"]["oneOf"][0] == {"$ref": "#/components/schemas/CreateType0"}
    assert schemas["CreateType0"] == member
    assert schemas["Create"]["oneOf"][1] == plain  # nothing nested: the generator copes
    assert "CreateType1" not in schemas


def test_unreadable_content_types_get_the_nearest_readable_one() -> None:
    pem = {"application/x-pem-file": {"schema": {"type": "string"}}}
    anything = {"*/*": {"schema": {"type": "object"}}}
    blob = {"application/zip": {"schema": {"type": "string", "format": "binary"}}}
    responses = {
        "200": {"description": "ok", "content": pem},
        "201": {"description": "ok", "content": anything},
        "202": {"description": "ok", "content": blob},
    }
    doc = spec({"/a": {"get": {"responses": responses}}})
    n.repair_content_types(doc)
    assert list(pem) == ["text/plain"]
    assert list(anything) == ["application/json"]
    assert list(blob) == ["application/octet-stream"]


def test_readable_content_types_are_kept() -> None:
    content = {"text/plain; charset=UTF-8": {"schema": {"type": "string"}}, "application/problem+json": {}}
    doc = spec({"/a": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}})
    assert n.repair_content_types(doc) == []


def test_credential_shaped_examples_are_replaced() -> None:
    url = {"type": "string", "example": "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXX"}
    doc = spec(schemas={"Hook": {"type": "object", "properties": {"url": url}}})
    n.redact_example_secrets(doc)
    assert url["example"] == "https://hooks.slack.com/services/<webhook-path>"


def test_every_pass_is_idempotent() -> None:
    doc = spec(
        {"/a/{id}": {"get": op(parameters=[{"name": "x", "in": "path"}])}},
        schemas={"E": {"type": "number", "enum": [0.5]}, "S": {"title": "a sentence here"}},
        data=None,
    )
    n.normalize(doc, n.STRUCTURAL + n.SEMANTIC)
    once = copy.deepcopy(doc)
    assert n.normalize(doc, n.STRUCTURAL + n.SEMANTIC) == []
    assert doc == once


def test_a_discriminator_whose_values_are_not_schema_names_gets_a_mapping() -> None:
    # ClickStack OSS: AlertChannel is oneOf [AlertChannelWebhook] by `type`, whose enum is
    # ["webhook"]: read without a mapping, {"type": "webhook"} names a Schema that does not exist.
    kind = {"type": "string", "enum": ["webhook"]}
    member = {"type": "object", "properties": {"type": {"$ref": "#/components/schemas/Kind"}}}
    email = {"type": "object", "properties": {"type": {"const": "email"}}}
    union = {
        "oneOf": [{"$ref": "#/components/schemas/Hook"}, {"$ref": "#/components/schemas/Email"}],
        "discriminator": {"propertyName": "type", "mapping": {"email": "#/components/schemas/Email"}},
    }
    doc = spec(schemas={"Kind": kind, "Hook": member, "Email": email, "Channel": union})
    notes = n.repair_discriminator_mappings(doc)
    assert union["discriminator"]["mapping"] == {
        "email": "#/components/schemas/Email",
        "webhook": "#/components/schemas/Hook",
    }
    assert len(notes) == 1


def test_discriminator_values_that_name_schemas_or_two_members_are_left_alone() -> None:
    shared = {"type": "object", "properties": {"kind": {"enum": ["a", "Both"]}}}
    union = {
        "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
        "discriminator": {"propertyName": "kind"},
    }
    doc = spec(schemas={"A": shared, "B": dict(shared), "Both": {"type": "object"}, "U": union})
    assert n.repair_discriminator_mappings(doc) == []
    assert "mapping" not in union["discriminator"]


def test_a_discriminator_a_member_does_not_require_is_dropped() -> None:
    # ClickStack OSS: LineChartConfig is oneOf [builder, raw SQL] by `configType`, which only the raw
    # SQL variant has; HyperDX answers builder charts without it.
    builder = {
        "type": "object",
        "required": ["displayType"],
        "properties": {"displayType": {"enum": ["line"]}},
    }
    raw = {"allOf": [{"required": ["configType"]}, {"required": ["displayType"]}]}
    by_config = {
        "oneOf": [{"$ref": "#/components/schemas/Builder"}, {"$ref": "#/components/schemas/Raw"}],
        "discriminator": {"propertyName": "configType", "mapping": {"sql": "#/components/schemas/Raw"}},
    }
    # Every member requires `displayType`, one through each branch of its own oneOf: kept.
    by_display = {
        "oneOf": [{"$ref": "#/components/schemas/Line"}, {"$ref": "#/components/schemas/Raw"}],
        "discriminator": {"propertyName": "displayType"},
    }
    doc = spec(schemas={"Builder": builder, "Raw": raw, "Line": by_config, "Tile": by_display})
    notes = n.repair_optional_discriminators(doc)
    assert "discriminator" not in by_config
    assert by_display["discriminator"] == {"propertyName": "displayType"}
    assert len(notes) == 1
