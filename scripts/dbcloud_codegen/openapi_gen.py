"""Prepare an OpenAPI spec (generic passes, overlay, validation) and generate its client package."""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path
from typing import Any

from .documents import Document
from .errors import PipelineError
from .normalize import SEMANTIC, STRUCTURAL, iter_operations, normalize
from .overlay import apply_overlay, load_overlay
from .routes import write_routes
from .secret_fields import hide_openapi_secrets
from .stats import GenStats
from .tolerant import make_tolerant

__all__ = ["generate_openapi", "prepare_openapi", "validate_openapi"]


def prepare_openapi(doc: Document, overlay: Path | None) -> tuple[int, list[str]]:
    """Repair `doc` in place; return the vendor's operation count and the notes of every repair."""
    notes = normalize(doc, STRUCTURAL)
    vendor_operations = sum(1 for _ in iter_operations(doc))
    if overlay is not None:
        notes += apply_overlay(doc, load_overlay(overlay), overlay.name)
    notes += normalize(doc, SEMANTIC)
    return vendor_operations, notes


def validate_openapi(doc: Document, origin: str) -> None:
    """Validate against the OpenAPI 3.0 / 3.1 schema, raising one readable error."""
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

    try:
        validate(doc)
    except OpenAPIValidationError as exc:
        parts = [str(p).replace("~", "~0").replace("/", "~1") for p in getattr(exc, "path", ())]
        where = "#/" + "/".join(parts)
        raise PipelineError(f"{origin}: still invalid after repairs, at {where}: {exc.message}") from exc


def generate_openapi(doc: Document, package_dir: Path, *, api: str, vendor_operations: int) -> GenStats:
    """Generate the attrs + httpx client for `doc` into `package_dir` (which must not exist).

    Any generator warning is an error: a warning means an operation or model was dropped. The model
    attributes that `normalize.mark_secret_properties` marked are then declared `repr=False`, and
    `_routes.py` lists every operation for the emulator (`routes.py`).
    """
    from openapi_python_client import Project
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.errors import GeneratorError

    started = time.perf_counter()
    config = Config.from_sources(
        # The pipeline formats and import-checks every package itself, once, after all are built.
        ConfigFile(post_hooks=[]),
        MetaType.NONE,
        document_source=package_dir,
        file_encoding="utf-8",
        overwrite=False,
        output_path=package_dir,
    )
    data = GeneratorData.from_dict(doc, config=config)
    if isinstance(data, GeneratorError):
        raise PipelineError(f"{api}: the generator rejected the spec: {_describe(data)}")
    with contextlib.redirect_stdout(io.StringIO()):  # it prints a progress line per package
        errors = Project(openapi=data, config=config).build()
    warnings = [_describe(error) for error in errors]
    if warnings:
        raise PipelineError(
            f"{api}: the generator reported {len(warnings)} problem(s):\n" + "\n".join(warnings)
        )
    # House rule: secrets never reach a repr. The generator prints every attribute; hide the marked ones.
    secret_fields = hide_openapi_secrets(package_dir, data.models, doc)
    # Vendors' answers drift from their specs: the models read them through dbcloud's tolerant reader.
    make_tolerant(package_dir, list(data.models))
    routes = write_routes(package_dir, data, doc, field_prefix=config.field_prefix)
    generated = _count_modules(package_dir / "api", depth=2)
    if routes != generated:
        raise PipelineError(f"{api}: _routes.py lists {routes} operation(s) but {generated} were generated")
    return GenStats(
        api=api,
        operations=vendor_operations,
        generated=generated,
        models=_count_modules(package_dir / "models", depth=1),
        secret_fields=secret_fields,
        seconds=time.perf_counter() - started,
    )


def _describe(error: Any) -> str:
    detail = f": {error.detail}" if getattr(error, "detail", None) else ""
    return f"{error.header}{detail}"


def _count_modules(folder: Path, depth: int) -> int:
    pattern = "/".join(["*"] * (depth - 1) + ["*.py"])
    return sum(1 for path in folder.glob(pattern) if path.name != "__init__.py")
