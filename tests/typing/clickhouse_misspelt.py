"""ClickHouse Cloud: what mypy must refuse (each marked line)."""

import dbcloud

cloud = dbcloud.ClickHouseCloud()
cloud.services.create(name="x", provider="aws", region="r", ip_acess_list=[])  # mypy-error: call-arg
cloud.services.set_scaling("id", num_replica=3)  # mypy-error: call-arg
cloud.services.update("id", enable_core_dumps="yes")  # mypy-error: arg-type
upper = cloud.services.get("id").state.uper()  # mypy-error: attr-defined
print(cloud.services.get("id").ip_access_list[0].cidr)  # mypy-error: attr-defined
