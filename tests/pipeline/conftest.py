from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from dbcloud_codegen.project import MIRROR_ENV, Project

SOURCES = """
[tiny]
title = "Tiny"
url = "https://tiny.example/spec.json"
auth = "header:X-Auth-Token:TINY_API_KEY"
accept = "application/json"
mirror = "tiny.json"
format = "json"
generator = "openapi-python-client"
package = "dbcloud_tiny_client"
overlay = "tiny.overlay.yaml"
"""

OVERLAY = """
overlay: 1.0.0
info: {title: tiny fixes, version: 1.0.0}
actions:
  - target: "$.components.schemas.Thing.properties"
    description: the vendor forgot the size
    update:
      size: {type: integer}
"""


def tiny_spec(version: str = "1.0", extra_path: bool = False) -> dict[str, Any]:
    """A small spec with the defects the passes mend: stray info keys, `schema: []`, no operationIds."""
    paths: dict[str, Any] = {
        "/things": {
            "get": {
                "tags": ["Things"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
                            }
                        },
                    }
                },
            }
        },
        "/things/{id}": {
            "delete": {
                "tags": ["Things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": []}}}},
            }
        },
    }
    if extra_path:
        paths["/widgets"] = {"get": {"tags": ["Things"], "responses": {"200": {"description": "ok"}}}}
    return {
        "openapi": "3.0.0",
        "title": "Tiny",
        "version": version,
        "data": None,
        "paths": paths,
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                }
            }
        },
    }


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    folder = tmp_path / "mirror"
    folder.mkdir()
    (folder / "tiny.json").write_text(json.dumps(tiny_spec()), encoding="utf-8")
    return folder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A scratch project with one small API, so pipeline tests never touch the real tree."""
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    root = tmp_path / "project"
    (root / "specs" / "overlays").mkdir(parents=True)
    (root / "specs" / "sources.toml").write_text(SOURCES, encoding="utf-8")
    (root / "specs" / "overlays" / "tiny.overlay.yaml").write_text(OVERLAY, encoding="utf-8")
    return Project(root)


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, to prove a failed run changed nothing."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }
