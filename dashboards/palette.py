"""Colours of the dashboards: colour-blind-safe bands, freedoms and series.

Band colours are the five classes of ColorBrewer's RdYlBu (safe for the common colour
vision deficiencies); series colours are the Okabe-Ito palette. Every chart also carries
its values as text, so colour is never the only carrier of meaning.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    name: str
    low: float  # inclusive, on the rounded score
    high: float  # inclusive
    colour: str


# closed 0-20, repressed 21-40, obstructed 41-60, narrowed 61-80, open 81-100 (rounded score).
BANDS: tuple[Band, ...] = (
    Band("closed", 0, 20, "#d7191c"),
    Band("repressed", 21, 40, "#fdae61"),
    Band("obstructed", 41, 60, "#ffffbf"),
    Band("narrowed", 61, 80, "#abd9e9"),
    Band("open", 81, 100, "#2c7bb6"),
)
BAND_COLOURS: dict[str, str] = {b.name: b.colour for b in BANDS}
UNKNOWN_BAND_COLOUR = "#bdbdbd"

# Okabe-Ito, without yellow (too light on white).
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("solid", "dash", "dot", "dashdot")
DECLINE = "#D55E00"
IMPROVEMENT = "#0072B2"
INK = "#222222"
GRID = "#e5e5e5"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"


def band_of(score: float | None) -> str:
    """The band of a 0-100 score (boundaries on the score rounded half up); '' for no score."""
    if score is None or score != score:  # None or NaN
        return ""
    s = int(float(score) + 0.5) if score >= 0 else 0
    for b in BANDS:
        if s <= b.high:
            return b.name
    return BANDS[-1].name


def band_colour(band: str | None) -> str:
    return BAND_COLOURS.get(band or "", UNKNOWN_BAND_COLOUR)


def band_colourscale() -> list[list[float | str]]:
    """A stepped colour scale over 0-100 so that a score's colour is its band's colour."""
    scale: list[list[float | str]] = []
    for i, b in enumerate(BANDS):
        lo = 0.0 if i == 0 else (b.low - 0.5) / 100
        hi = 1.0 if i == len(BANDS) - 1 else (b.high + 0.5) / 100
        scale.append([round(lo, 4), b.colour])
        scale.append([round(hi, 4), b.colour])
    return scale


def base_layout() -> dict:
    """A small layout shared by every chart (instead of plotly's large default template)."""
    return {
        "template": {"layout": {}},
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 60, "r": 20, "t": 50, "b": 40},
        "hoverlabel": {"align": "left", "font": {"family": FONT, "size": 12}},
    }
