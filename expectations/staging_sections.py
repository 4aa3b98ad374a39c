"""Checks of staging.sections: one row per (doc_id, section_no), a freedom, offsets in the text."""

from collections.abc import Mapping

import polars as pl

from expectations.common import (
    DQParams,
    PreparedCheck,
    Suite,
    derived_parts,
    flag_frame,
    need_parts,
)
from expectations.common import in_set as _in_set
from expectations.common import unique_key as _unique_key
from transforms.taxonomy import SECTION_FREEDOMS

TABLE = "staging.sections"
ASSIGNED_BY = ("heading", "content", "code")
EXAMPLES = ("doc_id", "section_no")

suite = Suite(TABLE)
_unique_key(suite, list(EXAMPLES))
_in_set(suite, "freedom_valid", "freedom", SECTION_FREEDOMS, EXAMPLES,
        f"freedom is one of {', '.join(SECTION_FREEDOMS)}")
_in_set(suite, "assigned_by_valid", "assigned_by", ASSIGNED_BY, EXAMPLES,
        f"assigned_by is one of {', '.join(ASSIGNED_BY)}")


@suite.check(
    "staging_sections_offsets_in_text", "ERROR", "consistency",
    "the section's document is in staging.documents and 0 <= start <= end <= len(text)",
)
def _offsets(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    ok = (pl.col("start") >= 0) & (pl.col("start") <= pl.col("end")) & (
        pl.col("end") <= pl.col("text_length")
    )
    out = []
    for p in need_parts(frames, {TABLE: [*EXAMPLES, "start", "end"],
                                 "staging.documents": ["doc_id", "text"]}):  # fmt: skip
        docs = p["staging.documents"].select(
            "doc_id", pl.col("text").str.len_chars().alias("text_length")
        )
        df = p[TABLE].join(docs, on="doc_id", how="left", maintain_order="left")
        out.append(flag_frame(df, ok, [*EXAMPLES, "start", "end", "text_length"]))
    return derived_parts(out)


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
