"""Emulator answers checked against the vendor's spec, as the pipeline prepares it (the spec of
../shared/specs, overlays and repairs applied): one copy for every emulator test module.

    check = SpecCheck(shared_specs, "cockroach")
    check.schema("SQLUser", answer)       # against a component schema
    check.answer(response)                 # against the response schema of the operation it answers
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import httpx


@functools.cache
def prepared(mirror: Path, api: str) -> dict[str, Any]:
    """The API's spec from `mirror`, as the pipeline prepares it (read once per run; not to be changed)."""
    from dbcloud_codegen.documents import load_openapi
    from dbcloud_codegen.openapi_gen import prepare_openapi
    from dbcloud_codegen.project import Project
    from dbcloud_codegen.sources import load_sources

    project = Project.default()
    source = load_sources(project.sources_file)[api]
    doc = load_openapi((mirror / source.mirror).read_bytes(), source.mirror, source.format)
    prepare_openapi(doc, project.overlays / source.overlay if source.overlay else None)
    return doc


class SpecCheck:
    """Validates answers against one API's prepared spec; `checked` counts the answers validated."""

    def __init__(self, shared_specs: Path, api: str) -> None:
        self.doc = doc = prepared(shared_specs, api)
        # Most literal template first: /dashboards/validate before /dashboards/{id}.
        templates = sorted(doc["paths"], key=lambda t: t.count("{"))
        self.templates = [(re.compile("^" + re.sub(r"{[^/]+}", "[^/]+", t) + "$"), t) for t in templates]
        self.checked = 0

    def _errors(self, schema: dict[str, Any], data: Any) -> list[str]:
        from openapi_schema_validator import OAS30Validator, OAS31Validator

        validator = OAS31Validator if self.doc["openapi"].startswith("3.1") else OAS30Validator
        wrapped = {**schema, "components": self.doc["components"]}
        return [f"{e.message} at {list(e.absolute_path)}" for e in validator(wrapped).iter_errors(data)]

    def schema(self, name: str, data: Any) -> None:
        """`data` is a valid `components.schemas[name]`."""
        errors = self._errors({"$ref": f"#/components/schemas/{name}"}, data)
        assert errors == [], (name, errors[:5])
        self.checked += 1

    def get(self, client: httpx.Client, path: str) -> Any:
        return self.answer(client.get(path))

    def answer(self, response: httpx.Response) -> Any:
        """The answer's JSON, once it validates against its operation's response schema."""
        assert response.status_code < 300, response.text
        path = re.sub(r"^.*?(?=/v1/|/api/v2/)", "", response.request.url.path)
        template = next(t for pattern, t in self.templates if pattern.match(path))
        operation = self.doc["paths"][template][response.request.method.lower()]
        schema = operation["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
        errors = self._errors(schema, response.json())
        assert not errors, f"{response.request.method} {path}: {errors[0]}"
        self.checked += 1
        return response.json()
