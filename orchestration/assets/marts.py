"""marts.*: scores per country, quarter and freedom, their contributions, annual scores, alerts.

Scoring pools evidence within one country and period, carries scores forward within one country
and freedom, and alerts look at one country's series: each of these marts is a per-country
function of its inputs. So each asset recomputes only the countries whose inputs (or whose stored
rows) changed since it last wrote them (``orchestration.warehouse.ScopeState``) and keeps the
other countries' rows; the tables are the same as recomputing every country
(tests/test_incremental.py). The first run, or a change of the scoring code, recomputes all.
Inputs are read sorted by their keys, so the result never depends on the order rows were stored.
"""

from collections.abc import Sequence
from datetime import date

import dagster as dg
import polars as pl

from orchestration.checks import check_specs, run_table_checks
from orchestration.frames import conform
from orchestration.partitions import quarters
from orchestration.warehouse import (
    EMPTY_DIGEST,
    ScopeState,
    WarehouseResource,
    code_digest,
    delete_rows,
    digests,
    insert_frame,
    read_table,
    sql_text,
    stale,
    transaction,
)
from transforms import alerts as alerts_module
from transforms import annual as annual_module
from transforms import method, periods_q, scoring, taxonomy
from transforms.alerts import find_alerts
from transforms.annual import score_annual
from transforms.scoring import score_quarters

CORE = [["core", "events"], ["core", "event_mentions"]]
STAGING = [["staging", "documents"], ["staging", "sections"]]
QUARTERLY = ("marts.freedom_scores", "marts.score_contributions")
SCORING_CODE = code_digest(scoring, annual_module, method, periods_q, taxonomy)
ALERTS_CODE = code_digest(alerts_module, scoring, method, periods_q, taxonomy)
ALL = "*"  # a scope of every country
ORDER = {
    "core.events": ["event_id"],
    "core.event_mentions": ["mention_id"],
    "staging.documents": ["doc_id"],
    "staging.sections": ["doc_id", "section_no"],
    "marts.freedom_scores": ["country_iso3", "period_start", "freedom"],
    "marts.score_contributions": ["country_iso3", "period_start", "freedom", "event_id"],
    "marts.freedom_scores_annual": ["country_iso3", "year", "freedom"],
    "marts.alerts": ["alert_id"],
}
IN_SCOPE = "list_contains(?, country_iso3)"
COUNTRY_CHUNK = 16  # countries scored at a time: memory stays that of a chunk's rows


def _read(
    con, table: str, where: str = "", params: Sequence = (), exclude: Sequence[str] = ()
) -> pl.DataFrame:
    """A table's rows sorted by its key: the same frame whatever order the rows were stored in."""
    return read_table(con, table, where, params, exclude).sort(ORDER[table], nulls_last=True)


def _inputs(con) -> dict[str, pl.DataFrame]:
    """Everything scoring reads: events, mentions, documents (without their text), sections."""
    return {
        "core.events": _read(con, "core.events"),
        "core.event_mentions": _read(con, "core.event_mentions"),
        "staging.documents": _read(con, "staging.documents", exclude=("text",)),
        "staging.sections": _read(con, "staging.sections"),
    }


def _only(inp: dict[str, pl.DataFrame], countries: set[str] | None) -> list[pl.DataFrame]:
    """(events, mentions, documents, sections) of some countries (all when None)."""
    events, mentions = inp["core.events"], inp["core.event_mentions"]
    docs, sections = inp["staging.documents"], inp["staging.sections"]
    if countries is not None:
        cs = sorted(countries)
        events = events.filter(pl.col("country_iso3").is_in(cs))
        docs = docs.filter(pl.col("country_iso3").is_in(cs))
        doc_ids = docs.get_column("doc_id").to_list()
        mentions = mentions.filter(
            pl.col("doc_id").is_in(doc_ids)
            | pl.col("event_id").is_in(events.get_column("event_id").to_list())
        )
        sections = sections.filter(pl.col("doc_id").is_in(doc_ids))
    return [events, mentions, docs, sections]


def _chunks(countries: set[str]) -> list[list[str]]:
    cs = sorted(countries)
    return [cs[i : i + COUNTRY_CHUNK] for i in range(0, len(cs), COUNTRY_CHUNK)]


def _batches(inp: dict[str, pl.DataFrame], countries: set[str] | None) -> list[set[str]]:
    """The countries to compute (all with documents or events when None), in chunks."""
    if countries is None:
        countries = set(inp["staging.documents"]["country_iso3"].drop_nulls().to_list()) | set(
            inp["core.events"]["country_iso3"].drop_nulls().to_list()
        )
    return [set(c) for c in _chunks(countries)]


def _scope(recorded: dict, ins: dict[str, str], outs: dict[str, str]) -> set[str] | None:
    """The countries to recompute; None: all of them (nothing recorded yet)."""
    return stale(recorded, ins, outs) if recorded else None


def _where(countries: set[str] | None, where: str = "", params: Sequence = ()) -> tuple[str, list]:
    if countries is None:
        return where, list(params)
    return " AND ".join(w for w in (where, IN_SCOPE) if w), [*params, sorted(countries)]


def _record(
    scope: ScopeState,
    recorded: dict,
    countries: set[str] | None,
    ins: dict[str, str],
    outs: dict[str, str],
    mine=lambda key: True,
) -> None:
    """Remember the inputs and outputs of the keys just written (``mine``: the keys this run
    owns, e.g. its quarters; those of a full recompute replace every recorded one)."""
    if countries is None:
        state = {k: v for k, v in recorded.items() if not mine(k)}
        written = set(ins) | set(outs)
    else:
        state = dict(recorded)
        written = countries
    for k in written:
        state[k] = [ins.get(k), outs.get(k, EMPTY_DIGEST)]
    scope.save(state)


def _years(inp: dict[str, pl.DataFrame]) -> list[int]:
    """Every year from the first to the last with evidence (as ``score_annual`` picks by
    default), computed on all countries so that a subset scores the same years."""
    spans = [
        df.filter(pl.col("window_end") >= pl.col("window_start")).select(
            pl.col("window_start").dt.year().min().alias("a"),
            pl.col("window_end").dt.year().max().alias("b"),
        )
        for df in (inp["core.events"], inp["staging.documents"])
    ]
    firsts = [s.item(0, "a") for s in spans if s.item(0, "a") is not None]
    lasts = [s.item(0, "b") for s in spans if s.item(0, "b") is not None]
    return list(range(min(firsts), max(lasts) + 1)) if firsts else []


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["marts", "freedom_scores"],
            deps=CORE + STAGING,
            group_name="marts",
            partitions_def=quarters,
            description="0-100 score per country, quarter and freedom, with an 80% interval.",
        ),
        dg.AssetSpec(
            ["marts", "score_contributions"],
            deps=CORE + STAGING,
            group_name="marts",
            partitions_def=quarters,
            description="Every event that moved a score, with its weight and points.",
        ),
    ],
    check_specs=[s for t in QUARTERLY for s in check_specs(t)],
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool="warehouse",
)
def freedom_scores(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    window = context.partition_time_window
    keys = list(context.partition_keys)
    starts = [date.fromisoformat(k) for k in keys]
    partition = f"{keys[0]}..{keys[-1]}"
    bounds = {"start": window.start.date(), "end": window.end.date()}
    in_range = "period_start >= ? AND period_start < ?"
    wh = warehouse.get()
    scope = ScopeState(wh, "freedom_scores")
    with wh.connect() as con:
        inp = _inputs(con)
        # per (country, quarter): the country's inputs, and the rows stored for the quarter
        per_country = digests(con, sql_text("core/scoring_inputs_by_country.sql"))
        ins = {f"{c}|{q}": f"{SCORING_CODE}|{d}" for c, d in per_country.items() for q in keys}
        outs = digests(con, sql_text("core/quarterly_rows_by_country.sql"), bounds)
        ours = set(keys)
        recorded = scope.load()
        stale_keys = _scope(
            {k: v for k, v in recorded.items() if k.rsplit("|", 1)[1] in ours}, ins, outs
        )
        countries = None if stale_keys is None else {k.rsplit("|", 1)[0] for k in stale_keys}
        where, params = _where(countries, in_range, list(bounds.values()))
        with transaction(con):
            for t in QUARTERLY:
                delete_rows(con, t, where, params)
            for batch in _batches(inp, countries):
                scores, contributions = score_quarters(*_only(inp, batch), starts)
                insert_frame(con, "marts.freedom_scores", conform("marts.freedom_scores", scores))
                insert_frame(
                    con,
                    "marts.score_contributions",
                    conform("marts.score_contributions", contributions),
                )
                del scores, contributions
        outs = digests(con, sql_text("core/quarterly_rows_by_country.sql"), bounds)
        written = None if countries is None else {f"{c}|{q}" for c in countries for q in keys}
        _record(scope, recorded, written, ins, outs, lambda k: k.rsplit("|", 1)[1] in ours)
        # the checks see the whole quarters, as written (without the sentences: no check
        # reads them, and they are most of the table's memory)
        scores = _read(con, "marts.freedom_scores", in_range, list(bounds.values()))
        contributions = _read(
            con, "marts.score_contributions", in_range, list(bounds.values()), exclude=("sentence",)
        )
        frames = {**inp, "marts.freedom_scores": scores, "marts.score_contributions": contributions}
        results = [
            r for t in QUARTERLY for r in run_table_checks(context, con, t, frames, partition)
        ]
    yield dg.MaterializeResult(
        asset_key=["marts", "freedom_scores"],
        metadata={
            "rows": scores.height,
            "quarters": len(starts),
            "countries_recomputed": -1 if countries is None else len(countries),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["marts", "score_contributions"], metadata={"rows": contributions.height}
    )
    yield from results


@dg.asset(
    key=["marts", "freedom_scores_annual"],
    deps=CORE + STAGING + [["marts", "freedom_scores"]],
    group_name="marts",
    check_specs=check_specs("marts.freedom_scores_annual"),
    pool="warehouse",
    description="The same scores per calendar year, for comparison with annual indices.",
)
def freedom_scores_annual(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    wh = warehouse.get()
    scope = ScopeState(wh, "freedom_scores_annual")
    with wh.connect() as con:
        inp = _inputs(con)
        years = _years(inp)
        span = f"{years[0]}-{years[-1]}" if years else "-"
        ins = {
            c: f"{SCORING_CODE}|{span}|{d}"
            for c, d in digests(con, sql_text("core/scoring_inputs_by_country.sql")).items()
        }
        recorded = scope.load()
        countries = _scope(recorded, ins, digests(con, sql_text("core/annual_rows_by_country.sql")))
        where, params = _where(countries)
        with transaction(con):
            delete_rows(con, "marts.freedom_scores_annual", where, params)
            for batch in _batches(inp, countries):
                insert_frame(
                    con,
                    "marts.freedom_scores_annual",
                    conform(
                        "marts.freedom_scores_annual", score_annual(*_only(inp, batch), years=years)
                    ),
                )
        _record(
            scope,
            recorded,
            countries,
            ins,
            digests(con, sql_text("core/annual_rows_by_country.sql")),
        )
        annual = _read(con, "marts.freedom_scores_annual")
        results = run_table_checks(
            context,
            con,
            "marts.freedom_scores_annual",
            {**inp, "marts.freedom_scores_annual": annual},
        )
    yield dg.MaterializeResult(
        metadata={
            "rows": annual.height,
            "countries_recomputed": -1 if countries is None else len(countries),
        }
    )
    yield from results


@dg.asset(
    key=["marts", "alerts"],
    deps=[["marts", "freedom_scores"], ["marts", "score_contributions"], *CORE],
    group_name="marts",
    check_specs=check_specs("marts.alerts"),
    pool="warehouse",
    description="Sharp declines and sentinel events, with the evidence.",
)
def alerts(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    wh = warehouse.get()
    scope = ScopeState(wh, "alerts")
    with wh.connect() as con:
        ins = {
            c: f"{ALERTS_CODE}|{d}"
            for c, d in digests(con, sql_text("core/alert_inputs_by_country.sql")).items()
        }
        recorded = scope.load()
        countries = _scope(recorded, ins, digests(con, sql_text("core/alert_rows_by_country.sql")))
        where, params = _where(countries)
        batches = _chunks(
            countries
            if countries is not None
            else {  # every country with scores
                r[0] for r in con.execute(sql_text("core/alert_countries.sql")).fetchall()
            }
        )  # or events
        with transaction(con):
            delete_rows(con, "marts.alerts", where, params)
            for batch in batches:
                cs = [batch]
                found = find_alerts(
                    _read(con, "marts.freedom_scores", IN_SCOPE, cs),
                    _read(con, "marts.score_contributions", IN_SCOPE, cs, exclude=("sentence",)),
                    _read(con, "core.events", IN_SCOPE, cs),
                    _read(
                        con,
                        "core.event_mentions",
                        "event_id IN (SELECT event_id FROM "
                        "core.events WHERE list_contains(?, country_iso3))",
                        cs,
                    ),
                )
                insert_frame(con, "marts.alerts", conform("marts.alerts", found))
        _record(
            scope,
            recorded,
            countries,
            ins,
            digests(con, sql_text("core/alert_rows_by_country.sql")),
        )
        found = _read(con, "marts.alerts")
        scores = _read(con, "marts.freedom_scores")
        results = run_table_checks(
            context, con, "marts.alerts", {"marts.alerts": found, "marts.freedom_scores": scores}
        )
    yield dg.MaterializeResult(
        metadata={
            "rows": found.height,
            "countries_recomputed": -1 if countries is None else len(countries),
        }
    )
    yield from results
