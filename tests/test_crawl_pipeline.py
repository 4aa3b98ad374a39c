"""Crawled pages enter the warehouse once, parsed exactly like the same files dropped by hand."""

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest
from test_crawler import Sleeps, run, site  # noqa: F401 - the local fixture site and its server

from orchestration.runner import run_pipeline
from orchestration.settings import Settings

pytestmark = pytest.mark.slow
PARSED = ["country_iso3", "title", "period_start", "period_end", "published", "text", "kind"]


def _documents(tmp: Path, inbox: Path) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    settings = Settings(inbox=inbox, warehouse=tmp / "warehouse.duckdb", site=tmp / "site",
                        max_bytes=20_000_000, webhook_url=None)
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_pipeline(settings, instance=instance).success
    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        return (con.sql("SELECT * FROM staging.documents ORDER BY sha256").pl(),
                con.sql("SELECT * FROM raw.documents ORDER BY sha256").pl(),
                con.sql("SELECT * FROM raw.quarantine WHERE stage = 'parse' ORDER BY file").pl())
    finally:
        con.close()


def test_crawled_articles_parse_like_dropped_files(site, tmp_path):  # noqa: F811
    report = run(site, tmp_path, sleeps=Sleeps())
    assert report.fetched >= 5
    crawled_inbox = tmp_path / "inbox"
    crawled, raw, refused = _documents(tmp_path / "crawled", crawled_inbox)
    # every fetched article is in the warehouse once, with the URL it came from; each one is
    # either parsed or quarantined with the parser's reason
    pages = sorted((crawled_inbox / "web").glob("*/*.html"))
    assert raw.height == len({p.read_bytes() for p in pages}) == len(pages)
    assert raw["source_url"].str.starts_with(site.base).all()
    assert crawled.height + refused.height == raw.height and crawled.height >= 1
    assert crawled["source_url"].str.starts_with(site.base).all()
    assert (refused["detail"].str.len_chars() > 0).all()

    dropped_inbox = tmp_path / "dropped"
    dropped_inbox.mkdir()
    for p in pages:  # the same pages saved by hand: no sidecar, no URL
        shutil.copy(p, dropped_inbox / p.name)
    dropped, _, dropped_refused = _documents(tmp_path / "by-hand", dropped_inbox)
    assert crawled.select(PARSED).equals(dropped.select(PARSED))
    assert refused.select("sha256", "reason").sort("sha256").equals(
        dropped_refused.select("sha256", "reason").sort("sha256"))

    # a second crawl brings nothing new, and a rerun adds no document
    again = run(site, tmp_path, sleeps=Sleeps())
    assert again.fetched == 0
    assert _documents(tmp_path / "crawled", crawled_inbox)[1].height == raw.height


def test_the_scheduled_crawl_job_fetches_the_configured_sources(site, tmp_path, monkeypatch):  # noqa: F811
    from orchestration.automation import crawl_job, daily_crawl

    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[defaults]\nmax_pages = 5\nmin_delay_s = 0.0\ntimeout_s = 1.0\nmax_retries = 1\n"
        "max_bytes = 50000\n\n[[source]]\nname = \"fixture\"\n"
        f"listing_url = \"{site.base}/updates/\"\nlink_pattern = '/updates/(\\d{{4}}|old|drafts)/'\n",
        encoding="utf-8")
    monkeypatch.setenv("CIVICSPACE_SOURCES", str(sources))
    monkeypatch.setenv("CIVICSPACE_INBOX", str(tmp_path / "inbox"))
    monkeypatch.setenv("CIVICSPACE_CRAWL_STATE", str(tmp_path / "state"))
    result = crawl_job.execute_in_process()
    assert result.success
    assert len(list((tmp_path / "inbox" / "web").glob("*/*.html"))) >= 5
    assert daily_crawl.cron_schedule == "0 5 * * *"
