"""Frame preparation for the dashboards: conforming inputs, latest scores, changes, names.

Pure functions over Polars frames. Inputs follow sql/ddl/*.sql; a missing table, a missing
column or a wrong type never raises: the frame is conformed to the columns used here.
"""

import re
from hashlib import sha1

import polars as pl

from dashboards.palette import band_of
from transforms.taxonomy import FREEDOMS

S, D, F, N, B, T = pl.String, pl.Date, pl.Float64, pl.Int64, pl.Boolean, pl.Datetime

SCHEMAS: dict[str, dict[str, pl.DataType | type]] = {
    "staging.documents": {
        "doc_id": S, "source": S, "source_url": S, "format": S, "kind": S, "title": S,
        "country_iso3": S, "country_name": S, "period_start": D, "period_end": D,
        "published": D, "partners": pl.List(S), "flags": pl.List(S), "text": S,
    },
    "core.events": {
        "event_id": S, "country_iso3": S, "event_type": S, "freedom": S, "status": S,
        "severity": N, "direction": S, "event_date": D, "window_start": D, "window_end": D,
        "n_mentions": N, "n_documents": N, "doc_ids": pl.List(S), "summary": S,
        "first_mention_id": S,
    },
    "core.event_mentions": {
        "mention_id": S, "doc_id": S, "sentence_no": N, "start": N, "end": N, "text": S,
        "event_type": S, "freedom": S, "status": S, "confidence": F, "event_id": S,
    },
    "marts.freedom_scores": {
        "country_iso3": S, "period": S, "period_start": D, "period_end": D, "freedom": S,
        "score": F, "score_low": F, "score_high": F, "band": S, "n_documents": N,
        "n_events": N, "carried_forward": B, "method_version": S,
    },
    "marts.freedom_scores_annual": {
        "country_iso3": S, "year": N, "freedom": S, "score": F, "score_low": F,
        "score_high": F, "band": S, "method_version": S,
    },
    "marts.score_contributions": {
        "country_iso3": S, "period": S, "period_start": D, "freedom": S, "event_id": S,
        "event_type": S, "status": S, "weight": F, "points": F, "mention_id": S, "doc_id": S,
        "sentence": S, "method_version": S,
    },
    "marts.alerts": {
        "alert_id": S, "kind": S, "country_iso3": S, "period": S, "period_start": D,
        "freedom": S, "change": F, "message": S, "event_id": S, "doc_id": S, "evidence": S,
        "method_version": S,
    },
    "dq.check_results": {
        "run_id": S, "checked_at": T, "table_name": S, "partition": S, "check_name": S,
        "severity": S, "success": B, "unexpected_count": N, "examples": S,
    },
    "raw.quarantine": {
        "file": S, "sha256": S, "stage": S, "reason": S, "detail": S, "first_seen": T,
        "seen_at": T,
    },
}

BASELINE = "__baseline__"
_SAFE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def conform(df: object, table: str) -> pl.DataFrame:
    """The columns of ``table`` that the dashboards use, with their types; never raises."""
    schema = SCHEMAS[table]
    if not isinstance(df, pl.DataFrame):
        df = pl.DataFrame()
    cols = []
    for name, dtype in schema.items():
        if name in df.columns:
            col = df.get_column(name)
            if col.dtype == dtype:
                cols.append(col)
                continue
            try:
                cols.append(col.cast(dtype, strict=False))
                continue
            except Exception:  # noqa: BLE001 - a column that cannot be read is shown as empty
                pass
        cols.append(pl.Series(name, [None] * df.height, dtype=dtype))
    cols = [c.fill_nan(None) if c.dtype == pl.Float64 else c for c in cols]  # NaN = missing
    return pl.DataFrame(cols) if cols and df.height else pl.DataFrame(schema=schema)


def conform_all(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    return {name: conform(tables.get(name), name) for name in SCHEMAS}


def slug(value: object) -> str:
    """A file-name and id safe token for a code (ISO3, doc_id); a hash when it is not safe."""
    s = "" if value is None else str(value)
    if _SAFE.fullmatch(s):
        return s
    return "x" + sha1(s.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def clean_scores(scores: pl.DataFrame) -> pl.DataFrame:
    """Usable score rows, sorted, one per country x period x freedom (first one kept)."""
    return (
        scores.filter(
            pl.col("country_iso3").is_not_null()
            & pl.col("period_start").is_not_null()
            & pl.col("freedom").is_in(list(FREEDOMS))
            & pl.col("score").is_not_null()
            & pl.col("score").is_finite()
        )
        .with_columns(
            pl.col("score").clip(0, 100),
            pl.col("score_low").fill_null(pl.col("score")).clip(0, 100),
            pl.col("score_high").fill_null(pl.col("score")).clip(0, 100),
            pl.col("period").fill_null(pl.col("period_start").cast(pl.String)),
            pl.col("band").fill_null(""),
            pl.col("carried_forward").fill_null(False),
            pl.col("method_version").fill_null(""),
        )
        .unique(["country_iso3", "period_start", "freedom"], keep="first", maintain_order=True)
        .sort(["country_iso3", "freedom", "period_start"])
    )


def overall_scores(scores: pl.DataFrame) -> pl.DataFrame:
    """Mean of the freedom scores per country x period, with its band (for map and heatmap)."""
    out = (
        scores.group_by(["country_iso3", "period_start"])
        .agg(
            pl.col("period").first(),
            pl.col("score").mean().alias("score"),
            pl.col("freedom").n_unique().alias("n_freedoms"),
        )
        .sort(["country_iso3", "period_start"])
    )
    return out.with_columns(
        pl.col("score").map_elements(band_of, return_dtype=pl.String).alias("band")
    )


def latest_overall(scores: pl.DataFrame) -> pl.DataFrame:
    """Each country's latest quarter from :func:`overall_scores`."""
    ov = overall_scores(scores)
    return ov.group_by("country_iso3").agg(pl.all().sort_by("period_start").last()).sort(
        "country_iso3"
    )


def period_changes(scores: pl.DataFrame, lag: int = 1) -> pl.DataFrame:
    """Score change since ``lag`` quarters earlier (1: the previous quarter, 4: a year), for
    every country x freedom in the latest period of the data; columns country_iso3, freedom,
    period, score, previous, change."""
    empty = pl.DataFrame(
        schema={"country_iso3": S, "freedom": S, "period": S, "score": F, "previous": F,
                "change": F}
    )
    if scores.is_empty():
        return empty
    latest = scores.get_column("period_start").max()
    cur = scores.filter(pl.col("period_start") == latest)
    before = scores.select(
        "country_iso3", "freedom", pl.col("score").alias("previous"),
        pl.col("period_start").dt.offset_by(f"{3 * lag}mo").alias("period_start"),
    )
    out = cur.join(before, on=["country_iso3", "freedom", "period_start"], how="inner")
    out = out.with_columns((pl.col("score") - pl.col("previous")).alias("change"))
    return out.select(empty.columns).sort(["change", "country_iso3", "freedom"])


def changes_since_last_score(scores: pl.DataFrame) -> pl.DataFrame:
    """Like :func:`period_changes`, but against each series' latest earlier quarter with a
    score, however far back (for data with gaps: no quarter a year earlier either)."""
    empty = period_changes(scores.clear())
    if scores.is_empty():
        return empty
    latest = scores.get_column("period_start").max()
    prev = pl.col("score").shift(1).over(["country_iso3", "freedom"], order_by="period_start")
    out = scores.with_columns(prev.alias("previous")).filter(
        (pl.col("period_start") == latest) & pl.col("previous").is_not_null())
    out = out.with_columns((pl.col("score") - pl.col("previous")).alias("change"))
    return out.select(empty.columns).sort(["change", "country_iso3", "freedom"])


def country_names(documents: pl.DataFrame) -> dict[str, str]:
    """ISO3 -> the country name most documents give (ties: alphabetical)."""
    d = documents.filter(
        pl.col("country_iso3").is_not_null() & pl.col("country_name").is_not_null()
    )
    if d.is_empty():
        return {}
    counts = (
        d.group_by(["country_iso3", "country_name"]).len()
        .sort(["country_iso3", "len", "country_name"], descending=[False, True, False])
        .unique("country_iso3", keep="first", maintain_order=True)
    )
    return dict(zip(counts["country_iso3"], counts["country_name"], strict=True))


def latest_checks(checks: pl.DataFrame) -> pl.DataFrame:
    """The latest result of every check (table x check x partition), failures first."""
    c = checks.filter(pl.col("check_name").is_not_null())
    if c.is_empty():
        return c
    c = c.with_columns(
        pl.col("table_name").fill_null(""), pl.col("partition").fill_null(""),
        pl.col("severity").fill_null(""), pl.col("run_id").fill_null(""),
    )
    c = (
        c.sort(["checked_at", "run_id"], nulls_last=False)
        .group_by(["table_name", "check_name", "partition"])
        .agg(pl.all().last())
    )
    return c.with_columns(pl.col("success").fill_null(False)).sort(
        ["success", "severity", "table_name", "check_name", "partition"]
    )
