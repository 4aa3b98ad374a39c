"""A warehouse as comparable frames: what "the same tables" means in the tests."""

from pathlib import Path

import duckdb
import polars as pl

from orchestration.warehouse import TABLES

# bookkeeping columns that move on every run by design
VOLATILE = {"first_seen", "last_seen", "seen_at", "checked_at", "run_id"}


def snapshot(path: Path) -> dict[str, pl.DataFrame]:
    """Every table but dq.check_results, volatile columns dropped, rows sorted."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for t in TABLES:
            if t == "dq.check_results":
                continue
            df = con.sql(f"SELECT * FROM {t}").pl()  # noqa: S608 - fixed table names
            df = df.drop([c for c in df.columns if c in VOLATILE])
            out[t] = df.sort(df.columns) if df.height else df
        return out
    finally:
        con.close()
