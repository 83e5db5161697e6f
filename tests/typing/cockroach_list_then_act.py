"""CockroachDB Cloud: list, then act on each id, as a user's script does."""

import dbcloud
from dbcloud.cockroach import Cluster

crdb = dbcloud.CockroachCloud()
for cluster in crdb.clusters.list(show_inactive=False, page_size=50):
    print(cluster.id.upper(), cluster.name, cluster.state.is_ready, cluster.plan or "-")
    for node in crdb.clusters.nodes(cluster.id):
        print(node.id, node.name, node.live, node.model.region_name)
    if cluster.name.startswith("tmp-"):
        crdb.clusters.delete(cluster.id)
        crdb.clusters.wait_until_deleted(cluster.id, timeout=600)

made: Cluster = crdb.clusters.create_serverless("typed-moose", regions=["us-central1"])
ready = crdb.clusters.wait_until_ready(made.id)
crdb.clusters.update(ready.id, labels={"team": "data"}, delete_protection=True)
for page in crdb.clusters.list().pages():
    print(page.number, len(page), [c.name for c in page])
for region in crdb.clusters.available_regions("GCP", serverless=True):
    print(region.id, region.distance, region.model.location, region.raw.get("name"))
print(ready.model.cockroach_version, len(crdb.clusters.list()))
