"""Checks of staging.sentences: one row per (doc_id, sentence_no), offsets that index the text."""

from collections.abc import Mapping

import polars as pl

from expectations.common import (
    DQParams,
    PreparedCheck,
    Suite,
    derived,
    derived_parts,
    flag_frame,
    need,
    need_parts,
    offsets_frame,
)
from expectations.common import unique_key as _unique_key

TABLE = "staging.sentences"
EXAMPLES = ("doc_id", "sentence_no")

suite = Suite(TABLE)
_unique_key(suite, list(EXAMPLES))


@suite.check(
    "staging_sentences_offsets_match", "ERROR", "consistency",
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
    "staging_sentences_text_not_empty", "ERROR", "completeness",
    "text has a non-blank character and text_clean is not empty",
)
def _text(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    ok = (pl.col("text").str.strip_chars().str.len_chars() > 0) & (
        pl.col("text_clean").str.strip_chars().str.len_chars() > 0
    )
    parts = need_parts(frames, {TABLE: [*EXAMPLES, "text", "text_clean"]})
    return derived_parts(flag_frame(p[TABLE], ok, EXAMPLES) for p in parts)


@suite.check(
    "staging_sentences_section_known", "ERROR", "consistency",
    "(doc_id, section_no) is a section of staging.sections",
)
def _section(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "section_no"])
    sections = need(frames, "staging.sections", ["doc_id", "section_no"])
    known = sections.select("doc_id", "section_no").unique().with_columns(_known=pl.lit(True))
    df = df.join(known, on=["doc_id", "section_no"], how="left", maintain_order="left")
    return derived(flag_frame(df, pl.col("_known"), [*EXAMPLES, "section_no"]))


@suite.check(
    "staging_sentences_within_section", "WARN", "consistency",
    "a sentence lies inside its section's [start, end)",
)
def _within(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "section_no", "start", "end"])
    sections = need(frames, "staging.sections", ["doc_id", "section_no", "start", "end"]).select(
        "doc_id", "section_no",
        pl.col("start").alias("section_start"), pl.col("end").alias("section_end"),
    ).unique(["doc_id", "section_no"])
    df = df.join(sections, on=["doc_id", "section_no"], how="inner", maintain_order="left")
    ok = (pl.col("start") >= pl.col("section_start")) & (pl.col("end") <= pl.col("section_end"))
    keep = [*EXAMPLES, "section_no", "start", "end", "section_start", "section_end"]
    return derived(flag_frame(df, ok, keep))


@suite.check(
    "staging_sentences_ordered", "WARN", "consistency",
    "within a document, sentences in sentence_no order do not overlap (start >= previous end)",
)
def _ordered(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "start", "end"]).sort("doc_id", "sentence_no")
    df = df.with_columns(previous_end=pl.col("end").shift(1).over("doc_id"))
    ok = pl.col("previous_end").is_null() | (pl.col("start") >= pl.col("previous_end"))
    return derived(flag_frame(df, ok, [*EXAMPLES, "start", "previous_end"]))


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
