"""Parse raw spec bytes into a document, with clear errors for corrupt or truncated input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import PipelineError

__all__ = ["Document", "dump_json", "load_openapi", "load_sdl", "read_spec_file", "sniff_format"]

Document = dict[str, Any]


# libyaml's parser when PyYAML was built with it: several times faster on the large vendor YAMLs.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringTimestampLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps YAML timestamps as strings.

    PyYAML turns `version: 2024-09-16` into a date, which no longer validates as a string
    (the CockroachDB YAML's info.version, and 108 examples there).
    """


_StringTimestampLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


def sniff_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return "yaml"
    if suffix in {".graphql", ".graphqls", ".schema", ".sdl"}:
        return "graphql"
    return "json"


def _decode(data: bytes, origin: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PipelineError(f"{origin}: not UTF-8 text (byte {exc.start})") from exc


def load_openapi(data: bytes, origin: str, fmt: str = "json") -> Document:
    """Parse an OpenAPI document; unwrap a `{data, error}` response envelope around it."""
    text = _decode(data, origin)
    if not text.strip():
        raise PipelineError(f"{origin}: the file is empty")
    try:
        # A SafeLoader subclass, so S506 (unsafe yaml.load) does not apply.
        doc = yaml.load(text, Loader=_StringTimestampLoader) if fmt == "yaml" else json.loads(text)  # noqa: S506
    except json.JSONDecodeError as exc:
        where = f"the file ends early (truncated?); {exc.msg}" if _ends_open(text) else exc.msg
        raise PipelineError(
            f"{origin}: not valid JSON at line {exc.lineno} column {exc.colno}: {where}"
        ) from exc
    except yaml.YAMLError as exc:
        raise PipelineError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise PipelineError(f"{origin}: expected an OpenAPI object, got {type(doc).__name__}")
    doc = _unwrap_envelope(doc, origin)
    version = doc.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise PipelineError(f"{origin}: not an OpenAPI 3 document (openapi: {version!r})")
    if not isinstance(doc.get("paths"), dict):
        raise PipelineError(f"{origin}: the document has no `paths` object")
    return doc


def _ends_open(text: str) -> bool:
    """Whether JSON text stops inside a string, an object or an array: the mark of a truncated file."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return in_string or depth > 0


def _unwrap_envelope(doc: Document, origin: str) -> Document:
    # ACM wraps API responses as {"data": ..., "error": ...}; a served spec may come wrapped too.
    # The acmctl snapshot carries `data: null, error: null` beside the spec itself: not an envelope.
    inner = doc.get("data")
    if "openapi" not in doc and isinstance(inner, dict) and "openapi" in inner:
        return inner
    if "openapi" not in doc and doc.get("error"):
        raise PipelineError(f"{origin}: the server answered with an error instead of a spec: {doc['error']}")
    return doc


def load_sdl(data: bytes, origin: str) -> str:
    """Check that GraphQL SDL text parses; return it."""
    from graphql import GraphQLSyntaxError, parse

    text = _decode(data, origin)
    if not text.strip():
        raise PipelineError(f"{origin}: the file is empty")
    try:
        parse(text, no_location=True)
    except GraphQLSyntaxError as exc:
        raise PipelineError(f"{origin}: not valid GraphQL SDL: {exc.message} at {exc.locations}") from exc
    return text


def read_spec_file(path: Path) -> Document | str:
    """Read a spec from disk, by its file name's suffix."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"{path}: cannot read: {exc.strerror}") from exc
    fmt = sniff_format(path.name)
    if fmt == "graphql":
        return load_sdl(data, str(path))
    return load_openapi(data, str(path), fmt)


def dump_json(doc: object) -> str:
    """Canonical JSON text for documents the pipeline writes itself."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
