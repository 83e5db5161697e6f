"""specs/sources.toml: which APIs exist, where their specs live and what they generate."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import PipelineError

__all__ = ["Source", "load_sources", "select"]

_FORMATS = {"json", "yaml", "graphql"}
_GENERATORS = {"openapi-python-client", "datamodel-code-generator"}


@dataclass(frozen=True)
class Source:
    api: str
    title: str
    url: str
    auth: str
    accept: str
    mirror: str
    format: str
    generator: str
    package: str
    overlay: str | None = None

    @property
    def is_graphql(self) -> bool:
        return self.format == "graphql"

    @property
    def cache_name(self) -> str:
        """File name of the raw spec in specs/.cache/raw/."""
        return f"{self.api}.{self.format}"

    @property
    def auth_header(self) -> tuple[str, str] | None:
        """(header, environment variable) when the fetch sends a credential."""
        if self.auth == "none":
            return None
        _, header, env = self.auth.split(":")
        return header, env


def load_sources(path: Path) -> dict[str, Source]:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PipelineError(f"{path}: cannot read the API list: {exc}") from exc
    sources: dict[str, Source] = {}
    for api, entry in table.items():
        try:
            source = Source(api=api, **entry)
        except TypeError as exc:
            raise PipelineError(f"{path}: [{api}] {exc}") from exc
        problems = []
        if source.format not in _FORMATS:
            problems.append(f"format must be one of {sorted(_FORMATS)}")
        if source.generator not in _GENERATORS:
            problems.append(f"generator must be one of {sorted(_GENERATORS)}")
        if not source.package.startswith("dbcloud_") or not source.package.isidentifier():
            problems.append("package must be a Python identifier starting with dbcloud_")
        if source.auth != "none" and len(source.auth.split(":")) != 3:
            problems.append('auth must be "none" or "header:<Header>:<ENV_VAR>"')
        if problems:
            raise PipelineError(f"{path}: [{api}] " + "; ".join(problems))
        sources[api] = source
    return sources


def select(sources: dict[str, Source], names: Iterable[str]) -> list[Source]:
    """The sources named (all of them when none is named), in the file's order."""
    wanted = list(dict.fromkeys(names))
    unknown = [name for name in wanted if name not in sources]
    if unknown:
        raise PipelineError(
            f"unknown API {', '.join(repr(n) for n in unknown)}; known APIs: {', '.join(sources)}"
        )
    if not wanted:
        return list(sources.values())
    return [sources[name] for name in sources if name in wanted]
