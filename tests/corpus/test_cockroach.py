"""CockroachDB Cloud answers as the vendor's Cloud API guide shows them, read through `CockroachCloud`.

Source: the CockroachDB Cloud API guide (cockroachlabs.com/docs/cockroachcloud/cloud-api; a copy
as published is in ../shared/vendor-docs/cockroachdb-cloud-api.md). Shapes only; bodies are ours:
- create / get cluster: `plan: "SERVERLESS"` and `operation_status: "CLUSTER_STATUS_UNSPECIFIED"`
  (values the current spec does not list), `config.serverless.spend_limit` as a number, regions
  with `sql_dns` and an empty `ui_dns`, no `cockroach_version` / `upgrade_status` (spec-required);
- nodes: `{nodes: [{name, region_name, status: LIVE | NOT_READY}], pagination: {...}}`;
- available regions: `{regions: ["us-central1", ...]}`, bare names where the spec has objects;
- errors: the spec's `Status` body `{code, message, details}` on a 404.
And the vendor's Terraform provider's tests (cockroachdb/terraform-provider-cockroach), for the
resources the guide does not show:
- SQL users: `{users: [{name}]}` with no `pagination` object at all.
- a maintenance window: durations as protobuf JSON text (`"1010s"`), which the provider parses
  as a float after trimming the `s` (maintenance_window_test.go, maintenance_window.go);
- a folder: `{resource_id, name, parent_id, labels}` only, no `path`, `organization_id` or
  `resource_type` though the spec requires them (folder_resource_test.go);
- a service account: an empty `description`, `group_roles: []` and an ORG_MEMBER role on the
  organization after a create that sent `roles: []` (service_account_resource_test.go);
- a new API key: `{api_key: {id, name, service_account_id, created_at}, secret}` where the secret
  is the key id, `_` and 40 more characters (api_key_resource_test.go, and its import format
  `CCDB1_<22 chars>_<40 chars>` in api_key_resource.go).
- backups: `{backups: [{id, as_of_time}]}` with no `pagination` (backups_data_source_test.go);
- a finished restore: a CLUSTER restore with `status: SUCCESS`, `completion_percent: 1` as a whole
  number, `crdb_job_id` as text, `completed_at` and no `objects` or error fields
  (restore_resource_test.go);
- a backup configuration: `{enabled, frequency_minutes, retention_days}` as plain numbers, the
  defaults 60 and 30 (cluster_resource_test.go).
- a log export: `{cluster_id, spec, status}` without timestamps or `user_message`, the groups with
  `enable_sending_queue`, a field our spec version does not have, and an `auth_principal` that is
  no ARN (log_export_config_resource_test.go);
- a Datadog metric export: `api_key` as the key's last four characters (datadog test);
- a Prometheus metric export: `ENABLED` without any `targets` (prometheus test).
- databases: `{databases: [{name}]}` with no `pagination` and no `table_count` (database_resource_test.go),
  the SDK's `Database` type reading a `table_count` as an int64 sent as text when there is one.
- an IP allowlist: `{allowlist: [...]}` without the spec-required `propagating` or any pagination,
  an entry added without a name answered with `name: ""` beside the test's decoy entry
  (allowlist_resource_test.go).
- a connection string: `{connection_string, params: {Database, Host, Port, Username}}`, the
  parameters capitalised (unlike every other field of the API) and the port as text, the URL
  without a password (connection_string_data_source_test.go; the SDK's ConnectionStringParameters).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

import dbcloud
from dbcloud import ClusterState
from tests._bridge import Flavour

from ._support import UNKNOWN, Answer, drift_failures, drifted, transport

GUIDE = "CockroachDB Cloud API guide (vendor-docs/cockroachdb-cloud-api.md)"
CLUSTER_ID = "9b0f2e1a-6c4d-4e2f-8a1b-3c5d7e9f0a1b"

CLUSTER = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}",
    {
        "cloud_provider": "GCP",
        "created_at": "2022-03-14T14:15:22Z",
        "creator_id": "svc-account-1",
        "id": CLUSTER_ID,
        "operation_status": "CLUSTER_STATUS_UNSPECIFIED",
        "name": "notorious-moose",
        "plan": "SERVERLESS",
        "regions": [
            {
                "name": "us-central1",
                "sql_dns": "notorious-moose-7.gcp-us-central1.crdb.test",
                "ui_dns": "",
                "node_count": 1,
            }
        ],
        "config": {
            "serverless": {"regions": ["us-central1"], "spend_limit": 0, "routing_id": "notorious-moose-7"}
        },
        "state": "CREATING",
        "updated_at": "2022-03-14T14:15:22Z",
    },
    GUIDE + ": create / get a cluster",
)
NODES = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/nodes",
    {
        "nodes": [
            {"name": "node-1", "region_name": "us-central1", "status": "LIVE"},
            {"name": "node-2", "region_name": "us-central1", "status": "NOT_READY"},
        ],
        "pagination": {
            "next": 0,
            "last": 0,
            "limit": 0,
            "total_results": 0,
            "time": "2022-03-14T14:15:22Z",
            "order": "ASC",
        },
    },
    GUIDE + ": cluster nodes",
)
REGIONS = Answer(
    "/api/v1/clusters/available-regions",
    {"regions": ["us-central1", "us-east1"]},
    GUIDE + ": available regions",
)
SQL_USERS = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/sql-users",
    {"users": [{"name": "maxroach"}, {"name": "app_reader"}]},
    "the vendor's Terraform provider's tests (cockroachdb/terraform-provider-cockroach, "
    "internal/provider/sql_user_resource_test.go): a list of users with no pagination object",
)
PROVIDER = "the vendor's Terraform provider's tests (cockroachdb/terraform-provider-cockroach, "
ACCOUNT_ID = "5d7c1e2a-3b4f-4a6c-8d9e-0f1a2b3c4d5e"
KEY_ID = "CCDB1_Qm3xT8vLp2RnY6wKs4HjZa"
MAINTENANCE_WINDOW = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/maintenance-window",
    {"offset_duration": "1010s", "window_duration": "101010s"},
    PROVIDER + "internal/provider/maintenance_window_test.go): durations as seconds with an s",
)
FOLDER = Answer(
    "/api/v1/folders/7a1c2e3d-4b5f-4c6d-9e8f-1a2b3c4d5e6f",
    {
        "resource_id": "7a1c2e3d-4b5f-4c6d-9e8f-1a2b3c4d5e6f",
        "name": "child-folder",
        "parent_id": "00000000-0000-0000-0000-000000000001",
        "labels": {"managed_by": "team-a"},
    },
    PROVIDER + "internal/provider/folder_resource_test.go): no path, organization_id or resource_type",
)
SERVICE_ACCOUNT = Answer(
    f"/api/v1/service-accounts/{ACCOUNT_ID}",
    {
        "id": ACCOUNT_ID,
        "name": "a service account",
        "description": "",
        "creator_name": "somebody",
        "created_at": "2024-05-02T09:30:00Z",
        "group_roles": [],
        "roles": [{"name": "ORG_MEMBER", "resource": {"type": "ORGANIZATION"}}],
    },
    PROVIDER + "internal/provider/service_account_resource_test.go): ORG_MEMBER after roles: []",
)
NEW_API_KEY = Answer(
    "/api/v1/api-keys",
    {
        "api_key": {
            "id": KEY_ID,
            "name": "test-api-key-name",
            "service_account_id": ACCOUNT_ID,
            "created_at": "2024-05-02T09:31:00Z",
        },
        "secret": KEY_ID + "_" + "h7Kq2Lm9Xc4Vb1Nz8Rt5Yw3Pe6Ua0Sd2Fg7Jk4Lq",
    },
    PROVIDER + "internal/provider/api_key_resource_test.go): the secret is the key id, _ and 40 more",
)
BACKUPS = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/backups",
    {"backups": [{"id": "00000000-0000-0000-0000-000000000001", "as_of_time": "2023-01-01T00:00:00Z"}]},
    PROVIDER + "internal/provider/backups_data_source_test.go): one page, no pagination object",
)
RESTORE_ID = "4e8d2c1b-7a6f-4b3e-9c2d-1e0f3a4b5c6d"
RESTORE = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/restores/{RESTORE_ID}",
    {
        "id": RESTORE_ID,
        "backup_id": "00000000-0000-0000-0000-000000000001",
        "type": "CLUSTER",
        "status": "SUCCESS",
        "created_at": "2025-07-09T15:00:00Z",
        "completion_percent": 1,
        "source_cluster_name": "notorious-moose",
        "destination_cluster_name": "notorious-moose",
        "backup_end_time": "2025-07-09T14:00:00Z",
        "completed_at": "2025-07-09T15:30:00Z",
        "crdb_job_id": "12345",
    },
    PROVIDER + "internal/provider/restore_resource_test.go): a finished CLUSTER restore, no objects",
)
BACKUP_CONFIG = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/backups-config",
    {"enabled": True, "frequency_minutes": 60, "retention_days": 30},
    PROVIDER + "internal/provider/cluster_resource_test.go): the defaults, as plain numbers",
)
LOG_EXPORT = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/logexport",
    {
        "cluster_id": CLUSTER_ID,
        "spec": {
            "auth_principal": "iam-role-arn",
            "log_name": "test",
            "groups": [
                {
                    "log_name": "sql",
                    "channels": ["SQL_SCHEMA", "SQL_EXEC"],
                    "min_level": "WARNING",
                    "redact": True,
                    "enable_sending_queue": True,
                }
            ],
            "redact": True,
            "type": "AWS_CLOUDWATCH",
            "region": "us-east-1",
            "omitted_channels": ["SQL_PERF"],
        },
        "status": "ENABLED",
    },
    PROVIDER + "internal/provider/log_export_config_resource_test.go): no timestamps, an unknown group field",
)
DATADOG = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/metricexport/datadog",
    {"cluster_id": CLUSTER_ID, "api_key": "9xQz", "site": "US1", "status": "ENABLED"},
    PROVIDER + "internal/provider/metric_export_datadog_config_resource_test.go): the key's last four",
)
PROMETHEUS = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/metricexport/prometheus",
    {"cluster_id": CLUSTER_ID, "status": "ENABLED"},
    PROVIDER + "internal/provider/metric_export_prometheus_config_resource_test.go): no targets",
)
MISSING = Answer(
    "/api/v1/clusters/00000000-0000-4000-8000-000000000000",
    {"code": 5, "message": "cluster not found", "details": []},
    "the spec's Status error body, as the guide's error section describes it",
    status=404,
)


@pytest.fixture(autouse=True)
def _no_profile(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in (
        "COCKROACH_API_KEY",
        "COCKROACH_SERVER",
        "DBCLOUD_PROFILE",
        "DBCLOUD_TIMEOUT",
        "DBCLOUD_MAX_RETRIES",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DBCLOUD_CONFIG", str(tmp_path / "none.toml"))


def crdb(flavour: Flavour, *answers: Answer) -> dbcloud.CockroachCloud:
    """`CockroachCloud` over the answers, or `AsyncCockroachCloud` behind it on the async flavour."""
    client: dbcloud.CockroachCloud = flavour.twin(dbcloud.CockroachCloud)(
        api_key="crdb-key", base_url="https://crdb.test", http_client=transport(*answers)
    )
    return client


def real_cluster(client: dbcloud.CockroachCloud) -> None:
    cluster = client.clusters.get(CLUSTER_ID)
    assert (cluster.name, cluster.state, cluster.plan) == (
        "notorious-moose",
        ClusterState.PROVISIONING,
        "SERVERLESS",
    )
    assert cluster.operation_status == "CLUSTER_STATUS_UNSPECIFIED"
    assert cluster.describe() == "CREATING"
    assert cluster.regions[0].sql_dns == "notorious-moose-7.gcp-us-central1.crdb.test"
    assert cluster.regions[0].ui_dns is None
    assert cluster.routing_id == "notorious-moose-7"
    assert cluster.cockroach_version is None


def real_nodes(client: dbcloud.CockroachCloud) -> None:
    nodes = list(client.clusters.nodes(CLUSTER_ID))
    assert [(n.name, n.live) for n in nodes] == [("node-1", True), ("node-2", False)]


def real_regions(client: dbcloud.CockroachCloud) -> None:
    assert [r.name for r in client.clusters.available_regions("GCP")] == ["us-central1", "us-east1"]


def real_sql_users(client: dbcloud.CockroachCloud) -> None:
    assert [u.name for u in client.sql_users.list(CLUSTER_ID)] == ["maxroach", "app_reader"]
    assert client.sql_users.get(CLUSTER_ID, "app_reader").id == "app_reader"


def real_maintenance_window(client: dbcloud.CockroachCloud) -> None:
    window = client.maintenance_windows.get(CLUSTER_ID)
    assert window.offset_duration == datetime.timedelta(seconds=1010)
    assert window.window_duration == datetime.timedelta(seconds=101010)


def real_folder(client: dbcloud.CockroachCloud) -> None:
    folder = client.folders.get(FOLDER.body["resource_id"])
    assert (folder.name, folder.parent_id, folder.resource_type, folder.path) == (
        "child-folder",
        "00000000-0000-0000-0000-000000000001",
        None,
        (),
    )
    assert folder.labels == {"managed_by": "team-a"}


def real_service_account(client: dbcloud.CockroachCloud) -> None:
    account = client.service_accounts.get(ACCOUNT_ID)
    assert (account.name, account.description, account.creator_name) == ("a service account", "", "somebody")
    assert [(r.name, r.resource_type, r.resource_id) for r in account.roles] == [
        ("ORG_MEMBER", "ORGANIZATION", None)
    ]


def real_new_api_key(client: dbcloud.CockroachCloud) -> None:
    key = client.api_keys.create("test-api-key-name", ACCOUNT_ID)
    assert (key.id, key.service_account_id) == (KEY_ID, ACCOUNT_ID)
    assert key.secret == dbcloud.Secret(NEW_API_KEY.body["secret"])
    assert NEW_API_KEY.body["secret"] not in repr(key)


def real_error(client: dbcloud.CockroachCloud) -> None:
    with pytest.raises(dbcloud.NotFoundError) as caught:
        client.clusters.get("00000000-0000-4000-8000-000000000000")
    assert "cluster not found" in str(caught.value)


def real_backups(client: dbcloud.CockroachCloud) -> None:
    (backup,) = client.backups.list(CLUSTER_ID)
    assert backup.id == "00000000-0000-0000-0000-000000000001"
    assert backup.as_of_time == datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC)


def real_restore(client: dbcloud.CockroachCloud) -> None:
    restore = client.restores.wait_until_done(CLUSTER_ID, RESTORE_ID)  # done at the first poll
    assert (restore.type, restore.status, restore.completion_percent) == ("CLUSTER", "SUCCESS", 1.0)
    assert restore.done
    assert restore.objects == ()
    assert restore.crdb_job_id == "12345"
    assert restore.client_error_message is None
    assert restore.completed_at == datetime.datetime(2025, 7, 9, 15, 30, tzinfo=datetime.UTC)


def real_backup_config(client: dbcloud.CockroachCloud) -> None:
    config = client.backup_configuration.get(CLUSTER_ID)
    assert (config.enabled, config.frequency_minutes, config.retention_days) == (True, 60, 30)


def real_log_export(client: dbcloud.CockroachCloud) -> None:
    logs = client.log_export.wait_until_enabled(CLUSTER_ID)  # ENABLED at the first poll
    assert (logs.type, logs.auth_principal, logs.log_name, logs.region) == (
        "AWS_CLOUDWATCH",
        "iam-role-arn",
        "test",
        "us-east-1",
    )
    assert logs.groups == (
        dbcloud.cockroach.LogExportGroup("sql", ("SQL_SCHEMA", "SQL_EXEC"), "WARNING", True),
    )
    assert logs.omitted_channels == ("SQL_PERF",)
    assert logs.created_at is None
    assert logs.raw["spec"]["groups"][0]["enable_sending_queue"] is True


def real_datadog(client: dbcloud.CockroachCloud) -> None:
    export = client.metric_export.datadog.get(CLUSTER_ID)
    assert (export.site, export.api_key_last4, export.enabled) == ("US1", "9xQz", True)
    assert "9xQz" not in repr(export.raw)


def real_prometheus(client: dbcloud.CockroachCloud) -> None:
    export = client.metric_export.prometheus.wait_until_enabled(CLUSTER_ID)
    assert (export.kind, export.targets) == ("prometheus", {})


REAL: list[tuple[str, Answer, Callable[[dbcloud.CockroachCloud], None]]] = [
    ("cluster-serverless-legacy-values", CLUSTER, real_cluster),
    ("nodes-live-and-not-ready", NODES, real_nodes),
    ("available-regions-as-names", REGIONS, real_regions),
    ("sql-users-without-pagination", SQL_USERS, real_sql_users),
    ("maintenance-window-durations", MAINTENANCE_WINDOW, real_maintenance_window),
    ("folder-without-lineage", FOLDER, real_folder),
    ("service-account-member-role", SERVICE_ACCOUNT, real_service_account),
    ("new-api-key-with-its-secret", NEW_API_KEY, real_new_api_key),
    ("error-status-body", MISSING, real_error),
    ("backups-without-pagination", BACKUPS, real_backups),
    ("restore-finished", RESTORE, real_restore),
    ("backup-config-defaults", BACKUP_CONFIG, real_backup_config),
    ("log-export-without-timestamps", LOG_EXPORT, real_log_export),
    ("datadog-key-last-four", DATADOG, real_datadog),
    ("prometheus-without-targets", PROMETHEUS, real_prometheus),
]

# --- databases ---

DATABASES = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/databases",
    {"databases": [{"name": "test-database"}, {"name": "defaultdb", "table_count": "2"}]},
    PROVIDER + "internal/provider/database_resource_test.go): names only, no pagination object; "
    "table_count as the SDK's int64-as-text",
)


def real_databases(client: dbcloud.CockroachCloud) -> None:
    found = list(client.databases.list(CLUSTER_ID))
    assert [(d.name, d.table_count) for d in found] == [("test-database", None), ("defaultdb", 2)]
    assert found[0].id == "test-database"


REAL += [("databases-without-pagination", DATABASES, real_databases)]

# --- IP allowlists ---

ALLOWLIST = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/networking/allowlist",
    {
        "allowlist": [
            {"cidr_ip": "192.168.5.4", "cidr_mask": 32, "name": "wrong-entry", "sql": False, "ui": False},
            {"cidr_ip": "192.168.3.2", "cidr_mask": 32, "name": "", "sql": True, "ui": True},
        ]
    },
    PROVIDER + "internal/provider/allowlist_resource_test.go): no propagating, no pagination; "
    "an entry added without a name has the empty one",
)


def real_allowlist(client: dbcloud.CockroachCloud) -> None:
    entries = list(client.ip_allowlists.list(CLUSTER_ID))
    assert [(e.cidr, e.name, e.sql, e.ui) for e in entries] == [
        ("192.168.5.4/32", "wrong-entry", False, False),
        ("192.168.3.2/32", "", True, True),
    ]
    assert client.ip_allowlists.get(CLUSTER_ID, "192.168.3.2", 32).id == "192.168.3.2/32"


REAL += [("allowlist-without-propagating", ALLOWLIST, real_allowlist)]

# --- connection strings ---

CONNECTION_STRING = Answer(
    f"/api/v1/clusters/{CLUSTER_ID}/connection-string",
    {
        "connection_string": "postgresql://test@fake.cockroachlabs.cloud:26257/testdb",
        "params": {
            "Database": "testdb",
            "Host": "fake.cockroachlabs.cloud",
            "Port": "26257",
            "Username": "test",
        },
    },
    PROVIDER + "internal/provider/connection_string_data_source_test.go): capitalised parameters, "
    "the port as text, no password",
)


def real_connection_string(client: dbcloud.CockroachCloud) -> None:
    found = client.clusters.connection_string(CLUSTER_ID, database="testdb", sql_user="test", os="MAC")
    assert found.connection_string == "postgresql://test@fake.cockroachlabs.cloud:26257/testdb"
    assert (found.host, found.port, found.database, found.username) == (
        "fake.cockroachlabs.cloud",
        26257,
        "testdb",
        "test",
    )


REAL += [("connection-string-capitalised-params", CONNECTION_STRING, real_connection_string)]


@pytest.mark.parametrize(("answer", "check"), [pytest.param(a, c, id=i) for i, a, c in REAL])
def test_a_real_answer_reads_with_its_typed_values(
    flavour: Flavour, answer: Answer, check: Callable[[Any], None]
) -> None:
    with crdb(flavour, answer) as client:
        check(client)


# --- the four drifts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "read"), [pytest.param(a, c, id=i) for i, a, c in REAL])
def test_no_drift_of_any_field_of_a_real_answer_fails_with_an_untyped_error(
    flavour: Flavour, answer: Answer, read: Callable[[Any], None]
) -> None:
    # Each of the four drifts, one at a time, on every field of every object of the answer: the
    # reading may give other values (or a typed error, or a wait that never ends: its timeout),
    # never a raw exception.
    assert drift_failures(answer, lambda bent: crdb(flavour, bent), flavour, read) == []


def _top(body: Any) -> dict[str, Any]:
    return body


def _region(body: Any) -> dict[str, Any]:
    return body["regions"][0]


def _unknown(cluster: Any) -> None:
    assert cluster.vendor_state == UNKNOWN
    assert cluster.state is ClusterState.UNKNOWN


def _null(cluster: Any) -> None:
    assert cluster.cloud_provider is None
    assert cluster.state is ClusterState.PROVISIONING


def _missing(cluster: Any) -> None:
    assert cluster.created_at is None
    assert cluster.name == "notorious-moose"


def _text_number(cluster: Any) -> None:
    assert cluster.regions[0].node_count == 1


DRIFTS = [
    pytest.param(_top, "state", "unknown-enum", _unknown, id="unknown-enum-state"),
    pytest.param(_top, "cloud_provider", "null", _null, id="null-cloud_provider"),
    pytest.param(_top, "created_at", "missing", _missing, id="missing-required-created_at"),
    pytest.param(_region, "node_count", "text-number", _text_number, id="text-number-node_count"),
]


@pytest.mark.parametrize(("where", "key", "kind", "check"), DRIFTS)
def test_a_drifted_answer_still_reads(
    flavour: Flavour, where: Any, key: str, kind: str, check: Callable[[Any], None]
) -> None:
    with crdb(flavour, drifted(CLUSTER, where, key, kind)) as client:
        check(client.clusters.get(CLUSTER_ID))


def test_a_boolean_sent_as_text_reads_as_a_boolean(flavour: Flavour) -> None:
    answer = drifted(
        Answer(
            CLUSTER.path,
            {**CLUSTER.body, "regions": [{"name": "us-central1", "primary": True}]},
            CLUSTER.source,
        ),
        _region,
        "primary",
        "text-number",
    )
    with crdb(flavour, answer) as client:
        assert client.clusters.get(CLUSTER_ID).regions[0].primary is True
