"""Items of a page without numbered headings: the cycle of its section labels.

Some publications print item headings the numbered outline cannot back (numbers that
skip, a print page whose list markup was lost).  The section labels still repeat item by
item ('Sagsfremstilling ... Indstilling ... Beslutning', then 'Sagsfremstilling' again),
so each cycle of labels is an item when its title prints the item's number
(``find_cycles``).  Its title is the nearest text line above the cycle's first label that
is not form matter - a field line ('Øvrige sagsbehandlere: -'), a grid of short codes
('DIR', 'BYR', 'x'), a case number line, the page's own title line ('Referat Aarhus Byråd
11-09-2019') - nor a paragraph.  The same rule titles the single unnumbered item of a
page whose heading stands under site text ('Vælg', 'Dagsordener og referater').
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .casenumbers import case_number, is_case_line
from .danish import squash
from .header import doc_type_word, find_date
from .sections import Marker, is_primary_label, label_name
from .textlines import Line, is_noise, line_above

_CODE_RE = re.compile(r"^(?:[A-ZÆØÅ]{2,5}|[a-zA-Z])$")
"""A grid cell on a line of its own: a committee code ('BYR', 'ØKE') or a mark ('x')."""
_FIELD_RE = re.compile(r"^[A-ZÆØÅ][a-zæøå]*(?: [a-zæøå]+){0,2}\s*:\s*(.*)$")
"""'Caption: value' with a caption of one to three words ('Øvrige sagsbehandlere: -',
'Mødedato: 6. november 2017')."""
MAX_FIELD_VALUE_WORDS = 5
_NUMBERED_RE = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)[.)]?\s+(\S.*)$")
MAX_TITLE_LENGTH = 200
MAX_TITLE_SENTENCE_WORDS = 12
"""A line that ends a sentence ('.', '!', '?') with more words than this is text (an
item's intro under its heading), not a title ('Lokalplan 335. Endelig vedtagelse.')."""


@dataclass(frozen=True)
class Cycle:
    """One item found by its labels: title line, printed number and its markers."""

    title_line: int
    number: str
    title: str
    markers: tuple[Marker, ...]


def is_empty_form_line(clean: str) -> bool:
    """A grid cell ('DIR', 'x') or a field without a value ('Øvrige sagsbehandlere: -'):
    no text of the item even where a field with a value would be."""
    field = _FIELD_RE.match(clean)
    return bool(_CODE_RE.match(clean)) or (field is not None and is_noise(field.group(1)))


def is_form_line(clean: str) -> bool:
    """True for a line that is page furniture, not an item's title or text: noise, a
    label, a field line, a grid code, a case number line or a dated document-type line."""
    if is_noise(clean) or label_name(clean) is not None or _CODE_RE.match(clean):
        return True
    field = _FIELD_RE.match(clean)
    if field is not None and len(field.group(1).split()) <= MAX_FIELD_VALUE_WORDS:
        return True
    if doc_type_word(clean) is not None and find_date(clean) is not None:
        return True  # the page's title line 'Referat Aarhus Byråd 11-09-2019'
    return is_case_line(Line(0, 0, len(clean), clean, clean))


def title_above(lines: Sequence[Line], label: int, floor: int) -> Line | None:
    """The nearest line above line ``label`` (down to ``floor``) that is not form matter;
    None when there is none, or when it is the first text under the label at ``floor - 1``
    (that is the previous section's text, not a title)."""
    for line in reversed(lines[floor:label]):
        if line.blank or is_form_line(line.clean) or _is_prose(line.clean):
            continue
        first_text = next((ln for ln in lines[floor:label] if not is_noise(ln.clean)), None)
        if floor > 0 and first_text is not None and first_text.index == line.index:
            return None
        return line
    return None


def _is_prose(clean: str) -> bool:
    words = len(clean.split())
    sentence = clean.endswith((".", "!", "?")) and words > MAX_TITLE_SENTENCE_WORDS
    return sentence or len(clean) > MAX_TITLE_LENGTH


def label_cycles(markers: Sequence[Marker]) -> list[list[Marker]]:
    """The markers split into cycles: an opening label (``is_primary_label``) that the
    current cycle already holds starts the next one; labels that follow a cycle's closing
    decision and open an item (background) move to the cycle after it."""
    cycles: list[list[Marker]] = []
    seen: set[str] = set()
    for marker in markers:
        if marker.kind == "stop":
            continue
        primary = is_primary_label(marker.name, marker.role)
        if not cycles or (primary and marker.name.casefold() in seen):
            cycles.append([])
            seen = set()
        cycles[-1].append(marker)
        if primary:
            seen.add(marker.name.casefold())
    for before, after in zip(cycles, cycles[1:], strict=False):
        closing = [k for k, m in enumerate(before) if m.role == "decision" and k > 0]
        if closing and closing[-1] + 1 < len(before):
            tail = before[closing[-1] + 1 :]
            if all(m.role == "background" for m in tail):
                del before[closing[-1] + 1 :]
                after[:0] = tail
    return cycles


def find_cycles(lines: Sequence[Line], markers: Sequence[Marker]) -> list[Cycle]:
    """The items of a page by its label cycles, else [].  At least two cycles, each titled
    by a line that prints its item's number ('129. Title'): a page of unnumbered cases
    stays one item, since only the single item of a page may go without a number (item
    links and citations name an item by its number).  A cycle without a title line of its
    own continues the one before it."""
    found: list[Cycle] = []
    floor = 0
    for cycle in label_cycles(markers):
        line = title_above(lines, cycle[0].line, floor)
        if line is None:
            if not found:
                return []
            last = found[-1]
            found[-1] = Cycle(last.title_line, last.number, last.title, last.markers + tuple(cycle))
        else:
            number, title = numbered_title(line.clean)
            found.append(Cycle(line.index, number, title, tuple(cycle)))
        floor = cycle[-1].line + 1
    numbers = [c.number for c in found]
    if len(found) < 2 or "" in numbers or len(set(numbers)) < len(numbers):
        return []  # item links and citations need each item's own printed number
    return found


def numbered_title(clean: str) -> tuple[str, str]:
    """('3', 'Title') for a title line '3. Title'; ('', line) when it prints no number."""
    m = _NUMBERED_RE.match(clean)
    if m is not None and m.group(2)[:1].isupper():
        return m.group(1), squash(m.group(2))
    return "", squash(clean)


def cycle_case(
    lines: Sequence[Line], title_line: int, first_label: int
) -> tuple[str, str | None, int] | None:
    """The case number under the title (before its first label), else on the nearest text
    line above the title ('Sagsnr.: 05.00.00-A00-2-17 Sagsbehandler: ...' over it)."""
    below = case_number(lines, title_line + 1, first_label)
    if below is not None:
        return below
    k = line_above(lines, title_line, 0)
    if k is None or is_noise(lines[k].clean) or not is_case_line(lines[k]):
        return None
    return case_number(lines, k, k + 1)
