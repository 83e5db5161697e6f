"""Queries run through ACM, and an environment's node types."""

from __future__ import annotations

import logging

import httpx
import pytest

import dbcloud
from dbcloud.altinity import NodeType, QueryResult

from .conftest import FakeACM, envelope, form, query

PASSWORD = "ch-Pass-never-shown-71"


def test_query_posts_the_statement_as_a_form(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("POST", "/cluster/42/query", envelope("1\n"))
    result = acm.clusters.query(42, "SELECT 1")
    (sent,) = fake.sent("POST", "/cluster/42/query")
    assert form(sent) == {"query": "SELECT 1"}
    assert result == QueryResult("42", text="1\n")


def test_query_with_user_password_node_and_timeout_keeps_the_password_off_the_url(
    acm: dbcloud.Altinity, fake: FakeACM, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on("POST", "/cluster/42/query", envelope([{"version()": "24.8.14"}]))
    with caplog.at_level(logging.DEBUG):
        result = acm.clusters.query(
            42,
            "SELECT version()",
            node="chi-c1-0-0",
            user="admin",
            password=dbcloud.Secret(PASSWORD),
            timeout=30,
        )
    (sent,) = fake.sent("POST", "/cluster/42/query")
    assert form(sent) == {
        "query": "SELECT version()",
        "node": "chi-c1-0-0",
        "user": "admin",
        "password": PASSWORD,
        "timeout": "30",
    }
    assert result.rows == ({"version()": "24.8.14"},)
    assert PASSWORD not in caplog.text
    assert PASSWORD not in repr(result)


def test_a_refused_query_masks_the_password(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on(
        "POST", "/cluster/42/query", envelope(None, f"Code: 516. Authentication failed: password {PASSWORD}")
    )
    with pytest.raises(dbcloud.APIStatusError) as caught:
        acm.clusters.query(42, "SELECT 1", user="admin", password=PASSWORD)
    assert PASSWORD not in str(caught.value)
    assert PASSWORD not in repr(caught.value)


def test_a_query_is_not_repeated_after_a_5xx(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("POST", "/cluster/42/query", httpx.Response(503, json={"data": None, "error": "unavailable"}))
    with pytest.raises(dbcloud.APIStatusError):
        acm.clusters.query(42, "INSERT INTO t VALUES (1)")
    assert len(fake.sent("POST", "/cluster/42/query")) == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sql": ""},
        {"sql": "  "},
        {"sql": 5},
        {"sql": "SELECT 1", "password": ""},
        {"sql": "SELECT 1", "timeout": 0},
    ],
)
def test_query_refuses_bad_input(acm: dbcloud.Altinity, fake: FakeACM, kwargs: dict[str, object]) -> None:
    with pytest.raises(dbcloud.ValidationError):
        acm.clusters.query(42, **kwargs)  # type: ignore[arg-type]
    assert fake.requests == []


def test_a_query_answer_of_another_shape_is_kept(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("POST", "/cluster/42/query", envelope({"meta": [], "data": []}))
    result = acm.clusters.query(42, "SELECT 1 FORMAT JSON")
    assert (result.text, result.rows, result.raw) == (None, None, {"meta": [], "data": []})


NODE_TYPES = [
    {"id": "13930", "scope": "clickhouse", "code": "n2d-standard-2", "name": "n2d-standard-2", "cpu": "2",
     "memory": "6001", "capacity": "10", "isSpot": False, "id_environment": "176", "storageClass": None},
    {"id": 13929, "scope": "zookeeper", "code": "e2-standard-2", "name": None, "cpu": 2, "memory": "6001.0"},
    {"scope": "system", "code": "no-id"},
]  # fmt: skip


def test_node_types_are_read_tolerantly(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environment/176/nodetypes", NODE_TYPES)
    first, second = acm.node_types.list(176)  # the third, without an id, is left out
    assert first == NodeType(
        id="13930", name="n2d-standard-2", code="n2d-standard-2", scope="clickhouse", cpu=2, memory=6001,
        capacity=10, spot=False, environment_id="176",
    )  # fmt: skip
    assert (second.id, second.name, second.cpu, second.memory) == ("13929", "e2-standard-2", 2, None)
    assert not fake.sent("GET", "/environment/176/nodetypes")[0].url.params


def test_node_types_scope_and_with_used(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environment/176/nodetypes", [{**NODE_TYPES[0], "used": "1"}])
    (only,) = acm.node_types.list("176", scope="clickhouse", with_used=True)
    assert only.used is True
    assert query(fake.requests[0]) == {"scope": "clickhouse", "withUsed": "1"}


@pytest.mark.parametrize(("env", "scope"), [(0, None), ("abc", None), (176, "gpu")])
def test_node_types_refuse_bad_input(
    acm: dbcloud.Altinity, fake: FakeACM, env: object, scope: object
) -> None:
    with pytest.raises(dbcloud.ValidationError):
        list(acm.node_types.list(env, scope=scope))  # type: ignore[arg-type]
    assert fake.requests == []


def test_node_types_of_an_unknown_environment(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environment/9/nodetypes", envelope(None, "Environment not found"))
    with pytest.raises(dbcloud.NotFoundError):
        list(acm.node_types.list(9))
