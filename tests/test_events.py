"""Deduplication of mentions into events (core.events). Fixtures written for these tests."""

import random
from datetime import date
from pathlib import Path

from transforms.events import EVENT_COLUMNS, group_events, key_tokens
from transforms.extract import extract_mentions

DDL = Path(__file__).resolve().parents[1] / "sql" / "ddl" / "core_events.sql"


def doc(doc_id: str, country: str = "KGZ", ws: date = date(2021, 9, 1),
        we: date = date(2021, 12, 31), sha: str | None = None) -> dict:
    return {"doc_id": doc_id, "country_iso3": country, "window_start": ws, "window_end": we,
            "sha256": sha or doc_id}


def mention(doc_id: str, start: int, text: str, event_type: str = "EXP_DETENTION",
            status: str = "new", freedom: str = "expression", event_date: date | None = None
            ) -> dict:
    end = start + len(text)
    return {"mention_id": f"{doc_id}:{start}:{end}:{event_type}", "doc_id": doc_id,
            "sentence_no": start, "start": start, "end": end, "text": text,
            "event_type": event_type, "freedom": freedom, "status": status, "actor": "state",
            "target": "journalist", "confidence": 0.7, "event_date": event_date,
            "rule": "test", "extractor_version": "test"}


DOCS = {"a": doc("a"), "b": doc("b"), "c": doc("c", country="KAZ"),
        "old": doc("old", ws=date(2017, 1, 1), we=date(2017, 3, 31))}


def test_summary_and_body_are_one_event():
    ms = [mention("a", 10, "Police detained blogger Talant Osmonov over a post."),
          mention("a", 900, "As noted above, Osmonov was detained on 3rd October 2021 and "
                            "held for two days.", event_date=date(2021, 10, 3)),
          mention("a", 1500, "Police also detained a journalist from a regional newspaper.")]
    out, events = group_events(ms, DOCS)
    ids = [m["event_id"] for m in out]
    assert ids[0] == ids[1] != ids[2]
    ev = next(e for e in events if e["event_id"] == ids[0])
    assert ev["n_mentions"] == 2 and ev["n_documents"] == 1
    assert ev["event_date"] == date(2021, 10, 3) == ev["window_start"] == ev["window_end"]
    assert ev["summary"].startswith("Police detained blogger")
    assert ev["first_mention_id"] == ms[0]["mention_id"]


def test_mirror_copies_and_two_sources_merge():
    same = "Police detained blogger Talant Osmonov over a post."
    ms = [mention("a", 10, same), mention("b", 55, same),
          mention("b", 300, "Osmonov, a blogger, spent two nights in police custody.")]
    out, events = group_events(ms, DOCS)
    assert len({m["event_id"] for m in out}) == 1
    assert events[0]["n_documents"] == 2 and events[0]["doc_ids"] == ["a", "b"]
    assert events[0]["window_start"] == date(2021, 9, 1)


def test_other_country_type_status_or_time_stays_apart():
    text = "Police detained blogger Talant Osmonov over a post."
    ms = [mention("a", 10, text), mention("c", 10, text),
          mention("a", 200, "Osmonov was charged with insulting officials.",
                  event_type="EXP_CRIMINALISATION"),
          mention("a", 400, "There were no reports that Osmonov was detained again.",
                  status="negated"),
          mention("old", 10, text)]
    out, events = group_events(ms, DOCS)
    assert len({m["event_id"] for m in out}) == 5
    assert len(events) == 5


def test_unnamed_mentions_are_not_merged():
    ms = [mention("a", 10, "A journalist was detained in the north."),
          mention("a", 100, "Another journalist was detained in the south.")]
    _, events = group_events(ms, DOCS)
    assert len(events) == 2


def test_ids_are_deterministic():
    ms = [mention("a", 10, "Police detained blogger Talant Osmonov over a post."),
          mention("b", 20, "Osmonov was detained again."),
          mention("a", 500, "A journalist was detained in the north.")]
    first = {m["mention_id"]: m["event_id"] for m in group_events(ms, DOCS)[0]}
    shuffled = ms[:]
    random.Random(3).shuffle(shuffled)
    second = {m["mention_id"]: m["event_id"] for m in group_events(shuffled, DOCS)[0]}
    assert first == second
    assert all(e.startswith("ev_") for e in first.values())


def test_event_rows_follow_the_ddl_and_taxonomy():
    ms = [mention("a", 10, "Draft law on NGO grants, said MP Ilyasova.",
                  event_type="ASC_RESTRICTIVE_LAW", status="proposed", freedom="association"),
          mention("b", 10, "Ilyasova's law on NGO grants was adopted.",
                  event_type="ASC_RESTRICTIVE_LAW", status="new", freedom="association")]
    out, events = group_events(ms, DOCS)
    ddl = DDL.read_text()
    body = ddl[ddl.index("CREATE TABLE"):]
    body = body[body.index("(") + 1:body.rindex(")")]
    cols = [line.split()[0] for line in body.splitlines()
            if line.strip() and not line.strip().startswith("--")]
    assert list(EVENT_COLUMNS) == cols
    assert len(events) == 1
    ev = events[0]
    assert tuple(ev) == EVENT_COLUMNS
    assert ev["status"] == "new"  # the strongest scored status
    assert ev["severity"] == 5 and ev["direction"] == "repressive"
    assert ev["country_iso3"] == "KGZ"
    assert all("event_id" in m for m in out)


def test_missing_document_and_empty_input():
    assert group_events([], {}) == ([], [])
    out, events = group_events([mention("zz", 0, "A journalist was detained.")], {})
    assert events[0]["country_iso3"] == "UNK"
    assert events[0]["window_start"] == date(1970, 1, 1)


def test_key_tokens_skip_sentence_openers_and_generic_words():
    toks = key_tokens("Police detained Talant Osmonov. The President of the Republic spoke.")
    assert "osmonov" in toks and "talant" in toks
    assert "police" not in toks and "president" not in toks and "the" not in toks


def test_grouping_extracted_mentions_end_to_end():
    text = ("Police detained blogger Aidana Serikova over a post on 2nd October 2021.\n"
            "Serikova was detained for two days and released without charge.\n")
    first_end = text.index("\n")
    sentences = [
        {"sentence_no": 1, "section_no": 1, "start": 0, "end": first_end,
         "text": text[:first_end], "text_clean": text[:first_end]},
        {"sentence_no": 2, "section_no": 1, "start": first_end + 1, "end": len(text) - 1,
         "text": text[first_end + 1:-1], "text_clean": text[first_end + 1:-1]},
    ]
    ms = extract_mentions("a", text, [], sentences, period_start=date(2021, 9, 1),
                          period_end=date(2021, 12, 31))
    out, events = group_events(ms, DOCS)
    det = [m for m in out if m["event_type"] == "EXP_DETENTION"]
    assert len(det) == 2 and det[0]["event_id"] == det[1]["event_id"]


def test_pronoun_sentence_continues_the_previous_event():
    a = mention("a", 10, "Police detained blogger Talant Osmonov over a post.")
    b = mention("a", 70, "He remains in custody.")
    a["sentence_no"], b["sentence_no"] = 4, 5
    out, events = group_events([a, b], DOCS)
    assert len(events) == 1 and events[0]["n_mentions"] == 2
