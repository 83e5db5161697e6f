"""The emulated ClickPipes of ClickHouse Cloud services, wired into `EmulatedClickHouse`.

Lifecycle, in emulated seconds, with the states of the spec's `ClickPipe.state` enum:

    create → Provisioning (60 s) → Running     (→ Failed when its broker or URL host ends in .invalid)
    stop   → Stopping (10 s) → Stopped          (a database pipe: Pausing → Paused)
    start  (Stopped, Paused or Failed only) → Provisioning (30 s) → Running
    delete → gone, then 404

Rules, from the vendor's spec, provider and CLI (assumptions are marked):
- every call answers 404 for an unknown service or pipe, and 424 while the service is idle (the
  provider wakes the service and retries on that answer); a creation answers 424 unless the
  service is running, naming its state;
- a new pipe needs a name (1-255 characters), exactly one source, the fields its kind needs (Kafka:
  type, format, brokers, topics; object storage: format and a URL, or an Azure container and path;
  Kinesis: format, stream, region, iterator type, authentication), credentials that match the
  authentication, an authentication the Kafka flavour supports (the spec's list), and a destination
  database (and table, for the pipes that write one);
- a start of a running pipe is refused with the vendor's "ClickPipe is already running"; a stop of
  a stopped one is accepted (the provider calls it idempotent);
- a running database pipe refuses source edits: "... ClickPipe must be paused to edit";
- credentials are write-only: no answer carries them (assumption: the spec's answer schema lists
  an object-storage `connectionString`, which the emulator leaves out as well).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .._api import ApiError, Handler
from .._http import EmuRequest

if TYPE_CHECKING:
    from ._service import EmulatedClickHouse
    from ._state import _Service

__all__ = ["PIPE_PROVISION_SECONDS", "PIPE_START_SECONDS", "PIPE_STOP_SECONDS", "ClickPipeStore"]

PIPE_PROVISION_SECONDS = 60.0
PIPE_STOP_SECONDS = 10.0
PIPE_START_SECONDS = 30.0

_KINDS = ("kafka", "objectStorage", "kinesis", "pubsub", "postgres", "mysql", "bigquery", "mongodb")
_TABLE_PIPES = frozenset({"kafka", "objectStorage", "kinesis", "pubsub"})
_DATABASE_PIPES = frozenset({"postgres", "mysql", "bigquery", "mongodb"})
_NAMES = {"postgres": "Postgres", "mysql": "MySQL", "bigquery": "BigQuery", "mongodb": "MongoDB"}
# The authentications each Kafka flavour supports, as the spec's description lists them.
_KAFKA_AUTH = {
    "kafka": {"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "MUTUAL_TLS"},
    "msk": {"SCRAM-SHA-512", "IAM_ROLE", "IAM_USER", "MUTUAL_TLS"},
    "gcmk": {"PLAIN", "MUTUAL_TLS"},
    "confluent": {"PLAIN", "MUTUAL_TLS"},
    "warpstream": {"PLAIN"},
    "azureeventhub": {"PLAIN"},
    "redpanda": {"SCRAM-SHA-256", "SCRAM-SHA-512", "MUTUAL_TLS"},
    "dokafka": {"SCRAM-SHA-256", "MUTUAL_TLS"},
}
# Write-only fields of a source: taken, never answered.
_WRITE_ONLY = frozenset({"credentials", "accessKey", "serviceAccountKey", "connectionString", "password"})
_STREAMING_SCALING = {"replicas": 1, "replicaCpuMillicores": 125, "replicaMemoryGb": 0.5}


@dataclass
class _Pipe:
    fields: dict[str, Any]  # the ClickPipe answer without `state`
    kind: str
    state: str
    next_state: str | None = None
    next_at: float = math.inf

    @property
    def id(self) -> str:
        return str(self.fields["id"])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _need(section: Any, where: str, *names: str) -> None:
    given = section if isinstance(section, dict) else {}
    for name in names:
        if _blank(given.get(name)):
            raise ApiError(400, f"BAD_REQUEST: {where}.{name} is required")


def _fails(kind: str, source: dict[str, Any]) -> bool:
    # The emulator's way to show a pipe that cannot reach its source: a host in .invalid (RFC 2606).
    if kind == "kafka":
        hosts = [b.strip().rsplit(":", 1)[0] for b in str(source.get("brokers", "")).split(",")]
    elif kind == "objectStorage":
        hosts = [urlsplit(str(source.get("url", ""))).hostname or ""]
    else:
        return False
    return any(h.endswith(".invalid") for h in hosts)


def _check_kafka(kafka: dict[str, Any]) -> None:
    _need(kafka, "source.kafka", "type", "format", "brokers", "topics")
    auth = kafka.get("authentication") or "PLAIN"
    flavour = str(kafka["type"])
    if auth not in _KAFKA_AUTH.get(flavour, {auth}):
        allowed = ", ".join(sorted(_KAFKA_AUTH[flavour]))
        raise ApiError(400, f"BAD_REQUEST: {flavour} supports {allowed} authentication, not {auth}")
    creds = kafka.get("credentials")
    where = "source.kafka.credentials"
    if auth in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
        _need(
            creds, where, *(("connectionString",) if flavour == "azureeventhub" else ("username", "password"))
        )
    elif auth == "IAM_USER":
        _need(creds, where, "accessKeyId", "secretKey")
    elif auth == "IAM_ROLE":
        _need(kafka, "source.kafka", "iamRole")
    elif auth == "MUTUAL_TLS":
        _need(creds, where, "certificate", "privateKey")


def _check_object_storage(storage: dict[str, Any]) -> None:
    where = "source.objectStorage"
    _need(storage, where, "format")
    if storage.get("type") == "azureblobstorage":
        _need(storage, where, "azureContainerName", "path")
    else:
        _need(storage, where, "url")
    auth = storage.get("authentication")
    if auth == "IAM_USER":
        _need(storage.get("accessKey"), f"{where}.accessKey", "accessKeyId", "secretKey")
    elif auth == "IAM_ROLE":
        _need(storage, where, "iamRole")
    elif auth == "CONNECTION_STRING":
        _need(storage, where, "connectionString")
    elif auth == "SERVICE_ACCOUNT":
        _need(storage, where, "serviceAccountKey")
    if storage.get("skipInitialLoad") and storage.get("startAfter"):
        raise ApiError(400, "BAD_REQUEST: startAfter cannot be given with skipInitialLoad")


def _check_kinesis(kinesis: dict[str, Any]) -> None:
    _need(kinesis, "source.kinesis", "format", "streamName", "region", "iteratorType", "authentication")


_CHECKS = {"kafka": _check_kafka, "objectStorage": _check_object_storage, "kinesis": _check_kinesis}


def _name(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 255 or not value.strip():
        raise ApiError(400, "BAD_REQUEST: name must be 1 to 255 characters")
    return value


def _shown(source: Any) -> Any:
    """A source as answered: without its write-only fields."""
    if isinstance(source, dict):
        return {k: _shown(v) for k, v in source.items() if k not in _WRITE_ONLY and v is not None}
    return source


def _merged(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in patch.items():
        if value is None:
            continue
        out[key] = (
            _merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
        )
    return out


class ClickPipeStore:
    """The ClickPipes of every service of one `EmulatedClickHouse`, and their operations."""

    def __init__(self, emulator: EmulatedClickHouse) -> None:
        self.emulator = emulator
        self.pipes: dict[str, dict[str, _Pipe]] = {}  # service id → pipe id → pipe

    def handlers(self) -> dict[str, Handler]:
        prefix = "click_pipes.click_pipe_"
        return {
            prefix + "get_list": self._list,
            prefix + "get": lambda r, b: self._view(self._pipe(r)),
            prefix + "create": self._create,
            prefix + "update": self._update,
            prefix + "state_update": self._change_state,
            prefix + "delete": self._delete,
        }

    # --- lookups ---------------------------------------------------------------------------------

    def _awake(self, request: EmuRequest) -> _Service:
        service = self.emulator._service(request)
        if request.method == "POST" and service.state not in ("running", "partially_running", "degraded"):
            # The vendor's words, as the provider's tests quote them.
            raise ApiError(
                424,
                "FAILED_DEPENDENCY: ClickPipe creation is allowed only when the ClickHouse service is "
                f"running. Current state: {service.state}",
            )
        if service.state == "idle":
            # The vendor answers 424 (Failed Dependency) while the service is idle; the provider
            # wakes it and sends the request again.
            raise ApiError(424, "FAILED_DEPENDENCY: the service is idle; wake it up first")
        return service

    def _of(self, request: EmuRequest) -> dict[str, _Pipe]:
        service = self._awake(request)
        return self.pipes.setdefault(service.id, {})

    def _pipe(self, request: EmuRequest) -> _Pipe:
        pipe = self._of(request).get(request.params["click_pipe_id"].lower())
        if pipe is None:
            raise ApiError(404, "NOT_FOUND: ClickPipe not found")
        self._settle(pipe)
        return pipe

    # --- states ----------------------------------------------------------------------------------

    def _settle(self, pipe: _Pipe) -> None:
        now = self.emulator.clock.now()
        if pipe.next_state is not None and now >= pipe.next_at:
            pipe.state, pipe.next_state, pipe.next_at = pipe.next_state, None, math.inf

    def _begin(self, pipe: _Pipe, state: str, seconds: float, then: str) -> None:
        pipe.state, pipe.next_state = state, then
        pipe.next_at = self.emulator.clock.now() + seconds
        pipe.fields["updatedAt"] = self.emulator._iso(self.emulator.clock.now())

    def _view(self, pipe: _Pipe) -> dict[str, Any]:
        return {**copy.deepcopy(pipe.fields), "state": pipe.state}

    # --- operations ------------------------------------------------------------------------------

    def _list(self, request: EmuRequest, body: Any) -> Any:
        pipes = list(self._of(request).values())
        for pipe in pipes:
            self._settle(pipe)
        return [self._view(p) for p in sorted(pipes, key=lambda p: str(p.fields["createdAt"]))]

    def _create(self, request: EmuRequest, body: Any) -> Any:
        given = body if isinstance(body, dict) else {}
        pipes = self._of(request)
        service_id = request.params["service_id"].lower()
        name = _name(given.get("name"))
        source = _dict(given.get("source"))
        kinds = [k for k in _KINDS if source.get(k) is not None]
        if len(kinds) != 1:
            raise ApiError(400, "BAD_REQUEST: source must have exactly one of " + ", ".join(_KINDS))
        kind = kinds[0]
        section = source[kind]
        check = _CHECKS.get(kind)
        if check is not None:
            check(section)
        destination = _dict(given.get("destination"))
        _need(destination, "destination", "database")
        if kind in _TABLE_PIPES:
            _need(destination, "destination", "table")
        now = self.emulator.clock.now()
        fields: dict[str, Any] = {
            "id": self.emulator.ids.uuid4(),
            "serviceId": service_id,
            "name": name,
            "source": {kind: _shown(section)},
            "destination": {k: v for k, v in destination.items() if k != "roles" and v is not None},
            "createdAt": self.emulator._iso(now),
            "updatedAt": self.emulator._iso(now),
        }
        if kind in ("kafka", "kinesis", "pubsub"):
            fields["scaling"] = {**_STREAMING_SCALING, **(given.get("scaling") or {})}
        elif kind == "objectStorage":
            fields["scaling"] = {"replicas": 1, **(given.get("scaling") or {})}
        if kind == "kafka" and not section.get("consumerGroup"):
            fields["source"]["kafka"]["consumerGroup"] = f"clickpipes-{fields['id']}"
        if given.get("fieldMappings"):
            fields["fieldMappings"] = given["fieldMappings"]
        if given.get("settings"):
            fields["settings"] = given["settings"]
        pipe = _Pipe(fields, kind, "Provisioning")
        pipe.next_state = "Failed" if _fails(kind, section) else "Running"
        pipe.next_at = now + PIPE_PROVISION_SECONDS
        pipes[pipe.id] = pipe
        self.emulator.creates += 1
        return self._view(pipe)

    def _update(self, request: EmuRequest, body: Any) -> Any:
        pipe = self._pipe(request)
        given = body if isinstance(body, dict) else {}
        changes = {k: v for k, v in given.items() if v is not None}
        if not changes:
            raise ApiError(400, "BAD_REQUEST: nothing to update")
        if "name" in changes:
            pipe.fields["name"] = _name(changes["name"])
        source = changes.get("source")
        if isinstance(source, dict):
            kinds = [k for k, v in source.items() if v is not None]
            if any(k != pipe.kind for k in kinds):
                raise ApiError(400, f"BAD_REQUEST: the source of a {pipe.kind} ClickPipe cannot change kind")
            if pipe.kind in _DATABASE_PIPES and pipe.state in ("Running", "Snapshot"):
                raise ApiError(400, f"BAD_REQUEST: {_NAMES[pipe.kind]} ClickPipe must be paused to edit")
            if pipe.kind in source:
                patch = _shown(source[pipe.kind])
                pipe.fields["source"][pipe.kind] = _merged(pipe.fields["source"][pipe.kind], patch)
        if isinstance(changes.get("destination"), dict):
            pipe.fields["destination"] = _merged(pipe.fields["destination"], changes["destination"])
        for key in ("fieldMappings", "settings"):
            if key in changes:
                pipe.fields[key] = changes[key]
        pipe.fields["updatedAt"] = self.emulator._iso(self.emulator.clock.now())
        return self._view(pipe)

    def _change_state(self, request: EmuRequest, body: Any) -> Any:
        pipe = self._pipe(request)
        command = (body or {}).get("command")
        database = pipe.kind in _DATABASE_PIPES
        if command == "stop":
            if pipe.state not in ("Stopped", "Paused", "Stopping", "Pausing"):
                stopping, stopped = ("Pausing", "Paused") if database else ("Stopping", "Stopped")
                self._begin(pipe, stopping, PIPE_STOP_SECONDS, stopped)
        elif command == "start":
            if pipe.state == "Running":
                raise ApiError(400, "BAD_REQUEST: ClickPipe is already running")
            if pipe.state not in ("Stopped", "Paused", "Failed"):
                raise ApiError(400, f"BAD_REQUEST: a ClickPipe cannot be started while it is {pipe.state}")
            then = "Failed" if _fails(pipe.kind, pipe.fields["source"][pipe.kind]) else "Running"
            self._begin(pipe, "Provisioning", PIPE_START_SECONDS, then)
        elif command == "resync":
            if pipe.kind not in ("postgres", "mysql"):
                raise ApiError(400, "BAD_REQUEST: only Postgres and MySQL ClickPipes can be resynced")
            self._begin(pipe, "Resync", PIPE_START_SECONDS, "Running")
        else:
            raise ApiError(400, f"BAD_REQUEST: unknown command {command!r}")
        return self._view(pipe)

    def _delete(self, request: EmuRequest, body: Any) -> Any:
        pipe = self._pipe(request)
        del self._of(request)[pipe.id]
        return None
