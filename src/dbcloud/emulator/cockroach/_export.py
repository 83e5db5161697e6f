"""The emulated log export and metric export (Datadog, CloudWatch, Prometheus) of CockroachDB
Cloud clusters.

Rules (the vendor's Terraform provider's checks where it has them; assumptions where it is silent,
each applied in one place below):
- the provider: log export takes the type of the cluster's cloud (AWS_CLOUDWATCH on AWS,
  GCP_CLOUD_LOGGING on GCP; assumption: AZURE_LOG_ANALYTICS on Azure); CloudWatch metric export
  is for AWS clusters that are not Basic; Datadog and Prometheus metric export for Advanced
  clusters (Prometheus on AWS and GCP only); others are a 400;
- assumption: log export is for Standard and Advanced clusters; the cluster must be CREATED;
- the spec's required fields and enums (types, Datadog sites, log levels); assumption: a
  CloudWatch role must be an IAM role ARN;
- an enable creates or replaces the configuration: ENABLING for EXPORT_SECONDS, then ENABLED (or,
  after the emulator's `fail_next_launch`, ENABLE_FAILED / ERROR with a user message);
- a disable answers DISABLING; the configuration is gone (404) DISABLE_SECONDS later; a cluster
  without one answers 404, as the provider expects;
- secrets are not kept: the Datadog key's last four characters are (as the API shows them); the
  Azure shared key is not answered at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .._api import ApiError, Handler, OpenAPIEmulator
from .._http import EmuRequest
from ._state import Cluster, state_of
from ._wire import check_fields, without_nulls

if TYPE_CHECKING:
    _Base = OpenAPIEmulator
else:
    _Base = object

__all__ = ["DISABLE_SECONDS", "EXPORT_SECONDS", "ExportHandlers"]

EXPORT_SECONDS = 120.0  # emulated seconds an enable stays ENABLING
DISABLE_SECONDS = 60.0  # and a disable DISABLING, before the configuration is gone

_LOG_TYPES = {"AWS": "AWS_CLOUDWATCH", "GCP": "GCP_CLOUD_LOGGING", "AZURE": "AZURE_LOG_ANALYTICS"}
_LEVELS = ("UNSPECIFIED", "WARNING", "ERROR", "FATAL")
_SITES = ("US1", "US3", "US5", "US1_GOV", "EU1")
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
_LOG_BODY = {
    "type!": "str",
    "log_name!": "str",
    "auth_principal!": "str",
    "aws_external_id": "str",
    "azure_shared_key": "str",
    "groups": "list",
    "omitted_channels": "strs",
    "redact": "bool",
    "region": "str",
}
_GROUP = {"log_name!": "str", "channels!": "strs", "min_level": "str", "redact": "bool"}
_DATADOG = {"site!": "str", "api_key!": "str"}
_CLOUDWATCH = {"role_arn!": "str", "target_region": "str", "log_group_name": "str", "external_id": "str"}
_METRIC_KINDS = {"datadog": "datadog", "cloud_watch": "cloudwatch", "prometheus": "prometheus"}


@dataclass(slots=True)
class Export:
    """One export configuration of a cluster (log export, or a metric export of one kind)."""

    spec: dict[str, Any]
    created: float
    updated: float
    ready_at: float
    fails: bool = False
    gone_at: float | None = None  # set by a disable
    extra: dict[str, Any] = field(default_factory=dict)


class ExportHandlers(_Base):
    """The log and metric export operations of `EmulatedCockroach` (state by cluster id and kind)."""

    exports: dict[str, dict[str, Export]]

    if TYPE_CHECKING:

        def _cluster(self, request: EmuRequest) -> Cluster: ...  # ClusterHandlers'
        def _stamp(self, seconds: float) -> str: ...

    def export_handlers(self) -> dict[str, Handler]:
        self.exports = {}
        prefix = "log_export.cockroach_cloud_"
        handlers: dict[str, Handler] = {
            prefix + "enable_log_export": self._enable_log_export,
            prefix + "get_log_export_info": lambda r, b: self._export_log_view(
                r, self._export_existing(r, "log")
            ),
            prefix + "delete_log_export": self._disable_log_export,
        }
        prefix = "metric_export.cockroach_cloud_"
        for name, kind in _METRIC_KINDS.items():
            handlers[f"{prefix}enable_{name}_metric_export"] = self._export_enabler(kind)
            handlers[f"{prefix}get_{name}_metric_export_info"] = self._export_getter(kind)
            handlers[f"{prefix}delete_{name}_metric_export"] = self._export_disabler(kind)
        return handlers

    # --- state -------------------------------------------------------------------------------

    def _export_existing(self, request: EmuRequest, kind: str) -> Export:
        cluster = self._cluster(request)
        found = self.exports.get(cluster.id, {}).get(kind)
        if found is None or (found.gone_at is not None and self.clock.now() >= found.gone_at):
            self.exports.get(cluster.id, {}).pop(kind, None)
            raise ApiError(
                404, f"{'log' if kind == 'log' else kind + ' metric'} export configuration not found"
            )
        return found

    def _export_status(self, export: Export, kind: str) -> str:
        now = self.clock.now()
        if export.gone_at is not None:
            return "DISABLING"
        if now < export.ready_at:
            return "ENABLING"
        if export.fails:
            return "ENABLE_FAILED" if kind == "log" else "ERROR"
        return "ENABLED"

    def _export_ready(self, request: EmuRequest) -> Cluster:
        cluster = self._cluster(request)
        state = state_of(cluster, self.clock.now())
        if state != "CREATED":
            raise ApiError(400, f"exports cannot be changed while the cluster is {state}")
        return cluster

    def _export_store(self, cluster: Cluster, kind: str, spec: dict[str, Any], **extra: Any) -> Export:
        now = self.clock.now()
        before = self.exports.get(cluster.id, {}).get(kind)
        fails, self.fail_next_launch = self.fail_next_launch, False
        export = Export(
            spec=spec,
            created=before.created if before is not None and before.gone_at is None else now,
            updated=now,
            ready_at=now + EXPORT_SECONDS,
            fails=fails,
            extra=extra,
        )
        self.exports.setdefault(cluster.id, {})[kind] = export
        return export

    def _export_message(self, export: Export, status: str) -> str | None:
        if status in ("ENABLE_FAILED", "ERROR"):
            return "emulated failure: the destination refused the credentials"
        return None

    # --- log export ------------------------------------------------------------------------------

    def _enable_log_export(self, request: EmuRequest, body: Any) -> Any:
        cluster = self._export_ready(request)
        body = without_nulls(body)
        check_fields(body, _LOG_BODY, "")
        expected = _LOG_TYPES[cluster.provider]
        if body["type"] not in _LOG_TYPES.values():
            raise ApiError(400, f"type must be one of {', '.join(_LOG_TYPES.values())}, got {body['type']!r}")
        if body["type"] != expected:
            raise ApiError(
                400, f"a {cluster.provider} cluster exports logs with {expected}, not {body['type']}"
            )
        if cluster.plan == "BASIC":
            raise ApiError(400, "log export is not available on the Basic plan")
        if "azure_shared_key" in body and body["type"] != "AZURE_LOG_ANALYTICS":
            raise ApiError(400, "azure_shared_key is only used with AZURE_LOG_ANALYTICS")
        if "aws_external_id" in body and (cluster.provider != "AWS" or cluster.serverless):
            raise ApiError(400, "aws_external_id is supported for Advanced clusters on AWS only")
        for number, group in enumerate(body.get("groups") or []):
            check_fields(group, _GROUP, f"groups[{number}].")
            if group.get("min_level", "UNSPECIFIED") not in _LEVELS:
                raise ApiError(400, f"groups[{number}].min_level must be one of {', '.join(_LEVELS)}")
        for name in ("log_name", "auth_principal"):
            if not body[name].strip():
                raise ApiError(400, f"{name} must not be empty")
        spec = {key: value for key, value in body.items() if key != "azure_shared_key"}  # not kept
        export = self._export_store(cluster, "log", spec)
        self.creates += 1
        return self._export_log_view(request, export)

    def _disable_log_export(self, request: EmuRequest, body: Any) -> Any:
        export = self._export_existing(request, "log")
        if export.gone_at is None:
            export.gone_at = self.clock.now() + DISABLE_SECONDS
            export.updated = self.clock.now()
        return self._export_log_view(request, export)

    def _export_log_view(self, request: EmuRequest, export: Export) -> dict[str, Any]:
        status = self._export_status(export, "log")
        view: dict[str, Any] = {
            "cluster_id": request.params["cluster_id"],
            "spec": {**export.spec, "groups": [dict(g) for g in export.spec.get("groups") or []]},
            "status": status,
            "created_at": self._stamp(export.created),
            "updated_at": self._stamp(export.updated),
        }
        if (message := self._export_message(export, status)) is not None:
            view["user_message"] = message
        return view

    # --- metric export ---------------------------------------------------------------------------

    def _export_enabler(self, kind: str) -> Handler:
        def enable(request: EmuRequest, body: Any) -> Any:
            cluster = self._export_ready(request)
            spec: dict[str, Any] = {}
            extra: dict[str, Any] = {}
            if kind == "datadog":
                if cluster.serverless:
                    raise ApiError(400, "Datadog metric export is only available for Advanced clusters")
                body = without_nulls(body)
                check_fields(body, _DATADOG, "")
                if body["site"] not in _SITES:
                    raise ApiError(400, f"site must be one of {', '.join(_SITES)}, got {body['site']!r}")
                if not body["api_key"].strip():
                    raise ApiError(400, "api_key must not be empty")
                spec = {"site": body["site"]}
                extra = {"api_key": body["api_key"][-4:]}  # the key itself is not kept
            elif kind == "cloudwatch":
                if cluster.provider != "AWS" or cluster.plan == "BASIC":
                    raise ApiError(
                        400, "CloudWatch metric export is for AWS clusters on the Standard and Advanced plans"
                    )
                body = without_nulls(body)
                check_fields(body, _CLOUDWATCH, "")
                if not _ROLE_ARN.fullmatch(body["role_arn"]):
                    raise ApiError(400, f"role_arn must be an IAM role ARN, got {body['role_arn']!r}")
                if "external_id" in body and cluster.serverless:
                    raise ApiError(400, "external_id is supported for Advanced clusters only")
                spec = dict(body)
            else:
                if cluster.serverless or cluster.provider not in ("AWS", "GCP"):
                    raise ApiError(
                        400,
                        "Prometheus metric export is only available for Advanced clusters on AWS and GCP",
                    )
                extra = {"regions": sorted(cluster.region_nodes)}
            export = self._export_store(cluster, kind, spec, **extra)
            self.creates += 1
            return self._export_metric_view(request, kind, export)

        return enable

    def _export_getter(self, kind: str) -> Handler:
        return lambda request, body: self._export_metric_view(
            request, kind, self._export_existing(request, kind)
        )

    def _export_disabler(self, kind: str) -> Handler:
        def disable(request: EmuRequest, body: Any) -> Any:
            export = self._export_existing(request, kind)
            if export.gone_at is None:
                export.gone_at = self.clock.now() + DISABLE_SECONDS
            return {"cluster_id": request.params["cluster_id"], "status": "DISABLING"}

        return disable

    def _export_metric_view(self, request: EmuRequest, kind: str, export: Export) -> dict[str, Any]:
        cid = request.params["cluster_id"]
        status = self._export_status(export, kind)
        view: dict[str, Any] = {"cluster_id": cid, **export.spec, "status": status}
        if kind == "datadog":
            view["api_key"] = export.extra["api_key"]
        if kind == "prometheus" and status == "ENABLED":
            view["targets"] = {
                region: f"https://cockroachlabs.cloud/api/v1/clusters/{cid}/metricexport/prometheus/{region}/scrape"
                for region in export.extra["regions"]
            }
        if (message := self._export_message(export, status)) is not None:
            view["user_message"] = message
        return view
