"""core.event_mentions and core.events: coded events with their evidence.

Extraction runs only on documents that have no mentions from the current extractor version (new or
reparsed documents). Grouping into events is a function of each country's mentions and documents
(``transforms.events.group_events`` never joins mentions of two countries), so it runs only for
the countries whose mentions or documents changed since the last run (``ScopeState``); the other
countries' events and mentions are kept as stored. Both tables are written whole, sorted by their
key, so the result is the same, row for row and in the same order, as regrouping everything.
"""

import dagster as dg
import polars as pl

from orchestration import extraction
from orchestration.checks import WarehouseFrames, check_specs, run_table_checks
from orchestration.extraction import extract_all
from orchestration.frames import conform, frame
from orchestration.warehouse import (
    EMPTY_DIGEST,
    ScopeState,
    WarehouseResource,
    code_digest,
    digests,
    frame_digests,
    read_table,
    registered,
    replace_tables,
    sql_text,
    stale,
)
from transforms import events as events_module
from transforms import taxonomy
from transforms.events import group_events, mention_country
from transforms.extract import EXTRACTOR_VERSION

TABLES = ("core.event_mentions", "core.events")


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["core", "event_mentions"],
            group_name="core",
            deps=[["staging", "documents"], ["staging", "sections"], ["staging", "sentences"]],
            description="Event mentions: span, type, freedom, status, actor, target, rule.",
        ),
        dg.AssetSpec(
            ["core", "events"],
            group_name="core",
            deps=[["staging", "documents"], ["staging", "sections"], ["staging", "sentences"]],
            description="Mentions of one real-world event grouped into one event.",
        ),
    ],
    check_specs=[s for t in TABLES for s in check_specs(t)],
    pool="warehouse",
)
def core_events(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    wh = warehouse.get()
    scope = ScopeState(wh, "core_events")
    with wh.connect() as con:
        # what grouping reads of the documents: everything but their texts
        documents = read_table(con, "staging.documents", exclude=["text"]).sort("doc_id")
        todo_ids = (
            con.sql(sql_text("core/documents_to_extract.sql"), params=[EXTRACTOR_VERSION])
            .pl()
            .get_column("doc_id")
            .to_list()
        )
        kept = con.sql(sql_text("core/mentions_to_keep.sql"), params=[EXTRACTOR_VERSION]).pl()
        new = extract_chunks(con, todo_ids)
        extraction.shutdown()  # the workers' memory back before grouping and the checks
        m, e, regrouped, ins = regroup(con, scope, documents, kept, new)
        context.log.info(
            f"extracted {new.height} mentions from {len(todo_ids)} new or changed "
            f"documents; {kept.height} mentions kept; events regrouped for "
            f"{'all' if '*' in regrouped else len(regrouped)} countries"
        )
        del kept, new
        replace_tables(con, {"core.event_mentions": m, "core.events": e})
        outs = _output_digests(con)
        state = {} if "*" in regrouped else scope.load()
        for c in (set(ins) | set(outs)) if "*" in regrouped else regrouped:
            state[c] = [ins.get(c), outs.get(c, EMPTY_DIGEST)]
        scope.save(state)
        results = []
        # the frames just written; any other table a check needs is read, only what it tests
        frames = WarehouseFrames(con, {"core.event_mentions": m, "core.events": e})
        results += run_table_checks(context, con, "core.event_mentions", frames)
        results += run_table_checks(context, con, "core.events", frames)
    yield dg.MaterializeResult(asset_key=["core", "event_mentions"], metadata={"rows": m.height})
    yield dg.MaterializeResult(
        asset_key=["core", "events"],
        metadata={"rows": e.height, "countries_regrouped": len(regrouped)},
    )
    yield from results


_CODE = code_digest(events_module, taxonomy)


def _with_country(mentions: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """Mentions with ``_country``: the country group_events files them under."""
    countries = documents.select("doc_id", pl.col("country_iso3").alias("_country")).unique(
        "doc_id", keep="first"
    )
    return mentions.join(countries, on="doc_id", how="left", maintain_order="left").with_columns(
        pl.col("_country").fill_null(mention_country({}, {}))
    )


def _input_digests(mentions: pl.DataFrame, documents: pl.DataFrame) -> dict[str, str]:
    """country -> digest of what grouping reads: its mentions (without event ids) and its
    documents (without their text), and the grouping code."""
    docs = documents.drop("text", strict=False).with_columns(
        pl.col("country_iso3").fill_null(mention_country({}, {})).alias("_country")
    )
    by_doc = frame_digests(docs, "_country")
    by_mention = frame_digests(mentions, "_country")
    return {
        c: f"{_CODE}|{by_doc.get(c, '')}|{by_mention.get(c, '')}"
        for c in set(by_doc) | set(by_mention)
    }


def _output_digests(con) -> dict[str, str]:
    """country -> digest of the stored events and mentions (a mention under its event's country)."""
    ev = digests(con, "SELECT country_iso3 AS k, hash(t) AS h FROM core.events AS t")
    mn = digests(
        con,
        "SELECT e.country_iso3 AS k, hash(m) AS h FROM core.event_mentions AS m "
        "LEFT JOIN core.events AS e USING (event_id)",
    )
    return {c: f"{ev.get(c, '')}|{mn.get(c, '')}" for c in set(ev) | set(mn)}


EXTRACT_CHUNK = 200  # documents extracted at a time


def extract_chunks(con, doc_ids: list[str]) -> pl.DataFrame:
    """Mentions of these documents (core.event_mentions columns, no event id yet), extracted a
    chunk of documents at a time so that only one chunk's rows are ever held as dicts."""
    parts = [frame("core.event_mentions", [])]
    where = "doc_id IN (SELECT doc_id FROM _todo)"
    for i in range(0, len(doc_ids), EXTRACT_CHUNK):
        with registered(
            con,
            "_todo",
            pl.DataFrame({"doc_id": doc_ids[i : i + EXTRACT_CHUNK]}, schema={"doc_id": pl.String}),
        ):
            docs = read_table(con, "staging.documents", where).sort("doc_id")
            sections = read_table(con, "staging.sections", where)
            sentences = read_table(con, "staging.sentences", where)
        parts.append(
            frame(
                "core.event_mentions",
                extract_all(docs.to_dicts(), sections.to_dicts(), sentences.to_dicts()),
            )
        )
    return pl.concat(parts)


def regroup(
    con, scope: ScopeState, documents: pl.DataFrame, kept: pl.DataFrame, new: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, set[str], dict[str, str]]:
    """(mentions, events) as grouping every mention would give, both sorted by their key; the
    countries regrouped (``{"*"}``: all of them); the input digest of every country."""
    incoming = pl.concat(
        [
            conform("core.event_mentions", kept).drop("event_id"),
            conform("core.event_mentions", new).drop("event_id"),
        ]
    ).sort("mention_id")
    incoming = _with_country(incoming, documents)
    recorded = scope.load()
    ins = _input_digests(incoming, documents)
    dirty = stale(recorded, ins, _output_digests(con)) if recorded else {"*"}
    docs = {d["doc_id"]: d for d in documents.drop("text", strict=False).to_dicts()}
    if "*" in dirty:
        todo, keep_m, keep_e = incoming, kept.clear(), None
    else:
        todo = incoming.filter(pl.col("_country").is_in(sorted(dirty)))
        keep_m = (
            _with_country(kept, documents)
            .filter(~pl.col("_country").is_in(sorted(dirty)))
            .drop("_country")
        )
        keep_e = read_table(con, "core.events").filter(
            ~pl.col("country_iso3").fill_null("").is_in(sorted(dirty))
        )
    # one country at a time (grouping never joins two countries): only one country's
    # mentions are ever held as dicts
    parts_m = [conform("core.event_mentions", keep_m)]
    parts_e = [frame("core.events", []) if keep_e is None else conform("core.events", keep_e)]
    for _, part in todo.group_by("_country", maintain_order=True):
        mentions, events = group_events(part.drop("_country").to_dicts(), docs)
        parts_m.append(frame("core.event_mentions", mentions))
        parts_e.append(frame("core.events", events))
    return (pl.concat(parts_m).sort("mention_id"), pl.concat(parts_e).sort("event_id"), dirty, ins)
