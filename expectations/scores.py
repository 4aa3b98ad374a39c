"""Checks shared by the score tables (quarterly and annual): range, interval, band, counts."""

from collections.abc import Mapping, Sequence

import polars as pl

from expectations.common import DQParams, Suite, band_of, derived, flag_frame, gxe, need
from expectations.common import in_set as _in_set
from expectations.countries import VALID_ISO3
from transforms.taxonomy import FREEDOMS

SCORE_COLUMNS = ("score", "score_low", "score_high")


def add_score_checks(suite: Suite, examples: Sequence[str]) -> None:
    """Country and freedom validity, 0-100 scores, low <= score <= high, band, counts."""
    prefix = suite.table.replace(".", "_")
    table = suite.table
    _in_set(suite, "country_iso3_valid", "country_iso3", VALID_ISO3, examples,
            "country_iso3 is an ISO 3166-1 alpha-3 code (or XKX, Kosovo)")
    _in_set(suite, "freedom_valid", "freedom", FREEDOMS, examples,
            f"freedom is one of {', '.join(FREEDOMS)}")

    @suite.check(f"{prefix}_score_range", "ERROR", "validity",
                 "score, score_low and score_high are set and within 0-100")
    def _range(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
        df = need(frames, table, [*examples, *SCORE_COLUMNS])
        e = gxe()
        exps = [
            e.ExpectColumnValuesToBeBetween(column=c, min_value=0, max_value=100)
            for c in SCORE_COLUMNS
        ] + [e.ExpectColumnValuesToNotBeNull(column=c) for c in SCORE_COLUMNS]
        return df, exps, examples

    @suite.check(f"{prefix}_interval_order", "ERROR", "consistency",
                 "score_low <= score <= score_high")
    def _interval(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
        df = need(frames, table, [*examples, *SCORE_COLUMNS])
        e = gxe()
        return df, [
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="score", column_B="score_low", or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            e.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="score_high", column_B="score", or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
        ], examples

    @suite.check(f"{prefix}_band_matches_score", "ERROR", "consistency",
                 "band is the one of the score rounded half up: closed 0-20, repressed 21-40, "
                 "obstructed 41-60, narrowed 61-80, open 81-100")
    def _band(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
        df = need(frames, table, [*examples, "score", "band"])
        expected = [band_of(s) for s in df.get_column("score").to_list()]
        df = df.with_columns(pl.Series("expected_band", expected, dtype=pl.String))
        ok = pl.col("expected_band").is_null() | (pl.col("band") == pl.col("expected_band"))
        return derived(flag_frame(df, ok, [*examples, "score", "band", "expected_band"]))

    @suite.check(f"{prefix}_counts_nonnegative", "ERROR", "validity",
                 "n_documents and n_events are set and >= 0")
    def _counts(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
        df = need(frames, table, [*examples, "n_documents", "n_events"])
        e = gxe()
        exps = [
            e.ExpectColumnValuesToBeBetween(column=c, min_value=0) for c in ("n_documents", "n_events")
        ] + [e.ExpectColumnValuesToNotBeNull(column=c) for c in ("n_documents", "n_events")]
        return df, exps, examples
