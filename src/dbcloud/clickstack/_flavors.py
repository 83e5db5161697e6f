"""The two ClickStack APIs behind one resource surface, and how each one answers.

Managed ClickStack is part of the ClickHouse Cloud API: its paths hang under
`/v1/organizations/{org}/services/{svc}/clickstack/`, it takes HTTP Basic with a ClickHouse Cloud
key, and it answers ClickHouse Cloud's `{status, requestId, result}` envelope. ClickStack OSS (the
HyperDX external API) serves `/api/v2/...` with a Bearer API key and answers `{data: ...}`, errors
as `{message}`. Its lists of alerts, webhooks and saved searches page with `limit`/`offset` and add
`meta: {total, limit, offset}` (spec: `PaginationMeta`; HyperDX packages/api/src/utils/pagination.ts);
managed ClickStack's lists are one answer each.

A `Flavor` names, for each facade action, the generated operation, the request model and the path
parameters; the resources never branch on the deployment.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .._errors import APIStatusError
from .._response import Answer, Dialect, not_served
from .._values import as_int
from ..clickhouse._cloud import CloudDialect

__all__ = ["MANAGED", "OSS", "Flavor", "Listed", "OSSDialect", "flavor_of"]


class Listed(list[Any]):
    """The items of one list answer, with the vendor's count of all of them (`meta.total`) as
    `total` when the answer gives one. A plain list for everyone else."""

    total: int | None = None


def _total(meta: Any) -> int | None:
    total = as_int(meta.get("total")) if isinstance(meta, dict) else None
    return total if total is not None and total >= 0 else None


class OSSDialect(Dialect):
    """ClickStack OSS's hooks: errors as `{message}`, data under `data`, a page for an unrouted 404
    (a proxy, or an older server without the path)."""

    label = "ClickStack"
    auth_hint = (
        "ClickStack refused the API key; check CLICKSTACK_API_KEY (the personal API key from Team Settings)"
    )

    def unrouted(self, answer: Answer, status: int) -> APIStatusError | None:
        return not_served(answer, self.label) if status == 404 else None

    def payload(self, answer: Answer) -> Any:
        body = answer.body
        if not isinstance(body, dict):
            return body
        data = body.get("data")
        if isinstance(data, list) and "meta" in body:
            # A page: its items, carrying the total (read by the ClickStack client's pager).
            page = Listed(data)
            page.total = _total(body["meta"])
            return page
        return data


@dataclass(frozen=True)
class Flavor:
    """One ClickStack API as the resources see it.

    Attributes:
        mode: "managed" or "oss".
        package: the generated client package.
        payload: the envelope attribute holding the answer ("result" or "data").
        operations: facade action ("alerts.create") to generated operation ("alerts.create_alert").
        ids: resource ("alerts") to the operation's parameter for an item's id.
        bodies: facade action to the generated request model, as "module.Class".
        paged: actions whose operation pages with `limit`/`offset`.
        dialect: how the API answers (hooks into the one response path).
    """

    mode: str
    package: str
    payload: str
    operations: Mapping[str, str]
    ids: Mapping[str, str]
    bodies: Mapping[str, str]
    dialect: Dialect = field(default_factory=Dialect)
    paged: frozenset[str] = field(default_factory=frozenset)

    def request_model(self, action: str) -> type[Any]:
        """The generated request model of a body-sending action ("alerts.create")."""
        module_name, _, class_name = self.bodies[action].rpartition(".")
        model: type[Any] = getattr(
            importlib.import_module(f"{self.package}.models.{module_name}"), class_name
        )
        return model


_ACTIONS = (
    "dashboards.list",
    "dashboards.get",
    "dashboards.create",
    "dashboards.update",
    "dashboards.delete",
    "alerts.list",
    "alerts.get",
    "alerts.create",
    "alerts.update",
    "alerts.delete",
    "sources.list",
    "sources.get",
    "webhooks.list",
    "webhooks.create",
    "webhooks.update",
    "webhooks.delete",
    "saved_searches.list",
    "saved_searches.get",
    "saved_searches.create",
    "saved_searches.update",
    "saved_searches.delete",
    "sources.create",
    "sources.update",
    "sources.delete",
)

# Generated operations in the order of _ACTIONS.
_MANAGED_OPERATIONS = (
    "click_stack.click_stack_list_dashboards",
    "click_stack.click_stack_get_dashboard",
    "click_stack.click_stack_create_dashboard",
    "click_stack.click_stack_update_dashboard",
    "click_stack.click_stack_delete_dashboard",
    "click_stack.click_stack_list_alerts",
    "click_stack.click_stack_get_alert",
    "click_stack.click_stack_create_alert",
    "click_stack.click_stack_update_alert",
    "click_stack.click_stack_delete_alert",
    "click_stack.click_stack_list_sources",
    "click_stack.click_stack_get_source",
    "click_stack.click_stack_list_webhooks",
    "click_stack.click_stack_create_webhook",
    "click_stack.click_stack_update_webhook",
    "click_stack.click_stack_delete_webhook",
    "click_stack.click_stack_list_saved_searches",
    "click_stack.click_stack_get_saved_search",
    "click_stack.click_stack_create_saved_search",
    "click_stack.click_stack_update_saved_search",
    "click_stack.click_stack_delete_saved_search",
    "click_stack.click_stack_create_source",
    "click_stack.click_stack_update_source",
    "click_stack.click_stack_delete_source",
)
_OSS_OPERATIONS = (
    "dashboards.list_dashboards",
    "dashboards.get_dashboard",
    "dashboards.create_dashboard",
    "dashboards.update_dashboard",
    "dashboards.delete_dashboard",
    "alerts.list_alerts",
    "alerts.get_alert",
    "alerts.create_alert",
    "alerts.update_alert",
    "alerts.delete_alert",
    "sources.list_sources",
    "sources.get_source",
    "webhooks.list_webhooks",
    "webhooks.create_webhook",
    "webhooks.update_webhook",
    "webhooks.delete_webhook",
    "saved_searches.list_saved_searches",
    "saved_searches.get_saved_search",
    "saved_searches.create_saved_search",
    "saved_searches.update_saved_search",
    "saved_searches.delete_saved_search",
    "sources.create_source",
    "sources.update_source",
    "sources.delete_source",
)


MANAGED = Flavor(
    mode="managed",
    package="dbcloud_clickhouse_client",
    payload="result",
    operations=dict(zip(_ACTIONS, _MANAGED_OPERATIONS, strict=True)),
    dialect=CloudDialect("Managed ClickStack"),
    ids={
        "dashboards": "click_stack_dashboard_id",
        "alerts": "click_stack_alert_id",
        "sources": "click_stack_source_id",
        "webhooks": "click_stack_webhook_id",
        "saved_searches": "click_stack_saved_search_id",
    },
    bodies={
        "dashboards.create": "click_stack_create_dashboard_request.ClickStackCreateDashboardRequest",
        "dashboards.update": "click_stack_update_dashboard_request.ClickStackUpdateDashboardRequest",
        "alerts.create": "click_stack_create_alert_request.ClickStackCreateAlertRequest",
        "alerts.update": "click_stack_update_alert_request.ClickStackUpdateAlertRequest",
        "webhooks.create": "click_stack_webhook_input.ClickStackWebhookInput",
        "webhooks.update": "click_stack_webhook_input.ClickStackWebhookInput",
        "saved_searches.create": "click_stack_saved_search_input.ClickStackSavedSearchInput",
        "saved_searches.update": "click_stack_saved_search_input.ClickStackSavedSearchInput",
        # A source's body is one of the kinds' models, picked by its `kind`.
        "sources.log": "click_stack_log_source.ClickStackLogSource",
        "sources.trace": "click_stack_trace_source.ClickStackTraceSource",
        "sources.metric": "click_stack_metric_source.ClickStackMetricSource",
        "sources.session": "click_stack_session_source.ClickStackSessionSource",
        "sources.promql": "click_stack_promql_source.ClickStackPromqlSource",
    },
)

OSS = Flavor(
    mode="oss",
    package="dbcloud_clickstack_oss_client",
    payload="data",
    operations=dict(zip(_ACTIONS, _OSS_OPERATIONS, strict=True)),
    dialect=OSSDialect(),
    ids={"dashboards": "id", "alerts": "id", "sources": "id", "webhooks": "id", "saved_searches": "id"},
    bodies={
        "dashboards.create": "create_dashboard_request.CreateDashboardRequest",
        "dashboards.update": "update_dashboard_request.UpdateDashboardRequest",
        "alerts.create": "create_alert_request.CreateAlertRequest",
        "alerts.update": "update_alert_request.UpdateAlertRequest",
        "webhooks.create": "webhook_input.WebhookInput",
        "webhooks.update": "webhook_input.WebhookInput",
        "saved_searches.create": "saved_search_input.SavedSearchInput",
        "saved_searches.update": "saved_search_input.SavedSearchInput",
        "sources.log": "log_source.LogSource",
        "sources.trace": "trace_source.TraceSource",
        "sources.metric": "metric_source.MetricSource",
        "sources.session": "session_source.SessionSource",
        "sources.promql": "promql_source.PromqlSource",
    },
    paged=frozenset({"alerts.list", "webhooks.list", "saved_searches.list"}),
)


def flavor_of(mode: str) -> Flavor:
    """The flavour of a client's `mode` ("managed" or "oss")."""
    return MANAGED if mode == MANAGED.mode else OSS
