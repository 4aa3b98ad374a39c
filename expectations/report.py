"""An offline, self-contained HTML report of check results (own CSS, escaped values, no CDN).

    write_report(outcomes, Path("site/dq/latest.html"))          # list[CheckOutcome]
    write_report(rows_of_dq_check_results, Path("report.html"))  # pl.DataFrame or dicts
"""

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from html import escape
from pathlib import Path
from typing import Any

import polars as pl

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1d2330;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;
border-bottom:1px solid #d8dce3;padding-bottom:.25rem}
.meta{color:#5b6473;margin:0 0 1rem}
.cards{display:flex;gap:.75rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #d8dce3;border-radius:6px;padding:.5rem .9rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin:.25rem 0 1rem}
th,td{border-bottom:1px solid #e6e9ee;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f6f9;font-weight:600}
.badge{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.8rem;font-weight:600}
.pass{background:#e3f4e8;color:#1b6b34}.fail-ERROR{background:#fbe3e3;color:#9b1c1c}
.fail-WARN{background:#fff2d6;color:#8a5a00}
tr.row-fail-ERROR td:first-child{border-left:3px solid #c53030}
tr.row-fail-WARN td:first-child{border-left:3px solid #d69e2e}
tr.row-fail-ERROR,tr.row-fail-WARN{background:#fffdf7}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
td.check code{white-space:nowrap}tr.examples td{border-top:0;padding-top:0}
.ex{margin:0;padding-left:1rem}.ex li{margin:.1rem 0}
.num{text-align:right}
"""

FIELDS = ("table_name", "check_name", "severity", "success", "unexpected_count", "examples",
          "description", "dimension", "partition", "run_id", "checked_at")


def write_report(
    outcomes_or_rows: Iterable[Any] | pl.DataFrame,
    out_path: Path,
    *,
    title: str = "civicspace data quality",
) -> Path:
    """Write the report to ``out_path`` (atomically) and return the path."""
    records = _records(outcomes_or_rows)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    tmp.write_text(render(records, title=title), encoding="utf-8")
    os.replace(tmp, out_path)
    return out_path


def render(records: list[dict[str, Any]], *, title: str = "civicspace data quality") -> str:
    failed_error = sum(1 for r in records if not r["success"] and r["severity"] == "ERROR")
    failed_warn = sum(1 for r in records if not r["success"] and r["severity"] != "ERROR")
    passed = sum(1 for r in records if r["success"])
    runs = sorted({str(r["run_id"]) for r in records if r.get("run_id")})
    when = sorted({str(r["checked_at"]) for r in records if r.get("checked_at")})
    meta = []
    if runs:
        meta.append(f"run {', '.join(runs[:3])}{' ...' if len(runs) > 3 else ''}")
    if when:
        meta.append(f"checked {when[-1]}")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{escape(" · ".join(meta)) or "&nbsp;"}</p>',
        '<div class="cards">',
        _card("checks", len(records)),
        _card("passed", passed),
        _card("blocking failures", failed_error),
        _card("warnings", failed_warn),
        "</div>",
    ]
    if not records:
        parts.append("<p>No check results.</p>")
    tables: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        tables.setdefault(str(r["table_name"]), []).append(r)
    for table, rows in tables.items():
        parts.append(f'<h2 id="{escape(table)}">{escape(table)}</h2>')
        parts.append(
            "<table><thead><tr><th>status</th><th>check</th><th>severity</th>"
            '<th>dimension</th><th class="num">unexpected</th><th>partition</th>'
            "<th>what it checks</th></tr></thead><tbody>"
        )
        for r in sorted(rows, key=lambda x: (bool(x["success"]), x["severity"] != "ERROR")):
            sev = str(r["severity"])
            cls = "pass" if r["success"] else f"fail-{'ERROR' if sev == 'ERROR' else 'WARN'}"
            badge = "pass" if r["success"] else "FAIL"
            parts.append(
                f'<tr class="row-{cls}"><td><span class="badge {cls}">{badge}</span></td>'
                f'<td class="check"><code>{escape(str(r["check_name"]))}</code></td>'
                f"<td>{escape(sev)}</td><td>{escape(str(r.get('dimension') or ''))}</td>"
                f'<td class="num">{int(r["unexpected_count"] or 0)}</td>'
                f"<td>{escape(str(r.get('partition') or ''))}</td>"
                f'<td class="desc">{escape(str(r.get("description") or ""))}</td></tr>'
            )
            if r["examples"]:
                parts.append(
                    f'<tr class="row-{cls} examples"><td></td><td colspan="6">'
                    f"{_examples(r['examples'])}</td></tr>"
                )
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _card(label: str, n: int) -> str:
    return f'<div class="card"><b>{n}</b>{escape(label)}</div>'


def _examples(examples: Any) -> str:
    if not examples:
        return ""
    items = []
    for ex in examples:
        if isinstance(ex, Mapping):
            text = ", ".join(f"{k}={_short(v)}" for k, v in ex.items())
        else:
            text = _short(ex)
        items.append(f"<li><code>{escape(text)}</code></li>")
    return f'<ul class="ex">{"".join(items)}</ul>'


def _short(v: Any, n: int = 160) -> str:
    s = v if isinstance(v, str) else json.dumps(v, default=str, ensure_ascii=False)
    return s if len(s) <= n else s[: n - 3] + "..."


def _records(data: Iterable[Any] | pl.DataFrame) -> list[dict[str, Any]]:
    rows: list[Any] = data.to_dicts() if isinstance(data, pl.DataFrame) else list(data)
    descriptions = _descriptions()
    out = []
    for row in rows:
        d = asdict(row) if is_dataclass(row) and not isinstance(row, type) else dict(row)
        ex = d.get("examples") or []
        if isinstance(ex, str):
            try:
                ex = json.loads(ex)
            except ValueError:
                ex = [ex]
        rec = {k: d.get(k) for k in FIELDS}
        rec["examples"] = ex if isinstance(ex, list) else [ex]
        rec["success"] = bool(d.get("success"))
        rec["severity"] = str(d.get("severity") or "")
        spec = descriptions.get(str(d.get("check_name")))
        if spec:
            rec["description"] = rec["description"] or spec[0]
            rec["dimension"] = rec["dimension"] or spec[1]
        out.append(rec)
    return out


def _descriptions() -> dict[str, tuple[str, str]]:
    """Check name -> (description, dimension), for rows read back from dq.check_results."""
    from expectations.runner import MODULES, check_names

    out: dict[str, tuple[str, str]] = {}
    for table in MODULES:
        try:
            for s in check_names(table):
                out[s.name] = (s.description, s.dimension)
        except Exception:  # noqa: BLE001, S112 - a broken suite must not stop the report
            continue
    return out
