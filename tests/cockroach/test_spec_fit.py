"""The facade against the generated client: known request keys, operations, lazy and few imports."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import attrs
import pytest

from dbcloud.cockroach import _bodies, _crdb


@pytest.mark.parametrize(
    ("schema", "keys"),
    [*_bodies.CREATE_KEYS.items(), *_bodies.UPDATE_KEYS.items()],
)
def test_known_request_keys_match_the_generated_models(schema: str, keys: frozenset[str]) -> None:
    models = importlib.import_module("dbcloud_cockroach_client.models")
    fields = {field.name for field in attrs.fields(getattr(models, schema))} - {"additional_properties"}
    assert fields == keys


def test_every_operation_the_facade_names_exists() -> None:
    for operation in _crdb._PERMISSIONS:
        module = importlib.import_module(f"dbcloud_cockroach_client.api.{operation}")
        assert callable(module._get_kwargs)


_PROBE = """
import json, sys, time
import httpx
import dbcloud
after_import = sorted(m for m in sys.modules if m.startswith(("dbcloud_", "dbcloud.cockroach")))
def server(request):
    return httpx.Response(200, json={"id": "c1", "name": "notorious-moose", "state": "CREATED"})
crdb = dbcloud.CockroachCloud(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(server)))
crdb.clusters.get("c1")
generated = sorted(m for m in sys.modules if m.startswith("dbcloud_cockroach_client"))
print(json.dumps({"after_import": after_import, "generated": generated}))
"""


def test_import_is_lazy_and_one_get_imports_few_generated_modules() -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    report = json.loads(result.stdout)
    assert report["after_import"] == []  # `import dbcloud` loads neither the facade nor generated code
    assert len(report["generated"]) <= 25, report["generated"]
    assert not any(".models.create_" in m or ".models.list_" in m for m in report["generated"])
