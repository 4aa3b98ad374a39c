"""marts.freedom_scores_annual: the same method over calendar years (for annual indices).

A year's evidence is the sum of its four quarters' evidence (an annual report counts once in
full; a quarterly update counts for its quarter), scored with the same formula as the quarterly
score (``transforms.scoring``); a year without evidence carries the previous year's score forward
with a wider interval.
"""

from datetime import date

import polars as pl

from transforms.method import METHOD, Method
from transforms.periods_q import quarter_index
from transforms.scoring import Period, Tail, carried_interval, enforce_grain, score_periods

ANNUAL_SCHEMA: dict[str, pl.DataType] = {
    "country_iso3": pl.String(),
    "year": pl.Int32(),
    "freedom": pl.String(),
    "score": pl.Float64(),
    "score_low": pl.Float64(),
    "score_high": pl.Float64(),
    "band": pl.String(),
    "n_documents": pl.Int32(),
    "n_events": pl.Int32(),
    "carried_forward": pl.Boolean(),
    "method_version": pl.String(),
}
ANNUAL_KEYS = ["country_iso3", "year", "freedom"]


def year_period(d: date) -> Period:
    return Period(str(d.year), date(d.year, 1, 1), date(d.year, 12, 31))


def score_annual_with_contributions(
    events: pl.DataFrame,
    mentions: pl.DataFrame,
    documents: pl.DataFrame,
    sections: pl.DataFrame,
    years: list[int] | None = None,
    method: Method = METHOD,
    tails: dict[str, Tail] | None = None,
) -> tuple[pl.DataFrame, list[dict]]:
    """Annual scores and the (row dict) contributions behind them, for explanations.

    ``tails``: filled with each country's :class:`~transforms.scoring.Tail` (of years) when given.
    """
    if years is None:
        years = _all_years(events, documents)
    requested = [year_period(date(y, 1, 1)) for y in years]
    rows, contribs = score_periods(
        events, mentions, documents, sections, year_period, requested, method, tails
    )
    out = [
        {**{k: r[k] for k in ANNUAL_SCHEMA if k != "year"}, "year": r["period_start"].year}
        for r in rows
    ]
    df = pl.DataFrame({c: [r[c] for r in out] for c in ANNUAL_SCHEMA}, schema=ANNUAL_SCHEMA)
    return enforce_grain(df, ANNUAL_KEYS, "marts.freedom_scores_annual"), contribs


def score_annual(
    events: pl.DataFrame,
    mentions: pl.DataFrame,
    documents: pl.DataFrame,
    sections: pl.DataFrame,
    years: list[int] | None = None,
    method: Method = METHOD,
    tails: dict[str, Tail] | None = None,
) -> pl.DataFrame:
    """marts.freedom_scores_annual rows for ``years`` (None: first to last year with evidence);
    ``tails`` as in :func:`score_annual_with_contributions`."""
    return score_annual_with_contributions(
        events, mentions, documents, sections, years, method, tails
    )[0]


def carry_annual(
    rows: pl.DataFrame, tails: dict[str, Tail], year: int, method: Method = METHOD
) -> pl.DataFrame:
    """Annual rows of ``year`` from those of an earlier year, for countries with no evidence
    after it (their ``Tail.last`` is not later): the same scores carried with the interval of
    the new gap, as ``score_periods`` carries them, so without scoring the history again."""
    to = date(year, 1, 1)
    lows: list[float] = []
    highs: list[float] = []
    for c, fr, score in rows.select("country_iso3", "freedom", "score").iter_rows():
        src, pressure, sd = tails[c].freedoms[fr]
        gap = quarter_index(to) - quarter_index(src)
        low, high = carried_interval(score, pressure, sd, gap, method)
        lows.append(low)
        highs.append(high)
    out = rows.with_columns(
        pl.lit(year, rows.schema["year"]).alias("year"),
        pl.Series("score_low", lows, pl.Float64()),
        pl.Series("score_high", highs, pl.Float64()),
        pl.lit(0, rows.schema["n_documents"]).alias("n_documents"),
        pl.lit(0, rows.schema["n_events"]).alias("n_events"),
        pl.lit(True, pl.Boolean()).alias("carried_forward"),
    )
    return enforce_grain(out, ANNUAL_KEYS, "marts.freedom_scores_annual")


def _all_years(events: pl.DataFrame, documents: pl.DataFrame) -> list[int]:
    ys: set[int] = set()
    for df in (events, documents):
        if {"window_start", "window_end"} <= set(df.columns) and df.height:
            for s, e in df.select("window_start", "window_end").iter_rows():
                if isinstance(s, date) and isinstance(e, date) and e >= s:
                    ys.update(range(s.year, e.year + 1))
    return list(range(min(ys), max(ys) + 1)) if ys else []
