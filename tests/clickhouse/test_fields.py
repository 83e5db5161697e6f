"""The methods that send a request body name every field of its generated request model as a typed,
keyword-only argument: a misspelt keyword is a type error (tests/typing/clickhouse_misspelt.py), a
field left None is not sent, and a field given goes out under the API's own name."""

from __future__ import annotations

import datetime as dt
import enum
import importlib
import inspect
from dataclasses import dataclass
from typing import Any

import pytest

import dbcloud
from tests._bridge import Blocking

from .conftest import INVITATION, KEY, ORG, ORGANIZATION, SVC, USER, FakeCloud, body, service

ORG_PATH = f"/v1/organizations/{ORG}"
ROLE = "7e57ab1e-0000-4000-8000-000000000001"
API_KEY = {"id": KEY, "name": "ci", "state": "enabled"}


@dataclass(frozen=True)
class Sender:
    method: str  # "resource.verb"
    model: str  # the generated request model's module
    ids: tuple[str, ...]  # the positional ids
    required: dict[str, Any]  # the keywords without a default
    http: tuple[str, str]
    answer: Any

    def __str__(self) -> str:
        return self.method


SENDERS = [
    Sender(
        "services.create",
        "service_post_request",
        (),
        {"name": "analytics", "provider": "aws", "region": "us-east-1"},
        ("POST", f"{ORG_PATH}/services"),
        {"service": service("provisioning"), "password": "pw"},
    ),
    Sender(
        "services.update",
        "service_patch_request",
        (SVC,),
        {},
        ("PATCH", f"{ORG_PATH}/services/{SVC}"),
        service(),
    ),
    Sender(
        "services.set_scaling",
        "service_scaling_patch_request",
        (SVC,),
        {},
        ("PATCH", f"{ORG_PATH}/services/{SVC}/scaling"),
        service(),
    ),
    Sender(
        "keys.create",
        "api_key_post_request",
        (),
        {"name": "ci"},
        ("POST", f"{ORG_PATH}/keys"),
        {"key": API_KEY, "keyId": "kid", "keySecret": "ksecret"},
    ),
    Sender("keys.update", "api_key_patch_request", (KEY,), {}, ("PATCH", f"{ORG_PATH}/keys/{KEY}"), API_KEY),
    Sender(
        "members.update",
        "member_patch_request",
        (USER,),
        {},
        ("PATCH", f"{ORG_PATH}/members/{USER}"),
        {"userId": USER, "name": "Ada", "role": "admin"},
    ),
    Sender(
        "invitations.create",
        "invitation_post_request",
        (),
        {"email": "bob@example.com"},
        ("POST", f"{ORG_PATH}/invitations"),
        {"id": INVITATION, "email": "bob@example.com"},
    ),
    Sender("organizations.update", "organization_patch_request", (), {}, ("PATCH", ORG_PATH), ORGANIZATION),
]


def _model(sender: Sender) -> Any:
    name = "".join(part.title() for part in sender.model.split("_"))
    return getattr(importlib.import_module(f"dbcloud_clickhouse_client.models.{sender.model}"), name)


def _fields(sender: Sender) -> dict[str, tuple[str, Any]]:
    """attribute name → (the API's name, the reader's kind) of the model's every field."""
    return {attr: (wire, kind) for attr, wire, _, kind in _model(sender)._dbcloud_fields.fields}


def _method(ch: dbcloud.ClickHouseCloud, sender: Sender) -> Any:
    resource, verb = sender.method.split(".")
    return getattr(getattr(ch, resource), verb)


def _signature(ch: dbcloud.ClickHouseCloud, sender: Sender) -> inspect.Signature:
    """The method's signature, as `help()` shows it: the async client's own method, not the
    stand-in `Blocking` puts around it (which forwards whatever it is given)."""
    client = ch.target if isinstance(ch, Blocking) else ch
    return inspect.signature(_method(client, sender))


def _sample(kind: Any) -> Any:
    """A value the field takes, or None for a nested object (those have tests of their own)."""
    plain = {"str": "x", "int": 3, "float": 8.0, "bool": True, "uuid": ROLE}
    if kind in plain:
        return plain[kind]
    if kind == "datetime":
        return dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    if kind[0] == "enum":
        choices: type[enum.Enum] = getattr(
            importlib.import_module("dbcloud_clickhouse_client.models"), kind[1]
        )
        return next(iter(choices)).value
    if kind[0] == "list" and kind[1] in plain:
        return [plain[kind[1]]]
    return None


@pytest.mark.parametrize("sender", SENDERS, ids=str)
def test_every_field_of_the_request_model_is_a_keyword_only_argument(
    ch: dbcloud.ClickHouseCloud, sender: Sender
) -> None:
    parameters = _signature(ch, sender).parameters
    keywords = {name for name, p in parameters.items() if p.kind is p.KEYWORD_ONLY}
    assert keywords == set(_fields(sender))
    # Before them, only the ids of what is changed (the organization's is optional: the client's).
    assert all(name.endswith("_id") for name in set(parameters) - keywords)
    assert {name for name in keywords if parameters[name].default is not None} == set(sender.required)


@pytest.mark.parametrize("sender", SENDERS, ids=str)
def test_a_field_given_goes_under_the_api_name_and_none_is_not_sent(
    ch: dbcloud.ClickHouseCloud, fake: FakeCloud, sender: Sender
) -> None:
    from dbcloud.clickhouse._body import to_json

    fields = _fields(sender)
    samples = {attr: _sample(kind) for attr, (_, kind) in fields.items() if attr not in sender.required}
    given = {attr: value for attr, value in samples.items() if value is not None}
    assert given, "every request has a plain field to send"
    fake.on(*sender.http, sender.answer)

    _method(ch, sender)(*sender.ids, **sender.required, **given)
    sent = body(fake.last)
    wanted = {fields[attr][0]: to_json(value) for attr, value in {**sender.required, **given}.items()}
    assert sent == wanted

    # Every other field left None: only the one given (and the required ones) is sent.
    first = next(iter(given))
    only = {**sender.required, first: given[first]}
    _method(ch, sender)(*sender.ids, **{**dict.fromkeys(samples), **only})
    assert body(fake.last) == {fields[attr][0]: to_json(value) for attr, value in only.items()}
