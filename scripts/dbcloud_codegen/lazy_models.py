"""Make a generated `models/__init__.py` import its models on first use, and function-level
imports absolute.

openapi-python-client writes a `models/__init__.py` that imports every model. Each operation module
imports its own models directly (`from ..models.cluster import Cluster`), but Python runs the
package's `__init__` first, so one call loaded them all: 1,062 modules and about 1.5 s for ClickHouse
Cloud. The rewritten `__init__` keeps the same names and `__all__`, resolves each name on first
access (PEP 562), and keeps static imports for type checkers.

A model's `from_dict` imports the models of its nested fields inside the function (the generator's
way around import cycles), so each import statement runs once per parsed object. A relative import
costs about twice an absolute one (CPython resolves the package through `__spec__.parent`, a Python
property, every time): for ACM's Cluster, 14 such imports were most of `from_dict`'s 25 us.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .errors import PipelineError

__all__ = ["absolute_local_imports", "make_models_lazy"]

_TEMPLATE = '''"""{doc}"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
{type_imports}

# Each model's module, imported when the model is first used: importing every model up front
# costs more than most callers ever need.
_MODULES: dict[str, str] = {{
{modules}
}}

__all__ = (
{names}
)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__all__)
'''


def make_models_lazy(package_dir: Path) -> int:
    """Rewrite `package_dir/models/__init__.py` (if any) to import lazily; return the model count."""
    init = package_dir / "models" / "__init__.py"
    if not init.exists():
        return 0
    tree = ast.parse(init.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree) or "The data models of the API."
    imports: list[tuple[str, str]] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            imports += [(a.asname or a.name, node.module) for a in node.names if a.name != "*"]
        elif isinstance(node, ast.Import | ast.ImportFrom):
            raise PipelineError(f"{init}: unexpected import {ast.unparse(node)!r}; cannot make it lazy")
    if not imports:
        return 0
    imports.sort()
    init.write_text(
        _TEMPLATE.format(
            doc=doc.replace('"""', "'''"),
            type_imports="\n".join(f"    from .{module} import {name}" for name, module in imports),
            modules="\n".join(f'    "{name}": ".{module}",' for name, module in imports),
            names="\n".join(f'    "{name}",' for name, _ in imports),
        ),
        encoding="utf-8",
    )
    return len(imports)


def absolute_local_imports(package_dir: Path) -> int:
    """Rewrite relative imports inside functions of a generated package as absolute; return how many.

    Module-level imports run once and are left as generated.
    """
    count = 0
    for path in sorted(package_dir.rglob("*.py")):
        package = ".".join(path.relative_to(package_dir.parent).parent.parts)
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines(keepends=True)
        changed = False
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not (isinstance(node, ast.ImportFrom) and node.level > 0):
                    continue
                parts = package.split(".")
                if node.level > len(parts):
                    raise PipelineError(f"{path}:{node.lineno}: import beyond the top-level package")
                base = ".".join(parts[: len(parts) - node.level + 1])
                relative = "from " + "." * node.level + (node.module or "") + " "
                absolute = f"from {base}{'.' + node.module if node.module else ''} "
                line = lines[node.lineno - 1]
                if relative not in line:
                    raise PipelineError(f"{path}:{node.lineno}: cannot rewrite {line.strip()!r}")
                lines[node.lineno - 1] = line.replace(relative, absolute, 1)
                changed = True
                count += 1
        if changed:
            path.write_text("".join(lines), encoding="utf-8")
    return count
