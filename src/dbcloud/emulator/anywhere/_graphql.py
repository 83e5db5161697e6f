"""The GraphQL the Anywhere emulator reads: the errors it answers in its `errors` list, and a
reader of executable documents (operations with variables, fields, aliases and arguments; no
fragments, no directives)."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from dataclasses import dataclass
from typing import Any


class _GraphQLError(Exception):
    """An error to report in the answer's `errors` list, with its `extensions.code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _parse_failed(message: str) -> _GraphQLError:
    return _GraphQLError("GRAPHQL_PARSE_FAILED", f"Syntax Error: {message}")


def _invalid(message: str) -> _GraphQLError:
    return _GraphQLError("GRAPHQL_VALIDATION_FAILED", message)


# --- reading GraphQL documents -------------------------------------------------------------------


@dataclass(frozen=True)
class _Type:
    """A GraphQL type reference: a named type (`name`) or a list of `item`; `!` when not nullable."""

    name: str
    nullable: bool = True
    item: _Type | None = None

    def __str__(self) -> str:
        text = f"[{self.item}]" if self.item is not None else self.name
        return text if self.nullable else text + "!"

    @property
    def named(self) -> str:
        return self.item.named if self.item is not None else self.name


@dataclass(frozen=True)
class _Var:
    name: str


@dataclass(frozen=True)
class _EnumLiteral:
    value: str


@dataclass
class _Field:
    name: str
    alias: str | None
    arguments: dict[str, Any]  # literal values, with `_Var` and `_EnumLiteral` inside
    selections: list[_Field] | None

    @property
    def key(self) -> str:
        return self.alias or self.name


@dataclass
class _VariableDefinition:
    type: _Type
    default: Any = None
    has_default: bool = False


@dataclass
class _Operation:
    kind: str
    name: str | None
    variables: dict[str, _VariableDefinition]
    selections: list[_Field]


_TOKENS = re.compile(
    r"""
    (?P<skip>[\s,\ufeff]+|\#[^\n\r]*)
  | (?P<spread>\.\.\.)
  | (?P<block>\"\"\"(?:\\\"\"\"|(?!\"\"\")[\s\S])*\"\"\")
  | (?P<string>"(?:\\.|[^"\\\n\r])*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
  | (?P<punct>[!$&():=@\[\]{}|])
  | (?P<bad>.)
    """,
    re.VERBOSE,
)


class _Parser:
    """A recursive-descent reader of executable GraphQL documents (no fragments, no directives)."""

    def __init__(self, text: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        for match in _TOKENS.finditer(text):
            kind = match.lastgroup or "bad"
            if kind == "bad":
                raise _parse_failed(f"unexpected character {match.group()!r}")
            if kind != "skip":
                self.tokens.append((kind, match.group()))
        self.index = 0

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("eof", "")

    def _at(self, text: str) -> bool:
        kind, value = self._peek()
        return value == text and kind in ("punct", "spread")

    def _take(self, text: str | None = None, kind: str | None = None) -> str:
        found_kind, value = self._peek()
        if (text is not None and (value != text or found_kind not in ("punct", "name"))) or (
            kind is not None and found_kind != kind
        ):
            wanted = text or kind
            got = "end of document" if found_kind == "eof" else repr(value)
            raise _parse_failed(f"expected {wanted}, found {got}")
        self.index += 1
        return value

    def document(self) -> list[_Operation]:
        operations: list[_Operation] = []
        while self._peek()[0] != "eof":
            kind, value = self._peek()
            if self._at("{"):
                operations.append(_Operation("query", None, {}, self._selection_set()))
            elif kind == "name" and value in ("query", "mutation", "subscription"):
                self.index += 1
                operations.append(self._operation(value))
            elif kind == "name" and value == "fragment":
                raise _invalid("The emulator does not support fragments; select the fields directly.")
            else:
                raise _parse_failed(f"unexpected {value!r}")
        if not operations:
            raise _parse_failed("the document holds no operation")
        return operations

    def _operation(self, kind: str) -> _Operation:
        name = self._take(kind="name") if self._peek()[0] == "name" else None
        variables: dict[str, _VariableDefinition] = {}
        if self._at("("):
            self._take("(")
            while not self._at(")"):
                self._take("$")
                variable = self._take(kind="name")
                self._take(":")
                definition = _VariableDefinition(self._type())
                if self._at("="):
                    self._take("=")
                    definition.default, definition.has_default = self._value(), True
                if variable in variables:
                    raise _invalid(f'There can be only one variable named "${variable}".')
                variables[variable] = definition
            self._take(")")
        self._no_directives()
        return _Operation(kind, name, variables, self._selection_set())

    def _type(self) -> _Type:
        if self._at("["):
            self._take("[")
            found = _Type("", True, self._type())
            self._take("]")
        else:
            found = _Type(self._take(kind="name"))
        if self._at("!"):
            self._take("!")
            found = dataclasses.replace(found, nullable=False)
        return found

    def _no_directives(self) -> None:
        if self._at("@"):
            raise _invalid("The emulator does not support directives.")

    def _selection_set(self) -> list[_Field]:
        self._take("{")
        fields: list[_Field] = []
        while not self._at("}"):
            if self._at("..."):
                raise _invalid("The emulator does not support fragments; select the fields directly.")
            fields.append(self._field())
        self._take("}")
        if not fields:
            raise _parse_failed("a selection set needs at least one field")
        return fields

    def _field(self) -> _Field:
        name = self._take(kind="name")
        alias = None
        if self._at(":"):
            self._take(":")
            alias, name = name, self._take(kind="name")
        arguments: dict[str, Any] = {}
        if self._at("("):
            self._take("(")
            while not self._at(")"):
                argument = self._take(kind="name")
                self._take(":")
                if argument in arguments:
                    raise _invalid(f'There can be only one argument named "{argument}".')
                arguments[argument] = self._value()
            self._take(")")
        self._no_directives()
        selections = self._selection_set() if self._at("{") else None
        return _Field(name, alias, arguments, selections)

    def _value(self) -> Any:
        kind, value = self._peek()
        if self._at("$"):
            self._take("$")
            return _Var(self._take(kind="name"))
        if self._at("["):
            self._take("[")
            items = []
            while not self._at("]"):
                items.append(self._value())
            self._take("]")
            return items
        if self._at("{"):
            self._take("{")
            fields: dict[str, Any] = {}
            while not self._at("}"):
                key = self._take(kind="name")
                self._take(":")
                fields[key] = self._value()
            self._take("}")
            return fields
        self.index += 1
        if kind == "string":
            try:
                return json.loads(value)
            except ValueError:
                raise _parse_failed(f"invalid string {value}") from None
        if kind == "block":
            return _block_string(value[3:-3])
        if kind == "number":
            return float(value) if any(c in value for c in ".eE") else int(value)
        if kind == "name":
            return {"true": True, "false": False, "null": None}.get(value, _EnumLiteral(value))
        raise _parse_failed(f"expected a value, found {value or 'end of document'!r}")


def _block_string(raw: str) -> str:
    lines = raw.replace('\\"""', '"""').splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    cut = min(indents, default=0)
    lines = lines[:1] + [line[cut:] for line in lines[1:]]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


@functools.lru_cache(maxsize=256)
def _parse(document: str) -> list[_Operation]:
    """The operations of a document (cached: the facade sends the same few documents)."""
    try:
        return _Parser(document).document()
    except RecursionError:
        raise _parse_failed("the document is nested too deeply") from None
