"""Event extraction: sentences -> coded event mentions (codebook), and the CLI entry point.

``extract_mentions`` runs the rules of ``transforms.rules`` over the sentences of one document
and returns rows in the columns of ``core.event_mentions`` (without ``event_id``, which
``transforms.events.group_events`` assigns). ``extract_file`` does the whole chain for one file
of text (segment, extract, group) and returns the JSON-ready rows printed by
``civicspace extract``.

Pure functions: strings in, dicts out; no I/O.
"""

import gc
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from transforms.dates import has_bare_month, mentioned_periods, sentence_date, years_in
from transforms.events import group_events, key_tokens
from transforms.rules.analysis import ACTS, WHO_TAGS, add_scope_many, analyse_many
from transforms.rules.roles import actor_of, target_of
from transforms.rules.status import Timing, status_of
from transforms.rules.types import type_hits
from transforms.taxonomy import EVENT_TYPES, freedom_of

EXTRACTOR_VERSION = "rules-7"

MENTION_COLUMNS = (
    "mention_id",
    "doc_id",
    "sentence_no",
    "start",
    "end",
    "text",
    "event_type",
    "freedom",
    "status",
    "actor",
    "target",
    "confidence",
    "event_date",
    "rule",
    "extractor_version",
)
_TOPIC = {
    "expression": frozenset({"SPEECH"}),
    "association": frozenset({"ORG"}),
    "assembly": frozenset({"PROTEST"}),
}
_MAX_SENTENCE = 2000  # longer "sentences" are run-on furniture or tables: analysed in part
_IMPROVEMENT_OF = {
    "expression": "EXP_IMPROVEMENT",
    "association": "ASC_IMPROVEMENT",
    "assembly": "ASM_IMPROVEMENT",
}
# a pledge not to repress is recorded as a pledged improvement of that freedom
_PLEDGED_AS = {
    code: _IMPROVEMENT_OF[t.freedom]
    for code, t in EVENT_TYPES.items()
    if t.direction == "repressive" and t.freedom in _IMPROVEMENT_OF
}


def _as_int(v: object) -> int:
    try:
        return int(v)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


def _sentence_no(row: dict) -> int:
    """Sort key of a sentence row: its number (an int, almost always: no conversion)."""
    v = row.get("sentence_no")
    return v if type(v) is int else _as_int(v)


def infer_period(text: str, kind: str) -> tuple[date, date] | None:
    """A reference year when the document's period is unknown: the latest year a report
    names, the most frequent year an update names (its intro may state the wrong one)."""
    years = [y for y in years_in(text) if 1990 <= y <= 2040]
    if not years:
        return None
    y = max(years) if kind == "report" else Counter(years).most_common(1)[0][0]
    return date(y, 1, 1), date(y, 12, 31)


_BACK_FIRST = frozenset(
    {
        "they",
        "he",
        "she",
        "it",
        "his",
        "her",
        "their",
        "these",
        "this",
        "its",
        "such",
        "both",
        "those",
    }
)
_BACK_THE = frozenset(
    {
        "attack",
        "attacker",
        "attackers",
        "station",
        "activist",
        "organisation",
        "organization",
        "journalist",
        "journalists",
        "group",
        "case",
        "law",
        "bill",
        "outlet",
        "newspaper",
        "protesters",
        "protest",
        "incident",
    }
)


_BACK_DET = frozenset({"the", "this", "draft", "new", "that"})
_BACK_LAW = frozenset({"law", "bill", "decree", "scheme", "draft", "legislation", "amendments"})


_FAMILY_OF_TAG = {
    "JOURNO": "expression",
    "MEDIA": "expression",
    "CRITIC": "expression",
    "SPEECH": "expression",
    "CONTENT": "expression",
    "DEFENDER": "association",
    "ORG": "association",
    "LABOUR": "association",
    "OBSERVE": "association",
    "PROTEST": "assembly",
    "ASSEMBLY_RIGHT": "assembly",
}
_TOPIC_SHARE = 0.6


def _section_topics(rows: list, analyses: list, freedom_by_section: dict) -> dict:
    """The topic of each section (who its sentences are about): the segmenter's freedom, or,
    for a 'general' section, the freedom that most of its who-words belong to (at least 60%).
    A sentence naming nobody ('their operations are vulnerable to legal restrictions') is read
    in that topic."""
    counts: dict = {}
    # a section whose freedom is a topic keeps it: its who-words need no count
    fixed = {sec for sec, f in freedom_by_section.items() if f in _TOPIC}
    for r, a in zip(rows, analyses, strict=True):
        pos = a.pos
        if not pos:
            continue
        sec = r[0].get("section_no")
        c = counts.get(sec)
        if c is None:
            c = counts[sec] = Counter()
        if sec in fixed:
            continue
        for t in pos.keys() & _FAMILY_OF_TAG.keys():
            c[_FAMILY_OF_TAG[t]] += len(pos[t])
    out = {}
    for sec, c in counts.items():
        fr = freedom_by_section.get(sec)
        if fr not in _TOPIC and c:
            best, n = c.most_common(1)[0]
            if n >= 3 and n >= _TOPIC_SHARE * sum(c.values()):
                fr = best
        out[sec] = _TOPIC.get(fr or "", frozenset())
    return out


def _refers_back(words: list[str]) -> bool:
    """The sentence opens with a pronoun or 'the attack', 'the station'..., or speaks of 'the
    law', 'the draft': it continues the previous sentence's subject."""
    if not words:
        return False
    if words[0] in _BACK_FIRST:
        return True
    if words[0] == "the" and len(words) > 1 and words[1] in _BACK_THE:
        return True
    if _BACK_LAW.isdisjoint(words):
        return False
    return any(x in _BACK_DET and y in _BACK_LAW for x, y in zip(words, words[1:], strict=False))


# every date the rules read names a year (1950-2049): a sentence without one has none
_YEARISH = re.compile(r"(?:19[5-9]|20[0-4])\d")
_MONTH_WORDS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)


# every month the date patterns read is a capitalised name ('In November', '29 September
# 2021'): 'may' the verb is none; a sentence without one skips those (slower) patterns
_MONTH_NAME = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")


def _event_date(sentence: str, has_year: bool, has_month: bool) -> date | None:
    """``sentence_date``, skipped when the sentence has no year, or neither a month name nor
    an ISO date's '-'."""
    if not has_year or not (has_month or "-" in sentence):
        return None
    return sentence_date(sentence)


def _timing(
    sentence: str,
    start: date | None,
    end: date | None,
    report: bool,
    words: list[str] | None = None,
    has_year: bool | None = None,
    has_month: bool | None = None,
) -> Timing:
    before = inside = False
    if has_year is None:
        has_year = _YEARISH.search(sentence) is not None
    if has_month is None:
        has_month = _MONTH_NAME.search(sentence) is not None
    if start is not None and has_year:
        for y, m in mentioned_periods(sentence):
            if y < start.year or (m is not None and y == start.year and m < start.month):
                before = True
            elif end is None or y < end.year or (y == end.year and (m is None or m <= end.month)):
                inside = True
    if (
        has_month
        and (words is None or not _MONTH_WORDS.isdisjoint(words))
        and has_bare_month(sentence)
    ):
        inside = True
    return Timing(before, inside, report)


def _confidence_of(rule_inherited: bool, weak_cue: bool, many_types: bool) -> float:
    c = 0.7
    if rule_inherited:
        c -= 0.15
    if weak_cue:
        c -= 0.05
    if many_types:
        c -= 0.1
    return round(max(c, 0.3), 2)


# the eight possible confidences, computed once (round() per mention was a measurable cost)
_CONFIDENCE = {
    (i, w, m): _confidence_of(i, w, m)
    for i in (False, True)
    for w in (False, True)
    for m in (False, True)
}


def _confidence(rule_inherited: bool, status_cue: str, n_types: int) -> float:
    return _CONFIDENCE[
        (bool(rule_inherited), status_cue in ("default", "present_tense"), n_types > 3)
    ]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while one document is analysed: the analysis
    allocates many small containers and no cycles, and a caller holding a large heap (a
    whole corpus of segmented documents) would otherwise pay full collections over it."""
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def extract_mentions(
    doc_id: str,
    text: str,
    sections: list[dict],
    sentences: list[dict],
    *,
    period_start: date | None = None,
    period_end: date | None = None,
    kind: str = "update",
) -> list[dict]:
    """Event mentions of one document, in the columns of core.event_mentions minus event_id.

    ``sentences`` come from ``transforms.segment.segment`` (offsets into ``text``); each
    mention spans its sentence. Statuses follow the codebook's scopes; a sentence dated
    before ``period_start`` is background (``continuing``). Bad rows are skipped, never raised.
    """
    with _gc_paused():
        return _extract_mentions(
            doc_id,
            text,
            sections,
            sentences,
            period_start=period_start,
            period_end=period_end,
            kind=kind,
        )


def _extract_mentions(
    doc_id: str,
    text: str,
    sections: list[dict],
    sentences: list[dict],
    *,
    period_start: date | None,
    period_end: date | None,
    kind: str,
) -> list[dict]:
    if not isinstance(text, str):
        return []
    if period_start is None:
        inferred = infer_period(text, kind)
        if inferred is not None:
            period_start, period_end = inferred
    elif kind != "report":
        # a stated period after the year the update's events mostly fall in is a wrong
        # statement (one real update says 2022 for 2021 events): read its dates by that year
        years = Counter(y for y in years_in(text) if 1990 <= y <= 2040)
        if years:
            mode, n = years.most_common(1)[0]
            if mode < period_start.year and n >= 3 and years[period_start.year] <= 1:
                period_start, period_end = date(mode, 1, 1), date(mode, 12, 31)
    report = kind == "report"
    sections = [s for s in sections or [] if isinstance(s, dict)]
    sentences = [s for s in sentences or [] if isinstance(s, dict)]
    freedom_by_section = {s.get("section_no"): s.get("freedom") for s in sections}
    # a report whose sections carry freedoms (the Freedom House D and E sections)
    general_sections = report and any(f in _TOPIC for f in freedom_by_section.values())
    out: list[dict] = []
    prev_who: frozenset[str] = frozenset()
    prev_section = None
    carried: frozenset[str] = frozenset()  # names of stories the text says were covered before
    who_of_name: dict[str, frozenset[str]] = {}  # a name -> who it was (a blogger, an NGO ...)
    rows: list[tuple[dict, int, int, str]] = []
    for s in sorted(sentences, key=_sentence_no):
        try:
            start, end = int(s["start"]), int(s["end"])
        except (KeyError, TypeError, ValueError):
            continue
        if not (0 <= start < end <= len(text)):
            continue
        body = s.get("text_clean")
        if not body or not isinstance(body, str):
            body = text[start:end]  # the raw span (sliced again only for the mentions)
        rows.append((s, start, end, body[:_MAX_SENTENCE]))
    analyses = analyse_many([r[3] for r in rows])
    topic_of = _section_topics(rows, analyses, freedom_by_section)
    pending: list[tuple] = []  # sentences that report something, with their hits
    for (s, start, end, body), a in zip(rows, analyses, strict=True):
        section = s.get("section_no")
        if section != prev_section:
            prev_who, prev_section = frozenset(), section
        if not a.pos:  # no phrase of the lexicon at all
            continue
        own_who = WHO_TAGS.intersection(a.pos)  # a frozenset
        if a.pos.keys().isdisjoint(ACTS):  # nothing happens here: remember who, move on
            if own_who:
                prev_who = own_who
                if not report:
                    for x in key_tokens(body):
                        who_of_name[x] = own_who
            continue
        inherited = False
        names = key_tokens(body) if not report else frozenset()
        if not own_who:
            topic = topic_of.get(section, frozenset())
            named = (
                frozenset().union(*(who_of_name.get(x, frozenset()) for x in names))
                if names
                else frozenset()
            )
            a.inherited = named or (prev_who if _refers_back(a.words) else frozenset()) or topic
            inherited = bool(a.inherited)
        else:
            prev_who = own_who
            for x in names:
                who_of_name[x] = own_who
        hits = type_hits(a)
        if hits and general_sections and freedom_by_section.get(section) not in _TOPIC:
            # a report's overview, elections or rule-of-law sections assess the state of a
            # country: a freedom 'severely restricted' there is context, counted where the
            # report's freedom sections say it
            hits = [h for h in hits if not h.standing]
        if hits:
            pending.append((s, start, end, body, a, hits, inherited, names))
    add_scope_many([p[4] for p in pending])
    for s, start, end, body, a, hits, inherited, names in pending:
        raw = text[start:end]
        has_year = _YEARISH.search(body) is not None
        has_month = _MONTH_NAME.search(body) is not None
        timing = _timing(body, period_start, period_end, report, a.words, has_year, has_month)
        ev_date = _event_date(body, has_year, has_month)
        story = bool(names & carried)
        for h in hits:
            status, cue = status_of(a, h, timing, story)
            if status == "drop":
                continue
            if cue in ("covered_before", "dated_before_period"):
                carried |= names
            fr = h.freedom if h.event_type == "X_IMPUNITY" else None
            freedom = freedom_of(h.event_type, fr)
            if status == "pledge" and h.event_type in _PLEDGED_AS:
                # 'promised that no journalist would be prosecuted': a pledge of easing
                h = replace(h, event_type=_PLEDGED_AS[h.event_type], rule=h.rule + "_pledged")
                if any(
                    m["mention_id"] == f"{doc_id}:{start}:{end}:{h.event_type}"
                    for m in out[-len(hits) :]
                ):
                    continue
            out.append(
                {
                    "mention_id": f"{doc_id}:{start}:{end}:{h.event_type}",
                    "doc_id": doc_id,
                    "sentence_no": _sentence_no(s),
                    "start": start,
                    "end": end,
                    "text": raw,
                    "event_type": h.event_type,
                    "freedom": freedom,
                    "status": status,
                    "actor": actor_of(a, h.event_type),
                    "target": target_of(a, h.event_type, freedom),
                    "confidence": _confidence(inherited, cue, len(hits)),
                    "event_date": ev_date,
                    "rule": f"{h.rule}/{cue}",
                    "extractor_version": EXTRACTOR_VERSION,
                }
            )
    return out


# ------------------------------------------------------------------ whole files (the CLI)
_SENT_END = re.compile(
    r"(?<=[.!?])[\"'”’)]*\s+(?=[\"“‘(]?[A-Z0-9])"
    r"|(?<=[a-z0-9]{2}\.)(?=[A-Z][a-z])"
)  # 'in 2017.A law' (glued)
_TERMINAL = re.compile(r"[.!?][\"'”’)]*\s*$")
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Art|Arts|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|"
    r"Oct|Nov|Dec|Gen|Col|Lt|Sgt|Prof|Jr|Sr|vs|etc|e\.g|i\.e|U\.S|U\.N)\.$"
)


def split_sentences(text: str) -> tuple[list[dict], list[dict]]:
    """A plain splitter used only when ``transforms.segment`` is unavailable: prose lines
    (ending with a full stop, or long) are split at sentence ends; short lines without one
    (headings, menus, captions) are left out."""
    sentences: list[dict] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        lstart = pos
        pos += len(line)
        stripped = body.strip()
        if not stripped:
            continue
        if not _TERMINAL.search(stripped) and len(stripped.split()) < 15:
            continue
        offset = lstart + (len(body) - len(body.lstrip()))
        chunk = stripped
        cur = 0
        pieces: list[tuple[int, int]] = []
        for m in _SENT_END.finditer(chunk):
            if _ABBREV.search(chunk[cur : m.start()].rstrip()):
                continue
            pieces.append((cur, m.start()))
            cur = m.end()
        pieces.append((cur, len(chunk)))
        for a, b in pieces:
            seg = chunk[a:b].rstrip()
            if seg:
                s0 = offset + a
                sentences.append(
                    {
                        "sentence_no": len(sentences),
                        "section_no": 0,
                        "start": s0,
                        "end": s0 + len(seg),
                        "text": seg,
                        "text_clean": " ".join(seg.split()),
                    }
                )
    sections = [
        {
            "section_no": 0,
            "heading": None,
            "code": None,
            "freedom": "general",
            "assigned_by": "content",
            "start": 0,
            "end": len(text),
        }
    ]
    return sections, sentences


def _segment(text: str) -> tuple[list[dict], list[dict]]:
    try:
        from transforms.segment import segment  # another engineer's module
    except ImportError:
        return split_sentences(text)
    try:
        sections, sentences = segment(text, fmt="text")
    except Exception:  # a weak segmenter must not stop extraction
        return split_sentences(text)
    if not sentences and text.strip():
        return split_sentences(text)
    return sections, sentences


_UPDATE_CUES = re.compile(
    r"\b(?:this (?:is an )?update|update covers|CIVICUS Monitor|"
    r"reporting period|previous update)\b",
    re.IGNORECASE,
)
_UPDATE_HEADINGS = re.compile(
    r"^\s*(?:Freedom of )?(?:Peaceful [Aa]ssembly|Expression|"
    r"Association|Association and [Pp]eaceful [Aa]ssembly)s?\s*$",
    re.MULTILINE,
)


def guess_kind(text: str) -> str:
    """'update' for CIVICUS-style updates, else 'report' (country-report prose)."""
    head = text[:20000]
    if _UPDATE_CUES.search(head) or len(_UPDATE_HEADINGS.findall(head)) >= 2:
        return "update"
    return "report"


def extract_file(name: str, text: str) -> list[dict]:
    """Mentions of one file for ``civicspace extract``: JSON-ready dicts with offsets into
    ``text`` and the event ids of the grouping."""
    kind = guess_kind(text)
    sections, sentences = _segment(text)
    mentions = extract_mentions(name, text, sections, sentences, kind=kind)
    period = infer_period(text, kind)
    ws, we = period if period else (date(1970, 1, 1), date(1970, 1, 1))
    docs = {
        name: {
            "doc_id": name,
            "country_iso3": "UNK",
            "window_start": ws,
            "window_end": we,
            "sha256": None,
            "kind": kind,
        }
    }
    grouped, _events = group_events(mentions, docs)
    return [
        {
            "doc": name,
            "start": m["start"],
            "end": m["end"],
            "text": m["text"],
            "event_type": m["event_type"],
            "freedom": m["freedom"],
            "status": m["status"],
            "actor": m["actor"],
            "target": m["target"],
            "confidence": m["confidence"],
            "event_id": m["event_id"],
        }
        for m in grouped
    ]
