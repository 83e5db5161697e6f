"""Fleet report: every cluster on Altinity.Cloud (ACM) and CockroachDB Cloud, in one table.

    python fleet_report.py                    # the report
    python fleet_report.py --ensure nightly   # first adopt or create the serverless cluster "nightly"

Settings come from the vendors' own variables (ACM_API_KEY, COCKROACH_API_KEY, and ACM_API_URL /
COCKROACH_SERVER for another endpoint), as dbcloud reads them. Exit status 0 when the report was
made, 1 when a vendor refused or failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import dbcloud


@dataclass(frozen=True)
class Row:
    vendor: str
    where: str
    name: str
    state: str


def collect(acm: dbcloud.Altinity, crdb: dbcloud.CockroachCloud) -> list[Row]:
    """One row per cluster: ACM's per environment, CockroachDB Cloud's per organization."""
    rows = [
        Row("acm", environment.name, cluster.name, str(cluster.state))
        for environment in acm.environments.list()
        for cluster in acm.clusters.list(environment.id)
    ]
    rows += [
        Row(
            "cockroach", ",".join(region.name for region in cluster.regions), cluster.name, str(cluster.state)
        )
        for cluster in crdb.clusters.list()
    ]
    return sorted(rows, key=lambda row: (row.vendor, row.where, row.name))


def ensure(crdb: dbcloud.CockroachCloud, name: str) -> bool:
    """Adopt the CockroachDB cluster called `name`, or create it (serverless): True when created.

    Looking it up by name first is what makes a re-run of the script harmless.
    """
    try:
        crdb.clusters.get_by_name(name)
    except dbcloud.NotFoundError:
        crdb.clusters.create_serverless(name)
        return True
    return False


def render(rows: Sequence[Row]) -> str:
    header = Row("VENDOR", "WHERE", "NAME", "STATE")
    table = [header, *rows]
    widths = [max(len(getattr(row, column)) for row in table) for column in ("vendor", "where", "name")]
    lines = [
        f"{row.vendor:<{widths[0]}}  {row.where:<{widths[1]}}  {row.name:<{widths[2]}}  {row.state}"
        for row in table
    ]
    lines.append(f"{len(rows)} cluster{'s' if len(rows) != 1 else ''}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Every cluster on ACM and CockroachDB Cloud.")
    parser.add_argument(
        "--ensure", metavar="NAME", help="adopt or create this CockroachDB serverless cluster"
    )
    args = parser.parse_args(argv)
    try:
        with dbcloud.Altinity() as acm, dbcloud.CockroachCloud() as crdb:
            if args.ensure:
                created = ensure(crdb, args.ensure)
                print(f"{'created' if created else 'adopted'} cockroach cluster {args.ensure}")
            print(render(collect(acm, crdb)))
    except dbcloud.DBCloudError as error:
        print(f"fleet-report: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
