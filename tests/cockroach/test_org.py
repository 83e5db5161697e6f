"""Maintenance windows, folders, service accounts and API keys: each call's method, path and body
as the vendor's Terraform provider sends them, answers read tolerantly, checks before sending,
deletes sent once, and a new key's secret kept out of every repr, log and error."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

import httpx
import pytest

import dbcloud
from dbcloud.cockroach import ApiKey, Folder, MaintenanceWindow, PathSegment

from .conftest import CLUSTER_ID, FakeCockroach, body, query

WINDOW = f"/api/v1/clusters/{CLUSTER_ID}/maintenance-window"
FOLDER_ID = "00000000-0000-0000-0000-000000000001"
CHILD_ID = "00000000-0000-0000-0000-000000000002"
ACCOUNT_ID = "1234abcd-1234-1234-abcd-12345678abcd"
KEY_ID = "CCDB1_D4zlI3pmTmk5zGrzYbMhbc"
SECRET = KEY_ID + "_abcdeFGd81Mtx3djD45iwPfgtnaRv01234Z9047K"

Call = Callable[[dbcloud.CockroachCloud], object]


# --- maintenance windows ------------------------------------------------------------------------


def test_set_sends_whole_seconds_as_the_provider_does(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("PUT", WINDOW, {"offset_duration": "172800s", "window_duration": "21600s"})
    window = crdb.maintenance_windows.set(
        CLUSTER_ID, offset_duration=datetime.timedelta(days=2), window_duration=6 * 3600
    )
    (request,) = fake.requests
    assert body(request) == {"offset_duration": "172800s", "window_duration": "21600s"}
    assert window == MaintenanceWindow(datetime.timedelta(days=2), datetime.timedelta(hours=6))


def test_get_reads_durations_tolerantly(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    # The provider parses the answer as a float with the "s" trimmed (maintenance_window.go).
    fake.on("GET", WINDOW, {"offset_duration": "1010.5s", "window_duration": "soon", "extra": 1})
    window = crdb.maintenance_windows.get(CLUSTER_ID)
    assert window.offset_duration == datetime.timedelta(seconds=1010.5)
    assert window.window_duration is None
    assert window.raw["extra"] == 1


def test_a_missing_window_is_not_found(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("GET", WINDOW, httpx.Response(404, json={"code": 5, "message": "maintenance window not found"}))
    with pytest.raises(dbcloud.NotFoundError):
        crdb.maintenance_windows.get(CLUSTER_ID)


def test_window_delete_is_retried_like_any_delete(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "DELETE",
        WINDOW,
        httpx.Response(503, json={"code": 14, "message": "x"}),
        {"offset_duration": "0s", "window_duration": "21600s"},
    )
    removed = crdb.maintenance_windows.delete(CLUSTER_ID)
    assert removed is not None
    assert removed.offset_duration == datetime.timedelta(0)
    assert len(fake.requests) == 2


# --- folders ------------------------------------------------------------------------------------


def folder_json(fid: str = FOLDER_ID, name: str = "prod", parent: str = "root", **extra: object) -> dict:
    return {"resource_id": fid, "name": name, "parent_id": parent, **extra}


def test_create_sends_root_as_the_parent_when_none_is_given(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    # The provider's mocks answer with neither path, organization_id nor resource_type.
    fake.on("POST", "/api/v1/folders", folder_json(labels={"env": "production"}))
    made = crdb.folders.create("prod")
    (request,) = fake.requests
    assert body(request) == {"name": "prod", "parent_id": "root"}
    assert made == Folder(FOLDER_ID, "prod", "root", labels={"env": "production"})
    assert made.full_path == "/prod"


def test_create_in_a_folder_with_labels(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", "/api/v1/folders", folder_json(CHILD_ID, "team1", FOLDER_ID))
    crdb.folders.create("team1", FOLDER_ID, labels={"team": "one"})
    assert body(fake.requests[0]) == {"name": "team1", "parent_id": FOLDER_ID, "labels": {"team": "one"}}


def test_list_by_path_and_the_contents_of_root(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    child = folder_json(CHILD_ID, "team1", FOLDER_ID, path=[{"id": FOLDER_ID, "name": "prod"}])
    fake.on("GET", "/api/v1/folders", {"folders": [child]})
    (found,) = crdb.folders.list(path="/prod/team1")
    assert query(fake.requests[0]) == {"path": "/prod/team1"}
    assert found.path == (PathSegment(FOLDER_ID, "prod"),)
    assert found.full_path == "/prod/team1"

    cluster = {"resource_id": CLUSTER_ID, "name": "db", "resource_type": "CLUSTER", "parent_id": "root"}
    fake.on(
        "GET",
        "/api/v1/folders/root/contents",
        {"resources": [folder_json(resource_type="FOLDER")], "pagination": {"next_page": "p2"}},
        {"resources": [cluster, {"name": "no id"}]},
    )
    entries = list(crdb.folders.contents(page_size=1))
    assert [(e.id, e.resource_type) for e in entries] == [(FOLDER_ID, "FOLDER"), (CLUSTER_ID, "CLUSTER")]
    assert query(fake.requests[-1]) == {"pagination.limit": "1", "pagination.page": "p2"}


def test_update_sends_only_what_changes(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("PATCH", f"/api/v1/folders/{CHILD_ID}", {})  # an answer without the id names the one asked
    moved = crdb.folders.update(CHILD_ID, parent_id="root")
    assert body(fake.requests[0]) == {"parent_id": "root"}
    assert moved.id == CHILD_ID


def test_folder_delete_is_sent_once(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("DELETE", f"/api/v1/folders/{FOLDER_ID}", httpx.Response(503, json={"code": 14, "message": "x"}))
    with pytest.raises(dbcloud.InternalServerError):
        crdb.folders.delete(FOLDER_ID)
    assert len(fake.requests) == 1
    fake.on("DELETE", f"/api/v1/folders/{FOLDER_ID}", {})
    assert crdb.folders.delete(FOLDER_ID) is None


# --- service accounts and API keys --------------------------------------------------------------


def account_json(**extra: object) -> dict:
    return {
        "id": ACCOUNT_ID,
        "name": "a service account",
        "description": "",
        "creator_name": "somebody",
        "created_at": "2022-03-22T20:23:11.285067Z",
        "group_roles": [],
        "roles": [{"name": "ORG_MEMBER", "resource": {"type": "ORGANIZATION"}}],
        **extra,
    }


def test_create_account_sends_empty_roles_as_the_provider_does(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", "/api/v1/service-accounts", account_json())
    account = crdb.service_accounts.create("a service account")
    assert body(fake.requests[0]) == {"name": "a service account", "description": "", "roles": []}
    assert account.id == ACCOUNT_ID
    assert [(r.name, r.resource_type) for r in account.roles] == [("ORG_MEMBER", "ORGANIZATION")]
    assert account.created_at == datetime.datetime(2022, 3, 22, 20, 23, 11, 285067, tzinfo=datetime.UTC)


def test_create_account_with_roles(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on("POST", "/api/v1/service-accounts", account_json(roles=[{"name": "NEW_ROLE"}]))
    cluster_role = {"name": "CLUSTER_ADMIN", "resource": {"type": "CLUSTER", "id": CLUSTER_ID}}
    account = crdb.service_accounts.create("ci", "for CI", ["org_admin", cluster_role])
    assert body(fake.requests[0])["roles"] == [
        {"name": "ORG_ADMIN", "resource": {"type": "ORGANIZATION"}},
        cluster_role,
    ]
    assert account.roles[0].name == "NEW_ROLE"  # a role the spec does not list is kept as sent


def test_update_account_and_delete_once(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    path = f"/api/v1/service-accounts/{ACCOUNT_ID}"
    fake.on("PATCH", path, account_json(description="description"))
    assert crdb.service_accounts.update(ACCOUNT_ID, description="description").description == "description"
    assert body(fake.requests[0]) == {"description": "description"}
    fake.on("DELETE", path, httpx.Response(502, json={"code": 14, "message": "x"}))
    with pytest.raises(dbcloud.APIStatusError):
        crdb.service_accounts.delete(ACCOUNT_ID)
    assert len(fake.sent("DELETE", path)) == 1


def test_create_key_returns_the_secret_once_as_a_secret(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key_json = {
        "id": KEY_ID,
        "name": "ci",
        "service_account_id": ACCOUNT_ID,
        "created_at": "2022-03-22T20:23:11Z",
    }
    fake.on("POST", "/api/v1/api-keys", {"api_key": key_json, "secret": SECRET})
    key = crdb.api_keys.create("ci", ACCOUNT_ID)
    assert body(fake.requests[0]) == {"name": "ci", "service_account_id": ACCOUNT_ID}
    assert isinstance(key.secret, dbcloud.Secret)
    assert key.secret.reveal() == SECRET
    assert key == ApiKey(
        KEY_ID, "ci", ACCOUNT_ID, datetime.datetime(2022, 3, 22, 20, 23, 11, tzinfo=datetime.UTC)
    )
    shown = [repr(key), str(key), repr(key.raw), caplog.text]
    assert all(SECRET not in text for text in shown)


def test_a_created_key_without_its_id_takes_it_from_the_secret(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach
) -> None:
    fake.on("POST", "/api/v1/api-keys", {"api_key": {"name": "ci"}, "secret": SECRET})
    key = crdb.api_keys.create("ci", ACCOUNT_ID)
    assert key.id == KEY_ID
    assert key.secret == dbcloud.Secret(SECRET)


def test_an_echoed_secret_is_masked_in_the_error(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    fake.on(
        "POST", "/api/v1/api-keys", httpx.Response(400, json={"code": 3, "message": "x", "secret": SECRET})
    )
    with pytest.raises(dbcloud.BadRequestError) as raised:
        crdb.api_keys.create("ci", ACCOUNT_ID)
    assert all(
        SECRET not in text for text in (str(raised.value), repr(raised.value), repr(raised.value.body))
    )


def test_keys_list_get_rename_and_delete_once(crdb: dbcloud.CockroachCloud, fake: FakeCockroach) -> None:
    key_json = {"id": KEY_ID, "name": "ci", "service_account_id": ACCOUNT_ID}
    fake.on("GET", "/api/v1/api-keys", {"api_keys": [key_json, {"name": "no id"}]})
    (listed,) = crdb.api_keys.list(ACCOUNT_ID, sort_order="desc")
    assert query(fake.requests[0]) == {"service_account_id": ACCOUNT_ID, "pagination.sort_order": "DESC"}
    assert listed.secret is None
    path = f"/api/v1/api-keys/{KEY_ID}"
    fake.on("PATCH", path, {**key_json, "name": "ci-2"})
    assert crdb.api_keys.update(listed, "ci-2").name == "ci-2"
    assert body(fake.sent("PATCH", path)[0]) == {"name": "ci-2"}
    fake.on("GET", path, key_json)
    assert crdb.api_keys.get(KEY_ID).id == KEY_ID

    def reset(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadError("connection reset", request=request)

    fake.on("DELETE", path, reset)
    with pytest.raises(dbcloud.APIConnectionError):
        crdb.api_keys.delete(KEY_ID)
    assert len(fake.sent("DELETE", path)) == 1


# --- checks before sending ----------------------------------------------------------------------


def window(offset: object, length: object) -> Call:
    return lambda c: c.maintenance_windows.set(CLUSTER_ID, offset_duration=offset, window_duration=length)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (window(-1, 21600), "offset_duration"),
        (window(604800, 21600), "offset_duration"),
        (window(0.5, 21600), "offset_duration"),
        (window("2d", 21600), "offset_duration"),
        (window(True, 21600), "offset_duration"),
        (window(0, 3600), "window_duration"),
        (window(0, datetime.timedelta(weeks=1)), "window_duration"),
        (lambda c: c.maintenance_windows.get("../x"), "cluster_id"),
        (lambda c: c.folders.get("prod"), "folder_id"),
        (lambda c: c.folders.create(""), "name"),
        (lambda c: c.folders.create("a/b"), "name"),
        (lambda c: c.folders.create("prod", "not-a-uuid"), "parent_id"),
        (lambda c: c.folders.create("prod", labels={"a": 1}), "labels"),
        (lambda c: c.folders.update(FOLDER_ID), "name"),
        (lambda c: c.folders.delete("root"), "folder_id"),
        (lambda c: c.folders.contents("x/y"), "folder_id"),
        (lambda c: c.folders.list(page_size=0), "page_size"),
        (lambda c: c.service_accounts.create(" "), "name"),
        (lambda c: c.service_accounts.create("ci", 3), "description"),
        (lambda c: c.service_accounts.create("ci", "", [7]), "roles"),
        (lambda c: c.service_accounts.create("ci", "", ["NO_SUCH_ROLE"]), "roles"),
        (lambda c: c.service_accounts.create("ci", "", "ORG_ADMIN"), "roles"),
        (lambda c: c.service_accounts.update(ACCOUNT_ID), "name"),
        (lambda c: c.service_accounts.get("a/b"), "account_id"),
        (lambda c: c.api_keys.create("ci", "svc-1"), "service_account_id"),
        (lambda c: c.api_keys.create("", ACCOUNT_ID), "name"),
        (lambda c: c.api_keys.update(KEY_ID, ""), "name"),
        (lambda c: c.api_keys.delete("../" + KEY_ID), "key_id"),
        (lambda c: c.api_keys.list(sort_order="up"), "sort_order"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_before_sending(
    crdb: dbcloud.CockroachCloud, fake: FakeCockroach, call: Call, field: str
) -> None:
    with pytest.raises(dbcloud.ValidationError) as raised:
        call(crdb)
    assert raised.value.field == field
    assert fake.requests == []
