"""Malformed input is refused with an error naming the field, before any request is sent.

Every client here sends through a transport that records what reaches it: a case passes only if
the facade raised a `ValidationError` (or, for settings, a `ConfigError`) naming the field and the
transport saw nothing. Each case runs on the sync clients and on their async twins (the `flavour`
fixture; a MockTransport serves both, so the one tripwire watches either flavour). The table counts
the sync run's checks per subject (`figures.check("bad input", subject, passed)`); the CLI's bad
inputs (a non-UTF-8 `--file`, ...) join it as subject "cli" once written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import dbcloud
from tests._bridge import Flavour

from ._figures import Figures
from ._flavoured_mock import sync_figures

ORG = "3c1b7a8e-52d4-4f60-9a3e-6d2b8f1c0e57"
SERVICE = "803803cf-1cab-4259-a593-5c5d3d66bcc7"
LAUNCH: dict[str, Any] = {
    "name": "api-test",
    "admin_pass": "pw",
    "node_type": "m5.large",
    "nodes": 2,
    "replicas": 2,
    "size": 100,
}
PAST = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
NAIVE = dt.datetime(2099, 1, 1)  # no time zone: the mistake under test
CHART = {"displayType": "line", "sourceId": "65f5e4a30625b6c96d000003", "select": [{"aggFn": "count"}]}
TILE = {"name": "t", "x": 0, "y": 0, "w": 6, "h": 3, "config": CHART}
AWS = {"awsAccountID": "111122223333", "region": "eu-west-1", "cidr": "10.1.0.0/21"}
CRLF = "ok\r\nX-Injected: 1"


class Tripwire:
    """A transport handler that records every request that reaches it (none should)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500, json={"error": "no request should have been sent"})


Clients = dict[str, Any]


@dataclass(frozen=True)
class Setup:
    """For a case that builds a client itself: the flavour's client classes (`twin(dbcloud.Altinity)`)
    and the httpx client over the tripwire, to pass as `http_client`."""

    twin: Callable[[type[Any]], Any]
    http: httpx.Client


@dataclass(frozen=True)
class Case:
    subject: str
    what: str
    call: Callable[[Clients], object]
    field: str  # the field the error must name

    def __str__(self) -> str:
        return f"{self.subject}: {self.what}"


def on(subject: str, what: str, field: str, call: Callable[[Any], object], *, uses: str = "") -> Case:
    """A case that calls `call` with the subject's client (or with the client named by `uses`)."""
    return Case(subject, what, lambda clients: call(clients[uses or subject]), field)


def launch(what: str, field: str, **changes: Any) -> Case:
    return on("acm", what, field, lambda acm: acm.clusters.launch(176, **{**LAUNCH, **changes}))


def service(**fields: Any) -> dict[str, Any]:
    return {"name": "s", "provider": "aws", "region": "us-east-1", **fields}


ALERT = {"interval": "1h", "threshold_type": "above", "channel": {"type": "webhook", "webhookId": "w"}}
ACM_URL = "https://acm.example/api"

CASES = [
    launch("launch with nodes=0", "nodes", nodes=0),
    launch("launch with a negative size", "size", size=-5),
    launch("launch with shards=0", "shards", shards=0),
    launch("launch with nodes ≠ shards × replicas", "nodes", nodes=3),
    launch("launch with an empty name", "name", name=""),
    launch("launch with CRLF in the name", "name", name=CRLF),
    launch("launch with CRLF in admin_pass", "admin_pass", admin_pass=CRLF),
    launch("launch with nodes as text", "nodes", nodes="2"),
    launch("launch with replicas=True", "replicas", replicas=True),
    # An unknown launch field is a TypeError from Python itself (every field is a named keyword):
    # tests/acm/test_launch.py checks that nothing is sent.
    launch(
        "launch with an unknown ZooKeeper option", "zookeeper_options", zookeeper_options={"sise": "multi"}
    ),
    launch("launch with a port above 65535", "https_port", https_port=70000),
    on("acm", "cluster id '../1'", "cluster_id", lambda acm: acm.clusters.get("../1")),
    on("acm", "cluster id '%2F..'", "cluster_id", lambda acm: acm.clusters.delete("%2F..")),
    on("acm", "environment id 0", "environment_id", lambda acm: acm.environments.get(0)),
    on("acm", "key expiry without a time zone", "expires_at", lambda acm: acm.keys.create(expires_at=NAIVE)),
    on(
        "acm",
        "sign-in with an empty user name",
        "username",
        lambda setup: setup.twin(dbcloud.Altinity).login("", "pw", base_url=ACM_URL, http_client=setup.http),
        uses="setup",
    ),
    on("clickhouse", "service id '../keys'", "service_id", lambda ch: ch.services.get("../keys")),
    on("clickhouse", "service id '%2F..'", "service_id", lambda ch: ch.services.delete("%2F..")),
    on("clickhouse", "activity id '..'", "activity_id", lambda ch: ch.activities.get("..")),
    on("clickhouse", "activity id with CRLF", "activity_id", lambda ch: ch.activities.get(CRLF)),
    on("clickhouse", "service with an empty name", "name", lambda ch: ch.services.create(**service(name=""))),
    # An unknown field of a creation is a TypeError from Python itself (every field is a named
    # keyword); tests/clickhouse/test_records.py checks that nothing is sent.
    on(
        "clickhouse",
        "scaling to 0 replicas",
        "num_replicas",
        lambda ch: ch.services.set_scaling(SERVICE, num_replicas=0),
    ),
    on(
        "clickhouse",
        "idle timeout of 1 minute",
        "idle_timeout_minutes",
        lambda ch: ch.services.set_scaling(SERVICE, idle_timeout_minutes=1),
    ),
    on("clickhouse", "key in an unknown state", "state", lambda ch: ch.keys.create(name="k", state="on")),
    on(
        "clickhouse",
        "key expiring in the past",
        "expire_at",
        lambda ch: ch.keys.create(name="k", expire_at=PAST),
    ),
    on(
        "clickhouse",
        "key expiry without a time zone",
        "expire_at",
        lambda ch: ch.keys.create(name="k", expire_at=NAIVE),
    ),
    on(
        "clickhouse",
        "organization id '../x' (a setting)",
        "organization id",
        lambda setup: setup.twin(dbcloud.ClickHouseCloud)(
            key_id="k", key_secret="s", org_id="../x", http_client=setup.http
        ),
        uses="setup",
    ),
    on("clickstack", "dashboard id '..'", "dashboard_id", lambda cs: cs.dashboards.get("..")),
    on("clickstack", "alert id '.'", "alert_id", lambda cs: cs.alerts.delete(".")),
    on("clickstack", "alert id with CRLF", "alert_id", lambda cs: cs.alerts.get(CRLF)),
    on(
        "clickstack",
        "dashboard with an empty name",
        "name",
        lambda cs: cs.dashboards.create(name="", tiles=[TILE]),
    ),
    on(
        "clickstack",
        "dashboard tiles as text",
        "tiles",
        lambda cs: cs.dashboards.create(name="d", tiles="tiles"),
    ),
    # An unknown dashboard field is a TypeError from Python itself (tests/clickstack/test_alerts.py).
    on(
        "clickstack",
        "alert threshold as text",
        "threshold",
        lambda cs: cs.alerts.create(threshold="high", **ALERT),
    ),
    on(
        "clickstack",
        "managed: organization id '../x' (a setting)",
        "organization_id",
        lambda setup: setup.twin(dbcloud.ClickStack).managed(
            "../x", SERVICE, key_id="k", key_secret="s", http_client=setup.http
        ),
        uses="setup",
    ),
    on("cockroach", "cluster id '../x'", "cluster_id", lambda crdb: crdb.clusters.get("../x")),
    on("cockroach", "cluster id '%2F..'", "cluster_id", lambda crdb: crdb.clusters.delete("%2F..")),
    on("cockroach", "cluster name too short", "name", lambda crdb: crdb.clusters.create_serverless("ab")),
    on("cockroach", "cluster name with CRLF", "name", lambda crdb: crdb.clusters.create_serverless(CRLF)),
    on(
        "cockroach",
        "unknown cloud provider",
        "provider",
        lambda crdb: crdb.clusters.create_serverless("valid-name", provider="MARS"),
    ),
    on("cockroach", "page size 0", "page_size", lambda crdb: crdb.clusters.list(page_size=0)),
    on(
        "cockroach",
        "the retired spend_limit",
        "spend_limit",
        lambda crdb: crdb.clusters.create_serverless("valid-name", spend_limit=500),
    ),
    on("anywhere", "environment with an empty name", "name", lambda aw: aw.aws.get("")),
    on(
        "anywhere",
        "create spec with an unknown field",
        "spec",
        lambda aw: aw.aws.create("e", {**AWS, "regoin": "x"}),
    ),
    on("anywhere", "create spec of the wrong type", "spec", lambda aw: aw.aws.create("env", 42)),
    on("anywhere", "names as one string", "names", lambda aw: aw.aws.list(names="prod")),
    on("anywhere", "an empty GraphQL document", "document", lambda aw: aw.execute("")),
]


@pytest.fixture(scope="module")
def tripwire() -> Tripwire:
    return Tripwire()


@pytest.fixture
def clients(tripwire: Tripwire, flavour: Flavour) -> Iterator[Clients]:
    """Every vendor's client of the flavour, all over the tripwire."""
    twin = flavour.twin
    with httpx.Client(transport=httpx.MockTransport(tripwire)) as http:
        built: Clients = {
            "setup": Setup(twin, http),
            "acm": twin(dbcloud.Altinity)(token="t", base_url=ACM_URL, http_client=http),
            "anywhere": twin(dbcloud.AltinityAnywhere)(
                token="t", base_url="https://aw.example", http_client=http
            ),
            "clickhouse": twin(dbcloud.ClickHouseCloud)(
                key_id="k", key_secret="s", org_id=ORG, base_url="https://ch.example", http_client=http
            ),
            "clickstack": twin(dbcloud.ClickStack)(
                endpoint="https://stack.example", api_key="t", http_client=http
            ),
            "cockroach": twin(dbcloud.CockroachCloud)(
                api_key="t", base_url="https://cr.example", http_client=http
            ),
        }
        yield built


@pytest.mark.parametrize("case", CASES, ids=str)
def test_refused_before_sending(
    case: Case, clients: Clients, tripwire: Tripwire, flavour: Flavour, figures: Figures
) -> None:
    sent = len(tripwire.requests)
    try:
        case.call(clients)
    except Exception as exc:  # which error it is, is checked below
        error: Exception | None = exc
    else:
        error = None
    leaked = tripwire.requests[sent:]
    named = getattr(error, "field", None) == case.field or case.field in str(error)
    typed = isinstance(error, dbcloud.ValidationError | dbcloud.ConfigError)
    sync_figures(figures, flavour).check("bad input", case.subject, typed and named and not leaked)
    assert typed, f"expected a ValidationError or ConfigError, got {error!r}"
    assert named, f"the error does not name {case.field!r}: {error}"
    assert leaked == [], "refused, but only after sending"


def test_the_tripwire_sees_what_is_sent(clients: Clients, tripwire: Tripwire) -> None:
    # The control: a valid call through the same clients does reach the transport.
    sent = len(tripwire.requests)
    with pytest.raises(dbcloud.InternalServerError):
        clients["cockroach"].clusters.get("3f2c1a9e-8b7d-4e6f-9a0b-1c2d3e4f5a6b")
    assert len(tripwire.requests) == sent + 1
