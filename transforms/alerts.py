"""marts.alerts: sharp declines and sentinel events, each with the sentence(s) behind it.

- ``sharp_decline``: a score (not carried forward) that fell from the previous period by more
  than ``max(alert_min_drop, alert_sd_factor x robust sd)`` points, where the robust sd is
  1.4826 x the median absolute deviation of the same country and freedom's earlier
  period-to-period changes (only ``alert_min_drop`` applies while fewer than
  ``alert_min_history`` earlier changes exist). Evidence: the sentences of the events that took
  the most points in that period.
- ``sentinel``: any killing (``*_KILLED`` types, status new or alleged) and any restrictive law
  in force (``*_RESTRICTIVE_LAW`` with status new), whatever the score does.

Pass all score rows of a country (its history), not only the newest period; filter the result by
period if you need one partition.
"""

import statistics
from collections import defaultdict
from datetime import date

import polars as pl

from transforms.method import METHOD, Method
from transforms.periods_q import quarter_label, quarter_of
from transforms.scoring import BASELINE_ID, enforce_grain

ALERTS_SCHEMA: dict[str, pl.DataType] = {
    "alert_id": pl.String(),
    "kind": pl.String(),
    "country_iso3": pl.String(),
    "period": pl.String(),
    "period_start": pl.Date(),
    "freedom": pl.String(),
    "change": pl.Float64(),
    "message": pl.String(),
    "event_id": pl.String(),
    "doc_id": pl.String(),
    "evidence": pl.String(),
    "method_version": pl.String(),
}
ALERTS_KEYS = ["alert_id"]
MAX_EVIDENCE = 3


def robust_sd(values: list[float]) -> float:
    """1.4826 x median absolute deviation (0 for fewer than two values)."""
    if len(values) < 2:
        return 0.0
    med = statistics.median(values)
    return 1.4826 * statistics.median(abs(v - med) for v in values)


def decline_threshold(history: list[float], method: Method = METHOD) -> float:
    """Points a score must fall by to be a sharp decline, given earlier changes."""
    if len(history) < method.alert_min_history:
        return method.alert_min_drop
    return max(method.alert_min_drop, method.alert_sd_factor * robust_sd(history))


def is_sentinel(event_type: str, status: str) -> bool:
    if event_type.endswith("_KILLED"):
        return status in ("new", "alleged")
    return event_type.endswith("_RESTRICTIVE_LAW") and status == "new"


def find_alerts(
    scores: pl.DataFrame,
    contributions: pl.DataFrame,
    events: pl.DataFrame,
    mentions: pl.DataFrame,
    method: Method = METHOD,
) -> pl.DataFrame:
    """marts.alerts rows from marts.freedom_scores (+ contributions) and core.events/mentions."""
    texts = _evidence_texts(events, mentions)
    rows = _sharp_declines(scores, contributions, texts, method)
    rows += _sentinels(events, texts, method)
    df = pl.DataFrame({c: [r[c] for r in rows] for c in ALERTS_SCHEMA}, schema=ALERTS_SCHEMA)
    return enforce_grain(df, ALERTS_KEYS, "marts.alerts")


def _evidence_texts(events: pl.DataFrame, mentions: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """event_id -> (doc_id, sentence) of its first mention, else its summary."""
    by_mention: dict[str, tuple[str, str]] = {}
    if {"mention_id", "doc_id", "text"} <= set(mentions.columns):
        for mid, doc, text in mentions.select("mention_id", "doc_id", "text").iter_rows():
            if mid is not None:
                by_mention[mid] = (doc or "", text or "")
    out: dict[str, tuple[str, str]] = {}
    if "event_id" not in events.columns:
        return out
    for r in events.iter_rows(named=True):
        m = by_mention.get(r.get("first_mention_id") or "")
        if m:
            out[r["event_id"]] = m
        else:
            docs = r.get("doc_ids") or []
            out[r["event_id"]] = (docs[0] if docs else "", r.get("summary") or "")
    return out


def _sharp_declines(
    scores: pl.DataFrame,
    contributions: pl.DataFrame,
    texts: dict[str, tuple[str, str]],
    method: Method,
) -> list[dict]:
    if scores.height == 0:
        return []
    top: dict[tuple[str, date, str], list[tuple[float, str]]] = defaultdict(list)
    if contributions.height:
        for r in contributions.select(
            "country_iso3", "period_start", "freedom", "event_id", "points"
        ).iter_rows():
            if r[3] != BASELINE_ID and r[4] is not None and r[4] < 0:
                top[(r[0], r[1], r[2])].append((r[4], r[3]))
    series: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in scores.iter_rows(named=True):
        series[(r["country_iso3"], r["freedom"])].append(r)
    out: list[dict] = []
    for (country, fr), rows in series.items():
        rows.sort(key=lambda r: r["period_start"])
        changes: list[float] = []
        for prev, cur in zip(rows, rows[1:], strict=False):
            change = float(cur["score"]) - float(prev["score"])
            threshold = decline_threshold(changes, method)
            if not cur["carried_forward"] and -change > threshold:
                drivers = sorted(top.get((country, cur["period_start"], fr), []))[:MAX_EVIDENCE]
                sentences = [texts[e][1] for _, e in drivers if e in texts and texts[e][1]]
                evidence = " | ".join(dict.fromkeys(sentences))  # each sentence once, in order
                first = drivers[0][1] if drivers else None
                out.append(
                    {
                        "alert_id": f"sharp_decline:{country}:{cur['period']}:{fr}",
                        "kind": "sharp_decline",
                        "country_iso3": country,
                        "period": cur["period"],
                        "period_start": cur["period_start"],
                        "freedom": fr,
                        "change": change,
                        "message": (
                            f"{fr} score fell {-change:.1f} points ({prev['score']:.1f} -> "
                            f"{cur['score']:.1f}) in {cur['period']}; beyond the normal "
                            f"{threshold:.1f} for {country}"
                        ),
                        "event_id": first,
                        "doc_id": texts.get(first, ("", ""))[0] or None if first else None,
                        "evidence": evidence or "(no scored event in this period)",
                        "method_version": method.version,
                    }
                )
            changes.append(change)
    return out


def _sentinels(
    events: pl.DataFrame, texts: dict[str, tuple[str, str]], method: Method
) -> list[dict]:
    needed = {"event_id", "country_iso3", "event_type", "freedom", "status", "window_start"}
    if events.height == 0 or not needed <= set(events.columns):
        return []
    out: list[dict] = []
    for r in events.iter_rows(named=True):
        et, status = str(r["event_type"]), str(r["status"])
        if r["event_id"] is None or not is_sentinel(et, status):
            continue
        when = r.get("event_date") or r["window_start"]
        if not isinstance(when, date):
            continue
        q = quarter_of(when)
        label = quarter_label(q)
        doc_id, sentence = texts.get(r["event_id"], ("", ""))
        what = "killing" if et.endswith("_KILLED") else "restrictive law in force"
        out.append(
            {
                "alert_id": f"sentinel:{r['country_iso3']}:{label}:{r['event_id']}",
                "kind": "sentinel",
                "country_iso3": r["country_iso3"],
                "period": label,
                "period_start": q,
                "freedom": r["freedom"],
                "change": None,
                "message": f"{what}: {et} ({status}) in {r['country_iso3']}, {label}",
                "event_id": r["event_id"],
                "doc_id": doc_id or None,
                "evidence": sentence or str(r.get("summary") or ""),
                "method_version": method.version,
            }
        )
    return out
