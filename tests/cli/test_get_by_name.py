"""`dbcloud <api> <resource> get-by-name NAME`: the CLI's face of `get_by_name`, for every resource
whose facade has one, against the emulator."""

from __future__ import annotations

import pytest

from dbcloud._resource import Resource
from dbcloud.cli._commands import all_apis

from .conftest import Runner
from .test_table_completion_demo import _client


def test_every_get_by_name_of_the_facade_has_its_verb() -> None:
    with_verb: set[type] = set()
    for api in all_apis():
        if api.name == "anywhere":
            continue  # an Anywhere environment's name is its id: `get NAME` already
        client = _client(api.name)
        for resource in api.resources:
            target = getattr(client, resource.attribute)
            if "get-by-name" in {verb.name for verb in resource.verbs}:
                assert hasattr(target, "get_by_name"), (api.name, resource.name)
                with_verb.add(type(target))

    def subclasses(cls: type) -> set[type]:
        return {cls, *(sub for child in cls.__subclasses__() for sub in subclasses(child))}

    having = {cls for cls in subclasses(Resource) if "get_by_name" in vars(cls)}
    assert having <= with_verb, sorted(cls.__qualname__ for cls in having - with_verb)


def test_a_seeded_service_is_found_by_its_name(cli: Runner) -> None:
    listed = cli("clickhouse", "services", "list").json()
    found = cli("clickhouse", "services", "get-by-name", "emulated-service")
    assert found.code == 0
    assert found.json()["id"] == next(s["id"] for s in listed if s["name"] == "emulated-service")


def test_an_acm_cluster_is_found_in_its_environment(cli: Runner) -> None:
    launched = cli(
        "acm", "clusters", "launch", "--environment", "176", "--name", "by-name-cli",
        "--node-type", "m5.large", "--nodes", "1", "--replicas", "1", "--size", "100",
    )  # fmt: skip
    assert launched.code == 0, launched.err
    found = cli("acm", "clusters", "get-by-name", "--environment", "176", "by-name-cli")
    assert found.json()["id"] == launched.json()["id"]


@pytest.mark.parametrize(
    "argv",
    [
        ("cockroach", "clusters", "get-by-name", "no-such-cluster"),
        ("clickstack", "sources", "get-by-name", "No Such Source"),
        ("acm", "environments", "get-by-name", "no-such-env"),
    ],
)
def test_a_name_nothing_has_exits_as_not_found(cli: Runner, argv: tuple[str, ...]) -> None:
    result = cli(*argv)
    assert result.code == 4
    assert argv[-1] in result.err


def test_verbs_are_listed_in_help(cli: Runner) -> None:
    assert "get-by-name" in cli("cockroach", "clusters", "--help").out
