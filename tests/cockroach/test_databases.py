"""Databases: each call's method, path and body as the vendor's Terraform provider sends them,
answers read tolerantly, checks before sending, a delete sent once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import Database

from .conftest import CLUSTER_ID, FakeCockroach, body, query

DATABASES = f"/api/v1/clusters/{CLUSTER_ID}/databases"

Call = Callable[[dbcloud.CockroachCloud], object]


def test_create_sends_the_name_in_the_body(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", DATABASES, {"name": "movr", "table_count": "0"})
    database = crdb.databases.create(CLUSTER_ID, "movr")

    (request,) = fake.requests
    assert (request.method, request.url.path, query(request)) == ("POST", DATABASES, {})
    assert body(request) == {"name": "movr"}
    assert database == Database("movr", table_count=0)
    assert database.id == "movr"


def test_rename_patches_the_named_database_with_the_new_name(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("PATCH", f"{DATABASES}/movr", {"name": "movr_v2"})
    renamed = crdb.databases.rename(CLUSTER_ID, "movr", "movr_v2")
    (request,) = fake.requests
    assert (request.method, request.url.path) == ("PATCH", f"{DATABASES}/movr")
    assert body(request) == {"new_name": "movr_v2"}
    assert renamed == Database("movr_v2")


def test_list_walks_the_pages_and_reads_table_counts_as_numbers(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on(
        "GET",
        DATABASES,
        {
            "databases": [{"name": "defaultdb", "table_count": "3"}, {"name": "movr", "table_count": 7}],
            "pagination": {"next_page": "p2"},
        },
        {"databases": [{"name": "postgres", "table_count": "many", "owner": "root"}]},
    )
    found = list(crdb.databases.list(CLUSTER_ID, page_size=2, sort_order="desc"))
    assert [(d.name, d.table_count) for d in found] == [("defaultdb", 3), ("movr", 7), ("postgres", None)]
    first, second = (query(r) for r in fake.requests)
    assert first == {"pagination.limit": "2", "pagination.sort_order": "DESC"}
    assert second == {**first, "pagination.page": "p2"}
    assert found[2].raw["owner"] == "root"


def test_a_database_without_a_name_in_a_list_is_skipped_not_fatal(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", DATABASES, {"databases": [{"name": "movr"}, {"table_count": "1"}, None]})
    assert [d.name for d in crdb.databases.list(CLUSTER_ID)] == ["movr"]


def test_a_list_without_its_databases_key_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", DATABASES, {"databases": "movr"})
    with pytest.raises(dbcloud.APIResponseError):
        list(crdb.databases.list(CLUSTER_ID))


def test_delete_is_sent_once_after_a_server_error(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("DELETE", f"{DATABASES}/movr", httpx.Response(503, json={"code": 14, "message": "unavailable"}))
    with pytest.raises(dbcloud.InternalServerError):
        crdb.databases.delete(CLUSTER_ID, "movr")
    assert len(fake.requests) == 1  # a DELETE is retried elsewhere; this one destroys data


def test_delete_is_not_repeated_after_a_reset(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    fake.on("DELETE", f"{DATABASES}/movr", reset)
    with pytest.raises(dbcloud.APIConnectionError):
        crdb.databases.delete(CLUSTER_ID, "movr")
    assert len(fake.requests) == 1


def test_delete_is_repeated_after_a_429(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "DELETE",
        f"{DATABASES}/movr",
        httpx.Response(429, headers={"Retry-After": "1"}, json={"code": 8, "message": "slow down"}),
        {"name": "movr"},
    )
    assert crdb.databases.delete(CLUSTER_ID, "movr") == Database("movr")
    assert len(fake.requests) == 2  # refused before acting, so sending again is safe


def test_create_is_not_repeated_after_a_server_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", DATABASES, httpx.Response(503, json={"code": 14, "message": "x"}))
    with pytest.raises(dbcloud.InternalServerError):
        crdb.databases.create(CLUSTER_ID, "movr")
    assert len(fake.requests) == 1


def test_a_conflict_is_a_conflict_error(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", DATABASES, httpx.Response(409, json={"code": 6, "message": "database already exists"}))
    with pytest.raises(dbcloud.ConflictError, match="already exists"):
        crdb.databases.create(CLUSTER_ID, "movr")


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.databases.create("../x", "movr"), "cluster_id"),
        (lambda c: c.databases.create(CLUSTER_ID, "mo/vr"), "name"),
        (lambda c: c.databases.create(CLUSTER_ID, ""), "name"),
        (lambda c: c.databases.create(CLUSTER_ID, "-movr"), "name"),
        (lambda c: c.databases.create(CLUSTER_ID, "d" * 64), "name"),
        (lambda c: c.databases.create(CLUSTER_ID, 7), "name"),
        (lambda c: c.databases.rename(CLUSTER_ID, "movr", "movr v2"), "new_name"),
        (lambda c: c.databases.rename(CLUSTER_ID, "mo%2Fvr", "movr2"), "name"),
        (lambda c: c.databases.delete(CLUSTER_ID, ".movr"), "name"),
        (lambda c: c.databases.delete("", "movr"), "cluster_id"),
        (lambda c: c.databases.list(CLUSTER_ID, page_size=0), "page_size"),
        (lambda c: c.databases.list(CLUSTER_ID, sort_order="sideways"), "sort_order"),
    ],
)
def test_bad_input_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(crdb)
    assert raised.value.field == field
    assert fake.requests == []


def test_a_database_record_names_it(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", DATABASES, {"databases": [{"name": "movr"}]})
    (database,) = crdb.databases.list(CLUSTER_ID)
    # A record is accepted where a name is asked for.
    fake.on("DELETE", f"{DATABASES}/movr", {"name": "movr"})
    assert crdb.databases.delete(CLUSTER_ID, database).name == "movr"


def test_an_answer_that_is_not_an_object_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", DATABASES, ["movr"])
    with pytest.raises(dbcloud.APIResponseError):
        crdb.databases.create(CLUSTER_ID, "movr")


def test_an_answer_without_the_name_reads_with_the_name_asked_for(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("DELETE", f"{DATABASES}/movr", {})
    assert crdb.databases.delete(CLUSTER_ID, "movr") == Database("movr")
    fake.on("PATCH", f"{DATABASES}/movr", {"table_count": None})
    assert crdb.databases.rename(CLUSTER_ID, "movr", "movr2") == Database("movr2")


def test_signatures_read_through_the_resource(crdb: Any) -> None:
    import inspect

    assert list(inspect.signature(crdb.databases.rename).parameters) == ["cluster_id", "name", "new_name"]
