"""A country page: summary, the three freedoms over time, alerts, the events behind each
quarter's scores with their evidence, and the country's documents."""

from collections import defaultdict

import polars as pl

from dashboards import figures as fg
from dashboards.frames import BASELINE, slug
from dashboards.model import Site
from dashboards.overview import alerts_section
from dashboards.render import (
    chart_head,
    esc,
    link,
    num,
    plot_block,
    safe_url,
    short,
    table,
)
from dashboards.text import CHARTS, event_gloss, freedom_label
from transforms.taxonomy import FREEDOMS


def country_page(site: Site, iso: str, scores: pl.DataFrame, contribs: pl.DataFrame,
             docs: pl.DataFrame) -> str:
    """country/<ISO3>.html for one country (its rows of each table already selected)."""
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
        parts.append(chart_head("country"))
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
                    f'{num(r["score"])} ({num(r["score_low"])}-{num(r["score_high"])}) '
                    f'{esc(r["band"])}{", carried forward" if r["carried_forward"] else ""}')
            rows.append(cells)
        parts.append("<details><summary>The chart as a table</summary>" + table(
            ["Quarter"] + [f"{freedom_label(f)}: score (80% interval), band" for f in FREEDOMS],
            rows, table_id="tbl-scores") + "</details>")
    parts.append(alerts_section(site, root, iso))
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


MAX_ROWS_PER_FREEDOM = 12  # per quarter; the rest is summed up in one line
EVIDENCE_CHARS = 140  # evidence in the events tables (the source link opens it whole)


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
           "document.</p>", _glossary(contribs)]
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
    last_listed: list[str] = ["", ""]  # the last carried list written, and its quarter
    shown: set[str] = set()  # evidence already on the page (a sentence coding several events)
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
                rows += [_event_row(site, c, root, shown) for c in fr[:MAX_ROWS_PER_FREEDOM]]
                left += fr[MAX_ROWS_PER_FREEDOM:]
            out.append(_events_table(rows))
            if left:
                total = sum(r["points"] or 0 for r in left)
                out.append(f'<p class="note">{len(left)} smaller events not listed, together '
                           f"{total:+.1f} points (their sentences are marked in the "
                           "documents).</p>")
        if carried:
            listed = _carried(carried, first_period, periods)
            if new or listed != last_listed[0]:
                out.append(listed)
                last_listed[:] = [listed, period]
            else:  # a quarter that only carries the same events as the newer one
                out.append(f'<p class="note">Still counted from earlier quarters: the same '
                           f'events as in <a href="#p-{slug(last_listed[1])}">'
                           f"{esc(last_listed[1])}</a>.</p>")
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


def _event_row(site: Site, c: dict, root: str, shown: set[str]) -> list[str]:
    """One row of a quarter's events table. Kept lean (a country page holds thousands): the
    event types are explained once in the page's glossary, the documents in its list, and a
    sentence already shown in the table (``shown``) is not repeated."""
    eid = c["event_id"]
    mids = [c["mention_id"]] if c["mention_id"] else []
    mids += [m for m in site.mentions_by_event.get(eid, []) if m not in mids]
    srcs = [site.source_link(m, None, root, titled=False) for m in mids[:1]]
    if not srcs and c["doc_id"]:
        srcs = [site.source_link(None, c["doc_id"], root, titled=False)]
    more = f" (+{len(mids) - 1} more)" if len(mids) > 1 else ""
    sentence = short(c["sentence"] or site.event_summary.get(eid, ""), EVIDENCE_CHARS)
    evidence = SAME_SENTENCE if sentence and sentence in shown else esc(sentence)
    shown.add(sentence)
    return [esc(freedom_label(c["freedom"] or "")), esc(c["event_type"]),
            esc(c["status"]), num(c["weight"], 2), num(c["points"], 1, True),
            evidence, ", ".join(srcs) + esc(more)]


SAME_SENTENCE = '<span class="same">(the same sentence as an event above)</span>'
EVENT_HEADERS = ("Freedom", "Event", "Status", "Weight", "Points", "Evidence", "Source")


def _events_table(rows: list[list[str]]) -> str:
    """A quarter's events; cells are HTML already. The optional end tags of cells and rows
    are left out (valid HTML; these tables are most of a country page)."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in EVENT_HEADERS)
    body = "\n".join("<tr><td>" + "<td>".join(r) for r in rows)
    return (f'<table class="data events"><thead><tr>{head}</tr></thead><tbody>\n{body}\n'
            "</tbody></table>\n")


def _glossary(contribs: pl.DataFrame) -> str:
    """The event types of the page with their meaning (once, not on every row)."""
    types = sorted({t for t in contribs["event_type"].drop_nulls().to_list()
                    if t and event_gloss(t)})
    if not types:
        return ""
    items = "".join(f"<li><code>{esc(t)}</code>: {esc(event_gloss(t))}</li>" for t in types)
    return (f'<details class="glossary"><summary>The event types on this page</summary>'
            f"<ul>{items}</ul></details>")


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
