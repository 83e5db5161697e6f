"""IP allowlists: each call's method, path and body as the vendor's Terraform provider sends them,
answers read tolerantly, CIDR ranges checked before sending."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import AllowlistEntry
from dbcloud.cockroach._allowlists import parse_cidr

from .conftest import CLUSTER_ID, FakeCockroach, body, query

ALLOWLIST = f"/api/v1/clusters/{CLUSTER_ID}/networking/allowlist"
ENTRY = f"{ALLOWLIST}/192.168.3.2/32"

Call = Callable[[dbcloud.CockroachCloud], object]


def entry_json(ip: str = "192.168.3.2", mask: int = 32, **extra: object) -> dict[str, object]:
    return {"cidr_ip": ip, "cidr_mask": mask, "ui": True, "sql": True, "name": "default-allow-list", **extra}


def test_add_posts_the_whole_entry(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", ALLOWLIST, entry_json())
    entry = crdb.ip_allowlists.add(
        CLUSTER_ID, "192.168.3.2", 32, ui=True, sql=True, name="default-allow-list"
    )
    (request,) = fake.requests
    assert (request.method, request.url.path, query(request)) == ("POST", ALLOWLIST, {})
    assert body(request) == {
        "cidr_ip": "192.168.3.2",
        "cidr_mask": 32,
        "ui": True,
        "sql": True,
        "name": "default-allow-list",
    }
    assert entry == AllowlistEntry("192.168.3.2", 32, ui=True, sql=True, name="default-allow-list")
    assert (entry.id, entry.cidr) == ("192.168.3.2/32", "192.168.3.2/32")


def test_add_without_a_name_leaves_it_out(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    # The provider's Go field is `omitempty`: no name, no key; the server answers its default, "".
    fake.on("POST", ALLOWLIST, entry_json(ui=False, name=""))
    entry = crdb.ip_allowlists.add(CLUSTER_ID, "192.168.3.2", 32, ui=False, sql=True)
    assert body(fake.requests[0]) == {"cidr_ip": "192.168.3.2", "cidr_mask": 32, "ui": False, "sql": True}
    assert entry.name == ""


def test_update_patches_the_ranges_path_with_both_flags(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("PATCH", ENTRY, entry_json(ui=False, sql=False, name="update-test"))
    entry = crdb.ip_allowlists.update(CLUSTER_ID, "192.168.3.2", 32, ui=False, sql=False, name="update-test")
    (request,) = fake.requests
    assert (request.method, request.url.path) == ("PATCH", ENTRY)
    assert body(request) == {"ui": False, "sql": False, "name": "update-test"}
    assert (entry.ui, entry.sql, entry.name) == (False, False, "update-test")
    crdb.ip_allowlists.update(CLUSTER_ID, "192.168.3.2", 32, ui=True, sql=False)
    assert body(fake.requests[1]) == {"ui": True, "sql": False}


def test_remove_deletes_the_ranges_path_and_is_retried(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("DELETE", ENTRY, httpx.Response(503, json={"code": 14, "message": "x"}), entry_json())
    removed = crdb.ip_allowlists.remove(CLUSTER_ID, "192.168.3.2", 32)
    assert [(r.method, r.url.path, r.content) for r in fake.requests] == [("DELETE", ENTRY, b"")] * 2
    assert removed.cidr == "192.168.3.2/32"


def test_add_is_not_repeated_after_a_server_error(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", ALLOWLIST, httpx.Response(503, json={"code": 14, "message": "x"}))
    with pytest.raises(dbcloud.InternalServerError):
        crdb.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", 24, ui=False, sql=True)
    assert len(fake.requests) == 1


def test_list_walks_the_pages_and_reads_tolerantly(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "GET",
        ALLOWLIST,
        {
            "allowlist": [
                entry_json("10.0.0.0", 24),
                {"cidr_ip": "10.1.0.0", "cidr_mask": "16", "sql": "true"},
            ],
            "propagating": True,
            "pagination": {"next_page": "n2"},
        },
        {"allowlist": [{"cidr_mask": 8}, entry_json("192.168.5.4", name=None), None], "propagating": False},
    )
    found = list(crdb.ip_allowlists.list(CLUSTER_ID, page_size=2, sort_order="desc"))
    assert [(e.cidr, e.sql, e.ui, e.name) for e in found] == [
        ("10.0.0.0/24", True, True, "default-allow-list"),
        ("10.1.0.0/16", True, None, None),  # numbers and flags as text; a missing flag is None
        ("192.168.5.4/32", True, True, None),  # an entry without its address is skipped
    ]
    first, second = (query(r) for r in fake.requests)
    assert first == {"pagination.limit": "2", "pagination.sort_order": "DESC"}
    assert second == {**first, "pagination.page": "n2"}


def test_get_finds_an_entry_by_address_and_mask(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    # The provider's tests answer the list with another entry first, to check the right one is taken.
    fake.on("GET", ALLOWLIST, {"allowlist": [entry_json("192.168.5.4"), entry_json(mask=24), entry_json()]})
    assert crdb.ip_allowlists.get(CLUSTER_ID, "192.168.3.2", 32).cidr == "192.168.3.2/32"
    with pytest.raises(dbcloud.NotFoundError, match=r"no entry 192\.168\.3\.2/16"):
        crdb.ip_allowlists.get(CLUSTER_ID, "192.168.3.2", 16)


def test_an_answer_without_the_range_reads_with_the_range_asked_for(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("DELETE", ENTRY, {})
    assert crdb.ip_allowlists.remove(CLUSTER_ID, "192.168.3.2", 32) == AllowlistEntry("192.168.3.2", 32)


def test_an_answer_that_is_not_an_object_is_a_typed_error(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", ALLOWLIST, "ok")
    with pytest.raises(dbcloud.APIResponseError):
        crdb.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", 24, ui=False, sql=True)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.ip_allowlists.add("../x", "10.0.0.0", 24, ui=True, sql=True), "cluster_id"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.256", 24, ui=True, sql=True), "cidr_ip"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0/24", 24, ui=True, sql=True), "cidr_ip"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "2001:db8::", 32, ui=True, sql=True), "cidr_ip"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "", 32, ui=True, sql=True), "cidr_ip"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, 167772160, 8, ui=True, sql=True), "cidr_ip"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", 33, ui=True, sql=True), "cidr_mask"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", -1, ui=True, sql=True), "cidr_mask"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", "24", ui=True, sql=True), "cidr_mask"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", True, ui=True, sql=True), "cidr_mask"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", 24, ui="yes", sql=True), "ui"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", 24, ui=True, sql=None), "sql"),
        (lambda c: c.ip_allowlists.add(CLUSTER_ID, "10.0.0.0", 24, ui=True, sql=True, name=5), "name"),
        (lambda c: c.ip_allowlists.update(CLUSTER_ID, "10.0.0.x", 24, ui=True, sql=True), "cidr_ip"),
        (lambda c: c.ip_allowlists.remove(CLUSTER_ID, "10.0.0.0", 40), "cidr_mask"),
        (lambda c: c.ip_allowlists.get(CLUSTER_ID, "10.0.0.0/8", 8), "cidr_ip"),
        (lambda c: c.ip_allowlists.list(CLUSTER_ID, page_size=-3), "page_size"),
    ],
)
def test_bad_input_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(crdb)
    assert raised.value.field == field
    assert fake.requests == []


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("10.0.0.0/24", ("10.0.0.0", 24)),
        (" 192.168.3.2 ", ("192.168.3.2", 32)),
        ("0.0.0.0/0", ("0.0.0.0", 0)),  # noqa: S104 - an allowlist range, not a bind address
    ],
)
def test_parse_cidr_reads_the_cli_form(text: str, parsed: tuple[str, int]) -> None:
    assert parse_cidr(text) == parsed


@pytest.mark.parametrize(
    ("text", "field"), [("10.0.0.0/", "cidr_mask"), ("10.0.0.0/33", "cidr_mask"), ("a/8", "cidr_ip")]
)
def test_parse_cidr_refuses_what_is_not_a_range(text: str, field: str) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        parse_cidr(text)
    assert raised.value.field == field
