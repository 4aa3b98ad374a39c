"""Chart and page text: titles, units, notes and the built-in methodology."""

from transforms.taxonomy import EVENT_TYPES, FREEDOMS, TAXONOMY_VERSION

SITE_TITLE = "civicspace"
SITE_TAGLINE = "Civic freedoms by country and quarter, from published country updates"

FREEDOM_LABELS: dict[str, str] = {
    "expression": "Expression",
    "association": "Association",
    "assembly": "Peaceful assembly",
}
ALL_FREEDOMS_LABEL = "All three freedoms (mean)"
UNIT = "score, 0 (closed) to 100 (open)"
INTERVAL_NOTE = "Shaded: 80% uncertainty interval. Background: band of the score."

CHARTS: dict[str, dict[str, str]] = {
    "world_map": {
        "title": "Civic space by country, latest quarter",
        "unit": UNIT,
        "note": "Colour: band of the mean of the three freedom scores in each country's latest "
        "quarter. Grey: no score. Click a country to open its page.",
    },
    "heatmap": {
        "title": "Scores by country and quarter",
        "unit": UNIT,
        "note": "Mean of the three freedom scores; colour steps follow the bands. "
        "Click a cell to open the country page.",
    },
    "changes": {
        "title": "Biggest changes in the latest quarter",
        "unit": "change in score points",
        "note": "Declines and improvements of single freedom scores, since the previous "
        "quarter (or, when no score moved since then, since a year earlier).",
    },
    "country": {
        "title": "Freedom scores over time",
        "unit": UNIT,
        "note": INTERVAL_NOTE + " Triangles: events that moved the score (down: lowered it, "
        "up: raised it); hover to read the sentence, click to open it in its document. Click "
        "a point of a line for that quarter's events and their evidence.",
    },
    "compare": {
        "title": "Compare countries",
        "unit": UNIT,
        "note": "Choose countries and a freedom. The link of this page keeps your choice.",
    },
}

PAGE_TITLES: dict[str, str] = {
    "index": "Overview",
    "compare": "Compare countries",
    "quality": "Data quality",
    "methodology": "Methodology",
}


def freedom_label(freedom: str) -> str:
    return FREEDOM_LABELS.get(freedom, freedom)


def event_gloss(event_type: str) -> str:
    et = EVENT_TYPES.get(event_type)
    return et.gloss if et else ""


def builtin_methodology(method_versions: list[str]) -> str:
    """The methodology page's text (simple markdown) when docs/methodology.md is absent."""
    versions = ", ".join(method_versions) if method_versions else "(no scores in this build)"
    codes = "\n".join(
        f"- `{code}` ({et.freedom}, {et.direction}, severity {et.severity}): {et.gloss}"
        for code, et in EVENT_TYPES.items()
    )
    freedoms = ", ".join(FREEDOM_LABELS[f] for f in FREEDOMS)
    return f"""# How the scores are made

Each country gets a score from 0 (closed) to 100 (open) for each of three civic freedoms
({freedoms}) and each calendar quarter.

## From documents to events
Country updates and country reports are parsed into sections and sentences. Sentences that
describe a restriction or an easing of a civic freedom are coded as *event mentions* with the
codebook (taxonomy version `{TAXONOMY_VERSION}`): an event type, the freedom, a status (new,
continuing, proposed, alleged, pledge, negated), the actor and the target. Mentions of the same
real-world event are grouped into one event.

## From events to scores
A score starts from a baseline and each scored event adds or removes points according to its
type's severity, its status and the evidence behind it. The state of a freedom changes slowly,
so a score also remembers the earlier quarters (evidence a year old counts two thirds as much
as this quarter's): the baseline of a quarter is what it carries over from the quarters before
it, and the first quarter of a country starts from the score of no evidence either way. The
country pages list, for every quarter, the events that moved each score, their points and the
sentences they come from. A document whose stated period spans several quarters spreads its
evidence over them. Quarters without new evidence carry the previous score forward (marked as
carried forward).

## Uncertainty
Each score has an 80% interval. Few documents, few events or a carried-forward score widen it.

## Bands
- closed: 0 to 20
- repressed: 21 to 40
- obstructed: 41 to 60
- narrowed: 61 to 80
- open: 81 to 100

## Event types
{codes}

## Versions
Method version(s) in this build: {versions}. Taxonomy version: `{TAXONOMY_VERSION}`.

## Limits
- Scores reflect what the documents report. Countries with few published updates have wide
  intervals and may miss events that no document describes.
- Automatic coding makes mistakes; every point on a chart links back to the sentence behind it
  so that a reader can check it.
- Scores are not ratings of the source organisations and are not comparable to them one to one.
"""
