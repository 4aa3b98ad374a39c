"""One sentence, analysed once: tokens, lexicon hits, clauses and the tag sets the rules read."""

from collections.abc import Callable
from itertools import accumulate
from typing import Any

from transforms.rules.lexicon import LEXICON, SCOPE_LEXICON
from transforms.rules.scan import CLAUSE_WORDS, MARK, tokens

# tags that say who or what a sentence is about (inherited by a following sentence that has none)
WHO_TAGS = frozenset(
    {
        "JOURNO",
        "MEDIA",
        "CRITIC",
        "SPEECH",
        "CONTENT",
        "DEFENDER",
        "ORG",
        "LABOUR",
        "PROTEST",
        "OBSERVE",
        "ASSEMBLY_RIGHT",
    }
)
_DEATH_NOT_KILL = ("threat", "sentence", "penalty", "threats")


PRESENT_WORDS = frozenset(
    """is are has have can cannot must face faces lacks lack requires require
allows allow permits prohibits contains empowers includes restricts criminalizes criminalises
discourage discourages operate operates remain remains continue continues limits gives grants leads
does do exists exist enables imposes punishes result results increases tightens""".split()
)
PAST_WORDS = frozenset({"was", "were", "had", "did"})


class Analysis:
    """Tokens of one sentence, the positions of every tag in it, and what it inherits."""

    __slots__ = (
        "words",
        "pos",
        "spans",
        "inherited",
        "scoped",
        "_clauses",
        "_fams",
        "_words_set",
        "memo",
    )

    def __init__(
        self,
        words: list[str],
        pos: dict[str, list[int]] | None = None,
        spans: dict[str, list[tuple[int, int]]] | None = None,
        inherited: frozenset[str] = frozenset(),
    ) -> None:
        self.words = words
        self.pos: dict[str, list[int]] = {} if pos is None else pos  # tag -> token starts
        self.spans: dict[str, list[tuple[int, int]]] = {} if spans is None else spans
        self.inherited = inherited
        self.scoped = False
        self._clauses: list[int] | None = None
        self._fams: dict[str, list[int]] | None = None
        self._words_set: set[str] | None = None
        self.memo: dict | None = None  # results the rules compute more than once

    def cached(self, key: object, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per analysis and ``key`` (the rules read a sentence's facts many
        times; each fact depends on the analysis alone, so the first answer stays right)."""
        memo = self.memo
        if memo is None:
            memo = self.memo = {}
        got = memo.get(key)
        if got is None:
            got = memo[key] = compute()
        return got

    @property
    def clause_of(self) -> list[int]:
        """Clause number of every token (a new clause at ';' and at 'but', 'while' ...)."""
        out = self._clauses
        if out is None:
            if CLAUSE_WORDS.isdisjoint(self.words):  # one clause (a quick test in C)
                out = [0] * len(self.words)
            else:
                out = list(accumulate(map(CLAUSE_WORDS.__contains__, self.words), initial=0))
                del out[0]
            self._clauses = out
        return out

    def family_positions(self, families: dict[str, tuple[str, ...]]) -> dict[str, list[int]]:
        """Positions of the who-tags of every family (computed once per sentence)."""
        fams = self._fams
        if fams is None:
            pos = self.pos
            fams = {
                f: [p for t in tags if t in pos for p in pos[t]] for f, tags in families.items()
            }
            self._fams = fams
        return fams

    def add_scope(self) -> "Analysis":
        """Add the status and role tags (continuing cues, habits, actors ...): scanned only
        for sentences that report an event, to keep the common path short."""
        if not self.scoped:
            self.scoped = True
            for tag, s, e in SCOPE_LEXICON.scan(self.words):
                lst = self.pos.get(tag)
                if lst is None:
                    self.pos[tag] = [s]
                    self.spans[tag] = [(s, e)]
                else:
                    lst.append(s)
                    self.spans[tag].append((s, e))
        return self

    @property
    def present(self) -> int:
        """Number of present-tense verb forms."""
        return self.cached("present", lambda: sum(map(PRESENT_WORDS.__contains__, self.words)))

    @property
    def past(self) -> int:
        """Number of past-tense forms (was, were, had, and words ending in -ed)."""
        return self.cached("past", lambda: sum(
            1 for w in self.words if w in PAST_WORDS or (len(w) > 4 and w.endswith("ed"))
        ))  # fmt: skip

    @property
    def tags(self) -> set[str]:
        return set(self.pos) | set(self.inherited)

    def has(self, *tags: str) -> bool:
        return not self.pos.keys().isdisjoint(tags) or not self.inherited.isdisjoint(tags)

    def own(self, *tags: str) -> bool:
        return not self.pos.keys().isdisjoint(tags)

    def first(self, *tags: str) -> int:
        ps = [p for t in tags for p in self.pos.get(t, ())]
        return min(ps) if ps else -1

    def in_clause(self, tag: str, clause: int, before: int | None = None, window: int = 99) -> bool:
        ps = self.pos.get(tag)
        if not ps:
            return False
        clause_of = self.clause_of  # (a property: read once)
        for p in ps:
            if clause_of[p] == clause and (before is None or before - window <= p < before):
                return True
        return False

    def word_set(self) -> set[str]:
        ws = self._words_set
        if ws is None:
            ws = self._words_set = set(self.words)
        return ws


def _finish(
    words: list[str],
    pos: dict[str, list[int]],
    spans: dict[str, list[tuple[int, int]]],
    inherited: frozenset[str] = frozenset(),
) -> Analysis:
    a = Analysis(words, pos, spans, inherited)
    if "KILL" in pos:  # 'death threats', 'death sentence' are no killing
        n = len(words)
        bad = {
            s
            for s, e in spans["KILL"]
            if e < n and words[s].startswith("death") and words[e].startswith(_DEATH_NOT_KILL)
        }
        _drop(a, "KILL", bad)
    if not pos.keys().isdisjoint(ACTS):
        _filter(a)
    return a


def _build(
    words: list[str], hits: list[tuple[str, int, int]], inherited: frozenset[str] = frozenset()
) -> Analysis:
    pos: dict[str, list[int]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for tag, s, e in hits:
        lst = pos.get(tag)
        if lst is None:
            pos[tag] = [s]
            spans[tag] = [(s, e)]
        else:
            lst.append(s)
            spans[tag].append((s, e))
    return _finish(words, pos, spans, inherited)


def analyse(text: str, inherited: frozenset[str] = frozenset()) -> Analysis:
    """Tokens, lexicon hits and repaired tags of one sentence."""
    words = tokens(text)
    return _build(words, LEXICON.scan(words), inherited)


def analyse_many(texts: list[str]) -> list[Analysis]:
    """``analyse`` for every sentence of a document, tokenised and scanned in one pass (the
    sentences are joined with a marker no phrase can cross)."""
    if not texts:
        return []
    words = tokens(f" {MARK} ".join(texts))
    marks: list[int] = []
    i = -1
    try:
        while True:
            i = words.index(MARK, i + 1)
            marks.append(i)
    except ValueError:
        pass
    if len(marks) != len(texts) - 1:  # a sentence spelled the marker: one by one
        return [analyse(t) for t in texts]
    starts = [0] + [m + 1 for m in marks]
    ends = marks + [len(words)]
    out: list[Analysis] = []
    pos: dict[str, list[int]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    k, off, end = 0, 0, ends[0]
    for tag, s, e in LEXICON.scan(words):
        if s >= end:  # the hits of sentence k are complete
            out.append(_finish(words[off:end], pos, spans) if pos else Analysis(words[off:end]))
            pos, spans = {}, {}
            k += 1
            off, end = starts[k], ends[k]
            while s >= end:  # sentences without any hit: nothing to repair
                out.append(Analysis(words[off:end]))
                k += 1
                off, end = starts[k], ends[k]
        s -= off
        lst = pos.get(tag)
        if lst is None:
            pos[tag] = [s]
            spans[tag] = [(s, e - off)]
        else:
            lst.append(s)
            spans[tag].append((s, e - off))
    while k < len(texts):
        out.append(_finish(words[off:end], pos, spans))
        pos, spans = {}, {}
        k += 1
        if k < len(texts):
            off, end = starts[k], ends[k]
    return out


def add_scope_many(analyses: list[Analysis]) -> None:
    """``Analysis.add_scope`` for many sentences in one scan."""
    todo = [a for a in analyses if not a.scoped]
    if not todo:
        return
    words: list[str] = []
    starts: list[int] = []
    for a in todo:
        starts.append(len(words))
        words.extend(a.words)
        words.append(MARK)
    k, off = 0, 0
    end = starts[1] - 1 if len(starts) > 1 else len(words)
    cur = todo[0]
    for tag, s, e in SCOPE_LEXICON.scan(words):
        while s >= end:
            k += 1
            cur, off = todo[k], starts[k]
            end = starts[k + 1] - 1 if k + 1 < len(starts) else len(words)
        lst = cur.pos.get(tag)
        if lst is None:
            cur.pos[tag] = [s - off]
            cur.spans[tag] = [(s - off, e - off)]
        else:
            lst.append(s - off)
            cur.spans[tag].append((s - off, e - off))
    for a in todo:
        a.scoped = True


# tags that make a sentence worth the rules' time
ACTS = frozenset(
    {
        "KILL",
        "ATTACK",
        "FORCE",
        "DETAIN",
        "CHARGE",
        "CENSOR",
        "THREAT",
        "OBSTRUCT",
        "DENIED",
        "STIGMA",
        "ORGREST",
        "DISPERSE",
        "HELD",
        "IMPROVE",
        "VETO",
        "IMPUNITY",
        "LAW",
        "RESTRICT",
        "ALLCLEAR",
        "PLEDGE_OBJ",
    }
)
_MONTH_PREP = frozenset(
    {
        "in",
        "of",
        "since",
        "early",
        "late",
        "mid",
        "until",
        "by",
        "from",
        "between",
        "and",
        "to",
        "on",
        "during",
    }
)
_NOT_ORG_BEFORE = frozenset(
    {
        "opposition",
        "political",
        "armed",
        "criminal",
        "far",
        "right",
        "ethnic",
        "militant",
        "terrorist",
        "extremist",
        "journalist",
        "journalists",
        "media",
        "press",
        "minority",
        "parliamentary",
    }
)
_DESIGNATE = frozenset(
    {
        "designated",
        "designation",
        "registry",
        "register",
        "listed",
        "list",
        "declared",
        "recognised",
        "recognized",
        "added",
        "included",
    }
)
_NOT_ATTACK_BEFORE = frozenset(
    {
        "domestic",
        "gender",
        "sexual",
        "based",
        "incite",
        "inciting",
        "incitement",
        "criminal",
        "gang",
        "intercommunal",
        "ethnic",
    }
)
_NOT_ATTACK_AFTER = frozenset(
    {"extremism", "extremist", "extremists", "crime", "crimes", "conflict", "offenses", "offences"}
)
_LAWISH = frozenset({"constitution", "law", "laws", "legislation", "code", "act", "charter"})
_LAW_THREATS = frozenset({"punishment", "prosecution", "imprisonment", "penalties", "sanctions"})
_RELEASED_THINGS = frozenset(
    {
        "statement",
        "statements",
        "report",
        "reports",
        "video",
        "recording",
        "information",
        "data",
        "documents",
        "footage",
        "findings",
        "list",
        "taping",
        "tape",
        "results",
        "figures",
        "album",
        "song",
    }
)
_BODIES = frozenset(
    {
        "national",
        "legislative",
        "constituent",
        "general",
        "parliamentary",
        "people",
        "provincial",
        "regional",
        "state",
        "federal",
        "consultative",
        "legislature",
        "elected",
        "municipal",
        "county",
        "representative",
    }
)
_SHADOWED = ("CENSOR", "DISPERSE", "RESTRICT", "ORGREST", "THREAT", "OBSTRUCT", "LAW")


def _drop(a: Analysis, tag: str, bad: set[int]) -> None:
    if not bad or tag not in a.pos:
        return
    keep = [(s, e) for s, e in a.spans[tag] if s not in bad]
    if keep:
        a.spans[tag] = keep
        a.pos[tag] = [s for s, _ in keep]
    else:
        del a.spans[tag], a.pos[tag]


def _filter(a: Analysis) -> None:
    """Context repairs that a phrase list cannot express."""
    w, pos = a.words, a.pos
    n = len(w)
    # 'May 2023', 'in May': a month, not a hedge
    if "HEDGE" in pos:
        _drop(
            a,
            "HEDGE",
            {
                p
                for p in pos["HEDGE"]
                if w[p] == "may"
                and ((p > 0 and w[p - 1] in _MONTH_PREP) or (p + 1 < n and w[p + 1][:1].isdigit()))
            },
        )
    # 'whether or not': no negation; 'the constitution calls for': no call for change
    if "NEG" in pos:
        _drop(a, "NEG", {p for p in pos["NEG"] if p > 0 and w[p - 1] in ("or", "whether")})
    if "CALL" in pos:
        _drop(a, "CALL", {p for p in pos["CALL"] if p > 0 and w[p - 1] in _LAWISH})
    # 'the threat of punishment under the law' is what a law does, not a threat made
    if "THREAT" in pos:
        _drop(
            a,
            "THREAT",
            {
                p
                for p in pos["THREAT"]
                if w[p].startswith("threat")
                and p + 2 < n
                and w[p + 1] == "of"
                and w[p + 2] in _LAW_THREATS
            },
        )
    # 'released a statement' is no release of a person
    if "RELEASE" in pos:
        bad = {
            p
            for p in pos["RELEASE"]
            if w[p] in ("released", "release", "releasing")
            and p + 1 < n
            and (w[p + 1] in ("a", "an") or any(x in _RELEASED_THINGS for x in w[p + 1 : p + 3]))
        }
        _drop(a, "RELEASE", bad)
        _drop(a, "IMPROVE", bad)
    # 'organisation of protests' is no organisation
    if "ORG" in pos:
        _drop(
            a,
            "ORG",
            {p for p in pos["ORG"] if w[p].startswith("organi") and p + 1 < n and w[p + 1] == "of"},
        )
    # acts named inside an impunity statement ('no police involved in the crackdown have
    # faced charges', 'unresolved cases of journalist murders') are that statement's object
    if "IMPUNITY" in a.spans:
        near = {q for s, e in a.spans["IMPUNITY"] for q in range(s, e + 7)}
        for t in ("CHARGE", "FORCE", "ATTACK", "KILL", "DETAIN"):
            _drop(a, t, {p for p in pos.get(t, []) if p in near})
        _drop(a, "THREAT", set(pos.get("THREAT", [])))
        inside = {q for s, e in a.spans["IMPUNITY"] for q in range(s, e)}
        _drop(a, "IMPROVE", {p for p in pos.get("IMPROVE", []) if p in inside})
    # 'incite violence', 'violent extremism', 'domestic violence': no attack on anyone's freedom
    if "ATTACK" in pos:
        _drop(
            a,
            "ATTACK",
            {
                p
                for p in pos["ATTACK"]
                if (p > 0 and (w[p - 1].startswith("incit") or w[p - 1] in _NOT_ATTACK_BEFORE))
                or (p + 1 < n and w[p].startswith("violent") and w[p + 1] in _NOT_ATTACK_AFTER)
            },
        )
    # 'a report released in April' is no release of a person
    if "RELEASE" in pos:
        bad = {
            p for p in pos["RELEASE"] if any(x in _RELEASED_THINGS for x in w[max(0, p - 2) : p])
        }
        _drop(a, "RELEASE", bad)
        _drop(a, "IMPROVE", bad)
    # 'branded defenders "foreign agents"' is a smear, not a designation
    if "ORGREST" in pos and "STIGMA" in a.spans and a.word_set().isdisjoint(_DESIGNATE):
        inner = {p for s, e in a.spans["STIGMA"] for p in range(s, e)}
        _drop(a, "ORGREST", {p for p in pos["ORGREST"] if p in inner})
    # 'the right to strike' names a right, a hunger strike is no gathering
    if "STRIKE" in pos:
        _drop(a, "STRIKE", {p for p in pos["STRIKE"] if p > 0 and w[p - 1] in ("to", "hunger")})
    # 'added to the register of foreign agents' is a designation, not a smear
    if "STIGMA" in pos and "ORGREST" in a.spans and not a.word_set().isdisjoint(_DESIGNATE):
        inner = {p for s, e in a.spans["ORGREST"] for p in range(s, e)}
        _drop(a, "STIGMA", {p for p in pos["STIGMA"] if p in inner})
    # 'the threat of punishment', 'fear of punishment': what a law does, not a charge
    if "CHARGE" in pos:
        _drop(
            a,
            "CHARGE",
            {p for p in pos["CHARGE"] if w[p].startswith("punish") and p > 0 and w[p - 1] == "of"},
        )
    # 'the National Assembly', 'the general assembly' is a body, not a gathering
    if "PROTEST" in pos:
        _drop(
            a,
            "PROTEST",
            {
                p
                for p in pos["PROTEST"]
                if p > 0 and w[p - 1] in _BODIES and w[p].startswith("assembl")
            },
        )
    # 'pre-trial detention' is detention, not a trial
    if "CHARGE" in pos:
        _drop(a, "CHARGE", {p for p in pos["CHARGE"] if p > 0 and w[p - 1] == "pre"})
    # 'self-censorship' is a consequence, not a censorship act
    if "CENSOR" in pos:
        _drop(a, "CENSOR", {p for p in pos["CENSOR"] if p > 0 and w[p - 1] == "self"})
    # 'opposition groups', 'a group of journalists', 'journalist associations' are no NGOs
    if "ORG" in pos:
        _drop(
            a,
            "ORG",
            {
                p
                for p in pos["ORG"]
                if (p > 0 and w[p - 1] in _NOT_ORG_BEFORE)
                or (w[p] in ("group", "groups") and p + 1 < n and w[p + 1] == "of")
            },
        )
    # a verbal protest ('protested against the draft law') is no assembly, unless people
    # gathered somewhere
    if "VERBAL" in a.spans and "PROTEST" in pos and "HELD" not in pos:
        _drop(a, "PROTEST", set(pos["PROTEST"]))
    # 'ensure freedom of expression' is a pledge's object, an improvement only when pledged
    if "PLEDGE_OBJ" in pos and ("PLEDGE" in pos or "CALL" in pos):
        pos.setdefault("IMPROVE", []).extend(pos["PLEDGE_OBJ"])
        a.spans.setdefault("IMPROVE", []).extend(a.spans["PLEDGE_OBJ"])
    # what an improvement removes ('lifted restrictions on', 'eased the ban') is no new act
    if "IMPROVE" in pos:
        after = {q for p in pos["IMPROVE"] for q in range(p + 1, p + 8)}
        for t in _SHADOWED:
            _drop(a, t, {p for p in pos.get(t, []) if p in after})
    # 'not allowed to', 'no one has been held accountable': negations inside a phrase of
    # their own are no negation of the event; threats inside a stigmatising phrase neither
    if "NEG" in pos:
        multi = {
            p
            for t, sp in a.spans.items()
            if t not in ("NEG", "HEDGE", "ALLCLEAR", "PLEDGE_OBJ")
            for s, e in sp
            if e - s > 1
            for p in range(s, e)
        }
        _drop(a, "NEG", {p for p in pos["NEG"] if p in multi})
    if "STIGMA" in a.spans:
        inner = {p for s, e in a.spans["STIGMA"] for p in range(s, e)}
        for t in ("THREAT", "OBSTRUCT"):
            _drop(a, t, {p for p in pos.get(t, []) if p in inner})
    # an act word inside a who-phrase ('blocking roads' as a protest form) is no act
    if "PROTEST" in a.spans:
        inner = {p for s, e in a.spans["PROTEST"] if e - s > 1 for p in range(s, e)}
        for t in _SHADOWED:
            _drop(a, t, {p for p in pos.get(t, []) if p in inner})
