"""The tolerant reader every generated model reads through (dbcloud._reading), on real models.

The models are the generated ones (ClickHouse Cloud's Service and its nested ServiceEndpoint, the
ClickStack OSS dashboard and alert, ACM's Environment): what the facade and `client.api` return.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from typing import Any

import pytest
from dbcloud_clickhouse_client.models import Service, ServiceEndpoint, ServiceState
from dbcloud_clickhouse_client.types import Unset

import dbcloud
from dbcloud._reading import SpecMismatchError, reread_environment, strict_reading, unknown_members

SERVICE: dict[str, Any] = {
    "autoscalingMode": "vertical",
    "currentScaling": {"numReplicas": 3},
    "id": "6c0a4b9e-1f2d-4e3a-9b8c-7d6e5f4a3b2c",
    "name": "analytics",
    "state": "running",
    "provider": "aws",
    "region": "us-east-1",
    "endpoints": [{"protocol": "https", "host": "abc.clickhouse.cloud", "port": 8443}],
    "minReplicaMemoryGb": 8,
    "isReadonly": False,
}


def test_a_well_formed_answer_reads_and_writes_back_unchanged() -> None:
    service = Service.from_dict(SERVICE)
    assert service.state is ServiceState.RUNNING
    assert service.endpoints[0].port == 8443
    assert service.to_dict() == SERVICE


def test_an_unknown_enum_value_is_kept_as_a_member_of_its_enum(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, "dbcloud.reading"):
        service = Service.from_dict({**SERVICE, "state": "hibernating"})
    assert service.state == "hibernating"
    assert isinstance(service.state, ServiceState)
    assert service.state not in list(ServiceState)
    assert service.state in unknown_members(ServiceState)
    assert service.to_dict()["state"] == "hibernating"
    with strict_reading(), pytest.raises(ValueError, match="hibernating-too"):
        ServiceState("hibernating-too")


def test_a_missing_required_field_is_unset_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    body = {k: v for k, v in SERVICE.items() if k not in ("autoscalingMode", "currentScaling")}
    with caplog.at_level(logging.WARNING, "dbcloud.reading"):
        first = Service.from_dict(body)
        Service.from_dict(body)
    assert isinstance(first.autoscaling_mode, Unset)
    assert isinstance(first.current_scaling, Unset)
    assert first.name == "analytics"
    assert "autoscalingMode" not in first.to_dict()
    said = [r.getMessage() for r in caplog.records if "autoscalingMode" in r.getMessage()]
    assert len(said) <= 1  # once per model and field (it may have been logged by an earlier test)


def test_null_is_accepted_anywhere() -> None:
    service = Service.from_dict({**SERVICE, "endpoints": None, "name": None, "currentScaling": None})
    assert isinstance(service.endpoints, Unset)
    assert isinstance(service.name, Unset)
    assert isinstance(service.current_scaling, Unset)


def test_numbers_and_booleans_sent_as_text_are_read_as_numbers_and_booleans() -> None:
    service = Service.from_dict(
        {**SERVICE, "minReplicaMemoryGb": "16", "numReplicas": "3", "isReadonly": "true", "idleScaling": 1}
    )
    assert service.min_replica_memory_gb == 16.0
    assert service.num_replicas == 3
    assert service.is_readonly is True
    assert service.idle_scaling is True
    assert ServiceEndpoint.from_dict({"host": "h", "port": "9440"}).port == 9440


def test_a_number_where_text_belongs_becomes_its_text() -> None:
    assert Service.from_dict({**SERVICE, "name": 42}).name == "42"


def test_objects_as_json_text_or_as_an_empty_list_are_read() -> None:
    as_text = Service.from_dict({**SERVICE, "currentScaling": '{"numReplicas": 2}'})
    assert as_text.current_scaling.additional_properties.get("numReplicas", 2) == 2
    as_empty_list = Service.from_dict({**SERVICE, "currentScaling": []})
    assert not isinstance(as_empty_list.current_scaling, Unset)
    lists = Service.from_dict({**SERVICE, "endpoints": '[{"host": "h", "port": 1}]', "tags": {}})
    assert lists.endpoints[0].host == "h"
    assert lists.tags == []


def test_one_unreadable_item_never_fails_a_list() -> None:
    service = Service.from_dict({**SERVICE, "endpoints": [7, {"host": "ok", "port": 9440}, None]})
    assert [e.host for e in service.endpoints] == ["ok"]


def test_a_value_that_cannot_be_typed_is_kept_as_sent() -> None:
    service = Service.from_dict({**SERVICE, "createdAt": "last tuesday", "id": "not-a-uuid"})
    assert isinstance(service.created_at, Unset)
    assert service["createdAt"] == "last tuesday"
    assert service["id"] == "not-a-uuid"


def test_strict_reading_refuses_every_drift() -> None:
    drifts: list[dict[str, Any]] = [
        {**SERVICE, "state": "hibernating"},
        {k: v for k, v in SERVICE.items() if k != "autoscalingMode"},
        {**SERVICE, "name": None},
        {**SERVICE, "numReplicas": "3"},
        {**SERVICE, "endpoints": [{"host": "h", "port": "x"}]},
    ]
    for body in drifts:
        with pytest.raises(SpecMismatchError):
            Service.from_dict(body, strict=True)
        with strict_reading(), pytest.raises(dbcloud.APIResponseError):
            Service.from_dict(body)


def test_strict_reading_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBCLOUD_STRICT", "1")
    reread_environment()
    try:
        with pytest.raises(SpecMismatchError, match=r"Service\.state"):
            Service.from_dict({**SERVICE, "state": "hibernating"})
        assert Service.from_dict({**SERVICE, "state": "hibernating"}, strict=False).state == "hibernating"
    finally:
        monkeypatch.delenv("DBCLOUD_STRICT")
        reread_environment()


@pytest.mark.parametrize("body", [[], "text", 5, None, [SERVICE]])
def test_an_answer_that_is_not_an_object_is_a_response_error(body: Any) -> None:
    with pytest.raises(dbcloud.APIResponseError, match="JSON object"):
        Service.from_dict(body)


PACKAGES = (
    "dbcloud_acm_client",
    "dbcloud_clickhouse_client",
    "dbcloud_clickstack_oss_client",
    "dbcloud_cockroach_client",
)


def _enum_fields() -> list[tuple[type, str, str, type]]:
    found = []
    for package in PACKAGES:
        models = importlib.import_module(f"{package}.models")
        for info in pkgutil.iter_modules(models.__path__):
            module = importlib.import_module(f"{package}.models.{info.name}")
            for value in vars(module).values():
                table = getattr(value, "_dbcloud_fields", None)
                if isinstance(value, type) and value.__module__ == module.__name__ and table is not None:
                    found += [
                        (value, attr, wire, getattr(models, kind[1]))
                        for attr, wire, _, kind in table.fields
                        if isinstance(kind, tuple) and kind[0] == "enum"
                    ]
    return found


def test_every_enum_field_of_every_package_keeps_a_value_it_does_not_list() -> None:
    fields = _enum_fields()
    assert len(fields) > 400  # the issue counted 480 enum-typed fields in the four packages
    for model, attr, wire, enum_type in fields:
        new = 987_654 if issubclass(enum_type, int) else "value-added-later"
        value = getattr(model.from_dict({wire: new}), attr)
        assert isinstance(value, enum_type), (model.__name__, wire)
        assert value == new, (model.__name__, wire)
