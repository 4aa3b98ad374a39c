"""Checks of staging.documents: one parsed document per raw document, its country and periods."""

import math
from collections.abc import Mapping
from datetime import date

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
from expectations.countries import VALID_ISO3

TABLE = "staging.documents"
KINDS = ("update", "report")
FORMATS = ("html", "text", "markdown", "fiw_json")
EXAMPLES = ("doc_id", "source")
PERIOD = ("doc_id", "country_iso3", "period_start", "period_end", "published")

suite = Suite(TABLE)
_unique_key(suite, ["doc_id"])


@suite.check(
    "staging_documents_doc_id_matches_sha256", "ERROR", "consistency",
    "doc_id is 'd' + the first 16 hex digits of sha256",
)
def _doc_id(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*EXAMPLES, "sha256"])
    ok = pl.col("doc_id") == pl.lit("d") + pl.col("sha256").str.slice(0, 16)
    return derived(flag_frame(df, ok, [*EXAMPLES, "sha256"]))


_in_set(suite, "country_iso3_valid", "country_iso3", VALID_ISO3, [*EXAMPLES, "country_name"],
        "country_iso3 is an ISO 3166-1 alpha-3 code (or XKX, Kosovo)")
_in_set(suite, "kind_valid", "kind", KINDS, EXAMPLES, "kind is update or report")
_in_set(suite, "format_valid", "format", FORMATS, EXAMPLES,
        f"format is one of {', '.join(FORMATS)}")


@suite.check(
    "staging_documents_text_not_empty", "ERROR", "completeness",
    "every parsed document has a text (every offset downstream indexes it)",
)
def _text(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    ok = pl.col("text").str.strip_chars().str.len_chars() > 0
    parts = need_parts(frames, {TABLE: [*EXAMPLES, "text"]})
    return derived_parts(flag_frame(p[TABLE], ok, EXAMPLES) for p in parts)


@suite.check(
    "staging_documents_period_order", "ERROR", "consistency",
    "period_start <= period_end (when stated) and window_start <= window_end",
)
def _period_order(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*PERIOD, "window_start", "window_end"])
    e = gxe()
    return df, [
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="period_end", column_B="period_start", or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="window_end", column_B="window_start", or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        e.ExpectColumnValuesToNotBeNull(column="window_start"),
        e.ExpectColumnValuesToNotBeNull(column="window_end"),
    ], ["doc_id", "country_iso3"]


def _title_key() -> pl.Expr:
    return (
        pl.col("title").str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars()
    )


@suite.check(
    "staging_documents_no_duplicates", "ERROR", "uniqueness",
    "a document is parsed once: no repeated sha256, no mirror copy (raw near_duplicate_of), "
    "no second document with the same country, kind, stated period and title",
)
def _duplicates(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    cols = ["doc_id", "sha256", "country_iso3", "kind", "period_start", "period_end", "title"]
    df = need(frames, TABLE, cols).with_row_index("_row")
    same_sha = pl.col("_row") != pl.col("_row").min().over("sha256")
    key = ["country_iso3", "kind", "period_start", "period_end", "_title"]
    df = df.with_columns(_title=_title_key())
    has_key = pl.all_horizontal([pl.col(c).is_not_null() for c in key]) & (
        pl.col("_title").str.len_chars() > 0
    )
    first_of_key = pl.col("doc_id").first().over(key)
    same_key = has_key & (pl.col("doc_id") != first_of_key)
    df = df.with_columns(
        duplicate_of=pl.when(same_sha).then(pl.col("doc_id").first().over("sha256"))
        .when(same_key).then(first_of_key)
        .otherwise(None)
    )
    raw = frames.get("raw.documents")
    if raw is not None and {"sha256", "near_duplicate_of"} <= set(raw.columns):
        mirrors = raw.filter(pl.col("near_duplicate_of").is_not_null()).select(
            "sha256", pl.col("near_duplicate_of").alias("_mirror_of")
        )
        df = df.join(mirrors, on="sha256", how="left").with_columns(
            duplicate_of=pl.coalesce(
                "duplicate_of", pl.lit("mirror of sha256 ") + pl.col("_mirror_of").str.slice(0, 16)
            )
        )
    ok = pl.col("duplicate_of").is_null()
    keep = ["doc_id", "country_iso3", "period_start", "period_end", "title", "duplicate_of"]
    return derived(flag_frame(df.sort("_row"), ok, keep))


def _flag(name: str) -> pl.Expr:
    return pl.col("flags").list.contains(name).fill_null(False)


@suite.check(
    "staging_documents_period_after_publication", "WARN", "consistency",
    "the stated period does not end after the document was published (parser flag "
    "period_after_publication, or period_end > published)",
)
def _after_publication(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*PERIOD, "flags"])
    late = pl.col("period_end").is_not_null() & pl.col("published").is_not_null() & (
        pl.col("period_end") > pl.col("published")
    )
    ok = ~(_flag("period_after_publication") | late.fill_null(False))
    return derived(flag_frame(df, ok, PERIOD))


@suite.check(
    "staging_documents_period_mismatch_events", "WARN", "consistency",
    "the stated period contains the dates of the events described (parser flag "
    "period_mismatch_events); see core_event_mentions_dates_in_doc_period for the direct test",
)
def _mismatch(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, [*PERIOD, "flags"])
    return derived(flag_frame(df, ~_flag("period_mismatch_events"), PERIOD))


@suite.check(
    "staging_documents_has_sections", "ERROR", "completeness",
    "every parsed document has at least one section in staging.sections",
)
def _has_sections(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = need(frames, TABLE, EXAMPLES)
    sections = need(frames, "staging.sections", ["doc_id"])
    ok = pl.col("doc_id").is_in(sections.get_column("doc_id").unique().implode())
    return derived(flag_frame(df, ok, EXAMPLES))


def _doc_dates(df: pl.DataFrame) -> pl.DataFrame:
    """country_iso3, kind and the document's date: published, else the end of its window."""
    return df.select(
        "country_iso3", "kind", pl.coalesce("published", "window_end").alias("doc_date")
    ).filter(pl.col("doc_date").is_not_null())


def _period_index(d: date, period: str) -> int:
    return d.year if period == "year" else d.year * 4 + (d.month - 1) // 3


def _period_label(i: int, period: str) -> str:
    return str(i) if period == "year" else f"{i // 4}Q{i % 4 + 1}"


@suite.check(
    "staging_documents_volume_drop", "WARN", "completeness",
    "documents per country and period (volume_period) do not drop more than volume_z standard "
    "deviations below that country's history (latest complete periods only)",
)
def _volume(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = _doc_dates(need(frames, TABLE, ["country_iso3", "kind", "published", "window_end"]))
    per = params.volume_period
    rows: list[dict] = []
    if df.height:
        idx = [_period_index(d, per) for d in df.get_column("doc_date").to_list()]
        df = df.with_columns(pl.Series("p", idx))
        last = min(_period_index(params.today(), per) - 1, max(idx))
        judged = range(last - params.volume_recent_periods + 1, last + 1)
        counts = df.group_by("country_iso3", "p").len()
        by_country: dict[str, dict[int, int]] = {}
        for c, p, n in counts.iter_rows():
            by_country.setdefault(c, {})[p] = n
        for country in sorted(by_country):
            seen = by_country[country]
            first = min(seen)
            for p in judged:
                history = [seen.get(i, 0) for i in range(first, p)]
                if len(history) < params.volume_min_history:
                    continue
                n = seen.get(p, 0)
                mean = sum(history) / len(history)
                std = math.sqrt(sum((h - mean) ** 2 for h in history) / len(history))
                z = (n - mean) / std if std > 0 else (0.0 if n >= mean else -math.inf)
                rows.append({
                    "country_iso3": country, "period": _period_label(p, per), "n_documents": n,
                    "history_mean": round(mean, 3), "history_periods": len(history),
                    "z": z,
                })
    schema = {"country_iso3": pl.String, "period": pl.String, "n_documents": pl.Int64,
              "history_mean": pl.Float64, "history_periods": pl.Int64, "z": pl.Float64}
    out = pl.DataFrame(rows, schema=schema)
    exp = gxe().ExpectColumnValuesToBeBetween(column="z", min_value=-params.volume_z)
    return out, [exp], ["country_iso3", "period", "n_documents", "history_mean"]


@suite.check(
    "staging_documents_freshness", "WARN", "timeliness",
    "every country (seen, or in expected_countries) has an update (freshness_kinds) dated "
    "within freshness_days of as_of",
)
def _freshness(frames: Mapping[str, pl.DataFrame], params: DQParams) -> tuple:
    df = _doc_dates(need(frames, TABLE, ["country_iso3", "kind", "published", "window_end"]))
    if params.freshness_kinds:
        df = df.filter(pl.col("kind").is_in(list(params.freshness_kinds)))
    last = dict(df.group_by("country_iso3").agg(pl.col("doc_date").max()).iter_rows())
    today = params.today()
    countries = sorted(set(last) | set(params.expected_countries))
    out = pl.DataFrame(
        {
            "country_iso3": countries,
            "last_update": [last.get(c) for c in countries],
            "days_since_update": [
                (today - last[c]).days if c in last else None for c in countries
            ],
        },
        schema={"country_iso3": pl.String, "last_update": pl.Date, "days_since_update": pl.Int64},
    )
    e = gxe()
    return out, [
        e.ExpectColumnValuesToBeBetween(column="days_since_update", max_value=params.freshness_days),
        e.ExpectColumnValuesToNotBeNull(column="days_since_update"),
    ], ["country_iso3", "last_update"]


CHECKS = suite.specs


def build(frames: Mapping[str, pl.DataFrame], params: DQParams) -> list[PreparedCheck]:
    return suite.build(frames, params)
