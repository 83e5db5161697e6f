"""The Overlay 1.0 applier, and the project's vendor overlays on the real specs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from dbcloud_codegen.documents import load_openapi
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.normalize import SEMANTIC, STRUCTURAL, normalize
from dbcloud_codegen.overlay import apply_overlay, load_overlay

OVERLAYS = Path(__file__).resolve().parents[2] / "specs" / "overlays"


def write_overlay(tmp_path: Path, actions: list[dict[str, Any]], **extra: Any) -> Path:
    doc = {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions, **extra}
    path = tmp_path / "t.overlay.yaml"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    return path


def apply(tmp_path: Path, doc: dict[str, Any], actions: list[dict[str, Any]]) -> list[str]:
    return apply_overlay(doc, load_overlay(write_overlay(tmp_path, actions)), "t.overlay.yaml")


def test_update_merges_objects_recursively(tmp_path: Path) -> None:
    doc = {"info": {"title": "A", "contact": {"name": "x", "url": "u"}}}
    apply(tmp_path, doc, [{"target": "$.info", "update": {"version": "2", "contact": {"name": "y"}}}])
    assert doc == {"info": {"title": "A", "version": "2", "contact": {"name": "y", "url": "u"}}}


def test_update_on_an_array_appends(tmp_path: Path) -> None:
    doc: dict[str, Any] = {"tags": [{"name": "a"}]}
    apply(tmp_path, doc, [{"target": "$.tags", "update": [{"name": "b"}, {"name": "c"}]}])
    apply(tmp_path, doc, [{"target": "$.tags", "update": {"name": "d"}}])
    assert [t["name"] for t in doc["tags"]] == ["a", "b", "c", "d"]


def test_filter_targets_reach_every_match(tmp_path: Path) -> None:
    doc = {"a": {"$ref": "#/Bad"}, "b": [{"$ref": "#/Bad"}, {"$ref": "#/Good"}]}
    notes = apply(tmp_path, doc, [{"target": "$..[?@['$ref'] == '#/Bad']", "update": {"$ref": "#/Fixed"}}])
    assert doc == {"a": {"$ref": "#/Fixed"}, "b": [{"$ref": "#/Fixed"}, {"$ref": "#/Good"}]}
    assert notes == ["t.overlay.yaml actions[0] ($..[?@['$ref'] == '#/Bad']): updated 2 node(s)"]


def test_remove_deletes_object_members_and_array_items(tmp_path: Path) -> None:
    doc = {"paths": {"/a": 1, "/b": 2}, "list": [0, 1, 2, 3]}
    apply(
        tmp_path,
        doc,
        [
            {"target": "$.paths['/a']", "remove": True},
            {"target": "$.list[?@ > 0]", "remove": True},
        ],
    )
    assert doc == {"paths": {"/b": 2}, "list": [0]}


def test_a_target_that_selects_nothing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"selects nothing; the spec changed under the overlay"):
        apply(tmp_path, {"paths": {}}, [{"target": "$.paths['/gone']", "update": {"x": 1}}])


def test_a_bad_jsonpath_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="bad JSONPath"):
        apply(tmp_path, {}, [{"target": "$.paths[", "update": {}}])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {
                "overlay": "2.0.0",
                "info": {"title": "t", "version": "1"},
                "actions": [{"target": "$", "remove": True}],
            },
            "1.0.x",
        ),
        ({"overlay": "1.0.0", "actions": [{"target": "$", "update": {}}]}, "`info`"),
        ({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": []}, "non-empty"),
        (
            {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "paths"}]},
            "target",
        ),
        (
            {"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": [{"target": "$.a"}]},
            "update",
        ),
    ],
)
def test_invalid_overlay_documents_are_refused(
    tmp_path: Path, document: dict[str, Any], message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    with pytest.raises(PipelineError, match=message):
        load_overlay(path)


def test_project_overlays_are_valid_overlay_documents() -> None:
    paths = sorted(OVERLAYS.glob("*.overlay.yaml"))
    assert paths
    for path in paths:
        load_overlay(path)


def _vendor_doc(shared_specs: Path, name: str) -> dict[str, Any]:
    doc = load_openapi((shared_specs / name).read_bytes(), name)
    normalize(doc, STRUCTURAL)
    return doc


def test_acm_overlay_fixes_the_cluser_volume_typo(shared_specs: Path) -> None:
    doc = _vendor_doc(shared_specs, "acm-full.json")
    assert "CluserVolume" in json.dumps(doc)
    apply_overlay(doc, load_overlay(OVERLAYS / "acm.overlay.yaml"), "acm")
    assert "CluserVolume" not in json.dumps(doc)


# The two vendor pages' launch bodies, field by field, with the JSON type each writes.
DOCUMENTED_LAUNCH = {
    "name": "string",
    "nodes": "integer",
    "shards": "integer",
    "replicas": "integer",
    "adminUser": "string",
    "adminPass": "string",
    "secure": "boolean",
    "nodeType": "string",
    "instanceType": "string",
    "version": "string",
    "size": "integer",
    "disks": "integer",
    "storageClass": "string",
    "lbType": "string",
    "nodePlacement": "string",
    "https_port": "integer",
    "tcp_port_secure": "integer",
    "zookeeper": "string",
}


def _repaired_acm(shared_specs: Path) -> dict[str, Any]:
    doc = _vendor_doc(shared_specs, "acm-full.json")
    apply_overlay(doc, load_overlay(OVERLAYS / "acm.overlay.yaml"), "acm")
    normalize(doc, SEMANTIC)
    return doc


def test_acm_launches_take_the_documented_json_body(shared_specs: Path) -> None:
    vendor = _vendor_doc(shared_specs, "acm-full.json")
    spec_fields = [
        p["name"]
        for p in vendor["paths"]["/environment/{environment}/clusters/launch"]["post"]["parameters"]
        if p["in"] == "query"
    ]
    doc = _repaired_acm(shared_specs)
    ref = {"$ref": "#/components/schemas/ClusterLaunchRequest"}
    for path in ("/environment/{environment}/clusters/launch", "/{environment}/cluster-launch"):
        launch = doc["paths"][path]["post"]
        assert launch["security"] == [{"ApiKeyAuth": []}]
        assert [p["in"] for p in launch["parameters"]] == ["path"]  # nothing left for the URL
        assert launch["requestBody"]["content"] == {"application/json": {"schema": ref}}
    body = doc["components"]["schemas"]["ClusterLaunchRequest"]["properties"]
    for field, kind in DOCUMENTED_LAUNCH.items():
        assert body[field]["type"] == kind, field
    assert body["zookeeperOptions"] == {"$ref": "#/components/schemas/ZookeeperLaunchOptions"}
    options = doc["components"]["schemas"]["ZookeeperLaunchOptions"]["properties"]
    assert set(options) == {"tag", "size", "root"}
    # Every field the spec's query had is a field of the body: the move loses nothing.
    assert set(spec_fields) <= set(body)
    assert body["adminPass"]["x-dbcloud-secret"] is True


def test_acm_sign_in_and_key_list_take_form_bodies(shared_specs: Path) -> None:
    doc = _repaired_acm(shared_specs)
    for path, fields in (("/login", {"login", "password"}), ("/account", {"tokens", "password"})):
        operation = doc["paths"][path]["post"]
        assert not [p for p in operation.get("parameters", []) if p["in"] == "query"]
        (media,) = operation["requestBody"]["content"].items()
        assert media[0] == "application/x-www-form-urlencoded"
        assert fields <= set(media[1]["schema"]["properties"])


def test_clickhouse_overlay_makes_filtered_metrics_a_boolean(shared_specs: Path) -> None:
    doc = _vendor_doc(shared_specs, "clickhouse-cloud.json")
    apply_overlay(doc, load_overlay(OVERLAYS / "clickhouse.overlay.yaml"), "clickhouse")
    flags = [
        param["schema"]
        for item in doc["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for param in operation.get("parameters", [])
        if param.get("name") == "filtered_metrics"
    ]
    assert flags == [{"type": "boolean"}, {"type": "boolean"}]
