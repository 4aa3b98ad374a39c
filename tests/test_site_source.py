"""The site read from a warehouse a country at a time (``dashboards.source.TableSource``, what
the pipeline uses) writes the same bytes as the site built from frames in memory, whatever the
size of its reading batches; and the faster ``moved_score`` keeps the rows the window did."""

import random
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

import dashboards.site as site_module
from dashboards import figures as fg
from dashboards.demo import demo_tables
from dashboards.site import build_site
from dashboards.source import TableSource
from orchestration.assets.publish import write_site


def _pages(folder: Path) -> dict[str, bytes]:
    """Every file of a site but its state file (which holds digests of the code)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != ".site-state.json"
    }


def write_warehouse(db: Path, repo: Path, tables: dict[str, pl.DataFrame]) -> Path:
    """A DuckDB file made with sql/ddl, holding ``tables``."""
    con = duckdb.connect(str(db))
    for schema in ("raw", "staging", "core", "marts", "dq"):
        con.execute(f"create schema {schema}")
    for ddl in sorted((repo / "sql" / "ddl").glob("*.sql")):
        con.execute(ddl.read_text(encoding="utf-8"))
    for name, df in tables.items():
        if df.height:
            con.register("src", df.to_arrow())
            con.execute(f"insert into {name} by name select * from src")  # noqa: S608
            con.unregister("src")
    con.close()
    return db


@pytest.fixture()
def warehouse(tmp_path: Path, repo: Path) -> tuple[Path, dict[str, pl.DataFrame]]:
    """A DuckDB file made with sql/ddl, holding the demo tables."""
    tables = demo_tables(4, 6)
    return write_warehouse(tmp_path / "w.duckdb", repo, tables), tables


def test_warehouse_source_matches_frames_in_any_batch_size(
    warehouse: tuple[Path, dict[str, pl.DataFrame]], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, tables = warehouse
    build_site(tables, tmp_path / "frames")
    expected = _pages(tmp_path / "frames")
    for batch in (1, 7, 10**9):  # one country per read, a few, all at once
        monkeypatch.setattr(site_module, "CONTRIB_BATCH", batch)
        monkeypatch.setattr(site_module, "DOC_BATCH", min(batch, 5))
        out = tmp_path / f"db-{batch}"
        with duckdb.connect(str(db), read_only=True) as con:
            build_site(TableSource(con), out)
        got = _pages(out)
        assert got.keys() == expected.keys()
        assert [k for k in got if got[k] != expected[k]] == []


def test_pipeline_site_reads_the_latest_checks(
    warehouse: tuple[Path, dict[str, pl.DataFrame]], tmp_path: Path
) -> None:
    """The asset's reading: dq.check_results through the query of the latest results."""
    db, tables = warehouse
    with duckdb.connect(str(db)) as con:
        con.execute(
            "insert into dq.check_results select 'run-0', checked_at - INTERVAL 1 DAY, "
            "table_name, partition, check_name, severity, NOT success, 9, examples "
            "from dq.check_results"
        )
    with duckdb.connect(str(db)) as con:
        paths = write_site(con, tmp_path / "site")
    assert tmp_path / "site" / "index.html" in paths
    build_site(tables, tmp_path / "frames")
    quality = (tmp_path / "site" / "quality.html").read_bytes()
    assert quality == (tmp_path / "frames" / "quality.html").read_bytes()
    with duckdb.connect(str(db), read_only=True) as con:  # reuse: nothing to render again
        rendered: list[str] = []
        real = site_module.country_page
        site_module.country_page = lambda site, iso, *a: rendered.append(iso) or real(site, iso, *a)
        try:
            write_site(con, tmp_path / "site")
        finally:
            site_module.country_page = real
    assert rendered == []


def _window_moved(contribs: pl.DataFrame) -> pl.DataFrame:
    """moved_score as it was written first: a window over each event's series."""
    c = contribs.filter(
        (pl.col("event_id") != "__baseline__") & pl.col("points").is_not_null()
        & (pl.col("points") != 0) & pl.col("period_start").is_not_null()
    )
    if c.is_empty():
        return c
    prev = pl.col("points").shift(1).over(
        ["country_iso3", "event_id", "freedom"], order_by="period_start")
    return c.filter(prev.is_null() | ((pl.col("points") - prev).abs() >= fg.MIN_MOVE))


def test_moved_score_keeps_the_rows_of_the_window() -> None:
    rng = random.Random(5)
    rows = []
    for q in range(12):
        for iso in ("AAA", "BBB"):
            for e in range(6):
                rows.append({
                    "country_iso3": iso, "period_start": date(2020 + q // 4, q % 4 * 3 + 1, 1),
                    "freedom": rng.choice(["expression", "assembly", None]),
                    "event_id": rng.choice([f"e{e}", "__baseline__"]),
                    "points": rng.choice([None, 0.0, -1.0, -1.2, -3.0, 2.0, 2.4]),
                })
    df = pl.DataFrame(rows).unique(
        ["country_iso3", "period_start", "freedom", "event_id"], keep="first",
        maintain_order=True).sample(fraction=1.0, shuffle=True, seed=2)
    expected = _window_moved(df).rows()
    assert 20 < len(expected) < df.height
    assert fg.moved_score(df).rows() == expected
