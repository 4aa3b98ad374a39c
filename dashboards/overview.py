"""The overview page (map, biggest changes, heatmap, alerts, country index) and the compare page."""


import polars as pl

from dashboards import figures as fg
from dashboards.frames import (
    changes_since_last_score,
    latest_overall,
    overall_scores,
    period_changes,
    slug,
)
from dashboards.model import Site
from dashboards.palette import BANDS, DASHES, SERIES
from dashboards.render import (
    PLOT_CONFIG,
    band_badge,
    chart_head,
    esc,
    link,
    num,
    plot_block,
    script_json,
    short,
    table,
)
from dashboards.text import ALL_FREEDOMS_LABEL, CHARTS, PAGE_TITLES, freedom_label
from transforms.taxonomy import FREEDOMS


def overview_page(site: Site) -> str:
    """index.html: map, biggest changes, heatmap, alerts and the list of countries."""
    root = ""
    urls = {c: site.country_url(c, root) for c in site.countries}
    parts = [f'<h1>{esc(PAGE_TITLES["index"])}</h1>']
    if site.scores.is_empty():
        parts.append('<p class="summary">No scores in this build yet. The document pages and '
                     "the data quality page are still available.</p>")
        parts.append(_country_index(site, root))
        parts.append(alerts_section(site, root))
        return "\n".join(parts)
    latest = latest_overall(site.scores)
    overall = overall_scores(site.scores)
    last_period = site.scores.sort("period_start")["period"].to_list()[-1]
    counts = latest.group_by("band").len()
    per_band = dict(zip(counts["band"], counts["len"], strict=True))
    band_text = ", ".join(f"{per_band[b.name]} {b.name}" for b in BANDS if b.name in per_band)
    parts.append(
        f'<p class="summary">{len(latest)} countries scored; latest quarter {esc(last_period)}. '
        f"Latest band of each country (mean of the three freedoms): {esc(band_text)}.</p>")
    parts.append(chart_head("world_map"))
    parts.append(plot_block("fig-map", fg.world_map(latest, site.names, urls), root=root,
                            height=480, label=CHARTS["world_map"]["title"]
                            + "; the same data as a table below the map."))
    # text alternative: latest table
    by = {(r["country_iso3"], r["freedom"]): r for r in site.scores.sort("period_start")
          .group_by(["country_iso3", "freedom"]).agg(pl.all().last()).iter_rows(named=True)}
    rows = []
    for r in latest.iter_rows(named=True):
        c = r["country_iso3"]
        cells = [link(urls[c], site.names.get(c, c)), esc(c), esc(r["period"]),
                 num(r["score"]), band_badge(r["band"])]
        cells += [num(by[(c, f)]["score"]) if (c, f) in by else "" for f in FREEDOMS]
        rows.append(cells)
    parts.append("<details><summary>The map as a table</summary>" + table(
        ["Country", "ISO3", "Latest quarter", ALL_FREEDOMS_LABEL, "Band"]
        + [freedom_label(f) for f in FREEDOMS], rows, table_id="tbl-latest") + "</details>")
    parts.append(_changes(site, root))
    parts.append(chart_head("heatmap"))
    parts.append(f'<p class="summary">{esc(_heatmap_summary(overall, site.names))}</p>')
    fig = fg.heatmap(overall, site.names, urls)
    parts.append(plot_block("fig-heatmap", fig, root=root, height=fig["layout"]["height"],
                            label=CHARTS["heatmap"]["title"] + "; summary above."))
    parts.append(alerts_section(site, root))
    parts.append(_country_index(site, root))
    return "\n".join(parts)


def _heatmap_summary(overall: pl.DataFrame, names: dict[str, str]) -> str:
    periods = overall.select("period_start", "period").unique().sort("period_start")
    first, last = periods["period"][0], periods["period"][-1]
    mean = overall.group_by("period_start").agg(pl.col("score").mean()).sort("period_start")
    text = (f"{overall['country_iso3'].n_unique()} countries over {len(periods)} quarters "
            f"({first} to {last}); the mean score moved from {mean['score'][0]:.0f} to "
            f"{mean['score'][-1]:.0f}.")
    span = overall.group_by("country_iso3").agg(
        (pl.col("score").sort_by("period_start").last()
         - pl.col("score").sort_by("period_start").first()).alias("d")
    ).filter(pl.col("d") < 0).sort(["d", "country_iso3"]).head(3)
    if not span.is_empty():
        falls = ", ".join(f"{names.get(c, c)} ({d:+.0f})" for c, d in span.rows())
        text += f" Largest falls over the whole range: {falls}."
    return text


def latest_changes(scores: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """Changes of the latest quarter since the previous one, or since a year earlier when no
    score moved from one quarter to the next (annual reports spread over their year), or else
    since each series' latest earlier score (a gap of more than a year before the latest
    quarter)."""
    ch = period_changes(scores)
    if not ch.filter(pl.col("change") != 0).is_empty():
        return ch, "the previous quarter"
    year = period_changes(scores, lag=4)
    if not year.filter(pl.col("change") != 0).is_empty():
        return year, "the same quarter a year earlier"
    last = changes_since_last_score(scores)
    if not last.filter(pl.col("change") != 0).is_empty():
        return last, "the last earlier quarter with a score"
    return year, "the same quarter a year earlier"


def _changes(site: Site, root: str) -> str:
    """Biggest declines and improvements of the latest quarter; when no score moved since the
    previous quarter (annual reports spread evenly over their year), since a year earlier."""
    out = [chart_head("changes")]
    ch, since = latest_changes(site.scores)
    moved = ch.filter(pl.col("change") != 0)
    if moved.is_empty():
        out.append('<p class="summary">No score changed in the latest quarter.</p>')
        return "\n".join(out)
    latest = ch["period"][0] if len(ch) else ""
    out.append(f'<p class="summary">{esc(latest)} compared with {esc(since)}: {len(moved)} '
               f'scores moved, {int((moved["change"] < 0).sum())} of them down.</p>')
    fig = fg.changes_chart(ch, site.names, unit=f"change in score points since {since}")
    out.append(plot_block("fig-changes", fig, root=root, height=fig["layout"]["height"],
                          label=CHARTS["changes"]["title"] + "; the same data in tables below."))

    def rows(df: pl.DataFrame) -> list[list[str]]:
        return [[link(site.country_url(r["country_iso3"], root) + f"#p-{slug(r['period'])}",
                      site.names.get(r["country_iso3"], r["country_iso3"])),
                 esc(freedom_label(r["freedom"])), esc(r["period"]), num(r["previous"]),
                 num(r["score"]), num(r["change"], 1, True)] for r in df.iter_rows(named=True)]

    heads = ["Country", "Freedom", "Quarter", "Before", "Score", "Change"]
    down = moved.filter(pl.col("change") < 0).sort(["change", "country_iso3", "freedom"]).head(10)
    up = moved.filter(pl.col("change") > 0).sort(
        ["change", "country_iso3", "freedom"], descending=[True, False, False]).head(10)
    out.append(table(heads, rows(down), caption="Biggest declines", table_id="tbl-declines"))
    out.append(table(heads, rows(up), caption="Biggest improvements", table_id="tbl-improvements"))
    return "\n".join(out)


MAX_ALERTS = 200


ALERT_QUARTERS = 4


def alerts_section(site: Site, root: str, iso: str | None = None) -> str:
    """Alerts, newest first: the last quarters' on the overview, all of a country's on its page."""
    a = site.alerts.filter(pl.col("alert_id").is_not_null())
    if iso is not None:
        a = a.filter(pl.col("country_iso3") == iso)
    a = a.sort(["period_start", "country_iso3", "freedom", "alert_id"],
               descending=[True, False, False, False], nulls_last=True)
    out = ['<h2 id="alerts">Alerts</h2>']
    if a.is_empty():
        out.append('<p class="note">No alerts in this build.</p>')
        return "\n".join(out)
    total = len(a)
    if iso is None:
        recent = a["period_start"].drop_nulls().unique().sort(descending=True).head(
            ALERT_QUARTERS).to_list()
        a = a.filter(pl.col("period_start").is_in(recent)).head(MAX_ALERTS)
    rows = []
    on_country = iso is not None  # a country page: shorter evidence, its documents listed below
    for r in a.iter_rows(named=True):
        iso = r["country_iso3"] or ""
        country = (link(site.country_url(iso, root) + f"#p-{slug(r['period'])}",
                        site.names.get(iso, iso)) if iso in site.names else esc(iso))
        mid = site.event_first.get(r["event_id"] or "")
        src = (site.source_link(mid, r["doc_id"], root, titled=not on_country)
               if (mid or r["doc_id"]) else "")
        rows.append([esc(r["period"]), country, esc(freedom_label(r["freedom"] or "")),
                     esc(r["kind"]), num(r["change"], 1, True), esc(r["message"]),
                     f'<span class="evidence">{esc(short(r["evidence"], 140 if on_country else 320))}'
                     "</span>", src])
    note = f"{len(rows)} alerts, newest first."
    if len(rows) < total:
        note = (f"The {len(rows)} newest of {total} alerts (the last {ALERT_QUARTERS} quarters); "
                "every country page lists all of its alerts.")
    out.append(f'<p class="note">{esc(note)}</p>')
    out.append(table(["Quarter", "Country", "Freedom", "Kind", "Change", "Message", "Evidence",
                      "Source"], rows, table_id="tbl-alerts"))
    return "\n".join(out)


def _country_index(site: Site, root: str) -> str:
    items = ", ".join(link(site.country_url(c, root), site.names.get(c, c))
                      for c in site.countries)
    return f'<h2 id="countries">All countries</h2>\n<p class="countries">{items}</p>'


def compare_page(site: Site) -> str:
    """compare.html: controls and data; assets/site.js draws the chosen countries."""
    c = CHARTS["compare"]
    data = fg.compare_data(site.scores, site.names,
                           {k: site.country_url(k) for k in site.countries})
    ch, _ = latest_changes(site.scores)
    worst = ch.group_by("country_iso3").agg(pl.col("change").min()).filter(
        pl.col("change") < 0).sort(["change", "country_iso3"]).head(3)["country_iso3"].to_list()
    data["defaults"] = worst or [x["iso3"] for x in data["countries"][:3]]
    data["palette"], data["dashes"] = list(SERIES), list(DASHES)
    data["layout"] = fg.compare_layout()
    data["config"] = dict(PLOT_CONFIG, topojsonURL="assets/")
    return f"""<h1>{esc(c["title"])}</h1>
<p class="unit">Unit: {esc(c["unit"])}</p>
<p class="note">{esc(c["note"])}</p>
<div class="controls">
<div><label for="cmp-freedom">Freedom</label><select id="cmp-freedom"></select>
<p><label><input type="checkbox" id="cmp-intervals"> show 80% intervals</label></p></div>
<div><label for="cmp-countries">Countries (Ctrl or Cmd + click to choose several)</label>
<input id="cmp-filter" type="search" placeholder="filter the list" aria-label="filter countries">
<br><select id="cmp-countries" multiple size="10"></select>
<br><button type="button" id="cmp-clear">Clear the choice</button></div>
</div>
<div id="fig-compare" class="plot" style="height:460px"></div>
<div id="cmp-table" aria-live="polite"></div>
<noscript><p>This page needs JavaScript; every country page has the same data as tables.</p>
</noscript>
<script type="application/json" id="compare-data">{script_json(data)}</script>
"""
