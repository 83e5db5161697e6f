"""`Listing.named`, the one lookup under every `get_by_name`: every page is read, so a second
resource of the same name is seen; none is a `NotFoundError`, several an `AmbiguousNameError`
that names them all."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pytest

import dbcloud
from dbcloud._flow import Flow, Send, Step, run
from dbcloud._pager import Fetched
from dbcloud._resource import Listing


@dataclass(frozen=True)
class Thing:
    id: str
    name: str


def paged(pages: Sequence[Sequence[Thing]], asked: list[Hashable | None]) -> Listing[Thing]:
    """A listing of `pages`, each "request" (a `Send` step) noted in `asked` by its cursor."""

    def fetch(cursor: Hashable | None) -> Flow[Fetched[Thing]]:
        asked.append(cursor)
        yield Send({})
        index = 0 if cursor is None else int(str(cursor))
        following = index + 1 if index + 1 < len(pages) else None
        return Fetched(pages[index], next=following)

    return Listing(fetch, "things", "Vendor")


def perform(step: Step) -> None:
    assert isinstance(step, Send)


def test_the_one_of_that_name_is_found_on_a_later_page_and_every_page_is_read() -> None:
    asked: list[Hashable | None] = []
    pages = [[Thing("1", "a"), Thing("2", "b")], [Thing("3", "c")], [Thing("4", "d")]]
    found = run(paged(pages, asked).named("c"), perform)
    assert found == Thing("3", "c")
    assert asked == [None, 1, 2]  # the last page too: a second "c" could be there


def test_none_of_that_name_is_not_found() -> None:
    with pytest.raises(dbcloud.NotFoundError) as caught:
        run(paged([[Thing("1", "a")]], []).named("zz"), perform)
    assert caught.value.status_code == 404
    assert "'zz'" in str(caught.value)
    assert "things" in str(caught.value)


def test_several_of_that_name_are_named_by_their_ids_in_list_order() -> None:
    pages = [[Thing("9", "dup"), Thing("2", "x")], [Thing("5", "dup")]]
    with pytest.raises(dbcloud.AmbiguousNameError) as caught:
        run(paged(pages, []).named("dup"), perform)
    error = caught.value
    assert error.ids == ("9", "5")
    assert error.name == "dup"
    assert "ids 9, 5" in str(error)
    assert isinstance(error, dbcloud.DBCloudError)
    assert isinstance(error, LookupError)


def test_names_are_compared_exactly_unless_the_vendor_folds_them() -> None:
    pages = [[Thing("1", "Prod")]]
    with pytest.raises(dbcloud.NotFoundError):
        run(paged(pages, []).named("prod"), perform)
    assert run(paged(pages, []).named("prod", fold_case=True), perform).id == "1"


def test_a_record_read_by_other_fields() -> None:
    pages = [[Thing("1", "a"), Thing("2", "b")]]
    listed = paged(pages, []).named("2", name_of=lambda thing: thing.id, id_of=lambda thing: thing.name)
    assert run(listed, perform) == Thing("2", "b")


@pytest.mark.parametrize("name", ["", "   ", None, 7])
def test_an_empty_name_is_refused_before_anything_is_sent(name: object) -> None:
    asked: list[Hashable | None] = []
    with pytest.raises(dbcloud.ValidationError) as caught:
        run(paged([[Thing("1", "a")]], asked).named(name), perform)  # type: ignore[arg-type]
    assert caught.value.field == "name"
    assert asked == []


def test_a_server_that_repeats_a_page_ends_the_walk() -> None:
    def fetch(cursor: Hashable | None) -> Flow[Fetched[Thing]]:
        yield Send({})
        return Fetched([Thing("1", "a")], next="same")

    with pytest.raises(dbcloud.APIResponseError):
        run(Listing(fetch, "things", "Vendor").named("b"), perform)
