"""List calls walk every page as they are consumed; `.pages()` gives the pages; nothing stops early."""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

import dbcloud

from .conftest import CLUSTER_ID, FakeCockroach, cluster_json, query

CLUSTERS = "/api/v1/clusters"


def page(names: list[str], next_page: str | None) -> dict[str, Any]:
    pagination = {"next_page": next_page} if next_page is not None else {}
    return {"clusters": [cluster_json(name=n, id=f"id-{n}") for n in names], "pagination": pagination}


def paged_server(pages: dict[str | None, dict[str, Any]]) -> Any:
    """Answers each request with the page its `pagination.page` token names."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=pages[request.url.params.get("pagination.page")])

    return answer


THREE_PAGES = {
    None: page(["alpha-one", "alpha-two"], "tok-2"),
    "tok-2": page(["bravo-one", "bravo-two"], "tok-3"),
    "tok-3": page(["charlie-one"], None),
}


def test_the_iterator_walks_every_page_and_stops(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", CLUSTERS, paged_server(THREE_PAGES))
    names = [c.name for c in crdb.clusters.list()]
    assert names == ["alpha-one", "alpha-two", "bravo-one", "bravo-two", "charlie-one"]
    assert [query(r) for r in fake.requests] == [
        {"show_inactive": "false"},
        {"show_inactive": "false", "pagination.page": "tok-2"},
        {"show_inactive": "false", "pagination.page": "tok-3"},
    ]


def test_pages_are_fetched_as_they_are_consumed(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", CLUSTERS, paged_server(THREE_PAGES))
    clusters = crdb.clusters.list()
    assert len(fake.requests) == 1  # the first page at once: a refused list raises right here
    walk = iter(clusters)
    assert next(walk).name == "alpha-one"
    assert next(walk).name == "alpha-two"
    assert len(fake.requests) == 1
    assert next(walk).name == "bravo-one"
    assert len(fake.requests) == 2
    assert [c.name for c in walk] == ["bravo-two", "charlie-one"]
    assert len(fake.requests) == 3
    with pytest.raises(StopIteration):
        next(walk)
    assert len(fake.requests) == 3


def test_pages_view(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", CLUSTERS, paged_server(THREE_PAGES))
    pages = list(crdb.clusters.list().pages())
    assert [(p.number, len(p), p.next_page) for p in pages] == [
        (1, 2, "tok-2"),
        (2, 2, "tok-3"),
        (3, 1, None),
    ]
    assert [c.name for c in pages[1]] == ["bravo-one", "bravo-two"]
    assert len(fake.requests) == 3


def test_a_pager_keeps_its_pages_for_another_walk(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", CLUSTERS, paged_server(THREE_PAGES))
    clusters = crdb.clusters.list()
    assert len(clusters) == 5
    assert [p.number for p in clusters.pages()] == [1, 2, 3]
    assert clusters[3].name == "bravo-two"
    assert len(fake.requests) == 3  # items, pages and indexes share what was fetched
    assert "clusters" in repr(clusters)


def test_empty_pages_are_skipped_and_an_empty_list_is_empty(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", CLUSTERS, paged_server({None: page([], "tok-2"), "tok-2": page(["last-one"], "")}))
    assert [c.name for c in crdb.clusters.list()] == ["last-one"]
    fake.on("GET", CLUSTERS, {"clusters": []})
    assert list(crdb.clusters.list()) == []


def test_a_repeated_token_is_an_error_not_an_endless_loop(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on(
        "GET",
        CLUSTERS,
        paged_server({None: page(["a-cluster"], "same"), "same": page(["b-cluster"], "same")}),
    )
    with pytest.raises(dbcloud.APIResponseError, match="handed out the page cursor 'same' twice"):
        list(crdb.clusters.list())
    assert len(fake.requests) == 2


@pytest.mark.parametrize("show_inactive", [True, False])
def test_show_inactive(crdb: dbcloud.CockroachCloud, fake: FakeCockroach, show_inactive: bool) -> None:
    fake.on("GET", CLUSTERS, page(["gone-cluster"], None))
    list(crdb.clusters.list(show_inactive=show_inactive))
    assert query(fake.requests[0]) == {"show_inactive": str(show_inactive).lower()}


def test_page_size_sorting_and_as_of_time_use_dotted_names(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("GET", CLUSTERS, paged_server(THREE_PAGES))
    when = datetime.datetime(2024, 10, 1, 12, 0, tzinfo=datetime.UTC)
    list(crdb.clusters.list(True, page_size=2, sort_by="created_at", sort_order="DESC", as_of_time=when))
    expected = {
        "show_inactive": "true",
        "pagination.limit": "2",
        "pagination.as_of_time": "2024-10-01T12:00:00+00:00",
        "pagination.sort_by": "CREATED_AT",
        "pagination.sort_order": "DESC",
    }
    assert query(fake.requests[0]) == expected
    # Every page repeats the same options, plus its token.
    assert query(fake.requests[2]) == {**expected, "pagination.page": "tok-3"}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"sort_by": "SIZE"}, "sort_by"),
        ({"sort_order": "UP"}, "sort_order"),
        ({"as_of_time": "yesterday"}, "as_of_time"),
        ({"show_inactive": "yes"}, "show_inactive"),
    ],
)
def test_list_arguments_are_checked_at_once(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, kwargs: dict[str, Any], field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as caught:
        crdb.clusters.list(**kwargs)
    assert caught.value.field == field
    assert fake.requests == []


def test_an_error_on_a_later_page_is_raised_while_iterating(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on(
        "GET",
        CLUSTERS,
        page(["a-cluster"], "tok-2"),
        httpx.Response(500, json={"code": 13, "message": "boom"}),
    )
    walk = iter(crdb.with_options(max_retries=0).clusters.list())
    assert next(walk).name == "a-cluster"
    with pytest.raises(dbcloud.InternalServerError, match="boom"):
        next(walk)


def test_a_list_answer_of_the_wrong_shape(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", CLUSTERS, {"clusters": {"not": "a list"}})
    with pytest.raises(dbcloud.APIResponseError, match="not a list"):
        list(crdb.clusters.list())


def test_nodes_walk_pages_too(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    def nodes(names: list[str], token: str | None) -> dict[str, Any]:
        items = [{"name": n, "region_name": "us-central1", "status": "LIVE"} for n in names]
        return {"nodes": items, "pagination": {"next_page": token} if token else {}}

    fake.on("GET", f"{CLUSTERS}/{CLUSTER_ID}/nodes", nodes(["n1", "n2"], "p2"), nodes(["n3"], None))
    assert [n.name for n in crdb.clusters.nodes(CLUSTER_ID)] == ["n1", "n2", "n3"]
    assert [query(r) for r in fake.requests] == [{}, {"pagination.page": "p2"}]
