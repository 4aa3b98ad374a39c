"""HTML rendering: page shell, escaping, tables, embedded figures, simple markdown.

Every string that may come from a document goes through :func:`esc` (HTML) or
:func:`script_json` (JSON inside a <script> element). Pages hold no inline executable script:
figures travel as ``<script type="application/json">`` blocks that ``assets/site.js`` plots,
and a Content-Security-Policy forbids inline script, so markup smuggled into data cannot run.
"""

import html
import json
import math
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from dashboards.frames import slug
from dashboards.text import CHARTS, PAGE_TITLES, SITE_TITLE

# No inline script, nothing from other origins. 'file:' is listed beside 'self' because browsers
# differ on whether 'self' matches file:// pages (the site must open from the file system).
CSP = (
    "default-src 'none'; script-src 'self' file:; style-src 'self' file: 'unsafe-inline'; "
    "img-src 'self' file: data: blob:; font-src 'self' file: data:; connect-src 'self' file:; "
    "base-uri 'none'; form-action 'none'"
)
PLOT_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "typesetMath": False,
    "showLink": False,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}
EVIDENCE_CHARS = 320
NAV = (("index.html", "index"), ("compare.html", "compare"), ("quality.html", "quality"),
       ("methodology.html", "methodology"))


def esc(value: object) -> str:
    """HTML-escape any value; None shows as an empty string."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
    return html.escape(str(value), quote=True)


def script_json(value: object) -> str:
    """JSON safe to embed in a <script> element: '<', '>', '&' and line separators escaped."""
    try:
        s = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                       default=str)
    except ValueError:  # NaN or infinity somewhere: JSON has no such numbers, send null
        s = json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"),
                       allow_nan=False, default=str)
    return (
        s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def _finite(value: object) -> object:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def safe_url(url: object) -> str | None:
    """An http(s) URL to show as a link, else None (javascript:, data: ... are never linked)."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url.strip()
    return None


def fmt_num(x: float | None, digits: int = 1, signed: bool = False) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return ""
    return f"{x:+.{digits}f}" if signed else f"{x:.{digits}f}"


def plot_block(div_id: str, figure: dict, *, root: str, height: int | None = None,
               label: str = "") -> str:
    """A chart: an empty div plus its figure as inert JSON that assets/site.js plots.

    ``label``: what the chart shows, for screen readers (its text alternative is on the page)."""
    config = dict(PLOT_CONFIG, topojsonURL=f"{root}assets/")
    style = f' style="height:{int(height)}px"' if height else ""
    aria = f' role="figure" aria-label="{esc(label)}"' if label else ""
    spec = {"data": share_x(figure.get("data", [])), "layout": figure.get("layout", {}),
            "config": config}
    return (
        f'<div id="{esc(div_id)}" class="plot"{style}{aria}></div>\n'
        f'<script type="application/json" class="plot-data" data-div="{esc(div_id)}">'
        f"{script_json(spec)}</script>\n"
    )


def share_x(traces: list[dict]) -> list[dict]:
    """Traces whose ``x`` repeats an earlier trace's carry ``{"same_x_as": i}`` instead (a
    country chart has nine copies of its quarters); assets/site.js puts the values back before
    plotting. The figures themselves stay plain Plotly."""
    out, first = [], {}
    for i, t in enumerate(traces):
        x = t.get("x") if isinstance(t, dict) else None
        if isinstance(x, list) and len(x) > 1:
            key = json.dumps(x, default=str)
            if key in first:
                t = {**t, "x": {"same_x_as": first[key]}}
            else:
                first[key] = i
        out.append(t)
    return out


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str = "",
          cls: str = "data", table_id: str = "") -> str:
    """A table; header and caption are escaped here, cells must already be HTML."""
    tid = f' id="{esc(table_id)}"' if table_id else ""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<table class="{esc(cls)}"{tid}>{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>\n{body}\n</tbody></table>\n")


def link(href: str, label: str, *, cls: str = "") -> str:
    """A link to a page of the site (href built by the site, label escaped here)."""
    c = f' class="{esc(cls)}"' if cls else ""
    return f'<a href="{esc(href)}"{c}>{esc(label)}</a>'


def page(name: str, title: str, body: str, *, root: str = "", generated_for: str = "",
         scripts: Sequence[str] = (), plots: bool = True) -> str:
    """A whole page: the same shell, nav and footer everywhere; ``root`` is '' or '../'.

    ``plots``: load plotly.js and site.js (pages without charts load no script at all)."""
    current = ' aria-current="page"'
    nav = " ".join(
        f'<a href="{root}{href}"{current if key == name else ""}>{esc(PAGE_TITLES[key])}</a>'
        for href, key in NAV
    )
    foot = f"Built for {esc(generated_for)}. " if generated_for else ""
    js = ["plotly.min.js", *scripts, "site.js"] if plots else list(scripts)
    tags = "".join(f'<script src="{root}assets/{esc(s)}"></script>\n' for s in js)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{esc(title)} - {SITE_TITLE}</title>
<link rel="stylesheet" href="{root}assets/site.css">
</head>
<body>
<header><a class="brand" href="{root}index.html">{SITE_TITLE}</a><nav>{nav}</nav></header>
<main id="main">
{body}
</main>
<footer>{foot}civicspace open data pipeline. Scores are estimates with uncertainty;
see the <a href="{root}methodology.html">methodology</a>.</footer>
{tags}</body>
</html>
"""


_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![*\w])\*([^*\s][^*]*)\*(?![*\w])"), r"<em>\1</em>"),
]


def _inline(text: str) -> str:
    out = esc(text)
    for rx, rep in _INLINE:
        out = rx.sub(rep, out)
    return out


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def markdown(text: str) -> str:
    """A small, safe markdown subset: headings, paragraphs, lists, pipe tables, fenced and
    indented code, emphasis. Everything is escaped first; links and raw HTML show as text."""
    out: list[str] = []
    para: list[str] = []
    items: list[str] = []
    rows: list[list[str]] = []
    code: list[str] | None = None
    indented: list[str] = []

    def flush() -> None:
        if para:
            out.append("<p>" + _inline(" ".join(para)) + "</p>")
            para.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_inline(i)}</li>" for i in items) + "</ul>")
            items.clear()
        if rows:
            head, body = rows[0], [r for r in rows[1:] if not all(
                re.fullmatch(r":?-{2,}:?", c) for c in r)]
            out.append('<table class="data"><thead><tr>'
                       + "".join(f'<th scope="col">{_inline(c)}</th>' for c in head)
                       + "</tr></thead><tbody>"
                       + "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in r) + "</tr>"
                                 for r in body)
                       + "</tbody></table>")
            rows.clear()
        if indented:
            out.append("<pre><code>" + esc("\n".join(indented).rstrip()) + "</code></pre>")
            indented.clear()

    for line in text.replace("\r\n", "\n").split("\n"):
        if code is not None:
            if line.strip().startswith("```"):
                out.append("<pre><code>" + esc("\n".join(code)) + "</code></pre>")
                code = None
            else:
                code.append(line)
            continue
        stripped = line.strip()
        if indented:
            if line.startswith("    ") or not stripped:
                indented.append(line[4:])
                continue
            flush()
        if stripped.startswith("```"):
            flush()
            code = []
        elif line.startswith("    ") and stripped and not para and not items:
            flush()
            indented.append(line[4:])
        elif stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            if para or items:
                flush()
            rows.append(_cells(stripped))
        elif m := re.match(r"(#{1,6})\s+(.*)", stripped):
            flush()
            level = min(len(m.group(1)) + 1, 6)  # the page title is the h1
            out.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
        elif m := re.match(r"(?:[-*+]|\d{1,3}[.)])\s+(.*)", stripped):
            if para or rows:
                flush()
            items.append(m.group(1))
        elif not stripped:
            flush()
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + stripped
        else:
            if items or rows:
                flush()
            para.append(stripped)
    if code is not None:
        out.append("<pre><code>" + esc("\n".join(code)) + "</code></pre>")
    flush()
    return "\n".join(out) + "\n"


def band_badge(band: str | None) -> str:
    """A band name as a coloured badge (the colour is never the only carrier: the name shows)."""
    b = band or ""
    return f'<span class="band band-{slug(b)}">{esc(b) or "none"}</span>'


def num(x: float | None, digits: int = 0, signed: bool = False) -> str:
    """A number for a table cell; signed changes are coloured and carry their sign."""
    text = fmt_num(x, digits, signed)
    if signed and x is not None and x != 0:
        return f'<span class="{"neg" if x < 0 else "pos"}">{text}</span>'
    return text


def short(text: str | None, n: int = EVIDENCE_CHARS) -> str:
    """White space collapsed, cut to ``n`` characters with an ellipsis (not escaped)."""
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "\u2026"


def chart_head(key: str) -> str:
    """A chart's heading, unit and note from dashboards.text."""
    c = CHARTS[key]
    return (f'<h2 id="h-{key}">{esc(c["title"])}</h2>\n<p class="unit">Unit: {esc(c["unit"])}</p>\n'
            f'<p class="note">{esc(c["note"])}</p>\n')
