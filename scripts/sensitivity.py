"""Sensitivity of the freedom score to its weights (issue 5; `make sensitivity`).

Every weight of transforms/method.py is multiplied by 0.5 and by 1.5 in turn (all else frozen;
pooling and memory, shares in (0, 1), through their complements);
for each run we report, against the frozen method, the Spearman rank stability of the annual
scores (across countries, per freedom and year, averaged) and the share of score rows whose band
changes. Runs on the Freedom House corpus through the same cached path as scripts/validate.py.

    uv run --frozen python scripts/sensitivity.py [--years 2019,2020] [--limit N]
"""

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
for p in (REPO, REPO / "scripts"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import validate  # noqa: E402

from transforms.annual import score_annual  # noqa: E402
from transforms.method import METHOD, Method  # noqa: E402

FACTORS = (0.5, 1.5)
SCALAR_WEIGHTS = (
    "negated_weight",
    "positive_weight",
    "mass_weight",
    "text_weight",
    "prior_volume",
    "density_exponent",
    "centre",
    "scale",
)
# pooling (the others' share) and memory (the retention per quarter) are shares: x 1.5 could
# pass 1, so their complements (own share, forgetting rate) are perturbed instead
SHARES = ("pooling", "memory")
DICT_WEIGHTS = (
    "status_weight", "actor_weight", "target_weight", "location_weight", "intensity_weight",
)  # fmt: skip


def perturbations(base: Method = METHOD) -> Iterator[tuple[str, float, Method]]:
    """(name, factor, method) for every non-zero weight x every factor."""
    for factor in FACTORS:
        for name in SCALAR_WEIGHTS:
            value = getattr(base, name)
            if value:
                yield name, factor, base.with_changes(**{name: value * factor})
        for name in SHARES:  # shares in (0, 1): the complement 1 - x is perturbed
            value = getattr(base, name)
            if 0.0 < value < 1.0:
                changed = 1.0 - (1.0 - value) * factor
                yield f"{name} (1 - x)", factor, base.with_changes(**{name: changed})
        for name in DICT_WEIGHTS:
            weights = getattr(base, name)
            for key, value in weights.items():
                if value:
                    changed = {**weights, key: value * factor}
                    yield f"{name}.{key}", factor, base.with_changes(**{name: changed})


def stability(base: pl.DataFrame, other: pl.DataFrame) -> tuple[float, float]:
    """(mean Spearman of scores per freedom x year, share of rows whose band changed)."""
    keys = ["country_iso3", "year", "freedom"]
    j = base.select(*keys, "score", "band").join(
        other.select(*keys, pl.col("score").alias("score2"), pl.col("band").alias("band2")),
        on=keys,
    )
    if j.height == 0:
        return float("nan"), float("nan")
    rhos = [
        validate.spearman(g["score"].to_list(), g["score2"].to_list())
        for g in j.partition_by(["freedom", "year"])
    ]
    changed = j.filter(pl.col("band") != pl.col("band2")).height / j.height
    return validate.mean(rhos), changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="only the first N reports")
    ap.add_argument("--years", help="comma-separated years (default: all)")
    args = ap.parse_args(argv)
    if not validate.REPORTS.exists():
        print(f"{validate.REPORTS} is not there; nothing to analyse", file=sys.stderr)
        return 2
    t = validate.run_pipeline(args.limit)
    years = [int(y) for y in args.years.split(",")] if args.years else None
    base = score_annual(t.events, t.mentions, t.documents, t.sections, years)
    print(f"{base.height} annual rows; method {METHOD.version}")
    print(f"{'weight':<28} {'x':>4} {'rank rho':>9} {'band changed':>13}")
    worst = (2.0, "")
    for name, factor, m in perturbations():
        other = score_annual(t.events, t.mentions, t.documents, t.sections, years, m)
        rho, changed = stability(base, other)
        print(f"{name:<28} {factor:>4.1f} {rho:>9.4f} {changed:>12.1%}")
        worst = min(worst, (rho, f"{name} x{factor}"))
    print(f"\nleast stable: {worst[1]} (rank rho {worst[0]:.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
