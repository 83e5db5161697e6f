"""What the ClickStack resources return: the generated model of whichever API answered.

Managed ClickStack answers with `dbcloud_clickhouse_client` models (`ClickStack…`), OSS with
`dbcloud_clickstack_oss_client` models of the same shape (camelCase on the wire, snake_case
attributes). These aliases exist for type checkers only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from dbcloud_clickhouse_client.models.click_stack_alert_response import ClickStackAlertResponse
    from dbcloud_clickhouse_client.models.click_stack_dashboard_response import ClickStackDashboardResponse
    from dbcloud_clickhouse_client.models.click_stack_generic_webhook import ClickStackGenericWebhook
    from dbcloud_clickhouse_client.models.click_stack_incident_io_webhook import ClickStackIncidentIOWebhook
    from dbcloud_clickhouse_client.models.click_stack_log_source import ClickStackLogSource
    from dbcloud_clickhouse_client.models.click_stack_metric_source import ClickStackMetricSource
    from dbcloud_clickhouse_client.models.click_stack_pager_duty_api_webhook import (
        ClickStackPagerDutyAPIWebhook,
    )
    from dbcloud_clickhouse_client.models.click_stack_promql_source import ClickStackPromqlSource
    from dbcloud_clickhouse_client.models.click_stack_session_source import ClickStackSessionSource
    from dbcloud_clickhouse_client.models.click_stack_slack_api_webhook import ClickStackSlackAPIWebhook
    from dbcloud_clickhouse_client.models.click_stack_slack_webhook import ClickStackSlackWebhook
    from dbcloud_clickhouse_client.models.click_stack_trace_source import ClickStackTraceSource
    from dbcloud_clickstack_oss_client.models.alert_response import AlertResponse
    from dbcloud_clickstack_oss_client.models.dashboard import Dashboard as OssDashboard
    from dbcloud_clickstack_oss_client.models.generic_webhook import GenericWebhook
    from dbcloud_clickstack_oss_client.models.incident_io_webhook import IncidentIOWebhook
    from dbcloud_clickstack_oss_client.models.log_source import LogSource
    from dbcloud_clickstack_oss_client.models.metric_source import MetricSource
    from dbcloud_clickstack_oss_client.models.promql_source import PromqlSource
    from dbcloud_clickstack_oss_client.models.session_source import SessionSource
    from dbcloud_clickstack_oss_client.models.slack_webhook import SlackWebhook
    from dbcloud_clickstack_oss_client.models.trace_source import TraceSource

    Alert: TypeAlias = ClickStackAlertResponse | AlertResponse
    Dashboard: TypeAlias = ClickStackDashboardResponse | OssDashboard
    Source: TypeAlias = (
        ClickStackLogSource
        | ClickStackTraceSource
        | ClickStackMetricSource
        | ClickStackSessionSource
        | ClickStackPromqlSource
        | LogSource
        | TraceSource
        | MetricSource
        | SessionSource
        | PromqlSource
    )
    Webhook: TypeAlias = (
        ClickStackSlackWebhook
        | ClickStackIncidentIOWebhook
        | ClickStackGenericWebhook
        | ClickStackSlackAPIWebhook
        | ClickStackPagerDutyAPIWebhook
        | SlackWebhook
        | IncidentIOWebhook
        | GenericWebhook
    )
