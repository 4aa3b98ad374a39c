"""Checks of core.event_mentions: codebook values, spans that index the text, dates in period."""

from collections.abc import Mapping
from datetime import timedelta

import polars as pl

from expectations.common import (
    DQParams,
    PreparedCheck,
    Suite,
    derived,
    derived_parts,
    flag_frame,
    gxe,
    need,
    need_parts,
    offsets_frame,
)
from expectations.common import in_set as _in_set
from expectations.common import unique_key as _unique_key
from transforms.taxonomy import ACTORS, EVENT_TYPES, FREEDOMS, STATUSES, TARGETS

TABLE = "core.event_mentions"
EXAMPLES = ("mention_id", "doc_id", "sentence_no")

suite = Suite(TABLE)
_unique_key(suite, ["mention_id"])


@suite.check(
    "core_event_mentions_mention_id_format", "ERROR", "consistency",
    "mention_id is doc_id:start:end:event_type",
)
def _id_format(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "start", "end", "event_type"])
    expected = pl.concat_str(
        [pl.col("doc_id"), pl.col("start").cast(pl.String), pl.col("end").cast(pl.String),
         pl.col("event_type")], separator=":",
    )
    return derived(flag_frame(df, pl.col("mention_id") == expected, EXAMPLES))


@suite.check(
    "core_event_mentions_offsets_match", "ERROR", "consistency",
    "text == staging.documents.text[start:end] exactly (Python code-point offsets)",
)
def _offsets(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    parts = need_parts(frames, {TABLE: [*EXAMPLES, "start", "end", "text"],
                                "staging.documents": ["doc_id", "text"]})  # fmt: skip
    return derived_parts(
        offsets_frame(p[TABLE], p["staging.documents"], [*EXAMPLES, "start", "end"])
        for p in parts
    )


@suite.check(
    "core_event_mentions_sentence_known", "ERROR", "consistency",
    "(doc_id, sentence_no) is a sentence of staging.sentences",
)
def _sentence(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, EXAMPLES)
    sentences = need(frames, "staging.sentences", ["doc_id", "sentence_no"])
    known = sentences.select("doc_id", "sentence_no").unique().with_columns(_known=pl.lit(True))
    df = df.join(known, on=["doc_id", "sentence_no"], how="left", maintain_order="left")
    return derived(flag_frame(df, pl.col("_known"), EXAMPLES))


@suite.check(
    "core_event_mentions_within_sentence", "WARN", "consistency",
    "the mention's span lies inside its sentence's span",
)
def _within(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "start", "end"])
    sentences = need(frames, "staging.sentences", ["doc_id", "sentence_no", "start", "end"]).select(
        "doc_id", "sentence_no",
        pl.col("start").alias("sentence_start"), pl.col("end").alias("sentence_end"),
    ).unique(["doc_id", "sentence_no"])
    df = df.join(sentences, on=["doc_id", "sentence_no"], how="inner", maintain_order="left")
    ok = (pl.col("start") >= pl.col("sentence_start")) & (pl.col("end") <= pl.col("sentence_end"))
    keep = [*EXAMPLES, "start", "end", "sentence_start", "sentence_end"]
    return derived(flag_frame(df, ok, keep))


_in_set(suite, "event_type_valid", "event_type", EVENT_TYPES, EXAMPLES,
        "event_type is a code of the codebook taxonomy")
_in_set(suite, "freedom_valid", "freedom", FREEDOMS, EXAMPLES,
        f"freedom is one of {', '.join(FREEDOMS)}")
_in_set(suite, "status_valid", "status", STATUSES, EXAMPLES,
        f"status is one of {', '.join(STATUSES)}")
_in_set(suite, "actor_valid", "actor", ACTORS, EXAMPLES, f"actor is one of {', '.join(ACTORS)}")
_in_set(suite, "target_valid", "target", TARGETS, EXAMPLES,
        f"target is one of {', '.join(TARGETS)}")


def freedom_matches_type() -> pl.Expr:
    """The freedom is the event type's own (any freedom for X_IMPUNITY; unknown types pass)."""
    own = {k: v.freedom for k, v in EVENT_TYPES.items()}
    expected = pl.col("event_type").replace_strict(own, default=None, return_dtype=pl.String)
    return expected.is_null() | (expected == "any") | (pl.col("freedom") == expected)


@suite.check(
    "core_event_mentions_freedom_matches_type", "ERROR", "consistency",
    "freedom is the one the taxonomy gives the event type (X_IMPUNITY: the violation's)",
)
def _freedom_type(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "event_type", "freedom"])
    return derived(flag_frame(df, freedom_matches_type(), [*EXAMPLES, "event_type", "freedom"]))


@suite.check(
    "core_event_mentions_confidence_range", "ERROR", "validity",
    "confidence is in [0, 1]",
)
def _confidence(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "confidence"])
    e = gxe()
    return df, [
        e.ExpectColumnValuesToBeBetween(column="confidence", min_value=0, max_value=1),
        e.ExpectColumnValuesToNotBeNull(column="confidence"),
    ], EXAMPLES


@suite.check(
    "core_event_mentions_event_known", "ERROR", "consistency",
    "event_id is an event of core.events",
)
def _event(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "event_id"])
    events = need(frames, "core.events", ["event_id"])
    ok = pl.col("event_id").is_in(events.get_column("event_id").implode())
    return derived(flag_frame(df, ok, [*EXAMPLES, "event_id"]))


@suite.check(
    "core_event_mentions_dates_in_doc_period", "WARN", "consistency",
    "most dated mentions of a document fall inside its stated period (+- period_slack_days): "
    "a share above max_out_of_period_share (of at least period_min_dated_mentions dated "
    "mentions) means the stated period is probably wrong",
)
def _dates(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "event_date"]).filter(pl.col("event_date").is_not_null())
    docs = need(frames, "staging.documents", ["doc_id", "period_start", "period_end"]).filter(
        pl.col("period_start").is_not_null() & pl.col("period_end").is_not_null()
    )
    slack = timedelta(days=params.period_slack_days)
    df = df.join(docs.select("doc_id", "period_start", "period_end"), on="doc_id", how="inner")
    df = df.with_columns(
        outside=(pl.col("event_date") < pl.col("period_start") - slack)
        | (pl.col("event_date") > pl.col("period_end") + slack)
    )
    out = (
        df.sort("doc_id", "sentence_no")
        .group_by("doc_id", maintain_order=True)
        .agg(
            pl.col("period_start").first(),
            pl.col("period_end").first(),
            pl.len().alias("dated_mentions"),
            pl.col("outside").sum().alias("outside_period"),
            pl.col("sentence_no").filter(pl.col("outside")).first().alias("sentence_no"),
            pl.col("event_date").filter(pl.col("outside")).first().alias("event_date"),
        )
        .with_columns(
            share_outside=(pl.col("outside_period") / pl.col("dated_mentions")).round(4)
        )
        .filter(pl.col("dated_mentions") >= params.period_min_dated_mentions)
    )
    exp = gxe().ExpectColumnValuesToBeBetween(
        column="share_outside", min_value=0, max_value=params.max_out_of_period_share
    )
    return out, [exp], ["doc_id", "sentence_no", "event_date", "period_start", "period_end",
                        "dated_mentions", "outside_period"]


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
