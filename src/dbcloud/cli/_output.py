"""What the facades return, as JSON data, and that data as a table, JSON or YAML.

`to_data` gives the vendor's own shape: generated models through their `to_dict()` (the API's
field names), CockroachDB records as the JSON received, dbcloud's own records by attribute. Secrets
are masked on the way: a `Secret`, an attribute the generated model declares secret, and any
value under a key that names a secret by the project's one rule (`_secret_names.is_secret_name`:
`adminPass`, `keySecret`, `password`).

`--query` (JMESPath, as aws-cli's) runs on that masked data, so no expression can reach a secret.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._secret import MASK, Secret
from .._secret_names import hide_value, is_secret_name

if TYPE_CHECKING:
    from ._console import Console

__all__ = ["FORMATS", "Query", "compile_query", "render", "to_data"]

FORMATS = ("table", "json", "yaml")


def to_data(value: Any) -> Any:
    """`value` as JSON data (dict, list, str, int, float, bool, None), secrets masked."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    reveal = getattr(value, "reveal", None)
    if callable(reveal):  # a dbcloud.Secret
        return MASK
    if isinstance(value, enum.Enum):
        return to_data(value.value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): (hide_value(v) if is_secret_name(str(k)) else to_data(v)) for k, v in value.items()}
    if isinstance(value, Sequence | set | frozenset | Iterator) and not isinstance(value, bytes | bytearray):
        return [to_data(item) for item in value]
    if type(value).__name__ == "Unset":  # the generated clients' marker for an absent field
        return None
    if callable(getattr(value, "to_dict", None)) and hasattr(type(value), "__attrs_attrs__"):
        return _attrs_model(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass(value)
    return str(value)


def _attrs_model(model: Any) -> Any:
    """A generated attrs model in the API's names (its `to_dict()`), secret attributes masked."""
    import attrs

    data: dict[str, Any] = model.to_dict()
    for field in attrs.fields(type(model)):
        if field.name == "additional_properties":
            continue
        key = _wire_key(field.name, data)
        if key is None:
            continue
        item = getattr(model, field.name)
        # The pipeline declares secret attributes with repr=False (scripts/dbcloud_codegen/secret_fields.py).
        data[key] = hide_value(data[key]) if not field.repr else to_data(item)
    return {k: (hide_value(v) if is_secret_name(k) else to_data(v)) for k, v in data.items()}


def _wire_key(name: str, data: Mapping[str, Any]) -> str | None:
    base = name.rstrip("_")  # `pass_`, `from_`: Python keywords with an underscore added
    return next((key for key in (_camel(base), base, name) if key in data), None)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _dataclass(record: Any) -> Any:
    raw = getattr(record, "raw", None)
    if isinstance(raw, Mapping) and raw:
        # dbcloud's records keep the JSON as the API sent it; what the record holds as a secret is
        # masked there too, under the field's name or its camelCase (a ClickStack webhook's `url`).
        hidden = _secret_keys(record)
        return to_data({k: hide_value(v) if k in hidden else v for k, v in raw.items()})
    renamed: Mapping[str, str] = {}
    module = type(record).__module__
    if module.startswith("dbcloud_anywhere_client"):
        from dbcloud_anywhere_client.names import FIELD_NAMES  # the GraphQL field names

        renamed = FIELD_NAMES.get(type(record).__name__, {})
    out: dict[str, Any] = {}
    for field in dataclasses.fields(record):
        item = getattr(record, field.name)
        if field.name == "raw" or (item is None and module.startswith("dbcloud_anywhere_client")):
            continue
        key = renamed.get(field.name, field.name)
        out[key] = hide_value(item) if not field.repr or is_secret_name(key) else to_data(item)
    if module.startswith("dbcloud."):
        # dbcloud's own records derive some answers (`ready`, `failure`, `live`) as properties;
        # `model` (the generated model's reading of `.raw`, where it is still a property) is not one.
        for name, member in vars(type(record)).items():
            if (
                isinstance(member, property)
                and name != "model"
                and not name.startswith("_")
                and not is_secret_name(name)
            ):
                out[name] = to_data(getattr(record, name))
    return out


def _secret_keys(record: Any) -> frozenset[str]:
    """The raw keys of `record`'s secret fields: a field holding a `Secret`, or one declared
    `repr=False` that holds text and counts in equality (`raw` and bookkeeping such as ClickStack's
    `mode` are left out of equality; a structured value such as Anywhere's `spec` is not a secret
    by itself, and its own secret-named keys are masked by name anyway)."""
    keys: set[str] = set()
    for field in dataclasses.fields(record):
        if field.name == "raw":
            continue
        item = getattr(record, field.name)
        if isinstance(item, Secret) or (not field.repr and field.compare and isinstance(item, str)):
            keys.update((field.name, _camel(field.name.rstrip("_"))))
    return frozenset(keys)


# --- --query ---------------------------------------------------------------------------------


class Query:
    """A compiled `--query` expression."""

    def __init__(self, text: str, compiled: Any) -> None:
        self.text = text
        self._compiled = compiled

    def __repr__(self) -> str:
        return f"Query({self.text!r})"

    def search(self, data: Any) -> Any:
        """The expression's result on `data` (JSON data from `to_data`, secrets already masked).

        Raises:
            UsageError: the expression does not fit the data (a function given a value of the wrong type).
        """
        import jmespath.exceptions

        try:
            return self._compiled.search(data)
        except jmespath.exceptions.JMESPathError as exc:
            from ._invoke import UsageError

            raise UsageError(f"--query {self.text!r}: {exc}") from None


def compile_query(text: str) -> Query:
    """A JMESPath expression, checked in full before anything is sent: its syntax, and the name
    and number of arguments of every function it calls (which JMESPath itself checks only while
    searching).

    Raises:
        ValueError: the expression is not valid JMESPath (the message is JMESPath's).
    """
    import jmespath
    import jmespath.exceptions
    import jmespath.functions

    try:
        compiled = jmespath.compile(text)
    except jmespath.exceptions.JMESPathError as exc:
        raise ValueError(str(exc)) from None
    _check_functions(compiled.parsed, jmespath.functions.Functions().FUNCTION_TABLE)
    return Query(text, compiled)


def _check_functions(node: Any, table: Mapping[str, Any]) -> None:
    if not isinstance(node, dict):
        return
    if node.get("type") == "function_expression":
        name, given = node["value"], len(node["children"])
        if name not in table:
            import difflib

            close = difflib.get_close_matches(name, table, n=1)
            guess = f"; did you mean {close[0]}()?" if close else ""
            raise ValueError(f"unknown function {name}(){guess}")
        signature = table[name]["signature"]
        variadic = bool(signature) and bool(signature[-1].get("variadic"))
        if given < len(signature) or (given > len(signature) and not variadic):
            wanted = f"{len(signature)} or more" if variadic else str(len(signature))
            plural = "" if wanted == "1" else "s"
            raise ValueError(f"{name}() takes {wanted} argument{plural}, got {given}")
    for child in node.get("children", ()):
        _check_functions(child, table)


# --- rendering -------------------------------------------------------------------------------

_STATE_KEYS = frozenset({"state", "status", "vendor_state"})
_PREFERRED = (
    "id", "name", "fingerprint", "state", "status", "plan", "kind", "type", "provider", "cloud_provider",
    "region", "service", "url", "email", "role", "expires", "createdAt", "created_at",
)  # fmt: skip
_GOOD = frozenset({"running", "online", "ready", "created", "ok", "live", "active", "enabled"})
_BAD = frozenset({"failed", "error", "creation_failed", "alert", "disabled"})
_QUIET = frozenset({"stopped", "idle", "deleted", "terminated", "offline"})
_CELL = 48


def render(
    data: Any,
    fmt: str,
    *,
    console: Console,
    columns: Sequence[str] = (),
    done: str = "",
    query: Query | None = None,
) -> str:
    """`data` (from `to_data`) as text in `fmt` ("table", "json" or "yaml"); "" for nothing.

    With `query`, what is printed is the query's result on `data` (see `_queried`).
    """
    if query is not None:
        # What the console masks on the way out (credentials, passwords read) is masked before the
        # query too: else `reverse(@)` or `join()` could carry one past the masking, changed.
        data = _mask_known(data, console)
        return _queried(query.search(data), fmt, console, data=data, columns=columns)
    if fmt == "json":
        return "" if data is None else json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        from ._yaml import dump

        return "" if data is None else dump(data)
    if data is None:
        return f"{done}\n" if done else ""
    if isinstance(data, str):
        return data if data.endswith("\n") else data + "\n"
    if isinstance(data, list):
        return _list_table(data, columns, console)
    if isinstance(data, dict):
        return _record_table(data, console)
    return f"{_cell(data)}\n"


def _mask_known(data: Any, console: Console) -> Any:
    if isinstance(data, str):
        return console.mask(data)
    if isinstance(data, dict):
        return {console.mask(str(k)): _mask_known(v, console) for k, v in data.items()}
    if isinstance(data, list):
        return [_mask_known(item, console) for item in data]
    return data


def _queried(result: Any, fmt: str, console: Console, *, data: Any, columns: Sequence[str]) -> str:
    """A `--query` result. JSON and YAML print it whole (`null` included, so a script can tell it
    from an empty string). A table shows the command's own records (filtered, sorted or sliced)
    as the command's usual table and any other list of objects with every key the objects have, an
    object as key and value lines, and plain values as they are, one per line, untruncated and
    unquoted (as aws-cli's text output), with nothing at all for null or an empty list, so that
    `$(dbcloud ... --query '[].id' -o table)` holds only ids."""
    if fmt == "json":
        return json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        from ._yaml import dump

        return dump(result)
    if result is None or result == [] or result == {}:
        return ""
    if isinstance(result, list) and all(isinstance(row, dict) for row in result):
        # JMESPath hands back the very objects it selected: the same ones means not reshaped.
        own = {id(row) for row in data} if isinstance(data, list) else set()
        if all(id(row) in own for row in result):
            return _list_table(result, columns, console)
        keys = list(dict.fromkeys(key for row in result for key in row))
        if not keys:
            return ""
        return _grid(keys, [[row.get(key) for key in keys] for row in result], console)
    if isinstance(result, list):
        return "".join(f"{_cell(item, limit=0)}\n" for item in result)
    if isinstance(result, dict):
        return _record_table(result, console)
    text = result if isinstance(result, str) else _cell(result, limit=0)
    return text if text.endswith("\n") else text + "\n"


def _list_table(rows: list[Any], columns: Sequence[str], console: Console) -> str:
    if not rows:
        return console.paint("(none)", "dim") + "\n"
    if not all(isinstance(row, dict) for row in rows):
        return "".join(f"{_cell(row, limit=0)}\n" for row in rows)
    names = [c for c in columns if any(_lookup(row, c) is not None for row in rows)] or _auto_columns(rows)
    return _grid(names, [[_lookup(row, name) for name in names] for row in rows], console)


def _grid(names: Sequence[str], values: list[list[Any]], console: Console) -> str:
    cells = [[_cell(value) for value in row] for row in values]
    headers = [_header(name) for name in names]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    last = len(headers) - 1
    lines = [
        "  ".join(
            console.paint(h if i == last else h.ljust(w), "bold")
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        )
    ]
    for row in cells:
        parts = []
        for name, text, width in zip(names, row, widths, strict=True):
            padded = text.ljust(width)
            parts.append(
                _paint_state(padded, text, console) if name.rsplit(".", 1)[-1] in _STATE_KEYS else padded
            )
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines) + "\n"


def _header(name: str) -> str:
    """A column's header: the API's field name in capitals, its words kept apart as snake_case
    fields already have them (`clickhouseVersion` → CLICKHOUSE_VERSION, `cidr_ip` → CIDR_IP)."""
    field = name.rsplit(".", 1)[-1]
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", field).upper()


def _record_table(record: dict[str, Any], console: Console) -> str:
    if not record:
        return console.paint("(empty)", "dim") + "\n"
    width = max(len(str(k)) for k in record)
    lines = []
    for key, value in record.items():
        text = _cell(value, limit=0 if isinstance(value, str) else 100)
        shown = _paint_state(text, text, console) if key in _STATE_KEYS else text
        lines.append(f"{console.paint(str(key).ljust(width), 'bold')}  {shown}")
    return "\n".join(lines) + "\n"


def _auto_columns(rows: list[dict[str, Any]]) -> list[str]:
    scalar = [k for k, v in rows[0].items() if not isinstance(v, dict | list)]
    chosen = [k for k in _PREFERRED if k in scalar][:6]
    for key in scalar:
        if len(chosen) >= 4:
            break
        if key not in chosen:
            chosen.append(key)
    return chosen or list(rows[0])[:4]


def _lookup(row: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(row, dict):
            return None
        row = row.get(part)
    return row


def _cell(value: Any, *, limit: int = _CELL) -> str:
    if value is None:
        text = "-"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dict | list):
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    else:
        text = str(value)
    text = text.replace("\n", " ")
    return text if not limit or len(text) <= limit else text[: limit - 1] + "…"


def _paint_state(padded: str, value: str, console: Console) -> str:
    word = value.lower()
    style = "green" if word in _GOOD else "red" if word in _BAD else "dim" if word in _QUIET else "yellow"
    return console.paint(padded, style) if value != "-" else padded
