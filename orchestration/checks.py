"""Great Expectations suites (expectations/) wired as Dagster asset checks.

Each table asset declares its suite's checks as check specs (ERROR = blocking: downstream assets
do not run; WARN = a person should look), runs the suite on the frames it just wrote, stores every
outcome in ``dq.check_results`` and yields one ``AssetCheckResult`` per check.
"""

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime

import dagster as dg
import duckdb
import polars as pl

from expectations import runner
from orchestration.warehouse import replace_rows

# Seconds spent validating, per table, in this process (read by the benchmark).
CHECK_SECONDS: dict[str, float] = {}


def asset_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(table.split("."))


def check_specs(table: str) -> list[dg.AssetCheckSpec]:
    return [
        dg.AssetCheckSpec(
            name=spec.name,
            asset=asset_key(table),
            blocking=spec.severity == "ERROR",
            description=f"[{spec.severity}] {spec.description}",
        )
        for spec in runner.check_names(table)
    ]


def run_table_checks(
    context: dg.AssetExecutionContext,
    con: duckdb.DuckDBPyConnection,
    table: str,
    frames: Mapping[str, pl.DataFrame],
    partition: str = "",
) -> list[dg.AssetCheckResult]:
    started = time.perf_counter()
    outcomes = runner.run_checks(table, dict(frames))
    rows = runner.to_rows(
        outcomes,
        run_id=context.run_id,
        partition=partition,
        checked_at=datetime.now(UTC).replace(tzinfo=None),
    )
    replace_rows(
        con,
        "dq.check_results",
        rows,
        "run_id = ? AND table_name = ? AND partition = ?",
        [context.run_id, table, partition],
    )
    CHECK_SECONDS[table] = CHECK_SECONDS.get(table, 0.0) + time.perf_counter() - started
    results = []
    for o in outcomes:
        if not o.success:
            context.log.warning(
                f"check {o.check_name} on {table} failed ({o.severity}): "
                f"{o.unexpected_count} unexpected; e.g. {json.dumps(o.examples[:2], default=str)}"
            )
        results.append(
            dg.AssetCheckResult(
                asset_key=asset_key(table),
                check_name=o.check_name,
                passed=bool(o.success),
                severity=dg.AssetCheckSeverity.ERROR
                if o.severity == "ERROR"
                else dg.AssetCheckSeverity.WARN,
                metadata={
                    "unexpected_count": int(o.unexpected_count),
                    "examples": dg.MetadataValue.json(json.loads(json.dumps(o.examples, default=str))),
                    "partition": partition,
                },
            )
        )
    return results
