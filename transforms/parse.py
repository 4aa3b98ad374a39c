"""Parse one ingested document into staging rows: documents, sections, sentences.

``parse_document(content, fmt, sha256=..., source=...)`` returns the three kinds of rows with
exactly the columns of ``sql/ddl/staging_*.sql``, or raises ``ParseError`` with a reason
(``unknown_country``, ``not_an_update``, ``empty_body``, ``no_dates``, ``bad_record``). The
country comes from the reviewed alias table (intro sentence, then title, then the page's own
lead, then the URL; a body that names one country over and over is the last resort); it is
never guessed. The stated period is read as stated; whether it fits the publication date and
the events is recorded in ``flags``, and ``window_start``/``window_end`` say which quarters
should receive the document's evidence. Pure: strings in, rows out.
"""

import json
import re
from collections import Counter
from datetime import date, timedelta

from transforms.countries import (
    capital_country,
    capitals_in,
    country_from_url,
    country_name,
    demonyms_in,
    find_countries,
    is_known_iso3,
)
from transforms.furniture import furniture_lines, is_furniture_line
from transforms.htmltext import html_to_text
from transforms.periods import (
    event_dates,
    find_published,
    find_stated_period,
    intro_sentences,
    parse_date,
    rough_sentences,
    share_inside,
    shift_years,
    window_from_dates,
)
from transforms.segment import segment, vote_freedom

PARSER_VERSION = "parse-2026.11.2"

DOCUMENT_COLUMNS = (
    "doc_id", "sha256", "source", "source_url", "format", "kind", "title", "country_iso3",
    "country_name", "period_start", "period_end", "period_stated", "period_quote",
    "window_start", "window_end", "published", "partners", "flags", "text", "parser_version",
)
SECTION_COLUMNS = ("doc_id", "section_no", "heading", "code", "freedom", "assigned_by", "start",
                   "end")
SENTENCE_COLUMNS = ("doc_id", "sentence_no", "section_no", "start", "end", "text", "text_clean")


class ParseError(Exception):
    """A document that cannot become staging rows, with a reason code and a sentence."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


# ---------------------------------------------------------------- Freedom House records


def fiw_text(record: dict) -> str:
    """The text of a Freedom House record: "Overview\\n<text>\\n\\nD1 <question>\\n<text>..."."""
    blocks = []
    for sec in record.get("sections") or []:
        if not isinstance(sec, dict):
            continue
        code = " ".join(str(sec.get("code") or "").split()) or "Notes"
        question = sec.get("question")
        head = f"{code} {' '.join(str(question).split())}" if question else code
        body = _one_line(str(sec.get("text") or ""))
        blocks.append(f"{head}\n{body}" if body else head)
    return "\n\n".join(blocks)


def _one_line(s: str) -> str:
    """``" ".join(s.split())``, skipped when it would change nothing (the usual case)."""
    if s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s  # the only white space is single spaces inside
    return " ".join(s.split())


def _parse_fiw(content: str, sha256: str, source: str, source_url: str | None):
    try:
        rec = json.loads(content)
    except (ValueError, RecursionError) as e:
        raise ParseError("bad_record", f"the line is not valid JSON ({e})"[:300]) from None
    if not isinstance(rec, dict) or not isinstance(rec.get("sections"), list):
        raise ParseError("bad_record", "a Freedom House record needs a list of 'sections'")
    iso = str(rec.get("country_iso3") or "").upper()
    if not is_known_iso3(iso):
        raise ParseError("unknown_country",
                         f"country_iso3 {rec.get('country_iso3')!r} is not in the alias table")
    try:
        year = int(rec.get("year_under_review"))
        if not 1970 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        raise ParseError("bad_record", "year_under_review is missing or not a year") from None
    text = fiw_text(rec)
    if not text.strip():
        raise ParseError("empty_body", "the record has no section text")
    sections, sentences = segment(text, "fiw_text")
    if not sentences:
        raise ParseError("empty_body", "the record's sections hold no sentence")
    edition = rec.get("edition")
    name = country_name(iso) or str(rec.get("country") or iso)
    start, end = date(year, 1, 1), date(year, 12, 31)
    doc = {
        "doc_id": "d" + sha256[:16],
        "sha256": sha256,
        "source": source,
        "source_url": source_url,
        "format": "fiw_json",
        "kind": "report",
        "title": f"Freedom in the World {edition}: {rec.get('country') or name}"
        if edition else f"Freedom in the World: {rec.get('country') or name}",
        "country_iso3": iso,
        "country_name": name,
        "period_start": start,
        "period_end": end,
        "period_stated": True,
        "period_quote": f"year under review: {year}",
        "window_start": start,
        "window_end": end,
        "published": None,
        "partners": ["Freedom House"],
        "flags": [],
        "text": text,
        "parser_version": PARSER_VERSION,
    }
    return doc, sections, sentences


# ---------------------------------------------------------------- page kinds

_COUNTRY_PAGE = re.compile(
    r"^\s*(live\s+rating\s*:|monitor\s*tracking\s+civic\s+space|last\s+updated\s+on\b)",
    re.IGNORECASE | re.MULTILINE,
)
_READ_MORE = re.compile(r"^\s*read\s+more\b.{0,5}$|\bread\s+more\s*(»|›|>|\.\.\.)?\s*$",
                        re.IGNORECASE | re.MULTILINE)


def page_kind(text: str) -> str | None:
    """"country_page" or "listing" when the page is not an article, else None."""
    if len(_COUNTRY_PAGE.findall(text[:20000])) >= 2 and not re.search(
        r"date\s+posted", text[:20000], re.IGNORECASE
    ):
        return "country_page"
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    n_more = len(_READ_MORE.findall(text))
    long_lines = [ln for ln in lines if len(ln.split()) >= 15]
    if n_more >= 3 and n_more * 2 >= len(long_lines):
        return "listing"
    return None


# ---------------------------------------------------------------- title

_TITLE_SUFFIX = re.compile(
    r"\s*(?:[-|\u2013\u2014:]\s*(?:analysis|oped|op-ed|opinion|news|civicus monitor|iphr|"
    r"eurasia review)\s*)+$",
    re.IGNORECASE,
)
_DAY_MON_PREFIX = re.compile(
    r"^\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?"
    r"(?:\s+(?:19|20)\d\d)?\s+(?=(?-i:[A-Z]))",
    re.IGNORECASE,
)
_BREADCRUMB_SPLIT = re.compile(r"\s*(?:>|»|›|\|)\s*")
_MD_H1 = re.compile(r"^\s{0,3}#{1,2}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def clean_title(t: str | None) -> str | None:
    if not t:
        return None
    s = " ".join(t.replace("\u00a0", " ").split())
    if re.match(r"^home\s*(>|»|›|\|)", s, re.IGNORECASE):
        s = _BREADCRUMB_SPLIT.split(s)[-1]
    s = _TITLE_SUFFIX.sub("", s).strip(" -|")
    s = _DAY_MON_PREFIX.sub("", s)
    return s or None


def find_title(text: str, fmt: str) -> str | None:
    """The page title: a Markdown heading, else the best short line above the first paragraph."""
    lines = text.split("\n")
    if fmt == "markdown":
        for line in lines[:80]:
            m = _MD_H1.match(line)
            if m and not is_furniture_line(line):
                return clean_title(m.group(1).strip("*_ "))
    counts = Counter(" ".join(ln.split()) for ln in lines if ln.strip())
    best: tuple[int, int, str] | None = None
    for i, line in enumerate(lines[:80]):
        s = " ".join(line.replace("\u00a0", " ").split())
        if not s:
            continue
        words = s.split()
        if len(words) >= 25 and s[-1:] in ".!?\"\u201d":
            break  # the first paragraph: the title is above it
        bc = re.match(r"^home\s*(>|»|›|\|)", s, re.IGNORECASE)
        if is_furniture_line(s) and not bc:
            continue
        if len(s) > 300 or len(words) < 2 or s.lower().startswith(("photo", "by ")):
            continue
        score = 0
        if find_countries(s):
            score += 3
        if ":" in s:
            score += 2
        if counts[s] >= 2:
            score += 2
        if bc:
            score += 2
        if s.isupper() and len(words) <= 3:
            score -= 4
        if 15 <= len(s) <= 220:
            score += 1
        if best is None or score > best[0]:
            best = (score, i, s)
    return clean_title(best[2]) if best else None


# ---------------------------------------------------------------- country and partners

_DATELINE_CITY = re.compile(r"^\s*([A-Z][A-Za-z\u00c0-\u024f .'-]{2,30}),\s+[^\n]{4,30}?"
                            r"\d{4}\.?\s*[-\u2013\u2014]", re.MULTILINE)
_IN_BEFORE = re.compile(r"\bin\s+(?:the\s+)?$", re.IGNORECASE)
_RATED = re.compile(
    r"civic\s+space(?:\s+in\s+[^.]{2,60}?)?\s+(?:is|was|has\s+been|remains)\s+"
    r"(?:currently\s+|now\s+)?(?:rated|classified|categori[sz]ed)|"
    r"monitor\s+(?:rates|has\s+rated|downgraded|upgraded)\s+(?:civic\s+space\s+in\s+)?",
    re.IGNORECASE,
)


def _country_in_sentence(s: str) -> str | None:
    found = find_countries(s)
    if not found:
        return None
    for m in found:
        if _IN_BEFORE.search(s[max(0, m.start - 12) : m.start]):
            return m.iso3
    return found[0].iso3


_PARTNERS = [
    re.compile(
        r"prepared\s+(?:for\s+the\s+CIVICUS\s+Monitor\s+)?(?:jointly\s+)?by\s+(?P<p>.+?)"
        r"(?=\s+as\s+part\s+of|\s+(?:with)?in\s+the\s+framework|\s+for\s+the\s+CIVICUS|"
        r"\s+in\s+(?:close\s+)?(?:cooperation|partnership|collaboration)|,\s+provides|"
        r"\s+and\s+covers|\s+with\s+the\s+support|[.;](?:\s|$)|,\s+(?:which|who)\s|$)",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<p>[A-Z][^.;]{3,300}?)\s+(?:have|has)\s+prepared\s+(?:it|this)", 0),
]


def _split_partners(s: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    cur = ""
    i = 0
    while i < len(s):
        ch = s[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and s.startswith(", ", i):
            parts.append(cur)
            cur = ""
            i += 2
            continue
        if depth == 0 and s.startswith(" and ", i):
            left, right = cur.rstrip(), s[i + 5 :]
            last = left.split()[-1] if left.split() else ""
            if left.endswith(")") or (last.isupper() and len(last) >= 2) or right.startswith(
                "the "
            ):
                parts.append(cur)
                cur = ""
                i += 5
                continue
        cur += ch
        i += 1
    parts.append(cur)
    out = []
    for p in parts:
        p = re.sub(r"^(?:and\s+)?(?:the\s+)", "", p.strip(" ,"), flags=re.IGNORECASE).strip()
        if p and len(p) <= 200 and p[0].isupper():
            out.append(p)
    return out


_ABOUT_ITSELF = re.compile(
    r"\b(?:this|the\s+present|the\s+following)\s+(?:[\w-]+\s+){0,2}?(?:update|report|review|"
    r"overview|brief)\b|\b(?:have|has)\s+prepared\s+(?:it|this)\b|^\s*it\s+was\s+prepared\s+by",
    re.IGNORECASE,
)


def find_partners(text: str) -> list[str]:
    """Organisations that prepared the update ("prepared by X and Y as part of ...").

    Only sentences about the document itself are read ("This update ... prepared by", "X and
    Y have prepared it", "It was prepared by"), never a report quoted in the narrative.
    """
    if not isinstance(text, str):
        return []
    for sent in rough_sentences(text):
        if len(sent) > 1000 or not _ABOUT_ITSELF.search(sent):
            continue
        for rx in _PARTNERS:
            m = rx.search(sent)
            if m:
                got = _split_partners(" ".join(m.group("p").split()))
                if got:
                    return got
    return []


# ---------------------------------------------------------------- the document


def _last_of_month(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _published_from_meta(raw: str | None) -> date | None:
    if not raw:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", raw)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return parse_date(raw)


_COMPARED = re.compile(
    r"(?:\blike|\bas\s+in|\bas\s+did|\bunlike|\bsimilar\s+to(?:\s+(?:those|that|the\s+one))?"
    r"(?:\s+(?:in|of))?|\bcopy\s+of|\bcopied\s+from|\bmodell?ed\s+on|\binspired\s+by|"
    r"\bthan(?:\s+in)?|\bsuch\s+as|\bmirror(?:s|ing)?|\becho(?:es|ing)?|\bneighbouring|"
    r"\bneighboring|\bfled\s+to|\bexile\s+in|\bborder\s+with)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _subject_scores(body_lines: list[str], body_text: str, title: str | None = None) -> Counter:
    """How strongly each country named in a text is its subject (a weak, last-resort signal).

    A name counts 1, or nothing when it is a comparison ("like in Russia", "a copy of Russia's
    law", "neighbouring Kazakhstan"); the lead paragraph's "In COUNTRY" counts 3 more; a capital
    or big city counts 1; a name in the title counts 2.
    """
    scores: Counter = Counter()
    text = body_text[:200_000]
    for m in find_countries(text):
        if not _COMPARED.search(text[max(0, m.start - 30) : m.start]):
            scores[m.iso3] += 1
    scores.update(capitals_in(text))
    lead = next((ln for ln in body_lines if len(ln.split()) >= 12), "")
    for m in find_countries(lead):
        if _IN_BEFORE.search(lead[max(0, m.start - 12) : m.start]) or m.start == 0:
            scores[m.iso3] += 3
            break
    if title:
        for m in find_countries(title):
            if not _COMPARED.search(title[max(0, m.start - 30) : m.start]):
                scores[m.iso3] += 2
    return scores


def _decide_country(
    intros: list[str], titles: list[str], body_lines: list[str], url_iso: str | None,
    body_text: str,
) -> tuple[str | None, str]:
    for intro in intros:
        iso = _country_in_sentence(intro)
        if iso:
            return iso, "intro"
    for t in titles:
        found = find_countries(t)
        if not found:
            continue
        isos = list(dict.fromkeys(m.iso3 for m in found))
        lead = re.match(r"^\s*([^:]{2,60}):", t)
        if len(isos) == 1 or (lead and find_countries(lead.group(1))):
            return found[0].iso3, "title"
        # several countries in the title: the subject, not the one it is compared with
        scores = _subject_scores(body_lines, body_text, title=t)
        return max(isos, key=lambda i: (scores[i], -isos.index(i))), "title"
    for line in body_lines:
        if not _RATED.search(line):
            continue
        for s in rough_sentences(line):
            if _RATED.search(s):
                iso = _country_in_sentence(s)
                if iso:
                    return iso, "rating"
    head = "\n".join(body_lines[:6])
    m = _DATELINE_CITY.search(head)
    if m and capital_country(m.group(1)):
        return capital_country(m.group(1)), "dateline"
    if url_iso:
        return url_iso, "url"
    body_text = body_text[:200_000]
    counts = Counter(m.iso3 for m in find_countries(body_text))
    if counts:
        # the country of the lead ("In Georgia, ..."), of the capital, and the names not used
        # as a comparison ("a copy of Russia's law", "as in Russia") must clearly dominate
        ranked = _subject_scores(body_lines, body_text).most_common(2)
        top, n = ranked[0] if ranked else (None, 0)
        second = ranked[1][1] if len(ranked) > 1 else 0
        if top and n >= 2 and n >= 1.5 * second:
            return top, "body"
    else:  # adjectives only when no country is named at all ("Russian-style law")
        counts.update(demonyms_in(body_text))
        (top, n), *_ = counts.most_common() if counts else [(None, 0)]
        if top and n >= 2 and n >= 0.6 * sum(counts.values()):
            return top, "body"
    cities = Counter(iso for iso in capitals_in(body_text))
    if cities and not counts:
        (top, n), *_ = cities.most_common()
        if n >= 2 and n >= 0.8 * sum(cities.values()):
            return top, "capital"
    return None, ""


def parse_document(
    content: str,
    fmt: str,
    *,
    sha256: str,
    source: str,
    source_url: str | None = None,
) -> tuple[dict, list[dict], list[dict]]:
    """(document_row, section_rows, sentence_rows) of one document; ParseError when unusable."""
    if not isinstance(content, str):
        raise ParseError("empty_body", f"content is {type(content).__name__}, not text")
    sha256 = str(sha256)
    doc_id = "d" + sha256[:16]
    if fmt == "fiw_json":
        doc, sections, sentences = _parse_fiw(content, sha256, source, source_url)
        return doc, _rows(doc_id, sections, SECTION_COLUMNS), _rows(doc_id, sentences,
                                                                     SENTENCE_COLUMNS)
    meta_published = None
    canonical = None
    alt_titles: list[str] = []
    if fmt == "html":
        page = html_to_text(content)
        text = page.text
        cands = [t for t in (clean_title(page.title), clean_title(page.head_title)) if t]
        # a site name in <h1> ("CIVICUS Monitor") gives way to a title that names a country
        title = next((t for t in cands if find_countries(t)), cands[0] if cands else None)
        alt_titles = [t for t in cands if t != title]
        meta_published = _published_from_meta(page.published_meta)
        canonical = page.canonical_url
    elif fmt in ("text", "markdown"):
        text = content
        title = None
    else:
        raise ParseError("bad_record", f"unknown format {fmt!r}")
    if not text.strip():
        raise ParseError("empty_body", "the document has no visible text")
    kind = page_kind(text)
    if kind:
        what = {"country_page": "a CIVICUS Monitor country page (live rating, latest items)",
                "listing": "a listing page (summaries with 'Read more', repeated titles)"}[kind]
        raise ParseError("not_an_update", what)
    seg_fmt = "markdown" if fmt == "markdown" else "text"
    sections, sentences = segment(text, seg_fmt)
    if not sentences:
        raise ParseError("empty_body", "no sentence left once page furniture is removed")
    if title is None:
        title = find_title(text, fmt)

    lines = text.split("\n")
    furn = furniture_lines(lines)
    body_lines = [ln for i, ln in enumerate(lines) if ln.strip() and i not in furn]
    body = "\n".join(body_lines)
    if sum(len(s["text"]) for s in sentences) < 200 and len(sentences) < 3:
        raise ParseError("not_an_update", "too little running text for an update")

    stated = find_stated_period(body, title)
    for alt in alt_titles:
        if stated is None:
            got = find_stated_period("", alt)
            stated = got if got is not None and got.where == "title" else None
    intros = intro_sentences(body)
    if stated is not None and stated.where == "intro":
        first = next((s for s in rough_sentences(body[:6000]) if s.startswith(stated.quote)),
                     None)
        if first:
            intros = [first] + [s for s in intros if s != first]

    url = source_url or canonical
    url_iso = country_from_url(url)
    titles = [t for t in (title, *alt_titles) if t]
    iso, how = _decide_country(intros, titles, body_lines, url_iso, body)
    if iso is None:
        raise ParseError(
            "unknown_country",
            "no country of the alias table is named in the intro sentence, the title or the URL",
        )
    civic = sum(vote_freedom(body)[1].values())
    if civic < 2 or (how in ("body", "capital") and civic < 6):
        raise ParseError("not_an_update",
                         f"the text hardly speaks of civic freedoms ({civic} keyword hits)")
    flags: list[str] = []
    if url_iso and url_iso != iso:
        flags.append("country_mismatch_url")

    published = find_published(text, title=title) or meta_published
    # event dates: the narrative, not the intro sentence, not the furniture
    narrative = "\n".join(
        s["text"] for s in sentences if not (stated and stated.quote and stated.quote in s["text"])
    )
    dates = event_dates(narrative)
    if published:
        dates_for_window = [d for d in dates if d <= published + timedelta(days=7)]
    else:
        dates_for_window = dates

    window: tuple[date, date] | None = None
    if stated is not None:
        ps, pe = stated.start, stated.end
        if published and ps > published:
            flags.append("period_after_publication")
        elif published and pe > _last_of_month(published):
            flags.append("period_after_publication")
        if len(dates) >= 3 and share_inside(dates, ps, pe) < 0.4:
            flags.append("period_mismatch_events")
            for years in (-1, 1):
                a, b = shift_years(ps, years), shift_years(pe, years)
                if share_inside(dates, a, b) >= 0.5 and (published is None or a <= published):
                    window = (a, b)
                    break
            if window is None:
                window = window_from_dates(dates_for_window, published)
        elif published and ps > published + timedelta(days=31):
            window = window_from_dates(dates_for_window, published)
        if window is None:
            window = (ps, pe)
    else:
        window = window_from_dates(dates_for_window, published)
        if window is None and published is not None:
            start = published - timedelta(days=90)
            window = (date(start.year, start.month, 1), published)
    if window is None:
        raise ParseError("no_dates", "no stated period, publication date or dated event to place "
                                     "the document in time")

    doc = {
        "doc_id": doc_id,
        "sha256": sha256,
        "source": source,
        "source_url": url,
        "format": fmt,
        "kind": "update",
        "title": title,
        "country_iso3": iso,
        "country_name": country_name(iso) or iso,
        "period_start": stated.start if stated else None,
        "period_end": stated.end if stated else None,
        "period_stated": stated is not None,
        "period_quote": stated.quote if stated else None,
        "window_start": window[0],
        "window_end": window[1],
        "published": published,
        "partners": find_partners(body),
        "flags": flags,
        "text": text,
        "parser_version": PARSER_VERSION,
    }
    return doc, _rows(doc_id, sections, SECTION_COLUMNS), _rows(doc_id, sentences,
                                                                 SENTENCE_COLUMNS)


def _rows(doc_id: str, items: list[dict], columns: tuple[str, ...]) -> list[dict]:
    rest = columns[1:]  # columns[0] is "doc_id"
    if all(tuple(it) == rest for it in items):  # segment's dicts: already in column order
        return [{"doc_id": doc_id, **it} for it in items]
    return [dict(zip(columns, (doc_id, *map(it.get, rest)), strict=True)) for it in items]


# ---------------------------------------------------------------- the CLI view


def describe_file(name: str, data: bytes) -> list[dict]:
    """One JSON-ready dict per document of a file, for ``civicspace parse FILE...``."""
    from transforms.ingest import read_landing_bytes

    out: list[dict] = []
    incoming, rejected = read_landing_bytes(name, data)
    for r in rejected:
        out.append({"doc": r.file, "error": r.reason, "detail": r.detail})
    for d in incoming:
        try:
            doc, sections, _ = parse_document(d.content, d.format, sha256=d.sha256,
                                              source=d.source, source_url=d.source_url)
        except ParseError as e:
            out.append({"doc": d.source, "error": e.reason, "detail": e.detail})
            continue
        except Exception as e:  # noqa: BLE001 - a parser bug is reported, not raised
            out.append({"doc": d.source, "error": "parser_error", "detail": repr(e)[:300]})
            continue

        def iso(v: date | None) -> str | None:
            return v.isoformat() if v else None

        out.append({
            "doc": d.source,
            "country_iso3": doc["country_iso3"],
            "period_start": iso(doc["period_start"]),
            "period_end": iso(doc["period_end"]),
            "published": iso(doc["published"]),
            "title": doc["title"],
            "sections": [
                {"heading": s["heading"], "freedom": s["freedom"], "start": s["start"],
                 "end": s["end"]}
                for s in sections
            ],
            "flags": doc["flags"],
        })
    return out
