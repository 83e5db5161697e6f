"""A secret a record holds is masked in the raw body the CLI prints, not only in the record.

A ClickStack webhook's `url` (a Slack or incident.io webhook URL is the credential to post there)
is a `Secret` on the `Webhook` record, and the answer kept at `.raw` has it in clear: the CLI prints
that body, so the key is masked there too.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from dbcloud._secret import MASK, Secret
from dbcloud.cli._output import _dataclass, to_data
from dbcloud.clickstack._records import Webhook
from dbcloud.cockroach._models import Node

from .conftest import Runner

HOOK_URL = "https://hooks.slack.com/services/T0000/B0000/not-for-your-eyes"


@pytest.fixture
def webhook(cli: Runner) -> Any:
    body = json.dumps({"name": "ops-alerts", "service": "slack", "url": HOOK_URL})
    made = cli("raw", "clickstack", "POST", "/api/v2/webhooks", "--data", body)
    assert made.code == 0, made.err
    hook = made.json()["data"]
    yield hook
    assert cli("raw", "clickstack", "DELETE", f"/api/v2/webhooks/{hook['id']}").code == 0


@pytest.mark.parametrize("fmt", ["json", "yaml", "table"])
def test_webhooks_list_does_not_print_the_url(cli: Runner, webhook: Any, fmt: str) -> None:
    listed = cli("clickstack", "webhooks", "list", "-o", fmt)
    assert listed.code == 0, listed.err
    assert webhook["id"] in listed.out
    assert "ops-alerts" in listed.out
    assert HOOK_URL not in listed.out + listed.err
    assert "hooks.slack.com" not in listed.out
    if fmt == "json":
        (row,) = [w for w in listed.json() if w["id"] == webhook["id"]]
        assert row["url"] == MASK
        assert (row["name"], row["service"]) == ("ops-alerts", "slack")


def test_webhooks_list_table_shows_the_mask_in_the_url_column(cli: Runner, webhook: Any) -> None:
    table = cli("clickstack", "webhooks", "list", "-o", "table").out
    (line,) = [line for line in table.splitlines() if webhook["id"] in line]
    assert MASK in line


def test_a_secret_field_masks_its_raw_key_in_either_spelling() -> None:
    raw = {"id": "w1", "name": "h", "url": HOOK_URL, "createdAt": "2024-05-01T00:00:00Z"}
    data = _dataclass(Webhook.from_api(raw))
    assert data == {"id": "w1", "name": "h", "url": MASK, "createdAt": "2024-05-01T00:00:00Z"}

    @dataclass(frozen=True)
    class Key:
        id: str
        key_secret: Secret | None = None
        signing_token: str = field(default="", repr=False)  # a credential kept as text
        note: str = field(default="", repr=False, compare=False)  # bookkeeping, not a secret
        raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    body = {
        "id": "k1",
        "keySecret": "s3cr3t",
        "key_secret": "s3cr3t",
        "signingToken": "t0k3n",
        "note": "kept",
        "other": "kept too",
    }
    shown = _dataclass(Key("k1", Secret("s3cr3t"), "t0k3n", "kept", body))
    assert shown == {
        "id": "k1",
        "keySecret": MASK,
        "key_secret": MASK,
        "signingToken": MASK,
        "note": "kept",
        "other": "kept too",
    }
    assert body["keySecret"] == "s3cr3t"  # the record's own raw body is left as it was


def test_a_record_without_secrets_prints_its_raw_body_as_is() -> None:
    raw = {"name": "n1", "region_name": "us-east1", "status": "LIVE", "url": "https://example.com"}
    assert to_data(Node.from_api(raw)) == raw
    assert not [f for f in dataclasses.fields(Node) if f.name == "url"]


def test_a_webhook_without_a_url_keeps_its_empty_one() -> None:
    assert _dataclass(Webhook.from_api({"id": "w2", "name": "h", "url": ""}))["url"] == ""
