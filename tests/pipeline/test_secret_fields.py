"""Secret model attributes are left out of `repr`: the name rules, the spec marks, the rewrite, and the
packages it produces (a scratch OpenAPI client, a small GraphQL SDL, and the committed generated/)."""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from dbcloud_codegen.errors import PipelineError
from dbcloud_codegen.graphql_gen import generate_graphql
from dbcloud_codegen.normalize import iter_schemas, mark_secret_properties
from dbcloud_codegen.project import Project
from dbcloud_codegen.regenerate import regenerate
from dbcloud_codegen.secret_fields import (
    SECRET_MARK,
    hide_attributes,
    is_secret_name,
    name_words,
    secret_reason,
)

from .conftest import tiny_spec

ROOT = Path(__file__).resolve().parents[2]

# Values that must never show up in a repr; each is distinct so a leak names its field.
PASSWORD = "pw-d0-not-print"
TOKEN = "tok-d0-not-print"
KEY = "key-d0-not-print"


# --------------------------------------------------------------------------- the name rules


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "passwd",
        "pass",
        "pwd",
        "PASSWORD",
        "adminPass",
        "sshPass",
        "altinityPassword",
        "datadog_password",
        "secret",
        "keySecret",
        "clientSecret",
        "token",
        "kubeToken",
        "access_token",
        "X-Auth-Token",
        "privateKey",
        "awsPrivateKey",
        "sshKey",
        "secretKey",
        "awsSecretKey",
        "secretAccessKey",
        "apiKey",
        "api_key",
        "APIKey",
        "apikey",
        "encApiKey",
        "azure_shared_key",
        "serviceAccountKey",
        "credentials",
        "connectionString",
        "connection_string",
        # the same secret in another form
        "newPasswordHash",
        "keySecretHash",
        "passwordValue",
        "hcloudTokenEnc",
        "privateKeyPem",
    ],
)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "name",
        "key",
        "keyId",
        "accessKeyId",
        "apiKeyId",
        "keyIdHash",
        "awsKey",  # an access key id
        "awsKeyPairName",
        "publicKey",
        "sortingKey",
        "idempotency_key",
        "kmsKeyARN",
        "tokenExpiry",
        "token_identity",
        "passwordType",
        "passwordResetRequired",
        "secretHandler",
        "secretName",
        "hasPassword",
        "isTokenValid",
        "allowAdminPassword",
        "changePassword",
        "showNamedCollectionsSecrets",
        "sshHost",
        "passport",
        "bypass",
        "compass",
    ],
)
def test_names_that_are_not_secrets(name: str) -> None:
    assert not is_secret_name(name)


def test_names_split_into_words_at_case_changes_digits_and_punctuation() -> None:
    assert name_words("sslCertificateARN") == ["ssl", "certificate", "arn"]
    assert name_words("APIKey") == ["api", "key"]
    assert name_words("x509_pem-cert") == ["x", "509", "pem", "cert"]
    assert name_words("kubeManagedPVs") == ["kube", "managed", "p", "vs"]


# --------------------------------------------------------------------------- marks in the spec


def doc_with(**schemas: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def test_secret_reason_reads_the_spec_before_the_name() -> None:
    doc = doc_with(Pin={"type": "string", "format": "password"}, Key={"type": "object", "properties": {}})
    assert secret_reason(doc, "blob", {"type": "string", "format": "password"}) == "format: password"
    assert secret_reason(doc, "blob", {"type": "string", "writeOnly": True}) == "writeOnly"
    assert secret_reason(doc, "blob", {"$ref": "#/components/schemas/Pin"}) == "format: password"
    assert secret_reason(doc, "password", {"type": "string"}) == "name"
    assert secret_reason(doc, "credentials", {"$ref": "#/components/schemas/Key"}) == "name"
    assert secret_reason(doc, "blob", {"type": "string"}) is None


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "boolean"},
        {"type": ["integer", "null"]},
        {"type": "number"},
        {"type": "string", "enum": ["bearer", "basic"]},
        {"const": "x"},
    ],
)
def test_values_that_cannot_be_secrets_are_not_marked_by_name(schema: dict[str, Any]) -> None:
    assert secret_reason(doc_with(), "password", schema) is None


def test_the_pass_marks_properties_everywhere_and_keeps_explicit_marks() -> None:
    doc = doc_with(
        User={
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "password": {"type": "string"},
                "hasPassword": {"type": "boolean"},
                "token": {"type": "string", SECRET_MARK: False},  # an overlay said: not a secret
                "blob": {"type": "string", SECRET_MARK: True},
                "pin": {"$ref": "#/components/schemas/Pin"},
                "nested": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"keySecret": {"type": "string"}}},
                },
            },
        },
        Pin={"type": "string", "writeOnly": True},
    )
    doc["paths"] = {
        "/login": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"apiKey": {"type": "string"}}}
                        }
                    }
                },
                "responses": {"200": {"description": "ok"}},
            }
        }
    }
    notes = mark_secret_properties(doc)
    user = doc["components"]["schemas"]["User"]["properties"]
    marked = {name for name, prop in user.items() if prop.get(SECRET_MARK) is True}
    assert marked == {"password", "blob", "pin"}
    assert user["token"][SECRET_MARK] is False
    assert user["nested"]["items"]["properties"]["keySecret"][SECRET_MARK] is True
    body = doc["paths"]["/login"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["apiKey"][SECRET_MARK] is True
    assert len(notes) == 4
    assert "#/components/schemas/User/properties/pin: secret (writeOnly); hidden from repr" in notes
    assert "#/components/schemas/User/properties/password: secret (name); hidden from repr" in notes
    assert mark_secret_properties(doc) == []  # idempotent


def test_the_pass_refuses_a_mark_that_is_not_a_boolean() -> None:
    doc = doc_with(User={"type": "object", "properties": {"token": {"type": "string", SECRET_MARK: "yes"}}})
    with pytest.raises(PipelineError, match=r"User/properties/token: x-dbcloud-secret must be true or false"):
        mark_secret_properties(doc)


def test_iter_schemas_visits_each_schema_once() -> None:
    shared = {"type": "string"}
    doc = doc_with(A={"type": "object", "properties": {"x": shared, "y": {"allOf": [shared]}}})
    doc["paths"] = {"/a": {"get": {"parameters": [{"name": "q", "in": "query", "schema": shared}]}}}
    places = [where for _, where in iter_schemas(doc)]
    assert places == [
        "#/components/schemas/A",
        "#/components/schemas/A/properties/x",
        "#/components/schemas/A/properties/y",
    ]


# --------------------------------------------------------------------------- the rewrite


ATTRS_MODULE = '''\
"""A model shaped like openapi-python-client's."""

from __future__ import annotations

from attrs import define as _attrs_define

from .types import UNSET, Unset


@_attrs_define
class Login:
    user: str
    token: str
    password: str | Unset = UNSET
    keep: int | Unset = 3


class Other:
    token: str = "left alone"
'''


def test_hide_attributes_rewrites_only_the_named_declarations() -> None:
    out = hide_attributes(
        ATTRS_MODULE, {"Login": ["token", "password"]}, module="attrs", alias="_attrs_field", origin="m.py"
    )
    assert "from attrs import field as _attrs_field\n" in out
    assert "    token: str = _attrs_field(repr=False)\n" in out
    assert "    password: str | Unset = _attrs_field(repr=False, default=UNSET)\n" in out
    assert "    user: str\n" in out
    assert "    keep: int | Unset = 3\n" in out
    assert '    token: str = "left alone"\n' in out  # another class of the module
    # Only those lines changed, and one import was added.
    before, after = ATTRS_MODULE.splitlines(), out.splitlines()
    assert len(after) == len(before) + 1
    assert sum(1 for line in after if line not in before) == 3
    assert (
        hide_attributes(
            out, {"Login": ["token", "password"]}, module="attrs", alias="_attrs_field", origin="m"
        )
        == out
    )


def test_hide_attributes_extends_an_existing_field_call() -> None:
    source = textwrap.dedent(
        """\
        from dataclasses import dataclass, field


        @dataclass
        class Keys:
            tokens: list[str] = field(default_factory=list, metadata={"a": 1})
            plain: str = field()
        """
    )
    out = hide_attributes(
        source, {"Keys": ["tokens", "plain"]}, module="dataclasses", alias="_dataclass_field", origin="k"
    )
    assert '    tokens: list[str] = field(repr=False, default_factory=list, metadata={"a": 1})\n' in out
    assert "    plain: str = field(repr=False)\n" in out
    assert "_dataclass_field" not in out  # nothing used the alias, so nothing was imported


def test_hide_attributes_runs_the_result(tmp_path: Path) -> None:
    source = textwrap.dedent(
        """\
        from dataclasses import dataclass


        @dataclass(kw_only=True)
        class Account:
            name: str
            field: str | None = None
            token: str
            password: str | None = "x"
        """
    )
    out = hide_attributes(
        source, {"Account": ["token", "password"]}, module="dataclasses", alias="_dataclass_field", origin="a"
    )
    namespace: dict[str, Any] = {}
    exec(compile(out, "account.py", "exec"), namespace)  # noqa: S102 - code the test just wrote
    account = namespace["Account"](name="n", token=TOKEN, password=PASSWORD)
    assert repr(account) == "Account(name='n', field=None)"
    defaults = {f.name: f.default for f in dataclasses.fields(account)}
    assert defaults["password"] == "x"
    assert defaults["token"] is dataclasses.MISSING


@pytest.mark.parametrize(
    ("source", "hidden", "message"),
    [
        ("class A:\n    x: int\n", {"B": ["x"]}, "no class B"),
        ("class A:\n    x: int\n", {"A": ["y"]}, "class A declares no attribute y"),
        ("class A:\n    x: int = 1; y: int = 2\n", {"A": ["x"]}, "shares its line"),
        (
            "from attrs import field\nclass A:\n    x: int = field(repr=True)\n",
            {"A": ["x"]},
            "already sets repr",
        ),
    ],
)
def test_hide_attributes_fails_loudly(source: str, hidden: dict[str, list[str]], message: str) -> None:
    with pytest.raises(PipelineError, match=message):
        hide_attributes(source, hidden, module="attrs", alias="_attrs_field", origin="m.py")


def test_an_attribute_already_hidden_is_left_as_it_is() -> None:
    source = "from attrs import field as _attrs_field\nclass A:\n    x: int = _attrs_field(repr=False)\n"
    assert hide_attributes(source, {"A": ["x"]}, module="attrs", alias="_attrs_field", origin="m") == source


# --------------------------------------------------------------------------- a scratch OpenAPI client


@contextmanager
def imported(parent: Path, name: str) -> Iterator[None]:
    """Make the package `name` under `parent` importable; forget it (and the path) afterwards."""
    sys.path.insert(0, str(parent))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path.remove(str(parent))
        for module in [key for key in sys.modules if key == name or key.startswith(f"{name}.")]:
            del sys.modules[module]


SECRET_OVERLAY = """
overlay: 1.0.0
info: {title: tiny fixes, version: 1.0.0}
actions:
  - target: "$.components.schemas.Thing.properties"
    description: the vendor forgot the size
    update:
      size: {type: integer}
  - target: "$.components.schemas.Thing.properties.blob"
    description: a secret no rule can see
    update:
      x-dbcloud-secret: true
  - target: "$.components.schemas.Thing.properties.sessionToken"
    description: named like a secret, but public
    update:
      x-dbcloud-secret: false
"""


@pytest.fixture
def secret_package(project: Project, tmp_path: Path) -> tuple[Path, list[str]]:
    """The tiny scratch API with secrets in its model, regenerated; (generated dir, output lines)."""
    spec = tiny_spec()
    thing = spec["components"]["schemas"]["Thing"]
    thing["required"] = ["id", "password"]
    thing["properties"].update(
        {
            "password": {"type": "string"},
            "apiToken": {"type": "string"},
            "pin": {"$ref": "#/components/schemas/Pin"},
            "tokenExpiry": {"type": "string"},
            "hasPassword": {"type": "boolean"},
            "blob": {"type": "string"},
            "sessionToken": {"type": "string"},
        }
    )
    spec["components"]["schemas"]["Pin"] = {"type": "string", "format": "password"}
    mirror = tmp_path / "secret-mirror"
    mirror.mkdir()
    (mirror / "tiny.json").write_text(json.dumps(spec), encoding="utf-8")
    (project.overlays / "tiny.overlay.yaml").write_text(SECRET_OVERLAY, encoding="utf-8")
    lines: list[str] = []
    assert regenerate(project, [], mirror=mirror, jobs=1, verbose=True, out=lines.append) == 0
    return project.generated, lines


@pytest.mark.slow
def test_a_generated_model_hides_its_secrets_from_repr(secret_package: tuple[Path, list[str]]) -> None:
    generated, lines = secret_package
    assert any(line.endswith("tiny: 4 secret field(s) hidden from repr") for line in lines)
    hidden = [line.split(": ")[-1] for line in lines if "hidden from repr (a secret)" in line]
    assert hidden == ["Thing.api_token", "Thing.blob", "Thing.password", "Thing.pin"]
    data = {
        "id": 7,
        "password": PASSWORD,
        "name": "seven",
        "apiToken": TOKEN,
        "pin": "1234-not-print",
        "blob": "blob-not-print",
        "sessionToken": "public-session",
        "tokenExpiry": "2030-01-01",
        "hasPassword": True,
        "size": 3,
    }
    with imported(generated, "dbcloud_tiny_client"):
        from dbcloud_tiny_client.models import Thing  # type: ignore[import-not-found]

        thing = Thing.from_dict(data)
        shown = repr(thing)
        assert "not-print" not in shown
        for visible in (
            "id=7",
            "name='seven'",
            "session_token='public-session'",
            "token_expiry='2030-01-01'",
        ):
            assert visible in shown
        assert "has_password=True" in shown
        assert "size=3" in shown
        # The values are still there for the wire.
        assert thing.password == PASSWORD
        assert thing.to_dict() == data
        assert Thing.from_dict(thing.to_dict()) == thing
        # A required secret stays required.
        with pytest.raises(TypeError):
            Thing(id=1)


@pytest.mark.slow
def test_a_regenerated_secret_package_is_stable(
    project: Project, secret_package: tuple[Path, list[str]]
) -> None:
    lines: list[str] = []
    assert regenerate(project, [], check=True, jobs=1, out=lines.append) == 0, "\n".join(lines)
    source = (secret_package[0] / "dbcloud_tiny_client" / "models" / "thing.py").read_text(encoding="utf-8")
    assert "password: str = _attrs_field(repr=False)" in source
    assert "api_token: str | Unset = _attrs_field(repr=False, default=UNSET)" in source


# --------------------------------------------------------------------------- a GraphQL SDL

SECRET_SDL = """
type Query { vault(id: ID!): Vault }
type Mutation { openVault(input: OpenVaultInput!): Vault! }

scalar Sensitive

enum CredentialKind { BEARER BASIC }

type Vault {
  id: ID!
  label: String!
  masterToken: Sensitive!
  backupKeys: [Sensitive!]
  passwordValue: String
  hasPassword: Boolean!
  credentials: CredentialKind
}

input OpenVaultInput {
  id: ID!
  unlockCode: Sensitive!
  passphrase: String = "change-me"
  note: String = "none"
}
"""


@pytest.fixture(scope="module")
def vault_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    package_dir = tmp_path_factory.mktemp("vault") / "vault_graphql_pkg"
    stats = generate_graphql(SECRET_SDL, package_dir, api="vault", origin="vault.graphql")
    return package_dir, stats


@pytest.mark.slow
def test_sensitive_graphql_fields_are_hidden_from_repr(vault_package: tuple[Path, Any]) -> None:
    package_dir, stats = vault_package
    assert stats.secret_fields == [
        "OpenVaultInput.passphrase",
        "OpenVaultInput.unlock_code",
        "Vault.backup_keys",
        "Vault.master_token",
        "Vault.password_value",
    ]
    data = {
        "id": "v1",
        "label": "main",
        "masterToken": TOKEN,
        "backupKeys": [KEY, KEY + "-2"],
        "passwordValue": PASSWORD,
        "hasPassword": True,
        "credentials": "BEARER",
    }
    with imported(package_dir.parent, package_dir.name):
        models: ModuleType = importlib.import_module(f"{package_dir.name}.models")
        codec: ModuleType = importlib.import_module(f"{package_dir.name}.codec")
        vault = codec.from_dict(models.Vault, data)
        shown = repr(vault)
        assert "not-print" not in shown
        assert "id='v1'" in shown
        assert "label='main'" in shown
        assert "has_password=True" in shown
        assert "credentials=<CredentialKind.BEARER" in shown  # an enum, never a secret
        assert vault.master_token == TOKEN
        assert codec.to_dict(vault) == data

        opened = models.OpenVaultInput(id="v1", unlock_code=KEY)
        assert "not-print" not in repr(opened)
        assert "note='none'" in repr(opened)
        assert codec.to_dict(opened) == {
            "id": "v1",
            "unlockCode": KEY,
            "passphrase": "change-me",
            "note": "none",
        }
        defaults = {f.name: f.default for f in dataclasses.fields(models.OpenVaultInput)}
        assert defaults["passphrase"] == "change-me"
        assert defaults["unlock_code"] is dataclasses.MISSING
        with pytest.raises(TypeError):
            models.OpenVaultInput(id="v1")  # a required secret stays required


# --------------------------------------------------------------------------- the committed packages


@pytest.fixture
def acm_models(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """The committed ACM models (installed editable; else straight from generated/)."""
    try:
        return importlib.import_module("dbcloud_acm_client.models")
    except ImportError:
        monkeypatch.syspath_prepend(str(ROOT / "generated"))
        return importlib.import_module("dbcloud_acm_client.models")


@pytest.mark.parametrize(
    ("model", "secrets", "visible"),
    [
        (
            "Environment",
            {"pass": PASSWORD, "awsSecretKey": KEY, "awsPrivateKey": KEY, "kubeToken": TOKEN},
            {"name": "prod", "awsKey": "AKIA-id", "kubeNamespace": "altinity"},
        ),
        ("Cluster", {"adminPass": PASSWORD, "altinityPassword": PASSWORD}, {"name": "c1", "role": "main"}),
        ("Node", {"pass": PASSWORD, "sshPass": PASSWORD, "sshKey": KEY}, {"host": "n1", "sshUser": "root"}),
        ("User", {"password": PASSWORD, "token": TOKEN}, {"email": "a@example.com", "tokenExpiry": "2030"}),
    ],
)
def test_committed_acm_models_hide_their_secrets(
    acm_models: ModuleType, model: str, secrets: dict[str, str], visible: dict[str, str]
) -> None:
    cls = getattr(acm_models, model)
    instance = cls.from_dict({**secrets, **visible})
    shown = repr(instance)
    assert "not-print" not in shown
    for value in visible.values():
        assert repr(value) in shown
    assert instance.to_dict() == {**secrets, **visible}


def test_committed_anywhere_models_hide_sensitive_fields() -> None:
    models = importlib.import_module("dbcloud_anywhere_client.models")
    spec = models.DatadogSpecInput(domain="datadoghq.eu", enc_api_key=KEY)
    assert "not-print" not in repr(spec)
    assert "datadoghq.eu" in repr(spec)
