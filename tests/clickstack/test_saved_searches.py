"""ClickStack saved searches over MockTransport, both deployments and flavours: the exact requests,
HyperDX's rules refused before sending, tolerant reading, a delete sent once."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud.clickstack import SavedSearch

from .conftest import SAVED_SEARCH, FakeStack, body

SS, SRC = SAVED_SEARCH["id"], SAVED_SEARCH["sourceId"]
IN_FILTER = {"type": "sql", "condition": "ServiceName IN ('checkout', 'payments')"}


def _error(fake: FakeStack, status: int, message: str) -> httpx.Response:
    if fake.mode == "managed":
        return httpx.Response(status, json={"status": status, "error": message, "requestId": "r-1"})
    return httpx.Response(status, json={"message": message})


def test_create_sends_every_field_in_the_specs_order(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("POST", "/saved-searches", SAVED_SEARCH)
    made = stack.saved_searches.create(
        name="Production Errors",
        source_id=SRC,
        select="Timestamp, Body",
        where="SeverityText:ERROR",
        where_language="lucene",
        order_by="Timestamp DESC",
        tags=["prod"],
        filters=[IN_FILTER],
    )
    sent = fake.last
    assert (sent.method, sent.url.path) == ("POST", f"{fake.prefix}/saved-searches")
    assert list(body(sent).items()) == [
        ("name", "Production Errors"),
        ("sourceId", SRC),
        ("select", "Timestamp, Body"),
        ("where", "SeverityText:ERROR"),
        ("whereLanguage", "lucene"),
        ("orderBy", "Timestamp DESC"),
        ("tags", ["prod"]),
        ("filters", [IN_FILTER]),
    ]
    assert isinstance(made, SavedSearch)
    assert (made.id, made.name, made.source_id, made.where, made.tags) == (
        SS,
        "Errors",
        SRC,
        "level:error",
        ("prod",),
    )


def test_update_is_a_put_of_the_whole_search(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("PUT", f"/saved-searches/{SS}", SAVED_SEARCH)
    stack.saved_searches.update(SS, name="Errors", source_id=SRC)
    assert (fake.last.method, fake.last.url.path) == ("PUT", f"{fake.prefix}/saved-searches/{SS}")
    assert body(fake.last) == {"name": "Errors", "sourceId": SRC}


def test_delete_is_sent_once_after_a_server_error(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("DELETE", f"/saved-searches/{SS}", _error(fake, 502, "bad gateway"), None)
    with pytest.raises(dbcloud.APIStatusError) as failed:
        stack.saved_searches.delete(SS)
    assert failed.value.status_code == 502
    assert len(fake.requests) == 1


def test_an_unknown_saved_search_is_not_found(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    fake.on("GET", f"/saved-searches/{SS}", _error(fake, 404, "Saved search not found"))
    with pytest.raises(dbcloud.NotFoundError, match="Saved search not found"):
        stack.saved_searches.get(SS)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "n" * 1025}, "name"),
        ({"source_id": ""}, "source_id"),
        ({"source_id": None}, "source_id"),
        ({"select": "s" * 4097}, "select"),
        ({"where": "w" * 8193}, "where"),
        ({"where": 5}, "where"),
        ({"where_language": "kql"}, "where_language"),
        ({"order_by": "o" * 1025}, "order_by"),
        ({"tags": "prod"}, "tags"),
        ({"tags": ["t" * 33]}, "tags"),
        ({"tags": [f"t{i}" for i in range(51)]}, "tags"),
        ({"filters": {"type": "sql"}}, "filters"),
        ({"filters": [IN_FILTER] * 101}, "filters"),
        ({"filters": ["ServiceName IN ('a')"]}, "filters[0]"),
        ({"filters": [{"type": "kql", "condition": "x"}]}, "filters[0]"),
        ({"filters": [IN_FILTER, {"type": "sql"}]}, "filters[1]"),
        ({"filters": [{"type": "sql_ast", "operator": "~", "left": "a", "right": "b"}]}, "filters[0]"),
    ],
)
def test_hyperdx_rules_are_refused_before_sending(
    stack: dbcloud.ClickStack, fake: FakeStack, arguments: dict[str, Any], field: str
) -> None:
    given = {"name": "Errors", "source_id": SRC, **arguments}
    with pytest.raises(dbcloud.ValidationError) as refused:
        stack.saved_searches.create(**given)
    assert refused.value.field == field
    with pytest.raises(dbcloud.ValidationError):
        stack.saved_searches.update(SS, **given)
    assert fake.requests == []


@pytest.mark.parametrize("bad", ["", "a/b", "."])
def test_ids_are_checked_before_sending(stack: dbcloud.ClickStack, fake: FakeStack, bad: str) -> None:
    for verb in (stack.saved_searches.get, stack.saved_searches.delete):
        with pytest.raises(dbcloud.ValidationError, match="saved_search_id"):
            verb(bad)
    assert fake.requests == []


def test_an_answer_is_read_tolerantly(stack: dbcloud.ClickStack, fake: FakeStack) -> None:
    # Nulls, the internal `source` name, a filter that is not an object, no dates.
    odd = {"id": SS, "name": None, "source": SRC, "tags": None, "filters": [IN_FILTER, "x"], "where": None}
    fake.on("GET", f"/saved-searches/{SS}", odd)
    got = stack.saved_searches.get(SS)
    assert (got.id, got.name, got.source_id, got.tags, got.where) == (SS, "", SRC, (), None)
    assert got.filters == (IN_FILTER,)
    assert got.created_at is None


def test_oss_lists_are_paged(fake: FakeStack, stack: dbcloud.ClickStack) -> None:
    items = [{**SAVED_SEARCH, "id": f"{i:024x}"} for i in range(3)]
    fake.on("GET", "/saved-searches", items)
    assert [s.id for s in stack.saved_searches.list()] == [i["id"] for i in items]
    params = dict(fake.last.url.params)
    assert params == ({"limit": "1000", "offset": "0"} if fake.mode == "oss" else {})
