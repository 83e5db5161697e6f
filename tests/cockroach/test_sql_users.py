"""SQL users: each call's method, path and body as the vendor's Terraform provider sends them,
answers read tolerantly, checks before sending, a delete sent once, the password kept secret."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import SqlUser

from .conftest import CLUSTER_ID, FakeCockroach, body, query

USERS = f"/api/v1/clusters/{CLUSTER_ID}/sql-users"
PASSWORD = "Sql-user-pass-5b1c9e"

Call = Callable[[dbcloud.CockroachCloud], object]


def test_create_sends_name_and_password_in_the_body(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", USERS, {"name": "maxroach"})
    user = crdb.sql_users.create(CLUSTER_ID, "maxroach", PASSWORD)

    (request,) = fake.requests
    assert (request.method, request.url.path, query(request)) == ("POST", USERS, {})
    assert body(request) == {"name": "maxroach", "password": PASSWORD}
    assert user == SqlUser("maxroach")
    assert user.id == "maxroach"


def test_a_secret_password_is_sent_as_its_value(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("PUT", f"{USERS}/maxroach/password", {"name": "maxroach"})
    crdb.sql_users.change_password(CLUSTER_ID, "maxroach", dbcloud.Secret(PASSWORD))
    (request,) = fake.requests
    assert (request.method, body(request)) == ("PUT", {"password": PASSWORD})


def test_list_walks_the_pages_and_reads_the_providers_answer(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    # The vendor's Terraform provider's tests answer a list with `{"users": [...]}` and no
    # pagination at all (internal/provider/sql_user_resource_test.go): one page, then the end.
    fake.on(
        "GET",
        USERS,
        {"users": [{"name": "alice"}, {"name": "bob"}], "pagination": {"next_page": "t2"}},
        {"users": [{"name": "carol", "added_later": True}]},
    )
    users = list(crdb.sql_users.list(CLUSTER_ID, page_size=2, sort_order="desc"))
    assert [u.name for u in users] == ["alice", "bob", "carol"]
    first, second = (query(r) for r in fake.requests)
    assert first == {"pagination.limit": "2", "pagination.sort_order": "DESC"}
    assert second == {**first, "pagination.page": "t2"}
    assert users[2].raw["added_later"] is True


def test_get_finds_a_user_by_name_ignoring_case(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "GET",
        USERS,
        {"users": [{"name": "alice"}], "pagination": {"next_page": "t2"}},
        {"users": [{"name": "bob"}]},
    )
    assert crdb.sql_users.get(CLUSTER_ID, "Bob") == SqlUser("bob")
    assert len(fake.requests) == 2


def test_get_of_a_missing_user_is_not_found(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", USERS, {"users": [{"name": "alice"}]})
    with pytest.raises(dbcloud.NotFoundError, match="no SQL user 'zed'"):
        crdb.sql_users.get(CLUSTER_ID, "zed")


def test_a_user_without_a_name_in_a_list_is_skipped_not_fatal(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", USERS, {"users": [{"name": "alice"}, {}, None]})
    assert [u.name for u in crdb.sql_users.list(CLUSTER_ID)] == ["alice"]


def test_delete_is_sent_once_after_a_server_error(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("DELETE", f"{USERS}/maxroach", httpx.Response(503, json={"code": 14, "message": "unavailable"}))
    with pytest.raises(dbcloud.InternalServerError):
        crdb.sql_users.delete(CLUSTER_ID, "maxroach")
    assert len(fake.requests) == 1  # a DELETE is retried elsewhere; this one removes access


def test_delete_is_repeated_after_a_429(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "DELETE",
        f"{USERS}/maxroach",
        httpx.Response(429, headers={"Retry-After": "1"}, json={"code": 8, "message": "slow down"}),
        {"name": "maxroach"},
    )
    assert crdb.sql_users.delete(CLUSTER_ID, "maxroach") == SqlUser("maxroach")
    assert len(fake.requests) == 2  # refused before acting, so sending again is safe


def test_create_is_not_repeated_after_a_reset(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    fake.on("POST", USERS, reset)
    with pytest.raises(dbcloud.APIConnectionError):
        crdb.sql_users.create(CLUSTER_ID, "maxroach", PASSWORD)
    assert len(fake.requests) == 1


def test_change_password_is_retried_like_any_put(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    path = f"{USERS}/maxroach/password"
    fake.on("PUT", path, httpx.Response(503, json={"code": 14, "message": "x"}), {"name": "maxroach"})
    crdb.sql_users.change_password(CLUSTER_ID, "maxroach", PASSWORD)
    assert len(fake.sent("PUT", path)) == 2  # setting the same password twice acts once


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.sql_users.create("../x", "maxroach", PASSWORD), "cluster_id"),
        (lambda c: c.sql_users.create(CLUSTER_ID, "max/roach", PASSWORD), "name"),
        (lambda c: c.sql_users.create(CLUSTER_ID, "", PASSWORD), "name"),
        (lambda c: c.sql_users.create(CLUSTER_ID, ".hidden", PASSWORD), "name"),
        (lambda c: c.sql_users.create(CLUSTER_ID, "a" * 64, PASSWORD), "name"),
        (lambda c: c.sql_users.create(CLUSTER_ID, 7, PASSWORD), "name"),
        (lambda c: c.sql_users.create(CLUSTER_ID, "maxroach", ""), "password"),
        (lambda c: c.sql_users.create(CLUSTER_ID, "maxroach", 12345), "password"),
        (lambda c: c.sql_users.create(CLUSTER_ID, "maxroach", "a\x00b"), "password"),
        (lambda c: c.sql_users.change_password(CLUSTER_ID, "max roach", PASSWORD), "name"),
        (lambda c: c.sql_users.change_password(CLUSTER_ID, "maxroach", dbcloud.Secret("")), "password"),
        (lambda c: c.sql_users.delete(CLUSTER_ID, "max%2Froach"), "name"),
        (lambda c: c.sql_users.get("", "maxroach"), "cluster_id"),
        (lambda c: c.sql_users.list(CLUSTER_ID, page_size=0), "page_size"),
        (lambda c: c.sql_users.list(CLUSTER_ID, sort_order="sideways"), "sort_order"),
    ],
)
def test_bad_input_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(crdb)
    assert raised.value.field == field
    assert PASSWORD not in str(raised.value)
    assert fake.requests == []


def test_the_password_is_in_no_log_error_or_repr(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, caplog: pytest.LogCaptureFixture
) -> None:
    # A server that echoes the body it refused: the password must not come back through the error.
    echoed = {"code": 3, "message": f"invalid request {{name: maxroach, password: {PASSWORD}}}"}
    fake.on(
        "POST",
        USERS,
        lambda request: httpx.Response(400, json={**echoed, "request": json.loads(request.content)}),
    )
    caplog.set_level(logging.DEBUG)
    with pytest.raises(dbcloud.BadRequestError) as raised:
        crdb.sql_users.create(CLUSTER_ID, "maxroach", PASSWORD)
    error = raised.value
    shown = [str(error), repr(error), repr(error.body), str(error.url), caplog.text, repr(crdb)]
    assert all(PASSWORD not in text for text in shown)
    assert "maxroach" in str(error.body)  # what is not secret stays readable
    assert PASSWORD not in str(fake.requests[0].url)


def test_an_answer_that_is_not_an_object_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", USERS, ["maxroach"])
    with pytest.raises(dbcloud.APIResponseError):
        crdb.sql_users.create(CLUSTER_ID, "maxroach", PASSWORD)


def test_an_answer_without_the_name_reads_with_the_name_asked_for(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("DELETE", f"{USERS}/maxroach", {})
    assert crdb.sql_users.delete(CLUSTER_ID, "maxroach") == SqlUser("maxroach")


def test_signatures_read_through_the_resource(crdb: Any) -> None:
    import inspect

    assert list(inspect.signature(crdb.sql_users.create).parameters) == ["cluster_id", "name", "password"]
