"""The DuckDB warehouse: the pipeline writes a work file; analysts read a published copy.

DuckDB lets one process hold a file read-write and blocks every other process, readers included.
So the pipeline never opens the published file: it writes ``<name>.work.duckdb`` under an
exclusive file lock and publishes by copying it and swapping the copy in with ``os.replace``.
Readers keep the inode they opened; new readers see the new version whole.
"""

import fcntl
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
import polars as pl

from orchestration.catalogue import apply_comments, parse_ddl
from orchestration.settings import SQL_DIR, work_path

SCHEMAS = ("raw", "staging", "core", "marts", "dq")
# Creation order of the tables; one DDL file each in sql/ddl/, named schema_table.sql.
TABLES = (
    "raw.documents",
    "raw.quarantine",
    "staging.documents",
    "staging.sections",
    "staging.sentences",
    "core.event_mentions",
    "core.events",
    "marts.freedom_scores",
    "marts.freedom_scores_annual",
    "marts.score_contributions",
    "marts.alerts",
    "dq.check_results",
)


def sql_text(relative: str) -> str:
    return (SQL_DIR / relative).read_text(encoding="utf-8")


def ddl_file(table: str) -> str:
    return f"ddl/{table.replace('.', '_')}.sql"


def _quote(table: str) -> str:
    schema, name = table.split(".")
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    return f'"{schema}"."{name}"'


def duckdb_config() -> dict[str, str]:
    """Settings of every warehouse connection: DuckDB's memory limit (``CIVICSPACE_DUCKDB_MEMORY``,
    default 512MB). DuckDB keeps the blocks it has read in memory up to the limit (80% of the
    machine by default): a check reading every sentence a slice at a time would otherwise keep
    the whole table resident. Above the limit, DuckDB spills to its temporary directory."""
    return {"memory_limit": os.environ.get("CIVICSPACE_DUCKDB_MEMORY", "").strip() or "512MB"}


class Warehouse:
    """Read-write access to the work file, one exclusive lock per session."""

    def __init__(self, published: Path):
        self.published = Path(published)
        self.path = work_path(self.published)

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with open(lock_path, "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            con = duckdb.connect(str(self.path), config=duckdb_config())
            try:
                ensure_schema(con)
                yield con
            finally:
                con.close()
                fcntl.flock(lock, fcntl.LOCK_UN)

    def read(self, table: str, where: str = "", params: Sequence[Any] = ()) -> pl.DataFrame:
        with self.connect() as con:
            return read_table(con, table, where, params)

    def publish(self) -> Path:
        """Copy the work file and swap the copy in as the published warehouse, atomically.

        Everything happens under the work file's lock, so a copy left by a publication that was
        killed half-way is stale and removed here.
        """
        with self.connect() as con:
            con.execute("CHECKPOINT")
            for stale in self.published.parent.glob(f".{self.published.name}.*.tmp"):
                stale.unlink(missing_ok=True)
            tmp = self.published.with_name(f".{self.published.name}.{os.getpid()}.tmp")
            shutil.copyfile(self.path, tmp)
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(tmp, self.published)
            dir_fd = os.open(self.published.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        return self.published


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing schemas and tables; (re)write a table's comments only when they differ
    from its DDL, so an existing, documented warehouse costs two catalogue reads per connection."""
    stored: dict[str, dict[str, str]] = {}
    for schema, table, column, comment in con.execute(
        "SELECT t.schema_name, t.table_name, c.column_name, coalesce(c.comment, '') "
        "FROM duckdb_tables() AS t JOIN duckdb_columns() AS c USING (table_oid)"
    ).fetchall():
        stored.setdefault(f"{schema}.{table}", {})[column] = comment
    table_comments = dict(
        con.execute(
            "SELECT schema_name || '.' || table_name, coalesce(comment, '') FROM duckdb_tables()"
        ).fetchall()
    )
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in TABLES:
        ddl = sql_text(ddl_file(table))
        if table not in stored:
            con.execute(ddl)
        documented, columns = parse_ddl(ddl)
        current = stored.get(table, {})
        if table_comments.get(table, "") != documented or any(
            current.get(c, "") != text for c, text in columns.items()
        ):
            apply_comments(con, table, ddl)


def read_table(
    con: duckdb.DuckDBPyConnection,
    table: str,
    where: str = "",
    params: Sequence[Any] = (),
    exclude: Sequence[str] = (),
) -> pl.DataFrame:
    """Rows of a table (optionally filtered), without the ``exclude`` columns (e.g. long texts)."""
    star = "*"
    if exclude:
        if not set(exclude) <= set(columns_of(con, table)):
            raise ValueError(f"{table} has no column among {sorted(exclude)}")
        star = "* EXCLUDE (" + ", ".join(f'"{c}"' for c in exclude) + ")"
    query = f"SELECT {star} FROM {_quote(table)}"  # noqa: S608 - names come from TABLES and the DDL
    if where:
        query += f" WHERE {where}"
    return con.sql(query, params=list(params)).pl() if params else con.sql(query).pl()


def row_count(
    con: duckdb.DuckDBPyConnection, table: str, where: str = "", params: Sequence[Any] = ()
) -> int:
    """Rows in a table, optionally filtered (a catalogue name and a condition with bound
    parameters: never a value formatted into SQL)."""
    query = f"SELECT count(*) FROM {_quote(table)}"  # noqa: S608
    if where:
        query += f" WHERE {where}"
    return int(con.execute(query, list(params)).fetchall()[0][0])


def columns_of(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    schema, name = table.split(".")
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()
    return [r[0] for r in rows]


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Insert a frame by column name (the frame must have exactly the table's columns)."""
    if frame.is_empty():
        return 0
    cols = columns_of(con, table)
    missing = set(cols) ^ set(frame.columns)
    if missing:
        raise ValueError(f"{table}: columns differ from the DDL: {sorted(missing)}")
    con.from_arrow(frame.select(cols).to_arrow()).insert_into(table)
    return frame.height


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All writes inside happen together or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """``frame`` visible to SQL as the view ``name`` for the duration of the block."""
    con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        con.unregister(name)


def delete_rows(
    con: duckdb.DuckDBPyConnection, table: str, where: str = "", params: Sequence[Any] = ()
) -> None:
    query = f"DELETE FROM {_quote(table)}"  # noqa: S608 - table names come from TABLES only
    if where:
        query += f" WHERE {where}"
    con.execute(query, list(params))


def replace_tables(
    con: duckdb.DuckDBPyConnection,
    frames: dict[str, pl.DataFrame],
    where: str = "",
    params: Sequence[Any] = (),
) -> int:
    """For each table: delete the rows matching ``where`` (all rows when empty) and insert its
    frame; every table in one transaction. Returns the rows inserted."""
    with transaction(con):
        n = 0
        for table, frame in frames.items():
            delete_rows(con, table, where, params)
            n += insert_frame(con, table, frame)
        return n


def replace_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    where: str = "",
    params: Sequence[Any] = (),
) -> int:
    """Delete the rows matching ``where`` (all rows when empty), insert ``frame``: one transaction."""
    return replace_tables(con, {table: frame}, where, params)


class WarehouseResource(dg.ConfigurableResource):
    """Dagster resource: where the published warehouse lives (the work file sits beside it)."""

    path: str = "build/warehouse.duckdb"

    def get(self) -> Warehouse:
        return Warehouse(Path(self.path))


# --------------------------------------------------------------------------- incremental scopes
#
# An asset that is a per-country function of its inputs (grouping events, scoring, alerts)
# recomputes only the countries whose inputs changed since it last wrote them. For each country
# it remembers, in a small JSON file in ``<work file>.state/`` (never published), the digest of
# the inputs it computed from and the digest of the rows it wrote. A country is recomputed when
# either differs now: new inputs, or rows changed behind its back (a rebuilt or restored
# warehouse). The digests include the code that computes the rows, so a change of method
# recomputes everything.

EMPTY_DIGEST = "0/0"


def digests(
    con: duckdb.DuckDBPyConnection, query: str, params: Sequence[Any] | dict[str, Any] = ()
) -> dict[str, str]:
    """key -> digest of a set of rows. ``query`` returns ``k`` (a string key) and ``h`` (a
    64-bit hash of each row: ``hash(t)`` of a table alias ``t``); the digest is the sum of the
    hashes and the count, so row order does not matter."""
    rows = con.execute(
        f"SELECT k, CAST(sum(h::HUGEINT) AS VARCHAR) || '/' || count(*) FROM ({query}) "  # noqa: S608
        "GROUP BY k",
        params if isinstance(params, dict) else list(params),
    ).fetchall()
    return {"" if k is None else str(k): d for k, d in rows}


def frame_digests(df: pl.DataFrame, key: str) -> dict[str, str]:
    """key -> digest of a frame's rows (the same idea as ``digests``, for frames in memory)."""
    if df.is_empty():
        return {}
    h = df.drop(key).hash_rows(seed=0)
    agg = (
        pl.DataFrame({"k": df.get_column(key).fill_null(""), "h": h})
        .group_by("k")
        .agg(
            (pl.col("h") // 4294967296).sum().alias("hi"),
            (pl.col("h") % 4294967296).sum().alias("lo"),
            pl.len().alias("n"),
        )
    )
    return {k: f"{hi}.{lo}/{n}" for k, hi, lo, n in agg.iter_rows()}


def code_digest(*modules: Any) -> str:
    """A digest of the source files of ``modules`` and of the libraries whose output they shape."""
    import hashlib

    h = hashlib.sha256(f"{pl.__version__}|{duckdb.__version__}".encode())
    for m in modules:
        h.update(Path(m.__file__).read_bytes())
    return h.hexdigest()[:16]


class ScopeState:
    """What an asset computed per key (a country, or a country and quarter) last time:
    ``{key: [input digest, output digest]}``, in ``<work file>.state/<name>.json``."""

    def __init__(self, warehouse: "Warehouse", name: str) -> None:
        self.path = warehouse.path.with_name(f"{warehouse.path.name}.state") / f"{name}.json"

    def load(self) -> dict:
        import json

        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, state: dict) -> None:
        import json

        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(state, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)


def stale(recorded: dict, inputs: dict, outputs: dict) -> set:
    """Keys whose recorded [input digest, output digest] differ from the current ones (a key
    present on either side; a missing output is ``EMPTY_DIGEST``)."""
    keys = set(inputs) | set(outputs) | set(recorded)
    return {k for k in keys if recorded.get(k) != [inputs.get(k), outputs.get(k, EMPTY_DIGEST)]}
