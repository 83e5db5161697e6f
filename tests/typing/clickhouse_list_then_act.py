"""ClickHouse Cloud: list, then act on each id, as a user's script does."""

import dbcloud
from dbcloud.clickhouse import Service

cloud = dbcloud.ClickHouseCloud()
for org in cloud.organizations.list():
    print(org.id.upper(), org.name)
for service in cloud.services.list():
    print(service.id.upper(), service.name, service.state.is_ready, service.status or "-")
    for endpoint in service.endpoints:
        print(endpoint.protocol, endpoint.host, endpoint.port)
    for entry in service.ip_access_list:
        print(entry.source or "-", entry.description or "")
    for backup in cloud.backups.list(service.id):
        print(backup.id, backup.status, backup.size_bytes)
    if service.name.startswith("tmp-"):
        cloud.services.stop(service.id)
        cloud.services.wait_until(service.id, dbcloud.ClusterState.STOPPED)
        cloud.services.delete(service.id, wait=True)
new = cloud.services.create(
    name="typed", provider="aws", region="us-east-1", min_replica_memory_gb=8, idle_scaling=True
)
made: Service = cloud.services.wait_until_ready(new.id)
cloud.services.update(made.id, name="typed-2", release_channel="fast")
cloud.services.set_scaling(made.id, num_replicas=3, max_total_memory_gb=96, idle_timeout_minutes=7.5)
for key in cloud.keys.list():
    print(key.id, key.name, key.state, key.expire_at)
for member in cloud.members.list():
    cloud.members.update(member.id, role="developer")
for invitation in cloud.invitations.list():
    cloud.invitations.delete(invitation.id)
for activity in cloud.activities.list():
    print(activity.id, activity.type, activity.created_at)
print(made.model.ip_access_list)

# Any operation of the spec through the generated client, ids as the records hold them (text).
from dbcloud_clickhouse_client.api.service import instance_get  # noqa: E402

detailed = instance_get.sync_detailed(cloud.org_id, made.id, client=cloud.api)  # errors raise
print(detailed.status_code, detailed.parsed)
