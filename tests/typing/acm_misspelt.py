"""ACM: what mypy must refuse (each marked line), before anything could be sent."""

import dbcloud

acm = dbcloud.Altinity()
run = acm.clusters.launch
run(176, name="x", admin_pass="x", node_typ="m5", nodes=1, replicas=1, size=1)  # mypy-error: call-arg
run(176, name="x", admin_pass="x", nodes="2", replicas=1, size=1)  # mypy-error: arg-type
acm.clusters.list(env_id=176)  # mypy-error: call-arg
cluster = acm.clusters.get(1)
total = cluster.id + 1  # mypy-error: operator
name = acm.environments.get(176).nmae  # mypy-error: attr-defined
acm.clusters.rescale(1, shard=2)  # mypy-error: call-arg
acm.clusters.rescale(1, 2)  # mypy-error: call-arg
acm.clusters.upgrade(1, version=24.8)  # mypy-error: arg-type
