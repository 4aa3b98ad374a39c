"""Exports of every mart table to Parquet and CSV, with the method version in the file."""

import re
from pathlib import Path

import duckdb

from orchestration.warehouse import duckdb_config

MART_TABLES = ("freedom_scores", "freedom_scores_annual", "score_contributions", "alerts")
# each table's primary key (sql/ddl): a total order, cheaper than ORDER BY ALL (which sorts the
# contributions on their sentences too)
ORDER = {
    "freedom_scores": "country_iso3, period_start, freedom",
    "freedom_scores_annual": "country_iso3, year, freedom",
    "score_contributions": "country_iso3, period_start, freedom, event_id",
    "alerts": "alert_id",
}


def export_marts(published: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    # within the warehouse's memory limit: the sort of ten million contributions spills to disk
    con = duckdb.connect(str(published), read_only=True, config=duckdb_config())
    written: list[Path] = []
    try:
        for name in MART_TABLES:
            row = con.execute(
                f"SELECT any_value(method_version) FROM marts.{name}"  # noqa: S608 - fixed names
            ).fetchall()[0]
            version = re.sub(r"[^A-Za-z0-9._-]", "_", row[0] if row and row[0] else "none")
            parquet = out_dir / f"{name}.{version}.parquet"
            csv = out_dir / f"{name}.{version}.csv"
            # COPY takes no bound parameters: the names are ours, the version is sanitised above
            tmp_parquet, tmp_csv = _tmp(parquet), _tmp(csv)
            con.execute(
                f"COPY (SELECT * FROM marts.{name} ORDER BY {ORDER[name]}) "  # noqa: S608
                f"TO {_lit(tmp_parquet)} "
                "(FORMAT parquet, KV_METADATA {method_version: " + _lit(version) + "})"
            )
            # the CSV from the sorted Parquet file just written: one sort per table, not two
            con.execute(f"COPY (SELECT * FROM read_parquet({_lit(tmp_parquet)})) "  # noqa: S608
                        f"TO {_lit(tmp_csv)} (HEADER)")
            tmp_parquet.replace(parquet)
            tmp_csv.replace(csv)
            written += [parquet, csv]
    finally:
        con.close()
    return written


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _lit(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"
