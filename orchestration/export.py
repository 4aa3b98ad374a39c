"""Exports of every mart table to Parquet and CSV, with the method version in the file."""

from pathlib import Path

import duckdb

MART_TABLES = ("freedom_scores", "freedom_scores_annual", "score_contributions", "alerts")


def export_marts(published: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(published), read_only=True)
    written: list[Path] = []
    try:
        for name in MART_TABLES:
            row = con.execute(
                f"SELECT any_value(method_version) FROM marts.{name}"  # noqa: S608 - fixed names
            ).fetchall()[0]
            version = (row[0] if row and row[0] else "none").replace("/", "_")
            base = out_dir / f"{name}.{version}"
            parquet, csv = base.with_suffix(".parquet"), base.with_suffix(".csv")
            con.execute(
                f"COPY (SELECT * FROM marts.{name} ORDER BY ALL) TO '{parquet}' "  # noqa: S608
                "(FORMAT parquet, KV_METADATA {method_version: '" + version + "'})"
            )
            con.execute(f"COPY (SELECT * FROM marts.{name} ORDER BY ALL) TO '{csv}' (HEADER)")  # noqa: S608
            written += [parquet, csv]
    finally:
        con.close()
    return written
