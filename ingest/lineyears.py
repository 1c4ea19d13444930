"""A meeting date whose year the line names apart from day and month.

A header may name the year once, before the day ('Forretningsudvalgets 3. møde i 2012,
torsdag den 23. august kl. 12.30'): day and month are written without it, and the line's
only year is theirs.  Read only where no line says a whole date, and only on one line
that holds exactly one day and month without a year and one year.
"""

from __future__ import annotations

from datetime import date

from .danish import find_dates


def date_with_line_year(text: str) -> tuple[str, int] | None:
    """(ISO date, end offset in ``text``) of the first line of ``text`` whose only day and
    month take its only year, else None.

    >>> date_with_line_year("3. møde i 2012, torsdag den 23. august kl. 12")
    ('2012-08-23', 38)
    >>> date_with_line_year("Mødeplan 2026: 3. maj og 5. juni") is None
    True
    """
    offset = 0
    for line in text.split("\n"):
        found = find_dates(line)
        days = [d for d in found if d.year is None and d.month and d.day]
        years = {d.year for d in found if d.form == "year"}
        if len(days) == 1 and len(years) == 1 and len(found) == 2:
            (year,) = years
            day = days[0]
            try:
                iso = date(year or 0, day.month or 0, day.day or 0).isoformat()
            except ValueError:
                iso = None
            if iso is not None:
                return iso, offset + day.end
        offset += len(line) + 1
    return None
