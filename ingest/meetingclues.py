"""What a page's own sentences say about its meeting when no field or type word does.

Three clues a careful reader takes from a header that names no type or labels no date:

* the tense it tells the meeting in: a meeting told in the past ('Mødet blev afholdt som
  telefonmøde', 'Jens Hansen deltog på mødet d. 9. september', 'Mødet sluttede kl. 12')
  was held, so the page records it: minutes ('referat'); a meeting announced with what it
  will treat ('Mødet afholdes i Rådssalen', 'Følgende punkter er til behandling på
  mødet:', 'Tirsdag den 29. september holder Byrådet møde') is still to come: an agenda.
  An empty field caption ('Mødet afsluttet: Kl') is a template's, no statement;
* the date a sentence gives with the meeting's clock time ('Tirsdag den 29. september
  2020 kl. 18.00 holder ...') over a date that stands alone on its line above it (a news
  page's publishing date '24.09.2020');
* a title the page prints again on every page ('Referat af Kommunalbestyrelsens ordinære
  møde 03/2020, den 28. maj 2020'), which running-header blanking removes from the text:
  when it names the meeting's date it is kept as the page's running header, the place a
  PDF reader files such lines under.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import find_dates
from .textlines import Line

_HELD_RE = re.compile(
    r"(?<![\wæøå])(?:mødet\s+(?:blev\s+(?:afholdt|holdt|hævet|afsluttet)|sluttede|"
    r"hævedes|afsluttedes)|deltog\s+(?:på|i)\s+mødet)(?![\wæøå])",
    re.IGNORECASE,
)
"""A finite past statement that the meeting took place, ended or was attended."""
_ANNOUNCED_RE = re.compile(
    r"(?<![\wæøå])(?:mødet\s+afholdes|til\s+behandling\s+på\s+mødet|"
    r"(?:af)?holder\s+[^.\n]{0,80}?(?<![\wæøå])møde(?=\s*[.\n]|$))(?![\wæøå])",
    re.IGNORECASE,
)
"""A present statement of a meeting still to come: it is held, it will treat these items."""
_CLOCK_RE = re.compile(r"^[\s,]*(?:kl\.?\s*)?\d{1,2}[.:]\d{2}(?!\d)", re.IGNORECASE)


def told_doc_type(lines: Sequence[str]) -> str | None:
    """'referat' when a line of ``lines`` tells the meeting in the past tense (it was held,
    attended, ended), 'dagsorden' when one announces it in the present (it is held, these
    items are to be treated) and none tells it in the past; else None."""
    if any(_HELD_RE.search(line) for line in lines):
        return "referat"
    if any(_ANNOUNCED_RE.search(line) for line in lines):
        return "dagsorden"
    return None


def timed_date(text: str) -> tuple[str, int] | None:
    """The first date in ``text`` that the meeting's clock time follows ('den 29. september
    2020 kl. 18.00'), as (ISO date, end offset of the date), else None."""
    for found in find_dates(text):
        if found.iso and _CLOCK_RE.match(text[found.end :]):
            return found.iso, found.end
    return None


def is_bare_date(text: str) -> bool:
    """True for a line that is one date and nothing else ('24.09.2020'): a dateline."""
    dates = find_dates(text)
    return len(dates) == 1 and not (text[: dates[0].start] + text[dates[0].end :]).strip(" .,")


def running_titles(before: Sequence[Line], after: Sequence[Line]) -> str:
    """The lines running-header blanking removed (``before`` -> ``after``) that name a
    date: titles a page prints on every page, one each, in order, joined by newlines."""
    seen: list[str] = []
    for old, new in zip(before, after, strict=True):
        text = old.clean
        if text and not new.clean and text not in seen and any(d.iso for d in find_dates(text)):
            seen.append(text)
    return "\n".join(seen)
