"""Type rules: which event types a sentence reports, each with the rule name and trigger.

Most acts (killing, attack, detention, charges, threats, improvements ...) exist for all three
freedoms; what decides the type is who was hit. Each trigger is therefore attached to the
nearest *who* family in its sentence (expression: journalists, media, critics, speech;
association: defenders, NGOs, unions, observers; assembly: protests), preferring its own
clause, and the pair (act, family) names the type. Laws, censorship, stigmatisation,
organisation bans, peaceful protests, impunity and all-clear statements have their own rules.
"""

from dataclasses import dataclass
from operator import attrgetter

from transforms.rules.analysis import ACTS, Analysis


@dataclass(frozen=True)
class Hit:
    event_type: str
    rule: str
    trigger: int  # token position of the trigger
    freedom: str | None = None  # only X_IMPUNITY sets it
    allclear: bool = False
    standing: bool = False  # a freedom denied as a standing condition: never negated


FAMILIES: dict[str, tuple[str, ...]] = {
    "exp": ("JOURNO", "MEDIA", "CRITIC", "SPEECH", "CONTENT"),
    "asc": ("DEFENDER", "ORG", "OBSERVE", "LABOUR"),
    "asm": ("PROTEST", "ASSEMBLY_RIGHT"),
}
_INHERITED_DISTANCE = 5
_MAX_DISTANCE = 30
_OTHER_CLAUSE = 8

# (act tag, family) -> event type
ACT_TYPES: dict[tuple[str, str], str] = {
    ("KILL", "exp"): "EXP_JOURNALIST_KILLED",
    ("KILL", "asc"): "ASC_HRD_KILLED",
    ("KILL", "asm"): "ASM_PROTESTERS_KILLED",
    ("ATTACK", "exp"): "EXP_ATTACK_ON_JOURNALIST",
    ("ATTACK", "asc"): "ASC_HARASSMENT",
    ("ATTACK", "asm"): "ASM_EXCESSIVE_FORCE",
    ("FORCE", "asc"): "ASC_HARASSMENT",
    ("FORCE", "asm"): "ASM_EXCESSIVE_FORCE",
    ("DETAIN", "exp"): "EXP_DETENTION",
    ("DETAIN", "asc"): "ASC_HRD_DETAINED",
    ("DETAIN", "asm"): "ASM_PROTESTERS_DETAINED",
    ("CHARGE", "exp"): "EXP_CRIMINALISATION",
    ("CHARGE", "asc"): "ASC_JUDICIAL_HARASSMENT",
    ("CHARGE", "asm"): "ASM_PROTESTERS_DETAINED",
    ("THREAT", "exp"): "EXP_INTIMIDATION",
    ("THREAT", "asc"): "ASC_HARASSMENT",
    ("OBSTRUCT", "asc"): "ASC_HARASSMENT",
    ("OBSTRUCT", "asm"): "ASM_PROTEST_RESTRICTED",
    ("DISPERSE", "asm"): "ASM_PROTEST_RESTRICTED",
    ("IMPROVE", "exp"): "EXP_IMPROVEMENT",
    ("IMPROVE", "asc"): "ASC_IMPROVEMENT",
    ("IMPROVE", "asm"): "ASM_IMPROVEMENT",
    ("VETO", "asc"): "ASC_IMPROVEMENT",
}
_FAMILIES_FOR: dict[str, tuple[str, ...]] = {
    act: tuple(f for f in ("exp", "asc", "asm") if (act, f) in ACT_TYPES) for act, _ in ACT_TYPES
}
LAW_TYPES = {
    "exp": "EXP_RESTRICTIVE_LAW",
    "asc": "ASC_RESTRICTIVE_LAW",
    "asm": "ASM_RESTRICTIVE_LAW",
}
_WEAK_CHARGE = frozenset(
    {"fine", "fines", "sentence", "sentences", "suits", "prosecution", "trial", "trials"}
)
_PENALTY_WORDS = frozenset(
    {
        "punishable",
        "offense",
        "offence",
        "penalties",
        "penalty",
        "risk",
        "threat",
        "allows",
        "law",
        "laws",
        "under",
    }
)


_WHO_AFTER = frozenset({"no", "free", "freely", "can", "may"})


def _distances(a: Analysis, p: int, after: bool = False, before: bool = False) -> dict[str, int]:
    """Distance from token p to the nearest who-tag of every family (penalised across
    clauses; inherited tags count as a fixed distance). ``after`` / ``before``: only who-tags after / before p.
    Memoised on the analysis (callers only read the result)."""
    return a.cached((p, after, before, a.inherited), lambda: _distances_uncached(a, p, after, before))


def _distances_uncached(a: Analysis, p: int, after: bool, before: bool) -> dict[str, int]:
    out: dict[str, int] = {}
    clause = a.clause_of
    c = clause[p]
    inherited = a.inherited
    for fam, qs in a.family_positions(FAMILIES).items():
        best = 10_000
        if after or before:
            qs = [q for q in qs if not ((after and q < p) or (before and q > p))]
        for q in qs:
            d = (q - p if q > p else p - q) + (0 if clause[q] == c else _OTHER_CLAUSE)
            if d < best:
                best = d
        if inherited and best > _INHERITED_DISTANCE and not inherited.isdisjoint(FAMILIES[fam]):
            best = _INHERITED_DISTANCE
        if best <= _MAX_DISTANCE:
            out[fam] = best
    return out


def _nearest(a: Analysis, p: int, allowed: tuple[str, ...]) -> str | None:
    """The allowed family nearest to p (a tie goes to the one listed first)."""
    d = _distances(a, p)
    best, best_d = None, 0
    for f in allowed:
        v = d.get(f)
        if v is not None and (best is None or v < best_d):
            best, best_d = f, v
    return best


def _families_for(act: str) -> tuple[str, ...]:
    return _FAMILIES_FOR[act]


def _law_content(a: Analysis, p: int) -> bool:
    """The act at p is what a law allows or requires ('the law requires companies to enable
    tracking', 'empowers the police to disperse assemblies'), not an act that happened."""
    if "LAW" not in a.pos:
        return False
    w = a.words
    if _LAW_CONTENT.isdisjoint(w[max(0, p - 12) : p]):
        return False
    for q in range(max(0, p - 12), p):
        if w[q] in _LAW_CONTENT:
            # '... are required for rallies, and police use violence': a new subject acts
            return not any(
                w[r] == "and" and r + 1 < p and w[r + 1] in _NEW_SUBJECTS for r in range(q + 1, p)
            )
    return False


def _speech_reason(a: Analysis) -> bool:
    """'charged over social media posts', 'for criticising': the act punishes speech."""
    return "SPEECH_REASON" in a.pos


_ACT_ORDER = (
    "KILL",
    "ATTACK",
    "FORCE",
    "DETAIN",
    "CHARGE",
    "THREAT",
    "OBSTRUCT",
    "DISPERSE",
    "IMPROVE",
    "VETO",
)


def _act_hits(a: Analysis) -> list[Hit]:
    hits: list[Hit] = []
    words = a.words
    pos = a.pos
    acts = [act for act in _ACT_ORDER if act in pos]
    if not acts:
        return hits
    penalty_talk = ("LAW" in pos) and not _PENALTY_WORDS.isdisjoint(a.word_set())
    speech_reason = _speech_reason(a)
    for act in acts:
        for p in pos[act]:
            if act == "CHARGE" and penalty_talk and words[p] in _WEAK_CHARGE:
                continue  # 'punishable by fines': a law's penalty, not a charge
            if act == "DETAIN" and penalty_talk and words[p].startswith("imprison"):
                continue
            if act not in ("IMPROVE", "VETO") and _law_content(a, p):
                continue
            fam = _nearest(a, p, _families_for(act))
            if fam is None:
                continue
            if speech_reason and act in ("DETAIN", "CHARGE"):
                fam = "exp"
            if fam == "asc" and act in _PHYSICAL and ("STRIKE" in a.pos):
                fam = "asm"  # force against strikers is force against an assembly
            code = ACT_TYPES[(act, fam)]
            if code == "EXP_JOURNALIST_KILLED" and not a.has("JOURNO"):
                continue
            if code == "EXP_ATTACK_ON_JOURNALIST" and not a.has("JOURNO", "MEDIA", "SPEECH"):
                continue
            if code == "ASC_HRD_KILLED" and not a.has("DEFENDER"):
                continue
            if code == "ASC_HRD_DETAINED" and not a.has("DEFENDER", "ORG", "OBSERVE"):
                continue
            hits.append(Hit(code, f"{act.lower()}_{fam}", p))
            # 'police broke up a rally and detained 40 people, including two journalists':
            # acts after a gathering in the same clause also hit its participants
            if (
                fam != "asm"
                and (act, "asm") in ACT_TYPES
                and act != "IMPROVE"
                and any(
                    q < p and a.clause_of[q] == a.clause_of[p] for q in a.pos.get("PROTEST", ())
                )
            ):
                hits.append(Hit(ACT_TYPES[(act, "asm")], f"{act.lower()}_asm_context", p))
    return hits


_LAW_SPAN = 14
_NEW_SUBJECTS = frozenset(
    {
        "police",
        "authorities",
        "security",
        "officials",
        "the",
        "government",
        "troops",
        "soldiers",
        "they",
        "officers",
    }
)
_INSTRUMENT = frozenset(
    {
        "using",
        "referring",
        "under",
        "invoking",
        "citing",
        "pursuant",
        "violating",
        "violation",
        "accordance",
        "support",
        "use",
    }
)


def law_used_as_tool(a: Analysis) -> bool:
    """'might be used to put pressure on NGOs': the law itself is the (alleged) event."""
    if "LAW" not in a.pos:
        return False
    w = a.word_set()
    return "used" in w and bool(w & {"might", "may", "could", "can"})


def _law_hits(a: Analysis) -> list[Hit]:
    if "LAW" not in a.pos:
        return []
    drafted = ("PROPOSED" in a.pos) and bool(a.word_set() & _STRONG_LAW | {"draft", "bill"})
    if not (a.own("RESTRICT", "DISPERSE", "CENSOR") or law_used_as_tool(a) or drafted):
        return []
    restrict = a.pos.get("RESTRICT", []) + a.pos.get("DISPERSE", []) + a.pos.get("CENSOR", [])
    tool = law_used_as_tool(a) or drafted
    # 'denied permits for rallies': the permit is what was refused, not a law
    refused = {q for s, e in a.spans.get("DISPERSE", ()) if e - s > 1 for q in range(s + 1, e)}
    laws = [
        p
        for p in a.pos["LAW"]
        if p not in refused
        and _INSTRUMENT.isdisjoint(a.words[max(0, p - 5) : p])
        and (tool or any(abs(q - p) <= _LAW_SPAN for q in restrict))
    ]
    if not laws:
        return []
    fams: dict[str, int] = {}
    for p in laws:
        for fam, d in _distances(a, p).items():
            if fam not in fams or d < fams[fam]:
                fams[fam] = d
    if not fams:
        return []
    if "asm" in fams and not a.own("PROTEST", "ASSEMBLY_RIGHT"):
        del fams["asm"]
    if not fams:
        return []
    best = min(fams.values())
    # the closest pair of law word and restricting word: a negation before either scopes over
    # the restriction ('no laws regulate ...', 'libel is not a criminal offence')
    pairs = [(abs(q - p), min(p, q)) for p in laws for q in restrict if abs(q - p) <= _LAW_SPAN]
    trigger = min(pairs)[1] if pairs else laws[0]
    out = []
    for fam, d in fams.items():
        if d <= best + 2:
            out.append(Hit(LAW_TYPES[fam], f"law_{fam}", trigger))
    return out


_MODALS = frozenset({"might", "may", "could", "can", "would", "will"})
_LAW_CONTENT = frozenset(
    {
        "requires",
        "require",
        "required",
        "obliges",
        "oblige",
        "must",
        "allows",
        "allow",
        "empowers",
        "enables",
        "permits",
    }
)


def _censorship(a: Analysis) -> list[Hit]:
    if "CENSOR" not in a.pos:
        return []
    w = a.word_set()
    if "powers" in w or ("blocked" in w and w & {"might", "may", "could"} and ("LAW" in a.pos)):
        return []
    for p in a.pos["CENSOR"]:
        if _law_content(a, p):
            continue  # 'the law requires owners to remove content': what the law says
        if p >= 2 and a.words[p - 1] == "be" and a.words[p - 2] in _MODALS:
            continue  # 'might be blocked': a possible consequence, not an act
        d = _distances(a, p)
        near_content = any(abs(q - p) <= _MAX_DISTANCE for q in a.pos.get("CONTENT", ()))
        if near_content or "exp" in d:
            if "asm" in d and "exp" not in d and not near_content:
                continue
            return [Hit("EXP_CENSORSHIP", "censor_content", p)]
    return []


def _org_restricted(a: Analysis) -> list[Hit]:
    if "ORGREST" not in a.pos:
        return []
    if ("LAW" in a.pos) and a.own("HEDGE", "STRONG_HEDGE"):
        return []  # 'may result in the closure of organisations': a law's effect
    for p in a.pos["ORGREST"]:
        d = _distances(a, p)
        if "asc" in d and (d.get("exp", 99) >= d["asc"] or ("OBSERVE" in a.pos)):
            return [Hit("ASC_ORG_RESTRICTED", "orgrest_asc", p)]
    return []


def _stigma(a: Analysis) -> list[Hit]:
    if (
        ("STIGMA" in a.pos)
        and ("LAW" in a.pos)
        and ("RESTRICT" in a.pos)
        and a.words[a.first("STIGMA")].startswith("threat")
    ):
        return []  # 'a law on NGOs deemed to threaten national security': the law's wording
    if ("STIGMA" in a.pos) and a.has("ORG", "DEFENDER"):
        return [Hit("ASC_STIGMATISATION", "stigma_asc", a.first("STIGMA"))]
    return []


def _peaceful(a: Analysis) -> list[Hit]:
    if "HELD" not in a.pos or not a.own("PROTEST", "STRIKE"):
        return []
    if (
        a.own("KILL", "ATTACK", "FORCE", "DETAIN", "DISPERSE", "CHARGE", "THREAT", "OBSTRUCT")
        and "ALLCLEAR" not in a.pos
    ):
        return []
    gatherings = a.pos.get("PROTEST", []) + a.pos.get("STRIKE", [])
    for p in a.pos["HELD"]:
        c = a.clause_of[p]
        if any(abs(q - p) <= 8 and (a.clause_of[q] == c or abs(q - p) <= 3) for q in gatherings):
            return [Hit("ASM_PEACEFUL_PROTEST", "held_asm", p)]
    return []


def _impunity(a: Analysis) -> list[Hit]:
    if "IMPUNITY" not in a.pos:
        return []
    p = a.first("IMPUNITY")
    d = _distances(a, p)
    if not d:
        fam = "exp"
    else:
        fam = min(d, key=lambda f: (d[f], ("asc", "asm", "exp").index(f)))
    freedom = {"exp": "expression", "asc": "association", "asm": "assembly"}[fam]
    return [Hit("X_IMPUNITY", f"impunity_{fam}", p, freedom)]


def allclear_hits(a: Analysis) -> list[Hit]:
    """'The press is generally free', 'NGOs operate freely', 'no reports of violations of the
    rights of protesters': a negated mention of the general restrictive type of that freedom."""
    if "ALLCLEAR" not in a.pos:
        return []
    p = a.first("ALLCLEAR")
    if p > 0 and a.words[p - 1] in _NEGATORS:
        return []  # 'never well respected'
    if _repression_before(a, p):
        return []  # 'arrests of activists are common', 'self-censorship is common'
    if a.words[p] in _WHO_AFTER:  # 'no reports of violations of the rights of protesters'
        d = _distances(a, p, after=True) or _distances(a, p)
    else:  # 'NGOs (...) operate freely and inform policy discussions'
        d = _distances(a, p, before=True) or _distances(a, p)
    if not d:
        return []
    fam = min(d, key=lambda f: (d[f], ("asm", "asc", "exp").index(f)))
    code = {"asm": "ASM_PROTEST_RESTRICTED", "asc": "ASC_ORG_RESTRICTED", "exp": "EXP_CENSORSHIP"}[
        fam
    ]
    return [Hit(code, f"allclear_{fam}", p, allclear=True)]


# acts whose mention before an all-clear word in the same clause makes the clause describe
# repression ('arrests of activists ... are common', 'restrictions on apps are common'), not
# freedom ('protests are common')
_REPRESSION = ("KILL", "ATTACK", "FORCE", "DETAIN", "CHARGE", "CENSOR", "THREAT", "OBSTRUCT",
               "DENIED", "STIGMA", "ORGREST", "DISPERSE", "HELD", "IMPUNITY", "RESTRICT")  # fmt: skip


def _repression_before(a: Analysis, p: int) -> bool:
    """Whether a repressive act is named before position ``p`` in ``p``'s clause (a phrase that
    ends inside the all-clear phrase, 'access ... is not restricted', is part of it)."""
    clause_of = a.clause_of
    clause = clause_of[p]
    return any(
        e <= p and clause_of[q] == clause for t in _REPRESSION for q, e in a.spans.get(t, ())
    )


_GENERAL_TYPE = {
    "asm": "ASM_PROTEST_RESTRICTED",
    "asc": "ASC_ORG_RESTRICTED",
    "exp": "EXP_CENSORSHIP",
}
_NEGATORS = frozenset({"not", "no", "never", "nor"})


def standing_hits(a: Analysis) -> list[Hit]:
    """'Freedom of assembly is not respected', 'press freedom is severely restricted',
    'independent media are virtually nonexistent': a freedom denied as a standing condition,
    a (continuing) mention of the general restrictive type of that freedom."""
    if "DENIED" not in a.pos:
        return []
    for p in a.pos["DENIED"]:
        if p > 0 and a.words[p - 1] in _NEGATORS:
            continue  # 'not severely restricted'
        # the freedom must be named next to it ('press freedom is severely restricted'), not
        # inherited from the section: 'the monarchy's power is strictly limited' is no event
        c = a.clause_of[p]
        d = {}
        for f, tags in _FREEDOM_WORDS.items():
            qs = [
                q
                for t in tags
                for q in a.pos.get(t, ())
                if abs(q - p) <= _STANDING_SPAN and a.clause_of[q] == c
            ]
            if qs:
                d[f] = min(abs(q - p) for q in qs)
        if not d:
            continue
        fam = min(d, key=lambda f: (d[f], ("asm", "asc", "exp").index(f)))
        return [Hit(_GENERAL_TYPE[fam], f"standing_{fam}", p, standing=True)]
    return []


_STANDING_SPAN = 8
# who-words that name a freedom or its holders as such (not 'citizens', 'students')
_FREEDOM_WORDS = {
    "exp": ("JOURNO", "MEDIA", "SPEECH", "CONTENT"),
    "asc": ("DEFENDER", "ORG", "OBSERVE", "LABOUR"),
    "asm": ("PROTEST", "ASSEMBLY_RIGHT"),
}


# the tags a type rule can start from: every act of the analysis but the object of a pledge
# (a pledge alone reports no event)
ACT_TAGS = ACTS - {"PLEDGE_OBJ"}


def type_hits(a: Analysis) -> list[Hit]:
    """Every event type the analysed sentence reports (at most one hit per type: the first)."""
    pos = a.pos
    if pos.keys().isdisjoint(ACT_TAGS) or "META" in pos:
        return []
    if pos.keys().isdisjoint(_ALL_WHO) and a.inherited.isdisjoint(_ALL_WHO):
        # nobody is named: only a strong impunity statement stands alone
        if "IMPUNITY" in pos and not {a.words[p] for p in pos["IMPUNITY"]} <= _WEAK_IMPUNITY:
            return _impunity(a)
        return []
    clear = allclear_hits(a) if "ALLCLEAR" in pos else []
    # each rule needs its tag (it returns [] without it): called only when the tag is there
    found = _act_hits(a)
    for tag, rule in _TAG_RULES:
        if tag in pos:
            found += rule(a)
    if not found:  # (most sentences): the filters below would keep the all-clear hits only
        return list(clear)
    clear_clause = {a.clause_of[h.trigger] for h in clear}
    hits = list(clear)
    seen = {h.event_type for h in clear}
    clear_types = set(seen)
    found_types = {h.event_type for h in found}
    org_act = "ASC_ORG_RESTRICTED" in found_types
    if "ASM_RESTRICTIVE_LAW" in found_types:
        found = [
            h
            for h in found
            if not (
                h.event_type == "ASM_PROTEST_RESTRICTED"
                and a.words[h.trigger].startswith(_BAN_WORDS)
            )
        ]
    # 'the court struck down the law that obliged NGOs to ...': the law is undone in this
    # sentence, so it is an improvement, not the restrictive law it describes
    undone = {
        h.event_type[:3]
        for h in found
        if h.rule.startswith(("improve_", "veto_"))
        and a.words[h.trigger].startswith(_UNDO)
        and any(p > h.trigger for p in pos.get("LAW", ()))
    }
    if undone:
        found = [
            h for h in found if not (h.event_type in _LAW_TYPE_SET and h.event_type[:3] in undone)
        ]
    if any(h.event_type in _LAW_TYPE_SET for h in found) and law_used_as_tool(a):
        found = [h for h in found if not h.rule.startswith(("threat_", "obstruct_"))]
    if len(found) > 1:
        found.sort(key=_TRIGGER)  # stable, as sorted() was
    for h in found:
        if h.event_type in seen:
            continue
        if h.event_type in clear_types and a.clause_of[h.trigger] in clear_clause:
            continue
        if h.event_type == "ASC_RESTRICTIVE_LAW" and org_act and not _strong_law(a):
            continue
        seen.add(h.event_type)
        hits.append(h)
    return hits


# the rules after _act_hits, in the order their hits are listed, with the tag each needs
_TAG_RULES = (
    ("LAW", _law_hits),
    ("CENSOR", _censorship),
    ("ORGREST", _org_restricted),
    ("STIGMA", _stigma),
    ("HELD", _peaceful),
    ("IMPUNITY", _impunity),
    ("DENIED", standing_hits),
)
_PHYSICAL = frozenset({"FORCE", "ATTACK", "KILL"})
_LAW_TYPE_SET = frozenset(LAW_TYPES.values())
_TRIGGER = attrgetter("trigger")
_UNDO = (
    "struck",
    "repeal",
    "overturn",
    "nullif",
    "annul",
    "invalidat",
    "abolish",
    "scrap",
    "unconstitutional",
)
_WEAK_IMPUNITY = frozenset({"unresolved", "unsolved", "investigation", "the"})
_ALL_WHO = frozenset(t for tags in FAMILIES.values() for t in tags) | {"STRIKE"}
_BAN_WORDS = ("ban", "prohibit", "unauthori", "restrict", "curfew", "lockdown", "not")
_STRONG_LAW = frozenset(
    {
        "law",
        "laws",
        "legislation",
        "decree",
        "bill",
        "act",
        "code",
        "amendment",
        "amendments",
        "scheme",
        "regulation",
        "regulations",
    }
)


def _strong_law(a: Analysis) -> bool:
    return bool(a.word_set() & _STRONG_LAW)
