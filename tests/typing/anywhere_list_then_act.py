"""Altinity Anywhere: list, then act on each environment, as a user's script does."""

from dbcloud_anywhere_client import models

import dbcloud
from dbcloud.anywhere import Environment

anywhere = dbcloud.AltinityAnywhere()
for env in anywhere.aws.list():
    print(env.id.upper(), env.kind, env.state.is_ready, (env.spec_revision or 0) + 1)
    if env.spec is not None:
        print(env.spec.region, env.spec.aws_account_id.upper())
    if env.name.startswith("tmp-") and not env.pending_delete:
        anywhere.aws.delete(env.name, force=True)
    print([error.code for error in env.errors], env.model.status.applied_spec_revision + 1)
prod: Environment[models.K8SEnv, models.K8SEnvSpec] = anywhere.k8s.get("prod")
for k8s in anywhere.k8s.list(names=[prod.id]):
    print(k8s.name, anywhere.k8s.terraform(k8s.name))
made = anywhere.gcp.create("west", {"region": "us-east1"})
print(made.mutation_id, made.spec_revision + 1, anywhere.azure.get("west").state.value)
print(len(anywhere.gcp.list()), anywhere.azure.get("west").name)
