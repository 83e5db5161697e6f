"""`dbcloud <api> --help` shows every resource of the API with all of its verbs on one screen."""

from __future__ import annotations

import re

import pytest

from dbcloud.cli._commands import all_apis

from .conftest import Runner


@pytest.mark.parametrize("api", [api.name for api in all_apis()])
def test_api_help_lists_every_resource_with_its_verbs(cli: Runner, api: str) -> None:
    shown = cli(api, "--help")
    assert shown.code == 0
    listing = shown.out.split("resources and their verbs:", 1)[1]
    # A resource's line, and the lines it wraps onto, joined back.
    joined = re.sub(r"\n {6}", " ", listing)
    lines = {
        line.strip().split(":", 1)[0]: line.split(":", 1)[1] for line in joined.splitlines() if ":" in line
    }
    spec = next(each for each in all_apis() if each.name == api)
    assert set(lines) == {resource.name for resource in spec.resources}
    for resource in spec.resources:
        assert [verb.strip() for verb in lines[resource.name].split(",")] == [v.name for v in resource.verbs]


def test_the_api_label_is_said_once(cli: Runner) -> None:
    shown = cli("cockroach", "--help").out
    assert "CockroachDB Cloud: CockroachDB Cloud" not in shown
    assert shown.count("CockroachDB Cloud:") == 1
