"""staging.documents, staging.sections, staging.sentences: parsed, normalised documents."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from orchestration.checks import WarehouseFrames, check_specs, run_table_checks
from orchestration.frames import frame
from orchestration.warehouse import (
    WarehouseResource,
    delete_rows,
    insert_frame,
    registered,
    row_count,
    sql_text,
    transaction,
)
from transforms.parse import PARSER_VERSION, ParseError, parse_document

TABLES = ("staging.documents", "staging.sections", "staging.sentences")
PARSE_CHUNK = 250  # raw documents parsed and inserted at a time


def parse_all(raw_rows: list[dict], now: datetime) -> tuple[dict[str, list[dict]], list[dict]]:
    """Parse raw rows; a document that fails becomes a quarantine row with the parser's reason."""
    out: dict[str, list[dict]] = {t: [] for t in TABLES}
    refused: list[dict] = []
    for r in raw_rows:
        try:
            doc, sections, sentences = parse_document(
                r["content"],
                r["format"],
                sha256=r["sha256"],
                source=r["source"],
                source_url=r["source_url"],
            )
        except ParseError as e:
            refused.append(
                {
                    "file": r["source"],
                    "sha256": r["sha256"],
                    "stage": "parse",
                    "reason": e.reason,
                    "detail": e.detail,
                    "first_seen": now,
                    "seen_at": now,
                }
            )
            continue
        except Exception as e:  # a parser bug must not stop the run nor lose the document
            refused.append(
                {
                    "file": r["source"],
                    "sha256": r["sha256"],
                    "stage": "parse",
                    "reason": "parser_error",
                    "detail": f"{type(e).__name__}: {e}"[:500],
                    "first_seen": now,
                    "seen_at": now,
                }
            )
            continue
        out["staging.documents"].append(doc)
        out["staging.sections"].extend(sections)
        out["staging.sentences"].extend(sentences)
    return out, refused


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["staging", "documents"],
            deps=[["raw", "documents"]],
            group_name="staging",
            description="One row per parsed document: country, stated period, published, flags.",
        ),
        dg.AssetSpec(
            ["staging", "sections"],
            deps=[["raw", "documents"]],
            group_name="staging",
            description="Sections of each document with the freedom they are about.",
        ),
        dg.AssetSpec(
            ["staging", "sentences"],
            deps=[["raw", "documents"]],
            group_name="staging",
            description="Every sentence with exact character offsets into the document text.",
        ),
    ],
    check_specs=[s for t in TABLES for s in check_specs(t)],
    pool="warehouse",
)
def staging_documents(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    now = datetime.now(UTC).replace(tzinfo=None)
    with warehouse.get().connect() as con:
        todo = f"SELECT sha256 FROM ({sql_text('staging/documents_to_parse.sql')})"  # noqa: S608
        shas = sorted(r[0] for r in con.execute(todo, [PARSER_VERSION]).fetchall())
        counts = {t: 0 for t in TABLES}
        n_refused = 0
        doc_ids = (
            "doc_id IN (SELECT doc_id FROM staging.documents "
            "WHERE sha256 IN (SELECT sha256 FROM _chunk))"
        )
        # A chunk of documents at a time, each in its own transaction: delete-then-insert per
        # document (reparsing with a new parser version replaces the old rows), so memory, and the
        # database's uncommitted rows, stay those of a chunk whatever the corpus; a run stopped
        # half-way leaves whole documents, and the next one parses the rest.
        for i in range(0, len(shas), PARSE_CHUNK):
            chunk = pl.DataFrame({"sha256": shas[i : i + PARSE_CHUNK]})
            with registered(con, "_chunk", chunk):
                raw_rows = con.sql(
                    "SELECT sha256, source, source_url, format, content FROM raw.documents "
                    "WHERE sha256 IN (SELECT sha256 FROM _chunk) ORDER BY sha256"
                ).pl()
                parsed, refused = parse_all(raw_rows.to_dicts(), now)
                del raw_rows
                with transaction(con):
                    for t in ("staging.sentences", "staging.sections"):
                        delete_rows(con, t, doc_ids)
                    delete_rows(con, "staging.documents", "sha256 IN (SELECT sha256 FROM _chunk)")
                    delete_rows(
                        con,
                        "raw.quarantine",
                        "stage = 'parse' AND sha256 IN (SELECT sha256 FROM _chunk)",
                    )
                    for t in TABLES:
                        insert_frame(con, t, frame(t, parsed[t]))
                        counts[t] += len(parsed[t])
                    insert_frame(con, "raw.quarantine", frame("raw.quarantine", refused))
            n_refused += len(refused)
            del parsed, refused
        frames = WarehouseFrames(con)  # the checks read the columns they test
        results = [r for t in TABLES for r in run_table_checks(context, con, t, frames)]
        rows = {t: row_count(con, t) for t in TABLES}
    for t in TABLES:
        yield dg.MaterializeResult(
            asset_key=t.split("."),
            metadata={"rows": rows[t], "parsed_this_run": counts[t]},
        )
    context.log.info(f"parsed {counts['staging.documents']} documents, refused {n_refused}")
    yield from results
