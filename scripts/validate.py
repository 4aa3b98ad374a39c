"""Validate the freedom score against expert indices (issue 5; `make validate`).

Runs the Freedom House country reports (../shared/corpus/fiw/reports.jsonl.gz) through the pure
pipeline (ingest -> parse -> extract -> group events -> transforms.annual.score_annual) and
compares the annual scores, year by year, with Freedom House sub-scores and V-Dem v14 by
Spearman rank correlation across countries:

    expression  <-> FH D1 + D4,  V-Dem v2x_freexp_altinf
    association <-> FH E2 + E3,  V-Dem v2xcs_ccsi
    assembly    <-> FH E1,       V-Dem v2xcs_ccsi

Bars (averaged over years, every freedom): ours vs FH >= 0.80; ours vs V-Dem >= 0.90 x FH's own
agreement with V-Dem on the same country-years. External ratings are read here only: they never
enter the score. The extracted tables are cached under build/validate/ (keyed by the parser and
extractor versions) so that method iterations take seconds.

    uv run --frozen python scripts/validate.py [--limit N] [--years 2019,2020] [--check]
    uv run --frozen python scripts/validate.py --fit      # search weights on the fit years only
"""

import argparse
import csv
import gzip
import hashlib
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from transforms.annual import score_annual  # noqa: E402
from transforms.method import METHOD, Method  # noqa: E402
from transforms.taxonomy import FREEDOMS  # noqa: E402

SHARED = REPO.parent / "shared"
REPORTS = SHARED / "corpus" / "fiw" / "reports.jsonl.gz"
FH_CSV = SHARED / "ratings" / "fh_fiw_subscores_2013_2024.csv"
VDEM_CSV = SHARED / "ratings" / "vdem_v14_demspaces_dv_1968_2023.csv"
CACHE = REPO / "build" / "validate"
FIT_YEARS = (2017, 2018, 2019)
BAR_FH = 0.80
BAR_VDEM_RATIO = 0.90

FH_COLUMNS = {"expression": ("D1", "D4"), "association": ("E2_ngos", "E3_trade_unions"),
              "assembly": ("E1_assembly",)}  # fmt: skip
MAXIMA = {"expression": 8.0, "association": 8.0, "assembly": 4.0}  # FH sub-score ranges
VDEM_COLUMNS = {"expression": "v2x_freexp_altinf", "association": "v2xcs_ccsi",
                "assembly": "v2xcs_ccsi"}  # fmt: skip


# --------------------------------------------------------------------------- statistics


def ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions), 1-based."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman rank correlation (Pearson of average ranks); NaN when undefined."""
    if len(x) != len(y) or len(x) < 3:
        return math.nan
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else math.nan


def mean(values: Iterable[float]) -> float:
    v = [x for x in values if not math.isnan(x)]
    return sum(v) / len(v) if v else math.nan


# --------------------------------------------------------------------------- reference ratings


def load_fh(path: Path = FH_CSV) -> dict[tuple[str, int, str], float]:
    """(iso3, year_under_review, freedom) -> FH sub-score sum; N/A cells skipped."""
    out: dict[tuple[str, int, str], float] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            iso = (r.get("country_iso3") or "").strip()
            if not iso:
                continue
            for freedom, cols in FH_COLUMNS.items():
                try:
                    out[(iso, int(r["year_under_review"]), freedom)] = sum(
                        float(r[c]) for c in cols
                    )
                except (ValueError, KeyError, TypeError):
                    continue
    return out


def load_vdem(path: Path = VDEM_CSV) -> dict[tuple[str, int, str], float]:
    """(country_text_id, year, freedom) -> V-Dem index value."""
    out: dict[tuple[str, int, str], float] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            for freedom, col in VDEM_COLUMNS.items():
                try:
                    out[(r["country_text_id"], int(r["year"]), freedom)] = float(r[col])
                except (ValueError, KeyError, TypeError):
                    continue
    return out


# --------------------------------------------------------------------------- the pipeline


@dataclass
class Tables:
    events: pl.DataFrame
    mentions: pl.DataFrame
    documents: pl.DataFrame
    sections: pl.DataFrame
    seconds: float = 0.0


def _versions() -> str:
    from transforms import events as ev_mod
    from transforms import extract, parse

    return "|".join(
        str(getattr(m, n, "?"))
        for m, n in ((parse, "PARSER_VERSION"), (extract, "EXTRACTOR_VERSION"),
                     (ev_mod, "EVENTS_VERSION"))
    )  # fmt: skip


def _source_files() -> list[Path]:
    names = ("ingest.py", "parse.py", "segment.py", "extract.py", "events.py", "dates.py")
    files = [REPO / "transforms" / n for n in names]
    files += sorted((REPO / "transforms" / "rules").glob("*.py"))
    return [f for f in files if f.exists()]


def cache_key(limit: int | None) -> str:
    """Changes when the reports, the versions or the upstream code change."""
    h = hashlib.sha256()
    h.update(f"{_versions()}|{limit}|{REPORTS.stat().st_size}".encode())
    for f in _source_files():
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def run_pipeline(
    limit: int | None = None,
    countries: set[str] | None = None,
    cache: Path | None = CACHE,
    verbose: bool = True,
) -> Tables:
    """Reports -> (events, mentions, documents, sections) frames, cached under ``cache``.

    ``cache=None`` neither reads nor writes a cache (tests).
    """
    names = ("events", "mentions", "documents", "sections")
    folder = cache / cache_key(limit) if cache is not None else None
    if folder is not None and all((folder / f"{n}.parquet").exists() for n in names):
        t = Tables(*(pl.read_parquet(folder / f"{n}.parquet") for n in names))
    else:
        t = _extract_all(limit, verbose)
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            for n in names:
                getattr(t, n).write_parquet(folder / f"{n}.parquet")
    if countries:
        t = filter_countries(t, countries)
    return t


def filter_countries(t: Tables, countries: set[str]) -> Tables:
    docs = t.documents.filter(pl.col("country_iso3").is_in(sorted(countries)))
    ids = docs["doc_id"].to_list()
    return Tables(
        t.events.filter(pl.col("country_iso3").is_in(sorted(countries))),
        t.mentions.filter(pl.col("doc_id").is_in(ids)),
        docs,
        t.sections.filter(pl.col("doc_id").is_in(ids)),
        t.seconds,
    )


def _extract_all(limit: int | None, verbose: bool) -> Tables:
    from transforms.events import group_events
    from transforms.extract import extract_mentions
    from transforms.ingest import read_landing_bytes
    from transforms.parse import parse_document

    t0 = time.perf_counter()
    data = REPORTS.read_bytes()
    if limit is not None:  # keep the first `limit` JSON lines (still a valid .jsonl)
        lines = gzip.decompress(data).splitlines(keepends=True)[:limit]
        incoming, rejected = read_landing_bytes("reports.jsonl", b"".join(lines))
    else:
        incoming, rejected = read_landing_bytes("reports.jsonl.gz", data)
    for r in rejected:
        print(f"  rejected {r.file}: {r.reason} {r.detail}", file=sys.stderr)
    docs: dict[str, dict] = {}
    sections: list[dict] = []
    mentions: list[dict] = []
    for inc in incoming:
        try:
            doc, secs, sents = parse_document(
                inc.content, inc.format, sha256=inc.sha256, source=inc.source
            )
        except Exception as exc:  # a parse failure is reported, never fatal here
            print(f"  parse failed {inc.source}: {exc}", file=sys.stderr)
            continue
        docs[doc["doc_id"]] = doc
        sections += [{**s, "doc_id": doc["doc_id"]} for s in secs]
        mentions += extract_mentions(
            doc["doc_id"], doc["text"], secs, sents, period_start=doc.get("period_start"),
            period_end=doc.get("period_end"), kind=doc.get("kind", "report"),
        )  # fmt: skip
    mentions, events = group_events(mentions, docs)
    seconds = time.perf_counter() - t0
    if verbose:
        print(f"pipeline: {len(docs)} documents, {len(mentions)} mentions, {len(events)} events "
              f"in {seconds:.1f} s", file=sys.stderr)  # fmt: skip
    doc_rows = [
        {k: d.get(k) for k in ("doc_id", "country_iso3", "window_start", "window_end", "kind")}
        for d in docs.values()
    ]
    return Tables(
        _frame(events, "events"),
        _frame(mentions, "mentions"),
        pl.DataFrame(
            doc_rows,
            schema={
                "doc_id": pl.String,
                "country_iso3": pl.String,
                "window_start": pl.Date,
                "window_end": pl.Date,
                "kind": pl.String,
            },
        ),  # fmt: skip
        _frame(sections, "sections"),
        seconds,
    )


def _frame(rows: list[dict], name: str) -> pl.DataFrame:
    """Rows of dicts -> frame; list/date columns inferred over all rows."""
    if not rows:
        cols = {
            "events": ["event_id", "country_iso3", "event_type", "freedom", "status", "actor",
                       "target", "severity", "direction", "window_start", "window_end",
                       "doc_ids", "first_mention_id", "summary"],
            "mentions": ["mention_id", "doc_id", "text", "freedom", "status", "event_id",
                         "confidence"],
            "sections": ["doc_id", "section_no", "freedom", "start", "end"],
        }[name]  # fmt: skip
        return pl.DataFrame({c: [] for c in cols})
    return pl.DataFrame(rows, infer_schema_length=None)


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True)
class Cell:
    freedom: str
    year: int
    n: int
    fh: float
    vdem: float
    fh_vdem: float

    @property
    def ratio(self) -> float:
        return (
            self.vdem / self.fh_vdem if self.fh_vdem and not math.isnan(self.fh_vdem) else math.nan
        )


def compare(annual: pl.DataFrame, fh: dict, vdem: dict, years: Iterable[int] | None = None,
            countries: set[str] | None = None) -> list[Cell]:  # fmt: skip
    """Spearman per (freedom, year) on the country-years present in all three sources."""
    ours: dict[tuple[str, int], list[tuple[str, float]]] = defaultdict(list)
    for r in annual.filter(~pl.col("carried_forward")).iter_rows(named=True):
        if countries is None or r["country_iso3"] in countries:
            ours[(r["freedom"], r["year"])].append((r["country_iso3"], r["score"]))
    cells: list[Cell] = []
    wanted = set(years) if years is not None else None
    for (freedom, year), rows in sorted(ours.items()):
        if wanted is not None and year not in wanted:
            continue
        trip = [(s, fh[(c, year, freedom)], vdem[(c, year, freedom)]) for c, s in rows
                if (c, year, freedom) in fh and (c, year, freedom) in vdem]  # fmt: skip
        if len(trip) < 3:
            continue
        o, f, v = zip(*trip, strict=True)
        cells.append(Cell(freedom, year, len(trip), spearman(o, f), spearman(o, v),
                          spearman(f, v)))  # fmt: skip
    return cells


def summary(cells: list[Cell]) -> dict[str, dict[str, float]]:
    """Per freedom: mean over years of each statistic."""
    out: dict[str, dict[str, float]] = {}
    for freedom in FREEDOMS:
        cs = [c for c in cells if c.freedom == freedom]
        out[freedom] = {
            "fh": mean(c.fh for c in cs),
            "vdem": mean(c.vdem for c in cs),
            "fh_vdem": mean(c.fh_vdem for c in cs),
            "n": mean(c.n for c in cs),
        }
        out[freedom]["ratio"] = (
            out[freedom]["vdem"] / out[freedom]["fh_vdem"] if out[freedom]["fh_vdem"] else math.nan
        )
    return out


def passes(cells: list[Cell]) -> bool:
    s = summary(cells)
    return all(v["fh"] >= BAR_FH and v["ratio"] >= BAR_VDEM_RATIO for v in s.values())


def print_table(cells: list[Cell], title: str) -> None:
    print(f"\n{title}")
    print(f"{'freedom':<12} {'year':>6} {'n':>4} {'FH~ours':>8} {'VDem~ours':>10} "
          f"{'FH~VDem':>8} {'ratio':>6}")  # fmt: skip
    for c in cells:
        print(f"{c.freedom:<12} {c.year:>6} {c.n:>4} {c.fh:>8.3f} {c.vdem:>10.3f} "
              f"{c.fh_vdem:>8.3f} {c.ratio:>6.3f}")  # fmt: skip
    for freedom, v in summary(cells).items():
        ok = v["fh"] >= BAR_FH and v["ratio"] >= BAR_VDEM_RATIO
        print(f"{freedom:<12} {'mean':>6} {v['n']:>4.0f} {v['fh']:>8.3f} {v['vdem']:>10.3f} "
              f"{v['fh_vdem']:>8.3f} {v['ratio']:>6.3f}  {'PASS' if ok else 'below bar'}")  # fmt: skip


# --------------------------------------------------------------------------- fitting


def fit_grid() -> dict[str, list]:
    """The parameters searched on the fit years (ranks only; levels are calibrated after).

    ``a.b`` names key ``b`` of the dict parameter ``a``. Continuing events stay below new ones
    (the codebook gives them a reduced weight).
    """
    return {
        "status_weight.continuing": [0.6, 0.8, 0.9],
        "actor_weight.non_state": [0.4, 0.7],
        "actor_weight.unknown": [0.6, 0.85],
        "negated_weight": [6.0, 9.0, 12.0],
        "text_weight": [1.0, 1.5, 2.0],
        "pooling": [0.6, 0.7, 0.8],
        "memory": [0.0, 0.84, 0.904, 0.93],
        "intensity_weight.high": [1.5, 2.0, 3.0],
        "location_weight.general": [0.25, 0.5, 1.0],
        "location_weight.other": [0.25, 0.5, 1.0],
        "positive_weight": [0.25, 0.5, 1.0],
    }


def method_from(base: Method, params: dict) -> Method:
    """``base`` with ``params`` (dotted names reach into the dict parameters)."""
    changes: dict = {}
    for name, value in params.items():
        if "." in name:
            outer, key = name.split(".", 1)
            changes.setdefault(outer, dict(getattr(base, outer)))[key] = value
        else:
            changes[name] = value
    return base.with_changes(**changes)


def objective(cells: list[Cell]) -> float:
    """Agreement with the expert indices: mean over freedoms of (rho FH + rho V-Dem) / 2."""
    s = summary(cells)
    return mean((v["fh"] + v["vdem"]) / 2 for v in s.values())


def fit(t: Tables, fh: dict, vdem: dict, years: Sequence[int] = FIT_YEARS,
        rounds: int = 2) -> tuple[dict, float]:  # fmt: skip
    """Coordinate search of ``fit_grid`` on the fit years only, from the current method.

    Each round tries every value of one parameter with the others held, keeps the best, and
    moves to the next parameter; ``rounds`` passes. Deterministic (ties keep the earlier).
    """
    grid = fit_grid()

    def value_of(name: str):
        if "." in name:
            outer, key = name.split(".", 1)
            return getattr(METHOD, outer)[key]
        return getattr(METHOD, name)

    params = {name: value_of(name) for name in grid}
    seen: dict[tuple, float] = {}

    def score(p: dict) -> float:
        key = tuple(sorted(p.items()))
        if key not in seen:
            m = method_from(METHOD, p)
            annual = score_annual(t.events, t.mentions, t.documents, t.sections, list(years), m)
            seen[key] = objective(compare(annual, fh, vdem, years))
            print(f"  {seen[key]:.4f} {p}", file=sys.stderr)
        return seen[key]

    best = score(params)
    for _ in range(rounds):
        for name, values in grid.items():
            for v in values:
                trial = {**params, name: v}
                got = score(trial)
                if got > best + 1e-9:
                    best, params = got, trial
    return params, best


def calibrate_levels(
    annual: pl.DataFrame, fh: dict, method: Method = METHOD
) -> tuple[float, float]:
    """centre, scale of the logistic pressure->score map that best match FH levels (0-100).

    Least squares. Rank statistics do not change; only the level (and so the bands) do. Uses
    the given rows (pass the fit years only); pressures are recovered by inverting ``method``'s
    map, so pass the method that produced ``annual``.
    """
    pairs: list[tuple[float, float]] = []
    for r in annual.filter(~pl.col("carried_forward")).iter_rows(named=True):
        k = (r["country_iso3"], r["year"], r["freedom"])
        if k in fh and 0 < r["score"] < 100:
            p = method.centre + method.scale * math.log(100.0 / r["score"] - 1.0)
            pairs.append((p, 100.0 * fh[k] / MAXIMA[r["freedom"]]))
    best = (math.inf, method.centre, method.scale)
    for centre in [x / 50 for x in range(-50, 51)]:  # pressures lie in [-1, 1]
        for scale in [x / 100 for x in range(2, 101, 2)]:
            err = 0.0
            for p, target in pairs:
                z = min(700.0, (p - centre) / scale)
                err += (100.0 / (1.0 + math.exp(z)) - target) ** 2
            if err < best[0]:
                best = (err, centre, scale)
    return best[1], best[2]


def coverage(annual: pl.DataFrame, fh: dict) -> dict[str, float]:
    """Share of fresh annual rows whose interval holds FH's sub-score put on 0-100 (per freedom).

    A check of the interval's calibration (it is meant to be an 80% interval); also the mean
    absolute level difference, which the bands depend on.
    """
    out: dict[str, float] = {}
    for freedom in FREEDOMS:
        hit, n, err = 0, 0, 0.0
        rows = annual.filter((pl.col("freedom") == freedom) & ~pl.col("carried_forward"))
        for r in rows.iter_rows(named=True):
            k = (r["country_iso3"], r["year"], freedom)
            if k not in fh:
                continue
            target = 100.0 * fh[k] / MAXIMA[freedom]
            n += 1
            hit += r["score_low"] <= target <= r["score_high"]
            err += abs(r["score"] - target)
        out[f"{freedom}_coverage"] = hit / n if n else math.nan
        out[f"{freedom}_mae"] = err / n if n else math.nan
    return out


def calibrate_interval(t: Tables, fh: dict, method: Method, years: Sequence[int] = FIT_YEARS,
                       target: float = 0.80) -> float:  # fmt: skip
    """The prior_variance whose intervals hold FH's level (0-100) closest to ``target`` of the time.

    Fit years only. FH is a noisy stand-in for the truth, so this calibrates the interval
    against expert disagreement too; it is reported, not a claim of exact coverage.
    """
    best = (math.inf, method.prior_variance)
    for pv in (1.0, 4.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0):
        m = method.with_changes(prior_variance=pv)
        annual = score_annual(t.events, t.mentions, t.documents, t.sections, list(years), m)
        cov = coverage(annual, fh)
        got = mean(cov[f"{f}_coverage"] for f in FREEDOMS)
        if abs(got - target) < best[0]:
            best = (abs(got - target), pv)
    return best[1]


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="only the first N reports (quick runs)")
    ap.add_argument("--years", help="comma-separated years to compare (default: all)")
    ap.add_argument("--countries", help="comma-separated ISO3 codes (default: all)")
    ap.add_argument(
        "--no-cache", action="store_true", help="neither read nor write build/validate/"
    )
    ap.add_argument("--check", action="store_true", help="exit 1 when a bar is not met")
    ap.add_argument("--fit", action="store_true", help="search weights on the fit years only")
    args = ap.parse_args(argv)
    if not REPORTS.exists():
        print(f"{REPORTS} is not there (the third-party corpus is not shipped); nothing to "
              "validate", file=sys.stderr)  # fmt: skip
        return 2
    countries = set(args.countries.split(",")) if args.countries else None
    t = run_pipeline(args.limit, countries, cache=None if args.no_cache else CACHE)
    fh, vdem = load_fh(), load_vdem()
    if args.fit:
        params, obj = fit(t, fh, vdem)
        m = method_from(METHOD, params)
        fit_annual = score_annual(t.events, t.mentions, t.documents, t.sections,
                                  list(FIT_YEARS), m)  # fmt: skip
        centre, scale = calibrate_levels(fit_annual, fh, m)
        m = m.with_changes(centre=centre, scale=scale)
        prior_variance = calibrate_interval(t, fh, m)
        print(json.dumps({"params": params, "objective": obj, "centre": centre, "scale": scale,
                          "prior_variance": prior_variance}))  # fmt: skip
        return 0
    years = [int(y) for y in args.years.split(",")] if args.years else None
    t0 = time.perf_counter()
    annual = score_annual(t.events, t.mentions, t.documents, t.sections, years)
    secs = time.perf_counter() - t0
    print(f"{annual.height} annual score rows in {secs:.1f} s (method {METHOD.version})")
    cells = compare(annual, fh, vdem, years)
    print_table(cells, "All years: Spearman across countries (ours = civicspace annual score)")
    fit_cells = [c for c in cells if c.year in FIT_YEARS]
    rest = [c for c in cells if c.year not in FIT_YEARS]
    print_table(fit_cells, f"Held-out split: fit years {FIT_YEARS[0]}-{FIT_YEARS[-1]}")
    print_table(rest, "Held-out split: the other years (never used for fitting)")
    bands = annual["band"].value_counts().sort("band")
    print("\nbands:", dict(zip(bands["band"], bands["count"], strict=True)))
    cov = coverage(annual, fh)
    print("interval holds FH (0-100) / mean abs level difference:",
          {k: round(v, 3) for k, v in cov.items()})  # fmt: skip
    if args.check and not passes(cells):
        print("\nBELOW THE BAR", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
