"""`dbcloud clickstack`: dashboards, alerts, sources, webhooks and saved searches of ClickStack.

Self-hosted ClickStack OSS by default (CLICKSTACK_ENDPOINT, CLICKSTACK_API_KEY); managed ClickStack
of a ClickHouse Cloud service with `--service SERVICE_ID` (ClickHouse Cloud credentials).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._spec import Api, Resource, Setting, Verb, a, arg, by_name, opt
from .clickhouse import CLICKHOUSE_SETTINGS

if TYPE_CHECKING:
    from .._invoke import Call

__all__ = ["CLICKSTACK"]

_INTERVALS = ("1m", "5m", "15m", "30m", "1h", "6h", "12h", "1d")
_THRESHOLD_TYPES = (
    "above", "below", "above_exclusive", "below_or_equal", "equal", "not_equal", "between", "not_between",
)  # fmt: skip

_ALERT_OPTIONS = (
    opt("--threshold", "the value that triggers the alert", "float", required=True),
    opt("--interval", "evaluation interval", required=True, choices=_INTERVALS),
    opt("--threshold-type", "how the value compares", required=True, choices=_THRESHOLD_TYPES),
    opt("--threshold-max", "upper bound, for between / not_between", "float"),
    opt("--source", "what the alert watches", choices=("tile", "saved_search")),
    opt("--dashboard-id", "the dashboard of a tile alert"),
    opt("--tile-id", "the tile of a tile alert"),
    opt("--saved-search-id", "the saved search of a saved_search alert"),
    opt("--group-by", "group the alert by this expression"),
    opt("--webhook-id", "notify this webhook (see: dbcloud clickstack webhooks list)", to="cli"),
    opt("--channel", 'where to notify, as JSON: \'{"type": "webhook", "webhookId": "..."}\'', "json"),
    opt("--name", "the alert's name"),
    opt("--message", "the notification's text"),
    opt("--note", "a note for whoever gets the alert"),
)

_DASHBOARD_OPTIONS = (
    opt("--name", "the dashboard's name", required=True),
    opt("--tiles", 'its tiles as a JSON list (default: none): \'[{"name": ..., "x": 0, ...}]\'', "json"),
    opt("--tag", "a tag (repeatable)", "list", key="tags"),
)


def _alert_fields(call: Call) -> tuple[list[Any], dict[str, Any]]:
    positional, fields = call.values()
    if (webhook := call.get("webhook_id")) is not None:
        fields["channel"] = {"type": "webhook", "webhookId": webhook}
    return positional, fields


def _send(call: Call, positional: list[Any], fields: dict[str, Any]) -> Any:
    """Create (no id given) or replace, after refusing a field the method does not take (from
    `--file`) as the facade refuses one: by `build_body` against the deployment's generated request
    model ("colour: not a field of ClickStack alerts create", with the closest field and all it
    takes), before anything is sent, rather than by Python's bare "unexpected keyword argument"."""
    import inspect

    verb = "update" if positional else "create"
    method = getattr(call.target, verb)
    takes = inspect.signature(method).parameters
    if not all(name in takes for name in fields):
        from ...clickhouse._body import build_body
        from ...clickstack._client import request_what
        from ...clickstack._flavors import flavor_of

        action = f"{call.resource.attribute}.{verb}"
        build_body(flavor_of(call.client.mode).request_model(action), fields, what=request_what(action))
    return call.invoke(method, *positional, **fields)


def _write_alert(call: Call) -> Any:
    positional, fields = _alert_fields(call)
    return _send(call, positional, fields)


def _write_dashboard(call: Call) -> Any:
    positional, fields = call.values()
    fields.setdefault("tiles", [])
    return _send(call, positional, fields)


_WEBHOOK_ID = arg("WEBHOOK_ID", "the webhook's id")
_WEBHOOK_OPTIONS = (
    opt("--name", "the webhook's name (unique per service)", required=True),
    opt(
        "--webhook-service",
        "what it posts to (the API's `service`)",
        key="service",
        required=True,
        choices=("slack", "incidentio", "generic"),
    ),
    opt("--url", "its URL (a secret: masked in every output; a slack URL is on slack.com)", required=True),
    opt("--description", "shown in the UI"),
    opt("--body", "the request body template (generic, incidentio)"),
    opt("--header", "an HTTP header sent with each post (repeatable; masked)", "kv", key="headers"),
    opt("--query-param", "a query parameter added to the URL (repeatable; masked)", "kv", key="query_params"),
)


_SEARCH_ID = arg("SAVED_SEARCH_ID", "the saved search's id")
_SEARCH_OPTIONS = (
    opt("--name", "the saved search's name", required=True),
    opt("--source-id", "the source it searches (see: dbcloud clickstack sources list)", required=True),
    opt("--select", "the columns it shows"),
    opt("--where", "its query"),
    opt("--where-language", "the query's language (default lucene)", choices=("lucene", "sql")),
    opt("--order-by", "its sort order"),
    opt("--tag", "a tag (repeatable)", "list", key="tags"),
    opt("--filters", 'pinned filters as JSON: \'[{"type": "sql", "condition": "col IN (...)"}]\'', "json"),
)


def _write_saved_search(call: Call) -> Any:
    positional, fields = call.values()
    return _send(call, positional, fields)


_SOURCE_ID = arg("SOURCE_ID", "the source's id")
_SOURCE_OPTIONS = (
    opt("--kind", "its kind", required=True, choices=("log", "trace", "metric", "session", "promql")),
    opt("--name", "the source's name", required=True),
    opt("--connection", "the ClickHouse connection it reads through (its id)", required=True),
    opt("--database", "the database it reads"),
    opt("--table", "the table it reads"),
    opt("--timestamp-value-expression", "its time column (every kind but session)"),
    opt("--fields", "the kind's other fields as JSON, in the API's names", "json"),
)
_SOURCE_ARGUMENTS = frozenset(
    {"kind", "name", "connection", "database", "table", "timestamp_value_expression", "fields"}
)


def _write_source(call: Call) -> Any:
    """A source from options and `--file` (a source in the API's names, as `sources get` shows
    one): `from` is the database and table, what the method does not name goes in `fields`."""
    from .._invoke import snake

    positional, given = call.values()
    fields = dict(given.pop("fields", None) or {})
    for key, value in call.document.items():
        if key not in ("from", "id") and snake(key) not in _SOURCE_ARGUMENTS:
            given.pop(snake(key), None)
            fields.setdefault(key, value)
    where = given.pop("from", None)
    given.pop("id", None)  # a source read back: its id is the path's
    if isinstance(where, dict):
        given.setdefault("database", where.get("databaseName"))
        given.setdefault("table", where.get("tableName"))
    if fields:
        given["fields"] = fields
    method = call.target.update if positional else call.target.create
    return call.invoke(method, *positional, **given)


def _write_webhook(call: Call) -> Any:
    positional, fields = call.values()
    # The URL and the header and parameter values are secrets: no output of the command shows them
    # (the dry run's printed body and curl line included).
    call.console.secret(fields.get("url"))
    for key in ("headers", "query_params"):
        values = fields.get(key)
        for value in values.values() if isinstance(values, dict) else ():
            call.console.secret(value)
    return _send(call, positional, fields)


def _crud(kind: str, columns: tuple[str, ...], options: tuple[Any, ...], write: Any) -> Resource:
    item = arg(f"{kind.upper()}_ID", f"the {kind}'s id")
    return Resource(
        f"{kind}s",
        f"{kind}s",
        columns=columns,
        verbs=(
            Verb("list", f"list {kind}s"),
            Verb("get", f"show {a(kind)}", (item,)),
            by_name(kind),
            Verb(
                "create",
                f"create {a(kind)} (repeated only after a rate limit)",
                options,
                run=write,
                mutates=True,
                file=True,
            ),
            Verb(
                "update",
                f"replace {a(kind)} (fields left out are cleared)",
                (item, *options),
                run=write,
                mutates=True,
                file=True,
            ),
            Verb("delete", f"delete {a(kind)}", (item,), mutates=True, done="deleted"),
        ),
    )


CLICKSTACK = Api(
    name="clickstack",
    label="ClickStack",
    help="ClickStack (OSS, or managed with --service): dashboards, alerts, sources, webhooks, saved searches",
    settings=(
        Setting("CLICKSTACK_ENDPOINT", "endpoint", "ClickStack OSS server URL"),
        Setting("CLICKSTACK_API_KEY", "api_key", "ClickStack OSS personal API key", secret=True),
        *CLICKHOUSE_SETTINGS,
    ),
    extra=(
        opt(
            "--service",
            "managed ClickStack of this ClickHouse Cloud service (default: ClickStack OSS)",
            key="clickstack_service",
            to="cli",
            metavar="SERVICE_ID",
        ),
    ),
    resources=(
        _crud("dashboard", ("id", "name", "tags"), _DASHBOARD_OPTIONS, _write_dashboard),
        _crud(
            "alert",
            ("id", "name", "state", "source", "thresholdType", "threshold", "interval"),
            _ALERT_OPTIONS,
            _write_alert,
        ),
        Resource(
            "sources",
            "data sources (logs, traces, metrics, sessions, PromQL)",
            columns=("id", "name", "kind"),
            verbs=(
                Verb("list", "list sources"),
                Verb("get", "show a source", (_SOURCE_ID,)),
                by_name("source"),
                Verb(
                    "create",
                    "create a source (repeated only after a rate limit)",
                    _SOURCE_OPTIONS,
                    run=_write_source,
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "update",
                    "replace a source (give it whole: `sources get -o json` is a --file)",
                    (_SOURCE_ID, *_SOURCE_OPTIONS),
                    run=_write_source,
                    mutates=True,
                    file=True,
                ),
                Verb("delete", "delete a source (sent once)", (_SOURCE_ID,), mutates=True, done="deleted"),
            ),
        ),
        Resource(
            "saved-searches",
            "saved searches (what saved_search alerts watch)",
            columns=("id", "name", "sourceId", "whereLanguage", "where"),
            verbs=(
                Verb("list", "list saved searches"),
                Verb("get", "show a saved search", (_SEARCH_ID,)),
                by_name("saved search"),
                Verb(
                    "create",
                    "create a saved search (repeated only after a rate limit)",
                    _SEARCH_OPTIONS,
                    run=_write_saved_search,
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "update",
                    "replace a saved search (fields left out go back to their defaults)",
                    (_SEARCH_ID, *_SEARCH_OPTIONS),
                    run=_write_saved_search,
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "delete",
                    "delete a saved search and its alerts (sent once)",
                    (_SEARCH_ID,),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
        Resource(
            "webhooks",
            "alert destinations (Slack, incident.io, any HTTP endpoint)",
            columns=("id", "name", "service", "url"),
            verbs=(
                Verb("list", "list webhooks"),
                by_name("webhook"),
                Verb(
                    "create",
                    "create a webhook (repeated only after a rate limit)",
                    _WEBHOOK_OPTIONS,
                    run=_write_webhook,
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "update",
                    "replace a webhook (description and body left out are cleared; headers kept)",
                    (_WEBHOOK_ID, *_WEBHOOK_OPTIONS),
                    run=_write_webhook,
                    mutates=True,
                    file=True,
                ),
                Verb(
                    "delete",
                    "delete a webhook no alert notifies (sent once)",
                    (_WEBHOOK_ID,),
                    mutates=True,
                    done="deleted",
                ),
            ),
        ),
    ),
)
