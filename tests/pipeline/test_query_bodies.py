"""The pipeline's rule that no secret travels on a URL, and the pass that moves a query into a body."""

from __future__ import annotations

from typing import Any

import pytest
from dbcloud_codegen import normalize as n
from dbcloud_codegen.errors import PipelineError

from .test_normalize import op, spec


def query(name: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": kind}, **extra}


def path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def test_a_form_mark_moves_every_query_parameter_into_a_form_body() -> None:
    login = op(
        parameters=[query("login", required=True), query("password", description="the password")],
        **{n.BODY_MARK: "application/x-www-form-urlencoded"},
    )
    doc = spec({"/login": {"post": login}})
    notes = n.move_query_to_body(doc)
    assert login["parameters"] == []
    assert n.BODY_MARK not in login
    assert login["requestBody"] == {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "login": {"type": "string"},
                        "password": {"type": "string", "description": "the password"},
                    },
                    "required": ["login"],
                }
            }
        },
    }
    assert notes == ["POST /login: login, password sent as a application/x-www-form-urlencoded body"]


def test_a_named_schema_types_the_fields_it_declares_and_receives_the_rest() -> None:
    launch = op(
        parameters=[path_param("environment"), query("name"), query("nodes"), query("timezone")],
        **{n.BODY_MARK: {"media": "application/json", "schema": "Launch"}},
    )
    declared = {"nodes": {"type": "integer"}, "instanceType": {"type": "string"}}
    doc = spec(
        {"/env/{environment}/launch": {"post": launch}},
        schemas={"Launch": {"type": "object", "required": ["name"], "properties": declared}},
    )
    n.move_query_to_body(doc)
    # The path parameter stays; the body is the component.
    assert [p["name"] for p in launch["parameters"]] == ["environment"]
    ref = {"$ref": "#/components/schemas/Launch"}
    assert launch["requestBody"]["content"] == {"application/json": {"schema": ref}}
    properties = doc["components"]["schemas"]["Launch"]["properties"]
    # The query's order, the component's types where it has them, its own extra fields last.
    assert list(properties) == ["name", "nodes", "timezone", "instanceType"]
    assert properties["nodes"] == {"type": "integer"}
    assert properties["timezone"] == {"type": "string"}


@pytest.mark.parametrize(
    ("method", "mark", "message"),
    [
        ("get", "application/json", "a GET has no body"),
        ("post", "text/plain", "must name one of"),
        ("post", {"media": "application/json", "schema": "Nowhere"}, "does not exist"),
        ("post", {"media": "application/json", "shape": "x"}, "unknown keys"),
    ],
)
def test_a_mark_that_cannot_be_followed_stops_the_pipeline(method: str, mark: Any, message: str) -> None:
    doc = spec({"/a": {method: op(parameters=[query("password")], **{n.BODY_MARK: mark})}})
    with pytest.raises(PipelineError, match=message):
        n.move_query_to_body(doc)


def test_a_mark_on_an_operation_with_a_body_stops_the_pipeline() -> None:
    body = {"content": {"application/json": {"schema": {"type": "object"}}}}
    doc = spec({"/a": {"post": op(requestBody=body, **{n.BODY_MARK: "application/json"})}})
    with pytest.raises(PipelineError, match="already has a requestBody"):
        n.move_query_to_body(doc)


@pytest.mark.parametrize(
    ("param", "where"),
    [
        (query("password"), "query parameter 'password'"),
        (query("adminPass"), "query parameter 'adminPass'"),
        (query("kubeToken"), "query parameter 'kubeToken'"),
        (query("secret", **{"x-dbcloud-secret": True}), "query parameter 'secret'"),
        ({"name": "code", "in": "query", "schema": {"type": "string", "format": "password"}}, "'code'"),
        ({"name": "apiToken", "in": "path", "required": True, "schema": {}}, "path parameter"),
    ],
)
def test_a_secret_in_the_url_stops_the_pipeline(param: dict[str, Any], where: str) -> None:
    template = "/a/{apiToken}" if param["in"] == "path" else "/a"
    doc = spec({template: {"post": op(parameters=[param])}})
    with pytest.raises(PipelineError, match="secrets would travel on the URL") as caught:
        n.check_secrets_off_url(doc)
    assert where in str(caught.value)


@pytest.mark.parametrize(
    "param",
    [
        query("keyId"),  # about a key, not one
        query("hasPassword", "boolean"),
        query("passwordLength", "integer"),
        query("tokenExpiry"),
        query("allowAdminPassword"),
        query("password", **{"x-dbcloud-secret": False}),  # an overlay has judged it
        {"name": "X-Auth-Token", "in": "header", "schema": {"type": "string"}},  # headers are not logged
    ],
)
def test_parameters_that_are_not_secrets_on_the_url_pass(param: dict[str, Any]) -> None:
    doc = spec({"/a": {"get": op(parameters=[param])}})
    assert n.check_secrets_off_url(doc) == []


def test_an_api_key_scheme_in_the_query_stops_the_pipeline() -> None:
    doc = spec(components={"securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "api_key"}}})
    with pytest.raises(PipelineError, match="security scheme 'key'"):
        n.check_secrets_off_url(doc)


def test_the_rule_runs_after_the_passes_that_fix_what_it_refuses() -> None:
    order = [p.__name__ for p in n.SEMANTIC]
    assert order.index("move_query_to_body") < order.index("check_secrets_off_url")
    assert order.index("repair_path_parameters") < order.index("move_query_to_body")
    assert order[-1] == "check_secrets_off_url"


def test_uuid_parameters_are_typed_as_text_and_keep_their_format_aside() -> None:
    param = {
        "name": "serviceId",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "uuid"},
    }
    body = {"content": {"application/json": {"schema": {"type": "string", "format": "uuid"}}}}
    doc = spec({"/s/{serviceId}": {"patch": op(parameters=[param], requestBody=body)}})
    notes = n.text_uuid_parameters(doc)
    assert param["schema"] == {"type": "string", n.UUID_MARK: "uuid"}
    assert body["content"]["application/json"]["schema"]["format"] == "uuid"  # bodies keep theirs
    assert notes == ["PATCH /s/{serviceId}: path parameter 'serviceId' typed as text"]


def test_the_route_table_still_knows_a_text_typed_uuid() -> None:
    # The generated operation takes the id as `str`; the emulator still refuses a malformed one.
    import inspect

    from dbcloud_clickhouse_client._routes import ROUTES
    from dbcloud_clickhouse_client.api.service import instance_get

    route = next(r for r in ROUTES if r.name == "service.instance_get")
    assert [kind for _, _, kind in route.path_params] == ["UUID", "UUID"]
    annotations = {name: p.annotation for name, p in inspect.signature(instance_get.sync).parameters.items()}
    assert annotations["service_id"] in (str, "str")
