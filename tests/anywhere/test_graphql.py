"""`execute` and the GraphQL protocol: request bodies, error mapping, what is retried."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from dbcloud import (
    APIConnectionError,
    APIResponseError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    ValidationError,
)
from dbcloud.anywhere import AltinityAnywhere
from dbcloud.anywhere._graphql import Definition, definitions, operation_kind

from ._support import TOKEN, Server, data, errors

Connect = Callable[..., tuple[AltinityAnywhere, Server]]

UNAVAILABLE = httpx.Response(503, headers={"Retry-After": "0"})


# --- requests ---------------------------------------------------------------------------------------


def test_execute_posts_query_variables_and_operation_name(connect: Connect) -> None:
    client, server = connect(data(awsEnv={"name": "prod"}))
    document = "query One($name: String!) { awsEnv(name: $name) { name } }"
    assert client.execute(document, {"name": "prod"}) == {"awsEnv": {"name": "prod"}}
    assert server.bodies == [{"query": document, "variables": {"name": "prod"}, "operationName": "One"}]


def test_execute_passes_the_chosen_operation_of_several(connect: Connect) -> None:
    client, server = connect(data(b=1))
    document = "query A { a } query B { b }"
    client.execute(document, operation_name="B")
    assert server.bodies[0] == {"query": document, "variables": {}, "operationName": "B"}


def test_execute_sends_null_operation_name_for_an_anonymous_document(connect: Connect) -> None:
    client, server = connect(data(a=1))
    client.execute("{ a }")
    assert server.bodies[0]["operationName"] is None


@pytest.mark.parametrize(
    ("document", "variables"), [("", None), ("   ", None), ("{ a }", ["not", "a", "map"])]
)
def test_execute_refuses_bad_arguments_before_sending(
    connect: Connect, document: str, variables: object
) -> None:
    client, server = connect()
    with pytest.raises(ValidationError):
        client.execute(document, variables)  # type: ignore[arg-type]
    assert server.requests == []


# --- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "error", "status"),
    [
        ("UNAUTHENTICATED", AuthenticationError, 401),
        ("FORBIDDEN", PermissionDeniedError, 403),
        ("NOT_FOUND", NotFoundError, 404),
        ("BAD_USER_INPUT", BadRequestError, 400),
        ("GRAPHQL_VALIDATION_FAILED", BadRequestError, 400),
        ("GRAPHQL_PARSE_FAILED", BadRequestError, 400),
        ("CONFLICT", ConflictError, 409),
        ("INTERNAL_SERVER_ERROR", InternalServerError, 500),
    ],
)
def test_graphql_error_codes_map_to_exceptions(
    connect: Connect, code: str, error: type[APIStatusError], status: int
) -> None:
    client, _ = connect(errors("it went wrong", code=code))
    with pytest.raises(error) as caught:
        client.execute("{ awsEnvs { name } }")
    assert caught.value.status_code == status
    assert "it went wrong" in str(caught.value)
    assert code in str(caught.value)


def test_every_error_message_is_kept(connect: Connect) -> None:
    body = {
        "errors": [
            {
                "message": "first problem",
                "path": ["createAWSEnv", "spec"],
                "extensions": {"code": "BAD_USER_INPUT"},
            },
            {"message": "second problem"},
        ],
        "data": None,
    }
    client, _ = connect(httpx.Response(200, json=body, headers={"X-Request-Id": "req-42"}))
    with pytest.raises(BadRequestError) as caught:
        client.execute("mutation { createAWSEnv(input: {}) { mutationId } }")
    error = caught.value
    assert "first problem" in str(error)
    assert "second problem" in str(error)
    assert "createAWSEnv.spec" in str(error)
    assert error.request_id == "req-42"
    assert error.method == "POST"
    assert error.url == "https://anywhere.altinity.cloud/api/v1/graphql"
    assert [e["message"] for e in error.body["errors"]] == ["first problem", "second problem"]
    assert error.body["errors"][0]["code"] == "BAD_USER_INPUT"


def test_an_error_with_an_unknown_code_keeps_the_http_status(connect: Connect) -> None:
    client, _ = connect(errors("odd", code="SOMETHING_NEW"))
    with pytest.raises(APIStatusError) as caught:
        client.execute("{ a }")
    assert type(caught.value) is APIStatusError
    assert caught.value.status_code == 200


def test_the_first_known_code_decides(connect: Connect) -> None:
    body = {
        "errors": [
            {"message": "a", "extensions": {"code": "WHATEVER"}},
            {"message": "b", "extensions": {"code": "FORBIDDEN"}},
        ]
    }
    client, _ = connect(httpx.Response(200, json=body))
    with pytest.raises(PermissionDeniedError):
        client.execute("{ a }")


def test_errors_win_over_partial_data(connect: Connect) -> None:
    body = {"data": {"a": 1, "b": None}, "errors": [{"message": "b failed", "path": ["b"]}]}
    client, _ = connect(httpx.Response(200, json=body))
    with pytest.raises(APIStatusError, match="b failed"):
        client.execute("{ a b }")


def test_graphql_errors_with_an_http_error_status_use_that_status(connect: Connect) -> None:
    client, _ = connect(errors("unknown field x", status=422))
    with pytest.raises(UnprocessableEntityError, match="unknown field x"):
        client.execute("{ x }")


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (500, InternalServerError),
    ],
)
def test_http_errors_map_through_the_status(
    connect: Connect, status: int, error: type[APIStatusError]
) -> None:
    client, _ = connect(httpx.Response(status, text="<html>nope</html>"))
    with pytest.raises(error) as caught:
        client.execute("{ a }")
    assert caught.value.status_code == status


def test_http_401_carries_the_server_message(connect: Connect) -> None:
    client, _ = connect(httpx.Response(401, json={"message": "invalid token"}))
    with pytest.raises(AuthenticationError, match="invalid token"):
        client.aws.list()


def test_rate_limit_after_retries_is_a_rate_limit_error(connect: Connect) -> None:
    client, server = connect(httpx.Response(429, headers={"Retry-After": "0"}))
    with pytest.raises(RateLimitError):
        client.execute("{ a }")
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, json=["not", "an", "answer"]),
        httpx.Response(200, json={"data": None}),
        httpx.Response(200, json={"something": "else"}),
    ],
    ids=["html", "list", "null-data", "no-data"],
)
def test_an_answer_that_is_not_graphql_is_a_response_error(connect: Connect, reply: httpx.Response) -> None:
    client, _ = connect(reply)
    with pytest.raises(APIResponseError):
        client.execute("{ a }")


def test_error_messages_never_show_the_token(connect: Connect) -> None:
    client, _ = connect(
        errors(f"bad token {TOKEN}", code="UNAUTHENTICATED"),
        httpx.Response(401, json={"message": f"Bearer {TOKEN} expired"}),
    )
    for _ in range(2):
        with pytest.raises(AuthenticationError) as caught:
            client.execute("{ a }")
        for text in (str(caught.value), repr(caught.value), repr(caught.value.body), caught.value.message):
            assert TOKEN not in text


def test_error_messages_mask_secret_looking_variables(connect: Connect) -> None:
    client, _ = connect(
        errors('invalid value "hc-secret-value" at input.spec.hcloudTokenEnc', code="BAD_USER_INPUT")
    )
    with pytest.raises(BadRequestError) as caught:
        client.execute(
            "mutation M($input: X!) { m(input: $input) }",
            {"input": {"spec": {"hcloudTokenEnc": "hc-secret-value"}}},
        )
    assert "hc-secret-value" not in str(caught.value)
    assert "hcloudTokenEnc" in str(caught.value)


def test_a_connection_failure_is_a_connection_error(connect: Connect) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client, server = connect(fail, max_retries=0)
    with pytest.raises(APIConnectionError):
        client.execute("{ a }")
    assert len(server.requests) == 1


# --- retries -----------------------------------------------------------------------------------------


def test_a_query_is_retried_on_503(connect: Connect) -> None:
    client, server = connect(UNAVAILABLE, UNAVAILABLE, data(awsEnvs=[]))
    assert client.aws.list() == []
    assert len(server.requests) == 3


def test_a_query_gives_up_after_max_retries(connect: Connect) -> None:
    client, server = connect(UNAVAILABLE, max_retries=1)
    with pytest.raises(InternalServerError) as caught:
        client.execute("query Q { awsEnvs { name } }")
    assert caught.value.status_code == 503
    assert len(server.requests) == 2


def test_a_mutation_is_never_retried(connect: Connect) -> None:
    client, server = connect(UNAVAILABLE, data(deleteAWSEnv={"mutationId": "m1", "pendingMFA": False}))
    with pytest.raises(InternalServerError):
        client.aws.delete("prod")
    assert len(server.requests) == 1


def test_a_raw_mutation_is_never_retried(connect: Connect) -> None:
    client, server = connect(UNAVAILABLE, data())
    with pytest.raises(InternalServerError):
        client.execute('mutation { deleteAWSEnv(input: {name: "prod"}) { mutationId } }')
    assert len(server.requests) == 1


def test_a_document_whose_operation_is_unclear_is_not_retried(connect: Connect) -> None:
    client, server = connect(UNAVAILABLE, data())
    with pytest.raises(InternalServerError):
        client.execute("query A { a } mutation B { b }")  # the server would refuse it; we do not guess
    assert len(server.requests) == 1


def test_only_queries_carry_the_retry_extension(connect: Connect) -> None:
    client, server = connect(data(awsEnvs=[]), data(deleteAWSEnv={"mutationId": "m", "pendingMFA": False}))
    client.aws.list()
    client.aws.delete("prod")
    query, mutation = server.requests
    assert query.extensions.get("dbcloud.retry_unsafe") is True
    assert "dbcloud.retry_unsafe" not in mutation.extensions


# --- reading documents -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "name", "kind"),
    [
        ("{ awsEnvs { name } }", None, "query"),
        ("query { a }", None, "query"),
        ('query Q($n: String = "mutation") @cached(ttl: 5) { a(n: $n) }', None, "query"),
        ("mutation M($input: X!) { create(input: $input) { id } }", None, "mutation"),
        ("# mutation in a comment\nquery Q { a }", None, "query"),
        ('"""mutation described"""\nquery Q { a(x: "{") }', None, "query"),
        ("subscription S { events }", None, "subscription"),
        ("query A { a } mutation B { b }", "A", "query"),
        ("query A { a } mutation B { b }", "B", "mutation"),
        ("query A { ...F } fragment F on Query { a }", None, "query"),
        ("mutation @audit { a }", None, "mutation"),
    ],
)
def test_operation_kind(document: str, name: str | None, kind: str) -> None:
    assert operation_kind(document, name) == kind


@pytest.mark.parametrize(
    ("document", "name"),
    [
        ("query A { a } mutation B { b }", None),  # which one?
        ("query A { a }", "B"),  # no such operation
        ("query A { a ", None),  # unbalanced
        ("query A { a } }", None),
        ("fragment F on Query { a }", None),  # no operation at all
        ("type Query { a: Int }", None),
    ],
)
def test_operation_kind_is_none_when_unclear(document: str, name: str | None) -> None:
    assert operation_kind(document, name) is None


def test_definitions_lists_every_top_level_definition() -> None:
    document = "query A { a } mutation B($x: [In!]) { b(x: $x) } fragment F on T { f } { c }"
    assert definitions(document) == (
        Definition("query", "A"),
        Definition("mutation", "B"),
        Definition("fragment", "F"),
        Definition("query", None),
    )


def test_every_generated_document_is_read_as_its_registered_kind() -> None:
    from dbcloud_anywhere_client.operations import OPERATIONS

    for field, operation in OPERATIONS.items():
        assert operation_kind(operation.document) == operation.kind, field
