"""`import dbcloud` stays cheap: vendor clients and generated code load on first use."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after(code: str) -> list[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return list(json.loads(result.stdout.splitlines()[-1]))


def test_import_dbcloud_imports_no_vendor_or_generated_code() -> None:
    modules = loaded_after("import dbcloud")
    assert [m for m in modules if m.startswith("dbcloud_")] == []
    assert [m for m in modules if m.startswith(("dbcloud.altinity", "dbcloud.anywhere"))] == []
    assert "jmespath" not in modules  # --query imports it when given


def test_one_acm_call_imports_only_what_it_needs() -> None:
    code = """
import httpx, dbcloud
def server(request):
    return httpx.Response(200, json={"data": [{"id": "1", "name": "e"}], "error": None})
http = httpx.Client(transport=httpx.MockTransport(server))
acm = dbcloud.Altinity(token="t", base_url="https://acm.test/api", http_client=http)
assert acm.environments.list()[0].id == "1"
"""
    generated = [m for m in loaded_after(code) if m.startswith("dbcloud_")]
    operations = [m for m in generated if ".api." in m]
    models = [m for m in generated if ".models." in m]
    assert [m for m in generated if not m.startswith("dbcloud_acm_client")] == []
    assert operations == [
        "dbcloud_acm_client.api.environments",
        "dbcloud_acm_client.api.environments.get_environments",
    ]
    # The operation's response model, the Environment model and the ones it nests; not all 131.
    assert 0 < len(models) < 20
