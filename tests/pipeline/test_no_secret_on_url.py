"""No generated operation of any package can put a secret on a URL.

The pipeline refuses such a spec (`normalize.check_secrets_off_url`); this walks what it wrote, every
operation module of every OpenAPI package and every GraphQL operation, so a generator change or a
hand edit that brings one back fails here. A secret is what the project's one rule says it is
(`dbcloud._secret_names.is_secret_name`), judged on the names the generated code sends in the query
(including the fields of a model flattened into it) and the placeholders of the URL template.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from dbcloud._secret_names import is_secret_name

GENERATED = Path(__file__).resolve().parents[2] / "generated"
OPENAPI_PACKAGES = sorted(p.name for p in GENERATED.iterdir() if (p / "api").is_dir())


def url_names(source: str, models: str) -> Iterator[tuple[str, str]]:
    """(where, name) for every name `_get_kwargs` in `source` puts on the URL."""
    tree = ast.parse(source)
    function = next(
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "_get_kwargs"
    )
    arguments = function.args.args + function.args.kwonlyargs
    annotations = {a.arg: ast.unparse(a.annotation) for a in arguments if a.annotation}
    flattened: dict[str, str] = {}  # json_<arg> variable -> the argument it came from
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Subscript) and ast.unparse(target.value) == "params":
                key = target.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield "query", key.value
            value = node.value
            if (
                isinstance(target, ast.Name)
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == "to_dict"
                and isinstance(value.func.value, ast.Name)
            ):
                flattened[target.id] = value.func.value.id
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "update"
            and ast.unparse(node.func.value) == "params"
        ):
            # A model parameter flattened into the query: every field name of the model travels.
            (argument,) = node.args
            source_arg = flattened.get(ast.unparse(argument), ast.unparse(argument))
            model_name = annotations[source_arg].split("|")[0].strip()
            for wire in _model_wire_names(models, model_name):
                yield "query (flattened)", wire
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "url":
                    literal = value.func.value if isinstance(value, ast.Call) else value  # "...".format(...)
                    if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                        for placeholder in re.findall(r"{([^{}]+)}", literal.value):
                            yield "path", placeholder


def _model_wire_names(models: str, class_name: str) -> Iterator[str]:
    module = importlib.import_module(models)
    model = getattr(module, class_name)
    for _, wire, _, _ in model._dbcloud_fields.fields:
        yield wire


def operation_modules(package: str) -> Iterator[Path]:
    yield from sorted((GENERATED / package / "api").rglob("*.py"))


@pytest.mark.parametrize("package", OPENAPI_PACKAGES)
def test_no_generated_operation_sends_a_secret_in_its_url(package: str) -> None:
    walked = 0
    leaks = []
    for module in operation_modules(package):
        if module.name == "__init__.py":
            continue
        walked += 1
        for where, name in url_names(module.read_text(encoding="utf-8"), f"{package}.models"):
            if is_secret_name(name):
                leaks.append(f"{module.relative_to(GENERATED)}: {where} {name!r}")
    assert walked > 30, f"found only {walked} operations in {package}"
    assert leaks == []


def test_every_openapi_package_is_walked() -> None:
    assert OPENAPI_PACKAGES == [
        "dbcloud_acm_client",
        "dbcloud_clickhouse_client",
        "dbcloud_clickstack_oss_client",
        "dbcloud_cockroach_client",
    ]


LEAKY = """
def _get_kwargs(id: int, *, password: str, order: Order | Unset = UNSET) -> dict[str, Any]:
    params: dict[str, Any] = {}
    params["password"] = password
    json_order: dict[str, Any] | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.to_dict()
    if not isinstance(json_order, Unset):
        params.update(json_order)
    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/cluster/{id}/{api_token}".format(id=id),
        "params": params,
    }
    return _kwargs
"""


def test_the_walk_finds_a_secret_wherever_the_url_carries_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # The walk itself can fail: a query key, a flattened model's field and a path placeholder.
    import types

    class Order:
        class _dbcloud_fields:
            fields = (("by", "by", False, "str"), ("session_token", "sessionToken", False, "str"))

    fake = types.ModuleType("fake_models")
    fake.Order = Order  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fake_models", fake)
    found = {(where, name) for where, name in url_names(LEAKY, "fake_models") if is_secret_name(name)}
    assert found == {("query", "password"), ("query (flattened)", "sessionToken"), ("path", "api_token")}


def test_no_graphql_operation_puts_anything_on_the_url() -> None:
    # Every Anywhere operation is posted as JSON to the one endpoint: variables in the body.
    from dbcloud_anywhere_client.operations import OPERATIONS

    from dbcloud import AltinityAnywhere

    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        field = json.loads(request.content)["query"].split("{", 2)[1].split("(")[0].strip()
        return httpx.Response(200, json={"data": {field: None}})

    client = AltinityAnywhere(
        token="anywhere-token-for-tests",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
        max_retries=0,
    )
    variables: dict[str, Any] = {"password": "hunter2-secret", "token": "t0ken-secret"}
    for operation in OPERATIONS.values():
        client.execute(operation.document, variables=variables)
    assert len(sent) == len(OPERATIONS) > 20
    for request in sent:
        assert request.method == "POST"
        assert request.url.query == b""
        assert b"hunter2-secret" not in str(request.url).encode()
        assert json.loads(request.content)["variables"] == variables
