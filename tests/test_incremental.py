"""Incremental runs give the same tables and pages as recomputing everything.

Grouping events, scoring, annual scores and alerts are per-country functions of their inputs,
and the pipeline recomputes only the countries whose inputs changed (orchestration.warehouse
.ScopeState). Here: the per-country property on the pure functions, then one update added to
the sample inbox, run once scoped and once with the scope state removed (everything recomputed),
compared table by table and page by page. Fixtures are the repository's own sample inbox.
"""

import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
from snapshots import snapshot

from orchestration.assets.marts import _inputs, _inputs_of, _only, _years
from orchestration.automation import partitions_of_file
from orchestration.landing import LandedFile
from orchestration.runner import run_pipeline
from orchestration.settings import SAMPLE_INBOX, Settings
from orchestration.warehouse import Warehouse
from transforms.annual import score_annual
from transforms.events import group_events, mention_country
from transforms.scoring import score_quarters

LATE = "serbia-2024q2-vojvodina.txt"  # a second Serbian update of a quarter already scored


def _mention(doc_id: str, start: int, text: str, event_type: str = "EXP_DETENTION") -> dict:
    return {
        "mention_id": f"{doc_id}:{start}:{event_type}",
        "doc_id": doc_id,
        "sentence_no": start,
        "start": start,
        "end": start + len(text),
        "text": text,
        "event_type": event_type,
        "freedom": "expression",
        "status": "new",
        "actor": "state",
        "target": "journalist",
        "confidence": 0.7,
        "event_date": None,
        "rule": "test",
        "extractor_version": "test",
    }


def _doc(doc_id: str, country: str | None, ws: date) -> dict:
    return {
        "doc_id": doc_id,
        "country_iso3": country,
        "window_start": ws,
        "window_end": date(ws.year, 12, 31),
        "kind": "update",
    }


def test_grouping_some_countries_gives_their_part_of_grouping_all():
    docs = {
        d["doc_id"]: d
        for d in (
            _doc("a1", "KGZ", date(2021, 1, 1)),
            _doc("a2", "KGZ", date(2021, 7, 1)),
            _doc("b1", "KAZ", date(2021, 1, 1)),
            _doc("b2", "KAZ", date(2022, 1, 1)),
            _doc("c1", None, date(2021, 1, 1)),
        )
    }
    texts = [
        "Police detained blogger Talant Osmonov over a post.",
        "Osmonov was detained again, held at the Bishkek station.",
        "She remains in custody.",
        "Authorities detained journalist Aigerim Tazhi in Almaty.",
        "Tazhi was released after two days in Almaty.",
        "A reporter was detained.",
    ]
    ms = [
        _mention(d, 10 * i, t)
        for d in ("a1", "a2", "b1", "b2", "c1", "zz")
        for i, t in enumerate(texts)
    ]
    ms.sort(key=lambda m: m["mention_id"])
    all_m, all_e = group_events(ms, docs)
    countries = {mention_country(m, docs) for m in ms}
    assert countries == {"KGZ", "KAZ", "UNK"}
    for subset in ({"KGZ"}, {"KAZ", "UNK"}, {"UNK"}):
        part = [m for m in ms if mention_country(m, docs) in subset]
        sub_m, sub_e = group_events(part, docs)
        assert sorted(sub_e, key=lambda e: e["event_id"]) == sorted(
            (e for e in all_e if e["country_iso3"] in subset), key=lambda e: e["event_id"]
        )
        assert sorted(sub_m, key=lambda m: m["mention_id"]) == sorted(
            (m for m in all_m if mention_country(m, docs) in subset), key=lambda m: m["mention_id"]
        )


def _settings(base: Path, inbox: Path) -> Settings:
    return Settings(
        inbox=inbox,
        warehouse=base / "warehouse.duckdb",
        site=base / "site",
        max_bytes=20_000_000,
        webhook_url=None,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The sample without one update, run whole; then that update added and run for the
    quarters it touches: once scoped (as the pipeline does), once with the scope state removed
    (every country recomputed)."""
    root = tmp_path_factory.mktemp("incremental")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox, ignore=shutil.ignore_patterns(LATE))
    first = root / "first"
    with dg.DagsterInstance.ephemeral() as instance:
        assert run_pipeline(_settings(first, inbox), instance=instance).success
    shutil.copy(SAMPLE_INBOX / LATE, inbox / LATE)
    touched = sorted(partitions_of_file(LandedFile(LATE, (inbox / LATE).read_bytes()), 20_000_000))
    out = {}
    for name in ("scoped", "everything"):
        base = root / name
        shutil.copytree(first, base)
        if name == "everything":
            shutil.rmtree(base / "warehouse.work.duckdb.state")
            (base / "site" / ".site-state.json").unlink()
        with dg.DagsterInstance.ephemeral() as instance:
            summary = run_pipeline(_settings(base, inbox), instance=instance, quarters=touched)
            meta = {
                k: instance.get_latest_materialization_event(
                    dg.AssetKey(list(k))
                ).asset_materialization.metadata
                for k in (
                    ("core", "events"),
                    ("marts", "freedom_scores"),
                    ("marts", "freedom_scores_annual"),
                    ("marts", "alerts"),
                )
            }
        assert summary.success
        out[name] = (base, meta)
    return touched, out


def test_the_scoped_run_recomputed_only_the_country_of_the_update(runs):
    touched, out = runs
    assert touched == ["2024-04-01"]
    _, meta = out["scoped"]
    assert meta[("core", "events")]["countries_regrouped"].value == 1
    for k in (("marts", "freedom_scores"), ("marts", "freedom_scores_annual"), ("marts", "alerts")):
        assert meta[k]["countries_recomputed"].value == 1
    _, meta = out["everything"]
    assert meta[("marts", "freedom_scores")]["countries_recomputed"].value == -1  # all


def test_scoped_and_full_recomputation_write_the_same_tables(runs):
    _, out = runs
    a = snapshot(Warehouse(out["scoped"][0] / "warehouse.duckdb").path)
    b = snapshot(Warehouse(out["everything"][0] / "warehouse.duckdb").path)
    assert a.keys() == b.keys()
    for t in a:
        assert a[t].equals(b[t]), t
    assert a["staging.documents"].filter(pl.col("source") == LATE).height == 1


def test_scoped_and_full_recomputation_write_the_same_pages(runs):
    _, out = runs
    pages = {}
    for name, (base, _) in out.items():
        site = base / "site"
        pages[name] = {
            p.relative_to(site).as_posix(): p.read_bytes()
            for sub in ("country", "doc")
            for p in (site / sub).glob("*.html")
        }
        for top in ("index.html", "compare.html"):
            pages[name][top] = (site / top).read_bytes()
    assert pages["scoped"].keys() == pages["everything"].keys()
    assert [k for k in pages["scoped"] if pages["scoped"][k] != pages["everything"][k]] == []


def test_scoring_some_countries_gives_their_rows_of_scoring_all(runs):
    _, out = runs
    with Warehouse(out["everything"][0] / "warehouse.duckdb").connect() as con:
        inp = _inputs(con)
        years = _years(con)
        countries = sorted(set(inp["staging.documents"]["country_iso3"].drop_nulls().to_list()))
        for cs in ([c] for c in countries):  # the inputs a chunk reads are those it picks
            for read, picked in zip(_inputs_of(con, cs), _only(inp, set(cs)), strict=True):
                assert read.equals(picked), cs
    starts = [date(2024, m, 1) for m in (1, 4, 7, 10)]
    all_q = score_quarters(*_only(inp, None), starts)
    all_y = score_annual(*_only(inp, None), years=years)
    assert all_y.equals(score_annual(*_only(inp, None)))  # the years the default picks
    assert len(countries) >= 3
    for c in countries:
        q = score_quarters(*_only(inp, {c}), starts)
        for part, whole in zip(q, all_q, strict=True):
            assert part.height > 0
            assert part.equals(whole.filter(pl.col("country_iso3") == c)), c
        y = score_annual(*_only(inp, {c}), years=years)
        assert y.equals(all_y.filter(pl.col("country_iso3") == c)), c
