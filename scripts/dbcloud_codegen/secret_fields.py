"""Keep secrets out of the generated models' `repr`.

House rule: a token, key secret or password never reaches a repr, a log line or an exception. The
generated models (attrs classes from openapi-python-client, dataclasses from datamodel-code-generator)
print every attribute in their repr, so the pipeline declares each attribute that holds a secret with
`repr=False`. The value itself is untouched: `to_dict()` / `from_dict()` and the GraphQL codec still
carry it.

Which attributes hold secrets:

- the spec says so: `format: password`, `writeOnly: true`, our own extension `x-dbcloud-secret: true`
  (an overlay may set it, or set `false` to overrule every other rule), or, in GraphQL, the custom
  scalar `Sensitive`;
- or the wire name reads like one (`is_secret_name`: the project's one rule, kept in the runtime
  package, `dbcloud._secret_names`, so that logs, exceptions, the CLI and cassettes ask the same
  question): its last word names a secret (`adminPass`, `kubeToken`, `keySecret`,
  `newPasswordHash`) or it is a key qualified as secret (`awsSecretKey`, `sshKey`,
  `azure_shared_key`). A name that ends in a word about the secret (`tokenExpiry`,
  `passwordType`, `keyId`) or starts with a predicate (`hasPassword`, `allowAdminPassword`) is not one.
  Booleans, numbers and enums never hold a secret, whatever their name; an object or list with a
  secret's name (`credentials`) is hidden whole.

A wrong guess costs little one way (an attribute missing from a repr) and a leaked credential the
other, so the name rules lean towards hiding.

How: `normalize.mark_secret_properties` writes the decision into the OpenAPI document as
`x-dbcloud-secret: true` on each property; after the generator has written the package,
`hide_openapi_secrets` rewrites the declarations of those attributes in the model modules
(`graphql_gen` does the same for its dataclasses). A custom template cannot do it: the declaration
comes from Python code (`Property.to_string`) called inside `model.py.jinja`, which has no block to
override, so the template would have to be copied whole. The rewrite is exact: it works on the
syntax tree, changes only the declarations it was asked to change, and fails loudly when one is not
where it should be. It runs before ruff and the import check, which therefore verify its output.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dbcloud._secret_names import is_secret_name, name_words

from .errors import PipelineError

__all__ = [
    "SECRET_MARK",
    "hide_attributes",
    "hide_openapi_secrets",
    "is_secret_name",
    "name_words",
    "secret_reason",
]

SECRET_MARK = "x-dbcloud-secret"  # noqa: S105 - the name of a spec extension, not a password


def _resolve(doc: Mapping[str, Any], schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow local `$ref`s from `schema` to the Schema they name (`schema` itself if none resolves)."""
    seen: set[str] = set()
    while isinstance(ref := schema.get("$ref"), str) and ref.startswith("#/") and ref not in seen:
        seen.add(ref)
        node: Any = doc
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part) if isinstance(node, Mapping) else None
        if not isinstance(node, Mapping):
            break
        schema = node
    return schema


def _can_hold_secret(schema: Mapping[str, Any]) -> bool:
    """False for Schemas whose values are never secrets: booleans, numbers, enums and constants."""
    if "enum" in schema or "const" in schema:
        return False
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or ())
    types.discard("null")
    return not (types and types <= {"boolean", "integer", "number"})


def secret_reason(doc: Mapping[str, Any], name: str, prop: Mapping[str, Any]) -> str | None:
    """Why the property `name` with Schema `prop` holds a secret, or None when it does not.

    An explicit `x-dbcloud-secret` on the property is not looked at here: the caller honours it first.
    """
    target = _resolve(doc, prop)
    for node in (prop, target):
        if node.get("format") == "password":
            return "format: password"
        if node.get("writeOnly") is True:
            return "writeOnly"
    if target is not prop and target.get(SECRET_MARK) is True:
        return f"{SECRET_MARK} on {prop['$ref']}"
    if is_secret_name(name) and _can_hold_secret(target):
        return "name"
    return None


# --------------------------------------------------------------------------- the rewrite


def _field_calls(tree: ast.Module, module: str) -> tuple[set[str], set[str]]:
    """Names bound to `<module>.field` and names bound to the module itself, at module level."""
    functions: set[str] = set()
    modules: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == module and node.level == 0:
            functions |= {alias.asname or alias.name for alias in node.names if alias.name == "field"}
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == module}
    return functions, modules


def _field_call(value: ast.expr | None, functions: set[str], modules: set[str]) -> ast.Call | None:
    """`value` when it calls the field function (`field(...)` or `module.field(...)`), else None."""
    if not isinstance(value, ast.Call):
        return None
    func = value.func
    if isinstance(func, ast.Name) and func.id in functions:
        return value
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "field"
        and isinstance(func.value, ast.Name)
        and func.value.id in modules
    ):
        return value
    return None


def _segment(source: str, node: ast.AST) -> str:
    text = ast.get_source_segment(source, node)
    if text is None:  # pragma: no cover - every node parsed from source has a position
        raise PipelineError("cannot locate a node in the generated source")
    return text


def _hidden_value(
    source: str, value: ast.expr | None, alias: str, functions: set[str], modules: set[str]
) -> str | None:
    """The right-hand side that declares the attribute with repr=False (None: it already is)."""
    if value is None:
        return f"{alias}(repr=False)"
    call = _field_call(value, functions, modules)
    if call is None:
        return f"{alias}(repr=False, default={_segment(source, value)})"
    for keyword in call.keywords:
        if keyword.arg == "repr":
            if isinstance(keyword.value, ast.Constant) and keyword.value.value is False:
                return None
            raise PipelineError(f"a field() call already sets repr: {_segment(source, call)}")
    arguments = [_segment(source, arg) for arg in call.args]
    for keyword in call.keywords:
        given = _segment(source, keyword.value)
        arguments.append(f"{keyword.arg}={given}" if keyword.arg else f"**{given}")
    return f"{_segment(source, call.func)}({', '.join(['repr=False', *arguments])})"


def hide_attributes(
    source: str, hidden: Mapping[str, Iterable[str]], *, module: str, alias: str, origin: str
) -> str:
    """Declare the attributes `hidden` ({class name: attribute names}) with `repr=False`.

    `module` is where the field function lives (`attrs` or `dataclasses`) and `alias` the name it is
    imported as; the import is added when the module lacks it. A declaration `name: T = default`
    becomes `name: T = alias(repr=False, default=default)`, `name: T` becomes
    `name: T = alias(repr=False)` (still without a default, so the order rules of attrs and
    dataclasses hold), and an existing `field(...)` call gains `repr=False`. Only top-level classes
    are looked at. Raises `PipelineError` when a class or attribute is not declared where expected.
    """
    tree = ast.parse(source)
    functions, modules = _field_calls(tree, module)
    lines = source.splitlines(keepends=True)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    edits: list[tuple[int, int, str]] = []
    needs_import = False
    for class_name, attributes in hidden.items():
        wanted = set(attributes)
        if not wanted:
            continue
        cls = classes.get(class_name)
        if cls is None:
            raise PipelineError(f"{origin}: no class {class_name} to hide secret attributes in")
        for stmt in cls.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            name = stmt.target.id
            if name not in wanted:
                continue
            wanted.discard(name)
            value = _hidden_value(source, stmt.value, alias, functions | {alias}, modules)
            if value is not None:
                edits.append(_edit(source, lines, stmt, name, value, origin))
                needs_import |= value.startswith(f"{alias}(") and alias not in functions
        if wanted:
            raise PipelineError(
                f"{origin}: class {class_name} declares no attribute {', '.join(sorted(wanted))} to hide"
            )
    if not edits:
        return source
    for start, end, text in sorted(edits, reverse=True):
        lines[start:end] = [text]
    if needs_import:
        at = _import_line(tree)
        lines.insert(at, f"from {module} import field as {alias}\n")
    return "".join(lines)


def _edit(
    source: str, lines: list[str], stmt: ast.AnnAssign, name: str, value: str, origin: str
) -> tuple[int, int, str]:
    start, end = stmt.lineno - 1, (stmt.end_lineno or stmt.lineno)
    first = lines[start].encode("utf-8")
    last = lines[end - 1].encode("utf-8")
    indent = first[: stmt.col_offset].decode("utf-8")
    rest = last[stmt.end_col_offset or 0 :].decode("utf-8")
    if indent.strip() or rest.strip():
        raise PipelineError(f"{origin}:{stmt.lineno}: the declaration shares its line; cannot rewrite it")
    annotation = _segment(source, stmt.annotation)
    ending = "\n" if lines[end - 1].endswith("\n") else ""
    return start, end, f"{indent}{name}: {annotation} = {value}{ending}"


def _import_line(tree: ast.Module) -> int:
    """The line index just after the module's leading imports (after its docstring if none)."""
    at = 0
    for index, node in enumerate(tree.body):
        is_docstring = (
            index == 0
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        )
        if isinstance(node, ast.Import | ast.ImportFrom) or is_docstring:
            at = node.end_lineno or node.lineno
        else:
            break
    return at


# --------------------------------------------------------------------------- OpenAPI packages


def _marked_properties(doc: Mapping[str, Any], schema: Mapping[str, Any], seen: frozenset[int]) -> set[str]:
    """Wire names of the properties marked secret in `schema`, including those it takes from `allOf`."""
    if id(schema) in seen:
        return set()
    seen = seen | {id(schema)}
    names: set[str] = set()
    for member in schema.get("allOf") or ():
        if isinstance(member, Mapping):
            names |= _marked_properties(doc, _resolve(doc, member), seen)
    for name, prop in (schema.get("properties") or {}).items():
        if isinstance(prop, Mapping) and prop.get(SECRET_MARK) is True:
            names.add(name)
        elif isinstance(prop, Mapping) and prop.get(SECRET_MARK) is False:
            names.discard(name)
    return names


def hide_openapi_secrets(package_dir: Path, models: Iterable[Any], doc: Mapping[str, Any]) -> list[str]:
    """Declare the marked attributes of the generated models `repr=False`; return them as `Class.attr`.

    `models` are the generator's `ModelProperty` objects (`GeneratorData.models`): each names its
    module and class, keeps the Schema it came from (`data`), and pairs every property's wire name
    with its Python name. `doc` is the document the generator read, for `$ref`s in `allOf`.
    """
    hidden: dict[str, tuple[str, set[str]]] = {}
    for model in models:
        schema = model.data.model_dump(mode="json", by_alias=True, exclude_none=True)
        wire = _marked_properties(doc, schema, frozenset())
        if not wire:
            continue
        properties = [*(model.required_properties or ()), *(model.optional_properties or ())]
        attributes = {str(p.python_name) for p in properties if _wire_name(p.name) in wire}
        if attributes:
            hidden[str(model.class_info.module_name)] = (str(model.class_info.name), attributes)
    found: list[str] = []
    for module_name, (class_name, attributes) in sorted(hidden.items()):
        path = package_dir / "models" / f"{module_name}.py"
        text = path.read_text(encoding="utf-8")
        rewritten = hide_attributes(
            text, {class_name: attributes}, module="attrs", alias="_attrs_field", origin=str(path)
        )
        path.write_text(rewritten, encoding="utf-8", newline="\n")
        found += [f"{class_name}.{attribute}" for attribute in sorted(attributes)]
    return found


def _wire_name(name: Any) -> str:
    # The generator wraps names from the spec so they cannot slip into code unescaped.
    getter = getattr(name, "get_untrusted_value", None)
    return str(getter() if getter is not None else name)
