"""Rows (dicts from the pure transforms) to Polars frames typed exactly as the DDL says."""

from functools import cache

import duckdb
import polars as pl

from orchestration.warehouse import TABLES, ensure_schema


@cache
def schema_of(table: str) -> pl.Schema:
    con = duckdb.connect(":memory:")
    try:
        ensure_schema(con)
        return con.sql(f"SELECT * FROM {table} LIMIT 0").pl().schema  # noqa: S608 - TABLES only
    finally:
        con.close()


def frame(table: str, rows: list[dict]) -> pl.DataFrame:
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}")
    schema = schema_of(table)
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame([{c: r.get(c) for c in schema} for r in rows], schema=schema)


def conform(table: str, df: pl.DataFrame) -> pl.DataFrame:
    """Cast a frame produced by a transform to the table's columns and types."""
    schema = schema_of(table)
    missing = [c for c in schema if c not in df.columns]
    if missing:
        raise ValueError(f"{table}: missing columns {missing}")
    return df.select([pl.col(c).cast(t) for c, t in schema.items()])
