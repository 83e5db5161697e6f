"""One ClickHouse Cloud call imports only what it needs, not the 1,000+ generated models."""

from __future__ import annotations

import json
import subprocess
import sys

_ONE_CALL = """
import json, sys, time, httpx, dbcloud
ORG, SVC = "0b1c2d3e-4f50-4617-8a9b-0c1d2e3f4a5b", "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"
def server(request):
    result = {"id": SVC, "name": "s", "state": "running", "autoscalingMode": "vertical", "currentScaling": {}}
    return httpx.Response(200, json={"status": 200, "requestId": ORG, "result": result})
ch = dbcloud.ClickHouseCloud(key_id="k", key_secret="s", org_id=ORG, base_url="https://ch.test",
                             http_client=httpx.Client(transport=httpx.MockTransport(server)))
before = set(sys.modules)
started = time.perf_counter()
assert ch.services.get(SVC).name == "s"
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "new": sorted(set(sys.modules) - before)}))
"""


def test_services_get_imports_its_operation_and_few_models() -> None:
    out = subprocess.run([sys.executable, "-c", _ONE_CALL], capture_output=True, text=True, check=True)
    report = json.loads(out.stdout.splitlines()[-1])
    generated = [m for m in report["new"] if m.startswith("dbcloud_")]
    operations = [m for m in generated if ".api." in m]
    models = [m for m in generated if ".models." in m]
    assert all(m.startswith("dbcloud_clickhouse_client") for m in generated)
    assert operations == [
        "dbcloud_clickhouse_client.api.service",
        "dbcloud_clickhouse_client.api.service.instance_get",
    ]
    # The operation's three envelope models, Service and the models it nests: not all 1,000+.
    assert 0 < len(models) < 40
    assert "dbcloud.clickstack" not in report["new"]


def test_import_dbcloud_imports_no_clickhouse_code() -> None:
    code = "import json, sys, dbcloud; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = json.loads(out.stdout)
    assert not [m for m in modules if m.startswith(("dbcloud.clickhouse", "dbcloud.clickstack", "dbcloud_"))]
