"""A service's ClickHouse settings (`.../clickhouseSettings`, a beta API of the vendor's).

Neither of the vendor's tools calls these operations yet (its Terraform provider has no such
resource; ClickHouse/clickhousectl's API crate has them generated but no command sends them), so
the requests are the spec's:

- `GET .../clickhouseSettings` lists only the settings set explicitly, each value as text;
- `PATCH .../clickhouseSettings` takes `{"settings": "<a JSON object as text>"}` — the spec
  declares the field a string holding the object (`"{\"compatibility\": \"24.8\"}"`), and
  answers the applied settings the same way, with warnings for disruptive ones;
- `GET` / `DELETE .../clickhouseSettings/{name}` read one setting, or reset it to the platform
  default (a no-op for a setting never set; some settings restart the server).
"""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import generated_model, identifier, objects, read_list, read_one, text, texts
from ._client import uuid_text

if TYPE_CHECKING:
    from dbcloud_clickhouse_client.models.service_clickhouse_setting import (
        ServiceClickhouseSetting as ServiceClickhouseSettingModel,
    )
    from dbcloud_clickhouse_client.models.service_clickhouse_setting_schema_entry import (
        ServiceClickhouseSettingSchemaEntry as ServiceClickhouseSettingSchemaEntryModel,
    )
    from dbcloud_clickhouse_client.models.service_clickhouse_settings_patch_response import (
        ServiceClickhouseSettingsPatchResponse as ServiceClickhouseSettingsPatchResponseModel,
    )

    from ._client import _ClickHouse

_VENDOR = "ClickHouse Cloud"
_MODELS = "dbcloud_clickhouse_client.models"

__all__ = ["ClickHouseSetting", "ClickHouseSettingSchema", "ClickHouseSettings", "SettingsUpdate"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]{0,199}$")


@dataclass(frozen=True, slots=True)
class ClickHouseSetting:
    """One ClickHouse setting of a service: `id` and `name` (the setting's name), `value` (as text)."""

    id: str
    name: str
    value: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], asked: str = "") -> ClickHouseSetting:
        name = text(data.get("name")) or asked
        value = data.get("value")
        return cls(
            id=name,
            name=name,
            value=value if isinstance(value, str) else (None if value is None else json.dumps(value)),
            raw=data,
        )

    model: ClassVar[generated_model[ServiceClickhouseSettingModel]] = generated_model(
        "dbcloud_clickhouse_client.models.service_clickhouse_setting:ServiceClickhouseSetting"
    )


@dataclass(frozen=True, slots=True)
class SettingsUpdate:
    """What a settings update applied.

    Attributes:
        id: the service.
        settings: the settings applied, name to value.
        warnings: (setting name, message) for settings that may disrupt the service.
        raw: the JSON object as received.
    """

    id: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    warnings: tuple[tuple[str, str], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any], service_id: str = "") -> SettingsUpdate:
        return cls(
            id=service_id,
            settings=_object(data.get("settings")),
            warnings=tuple(
                (text(w.get("name")) or "", text(w.get("message")) or "")
                for w in objects(data.get("warnings"))
            ),
            raw=data,
        )

    model: ClassVar[generated_model[ServiceClickhouseSettingsPatchResponseModel]] = generated_model(
        "dbcloud_clickhouse_client.models.service_clickhouse_settings_patch_response:ServiceClickhouseSettingsPatchResponse"
    )


@dataclass(frozen=True, slots=True)
class ClickHouseSettingSchema:
    """A setting a service lets you configure, as the schema call describes it.

    Attributes:
        id, name: the setting's name.
        type: its value's type ("string", "uint64", ...), as the API names it.
        description: what it does.
        allowed: the values allowed, for an enum-like setting (else empty).
        warning: why changing it may disrupt the service, when it may.
        deprecation_notice: when it is going away.
        example: an example value.
        raw: the JSON object as received.
    """

    id: str
    name: str
    type: str | None = None
    description: str | None = None
    allowed: tuple[str, ...] = ()
    warning: str | None = None
    deprecation_notice: str | None = None
    example: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> ClickHouseSettingSchema:
        name = identifier(data, "name")
        return cls(
            id=name,
            name=name,
            type=text(data.get("type")),
            description=text(data.get("description")),
            allowed=texts(data.get("enum")),
            warning=text(data.get("warning")),
            deprecation_notice=text(data.get("deprecationNotice")),
            example=text(data.get("example")),
            raw=data,
        )

    model: ClassVar[generated_model[ServiceClickhouseSettingSchemaEntryModel]] = generated_model(
        f"{_MODELS}.service_clickhouse_setting_schema_entry:ServiceClickhouseSettingSchemaEntry"
    )


def _object(value: Any) -> Mapping[str, Any]:
    # The spec's JSON-object-as-text; an object sent as an object is read as well.
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, Mapping) else {}


def setting_name(name: Any) -> str:
    """A setting's name, checked before it goes into a path."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValidationError(f"not a ClickHouse setting name: {name!r}", field="name")
    return name


def settings_text(settings: Any) -> str:
    """The update's `settings` field: the object, as JSON text."""
    if not isinstance(settings, Mapping) or not settings:
        raise ValidationError(
            f"settings must be a non-empty mapping of setting names to values, got {settings!r}",
            field="settings",
        )
    for name, value in settings.items():
        setting_name(name)
        if value is None or not isinstance(value, str | int | float | bool):
            raise ValidationError(
                f"settings[{name!r}] must be text, a number or a boolean, got {value!r} (reset a setting "
                "to its default with reset())",
                field="settings",
            )
    return json.dumps(dict(settings), separators=(",", ":"))


class ClickHouseSettings(Resource[H]):
    """A service's ClickHouse settings. Reached as `ClickHouseCloud().clickhouse_settings` (and
    `AsyncClickHouseCloud().clickhouse_settings`, whose verbs are awaited)."""

    _client: _ClickHouse

    def __init__(self, client: _ClickHouse) -> None:
        self._client = client

    @listing
    def list(self, service_id: str) -> Listing[ClickHouseSetting]:
        """The settings set explicitly on a service (the others have the platform's defaults)."""
        sid = uuid_text(service_id, "service_id")

        def everything() -> Flow[builtins.list[ClickHouseSetting]]:
            data = yield from self._client._call_flow(
                "service.service_clickhouse_settings_list_get", Expect.OBJECT, service_id=sid
            )
            items = data.get("settings") if isinstance(data, Mapping) else None
            return read_list(
                ClickHouseSetting.from_api,
                items if isinstance(items, list) else [],
                what="settings",
                vendor=_VENDOR,
            )

        return Listing.of_one(everything, what="settings", vendor=_VENDOR)

    @listing
    def schema(self, service_id: str) -> Listing[ClickHouseSettingSchema]:
        """Every setting the service lets you configure, with its type, allowed values and warnings."""
        sid = uuid_text(service_id, "service_id")

        def everything() -> Flow[builtins.list[ClickHouseSettingSchema]]:
            data = yield from self._client._call_flow(
                "service.service_clickhouse_settings_schema_get", Expect.OBJECT, service_id=sid
            )
            items = data.get("settings") if isinstance(data, Mapping) else None
            return read_list(
                ClickHouseSettingSchema.from_api,
                items if isinstance(items, list) else [],
                what="settings schema",
                vendor=_VENDOR,
            )

        return Listing.of_one(everything, what="settings schema", vendor=_VENDOR)

    @call
    def get(self, service_id: str, name: str) -> Flow[ClickHouseSetting]:
        """One setting's current value on a service.

        Raises:
            ValidationError: a malformed id or name; nothing was sent.
        """
        sid, key = uuid_text(service_id, "service_id"), setting_name(name)
        data = yield from self._client._call_flow(
            "service.service_clickhouse_setting_get", Expect.OBJECT, service_id=sid, setting_name=key
        )
        return read_one(lambda d: ClickHouseSetting.from_api(d, key), data, what="setting", vendor=_VENDOR)

    @call
    def update(
        self, service_id: str, settings: Mapping[str, str | int | float | bool]
    ) -> Flow[SettingsUpdate]:
        """Set one or more settings, e.g. `{"compatibility": "24.8"}`.

        Returns:
            The settings applied and the API's warnings for disruptive ones.

        Raises:
            ValidationError: no settings, a malformed name or a value that is not a scalar; nothing
                was sent.
        """
        from dbcloud_clickhouse_client.models.service_clickhouse_settings_patch_request import (
            ServiceClickhouseSettingsPatchRequest,
        )

        sid = uuid_text(service_id, "service_id")
        wire = {"settings": settings_text(settings)}
        data = yield from self._client._call_flow(
            "service.service_clickhouse_settings_update",
            Expect.OBJECT,
            wire,
            service_id=sid,
            body=ServiceClickhouseSettingsPatchRequest.from_dict(wire),
        )
        return read_one(
            lambda d: SettingsUpdate.from_api(d, sid), data, what="settings update", vendor=_VENDOR
        )

    @call
    def reset(self, service_id: str, name: str) -> Flow[None]:
        """Reset a setting to the platform's default (`DELETE .../clickhouseSettings/{name}`).

        A setting never set is left as it is; server settings restart the service's servers.
        """
        sid, key = uuid_text(service_id, "service_id"), setting_name(name)
        yield from self._client._call_flow(
            "service.service_clickhouse_setting_delete", service_id=sid, setting_name=key
        )
