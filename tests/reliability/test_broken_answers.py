"""Broken bodies, through every vendor facade: each is a typed dbcloud error, never raw, never data.

The kinds: a success without a body, a body that is not JSON, JSON nested 100,000 deep, a string
at the top, the other container at the top (a list where an object belongs, an object where a
list belongs), the wrong container inside the vendor's envelope, and a null payload. Each vendor's
calls that return data are driven through `httpx.MockTransport`, on the sync client and on its async
twin (the `flavour` fixture).

And the answers every vendor shares are read by the one response path, so they read alike: a
429's wait, a secret-named field of an error body, a credential a server echoes back.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

import dbcloud
from dbcloud._vendors import vendor_names
from tests._bridge import Flavour

from ._figures import Figures
from ._flavoured_mock import SERVICE, Facades, sync_figures

TOKEN = "broken-answers-token-3b9d"
KEY_ID = "broken-answers-key-id"
CLUSTER = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"

Wrap = Callable[[Any], Any]

FACADES = Facades(TOKEN, KEY_ID, max_retries=0)


@dataclass(frozen=True)
class Vendor:
    build: Callable[[Flavour, httpx.Client], Any]  # the client of a flavour over an httpx client
    # The vendor's success envelope around a payload (for a call answering through `field`).
    wrap: Callable[[Any, str], Any]
    # Facade calls that return data: name → (call, what the payload is: "list" or "object", field).
    calls: dict[str, tuple[Callable[[Any], Any], str, str]]


def _result(payload: Any, field: str) -> Any:
    return {"status": 200, "requestId": "req-1", "result": payload}


VENDORS: dict[str, Vendor] = {
    "acm": Vendor(
        FACADES.acm,
        lambda payload, field: {"data": payload, "error": None},
        {
            "environments.list": (lambda c: c.environments.list(), "list", ""),
            "environments.get": (lambda c: c.environments.get(1), "object", ""),
            "clusters.list": (lambda c: c.clusters.list(1), "list", ""),
            "clusters.get": (lambda c: c.clusters.get(7), "object", ""),
            "clusters.status": (lambda c: c.clusters.status(7), "object", ""),
            "keys.list": (lambda c: c.keys.list(), "object", ""),
        },
    ),
    "clickhouse": Vendor(
        FACADES.clickhouse,
        _result,
        {
            "services.list": (lambda c: c.services.list(), "list", ""),
            "services.get": (lambda c: c.services.get(SERVICE), "object", ""),
            "organizations.list": (lambda c: c.organizations.list(), "list", ""),
            "keys.list": (lambda c: c.keys.list(), "list", ""),
            "backups.list": (lambda c: c.backups.list(SERVICE), "list", ""),
        },
    ),
    "managed-clickstack": Vendor(
        FACADES.managed_clickstack,
        _result,
        {
            "dashboards.list": (lambda c: c.dashboards.list(), "list", ""),
            "dashboards.get": (lambda c: c.dashboards.get("d1"), "object", ""),
            "alerts.list": (lambda c: c.alerts.list(), "list", ""),
        },
    ),
    "clickstack": Vendor(
        FACADES.clickstack,
        lambda payload, field: {"data": payload},
        {
            "dashboards.list": (lambda c: c.dashboards.list(), "list", ""),
            "dashboards.get": (lambda c: c.dashboards.get("d1"), "object", ""),
            "sources.list": (lambda c: c.sources.list(), "list", ""),
        },
    ),
    "cockroach": Vendor(
        FACADES.cockroach,
        lambda payload, field: {field: payload} if field else payload,
        {
            "clusters.get": (lambda c: c.clusters.get(CLUSTER), "object", ""),
            "clusters.list": (lambda c: list(c.clusters.list()), "list", "clusters"),
            "clusters.nodes": (lambda c: list(c.clusters.nodes(CLUSTER)), "list", "nodes"),
        },
    ),
    "anywhere": Vendor(
        FACADES.anywhere,
        lambda payload, field: {"data": {field: payload}},
        {
            "aws.list": (lambda c: c.aws.list(), "list", "awsEnvs"),
            "aws.get": (lambda c: c.aws.get("prod"), "object", "awsEnv"),
            "aws.delete": (lambda c: c.aws.delete("prod"), "object", "deleteAWSEnv"),
        },
    ),
}


def test_every_registered_vendor_has_calls() -> None:
    # Managed ClickStack is a second facade of the clickstack vendor, not a vendor of its own.
    assert set(VENDORS) - {"managed-clickstack"} == set(vendor_names())


ITEM = {"id": "x1", "name": "n"}


def answering(answer: httpx.Response) -> httpx.Client:
    """An httpx client whose every request gets `answer` (its MockTransport serves either flavour)."""
    return httpx.Client(transport=httpx.MockTransport(lambda request: answer))


def broken_bodies(vendor: Vendor, shape: str, field: str) -> dict[str, httpx.Response]:
    """Every broken kind for one call, as the answer to send."""
    other = {"id": "x1"} if shape == "list" else [ITEM]
    # CockroachDB's list answers are pages: an object holding the list (absent or null when empty,
    # as proto3 JSON has it), so at their top the wrong container is a list, and null is the body.
    page = vendor.build == FACADES.cockroach and bool(field)
    null = (
        httpx.Response(200, content=b"null") if page else httpx.Response(200, json=vendor.wrap(None, field))
    )
    kinds = {
        "no body": httpx.Response(200),
        "not JSON": httpx.Response(200, text="<html><body>Sign in</body></html>"),
        "nested too deep": httpx.Response(200, text="[" * 100_000 + "]" * 100_000),
        "a string at the top": httpx.Response(200, json="surprise"),
        "the other container at the top": httpx.Response(200, json=[ITEM] if page else other),
        "the other container in the envelope": httpx.Response(200, json=vendor.wrap(other, field)),
        "a null payload": null,
    }
    if field == "" and vendor.build == FACADES.cockroach:
        # No envelope: the payload is the body, so the envelope kinds are the top-level ones.
        del kinds["the other container in the envelope"]
    if field == "awsEnv":
        # The API answers null for an unknown name: that is a NotFoundError by design (tested below).
        del kinds["a null payload"]
    return kinds


CASES = [(api, call) for api, vendor in VENDORS.items() for call in vendor.calls]


@pytest.mark.parametrize(("api", "call"), CASES, ids=[f"{a}-{c}" for a, c in CASES])
def test_every_broken_body_is_a_typed_error(api: str, call: str, flavour: Flavour, figures: Figures) -> None:
    vendor = VENDORS[api]
    run, shape, field = vendor.calls[call]
    returned, typed = [], []
    for kind, answer in broken_bodies(vendor, shape, field).items():
        client = vendor.build(flavour, answering(answer))
        try:
            value = run(client)
        except dbcloud.APIResponseError as exc:
            typed.append(str(exc))
            continue
        returned.append((kind, value))
    assert returned == [], f"returned as data: {returned}"
    assert [text for text in typed if TOKEN in text] == []
    sync_figures(figures, flavour).add(
        "broken bodies", api=api, call=call, kinds=len(typed), typed=len(typed), returned_as_data=0
    )


def test_anywhere_null_for_a_get_is_not_found(flavour: Flavour) -> None:
    client = FACADES.anywhere(flavour, answering(httpx.Response(200, json={"data": {"awsEnv": None}})))
    with pytest.raises(dbcloud.NotFoundError, match="'prod' not found"):
        client.aws.get("prod")


# --- what every vendor reads alike --------------------------------------------------------------


def first_call(api: str) -> Callable[[Any], Any]:
    return next(iter(VENDORS[api].calls.values()))[0]


def error_from(api: str, flavour: Flavour, answer: httpx.Response) -> dbcloud.APIStatusError:
    client = VENDORS[api].build(flavour, answering(answer))
    with pytest.raises(dbcloud.APIStatusError) as caught:
        first_call(api)(client)
    return caught.value


@pytest.mark.parametrize("api", VENDORS)
@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # a date already past
        ({"X-RateLimit-Reset": "12"}, 12.0),
        ({"Retry-After": "soon"}, None),
    ],
)
def test_a_429_says_how_long_to_wait_for_every_vendor(
    api: str, headers: dict[str, str], wait: float | None, flavour: Flavour
) -> None:
    error = error_from(api, flavour, httpx.Response(429, json={"message": "slow down"}, headers=headers))
    assert isinstance(error, dbcloud.RateLimitError)
    assert error.retry_after == wait


ECHOED_FIELDS = {
    "adminPass": "p4ss-echoed",
    "connectionString": "postgres://u:pw@h/db",
    "tokenExpiry": "2030-01-01",
    "keyId": "k-1",
}


@pytest.mark.parametrize("api", VENDORS)
def test_secret_fields_of_an_error_body_are_masked_alike_for_every_vendor(api: str, flavour: Flavour) -> None:
    error = error_from(
        api, flavour, httpx.Response(400, json={"message": "refused", "detail": ECHOED_FIELDS})
    )
    assert isinstance(error, dbcloud.BadRequestError)
    assert error.body["detail"] == {  # type: ignore[index]
        "adminPass": "********",
        "connectionString": "********",
        "tokenExpiry": "2030-01-01",
        "keyId": "k-1",
    }


def every_field(exc: BaseException) -> str:
    fields = [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
    return "\n".join([*fields, *(repr(value) for value in vars(exc).values())])


@pytest.mark.parametrize("api", VENDORS)
def test_an_echoed_credential_leaves_no_field_of_the_error_for_every_vendor(
    api: str, flavour: Flavour
) -> None:
    said = f"bad credential {TOKEN} ({json.dumps(TOKEN)})"
    body = {"message": said, "error": said, "errors": [{"message": said}], "status": 401}
    error = error_from(api, flavour, httpx.Response(401, json=body, headers={"X-Request-Id": f"rid-{TOKEN}"}))
    assert isinstance(error, dbcloud.AuthenticationError)
    seen = every_field(error)
    assert TOKEN not in seen
    assert "********" in seen


def test_a_secret_the_request_carried_is_masked_where_the_server_echoes_it(flavour: Flavour) -> None:
    # ACM takes the launch's admin password in the query string; a refusal that quotes it back
    # must not carry it into the exception.
    password = "Launch-pass-echoed-9f"
    answer = httpx.Response(400, json={"error": f"adminPass {password} is too weak"})
    client = FACADES.acm(flavour, answering(answer))
    with pytest.raises(dbcloud.BadRequestError) as caught:
        client.clusters.launch(
            1, name="c1", admin_pass=password, node_type="m5.large", nodes=1, replicas=1, size=10
        )
    assert password not in every_field(caught.value)
    assert "is too weak" in caught.value.message


def test_a_secret_field_of_the_request_body_is_masked_where_the_server_echoes_it(flavour: Flavour) -> None:
    digest = "c2VjcmV0LWRpZ2VzdC1lY2hvZWQ="
    answer = httpx.Response(
        400, json={"status": 400, "error": f"newPasswordHash {digest} is not base64 SHA-256"}
    )
    client = FACADES.clickhouse(flavour, answering(answer))
    with pytest.raises(dbcloud.BadRequestError) as caught:
        client.services.reset_password(SERVICE, new_password_hash=digest)
    assert digest not in every_field(caught.value)
    assert "is not base64 SHA-256" in caught.value.message
