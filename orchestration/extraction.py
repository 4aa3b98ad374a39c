"""Extraction of many documents, on every core of the machine.

``transforms.extract.extract_mentions`` is pure Python, one document at a time: on a 2-core
machine one process leaves a core idle. :func:`extract_all` hands slices of the documents to a
pool of worker processes (started with ``spawn``: fresh interpreters, never a copy of a
process running Dagster's and DuckDB's threads; like any ``spawn`` worker they import the
program's main module again, so a script using this needs the ``if __name__ == "__main__"``
guard) and concatenates their mentions in the order of the documents, so the result is the
same list, mention for mention, as one process gives. Few documents, or
``CIVICSPACE_EXTRACT_WORKERS=1``, run in this process; a pool that breaks (a worker killed, a
script without the guard) is replaced by extraction in this process.
"""

import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from transforms.extract import extract_mentions

MIN_PARALLEL_DOCS = 40  # below this a pool costs more than it saves
SLICES_PER_WORKER = 4  # slices of documents per worker and call: evens out long documents

_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def workers() -> int:
    """Worker processes: ``CIVICSPACE_EXTRACT_WORKERS``, else one per core (at most 8)."""
    configured = os.environ.get("CIVICSPACE_EXTRACT_WORKERS", "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    affinity = getattr(os, "sched_getaffinity", None)
    cores = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    return max(1, min(8, cores))


def _pool_of(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        shutdown()
        _pool = ProcessPoolExecutor(size, mp_context=multiprocessing.get_context("spawn"))
        _pool_size = size
    return _pool


def _ready(_: int) -> bool:
    return True


def start(n_workers: int | None = None) -> None:
    """Start the worker processes now (each imports the extractor, and the program's main
    module, as ``spawn`` does): the first extraction then does not wait for them."""
    size = workers() if n_workers is None else n_workers
    if size > 1:
        list(_pool_of(size).map(_ready, range(size * 2)))


@atexit.register
def shutdown() -> None:
    """Stop the worker processes (at exit, or when the pool is resized)."""
    global _pool, _pool_size
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
    _pool, _pool_size = None, 0


def _extract_slice(items: list[tuple[dict, list[dict], list[dict]]]) -> list[dict]:
    """The mentions of a slice of documents (document, its sections, its sentences), in order."""
    mentions: list[dict] = []
    for d, sections, sentences in items:
        mentions.extend(
            extract_mentions(
                d["doc_id"],
                d["text"],
                sorted(sections, key=lambda r: r["section_no"]),
                sorted(sentences, key=lambda r: r["sentence_no"]),
                # the evidence window: the stated period, corrected by the parser when the
                # events say otherwise (a stated 2022 for events of 2021)
                period_start=d["window_start"],
                period_end=d["window_end"],
                kind=d["kind"],
            )
        )
    return mentions


def extract_all(
    documents: list[dict], sections: list[dict], sentences: list[dict], n_workers: int | None = None
) -> list[dict]:
    """Mentions of ``documents`` (rows of staging.documents with their sections and sentences),
    in document order: the same list whatever the number of workers."""
    by_doc_sections: dict[str, list[dict]] = {}
    by_doc_sentences: dict[str, list[dict]] = {}
    for s in sections:
        by_doc_sections.setdefault(s["doc_id"], []).append(s)
    for s in sentences:
        by_doc_sentences.setdefault(s["doc_id"], []).append(s)
    fields = ("doc_id", "text", "window_start", "window_end", "kind")
    items = [
        (
            {k: d[k] for k in fields},
            by_doc_sections.get(d["doc_id"], []),
            by_doc_sentences.get(d["doc_id"], []),
        )
        for d in documents
    ]
    size = workers() if n_workers is None else n_workers
    if size <= 1 or len(items) < MIN_PARALLEL_DOCS:
        return _extract_slice(items)
    step = -(-len(items) // (size * SLICES_PER_WORKER))
    slices = [items[i : i + step] for i in range(0, len(items), step)]
    try:
        parts = list(_pool_of(size).map(_extract_slice, slices))
    except BrokenProcessPool:  # a worker died (killed, out of memory): do it here instead
        shutdown()
        return _extract_slice(items)
    return [m for part in parts for m in part]
