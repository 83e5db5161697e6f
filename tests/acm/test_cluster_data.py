"""Cluster settings, backups, database users and ZooKeepers over MockTransport, on both flavours."""

from __future__ import annotations

import logging

import httpx
import pytest

import dbcloud
from dbcloud.altinity import ClusterSetting

from .conftest import FakeACM, body, envelope, form, query

SECRET = "s3-Secret-never-shown-88"
PASSWORD = "ch-User-pass-never-shown-5"
SETTINGS = [
    {"id": "71", "name": "config.d/http_handlers.xml", "value": "<clickhouse/>", "isFile": True,
     "id_cluster": "42", "system": False},
    {"id": "72", "name": "max_concurrent_queries", "value": "200", "isFile": "0", "id_cluster": "42"},
]  # fmt: skip


# --- settings ------------------------------------------------------------------------------------


def test_settings_list_reads_ids_and_flags_and_hides_values(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/42/settings", SETTINGS)
    first, second = acm.settings.list(42)
    assert (first.id, first.is_file, second.is_file, second.value) == ("71", True, False, "200")
    assert "<clickhouse/>" not in repr(first)


def test_set_creates_a_new_setting_as_acmctl(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/42/settings", SETTINGS)
    fake.on("POST", "/cluster/42/settings", {"id": "73", "name": "config.d/kafka.xml", "isFile": True})
    made = acm.settings.set(42, "config.d/kafka.xml", "<kafka/>")
    (sent,) = fake.sent("POST", "/cluster/42/settings")
    assert body(sent) == {"name": "config.d/kafka.xml", "value": "<kafka/>", "id_cluster": 42, "isFile": True}
    assert not sent.url.params
    assert made.id == "73"


def test_set_guesses_a_server_setting_and_obeys_is_file(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/42/settings", [])
    fake.on("POST", "/cluster/42/settings", {"id": "80", "name": "x"})
    acm.settings.set(42, "max_threads", "8")
    acm.settings.set(42, "users_extra", "<x/>", is_file=True)
    first, second = fake.sent("POST", "/cluster/42/settings")
    assert (body(first)["isFile"], body(second)["isFile"]) == (False, True)


def test_set_changes_an_existing_setting_by_its_id(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/42/settings", SETTINGS)
    fake.on("POST", "/cluster-setting/72", True)
    fake.on("GET", "/cluster/42/settings", SETTINGS)
    got = acm.settings.set(42, "max_concurrent_queries", "300")
    (sent,) = fake.sent("POST", "/cluster-setting/72")
    assert body(sent) == {"name": "max_concurrent_queries", "value": "300"}
    assert isinstance(got, ClusterSetting)
    assert fake.sent("POST", "/cluster/42/settings") == []


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [(("",), {}), ((" x",), {}), (("a\nb",), {}), (("x",), {"is_file": "yes"})],
)
def test_set_refuses_bad_input(acm: dbcloud.Altinity, fake: FakeACM, args: tuple, kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(dbcloud.ValidationError):
        acm.settings.set(42, *args, "v", **kwargs)
    with pytest.raises(dbcloud.ValidationError):
        acm.settings.set(42, "ok", 5)  # type: ignore[arg-type]
    assert fake.requests == []


def test_delete_by_name_or_id_is_sent_once(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/42/settings", SETTINGS)
    fake.on("DELETE", "/cluster-setting/71", httpx.Response(502, json={"data": None, "error": "bad gateway"}))
    fake.on("DELETE", "/cluster-setting/72", True)
    acm.settings.delete(42, 72)
    with pytest.raises(dbcloud.APIStatusError):
        acm.settings.delete(42, "config.d/http_handlers.xml")
    assert len(fake.sent("DELETE", "/cluster-setting/71")) == 1
    with pytest.raises(dbcloud.NotFoundError):
        acm.settings.delete(42, "no-such-setting")


def test_push_has_no_body_and_is_sent_once(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on(
        "POST", "/cluster/42/push", httpx.Response(503, json={"data": None, "error": "unavailable"}), True
    )
    with pytest.raises(dbcloud.APIStatusError):
        acm.settings.push(42)
    assert acm.settings.push(42, update_hosts=True) is True
    first, second = fake.sent("POST", "/cluster/42/push")
    assert (first.content, query(first), query(second)) == (b"", {}, {"update-hosts": "1"})


# --- backups ---------------------------------------------------------------------------------------


def test_backups_list_create(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on(
        "GET", "/cluster/42/backups", [{"name": "2026-12-07T10-00-00", "size": 1024}, {"tag": "t2"}, "junk"]
    )
    fake.on("POST", "/cluster/42/backup", True)
    first, second = acm.backups.list(42)
    assert (first.id, first.tag, first.size, second.id, second.name) == (
        "2026-12-07T10-00-00", "2026-12-07T10-00-00", "1024", "t2", "t2",
    )  # fmt: skip
    assert acm.backups.create(42) is True
    assert fake.sent("POST", "/cluster/42/backup")[0].content == b""


def test_restore_sends_a_form_once_and_hides_the_secret(
    acm: dbcloud.Altinity, fake: FakeACM, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on("POST", "/cluster/42/restore", httpx.Response(502, json={"data": None, "error": f"bad {SECRET}"}))
    with caplog.at_level(logging.DEBUG), pytest.raises(dbcloud.APIStatusError) as caught:
        acm.backups.restore(
            42, tag="t2", table="db.events", provider="s3", bucket="b", region="us-east-1",
            access_key="AKIAEXAMPLE", secret_key=dbcloud.Secret(SECRET), source_environment=176,
        )  # fmt: skip
    (sent,) = fake.sent("POST", "/cluster/42/restore")
    assert form(sent) == {
        "tag": "t2", "table": "db.events", "provider": "s3", "bucket": "b", "region": "us-east-1",
        "accessKey": "AKIAEXAMPLE", "secretKey": SECRET, "sourceEnvironment": "176",
    }  # fmt: skip
    assert SECRET not in str(caught.value) + repr(caught.value) + caplog.text


@pytest.mark.parametrize(
    "kwargs",
    [{"tag": ""}, {"tag": "t", "secret_key": ""}, {"tag": "t", "source_environment": "x"}, {"tag": 3}],
)
def test_restore_refuses_bad_input(acm: dbcloud.Altinity, fake: FakeACM, kwargs: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(dbcloud.ValidationError):
        acm.backups.restore(42, **kwargs)
    assert fake.requests == []


# --- database users --------------------------------------------------------------------------------


def test_users_list_drops_passwords(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/42/users", [
        {"id": "5", "login": "app", "password": PASSWORD, "databases": ["default", "events"],
         "networks": "::/0", "id_cluster": "42", "id_profile": "3", "accessManagement": "1"},
        {"id": 6, "login": "reader", "databases": "default, logs", "accessManagement": 0},
    ])  # fmt: skip
    app, reader = acm.database_users.list(42)
    assert (app.id, app.name, app.databases, app.profile_id, app.access_management) == (
        "5", "app", ("default", "events"), "3", True,
    )  # fmt: skip
    assert (reader.databases, reader.access_management, app.networks) == (
        ("default", "logs"),
        False,
        ("::/0",),
    )
    assert "password" not in app.raw
    assert PASSWORD not in repr(app)


def test_user_create_sends_json_with_the_password_off_the_url(
    acm: dbcloud.Altinity, fake: FakeACM, caplog: pytest.LogCaptureFixture
) -> None:
    fake.on("POST", "/cluster/42/users", {"id": "9", "login": "app", "password": PASSWORD})
    with caplog.at_level(logging.DEBUG):
        user = acm.database_users.create(
            42, "app", dbcloud.Secret(PASSWORD), databases=["default", "events"], profile_id=3,
            access_management=True, networks=["10.0.0.0/8", "::/0"],
        )  # fmt: skip
    (sent,) = fake.sent("POST", "/cluster/42/users")
    assert not sent.url.params
    assert body(sent) == {
        # The Terraform provider's wire types: lists as lists, ids as numbers, the flag as 0/1.
        "login": "app", "password": PASSWORD, "databases": ["default", "events"], "id_profile": 3,
        "accessManagement": 1, "networks": ["10.0.0.0/8", "::/0"],
    }  # fmt: skip
    assert (user.id, user.name) == ("9", "app")
    assert PASSWORD not in caplog.text + repr(user) + str(user.raw)


def test_user_update_and_delete_by_login_look_the_id_up(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/42/users", [{"id": "5", "login": "app"}])
    fake.on("POST", "/cluster/42/user/5", {"id": "5", "login": "app"})
    fake.on("DELETE", "/cluster/42/user/5", httpx.Response(503, json={"data": None, "error": "x"}))
    assert acm.database_users.update(42, "app", password=PASSWORD).id == "5"
    assert body(fake.sent("POST", "/cluster/42/user/5")[0]) == {"password": PASSWORD}
    with pytest.raises(dbcloud.APIStatusError):
        acm.database_users.delete(42, 5)
    assert len(fake.sent("DELETE", "/cluster/42/user/5")) == 1
    with pytest.raises(dbcloud.NotFoundError):
        acm.database_users.delete(42, "ghost")


@pytest.mark.parametrize(
    ("call"),
    [
        lambda a: a.database_users.create(42, "bad name", "pw"),
        lambda a: a.database_users.create(42, "app", ""),
        lambda a: a.database_users.create(42, "app", 5),
        lambda a: a.database_users.create(42, "app", "pw", databases="default"),
        lambda a: a.database_users.create(42, "app", "pw", profile_id=0),
        lambda a: a.database_users.create(42, "app", "pw", networks=["not a cidr"]),
        lambda a: a.database_users.update(42, "app"),
        lambda a: a.database_users.delete(42, "../x"),
    ],
)
def test_users_refuse_bad_input(acm: dbcloud.Altinity, fake: FakeACM, call: object) -> None:
    with pytest.raises(dbcloud.ValidationError):
        call(acm)  # type: ignore[operator]
    assert fake.requests == []


# --- zookeepers ------------------------------------------------------------------------------------


def test_zookeepers_list(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/environment/176/zookeepers", [
        {"id": "11", "tag": "zk-shared", "hosts": ["zk-0.emu", "zk-1.emu"], "size": "multi", "dedicated": 0},
        {"id": 12, "name": "zk-two", "hosts": "zk-a,zk-b", "status": "new-status-word"},
    ])  # fmt: skip
    shared, two = acm.zookeepers.list(176, show_dedicated=True)
    assert (shared.id, shared.name, shared.hosts, shared.dedicated) == (
        "11",
        "zk-shared",
        ("zk-0.emu", "zk-1.emu"),
        False,
    )
    assert (two.id, two.name, two.hosts, two.state) == ("12", "zk-two", ("zk-a", "zk-b"), "new-status-word")
    assert query(fake.requests[0]) == {"showDedicated": "1"}
    with pytest.raises(dbcloud.ValidationError):
        acm.zookeepers.list(0)


def test_unknown_parents_are_not_found(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    fake.on("GET", "/cluster/9/users", envelope(None, "Cluster not found"))
    with pytest.raises(dbcloud.NotFoundError):
        list(acm.database_users.list(9))
