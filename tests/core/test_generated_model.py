"""`generated_model`: the one `.model` of the facades' records (dbcloud._results).

It must stay out of the dataclass's fields and slots, import the generated package only when
`.model` is read, read like a property (typed by mypy, documented in help(), not assignable), and
take a function of the record where the model depends on more than the class.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import pydoc
import subprocess
import sys
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest

from dbcloud import altinity, clickhouse, clickstack, cockroach
from dbcloud._results import generated_model
from dbcloud.cli._output import to_data

FAKE = "tests_fake_generated_models"


class Thing:
    """Stands in for a generated attrs model: `from_dict` keeps what it was given."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Thing:
        return cls(data)


@pytest.fixture
def fake_package() -> Iterator[types.ModuleType]:
    module = types.ModuleType(FAKE)
    module.Thing = Thing  # type: ignore[attr-defined]
    sys.modules[FAKE] = module
    yield module
    del sys.modules[FAKE]


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    model: ClassVar[generated_model[Thing]] = generated_model(f"{FAKE}:Thing")


@dataclass(frozen=True, slots=True)
class Chooser:
    kind: str
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    model: ClassVar[generated_model[tuple[str, Thing]]] = generated_model(
        lambda record: (record.kind, Thing.from_dict(record.raw)), "Read by the record's kind."
    )


def test_the_model_is_neither_a_field_nor_a_slot() -> None:
    assert [f.name for f in dataclasses.fields(Record)] == ["id", "raw"]
    assert "model" not in Record.__slots__
    assert not hasattr(Record("1"), "__dict__")
    assert Record("1", {"a": 1}) == Record("1", {"b": 2})  # equality untouched
    assert "model" not in repr(Record("1", {"a": 1}))


def test_it_parses_raw_on_each_read(fake_package: types.ModuleType) -> None:
    record = Record("1", {"name": "x"})
    first = record.model
    assert isinstance(first, Thing)
    assert first.data == {"name": "x"}
    assert record.model is not first  # nothing cached on a frozen, slotted record


def test_it_imports_the_generated_package_only_when_read() -> None:
    sys.modules.pop(FAKE, None)
    record = Record("1", {"name": "x"})  # building the record imports nothing
    with pytest.raises(ModuleNotFoundError, match=FAKE):
        _ = record.model


def test_the_real_records_import_no_generated_package_until_model_is_read() -> None:
    script = (
        "import json, sys\n"
        "from dbcloud.clickhouse._records import Organization\n"
        "before = sorted(m for m in sys.modules if m.startswith('dbcloud_'))\n"
        "Organization.from_api({'id': 'o', 'name': 'n'}).model\n"
        "after = sorted(m for m in sys.modules if m.startswith('dbcloud_'))\n"
        "print(json.dumps([before, after]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after = json.loads(done.stdout.splitlines()[-1])
    assert before == []
    assert "dbcloud_clickhouse_client.models.organization" in after


def test_a_function_of_the_record_reads_it_instead() -> None:
    kind, thing = Chooser("log", {"a": 1}).model
    assert (kind, thing.data) == ("log", {"a": 1})


def test_it_reads_like_a_read_only_property() -> None:
    assert isinstance(Record.model, generated_model)  # on the class: the descriptor
    assert inspect.getdoc(Record.model) == (
        f"The answer (`.raw`) read by the generated `Thing` model (`{FAKE}`)."
    )
    assert inspect.getdoc(Chooser.model) == "Read by the record's kind."
    assert inspect.isdatadescriptor(Record.model)
    page = pydoc.render_doc(Record, renderer=pydoc.plaintext)
    assert "Data descriptors defined here" in page
    assert "model\n |      The answer (`.raw`) read by the generated `Thing` model" in page
    # Refused by the frozen dataclass before the descriptor is asked (Python 3.11's frozen, slotted
    # dataclasses refuse a name that is not a field with a TypeError, later ones with an AttributeError).
    with pytest.raises((AttributeError, TypeError)):
        Record("1").model = Thing({})  # type: ignore[misc]


def test_a_plain_class_cannot_set_it_either() -> None:
    class Plain:
        raw: Mapping[str, Any] = {}
        model: ClassVar[generated_model[Thing]] = generated_model(f"{FAKE}:Thing")

    with pytest.raises(AttributeError, match=r"Plain\.model is read from \.raw"):
        Plain().model = Thing({})  # type: ignore[misc]


RECORDS = [
    (module, name)
    for module in (
        altinity._records,
        clickhouse._records,
        clickstack._records,
        cockroach._models,
    )
    for name in module.__all__
    if "model" in vars(getattr(module, name))
]


@pytest.mark.parametrize(("module", "name"), RECORDS, ids=[f"{m.__name__}.{n}" for m, n in RECORDS])
def test_every_record_of_the_facades_uses_it(module: types.ModuleType, name: str) -> None:
    cls = getattr(module, name)
    assert isinstance(vars(cls)["model"], generated_model)
    assert "model" not in [f.name for f in dataclasses.fields(cls)]
    assert inspect.getdoc(cls.model)


def test_the_records_are_all_found() -> None:
    names = {name for _, name in RECORDS}
    assert {"Service", "Organization", "Webhook", "Source", "Tile", "Node", "Region", "SqlUser"} <= names
    # Every facade module contributes; new records join without editing a count here.
    per_module = {module.__name__: 0 for module, _ in RECORDS}
    for module, _ in RECORDS:
        per_module[module.__name__] += 1
    assert len(per_module) == 4
    assert min(per_module.values()) >= 2


def test_a_record_reads_its_generated_model() -> None:
    service = clickhouse._records.Service.from_api({"id": "s", "name": "svc", "state": "running"})
    assert type(service.model).__name__ == "Service"
    assert service.model.name == "svc"
    node = cockroach._models.Node.from_api({"name": "n1", "region_name": "us-east1"})
    assert node.model.region_name == "us-east1"
    hook = clickstack._records.Webhook.from_api(
        {"id": "w", "name": "h", "service": "generic", "url": "https://example.com/h"}, "managed"
    )
    assert type(hook.model).__name__ == "ClickStackGenericWebhook"


def test_the_cli_does_not_print_it() -> None:
    # Built without a raw body, a record is printed by its fields and derived properties.
    made = to_data(clickhouse._records.Organization(id="o", name="n"))
    assert "model" not in made
    assert made["id"] == "o"
    node = to_data(cockroach._models.Node(name="n1", status="LIVE"))
    assert "model" not in node
    assert node["live"] is True
