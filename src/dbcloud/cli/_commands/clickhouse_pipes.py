"""`dbcloud clickhouse clickpipes ...` and `dbcloud clickhouse scaling-schedules ...`: the ClickPipes
and the scaling schedule of a service (`ClickHouseCloud().clickpipes`, `.scaling_schedules`).

A source's credentials are secrets: give them in `--file spec.json` rather than on the command
line, where the shell's history and the process list would keep them. Wherever they come from,
every value under a secret-named field (`password`, `secretKey`, `credentials`, ...) is registered
with the console, so no output of the command shows it; a dry run masks them in the request shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._spec import Resource, Verb, arg, opt

if TYPE_CHECKING:
    from .._invoke import Call

__all__ = ["PIPE_RESOURCES"]

_SERVICE = arg("SERVICE_ID", "the service's id (a UUID)")
_PIPE = arg("PIPE_ID", "the ClickPipe's id (a UUID)")
_BODY = (
    opt("--source", 'one source in the API\'s names, e.g. {"kafka": {...}} (JSON or @file)', "json"),
    opt("--destination", '{"database", "table", "managedTable", "columns"} (JSON or @file)', "json"),
    opt("--field-mappings", '[{"sourceField", "destinationField"}] (JSON or @file)', "json"),
    opt("--settings", "the pipe's advanced settings (JSON or @file)", "json"),
)


def _what(pipe_id: Any) -> str:
    return f"ClickPipe {pipe_id}"


def _hide_credentials(call: Call, fields: dict[str, Any]) -> None:
    from ..._secret_names import secret_values

    for value in secret_values(fields):
        call.console.secret(value)


def _sending(model: str, what: str) -> Any:
    def run(call: Call) -> Any:
        from .clickhouse import _check_fields

        positional, fields = call.values()
        _hide_credentials(call, fields)
        _check_fields(call, model, what, fields)
        return call.invoke(getattr(call.target, call.verb.attribute), *positional, **fields)

    return run


def _until_running(call: Call, pipe: Any) -> Any:
    sid = call.get("service_id")
    pid = str(pipe.id) if pipe is not None else call.get("pipe_id")
    pipes = call.target
    return call.wait(
        _what(pid), lambda p: pipes.wait_until_running(sid, pid, on_progress=p, **call.wait_args())
    )


def _wait(call: Call) -> Any:
    return _until_running(call, None)


PIPE_RESOURCES = (
    Resource(
        "clickpipes",
        "ClickPipes of a service: ingestion from Kafka, object storage, Kinesis, Pub/Sub, databases",
        columns=("id", "name", "state", "destination.database", "destination.table", "createdAt"),
        verbs=(
            Verb("list", "list a service's ClickPipes", (_SERVICE,)),
            Verb("get", "show a ClickPipe", (_SERVICE, _PIPE)),
            Verb(
                "create",
                "create a ClickPipe (repeated only after a rate limit); give credentials in --file",
                (
                    _SERVICE,
                    opt("--name", "up to 255 characters", required=True),
                    *_BODY,
                    opt("--scaling", '{"replicas", "replicaCpuMillicores", "replicaMemoryGb"}', "json"),
                ),
                run=_sending("click_pipe_post_request", "ClickPipe creation"),
                mutates=True,
                wait=_until_running,
                file=True,
            ),
            Verb(
                "update",
                "change a ClickPipe (a running database pipe must be stopped first)",
                (_SERVICE, _PIPE, opt("--name", "new name"), *_BODY),
                run=_sending("click_pipe_patch_request", "ClickPipe update"),
                mutates=True,
                file=True,
            ),
            Verb("start", "start a stopped ClickPipe", (_SERVICE, _PIPE), mutates=True, wait=_until_running),
            Verb("stop", "stop a ClickPipe (a database pipe pauses)", (_SERVICE, _PIPE), mutates=True),
            Verb(
                "resync",
                "copy a Postgres or MySQL pipe's tables again",
                (_SERVICE, _PIPE),
                mutates=True,
                wait=_until_running,
            ),
            Verb(
                "delete",
                "delete a ClickPipe (sent once)",
                (_SERVICE, _PIPE),
                mutates=True,
                done="deleted",
            ),
            Verb(
                "wait",
                "wait until a ClickPipe runs (or, reading files once, completes)",
                (_SERVICE, _PIPE),
                run=_wait,
                always_waits=True,
            ),
        ),
    ),
    Resource(
        "scaling-schedules",
        "weekly windows of other scaling for a service (beta)",
        columns=("id", "name", "weekdays", "startHourUtc", "endHourUtc", "isActiveNow"),
        verbs=(
            Verb("get", "show a service's scaling schedule", (_SERVICE,)),
            Verb(
                "set",
                "replace a service's whole scaling schedule (an empty list clears it)",
                (
                    _SERVICE,
                    opt(
                        "--entries",
                        'up to 10 windows: [{"name", "weekdays", "startHourUtc", "endHourUtc", ...}] '
                        "(JSON or @file)",
                        "json",
                        required=True,
                    ),
                ),
                run=_sending("scaling_schedule_post_request", "scaling schedule"),
                mutates=True,
                file=True,
            ),
            Verb(
                "delete",
                "delete a service's scaling schedule (sent once)",
                (_SERVICE,),
                mutates=True,
                done="deleted",
            ),
        ),
    ),
)
