"""Checks of core.events: codebook values that agree with the taxonomy, windows, mention counts."""

from collections.abc import Mapping

import polars as pl

from expectations.common import DQParams, PreparedCheck, Suite, derived, flag_frame, gxe, need
from expectations.common import in_set as _in_set
from expectations.common import unique_key as _unique_key
from expectations.core_event_mentions import freedom_matches_type
from expectations.countries import VALID_ISO3
from transforms.taxonomy import ACTORS, EVENT_TYPES, FREEDOMS, STATUSES, TARGETS

TABLE = "core.events"
EXAMPLES = ("event_id", "country_iso3", "first_mention_id")
DIRECTIONS = ("repressive", "positive")

suite = Suite(TABLE)
_unique_key(suite, ["event_id"])
_in_set(suite, "country_iso3_valid", "country_iso3", VALID_ISO3, EXAMPLES,
        "country_iso3 is an ISO 3166-1 alpha-3 code (or XKX, Kosovo)")
_in_set(suite, "event_type_valid", "event_type", EVENT_TYPES, EXAMPLES,
        "event_type is a code of the codebook taxonomy")
_in_set(suite, "freedom_valid", "freedom", FREEDOMS, EXAMPLES,
        f"freedom is one of {', '.join(FREEDOMS)}")
_in_set(suite, "status_valid", "status", STATUSES, EXAMPLES,
        f"status is one of {', '.join(STATUSES)}")
_in_set(suite, "actor_valid", "actor", ACTORS, EXAMPLES, f"actor is one of {', '.join(ACTORS)}")
_in_set(suite, "target_valid", "target", TARGETS, EXAMPLES,
        f"target is one of {', '.join(TARGETS)}")


@suite.check(
    "core_events_matches_taxonomy", "ERROR", "consistency",
    "freedom, direction and severity are the ones the taxonomy gives the event type",
)
def _taxonomy(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    cols = ["event_type", "freedom", "direction", "severity"]
    df = need(frames, TABLE, [*EXAMPLES, *cols])
    direction = {k: v.direction for k, v in EVENT_TYPES.items()}
    severity = {k: v.severity for k, v in EVENT_TYPES.items()}
    known = pl.col("event_type").is_in(list(EVENT_TYPES))
    ok = ~known | (
        freedom_matches_type()
        & (pl.col("direction") == pl.col("event_type").replace_strict(direction, default=None))
        & (pl.col("severity") == pl.col("event_type").replace_strict(
            severity, default=None, return_dtype=pl.Int64))
    )
    return derived(flag_frame(df, ok, [*EXAMPLES, *cols]))


@suite.check(
    "core_events_window_order", "ERROR", "consistency",
    "window_start <= window_end, both set",
)
def _window(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "window_start", "window_end"])
    e = gxe()
    return df, [
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="window_end", column_B="window_start", or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        e.ExpectColumnValuesToNotBeNull(column="window_start"),
        e.ExpectColumnValuesToNotBeNull(column="window_end"),
    ], EXAMPLES


@suite.check(
    "core_events_counts_consistent", "ERROR", "consistency",
    "1 <= n_documents <= n_mentions and n_documents == number of distinct doc_ids",
)
def _counts(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "n_mentions", "n_documents", "doc_ids"])
    df = df.with_columns(distinct_doc_ids=pl.col("doc_ids").list.unique().list.len())
    ok = (
        (pl.col("n_documents") >= 1)
        & (pl.col("n_documents") <= pl.col("n_mentions"))
        & (pl.col("n_documents") == pl.col("distinct_doc_ids"))
    )
    keep = [*EXAMPLES, "n_mentions", "n_documents", "distinct_doc_ids"]
    return derived(flag_frame(df, ok, keep))


@suite.check(
    "core_events_mentions_consistent", "ERROR", "consistency",
    "n_mentions equals the mentions of core.event_mentions that name the event, and "
    "first_mention_id is one of them",
)
def _mentions(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "n_mentions"])
    mentions = need(frames, "core.event_mentions", ["mention_id", "event_id"])
    counts = mentions.group_by("event_id").agg(
        pl.len().alias("mentions_found"), pl.col("mention_id").alias("_ids")
    )
    df = df.join(counts, on="event_id", how="left", maintain_order="left").with_columns(
        pl.col("mentions_found").fill_null(0)
    )
    ok = (pl.col("n_mentions") == pl.col("mentions_found")) & pl.col("_ids").list.contains(
        pl.col("first_mention_id")
    )
    return derived(flag_frame(df, ok, [*EXAMPLES, "n_mentions", "mentions_found"]))


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
