"""The wire format of the emulated ClickHouse Cloud: its `{status, requestId, result}` envelope and
`{status, error, requestId}` errors, the checks of body fields, and the views of services and backups.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from typing import Any

from .._api import ApiError, Route
from .._http import EmuResponse, json_response
from ._state import BACKUP_SECONDS, ClickHouseState, _Backup, _Service

_AWS = re.compile(r"^[a-z]{2}-[a-z]+-\d$")  # us-east-1
_GCP = re.compile(r"^[a-z]+-[a-z]+\d$")  # us-east1; Azure regions have no dash (eastus2)
_TAG = re.compile(r"^[a-zA-Z0-9._-]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _provider_of(region: str) -> str:
    return "aws" if _AWS.match(region) else "gcp" if _GCP.match(region) else "azure"


class Wire(ClickHouseState):
    """The vendor's answer shapes, and the views of a service and a backup."""

    # --- vendor shapes -------------------------------------------------------------------------

    def error(self, status: int, message: str) -> EmuResponse:
        return json_response(
            status, {"status": status, "error": message, "requestId": self._request_ids.uuid4()}
        )

    def wrap(self, status: int, data: Any) -> EmuResponse:
        body: dict[str, Any] = {"status": status, "requestId": self._request_ids.uuid4()}
        if data is not None:  # deletions answer without a result
            body["result"] = data
        return json_response(status, body)

    def synthesized(self, route: Route, status: int, body: Any) -> EmuResponse:
        # The envelope with this answer's status and a fresh request id; a `result` only where the
        # spec requires one (optional ones are left out: a made-up minimal result can break finer
        # rules of the schema, such as oneOf or minProperties).
        if "result" in body:
            # The synthesized 0 of an integer breaks "exclusiveMinimum: 0" (UDF versions); 1 suits
            # every bound these results declare.
            body["result"] = _nonzero(body["result"])
        return self.raw(status, {**body, "status": status, "requestId": self._request_ids.uuid4()})

    def untyped(self, route: Route) -> Any:
        return None  # the envelope alone, as for a deletion

    def _view(self, service: _Service) -> dict[str, Any]:
        fields = service.fields
        replicas = int(fields["numReplicas"])
        low, high = fields["minReplicaMemoryGb"], fields["maxReplicaMemoryGb"]
        return {
            **fields,
            "state": service.state,
            # Deprecated totals: the memory of three replicas (the spec's definition).
            "minTotalMemoryGb": low * 3,
            "maxTotalMemoryGb": high * 3,
            "currentScaling": {
                "effectiveAutoscalingMode": fields["autoscalingMode"],
                "effectiveMinReplicaMemoryGb": low,
                "effectiveMaxReplicaMemoryGb": high,
                "effectiveMinReplicas": int(fields.get("minReplicas", replicas)),
                "effectiveMaxReplicas": int(fields.get("maxReplicas", replicas)),
                "effectiveIdleScaling": fields["idleScaling"],
                "effectiveIdleTimeoutMinutes": int(fields["idleTimeoutMinutes"]),
            },
        }

    def _backup_view(self, backup: _Backup) -> dict[str, Any]:
        now = self.clock.now()
        done = now >= backup.started + BACKUP_SECONDS
        view: dict[str, Any] = {
            "id": backup.id,
            "status": "done" if done else "in_progress",
            "serviceId": backup.service_id,
            "startedAt": self._iso(backup.started),
            "durationInSeconds": BACKUP_SECONDS
            if done
            else round(now - backup.started),  # whole seconds, as the vendor reports them
            "type": backup.kind,
            "backupName": f"{backup.service_id}/{backup.id}",
        }
        if done:
            view["finishedAt"] = self._iso(backup.started + BACKUP_SECONDS)
            view["sizeInBytes"] = 2_147_483_648 if backup.kind == "full" else 134_217_728
        return view


def _tagged(service: _Service, wanted: str) -> bool:
    key, has_value, value = wanted.partition("=")
    return any(
        t.get("key") == key and (not has_value or t.get("value") == value) for t in service.fields["tags"]
    )


def _patched(items: list[dict[str, Any]], patch: dict[str, Any], by: str) -> list[dict[str, Any]]:
    """A list after the spec's {remove, add} patch: removals first, then additions (replacing)."""
    removed = {item.get(by) for item in patch.get("remove") or []}
    added = list(patch.get("add") or [])
    replaced = {item.get(by) for item in added}
    return [i for i in items if i.get(by) not in removed | replaced] + added


def _check_access_list(entries: list[Any]) -> None:
    for entry in entries:
        try:
            ipaddress.ip_network(str(entry.get("source")), strict=False)
        except ValueError:
            raise ApiError(
                400, f"ipAccessList: {entry.get('source')!r} is not an IP address or CIDR"
            ) from None


def _check_tags(tags: list[Any]) -> None:
    if len(tags) > 50:
        raise ApiError(400, "a service has at most 50 tags")
    for tag in tags:
        for part in ("key", "value"):
            value = tag.get(part)
            if value is not None and not _TAG.match(str(value)):
                raise ApiError(400, f"tag {part} {value!r} may hold only letters, digits, '.', '_' and '-'")


def _check_scaling(fields: dict[str, Any]) -> None:
    for name in ("numReplicas", "minReplicas", "maxReplicas"):
        if name in fields and not 1 <= fields[name] <= 20:
            raise ApiError(400, f"{name} must be between 1 and 20")
    low, high = fields.get("minReplicaMemoryGb", 8), fields.get("maxReplicaMemoryGb", 120)
    for name, value in (("minReplicaMemoryGb", low), ("maxReplicaMemoryGb", high)):
        if value % 4 or not 8 <= value <= 356:
            raise ApiError(400, f"{name} must be a multiple of 4 between 8 and 356")
    if low > high:
        raise ApiError(400, "minReplicaMemoryGb must not be above maxReplicaMemoryGb")
    if fields.get("minReplicas", 0) > fields.get("maxReplicas", 20):
        raise ApiError(400, "minReplicas must not be above maxReplicas")
    if fields.get("idleTimeoutMinutes", 15) < 5:
        raise ApiError(400, "idleTimeoutMinutes must be 5 or more")


def _parse_time(value: Any, name: str) -> float | None:
    """An ISO 8601 time (a query parameter or field) as a Unix time; a time without zone is UTC."""
    if value is None or value == "":
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ApiError(400, f"{name} must be an ISO 8601 time, got {value!r}") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


def _nonzero(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _nonzero(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nonzero(v) for v in value]
    return 1 if value == 0 and type(value) is int else value
