"""Altinity Anywhere: what mypy must refuse (each marked line)."""

import dbcloud

anywhere = dbcloud.AltinityAnywhere()
anywhere.aws.list(name=["prod"])  # mypy-error: call-arg
anywhere.aws.delete("prod", forse=True)  # mypy-error: call-arg
count = anywhere.aws.get("prod").spec_revision + "1"  # mypy-error: operator
region = anywhere.aws.get("prod").spec.region  # mypy-error: union-attr
zones = anywhere.gcp.get("prod").model.spec.zonez  # mypy-error: attr-defined
anywhere.aws.update("prod", {}, update_strategy="merge")  # mypy-error: arg-type
