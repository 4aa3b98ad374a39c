"""Figures: Polars frames in, Plotly figure specs (plain ``{"data", "layout"}`` dicts) out.

Plain dicts keep the build fast and the output byte-stable; ``plotly.graph_objects.Figure(spec)``
accepts each of them (the tests check that). Text from documents is HTML-escaped here because
plotly renders a subset of HTML in hover text and labels.
"""

import html
from datetime import timedelta

import polars as pl

from dashboards.frames import slug
from dashboards.palette import BANDS, DECLINE, GRID, IMPROVEMENT, INK, band_colourscale, base_layout
from dashboards.text import CHARTS, UNIT, freedom_label
from transforms.taxonomy import FREEDOMS

MAX_MARKERS_PER_PERIOD = 3  # per quarter and freedom: the biggest moves
MIN_MOVE = 0.5  # points: a smaller change of a carried event's points is no marker
MARKER_STEP_DAYS = 6


def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value), quote=False)


def hover_text(value: object, width: int = 80, max_lines: int = 6) -> str:
    """Escaped text wrapped with <br> for a hover label, cut after ``max_lines`` lines."""
    words = ("" if value is None else str(value)).split()
    lines: list[str] = []
    cur = ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            if len(lines) == max_lines:
                lines[-1] += " ..."
                cur = ""
                break
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return "<br>".join(_e(line) for line in lines)


def _f(x: float | None) -> float | None:
    return None if x is None else round(float(x), 2)


def world_map(latest: pl.DataFrame, names: dict[str, str], urls: dict[str, str]) -> dict:
    """Choropleth of each country's latest overall score, coloured by band.

    ``latest``: country_iso3, period, score, band (see frames.latest_overall)."""
    rows = latest.sort("country_iso3").iter_rows(named=True)
    locs, z, text, links = [], [], [], []
    for r in rows:
        iso = r["country_iso3"]
        locs.append(iso)
        z.append(_f(r["score"]))
        text.append(
            f"<b>{_e(names.get(iso, iso))}</b> ({_e(iso)})<br>{_e(r['period'])}: "
            f"{r['score']:.0f}, {_e(r['band'])}"
        )
        links.append(urls.get(iso, ""))
    layout = base_layout()
    layout.update(
        height=480,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        geo={
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "natural earth"},
            "showframe": False,
            "showcoastlines": False,
            "showcountries": True,
            "countrycolor": "#ffffff",
            "showland": True,
            "landcolor": "#e0e0e0",
            "bgcolor": "#ffffff",
        },
    )
    trace = {
        "type": "choropleth",
        "locationmode": "ISO-3",
        "locations": locs,
        "z": z,
        "zmin": 0,
        "zmax": 100,
        "colorscale": band_colourscale(),
        "text": text,
        "hovertemplate": "%{text}<extra></extra>",
        "customdata": links,
        "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        "colorbar": _band_colorbar(),
    }
    return {"data": [trace], "layout": layout}


def _band_colorbar() -> dict:
    return {
        "title": {"text": "band"},
        "tickvals": [(b.low + b.high) / 2 for b in BANDS],
        "ticktext": [b.name for b in BANDS],
        "thickness": 14,
        "len": 300,
        "lenmode": "pixels",
        "yanchor": "top",
        "y": 1,
    }


def heatmap(overall: pl.DataFrame, names: dict[str, str], urls: dict[str, str]) -> dict:
    """Countries (rows, alphabetical by ISO3 from the top) x quarters, coloured by band."""
    periods = overall.select("period_start", "period").unique("period_start").sort("period_start")
    cols = periods.get_column("period").to_list()
    col_of = {p: i for i, p in enumerate(periods.get_column("period_start").to_list())}
    countries = sorted(overall.get_column("country_iso3").unique().to_list(), reverse=True)
    row_of = {c: i for i, c in enumerate(countries)}
    z: list[list[float | None]] = [[None] * len(cols) for _ in countries]
    text: list[list[str]] = [[""] * len(cols) for _ in countries]
    for r in overall.iter_rows(named=True):
        i, j = row_of[r["country_iso3"]], col_of[r["period_start"]]
        z[i][j] = _f(r["score"])
        text[i][j] = f"{r['score']:.0f} {r['band']}"
    hover = [
        [f"{_e(names.get(c, c))} ({_e(c)}), {_e(cols[j])}: {text[i][j]}" for j in range(len(cols))]
        for i, c in enumerate(countries)
    ]
    links = [[urls.get(c, "")] * len(cols) for c in countries]
    layout = base_layout()
    layout.update(
        height=max(300, 120 + 16 * len(countries)),
        margin={"l": 60, "r": 20, "t": 70, "b": 20},
        xaxis={"type": "category", "side": "top", "tickangle": -45},
        yaxis={"type": "category", "dtick": 1, "tickfont": {"size": 10}},
    )
    trace = {
        "type": "heatmap",
        "x": [_e(c) for c in cols],
        "y": [_e(c) for c in countries],
        "z": z,
        "zmin": 0,
        "zmax": 100,
        "colorscale": band_colourscale(),
        "text": hover,
        "customdata": links,
        "hovertemplate": "%{text}<extra></extra>",
        "xgap": 1,
        "ygap": 1,
        "colorbar": _band_colorbar(),
        "hoverongaps": False,
    }
    return {"data": [trace], "layout": layout}


def changes_chart(
    changes: pl.DataFrame, names: dict[str, str], n: int = 10, unit: str = CHARTS["changes"]["unit"]
) -> dict:
    """Horizontal bars: the ``n`` biggest declines and improvements of the latest quarter."""
    moved = changes.filter(pl.col("change") != 0)
    down = moved.filter(pl.col("change") < 0).sort(["change", "country_iso3", "freedom"]).head(n)
    up = (
        moved.filter(pl.col("change") > 0)
        .sort(["change", "country_iso3", "freedom"], descending=[True, False, False])
        .head(n)
    )
    sel = pl.concat([down, up.reverse()]) if not up.is_empty() else down
    labels = [
        f"{_e(names.get(r['country_iso3'], r['country_iso3']))}, {freedom_label(r['freedom'])}"
        for r in sel.iter_rows(named=True)
    ]
    # several rows may share a label (same name); make each category unique and stable
    labels = [f"{lab} [{i + 1}]" if labels.count(lab) > 1 else lab for i, lab in enumerate(labels)]
    values = [_f(v) for v in sel.get_column("change").to_list()]
    layout = base_layout()
    layout.update(
        height=max(220, 70 + 24 * len(labels)),
        margin={"l": 260, "r": 30, "t": 20, "b": 50},
        xaxis={"title": {"text": unit}, "zeroline": True, "zerolinecolor": INK, "gridcolor": GRID},
        yaxis={"type": "category", "autorange": "reversed"},
        showlegend=False,
    )
    trace = {
        "type": "bar",
        "orientation": "h",
        "x": values,
        "y": labels,
        "marker": {"color": [DECLINE if (v or 0) < 0 else IMPROVEMENT for v in values]},
        "hovertemplate": "%{y}: %{x:+.1f}<extra></extra>",
    }
    return {"data": [trace], "layout": layout}


def _axis(i: int) -> str:
    return "" if i == 1 else str(i)


def country_chart(scores: pl.DataFrame, markers: pl.DataFrame, title: str) -> dict:
    """The three freedoms of one country over time, one panel each, sharing the x axis.

    Per freedom four traces, always in this order (also when empty): interval upper edge,
    interval lower edge (filled), score line (a click opens the quarter's events table),
    event markers (a click opens the sentence in its document). ``scores``: this country's
    clean score rows. ``markers``: freedom, period_start, points, label (escaped HTML),
    url, from :func:`event_markers`. Background shapes show the bands."""
    layout = base_layout()
    n = len(FREEDOMS)
    gap = 0.06
    h = (1 - gap * (n - 1)) / n
    shapes, annotations, data = [], [], []
    parts = scores.partition_by("freedom", as_dict=True, maintain_order=True)
    by_f = {f: parts.get((f,), scores.clear()) for f in FREEDOMS}
    marker_parts = (
        markers.partition_by("freedom", as_dict=True, maintain_order=True)
        if not markers.is_empty() else {}
    )
    score_at = {(r["freedom"], r["period_start"]): r["score"] for r in scores.iter_rows(named=True)}
    for i, f in enumerate(FREEDOMS, start=1):
        top = 1 - (i - 1) * (h + gap)
        ax = _axis(i)
        layout[f"yaxis{ax}"] = {
            "domain": [round(top - h, 4), round(top, 4)],
            "range": [0, 100],
            "tickvals": [0, 20, 40, 60, 80, 100],
            "gridcolor": GRID,
            "fixedrange": True,
            "title": {"text": "score"},
        }
        layout[f"xaxis{ax}"] = {
            "type": "date",
            "anchor": f"y{ax}",
            "gridcolor": GRID,
            "showticklabels": True,
            "hoverformat": "%Y-%m-%d",
        }
        if i > 1:
            layout[f"xaxis{ax}"]["matches"] = "x"
        for b in BANDS:
            shapes.append(
                {
                    "type": "rect",
                    "xref": f"x{ax} domain",
                    "yref": f"y{ax}",
                    "x0": 0,
                    "x1": 1,
                    "y0": max(b.low - 0.5, 0),
                    "y1": min(b.high + 0.5, 100),
                    "fillcolor": b.colour,
                    "opacity": 0.28,
                    "layer": "below",
                    "line": {"width": 0},
                }
            )
        annotations.append(
            {
                "text": f"<b>{freedom_label(f)}</b>",
                "xref": f"x{ax} domain",
                "yref": f"y{ax} domain",
                "x": 0,
                "y": 1.0,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        rows = by_f[f]
        x = [d.isoformat() for d in rows.get_column("period_start").to_list()]
        periods = rows.get_column("period").to_list()
        common = {"xaxis": f"x{ax}", "yaxis": f"y{ax}", "legendgroup": f}
        data.append(
            dict(
                common,
                type="scatter",
                mode="lines",
                x=x,
                y=[_f(v) for v in rows.get_column("score_high").to_list()],
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name=f"{freedom_label(f)} 80% interval, upper",
            )
        )
        data.append(
            dict(
                common,
                type="scatter",
                mode="lines",
                x=x,
                y=[_f(v) for v in rows.get_column("score_low").to_list()],
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(40,40,40,0.22)",
                hoverinfo="skip",
                showlegend=False,
                name=f"{freedom_label(f)} 80% interval, lower",
            )
        )
        line_text = [
            f"{_e(p)}: {s:.0f} (80%: {lo:.0f}-{hi:.0f}), {_e(b)}"
            + (", carried forward" if cf else "")
            for p, s, lo, hi, b, cf in zip(
                periods,
                rows["score"],
                rows["score_low"],
                rows["score_high"],
                rows["band"],
                rows["carried_forward"],
                strict=True,
            )
        ]
        data.append(
            dict(
                common,
                type="scatter",
                mode="lines+markers",
                x=x,
                y=[_f(v) for v in rows.get_column("score").to_list()],
                text=line_text,
                hovertemplate="%{text}<extra></extra>",
                customdata=[f"#p-{slug(p)}" for p in periods],
                line={"color": INK, "width": 2},
                marker={"size": 5, "color": INK},
                name=freedom_label(f),
                showlegend=False,
            )
        )
        m = marker_parts.get((f,), markers.clear())
        mx, my, mt, mu, sym, col, size = [], [], [], [], [], [], []
        for r in m.iter_rows(named=True):
            mx.append((r["period_start"] + timedelta(days=MARKER_STEP_DAYS * r["k"])).isoformat())
            my.append(_f(score_at.get((f, r["period_start"]), 50.0)))
            mt.append(r["label"])
            mu.append(r["url"])
            neg = (r["points"] or 0) < 0
            sym.append("triangle-down" if neg else "triangle-up")
            col.append(DECLINE if neg else IMPROVEMENT)
            size.append(round(min(9 + abs(r["points"] or 0) * 1.5, 20), 1))
        data.append(
            dict(
                common,
                type="scatter",
                mode="markers",
                x=mx,
                y=my,
                text=mt,
                customdata=mu,
                hovertemplate="%{text}<extra></extra>",
                marker={
                    "symbol": sym,
                    "color": col,
                    "size": size,
                    "line": {"color": "#ffffff", "width": 1},
                },
                name=f"{freedom_label(f)} events",
                showlegend=False,
            )
        )
    layout.update(
        title={"text": f"{_e(title)}: {CHARTS['country']['title']}"},
        height=720,
        shapes=shapes,
        annotations=annotations,
        hovermode="closest",
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
        showlegend=False,
    )
    return {"data": data, "layout": layout}


def moved_score(contribs: pl.DataFrame) -> pl.DataFrame:
    """Contributions that moved a score: an event's first quarter in a freedom's series, or a
    quarter where its points changed by at least MIN_MOVE (an event carried on with the same
    points keeps the score level and gets no marker; the method's memory shifts every carried
    event's points a little from quarter to quarter, which is not a move of its own)."""
    c = contribs.filter(
        (pl.col("event_id") != "__baseline__")
        & pl.col("points").is_not_null()
        & (pl.col("points") != 0)
        & pl.col("period_start").is_not_null()
    )
    if c.is_empty():
        return c
    # each series (country, event, freedom) in quarter order, the previous row's points when it
    # is of the same series: a sort of the keys and a shift (a window over the series costs
    # ten times more); the rows kept in their order
    keys = [k for k in ("country_iso3", "event_id", "freedom") if k in c.columns]
    same = pl.all_horizontal(pl.col(k).eq_missing(pl.col(k).shift(1)) for k in keys)
    prev = pl.when(same & (pl.int_range(pl.len()) > 0)).then(pl.col("points").shift(1))
    rows = (
        c.select(*keys, "period_start", "points")
        .with_row_index("_row")
        .sort([*keys, "period_start"])
        .filter(prev.is_null() | ((pl.col("points") - prev).abs() >= MIN_MOVE))
        .get_column("_row")
        .sort()
    )
    return c[rows]


def top_moves(moved: pl.DataFrame) -> pl.DataFrame:
    """The rows of :func:`moved_score` that become markers: per quarter and freedom the
    MAX_MARKERS_PER_PERIOD biggest (by points, then event), in that order, with their position
    ``k`` (the same rows again when given these)."""
    c = moved.with_columns(pl.col("points").abs().alias("_abs")).sort(
        ["period_start", "freedom", "_abs", "event_id"], descending=[False, False, True, False]
    )
    c = c.with_columns(pl.int_range(pl.len()).over(["period_start", "freedom"]).alias("k"))
    return c.filter(pl.col("k") < MAX_MARKERS_PER_PERIOD)


def event_markers(
    contribs: pl.DataFrame, links: dict[str, str], fallback_url: str, *, moved: bool = False
) -> pl.DataFrame:
    """One marker per (period, freedom, event) that moved a score, the biggest first.

    ``contribs``: this country's score_contributions joined with ``sentence_no`` and
    ``doc_title``. ``links``: mention_id -> document page URL. Returns freedom, period_start,
    points, k (position in its period), label (escaped HTML), url."""
    schema = {
        "freedom": pl.String,
        "period_start": pl.Date,
        "points": pl.Float64,
        "k": pl.Int64,
        "label": pl.String,
        "url": pl.String,
    }
    c = contribs if moved else moved_score(contribs)  # moved: ``moved_score`` done already
    if c.is_empty():
        return pl.DataFrame(schema=schema)
    c = top_moves(c)
    out = []
    for r in c.iter_rows(named=True):
        # the sentence (its start: the click opens it whole, in its document); the document's
        # title is left to the page's documents list, to keep the hover short
        sentence = r["sentence"] or r.get("summary") or ""
        label = (
            f"{_e(r['event_type'])} ({_e(r['status'])}), {_e(r['period'])}: "
            f"{r['points']:+.1f} points<br>{hover_text(sentence, width=80, max_lines=2)}"
        )
        url = links.get(r["mention_id"] or "", "") or fallback_url
        out.append((r["freedom"], r["period_start"], float(r["points"]), r["k"], label, url))
    return pl.DataFrame(out, schema=schema, orient="row")


def compare_data(scores: pl.DataFrame, names: dict[str, str], urls: dict[str, str]) -> dict:
    """Data for the compare page's script: countries, and per country and freedom the series
    [date, score, low, high]."""
    series: dict[str, dict[str, list[list[object]]]] = {}
    for r in scores.iter_rows(named=True):
        s = series.setdefault(r["country_iso3"], {})
        s.setdefault(r["freedom"], []).append(
            [r["period_start"].isoformat(), _f(r["score"]), _f(r["score_low"]), _f(r["score_high"])]
        )
    countries = sorted(
        ({"iso3": c, "name": names.get(c, c), "url": urls.get(c, "")} for c in series),
        key=lambda c: (c["name"].casefold(), c["iso3"]),
    )
    return {
        "countries": countries,
        "series": {c: series[c] for c in sorted(series)},
        "freedoms": [{"key": f, "label": freedom_label(f)} for f in FREEDOMS],
        "unit": UNIT,
    }


def compare_layout() -> dict:
    layout = base_layout()
    layout.update(
        height=460,
        hovermode="x unified",
        yaxis={"range": [0, 100], "title": {"text": "score"}, "gridcolor": GRID},
        xaxis={"type": "date", "gridcolor": GRID},
        shapes=[
            {
                "type": "rect",
                "xref": "x domain",
                "yref": "y",
                "x0": 0,
                "x1": 1,
                "y0": max(b.low - 0.5, 0),
                "y1": min(b.high + 0.5, 100),
                "fillcolor": b.colour,
                "opacity": 0.22,
                "layer": "below",
                "line": {"width": 0},
            }
            for b in BANDS
        ],
        legend={"orientation": "h", "y": -0.15},
    )
    return layout
