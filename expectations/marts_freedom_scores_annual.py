"""Checks of marts.freedom_scores_annual: one score per country, year and freedom, consistent."""

from collections.abc import Mapping

import polars as pl

from expectations.common import DQParams, PreparedCheck, Suite, gxe, need
from expectations.common import unique_key as _unique_key
from expectations.scores import add_score_checks

TABLE = "marts.freedom_scores_annual"
KEY = ("country_iso3", "year", "freedom")
EXAMPLES = KEY
FIRST_YEAR = 1990

suite = Suite(TABLE)
_unique_key(suite, list(KEY))
add_score_checks(suite, EXAMPLES)


@suite.check(
    "marts_freedom_scores_annual_year_range", "ERROR", "validity",
    f"year is between {FIRST_YEAR} and the year of as_of",
)
def _year(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, EXAMPLES)
    exp = gxe().ExpectColumnValuesToBeBetween(
        column="year", min_value=FIRST_YEAR, max_value=params.today().year
    )
    return df, [exp], EXAMPLES


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
