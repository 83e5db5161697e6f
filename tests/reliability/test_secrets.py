"""No credential in anything the facades produce: logs (dbcloud, DEBUG), reprs, errors, cassettes, CLI.

Each API runs a scenario that handles secrets the way users do (creates that return a key secret
or a password, a launch with an admin password, a sign-in, retried faults, a failed create, a 404,
a 401 with a wrong credential) and everything it produced is scanned for every credential used or
received, as written, URL-encoded or JSON-escaped. The facade scenarios run on the sync clients and
on their async twins, each flavour against an emulator of its own; the cassette and CLI scans once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

import dbcloud
from dbcloud.emulator import DEMO_CREDENTIALS, Emulator, Fault
from tests._bridge import Flavour

from ._clients import APIS, connect
from ._figures import Figures
from ._flavoured_emu import EmulatorPerFlavour, behind
from ._scan import Haystack, basic, demo_credentials, find
from ._workloads import ADMIN_PASS, HOSTED

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
WRONG = "wrong-credential-5e1d0c"
WRONG_LOGIN_PASS = "Wrong-login-pass-82b"
HCLOUD_TOKEN = "enc:hcloud-token-77aa41"
USERINFO_PASS = "Userinfo-pass-31c9"
EXPIRY = dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
UNKNOWN_UUID = "5d7c1e2a-4b3f-4c6d-8e9f-0a1b2c3d4e5f"

# Every secret the scenarios used or were given, for the cassette scan too.
SUITE_SECRETS: set[str] = {ADMIN_PASS, WRONG, WRONG_LOGIN_PASS, HCLOUD_TOKEN, USERINFO_PASS, "demo-password"}


@pytest.fixture(scope="module")
def emulators() -> Iterator[EmulatorPerFlavour]:
    per_flavour = EmulatorPerFlavour()
    yield per_flavour
    per_flavour.close()


@pytest.fixture
def flavoured_emu(emulators: EmulatorPerFlavour, flavour: Flavour) -> Emulator:
    """The module's emulator for this test's flavour (the scenarios make names once per emulator)."""
    return emulators.of(flavour)


def report(figures: Figures, hay: Haystack, secrets: set[str], *, scanned: str, texts: str) -> None:
    """Scan what was gathered for every secret, add the row to the figures, and fail on any find."""
    found = find(hay, secrets)
    size = hay.size / 1024
    figures.add(
        "secrets",
        scanned=scanned,
        texts=texts,
        size=f"{size:.0f} KiB" if size >= 10 else f"{size:.1f} KiB",
        credentials=len(secrets),
        found=len(found),
    )
    assert found == []


def attempt(hay: Haystack, where: str, call: Callable[[], Any]) -> Any:
    """Make one call; keep its result's repr, or the dbcloud error it raised (anything else fails)."""
    try:
        result = call()
        show(hay, where, result)
        return result
    except dbcloud.DBCloudError as exc:
        hay.error(where, exc)
        return None


def show(hay: Haystack, where: str, value: object) -> None:
    """Keep the repr and str of `value`, or of the async object behind a `Blocking` stand-in."""
    hay.show(where, behind(value))


def faults(emu: Emulator, api: str, *kinds: str) -> None:
    for kind in kinds:
        emu.add_fault(api, Fault(kind, count=1))


def acm(emu: Emulator, hay: Haystack, secrets: set[str], keep: ExitStack, flavour: Flavour) -> None:
    client = keep.enter_context(connect("acm", emu, flavour))
    url = emu.env["ACM_API_URL"]
    launch = {"name": "sec-1", "node_type": "m5.large", "nodes": 2, "replicas": 2, "size": 10}
    env = client.environments.list()[0].id
    cluster = attempt(hay, "launch", lambda: client.clusters.launch(env, admin_pass=ADMIN_PASS, **launch))
    key = attempt(hay, "keys.create", client.keys.create)
    secrets.add(key.key.reveal())
    attempt(hay, "keys.list", client.keys.list)
    faults(emu, "acm", "429", "reset")
    attempt(hay, "clusters.get through faults", lambda: client.clusters.get(cluster.id))
    faults(emu, "acm", "503")
    attempt(hay, "launch meeting a 503", lambda: client.clusters.launch(env, admin_pass=ADMIN_PASS, **launch))
    attempt(
        hay, "launch with CRLF", lambda: client.clusters.launch(env, admin_pass=ADMIN_PASS + "\n", **launch)
    )
    attempt(hay, "unknown cluster", lambda: client.clusters.get(987654))
    attempt(hay, "keys.delete", lambda: client.keys.delete(key))
    login = flavour.twin(dbcloud.Altinity).login
    session = keep.enter_context(
        attempt(hay, "login", lambda: login("demo@example.com", "demo-password", base_url=url))
    )
    secrets.update(k.key.reveal() for k in session.keys.list())  # the session's token is among them
    attempt(hay, "login, wrong password", lambda: login("demo@example.com", WRONG_LOGIN_PASS, base_url=url))
    wrong = keep.enter_context(flavour.twin(dbcloud.Altinity)(token=WRONG, base_url=url, max_retries=0))
    attempt(hay, "wrong key", wrong.environments.list)
    for shown in (client, wrong, client.with_options(timeout=5), client.http_client.auth, session):
        show(hay, "client", shown)


def anywhere(emu: Emulator, hay: Haystack, secrets: set[str], keep: ExitStack, flavour: Flavour) -> None:
    client = keep.enter_context(connect("anywhere", emu, flavour))
    hcloud = {
        "cidr": "10.4.0.0/21",
        "hcloudTokenEnc": HCLOUD_TOKEN,
        "locations": ["fsn1"],
        "networkZone": "eu-central",
        "nodeGroups": [{"nodeType": "cpx31", "capacityPerLocation": 1}],
    }
    attempt(hay, "hcloud.create", lambda: client.hcloud.create("sec-hcloud", hcloud))
    attempt(hay, "hcloud.get", lambda: client.hcloud.get("sec-hcloud"))
    faults(emu, "anywhere", "429", "reset")
    attempt(hay, "aws.list through faults", client.aws.list)
    faults(emu, "anywhere", "503")
    attempt(hay, "create meeting a 503", lambda: client.aws_hosted.create("sec-hosted", HOSTED))
    attempt(hay, "unknown environment", lambda: client.aws.get("no-such-env"))
    attempt(hay, "spec with a token and a typo", lambda: client.hcloud.create("x", {**hcloud, "regoin": "x"}))
    base = emu.env["ALTINITYCLOUD_API_URL"]
    wrong = keep.enter_context(flavour.twin(dbcloud.AltinityAnywhere)(token=WRONG, base_url=base))
    attempt(hay, "wrong token", wrong.aws.list)
    for shown in (client, wrong, client.with_options(timeout=5), client.http_client.auth):
        show(hay, "client", shown)


def clickhouse(emu: Emulator, hay: Haystack, secrets: set[str], keep: ExitStack, flavour: Flavour) -> None:
    client = keep.enter_context(connect("clickhouse", emu, flavour))
    key = attempt(hay, "keys.create", lambda: client.keys.create(name="sec-key", expire_at=EXPIRY))
    secrets.add(key.key_secret.reveal())
    access = [{"source": "10.0.0.0/8", "description": "office"}]
    new = attempt(
        hay,
        "services.create",
        lambda: client.services.create(
            name="sec-svc", provider="aws", region="us-east-1", ip_access_list=access
        ),
    )
    secrets.add(new.password.reveal())
    password = attempt(hay, "services.reset_password", lambda: client.services.reset_password(new.id))
    secrets.add(password.reveal())
    faults(emu, "clickhouse", "429", "reset")
    attempt(hay, "services.get through faults", lambda: client.services.get(new.id))
    faults(emu, "clickhouse", "503")
    attempt(hay, "keys.create meeting a 503", lambda: client.keys.create(name="sec-key-2", expire_at=EXPIRY))
    attempt(hay, "unknown service", lambda: client.services.get(UNKNOWN_UUID))
    attempt(hay, "keys.delete", lambda: client.keys.delete(str(key.key.id)))
    env = emu.env
    secrets.add(basic(env["CLICKHOUSE_CLOUD_API_KEY"], WRONG))
    wrong = keep.enter_context(
        flavour.twin(dbcloud.ClickHouseCloud)(
            key_id=env["CLICKHOUSE_CLOUD_API_KEY"], key_secret=WRONG, base_url=env["CLICKHOUSE_API_URL"]
        )
    )
    attempt(hay, "wrong key secret", wrong.services.list)
    for shown in (client, wrong, client.with_options(timeout=5), client.http_client.auth):
        show(hay, "client", shown)


def clickstack(emu: Emulator, hay: Haystack, secrets: set[str], keep: ExitStack, flavour: Flavour) -> None:
    # A self-hosted endpoint behind a proxy that wants a password in the URL.
    endpoint = emu.env["CLICKSTACK_ENDPOINT"].replace("http://", f"http://proxy-user:{USERINFO_PASS}@")
    stack = flavour.twin(dbcloud.ClickStack)
    client = keep.enter_context(stack(endpoint=endpoint, api_key=emu.env["CLICKSTACK_API_KEY"]))
    flavour.set_sleep(client, emu.advance)
    source = str(next(s.id for s in client.sources.list() if s.kind == "log"))
    config = {"displayType": "line", "sourceId": source, "select": [{"aggFn": "count"}]}
    tiles = [{"name": "t", "x": 0, "y": 0, "w": 6, "h": 3, "config": config}]
    made = attempt(hay, "dashboards.create", lambda: client.dashboards.create(name="sec", tiles=tiles))
    faults(emu, "clickstack", "429", "reset")
    attempt(hay, "dashboards.get through faults", lambda: client.dashboards.get(str(made.id)))
    faults(emu, "clickstack", "reset")
    attempt(hay, "create cut off", lambda: client.dashboards.create(name="sec-2", tiles=tiles))
    attempt(hay, "unknown dashboard", lambda: client.dashboards.get("65f5e4a3ffffffffffff0001"))
    wrong = keep.enter_context(stack(endpoint=endpoint, api_key=WRONG))
    attempt(hay, "wrong key", wrong.dashboards.list)
    for shown in (client, wrong, client.with_options(timeout=5), client.http_client.auth):
        show(hay, "client", shown)


def cockroach(emu: Emulator, hay: Haystack, secrets: set[str], keep: ExitStack, flavour: Flavour) -> None:
    client = keep.enter_context(connect("cockroach", emu, flavour))
    made = attempt(hay, "create_serverless", lambda: client.clusters.create_serverless("sec-cluster-1"))
    faults(emu, "cockroach", "429", "reset")
    attempt(hay, "clusters.get through faults", lambda: client.clusters.get(made.id))
    faults(emu, "cockroach", "503")
    attempt(hay, "create meeting a 503", lambda: client.clusters.create_serverless("sec-cluster-2"))
    attempt(hay, "unknown cluster", lambda: client.clusters.get(UNKNOWN_UUID))
    wrong = keep.enter_context(
        flavour.twin(dbcloud.CockroachCloud)(api_key=WRONG, base_url=emu.env["COCKROACH_SERVER"])
    )
    attempt(hay, "wrong key", lambda: wrong.clusters.get(made.id))
    for shown in (client, wrong, client.with_options(timeout=5), client.http_client.auth):
        show(hay, "client", shown)


SCENARIOS: dict[str, Callable[[Emulator, Haystack, set[str], ExitStack, Flavour], None]] = {
    "acm": acm,
    "anywhere": anywhere,
    "clickhouse": clickhouse,
    "clickstack": clickstack,
    "cockroach": cockroach,
}


def test_the_scan_finds_every_spelling() -> None:
    secret = "s3cret/with+odd chars&"
    for text in (
        f"x{secret}x",
        "tokens=%5B%22s3cret%2Fwith%2Bodd+chars%26%22",
        '{"k": "s3cret/with+odd chars&"}',
    ):
        hay = Haystack()
        hay.add("planted", text)
        assert find(hay, [secret]) != [], text
    assert secret not in " ".join(find(hay, [secret])), "the report does not repeat the secret"


@pytest.mark.parametrize("api", APIS)
def test_nothing_a_facade_produces_holds_a_credential(
    api: str, flavoured_emu: Emulator, flavour: Flavour, caplog: pytest.LogCaptureFixture, figures: Figures
) -> None:
    caplog.set_level(logging.DEBUG, logger="dbcloud")
    flavoured_emu.clear_faults()
    hay = Haystack()
    secrets = demo_credentials() | SUITE_SECRETS
    with ExitStack() as keep:  # closes every client the scenario opened
        SCENARIOS[api](flavoured_emu, hay, secrets, keep, flavour)
    SUITE_SECRETS.update(secrets - demo_credentials())
    hay.logs(caplog.records)
    logs = [text for where, text in hay.texts if where.startswith("log dbcloud")]
    errors = {where for where, _ in hay.texts if where.startswith("error")}
    report(
        figures,
        hay,
        secrets,
        scanned=f"{api} ({flavour.name}): logs, reprs, errors",
        texts=f"{len(hay.texts)} ({len(logs)} log records, {len(errors)} error fields)",
    )
    # The scan saw what matters: request logs, retries, and the errors of the scenario.
    assert any("request " in text for text in logs)
    assert any("retrying" in text for text in logs)
    assert len(errors) >= 8


def test_committed_cassettes_hold_no_credential(figures: Figures) -> None:
    files = sorted(CASSETTES.rglob("*.yaml"))
    assert {path.parent.name for path in files} >= set(APIS)
    hay = Haystack()
    for path in files:
        hay.add(str(path.relative_to(CASSETTES)), path.read_text(encoding="utf-8"))
    # The key id too: the recordings replace it with a placeholder, like the account ids.
    secrets = demo_credentials() | SUITE_SECRETS | {DEMO_CREDENTIALS["clickhouse"].split(":")[0]}
    report(figures, hay, secrets, scanned="tests/cassettes", texts=f"{len(files)} cassettes")
    assert any("DBCLOUD-REDACTED" in text for _, text in hay.texts), "the cassettes were scrubbed, not empty"


def _cli_has(argv: list[str]) -> bool:
    from dbcloud.cli import main

    try:
        return main([*argv, "--help"]) == 0
    except SystemExit as exc:
        return exc.code == 0


def test_cli_output_holds_no_credential(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], figures: Figures
) -> None:
    command = ["acm", "environments", "list", "-o", "json"]
    if not _cli_has(command[:3]):
        pytest.skip("dbcloud.cli has no `acm environments list` command yet (its --help did not exit 0)")
    from dbcloud.cli import main

    capsys.readouterr()
    for name, value in emu.env.items():
        monkeypatch.setenv(name, value)
    assert main(command) == 0
    listed = capsys.readouterr()
    assert json.loads(listed.out), "the command listed the emulator's environments"
    monkeypatch.setenv("ACM_API_KEY", WRONG)
    assert main(command) == 3, "a refused credential exits with code 3"
    refused = capsys.readouterr()
    assert refused.err, "the refusal is explained on stderr"
    hay = Haystack()
    for where, text in (("stdout", listed.out), ("stderr", listed.err), ("stderr, 401", refused.err)):
        hay.add(where, text)
    secrets = demo_credentials() | SUITE_SECRETS
    report(
        figures,
        hay,
        secrets,
        scanned="CLI: " + " ".join(command),
        texts="stdout, stderr; again with a wrong key",
    )


def test_httpx_own_info_log_holds_no_credential(
    flavoured_emu: Emulator, flavour: Flavour, caplog: pytest.LogCaptureFixture, figures: Figures
) -> None:
    # What a user gets from logging.basicConfig(level=logging.INFO): httpx logs every request URL,
    # and ACM takes adminPass, tokens and the sign-in password in the query string.
    caplog.set_level(logging.INFO, logger="httpx")
    with connect("acm", flavoured_emu, flavour) as client:
        client.clusters.launch(
            176, name="sec-httpx", admin_pass=ADMIN_PASS, node_type="m5.large", nodes=2, replicas=2, size=10
        )
        key = client.keys.create()
        client.keys.delete(key)
    url = flavoured_emu.env["ACM_API_URL"]
    with flavour.twin(dbcloud.Altinity).login("demo@example.com", "demo-password", base_url=url) as session:
        session_keys = {k.key.reveal() for k in session.keys.list()}
    hay = Haystack()
    hay.logs(r for r in caplog.records if r.name == "httpx")
    secrets = demo_credentials() | {ADMIN_PASS, key.key.reveal(), "demo-password"} | session_keys
    report(
        figures,
        hay,
        secrets,
        scanned=f"httpx's own log at INFO (acm, {flavour.name})",
        texts=f"{len(hay.texts)} log records",
    )
