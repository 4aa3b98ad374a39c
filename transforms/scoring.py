"""The freedom score: per country x calendar quarter x freedom, 0-100 (higher = freer).

A pure function of core.events (+ the mentions, documents and sections they come from);
docs/methodology.md explains it with a worked example.

1. Every event gets a weight as each document tells it: severity x status x actor x target x
   confidence x location (own freedom's section / another freedom's / a general section) x
   intensity (habitual or large-scale wording / occasional or isolated wording in its sentence)
   of that document's strongest mention (``transforms.method``); positive events (improvements,
   peaceful protests) count against repression with ``positive_weight``, and all-clear
   statements (``negated`` mentions: "journalists operate freely") with ``negated_weight``.
2. Each document credits its events and its text to the quarters of its window (1/n to each of
   n quarters; a dated event in full to its own quarter). An event told by several documents
   counts once per quarter; one told again in a later period counts there too.
3. Per (country, period, freedom): R = sum of signed weights, M = sum of absolute weights (the
   evidence mass), D = document-equivalents that speak of the freedom (a section on it, an event
   or a negated mention), S = text volume of the freedom's sections. Pressure
   p = R / (mass_weight x M + text_weight x D x (S / D + prior_volume) ** density_exponent),
   the net share of the evidence pointing to repression, in [-1, 1]. Pooled pressure =
   (1 - pooling) x own + pooling x mean over the freedoms with evidence in the period.
   Memory: the row's pressure is k x p + (1 - k) x the running estimate of the earlier periods,
   with gain k = D / (D + S x memory ** quarters elapsed) (S: document-equivalents behind the
   running estimate). Score = 100 / (1 + exp((p - centre) / scale)), decreasing in p.
4. No evidence in a period -> the last score is carried forward with a wider interval; no
   earlier score -> no row. A missing section is missing evidence, not freedom.
5. Contributions: a ``__baseline__`` row (the starting point: the score of the memory term
   alone, p = 0 in a first period); the
   repressive items share the drop from there to the score of their pressure added, then the
   offsets (positive events, all-clear statements) share the rise to the final score. Points
   are quantised to 2**-16 so that they add up exactly to the score in any order of summation.

Every public function ends by enforcing its table's grain.
"""

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import polars as pl

from transforms.method import BANDS, INTENSITY_WORDS, METHOD, Method
from transforms.periods_q import (
    quarter_end,
    quarter_index,
    quarter_label,
    quarter_of,
    quarters_between,
)
from transforms.taxonomy import EVENT_TYPES, FREEDOMS

BASELINE_ID = "__baseline__"
QUANTUM = 2.0**-16  # points are multiples of this: sums are exact in float64

SCORES_SCHEMA: dict[str, pl.DataType] = {
    "country_iso3": pl.String(),
    "period": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "freedom": pl.String(),
    "score": pl.Float64(),
    "score_low": pl.Float64(),
    "score_high": pl.Float64(),
    "band": pl.String(),
    "n_documents": pl.Int32(),
    "n_events": pl.Int32(),
    "carried_forward": pl.Boolean(),
    "method_version": pl.String(),
}
SCORES_KEYS = ["country_iso3", "period_start", "freedom"]

CONTRIBUTIONS_SCHEMA: dict[str, pl.DataType] = {
    "country_iso3": pl.String(),
    "period": pl.String(),
    "period_start": pl.Date(),
    "freedom": pl.String(),
    "event_id": pl.String(),
    "event_type": pl.String(),
    "status": pl.String(),
    "weight": pl.Float64(),
    "points": pl.Float64(),
    "mention_id": pl.String(),
    "doc_id": pl.String(),
    "sentence": pl.String(),
    "method_version": pl.String(),
}
CONTRIBUTIONS_KEYS = ["country_iso3", "period_start", "freedom", "event_id"]

EVENT_COLUMNS = (
    "event_id", "country_iso3", "event_type", "freedom", "status", "actor", "target",
    "severity", "direction", "window_start", "window_end", "doc_ids", "first_mention_id",
    "summary",
)  # fmt: skip
MENTION_COLUMNS = ("mention_id", "doc_id", "text", "freedom", "status", "event_id")
DOCUMENT_COLUMNS = ("doc_id", "country_iso3", "window_start", "window_end")
SECTION_COLUMNS = ("doc_id", "freedom", "start", "end")


# --------------------------------------------------------------------------- grain and bands


def enforce_grain(df: pl.DataFrame, keys: Sequence[str], table: str) -> pl.DataFrame:
    """Sort by ``keys``; raise ValueError listing the duplicated keys if they are not unique."""
    missing = [k for k in keys if k not in df.columns]
    if missing:
        raise ValueError(f"{table}: key columns missing: {missing}")
    dupes = df.group_by(list(keys)).len().filter(pl.col("len") > 1)
    if dupes.height:
        raise ValueError(
            f"{table}: {dupes.height} duplicated keys {list(keys)}, e.g. {dupes.head(5).to_dicts()}"
        )
    return df.sort(list(keys))


def band_of(score: float) -> str:
    """CIVICUS band of a 0-100 score; the score is first rounded half up to an integer.

    So 20.49 is closed, 20.5 repressed; 80.5 and above open. Out-of-range values are clamped.
    """
    s = min(100, max(0, math.floor(score + 0.5)))
    for name, upper in BANDS:
        if s <= upper:
            return name
    return BANDS[-1][0]


def score_of_pressure(p: float, method: Method = METHOD) -> float:
    """The monotone (decreasing) logistic map from pressure (any real) to a 0-100 score.

    ``100 / (1 + exp((p - centre) / scale))``: net all-clear evidence (p < 0) scores above a
    freedom with no evidence either way (p = 0), repression below it.
    """
    z = (p - method.centre) / method.scale
    if z > 700:
        return 0.0
    if z < -700:
        return 100.0
    return 100.0 / (1.0 + math.exp(z))


_INTENSITY_RE: dict[str, re.Pattern[str]] = {
    k: re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)
    for k, words in INTENSITY_WORDS.items()
}


def intensity_of(text: object, method: Method = METHOD) -> float:
    """Multiplier for habitual / large-scale (``high``) or occasional / isolated (``low``) words.

    Each class that occurs in the sentence multiplies once (both -> the product); no text -> 1.
    """
    if not isinstance(text, str) or not text:
        return 1.0
    x = 1.0
    for k in _intensity_classes(text):
        x *= method.intensity_weight.get(k, 1.0)
    return x


@lru_cache(maxsize=65536)
def _intensity_classes(text: str) -> tuple[str, ...]:
    """The intensity classes whose words occur in ``text`` (memoised: a sentence coding several
    events, or told again in later reports, is searched once)."""
    return tuple(k for k, pattern in _INTENSITY_RE.items() if pattern.search(text))


def mention_weight(
    row: dict, method: Method = METHOD, confidence: float = 1.0, text: object = None
) -> float:
    """Signed weight of one mention (its status, actor, target on the event's type).

    > 0 repressive; < 0 positive events and all-clear (``negated``) statements; 0 pledges and
    unknown statuses. Intensity words of the sentence scale scored events, not all-clear ones.
    """
    if row.get("status") == "negated":
        return -method.negated_weight * max(0.0, min(1.0, confidence))
    return event_weight(row, method, confidence) * intensity_of(text, method)


def event_weight(row: dict, method: Method = METHOD, confidence: float = 1.0) -> float:
    """Signed weight of one core.events row: > 0 repressive, < 0 positive, 0 not scored."""
    sev = row.get("severity")
    if sev is None:
        et = EVENT_TYPES.get(str(row.get("event_type")))
        sev = et.severity if et else 0
    w = (
        float(sev)
        * method.status_weight.get(str(row.get("status")), 0.0)
        * method.actor_weight.get(str(row.get("actor")), method.actor_weight.get("unknown", 1.0))
        * method.target_weight.get(str(row.get("target")), 1.0)
        * max(0.0, min(1.0, confidence))
    )
    direction = row.get("direction")
    if direction is None:
        et = EVENT_TYPES.get(str(row.get("event_type")))
        direction = et.direction if et else "repressive"
    return -method.positive_weight * w if direction == "positive" else w


# --------------------------------------------------------------------------- the core


@dataclass(frozen=True)
class Period:
    """A scoring period: a quarter, or a calendar year (annual scores)."""

    label: str
    start: date
    end: date


@dataclass
class _Cell:
    """Evidence gathered for one (country, period, freedom)."""

    docs: dict[str, float] = field(default_factory=dict)  # doc_id -> document share
    volume: float = 0.0  # S: volume units of the freedom's sections (shared)
    events: dict[str, list[float]] = field(default_factory=dict)  # event_id -> [c, var]
    event_docs: set[str] = field(default_factory=set)
    event_mention: dict[str, str] = field(default_factory=dict)  # event_id -> mention that counted


@dataclass(frozen=True)
class _Result:
    pressure: float
    sd: float
    score: float
    n_documents: int
    n_events: int
    contributions: tuple[tuple[str, float, float, str | None], ...]  # id, weight, points, mention
    mass: float = 0.0  # S: decayed document-equivalents behind the pressure (memory)


def _check_columns(df: pl.DataFrame, needed: Iterable[str], name: str) -> None:
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise ValueError(f"{name}: missing columns {missing} (see sql/ddl)")


def _as_date(v: object) -> date | None:
    return v if isinstance(v, date) else None


def _window_quarters(start: object, end: object) -> list[date]:
    s, e = _as_date(start), _as_date(end)
    if s is None or e is None or e < s:
        return []
    return quarters_between(s, e)


def _section_freedom_at(sections: pl.DataFrame) -> Callable[[str, int], str | None]:
    """(doc_id, offset) -> the freedom of the section holding that offset (None if none)."""
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for r in sections.select(SECTION_COLUMNS).iter_rows(named=True):
        if r["doc_id"] is not None and r["start"] is not None and r["end"] is not None:
            spans[r["doc_id"]].append((int(r["start"]), int(r["end"]), str(r["freedom"])))
    for v in spans.values():
        v.sort()

    def at(doc_id: str, offset: int) -> str | None:
        for s, e, fr in spans.get(doc_id, ()):
            if s <= offset < e:
                return fr
            if s > offset:
                break
        return None

    return at


def _doc_weights(
    mentions: pl.DataFrame,
    ev_rows: dict[str, dict],
    method: Method,
    section_at: Callable[[str, int], str | None] | None = None,
) -> dict[str, dict[str, tuple[float, str | None, bool]]]:
    """event_id -> {doc_id: (signed weight as that document tells the event, mention_id, scored)}.

    A document's weight of an event is the largest (in absolute value) weight among its
    mentions there, each mention with its own status, actor, target and confidence (the event
    row's values where the mentions frame lacks a column).
    """
    names = (
        "event_id",
        "doc_id",
        "mention_id",
        "status",
        "actor",
        "target",
        "confidence",
        "start",
        "text",
        "rule",
    )
    cols = [c for c in names
            if c in mentions.columns]  # fmt: skip
    out: dict[str, dict[str, tuple[float, str | None, bool]]] = defaultdict(dict)
    for m in mentions.select(cols).iter_rows(named=True):
        ev = ev_rows.get(m["event_id"])
        if ev is None or m["doc_id"] is None:
            continue
        row = {**ev, **{k: m[k] for k in ("status", "actor", "target") if m.get(k) is not None}}
        conf = m.get("confidence")
        w = mention_weight(row, method, 1.0 if conf is None else float(conf), m.get("text"))
        if row.get("status") == "negated" and not _is_all_clear(m.get("rule")):
            w = 0.0  # an event said not to have happened is evidence of neither
        if section_at is not None and m.get("start") is not None:
            where = section_at(m["doc_id"], int(m["start"]))
            loc = (
                "own"
                if where == ev["freedom"]
                else "general"
                if where in (None, "general")
                else "other"
            )
            w *= method.location_weight.get(loc, 1.0)
        prev = out[m["event_id"]].get(m["doc_id"])
        # a scored telling beats an all-clear one; then the strongest counts
        scored = row.get("status") != "negated"
        if prev is None or (scored, abs(w)) > (prev[2], abs(prev[0])):
            out[m["event_id"]][m["doc_id"]] = (w, m["mention_id"], scored)
    return out


def _is_all_clear(rule: object) -> bool:
    """A negated mention is an all-clear statement when its rule says so (``.../allclear``).

    Frames without a ``rule`` column (older callers, tests) count every negated mention.
    """
    return rule is None or str(rule).endswith("/allclear")


def _event_quarters(
    ev: dict,
    doc_w: dict[str, tuple[float, str | None, bool]],
    doc_quarters: dict[str, list[date]],
    method: Method,
) -> dict[date, tuple[float, float, str | None]]:
    """quarter -> (signed weight, share, mention_id) of one event.

    Each document that reports the event credits it to its own window (1/n of it to each of
    its n quarters), or in full to the quarter of the event's date when that date lies in the
    window. An event told by several documents counts once per quarter (the strongest telling);
    one re-reported in a later period counts there too (it is still going on). Without a known
    document, the event's own window is used with the event row's weight.
    """
    own = _as_date(ev.get("event_date"))
    own_q = quarter_of(own) if own else None
    out: dict[date, tuple[float, float, str | None]] = {}
    for d, (w, mention_id, _) in sorted(doc_w.items()):
        qs = doc_quarters.get(d)
        if not qs:
            continue
        items = [(own_q, 1.0)] if own_q in qs else [(q, 1.0 / len(qs)) for q in qs]
        for q, share in items:
            if q not in out or abs(w * share) > abs(out[q][0] * out[q][1]):
                out[q] = (w, share, mention_id)
    if not out:
        qs = _window_quarters(ev.get("window_start"), ev.get("window_end"))
        w = event_weight(ev, method)
        out = {q: (w, 1.0 / len(qs), None) for q in qs}
    return out


def score_periods(
    events: pl.DataFrame,
    mentions: pl.DataFrame,
    documents: pl.DataFrame,
    sections: pl.DataFrame,
    period_of: Callable[[date], Period],
    requested: Sequence[Period],
    method: Method = METHOD,
    tails: dict[str, "Tail"] | None = None,
) -> tuple[list[dict], list[dict]]:
    """The method over arbitrary periods made of whole quarters (``period_of(quarter)``).

    Returns plain row dicts (scores without ``period_end`` formatting decisions, contributions);
    the public wrappers turn them into frames and enforce the grain. ``tails``, when given, is
    filled with each country's :class:`Tail` (what any later period without evidence carries).
    """
    _check_columns(events, EVENT_COLUMNS, "events")
    _check_columns(mentions, MENTION_COLUMNS, "mentions")
    _check_columns(documents, DOCUMENT_COLUMNS, "documents")
    _check_columns(sections, SECTION_COLUMNS, "sections")
    period_of = _memoised(period_of)

    # --- documents: country, quarters, volume per freedom
    doc_country: dict[str, str] = {}
    doc_quarters: dict[str, list[date]] = {}
    for r in documents.select(DOCUMENT_COLUMNS).iter_rows(named=True):
        qs = _window_quarters(r["window_start"], r["window_end"])
        if r["doc_id"] is None or r["country_iso3"] is None or not qs:
            continue  # unusable row: no window, no country
        doc_country[r["doc_id"]] = r["country_iso3"]
        doc_quarters[r["doc_id"]] = qs
    volume: dict[tuple[str, str], float] = defaultdict(float)
    for r in sections.select(SECTION_COLUMNS).iter_rows(named=True):
        if r["freedom"] in FREEDOMS and r["doc_id"] in doc_quarters:
            n = max(0, int(r["end"] or 0) - int(r["start"] or 0))
            volume[(r["doc_id"], r["freedom"])] += n / method.chars_per_unit
    # a document speaks of a freedom when it has a section on it, an event or a mention of it
    speaks: set[tuple[str, str]] = {k for k, v in volume.items() if v > 0}
    for r in mentions.select("doc_id", "freedom").iter_rows():
        if r[0] in doc_quarters and r[1] in FREEDOMS:
            speaks.add((r[0], r[1]))

    # --- events: signed weight per quarter, as each document presents it
    ev_rows: dict[str, dict] = {}
    for r in events.select(*EVENT_COLUMNS, *_optional(events, ("event_date",))).iter_rows(
        named=True
    ):
        if r["event_id"] is None or r["country_iso3"] is None or r["freedom"] not in FREEDOMS:
            continue
        ev_rows[r["event_id"]] = r
        for d in r["doc_ids"] or []:
            if d in doc_quarters:
                speaks.add((d, r["freedom"]))
    doc_weights = _doc_weights(mentions, ev_rows, method, _section_freedom_at(sections))
    for eid, r in ev_rows.items():  # documents listed on the event but without mentions here
        for d in r["doc_ids"] or []:
            if d in doc_quarters and d not in doc_weights.get(eid, {}):
                doc_weights[eid][d] = (event_weight(r, method), None, True)

    # --- cells: evidence per (country, period, freedom)
    cells: dict[tuple[str, Period, str], _Cell] = defaultdict(_Cell)
    for doc_id, fr in speaks:
        qs = doc_quarters[doc_id]
        share = 1.0 / len(qs)
        for q in qs:
            cell = cells[(doc_country[doc_id], period_of(q), fr)]
            cell.docs[doc_id] = cell.docs.get(doc_id, 0.0) + share
            cell.volume += share * volume.get((doc_id, fr), 0.0)
    for eid, r in ev_rows.items():
        docs_here = [d for d in (r["doc_ids"] or []) if d in doc_quarters]
        quarters = _event_quarters(r, doc_weights.get(eid, {}), doc_quarters, method)
        for q, (w, share, mention_id) in sorted(quarters.items()):
            cell = cells[(r["country_iso3"], period_of(q), r["freedom"])]
            if w != 0.0:
                acc = cell.events.setdefault(eid, [0.0, 0.0])
                acc[0] += w * share
                acc[1] += w * w * share
                if mention_id is not None:
                    cell.event_mention.setdefault(eid, mention_id)
            cell.event_docs.update(d for d in docs_here if q in doc_quarters[d])

    results: dict[tuple[str, Period, str], _Result] = {}
    groups: dict[tuple[str, Period], dict[str, _Cell]] = defaultdict(dict)
    for (country, period, fr), cell in cells.items():
        groups[(country, period)][fr] = cell
    memory: dict[tuple[str, str], _Memory] = {}
    for (country, period), group in sorted(groups.items(), key=lambda kv: kv[0][1].start):
        q = quarter_index(period.start)
        for fr in sorted(group):
            res = _evaluate(_evidence(fr, group, method), memory.get((country, fr)), q, method)
            results[(country, period, fr)] = res
            memory[(country, fr)] = _Memory(res.pressure, res.sd**2, res.mass, q)

    # --- requested periods, with carry-forward from the last period with evidence
    history: dict[tuple[str, str], list[Period]] = defaultdict(list)
    for country, period, fr in results:
        history[(country, fr)].append(period)
    for v in history.values():
        v.sort(key=lambda p: p.start)
    if tails is not None:
        tails.update(_tails(history, results))

    first_mentions, by_mention = _mention_lookup(mentions, ev_rows)
    score_rows: list[dict] = []
    contrib_rows: list[dict] = []
    for period in sorted(set(requested), key=lambda p: p.start):
        for (country, fr), periods in history.items():
            src = None
            for p in periods:
                if p.start <= period.start:
                    src = p
                else:
                    break
            if src is None:
                continue
            res = results[(country, src, fr)]
            carried = src != period
            gap = quarter_index(period.start) - quarter_index(src.start) if carried else 0
            low, high = carried_interval(res.score, res.pressure, res.sd, gap, method)
            score_rows.append(
                {
                    "country_iso3": country,
                    "period": period.label,
                    "period_start": period.start,
                    "period_end": period.end,
                    "freedom": fr,
                    "score": res.score,
                    "score_low": low,
                    "score_high": high,
                    "band": band_of(res.score),
                    "n_documents": 0 if carried else res.n_documents,
                    "n_events": 0 if carried else res.n_events,
                    "carried_forward": carried,
                    "method_version": method.version,
                }
            )
            for eid, weight, points, mention_id in res.contributions:
                m = by_mention.get(mention_id or "") or first_mentions.get(eid, {})
                ev = ev_rows.get(eid, {})
                contrib_rows.append(
                    {
                        "country_iso3": country,
                        "period": period.label,
                        "period_start": period.start,
                        "freedom": fr,
                        "event_id": eid,
                        "event_type": ev.get("event_type", BASELINE_ID),
                        "status": m.get("status") or ev.get("status", BASELINE_ID),
                        "weight": weight,
                        "points": points,
                        "mention_id": m.get("mention_id"),
                        "doc_id": m.get("doc_id"),
                        "sentence": m.get("text"),
                        "method_version": method.version,
                    }
                )
    return score_rows, contrib_rows


@dataclass(frozen=True)
class Tail:
    """What a country's scores carry into any later period without evidence: its last period
    with evidence (None: none at all) and, per freedom, the start, pressure and spread of that
    freedom's last row with evidence. With it, the rows of a later period follow from those of
    an earlier one (``carry_scores``) without scoring the country's history again."""

    last: date | None
    freedoms: dict[str, tuple[date, float, float]]

    def to_json(self) -> dict:
        """A JSON-able form; floats keep every bit (``repr`` round-trips)."""
        return {
            "last": self.last.isoformat() if self.last else None,
            "freedoms": {f: [s.isoformat(), p, sd] for f, (s, p, sd) in self.freedoms.items()},
        }

    @classmethod
    def from_json(cls, data: dict) -> "Tail":
        last = data.get("last")
        return cls(
            date.fromisoformat(last) if last else None,
            {
                f: (date.fromisoformat(s), float(p), float(sd))
                for f, (s, p, sd) in data.get("freedoms", {}).items()
            },
        )


def _tails(
    history: dict[tuple[str, str], list[Period]], results: dict[tuple[str, Period, str], _Result]
) -> dict[str, Tail]:
    """Each country's :class:`Tail` from its periods with evidence (sorted) and their results."""
    freedoms: dict[str, dict[str, tuple[date, float, float]]] = defaultdict(dict)
    for (country, fr), periods in history.items():
        src = periods[-1]
        res = results[(country, src, fr)]
        freedoms[country][fr] = (src.start, res.pressure, res.sd)
    return {
        c: Tail(max(s for s, _, _ in frs.values()), dict(sorted(frs.items())))
        for c, frs in freedoms.items()
    }


def carried_interval(
    score: float, pressure: float, sd: float, gap: int, method: Method = METHOD
) -> tuple[float, float]:
    """(score_low, score_high) of a score carried ``gap`` quarters from its period (as
    ``score_periods`` computes them: the spread widens with the gap)."""
    sd = sd * math.sqrt(1.0 + method.carry_widen * gap)
    p_hi = pressure + method.interval_z * sd
    p_lo = pressure - method.interval_z * sd
    return min(score, score_of_pressure(p_hi, method)), max(score, score_of_pressure(p_lo, method))


def carry_scores(
    scores: pl.DataFrame, tails: dict[str, Tail], to: Period, method: Method = METHOD
) -> pl.DataFrame:
    """Score rows of period ``to`` from the rows of an earlier period of countries with no
    evidence after that period (their ``Tail.last`` is not later): the same scores carried,
    with the interval of the new gap, no documents and no events. ``scores`` has the columns of
    marts.freedom_scores (``period_end`` optional: annual rows have none)."""
    lows: list[float] = []
    highs: list[float] = []
    for c, fr, score in scores.select("country_iso3", "freedom", "score").iter_rows():
        src, pressure, sd = tails[c].freedoms[fr]
        gap = quarter_index(to.start) - quarter_index(src) if src != to.start else 0
        low, high = carried_interval(score, pressure, sd, gap, method)
        lows.append(low)
        highs.append(high)
    out = scores.with_columns(
        pl.lit(to.label, pl.String()).alias("period"),
        pl.lit(to.start, pl.Date()).alias("period_start"),
        pl.Series("score_low", lows, pl.Float64()),
        pl.Series("score_high", highs, pl.Float64()),
        pl.lit(0, scores.schema["n_documents"]).alias("n_documents"),
        pl.lit(0, scores.schema["n_events"]).alias("n_events"),
        pl.lit(True, pl.Boolean()).alias("carried_forward"),
    )
    if "period_end" in out.columns:
        out = out.with_columns(pl.lit(to.end, pl.Date()).alias("period_end"))
    return out


def carry_contributions(contributions: pl.DataFrame, to: Period) -> pl.DataFrame:
    """Contribution rows of period ``to`` from an earlier period's, for countries with no
    evidence after it: a carried score keeps the contributions of its period."""
    return contributions.with_columns(
        pl.lit(to.label, pl.String()).alias("period"),
        pl.lit(to.start, pl.Date()).alias("period_start"),
    )


def _memoised(period_of: Callable[[date], Period]) -> Callable[[date], Period]:
    """``period_of`` computed once per quarter (it is asked for every event and document)."""
    seen: dict[date, Period] = {}

    def period(q: date) -> Period:
        p = seen.get(q)
        if p is None:
            p = seen[q] = period_of(q)
        return p

    return period


def _optional(df: pl.DataFrame, cols: Iterable[str]) -> list[str]:
    return [c for c in cols if c in df.columns]


def _mention_lookup(
    mentions: pl.DataFrame, ev_rows: dict[str, dict]
) -> tuple[dict[str, dict], dict[str, dict]]:
    """(event_id -> its first mention, mention_id -> mention) with id, doc, text, status.

    An event whose first mention is not in the frame gets its summary as text.
    """
    cols = _optional(mentions, ("mention_id", "doc_id", "text", "status"))
    by_id = {
        r["mention_id"]: r
        for r in mentions.select(cols).iter_rows(named=True)
        if r["mention_id"] is not None
    }
    first: dict[str, dict] = {}
    for eid, ev in ev_rows.items():
        m = by_id.get(ev.get("first_mention_id"))
        if m is not None:
            first[eid] = m
        else:
            docs = ev.get("doc_ids") or []
            first[eid] = {
                "mention_id": ev.get("first_mention_id"),
                "doc_id": docs[0] if docs else None,
                "text": ev.get("summary"),
            }
    return first, by_id


def _normaliser(cell: _Cell, method: Method) -> tuple[float, float]:
    """(K, D) of one cell: pressure = K x net weight; D = its document-equivalents.

    K = 1 / (mass_weight x M + text_weight x D x (S / D + prior_volume) ^ density_exponent),
    where M is the evidence mass (the sum of the absolute weights, repressive and all-clear
    alike) and S the text volume: the pressure is the net share of the evidence that points to
    repression, with the freedom's text as evidence of neither (it pulls towards 0).
    """
    d = sum(cell.docs.values())
    if d <= 0:  # events whose own date falls outside any document window
        d = 1.0
    mass = math.fsum(abs(acc[0]) for acc in cell.events.values())
    text = d * (cell.volume / d + method.prior_volume) ** method.density_exponent
    return 1.0 / (method.mass_weight * mass + method.text_weight * text), d


def pooling_shares(
    freedom: str, present: Iterable[str], method: Method = METHOD
) -> dict[str, float]:
    """How much each freedom's pressure counts in ``freedom``'s pooled pressure.

    With n freedoms having evidence in the period: own 1 - pooling + pooling / n, each other
    pooling / n (so 2/3 and 1/6 with pooling 0.5 and all three present); alone: 1.
    """
    present = sorted(set(present) | {freedom})
    n = len(present)
    lam = method.pooling if n > 1 else 0.0
    return {g: (1.0 - lam + lam / n) if g == freedom else lam / n for g in present}


@dataclass(frozen=True)
class _Evidence:
    """What one period's documents say of one (country, freedom), before memory."""

    eff: dict[str, float]  # event -> signed pressure it adds (pooling shares included)
    weight: dict[str, float]  # event -> its weight in this row (period and pooling shares)
    mention: dict[str, str | None]  # event -> the mention that counted
    var: float  # variance of the period's pressure
    docs: float  # D: the freedom's own document-equivalents (the period's amount of evidence)
    n_documents: int
    n_events: int


def _evidence(freedom: str, group: dict[str, _Cell], method: Method) -> _Evidence:
    """Pooled signed pressures of one (country, period, freedom), event by event."""
    eff: dict[str, float] = {}
    weight: dict[str, float] = {}
    mention: dict[str, str | None] = {}
    var = 0.0
    for g, share in pooling_shares(freedom, group, method).items():
        if share <= 0.0:
            continue
        cell = group[g]
        k, d = _normaliser(cell, method)
        var += (share * k) ** 2 * (
            math.fsum(acc[1] for acc in cell.events.values()) + method.prior_variance * d
        )
        for eid, acc in cell.events.items():
            eff[eid] = share * k * acc[0]
            weight[eid] = share * abs(acc[0])
            mention[eid] = cell.event_mention.get(eid)
    own = group[freedom]
    return _Evidence(
        eff=eff,
        weight=weight,
        mention=mention,
        var=var,
        docs=max(sum(own.docs.values()), 0.0) or 1.0,
        n_documents=len(set(own.docs) | own.event_docs),
        n_events=len(own.events),
    )


@dataclass(frozen=True)
class _Memory:
    """The running estimate of one (country, freedom) after its last period with evidence."""

    pressure: float
    var: float
    mass: float  # S: decayed document-equivalents behind the estimate
    quarter: int  # quarter_index of the period's start


def _evaluate(ev: _Evidence, memory: _Memory | None, quarter: int, method: Method) -> _Result:
    """Pressure, spread, score and exact contributions of one row, with memory of the past.

    The row's pressure is a weighted mean of this period's evidence (its document-equivalents
    D) and the running estimate (its decayed mass S x memory ** quarters elapsed): gain
    k = D / (D + S'), pressure = k x evidence + (1 - k) x previous. Without memory (the first
    period, or ``method.memory`` 0) k = 1.
    """
    prior_mass = 0.0
    if memory is not None and method.memory > 0.0:
        prior_mass = memory.mass * method.memory ** max(0, quarter - memory.quarter)
    k = ev.docs / (ev.docs + prior_mass)
    start = (1.0 - k) * memory.pressure if memory is not None and prior_mass > 0 else 0.0
    eff = {e: k * v for e, v in ev.eff.items()}
    net = start + math.fsum(eff.values())
    var = k * k * ev.var + ((1.0 - k) ** 2 * memory.var if memory is not None else 0.0)
    # points: the baseline is the starting point: the score of the memory term alone (of no
    # evidence either way, pressure 0, without memory); repressive items share the drop from
    # there to the score of their pressure added, then the offsets (positive events, all-clear
    # statements) share the rise from there to the final score. Each group has one sign, so
    # its shares are plain proportions; all are quanta.
    repressive = {e: v for e, v in eff.items() if v > 0}
    offsets = {e: -v for e, v in eff.items() if v < 0}
    r_plus = math.fsum(repressive.values())
    base_q = _quantise(score_of_pressure(start, method))
    mid_q = _quantise(score_of_pressure(start + r_plus, method))
    score_q = _quantise(score_of_pressure(net, method))
    points = _allocate(round((mid_q - base_q) / QUANTUM), repressive, r_plus)
    points.update(
        {e: -u for e, u in _allocate(
            -round((score_q - mid_q) / QUANTUM), offsets, math.fsum(offsets.values())
        ).items()}
    )  # fmt: skip
    points.update({e: 0 for e, v in eff.items() if v == 0})
    contributions: list[tuple[str, float, float, str | None]] = [
        (BASELINE_ID, 1.0 - k, base_q, None)
    ]
    contributions += [
        (eid, k * ev.weight[eid], points[eid] * QUANTUM, ev.mention[eid]) for eid in sorted(eff)
    ]
    return _Result(
        pressure=net,
        sd=math.sqrt(var),
        score=math.fsum(p for _, _, p, _ in contributions),
        n_documents=ev.n_documents,
        n_events=ev.n_events,
        contributions=tuple(contributions),
        mass=ev.docs + prior_mass,
    )


def _quantise(x: float) -> float:
    return round(x / QUANTUM) * QUANTUM


def _allocate(units: int, c: dict[str, float], net: float) -> dict[str, int]:
    """Split ``units`` quanta over events in proportion to their signed weight (largest remainder)."""
    if not c:
        return {}
    if units == 0 or net <= 0:
        return dict.fromkeys(c, 0)
    raw = {e: units * w / net for e, w in c.items()}
    floor = {e: math.floor(v) for e, v in raw.items()}
    rest = units - sum(floor.values())
    for e in sorted(raw, key=lambda e: (floor[e] - raw[e], e))[:rest]:
        floor[e] += 1
    return floor


# --------------------------------------------------------------------------- public API


def quarter_period(q: date) -> Period:
    s = quarter_of(q)
    return Period(quarter_label(s), s, quarter_end(s))


def score_quarters(
    events: pl.DataFrame,
    mentions: pl.DataFrame,
    documents: pl.DataFrame,
    sections: pl.DataFrame,
    quarters: list[date] | None = None,
    method: Method = METHOD,
    tails: dict[str, Tail] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """marts.freedom_scores and marts.score_contributions rows for the given quarter starts.

    Inputs are ALL events/documents (carry-forward looks at earlier evidence); only rows of the
    requested quarters are returned. ``quarters=None`` -> every quarter from the first with
    evidence to the last. ``tails``: filled with each country's :class:`Tail` when given.
    """
    if quarters is None:
        quarters = _all_quarters(events, documents)
    requested = [quarter_period(q) for q in quarters]
    rows, contribs = score_periods(
        events, mentions, documents, sections, quarter_period, requested, method, tails
    )
    scores = enforce_grain(
        pl.DataFrame(_columns(rows, SCORES_SCHEMA), schema=SCORES_SCHEMA),
        SCORES_KEYS,
        "marts.freedom_scores",
    )
    contributions = enforce_grain(
        pl.DataFrame(_columns(contribs, CONTRIBUTIONS_SCHEMA), schema=CONTRIBUTIONS_SCHEMA),
        CONTRIBUTIONS_KEYS,
        "marts.score_contributions",
    )
    return scores, contributions


def _columns(rows: list[dict], schema: dict[str, pl.DataType]) -> dict[str, list]:
    return {c: [r[c] for r in rows] for c in schema}


def _all_quarters(events: pl.DataFrame, documents: pl.DataFrame) -> list[date]:
    starts: list[date] = []
    ends: list[date] = []
    for df in (events, documents):
        if {"window_start", "window_end"} <= set(df.columns) and df.height:
            starts += [d for d in df["window_start"].to_list() if isinstance(d, date)]
            ends += [d for d in df["window_end"].to_list() if isinstance(d, date)]
    if not starts or not ends:
        return []
    return quarters_between(min(starts), max(ends))
