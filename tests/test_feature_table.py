"""The README's table of what has verbs, per API, is the truth: its resources are exactly the CLI's,
and its `client.api`-only groups are exactly the spec tags no facade module calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dbcloud.cli._commands import all_apis

ROOT = Path(__file__).resolve().parents[1]
# API: (generated packages whose tags it offers, the facade package that calls them).
SOURCES = {
    "acm": (("acm",), "altinity"),
    "clickhouse": (("clickhouse",), "clickhouse"),
    "clickstack": (("clickstack_oss",), "clickstack"),
    "cockroach": (("cockroach",), "cockroach"),
}
# Managed ClickStack's operations are in ClickHouse Cloud's spec; the clickstack facade calls them.
ELSEWHERE = {("clickhouse", "click_stack")}


def table() -> dict[str, tuple[list[str], list[str]]]:
    text = (ROOT / "README.md").read_text()
    section = text.split("### What has verbs, per API", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("API", "---"):
            # Names in backticks; a parenthesis after a name lists its verbs, not more names.
            names = [re.findall(r"`([^`]+)`", re.sub(r"\([^)]*\)", "", cell)) for cell in cells[1:]]
            rows[cells[0]] = (names[0], names[1])
    return rows


def tags(package: str) -> set[str]:
    api = ROOT / "generated" / f"dbcloud_{package}_client" / "api"
    return {path.name for path in api.iterdir() if path.is_dir() and not path.name.startswith("_")}


def called(facade: str) -> str:
    return "".join(path.read_text() for path in (ROOT / "src" / "dbcloud" / facade).glob("*.py"))


def test_every_api_has_a_row_with_exactly_its_cli_resources() -> None:
    rows = table()
    assert set(rows) == {api.name for api in all_apis()}
    for api in all_apis():
        assert sorted(rows[api.name][0]) == sorted(r.name for r in api.resources), api.name


@pytest.mark.parametrize("api", sorted(SOURCES))
def test_the_client_api_only_groups_are_the_tags_no_facade_module_calls(api: str) -> None:
    packages, facade = SOURCES[api]
    source = called(facade)

    def reached(tag: str) -> bool:
        # An operation is named "tag.operation" (`_call_flow`) or imported from `...api.tag`.
        return f'"{tag}.' in source or f".api.{tag} " in source or f".api.{tag}." in source

    offered = {tag for package in packages for tag in tags(package) if (api, tag) not in ELSEWHERE}
    assert sorted(table()[api][1]) == sorted(tag for tag in offered if not reached(tag))


def test_managed_clickstack_operations_are_called_by_the_clickstack_facade() -> None:
    assert '"click_stack.' in called("clickstack")


def test_anywhere_has_nothing_left_to_client_api() -> None:
    assert table()["anywhere"][1] == []
