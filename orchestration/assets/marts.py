"""marts.*: scores per country, quarter and freedom, their contributions, annual scores, alerts."""

from datetime import date

import dagster as dg
import polars as pl

from orchestration.checks import check_specs, run_table_checks
from orchestration.frames import conform
from orchestration.partitions import quarters
from orchestration.warehouse import WarehouseResource, read_table, replace_rows, replace_tables
from transforms.alerts import find_alerts
from transforms.annual import score_annual
from transforms.scoring import score_quarters

CORE = [["core", "events"], ["core", "event_mentions"]]
STAGING = [["staging", "documents"], ["staging", "sections"]]
QUARTERLY = ("marts.freedom_scores", "marts.score_contributions")


def _inputs(con) -> dict[str, pl.DataFrame]:
    """Everything scoring reads: events, mentions, documents (without their text), sections."""
    return {
        "core.events": read_table(con, "core.events"),
        "core.event_mentions": read_table(con, "core.event_mentions"),
        "staging.documents": read_table(con, "staging.documents", exclude=("text",)),
        "staging.sections": read_table(con, "staging.sections"),
    }


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["marts", "freedom_scores"], deps=CORE + STAGING, group_name="marts",
                     partitions_def=quarters,
                     description="0-100 score per country, quarter and freedom, with an 80% interval."),
        dg.AssetSpec(["marts", "score_contributions"], deps=CORE + STAGING, group_name="marts",
                     partitions_def=quarters,
                     description="Every event that moved a score, with its weight and points."),
    ],
    check_specs=[s for t in QUARTERLY for s in check_specs(t)],
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="warehouse",
)
def freedom_scores(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    window = context.partition_time_window
    starts = [date.fromisoformat(k) for k in context.partition_keys]
    partition = f"{context.partition_keys[0]}..{context.partition_keys[-1]}"
    with warehouse.get().connect() as con:
        inp = _inputs(con)
        scores, contributions = score_quarters(
            inp["core.events"], inp["core.event_mentions"], inp["staging.documents"],
            inp["staging.sections"], starts,
        )
        scores = conform("marts.freedom_scores", scores)
        contributions = conform("marts.score_contributions", contributions)
        bounds = [window.start.date(), window.end.date()]
        replace_tables(con, {"marts.freedom_scores": scores,
                             "marts.score_contributions": contributions},
                       "period_start >= ? AND period_start < ?", bounds)
        frames = {**inp, "marts.freedom_scores": scores, "marts.score_contributions": contributions}
        results = [r for t in QUARTERLY for r in run_table_checks(context, con, t, frames, partition)]
    yield dg.MaterializeResult(asset_key=["marts", "freedom_scores"],
                               metadata={"rows": scores.height, "quarters": len(starts)})
    yield dg.MaterializeResult(asset_key=["marts", "score_contributions"],
                               metadata={"rows": contributions.height})
    yield from results


@dg.asset(
    key=["marts", "freedom_scores_annual"], deps=CORE + STAGING + [["marts", "freedom_scores"]],
    group_name="marts", check_specs=check_specs("marts.freedom_scores_annual"), pool="warehouse",
    description="The same scores per calendar year, for comparison with annual indices.",
)
def freedom_scores_annual(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.get().connect() as con:
        inp = _inputs(con)
        annual = conform("marts.freedom_scores_annual", score_annual(
            inp["core.events"], inp["core.event_mentions"], inp["staging.documents"],
            inp["staging.sections"],
        ))
        replace_rows(con, "marts.freedom_scores_annual", annual)
        results = run_table_checks(context, con, "marts.freedom_scores_annual",
                                   {**inp, "marts.freedom_scores_annual": annual})
    yield dg.MaterializeResult(metadata={"rows": annual.height})
    yield from results


@dg.asset(
    key=["marts", "alerts"],
    deps=[["marts", "freedom_scores"], ["marts", "score_contributions"], *CORE],
    group_name="marts", check_specs=check_specs("marts.alerts"), pool="warehouse",
    description="Sharp declines and sentinel events, with the evidence.",
)
def alerts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.get().connect() as con:
        scores = read_table(con, "marts.freedom_scores")
        contributions = read_table(con, "marts.score_contributions")
        events = read_table(con, "core.events")
        mentions = read_table(con, "core.event_mentions")
        found = conform("marts.alerts", find_alerts(scores, contributions, events, mentions))
        replace_rows(con, "marts.alerts", found)
        results = run_table_checks(context, con, "marts.alerts",
                                   {"marts.alerts": found, "marts.freedom_scores": scores})
    yield dg.MaterializeResult(metadata={"rows": found.height})
    yield from results
