"""The frozen, versioned parameters of the freedom score (docs/methodology.md explains each).

Change any value here -> bump METHOD_VERSION: the version is a column of every marts row, so a
change of method shows in the warehouse and on the dashboard. Values marked "fitted" were chosen
on development data only (Freedom House reports for the years under review 2017-2019, see
``scripts/validate.py --fit``: the objective is the agreement of those years' annual scores with
the FH and V-Dem ratings of the same years); the other years and the held-out countries never
informed them. External ratings (Freedom House, V-Dem, CIVICUS) are never an input of the
computation: they only chose, once, the frozen numbers below.
"""

from dataclasses import dataclass, field, replace
from typing import Any

METHOD_VERSION = "score-2026.11.4"


@dataclass(frozen=True)
class Method:
    """Every number the score depends on. ``scripts/sensitivity.py`` perturbs these."""

    version: str = METHOD_VERSION
    # weight of a mention = severity x status x actor x target x confidence x location x
    # intensity (x -positive_weight for positive events; all-clear statements: negated_weight).
    # continuing: fitted among 0.6/0.8/0.9 (kept below new: the codebook gives continuing
    # events a reduced weight). negated is unused here (see negated_weight).
    status_weight: dict[str, float] = field(
        default_factory=lambda: {
            "new": 1.0,
            "continuing": 0.9,
            "proposed": 0.3,
            "alleged": 0.5,
            "pledge": 0.0,
            "negated": 0.0,
        }
    )
    # fitted (non_state 0.4/0.7, unknown 0.6/0.85): the state's interference first
    actor_weight: dict[str, float] = field(
        default_factory=lambda: {"state": 1.0, "non_state": 0.4, "unknown": 0.6}
    )
    target_weight: dict[str, float] = field(
        default_factory=lambda: {
            "journalist": 1.0,
            "defender": 1.0,
            "organisation": 1.0,
            "protester": 1.0,
            "critic": 1.0,
            "public": 1.0,
        }
    )
    # where the mention stands: in a section on its own freedom, on another freedom, or in a
    # general section (summary, overview, other topics). Fitted (0.25/0.5/1.0 each): a
    # restatement in a summary weighs little; another freedom's section is as good as its own.
    location_weight: dict[str, float] = field(
        default_factory=lambda: {"own": 1.0, "other": 1.0, "general": 0.25}
    )
    # all-clear statements ("journalists operate freely", "the government generally respects
    # freedom of assembly"): the codebook codes them as negated mentions of a restrictive type.
    # They are not repression, but they are explicit evidence of freedom: each one offsets
    # negated_weight x confidence x location of repression in its freedom (pledges still count
    # 0). Only all-clear statements (rule ``.../allclear``) count: a negation scope ("no one was
    # detained") is evidence of neither. Fitted on the fit years (6 / 9 / 12).
    negated_weight: float = 9.0
    # habituality and scale of a mention, read from its sentence (INTENSITY_WORDS below):
    # "routinely", "widespread", "dozens of" ... multiply its weight by intensity_weight["high"];
    # "occasionally", "isolated", "a few" ... by intensity_weight["low"]; both -> the product.
    # Fitted (high 1.5/2/3 -> 3; low 0.5 from score-2026.11.2's search).
    intensity_weight: dict[str, float] = field(default_factory=lambda: {"high": 3.0, "low": 0.5})
    # pooling: civic freedoms move together, so a freedom's pressure is read with the others' in
    # the same period: pooled = (1 - pooling) x own + pooling x mean over the freedoms with
    # evidence (own 0.467, each other 0.267 when all three have evidence). Fitted on the fit
    # years (0.6 / 0.7 / 0.8): pooling helps assembly most (its FH section is a few sentences).
    pooling: float = 0.8
    # a positive event (improvement, peaceful protest) offsets repression by this share
    # (by hand: 0, 0.5 and 1 rank FH reports the same; updates report improvements more often)
    positive_weight: float = 0.5
    # normaliser: pressure = net weight / (mass_weight x evidence mass + text_weight x text),
    # the evidence mass being the sum of the absolute weights (repression, positive events and
    # all-clear statements alike) and text the volume term below: the net share of the evidence
    # that points to repression, in [-1, 1]. mass_weight 0 is the text-only normaliser of
    # score-2026.11.1. Fitted (text_weight 1/1.5/2 with mass_weight 1).
    mass_weight: float = 1.0
    text_weight: float = 1.0
    # text volume: characters of the freedom's own sections per volume unit
    chars_per_unit: float = 1000.0
    # pseudo-volume added per document-equivalent (keeps one incident in a two-line section from
    # becoming an extreme density). Fitted (grid 1/2/4; flat).
    prior_volume: float = 2.0
    # exponent of the text term: 1 = text volume, 0 = documents only. Fitted (0.5/1).
    density_exponent: float = 1.0
    # score = 100 / (1 + exp((pressure - centre) / scale)): a logistic map, so that net positive
    # evidence (all-clear statements outweighing repression, pressure < 0) still ranks above a
    # freedom with no evidence either way. Fitted by least squares to FH sub-scores put on
    # 0-100 (fit years): this sets levels and bands only, never ranks.
    centre: float = 0.56
    scale: float = 0.26
    # memory: the state of a freedom changes slowly, one period's documents see part of it, so a
    # row's pressure is a weighted mean of its period's evidence and the running estimate of the
    # earlier periods: weights D (the period's document-equivalents) and S x memory ** quarters
    # (S: the document-equivalents behind the running estimate, decayed by ``memory`` per
    # quarter elapsed). 0 = no memory (each period on its own evidence). Fitted on the fit years
    # (0 / 0.84 / 0.904 / 0.93; 0.93 better by 0.0005 only and slower: 0.904, 2/3 per year).
    memory: float = 0.904
    # 80% interval: z of the normal quantile, prior variance per document-equivalent,
    # and the widening per quarter carried forward (variance multiplied by 1 + widen * gap).
    # prior_variance chosen among 1..1024 on the fit years (see docs/methodology.md, interval):
    # 64 holds FH's level in about 57% of rows with a median width of 41 points.
    interval_z: float = 1.2816
    prior_variance: float = 64.0
    carry_widen: float = 0.5
    # alerts: a decline is sharp when it exceeds max(min_drop, sd_factor x robust sd of changes)
    alert_min_drop: float = 10.0
    alert_sd_factor: float = 2.0
    alert_min_history: int = 4

    def with_changes(self, **changes: Any) -> "Method":
        """A copy with some parameters changed (for sensitivity runs); version marked."""
        version = changes.pop("version", self.version + "+custom")
        return replace(self, version=version, **changes)


METHOD = Method()

# The words behind intensity_weight (matched case-insensitively as whole words in the mention's
# sentence). Kept short and literal so that a reader can check any mention by hand.
INTENSITY_WORDS: dict[str, tuple[str, ...]] = {
    "high": (
        "routinely", "systematic", "systematically", "frequently", "widespread", "regularly",
        "often", "repeatedly", "pervasive", "severe", "severely", "harsh", "harshly", "dozens",
        "hundreds", "thousands", "numerous", "many", "mass",
    ),
    "low": (
        "occasional", "occasionally", "some", "rarely", "isolated", "sporadic", "sporadically",
        "at times", "sometimes", "a few", "few", "minor",
    ),
}  # fmt: skip

# CIVICUS Monitor bands on the 0-100 scale (upper bound of each, inclusive, on the score
# rounded half up to an integer): closed 0-20, repressed 21-40, obstructed 41-60,
# narrowed 61-80, open 81-100.
BANDS: tuple[tuple[str, int], ...] = (
    ("closed", 20),
    ("repressed", 40),
    ("obstructed", 60),
    ("narrowed", 80),
    ("open", 100),
)
