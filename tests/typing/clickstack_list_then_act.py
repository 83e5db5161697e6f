"""ClickStack (OSS or managed): list, then act on each id, as a user's script does."""

import dbcloud
from dbcloud.clickstack import Alert

stack = dbcloud.ClickStack()
for dashboard in stack.dashboards.list():
    print(dashboard.id.upper(), dashboard.name, [tile.name for tile in dashboard.tiles])
    if dashboard.name.startswith("tmp-"):
        stack.dashboards.delete(dashboard.id)
for alert in stack.alerts.list():
    print(alert.id, alert.state, alert.threshold, alert.interval)
for source in stack.sources.list():
    print(source.id, source.kind, source.table)
hooks = [hook.id for hook in stack.webhooks.list()]
made = stack.dashboards.create(name="typed", tiles=[], tags=["prod"])
first: Alert = stack.alerts.create(
    dashboard_id=made.id,
    tile_id="t1",
    threshold=100,
    interval="1h",
    source="tile",
    threshold_type="above",
    channel={"type": "webhook", "webhookId": hooks[0]},
)
stack.alerts.update(first.id, threshold=50, interval="5m", threshold_type="below", channel=first.channel)
managed = dbcloud.ClickStack.managed("org-id", "service-id")
print(len(managed.alerts.list()), stack.alerts.get(first.id).name)
