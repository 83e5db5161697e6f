"""Emulated Altinity.Cloud Anywhere: the GraphQL API at `/anywhere/api/v1/graphql`.

There is no route table for GraphQL, and no GraphQL library at runtime (the `emulator` extra is
only uvicorn). The emulator reads just the GraphQL it needs: operations with variables, fields,
aliases, arguments (variables or literals) and `__typename`; fragments and directives are refused
as GRAPHQL_VALIDATION_FAILED, naming the limitation. The schema it answers to is the
generated client's: each root field's arguments are read from its document in
`dbcloud_anywhere_client.operations`, every type from the dataclasses of `models`, and answers are
built with those models and the generated codec. So the facade's generated documents, and any
document selecting less of the same fields, are answered exactly as selected.

State: environments of the six kinds (AWS, Altinity-hosted AWS, Azure, GCP, HCloud, Kubernetes),
created, listed, looked up, updated (MERGE or REPLACE), deleted, and described as Terraform code.
Their status follows the emulated clock: `appliedSpecRevision` catches up with `specRevision`
`PROVISION_SECONDS` after a create and `UPDATE_SECONDS` after an update; `fail_next_launch` makes
the next create end with an error in its status instead.

How errors are answered (the vendor documents none of this; the GraphQL-over-HTTP rules for
`application/json` answers are followed, and each choice is one the facade maps):

- a missing or wrong `Authorization: Bearer` token: HTTP 401 with `UNAUTHENTICATED` (a token check
  in front of the GraphQL handler, as bearer-token middleware does);
- a body that is not a GraphQL request (not JSON, no `query`, ...), a method other than POST, an
  unknown path: HTTP 400 / 405 / 404, with a GraphQL `errors` list;
- a document that does not parse (`GRAPHQL_PARSE_FAILED`) or does not fit the schema
  (`GRAPHQL_VALIDATION_FAILED`), variables that do not fit their types (`BAD_USER_INPUT`): HTTP 200,
  no `data` (the request never ran);
- errors while running a field (`NOT_FOUND`, `CONFLICT`, `BAD_USER_INPUT`): HTTP 200, `data: null`
  (every root field but the look-ups is non-null), with the field's `path`.
"""

from ._service import GRAPHQL_PATH, EmulatedAnywhere
from ._state import DELETE_SECONDS, PROVISION_SECONDS, UPDATE_SECONDS

__all__ = ["DELETE_SECONDS", "GRAPHQL_PATH", "PROVISION_SECONDS", "UPDATE_SECONDS", "EmulatedAnywhere"]
