"""ClickHouse Cloud: what mypy must refuse (each marked line)."""

import dbcloud

cloud = dbcloud.ClickHouseCloud()
cloud.services.create(name="x", provider="aws", region="r", ip_acess_list=[])  # mypy-error: call-arg
cloud.services.set_scaling("id", num_replica=3)  # mypy-error: call-arg
cloud.services.update("id", enable_core_dumps="yes")  # mypy-error: arg-type
upper = cloud.services.get("id").state.uper()  # mypy-error: attr-defined
print(cloud.services.get("id").ip_access_list[0].cidr)  # mypy-error: attr-defined
cloud.backup_configuration.update("id", backup_period_hour=12)  # mypy-error: call-arg
cloud.query_endpoints.upsert("id", roles=["sql_console_admin"], origins="x")  # mypy-error: call-arg
cloud.usage("2025-01-01", "2025-01-31", filter=["tag:env=prod"])  # mypy-error: call-arg
print(cloud.usage("2025-01-01", "2025-01-31").grand_total)  # mypy-error: attr-defined
