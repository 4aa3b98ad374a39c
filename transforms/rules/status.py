"""Status scopes: negated, pledge, proposed, alleged, continuing or new, per codebook.

Order of precedence: a negation in the trigger's clause, then a pledge, a proposal (draft,
bill, vetoed or not yet signed), a hedge, a continuing cue (covered before, remains, still,
habitual statements, a date before the period), else new. Laws take ``proposed`` from the
whole sentence and only strong hedges ("fears", "could be used"), since "may result in" is how
a law's effect is described, not doubt about it.
"""

from dataclasses import dataclass

from transforms.rules.analysis import PAST_WORDS, Analysis
from transforms.rules.types import Hit

LAW_TYPES = frozenset({"EXP_RESTRICTIVE_LAW", "ASC_RESTRICTIVE_LAW", "ASM_RESTRICTIVE_LAW"})
POSITIVE = frozenset({"EXP_IMPROVEMENT", "ASC_IMPROVEMENT", "ASM_IMPROVEMENT"})
_NEG_EXEMPT = frozenset({"X_IMPUNITY"})
# 'alleged problems', 'fears': part of the smear itself; impunity is not hedged by the doubt
# about the original act ('apparently politically motivated attacks')
_NO_HEDGE = frozenset({"ASC_STIGMATISATION", "X_IMPUNITY"})
_OFFICIAL_SUBJECTS = frozenset(
    {"he", "she", "president", "minister", "government", "mayor", "governor", "chair", "premier"}
)


@dataclass(frozen=True)
class Timing:
    """What the sentence says about time, relative to the document's period."""

    before_period: bool  # names a date before the period start
    in_period: bool  # names a date inside the period (or a bare month)
    report: bool  # the document is a country report (habitual, present-tense prose)


def status_of(
    a: Analysis, hit: Hit, timing: Timing, story_continues: bool = False
) -> tuple[str, str]:
    """(status, cue) for one hit in its analysed sentence."""
    if hit.allclear:
        return "negated", "allclear"
    t, c = hit.trigger, a.clause_of[hit.trigger]
    code = hit.event_type
    if "CALL" in a.pos:
        call = a.first("CALL")
        if call < t and a.clause_of[call] == c:
            # what someone calls for is no event; an official calling on his own cabinet
            # to act is a statement of intent
            if call > 0 and a.words[call - 1] in _OFFICIAL_SUBJECTS:
                return "pledge", "official_call"
            return "drop", "call_for_change"
    if ("PLEDGE" in a.pos) and (code in POSITIVE or a.first("PLEDGE") < t):
        return "pledge", "pledge"  # 'promised that no journalist would be prosecuted'
    if (
        code not in _NEG_EXEMPT
        and not hit.standing
        and (a.in_clause("NEG", c, before=t, window=8) or a.in_clause("RARE", c))
    ):
        # "no one has been held accountable" is impunity, not a negation of it
        return "negated", "negation"
    if code in LAW_TYPES:
        if ("PROPOSED" in a.pos) and "INFORCE" not in a.pos:
            return "proposed", "proposed"
        if ("PASSED" in a.pos) and (("VETO" in a.pos) or "INFORCE" not in a.pos):
            return "proposed", "passed_not_in_force"
        if "STRONG_HEDGE" in a.pos:
            return "alleged", "hedge"
    else:
        if a.in_clause("PROPOSED", c, before=t, window=10) and code not in POSITIVE:
            return "proposed", "proposed"
        if code not in _NO_HEDGE and (
            _hedged(a, t, c) or a.in_clause("HEDGE", c, before=t, window=20)
        ):
            return "alleged", "hedge"
    if _scoped(a, "STRONG_CONT", t, c):
        return "continuing", "covered_before"
    if timing.before_period and not timing.in_period:
        return "continuing", "dated_before_period"
    if timing.in_period:
        return "new", "dated_in_period"
    if code == "X_IMPUNITY":
        return "continuing", "impunity_persists"
    if _scoped(a, "CONT", t, c) and code != "ASM_PEACEFUL_PROTEST":
        return "continuing", "continuing_cue"
    if code in LAW_TYPES and (timing.report or (a.present and not a.past)):
        return "continuing", "law_in_force"
    if timing.report:
        if _scoped(a, "HABIT", t, c) or _perfect(a):
            return "continuing", "habitual"
        if a.present and not _mostly_past(a):
            return "continuing", "present_tense"
    if story_continues:
        return "continuing", "covered_story"
    if timing.report and not _shows_past(a):
        # a report's undated sentence with no past tense describes how things are
        return "continuing", "standing_condition"
    return "new", "default"


def _scoped(a: Analysis, tag: str, t: int, c: int) -> bool:
    """A cue before the trigger or in its clause (not in a later subordinate clause)."""
    ps = a.pos.get(tag)
    if not ps:
        return False
    clause_of = a.clause_of  # (a property: read once)
    return any(p < t or clause_of[p] == c for p in ps)


def _hedged(a: Analysis, t: int, c: int) -> bool:
    """A strong hedge before the trigger (in its clause or an earlier one)."""
    return any(p < t for p in a.pos.get("STRONG_HEDGE", ()))


_PARTICIPLES = frozenset(
    {
        "been",
        "had",
        "become",
        "seen",
        "faced",
        "made",
        "taken",
        "given",
        "shown",
        "held",
        "kept",
        "brought",
        "won",
        "lost",
        "done",
        "grown",
    }
)


def _perfect(a: Analysis) -> bool:
    """Present perfect ('have displayed', 'has faced'): a state that reaches the present.
    Memoised: it reads only the words, and a report's sentence may carry several hits."""
    return a.cached("perfect", lambda: _perfect_uncached(a))


def _perfect_uncached(a: Analysis) -> bool:
    w = a.words
    if "has" not in a.word_set() and "have" not in a.word_set():
        return False
    for i, x in enumerate(w[:-1]):
        if x in ("has", "have"):
            for y in w[i + 1 : i + 3]:
                if y in _PARTICIPLES or (len(y) > 4 and y.endswith("ed")):
                    return True
    return False


def _mostly_past(a: Analysis) -> bool:
    return a.past > a.present


_IRREGULAR_PAST = frozenset(
    """came took held went began made gave told left fled saw won lost met
sent brought fell rose ran led spoke wrote broke stood kept found paid sought caught struck became
shot knew thought said got put set cut hit""".split()
)
_MODALS = frozenset({"can", "may", "must", "might", "could", "would", "will", "cannot"})
_AUXILIARIES = frozenset(
    """is are be been being am has have remain remains can may must will would
should could might get gets""".split()
)


def _shows_past(a: Analysis) -> bool:
    """A simple past ('was', 'were', 'had', 'detained', 'took') that is no participle after
    'is', 'are', 'been', 'has' ... ('are detained', 'has been held'). Memoised: it reads the
    words and the hedges, complete once the rules run."""
    return a.cached("shows_past", lambda: _shows_past_uncached(a))


def _shows_past_uncached(a: Analysis) -> bool:
    w = a.words
    if not PAST_WORDS.isdisjoint(w):
        return True
    months = {i for i, x in enumerate(w) if x == "may"} - set(a.pos.get("HEDGE", ()))
    for i, x in enumerate(w):
        if x in _MODALS and i not in months:
            return False  # 'journalists can be imprisoned for vaguely defined crimes'
        if x in _IRREGULAR_PAST or (len(x) > 4 and x.endswith("ed")):
            if not any(w[j] in _AUXILIARIES and j not in months for j in range(max(0, i - 4), i)):
                return True
    return False
