"""The real Kyrgyzstan update of ../shared: its stated period (2022) does not hold its events (2021).

Nothing of ../shared is copied: the test reads the text and the gold mentions in place and builds
the rows the parser and the extractor would produce from them.
"""

import hashlib
import json
import sys
from datetime import date
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "dq"))

import dq_frames  # noqa: E402
from dq_run import failed  # noqa: E402

from expectations import runner  # noqa: E402
from expectations.common import DQParams  # noqa: E402
from transforms.dates import sentence_date  # noqa: E402

DOC = "upd-bbbf073f.txt"


def _frames(shared: Path, published: date | None) -> dict[str, pl.DataFrame]:
    text = (shared / "corpus" / "dev" / "docs" / DOC).read_text(encoding="utf-8")
    meta = next(
        m for m in map(json.loads, (shared / "corpus/dev/gold/metadata.jsonl").open())
        if m["doc"] == DOC
    )
    gold = [m for m in map(json.loads, (shared / "corpus/dev/gold/mentions.jsonl").open())
            if m["doc"] == DOC]
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc_id = "d" + sha[:16]
    good = dq_frames.good()
    doc = good["staging.documents"].row(0, named=True) | {
        "doc_id": doc_id, "sha256": sha, "source": DOC, "country_iso3": meta["country_iso3"],
        "period_start": date.fromisoformat(meta["period_start"]),
        "period_end": date.fromisoformat(meta["period_end"]),
        "window_start": date.fromisoformat(meta["period_start"]),
        "window_end": date.fromisoformat(meta["period_end"]),
        "published": published, "flags": [], "text": text, "title": None,
    }
    base = good["core.event_mentions"].row(0, named=True)
    mentions = [
        base | {
            "mention_id": f"{doc_id}:{m['start']}:{m['end']}:{m['event_type']}", "doc_id": doc_id,
            "sentence_no": i, "start": m["start"], "end": m["end"], "text": m["text"],
            "event_type": m["event_type"], "freedom": m["freedom"], "status": m["status"],
            "actor": m["actor"], "target": m["target"], "event_date": sentence_date(m["text"]),
        }
        for i, m in enumerate(gold)
    ]
    return {
        "staging.documents": pl.DataFrame([doc], schema=good["staging.documents"].schema),
        "staging.sections": pl.DataFrame({"doc_id": [doc_id]}),
        "core.event_mentions": pl.DataFrame(mentions, schema=good["core.event_mentions"].schema),
    }


def test_kyrgyzstan_update_period_is_flagged(shared: Path) -> None:
    frames = _frames(shared, published=None)  # no publication date in the text itself
    params = DQParams(as_of=date(2022, 3, 1))
    out = {o.check_name: o for o in runner.run_checks("core.event_mentions", frames,
                                                      params=params)}
    assert out["core_event_mentions_offsets_match"].success  # gold spans index the text
    o = out["core_event_mentions_dates_in_doc_period"]
    assert not o.success and o.severity == "WARN"
    (ex,) = o.examples
    assert ex["period_start"] == "2022-09-01" and ex["event_date"].startswith("2021-")
    assert ex["dated_mentions"] >= 3 and ex["outside_period"] == ex["dated_mentions"]
    # The crawler knows it was published in January 2022: the period ends after publication.
    frames = _frames(shared, published=date(2022, 1, 31))
    got = failed("staging.documents", frames, params)
    assert "staging_documents_period_after_publication" in got
    assert got["staging_documents_period_after_publication"].examples[0]["doc_id"] == (
        frames["staging.documents"]["doc_id"][0])
