"""Checks of marts.alerts: one row per alert, valid kinds, evidence, declines that decline."""

from collections.abc import Mapping

import polars as pl

from expectations.common import (
    DQParams,
    PreparedCheck,
    Suite,
    derived,
    flag_frame,
    need,
    quarter_label,
)
from expectations.common import in_set as _in_set
from expectations.common import unique_key as _unique_key
from expectations.countries import VALID_ISO3
from transforms.taxonomy import FREEDOMS

TABLE = "marts.alerts"
KINDS = ("sharp_decline", "sentinel")
EXAMPLES = ("alert_id", "doc_id")

suite = Suite(TABLE)
_unique_key(suite, ["alert_id"])
_in_set(suite, "kind_valid", "kind", KINDS, EXAMPLES, "kind is sharp_decline or sentinel")
_in_set(suite, "country_iso3_valid", "country_iso3", VALID_ISO3, EXAMPLES,
        "country_iso3 is an ISO 3166-1 alpha-3 code (or XKX, Kosovo)")
_in_set(suite, "freedom_valid", "freedom", FREEDOMS, EXAMPLES,
        f"freedom is one of {', '.join(FREEDOMS)}")


@suite.check(
    "marts_alerts_evidence_consistent", "ERROR", "consistency",
    "period is the label of period_start's quarter; evidence and message are not empty; a "
    "sharp_decline has a negative change, a sentinel names its event",
)
def _consistent(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    cols = ["kind", "period", "period_start", "change", "event_id", "evidence", "message"]
    df = need(frames, TABLE, [*EXAMPLES, *cols])
    labels = [quarter_label(d) if d else None for d in df.get_column("period_start").to_list()]
    df = df.with_columns(pl.Series("expected_period", labels, dtype=pl.String))
    ok = (
        (pl.col("period") == pl.col("expected_period"))
        & (pl.col("evidence").str.strip_chars().str.len_chars() > 0)
        & (pl.col("message").str.strip_chars().str.len_chars() > 0)
        & pl.when(pl.col("kind") == "sharp_decline").then(pl.col("change") < 0)
        .when(pl.col("kind") == "sentinel").then(pl.col("event_id").is_not_null())
        .otherwise(True)
    )
    return derived(flag_frame(df, ok, [*EXAMPLES, "kind", "period", "change"]))


@suite.check(
    "marts_alerts_score_row_known", "WARN", "consistency",
    "a sharp_decline alert points at a score row of marts.freedom_scores",
)
def _score_row(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "kind", "country_iso3", "period_start", "freedom"])
    scores = need(frames, "marts.freedom_scores", ["country_iso3", "period_start", "freedom"])
    known = scores.select("country_iso3", "period_start", "freedom").unique().with_columns(
        _known=pl.lit(True)
    )
    df = df.filter(pl.col("kind") == "sharp_decline").join(
        known, on=["country_iso3", "period_start", "freedom"], how="left", maintain_order="left"
    )
    return derived(flag_frame(df, pl.col("_known"), [*EXAMPLES, "country_iso3", "period_start"]))


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
