"""Helpers for the reliability tests that run every facade over a MockTransport on both flavours."""

from __future__ import annotations

from typing import Any

import httpx

import dbcloud
from tests._bridge import Flavour

from ._figures import Figures

__all__ = ["ORG", "SERVICE", "Facades", "sync_figures"]

ORG = "9e1a4c42-0f6c-4b3c-9a57-1f6f1e7d9b11"
SERVICE = "4f2b8c1e-6a4d-4e7f-8b9c-0d1e2f3a4b5c"


class Facades:
    """Every facade (ClickStack's two included) with one credential, as the sync client or its
    async twin (`flavour.twin`) over a test's `httpx.Client`: `secret` is the token, API key or key
    secret, `key_id` the id of a key pair; `settings` go to every client (`max_retries=0`, ...).
    One method per facade; `of(name, ...)` picks it by the facade's name."""

    def __init__(self, secret: str, key_id: str, **settings: Any) -> None:
        self.secret = secret
        self.key_id = key_id
        self.settings = settings

    def of(self, name: str, flavour: Flavour, http: httpx.Client) -> Any:
        return getattr(self, name.replace("-", "_"))(flavour, http)

    def acm(self, flavour: Flavour, http: httpx.Client) -> Any:
        return flavour.twin(dbcloud.Altinity)(
            token=self.secret, base_url="https://acm.example.com/api", http_client=http, **self.settings
        )

    def anywhere(self, flavour: Flavour, http: httpx.Client) -> Any:
        return flavour.twin(dbcloud.AltinityAnywhere)(
            token=self.secret, base_url="https://anywhere.example.com", http_client=http, **self.settings
        )

    def clickhouse(self, flavour: Flavour, http: httpx.Client) -> Any:
        return flavour.twin(dbcloud.ClickHouseCloud)(
            key_id=self.key_id,
            key_secret=self.secret,
            org_id=ORG,
            base_url="https://ch.example.com",
            http_client=http,
            **self.settings,
        )

    def managed_clickstack(self, flavour: Flavour, http: httpx.Client) -> Any:
        return flavour.twin(dbcloud.ClickStack).managed(
            ORG,
            SERVICE,
            key_id=self.key_id,
            key_secret=self.secret,
            base_url="https://ch.example.com",
            http_client=http,
            **self.settings,
        )

    def clickstack(self, flavour: Flavour, http: httpx.Client) -> Any:
        return flavour.twin(dbcloud.ClickStack)(
            endpoint="https://stack.example.com", api_key=self.secret, http_client=http, **self.settings
        )

    def cockroach(self, flavour: Flavour, http: httpx.Client) -> Any:
        return flavour.twin(dbcloud.CockroachCloud)(
            api_key=self.secret, base_url="https://crdb.example.com", http_client=http, **self.settings
        )


def sync_figures(figures: Figures, flavour: Flavour) -> Figures:
    """`figures` on the sync flavour, a throwaway collector on the async one: the README's tables
    count each case once, so a test recording figures records them from one flavour only (both
    flavours still meet every assertion)."""
    return figures if not flavour.is_async else Figures()
