"""Settings resolution: argument > environment > profile file > default, and its error messages."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from dbcloud._config import DEFAULT_PROFILE, Field, config_file, resolve, selected_profile
from dbcloud._errors import ConfigError
from dbcloud._secret import Secret

TOKEN = "acm-token-do-not-print"

# An environment without variables whose home is nowhere, so no test sees the real one.
NO_ENV = {"HOME": "/nonexistent-home"}

ACM = (
    Field("token", ("ACM_API_KEY",), secret=True, required=True, hint="API token"),
    Field("base_url", ("ACM_API_URL",), default="https://acm.altinity.cloud/api"),
    Field("timeout", ("ACM_API_TIMEOUT",), kind=float, default=30.0),
    Field("max_retries", ("ACM_MAX_RETRIES",), kind=int, default=2),
    Field("verify", ("ACM_VERIFY",), kind=bool, default=True),
)

CLICKHOUSE = (
    Field("key_id", ("CLICKHOUSE_CLOUD_API_KEY",), required=True, hint="API key id"),
    Field("key_secret", ("CLICKHOUSE_CLOUD_API_SECRET",), secret=True, required=True, hint="API key secret"),
    Field("org_id", ("CLICKHOUSE_ORG_ID",)),
)


def write_config(directory: Path, text: str, mode: int = 0o600) -> Path:
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    return write_config(
        tmp_path,
        """
        [default.acm]
        token = "from-profile"
        base_url = "https://profile.example/api"
        timeout = 12

        [prod.acm]
        token = "prod-token"
        max_retries = 7

        [prod.clickhouse]
        key_id = "prod-key"
        key_secret = "prod-secret"
        """,
    )


# --- precedence -------------------------------------------------------------------------------


def test_argument_beats_environment_profile_and_default(profile_file: Path) -> None:
    environ = {"ACM_API_URL": "https://env.example/api"}
    resolved = resolve(
        "acm", ACM, {"base_url": "https://arg.example/api"}, environ=environ, config_path=profile_file
    )
    assert resolved["base_url"] == "https://arg.example/api"
    assert resolved.source("base_url") == "argument"
    assert resolved.origin("base_url") == "argument base_url"


def test_environment_beats_profile_and_default(profile_file: Path) -> None:
    environ = {"ACM_API_URL": "https://env.example/api"}
    resolved = resolve("acm", ACM, {}, environ=environ, config_path=profile_file)
    assert resolved["base_url"] == "https://env.example/api"
    assert resolved.source("base_url") == "environment"
    assert resolved.origin("base_url") == "environment variable ACM_API_URL"


def test_profile_beats_default(profile_file: Path) -> None:
    resolved = resolve("acm", ACM, {}, environ=NO_ENV, config_path=profile_file)
    assert resolved["base_url"] == "https://profile.example/api"
    assert resolved.source("base_url") == "profile"
    assert resolved.origin("base_url") == f"base_url in [default.acm] in {profile_file}"


def test_default_when_no_source_gives_a_value(tmp_path: Path) -> None:
    resolved = resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=tmp_path / "absent.toml")
    assert resolved["base_url"] == "https://acm.altinity.cloud/api"
    assert resolved["timeout"] == 30.0
    assert resolved["max_retries"] == 2
    assert resolved.source("base_url") == "default"
    assert resolved.origin("base_url") == "default"


def test_none_argument_counts_as_not_given(profile_file: Path) -> None:
    resolved = resolve("acm", ACM, {"base_url": None}, environ=NO_ENV, config_path=profile_file)
    assert resolved.source("base_url") == "profile"


def test_every_field_is_present_even_without_value(tmp_path: Path) -> None:
    resolved = resolve(
        "clickhouse",
        CLICKHOUSE,
        {"key_id": "k", "key_secret": "s"},
        environ=NO_ENV,
        config_path=tmp_path / "x",
    )
    assert dict(resolved) == {"key_id": "k", "key_secret": Secret("s"), "org_id": None}
    assert len(resolved) == 3
    assert resolved.source("org_id") == "default"


def test_empty_environment_variable_counts_as_unset(profile_file: Path) -> None:
    environ = {"ACM_API_URL": "", "ACM_API_KEY": ""}
    resolved = resolve("acm", ACM, {}, environ=environ, config_path=profile_file)
    assert resolved.source("base_url") == "profile"
    assert resolved.source("token") == "profile"


def test_first_set_environment_variable_wins(tmp_path: Path) -> None:
    fields = (Field("endpoint", ("PRIMARY_URL", "LEGACY_URL")),)
    both = {"PRIMARY_URL": "https://a", "LEGACY_URL": "https://b"}
    assert resolve("x", fields, {}, environ=both, config_path=tmp_path / "x")["endpoint"] == "https://a"
    legacy = {"PRIMARY_URL": "", "LEGACY_URL": "https://b"}
    resolved = resolve("x", fields, {}, environ=legacy, config_path=tmp_path / "x")
    assert resolved["endpoint"] == "https://b"
    assert resolved.origin("endpoint") == "environment variable LEGACY_URL"


def test_empty_string_in_profile_counts_as_unset(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[default.acm]\ntoken = "t"\nbase_url = ""\n')
    resolved = resolve("acm", ACM, {}, environ=NO_ENV, config_path=path)
    assert resolved.source("base_url") == "default"


# --- profile selection ------------------------------------------------------------------------


def test_dbcloud_profile_selects_the_profile(profile_file: Path) -> None:
    resolved = resolve("acm", ACM, {}, environ={"DBCLOUD_PROFILE": "prod"}, config_path=profile_file)
    assert resolved.profile == "prod"
    assert resolved["token"] == Secret("prod-token")
    assert resolved["max_retries"] == 7
    # A key the chosen profile lacks is not taken from another profile.
    assert resolved["base_url"] == "https://acm.altinity.cloud/api"


def test_profile_argument_beats_dbcloud_profile(profile_file: Path) -> None:
    environ = {"DBCLOUD_PROFILE": "staging"}
    resolved = resolve("acm", ACM, {}, profile="prod", environ=environ, config_path=profile_file)
    assert resolved.profile == "prod"
    assert resolved["max_retries"] == 7


def test_selected_profile_order() -> None:
    assert selected_profile(None, {}) == DEFAULT_PROFILE
    assert selected_profile(None, {"DBCLOUD_PROFILE": ""}) == DEFAULT_PROFILE
    assert selected_profile(None, {"DBCLOUD_PROFILE": "prod"}) == "prod"
    assert selected_profile("dev", {"DBCLOUD_PROFILE": "prod"}) == "dev"


def test_profile_without_table_for_this_api_is_fine(profile_file: Path) -> None:
    resolved = resolve("clickhouse", CLICKHOUSE, {}, profile="prod", environ=NO_ENV, config_path=profile_file)
    assert resolved["key_id"] == "prod-key"
    with pytest.raises(ConfigError, match="no API token for ACM"):
        resolve("acm", ACM, {}, environ=NO_ENV, config_path=write_config(profile_file.parent, "[default]\n"))


def test_unknown_explicit_profile_is_an_error(profile_file: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        resolve("acm", ACM, {"token": TOKEN}, profile="prdo", environ=NO_ENV, config_path=profile_file)
    message = str(caught.value)
    assert "'prdo'" in message
    assert str(profile_file) in message
    assert "default, prod" in message


def test_unknown_profile_from_environment_is_an_error(profile_file: Path) -> None:
    with pytest.raises(ConfigError, match="'qa' not found"):
        resolve("acm", ACM, {}, environ={"DBCLOUD_PROFILE": "qa"}, config_path=profile_file)


def test_explicit_profile_without_file_is_an_error(tmp_path: Path) -> None:
    absent = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match=r"'prod' not found: profile file .*absent\.toml does not exist"):
        resolve("acm", ACM, {"token": TOKEN}, profile="prod", environ=NO_ENV, config_path=absent)


def test_missing_default_profile_and_missing_file_are_fine(tmp_path: Path) -> None:
    other = write_config(tmp_path, '[prod.acm]\ntoken = "p"\n')
    assert resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=other).profile == "default"
    resolved = resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=tmp_path / "none.toml")
    assert resolved.source("token") == "argument"


# --- missing settings -------------------------------------------------------------------------


def test_missing_credential_names_argument_variable_and_profile_key(tmp_path: Path) -> None:
    environ = {"HOME": str(tmp_path)}
    with pytest.raises(ConfigError) as caught:
        resolve("acm", ACM, {}, environ=environ)
    assert str(caught.value) == (
        "no API token for ACM: pass token=..., set ACM_API_KEY, "
        "or add token to [default.acm] in ~/.config/dbcloud/config.toml"
    )


def test_missing_credential_message_names_the_chosen_profile(profile_file: Path) -> None:
    with pytest.raises(ConfigError, match=r"add key_id to \[prod\.clickhouse\]") as caught:
        resolve(
            "clickhouse",
            CLICKHOUSE,
            {"key_secret": "s3cr3t-value"},
            profile="prod",
            environ={"CLICKHOUSE_CLOUD_API_KEY": ""},
            config_path=write_config(profile_file.parent, "[prod]\n"),
        )
    assert "CLICKHOUSE_CLOUD_API_KEY" in str(caught.value)
    assert "s3cr3t-value" not in str(caught.value)


def test_missing_message_never_holds_a_secret(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[default.clickhouse]\nkey_secret = "profile-secret-xyz"\n')
    environ = {"CLICKHOUSE_CLOUD_API_SECRET": "env-secret-xyz"}
    with pytest.raises(ConfigError) as caught:
        resolve("clickhouse", CLICKHOUSE, {}, environ=environ, config_path=path)
    message = str(caught.value)
    assert message.startswith(
        "no API key id for ClickHouse Cloud: pass key_id=..., set CLICKHOUSE_CLOUD_API_KEY"
    )
    assert "xyz" not in message


def test_missing_message_without_hint_or_variable(tmp_path: Path) -> None:
    fields = (Field("endpoint", (), required=True),)
    with pytest.raises(ConfigError) as caught:
        resolve("clickstack", fields, {}, environ=NO_ENV, config_path=tmp_path / "c.toml")
    assert str(caught.value) == (
        f"no endpoint for ClickStack: pass endpoint=..., or add endpoint to [default.clickstack] in "
        f"{tmp_path / 'c.toml'}"
    )


def test_label_names_the_api_in_messages(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^no API token for My API:"):
        resolve("mine", ACM, {}, environ=NO_ENV, config_path=tmp_path / "x", label="My API")


# --- the profile file -------------------------------------------------------------------------


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[default.acm]\ntoken = "unterminated\n')
    with pytest.raises(ConfigError, match="is not valid TOML") as caught:
        resolve("acm", ACM, {}, environ=NO_ENV, config_path=path)
    assert str(path) in str(caught.value)
    assert "unterminated" not in str(caught.value)


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    directory = tmp_path / "config.toml"
    directory.mkdir()
    with pytest.raises(ConfigError, match="cannot read profile file") as caught:
        resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=directory)
    assert str(directory) in str(caught.value)


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_a_profile_file_that_is_no_file_is_refused_without_reading_it(tmp_path: Path, kind: str) -> None:
    # DBCLOUD_CONFIG=/dev/zero once read until memory ran out; a FIFO would wait for a writer.
    if kind == "device":
        path = Path("/dev/zero")
    else:
        path = tmp_path / "config.toml"
        os.mkfifo(path)
    with pytest.raises(ConfigError, match="not a regular file") as caught:
        resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=path)
    assert str(path) in str(caught.value)


def test_a_profile_file_over_the_cap_is_refused(tmp_path: Path) -> None:
    path = write_config(tmp_path, "# " + "x" * (1024 * 1024) + "\n")
    with pytest.raises(ConfigError, match="over 1024 KiB"):
        resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=path)


def test_non_utf8_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[default.acm]\ntoken = "\xff"\n')
    with pytest.raises(ConfigError, match="is not UTF-8"):
        resolve("acm", ACM, {}, environ=NO_ENV, config_path=path)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ('default = "x"\n', r"default must be a table such as \[default\.acm\]"),
        ('[default]\nacm = "x"\n', r"default\.acm must be a table"),
    ],
)
def test_misshapen_profile_is_an_error(tmp_path: Path, text: str, pattern: str) -> None:
    with pytest.raises(ConfigError, match=pattern):
        resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=write_config(tmp_path, text))


def test_unknown_key_in_profile_is_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_config(tmp_path, '[default.acm]\ntokne = "t"\n')
    with caplog.at_level(logging.WARNING, logger="dbcloud.config"):
        resolve("acm", ACM, {"token": TOKEN}, environ=NO_ENV, config_path=path)
    assert "unknown key(s) tokne" in caplog.text


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_shared_file_holding_a_secret_is_warned(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_config(tmp_path, '[default.acm]\ntoken = "file-secret"\n', mode=0o644)
    with caplog.at_level(logging.WARNING, logger="dbcloud.config"):
        resolved = resolve("acm", ACM, {}, environ=NO_ENV, config_path=path)
    assert resolved.source("token") == "profile"
    assert "readable by group or others" in caplog.text
    assert "0o644" in caplog.text
    assert "file-secret" not in caplog.text


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ('[default.acm]\ntoken = "file-secret"\n', 0o600),
        ('[default.acm]\nbase_url = "https://x"\n', 0o644),
    ],
)
def test_private_or_secretless_file_is_not_warned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, text: str, mode: int
) -> None:
    path = write_config(tmp_path, text, mode=mode)
    with caplog.at_level(logging.WARNING, logger="dbcloud.config"):
        resolve("acm", ACM, {"token": TOKEN} if "base_url" in text else {}, environ=NO_ENV, config_path=path)
    assert caplog.records == []


def test_config_file_location(tmp_path: Path) -> None:
    home = str(tmp_path)
    assert config_file({"HOME": home}) == tmp_path / ".config" / "dbcloud" / "config.toml"
    assert config_file({"HOME": home, "XDG_CONFIG_HOME": "/xdg"}) == Path("/xdg/dbcloud/config.toml")
    # A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
    relative = config_file({"HOME": home, "XDG_CONFIG_HOME": "rel"})
    assert relative == tmp_path / ".config" / "dbcloud" / "config.toml"
    explicit = {"HOME": home, "XDG_CONFIG_HOME": "/xdg", "DBCLOUD_CONFIG": "/etc/dbcloud.toml"}
    assert config_file(explicit) == Path("/etc/dbcloud.toml")


def test_dbcloud_config_variable_is_used_by_resolve(profile_file: Path) -> None:
    resolved = resolve("acm", ACM, {}, environ={"DBCLOUD_CONFIG": str(profile_file)})
    assert resolved.config_path == profile_file
    assert resolved.source("token") == "profile"


def test_real_environment_is_the_default(monkeypatch: pytest.MonkeyPatch, profile_file: Path) -> None:
    monkeypatch.setenv("DBCLOUD_CONFIG", str(profile_file))
    monkeypatch.delenv("DBCLOUD_PROFILE", raising=False)
    monkeypatch.setenv("ACM_API_KEY", "real-env-token")
    resolved = resolve("acm", ACM, {})
    assert resolved["token"] == Secret("real-env-token")
    assert resolved["base_url"] == "https://profile.example/api"


# --- kinds ------------------------------------------------------------------------------------


def test_environment_strings_are_converted(tmp_path: Path) -> None:
    environ = {"ACM_API_KEY": TOKEN, "ACM_API_TIMEOUT": " 12.5 ", "ACM_MAX_RETRIES": "4", "ACM_VERIFY": "No"}
    resolved = resolve("acm", ACM, {}, environ=environ, config_path=tmp_path / "x")
    assert resolved["timeout"] == 12.5
    assert resolved["max_retries"] == 4
    assert resolved["verify"] is False


@pytest.mark.parametrize(("text", "expected"), [("1", True), ("TRUE", True), ("on", True), ("0", False)])
def test_boolean_words(tmp_path: Path, text: str, expected: bool) -> None:
    environ = {"ACM_API_KEY": TOKEN, "ACM_VERIFY": text}
    assert resolve("acm", ACM, {}, environ=environ, config_path=tmp_path / "x")["verify"] is expected


@pytest.mark.parametrize(
    ("variable", "text", "expected"),
    [
        ("ACM_API_TIMEOUT", "abc", "a number"),
        ("ACM_API_TIMEOUT", "nan", "a number"),
        ("ACM_MAX_RETRIES", "2.5", "a whole number"),
        ("ACM_VERIFY", "maybe", "true or false"),
    ],
)
def test_bad_environment_value_is_a_clear_error(
    tmp_path: Path, variable: str, text: str, expected: str
) -> None:
    environ = {"ACM_API_KEY": TOKEN, variable: text}
    with pytest.raises(ConfigError) as caught:
        resolve("acm", ACM, {}, environ=environ, config_path=tmp_path / "x")
    message = str(caught.value)
    assert message.startswith(f"invalid {variable}: {text!r} is not {expected}")
    assert "for ACM" in message
    assert TOKEN not in message


def test_profile_numbers_are_converted(profile_file: Path) -> None:
    resolved = resolve("acm", ACM, {}, environ=NO_ENV, config_path=profile_file)
    assert resolved["timeout"] == 12.0
    assert isinstance(resolved["timeout"], float)


@pytest.mark.parametrize(
    ("line", "pattern"),
    [
        ('timeout = "slow"', r"invalid timeout in \[default\.acm\] in .*: 'slow' is not a number"),
        ("max_retries = 1.5", "invalid max_retries .*: 1.5 is not a whole number"),
        ("max_retries = true", "invalid max_retries .*: True is not a whole number"),
        ("verify = 1", "invalid verify .*: 1 is not true or false"),
        ("base_url = 3", "invalid base_url .*: 3 is not a string"),
    ],
)
def test_bad_profile_value_is_a_clear_error(tmp_path: Path, line: str, pattern: str) -> None:
    path = write_config(tmp_path, f"[default.acm]\ntoken = 't'\n{line}\n")
    with pytest.raises(ConfigError, match=pattern):
        resolve("acm", ACM, {}, environ=NO_ENV, config_path=path)


def test_bad_secret_in_profile_is_masked(tmp_path: Path) -> None:
    path = write_config(tmp_path, "[default.acm]\ntoken = 987654321\n")
    with pytest.raises(ConfigError, match=r"invalid token .*: \*{8} is not a string") as caught:
        resolve("acm", ACM, {}, environ=NO_ENV, config_path=path)
    assert "987654321" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [("timeout", "30"), ("max_retries", True), ("max_retries", 2.0), ("base_url", 1), ("token", 123)],
)
def test_argument_of_wrong_kind_is_a_type_error(tmp_path: Path, name: str, value: object) -> None:
    args = {"token": TOKEN, name: value}
    with pytest.raises(TypeError, match=name):
        resolve("acm", ACM, args, environ=NO_ENV, config_path=tmp_path / "x")


def test_int_argument_for_float_field_becomes_float(tmp_path: Path) -> None:
    resolved = resolve("acm", ACM, {"token": TOKEN, "timeout": 5}, environ=NO_ENV, config_path=tmp_path / "x")
    assert resolved["timeout"] == 5.0
    assert isinstance(resolved["timeout"], float)


# --- secrets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("given", [TOKEN, Secret(TOKEN)])
def test_secret_argument_comes_back_as_secret(tmp_path: Path, given: str | Secret) -> None:
    resolved = resolve("acm", ACM, {"token": given}, environ=NO_ENV, config_path=tmp_path / "x")
    token = resolved["token"]
    assert isinstance(token, Secret)
    assert token.reveal() == TOKEN


def test_secret_from_environment_profile_and_default_is_secret(profile_file: Path) -> None:
    from_env = resolve("acm", ACM, {}, environ={"ACM_API_KEY": "env-t"}, config_path=profile_file)
    assert from_env.typed("token", Secret) == Secret("env-t")
    from_profile = resolve("acm", ACM, {}, environ=NO_ENV, config_path=profile_file)
    assert from_profile.typed("token", Secret) == Secret("from-profile")
    fields = (Field("api_key", (), secret=True, default="built-in"),)
    from_default = resolve("x", fields, {}, environ=NO_ENV, config_path=profile_file)
    assert from_default.typed("api_key", Secret) == Secret("built-in")


def test_repr_masks_secrets_from_every_source(profile_file: Path) -> None:
    for environ in ({"ACM_API_KEY": TOKEN}, {}):
        resolved = resolve("acm", ACM, {}, environ=environ, config_path=profile_file)
        text = repr(resolved)
        assert TOKEN not in text
        assert "from-profile" not in text
        assert "token=Secret('********')" in text
    assert "base_url='https://profile.example/api' [profile]" in text
    assert text.startswith("Resolved(api='acm', profile='default', ")


def test_typed_checks_the_kind(profile_file: Path) -> None:
    resolved = resolve("acm", ACM, {}, environ=NO_ENV, config_path=profile_file)
    assert resolved.typed("timeout", float) == 12.0
    assert resolved.typed("base_url", str) == "https://profile.example/api"
    with pytest.raises(TypeError, match="timeout is a float, not a str"):
        resolved.typed("timeout", str)
    with pytest.raises(KeyError):
        resolved.source("nope")


# --- declaring fields -------------------------------------------------------------------------


def test_field_checks_its_declaration() -> None:
    with pytest.raises(TypeError, match="env must be a tuple"):
        Field("token", "ACM_API_KEY")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind must be"):
        Field("tags", (), kind=list)
    with pytest.raises(ValueError, match="secret must be of kind str"):
        Field("pin", (), secret=True, kind=int)
    with pytest.raises(ValueError, match="identifier"):
        Field("base-url", ())
    with pytest.raises(ValueError, match="default does not fit its kind"):
        Field("timeout", (), kind=float, default="30")


def test_int_default_for_float_field_becomes_float(tmp_path: Path) -> None:
    fields = (Field("timeout", (), kind=float, default=30),)
    resolved = resolve("x", fields, {}, environ=NO_ENV, config_path=tmp_path / "x")
    assert resolved.typed("timeout", float) == 30.0


def test_resolve_rejects_duplicate_fields_and_unknown_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        resolve("acm", (*ACM, ACM[0]), {}, environ=NO_ENV, config_path=tmp_path / "x")
    with pytest.raises(ValueError, match="no such setting for acm: tokn"):
        resolve("acm", ACM, {"tokn": TOKEN}, environ=NO_ENV, config_path=tmp_path / "x")
