"""Actor (state / non_state / unknown) and target of a mention, from the sentence's tags."""

from transforms.rules.analysis import Analysis

_ATTACKS = frozenset({"EXP_ATTACK_ON_JOURNALIST", "EXP_JOURNALIST_KILLED", "ASM_EXCESSIVE_FORCE",
                      "ASC_HARASSMENT", "ASC_HRD_KILLED", "ASM_PROTESTERS_KILLED"})
_LAWS = frozenset({"EXP_RESTRICTIVE_LAW", "ASC_RESTRICTIVE_LAW", "ASM_RESTRICTIVE_LAW",
                   "ASM_IMPROVEMENT"})


def actor_of(a: Analysis, event_type: str) -> str:
    state, non = ("STATE" in a.pos), ("NONSTATE" in a.pos)
    if event_type in _ATTACKS or event_type in ("ASM_PEACEFUL_PROTEST", "EXP_CENSORSHIP",
                                                "EXP_IMPROVEMENT", "EXP_INTIMIDATION"):
        if event_type == "ASM_PEACEFUL_PROTEST":
            return "non_state"
        if non and (not state or a.first("NONSTATE") < a.first("STATE")):
            return "non_state"
        if state:
            return "state"
        return "unknown" if event_type in _ATTACKS else "state"
    return "state"


def target_of(a: Analysis, event_type: str, freedom: str) -> str:
    if freedom == "assembly":
        return "public" if event_type in _LAWS else "protester"
    if freedom == "association":
        if a.has("DEFENDER") and event_type not in ("ASC_RESTRICTIVE_LAW", "ASC_ORG_RESTRICTED",
                                                    "ASC_STIGMATISATION"):
            return "defender"
        return "organisation"
    if event_type in ("EXP_RESTRICTIVE_LAW", "EXP_CENSORSHIP") and not a.has("JOURNO"):
        return "organisation" if ("MEDIA" in a.pos) and event_type == "EXP_CENSORSHIP" else "public"
    if a.has("JOURNO"):
        return "journalist"
    if a.has("CRITIC", "SPEECH"):
        return "critic"
    if a.has("MEDIA"):
        return "organisation"
    return "public"
