"""Apply OpenAPI Overlay 1.0 documents (specs/overlays/*.overlay.yaml) to a spec.

Targets are RFC 9535 JSONPath expressions. An action whose target selects nothing is an error, not
a silent no-op: it means the vendor changed the spec under the overlay, and someone has to look.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jsonpath_rfc9535 as jsonpath
import yaml

from .documents import Document
from .errors import PipelineError

__all__ = ["apply_overlay", "load_overlay"]

_VERSION = re.compile(r"^1\.0\.\d+$")


def load_overlay(path: Path) -> Document:
    """Read and check an Overlay document."""
    try:
        overlay = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PipelineError(f"{path}: cannot read the overlay: {exc}") from exc
    problems = []
    if not isinstance(overlay, dict):
        raise PipelineError(f"{path}: an overlay must be a mapping")
    if not _VERSION.match(str(overlay.get("overlay", ""))):
        problems.append("`overlay` must be a 1.0.x version")
    info = overlay.get("info")
    if not isinstance(info, dict) or not {"title", "version"} <= info.keys():
        problems.append("`info` needs a title and a version")
    actions = overlay.get("actions")
    if not isinstance(actions, list) or not actions:
        problems.append("`actions` must be a non-empty list")
    else:
        for index, action in enumerate(actions):
            if not isinstance(action, dict) or not str(action.get("target", "")).startswith("$"):
                problems.append(f"actions[{index}]: needs a JSONPath `target` starting with $")
            elif "update" not in action and action.get("remove") is not True:
                problems.append(f"actions[{index}]: needs `update` or `remove: true`")
    if problems:
        raise PipelineError(f"{path}: not a valid Overlay 1.0 document: " + "; ".join(problems))
    return overlay


def apply_overlay(doc: Document, overlay: Document, origin: str) -> list[str]:
    """Apply every action of `overlay` to `doc` in order; return one note per action."""
    notes = []
    for index, action in enumerate(overlay["actions"]):
        target = action["target"]
        label = f"{origin} actions[{index}] ({action.get('description') or target})"
        try:
            nodes = jsonpath.find(target, doc)
        except jsonpath.JSONPathError as exc:
            raise PipelineError(f"{label}: bad JSONPath {target!r}: {exc}") from exc
        if not nodes:
            raise PipelineError(
                f"{label}: target {target} selects nothing; the spec changed under the overlay"
            )
        if action.get("remove") is True:
            _remove(nodes, label)
        else:
            for node in nodes:
                _update(node.value, action["update"], label)
        notes.append(
            f"{label}: {'removed' if action.get('remove') is True else 'updated'} {len(nodes)} node(s)"
        )
    return notes


def _update(target: Any, update: Any, label: str) -> None:
    if isinstance(target, list):
        target.extend(copy.deepcopy(update) if isinstance(update, list) else [copy.deepcopy(update)])
    elif isinstance(target, dict) and isinstance(update, dict):
        _merge(target, update)
    else:
        raise PipelineError(f"{label}: can only update an object with an object, or append to an array")


def _merge(target: dict[str, Any], update: dict[str, Any]) -> None:
    # Objects merge key by key, recursively; anything else in the update replaces what was there.
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _remove(nodes: list[Any], label: str) -> None:
    # Remove from the deepest, last positions first, so earlier list indices stay valid.
    def position(node: Any) -> list[tuple[int, int, str]]:
        return [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in node.location]

    for node in sorted(nodes, key=position, reverse=True):
        if node.parent is None:
            raise PipelineError(f"{label}: cannot remove the document root")
        container = node.parent.value
        key = node.location[-1]
        if isinstance(container, dict):
            container.pop(key, None)
        elif isinstance(container, list):
            del container[key]
