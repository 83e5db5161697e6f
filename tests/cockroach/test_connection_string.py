"""Connection strings: the query as the vendor's Terraform provider sends it, the answer's
capitalised parameters read, a password never kept."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import ConnectionString
from dbcloud.cockroach._connection import local_os

from .conftest import CLUSTER_ID, FakeCockroach, query

PATH = f"/api/v1/clusters/{CLUSTER_ID}/connection-string"
HOST = "notorious-moose-123.j77.gcp-us-central1.cockroachlabs.cloud"
# The provider's tests answer {connection_string, params: {Database, Host, Port, Username}}
# (connection_string_data_source_test.go; the SDK's JSON names are capitalised, as in the spec).
ANSWER = {
    "connection_string": f"postgresql://maxroach@{HOST}:26257/movr?sslmode=verify-full",
    "params": {"Database": "movr", "Host": HOST, "Port": "26257", "Username": "maxroach"},
}

Call = Callable[[dbcloud.CockroachCloud], object]


def test_the_query_is_the_providers(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", PATH, ANSWER)
    found = crdb.clusters.connection_string(CLUSTER_ID, database="movr", sql_user="maxroach", os="mac")
    (request,) = fake.requests
    assert (request.method, request.url.path) == ("GET", PATH)
    assert query(request) == {"database": "movr", "sql_user": "maxroach", "os": "MAC"}
    assert found == ConnectionString(
        ANSWER["connection_string"], host=HOST, port=26257, database="movr", username="maxroach"
    )


def test_the_defaults_are_the_providers(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    # database: defaultdb; os: this machine's; no sql_user at all.
    fake.on("GET", PATH, {**ANSWER, "params": {"Database": "defaultdb", "Host": HOST, "Port": "26257"}})
    found = crdb.clusters.connection_string(CLUSTER_ID)
    assert query(fake.requests[0]) == {"database": "defaultdb", "os": local_os()}
    assert found.username is None


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("win32", "WINDOWS"),
        ("cygwin", "WINDOWS"),
        ("darwin", "MAC"),
        ("linux", "LINUX"),
        ("freebsd14", "LINUX"),
    ],
)
def test_the_local_os_is_named_as_the_provider_names_it(platform: str, expected: str) -> None:
    assert local_os(platform) == expected


def test_parameters_are_read_in_either_case_and_as_numbers(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on(
        "GET", PATH, {"connection_string": "postgresql://h:26257/d", "params": {"host": "h", "port": 26257}}
    )
    found = crdb.clusters.connection_string(CLUSTER_ID, os="LINUX")
    assert (found.host, found.port, found.database) == ("h", 26257, None)
    fake.on("GET", PATH, {"connection_string": "postgresql://h:26257/d", "params": None})
    assert crdb.clusters.connection_string(CLUSTER_ID, os="LINUX").host is None


def test_a_password_in_the_answer_is_dropped(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    url = (
        f"postgresql://maxroach:Hunter2-secret@{HOST}:26257/movr?sslmode=verify-full&password=Hunter2-secret"
    )
    fake.on("GET", PATH, {**ANSWER, "connection_string": url})
    found = crdb.clusters.connection_string(CLUSTER_ID, os="LINUX")
    assert found.connection_string == f"postgresql://maxroach@{HOST}:26257/movr?sslmode=verify-full"
    shown = [found.connection_string, repr(found), repr(found.raw), str(found.raw)]
    assert all("Hunter2" not in text for text in shown)


def test_an_answer_without_a_connection_string_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", PATH, {"params": ANSWER["params"]})
    with pytest.raises(dbcloud.APIResponseError):
        crdb.clusters.connection_string(CLUSTER_ID, os="LINUX")


def test_a_read_is_retried(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", PATH, httpx.Response(503, json={"code": 14, "message": "x"}), ANSWER)
    assert crdb.clusters.connection_string(CLUSTER_ID, os="LINUX").port == 26257
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.clusters.connection_string("a/b"), "cluster_id"),
        (lambda c: c.clusters.connection_string(CLUSTER_ID, database="mo vr"), "database"),
        (lambda c: c.clusters.connection_string(CLUSTER_ID, database=""), "database"),
        (lambda c: c.clusters.connection_string(CLUSTER_ID, sql_user="max&roach"), "sql_user"),
        (lambda c: c.clusters.connection_string(CLUSTER_ID, os="BEOS"), "os"),
    ],
)
def test_bad_input_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(crdb)
    assert raised.value.field == field
    assert fake.requests == []
