"""`dbcloud configure <api>` and `dbcloud configure list`: the profile file, written and shown.

Each test has its own profile file (DBCLOUD_CONFIG under tmp_path); what the command writes is read
back by the library and by the CLI, against the emulator, with no credential in the environment.
"""

from __future__ import annotations

import io
import logging
import shutil
import stat
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dbcloud
from dbcloud.cli._app import run
from dbcloud.cli._completion import script
from dbcloud.cli._console import Console
from dbcloud.cli._toml_edit import EditError, edit_table
from dbcloud.emulator import DEMO_CREDENTIALS, Emulator

from .conftest import FakeTerminal, Result, assert_no_secrets

ACM_KEY = DEMO_CREDENTIALS["acm"]
COCKROACH_KEY = DEMO_CREDENTIALS["cockroach"]
PASSWORD = "demo-password"  # the emulator's ACM sign-in (demo@example.com)

Configure = Callable[..., Result]


class TerminalInput(io.StringIO):
    """Answers typed at a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def profile_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_env: dict[str, str]) -> Path:
    path = tmp_path / "home" / "dbcloud" / "config.toml"
    monkeypatch.setenv("DBCLOUD_CONFIG", str(path))
    return path


@pytest.fixture
def dbcloud_cli(profile_path: Path, monkeypatch: pytest.MonkeyPatch) -> Configure:
    """Run a command line; `stdin` is piped text, or with `terminal=True` answers at a terminal."""

    def invoke(*argv: str, stdin: str = "", terminal: bool = False) -> Result:
        given: io.StringIO = TerminalInput(stdin) if terminal else io.StringIO(stdin)
        monkeypatch.setattr("sys.stdin", given)  # what `--x-file -` reads
        out, err = io.StringIO(), FakeTerminal() if terminal else io.StringIO()
        code = run(list(argv), Console(stdout=out, stderr=err, stdin=given))
        result = Result(code, out.getvalue(), err.getvalue())
        assert_no_secrets(result.out, result.err)
        assert PASSWORD not in result.out + result.err
        return result

    return invoke


def without_credentials(monkeypatch: pytest.MonkeyPatch, emu: Emulator) -> None:
    """Nothing in the environment points at the emulator: only the profile file can."""
    for name in emu.env:
        monkeypatch.delenv(name, raising=False)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_options_write_a_private_file_that_the_library_reads(
    dbcloud_cli: Configure, profile_path: Path, emu: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(COCKROACH_KEY + "\n")
    server = emu.env["COCKROACH_SERVER"]
    done = dbcloud_cli(
        "configure", "cockroach", "--profile", "work", "--cockroach-api-key-file", str(key_file),
        "--cockroach-server", server, "--set", "max_retries=1",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert done.out == ""
    assert (
        f"profile 'work' in {profile_path} (CockroachDB Cloud): set api_key, base_url, max_retries"
        in done.err
    )
    assert mode(profile_path) == 0o600
    assert mode(profile_path.parent) == 0o700
    assert tomllib.loads(profile_path.read_text()) == {
        "work": {"cockroach": {"api_key": COCKROACH_KEY, "base_url": server, "max_retries": 1}}
    }
    without_credentials(monkeypatch, emu)
    with dbcloud.CockroachCloud(profile="work") as crdb:
        assert crdb.credentials[0].reveal() == COCKROACH_KEY
        assert isinstance(list(crdb.clusters.list()), list)


def test_the_cli_works_with_nothing_but_the_profile(
    dbcloud_cli: Configure, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = emu.env["ACM_API_URL"]
    done = dbcloud_cli(
        "configure", "acm", "--acm-api-key-file", "-", "--acm-api-url", url, stdin=ACM_KEY + "\n"
    )
    assert done.code == 0, done.err
    without_credentials(monkeypatch, emu)
    listed = dbcloud_cli("acm", "environments", "list", "-o", "json")
    assert listed.code == 0, listed.err
    assert listed.json()  # the emulator's demo environments


def test_a_terminal_is_asked_with_the_current_values_as_defaults(
    dbcloud_cli: Configure, profile_path: Path, emu: Emulator
) -> None:
    url = emu.env["ACM_API_URL"]
    first = dbcloud_cli("configure", "acm", stdin=f"{ACM_KEY}\n{url}\n", terminal=True)
    assert first.code == 0, first.err
    assert "ACM API key (sent as X-Auth-Token) [not set]: " in first.err
    assert "ACM API root (default https://acm.altinity.cloud/api) [not set]: " in first.err
    assert tomllib.loads(profile_path.read_text()) == {
        "default": {"acm": {"token": ACM_KEY, "base_url": url}}
    }

    # Enter keeps a value; the stored key is only said to be set.
    again = dbcloud_cli("configure", "acm", stdin="\nhttps://acm.example.com/api\n", terminal=True)
    assert again.code == 0, again.err
    assert "ACM API key (sent as X-Auth-Token) [set]: " in again.err
    assert f"[{url}]: " in again.err
    assert "set base_url" in again.err
    stored = tomllib.loads(profile_path.read_text())["default"]["acm"]
    assert stored == {"token": ACM_KEY, "base_url": "https://acm.example.com/api"}


def test_input_that_ends_early_writes_nothing(dbcloud_cli: Configure, profile_path: Path) -> None:
    done = dbcloud_cli("configure", "acm", stdin=f"{ACM_KEY}\n", terminal=True)
    assert done.code == 2
    assert "the input ended before every setting was answered; nothing was written" in done.err
    assert not profile_path.exists()


def test_without_a_terminal_or_options_there_is_nothing_to_set(
    dbcloud_cli: Configure, profile_path: Path
) -> None:
    done = dbcloud_cli("configure", "cockroach")
    assert done.code == 2
    assert (
        "dbcloud configure cockroach: nothing to set: give --cockroach-api-key-file FILE (- for stdin), "
        "--set KEY=VALUE, or run on a terminal to be asked"
    ) in done.err
    assert not profile_path.exists()


def test_other_profiles_apis_and_comments_are_kept(dbcloud_cli: Configure, profile_path: Path) -> None:
    profile_path.parent.mkdir(parents=True)
    original = (
        "# my dbcloud settings\n"
        "[default.acm]\n"
        'token = "old-token"  # rotated monthly\n'
        'base_url = "https://acm.example.com/api"\n'
        "\n"
        "# production: careful\n"
        "[prod.clickhouse]\n"
        'key_id = "id"\n'
        'key_secret = "s#cret"\n'
        "timeout = 60\n"
    )
    profile_path.write_text(original)
    profile_path.chmod(0o600)
    done = dbcloud_cli(
        "configure", "acm", "--acm-api-key-file", "-", "--unset", "base_url", "--set", "timeout=2.5",
        stdin="new-token\n",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert "set token, timeout; removed base_url" in done.err
    assert "new-token" not in done.err
    text = profile_path.read_text()
    assert text == (
        "# my dbcloud settings\n"
        "[default.acm]\n"
        'token = "new-token"  # rotated monthly\n'
        "timeout = 2.5\n"
        "\n"
        "# production: careful\n"
        "[prod.clickhouse]\n"
        'key_id = "id"\n'
        'key_secret = "s#cret"\n'
        "timeout = 60\n"
    )


def test_a_shared_file_is_replaced_by_a_private_one_with_a_warning(
    dbcloud_cli: Configure, profile_path: Path
) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text('[default.cockroach]\napi_key = "old-key-value"\n')
    profile_path.chmod(0o644)
    listed = dbcloud_cli("configure", "list", "cockroach")
    assert (
        f"warning: {profile_path} was readable by group or others (mode 0o644); run: chmod 600 {profile_path}"
    ) in listed.err
    done = dbcloud_cli("configure", "cockroach", "--cockroach-api-key-file", "-", stdin="new-key-value\n")
    assert done.code == 0
    assert (
        f"{profile_path} was readable by group or others (mode 0o644); it is now readable by you only"
        in done.err
    )
    assert mode(profile_path) == 0o600


def test_a_secret_on_the_command_line_is_stored_with_a_warning(
    dbcloud_cli: Configure, profile_path: Path
) -> None:
    done = dbcloud_cli("configure", "acm", "--acm-api-key", ACM_KEY)
    assert done.code == 0
    assert (
        "warning: a secret given with --acm-api-key is visible to other local users and kept in the "
        "shell's history: prefer --acm-api-key-file FILE (- for stdin)"
    ) in done.err
    via_set = dbcloud_cli("configure", "acm", "--set", f"ACM_API_KEY={ACM_KEY}")
    assert "a secret given with --set is visible to other local users" in via_set.err
    assert tomllib.loads(profile_path.read_text())["default"]["acm"]["token"] == ACM_KEY


def test_login_stores_the_session_token(
    dbcloud_cli: Configure, profile_path: Path, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = emu.env["ACM_API_URL"]
    done = dbcloud_cli(
        "configure", "acm", "--profile", "me", "--login", "--email", "demo@example.com",
        "--password-file", "-", "--acm-api-url", url, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert f"signed in to {url} as demo@example.com" in done.err
    assert "set base_url, token" in done.err
    stored = tomllib.loads(profile_path.read_text())["me"]["acm"]
    token = stored["token"]
    assert token
    assert token not in done.err
    assert mode(profile_path) == 0o600
    without_credentials(monkeypatch, emu)
    listed = dbcloud_cli("acm", "environments", "list", "--profile", "me", "-o", "json")
    assert listed.code == 0, listed.err
    assert token not in listed.out + listed.err


def test_login_at_a_terminal_asks_email_and_password(
    dbcloud_cli: Configure, profile_path: Path, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBCLOUD_PROFILE", "fresh")  # a profile the file does not have yet
    url = emu.env["ACM_API_URL"]
    answers = f"{url}\ndemo@example.com\n{PASSWORD}\n"
    done = dbcloud_cli("configure", "acm", "--login", stdin=answers, terminal=True)
    assert done.code == 0, done.err
    assert "E-mail: " in done.err
    assert "Password: " in done.err
    assert "ACM API key" not in done.err  # the token is what signing in gives
    assert tomllib.loads(profile_path.read_text())["fresh"]["acm"]["token"]


def test_the_profile_option_may_come_first(dbcloud_cli: Configure, profile_path: Path) -> None:
    done = dbcloud_cli("--profile", "early", "configure", "cockroach", "--set", "timeout=9")
    assert done.code == 0, done.err
    later = dbcloud_cli("configure", "--profile", "late", "cockroach", "--set", "timeout=8")
    assert later.code == 0, later.err
    document = tomllib.loads(profile_path.read_text())
    assert document == {"early": {"cockroach": {"timeout": 9.0}}, "late": {"cockroach": {"timeout": 8.0}}}


def test_a_refused_sign_in_writes_nothing(dbcloud_cli: Configure, profile_path: Path) -> None:
    done = dbcloud_cli(
        "configure", "acm", "--login", "--email", "demo@example.com", "--password-file", "-",
        stdin="wrong-password-never-shown\n",
    )  # fmt: skip
    assert done.code == 3
    assert "wrong-password-never-shown" not in done.err
    assert not profile_path.exists()


def test_list_shows_sources_and_masks_secrets(
    dbcloud_cli: Configure, profile_path: Path, emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = emu.env["ACM_API_URL"]
    dbcloud_cli("configure", "acm", "--acm-api-key-file", "-", "--acm-api-url", url, stdin=ACM_KEY + "\n")
    monkeypatch.delenv("ACM_API_KEY")
    listed = dbcloud_cli("configure", "list", "acm", "-o", "json")
    assert listed.code == 0
    rows = {row["key"]: row for row in listed.json()}
    assert rows["token"] == {
        "api": "acm", "key": "token", "value": "********", "source": "profile", "where": "[default.acm]",
        "variable": "ACM_API_KEY",
    }  # fmt: skip
    # ACM_API_URL is still set (to the same URL): the variable wins, and says so.
    assert rows["base_url"]["source"] == "environment"
    assert rows["base_url"]["where"] == "ACM_API_URL"
    assert rows["max_retries"]["source"] == "unset"
    assert f"profile 'default' in {profile_path}" in listed.err
    elsewhere = dbcloud_cli("configure", "list", "--profile", "nope", "acm", "-o", "json")
    assert (
        f"profile 'nope': {profile_path} has no such profile; only the environment is shown" in elsewhere.err
    )


def test_a_file_that_is_not_toml_is_left_alone(dbcloud_cli: Configure, profile_path: Path) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text("[default.acm\ntoken = 1\n")
    done = dbcloud_cli("configure", "acm", "--acm-api-key-file", "-", stdin="new-key-value\n")
    assert done.code == 2
    assert f"configuration: profile file {profile_path} is not valid TOML" in done.err
    assert profile_path.read_text() == "[default.acm\ntoken = 1\n"


def test_a_layout_that_cannot_be_edited_safely_is_refused(dbcloud_cli: Configure, profile_path: Path) -> None:
    profile_path.parent.mkdir(parents=True)
    profile_path.write_text('[default]\nacm.token = "x"\n')
    done = dbcloud_cli("configure", "acm", "--acm-api-key-file", "-", stdin="new-key-value\n")
    assert done.code == 2
    assert "[default.acm] is written in a layout that cannot be changed safely here" in done.err
    assert profile_path.read_text() == '[default]\nacm.token = "x"\n'


def test_bad_values_and_keys_are_refused(dbcloud_cli: Configure, profile_path: Path) -> None:
    wrong_kind = dbcloud_cli("configure", "cockroach", "--set", "timeout=soon")
    assert wrong_kind.code == 2
    assert "--set timeout: timeout must be a number, got 'soon'" in wrong_kind.err
    unknown = dbcloud_cli("configure", "cockroach", "--set", "region=us")
    assert "no key 'region' here (keys: api_key, base_url, timeout, max_retries)" in unknown.err
    empty = dbcloud_cli("configure", "cockroach", "--set", "base_url=")
    assert "--set base_url: the value is empty (to remove the key: --unset base_url)" in empty.err
    no_key = dbcloud_cli("configure", "cockroach", "--set", "looks-like-a-key-value")
    assert "--set takes KEY=VALUE, and this one has no =" in no_key.err
    assert "looks-like-a-key-value" not in no_key.err
    endless = dbcloud_cli("configure", "cockroach", "--set", "timeout=inf")
    assert "--set timeout: timeout must be a number, got 'inf'" in endless.err
    assert not profile_path.exists()


def test_managed_clickstack_keys_go_where_the_library_reads_them(
    dbcloud_cli: Configure, profile_path: Path
) -> None:
    done = dbcloud_cli("configure", "clickstack", "--set", "CLICKHOUSE_ORG_ID=org")
    assert done.code == 2
    assert (
        "CLICKHOUSE_ORG_ID is stored with the clickhouse settings: dbcloud configure clickhouse" in done.err
    )
    stored = dbcloud_cli("configure", "clickhouse", "--set", "CLICKHOUSE_ORG_ID=org-1")
    assert stored.code == 0, stored.err
    assert tomllib.loads(profile_path.read_text()) == {"default": {"clickhouse": {"org_id": "org-1"}}}


def test_empty_answers_at_a_terminal_write_no_file(dbcloud_cli: Configure, profile_path: Path) -> None:
    done = dbcloud_cli("configure", "cockroach", stdin="\n\n", terminal=True)
    assert done.code == 0
    assert "nothing changed" in done.err
    assert not profile_path.exists()


def test_login_and_a_key_together_are_refused(dbcloud_cli: Configure, profile_path: Path) -> None:
    done = dbcloud_cli("configure", "acm", "--login", "--acm-api-key-file", "-", stdin="some-key-value\n")
    assert done.code == 2
    assert "--login obtains the token: give it no API key as well" in done.err
    assert not profile_path.exists()


def test_a_linked_profile_file_stays_a_link(
    dbcloud_cli: Configure, profile_path: Path, tmp_path: Path
) -> None:
    real = tmp_path / "dotfiles" / "dbcloud.toml"
    real.parent.mkdir()
    real.write_text("# kept in git\n")
    profile_path.parent.mkdir(parents=True)
    profile_path.symlink_to(real)
    done = dbcloud_cli("configure", "cockroach", "--set", "base_url=https://example.com")
    assert done.code == 0, done.err
    assert profile_path.is_symlink()
    assert real.read_text() == '# kept in git\n\n[default.cockroach]\nbase_url = "https://example.com"\n'
    assert mode(real) == 0o600


@pytest.mark.parametrize(
    "text",
    ['quote " and backslash \\ end', "tab\tnew\nline\r\x01\x7f", "ünïcødé ✓", "# not a comment", "'single'"],
)
def test_written_strings_read_back_exactly(text: str) -> None:
    written, document = edit_table("", ("p-1", "my api"), {"value": text, "n": 3, "on": False, "x": 0.5})
    assert (
        tomllib.loads(written)
        == document
        == {"p-1": {"my api": {"value": text, "n": 3, "on": False, "x": 0.5}}}
    )


def test_a_profile_written_by_configure_raises_no_warning_in_the_library(
    dbcloud_cli: Configure, emu: Emulator, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    dbcloud_cli("configure", "cockroach", "--cockroach-api-key-file", "-", stdin=COCKROACH_KEY + "\n")
    monkeypatch.delenv("COCKROACH_API_KEY")
    with caplog.at_level(logging.WARNING, logger="dbcloud.config"), dbcloud.CockroachCloud() as crdb:
        assert crdb.credentials[0].reveal() == COCKROACH_KEY
    assert caplog.records == []


def test_edit_error_names_the_table() -> None:
    with pytest.raises(EditError, match=r"\[default\.acm\]"):
        edit_table("default.acm = { token = 'x' }\n", ("default", "acm"), {"token": "y"})


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_configure() -> None:
    bash = script("bash")

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        program = (
            f"{bash}\nCOMP_WORDS=({' '.join(repr(w) for w in words)})\nCOMP_CWORD={len(words) - 1}\n"
            "_dbcloud\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n"
        )
        return subprocess.run(
            ["bash", "-c", program], capture_output=True, text=True, check=True
        ).stdout.split()

    assert complete("dbcloud con") == ["configure"]
    assert {"acm", "cockroach", "list"} <= set(complete("dbcloud configure "))
    assert complete("dbcloud configure acm --acm-api-key") == ["--acm-api-key", "--acm-api-key-file"]
    assert complete("dbcloud configure acm --lo") == ["--login"]
