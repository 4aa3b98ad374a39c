"""Deduplication: mentions of one real-world event grouped into one event (core.events).

Mentions merge when they have the same country and event type, the same kind of status
(scored or not), and either
- the same normalised text (mirror copies, the same update saved twice), or
- a distinctive name in common (a person, outlet, organisation or law named in both: the
  summary and the body of one update, "as covered in the previous update", the same event
  reported by two sources), with the documents' windows at most ``MAX_GAP_DAYS`` apart.
Names common to most mentions of a country (the country, its president) are not distinctive.
Event ids are deterministic: a hash of country, type and the group's key tokens.
"""

import hashlib
import re
from collections import Counter, defaultdict
from datetime import date

from transforms.taxonomy import EVENT_TYPES, SCORED_STATUSES

MAX_GAP_DAYS = 400
_MIN_COMMON = 8  # a name in fewer mentions than this is always distinctive
EVENT_COLUMNS = (
    "event_id",
    "country_iso3",
    "event_type",
    "freedom",
    "status",
    "actor",
    "target",
    "severity",
    "direction",
    "event_date",
    "window_start",
    "window_end",
    "n_mentions",
    "n_documents",
    "doc_ids",
    "summary",
    "first_mention_id",
)
_STATUS_RANK = {
    s: i for i, s in enumerate(("new", "continuing", "proposed", "alleged", "pledge", "negated"))
}
_NAME = re.compile(r"\b([A-Z][\w’'-]{2,}|[A-Z]{2,})")
_STOP = frozenset(
    """The This That These Those There They Their Then When While Where What Which Who
However Although Though Despite During After Before Following According Among Since Until Also
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday In On At As Of For And But With Without
President Parliament Government Ministry Minister Court Supreme Constitutional Prime Deputy Chair
Office General Prosecutor Police State National Republic Human Rights Freedom Freedoms Law Laws
Code Article Act Decree Committee Commission Council Union European United Nations Monitor CIVICUS
NGO NGOs CSO CSOs COVID Internet Facebook Twitter YouTube Telegram Instagram TikTok Association
Expression Assembly Peaceful Civil Society Media Journalists Journalist Update Cabinet Ministers
City Region District Security Service Services Central Election Elections Party Parties Mr Ms Mrs
Dr Watch International Amnesty Reporters Borders Committee Protect Justice Interior Affairs
Police Authorities Officials Several Two Three Four Five Many Some Another Other Both All Most
Such Its His Her Hers Him She Them They We Our Once From Into Against Within Under Over Due
Meanwhile Separately Additionally Moreover Furthermore Nevertheless Still Later Earlier Local
Independent Activists Journalists Protesters Defenders Lawyers Opposition Citizens People
Draft Bill Decree Parliamentary Presidential Regional Federal Supreme Court Courts District
Prosecutors Prosecutor's Ombudsperson Ombudsman Chairman Chair Head Director Leader Member MPs
There Here However Despite Instead Because While Whereas Thus Therefore Furthermore Among
Also Even Only Just Yet Already Recently Currently Previously Initially Finally First
Second""".split()
)


_PRONOUN_START = re.compile(r"\s*[\"“‘(]?(?:He|She|They|His|Her|Their|It|Its)\b")


_SHARED_WORDS = 3
_WORD = re.compile(r"[a-z]{5,}")
_COMMON = frozenset(
    """about after against again among authorities because before being
country during further government group groups human including information journalists media
members other people period police political public rights since their there these those under
until which while would could should against reported reports according state official officials
organisations organizations activists protesters civil society freedom expression association
assembly peaceful update concerns concern several number first second third following""".split()
)


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _COMMON)


def _is_update(document: dict) -> bool:
    return document.get("kind", "update") != "report"


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def key_tokens(text: str) -> frozenset[str]:
    """Names in a mention's text (capitalised words not opening a sentence, acronyms)."""
    out = set()
    for m in _NAME.finditer(text):
        w = m.group(1).strip("’'-")
        if w in _STOP or len(w) < 3:
            continue
        out.add(w.lower().removesuffix("’s").removesuffix("'s"))
    return frozenset(out)


def _as_date(v: object) -> date | None:
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v[:10])
        except ValueError:
            return None
    return None


def _close(a: date, b: date) -> bool:
    return abs((a - b).days) <= MAX_GAP_DAYS


class _UF:
    def __init__(self, n: int) -> None:
        self.p = list(range(n))

    def find(self, i: int) -> int:
        while self.p[i] != i:
            self.p[i] = self.p[self.p[i]]
            i = self.p[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.p[max(a, b)] = min(a, b)


def group_events(mentions: list[dict], documents: dict[str, dict]) -> tuple[list[dict], list[dict]]:
    """(mentions with ``event_id``, events in the columns of core.events).

    ``documents`` maps doc_id to its staging.documents row (country_iso3, window_start,
    window_end, sha256 ...). A mention whose document is missing gets country 'UNK' and its
    own date (or 1970-01-01) as window, never an exception.
    """

    def doc(m: dict) -> dict:
        return documents.get(m.get("doc_id", ""), {}) or {}

    def country(m: dict) -> str:
        return str(doc(m).get("country_iso3") or "UNK")

    def window(m: dict) -> tuple[date, date]:
        d = doc(m)
        ws, we = _as_date(d.get("window_start")), _as_date(d.get("window_end"))
        own = _as_date(m.get("event_date"))
        ws = ws or own or date(1970, 1, 1)
        return ws, we or ws

    ms = sorted(
        mentions,
        key=lambda m: (
            window(m)[0],
            str(m.get("doc_id")),
            m.get("start", 0),
            m.get("event_type", ""),
        ),
    )
    # names common to most mentions of a country are not distinctive
    toks = [key_tokens(m.get("text", "")) for m in ms]
    per_country: dict[str, Counter] = defaultdict(Counter)
    n_country: Counter = Counter()
    for m, t in zip(ms, toks, strict=True):
        per_country[country(m)].update(t)
        n_country[country(m)] += 1
    distinct = []
    for m, t in zip(ms, toks, strict=True):
        c = country(m)
        limit = max(_MIN_COMMON, n_country[c] // 4)
        distinct.append(frozenset(w for w in t if per_country[c][w] <= limit))

    uf = _UF(len(ms))
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, m in enumerate(ms):
        scored = m.get("status") in SCORED_STATUSES
        buckets[(country(m), m.get("event_type"), m.get("freedom"), scored)].append(i)
    for idx in buckets.values():
        # 'Olsen was detained ... She remains in custody': a sentence opening with a pronoun
        # continues the event of the sentence before it
        last: dict[tuple[str, int], int] = {}
        for i in idx:
            m = ms[i]
            key = (str(m.get("doc_id")), int(m.get("sentence_no") or 0))
            prev = last.get((key[0], key[1] - 1))
            if prev is not None and _PRONOUN_START.match(m.get("text", "")):
                uf.union(prev, i)
            last[key] = i
        # the same document telling one story twice (summary and body) in other words:
        # at least three uncommon content words in common
        words = {i: _content_words(ms[i].get("text", "")) for i in idx}
        for x, i in enumerate(idx):
            for j in idx[:x]:
                if (
                    ms[i].get("doc_id") == ms[j].get("doc_id")
                    and _is_update(doc(ms[i]))
                    and len(words[i] & words[j]) >= _SHARED_WORDS
                ):
                    uf.union(j, i)
                    break
        by_text: dict[str, int] = {}
        by_token: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            key = _norm(ms[i].get("text", ""))
            j = by_text.get(key)
            if j is not None and _close(window(ms[i])[0], window(ms[j])[0]):
                uf.union(j, i)
            else:
                by_text[key] = i
            for w in distinct[i]:
                for j in by_token[w]:
                    if _close(window(ms[i])[0], window(ms[j])[0]):
                        uf.union(j, i)
                        break
                by_token[w].append(i)

    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ms)):
        groups[uf.find(i)].append(i)

    out_mentions: list[dict] = []
    events: list[dict] = []
    used_ids: set[str] = set()
    for root in sorted(groups):
        members = groups[root]
        first = ms[members[0]]
        keys = sorted(set().union(*(distinct[i] for i in members)))
        basis = " ".join(keys) if keys else _norm(first.get("text", ""))
        raw = f"{country(first)}|{first.get('event_type')}|{basis}"
        event_id = "ev_" + hashlib.sha1(raw.encode()).hexdigest()[:16]
        if event_id in used_ids:  # same names, other event: fall back on the first mention
            raw += "|" + str(first.get("mention_id"))
            event_id = "ev_" + hashlib.sha1(raw.encode()).hexdigest()[:16]
        used_ids.add(event_id)
        group = [ms[i] for i in members]
        for m in group:
            out_mentions.append({**m, "event_id": event_id})
        et = EVENT_TYPES.get(str(first.get("event_type")))
        statuses = sorted(
            (m.get("status", "new") for m in group), key=lambda s: _STATUS_RANK.get(s, 9)
        )
        dates = sorted(d for d in (_as_date(m.get("event_date")) for m in group) if d)
        wins = [window(m) for m in group]
        doc_ids = sorted({str(m.get("doc_id")) for m in group})
        ev_date = dates[0] if dates else None
        ws, we = (
            (ev_date, ev_date) if ev_date else (min(w[0] for w in wins), max(w[1] for w in wins))
        )
        events.append(
            {
                "event_id": event_id,
                "country_iso3": country(first),
                "event_type": first.get("event_type"),
                "freedom": first.get("freedom"),
                "status": statuses[0],
                "actor": Counter(m.get("actor", "unknown") for m in group).most_common(1)[0][0],
                "target": Counter(m.get("target", "public") for m in group).most_common(1)[0][0],
                "severity": et.severity if et else 0,
                "direction": et.direction if et else "repressive",
                "event_date": ev_date,
                "window_start": ws,
                "window_end": we,
                "n_mentions": len(group),
                "n_documents": len(doc_ids),
                "doc_ids": doc_ids,
                "summary": first.get("text", ""),
                "first_mention_id": first.get("mention_id"),
            }
        )
    out_mentions.sort(
        key=lambda m: (str(m.get("doc_id")), m.get("start", 0), m.get("event_type", ""))
    )
    return out_mentions, events


def mention_country(mention: dict, documents: dict[str, dict]) -> str:
    """The country ``group_events`` files a mention under: its document's, else 'UNK'.
    Mentions of different countries never join one event, so grouping the mentions of a few
    countries gives exactly those countries' part of grouping everything."""
    return str((documents.get(mention.get("doc_id", ""), {}) or {}).get("country_iso3") or "UNK")
