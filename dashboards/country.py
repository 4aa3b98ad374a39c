"""A country page: summary, the three freedoms over time, alerts, the events behind each
quarter's scores with their evidence, and the country's documents."""

import math
from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl

from dashboards import figures as fg
from dashboards.frames import BASELINE, slug
from dashboards.model import Site
from dashboards.overview import alerts_section
from dashboards.render import (
    chart_head,
    esc,
    fmt_num,
    link,
    num,
    plot_block,
    safe_url,
    short,
    table,
)
from dashboards.text import CHARTS, event_gloss, freedom_label
from transforms.taxonomy import FREEDOMS


@dataclass
class CountryRows:
    """A country's score contributions as its page uses them (see :func:`country_rows`)."""

    moved: pl.DataFrame  # the contributions that moved a score (markers on the chart)
    periods: dict = field(default_factory=dict)  # quarter start -> its first label
    base: dict = field(default_factory=dict)  # (quarter start, freedom) -> baseline points
    new: dict = field(default_factory=lambda: defaultdict(list))  # quarter -> rows (dicts)
    carried: dict = field(default_factory=lambda: defaultdict(list))  # quarter -> tuples
    event_types: list[str] = field(default_factory=list)  # for the page's glossary


def country_rows(contribs: pl.DataFrame) -> dict[str, CountryRows]:
    """Country -> its contributions prepared for its page, from the contribution rows of one or
    many countries, in any order. A few frame operations for
    all the countries at once (each costs about a millisecond however small its frame):
    the events' first quarters, the baselines, the new events as rows, the carried ones'
    points per quarter, freedom and first quarter, and the contributions that moved a score."""
    iso, ps = pl.col("country_iso3"), pl.col("period_start")
    c = contribs.filter(ps.is_not_null() & iso.is_not_null())
    is_event = pl.col("event_id") != BASELINE
    c = c.with_columns(
        pl.when(is_event).then(ps.min().over(["country_iso3", "event_id"])).alias("_first")
    )
    moved = fg.moved_score(c)
    out = {
        k[0]: CountryRows(g)
        for k, g in moved.partition_by("country_iso3", as_dict=True, maintain_order=True).items()
    }
    empty = moved.clear()

    def rows_of(code: str) -> CountryRows:
        if code not in out:
            out[code] = CountryRows(empty)
        return out[code]

    for code, start, period in (  # a quarter's first label in the order of the rows
        c.select("country_iso3", "period_start", "freedom", "event_id", "period")
        .sort(["country_iso3", "period_start", "freedom", "event_id"])
        .unique(["country_iso3", "period_start"], keep="first", maintain_order=True)
        .select("country_iso3", "period_start", "period")
        .rows()
    ):
        rows_of(code).periods[start] = period or str(start)
    for code, start, f, pts in (
        c.filter(pl.col("event_id") == BASELINE)
        .select("country_iso3", "period_start", "freedom", "points")
        .rows()
    ):
        rows_of(code).base[(start, f)] = pts
    new = c.filter(is_event & (ps == pl.col("_first"))).select(
        "country_iso3", "period_start", "freedom", "event_id", "event_type", "status", "weight",
        "points", "mention_id", "doc_id", "sentence",
    )
    for r in new.iter_rows(named=True):
        rows_of(r["country_iso3"]).new[r["period_start"]].append(r)
    for code, start, f, first, pts in (
        c.filter(is_event & (ps != pl.col("_first")))
        .group_by(["country_iso3", "period_start", "freedom", "_first"])
        .agg(pl.col("points").fill_null(0.0))
        .rows()
    ):
        rows_of(code).carried[start].append((f, first, pts))
    for code, types in (
        c.group_by("country_iso3").agg(pl.col("event_type").drop_nulls().unique()).rows()
    ):
        rows_of(code).event_types = types
    return out


def country_page(
    site: Site, iso: str, scores: pl.DataFrame, contribs: CountryRows, docs: pl.DataFrame
) -> str:
    """country/<ISO3>.html for one country (its rows of each table already selected;
    ``contribs``: its contributions from :func:`country_rows`)."""
    root = "../"
    name = site.names.get(iso, iso)
    parts = [
        f"<h1>{esc(name)} <small>({esc(iso)})</small></h1>",
        f"<p>{link(f'../compare.html#c={slug(iso)}', 'Compare with other countries')} "
        f'&middot; <a href="#events">Events by quarter</a> &middot; '
        f'<a href="#documents">Documents</a></p>',
    ]
    if scores.is_empty():
        parts.append('<p class="summary">No scores for this country in this build.</p>')
    else:
        parts.append(f'<p class="summary">{esc(_country_summary(scores))}</p>')
        parts.append(chart_head("country"))
        # only the contributions that moved a score, the biggest of each quarter and freedom,
        # become markers: sources and links for just these
        moved = _with_sources(site, fg.top_moves(contribs.moved))
        links = {
            m: site.mention_url(m, root)
            for m in moved["mention_id"].drop_nulls().unique().to_list()
        }
        markers = fg.event_markers(moved, links, "#events", moved=True)
        if not markers.is_empty():
            anchors = {
                ps: f"#p-{slug(p)}" for ps, p in scores.select("period_start", "period").rows()
            }
            markers = markers.with_columns(
                pl.Series(
                    "url",
                    [
                        anchors.get(ps, u) if u == "#events" else u
                        for ps, u in markers.select("period_start", "url").rows()
                    ],
                    dtype=pl.String,
                )
            )
        parts.append(
            plot_block(
                "fig-country",
                fg.country_chart(scores, markers, name),
                root=root,
                height=720,
                label=f"{name}: " + CHARTS["country"]["title"] + "; summary above, table below.",
            )
        )
        rows = []
        wide = {(r["period_start"], r["freedom"]): r for r in scores.iter_rows(named=True)}
        for ps, period in sorted(
            set(scores.select("period_start", "period").rows()), key=lambda x: x[0], reverse=True
        ):
            cells = [link(f"#p-{slug(period)}", period)]
            for f in FREEDOMS:
                r = wide.get((ps, f))
                cells.append(
                    ""
                    if r is None
                    else f"{num(r['score'])} ({num(r['score_low'])}-{num(r['score_high'])}) "
                    f"{esc(r['band'])}{', carried forward' if r['carried_forward'] else ''}"
                )
            rows.append(cells)
        parts.append(
            "<details><summary>The chart as a table</summary>"
            + table(
                ["Quarter"] + [f"{freedom_label(f)}: score (80% interval), band" for f in FREEDOMS],
                rows,
                table_id="tbl-scores",
            )
            + "</details>"
        )
    parts.append(alerts_section(site, root, iso))
    parts.append(_events_by_period(site, scores, contribs, root))
    parts.append(_documents(site, docs, root))
    return "\n".join(parts)


def _with_sources(site: Site, contribs: pl.DataFrame) -> pl.DataFrame:
    titles = [
        site.doc_titles.get(site.mention_loc.get(m or "", (d, None))[0] or d or "", "")
        for m, d in contribs.select("mention_id", "doc_id").rows()
    ]
    summaries = [site.event_summary.get(e, "") for e in contribs["event_id"].to_list()]
    return contribs.with_columns(
        pl.Series("doc_title", titles, dtype=pl.String),
        pl.Series("summary", summaries, dtype=pl.String),
    )


def _country_summary(scores: pl.DataFrame) -> str:
    """The latest quarter's scores and their change since each freedom's previous score."""
    rows = scores.select(
        "period_start", "period", "freedom", "score", "score_low", "score_high", "band"
    ).rows()
    last = max(r[0] for r in rows)
    cur = [r for r in rows if r[0] == last]
    period = cur[0][1]
    bits = []
    for f in FREEDOMS:
        r = next((r for r in cur if r[2] == f), None)
        if r is None:
            continue
        prev = [x for x in rows if x[2] == f and x[0] < last]
        ch = ""
        if prev:
            d = r[3] - max(prev, key=lambda x: x[0])[3]
            ch = f", {d:+.1f} since the previous quarter"
        bits.append(
            f"{freedom_label(f)} {r[3]:.0f} ({r[6] or 'no band'}, "
            f"80% interval {r[4]:.0f} to {r[5]:.0f}{ch})"
        )
    return f"Latest quarter {period}: " + "; ".join(bits) + "."


MAX_ROWS_PER_FREEDOM = 5  # per quarter, the biggest; the rest as links in one line
EVIDENCE_CHARS = 120  # evidence in the events tables (the source link opens it whole)


def _events_by_period(site: Site, scores: pl.DataFrame, contribs: CountryRows, root: str) -> str:
    """Per quarter (newest first) the events behind each score. An event's evidence is shown
    in the first quarter it counts in; later quarters that still count it sum it up with a
    link back to that quarter, so that a report spread over a year does not repeat its
    sentences four times (and a run of quarters carrying the same events says so once)."""
    out = [
        '<h2 id="events">Events that moved the scores, by quarter</h2>',
        '<p class="note">Points: what each event added to or removed from the score of the '
        "quarter (the baseline is the starting point; the points of a score add up to it). "
        "Evidence: the sentence the event was coded from; the source opens it in its "
        "document.</p>",
        _glossary(contribs),
    ]
    periods = dict(scores.select("period_start", "period").rows())
    for ps, p in contribs.periods.items():
        periods.setdefault(ps, p)
    if not periods:
        out.append('<p class="note">No scored events.</p>')
        return "\n".join(out)
    base, by_period, carried_by = contribs.base, contribs.new, contribs.carried
    score_rows = {(r["period_start"], r["freedom"]): r for r in scores.iter_rows(named=True)}
    f_order = {f: i for i, f in enumerate(FREEDOMS)}
    last_listed: list[str] = ["", ""]  # the last carried list written, and its quarter
    # scores note, carried events (without points), quarter and full list of the last one shown
    same: list[str] = ["", "", "", ""]
    shown: set[str] = set()  # evidence already on the page (a sentence coding several events)
    for ps in sorted(periods, reverse=True):
        period = periods[ps]
        heads = []
        for f in FREEDOMS:
            r = score_rows.get((ps, f))
            if r is not None:
                b = base.get((ps, f))
                heads.append(
                    f"{freedom_label(f)} {r['score']:.1f}"
                    + (f" (baseline {b:.1f})" if b is not None else "")
                    + (", carried forward" if r["carried_forward"] else "")
                )
        out.append(f'<h3 id="p-{slug(period)}">{esc(period)}</h3>')
        note = f'<p class="note">Scores: {esc("; ".join(heads))}.</p>' if heads else ""
        new = by_period.get(ps, [])
        carried = carried_by.get(ps, [])
        listed = _carried(carried, periods) if carried else ""
        # the carried events without their points: which freedoms, from which quarters, how many
        shape = repr(sorted((f, str(first), len(pts)) for f, first, pts in carried))
        if not new and listed and shape == same[1]:
            # a run of quarters carrying the same events: the list is said once, linked (their
            # points may still move from quarter to quarter, with the memory of the method)
            link = f'<a href="#p-{slug(same[2])}">{esc(same[2])}</a>'
            if note == same[0] and listed == same[3]:
                out.append(f'<p class="note">The same scores and events as in {link}.</p>')
            else:
                out.append(note)
                out.append(f'<p class="note">The same events as in {link}; their points now: '
                           f"{esc(_carried_points(carried))}.</p>")
            continue
        same[:] = [note, shape, period, listed] if not new else ["", "", "", ""]
        if note:
            out.append(note)
        if not new and not carried:
            out.append('<p class="note">No events scored in this quarter.</p>')
            continue
        new.sort(
            key=lambda r: (
                f_order.get(r["freedom"], 9),
                r["freedom"] or "",
                -abs(r["points"] or 0),
                r["event_id"],
            )
        )
        if new:
            groups, left = [], []
            for f in sorted(
                {r["freedom"] for r in new}, key=lambda f: (f_order.get(f, 9), f or "")
            ):
                fr = [r for r in new if r["freedom"] == f]
                groups.append(
                    (
                        freedom_label(f or ""),
                        [_event_row(site, c, root, shown) for c in fr[:MAX_ROWS_PER_FREEDOM]],
                    )
                )
                left += fr[MAX_ROWS_PER_FREEDOM:]
            out.append(_events_table(groups))
            if left:
                out.append(_smaller(site, left, root))
        if carried:
            if new or listed != last_listed[0]:
                out.append(listed)
                last_listed[:] = [listed, period]
            else:  # a quarter that only carries the same events as the newer one
                out.append(
                    f'<p class="note">Still counted from earlier quarters: the same '
                    f'events as in <a href="#p-{slug(last_listed[1])}">'
                    f"{esc(last_listed[1])}</a>.</p>"
                )
    return "\n".join(out)


def _smaller(site: Site, rows: list[dict], root: str) -> str:
    """The events of a quarter beyond the table's rows: their number and points, and a link to
    the document(s) where their sentences are marked."""
    total = sum(r["points"] or 0 for r in rows)
    docs = sorted(
        {
            d
            for r in rows
            for d in [site.mention_loc.get(r["mention_id"] or "", (r["doc_id"], None))[0]]
            if d in site.doc_ids
        }
    )
    where = ", ".join(link(site.doc_url(d, root), site.doc_titles.get(d, d)) for d in docs)
    return (
        f'<p class="note">{len(rows)} smaller events not listed, together {total:+.1f} '
        "points; their sentences are marked in "
        + (f"{where}.</p>" if where else "the documents.</p>")
    )


def _carried_points(rows: list[tuple]) -> str:
    """'Expression -6.0, Association -5.6': the points of carried events per freedom."""
    return ", ".join(
        f"{freedom_label(f)} {math.fsum(x for fx, _, pts in rows if fx == f for x in pts):+.1f}"
        for f in FREEDOMS
        if any(fx == f for fx, _, _ in rows)
    )


def _carried(rows: list[tuple], periods: dict, points: bool = True) -> str:
    """Events first counted in an earlier quarter: per freedom their number and points, with
    links to the quarters whose tables hold their evidence. ``rows``: (freedom, first quarter,
    the points of its events). ``points=False``: the same without the points (to compare)."""
    parts = []
    for f in FREEDOMS:
        fr = [(first, pts) for fx, first, pts in rows if fx == f]
        if not fr:
            continue
        n_events = sum(len(pts) for _, pts in fr)
        total = math.fsum(x for _, pts in fr for x in pts)  # exact: independent of row order
        by_first: dict[object, int] = defaultdict(int)
        for first, pts in fr:
            by_first[first] += len(pts)
        links = ", ".join(
            f'<a href="#p-{slug(periods.get(ps, str(ps)))}">{esc(periods.get(ps, ps))}</a>: {n}'
            for ps, n in sorted(by_first.items(), key=lambda kv: kv[0], reverse=True)
        )
        parts.append(
            f"<li>{esc(freedom_label(f))}: {n_events} events"
            + (f", {total:+.1f} points" if points else "")
            + f" (first counted in {links})</li>"
        )
    return (
        '<p class="note">Still counted from earlier quarters:</p><ul class="carried">'
        + "".join(parts)
        + "</ul>"
    )


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
    return [
        esc(c["event_type"]),
        esc(c["status"]),
        fmt_num(c["weight"], 2),
        fmt_num(c["points"], 1, True),
        evidence,
        ", ".join(srcs) + esc(more),
    ]


SAME_SENTENCE = '<span class="same">(the same sentence as an event above)</span>'
EVENT_HEADERS = ("Event", "Status", "Weight", "Points", "Evidence", "Source")


def _events_table(groups: list[tuple[str, list[list[str]]]]) -> str:
    """A quarter's events, one row group per freedom (its name heads the group); cells are
    HTML already. The optional end tags of cells and rows are left out (valid HTML; these
    tables are most of a country page)."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in EVENT_HEADERS)
    body = "".join(
        f'<tbody><tr><th colspan="{len(EVENT_HEADERS)}" scope="rowgroup">{esc(label)}</th></tr>\n'
        + "".join("<tr><td>" + "<td>".join(r) + "\n" for r in rows)
        + "</tbody>"
        for label, rows in groups
    )
    return f'<table class="data events"><thead><tr>{head}</tr></thead>{body}</table>\n'


def _glossary(contribs: CountryRows) -> str:
    """The event types of the page with their meaning (once, not on every row)."""
    types = sorted(t for t in contribs.event_types if t and event_gloss(t))
    if not types:
        return ""
    items = "".join(f"<li><code>{esc(t)}</code>: {esc(event_gloss(t))}</li>" for t in types)
    return (
        f'<details class="glossary"><summary>The event types on this page</summary>'
        f"<ul>{items}</ul></details>"
    )


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
        rows.append(
            [
                esc(r["published"]),
                link(site.doc_url(r["doc_id"], root), r["title"] or r["doc_id"]),
                esc(r["kind"]),
                period,
                src,
            ]
        )
    out.append(
        table(
            ["Published", "Title", "Kind", "Stated period", "Source"],
            rows,
            table_id="tbl-documents",
        )
    )
    return "\n".join(out)
