"""Checks of marts.freedom_scores: one score per country, quarter and freedom, consistent."""

from collections.abc import Mapping

import polars as pl

from expectations.common import (
    DQParams,
    PreparedCheck,
    Suite,
    derived,
    flag_frame,
    need,
    quarter_bounds,
    quarter_label,
)
from expectations.common import unique_key as _unique_key
from expectations.scores import add_score_checks

TABLE = "marts.freedom_scores"
KEY = ("country_iso3", "period_start", "freedom")
EXAMPLES = ("country_iso3", "period", "freedom")

suite = Suite(TABLE)
_unique_key(suite, list(KEY))
add_score_checks(suite, EXAMPLES)


@suite.check(
    "marts_freedom_scores_period_is_quarter", "ERROR", "consistency",
    "period_start and period_end are the first and last day of a calendar quarter and period "
    "is its label (2021Q4)",
)
def _quarter(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "period_start", "period_end"])
    starts = df.get_column("period_start").to_list()
    bounds = [quarter_bounds(d) if d is not None else (None, None) for d in starts]
    df = df.with_columns(
        pl.Series("quarter_start", [b[0] for b in bounds], dtype=pl.Date),
        pl.Series("quarter_end", [b[1] for b in bounds], dtype=pl.Date),
        pl.Series("expected_period", [quarter_label(d) if d else None for d in starts],
                  dtype=pl.String),
    )
    ok = (
        (pl.col("period_start") == pl.col("quarter_start"))
        & (pl.col("period_end") == pl.col("quarter_end"))
        & (pl.col("period") == pl.col("expected_period"))
    )
    return derived(flag_frame(df, ok, [*EXAMPLES, "period_start", "period_end"]))


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
