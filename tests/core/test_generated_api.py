"""`client.api`: the generated low-level client on the facade's connection, typed, and raising
dbcloud's errors for error answers (instead of `parsed=None`)."""

from __future__ import annotations

import httpx
import pytest

import dbcloud

TOKEN = "acm-token-for-the-api-tests"


def acm_with(*answers: httpx.Response) -> tuple[dbcloud.Altinity, list[httpx.Request]]:
    sent: list[httpx.Request] = []
    queue = list(answers)

    def server(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    client = dbcloud.Altinity(
        token=TOKEN,
        base_url="https://acm.test/api",
        http_client=httpx.Client(transport=httpx.MockTransport(server)),
    )
    client._sleep = lambda seconds: None
    return client, sent


def test_a_generated_operation_returns_its_model_over_the_facades_connection() -> None:
    from dbcloud_acm_client.api.clusters import get_cluster

    acm, sent = acm_with(httpx.Response(200, json={"data": {"id": 5, "name": "c5"}, "error": None}))
    answer = get_cluster.sync(5, client=acm.api)
    assert answer is not None
    assert sent[0].headers["X-Auth-Token"] == TOKEN
    assert sent[0].url == "https://acm.test/api/cluster/5"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (httpx.Response(404, json={"data": None, "error": "Cluster not found"}), dbcloud.NotFoundError),
        (
            httpx.Response(401, json={"data": None, "error": f"bad token {TOKEN}"}),
            dbcloud.AuthenticationError,
        ),
        # ACM's HTTP 200 carrying an error is an error through `api` too.
        (httpx.Response(200, json={"data": None, "error": "Cluster not found"}), dbcloud.NotFoundError),
    ],
)
def test_an_error_answer_raises_dbclouds_error_with_credentials_masked(
    answer: httpx.Response, error: type[dbcloud.APIError]
) -> None:
    from dbcloud_acm_client.api.clusters import get_cluster

    acm, _ = acm_with(answer)
    with pytest.raises(error) as caught:
        get_cluster.sync_detailed(5, client=acm.api)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value.args)


def test_retries_apply_through_api() -> None:
    from dbcloud_acm_client.api.clusters import get_cluster

    acm, sent = acm_with(
        httpx.Response(503, json={"data": None, "error": "later"}),
        httpx.Response(200, json={"data": {"id": 5}, "error": None}),
    )
    assert get_cluster.sync_detailed(5, client=acm.api).status_code == 200
    assert len(sent) == 2


def test_api_is_one_client_per_facade_and_typed_for_secured_operations() -> None:
    from dbcloud_acm_client.client import AuthenticatedClient

    acm, _ = acm_with(httpx.Response(200, json={"data": [], "error": None}))
    assert isinstance(acm.api, AuthenticatedClient)
    assert acm.api is acm.api
