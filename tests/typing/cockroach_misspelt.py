"""CockroachDB Cloud: what mypy must refuse (each marked line)."""

import dbcloud

crdb = dbcloud.CockroachCloud()
crdb.clusters.create_serverless("x", region=["us-central1"])  # mypy-error: call-arg
crdb.clusters.list(pagesize=10)  # mypy-error: call-arg
crdb.clusters.update("id", delete_protection="yes")  # mypy-error: arg-type
size = crdb.clusters.get("id").name + 1  # mypy-error: operator
