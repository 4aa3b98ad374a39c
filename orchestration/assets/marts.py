"""marts.*: scores per country, quarter and freedom, their contributions, annual scores, alerts.

Scoring pools evidence within one country and period, carries scores forward within one country
and freedom, and alerts look at one country's series: each of these marts is a per-country
function of its inputs. So each asset recomputes only the countries whose inputs (or whose stored
rows) changed since it last wrote them (``orchestration.warehouse.ScopeState``) and keeps the
other countries' rows; the tables are the same as recomputing every country
(tests/test_incremental.py). The first run, or a change of the scoring code, recomputes all.
Inputs are read sorted by their keys, so the result never depends on the order rows were stored.

Memory: the inputs are read a chunk of countries at a time (``COUNTRY_CHUNK``), scored, written
and dropped; the checks get only the rows just written, without long texts (any other table a
check needs is read on demand, ``orchestration.checks.WarehouseFrames``).

Speed: a country with no evidence after the last quarter (or year) it has rows for, and whose
inputs did not change since those rows were written, only carries its scores forward into the
new periods: its rows there follow from its stored rows and its ``Tail`` (the pressure and
spread of its last rows with evidence, kept beside the scope state), so its history is not
scored again (``transforms.scoring.carry_scores``: the very rows scoring would give). The first
update of a new quarter gives every country rows there; only the countries it speaks of are
scored again.
"""

from collections.abc import Iterator, Sequence
from datetime import date, timedelta

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
    row_count,
    sql_text,
    stale,
    transaction,
)
from transforms import alerts as alerts_module
from transforms import annual as annual_module
from transforms import method, periods_q, scoring, taxonomy
from transforms.alerts import find_alerts
from transforms.annual import carry_annual, score_annual
from transforms.scoring import (
    Tail,
    carry_contributions,
    carry_scores,
    quarter_period,
    score_quarters,
)

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
COUNTRY_CHUNK = 8  # countries scored at a time: memory stays that of a chunk's rows
# contribution columns no check reads: left out of the frame the checks get
UNCHECKED_CONTRIBUTION_COLUMNS = ("sentence", "weight", "mention_id", "method_version")
SCOPE_DOCS = "doc_id IN (SELECT doc_id FROM staging.documents WHERE list_contains(?, country_iso3))"
SCOPE_EVENTS = "event_id IN (SELECT event_id FROM core.events WHERE list_contains(?, country_iso3))"
# what scoring reads of some countries: (table, rows of the countries, how many country lists
# the condition binds, columns left out); the same rows as ``_only`` picks from ``_inputs``
SCORING_INPUTS = (
    ("core.events", IN_SCOPE, 1, ()),
    ("core.event_mentions", f"{SCOPE_DOCS} OR {SCOPE_EVENTS}", 2, ()),
    ("staging.documents", IN_SCOPE, 1, ("text",)),
    ("staging.sections", SCOPE_DOCS, 1, ()),
)
SCORED_COUNTRIES = """
SELECT country_iso3 FROM staging.documents WHERE country_iso3 IS NOT NULL
UNION
SELECT country_iso3 FROM core.events WHERE country_iso3 IS NOT NULL
"""
EVIDENCE_YEARS = """
SELECT min(year(window_start)), max(year(window_end)) FROM (
    SELECT window_start, window_end FROM core.events
    UNION ALL
    SELECT window_start, window_end FROM staging.documents
) WHERE window_end >= window_start
"""
# Every row alerts read, hashed, per country (as sql/core/alert_inputs_by_country.sql), but for
# the score rows carried forward after a (country, freedom)'s last row with evidence, and their
# contributions: such rows never raise nor shape an alert (a decline is of a row with evidence;
# only earlier changes set its threshold), so carrying scores into a new quarter leaves a
# country's alerts as they are.
ALERT_INPUTS = """
WITH s AS (
    SELECT *, max(period_start) FILTER (WHERE NOT carried_forward)
        OVER (PARTITION BY country_iso3, freedom) AS _last_own
    FROM marts.freedom_scores
),
tail AS (
    SELECT country_iso3, period_start, freedom FROM s
    WHERE carried_forward AND (_last_own IS NULL OR period_start > _last_own)
),
kept AS (
    SELECT * EXCLUDE (_last_own) FROM s
    WHERE NOT (carried_forward AND (_last_own IS NULL OR period_start > _last_own))
)
SELECT coalesce(country_iso3, '') AS k, hash(t) AS h FROM kept AS t
UNION ALL
SELECT coalesce(country_iso3, ''), hash(t)
FROM marts.score_contributions AS t ANTI JOIN tail USING (country_iso3, period_start, freedom)
UNION ALL
SELECT coalesce(country_iso3, ''), hash(t) FROM core.events AS t
UNION ALL
SELECT coalesce(e.country_iso3, ''), hash(m)
FROM core.event_mentions AS m JOIN core.events AS e USING (event_id)
"""


def _read(
    con, table: str, where: str = "", params: Sequence = (), exclude: Sequence[str] = ()
) -> pl.DataFrame:
    """A table's rows sorted by its key: the same frame whatever order the rows were stored in."""
    return read_table(con, table, where, params, exclude).sort(ORDER[table], nulls_last=True)


def _country_slices(
    con, table: str, where: str, params: Sequence
) -> Iterator[tuple[str, list]]:
    """(where, params) of the rows of ``table`` matching ``where``, a chunk of countries at a
    time in country order, then the rows without a country."""
    countries = [
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT country_iso3 FROM {table} WHERE {where} ORDER BY 1",  # noqa: S608 - names from ORDER
            list(params),
        ).fetchall()
        if r[0] is not None
    ]
    for i in range(0, len(countries), COUNTRY_CHUNK):
        yield f"({where}) AND {IN_SCOPE}", [*params, countries[i : i + COUNTRY_CHUNK]]
    yield f"({where}) AND country_iso3 IS NULL", list(params)


def _inputs(con) -> dict[str, pl.DataFrame]:
    """Everything scoring reads: events, mentions, documents (without their text), sections."""
    return {
        "core.events": _read(con, "core.events"),
        "core.event_mentions": _read(con, "core.event_mentions"),
        "staging.documents": _read(con, "staging.documents", exclude=("text",)),
        "staging.sections": _read(con, "staging.sections"),
    }


def _inputs_of(con, countries: Sequence[str]) -> list[pl.DataFrame]:
    """(events, mentions, documents without their text, sections) of some countries, read
    from the warehouse sorted by their keys: the frames ``_only`` picks from ``_inputs``,
    without holding every country's."""
    cs = sorted(countries)
    return [
        _read(con, table, where, [cs] * n, exclude) for table, where, n, exclude in SCORING_INPUTS
    ]


def _scored_countries(con) -> set[str]:
    """Every country with documents or events (those a full recompute scores)."""
    return {r[0] for r in con.execute(SCORED_COUNTRIES).fetchall()}


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


def _batches(con, countries: set[str] | None) -> list[list[str]]:
    """The countries to compute (all with documents or events when None), in chunks."""
    return _chunks(_scored_countries(con) if countries is None else countries)


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


def _years(con) -> list[int]:
    """Every year from the first to the last with evidence (as ``score_annual`` picks by
    default), computed on all countries so that a subset scores the same years."""
    first, last = con.execute(EVIDENCE_YEARS).fetchall()[0]
    return list(range(first, last + 1)) if first is not None else []


def _tail_state(tails: dict[str, Tail], countries: Sequence[str], ins: dict[str, str]) -> dict:
    """The recorded tails of ``countries`` (a country without rows: no evidence at all), each
    with the input digest it was computed from."""
    return {
        c: {"in": ins[c], **tails.get(c, Tail(None, {})).to_json()} for c in countries if c in ins
    }


def _previous_quarter(recorded: dict, first: date) -> date | None:
    """The last quarter before ``first`` that rows were recorded for (None: none)."""
    earlier = {k.rsplit("|", 1)[1] for k in recorded} - {""}
    before = [q for q in earlier if q < first.isoformat()]
    return date.fromisoformat(max(before)) if before else None


def _carriable(
    countries: set[str] | None,
    prev: date,
    recorded: dict,
    ins: dict[str, str],
    outs_prev: dict[str, str],
    tails: dict,
) -> set[str]:
    """The countries among ``countries`` whose quarters from the one after ``prev`` on only
    carry their scores forward: inputs unchanged since their rows of ``prev`` and their tail
    were computed, those rows as written, and no evidence after ``prev``."""
    out: set[str] = set()
    for c in countries or ():
        key, tail = f"{c}|{prev.isoformat()}", tails.get(c) or {}
        if c not in ins or tail.get("in") != ins[c]:
            continue
        if recorded.get(key) != [ins[c], outs_prev.get(key, EMPTY_DIGEST)]:
            continue
        if tail.get("last") is None or date.fromisoformat(tail["last"]) <= prev:
            out.add(c)
    return out


def _annual_carriable(
    countries: set[str] | None,
    years: list[int],
    recorded: dict,
    ins: dict[str, str],
    outs: dict[str, str],
    tails: dict,
) -> dict[str, int]:
    """country -> the last year it has rows of, for the countries among ``countries`` whose
    new years only carry their scores forward: inputs unchanged since their rows and tail were
    computed, those rows as written, the years only extended at the end, and no evidence after
    the last year they have rows of."""
    out: dict[str, int] = {}
    for c in countries or ():
        tail = tails.get(c) or {}
        if c not in ins or tail.get("in") != ins[c] or "-" not in tail.get("span", "-"):
            continue
        first, last = (int(y) for y in tail["span"].split("-"))
        code, _, digest = ins[c].partition("|")
        if recorded.get(c) != [f"{code}|{tail['span']}|{digest}", outs.get(c, EMPTY_DIGEST)]:
            continue
        if not years or years[0] != first or years[-1] < last:
            continue
        if tail.get("last") is None or date.fromisoformat(tail["last"]).year <= last:
            out[c] = last
    return out


def _carry_years(con, carried: dict[str, int], years: list[int], tails: dict) -> None:
    """Write the annual rows of the years after each carried country's last one."""
    by_last: dict[int, list[str]] = {}
    for c, last in carried.items():
        by_last.setdefault(last, []).append(c)
    for last, cs in sorted(by_last.items()):
        for batch in _chunks(set(cs)):
            rows = _read(
                con, "marts.freedom_scores_annual", f"year = ? AND {IN_SCOPE}", [last, batch]
            )
            known = {c: Tail.from_json(tails[c]) for c in batch}
            for year in (y for y in years if y > last):
                insert_frame(
                    con,
                    "marts.freedom_scores_annual",
                    conform("marts.freedom_scores_annual", carry_annual(rows, known, year)),
                )


def _score_batch(con, batch: list[str], starts: list[date]) -> dict[str, Tail]:
    """Score a chunk of countries over their whole history, write the rows of ``starts``."""
    tails: dict[str, Tail] = {}
    scores, contributions = score_quarters(*_inputs_of(con, batch), starts, tails=tails)
    insert_frame(con, "marts.freedom_scores", conform("marts.freedom_scores", scores))
    insert_frame(
        con, "marts.score_contributions", conform("marts.score_contributions", contributions)
    )
    return tails


def _carry_batch(
    con, batch: list[str], prev: date, starts: list[date], tails: dict[str, Tail]
) -> None:
    """Write the rows of ``starts`` of countries that only carry their rows of ``prev``."""
    cs, where = [batch], f"period_start = ? AND {IN_SCOPE}"
    scores = _read(con, "marts.freedom_scores", where, [prev, *cs])
    contributions = _read(con, "marts.score_contributions", where, [prev, *cs])
    for start in starts:
        period = quarter_period(start)
        insert_frame(
            con,
            "marts.freedom_scores",
            conform("marts.freedom_scores", carry_scores(scores, tails, period)),
        )
        insert_frame(
            con,
            "marts.score_contributions",
            conform("marts.score_contributions", carry_contributions(contributions, period)),
        )


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
    tail_scope = ScopeState(wh, "freedom_scores_tails")
    with wh.connect() as con:
        # per (country, quarter): the country's inputs, and the rows stored for the quarter
        per_country = digests(con, sql_text("core/scoring_inputs_by_country.sql"))
        by_country = {c: f"{SCORING_CODE}|{d}" for c, d in per_country.items()}
        ins = {f"{c}|{q}": d for c, d in by_country.items() for q in keys}
        outs = digests(con, sql_text("core/quarterly_rows_by_country.sql"), bounds)
        ours = set(keys)
        recorded = scope.load()
        stale_keys = _scope(
            {k: v for k, v in recorded.items() if k.rsplit("|", 1)[1] in ours}, ins, outs
        )
        countries = None if stale_keys is None else {k.rsplit("|", 1)[0] for k in stale_keys}
        # a new quarter has nothing recorded yet (every country in scope), but the countries
        # without evidence after their last recorded quarter only carry their rows forward
        recorded_tails = tail_scope.load() if recorded else {}
        prev = _previous_quarter(recorded, starts[0])
        carried: set[str] = set()
        if prev is not None and recorded_tails:
            outs_prev = digests(
                con,
                sql_text("core/quarterly_rows_by_country.sql"),
                {"start": prev, "end": quarter_period(prev).end + timedelta(days=1)},
            )
            carried = _carriable(
                set(by_country) if countries is None else countries,
                prev,
                recorded,
                by_country,
                outs_prev,
                recorded_tails,
            )
        scored = countries
        if carried:
            scored = (_scored_countries(con) if countries is None else countries) - carried
        where, params = _where(countries, in_range, list(bounds.values()))
        tails: dict[str, Tail] = {}
        # One transaction per chunk of countries (the database holds one chunk's rows
        # uncommitted, not ten million contributions): a run stopped half-way leaves rows
        # that differ from the recorded digests, so the next run recomputes those countries.
        with transaction(con):
            for t in QUARTERLY:
                delete_rows(con, t, where, params)
        for batch in _batches(con, scored):
            with transaction(con):
                tails.update(_score_batch(con, batch, starts))
            tails.update({c: tails.get(c, Tail(None, {})) for c in batch})
        known = {c: Tail.from_json(recorded_tails[c]) for c in carried}
        for batch in _chunks(carried):
            with transaction(con):
                _carry_batch(con, batch, prev, starts, known)
        outs = digests(con, sql_text("core/quarterly_rows_by_country.sql"), bounds)
        written = None if countries is None else {f"{c}|{q}" for c in countries for q in keys}
        _record(scope, recorded, written, ins, outs, lambda k: k.rsplit("|", 1)[1] in ours)
        tail_scope.save({**recorded_tails, **_tail_state(tails, sorted(tails), by_country)})
        # the checks see the whole quarters as written, a chunk of countries at a time (every
        # check compares rows of one country only), with the columns they read (without the
        # sentences, mentions and weights: most of the table's memory)
        span = list(bounds.values())
        events = con.sql("SELECT event_id FROM core.events").pl()

        def parts() -> Iterator[dict[str, pl.DataFrame]]:
            for where, params in _country_slices(con, "marts.freedom_scores", in_range, span):
                yield {
                    "marts.freedom_scores": _read(con, "marts.freedom_scores", where, params),
                    "marts.score_contributions": _read(
                        con, "marts.score_contributions", where, params,
                        UNCHECKED_CONTRIBUTION_COLUMNS,
                    ),
                    "core.events": events,
                }  # fmt: skip

        results = [
            r for t in QUARTERLY
            for r in run_table_checks(context, con, t, partition=partition, parts=parts())
        ]  # fmt: skip
        n_scores, n_contributions = (row_count(con, t, in_range, span) for t in QUARTERLY)
    yield dg.MaterializeResult(
        asset_key=["marts", "freedom_scores"],
        metadata={
            "rows": n_scores,
            "quarters": len(starts),
            "countries_recomputed": -1 if scored is None else len(scored),
            "countries_carried": len(carried),
        },
    )
    yield dg.MaterializeResult(
        asset_key=["marts", "score_contributions"], metadata={"rows": n_contributions}
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
    tail_scope = ScopeState(wh, "freedom_scores_annual_tails")
    with wh.connect() as con:
        years = _years(con)
        span = f"{years[0]}-{years[-1]}" if years else "-"
        per_country = digests(con, sql_text("core/scoring_inputs_by_country.sql"))
        by_country = {c: f"{SCORING_CODE}|{d}" for c, d in per_country.items()}
        ins = {c: f"{SCORING_CODE}|{span}|{d}" for c, d in per_country.items()}
        outs = digests(con, sql_text("core/annual_rows_by_country.sql"))
        recorded = scope.load()
        countries = _scope(recorded, ins, outs)
        recorded_tails = {} if countries is None else tail_scope.load()
        carried = _annual_carriable(countries, years, recorded, by_country, outs, recorded_tails)
        scored = None if countries is None else countries - set(carried)
        where, params = _where(scored)
        tails: dict[str, Tail] = {}
        with transaction(con):  # then one transaction per chunk, as the quarterly scores
            delete_rows(con, "marts.freedom_scores_annual", where, params)
        for batch in _batches(con, scored):
            batch_tails: dict[str, Tail] = {}
            with transaction(con):
                insert_frame(
                    con,
                    "marts.freedom_scores_annual",
                    conform(
                        "marts.freedom_scores_annual",
                        score_annual(*_inputs_of(con, batch), years=years, tails=batch_tails),
                    ),
                )
            tails.update({c: batch_tails.get(c, Tail(None, {})) for c in batch})
        with transaction(con):
            _carry_years(con, carried, years, recorded_tails)
        _record(
            scope,
            recorded,
            countries,
            ins,
            digests(con, sql_text("core/annual_rows_by_country.sql")),
        )
        state = _tail_state(tails, sorted(tails), by_country)
        state.update({c: recorded_tails[c] for c in carried})
        tail_scope.save({**recorded_tails, **{c: {**v, "span": span} for c, v in state.items()}})
        annual = _read(con, "marts.freedom_scores_annual")
        results = run_table_checks(
            context, con, "marts.freedom_scores_annual", {"marts.freedom_scores_annual": annual}
        )
    yield dg.MaterializeResult(
        metadata={
            "rows": annual.height,
            "countries_recomputed": -1 if scored is None else len(scored),
            "countries_carried": len(carried),
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
        ins = {c: f"{ALERTS_CODE}|{d}" for c, d in digests(con, ALERT_INPUTS).items()}
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
