"""Calendar-quarter helpers: the period grain of marts.freedom_scores.

A quarter is identified by its first day (``period_start``, the Dagster partition key) and
labelled ``2021Q4``. Pure functions on ``datetime.date``.
"""

import re
from datetime import date, timedelta

_LABEL = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


def quarter_of(d: date) -> date:
    """The first day of the calendar quarter that holds ``d``."""
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def quarter_label(d: date) -> str:
    """``2021Q4`` for any day of October-December 2021."""
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


def quarter_end(d: date) -> date:
    """The last day of the quarter that holds ``d``."""
    return next_quarter(d) - timedelta(days=1)


def next_quarter(d: date) -> date:
    """The first day of the quarter after the one that holds ``d``."""
    q = quarter_of(d)
    return date(q.year + 1, 1, 1) if q.month == 10 else date(q.year, q.month + 3, 1)


def parse_quarter(label: str) -> date:
    """``"2021Q4"`` (or ``2021-Q4``) -> ``date(2021, 10, 1)``; ValueError on anything else."""
    m = _LABEL.match(label)
    if not m:
        raise ValueError(f"not a quarter label: {label!r} (expected like 2021Q4)")
    return date(int(m.group(1)), 3 * (int(m.group(2)) - 1) + 1, 1)


def quarter_index(d: date) -> int:
    """A running quarter number (year * 4 + quarter - 1): differences count quarters."""
    return d.year * 4 + (d.month - 1) // 3


def quarters_between(a: date, b: date) -> list[date]:
    """Quarter starts of every quarter that overlaps ``[a, b]`` (both ends included).

    Empty when ``b`` is before ``a``.
    """
    if b < a:
        return []
    out: list[date] = []
    q, last = quarter_of(a), quarter_of(b)
    while q <= last:
        out.append(q)
        q = next_quarter(q)
    return out


def quarters_of_year(year: int) -> list[date]:
    """The four quarter starts of a calendar year."""
    return [date(year, m, 1) for m in (1, 4, 7, 10)]
