"""The event taxonomy of the codebook: codes, the freedom each belongs to, direction and severity.

Codes and numbers follow ``spec/taxonomy.csv`` of the shared codebook (version below); the
one-line glosses are our own words. ``X_IMPUNITY`` takes the freedom of the original violation.
"""

from dataclasses import dataclass

TAXONOMY_VERSION = "codebook-2026.11"

FREEDOMS = ("expression", "association", "assembly")
SECTION_FREEDOMS = (*FREEDOMS, "general")
STATUSES = ("new", "continuing", "proposed", "alleged", "pledge", "negated")
SCORED_STATUSES = ("new", "continuing", "proposed", "alleged")
ACTORS = ("state", "non_state", "unknown")
TARGETS = ("journalist", "defender", "organisation", "protester", "critic", "public")


@dataclass(frozen=True)
class EventType:
    code: str
    freedom: str  # expression | association | assembly | any
    direction: str  # repressive | positive
    severity: int
    gloss: str


_ROWS = [
    ("EXP_JOURNALIST_KILLED", "expression", "repressive", 10, "media worker killed for their work"),
    ("EXP_ATTACK_ON_JOURNALIST", "expression", "repressive", 7, "physical attack on media workers or premises"),
    ("EXP_DETENTION", "expression", "repressive", 6, "someone detained or jailed for what they said"),
    ("EXP_CRIMINALISATION", "expression", "repressive", 5, "charges, trials, fines or suits over speech"),
    ("EXP_CENSORSHIP", "expression", "repressive", 5, "content, outlet or network blocked, removed or shut"),
    ("EXP_INTIMIDATION", "expression", "repressive", 3, "threats, summons, searches, surveillance of speakers"),
    ("EXP_RESTRICTIVE_LAW", "expression", "repressive", 5, "law or decree restricting media or speech"),
    ("EXP_IMPROVEMENT", "expression", "positive", 3, "concrete easing for expression"),
    ("ASC_HRD_KILLED", "association", "repressive", 10, "defender or civic activist killed"),
    ("ASC_HRD_DETAINED", "association", "repressive", 6, "defender or activist detained"),
    ("ASC_JUDICIAL_HARASSMENT", "association", "repressive", 4, "prosecution of defenders or organisations"),
    ("ASC_ORG_RESTRICTED", "association", "repressive", 6, "organisation refused, dissolved, banned or labelled"),
    ("ASC_RESTRICTIVE_LAW", "association", "repressive", 5, "law restricting NGOs, unions or observers"),
    ("ASC_STIGMATISATION", "association", "repressive", 2, "officials vilify NGOs or defenders"),
    ("ASC_HARASSMENT", "association", "repressive", 3, "raids, inspections, threats against civil society"),
    ("ASC_IMPROVEMENT", "association", "positive", 3, "concrete easing for association"),
    ("ASM_PROTESTERS_KILLED", "assembly", "repressive", 10, "protesters killed"),
    ("ASM_EXCESSIVE_FORCE", "assembly", "repressive", 6, "force injuring protesters"),
    ("ASM_PROTESTERS_DETAINED", "assembly", "repressive", 5, "protesters detained, fined or prosecuted"),
    ("ASM_PROTEST_RESTRICTED", "assembly", "repressive", 4, "protest banned, refused, dispersed or blocked"),
    ("ASM_RESTRICTIVE_LAW", "assembly", "repressive", 5, "law or emergency measure restricting assembly"),
    ("ASM_PEACEFUL_PROTEST", "assembly", "positive", 1, "peaceful protest held without interference"),
    ("ASM_IMPROVEMENT", "assembly", "positive", 3, "concrete easing for assembly"),
    ("X_IMPUNITY", "any", "repressive", 2, "earlier violation left unremedied or denied"),
]

EVENT_TYPES: dict[str, EventType] = {r[0]: EventType(*r) for r in _ROWS}


def freedom_of(event_type: str, fallback: str | None = None) -> str:
    """The freedom an event type belongs to; ``X_IMPUNITY`` needs the original violation's."""
    f = EVENT_TYPES[event_type].freedom
    if f == "any":
        if fallback not in FREEDOMS:
            raise ValueError(f"{event_type} needs the freedom of the original violation")
        return fallback
    return f
