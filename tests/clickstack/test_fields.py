"""The methods that send a request body name every field of both deployments' generated request
models as a typed, keyword-only argument (a misspelt keyword is a type error:
tests/typing/clickstack_misspelt.py), send each under the API's own name, and leave out a field
given as None."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

import dbcloud
from dbcloud.clickstack._alerts import Alerts
from dbcloud.clickstack._dashboards import Dashboards
from dbcloud.clickstack._flavors import MANAGED, OSS

from .conftest import ALERT, DASHBOARD, FakeStack, body

ACTIONS = ["dashboards.create", "dashboards.update", "alerts.create", "alerts.update"]
REQUIRED = {"dashboards": {"name", "tiles"}, "alerts": {"threshold", "interval", "threshold_type"}}


def _fields(flavor: Any, action: str) -> dict[str, str]:
    """attribute name → the API's name, of every field of the flavour's request model."""
    table = flavor.request_model(action)._dbcloud_fields.fields
    return {attr: wire for attr, wire, _, _ in table}


def _parameters(action: str) -> dict[str, inspect.Parameter]:
    resource, verb = action.split(".")
    # The flow behind the `@call` method (the class attribute is the descriptor binding it).
    method = getattr(Alerts if resource == "alerts" else Dashboards, verb).flow
    return {n: p for n, p in inspect.signature(method).parameters.items() if n != "self"}


@pytest.mark.parametrize("action", ACTIONS)
def test_every_field_of_both_request_models_is_a_keyword_only_argument(action: str) -> None:
    parameters = _parameters(action)
    positional = [n for n, p in parameters.items() if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional == (
        ["dashboard_id" if action.startswith("d") else "alert_id"] if "update" in action else []
    )
    keywords = {n: p for n, p in parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
    # Exactly the union of the two models' fields: OSS alerts add `channels`, nothing else differs.
    assert set(keywords) == set(_fields(OSS, action)) | set(_fields(MANAGED, action))
    assert set(_fields(MANAGED, action)) <= set(_fields(OSS, action))
    for name, parameter in keywords.items():
        assert parameter.annotation not in ("Any", inspect.Parameter.empty), name  # typed
        required = name in REQUIRED[action.partition(".")[0]]
        assert (parameter.default is inspect.Parameter.empty) == required, name
        if not required:
            assert parameter.default is None, name


@pytest.mark.parametrize("action", ACTIONS)
def test_each_field_goes_out_under_the_api_name_and_none_is_not_sent(
    stack: dbcloud.ClickStack, fake: FakeStack, action: str
) -> None:
    resource, verb = action.split(".")
    flavor = MANAGED if fake.mode == "managed" else OSS
    wire = _fields(flavor, action)
    if resource == "alerts":
        given: dict[str, Any] = {
            "threshold": 5,
            "interval": "5m",
            "threshold_type": "above",
            "channel": ALERT["channel"],
            "group_by": "ServiceName",
            "note": "n",
            "num_consecutive_windows": 2,
            "schedule_offset_minutes": 1,
        }
        answer, path = ALERT, f"/alerts/{ALERT['id']}" if verb == "update" else "/alerts"
        unset: dict[str, Any] = {"message": None, "tile_id": None}
    else:
        given = {
            "name": "d",
            "tiles": [],
            "tags": ["a"],
            "saved_query": "q",
            "saved_query_language": "lucene",
        }
        answer, path = DASHBOARD, f"/dashboards/{DASHBOARD['id']}" if verb == "update" else "/dashboards"
        unset = {"filters": None, "containers": None}
    fake.on("PUT" if verb == "update" else "POST", path, answer)
    ids = (answer["id"],) if verb == "update" else ()
    getattr(getattr(stack, resource), verb)(*ids, **given, **unset)
    assert body(fake.last) == {wire[name]: value for name, value in given.items()}
