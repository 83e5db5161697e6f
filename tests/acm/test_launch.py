"""clusters.launch: the vendor's documented launches, and every bad input refused before sending."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import dbcloud
from dbcloud.altinity._launch import check_launch_fields

from .conftest import FakeACM

LAUNCH = "/environment/176/clusters/launch"
CREATED = {"id": "4242", "name": "api-test", "status": "launching", "nodes": "2", "secure": "1"}


@pytest.fixture
def launched(fake: FakeACM) -> FakeACM:
    fake.on("POST", LAUNCH, CREATED)
    return fake


def _documented_body(page: str, opening: str, closing: str, *, repair: str = "") -> dict[str, Any]:
    """The JSON body of the launch shown on a vendor page, as the page writes it (plus `repair`)."""
    docs = Path(__file__).resolve().parents[2].parent / "shared" / "vendor-docs"
    if not docs.is_dir():
        pytest.skip(f"vendor pages not found at {docs}")
    text = (docs / page).read_text(encoding="utf-8")
    start = text.index(opening, text.index("cluster-launch") - 2000)
    body = text[start + len(opening) : text.index(closing, start + len(opening))]
    data: dict[str, Any] = json.loads(body + repair)
    return data


def sent_json(request: Any) -> Any:
    assert request.headers["content-type"] == "application/json"
    assert request.url.query == b""  # nothing on the URL
    return json.loads(request.content)


def test_quick_start_example_sends_the_documented_body(acm: dbcloud.Altinity, launched: FakeACM) -> None:
    # The ACM quick-start guide's launch, argument for argument. The page wraps its body in curly
    # quotes (`-d “{...}”`) and drops the object's final brace; the rest is plain JSON.
    documented = _documented_body("altinity-acm-api-quick-start.txt", "-d \u201c", "\u201d", repair="}")
    acm.clusters.launch(
        176,
        name="test",
        nodes=2,
        shards=1,
        replicas=2,
        admin_pass="asdfasdfasdf",
        admin_user=None,  # the page sends none
        secure=True,
        node_type="m5.large",
        version="",
        size=100,
        disks=1,
        storage_class="gp2-encrypted",
        lb_type="ingress",
        node_placement="separateNodes",
        zookeeper="launch",
        zookeeper_options={"tag": "", "size": "multi", "root": "1"},
    )
    (request,) = launched.sent("POST", LAUNCH)
    assert sent_json(request) == documented
    # The documented types, kept.
    assert documented["nodes"] == 2
    assert documented["secure"] is True


def test_api_guide_example_sends_the_documented_body(acm: dbcloud.Altinity, launched: FakeACM) -> None:
    # The ACM API guide's launch, which names the node type instanceType.
    documented = _documented_body("altinity-api-guide.txt", "-d '", "'")
    cluster = acm.clusters.launch(
        176,
        name="api-test",
        admin_pass="dougspassword",
        admin_user="admin",
        https_port=8443,
        instance_type="n2d-standard-2",
        nodes=2,
        replicas=2,
        secure=True,
        shards=1,
        size=100,
        tcp_port_secure=9440,
        version="",
        zookeeper="launch",
        zookeeper_options={"tag": "", "size": "single"},
    )
    (request,) = launched.sent("POST", LAUNCH)
    assert sent_json(request) == documented
    # ACM's strings come back as the model's types.
    assert cluster.id == "4242"
    assert cluster.secure is True
    assert cluster.name == "api-test"


def test_extra_body_fields_pass_through_with_their_types(acm: dbcloud.Altinity, launched: FakeACM) -> None:
    acm.clusters.launch(
        176,
        name="x1",
        admin_pass="pw",
        node_type="m5.large",
        nodes=1,
        replicas=1,
        size=10,
        timezone="UTC",
        zone_awareness=True,
        azlist=["us-east-1a", "us-east-1b"],
    )
    sent = sent_json(launched.sent("POST", LAUNCH)[0])
    assert sent["timezone"] == "UTC"
    assert sent["zoneAwareness"] is True
    assert sent["azlist"] == ["us-east-1a", "us-east-1b"]


# A value of each kind the launch model's fields take, for the test below.
_SAMPLE = {"str": "x", "int": 7, "bool": False, "any": {"k": ["v", 1]}, ("list", "str"): ["a", "b"]}


def test_every_field_of_the_launch_body_is_a_named_keyword_sent_under_acms_name(
    acm: dbcloud.Altinity, launched: FakeACM
) -> None:
    import inspect

    from dbcloud_acm_client.models.cluster_launch_request import ClusterLaunchRequest

    fields = {attr: (wire, kind) for attr, wire, _, kind in ClusterLaunchRequest._dbcloud_fields.fields}
    parameters = inspect.signature(acm.clusters.launch).parameters
    assert set(parameters) - {"environment_id"} == set(fields)
    assert all(p.kind is p.KEYWORD_ONLY for name, p in parameters.items() if name != "environment_id")
    checked = set(GOOD) | {"admin_user", "disks", "version", "secure", "storage_class", "lb_type"}
    checked |= {"node_placement", "zookeeper", "zookeeper_options", "https_port", "tcp_port_secure"}
    checked |= {"instance_type"}  # the other name of node_type: one of them is sent
    others = {attr: _SAMPLE[kind] for attr, (_, kind) in fields.items() if attr not in checked}
    assert len(others) == 29
    acm.clusters.launch(176, **GOOD, **others)
    sent = sent_json(launched.sent("POST", LAUNCH)[0])
    assert {fields[attr][0]: value for attr, value in others.items()}.items() <= sent.items()
    assert "type_" not in sent
    assert sent["type"] == "x"
    # Left as None, none of them is sent.
    acm.clusters.launch(176, **GOOD, **dict.fromkeys(others))
    assert not set(sent_json(launched.sent("POST", LAUNCH)[1])) & {fields[a][0] for a in others}


def test_launch_is_not_repeated_after_a_server_error(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    import httpx

    fake.on("POST", LAUNCH, httpx.Response(503, json={"data": None, "error": "unavailable"}))
    with pytest.raises(dbcloud.InternalServerError):
        acm.clusters.launch(
            176, name="x1", admin_pass="pw", node_type="m5.large", nodes=1, replicas=1, size=10
        )
    assert len(fake.sent("POST", LAUNCH)) == 1


def test_launch_meeting_a_rate_limit_is_sent_once_more(acm: dbcloud.Altinity, fake: FakeACM) -> None:
    # A 429 is a refusal before any work: repeating it cannot launch a second cluster.
    import httpx

    limited = httpx.Response(429, headers={"Retry-After": "0"}, json={"data": None, "error": "slow down"})
    fake.on("POST", LAUNCH, limited, CREATED)
    cluster = acm.clusters.launch(
        176, name="x1", admin_pass="pw", node_type="m5.large", nodes=1, replicas=1, size=10
    )
    first, second = fake.sent("POST", LAUNCH)
    assert cluster.id == "4242"
    assert first.content == second.content


GOOD: dict[str, Any] = {
    "name": "api-test",
    "admin_pass": "pw-123456",
    "node_type": "m5.large",
    "nodes": 2,
    "shards": 1,
    "replicas": 2,
    "size": 100,
}

BAD: list[tuple[str, dict[str, Any], str]] = [
    ("empty name", {"name": ""}, "name must not be empty"),
    ("upper-case name", {"name": "Api-Test"}, "not a valid cluster name"),
    ("name with a slash", {"name": "../etc"}, "not a valid cluster name"),
    ("name ending in a hyphen", {"name": "api-"}, "not a valid cluster name"),
    ("name too long", {"name": "a" * 64}, "not a valid cluster name"),
    ("name with CRLF", {"name": "a\r\nb"}, "line breaks"),
    ("zero nodes", {"nodes": 0}, "nodes must be 1 or more"),
    ("negative size", {"size": -5}, "size must be 1 or more"),
    ("size as text", {"size": "100"}, "size must be a whole number"),
    ("size as float", {"size": 1.5}, "size must be a whole number"),
    ("replicas as bool", {"replicas": True}, "replicas must be a whole number"),
    ("nodes not shards x replicas", {"nodes": 3}, r"nodes must equal shards × replicas \(1 × 2 = 2\), got 3"),
    ("two shards, wrong nodes", {"shards": 2}, r"\(2 × 2 = 4\), got 2"),
    ("zero disks", {"disks": 0}, "disks must be 1 or more"),
    ("empty password", {"admin_pass": ""}, "admin_pass must not be empty"),
    ("password with newline", {"admin_pass": "pw\n"}, "line breaks"),
    ("password not text", {"admin_pass": 12345}, "admin_pass must be a string"),
    ("no node type", {"node_type": None}, "node_type .* is required"),
    ("two node types", {"instance_type": "n2d-standard-2"}, "give one"),
    ("secure as text", {"secure": "yes"}, "secure must be True or False"),
    ("port zero", {"https_port": 0}, "https_port must be 1 or more"),
    ("port too high", {"tcp_port_secure": 70000}, "TCP port"),
    ("unknown zookeeper", {"zookeeper": "start"}, 'zookeeper must be "launch"'),
    (
        "zookeeper size",
        {"zookeeper_options": {"size": "huge"}},
        r"zookeeper_options\['size'\] must be one of",
    ),
    ("zookeeper option key", {"zookeeper_options": {"tags": ""}}, "unknown keys"),
    ("zookeeper options not a dict", {"zookeeper_options": "multi"}, "must be a dict"),
    (
        "options for an existing zookeeper",
        {"zookeeper": 7, "zookeeper_options": {"size": "single"}},
        "only apply",
    ),
    ("extra of the wrong type", {"zone_awareness": "yes"}, "invalid cluster launch"),
]


@pytest.mark.parametrize(("change", "message"), [(c, m) for _, c, m in BAD], ids=[i for i, _, _ in BAD])
def test_invalid_launch_is_refused_before_sending(
    acm: dbcloud.Altinity, fake: FakeACM, change: dict[str, Any], message: str
) -> None:
    arguments = {**GOOD, **change}
    with pytest.raises(dbcloud.ValidationError, match=message):
        acm.clusters.launch(176, **arguments)
    assert fake.requests == []


@pytest.mark.parametrize("environment", [0, -1, "../1", "1%2F..", "abc", 1.5, None])
def test_invalid_environment_id_is_refused_before_sending(
    acm: dbcloud.Altinity, fake: FakeACM, environment: Any
) -> None:
    with pytest.raises(dbcloud.ValidationError, match="environment_id"):
        acm.clusters.launch(environment, **GOOD)
    assert fake.requests == []


def test_validation_error_names_the_argument(acm: dbcloud.Altinity) -> None:
    with pytest.raises(dbcloud.ValidationError) as caught:
        acm.clusters.launch(176, **{**GOOD, "size": 0})
    assert caught.value.field == "size"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"node_count": 3}, "'node_count' is not a field of ACM's cluster launch"),
        ({"storageClass": "gp2"}, "did you mean 'storage_class'"),
    ],
)
def test_an_unknown_field_is_refused_before_sending(
    acm: dbcloud.Altinity, fake: FakeACM, change: dict[str, Any], message: str
) -> None:
    # Every field of the launch is a named keyword, so Python itself (and mypy) refuses a misspelt
    # one; the same check, with ACM's names, guards fields from the CLI's --param and --file.
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        acm.clusters.launch(176, **GOOD, **change)
    with pytest.raises(dbcloud.ValidationError, match=message):
        check_launch_fields(change)
    assert fake.requests == []
