"""Checks of raw.quarantine: everything refused, with a reason; how much is refused."""

from collections.abc import Mapping

import polars as pl

from expectations.common import DQParams, PreparedCheck, Suite, derived, flag_frame, gxe, need
from expectations.common import in_set as _in_set
from expectations.common import unique_key as _unique_key

TABLE = "raw.quarantine"
STAGES = ("crawl", "ingest", "parse")
EXAMPLES = ("file", "stage", "reason")

suite = Suite(TABLE)
_unique_key(suite, ["file", "stage", "reason"])
_in_set(suite, "stage_valid", "stage", STAGES, EXAMPLES, "stage is crawl, ingest or parse")


@suite.check(
    "raw_quarantine_reason_explained", "ERROR", "completeness",
    "every row has a short reason code (lower_snake_case) and a human detail sentence",
)
def _explained(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "detail"])
    ok = pl.col("reason").str.contains(r"^[a-z][a-z0-9_]*$") & (
        pl.col("detail").str.strip_chars().str.len_chars() > 0
    )
    return derived(flag_frame(df, ok, [*EXAMPLES, "detail"]))


@suite.check(
    "raw_quarantine_seen_order", "ERROR", "consistency",
    "first_seen <= seen_at",
)
def _seen(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "first_seen", "seen_at"])
    e = gxe()
    return df, [
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="seen_at", column_B="first_seen", or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        e.ExpectColumnValuesToNotBeNull(column="seen_at"),
        e.ExpectColumnValuesToNotBeNull(column="first_seen"),
    ], EXAMPLES


@suite.check(
    "raw_quarantine_unknown_country", "WARN", "validity",
    "no update was refused because its country could not be recognised (a person should map it)",
)
def _unknown_country(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "detail"])
    exp = gxe().ExpectColumnValuesToNotBeInSet(column="reason", value_set=["unknown_country"])
    return df.select([*EXAMPLES, "detail"]), [exp], [*EXAMPLES, "detail"]


@suite.check(
    "raw_quarantine_share", "WARN", "completeness",
    "the share of input files quarantined stays at or below max_quarantine_share",
)
def _share(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    q = need(frames, TABLE, ["file", "stage"])
    docs = need(frames, "raw.documents", ["sha256"])
    # Files refused at ingest never reached raw.documents; files refused at parse did.
    ingest = q.filter(pl.col("stage") == "ingest").get_column("file").n_unique()
    quarantined = q.get_column("file").n_unique()
    total = docs.height + ingest
    share = quarantined / total if total else 0.0
    df = pl.DataFrame({
        "quarantined_files": [quarantined],
        "input_files": [total],
        "quarantine_share": [round(share, 6)],
        "max_share": [params.max_quarantine_share],
    })
    exp = gxe().ExpectColumnValuesToBeBetween(
        column="quarantine_share", min_value=0, max_value=params.max_quarantine_share
    )
    return df, [exp], ["quarantined_files", "input_files", "max_share"]


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
