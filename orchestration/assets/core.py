"""core.event_mentions and core.events: coded events with their evidence.

Extraction runs only on documents that have no mentions from the current extractor version (new or
reparsed documents); grouping into events runs over every mention, since one event can be told by
several documents. The result is the same as a full recomputation.
"""

import dagster as dg

from orchestration.checks import check_specs, run_table_checks
from orchestration.frames import frame
from orchestration.warehouse import (
    WarehouseResource,
    read_table,
    registered,
    replace_tables,
    sql_text,
)
from transforms.events import group_events
from transforms.extract import EXTRACTOR_VERSION, extract_mentions

TABLES = ("core.event_mentions", "core.events")


def extract_all(documents: list[dict], sections: list[dict], sentences: list[dict]) -> list[dict]:
    by_doc_sections: dict[str, list[dict]] = {}
    by_doc_sentences: dict[str, list[dict]] = {}
    for s in sections:
        by_doc_sections.setdefault(s["doc_id"], []).append(s)
    for s in sentences:
        by_doc_sentences.setdefault(s["doc_id"], []).append(s)
    mentions: list[dict] = []
    for d in documents:
        mentions.extend(
            extract_mentions(
                d["doc_id"], d["text"],
                sorted(by_doc_sections.get(d["doc_id"], []), key=lambda r: r["section_no"]),
                sorted(by_doc_sentences.get(d["doc_id"], []), key=lambda r: r["sentence_no"]),
                # the evidence window: the stated period, corrected by the parser when the
                # events say otherwise (a stated 2022 for events of 2021)
                period_start=d["window_start"], period_end=d["window_end"], kind=d["kind"],
            )
        )
    return mentions


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["core", "event_mentions"], group_name="core",
                     deps=[["staging", "documents"], ["staging", "sections"], ["staging", "sentences"]],
                     description="Event mentions: span, type, freedom, status, actor, target, rule."),
        dg.AssetSpec(["core", "events"], group_name="core",
                     deps=[["staging", "documents"], ["staging", "sections"], ["staging", "sentences"]],
                     description="Mentions of one real-world event grouped into one event."),
    ],
    check_specs=[s for t in TABLES for s in check_specs(t)],
    pool="warehouse",
)
def core_events(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    with warehouse.get().connect() as con:
        documents = read_table(con, "staging.documents").sort("doc_id")
        todo = con.sql(sql_text("core/documents_to_extract.sql"), params=[EXTRACTOR_VERSION]).pl()
        kept = con.sql(sql_text("core/mentions_to_keep.sql"), params=[EXTRACTOR_VERSION]).pl()
        todo_ids = todo.get_column("doc_id").to_list()
        scope = "doc_id IN (SELECT doc_id FROM _todo)"
        with registered(con, "_todo", todo.select("doc_id")):
            sections = read_table(con, "staging.sections", scope)
            sentences = read_table(con, "staging.sentences", scope)
        new = extract_all(todo.to_dicts(), sections.to_dicts(), sentences.to_dicts())
        mentions = sorted(kept.drop("event_id").to_dicts() + new, key=lambda m: m["mention_id"])
        docs = {d["doc_id"]: d for d in documents.to_dicts()}
        mentions, events = group_events(mentions, docs)
        context.log.info(f"extracted {len(new)} mentions from {len(todo_ids)} new or changed "
                         f"documents; {kept.height} mentions kept")
        m = frame("core.event_mentions", mentions)
        e = frame("core.events", events)
        replace_tables(con, {"core.event_mentions": m, "core.events": e})
        results = []
        frames = {"staging.documents": documents,
                  "staging.sentences": read_table(con, "staging.sentences"),
                  "core.event_mentions": m, "core.events": e}
        results += run_table_checks(context, con, "core.event_mentions", frames)
        results += run_table_checks(context, con, "core.events", frames)
    yield dg.MaterializeResult(asset_key=["core", "event_mentions"], metadata={"rows": m.height})
    yield dg.MaterializeResult(asset_key=["core", "events"], metadata={"rows": e.height})
    yield from results
