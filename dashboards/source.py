"""Where the site reads its input tables: a DuckDB connection, read a part at a time.

The site never holds the big tables whole (at ten times the sample corpus,
marts.score_contributions alone is 4.3 M rows with their sentences): the small tables are read
whole, the per-country and per-document rows one country or one batch of documents at a time,
and the page digests are computed by DuckDB. Frames given in memory (tests, the demo) are
conformed and loaded into an in-memory DuckDB database, so that both paths run the same code.
Every frame returned is conformed (:func:`dashboards.frames.conform`): the columns the
dashboards use, with their types.
"""

from collections.abc import Mapping, Sequence

import duckdb
import polars as pl

from dashboards.frames import SCHEMAS, conform

# Rows every page ignores (the model filters the same way on frames in memory).
KEYS_NOT_NULL = {
    "staging.documents": ("doc_id",),
    "core.events": ("event_id",),
    "core.event_mentions": ("mention_id", "doc_id"),
    "marts.score_contributions": ("country_iso3", "period_start", "event_id"),
}
# a duplicate key keeps its first row (the warehouse's primary keys make them unique)
UNIQUE = {
    "staging.documents": "doc_id",
    "core.events": "event_id",
    "core.event_mentions": "mention_id",
}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class TableSource:
    """The site's input tables in a DuckDB connection (read only by the site).

    ``relations``: SQL queries that stand in for a table (the pipeline's site reads
    dq.check_results through the query of the latest results)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, relations: Mapping[str, str] | None = None
    ) -> None:
        self.con = con
        self._rel: dict[str, str] = {}
        self._cols: dict[str, list[str]] = {}
        present = {
            f"{s}.{t}"
            for s, t in con.sql(
                "SELECT table_schema, table_name FROM information_schema.tables"
            ).fetchall()
        }
        for table in SCHEMAS:
            if relations and table in relations:
                rel = f"({relations[table]})"
                cols = con.sql(f"SELECT * FROM {rel} LIMIT 0").columns  # noqa: S608
            elif table in present:
                schema, name = table.split(".")
                rel = f"{_ident(schema)}.{_ident(name)}"
                cols = con.sql(f"SELECT * FROM {rel} LIMIT 0").columns  # noqa: S608
            else:
                continue
            if not set(KEYS_NOT_NULL.get(table, ())) <= set(cols):
                continue  # without its keys a table has no row any page shows
            self._rel[table] = rel
            self._cols[table] = [c for c in SCHEMAS[table] if c in cols]

    def has(self, table: str) -> bool:
        return table in self._rel

    def columns(self, table: str, exclude: Sequence[str] = ()) -> list[str]:
        """The used columns of ``table`` that it holds (none when it is missing)."""
        return [c for c in self._cols.get(table, []) if c not in exclude]

    def relation(self, table: str) -> str:
        """The table's name (or stand-in query) for a FROM clause, filtered of the rows that
        every page ignores."""
        keys = KEYS_NOT_NULL.get(table, ())
        if not keys:
            return self._rel[table]
        where = " AND ".join(f"{_ident(k)} IS NOT NULL" for k in keys)
        return f"(SELECT * FROM {self._rel[table]} WHERE {where})"  # noqa: S608

    def read(
        self,
        table: str,
        where: str = "",
        params: Sequence[object] = (),
        exclude: Sequence[str] = (),
        only: Sequence[str] = (),
    ) -> pl.DataFrame:
        """Rows of ``table`` (``where``: a condition with ``?`` parameters), conformed; the
        ``exclude`` columns, or those not in ``only`` when given, come back empty (long texts
        a page does not show)."""
        cols = [c for c in self.columns(table, exclude) if not only or c in only]
        if not cols:
            return conform(None, table)
        query = f"SELECT {', '.join(_ident(c) for c in cols)} FROM {self.relation(table)} t"  # noqa: S608
        if where:
            query += f" WHERE {where}"
        return conform(self.con.sql(query, params=list(params)).pl(), table)

    def rows_digest(
        self, table: str, key: str, *, join: str = "", text_length: bool = False
    ) -> dict[str, str]:
        """Key value -> a digest of its rows (order-independent), computed by DuckDB over the
        used columns; ``key`` is an SQL expression over the table (alias ``t``) and
        the ``join`` clause (when given).
        ``text_length``: a ``text`` column counts by its length only (a country page shows
        no document text, only links that need its length)."""
        cols = self.columns(table)
        if not cols:
            return {}
        values = [
            f"length(t.{_ident(c)})" if text_length and c == "text" else f"t.{_ident(c)}"
            for c in cols
        ]
        query = (
            f"SELECT CAST({key} AS VARCHAR) AS k, "  # noqa: S608
            f"sum(hash({', '.join(values)})::HUGEINT)::VARCHAR, count(*) "
            f"FROM {self.relation(table)} t {join} GROUP BY k"
        )
        return {k if k is not None else "": f"{h}/{n}" for k, h, n in self.con.sql(query).fetchall()}


def frames_source(tables: Mapping[str, object]) -> TableSource:
    """The frames (named like the warehouse tables; any may be missing, empty or broken)
    conformed and loaded into an in-memory DuckDB database."""
    con = duckdb.connect(":memory:")
    for schema in sorted({name.split(".")[0] for name in SCHEMAS}):
        con.execute(f"CREATE SCHEMA {_ident(schema)}")
    for name in SCHEMAS:
        df = conform(tables.get(name), name)
        if name in KEYS_NOT_NULL:
            df = df.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in KEYS_NOT_NULL[name]))
        if name in UNIQUE:
            df = df.unique(UNIQUE[name], keep="first", maintain_order=True)
        schema, tbl = name.split(".")
        con.register("_frame", df)
        con.execute(f"CREATE TABLE {_ident(schema)}.{_ident(tbl)} AS SELECT * FROM _frame")  # noqa: S608
        con.unregister("_frame")
    return TableSource(con)
