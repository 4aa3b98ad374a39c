"""An incremental site build (``build_site(..., reuse=True)``) renders only the pages whose
data changed, and writes the same bytes as a full build. Fixtures: dashboards.demo tables."""

from pathlib import Path

import polars as pl

import dashboards.site as site_module
from dashboards.demo import demo_tables
from dashboards.site import build_site


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _changed(tables: dict[str, pl.DataFrame], iso: str) -> dict[str, pl.DataFrame]:
    """One country's scores moved, and one of its documents retitled."""
    t = dict(tables)
    t["marts.freedom_scores"] = t["marts.freedom_scores"].with_columns(
        pl.when(pl.col("country_iso3") == iso)
        .then(pl.col("score") - 1.0)
        .otherwise(pl.col("score"))
        .alias("score")
    )
    first = t["staging.documents"].filter(pl.col("country_iso3") == iso)["doc_id"][0]
    t["staging.documents"] = t["staging.documents"].with_columns(
        pl.when(pl.col("doc_id") == first)
        .then(pl.lit("A new title"))
        .otherwise(pl.col("title"))
        .alias("title")
    )
    return t


def test_reuse_renders_only_changed_pages_and_matches_a_full_build(tmp_path, monkeypatch):
    before = demo_tables(4, 5, hostile=False)
    countries = sorted(set(before["staging.documents"]["country_iso3"].to_list()))
    iso = countries[1]
    after = _changed(before, iso)
    build_site(before, tmp_path / "inc")

    rendered = {"country": [], "doc": []}
    country_page, document_page = site_module.country_page, site_module.document_page

    def counting_country(site, code, *a):
        rendered["country"].append(code)
        return country_page(site, code, *a)

    def counting_document(site, doc, *a):
        rendered["doc"].append(doc["doc_id"])
        return document_page(site, doc, *a)

    monkeypatch.setattr(site_module, "country_page", counting_country)
    monkeypatch.setattr(site_module, "document_page", counting_document)
    paths = build_site(after, tmp_path / "inc", reuse=True)
    monkeypatch.undo()
    build_site(after, tmp_path / "full")

    assert rendered["country"] == [iso]
    docs = after["staging.documents"]
    # the retitled document, and the others of its country only if their page shows something
    # of what changed (here: none)
    assert rendered["doc"] == [docs.filter(pl.col("title") == "A new title")["doc_id"][0]]
    inc, full = _files(tmp_path / "inc"), _files(tmp_path / "full")
    assert inc.keys() == full.keys()
    assert [k for k in inc if inc[k] != full[k]] == []
    assert sorted(p.relative_to(tmp_path / "inc").as_posix() for p in paths) == sorted(inc)


def test_reuse_with_no_state_or_other_options_renders_everything(tmp_path):
    tables = demo_tables(2, 3, hostile=False)
    build_site(tables, tmp_path, generated_for="a")
    (tmp_path / ".site-state.json").unlink()
    assert build_site(tables, tmp_path, generated_for="a", reuse=True)
    state_free = _files(tmp_path)
    build_site(tables, tmp_path, generated_for="b", reuse=True)  # another footer everywhere
    assert all(
        b"Built for b." in v
        for k, v in _files(tmp_path).items()
        if k.startswith(("country/", "doc/"))
    )
    assert state_free.keys() == _files(tmp_path).keys()


def test_a_removed_country_loses_its_page(tmp_path):
    tables = demo_tables(3, 3, hostile=False)
    build_site(tables, tmp_path)
    gone = sorted(set(tables["staging.documents"]["country_iso3"].to_list()))[0]
    fewer = {
        k: v.filter(pl.col("country_iso3") != gone) if "country_iso3" in v.columns else v
        for k, v in tables.items()
    }
    build_site(fewer, tmp_path, reuse=True)
    assert not (tmp_path / "country" / f"{gone}.html").exists()
