"""The frozen, versioned parameters of the freedom score (docs/methodology.md explains each).

Change any value here -> bump METHOD_VERSION: the version is a column of every marts row, so a
change of method shows in the warehouse and on the dashboard. Values marked "fitted" were chosen
on development data only (Freedom House reports for the years under review 2017-2019, see
scripts/validate.py --fit-years); the other years and the held-out countries never informed them.
External ratings (Freedom House, V-Dem, CIVICUS) are never an input of the computation.
"""

from dataclasses import dataclass, field, replace
from typing import Any

METHOD_VERSION = "score-2026.11.1"


@dataclass(frozen=True)
class Method:
    """Every number the score depends on. ``scripts/sensitivity.py`` perturbs these."""

    version: str = METHOD_VERSION
    # weight of an event = severity x status x actor x target x confidence x direction
    status_weight: dict[str, float] = field(
        default_factory=lambda: {
            "new": 1.0,
            "continuing": 0.6,
            "proposed": 0.3,
            "alleged": 0.5,
            "pledge": 0.0,
            "negated": 0.0,
        }
    )
    actor_weight: dict[str, float] = field(
        default_factory=lambda: {"state": 1.0, "non_state": 0.7, "unknown": 0.85}
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
    # general section (summary, overview, other topics)
    location_weight: dict[str, float] = field(
        default_factory=lambda: {"own": 1.0, "other": 0.5, "general": 0.5}
    )
    # a positive event (improvement, peaceful protest) offsets repression by this share
    positive_weight: float = 0.5
    # text volume: characters of the freedom's own sections per volume unit
    chars_per_unit: float = 1000.0
    # pseudo-volume added per document-equivalent (shrinks short texts towards no pressure)
    prior_volume: float = 1.0
    # 1 = pure density (pressure per unit of text), 0 = pure count per document
    density_exponent: float = 0.5
    # score = 100 * exp(-(pressure / scale) ** shape)   (fitted: levels only, ranks unchanged)
    scale: float = 6.0
    shape: float = 1.0
    # 80% interval: z of the normal quantile, prior variance per document-equivalent,
    # and the widening per quarter carried forward (variance multiplied by 1 + widen * gap)
    interval_z: float = 1.2816
    prior_variance: float = 4.0
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
