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

# Day 2: each verb gives the cluster's record; the stop waits for STOPPED.
grown: Cluster = acm.clusters.rescale(first.id, shards=2, node_type="m5.xlarge", wait=True)
print(grown.nodes, acm.clusters.upgrade(first.id, "24.8", wait=True).version)
if acm.clusters.stop(first.id, wait=True).state is dbcloud.ClusterState.STOPPED:
    acm.clusters.resume(first.id, wait=True)
acm.clusters.update(first.id, role="dev", mysql_port=9004)
print(acm.clusters.query(first.id, "SELECT 1", user="admin", password=dbcloud.Secret("pw")).text or "")
print([t.code for t in acm.node_types.list(176, scope="clickhouse") if (t.cpu or 0) >= 4])
for setting in acm.settings.list(first.id):
    print(setting.id, setting.name, setting.is_file)
acm.settings.set(first.id, "max_threads", "8")
acm.settings.push(first.id)
for backup in acm.backups.list(first.id):
    acm.backups.restore(first.id, tag=backup.tag or backup.id)
user = acm.database_users.create(first.id, "app", "pw", databases=["default"], networks=["::/0"])
acm.database_users.update(first.id, user.id, access_management=True)
acm.database_users.delete(first.id, user.name)
print([z.id for z in acm.zookeepers.list(176) if not z.dedicated])
