"""One vendor registry: a sixth vendor is one entry plus its own package, and then every part of
dbcloud knows it (the lazy export, settings' messages, the CLI, `raw`, completion, the emulator)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import dbcloud
from dbcloud import _vendors
from dbcloud.cli._app import run
from dbcloud.cli._console import Console
from dbcloud.emulator import running

from . import _dummy_vendor as dummy


@pytest.fixture
def sixth(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[_vendors.Vendor]:
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))
    for name in ("DUMMY_API_KEY", "DUMMY_API_URL", "DBCLOUD_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    _vendors.register(dummy.ENTRY)
    try:
        yield dummy.ENTRY
    finally:
        _vendors.unregister(dummy.ENTRY.name)
        vars(dbcloud).pop(dummy.ENTRY.export, None)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), Console(stdout=out, stderr=err))
    return code, out.getvalue(), err.getvalue()


def test_the_registry_names_the_five_vendors_in_order() -> None:
    assert _vendors.vendor_names() == ("acm", "anywhere", "clickhouse", "clickstack", "cockroach")
    for entry in _vendors.vendors():
        assert getattr(dbcloud, entry.export) is _vendors.load(entry.client)
        assert _vendors.load(entry.commands).name == entry.name


def test_each_async_client_is_exported_beside_its_sync_twin() -> None:
    for entry in _vendors.vendors():
        if entry.async_client is None:
            continue
        assert entry.async_export == f"Async{entry.export}"
        assert entry.async_export in dbcloud.__all__
        async_class = getattr(dbcloud, entry.async_export)
        assert async_class is _vendors.load(entry.async_client)
        assert async_class._is_async
        assert not getattr(dbcloud, entry.export)._is_async


def test_a_sixth_vendor_is_exported_and_named_in_messages(sixth: _vendors.Vendor) -> None:
    assert dbcloud.DummyCloud is dummy.DummyCloud  # type: ignore[attr-defined]
    with pytest.raises(dbcloud.ConfigError, match=r"Dummy Cloud.*DUMMY_API_KEY"):
        dbcloud.DummyCloud()  # type: ignore[attr-defined]


def test_a_sixth_vendor_is_emulated_and_served_by_the_cli(
    sixth: _vendors.Vendor, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running() as emu:
        assert emu.env["DUMMY_API_KEY"] == "emulator-dummy-key"
        assert emu.env["DUMMY_API_URL"] == f"{emu.url}/dummy"
        for name, value in emu.env.items():
            monkeypatch.setenv(name, value)
        # The facade, over the shared core.
        with dbcloud.DummyCloud() as client:  # type: ignore[attr-defined]
            assert [t.name for t in client.things.list()] == ["first", "second"]
        # The CLI: its commands, `raw` and the error mapping, with nothing of its own edited.
        code, out, err = cli("dummy", "things", "list", "-o", "json")
        assert code == 0, err
        assert [t["id"] for t in json.loads(out)] == ["t-1", "t-2"]
        code, out, err = cli("raw", "dummy", "GET", "/things")
        assert code == 0, err
        assert json.loads(out)[1]["name"] == "second"
        code, _, err = cli("dummy", "things", "list", "--dummy-api-key", "wrong-key-for-the-test")
        assert code == 3, err  # authentication failed
        assert "wrong-key-for-the-test" not in err
    # The completion scripts offer it too.
    code, out, _ = cli("completion", "bash")
    assert code == 0
    assert "dummy" in out


def test_a_vendor_is_registered_once(sixth: _vendors.Vendor) -> None:
    with pytest.raises(ValueError, match="registered"):
        _vendors.register(dummy.ENTRY)
