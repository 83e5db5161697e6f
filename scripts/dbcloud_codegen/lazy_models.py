"""Make a generated `models/__init__.py` import its models on first use, and the imports inside
generated functions cheap.

openapi-python-client writes a `models/__init__.py` that imports every model. Each operation module
imports its own models directly (`from ..models.cluster import Cluster`), but Python runs the
package's `__init__` first, so one call loaded them all: 1,062 modules and about 1.5 s for ClickHouse
Cloud. The rewritten `__init__` keeps the same names and `__all__`, resolves each name on first
access (PEP 562), and keeps static imports for type checkers.

A model's `from_dict` imports the models of its nested fields inside the function (the generator's
way around import cycles), so each import statement runs once per parsed object: for ACM's Cluster,
14 relative imports at about 1.5 us each were most of `from_dict`'s 25 us. `bind_local_imports`
turns them into attribute reads of the lazy models package, which keeps both properties the
generator wanted (no cycle at import time, nothing loaded before it is used).
"""

from __future__ import annotations

import ast
from pathlib import Path

from .errors import PipelineError

__all__ = ["bind_local_imports", "make_models_lazy"]

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


_LAZY = "_lazy_models"


def bind_local_imports(package_dir: Path) -> int:
    """Rewrite the imports inside functions of a generated package; return how many were rewritten.

    An import of a model the lazy `models` package exports becomes an attribute read of that
    package (`ClusterOptions = _lazy_models.ClusterOptions`): after the first read it is a plain
    module attribute, where an import statement costs about 1.5 us every time. Any other relative
    import inside a function becomes absolute. Module-level imports run once and stay as generated.
    """
    top = package_dir.name
    exported = _exported_models(package_dir)
    count = 0
    for path in sorted(package_dir.rglob("*.py")):
        if path == package_dir / "models" / "__init__.py":
            continue
        package = ".".join(path.relative_to(package_dir.parent).parent.parts)
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        # Each import with its innermost function (ast.walk visits outer functions first).
        nodes: dict[ast.ImportFrom, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.ImportFrom) and (
                        node.level or (node.module or "").startswith(f"{top}.")
                    ):
                        nodes[node] = function
        if not nodes:
            continue
        lines = source.splitlines(keepends=True)
        bound = False
        # Bottom up, so that replacing a statement's lines leaves the line numbers above it valid.
        for node in sorted(nodes, key=lambda n: n.lineno, reverse=True):
            module = _absolute(package, node, path)
            first, last = node.lineno - 1, (node.end_lineno or node.lineno)
            indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
            models = module.removeprefix(f"{top}.models.") if module.startswith(f"{top}.models.") else None
            if models is not None and all(exported.get(a.name) == models for a in node.names):
                # Only the names the function reads: the generator imports more than it uses (ruff
                # deletes an unused import, but would keep an unused assignment).
                used = {n.id for n in ast.walk(nodes[node]) if isinstance(n, ast.Name)}
                lines[first:last] = [
                    f"{indent}{a.asname or a.name} = {_LAZY}.{a.name}\n"
                    for a in node.names
                    if (a.asname or a.name) in used
                ]
                bound = True
            else:
                relative = "from " + "." * node.level + (node.module or "") + " "
                if node.level and relative not in lines[first]:
                    raise PipelineError(f"{path}:{node.lineno}: cannot rewrite {lines[first].strip()!r}")
                lines[first] = lines[first].replace(relative, f"from {module} ", 1)
            count += 1
        if bound:
            lines.insert(_after_future_import(tree), f"from {top} import models as {_LAZY}\n")
        path.write_text("".join(lines), encoding="utf-8")
    return count


def _absolute(package: str, node: ast.ImportFrom, path: Path) -> str:
    if node.level == 0:
        return node.module or ""
    parts = package.split(".")
    if node.level > len(parts):
        raise PipelineError(f"{path}:{node.lineno}: import beyond the top-level package")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def _exported_models(package_dir: Path) -> dict[str, str]:
    """{model name: module in models/} as the lazy `models/__init__.py` maps them; {} when none."""
    init = package_dir / "models" / "__init__.py"
    if not init.exists():
        return {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.AnnAssign) or node.value is None:
            continue
        if isinstance(node.target, ast.Name) and node.target.id == "_MODULES":
            mapping = ast.literal_eval(node.value)
            return {name: module.lstrip(".") for name, module in mapping.items()}
    return {}


def _after_future_import(tree: ast.Module) -> int:
    """The line index just after `from __future__ import ...` (or after the docstring, or 0)."""
    index = 0
    for node in tree.body:
        is_doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and index == 0
        if (isinstance(node, ast.ImportFrom) and node.module == "__future__") or is_doc:
            index = node.end_lineno or node.lineno
        else:
            break
    return index
