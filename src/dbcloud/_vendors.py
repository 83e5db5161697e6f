"""The one list of vendors: everything that names every API reads it from here.

A vendor is one `Vendor` entry plus its own package: the facade client (`dbcloud.<Export>`), the
generated low-level package, the CLI's command table, the emulated service and the name of its
profile table. `dbcloud.__init__` (lazy exports), the settings' messages (`_config`), the CLI (its
commands, `raw`, completion) and the emulator (its services and credentials) all iterate this list,
so adding a sixth vendor is one entry here and nothing else edited. The entries hold import paths
as text, so reading the list imports no vendor code: `import dbcloud` stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Vendor", "load", "register", "unregister", "vendor", "vendor_names", "vendors"]


@dataclass(frozen=True)
class Vendor:
    """One vendor API.

    Attributes:
        name: the API's short name: the profile table (`[default.acm]`), the CLI word
            (`dbcloud acm ...`), the emulator's URL prefix.
        label: how messages name it ("ClickHouse Cloud").
        export: the facade class's name on `dbcloud` (`dbcloud.ClickHouseCloud`).
        client: where that class lives, "module:attribute".
        async_client: where its async twin lives (exported as `dbcloud.Async<Export>`), or None.
        package: the generated low-level package.
        commands: the CLI's command table (`cli._spec.Api`), "module:attribute".
        emulator: the emulated service's class, "module:attribute", or None when not emulated.
        emulator_credential: the credential the emulated service accepts (public, not a secret).
        emulator_env: the environment variables that point the facade at the emulated service, as
            templates: `{root}` is the service's root URL on the emulator, `{credential}` the
            credential, `{credential_id}` / `{credential_secret}` its two halves around a ":".
    """

    name: str
    label: str
    export: str
    client: str
    package: str
    commands: str
    emulator: str | None = None
    emulator_credential: str = ""
    emulator_env: Mapping[str, str] = field(default_factory=dict)
    async_client: str | None = None

    @property
    def async_export(self) -> str | None:
        """The async client's name on `dbcloud` (`AsyncClickHouseCloud`), or None."""
        return f"Async{self.export}" if self.async_client is not None else None

    def emulator_settings(self, url: str, credential: str | None = None) -> dict[str, str]:
        """`emulator_env` filled in for an emulator listening at `url`."""
        given = self.emulator_credential if credential is None else credential
        key_id, _, key_secret = given.partition(":")
        values = {
            "root": f"{url}/{self.name}",
            "credential": given,
            "credential_id": key_id,
            "credential_secret": key_secret,
        }
        return {variable: template.format(**values) for variable, template in self.emulator_env.items()}


_REGISTRY: list[Vendor] = [
    Vendor(
        name="acm",
        label="ACM",
        export="Altinity",
        client="dbcloud.altinity:Altinity",
        async_client="dbcloud.altinity:AsyncAltinity",
        package="dbcloud_acm_client",
        commands="dbcloud.cli._commands.acm:ACM",
        emulator="dbcloud.emulator.acm:EmulatedACM",
        emulator_credential="emulator-acm-token",
        emulator_env={"ACM_API_URL": "{root}/api", "ACM_API_KEY": "{credential}"},
    ),
    Vendor(
        name="anywhere",
        label="Altinity Anywhere",
        export="AltinityAnywhere",
        client="dbcloud.anywhere:AltinityAnywhere",
        async_client="dbcloud.anywhere:AsyncAltinityAnywhere",
        package="dbcloud_anywhere_client",
        commands="dbcloud.cli._commands.anywhere:ANYWHERE",
        emulator="dbcloud.emulator.anywhere:EmulatedAnywhere",
        emulator_credential="emulator-anywhere-token",
        emulator_env={"ALTINITYCLOUD_API_URL": "{root}", "ALTINITYCLOUD_API_TOKEN": "{credential}"},
    ),
    Vendor(
        name="clickhouse",
        label="ClickHouse Cloud",
        export="ClickHouseCloud",
        client="dbcloud.clickhouse:ClickHouseCloud",
        async_client="dbcloud.clickhouse:AsyncClickHouseCloud",
        package="dbcloud_clickhouse_client",
        commands="dbcloud.cli._commands.clickhouse:CLICKHOUSE",
        emulator="dbcloud.emulator.clickhouse:EmulatedClickHouse",
        emulator_credential="emulator-key-id:emulator-key-secret",
        emulator_env={
            "CLICKHOUSE_API_URL": "{root}",
            "CLICKHOUSE_CLOUD_API_KEY": "{credential_id}",
            "CLICKHOUSE_CLOUD_API_SECRET": "{credential_secret}",
        },
    ),
    Vendor(
        name="clickstack",
        label="ClickStack",
        export="ClickStack",
        client="dbcloud.clickstack:ClickStack",
        async_client="dbcloud.clickstack:AsyncClickStack",
        package="dbcloud_clickstack_oss_client",
        commands="dbcloud.cli._commands.clickstack:CLICKSTACK",
        emulator="dbcloud.emulator.clickstack:EmulatedClickStack",
        emulator_credential="emulator-clickstack-key",
        emulator_env={"CLICKSTACK_ENDPOINT": "{root}", "CLICKSTACK_API_KEY": "{credential}"},
    ),
    Vendor(
        name="cockroach",
        label="CockroachDB Cloud",
        export="CockroachCloud",
        client="dbcloud.cockroach:CockroachCloud",
        async_client="dbcloud.cockroach:AsyncCockroachCloud",
        package="dbcloud_cockroach_client",
        commands="dbcloud.cli._commands.cockroach:COCKROACH",
        emulator="dbcloud.emulator.cockroach:EmulatedCockroach",
        emulator_credential="emulator-cockroach-key",
        emulator_env={"COCKROACH_SERVER": "{root}", "COCKROACH_API_KEY": "{credential}"},
    ),
]


def vendors() -> tuple[Vendor, ...]:
    """The registered vendors, in order (read at each call, so that `register` shows everywhere)."""
    return tuple(_REGISTRY)


def vendor_names() -> tuple[str, ...]:
    """The registered vendors' short names, in order."""
    return tuple(v.name for v in _REGISTRY)


def vendor(name: str) -> Vendor | None:
    """The vendor called `name`, or None."""
    return next((v for v in _REGISTRY if v.name == name), None)


def register(entry: Vendor) -> None:
    """Add a vendor (a plug-in, or a test's dummy one).

    Raises:
        ValueError: a vendor of that name, or with that export, is registered already.
    """
    if any(v.name == entry.name or v.export == entry.export for v in _REGISTRY):
        raise ValueError(f"a vendor named {entry.name!r} (or exporting {entry.export!r}) is registered")
    _REGISTRY.append(entry)


def unregister(name: str) -> None:
    """Remove the vendor called `name` (what `register` added)."""
    _REGISTRY[:] = [v for v in _REGISTRY if v.name != name]


def load(path: str) -> Any:
    """The object an entry's "module:attribute" path names, imported now."""
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)
