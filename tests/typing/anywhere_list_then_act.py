"""Altinity Anywhere: list, then act on each environment, as a user's script does."""

import dbcloud

anywhere = dbcloud.AltinityAnywhere()
for env in anywhere.aws.list():
    print(env.name.upper(), env.spec_revision + 1, env.spec.region)
    if env.name.startswith("tmp-"):
        anywhere.aws.delete(env.name, force=True)
for k8s in anywhere.k8s.list(names=["prod"]):
    print(k8s.name, anywhere.k8s.terraform(k8s.name))
print(len(anywhere.gcp.list()), anywhere.azure.get("west").name)
