"""The extractor's fast paths decide exactly what the plain definitions decide.

Throughput work (issue 10) added memo tables, quick rejections and precomputed lookups to the
lexicon scan, the type rules and the date checks. These tests hold each shortcut to the plain
definition it replaces, and check that warm caches never change a result. No timings here.
Every sentence is written for these tests (no text from ../shared).
"""

import gzip
import json
from collections import Counter
from datetime import date
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_extract import _naive_scan
from transforms.dates import sentence_date
from transforms.extract import (
    _MONTH_NAME,
    _confidence,
    _event_date,
    _timing,
    extract_mentions,
)
from transforms.rules import analysis
from transforms.rules.analysis import CLAUSE_WORDS, Analysis, analyse, analyse_many
from transforms.rules.lexicon import ENTRIES, LEXICON, SCOPE_ENTRIES, SCOPE_LEXICON
from transforms.rules.scan import MARK, build, tokens
from transforms.rules.types import type_hits

SENTENCES = [
    "Police detained three journalists who covered the protest in the capital in May 2021.",
    "The draft law would oblige NGOs to register as foreign agents; critics called it a smear.",
    "Members of the media faced harassment, and the authorities have not investigated attacks.",
    "Freedom of assembly is generally respected, although a rally was dispersed on 3 March 2022.",
    "The court struck down the law that restricted associations, which rights groups welcomed.",
    "Bloggers can be jailed for posts criticising officials under the 2019 cybercrime code.",
    "In November, protesters blocked roads; police used tear gas and rubber bullets.",
    "No one has been held accountable for the 2018 murder of an investigative reporter.",
]


def test_a_warm_lexicon_scans_as_a_fresh_one() -> None:
    """The memo tables (entries per token, phrases per next token) never change a result:
    the same words scanned by a fresh lexicon, twice, and by the shared warm one agree, hit
    for hit and in the same order."""
    for entries, shared in ((ENTRIES, LEXICON), (SCOPE_ENTRIES, SCOPE_LEXICON)):
        fresh = build(entries)
        for s in SENTENCES:
            words = tokens(s)
            first = fresh.scan(words)
            assert fresh.scan(words) == first
            assert shared.scan(words) == first
            assert Counter(first) == Counter(_naive_scan(fresh, words))


def test_scan_of_words_no_phrase_involves_is_empty() -> None:
    lex = build(ENTRIES)
    assert lex.scan(["zzqx", "qqq", "1234", ";"]) == []
    assert lex.starting("zzqx") == ()


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "the",
                "law",
                "has",
                "have",
                "not",
                "investigated",
                "members",
                "of",
                "media",
                "free",
                "from",
                "generally",
                "respected",
                "for",
                "posts",
                "police",
                "arrested",
                "journalists",
                ";",
                MARK,
                "may",
                "also",
                "be",
                "affected",
                "years",
                "in",
                "prison",
                "zzqx",
            ]
        ),
        max_size=30,
    )
)
def test_a_fresh_lexicon_and_the_warm_one_agree_on_any_words(words: list[str]) -> None:
    fresh = build(ENTRIES)
    assert fresh.scan(words) == LEXICON.scan(words)
    assert Counter(fresh.scan(words)) == Counter(_naive_scan(fresh, words))


def _clauses(words: list[str]) -> list[int]:
    out = list(accumulate(map(CLAUSE_WORDS.__contains__, words), initial=0))
    return out[1:]


def test_clause_numbers_with_and_without_clause_words() -> None:
    for words in (
        [],
        ["police", "arrested", "him"],
        ["he", "left", ";", "but", "she", "stayed"],
        ["which", "who"],
        ["a", "b", "while"],
    ):
        assert Analysis(list(words)).clause_of == _clauses(list(words))


def test_confidence_table_equals_the_formula() -> None:
    for inherited in (False, True):
        for cue in ("default", "present_tense", "dated_in_period", "negation"):
            for n in (1, 3, 4, 7):
                c = (
                    0.7
                    - (0.15 if inherited else 0)
                    - (0.05 if cue in ("default", "present_tense") else 0)
                    - (0.1 if n > 3 else 0)
                )
                assert _confidence(inherited, cue, n) == round(max(c, 0.3), 2)


DATED = [
    "On 29th September 2021, she was summoned.",
    "On September 29, 2021 the station closed.",
    "The raid took place on 2021-09-29 at dawn.",
    "A pre-trial hearing was held in 2021.",
    "In May 2020 the law was passed.",
    "Journalists may be detained, as in 2019.",
    "In November, police dispersed a rally; it happened again in 2022.",
    "Nothing is dated here.",
]


def test_event_date_gate_equals_sentence_date() -> None:
    for s in DATED:
        has_year = any(str(y) in s for y in range(1950, 2050))
        has_month = _MONTH_NAME.search(s) is not None
        assert _event_date(s, has_year, has_month) == (sentence_date(s) if has_year else None)


def test_timing_with_a_precomputed_month_flag_equals_timing_without() -> None:
    start, end = date(2021, 1, 1), date(2021, 12, 31)
    for s in DATED:
        words = tokens(s)
        for report in (False, True):
            plain = _timing(s, start, end, report, words)
            assert (
                _timing(s, start, end, report, words, None, _MONTH_NAME.search(s) is not None)
                == plain
            )
            assert _timing(s, start, end, report) == plain


def test_type_hits_are_the_same_on_a_second_call_and_a_fresh_analysis() -> None:
    """Memos on the analysis (distances, word set, clauses) do not change the rules' answer."""
    for s in SENTENCES:
        a = analyse(s)
        first = type_hits(a)
        assert type_hits(a) == first
        assert type_hits(analyse(s)) == first


def test_analyse_many_equals_analyse_sentence_by_sentence() -> None:
    many = analyse_many(SENTENCES + ["", "zzqx qqq"])
    for text, a in zip(SENTENCES + ["", "zzqx qqq"], many, strict=True):
        b = analyse(text)
        assert (a.words, a.pos, a.spans) == (b.words, b.pos, b.spans)


def _doc(sentences: list[str]) -> tuple[str, list[dict], list[dict]]:
    text, rows, pos = "", [], 0
    for i, s in enumerate(sentences, 1):
        rows.append(
            {
                "sentence_no": i,
                "section_no": 1 + i // 4,
                "start": pos,
                "end": pos + len(s),
                "text": s,
                "text_clean": s,
            }
        )
        text += s + "\n"
        pos += len(s) + 1
    sections = [
        {
            "section_no": n,
            "heading": None,
            "code": None,
            "freedom": f,
            "assigned_by": "content",
            "start": 0,
            "end": len(text),
        }
        for n, f in ((1, "general"), (2, "expression"), (3, "general"))
    ]
    return text, sections, rows


def test_extraction_does_not_depend_on_what_was_extracted_before(monkeypatch) -> None:
    """A document extracted with cold lexicons, then again after others (warm caches), and
    with its sentences given out of order, yields the same rows."""
    monkeypatch.setattr(analysis, "LEXICON", build(ENTRIES))
    monkeypatch.setattr(analysis, "SCOPE_LEXICON", build(SCOPE_ENTRIES))
    text, sections, rows = _doc(SENTENCES)
    kw = {"period_start": date(2021, 1, 1), "period_end": date(2021, 12, 31)}
    cold = extract_mentions("d1", text, sections, rows, kind="report", **kw)
    assert cold
    other, osec, orows = _doc(list(reversed(SENTENCES)))
    extract_mentions("d2", other, osec, orows, kind="update", **kw)
    assert extract_mentions("d1", text, sections, rows, kind="report", **kw) == cold
    assert extract_mentions("d1", text, sections, list(reversed(rows)), kind="report", **kw) == cold


def test_real_reports_extract_the_same_with_cold_and_warm_lexicons(shared, monkeypatch) -> None:
    """Three real reports (read, not copied): cold lexicons and warm ones agree."""
    from transforms.extract import split_sentences

    docs = []
    with gzip.open(shared / "corpus" / "fiw" / "reports.jsonl.gz", "rt", encoding="utf-8") as f:
        for _, line in zip(range(3), f, strict=False):
            d = json.loads(line)
            docs.append("\n\n".join((s.get("text") or "") for s in d.get("sections", [])))
    runs = []
    for _ in range(2):
        monkeypatch.setattr(analysis, "LEXICON", build(ENTRIES))
        monkeypatch.setattr(analysis, "SCOPE_LEXICON", build(SCOPE_ENTRIES))
        rows = []
        for n, text in enumerate(docs):
            sections, sentences = split_sentences(text)
            rows.append(extract_mentions(f"r{n}", text, sections, sentences, kind="report"))
            # again, warm: the same rows
            assert extract_mentions(f"r{n}", text, sections, sentences, kind="report") == rows[-1]
        runs.append(rows)
    assert runs[0] == runs[1]
