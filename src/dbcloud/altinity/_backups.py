"""ACM cluster backups: list, back up now, restore."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from .._errors import ValidationError
from .._flow import Flow
from .._resource import H, Listing, Resource, call, listing
from .._response import Expect
from .._results import read_list
from .._retry import once
from .._secret import Secret
from ._clusters import _cluster_id, _text
from ._records import Backup

if TYPE_CHECKING:
    from ._client import _Acm

__all__ = ["Backups"]


class Backups(Resource[H]):
    """The backups of ACM clusters. Reached as `Altinity().backups` (and
    `AsyncAltinity().backups`, whose verbs are awaited)."""

    _client: _Acm

    def __init__(self, client: _Acm) -> None:
        self._client = client

    @listing
    def list(self, cluster_id: int | str) -> Listing[Backup]:
        """The cluster's backups (`GET /cluster/{id}/backups`, as acmctl's `cluster backups`)."""
        cid = _cluster_id(cluster_id)
        what = f"backups of cluster {cid}"

        def everything() -> Flow[builtins.list[Backup]]:
            data = yield from self._client._call_flow("clusters.get_cluster_backups", Expect.LIST, id=cid)
            return read_list(Backup.from_api, data, what=what, vendor="ACM")

        return Listing.of_one(everything, what=what, vendor="ACM")

    @call
    def create(self, cluster_id: int | str) -> Flow[Any]:
        """Back the cluster up now (`POST /cluster/{id}/backup` without a body, as acmctl's
        `cluster backup`). A POST: never repeated after a 5xx or a broken connection.

        Returns:
            ACM's answer, as it comes (its `data`).
        """
        cid = _cluster_id(cluster_id)
        return (yield from self._client._call_flow("clusters.post_cluster_backup", id=cid))

    @call
    def restore(
        self,
        cluster_id: int | str,
        *,
        tag: str,
        table: str | None = None,
        type_: str | None = None,
        provider: str | None = None,
        bucket: str | None = None,
        region: str | None = None,
        path: str | None = None,
        access_key: str | None = None,
        secret_key: str | Secret | None = None,
        source_environment: int | str | None = None,
    ) -> Flow[Any]:
        """Restore the cluster's data from the backup `tag` (`POST /cluster/{id}/restore`).

        The fields go in a form body, as acmctl's examples send a restore
        (`acmctl raw POST /cluster/{id}/restore -F tag=... -F accessKey=... -F secretKey=...`), so
        the storage credentials never go on a URL. It overwrites the cluster's data: sent once,
        whatever happens (repeated only after a 429, when nothing ran); after a lost answer, look
        at the cluster's action log (`clusters.status`) rather than restoring again.

        Args:
            tag: the backup to restore (see `list`).
            table: only this table ("db.table").
            type_, provider, bucket, region, path: where the backup is, when it is not in the
                cluster's own backup storage (ACM's type, provider, bucket, region and path).
            access_key, secret_key: that storage's credentials; the secret is never logged or shown.
            source_environment: the environment whose backup storage holds it.

        Returns:
            ACM's answer, as it comes (its `data`).
        """
        from dbcloud_acm_client.models.post_cluster_restore_body import PostClusterRestoreBody

        cid = _cluster_id(cluster_id)
        fields: dict[str, Any] = {"tag": _text(tag, "tag")}
        for key, value in (
            ("table", table),
            ("type_", type_),
            ("provider", provider),
            ("bucket", bucket),
            ("region", region),
            ("path", path),
            ("access_key", access_key),
        ):
            if value is not None:
                fields[key] = _text(value, key)
        if secret_key is not None:
            secret = secret_key.reveal() if isinstance(secret_key, Secret) else secret_key
            if not isinstance(secret, str) or not secret:
                raise ValidationError(
                    "secret_key must be non-empty text or a dbcloud.Secret", field="secret_key"
                )
            fields["secret_key"] = secret
        if source_environment is not None:
            fields["source_environment"] = str(_cluster_id_like(source_environment))
        body = PostClusterRestoreBody(**fields)
        return (yield from once(self._client._call_flow("clusters.post_cluster_restore", id=cid, body=body)))


def _cluster_id_like(value: Any) -> int:
    try:
        return _cluster_id(value)
    except ValidationError:
        raise ValidationError(
            f"source_environment must be a positive integer, got {value!r}", field="source_environment"
        ) from None
