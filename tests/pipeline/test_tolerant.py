"""The pipeline pass that makes generated models read through dbcloud's tolerant reader."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.tolerant import kind_of, make_tolerant


def _prop(cls: str, name: str, **extra: object) -> object:
    return type(cls, (), {"name": name, "python_name": name, **extra})()


def test_kinds_follow_the_generator_properties() -> None:
    enum = _prop("EnumProperty", "state", class_info=SimpleNamespace(name="State"))
    listed = _prop("ListProperty", "tags", inner_property=_prop("StringProperty", "x"))
    union = _prop(
        "UnionProperty", "n", inner_properties=[_prop("NoneProperty", "n"), _prop("IntProperty", "n")]
    )
    assert kind_of(enum) == ("enum", "State")
    assert kind_of(listed) == ("list", "str")
    assert kind_of(union) == ("union", ("none", "int"))


def test_a_property_kind_it_does_not_know_fails_loudly() -> None:
    with pytest.raises(PipelineError, match="no kind for generator property MysteryProperty"):
        kind_of(_prop("MysteryProperty", "x"))


def _model(name: str) -> object:
    return SimpleNamespace(
        class_info=SimpleNamespace(name=name, module_name="thing"),
        required_properties=[_prop("StringProperty", "id")],
        optional_properties=[],
        additional_properties=None,
    )


def test_a_model_without_from_dict_fails_loudly(tmp_path: Path) -> None:
    models = tmp_path / "pkg" / "models"
    models.mkdir(parents=True)
    (models / "thing.py").write_text(
        "from __future__ import annotations\n\nclass Thing:\n    def to_dict(self):\n        return {}\n"
    )
    with pytest.raises(PipelineError, match="has no \\['from_dict'\\]"):
        make_tolerant(tmp_path / "pkg", [_model("Thing")])


def test_the_methods_are_replaced_and_the_table_written(tmp_path: Path) -> None:
    models = tmp_path / "pkg" / "models"
    models.mkdir(parents=True)
    (models / "thing.py").write_text(
        "from __future__ import annotations\n\n"
        "class Thing:\n"
        "    def to_dict(self):\n        return {'id': self.id}\n\n"
        "    @classmethod\n    def from_dict(cls, d):\n        return cls(d['id'])\n"
    )
    assert make_tolerant(tmp_path / "pkg", [_model("Thing")]) == (1, 0)
    text = (models / "thing.py").read_text()
    assert "return cls(d['id'])" not in text
    assert "_reading.read(cls, src_dict, cls._dbcloud_fields, strict)" in text
    assert "('id', 'id', True, 'str')" in text
    assert "extra=None" in text
