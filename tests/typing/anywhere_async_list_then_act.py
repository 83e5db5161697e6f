"""Altinity Anywhere, async: list, then act on each environment, as a user's script does."""

import asyncio

from dbcloud_anywhere_client import models

from dbcloud.anywhere import AsyncAltinityAnywhere, Environment


async def main() -> None:
    async with AsyncAltinityAnywhere() as anywhere:
        async for env in anywhere.aws.list():
            print(env.id.upper(), env.kind, env.state.is_ready, (env.spec_revision or 0) + 1)
            if env.spec is not None:
                print(env.spec.region, env.spec.aws_account_id.upper())
            if env.name.startswith("tmp-") and not env.pending_delete:
                gone: models.DeleteAWSEnvResult = await anywhere.aws.delete(env.name, force=True)
                print(gone.mutation_id)
            print([error.code for error in env.errors], env.model.status.applied_spec_revision + 1)
        prod: Environment[models.K8SEnv, models.K8SEnvSpec] = await anywhere.k8s.get("prod")
        async for k8s in anywhere.k8s.list(names=[prod.id]):
            print(k8s.name, (await anywhere.k8s.terraform(k8s.name)).strip())
        made = await anywhere.gcp.create("west", {"region": "us-east1"})
        print(made.mutation_id, made.spec_revision + 1, (await anywhere.azure.get("west")).state.value)
        every: list[Environment[models.GCPEnv, models.GCPEnvSpec]] = await anywhere.gcp.list()
        async for page in anywhere.gcp.list().pages():
            print(page.number, len(page), [e.name for e in page])
        found = await asyncio.gather(*(anywhere.gcp.get(e.name) for e in every))
        data = await anywhere.execute("{ awsEnvs { name } }")
        print([e.name for e in found], await anywhere.gcp.list().total(), data["awsEnvs"])
        print(await anywhere.api.awsEnvs(filter={"names": ["prod"]}))


asyncio.run(main())
