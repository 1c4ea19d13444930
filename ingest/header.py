"""Meeting header fields: document type, date, time, location, title and participants.

Headers come as labelled lines ('Dato: 21-11-2023 10:00', '**Sted:** ...', 'Tid og sted:
Fredag den 4. november 2022, kl. 10.00 – 12.00. Gl. Skovriddergaard, ...') or as free
text ('Dagsorden for Økonomiudvalget, mødedato 12. marts 2024').
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .danish import MONTHS, find_dates
from .lineyears import date_with_line_year
from .meetingclues import is_bare_date, timed_date
from .textlines import Line
from .typeclues import is_type_caption

_CLOCK = r"(?:kl\.?\s*\d{1,2}(?:[.:]\d{2})?|\d{1,2}[.:]\d{2})"
_TIME_RE = re.compile(rf"{_CLOCK}(?:\s*[-–—]\s*(?:kl\.?\s*)?\d{{1,2}}(?:[.:]\d{{2}})?)?", re.I)
_DATE_LABEL_RE = re.compile(
    r"^(?:mødedato|dato|tid og sted|mødetidspunkt|tidspunkt|afholdt|tid)\b\s*:?", re.I
)
_PLACE_LABEL_RE = re.compile(r"^(?:sted|mødested|mødelokale|lokale|adresse)\s*:\s*(.+)$", re.I)
_TIME_PLACE_RE = re.compile(r"^tid og sted\s*:", re.I)
_AT_PLACE_RE = re.compile(r"^\s*,?\s*(?:i|på)\s+([A-ZÆØÅ][^\t]{1,118})$")
"""The place after the meeting's time on its date line: '... den 22. juni 2020 kl. 17:30 i
Arden Rådhus, Øst', 'Den 09.01.2020 kl. 13:00 i Tapperiet, Sdr. Badevej 1, 4600 Køge'."""
_DOC_TYPE_RE = re.compile(
    r"(?<![\wæøå])(dagsorden\s+med\s+(?:vedtagelser|beslutninger|(?:beslutnings)?referat)"
    r"|dagsorden|tillægsdagsorden"
    r"|mødereferat|referat|beslutningsprotokol|protokol|beslutningsreferat)(?![\wæøå])",
    re.IGNORECASE,
)
"""A document type word.  'Dagsorden med vedtagelser' / 'med beslutninger' / 'med referat'
(the agenda with what was resolved on each item) records decisions: minutes ('referat'), as
a Beslutningsprotokol does."""
_PRESENT_RE = re.compile(
    r"^(deltagere|deltagerfortegnelse|til stede|fremmødte|mødedeltagere)\s*:?\s*(.*)$",
    re.I,
)
_ABSENT_RE = re.compile(r"^(afbud|fraværende|fravær|forfald|ikke til stede)\s*:?\s*(.*)$", re.I)
_GROUP_RE = re.compile(r"^(fra|øvrige|desuden|endvidere)\b.{0,60}$", re.I)


@dataclass(frozen=True)
class Header:
    """What the header says about the meeting; None where it says nothing."""

    doc_type: str | None
    date: str | None
    time: str | None
    location: str | None
    title: str | None


_MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
_DASHED_MONTH_RE = re.compile(rf"\b(\d{{1,2}})-({_MONTH_WORDS})-(\d{{4}})\b", re.I)
"""'15-maj-2002': a written month between dashes (a case system's date field)."""


_US_DATE_RE = re.compile(
    r"\b(\d{1,2})/(\d{1,2})/(\d{4})(?=[ \t]+\d{1,2}:\d{2}(?::\d{2})?[ \t]*[AP]M\b)", re.I
)
"""'8/29/2019 4:00:00 PM': a date and 12-hour time in the US form (month first) that a
publishing system's default DateTime format prints; read day first it would be swapped."""


def find_date(text: str) -> tuple[str, int] | None:
    """Earliest whole, real calendar date in ``text`` as (ISO date, end offset of it).

    '15-maj-2002' is read as '15 maj 2002' (spaces for the dashes keep every offset), and
    '8/29/2019 4:00:00 PM' as '29/8/2019' (the month and day swapped, same length)."""
    text = _DASHED_MONTH_RE.sub(r"\1 \2 \3", text)
    text = _US_DATE_RE.sub(r"\2/\1/\3", text)
    found = next((d for d in find_dates(text) if d.iso), None)
    if found is None or found.iso is None:
        return date_with_line_year(text)  # '3. møde i 2012, torsdag den 23. august'
    return found.iso, found.end


def find_time(text: str) -> tuple[str, int] | None:
    """First clock time or time range in ``text`` ('10:00 – 12.00', 'kl. 10.00')."""
    for m in _TIME_RE.finditer(text):
        hours = re.findall(r"\d{1,2}", m.group(0))
        if hours and int(hours[0]) <= 24:
            return m.group(0).strip(), m.end()
    return None


def parse_header(lines: Sequence[Line], end: int) -> Header:
    """Read doc type, date, time, location and a title from lines [0, end)."""
    head = [line for line in lines[:end] if not line.blank]
    doc_type, title = _doc_type(head)
    when = _date_line(head)
    meeting_date = meeting_time = location = None
    if when is not None:
        line, (meeting_date, date_end) = when
        rest = line.clean[date_end:]
        clock = find_time(rest)
        if clock is not None:
            meeting_time, time_end = clock
            rest = rest[time_end:]
        if _TIME_PLACE_RE.match(line.clean):
            location = rest.strip(" .,;:–-") or None
        elif clock is not None and (at := _AT_PLACE_RE.match(rest)):
            location = at.group(1).strip(" .,;:–-") or None
    if meeting_time is None:
        meeting_time = _labelled_time(head)
    location = _labelled_place(head) or location
    return Header(doc_type, meeting_date, meeting_time, location, title)


def doc_type_word(text: str) -> str | None:
    """'dagsorden' or 'referat' for the first document-type word in ``text``, else None."""
    m = _DOC_TYPE_RE.search(text)
    return None if m is None else _type_of(m)


def _type_of(m: re.Match[str]) -> str:
    return "dagsorden" if m.group(1).lower().endswith("dagsorden") else "referat"


def _doc_type(head: Sequence[Line]) -> tuple[str | None, str | None]:
    """The type word of the header's title line: the first line that opens with one
    ('Referat til mødet i ...'), else the first line that has one and names no other type
    (a site's text 'så er det en tillægsdagsorden/-referat' names both).  A word inside a line
    ('Sbsys dagsorden preview' above 'Referat ...') names the system or a link, not the
    document."""
    first: tuple[str | None, str | None] = (None, None)
    for line in head:
        m = _DOC_TYPE_RE.search(line.clean)
        if m is None or is_type_caption(line.clean):
            continue  # 'Dagsorden:' over the items, 'Godkendelse af dagsorden:' (typeclues)
        if not line.clean[: m.start()].strip(" *#-–:") or _dated(line.clean[m.end() :]):
            return _type_of(m), line.clean
        if first[0] is None and len({_type_of(t) for t in _DOC_TYPE_RE.finditer(line.clean)}) == 1:
            first = (_type_of(m), line.clean)  # 'dagsorden/-referat' names both: site text
    return first


def _dated(rest: str) -> bool:
    """True when a date follows the type word at once ('Regionsrådet - referat 26-01-2009'):
    the page's title line names its document, unlike a link ('Dagsorden - dagsorden som
    PDF-fil') that merely opens with the word."""
    dates = find_dates(rest)
    if not dates or dates[0].iso is None:
        return False
    return rest[: dates[0].start].strip(" -–,:").lower() in ("", "den")


def _date_line(head: Sequence[Line]) -> tuple[Line, tuple[str, int]] | None:
    """The line whose 'Tid:' gives a date and clock time (the meeting's, not a document
    date 'Dato:' before it), else the labelled date line ('Dato:', 'Tid og sted:'), else
    the first line with a date; a date alone on its line yields to a line that dates the
    meeting with its clock time."""
    for line in head:
        if (timed := _timed_date(line.clean)) is not None:
            return line, timed
    labelled = [line for line in head if _DATE_LABEL_RE.match(line.clean)]
    for line in labelled + list(head):
        found = find_date(line.clean)
        if found is not None:
            if line not in labelled and is_bare_date(line.clean):  # a dateline (meetingclues)
                return next(((t, d) for t in head if (d := timed_date(t.clean))), (line, found))
            return line, found
    return None


_MEETING_TIME_LABEL_RE = re.compile(r"(?:^|(?<=\s))Tid\s*:\s*(?=\D{0,12}\d)")
"""The meeting's own time 'Tid: Fredag den 22. maj 2015 kl. 09:30', which a page may
print after the document's date ('Dato: 15. maj 2015 Initialer: ug ... Tid: ...')."""


def _timed_date(text: str) -> tuple[str, int] | None:
    """The date of a 'Tid:' label in ``text`` that a clock time follows (the meeting's
    date and time), as (ISO date, end offset in ``text``)."""
    for label in _MEETING_TIME_LABEL_RE.finditer(text):
        rest = text[label.end() :]
        found = find_date(rest[:40])
        if found is not None and (clock := _TIME_RE.match(rest[found[1] :].lstrip())):
            if clock.group(0).lower().startswith("kl") or ":" in clock.group(0):
                return found[0], label.end() + found[1]
    return None


def _labelled_time(head: Sequence[Line]) -> str | None:
    for line in head:
        if re.match(r"^(?:tid|tidspunkt|mødetidspunkt|kl\.)", line.clean, re.I):
            clock = find_time(line.clean)
            if clock is not None:
                return clock[0]
    return None


def _labelled_place(head: Sequence[Line]) -> str | None:
    for line in head:
        m = _PLACE_LABEL_RE.match(line.clean)
        if m:
            return m.group(1).strip() or None
    return None


# ------------------------------------------------------------------ participants


def parse_participants(lines: Sequence[Line]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(participants, absentees) from 'Deltagere:'/'Afbud:' lines or a participant list.

    A list heading ('Deltagerfortegnelse', '### Deltagere', '### Afbud', '**Fra KL**')
    switches the group that the following lines belong to; inline forms are split on
    commas outside parentheses.
    """
    present: list[str] = []
    absent: list[str] = []
    group: list[str] | None = None
    for line in lines:
        if line.blank:
            continue
        label = line.clean.rstrip(":").strip()
        m = _ABSENT_RE.match(line.clean) or _PRESENT_RE.match(line.clean)
        if m is not None:
            target = absent if _ABSENT_RE.match(line.clean) else present
            rest = m.group(2)
            if not rest:
                group = target
                continue
            if ":" in line.clean[: len(line.clean) - len(rest)]:
                target.extend(split_names(rest))
                group = None
                continue
        if group is not None and _is_list_heading(line, label):
            group = present if _GROUP_RE.match(label) else None
            continue
        if group is not None:
            group.append(label)
    return tuple(present), tuple(absent)


def _is_list_heading(line: Line, label: str) -> bool:
    stripped = line.raw.lstrip()
    return stripped.startswith(("#", "**", "<b>")) or bool(_GROUP_RE.match(label))


def split_names(text: str) -> list[str]:
    """Split 'A, B (C, D), E.' on commas/semicolons outside parentheses."""
    parts: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch in ",;" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip(" .") for p in parts if p.strip(" .")]
