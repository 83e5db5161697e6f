"""ClickPipes: managed ingestion into a ClickHouse Cloud service (Kafka, object storage, Kinesis,
Pub/Sub and the database sources), per service.

Requests are the ones the vendor's own tools send (ClickHouse/terraform-provider-clickhouse,
internal/api/clickpipe.go, and ClickHouse/clickhousectl, crates/clickhouse-cloud-api): the spec's
paths under `.../services/{serviceId}/clickpipes`, a JSON body in the API's field names, state
changes as `PATCH .../state {"command": "start" | "stop"}`, deletion as a bare DELETE.

A source's credentials (`password`, `secretKey`, `privateKey`, `connectionString`,
`serviceAccountKey`, a whole `credentials` object) travel only in the body; every field of those
names is masked where a request or an answer is logged or shown, and dbcloud's error path keeps
them out of exception messages. They may be given as `Secret`s, revealed only when the body is sent.
"""

from __future__ import annotations

import builtins
import datetime
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import attrs

from .._errors import ClusterFailed, ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import as_int, identifier, mapping, read_list, read_one, text, when
from .._retry import once
from .._wait import ClusterState, Progress, map_state, wait_flow
from ._body import build_body, require_some, wire_name
from ._client import uuid_text

if TYPE_CHECKING:
    from ._client import _ClickHouse

__all__ = ["PIPE_STATE_TABLE", "ClickPipe", "ClickPipeFailed", "ClickPipes"]

_VENDOR = "ClickHouse Cloud"
_OP = "click_pipes.click_pipe_"
_NAME_MAX = 255  # the spec's ClickPipe.name maxLength

# Every value of the spec's `ClickPipe.state` enum. `Snapshot` is a database pipe's initial load:
# it ingests, and the vendor's provider counts it as up. `Paused` is a database pipe's `Stopped`;
# `Completed` is an object-storage pipe that read its files once and finished.
PIPE_STATE_TABLE: dict[str, ClusterState] = {
    "Unknown": ClusterState.UNKNOWN,
    "Provisioning": ClusterState.PROVISIONING,
    "Setup": ClusterState.PROVISIONING,
    "Snapshot": ClusterState.RUNNING,
    "Running": ClusterState.RUNNING,
    "Degraded": ClusterState.DEGRADED,
    "Modifying": ClusterState.UPDATING,
    "Resync": ClusterState.UPDATING,
    "Stopping": ClusterState.STOPPING,
    "Pausing": ClusterState.STOPPING,
    "Stopped": ClusterState.STOPPED,
    "Paused": ClusterState.STOPPED,
    "Completed": ClusterState.STOPPED,
    "Failed": ClusterState.FAILED,
    "InternalError": ClusterState.FAILED,
}

# The source kinds of the spec's `ClickPipePostSource`, in its order.
SOURCE_KINDS = ("kafka", "objectStorage", "kinesis", "pubsub", "postgres", "mysql", "bigquery", "mongodb")
# Pipes that write one table (the database pipes name theirs per table mapping instead).
_TABLE_PIPES = frozenset({"kafka", "objectStorage", "kinesis", "pubsub"})


class ClickPipeFailed(ClusterFailed):
    """A ClickPipe reached `Failed` or `InternalError` while being waited for.

    Attributes:
        pipe: the last `ClickPipe` read (also at `last_state`).
    """

    @property
    def pipe(self) -> ClickPipe | None:
        state = self.last_state
        return state if isinstance(state, ClickPipe) else None


@dataclass(frozen=True, slots=True)
class ClickPipe:
    """A ClickPipe.

    Attributes:
        id, name: the pipe's UUID (as text) and name.
        state: where it stands (`PROVISIONING`, `RUNNING`, `STOPPED`, `FAILED`, ...); `status` is the
            API's own word (`Provisioning`, `Running`, `Paused`, `Completed`, ...).
        service_id: the service it writes into.
        source_kind: `kafka`, `objectStorage`, `kinesis`, `pubsub`, `postgres`, `mysql`,
            `bigquery` or `mongodb`; `source_type` the flavour within it (`confluent`, `msk`, `s3`).
        database, table: where it writes.
        replicas: its scaling, when the answer says.
        created_at, updated_at: when it was created and last changed.
        raw: the JSON object as received (not shown in the repr).
    """

    id: str
    name: str
    state: ClusterState
    status: str | None = None
    service_id: str | None = None
    source_kind: str | None = None
    source_type: str | None = None
    database: str | None = None
    table: str | None = None
    replicas: int | None = None
    created_at: datetime.datetime | None = None
    updated_at: datetime.datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ClickPipe:
        status = text(data.get("state"))
        source = mapping(data.get("source"))
        kind = next((k for k in SOURCE_KINDS if isinstance(source.get(k), Mapping)), None)
        if kind is None:  # a kind the spec does not list yet
            kind = next((str(k) for k, v in source.items() if isinstance(v, Mapping)), None)
        destination = mapping(data.get("destination"))
        return cls(
            id=identifier(data, "id"),
            name=text(data.get("name")) or "",
            state=map_state(status, PIPE_STATE_TABLE),
            status=status,
            service_id=text(data.get("serviceId")),
            source_kind=kind,
            source_type=text(mapping(source.get(kind)).get("type")) if kind else None,
            database=text(destination.get("database")),
            table=text(destination.get("table")),
            replicas=as_int(mapping(data.get("scaling")).get("replicas")),
            created_at=when(data.get("createdAt")),
            updated_at=when(data.get("updatedAt")),
            raw=data,
        )


def _parse(data: Any, asked_id: str | None = None) -> ClickPipe:
    return read_one(ClickPipe.from_api, data, what="ClickPipe", vendor=_VENDOR, asked_id=asked_id)


def _describe(pipe: ClickPipe) -> str:
    return pipe.status or "state unknown"


# --- checks before sending: the rules of the vendor's provider and CLI -------------------------------


def _name(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= _NAME_MAX or not value.strip():
        raise ValidationError(f"name must be 1 to {_NAME_MAX} characters, got {value!r}", field="name")
    return value


def _needs(section: Mapping[str, Any], where: str, *names: str) -> None:
    for name in names:
        value = section.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValidationError(f"{where} needs {name!r}", field=f"{where}.{name}")


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{where} must be an object (a dict in the API's field names)", field=where)
    return value


def _source_kind(source: Mapping[str, Any]) -> str:
    given = [k for k, v in source.items() if k != "validateSamples" and v is not None]
    if len(given) != 1:
        raise ValidationError(
            f"source must name exactly one kind of source ({', '.join(SOURCE_KINDS)}), got "
            f"{', '.join(map(str, given)) or 'none'}",
            field="source",
        )
    return str(given[0])


def _check_kafka(kafka: Mapping[str, Any]) -> None:
    # The provider's schema requires these four; `clickhousectl cloud clickpipe create kafka` too.
    _needs(kafka, "source.kafka", "type", "format", "brokers", "topics")
    # Without an authentication the vendor's CLI sends its default, PLAIN, which needs a user name
    # and a password; dbcloud sends what it is given, but checks it the same way.
    auth = kafka.get("authentication") or "PLAIN"
    credentials = kafka.get("credentials")
    creds = credentials if isinstance(credentials, Mapping) else {}
    where = "source.kafka.credentials"
    # clickhousectl's build_kafka_credentials: the credentials' shape follows the authentication.
    if auth in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
        if kafka.get("type") == "azureeventhub":
            _needs(creds, where, "connectionString")
        else:
            _needs(creds, where, "username", "password")
    elif auth == "IAM_USER":
        _needs(creds, where, "accessKeyId", "secretKey")
    elif auth == "IAM_ROLE":
        _needs(kafka, "source.kafka", "iamRole")
    elif auth == "MUTUAL_TLS":
        _needs(creds, where, "certificate", "privateKey")


def _check_object_storage(storage: Mapping[str, Any]) -> None:
    _needs(storage, "source.objectStorage", "format")
    where = "source.objectStorage"
    if storage.get("type") == "azureblobstorage":
        # The provider: Azure Blob Storage names its files by container and path, not by URL.
        _needs(storage, where, "azureContainerName", "path")
    else:
        _needs(storage, where, "url")
    auth = storage.get("authentication")
    if auth == "IAM_USER":
        _needs(mapping(storage.get("accessKey")), f"{where}.accessKey", "accessKeyId", "secretKey")
    elif auth == "IAM_ROLE":
        _needs(storage, where, "iamRole")
    elif auth == "CONNECTION_STRING":
        _needs(storage, where, "connectionString")
    elif auth == "SERVICE_ACCOUNT":
        _needs(storage, where, "serviceAccountKey")


def _check_kinesis(kinesis: Mapping[str, Any]) -> None:
    _needs(kinesis, "source.kinesis", "format", "streamName", "region", "iteratorType", "authentication")


_SOURCE_CHECKS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "kafka": _check_kafka,
    "objectStorage": _check_object_storage,
    "kinesis": _check_kinesis,
}


def _refuse_unknown(model: Any, where: str) -> None:
    """Refuse a field the spec does not declare anywhere inside the body (`build_body` checks the
    top level): a misspelt `brokerz` would otherwise reach the API, or be dropped by it."""
    extra = getattr(model, "additional_properties", None)
    if where and extra:
        name = next(iter(extra))
        declared = [wire_name(f.name) for f in attrs.fields(type(model)) if f.name != "additional_properties"]
        close = difflib.get_close_matches(name, declared, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise ValidationError(
            f"{where}.{name}: not a field of {where} ({hint}it takes: {', '.join(declared)})",
            field=f"{where}.{name}",
        )
    if not attrs.has(type(model)):
        return
    for item in attrs.fields(type(model)):
        # `credentials` is a oneOf that the generated model reads as its first choice, whose fields
        # are not the others': the vendor's own rules (`_check_kafka`) check it instead.
        if item.name in ("additional_properties", "credentials"):
            continue
        value = getattr(model, item.name)
        inner = f"{where}.{wire_name(item.name)}" if where else wire_name(item.name)
        for part in value if isinstance(value, list) else [value]:
            if attrs.has(type(part)):
                _refuse_unknown(part, inner)


def _checked_body(model: type[Any], fields: Mapping[str, Any], what: str) -> None:
    parsed, _ = build_body(model, fields, what=what)
    _refuse_unknown(parsed, "")


# The spec's `ClickPipeScaling` bounds (the generated model checks types, not ranges).
_SCALING_BOUNDS = {"replicas": (1, 40), "replicaCpuMillicores": (125, 2000), "replicaMemoryGb": (0.5, 8)}


def _check_scaling(scaling: Any) -> None:
    if scaling is None:
        return
    for name, (low, high) in _SCALING_BOUNDS.items():
        value = _object(scaling, "scaling").get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ValidationError(
                f"scaling.{name} must be {low} to {high}, got {value!r}", field=f"scaling.{name}"
            )


def check_new_pipe(name: Any, source: Any, destination: Any) -> str:
    """Refuse a new pipe the vendor's tools would refuse; returns the source kind.

    Raises:
        ValidationError: a missing name, not exactly one source, a source without the fields its
            kind and authentication need, or a destination without its database (or table).
    """
    _name(name)
    kind = _source_kind(_object(source, "source"))
    section = _object(source[kind], f"source.{kind}")
    check = _SOURCE_CHECKS.get(kind)
    if check is not None:
        check(section)
    target = _object(destination, "destination")
    _needs(target, "destination", "database")
    if kind in _TABLE_PIPES:
        _needs(target, "destination", "table")
    return kind


class ClickPipes(Resource[H]):
    """ClickPipes, per service. Reached as `ClickHouseCloud().clickpipes` (and
    `AsyncClickHouseCloud().clickpipes`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    def _ids(self, service_id: Any, pipe_id: Any = None) -> dict[str, str]:
        ids = {"service_id": uuid_text(service_id, "service_id")}
        if pipe_id is not None:
            ids["click_pipe_id"] = uuid_text(pipe_id, "pipe_id")
        return ids

    @listing
    def list(self, service_id: str) -> Listing[ClickPipe]:
        """A service's ClickPipes (`GET .../clickpipes`, answered whole).

        Raises:
            ValidationError: the id is not a UUID (raised at once).
            NotFoundError: no such service (raised while iterating).
        """
        ids = self._ids(service_id)  # checked now, before any request

        def everything() -> Flow[builtins.list[ClickPipe]]:
            data = yield from self._client._call_flow(_OP + "get_list", Expect.LIST, **ids)
            return read_list(ClickPipe.from_api, data, what="ClickPipes", vendor=_VENDOR)

        return Listing.of_one(everything, what="ClickPipes", vendor=_VENDOR)

    @call
    def get(self, service_id: str, pipe_id: str) -> Flow[ClickPipe]:
        """One ClickPipe's details.

        Raises:
            ValidationError: an id is not a UUID.
            NotFoundError: no such service or pipe.
        """
        ids = self._ids(service_id, pipe_id)
        data = yield from self._client._call_flow(_OP + "get", Expect.OBJECT, **ids)
        return _parse(data, ids["click_pipe_id"])

    @call
    def create(
        self,
        service_id: str,
        *,
        name: str,
        source: Mapping[str, Any],
        destination: Mapping[str, Any],
        field_mappings: Sequence[Mapping[str, Any]] | None = None,
        scaling: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> Flow[ClickPipe]:
        """Create a ClickPipe. It starts provisioning; wait with `wait_until_running`.

        Sent once, never retried (only after a 429): a repeated creation could make a second pipe
        reading the same source.

        Args:
            name: up to 255 characters.
            source: one kind of source in the API's own field names, e.g.
                `{"kafka": {"type": "confluent", "format": "JSONEachRow", "brokers": "b:9092",
                "topics": "events", "authentication": "PLAIN",
                "credentials": {"username": "u", "password": Secret("p")}}}` or
                `{"objectStorage": {"type": "s3", "format": "CSV", "url": "https://.../*.csv"}}`.
            destination: `{"database", "table", "managedTable", "tableDefinition", "columns"}`.
            field_mappings: `[{"sourceField", "destinationField"}]`.
            scaling: `{"replicas", "replicaCpuMillicores", "replicaMemoryGb"}`.
            settings: the pipe's advanced settings.

        Raises:
            ValidationError: a missing or unknown field or an invalid value; nothing was sent.
        """
        from dbcloud_clickhouse_client.models.click_pipe_post_request import ClickPipePostRequest

        ids = self._ids(service_id)
        check_new_pipe(name, source, destination)
        _check_scaling(scaling)
        fields = {
            "name": name,
            "source": source,
            "destination": destination,
            "field_mappings": field_mappings,
            "scaling": scaling,
            "settings": settings,
        }
        _checked_body(ClickPipePostRequest, fields, "ClickPipe creation")
        data = yield from once(
            self._client._call_with_body_flow(
                _OP + "create",
                ClickPipePostRequest,
                fields,
                Expect.OBJECT,
                what="ClickPipe creation",
                **ids,
            )
        )
        return _parse(data)

    @call
    def update(
        self,
        service_id: str,
        pipe_id: str,
        *,
        name: str | None = None,
        source: Mapping[str, Any] | None = None,
        destination: Mapping[str, Any] | None = None,
        field_mappings: Sequence[Mapping[str, Any]] | None = None,
        settings: Mapping[str, Any] | None = None,
    ) -> Flow[ClickPipe]:
        """Change a ClickPipe (`PATCH .../clickpipes/{id}`): its name, source credentials or table
        mappings, destination, field mappings or settings.

        The API refuses some edits of a running database pipe ("... must be paused to edit", a
        400): `stop` it, update, then `start` it, as the vendor's provider does.

        Args:
            source: the spec's `ClickPipePatchSource`, e.g.
                `{"kafka": {"credentials": {"username": "u", "password": Secret("new")}}}`.
        """
        from dbcloud_clickhouse_client.models.click_pipe_patch_request import ClickPipePatchRequest

        changes = {
            "name": name,
            "source": source,
            "destination": destination,
            "field_mappings": field_mappings,
            "settings": settings,
        }
        require_some(changes, what="ClickPipe update")
        ids = self._ids(service_id, pipe_id)
        if name is not None:
            _name(name)
        _checked_body(ClickPipePatchRequest, changes, "ClickPipe update")
        data = yield from self._client._call_with_body_flow(
            _OP + "update", ClickPipePatchRequest, changes, Expect.OBJECT, what="ClickPipe update", **ids
        )
        return _parse(data)

    def _command(self, service_id: str, pipe_id: str, command: str) -> Flow[ClickPipe]:
        from dbcloud_clickhouse_client.models.click_pipe_state_patch_request import (
            ClickPipeStatePatchRequest,
        )

        data = yield from self._client._call_with_body_flow(
            _OP + "state_update",
            ClickPipeStatePatchRequest,
            {"command": command},
            Expect.OBJECT,
            what=f"ClickPipe {command}",
            **self._ids(service_id, pipe_id),
        )
        return _parse(data)

    @call
    def start(self, service_id: str, pipe_id: str) -> Flow[ClickPipe]:
        """Start a stopped (or paused) ClickPipe (`PATCH .../state {"command": "start"}`).

        Raises:
            BadRequestError: the pipe is already running ("ClickPipe is already running").
        """
        return (yield from self._command(service_id, pipe_id, "start"))

    @call
    def stop(self, service_id: str, pipe_id: str) -> Flow[ClickPipe]:
        """Stop a ClickPipe (`PATCH .../state {"command": "stop"}`); a database pipe pauses."""
        return (yield from self._command(service_id, pipe_id, "stop"))

    @call
    def resync(self, service_id: str, pipe_id: str) -> Flow[ClickPipe]:
        """Copy a Postgres or MySQL pipe's tables again from the start and swap them in
        (`PATCH .../state {"command": "resync"}`); allowed from any state.

        Raises:
            BadRequestError: the pipe is not a Postgres or MySQL one.
        """
        return (yield from self._command(service_id, pipe_id, "resync"))

    @call
    def delete(self, service_id: str, pipe_id: str) -> Flow[None]:
        """Delete a ClickPipe (`DELETE .../clickpipes/{id}`).

        Sent once: never repeated after a server error or a broken connection (only after a 429),
        since it ends the ingestion; a lost answer leaves it to you to look (`get`).

        Raises:
            ValidationError: an id is not a UUID; nothing was sent.
            NotFoundError: no such service or pipe.
        """
        ids = self._ids(service_id, pipe_id)
        yield from once(self._client._call_flow(_OP + "delete", **ids))

    @call
    def wait_until_running(
        self,
        service_id: str,
        pipe_id: str,
        *,
        timeout: float = 1800,
        completed_ok: bool = True,
        interval: float = 5.0,
        max_interval: float = 30.0,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> Flow[ClickPipe]:
        """Poll a ClickPipe until it runs (`Running`, or `Snapshot` for a database pipe's first load).

        Args:
            completed_ok: also accept `Completed`, where a one-shot object-storage pipe ends once
                it has read its files.

        Raises:
            ClickPipeFailed: the pipe reached `Failed` or `InternalError`.
            WaitTimeout: not running within `timeout`.
            NotFoundError: no such pipe.
        """
        ids = self._ids(service_id, pipe_id)

        def ready(pipe: ClickPipe) -> bool:
            return pipe.state is ClusterState.RUNNING or (completed_ok and pipe.status == "Completed")

        def failed(pipe: ClickPipe) -> str | None:
            if pipe.state is ClusterState.FAILED:
                return f"ClickHouse Cloud reports the ClickPipe as {pipe.status}"
            return None

        try:
            pipe = yield from wait_flow(
                lambda: ClickPipes.get.flow(self, ids["service_id"], ids["click_pipe_id"]),
                ready=ready,
                failed=failed,
                describe=_describe,
                timeout=timeout,
                interval=interval,
                max_interval=max_interval,
                clock=self._client._clock,
                on_progress=on_progress,
                what=f"ClickPipe {ids['click_pipe_id']}",
            )
        except ClusterFailed as exc:
            raise ClickPipeFailed(str(exc), last_state=exc.last_state) from None
        assert pipe is not None  # only a deletion wait ends without a pipe
        return pipe
