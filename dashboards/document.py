"""A document page: its metadata and its text with every coded sentence marked and anchored
(``#s<sentence_no>``), whole or as excerpts around the coded sentences."""

import re
from collections import defaultdict

import polars as pl

from dashboards.model import Site
from dashboards.render import esc, link, safe_url

Span = tuple[int, int, int | None, str]  # start, end, sentence_no, label ('' for none)


def document_page(site: Site, doc: dict, mentions: pl.DataFrame, full_text: bool) -> str:
    """doc/<doc_id>.html: metadata, what was coded, and the text with the sentences marked."""
    root = "../"
    iso = doc["country_iso3"] or ""
    title = doc["title"] or "(untitled document)"
    url = safe_url(doc["source_url"])
    meta = [
        ("Country", link(site.country_url(iso, root), site.names.get(iso, iso))
         if iso in site.names else esc(iso)),
        ("Published", esc(doc["published"])),
        ("Stated period", f"{esc(doc['period_start'])} to {esc(doc['period_end'])}"
         if doc["period_start"] else "not stated"),
        ("Kind", esc(doc["kind"])),
        ("Source", esc(doc["source"])),
        ("Original", f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(url)}</a>'
         if url else esc(doc["source_url"])),
        ("Partners", esc(", ".join(p for p in (doc["partners"] or []) if p))),
        ("Flags", esc(", ".join(f for f in (doc["flags"] or []) if f))),
        ("Document id", esc(doc["doc_id"])),
    ]
    parts = [f"<h1>{esc(title)}</h1>",  # fields without a value are left out
             '<dl class="meta">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in meta
                                           if v) + "</dl>"]
    text = doc["text"] or ""
    labels: dict[tuple[int, int, int], list[str]] = defaultdict(list)
    lost, types = [], defaultdict(int)
    for m in mentions.iter_rows(named=True):
        start, end, sno = m["start"], m["end"], m["sentence_no"]
        label = f"{m['event_type'] or '?'} {m['status'] or ''}".strip()
        types[m["event_type"] or "?"] += 1
        if (start is not None and end is not None and 0 <= start < end <= len(text)
                and sno is not None):
            if label not in labels[(start, end, int(sno))]:
                labels[(start, end, int(sno))].append(label)
        else:
            lost.append(f"sentence {sno}: {label}")
    spans = [(a, b, n, "; ".join(ls)) for (a, b, n), ls in sorted(labels.items())]
    n = len(mentions)
    parts.append(f'<h2 id="coded">Coded sentences ({n})</h2>')
    if n:
        counts = ", ".join(f"{t} {c}" for t, c in sorted(types.items(), key=lambda kv: (
            -kv[1], kv[0])))
        parts.append(f'<p class="note">Events coded: {esc(counts)}. Each coded sentence is '
                     "marked in the text below, with its event type and status after it.</p>")
    else:
        parts.append('<p class="note">No events were coded in this document.</p>')
    if lost:
        parts.append('<p class="note">Not located in the text (offsets out of range): '
                     f"{esc('; '.join(lost))}.</p>")
    parts.append('<h2 id="text">Text</h2>')
    if full_text:
        body = marked_text(text, spans)
    else:
        parts.append('<p class="note">Shown: the coded sentences; the rest of the text is '
                     "left out to keep the site small (see the original).</p>")
        body = excerpts(text, spans)
    parts.append(f'<div class="doctext">{body}</div>')
    return "\n".join(parts)


CONTEXT_CHARS = 0  # text shown before and after a coded sentence (0: the sentence alone)
LEAD_CHARS = 600  # a document without coded sentences shows this much of its start
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s|[A-Z])\s*|\n+")


def _window(text: str, start: int, end: int, cap: int = CONTEXT_CHARS) -> tuple[int, int]:
    """The span widened by one sentence on each side (at most ``cap`` characters each)."""
    lo = max(0, start - cap)
    left = [m.end() for m in _BOUNDARY.finditer(text, lo, start) if m.end() <= start]
    a = left[-2] if len(left) >= 2 else lo
    if a == lo and lo > 0:  # cut inside a sentence: start at a word
        sp = text.find(" ", lo, start)
        a = sp + 1 if sp >= 0 else start
    hi = min(len(text), end + cap)
    right = [m.end() for m in _BOUNDARY.finditer(text, end, hi)]
    b = right[0] if right else hi
    if b == hi and hi < len(text):
        sp = text.rfind(" ", end, hi)
        b = sp if sp >= 0 else end
    return a, max(b, end)


def excerpts(text: str, spans: list[Span], lead_chars: int = LEAD_CHARS,
             context: int = CONTEXT_CHARS) -> str:
    """Each coded span, marked, with at most ``context`` characters of the sentences before
    and after it (0, the default: the sentence alone, which keeps the site within its size
    budget); the stretches left out show as '[... N characters ...]'. A document
    without spans shows its start."""
    windows = sorted(_window(text, a, b, context) if context > 0 else (a, b)
                     for a, b, _, _ in spans)
    if not spans:
        cut = text.rfind(" ", 0, lead_chars) if len(text) > lead_chars else len(text)
        windows = [(0, cut if cut > 0 else min(len(text), lead_chars))]
    merged: list[list[int]] = []
    for a, b in windows:
        if merged and a <= merged[-1][1] + 40:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        if a > pos:
            out.append(f'<span class="gap">[\u2026 {a - pos:,} characters \u2026]</span>')
        inner = [(max(s0, a) - a, min(s1, b) - a, sno if s0 >= a else None,
                  label if s1 <= b else "")
                 for s0, s1, sno, label in spans if s0 < b and s1 > a]
        out.append(marked_text(text[a:b], inner))
        pos = b
    if pos < len(text):
        out.append(f'<span class="gap">[\u2026 {len(text) - pos:,} characters \u2026]</span>')
    return "".join(out)


def marked_text(text: str, spans: list[Span]) -> str:
    """The text, escaped, with coded spans in <mark> followed by their label; the first span of
    a sentence gets the anchor id ``s<sentence_no>``. Overlapping spans are clipped."""
    out, pos, seen = [], 0, set()
    for start, end, sno, label in sorted(spans, key=lambda s: (s[0], s[1])):
        if start < pos:
            start = pos
        if start >= end:
            continue
        out.append(esc(text[pos:start]))
        ident = ""
        if sno is not None and sno not in seen:
            seen.add(sno)
            ident = f' id="s{sno}"'
        tag = f"<small>[{esc(label)}]</small>" if label else ""  # styled by .doctext small
        out.append(f"<mark{ident}>{esc(text[start:end])}</mark>{tag}")
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)
