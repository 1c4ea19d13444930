"""Case numbers of agenda items, as systems print them.

Unlabelled ('SAG-2023-04402 chbn/jhp'), labelled in any shape that holds a digit
('Sagsnr.: 13/1234', 'J.nr. 27.00.00-A00-1-17'), a bare KLE journal number at the start of
a line, a bare year/serial number alone on a line ('12/15486'), or a bare label over its
number in the cell below ('Sagsnr:' / '09/141').  A line
'Sag nr. 129' numbers the item, not the case (:data:`ingest.toc.NUMBER_BELOW_RE`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .danish import squash
from .textlines import Line
from .toc import NUMBER_BELOW_RE

_SAG_RE = re.compile(r"^([A-ZÆØÅ]{2,5}-\d{4}-\d{3,7})\b[\s:]*(.*)$")
"""An unlabelled case number line ('SAG-2023-04402 chbn/jhp', 'EMN-2024-004711')."""
_CASE_LABEL = (
    r"(?:sags?\.?\s*nr\.?|sags?\s+nr\.?|sagsnummer|sags-?id\.?|j\.?\s*nr\.?|"
    r"journal\s*nr\.?|journalnummer|acadre\s+sagsnr\.?|esdh\s*-?\s*nr\.?)"
)
_LABELLED_CASE_RE = re.compile(
    rf"(?<![\wæøå]){_CASE_LABEL}(?:\s+i\s+[\wæøåÆØÅ-]+)?\s*[:.]?\s*\t?\s*"
    r"((?-i:[A-ZÆØÅ]{1,4} )?(?=[\w./-]*\d)[A-ZÆØÅa-zæøå0-9][\w./-]*[\w])",
    re.IGNORECASE,
)
"""A labelled case number ('Sagsnr.: 13/1234', 'J.nr. 27.00.00-A00-1-17',
'Sagsnr. i ESDH:<TAB>25/23642') in any shape that contains a digit, with the register's
capitals before it when it prints them ('J.nr. ØU 5/2006')."""
_KLE_RE = re.compile(r"^(\d{2}\.\d{2}\.\d{2}(?:-[A-ZÆØÅ]\d{2}-\d+-\d{2}|[A-ZÆØÅ]\d{2}-\d{2,6}))\b")
"""A bare KLE journal number at the start of a line: subject number, facet and serial as
'27.00.00-A00-1-17' or '00.01.00P35-0104' (the facet glued to the subject number)."""


def case_number(lines: Sequence[Line], start: int, end: int) -> tuple[str, str | None, int] | None:
    """(case number as printed, handler initials, line index) of the first case line."""
    for line in lines[start:end]:
        found = _line_case(line.clean)
        if found is not None and _JOURNAL_RE.match(line.clean):
            line, found = _case_under_journal(lines, line, end, found)
        if found is not None:
            return found[0], found[1], line.index
        if _BARE_CASE_LABEL_RE.match(line.clean) and (below := _value_below(lines, line, end)):
            return below.clean, None, below.index
    return None


_JOURNAL_RE = re.compile(r"^(?:j\.?\s*nr|journal\s*nr|journalnummer)\b", re.IGNORECASE)
_SAGSNR_RE = re.compile(r"^(?:sags?\.?\s*nr|sagsnummer|sags-?id)\b", re.IGNORECASE)


def _case_under_journal(
    lines: Sequence[Line], journal: Line, end: int, found: tuple[str, str | None]
) -> tuple[Line, tuple[str, str | None]]:
    """The case number on the line under a journal number ('J.nr.: 00.01.00.A10-0001/2013'
    / 'Sagsnr.: 6628'): a block that prints both names the case by its 'Sagsnr.'."""
    below = next((ln for ln in lines[journal.index + 1 : end] if not ln.blank), None)
    if below is not None and _SAGSNR_RE.match(below.clean):
        if (case := _line_case(below.clean)) is not None:
            return below, case
    return journal, found


_BARE_CASE_LABEL_RE = re.compile(rf"^{_CASE_LABEL}\s*:?$", re.IGNORECASE)
"""A case label on a line of its own ('Sagsnr:'): a web layout prints the number in a cell
below it."""
_CASE_VALUE_RE = re.compile(r"^(?=[\w./-]*\d)[A-ZÆØÅa-zæøå0-9][\w./-]{0,38}[\w]$")


def _value_below(lines: Sequence[Line], label: Line, end: int) -> Line | None:
    """The first non-blank line under a bare case label when it is one token with a digit
    (the case number '09/141'); None otherwise."""
    below = next((ln for ln in lines[label.index + 1 : end] if not ln.blank), None)
    return below if below is not None and _CASE_VALUE_RE.match(below.clean) else None


def _line_case(clean: str) -> tuple[str, str | None] | None:
    if NUMBER_BELOW_RE.match(clean):
        return None  # 'Sag nr. 129' numbers the item (see toc.NUMBER_BELOW_RE)
    m = _SAG_RE.match(clean)
    if m:
        handler = squash(m.group(2)) or None
        if handler is not None and (len(handler) > 40 or _LABELLED_CASE_RE.search(handler)):
            handler = None
        return m.group(1), handler
    m = _LABELLED_CASE_RE.search(clean)
    if m and m.start() <= 40:
        return m.group(1).rstrip("./-"), None
    m = _KLE_RE.match(clean)
    if m:
        return m.group(1), None
    m = _STATUS_CASE_RE.match(clean) or _SUBJECT_CASE_RE.match(clean)
    if m:
        return m.group(1), None
    if _YEAR_SERIAL_RE.match(clean):
        return clean, None
    return None


_YEAR_SERIAL_RE = re.compile(r"^\d{2}/\d{4,6}$")
"""A bare case number of year and serial alone on its line ('12/15486'), as an ESDH
system prints it under the item's heading; a short fraction ('1/2', '10/100') is none."""


_STATUS_CASE_RE = re.compile(
    r"^(?:åbent?|lukket)\s+[-–]\s+\d{2}\.\d{2}\.\d{2}[A-ZÆØÅ\d-]*\s+[-–]\s+"
    r"((?=[\w./-]*\d)[\w./-]*\w)$",
    re.IGNORECASE,
)
"""An item's status line under its heading: access, KLE subject with facet, then the case
number ('Åbent - 00.01.00A04 - 2007/34364')."""
_SUBJECT_CASE_RE = re.compile(
    r"^\d{2}\.\d{2}(?:\.\d{2})?[A-ZÆØÅ]\d{2}\s+[-–]\s+((?=[\w./-]*\d)[\w./-]*\w)$"
)
"""The same line without the access status: the KLE subject with its facet glued on, then
the case number ('01.02G00 - 2017/27088'); the facet's letter tells it from a time span
('12.30 - 14.00')."""


def is_lone_case(clean: str) -> bool:
    """True when the line holds a case number and nothing else but its label
    ('85.02.02-G01-5-17', 'Sagnr.: 1-51-71-3321-08'): such a line may stand above the
    heading of the item it belongs to, which a case number inside a sentence may not."""
    found = _line_case(clean)
    if found is None:
        return False
    m = _LABELLED_CASE_RE.search(clean)
    labelled = m is not None and m.start() == 0 and not clean[m.end() :].strip(" ./-")
    return found[0] == clean or labelled


def is_case_line(line: Line) -> bool:
    """True when the line states a case number ('SAG-2023-04402 chbn/jhp', 'Sagsnr.: 13/1234')."""
    if _BARE_CASE_LABEL_RE.match(line.clean):
        return True  # 'Sagsnr:' over its number ('09/141') in the cell below
    return len(line.clean) <= 160 and _line_case(line.clean) is not None


_HANDLER_RE = re.compile(
    r"^(?:sagsbehandler|sagsbeh\.|sagsansvarlig|ansvarlig\s+sagsbehandler)\s*:", re.IGNORECASE
)


def is_handler_line(clean: str) -> bool:
    """True for the case block's caseworker field ('Sagsbehandler: Jacob Kloch', 'Sagsbeh.:
    Eva Bach') printed by the case number: who handles the case, not the item's text."""
    return bool(_HANDLER_RE.match(clean))


_EMPTY_CASE_LABEL_RE = re.compile(rf"\s+{_CASE_LABEL}\s*:?\s*$", re.IGNORECASE)


def without_empty_case_label(title: str) -> str:
    """``title`` without a case label left empty after it ('Godkendelse af dagsorden
    Sagsnr.:', a form whose case field was not filled in)."""
    return _EMPTY_CASE_LABEL_RE.sub("", title) or title
