"""Make the generated OpenAPI models read vendors' answers tolerantly (`dbcloud._reading`).

openapi-python-client writes, for every model, a `from_dict` that refuses anything the spec did not
foresee: an enum value it does not list raises ValueError, a missing required field KeyError, a
`null` or an object sent as JSON text TypeError, and one such value fails the whole answer. Vendors
add states and drop fields all the time, so this pass replaces, in each model class:

- `from_dict` and `to_dict` by calls to dbcloud's one reader and writer (`dbcloud._reading.read` /
  `write`), which follow a field table the pass writes after the class from the generator's own
  data: (attribute, wire name, required, kind) per property, where a kind is "str", "int",
  "float", "bool", "datetime", "date", "uuid", "file", "any", "none", ("enum", class name),
  ("model", class name), ("list", kind), ("union", (kinds)), ("const", value) or
  ("literal", (values));
- and, in each enum class, `_missing_` by `dbcloud._reading.missing_member`, so that an unknown
  value becomes a member of the enum (visible, typed) instead of a ValueError.

A custom template could not do it: the methods come from macros inside `model.py.jinja` that are
not overridable blocks. The pass works on the syntax tree of each module, changes only the two
methods it was asked to change (and fails loudly when one is not where it should be), and runs
before ruff and the import check, which therefore verify its output.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from .errors import PipelineError

__all__ = ["make_tolerant"]

_SCALAR_KINDS = {
    "StringProperty": "str",
    "IntProperty": "int",
    "FloatProperty": "float",
    "BooleanProperty": "bool",
    "DateTimeProperty": "datetime",
    "DateProperty": "date",
    "UuidProperty": "uuid",
    "FileProperty": "file",
    "AnyProperty": "any",
    "NoneProperty": "none",
}

_METHODS = '''    def to_dict(self) -> dict[str, Any]:
        return _reading.write(self, self._dbcloud_fields)

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any], *, strict: bool | None = None) -> T:
        """Read a decoded JSON object (see `dbcloud._reading`: tolerant unless strict)."""
        return _reading.read(cls, src_dict, cls._dbcloud_fields, strict)
'''

_MISSING = """
    @classmethod
    def _missing_(cls, value: object) -> Any:
        # A value the spec does not list: kept as a member made for it (see dbcloud._reading).
        return _reading.missing_member(cls, value)
"""

_IMPORTS = "from typing import Any, ClassVar\n\nfrom dbcloud import _reading\n"


def kind_of(prop: Any) -> Any:
    """The field kind of one generator property (see the module docstring)."""
    name = type(prop).__name__
    if name in _SCALAR_KINDS:
        return _SCALAR_KINDS[name]
    if name == "EnumProperty":
        return ("enum", str(prop.class_info.name))
    if name == "ModelProperty":
        return ("model", str(prop.class_info.name))
    if name == "ListProperty":
        return ("list", kind_of(prop.inner_property))
    if name == "UnionProperty":
        return ("union", tuple(kind_of(inner) for inner in prop.inner_properties))
    if name == "ConstProperty":
        return ("const", _text(prop.value.raw_value))
    if name == "LiteralEnumProperty":
        return ("literal", tuple(sorted((_text(v) for v in prop.values), key=repr)))
    raise PipelineError(f"tolerant reading: no kind for generator property {name} ({prop.name!r})")


def _text(value: Any) -> Any:
    # The generator wraps the spec's own strings (names, enum values) so that they cannot reach
    # code unquoted; here they are written as repr() literals, which quotes them safely.
    unwrap = getattr(value, "get_untrusted_value", None)
    return unwrap() if unwrap is not None else value


def _table(model: Any, models_package: str) -> str:
    rows = []
    for required, props in (
        (True, model.required_properties or []),
        (False, model.optional_properties or []),
    ):
        for prop in props:
            row = (str(prop.python_name), _text(prop.name), required, kind_of(prop))
            rows.append(f"        {row!r},\n")
    extra = model.additional_properties
    extra_kind = None if extra is None else kind_of(extra)
    name = model.class_info.name
    return (
        f"\n\n{name}._dbcloud_fields = _reading.Fields(\n"
        f"    {models_package!r},\n"
        "    UNSET,\n"
        f"    (\n{''.join(rows)}    ),\n"
        f"    extra={extra_kind!r},\n"
        ")\n"
    )


def make_tolerant(package_dir: Path, models: list[Any]) -> tuple[int, int]:
    """Rewrite the models and enums of one package; returns (models, enums) rewritten."""
    folder = package_dir / "models"
    if not folder.is_dir():
        return 0, 0
    models_package = f"{package_dir.name}.models"
    by_module: dict[str, list[Any]] = {}
    for model in models:
        by_module.setdefault(str(model.class_info.module_name), []).append(model)
    done_models = 0
    done_enums = 0
    for path in sorted(folder.glob("*.py")):
        if path.name == "__init__.py":
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        lines = source.splitlines(keepends=True)
        edits: list[tuple[int, int, str]] = []  # (first line index, end index, new text)
        tables: list[str] = []
        wanted = {str(m.class_info.name): m for m in by_module.get(path.stem, [])}
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            if _is_enum(node):
                edits.append(_enum_edit(node, path))
                done_enums += 1
            elif node.name in wanted:
                edits.extend(_model_edits(node, path))
                tables.append(_table(wanted.pop(node.name), models_package))
                done_models += 1
        if wanted:
            raise PipelineError(
                f"{path}: model class(es) {sorted(wanted)} not found; cannot make them tolerant"
            )
        if not edits:
            continue
        for first, end, text in sorted(edits, reverse=True):
            lines[first:end] = [text]
        text = "".join(lines) + "".join(tables)
        path.write_text(_with_imports(text, path), encoding="utf-8")
    if done_models != len(models):
        raise PipelineError(f"{package_dir.name}: {len(models)} models, {done_models} rewritten")
    return done_models, done_enums


def _is_enum(node: ast.ClassDef) -> bool:
    return any(isinstance(b, ast.Name) and b.id in ("StrEnum", "IntEnum", "Enum") for b in node.bases)


def _enum_edit(node: ast.ClassDef, path: Path) -> tuple[int, int, str]:
    if any(isinstance(n, ast.FunctionDef) and n.name == "_missing_" for n in node.body):
        raise PipelineError(f"{path}: enum {node.name} already defines _missing_")
    end = node.end_lineno or node.lineno
    return end, end, _MISSING


def _model_edits(node: ast.ClassDef, path: Path) -> list[tuple[int, int, str]]:
    methods = {n.name: n for n in node.body if isinstance(n, ast.FunctionDef)}
    missing = {"to_dict", "from_dict"} - set(methods)
    if missing:
        raise PipelineError(f"{path}: {node.name} has no {sorted(missing)}; cannot make it tolerant")
    first = min(_start(methods["to_dict"]), _start(methods["from_dict"]))
    last = max(methods["to_dict"].end_lineno or 0, methods["from_dict"].end_lineno or 0)
    between = [
        n
        for n in node.body
        if first < _start(n)
        and (n.end_lineno or 0) <= last
        and n not in (methods["to_dict"], methods["from_dict"])
    ]
    if between:
        raise PipelineError(f"{path}: {node.name}: something sits between to_dict and from_dict")
    declaration = "    _dbcloud_fields: ClassVar[_reading.Fields]\n\n"
    return [(first - 1, last, declaration + _METHODS)]


def _start(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _with_imports(text: str, path: Path) -> str:
    # ruff's import sorting (run by the pipeline afterwards) merges these with the module's own.
    marker = "from __future__ import annotations\n"
    if marker in text:
        return text.replace(marker, marker + "\n" + _IMPORTS, 1)
    if text.startswith(("from ", "import ")):  # an enum module: imports only, no future import
        return _IMPORTS + text
    raise PipelineError(f"{path}: unexpected start of module; cannot add imports")
