"""The client itself: settings and their precedence, auth, where the credential may go, repr."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud import ConfigError
from dbcloud.anywhere import AltinityAnywhere

from ._support import BASE, ENDPOINT, TOKEN, Server, data

Connect = Callable[..., tuple[AltinityAnywhere, Server]]


def _profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(body)
    os.chmod(path, 0o600)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(path))


def _sent_token(client: AltinityAnywhere, server: Server) -> str:
    client.execute("{ awsEnvs { name } }")
    return server.requests[-1].headers["Authorization"]


def test_lazily_exported_from_the_package() -> None:
    assert dbcloud.AltinityAnywhere is AltinityAnywhere


def test_sends_bearer_token_to_the_graphql_endpoint(connect: Connect) -> None:
    client, server = connect(data(awsEnvs=[]))
    client.execute("{ awsEnvs { name } }")
    (request,) = server.requests
    assert request.method == "POST"
    assert str(request.url) == ENDPOINT
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"].startswith("dbcloud/")


def test_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTINITYCLOUD_API_TOKEN", "env-token")
    server = Server(data())
    assert _sent_token(AltinityAnywhere(http_client=server.http_client()), server) == "Bearer env-token"


def test_token_from_the_profile_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _profile(tmp_path, monkeypatch, '[default.anywhere]\ntoken = "profile-token"\n')
    server = Server(data())
    assert _sent_token(AltinityAnywhere(http_client=server.http_client()), server) == "Bearer profile-token"


def test_argument_beats_environment_beats_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _profile(tmp_path, monkeypatch, '[default.anywhere]\ntoken = "profile-token"\n')
    monkeypatch.setenv("ALTINITYCLOUD_API_TOKEN", "env-token")
    server = Server(data())
    assert _sent_token(AltinityAnywhere(http_client=server.http_client()), server) == "Bearer env-token"
    argument = AltinityAnywhere(token="arg-token", http_client=server.http_client())
    assert _sent_token(argument, server) == "Bearer arg-token"


def test_named_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _profile(
        tmp_path,
        monkeypatch,
        '[default.anywhere]\ntoken = "default-token"\n'
        '[staging.anywhere]\ntoken = "staging-token"\nbase_url = "https://anywhere.staging.example"\n',
    )
    server = Server(data())
    client = AltinityAnywhere(profile="staging", http_client=server.http_client())
    assert _sent_token(client, server) == "Bearer staging-token"
    assert str(server.requests[-1].url) == "https://anywhere.staging.example/api/v1/graphql"


def test_missing_token_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="ALTINITYCLOUD_API_TOKEN") as caught:
        AltinityAnywhere()
    assert "token=" in str(caught.value)
    assert "[default.anywhere]" in str(caught.value)


def test_base_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALTINITYCLOUD_API_URL", "https://anywhere.example.test/")
    server = Server(data())
    anywhere = AltinityAnywhere(token=TOKEN, http_client=server.http_client())
    anywhere.execute("{ k8sEnvs { name } }")
    assert str(server.requests[0].url) == "https://anywhere.example.test/api/v1/graphql"
    assert anywhere.base_url == "https://anywhere.example.test"


@pytest.mark.parametrize(
    "given",
    ["https://anywhere.example.test/api/v1/graphql", "https://anywhere.example.test/api/v1/graphql/"],
)
def test_the_endpoint_url_is_accepted_as_base_url(connect: Connect, given: str) -> None:
    client, server = connect(data(), base_url=given)
    client.execute("{ k8sEnvs { name } }")
    assert str(server.requests[0].url) == "https://anywhere.example.test/api/v1/graphql"
    assert client.endpoint == "https://anywhere.example.test/api/v1/graphql"


def test_default_base_url(connect: Connect) -> None:
    client, _ = connect()
    assert client.base_url == BASE
    assert client.endpoint == ENDPOINT


def test_a_non_http_base_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        AltinityAnywhere(token=TOKEN, base_url="ftp://anywhere.example.test")


def test_a_token_with_a_line_break_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as caught:
        AltinityAnywhere(token="abc\nInjected: yes")
    assert "Injected" not in str(caught.value)


def test_redirect_to_another_origin_carries_no_credential(connect: Connect) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.host == "anywhere.altinity.cloud":
            return httpx.Response(307, headers={"Location": "https://elsewhere.example.test/api/v1/graphql"})
        return httpx.Response(200, json={"data": {"awsEnvs": []}})

    client, server = connect(answer)
    assert client.aws.list() == []
    first, second = server.requests
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert second.url.host == "elsewhere.example.test"
    assert "Authorization" not in second.headers
    assert TOKEN not in str(second.headers)


def test_a_redirect_within_the_origin_keeps_the_credential(connect: Connect) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/graphql":
            return httpx.Response(308, headers={"Location": f"{BASE}/api/v2/graphql"})
        return httpx.Response(200, json={"data": {"awsEnvs": []}})

    client, server = connect(answer)
    client.aws.list()
    assert server.requests[1].headers["Authorization"] == f"Bearer {TOKEN}"


def test_repr_never_shows_the_token(connect: Connect) -> None:
    client, _ = connect()
    shown = [repr(client), str(client), repr(vars(client)), repr(client.aws), repr(client.api)]
    assert client.base_url in shown[0]
    for text in shown:
        assert TOKEN not in text


def test_repr_masks_a_password_in_the_base_url(connect: Connect) -> None:
    client, _ = connect(base_url="https://user:url-password@anywhere.example.test")
    assert "url-password" not in repr(client)


def test_logs_never_show_the_token(connect: Connect, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="dbcloud")
    client, _ = connect(
        httpx.Response(503, headers={"Retry-After": "0"}),
        httpx.Response(200, json={"errors": [{"message": f"token {TOKEN} rejected"}]}),
    )
    with pytest.raises(dbcloud.APIStatusError):
        client.aws.list()
    assert caplog.records, "expected request logs"
    assert TOKEN not in caplog.text


def test_with_options_copies_share_the_connection_but_not_resources(connect: Connect) -> None:
    client, server = connect(httpx.Response(503, headers={"Retry-After": "0"}))
    quick = client.with_options(max_retries=0)
    assert quick.aws is not client.aws
    with pytest.raises(dbcloud.InternalServerError):
        quick.aws.list()
    assert len(server.requests) == 1


def test_context_manager_closes_the_client(connect: Connect) -> None:
    client, _ = connect()
    with client as entered:
        assert entered is client
    assert client.http_client.is_closed


def test_settings_are_keyword_only() -> None:
    args: Any = (TOKEN,)
    with pytest.raises(TypeError):
        AltinityAnywhere(*args)


def test_generated_code_is_imported_only_when_needed() -> None:
    # A fresh interpreter: this one has long imported everything.
    script = """
import sys, httpx
import dbcloud
from dbcloud.anywhere import AltinityAnywhere
answer = lambda request: httpx.Response(200, json={"data": {"a": 1, "awsEnvs": []}})
client = AltinityAnywhere(token="t", http_client=httpx.Client(transport=httpx.MockTransport(answer)))
client.execute("{ a }")
before = sorted(m for m in sys.modules if m.startswith("dbcloud_anywhere_client"))
client.api.awsEnvs()
after = "dbcloud_anywhere_client.operations" in sys.modules
print(before, after)
"""
    env = {**os.environ, "ALTINITYCLOUD_API_TOKEN": ""}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.split() == ["[]", "True"]
