"""Checks of raw.documents: one row per distinct content, immutable, with its provenance."""

from collections.abc import Mapping

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
)
from expectations.common import in_set as _in_set
from expectations.common import unique_key as _unique_key

TABLE = "raw.documents"
FORMATS = ("html", "text", "markdown", "fiw_json")
EXAMPLES = ("sha256", "source")

suite = Suite(TABLE)
_unique_key(suite, ["sha256"], "one row per distinct content (sha256), never null")


@suite.check(
    "raw_documents_sha256_format", "ERROR", "validity",
    "sha256 is 64 lower-case hex digits",
)
def _sha256_format(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, EXAMPLES)
    return df, [gxe().ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$")], (
        EXAMPLES
    )


_in_set(suite, "format_valid", "format", FORMATS, EXAMPLES,
        f"format is one of {', '.join(FORMATS)}")


@suite.check(
    "raw_documents_content_not_empty", "ERROR", "completeness",
    "content is there and size_bytes is positive (empty files belong in raw.quarantine)",
)
def _content(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    ok = (pl.col("content").str.strip_chars().str.len_chars() > 0) & (pl.col("size_bytes") > 0)
    parts = need_parts(frames, {TABLE: [*EXAMPLES, "content", "size_bytes"]}, key="sha256")
    return derived_parts(flag_frame(p[TABLE], ok, [*EXAMPLES, "size_bytes"]) for p in parts)


@suite.check(
    "raw_documents_seen_order", "ERROR", "consistency",
    "first_seen <= last_seen",
)
def _seen(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "first_seen", "last_seen"])
    e = gxe().ExpectColumnPairValuesAToBeGreaterThanB(
        column_A="last_seen", column_B="first_seen", or_equal=True,
        ignore_row_if="either_value_is_missing",
    )
    nn = [gxe().ExpectColumnValuesToNotBeNull(column=c) for c in ("first_seen", "last_seen")]
    return df, [e, *nn], EXAMPLES


@suite.check(
    "raw_documents_near_duplicate_known", "ERROR", "consistency",
    "near_duplicate_of, when set, names another document of raw.documents",
)
def _near_dup(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "near_duplicate_of"])
    known = df.get_column("sha256").implode()
    ok = pl.col("near_duplicate_of").is_null() | (
        pl.col("near_duplicate_of").is_in(known) & (pl.col("near_duplicate_of") != pl.col("sha256"))
    )
    return derived(flag_frame(df, ok, [*EXAMPLES, "near_duplicate_of"]))


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
