"""ACM: list, then act on each id, as a user's script does."""

import datetime as dt

import dbcloud
from dbcloud.altinity import Cluster

acm = dbcloud.Altinity()
for env in acm.environments.list():
    print(env.id.upper(), env.display_name or env.name, env.domain or "-")
    for cluster in acm.clusters.list(env.id):
        status = acm.clusters.status(cluster.id)
        if status.ready and cluster.state is dbcloud.ClusterState.RUNNING:
            print(cluster.name, cluster.nodes, cluster.endpoint)
        if cluster.name.startswith("tmp-"):
            acm.clusters.delete(cluster.id)
            acm.clusters.wait_until_deleted(cluster.id, timeout=600)

first: Cluster = acm.clusters.launch(
    acm.environments.list()[0].id,
    name="typed",
    admin_pass="x",
    node_type="m5.large",
    nodes=2,
    replicas=2,
    size=100,
    zone_awareness=True,
    azlist=["us-east-1a"],
    annotations={"team": "data"},
)
ready = acm.clusters.wait_until_ready(first.id)
print(ready.cluster_id, ready.describe(), first.model.endpoint)
pages = acm.clusters.list(176).pages()
print(sum(len(page) for page in pages))
key = acm.keys.create(expires_in=dt.timedelta(hours=1))
print(key.fingerprint, [k.expires for k in acm.keys.list()])
acm.keys.delete(key)
