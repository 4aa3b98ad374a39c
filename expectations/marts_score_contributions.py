"""Checks of marts.score_contributions: each score row's points add up to its score."""

from collections.abc import Mapping

import polars as pl

from expectations.common import DQParams, PreparedCheck, Suite, derived, flag_frame, gxe, need
from expectations.common import in_set as _in_set
from expectations.common import unique_key as _unique_key
from expectations.countries import VALID_ISO3
from transforms.taxonomy import EVENT_TYPES, FREEDOMS, STATUSES

TABLE = "marts.score_contributions"
KEY = ("country_iso3", "period_start", "freedom", "event_id")
ROW = ("country_iso3", "period_start", "freedom")
EXAMPLES = ("country_iso3", "period", "freedom", "event_id", "doc_id")
BASELINE = "__baseline__"

suite = Suite(TABLE)
_unique_key(suite, list(KEY))
_in_set(suite, "country_iso3_valid", "country_iso3", VALID_ISO3, EXAMPLES,
        "country_iso3 is an ISO 3166-1 alpha-3 code (or XKX, Kosovo)")
_in_set(suite, "freedom_valid", "freedom", FREEDOMS, EXAMPLES,
        f"freedom is one of {', '.join(FREEDOMS)}")
_in_set(suite, "event_type_valid", "event_type", [*EVENT_TYPES, BASELINE], EXAMPLES,
        "event_type is a code of the taxonomy (__baseline__ on the baseline row)")
_in_set(suite, "status_valid", "status", [*STATUSES, BASELINE], EXAMPLES,
        "status is one of the codebook's (__baseline__ on the baseline row)")


def _sums(frames: Mapping[str, pl.DataFrame]) -> pl.DataFrame:
    """Score rows joined (full) to the sum of their contributions' points."""
    c = need(frames, TABLE, [*ROW, "period", "points", "event_id"])
    s = need(frames, "marts.freedom_scores", [*ROW, "period", "score"])
    sums = c.group_by(ROW).agg(
        pl.col("points").sum().alias("points_sum"),
        (pl.col("event_id") == BASELINE).sum().alias("baseline_rows"),
        pl.col("period").first().alias("_period"),
        pl.len().alias("contributions"),
    )
    out = s.select(*ROW, "period", "score").join(sums, on=list(ROW), how="full", coalesce=True)
    return out.with_columns(pl.coalesce("period", "_period").alias("period")).sort(ROW)


@suite.check(
    "marts_score_contributions_sum_matches_score", "ERROR", "consistency",
    "every score row of marts.freedom_scores has contributions whose points add up to its score "
    "(within score_tolerance), and every contribution belongs to a score row",
)
def _sum(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = _sums(frames).with_columns(difference=pl.col("points_sum") - pl.col("score"))
    e = gxe()
    tol = params.score_tolerance
    return df.select("country_iso3", "period", "freedom", "score", "points_sum", "difference"), [
        e.ExpectColumnValuesToBeBetween(column="difference", min_value=-tol, max_value=tol),
        e.ExpectColumnValuesToNotBeNull(column="difference"),
    ], ["country_iso3", "period", "freedom", "score", "points_sum"]


@suite.check(
    "marts_score_contributions_one_baseline", "ERROR", "consistency",
    "each score row's contributions hold exactly one __baseline__ row",
)
def _baseline(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    c = need(frames, TABLE, [*ROW, "period", "event_id"])
    df = c.group_by(ROW).agg(
        pl.col("period").first(), (pl.col("event_id") == BASELINE).sum().alias("baseline_rows")
    ).sort(ROW)
    ok = pl.col("baseline_rows") == 1
    return derived(flag_frame(df, ok, ["country_iso3", "period", "freedom", "baseline_rows"]))


@suite.check(
    "marts_score_contributions_event_known", "ERROR", "consistency",
    "every contribution other than the baseline names an event of core.events",
)
def _event(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    c = need(frames, TABLE, EXAMPLES)
    events = need(frames, "core.events", ["event_id"])
    ok = (pl.col("event_id") == BASELINE) | pl.col("event_id").is_in(
        events.get_column("event_id").implode()
    )
    return derived(flag_frame(c, ok, EXAMPLES))


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
