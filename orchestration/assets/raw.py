"""raw.documents and raw.quarantine: what arrived in the landing folder, kept immutably."""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from orchestration.checks import WarehouseFrames, check_specs, run_table_checks
from orchestration.frames import frame
from orchestration.landing import CrawlRejection, LandedFile, Refused, scan
from orchestration.resources import LandingResource
from orchestration.warehouse import (
    WarehouseResource,
    read_table,
    registered,
    row_count,
    sql_text,
    transaction,
)
from transforms.ingest import link_near_duplicates, read_landing_bytes

INSERT_CHUNK = 500  # new documents upserted (and committed) at a time


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def collect(landing: LandingResource, now: datetime) -> tuple[list[dict], list[dict]]:
    """Read the landing folder into document rows (one per distinct content) and quarantine rows."""
    docs: dict[str, dict] = {}
    refused: dict[tuple[str, str, str], dict] = {}

    def refuse(file: str, sha: str | None, stage: str, reason: str, detail: str) -> None:
        refused[(file, stage, reason)] = {
            "file": file,
            "sha256": sha,
            "stage": stage,
            "reason": reason,
            "detail": detail,
            "first_seen": now,
            "seen_at": now,
        }

    for item in scan(landing.path, max_bytes=landing.max_bytes):
        if isinstance(item, Refused):
            refuse(item.name, None, "ingest", item.reason, item.detail)
        elif isinstance(item, CrawlRejection):
            refuse(item.url, None, "crawl", item.reason, item.detail)
        elif isinstance(item, LandedFile):
            incoming, rejected = read_landing_bytes(
                item.name,
                item.data,
                max_bytes=landing.max_bytes,
                source_url=item.source_url,
                fetched_at=item.fetched_at,
            )
            for r in rejected:
                refuse(r.file, r.sha256, r.stage, r.reason, r.detail)
            for d in incoming:
                if d.sha256 in docs:  # the same content dropped twice: one document
                    continue
                docs[d.sha256] = {
                    "sha256": d.sha256,
                    "source": d.source,
                    "source_url": d.source_url,
                    "format": d.format,
                    "size_bytes": d.size_bytes,
                    "encoding": d.encoding,
                    "content": d.content,
                    "near_duplicate_of": None,
                    "fetched_at": d.fetched_at,
                    "first_seen": now,
                    "last_seen": now,
                }
    return list(docs.values()), list(refused.values())


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["raw", "documents"],
            group_name="raw",
            description="One row per distinct document content (SHA-256), immutable.",
        ),
        dg.AssetSpec(
            ["raw", "quarantine"],
            group_name="raw",
            description="Every file or record that could not be used, with the reason.",
        ),
    ],
    check_specs=check_specs("raw.documents") + check_specs("raw.quarantine"),
    pool="warehouse",
)
def raw_documents(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, landing: LandingResource
):
    now = _now()
    docs, refused = collect(landing, now)
    with warehouse.get().connect() as con:
        known = {r[0] for r in con.execute("SELECT sha256 FROM raw.documents").fetchall()}
        new = [d for d in docs if d["sha256"] not in known]
        # Mirror copies: a new document nearly identical to one already known (or to an earlier new
        # one) is linked to it; it is kept in raw but not parsed again downstream.
        candidates = read_table(
            con, "raw.documents", "format <> 'fiw_json' AND near_duplicate_of IS NULL"
        )
        pairs = [(r["sha256"], r["content"]) for r in candidates.iter_rows(named=True)]
        pairs += [(d["sha256"], d["content"]) for d in new if d["format"] != "fiw_json"]
        links = link_near_duplicates(pairs)
        for d in new:
            d["near_duplicate_of"] = links.get(d["sha256"])
        seen = [d["sha256"] for d in docs if d["sha256"] in known]
        n_new, n_seen = len(new), len(docs)
        # New documents a chunk at a time, each chunk committed: the database holds one chunk's
        # texts in a transaction, not the whole corpus (raw rows are immutable and upserted by
        # content, so a run stopped half-way leaves whole documents that the next run keeps).
        for i in range(0, len(new), INSERT_CHUNK):
            with transaction(con), registered(
                con, "_incoming", frame("raw.documents", new[i : i + INSERT_CHUNK])
            ):
                con.execute(sql_text("raw/upsert_documents.sql"))
        with transaction(con):
            if refused:
                with registered(con, "_incoming", frame("raw.quarantine", refused)):
                    con.execute(sql_text("raw/upsert_quarantine.sql"))
            if seen:
                with registered(con, "_seen", pl.DataFrame({"sha256": seen})):
                    con.execute(sql_text("raw/touch_documents.sql"), [now])
        del docs, new, pairs, candidates
        frames = WarehouseFrames(con)  # the checks read the columns they test
        results = run_table_checks(context, con, "raw.documents", frames)
        results += run_table_checks(context, con, "raw.quarantine", frames)
        n_documents = row_count(con, "raw.documents")
        n_quarantine = row_count(con, "raw.quarantine")
    yield dg.MaterializeResult(
        asset_key=["raw", "documents"],
        metadata={"documents": n_documents, "new": n_new, "seen_this_run": n_seen},
    )
    yield dg.MaterializeResult(
        asset_key=["raw", "quarantine"],
        metadata={"rows": n_quarantine, "refused_this_run": len(refused)},
    )
    yield from results
