"""Reading raw specs: clear messages for every way a file can be unusable."""

from __future__ import annotations

import pytest
from dbcloud_codegen.documents import load_openapi, load_sdl
from dbcloud_codegen.errors import PipelineError

GOOD = b'{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {}}}'


@pytest.mark.parametrize("cut", [20, 45, len(GOOD) - 1])
def test_a_truncated_json_spec_is_called_truncated(cut: int) -> None:
    with pytest.raises(
        PipelineError, match=r"^spec\.json: not valid JSON at line 1 column \d+: the file ends early"
    ):
        load_openapi(GOOD[:cut], "spec.json")


def test_a_syntax_error_is_not_called_truncation() -> None:
    with pytest.raises(PipelineError) as caught:
        load_openapi(GOOD.replace(b'"paths"', b"paths"), "spec.json")
    assert "ends early" not in str(caught.value)
    assert "Expecting property name" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00", "not UTF-8 text"),
        (b"[1, 2]", "expected an OpenAPI object, got list"),
        (b'{"swagger": "2.0", "paths": {}}', "not an OpenAPI 3 document"),
        (b'{"openapi": "3.0.0"}', "has no `paths` object"),
        (
            b'{"data": null, "error": "token expired"}',
            "answered with an error instead of a spec: token expired",
        ),
    ],
)
def test_unusable_documents_say_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(PipelineError, match=message):
        load_openapi(data, "spec.json")


def test_a_wrapped_spec_is_unwrapped() -> None:
    doc = load_openapi(b'{"data": ' + GOOD + b', "error": null}', "spec.json")
    assert doc["openapi"] == "3.0.0"


def test_a_bad_yaml_spec_names_the_file() -> None:
    with pytest.raises(PipelineError, match=r"^spec\.yaml: not valid YAML"):
        load_openapi(b"openapi: 3.0.0\npaths: {\n", "spec.yaml", "yaml")


def test_bad_sdl_names_the_file_and_place() -> None:
    with pytest.raises(PipelineError, match=r"^schema\.graphql: not valid GraphQL SDL: .*line"):
        load_sdl(b"type Query {\n  a: Int\n", "schema.graphql")
