"""Great Expectations suites (expectations/) wired as Dagster asset checks.

Each table asset declares its suite's checks as check specs (ERROR = blocking: downstream assets
do not run; WARN = a person should look), runs the suite on the frames it just wrote, stores every
outcome in ``dq.check_results`` and yields one ``AssetCheckResult`` per check.
"""

import json
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

import dagster as dg
import duckdb
import polars as pl

from expectations import runner
from expectations.common import MissingInput
from orchestration.warehouse import (
    TABLES,
    columns_of,
    duckdb_config,
    read_table,
    replace_rows,
)

# Seconds spent validating, per table, in this process (read by the benchmark).
CHECK_SECONDS: dict[str, float] = {}


CHECK_MEMORY = "192MB"  # DuckDB's memory limit while checks read
PART_KEYS = 500  # key values (documents) whose texts a check holds at a time

# Columns of long texts: read for a check only when the check names them.
LONG_COLUMNS = frozenset(
    {"content", "text", "text_clean", "sentence", "summary", "message", "evidence", "examples",
     "detail"}
)


class WarehouseFrames(Mapping[str, pl.DataFrame]):
    """The tables a suite reads: the frames an asset gives (what it has just computed), and any
    other table read from the warehouse on demand.

    A table read here comes without its long text columns (read once, kept for the other checks
    of the run) unless a check names one, so the checks hold the columns they test, not whole
    tables of texts: at ten times the corpus the sentences, documents and contributions would
    otherwise be held whole, a gigabyte and more.
    """

    def __init__(
        self, con: duckdb.DuckDBPyConnection, given: Mapping[str, pl.DataFrame] | None = None
    ) -> None:
        self._con = con
        self._given = dict(given or {})
        self._short: dict[str, pl.DataFrame] = {}

    def frame(self, table: str, columns: list[str]) -> pl.DataFrame | None:
        if table in self._given:
            return self._given[table]
        if table not in TABLES:
            return None
        long = [c for c in columns_of(self._con, table) if c in LONG_COLUMNS]
        if any(c in long for c in columns):  # a text is checked: read it, this once
            return read_table(self._con, table, exclude=[c for c in long if c not in columns])
        if table not in self._short:
            self._short[table] = read_table(self._con, table, exclude=long)
        return self._short[table]

    def parts(self, columns: dict[str, list[str]], key: str) -> Iterator[dict[str, pl.DataFrame]]:
        """The frames of ``columns``' tables a slice of ``PART_KEYS`` values of ``key`` at a
        time (see ``expectations.common.need_parts``), in key order."""
        values: set = set()
        for table in columns:
            if table in self._given:
                values.update(self._given[table].get_column(key).unique().to_list())
            elif table in TABLES and key in columns_of(self._con, table):
                values.update(r[0] for r in self._con.execute(
                    f'SELECT DISTINCT "{key}" FROM {table}'  # noqa: S608 - catalogue names
                ).fetchall())  # fmt: skip
        ordered = sorted(v for v in values if v is not None)
        for i in range(0, max(len(ordered), 1), PART_KEYS):
            chunk = ordered[i : i + PART_KEYS]
            # a range of sorted key values: exactly this slice's, and DuckDB skips the row
            # groups outside it (rows are stored about in key order) instead of scanning all
            bounds = (chunk[0], chunk[-1]) if chunk else None
            yield {table: self._part(table, cols, key, bounds) for table, cols in columns.items()}

    def _part(
        self, table: str, columns: list[str], key: str, bounds: tuple | None
    ) -> pl.DataFrame:
        if table in self._given:
            given = self._given[table]
            if bounds is None:
                return given.clear()
            return given.filter(pl.col(key).is_between(pl.lit(bounds[0]), pl.lit(bounds[1])))
        names = columns_of(self._con, table) if table in TABLES else []
        if key not in names:
            raise MissingInput(table, f"input frame {table!r} with column {key!r} not given")
        long = [c for c in names if c in LONG_COLUMNS and c not in columns]
        if bounds is None:
            return read_table(self._con, table, "false", exclude=long)
        where = f'"{key}" BETWEEN ? AND ?'  # noqa: S608 - a column checked above
        return read_table(self._con, table, where, list(bounds), exclude=long).sort(
            key, maintain_order=True
        )

    def __getitem__(self, table: str) -> pl.DataFrame:
        """The table without its long texts (those come only through ``frame`` naming them)."""
        df = self.frame(table, [])
        if df is None:
            raise KeyError(table)
        return df

    def __iter__(self):
        return iter(dict.fromkeys([*self._given, *TABLES]))

    def __len__(self) -> int:
        return len(dict.fromkeys([*self._given, *TABLES]))


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


@contextmanager
def reading_memory(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """DuckDB's memory limit lowered to ``CHECK_MEMORY`` while checks read (they write nothing
    big): the blocks one check reads are not kept in memory beside the next check's frames.
    The warehouse's limit is restored after."""
    con.execute(f"SET memory_limit = '{CHECK_MEMORY}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{duckdb_config()['memory_limit']}'")


def run_table_checks(
    context: dg.AssetExecutionContext,
    con: duckdb.DuckDBPyConnection,
    table: str,
    frames: Mapping[str, pl.DataFrame] | None = None,
    partition: str = "",
    parts: Iterable[Mapping[str, pl.DataFrame]] | None = None,
) -> list[dg.AssetCheckResult]:
    """Run ``table``'s suite; ``frames`` are what the asset has in memory, any other table a
    check needs is read from ``con`` (:class:`WarehouseFrames`).

    ``parts`` (instead of ``frames``): the suite runs on each part in turn and the outcomes are
    merged (``runner.merge_outcomes``), so that only one part is held at a time; each part must
    hold whole groups of every comparison the checks make (e.g. whole countries for the marts)."""
    started = time.perf_counter()
    with reading_memory(con):
        if parts is not None:  # the checks on each part, one outcome per check for them all
            outcomes = runner.merge_outcomes(
                runner.run_checks(table, WarehouseFrames(con, part)) for part in parts
            )
        else:
            if not isinstance(frames, WarehouseFrames):
                frames = WarehouseFrames(con, frames)
            outcomes = runner.run_checks(table, frames)
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
