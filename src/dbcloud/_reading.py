"""Reading vendor answers into the generated models, tolerantly; writing them back out.

The generated model classes do not parse JSON themselves: the pipeline gives each one a field table
(`Fields`) and a `from_dict` / `to_dict` that call `read` / `write` here. One reader for every
package means one rule for what a vendor may get wrong without failing the caller's call:

- an enum value the spec does not list is kept, as a member of the enum made on the spot
  (`ServiceState("hibernating")` is a `ServiceState` and equals the string "hibernating");
- a missing required field reads as UNSET; `null` is accepted anywhere (UNSET where the field's
  type has no None);
- numbers and booleans sent as text are read as numbers and booleans where the schema says so
  (`"100"`, `"2.5"`, `"true"`, and 0/1 for booleans); a number where text belongs becomes its text;
- an object sent as JSON text, or as `[]` (PHP's empty object), is read as the object; a list sent
  as JSON text, or as `{}`, as the list;
- a value that still cannot be typed is left UNSET and kept, as sent, in the model's
  `additional_properties` under its wire name; an item of a list that cannot be read is left out.
  Either is logged once per model and field on the `dbcloud.reading` logger at WARNING.

Strict reading raises `SpecMismatchError` at the first deviation instead, so our own conformance
tests still catch spec drift. It is on when `DBCLOUD_STRICT` is set to 1/true/yes (read at import), inside a
`strict_reading()` block, or for one call with `Model.from_dict(data, strict=True)`.

A top-level answer that is not a JSON object is never read as an empty model: it is an
`APIResponseError` in both modes.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import enum
import json
import logging
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ._errors import APIResponseError
from ._values import TRUE_WORDS, as_bool, as_int

__all__ = [
    "Fields",
    "SpecMismatchError",
    "is_strict",
    "missing_member",
    "read",
    "read_scalar",
    "reread_environment",
    "strict_reading",
    "unknown_members",
    "warn_once",
    "write",
]

_log = logging.getLogger("dbcloud.reading")

_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


class SpecMismatchError(APIResponseError, ValueError):
    """Strict reading: data that does not match the spec (the message says where and how).

    Attributes:
        field: the wire name of the field at fault in the outermost object, when one is.
        path: the wire names from the outermost object down to the field at fault.
        missing: whether the field at fault is required and absent.
    """

    def __init__(
        self, message: str, *, field: str | None = None, missing: bool = False, path: tuple[str, ...] = ()
    ) -> None:
        super().__init__(message)
        self.field = field
        self.missing = missing
        self.path = path or ((field,) if field else ())


def _env_strict() -> bool:
    return os.environ.get("DBCLOUD_STRICT", "").strip().lower() in TRUE_WORDS


# Read when dbcloud is imported (every object of every answer asks; the environment is not cheap
# to read that often); `reread_environment()` reads it again.
_ENV_STRICT = _env_strict()


def reread_environment() -> None:
    """Read `DBCLOUD_STRICT` again (it is read when dbcloud is imported)."""
    global _ENV_STRICT
    _ENV_STRICT = _env_strict()


_STRICT: contextvars.ContextVar[bool | None] = contextvars.ContextVar("dbcloud_strict", default=None)


def is_strict() -> bool:
    """Whether reading is strict here: a `strict_reading()` block, else `DBCLOUD_STRICT`."""
    chosen = _STRICT.get()
    return _ENV_STRICT if chosen is None else chosen


@contextlib.contextmanager
def strict_reading(strict: bool = True) -> Iterator[None]:
    """Read strictly (or, with False, tolerantly whatever `DBCLOUD_STRICT` says) inside the block."""
    token = _STRICT.set(strict)
    try:
        yield
    finally:
        _STRICT.reset(token)


# --- enums -----------------------------------------------------------------------------------

_UNKNOWN: dict[tuple[type, object], enum.Enum] = {}


def missing_member(cls: type[enum.Enum], value: object) -> enum.Enum | None:
    """`Enum._missing_` of the generated enums: an unknown value becomes a member made for it.

    The member is an instance of the enum (and of str or int, like the others), so code that
    compares it with text or prints it keeps working; `unknown_members` lists those made so far.
    Strict reading refuses the value (None makes Enum raise its ValueError).
    """
    if is_strict():
        return None
    base: Any = str if issubclass(cls, str) else int
    if base is int:
        if isinstance(value, str):
            value = as_int(value)  # "3" (and None for text that is no integer)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        known = cls._value2member_map_.get(value)
        if known is not None:
            return known
    elif not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        value = str(value)
        known = cls._value2member_map_.get(value)
        if known is not None:
            return known
    key = (cls, value)
    member = _UNKNOWN.get(key)
    if member is None:
        made: Any = base.__new__(cls, value)  # as Enum builds its members: the base value, then names
        made._name_ = f"UNKNOWN_{value}"
        made._value_ = value
        _UNKNOWN[key] = member = made
    return member


def unknown_members(cls: type[enum.Enum]) -> list[enum.Enum]:
    """The members made for values `cls` does not list, in the order they were first read."""
    return [member for (owner, _), member in _UNKNOWN.items() if owner is cls]


# --- the field table -----------------------------------------------------------------------

Kind = Any  # "str" | "int" | ... | ("enum", name) | ("model", name) | ("list", Kind) | ("union", (...))


class _Bad(Exception):
    """A value that cannot be read as its kind (internal; never leaves this module).

    `path` and `missing` carry a nested object's fault up to the field that holds it.
    """

    def __init__(self, message: str, path: tuple[str, ...] = (), missing: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.missing = missing


_Reader = Callable[[Any, bool], Any]


class Fields:
    """The field table of one generated model: what `read` and `write` follow.

    Args:
        models: the dotted name of the package's `models` package (where named kinds are found).
        unset: the package's UNSET.
        fields: (attribute, wire name, required, kind) per field, in the generator's order.
        extra: the kind of additional properties, or None when the schema allows none.
    """

    __slots__ = ("_plan", "extra", "fields", "models", "unset")

    def __init__(
        self,
        models: str,
        unset: Any,
        fields: tuple[tuple[str, str, bool, Kind], ...],
        extra: Kind | None = "any",
    ) -> None:
        self.models = models
        self.unset = unset
        self.fields = fields
        self.extra = extra
        self._plan: tuple[Any, ...] | None = None

    def plan(self, cls: type) -> tuple[Any, ...]:
        """(wire name → (attribute, nullable, reader), required (wire, attribute) pairs, extra reader)."""
        # Compiled on first use: named kinds are imported only then (the models import each other).
        if self._plan is None:
            by_wire = {
                wire: (attr, _nullable(kind), _compile(kind, self, (cls, wire)))
                for attr, wire, _, kind in self.fields
            }
            required = tuple((wire, attr) for attr, wire, needed, _ in self.fields if needed)
            extra = None if self.extra is None else _compile(self.extra, self, (cls, "*"))
            self._plan = (by_wire, required, extra)
        return self._plan


def _nullable(kind: Kind) -> bool:
    if kind in ("none", "any"):
        return True
    return isinstance(kind, tuple) and kind[0] == "union" and any(_nullable(k) for k in kind[1])


def _named(table: Fields, name: str) -> Any:
    package = sys.modules.get(table.models)
    if package is None:
        import importlib

        package = importlib.import_module(table.models)
    return getattr(package, name)


def _compile(kind: Kind, table: Fields, where: tuple[type, str]) -> _Reader:
    """A function (value, strict) -> value that raises _Bad when the value cannot be read.

    `where` (model class, wire name) is the field the value is read for, named in warnings.
    """
    if isinstance(kind, str):
        return _SCALARS[kind]
    tag, arg = kind
    if tag == "enum":
        return _enum_reader(_named(table, arg))
    if tag == "model":
        return _model_reader(lambda: _named(table, arg))
    if tag == "list":
        return _list_reader(_compile(arg, table, where), where)
    if tag == "union":
        kinds = tuple(k for k in arg if k != "none")
        return _union_reader(tuple(_compile(k, table, where) for k in kinds), kinds)
    if tag in ("const", "literal"):
        allowed = (arg,) if tag == "const" else tuple(arg)
        return _literal_reader(allowed)
    raise ValueError(f"unknown field kind {kind!r}")


def _read_str(value: Any, strict: bool) -> Any:
    if type(value) is str:
        return value
    if not strict and isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    raise _Bad(f"text expected, got {_what(value)}")


def _read_int(value: Any, strict: bool) -> Any:
    kind = type(value)
    if kind is int:
        return value
    if not strict:
        number = as_int(value)
        if number is not None:
            return number
        if kind is str and _NUMBER.fullmatch(value.strip()) and float(value).is_integer():
            return int(float(value))  # "3.0"
    raise _Bad(f"an integer expected, got {_what(value)}")


def _read_float(value: Any, strict: bool) -> Any:
    kind = type(value)
    if kind is float or kind is int:
        return value
    if not strict and kind is str and _NUMBER.fullmatch(value.strip()):
        return float(value)
    raise _Bad(f"a number expected, got {_what(value)}")


def _read_bool(value: Any, strict: bool) -> Any:
    if value is True or value is False:
        return value
    if not strict:
        flag = as_bool(value)
        if flag is not None:
            return flag
    raise _Bad(f"a boolean expected, got {_what(value)}")


def _read_datetime(value: Any, strict: bool) -> Any:
    if type(value) is str:
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _Bad(f"a date-time expected, got {_what(value)}")


def _read_date(value: Any, strict: bool) -> Any:
    if type(value) is str:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise _Bad(f"a date expected, got {_what(value)}")


def _read_uuid(value: Any, strict: bool) -> Any:
    if type(value) is str:
        try:
            return uuid.UUID(value)
        except ValueError:
            pass
    raise _Bad(f"a UUID expected, got {_what(value)}")


def _read_any(value: Any, strict: bool) -> Any:
    return value


def _read_none(value: Any, strict: bool) -> Any:
    if value is None:
        return None
    raise _Bad(f"null expected, got {_what(value)}")


_SCALARS: dict[str, _Reader] = {
    "str": _read_str,
    "int": _read_int,
    "float": _read_float,
    "bool": _read_bool,
    "datetime": _read_datetime,
    "date": _read_date,
    "uuid": _read_uuid,
    "any": _read_any,
    "file": _read_any,
    "none": _read_none,
}


_SCALAR_OF_TYPE: dict[type, str] = {str: "str", int: "int", float: "float", bool: "bool"}


def read_scalar(python_type: type, value: Any) -> Any:
    """`value` read as `python_type` (str, int, float or bool) by the rules above, for the codecs
    that are not generated attrs models (the GraphQL one); other types pass through.

    Raises:
        ValueError: the value cannot be read as that type (in strict reading: is not exactly it).
    """
    kind = _SCALAR_OF_TYPE.get(python_type)
    if kind is None:
        return value
    try:
        return _SCALARS[kind](value, is_strict())
    except _Bad as exc:
        raise ValueError(str(exc)) from None


def warn_once(owner: type, field: str, what: str) -> None:
    """Log what could not be read, once per model and field (see the module docstring)."""
    _warn(owner, field, what)


def _enum_reader(cls: type[enum.Enum]) -> _Reader:
    members = cls._value2member_map_
    numeric = not issubclass(cls, str)

    def read_enum(value: Any, strict: bool) -> Any:
        try:
            member = members.get(value)
        except TypeError:  # an unhashable value: a list or an object
            raise _Bad(f"a {cls.__name__} value expected, got {_what(value)}") from None
        if member is not None and (type(value) is not bool or numeric is False):
            return member
        if strict or isinstance(value, dict | list | bool):
            raise _Bad(f"{value!r} is not a {cls.__name__} value the spec lists")
        try:
            return cls(value)  # an unknown value: missing_member makes it a member
        except ValueError:
            raise _Bad(f"{value!r} is not a {cls.__name__} value") from None

    return read_enum


def _json_text(value: str, want: type) -> Any:
    try:
        parsed = json.loads(value)
    except ValueError:
        raise _Bad(f"a JSON {want.__name__} expected, got text that is not JSON") from None
    return parsed


def _model_reader(load: Callable[[], type]) -> _Reader:
    cell: list[Any] = []

    def model() -> tuple[type, Fields]:
        if not cell:
            cls = load()
            cell[:] = [cls, cls._dbcloud_fields]  # type: ignore[attr-defined]
        return cell[0], cell[1]

    def read_model(value: Any, strict: bool) -> Any:
        cls, table = cell if cell else model()
        if type(value) is not dict and not isinstance(value, Mapping):
            if strict:
                raise _Bad(f"an object expected, got {_what(value)}")
            if isinstance(value, str):
                value = _json_text(value, dict)
            if isinstance(value, list) and not value:
                value = {}  # PHP's empty object
            if not isinstance(value, Mapping):
                raise _Bad(f"an object expected, got {_what(value)}")
        try:
            return _read_fields(cls, table, value, strict)
        except SpecMismatchError as exc:  # strict, inside a union's exact try or a list
            raise _Bad(str(exc), exc.path, exc.missing) from None

    read_model.model = model  # type: ignore[attr-defined]  # for _fit
    return read_model


def _list_reader(item: _Reader, where: tuple[type, str]) -> _Reader:
    def read_list(value: Any, strict: bool) -> Any:
        if type(value) is not list:
            if strict:
                raise _Bad(f"a list expected, got {_what(value)}")
            if isinstance(value, str):
                value = _json_text(value, list)
            if isinstance(value, dict) and not value:
                value = []
            if not isinstance(value, list | tuple):
                raise _Bad(f"a list expected, got {_what(value)}")
        out = []
        for index, element in enumerate(value):
            if element is None and not strict:
                continue
            try:
                out.append(item(element, strict))
            except _Bad as exc:
                if strict:
                    raise _Bad(f"item {index}: {exc}", exc.path, exc.missing) from None
                _warn(where[0], where[1], f"an item that cannot be read was left out of the list ({exc})")
        return out

    return read_list


_SKIPPED = _Bad("not tried")

# The JSON types each scalar reader takes as they are (strict reading); None: any.
_EXACT: dict[str, frozenset[type] | None] = {
    "str": frozenset({str}),
    "int": frozenset({int}),
    "float": frozenset({int, float}),
    "bool": frozenset({bool}),
    "datetime": frozenset({str}),
    "date": frozenset({str}),
    "uuid": frozenset({str}),
    "none": frozenset({type(None)}),
    "any": None,
    "file": None,
}


def _exact(kind: Kind) -> frozenset[type] | None:
    if isinstance(kind, str):
        return _EXACT[kind]
    tag = kind[0]
    if tag == "model":
        return frozenset({dict})
    if tag == "list":
        return frozenset({list})
    return None  # enums, literals, unions: tried


def _union_reader(options: tuple[_Reader, ...], kinds: tuple[Kind, ...]) -> _Reader:
    exact = tuple(zip(options, (_exact(k) for k in kinds), strict=True))

    def read_union(value: Any, strict: bool) -> Any:
        # The first option that fits exactly; failing that (tolerant reading), the first that
        # reads at all, objects judged by how many of their fields the value carries.
        failures: list[_Bad] = []
        kind = type(value)
        for option, takes in exact:
            if takes is not None and kind not in takes:  # cannot fit exactly: skip the try
                failures.append(_Bad(f"{_what(value)} is not one of its types") if strict else _SKIPPED)
                continue
            try:
                return option(value, True)
            except _Bad as exc:
                failures.append(exc)
        if strict:
            # The fault of the shape the value fits best says most about what is wrong.
            scores = [_fit(option, value) for option in options]
            top = max(scores)
            best = [failures[i] for i, score in enumerate(scores) if score == top]
            if len(best) == 1 and top > 0:
                raise best[0]
            reasons = "; or ".join(str(exc) for exc in best)
            raise _Bad(f"none of the {len(options)} accepted shapes fits {_what(value)}: {reasons}")
        ranked = sorted(options, key=lambda option: -_fit(option, value))
        for option in ranked:
            try:
                return option(value, False)
            except _Bad:
                continue
        raise _Bad(f"none of the {len(options)} accepted shapes fits {_what(value)}")

    return read_union


def _fit(option: _Reader, value: Any) -> int:
    # How well an object fits an object option: how many of the option's fields the value carries.
    model = getattr(option, "model", None)
    if model is None or not isinstance(value, Mapping):
        return 0
    cls, table = model()
    by_wire = (table._plan or table.plan(cls))[0]
    score = 0
    for _, wire, _, kind in table.fields:
        if wire not in value:
            continue
        score += 1
        reader = by_wire[wire][2]
        if isinstance(kind, tuple) and kind[0] in ("enum", "const", "literal"):
            # A discriminator (`type`, `kind`): whether its value is one this shape lists counts most.
            try:
                reader(value[wire], True)
                score += 5
            except _Bad:
                score -= 5
    return score


def _literal_reader(allowed: tuple[Any, ...]) -> _Reader:
    def read_literal(value: Any, strict: bool) -> Any:
        if value in allowed and type(value) in {type(a) for a in allowed}:
            return value
        if strict:
            raise _Bad(f"one of {list(allowed)!r} expected, got {value!r}")
        return value  # kept as sent: visible, and the union reader tried the others first

    return read_literal


def _what(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {json.dumps(value)}"
    if isinstance(value, str):
        return f"the text {value[:40]!r}" if len(value) <= 40 else "a text"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


# --- reading and writing -----------------------------------------------------------------------

_WARNED: set[tuple[str, str]] = set()


def _warn(cls: type, field: str, what: str) -> None:
    key = (f"{cls.__module__}.{cls.__qualname__}", field)
    if key in _WARNED:
        return
    _WARNED.add(key)
    _log.warning("%s.%s: %s (further ones for this field are not logged)", cls.__name__, field, what)


def read(cls: Any, src: Any, table: Fields, strict: bool | None = None) -> Any:
    """`src` (a decoded JSON object) as the model `cls`, following its field table.

    Raises:
        APIResponseError: `src` is not a JSON object.
        SpecMismatchError: strict reading, and `src` does not match the spec.
    """
    if not isinstance(src, Mapping):
        raise APIResponseError(f"a {cls.__name__} is a JSON object; the answer holds {_what(src)}")
    if strict is None:
        return _read_fields(cls, table, src, is_strict())
    token = _STRICT.set(strict)  # for the enums' own constructor, called from inside
    try:
        return _read_fields(cls, table, src, strict)
    finally:
        _STRICT.reset(token)


def _read_fields(cls: Any, table: Fields, src: Mapping[str, Any], strict: bool) -> Any:
    # Runs for every object of every answer: it walks the keys the answer has (not every field the
    # spec lists) and lets attrs fill in the UNSET defaults of the optional fields left out.
    by_wire, required, extra = table._plan or table.plan(cls)
    values: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for wire, value in src.items():
        entry = by_wire.get(wire)
        if entry is None:
            rest[wire] = value
            continue
        attr, nullable, reader = entry
        if value is None:
            if nullable:
                values[attr] = None
            elif strict:
                message = f"{cls.__name__}.{wire}: null, which the spec does not allow"
                raise SpecMismatchError(message, field=wire)
            else:
                values[attr] = table.unset
            continue
        try:
            values[attr] = reader(value, strict)
        except _Bad as exc:
            if strict:
                message = f"{cls.__name__}.{wire}: {exc}"
                raise SpecMismatchError(
                    message, field=wire, path=(wire, *exc.path), missing=exc.missing
                ) from None
            values[attr] = table.unset
            rest[wire] = value  # kept as sent, where the caller can still read it
            _warn(cls, wire, f"{exc}; kept as sent in additional_properties")
    for wire, attr in required:
        if attr not in values:
            if strict:
                message = f"{cls.__name__}.{wire}: required, but missing"
                raise SpecMismatchError(message, field=wire, missing=True)
            _warn(cls, wire, "required by the spec, but missing from the answer; read as UNSET")
            values[attr] = table.unset
    model = cls(**values)
    if extra is not None:
        if extra is not _read_any:
            for key, value in list(rest.items()):
                try:
                    rest[key] = extra(value, strict)
                except _Bad as exc:
                    if strict:
                        raise SpecMismatchError(f"{cls.__name__}[{key!r}]: {exc}", field=key) from None
                    _warn(cls, key, f"{exc}; kept as sent")
        model.additional_properties = rest
    elif rest and strict:
        raise SpecMismatchError(f"{cls.__name__}: fields the spec does not allow: {sorted(rest)}")
    return model


def write(model: Any, table: Fields) -> dict[str, Any]:
    """The model as a JSON object in the API's names: additional properties, then the fields.

    UNSET fields are left out (a required one is UNSET only when the answer it was read from
    lacked it); enums give their values, dates their ISO text, UUIDs their text.
    """
    unset = table.unset
    out: dict[str, Any] = dict(model.additional_properties) if table.extra is not None else {}
    if out:
        out = {key: _dump(value, unset) for key, value in out.items()}
    for attr, wire, _, _ in table.fields:
        value = getattr(model, attr)
        if value is not unset:
            out[wire] = _dump(value, unset)
    return out


def _dump(value: Any, unset: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if kind is list or kind is tuple:
        return [_dump(item, unset) for item in value]
    if kind is dict:
        return {key: _dump(item, unset) for key, item in value.items()}
    if hasattr(value, "_dbcloud_fields"):
        return write(value, value._dbcloud_fields)
    if isinstance(value, datetime.date):  # and datetime.datetime
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    to_tuple = getattr(value, "to_tuple", None)
    if to_tuple is not None:  # a File, in a multipart body
        return to_tuple()
    return value
