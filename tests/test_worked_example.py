"""The worked example of docs/methodology.md, section 9, computed by the real code.

The sample update samples/inbox/georgia-2024q1.txt (ours), parsed by the real parser, with its
events coded by hand per the codebook. If the method changes, this test fails until the
document's numbers are updated with it.
"""

from datetime import date

import polars as pl
import pytest

from orchestration.settings import SAMPLE_INBOX
from transforms.ingest import read_landing_bytes
from transforms.method import METHOD
from transforms.parse import parse_document
from transforms.scoring import BASELINE_ID, score_quarters

Q1 = date(2024, 1, 1)
# (event_id, type, status, actor, a phrase of its sentence in the update)
CODED = [
    ("bill", "ASC_RESTRICTIVE_LAW", "proposed", "state", "would punish organisations"),
    ("smear", "ASC_STIGMATISATION", "new", "state", "serving foreign masters\" and"),
    ("tax", "ASC_HARASSMENT", "new", "state", "tax inspectors visited"),
    ("march", "ASM_PEACEFUL_PROTEST", "new", "non_state", "marched peacefully from"),
]


def worked_example() -> tuple[pl.DataFrame, pl.DataFrame]:
    path = SAMPLE_INBOX / "georgia-2024q1.txt"
    inc = read_landing_bytes(path.name, path.read_bytes())[0][0]
    doc, sections, _ = parse_document(inc.content, inc.format, sha256=inc.sha256,
                                      source=inc.source)  # fmt: skip
    text, doc_id = doc["text"], doc["doc_id"]
    events, mentions = [], []
    for eid, etype, status, actor, phrase in CODED:
        start = text.index(phrase)
        freedom = "association" if etype.startswith("ASC") else "assembly"
        events.append({
            "event_id": eid, "country_iso3": "GEO", "event_type": etype, "freedom": freedom,
            "status": status, "actor": actor, "target": "organisation", "severity": None,
            "direction": None, "event_date": None, "window_start": Q1,
            "window_end": date(2024, 3, 31), "doc_ids": [doc_id], "first_mention_id": f"m-{eid}",
            "summary": phrase,
        })  # fmt: skip
        mentions.append({
            "mention_id": f"m-{eid}", "doc_id": doc_id, "text": phrase, "freedom": freedom,
            "status": status, "actor": actor, "target": "organisation", "confidence": 1.0,
            "start": start, "rule": "hand", "event_id": eid,
        })  # fmt: skip
    docs = pl.DataFrame([{"doc_id": doc_id, "country_iso3": "GEO", "window_start": Q1,
                          "window_end": date(2024, 3, 31)}])  # fmt: skip
    secs = pl.DataFrame([{k: s[k] for k in ("section_no", "freedom", "start", "end")}
                         | {"doc_id": doc_id} for s in sections])  # fmt: skip
    ev = pl.DataFrame(events, schema_overrides={"severity": pl.Int32, "direction": pl.String,
                                                "event_date": pl.Date})  # fmt: skip
    return score_quarters(ev, pl.DataFrame(mentions), docs, secs, [Q1, date(2024, 4, 1)])


def test_worked_example_matches_the_methodology() -> None:
    scores, contrib = worked_example()
    asc = scores.filter(pl.col("freedom") == "association").sort("period_start")
    q1, q2 = asc.row(0, named=True), asc.row(1, named=True)
    assert q1["score"] == pytest.approx(72.45, abs=0.005)
    assert q1["band"] == "narrowed"
    assert (round(q1["score_low"], 1), round(q1["score_high"], 1)) == (0.5, 99.9)
    points = {r["event_id"]: round(r["points"], 2)
              for r in contrib.filter((pl.col("freedom") == "association")
                                      & (pl.col("period") == "2024Q1")).iter_rows(named=True)}
    assert points == {BASELINE_ID: 89.6, "bill": -4.34, "smear": -5.78, "tax": -8.67,
                      "march": 1.64}  # fmt: skip
    assert q2["carried_forward"] and q2["score"] == q1["score"]
    assert q2["score_low"] < q1["score_low"] and q2["score_high"] > q1["score_high"]
    others = scores.filter(pl.col("period") == "2024Q1")
    got = dict(zip(others["freedom"], [round(s, 1) for s in others["score"]], strict=True))
    assert got == {"association": 72.5, "assembly": 82.8, "expression": 81.9}
    assert METHOD.version == "score-2026.11.4"


if __name__ == "__main__":  # prints the numbers the methodology quotes
    s, c = worked_example()
    print(s.select("period", "freedom", "score", "score_low", "score_high", "band",
                   "carried_forward"))  # fmt: skip
    print(c.filter(pl.col("freedom") == "association").select("period", "event_id", "weight",
                                                                "points"))  # fmt: skip
