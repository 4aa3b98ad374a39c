"""Made-up tables for previews, tests and timing of the site (no real document text).

``demo_tables(n_countries, n_quarters)`` returns frames with the columns of sql/ddl/*.sql.
With ``hostile=True`` the first country's documents carry HTML/script payloads that must show
as text. Deterministic: the same arguments give the same frames.

Preview: ``python -m dashboards.demo OUT_DIR [N_COUNTRIES N_QUARTERS]``.
"""

import random
import sys
from datetime import date, datetime
from pathlib import Path

import polars as pl

from dashboards.palette import band_of
from transforms.taxonomy import EVENT_TYPES, FREEDOMS

# A few real ISO3 codes (so that the world map shows them) and the names used with them.
COUNTRIES = [
    ("KGZ", "Kyrgyzstan"), ("BLR", "Belarus"), ("KEN", "Kenya"), ("BRA", "Brazil"),
    ("IND", "India"), ("FRA", "France"), ("NGA", "Nigeria"), ("MEX", "Mexico"),
    ("IDN", "Indonesia"), ("TUR", "Turkey"), ("ZAF", "South Africa"), ("PHL", "Philippines"),
]
HOSTILE_TITLE = '<script>window.__pwned=1</script>Update "quoted" & <b>bold</b>'
HOSTILE_NAME = "Kenya <img src=x onerror=window.__pwned=6>"
HOSTILE_SENTENCE = (
    'Police detained the journalist <img src=x onerror="window.__pwned=2"> after a '
    "report; </script><script>window.__pwned=3</script> the charges remain."
)
SENTENCES = {
    "expression": "Authorities detained a reporter after an article on local corruption.",
    "association": "A court ordered the closure of a human rights organisation.",
    "assembly": "Police dispersed a peaceful rally and detained dozens of protesters.",
}
EVENT_OF = {"expression": "EXP_DETENTION", "association": "ASC_ORG_RESTRICTED",
            "assembly": "ASM_PROTESTERS_DETAINED"}
POSITIVE_OF = {"expression": "EXP_IMPROVEMENT", "association": "ASC_IMPROVEMENT",
               "assembly": "ASM_IMPROVEMENT"}
METHOD = "demo-1"


def _quarters(n: int, first_year: int = 2017) -> list[tuple[str, date, date]]:
    out = []
    for i in range(n):
        y, q = first_year + i // 4, i % 4 + 1
        end = date(y + (q == 4), (q * 3) % 12 + 1, 1)
        out.append((f"{y}Q{q}", date(y, q * 3 - 2, 1), date.fromordinal(end.toordinal() - 1)))
    return out


def _countries(n: int) -> list[tuple[str, str]]:
    base = list(COUNTRIES)
    i = 0
    while len(base) < n:  # made-up codes beyond the list (not on the map)
        code = f"Q{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}"
        base.append((code, f"Country {code}"))
        i += 1
    return base[:n]


def demo_tables(n_countries: int = 3, n_quarters: int = 8, *, hostile: bool = True,
                seed: int = 7, doc_chars: int = 600) -> dict[str, pl.DataFrame]:
    rng = random.Random(seed)
    quarters = _quarters(n_quarters)
    docs, mentions, events, scores, contribs, alerts = [], [], [], [], [], []
    for ci, (iso, name) in enumerate(_countries(n_countries)):
        if hostile and iso == "KEN":
            name = HOSTILE_NAME
        level = {f: rng.uniform(15, 90) for f in FREEDOMS}
        for qi, (period, start, end) in enumerate(quarters):
            doc_id = f"d{ci:04d}{qi:04d}{'0' * 8}"
            title = (HOSTILE_TITLE if hostile and ci == 0 and qi == n_quarters - 1
                     else f"{name}: civic space update {period}")
            parts: list[str] = [f"{name} update for {period}.\n\n"]
            offsets = {}
            for fi, f in enumerate(FREEDOMS):
                s = (HOSTILE_SENTENCE if hostile and ci == 0 and qi == n_quarters - 1
                     and f == "expression" else SENTENCES[f])
                offsets[f] = (sum(len(p) for p in parts), fi + 1, s)
                parts.append(s + " ")
            filler = "Background paragraph without coded events. "
            while sum(len(p) for p in parts) < doc_chars:
                parts.append(filler)
            text = "".join(parts)
            docs.append({
                "doc_id": doc_id, "sha256": doc_id[1:].ljust(64, "0"),
                "source": f"updates/{iso.lower()}-{period}.html",
                "source_url": ("javascript:alert(1)" if hostile and ci == 0 and qi == 0
                               else f"https://example.org/{iso.lower()}/{period}"),
                "format": "html", "kind": "update", "title": title, "country_iso3": iso,
                "country_name": name, "period_start": start, "period_end": end,
                "period_stated": True, "period_quote": None, "window_start": start,
                "window_end": end, "published": end, "partners": ["Partner <i>org</i>"],
                "flags": [], "text": text, "parser_version": "demo",
            })
            for f in FREEDOMS:
                prev = level[f]
                step = rng.choice([-9.0, -4.0, -1.5, 0.0, 0.0, 2.0, 4.0])
                if hostile and ci == 0 and qi == n_quarters - 1:
                    step = -12.0
                level[f] = min(max(prev + step, 2.0), 98.0)
                score = round(level[f], 1)
                width = 4 + 6 * rng.random()
                scores.append({
                    "country_iso3": iso, "period": period, "period_start": start,
                    "period_end": end, "freedom": f, "score": score,
                    "score_low": max(score - width, 0.0), "score_high": min(score + width, 100.0),
                    "band": band_of(score), "n_documents": 1, "n_events": int(step != 0),
                    "carried_forward": step == 0, "method_version": METHOD,
                })
                contribs.append({
                    "country_iso3": iso, "period": period, "period_start": start, "freedom": f,
                    "event_id": "__baseline__", "event_type": "", "status": "", "weight": 1.0,
                    "points": round(prev, 1), "mention_id": None, "doc_id": None,
                    "sentence": None, "method_version": METHOD,
                })
                if step == 0:
                    continue
                etype = EVENT_OF[f] if step < 0 else POSITIVE_OF[f]
                pos, sno, sentence = offsets[f]
                mention_id = f"{doc_id}:{pos}:{pos + len(sentence)}:{etype}"
                event_id = f"e{ci:04d}{qi:04d}{f[:4]}"
                mentions.append({
                    "mention_id": mention_id, "doc_id": doc_id, "sentence_no": sno,
                    "start": pos, "end": pos + len(sentence), "text": sentence,
                    "event_type": etype, "freedom": f, "status": "new", "actor": "state",
                    "target": "journalist", "confidence": 0.9, "event_date": None,
                    "rule": "demo", "extractor_version": "demo", "event_id": event_id,
                })
                events.append({
                    "event_id": event_id, "country_iso3": iso, "event_type": etype, "freedom": f,
                    "status": "new", "actor": "state", "target": "public",
                    "severity": EVENT_TYPES[etype].severity,
                    "direction": EVENT_TYPES[etype].direction, "event_date": None,
                    "window_start": start, "window_end": end, "n_mentions": 1,
                    "n_documents": 1, "doc_ids": [doc_id], "summary": sentence,
                    "first_mention_id": mention_id,
                })
                contribs.append({
                    "country_iso3": iso, "period": period, "period_start": start, "freedom": f,
                    "event_id": event_id, "event_type": etype, "status": "new", "weight": 1.0,
                    "points": round(score - round(prev, 1), 1), "mention_id": mention_id,
                    "doc_id": doc_id, "sentence": sentence, "method_version": METHOD,
                })
                if step <= -9:
                    alerts.append({
                        "alert_id": f"a-{event_id}", "kind": "sharp_decline",
                        "country_iso3": iso, "period": period, "period_start": start,
                        "freedom": f, "change": step,
                        "message": f"{f} fell by {-step:.0f} points", "event_id": event_id,
                        "doc_id": doc_id, "evidence": sentence, "method_version": METHOD,
                    })
    t0 = datetime(2026, 11, 1, 12, 0, 0)
    checks = [
        {"run_id": "run-1", "checked_at": t0, "table_name": "staging.documents", "partition": "",
         "check_name": "doc_id_unique", "severity": "ERROR", "success": True,
         "unexpected_count": 0, "examples": "[]"},
        {"run_id": "run-1", "checked_at": t0, "table_name": "core.event_mentions",
         "partition": "2018Q1", "check_name": "offsets_in_text", "severity": "WARN",
         "success": False, "unexpected_count": 2,
         "examples": '[{"doc_id": "d1", "sentence_no": 3, "note": "<script>window.__pwned=4'
                     '</script>"}]'},
    ]
    quarantine = [
        {"file": "inbox/<img src=x onerror=window.__pwned=5>.html", "sha256": None,
         "stage": "ingest", "reason": "binary", "detail": "The file holds binary data.",
         "first_seen": t0, "seen_at": t0},
        {"file": "inbox/empty.txt", "sha256": None, "stage": "ingest", "reason": "empty",
         "detail": "The file is empty.", "first_seen": t0, "seen_at": t0},
    ]
    return {
        "staging.documents": pl.DataFrame(docs),
        "core.events": pl.DataFrame(events),
        "core.event_mentions": pl.DataFrame(mentions),
        "marts.freedom_scores": pl.DataFrame(scores),
        "marts.freedom_scores_annual": pl.DataFrame(),
        "marts.score_contributions": pl.DataFrame(contribs),
        "marts.alerts": pl.DataFrame(alerts),
        "dq.check_results": pl.DataFrame(checks),
        "raw.quarantine": pl.DataFrame(quarantine),
    }


def main(argv: list[str] | None = None) -> int:
    from dashboards.site import build_site

    args = sys.argv[1:] if argv is None else argv
    if not args:
        print(__doc__)
        return 2
    n_c = int(args[1]) if len(args) > 1 else 8
    n_q = int(args[2]) if len(args) > 2 else 12
    paths = build_site(demo_tables(n_c, n_q), Path(args[0]), generated_for="demo data")
    print(f"{len(paths)} files written to {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
