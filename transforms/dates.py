"""Dates carried by a sentence: full dates ("on 29th September 2021"), months and bare years.

Pure functions over strings. ``sentence_date`` gives the first day-precise date a sentence
carries (the mention's ``event_date``); ``mentioned_periods`` gives every month or year it
names, which the status rules compare with the document's period (an event dated before the
period is background, i.e. ``continuing``).
"""

import re
from datetime import date

MONTHS: dict[str, int] = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = (
    r"(?P<{n}>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_YEAR = r"(?P<{n}>(?:19[5-9]|20[0-4])\d)"
_DAY = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th)?"

# 29th September 2021 | 29 September, 2021 | September 29, 2021 | 2021-09-29
_FULL = re.compile(
    r"\b(?:"
    + _DAY.format(n="d1")
    + r"\s+(?:of\s+)?"
    + _MONTH.format(n="m1")
    + r",?\s+"
    + _YEAR.format(n="y1")
    + r"|"
    + _MONTH.format(n="m2")
    + r"\s+"
    + _DAY.format(n="d2")
    + r",?\s+"
    + _YEAR.format(n="y2")
    + r"|"
    + _YEAR.format(n="y3")
    + r"-(?P<m3>[01]\d)-(?P<d3>[0-3]\d)"
    + r")\b"
)
# May 2020 | in 2019 | the 2017 murder
_MONTH_YEAR = re.compile(r"\b" + _MONTH.format(n="m") + r",?\s+" + _YEAR.format(n="y") + r"\b")
_YEAR_ONLY = re.compile(r"\b" + _YEAR.format(n="y") + r"\b")
_BARE_MONTH = re.compile(
    r"\b(?:[Ii]n|[Oo]n|[Dd]uring|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Ee]arly|[Ll]ate|[Mm]id-?)\s+"
    r"(?:early\s+|late\s+|mid-?)?"
    + _MONTH.format(n="m")
    + r"(?!\s*,?\s*(?:19|20)\d\d)\b"
)


def _mk(y: str, m: str | int, d: str | int) -> date | None:
    try:
        month = m if isinstance(m, int) else (int(m) if m.isdigit() else MONTHS[m.lower()])
        return date(int(y), month, int(d))
    except (ValueError, KeyError):
        return None


def sentence_date(text: str) -> date | None:
    """The first day-precise date in ``text`` ("on 29th September 2021"), else None."""
    for m in _FULL.finditer(text):
        g = m.groupdict()
        if g["y1"]:
            d = _mk(g["y1"], g["m1"], g["d1"])
        elif g["y2"]:
            d = _mk(g["y2"], g["m2"], g["d2"])
        else:
            d = _mk(g["y3"], g["m3"], g["d3"])
        if d is not None:
            return d
    return None


_MONTH_STARTS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                 "Dec")


def mentioned_periods(text: str) -> list[tuple[int, int | None]]:
    """Every (year, month or None) the text names, in order of appearance."""
    out: list[tuple[int, int, int | None]] = []
    taken: list[tuple[int, int]] = []
    if any(a in text for a in _MONTH_STARTS):  # the regex only where a month can be
        for m in _MONTH_YEAR.finditer(text):
            out.append((m.start(), int(m["y"]), MONTHS.get(m["m"].lower().rstrip("."))))
            taken.append(m.span("y"))
    for m in _YEAR_ONLY.finditer(text):
        if m.span() not in taken:
            out.append((m.start(), int(m["y"]), None))
    return [(y, mo) for _, y, mo in sorted(out)]


def has_bare_month(text: str) -> bool:
    """True when the text dates something by a month without a year ("In November, ...")."""
    return _BARE_MONTH.search(text) is not None


_YEARS = re.compile(r"\b((?:19[5-9]|20[0-4])\d)\b")


def years_in(text: str) -> list[int]:
    """All plausible years (1950-2049) named in ``text``."""
    return [int(y) for y in _YEARS.findall(text)]
