"""Extraction on several worker processes gives the mentions one process gives, in order."""

from pathlib import Path

import pytest

from orchestration import extraction
from transforms.ingest import read_landing_bytes
from transforms.parse import parse_document

INBOX = Path(__file__).resolve().parents[1] / "samples" / "inbox"


def _parsed() -> tuple[list[dict], list[dict], list[dict]]:
    docs, sections, sentences = [], [], []
    for path in sorted(INBOX.iterdir()):
        incoming, _ = read_landing_bytes(path.name, path.read_bytes())
        for d in incoming:
            doc, secs, sents = parse_document(d.content, d.format, sha256=d.sha256,
                                              source=d.source, source_url=None)  # fmt: skip
            docs.append(doc)
            sections += secs
            sentences += sents
    return docs, sections, sentences


@pytest.fixture
def small_pool(monkeypatch):
    monkeypatch.setattr(extraction, "MIN_PARALLEL_DOCS", 1)
    yield
    extraction.shutdown()


def test_workers_give_the_same_mentions_in_the_same_order(small_pool):
    docs, sections, sentences = _parsed()
    assert len(docs) >= 5
    alone = extraction.extract_all(docs, sections, sentences, n_workers=1)
    assert alone  # the sample updates report events
    assert extraction.extract_all(docs, sections, sentences, n_workers=2) == alone
    assert extraction.extract_all(docs, sections, sentences, n_workers=3) == alone


def test_few_documents_or_one_worker_stay_in_this_process(monkeypatch):
    monkeypatch.setattr(extraction, "_pool_of", lambda size: pytest.fail("no pool expected"))
    docs, sections, sentences = _parsed()
    extraction.extract_all(docs[:1], sections, sentences, n_workers=4)  # below MIN_PARALLEL_DOCS
    monkeypatch.setenv("CIVICSPACE_EXTRACT_WORKERS", "1")
    assert extraction.workers() == 1
    extraction.extract_all(docs * 20, sections, sentences)


def test_a_broken_pool_falls_back_to_this_process(small_pool, monkeypatch):
    from concurrent.futures.process import BrokenProcessPool

    class Broken:
        def map(self, fn, items):
            raise BrokenProcessPool("a worker was killed")

    docs, sections, sentences = _parsed()
    alone = extraction.extract_all(docs, sections, sentences, n_workers=1)
    monkeypatch.setattr(extraction, "_pool_of", lambda size: Broken())
    assert extraction.extract_all(docs, sections, sentences, n_workers=2) == alone


def test_workers_started_ahead_serve_the_next_extraction(small_pool):
    docs, sections, sentences = _parsed()
    extraction.start(2)
    assert extraction._pool is not None and extraction._pool_size == 2
    alone = extraction.extract_all(docs, sections, sentences, n_workers=1)
    assert extraction.extract_all(docs, sections, sentences, n_workers=2) == alone
