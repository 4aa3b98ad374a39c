"""Calendar quarters: the partition key is the quarter's first day (``2021-10-01``)."""

from datetime import date

import dagster as dg

FIRST_QUARTER = "2010-01-01"

quarters = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 */3 *",  # 1 Jan, 1 Apr, 1 Jul, 1 Oct
    start=FIRST_QUARTER,
    fmt="%Y-%m-%d",
    end_offset=1,  # the current, still open quarter is a partition too
)


def quarter_key(day: date) -> str:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1).isoformat()


def keys_between(first: date, last: date) -> list[str]:
    """Partition keys of every quarter from the one holding ``first`` to the one holding ``last``."""
    out, year, month = [], first.year, 3 * ((first.month - 1) // 3) + 1
    end = quarter_key(last)
    while True:
        key = date(year, month, 1).isoformat()
        out.append(key)
        if key >= end:
            return out
        month += 3
        if month > 12:
            year, month = year + 1, 1
