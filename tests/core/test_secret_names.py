"""One rule says which names hold a secret: the pipeline's, asked by URLs, exceptions and the CLI alike."""

from __future__ import annotations

import pytest

from dbcloud._http import redact_url
from dbcloud._secret_names import is_secret_name, is_secret_param, secret_values, without_secret_fields
from dbcloud.cli._output import to_data

SECRET = ["adminPass", "keySecret", "awsSecretKey", "newPasswordHash", "connectionString", "hcloudTokenEnc"]
NOT_SECRET = ["tokenExpiry", "keyId", "passwordType", "hasPassword", "sortingKey", "name"]


def test_the_pipeline_decides_with_the_same_rule() -> None:
    from dbcloud_codegen import secret_fields

    assert secret_fields.is_secret_name is is_secret_name
    assert secret_fields.name_words("APIKey") == ["api", "key"]


@pytest.mark.parametrize(
    "name", ["key", "api_key", "apikey", "access_token", "adminPass", "db_pwd", "credential", "tokens"]
)
def test_a_url_parameter_naming_a_secret_is_masked(name: str) -> None:
    assert is_secret_param(name)
    assert (
        redact_url(f"https://api.test/x?{name}=v4lue&limit=5")
        == f"https://api.test/x?{name}=********&limit=5"
    )


def test_a_field_rule_decision_is_the_same_in_exception_bodies_and_cli_output() -> None:
    record = {name: "v4lue" for name in SECRET + NOT_SECRET}
    for shown in (without_secret_fields(record), to_data(record)):
        assert [n for n in SECRET if shown[n] != "v4lue"] == SECRET
        assert [n for n in NOT_SECRET if shown[n] != "v4lue"] == []


def test_secret_values_are_found_under_secret_names_at_any_depth() -> None:
    variables = {
        "input": {"name": "e", "spec": {"hcloudTokenEnc": "enc:abc", "keyId": "k-1"}},
        "list": [{"pwd": "p"}],
    }
    assert secret_values(variables) == {"enc:abc", "p"}
