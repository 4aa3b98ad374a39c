"""Dates in update texts: the stated reporting period, the publication date, event dates.

All wordings described for CIVICUS Monitor and partner updates are read:
"from the beginning of September to the beginning of December 2022", "from 1st November 2021
to 30th September 2022", "1-15 August 2019", "June to August 2022" (the start month takes the
end's year, or the year before when it comes later in the calendar), "December 2020 to March
2021", "during 2021", "May 7 - 20, 2021", "31 December, 2021 - 13 January, 2022". A start
without a day is the first of its month; an end without a day (or "the beginning of
December") is the last day of its month. Pure functions over strings.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![a-z])\.?"
)
YEAR = r"(?:19[89]\d|20\d\d)(?!\d)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d:])"
QUAL = (
    r"(?:(?:the\s+)?(?:very\s+)?(?:beginning|start|end|middle|first\s+half|second\s+half|"
    r"first\s+days|last\s+days|early\s+part|latter\s+part|first\s+week|last\s+week)\s+of\s+|"
    r"(?:mid|early|late)[\s-]+)"
)
DASH = r"\s*[-\u2010-\u2015]\s*"
SEP = r"(?:\s*[-\u2010-\u2015/]\s*|\s+(?:to|until|till|through|and|up\s+to)\s+)(?:the\s+)?"


def _point(k: str) -> str:
    return (
        rf"(?P<q{k}>{QUAL})?(?:"
        rf"(?P<da{k}>{DAY})\s+(?:of\s+)?(?P<ma{k}>{MONTH}),?(?:\s+(?:of\s+)?(?P<ya{k}>{YEAR}))?"
        rf"|(?P<mb{k}>{MONTH})\s+(?P<db{k}>{DAY}),?(?:\s+(?P<yb{k}>{YEAR}))?"
        rf"|(?P<mc{k}>{MONTH}),?(?:\s+(?:of\s+)?(?P<yc{k}>{YEAR}))?)"
    )


_FLAGS = re.IGNORECASE
# 1-15 August 2019 ; 1 to 15 August 2019
_DAYS_MONTH = re.compile(
    rf"(?<![\d.])(?:the\s+)?(?P<d1>{DAY}){SEP}(?P<d2>{DAY})\s+(?:of\s+)?(?P<m>{MONTH}),?\s+"
    rf"(?P<y>{YEAR})",
    _FLAGS,
)
# 01.08.2019 - 15.08.2019 ; 1.8.-15.8.2019
_NUM_RANGE = re.compile(
    r"(?<![\d.])(?P<d1>[0-3]?\d)\.(?P<m1>[01]?\d)\.(?P<y1>(?:19|20)\d\d)?"
    r"(?:\s*[-\u2010-\u2015]\s*|\s+(?:to|until|till|through|and)\s+)"
    r"(?P<d2>[0-3]?\d)\.(?P<m2>[01]?\d)\.(?P<y2>(?:19|20)\d\d)(?!\d)"
)
_QUARTER = re.compile(
    rf"\b(?:(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th|last)\s+quarter\s+of\s+"
    rf"(?P<y>{YEAR})|Q(?P<qn>[1-4])\s*(?P<y2>{YEAR}))",
    _FLAGS,
)
_QUARTER_NO = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
               "4th": 4, "last": 4}
# May 7 - 20, 2021
_MONTH_DAYS = re.compile(
    rf"(?P<m>{MONTH})\s+(?P<d1>{DAY}){SEP}(?P<d2>{DAY}),?\s+(?P<y>{YEAR})", _FLAGS
)
_RANGE = re.compile(
    rf"(?:(?:from|between|covering|for)\s+(?:the\s+)?)?{_point('1')}{SEP}{_point('2')}", _FLAGS
)
_YEARS = re.compile(
    rf"(?:from|between|period|covering|of|in|over)\s+(?:the\s+years\s+)?(?P<y1>{YEAR}){SEP}"
    rf"(?P<y2>{YEAR})",
    _FLAGS,
)
_WHOLE_YEAR = re.compile(
    rf"\b(?:during|throughout|in|for|over)\s+(?:the\s+(?:calendar\s+)?year\s+(?:of\s+)?)?"
    rf"(?P<y>{YEAR})(?![\s-]*[-\u2010-\u2015/])",
    _FLAGS,
)
_HALF_YEAR = re.compile(
    rf"\b(?:the\s+)?(?P<h>first|second)\s+half\s+of\s+(?P<y>{YEAR})", _FLAGS
)

_INTRO = re.compile(
    r"\b(?:this|our|present|the\s+following|the\s+present)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:update|report|review|overview|brief|"
    r"briefing|analysis|summary|digest|monitoring)\b|"
    r"\breporting\s+period\s+(?:is|was|covers|covered|runs|ran|spans|extends|from|of\s+this)\b|"
    r"\bperiod\s+(?:covered\s+(?:by\s+this|is|was)|under\s+review\s+(?:is|was|runs|:))|"
    r"\bcovers?\s+(?:the\s+)?(?:events|developments|"
    r"period)\b|magnifying\s+glass",
    _FLAGS,
)
# weaker wordings ("its bi-weekly review of ...") count only among the first sentences
_INTRO_WEAK = re.compile(
    r"\b(?:the|its|their)\s+(?:[\w-]+\s+){0,3}?(?:update|report|review|overview)\s+"
    r"(?:of|on|covering|covers|for)\b",
    _FLAGS,
)
_WEAK_POSITIONS = 4
_STRONG_TAIL = re.compile(
    r"^\s*this\s+(?:[\w-]+\s+){0,2}?(?:update|report)\s+(?:covers|is\s+an\s+update|was\s+prepared|"
    r"surveys)|^\s*this\s+is\s+an\s+update\b",
    _FLAGS,
)
_NOT_INTRO = re.compile(r"\b(previous|last|earlier|prior|next)\s+(update|report|review)", _FLAGS)


@dataclass(frozen=True)
class StatedPeriod:
    start: date
    end: date
    quote: str  # the sentence (or title) up to the end of the period's wording
    where: str  # intro | title


def month_number(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _day(s: str | None) -> int | None:
    return int(re.match(r"\d+", s).group(0)) if s else None


def _mk(y: int, m: int, d: int | None, *, end: bool) -> date | None:
    try:
        if d is None:
            return _last_day(y, m) if end else date(y, m, 1)
        return date(y, m, d)
    except ValueError:
        return None


def _point_parts(m: re.Match, k: str) -> tuple[str | None, int | None, int | None, int | None]:
    """(qualifier, day, month, year) of point ``k`` of a _RANGE match."""
    q = m.group(f"q{k}")
    for v in "abc":
        mon = m.group(f"m{v}{k}")
        if mon:
            d = m.group(f"d{v}{k}") if v != "c" else None
            y = m.group(f"y{v}{k}")
            return q, _day(d), month_number(mon), int(y) if y else None
    return q, None, None, None


def _qual_day(q: str | None, y: int, mo: int, *, end: bool) -> int | None:
    """A start qualified by "mid" or "end of" begins later in the month; ends stay month ends."""
    if not q or end:
        return None
    ql = q.lower()
    if "mid" in ql or "middle" in ql:
        return 15
    if "end" in ql or "late" in ql or "last" in ql or "latter" in ql:
        return 20
    return None


def _plausible(a: date, b: date) -> bool:
    return a <= b and (b - a).days <= 3 * 366 + 31


def _range_from_match(m: re.Match) -> tuple[date, date] | None:
    q1, d1, m1, y1 = _point_parts(m, "1")
    q2, d2, m2, y2 = _point_parts(m, "2")
    if m1 is None or m2 is None:
        return None
    if y2 is None and y1 is None:
        return None
    if y2 is None:
        y2 = y1 if (m2, d2 or 31) >= (m1, d1 or 1) else y1 + 1
    if y1 is None:
        y1 = y2 if (m1, d1 or 1) <= (m2, d2 or 31) else y2 - 1
    d1 = d1 if d1 is not None else _qual_day(q1, y1, m1, end=False)
    a = _mk(y1, m1, d1, end=False)
    b = _mk(y2, m2, d2, end=True)
    if a is None or b is None or not _plausible(a, b):
        return None
    return a, b


def find_period_in(s: str) -> tuple[date, date, int, int] | None:
    """The first period wording in ``s``: (start, end, match start, match end), or None."""
    found: list[tuple[int, int, date, date]] = []
    for m in _DAYS_MONTH.finditer(s):
        mo, y = month_number(m.group("m")), int(m.group("y"))
        a, b = _mk(y, mo, _day(m.group("d1")), end=False), _mk(y, mo, _day(m.group("d2")), end=True)
        if a and b and a <= b:
            found.append((m.start(), -m.end(), a, b))
    for m in _MONTH_DAYS.finditer(s):
        mo, y = month_number(m.group("m")), int(m.group("y"))
        a, b = _mk(y, mo, _day(m.group("d1")), end=False), _mk(y, mo, _day(m.group("d2")), end=True)
        if a and b and a <= b:
            found.append((m.start(), -m.end(), a, b))
    for m in _RANGE.finditer(s):
        r = _range_from_match(m)
        if r:
            found.append((m.start(), -m.end(), *r))
    for m in _YEARS.finditer(s):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 <= y2 <= y1 + 3:
            found.append((m.start(), -m.end(), date(y1, 1, 1), date(y2, 12, 31)))
    for m in _NUM_RANGE.finditer(s):
        y2 = int(m.group("y2"))
        y1 = int(m.group("y1")) if m.group("y1") else y2
        try:
            a = date(y1, int(m.group("m1")), int(m.group("d1")))
            b = date(y2, int(m.group("m2")), int(m.group("d2")))
        except ValueError:
            continue
        if _plausible(a, b):
            found.append((m.start(), -m.end(), a, b))
    for m in _QUARTER.finditer(s):
        qn = _QUARTER_NO[m.group("q").lower()] if m.group("q") else int(m.group("qn"))
        y = int(m.group("y") or m.group("y2"))
        found.append((m.start(), -m.end(), date(y, 3 * qn - 2, 1), _last_day(y, 3 * qn)))
    for m in _HALF_YEAR.finditer(s):
        y = int(m.group("y"))
        if m.group("h").lower() == "first":
            found.append((m.start(), -m.end(), date(y, 1, 1), date(y, 6, 30)))
        else:
            found.append((m.start(), -m.end(), date(y, 7, 1), date(y, 12, 31)))
    if not found:
        for m in _WHOLE_YEAR.finditer(s):
            y = int(m.group("y"))
            found.append((m.start(), -m.end(), date(y, 1, 1), date(y, 12, 31)))
            break
    if not found:
        return None
    found.sort()
    start, neg_end, a, b = found[0]
    return a, b, start, -neg_end


_SENT_END = re.compile(r"(?<=[a-z0-9)\u201d\u2019\"][.!?])\s+(?=[A-Z\u201c\"(])|\n+")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_END.split(text) if s and s.strip()]


# a line break inside a sentence: after a word or comma, before a lower-case word or a number
_WRAPPED = re.compile(r"(?<=[a-z,;])[ \t]*\n[ \t]*(?=[a-z0-9(])")
_SELF = re.compile(r"\bthis\s+(?:[\w-]+\s+){0,3}?(?:update|report|review)\b", _FLAGS)


def _is_intro(sent: str, position: int) -> bool:
    if len(sent) > 1500:
        return False
    if _NOT_INTRO.search(sent) and not _SELF.search(sent):
        return False
    if _INTRO.search(sent):
        return True
    return position < _WEAK_POSITIONS and bool(_INTRO_WEAK.search(sent))


def rough_sentences(text: str) -> list[str]:
    """Sentences by a quick rule (full stop + capital, or a line break); for locating intros."""
    return _sentences(text)


def intro_sentences(text: str, *, head_chars: int = 6000, limit: int = 3) -> list[str]:
    """The first sentences near the top that introduce the document ("This update covers...")."""
    if not isinstance(text, str):
        return []
    out = []
    for k, sent in enumerate(_sentences(text[:head_chars])):
        if _is_intro(sent, k):
            out.append(sent)
            if len(out) >= limit:
                break
    return out


def _own_period_in(sent: str) -> tuple[date, date, int, int] | None:
    """The period of the document itself in an intro sentence.

    When the sentence also speaks of an earlier update ("Following our previous update, which
    covered January to March 2023, this update covers April to June 2023"), the wording after
    "this update" wins.
    """
    if _NOT_INTRO.search(sent):
        own = _SELF.search(sent)
        if own:
            hit = find_period_in(sent[own.end():])
            if hit:
                a, b, start, end = hit
                return a, b, own.end() + start, own.end() + end
    return find_period_in(sent)


def find_stated_period(
    text: str, title: str | None = None, *, head_chars: int = 6000
) -> StatedPeriod | None:
    """The reporting period the document states about itself, or None.

    Looked for in the intro-like sentences near the top ("This update covers ...", "This is
    an update on ... from ... to ...", "The reporting period ..."), then in the title
    (Serbian reviews put it there: "...: 1-15 August 2019"). Dates in the body's narrative are
    never taken for the period.
    """
    if not isinstance(text, str):
        return None
    head = text[:head_chars]
    unwrapped = _WRAPPED.sub(" ", head)  # a text saved with line breaks inside its paragraphs
    for part in (head, unwrapped) if unwrapped != head else (head,):
        for k, sent in enumerate(_sentences(part)):
            if not _is_intro(sent, k):
                continue
            hit = _own_period_in(sent)
            if hit:
                a, b, _, end = hit
                return StatedPeriod(a, b, sent[:end].strip(), "intro")
    # some pages put the note on the period at the end ("This update covers ...")
    for sent in _sentences(text[head_chars:]):
        if len(sent) <= 600 and _STRONG_TAIL.search(sent) and not _NOT_INTRO.search(sent):
            hit = _own_period_in(sent)
            if hit:
                a, b, _, end = hit
                return StatedPeriod(a, b, sent[:end].strip(), "intro")
    if title:
        hit = find_period_in(title)
        if hit and _title_states_period(title, hit[2], hit[3]):
            a, b, _, end = hit
            return StatedPeriod(a, b, title[:end].strip(), "title")
    return None


_TITLE_REVIEW = re.compile(r"magnifying\s+glass|\b(update|review|overview|digest|monitor|report|"
                           r"bulletin|brief)\b", _FLAGS)


def _title_states_period(title: str, start: int, end: int) -> bool:
    """A range in a title is the period only at its end, after ":" / "(" or in a review's name.

    ("Three freedoms under the magnifying glass: 1-15 August 2019" yes; "Protests of 4-6
    January 2022 crushed" no.)
    """
    if _WHOLE_YEAR.fullmatch(title[start:end]):
        return False
    if title[end:].strip(" )]}.,;:-\u2013\u2014"):
        return False
    before = title[:start].rstrip()
    return before.endswith((":", "(", "[", "-", "\u2013", "\u2014", ",")) or bool(
        _TITLE_REVIEW.search(title)
    )


# ---------------------------------------------------------------- single dates

_DMY_NUM = re.compile(r"(?<![\d.])(?P<d>[0-3]?\d)[./](?P<m>[0-3]?\d)[./](?P<y>(?:19|20)\d\d)(?!\d)")
_DMY = re.compile(rf"(?<!\d)(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MONTH}),?\s+(?P<y>{YEAR})", _FLAGS)
_MDY = re.compile(rf"(?P<m>{MONTH})\s+(?P<d>{DAY}),?\s+(?P<y>{YEAR})", _FLAGS)
_MY = re.compile(rf"(?P<m>{MONTH}),?\s+(?P<y>{YEAR})", _FLAGS)
_ISO = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)")


def parse_date(s: str) -> date | None:
    """One date written out in full: 28.11.2021, 28th November 2021, November 28, 2021, ISO."""
    if not isinstance(s, str):
        return None
    for rx, numeric in ((_ISO, True), (_DMY_NUM, True), (_DMY, False), (_MDY, False)):
        m = rx.search(s)
        if m:
            mo = int(m.group("m")) if numeric else month_number(m.group("m"))
            d = _day(m.group("d"))
            if rx is _DMY_NUM and mo > 12 and d is not None and d <= 12:
                mo, d = d, mo  # 03/14/2025: month first
            try:
                return date(int(m.group("y")), mo, d)
            except (ValueError, TypeError):
                continue
    return None


def event_dates(text: str) -> list[date]:
    """Dates in a narrative, each to the day when a day is given, else the 15th of the month.

    Used to check a stated period against what the text reports (years alone are ignored).
    """
    if not isinstance(text, str):
        return []
    out: list[tuple[int, date]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for rx in (_DMY, _MDY, _MY):
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            mo = month_number(m.group("m"))
            d = _day(m.groupdict().get("d")) or 15
            try:
                out.append((m.start(), date(int(m.group("y")), mo, d)))
            except (ValueError, TypeError):
                continue
            taken.append((m.start(), m.end()))
    for m in _DMY_NUM.finditer(text):
        if free(m.start(), m.end()):
            try:
                out.append((m.start(), date(int(m.group("y")), int(m.group("m")),
                                            int(m.group("d")))))
            except ValueError:
                continue
    return [d for _, d in sorted(out)]


# ---------------------------------------------------------------- publication date

_PUB_MARKERS = [
    re.compile(r"date\s+posted\s*:?", _FLAGS),
    re.compile(r"\bpublished\s+by\s+[^\n]{1,80}?\s+on\b\s*:?", _FLAGS),
    re.compile(r"\bpublished\s+by\s+[^\n,]{1,80}?,\s*(?=[^\n]{0,20}\d)", _FLAGS),
    re.compile(r"\b(?:published|posted|date\s+published|publication\s+date|date\s+of\s+"
               r"publication)\s*(?:on\b|:)\s*", _FLAGS),
    re.compile(r"^\s*date\s*:\s*", _FLAGS | re.MULTILINE),
]
_NOT_PUB = re.compile(r"last\s+updated|updated\s+(?:on|:)|live\s+rating|\d{1,2}:\d{2}", _FLAGS)
_LABEL = r"[A-Za-z][A-Za-z &]{0,24}"  # "News", "Country updates" beside a date
_DATE_LINE = re.compile(
    rf"^\s*(?:{_LABEL}\s*[|\u2022\u00b7/]\s*)?"
    rf"(?:(?P<num>[0-3]?\d[./][0-3]?\d[./](?:19|20)\d\d)|(?:{DAY}\s+{MONTH},?\s+{YEAR})|"
    rf"(?:{MONTH}\s+{DAY},?\s+{YEAR})|(?:(?:19|20)\d\d-[01]\d-[0-3]\d))\.?"
    rf"(?:\s*[|\u2022\u00b7/]\s*{_LABEL})?\s*$",
    _FLAGS,
)
_BREADCRUMB = re.compile(r"^\s*home\s*(?:>|»|›|/|\|)", _FLAGS)
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Za-z\u00c0-\u024f .'-]{{2,30}},\s+(?P<v>(?:{DAY}\s+{MONTH},?\s+{YEAR})|"
    rf"(?:{MONTH}\s+{DAY},?\s+{YEAR})|(?:[0-3]?\d\.[01]?\d\.(?:19|20)\d\d))\.?\s*[-\u2013\u2014]",
    re.MULTILINE,
)


def _plausible_pub(d: date | None) -> bool:
    return d is not None and date(1995, 1, 1) <= d <= date(2100, 1, 1)


def find_published(text: str, *, head_lines: int = 150, title: str | None = None) -> date | None:
    """The publication date the page shows, or None.

    Read from "DATE POSTED : DD.MM.YYYY", "Published by NAME on DATE", "Posted on DATE", a
    date standing alone on a line near a breadcrumb or the title, or a "City, DATE -"
    dateline. Site clocks (a time of day), "Last updated on" lines (country pages) and
    dates inside the narrative are not publication dates.
    """
    if not isinstance(text, str) or not text:
        return None
    for rx in _PUB_MARKERS:
        for m in rx.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line_end = line_end if line_end >= 0 else len(text)
            line = text[line_start:line_end]
            if len(line) > 160:  # inside the narrative ("the report was published on ...")
                continue
            if re.search(r"updated|live\s+rating", line[: m.start() - line_start], _FLAGS):
                continue
            rest = re.split(r"updated|\|", text[m.end() : line_end], maxsplit=1, flags=_FLAGS)[0]
            following = [ln for ln in text[line_end:].split("\n")[:4] if ln.strip()][:2]
            for cand in [rest, *following]:
                if len(cand) > 80 or re.search(r"updated", cand, _FLAGS):
                    break
                d = parse_date(cand)
                if _plausible_pub(d):
                    return d
                if cand.strip():
                    break
    lines = text.split("\n")
    head = []
    paragraphs = 0
    for ln in lines[:head_lines]:
        if len(ln.split()) >= 25:
            paragraphs += 1
            if paragraphs >= 2:
                break
        head.append(ln)
    nonblank = [ln for ln in head if ln.strip()]
    cands: list[tuple[int, date]] = []
    for k, ln in enumerate(nonblank):
        if not _DATE_LINE.match(ln) or _NOT_PUB.search(ln):
            continue
        prev = nonblank[k - 1] if k > 0 else ""
        if _NOT_PUB.search(prev):
            continue
        d = parse_date(ln)
        if _plausible_pub(d):
            cands.append((k, d))
    if cands:
        # the date next to the article's title beats a date elsewhere (a site clock at the top)
        t = " ".join(title.split()).lower() if title else ""
        at = next((k for k, ln in enumerate(nonblank) if t and t in " ".join(ln.split()).lower()),
                  None)
        if at is not None:
            cands.sort(key=lambda kd: (abs(kd[0] - at) + (0 if kd[0] > at else 0.5)))
        return cands[0][1]
    for ln in head:
        if _BREADCRUMB.match(ln):
            d = parse_date(ln)
            if _plausible_pub(d) and not _NOT_PUB.search(ln):
                return d
    m = _DATELINE.search(text[:5000])
    if m:
        d = parse_date(m.group("v"))
        if _plausible_pub(d):
            return d
    return _meta_line_date(nonblank, title)


# the article's own meta line under its title: "By IPHR January 7, 2022 0 Comments",
# "January 7, 2022 IPHR 0 Comments", "07.01.2022, 15:30", "7 January 2022 | Views: 345"
_META_LINE = re.compile(r"^\s*by\s|\bcomments?\b|\bviews?\b|\d{1,2}:\d{2}|[|\u2022\u00b7]",
                        _FLAGS)


def _meta_line_date(nonblank: list[str], title: str | None) -> date | None:
    """A date on a short meta line just below the title (not above it: site clocks sit there)."""
    t = " ".join(title.split()).lower() if title else ""
    if not t:
        return None
    at = next((k for k, ln in enumerate(nonblank) if t in " ".join(ln.split()).lower()), None)
    if at is None:
        return None
    for ln in nonblank[at + 1 : at + 4]:
        if len(ln) > 100 or len(ln.split()) > 12 or re.search(
            r"updated|live\s+rating|^\s*(?:photo|image|picture|credit|source)", ln, _FLAGS
        ) or ln.rstrip().endswith((".", "!", "?", ":")):
            continue  # a sentence ("By 5 May 2022, 300 people had been detained.") is no meta line
        if _META_LINE.search(ln):
            d = parse_date(ln)
            if _plausible_pub(d):
                return d
    return None


# ---------------------------------------------------------------- checks and windows


def share_inside(dates: list[date], start: date, end: date, slack_days: int = 31) -> float:
    """The share of ``dates`` that fall in [start - slack, end + slack]."""
    if not dates:
        return 1.0
    lo, hi = start - timedelta(days=slack_days), end + timedelta(days=slack_days)
    return sum(lo <= d <= hi for d in dates) / len(dates)


def shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def window_from_dates(dates: list[date], published: date | None = None) -> tuple[date, date] | None:
    """A reporting window guessed from event dates: the recent cluster, at most about 6 months."""
    ds = sorted(d for d in dates if published is None or d <= published + timedelta(days=7))
    if not ds:
        return None
    end = ds[-1]
    recent = [d for d in ds if d >= end - timedelta(days=365)]
    start = max(recent[0], end - timedelta(days=183))
    return date(start.year, start.month, 1), _last_day(end.year, end.month)
