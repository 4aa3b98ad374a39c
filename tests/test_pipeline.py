"""One in-process materialisation of the sample through Dagster, then the same again: identical."""


import dagster as dg
import duckdb
import polars as pl
import pytest
from snapshots import snapshot

from orchestration.runner import run_pipeline
from orchestration.settings import SAMPLE_INBOX, Settings


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    settings = Settings(
        inbox=SAMPLE_INBOX,
        warehouse=out / "warehouse.duckdb",
        site=out / "site",
        max_bytes=20_000_000,
        webhook_url=None,
    )
    with dg.DagsterInstance.ephemeral() as instance:
        first = run_pipeline(settings, instance=instance)
        snap1 = snapshot(settings.warehouse)
        second = run_pipeline(settings, instance=instance)
        snap2 = snapshot(settings.warehouse)
    return settings, first, second, snap1, snap2


def test_the_sample_run_succeeds_and_fills_the_marts(sample_run):
    settings, first, second, snap, _ = sample_run
    assert first.success and second.success
    assert len(first.quarters) >= 4
    for t in (
        "staging.documents",
        "core.events",
        "marts.freedom_scores",
        "marts.freedom_scores_annual",
        "marts.score_contributions",
    ):
        assert snap[t].height > 0, f"{t} is empty"
    assert snap["staging.documents"].get_column("country_iso3").n_unique() >= 3
    assert (settings.site / "index.html").is_file()


def test_blocking_checks_passed(sample_run):
    settings, *_ = sample_run
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        failed = con.sql(
            "SELECT table_name, check_name, unexpected_count, examples FROM dq.check_results "
            "WHERE severity = 'ERROR' AND NOT success"
        ).fetchall()
        n = con.execute("SELECT count(*) FROM dq.check_results").fetchall()[0][0]
    finally:
        con.close()
    assert n > 0 and failed == []


def test_running_again_leaves_every_table_identical(sample_run):
    *_, snap1, snap2 = sample_run
    for t in snap1:
        assert snap1[t].equals(snap2[t]), f"{t} changed on a rerun"


def _example(name: str) -> str:
    from orchestration.settings import SQL_DIR

    return (SQL_DIR / "examples" / f"{name}.sql").read_text(encoding="utf-8")


def test_example_queries_answer_on_the_published_warehouse(sample_run):
    settings, *_ = sample_run
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        country = con.execute("SELECT min(country_iso3) FROM marts.freedom_scores").fetchall()[0][0]
        trend = con.sql(_example("trend_of_one_country"), params={"country": country}).pl()
        assert trend.height >= 4 and set(trend["country_iso3"]) == {country}
        declines = con.sql(
            _example("worst_declines_this_quarter"), params={"period_start": None, "limit": 10}
        ).pl()
        assert (declines["change"] < 0).all()
        row = con.execute(
            "SELECT country_iso3, period_start, freedom FROM marts.freedom_scores "
            "WHERE n_events > 0 ORDER BY n_events DESC, country_iso3 LIMIT 1"
        ).fetchall()[0]
        behind = con.sql(
            _example("events_behind_a_score"),
            params={"country": row[0], "period_start": row[1], "freedom": row[2]},
        ).pl()
        assert behind.height >= 1 and behind["sentence"].drop_nulls().len() >= 1
    finally:
        con.close()


def test_every_mart_column_is_documented(sample_run):
    settings, *_ = sample_run
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        undocumented = con.sql(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE schema_name = 'marts' AND coalesce(comment, '') = ''"
        ).fetchall()
        tables = con.sql(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' "
            "AND coalesce(comment, '') = ''"
        ).fetchall()
    finally:
        con.close()
    assert undocumented == [] and tables == []


def test_readme_catalogue_is_generated_from_the_comments(repo):
    from orchestration.catalogue import END, START, catalogue_markdown
    from orchestration.warehouse import ensure_schema

    con = duckdb.connect(":memory:")
    ensure_schema(con)
    readme = (repo / "README.md").read_text(encoding="utf-8")
    block = readme.split(START, 1)[1].split(END, 1)[0]
    assert block.strip() == catalogue_markdown(con).strip(), "run `make catalogue`"


def test_every_mart_table_is_exported_with_its_method_version(sample_run):
    import pyarrow.parquet as pq

    settings, *_ = sample_run
    exports = settings.warehouse.parent / "exports"
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        version = con.execute("SELECT any_value(method_version) FROM marts.freedom_scores").fetchall()[0][0]
        for name in ("freedom_scores", "freedom_scores_annual", "score_contributions", "alerts"):
            parquet = exports / f"{name}.{version}.parquet"
            csv = exports / f"{name}.{version}.csv"
            meta = pq.read_metadata(parquet).metadata
            assert meta[b"method_version"] == version.encode()
            n = con.execute(f"SELECT count(*) FROM marts.{name}").fetchall()[0][0]  # noqa: S608
            assert pq.read_metadata(parquet).num_rows == n
            assert pl.read_csv(csv).height == n
    finally:
        con.close()
