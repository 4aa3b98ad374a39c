"""The data quality page (latest check results, quarantined files) and the methodology page."""

import json

import polars as pl

from dashboards.frames import latest_checks
from dashboards.model import Site
from dashboards.render import esc, markdown, num, short, table
from dashboards.text import PAGE_TITLES, builtin_methodology
from transforms.taxonomy import TAXONOMY_VERSION


def quality_page(site: Site) -> str:
    """quality.html: the latest result of every check, then the quarantined files."""
    parts = [f'<h1>{esc(PAGE_TITLES["quality"])}</h1>']
    lc = latest_checks(site.checks)
    parts.append('<h2 id="checks">Latest check results</h2>')
    if lc.is_empty():
        parts.append('<p class="note">No check results in this build.</p>')
    else:
        failed = lc.filter(~pl.col("success"))
        blocking = failed.filter(pl.col("severity") == "ERROR")
        parts.append(f'<p class="summary">{len(lc)} checks (latest result of each): '
                     f"{len(failed)} failed, {len(blocking)} of them blocking (ERROR).</p>")
        parts.append('<p class="note">The same validation as an offline report, with every '
                     'expectation: <a href="dq-report.html">dq-report.html</a> '
                     '(written by the pipeline beside this page).</p>')
        rows = []
        for r in lc.iter_rows(named=True):
            status = ('<span class="pass">pass</span>' if r["success"]
                      else '<span class="fail">FAIL</span>')
            rows.append([status, esc(r["severity"]), esc(r["table_name"]), esc(r["check_name"]),
                         esc(r["partition"]), num(r["unexpected_count"]),
                         f"<pre>{esc(_pretty_examples(r['examples']))}</pre>",
                         esc(r["checked_at"]), esc(r["run_id"])])
        parts.append(table(["Result", "Severity", "Table", "Check", "Partition", "Unexpected",
                            "Examples", "Checked at", "Run"], rows, table_id="tbl-checks"))
    parts.append('<h2 id="quarantine">Quarantined files</h2>')
    q = site.quarantine.sort(["file", "stage", "reason"], nulls_last=True)
    if q.is_empty():
        parts.append('<p class="note">Nothing was quarantined.</p>')
    else:
        counts = q.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
        parts.append('<p class="summary">' + esc(f"{len(q)} quarantined: " + ", ".join(
            f"{n} {r}" for r, n in counts.rows())) + ".</p>")
        rows = [[f"<code>{esc(r['file'])}</code>", esc(r["stage"]), esc(r["reason"]),
                 esc(r["detail"]), esc(r["first_seen"]), esc(r["seen_at"])]
                for r in q.iter_rows(named=True)]
        parts.append(table(["File", "Stage", "Reason", "Detail", "First seen", "Last seen"],
                           rows, table_id="tbl-quarantine"))
    return "\n".join(parts)


def _pretty_examples(examples: str | None) -> str:
    if not examples:
        return ""
    try:
        value = json.loads(examples)
    except (ValueError, TypeError):
        return short(examples, 600)
    return short(json.dumps(value, ensure_ascii=False, sort_keys=True), 600)


def methodology_page(site: Site, md: str | None) -> str:
    """methodology.html: the versions in this build, then ``md`` (or the built-in text)."""
    text = md if md is not None else builtin_methodology(site.method_versions)
    versions = ", ".join(site.method_versions) or "none"
    return (f'<h1>{esc(PAGE_TITLES["methodology"])}</h1>\n'
            f'<p class="summary">Method version(s) in this build: {esc(versions)}. '
            f"Taxonomy version: {esc(TAXONOMY_VERSION)}.</p>\n" + markdown(text))
