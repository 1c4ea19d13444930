"""Section labels inside agenda items and the sections they delimit.

Labels come as bare lines ('Baggrund', '### **Indstilling**', ' Baggrund', 'Sagsfremstilling.'),
as inline prefixes ('Referat: Dagsordenen blev godkendt.', '**Beslutning:** Godkendt') or
implicitly ('Det indstilles, at ...' right under a heading is the Indstilling).  They are
canonicalised through ``SECTION_ALIASES``; any other subheading stays part of the section
it appears in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .models import Section
from .textlines import Line, clean_inline, clean_passage, is_noise

SECTION_ALIASES: dict[str, str] = {
    "baggrund": "Baggrund",
    "resume": "Baggrund",
    "resumé": "Baggrund",
    "sagsresume": "Baggrund",
    "sagsresumé": "Baggrund",
    "indstilling": "Indstilling",
    "indstillinger": "Indstilling",
    "forslag til beslutning": "Indstilling",
    "administrationens indstilling": "Indstilling",
    "forvaltningens indstilling": "Indstilling",
    "direktionens indstilling": "Indstilling",
    "sagsfremstilling": "Sagsfremstilling",
    "sagsbeskrivelse": "Sagsfremstilling",
    "sagens indhold": "Sagsfremstilling",
    "beslutning": "Beslutning",
    "beslutninger": "Beslutning",
    "afgørelse": "Beslutning",
    "referat": "Referat",
}
"""Label as printed (lower case, without markup and trailing ':'/'.') -> canonical name."""

BOILERPLATE_LABELS = frozenset({"mission", "vision"})
"""Headings of organisation boilerplate (KL's mission/vision) that end a section."""

UNLABELLED_SECTION = "Sagsfremstilling"
"""Name given to item text that precedes every label (the case as presented)."""

_LABEL_WITH_BODY_RE = re.compile(
    r"^(beslutning|indstilling|referat)\s+(?:i|fra)\s+\S.{0,70}$", re.IGNORECASE
)
_INLINE_RE = re.compile(
    r"^[\s\-#*]*(?:<b>)?\s*("
    + "|".join(sorted(map(re.escape, SECTION_ALIASES), key=len, reverse=True))
    + r")\s*(?:\*\*|</b>)?\s*:\s*(?:\*\*|</b>)?\s*(?=\S)",
    re.IGNORECASE,
)
_PROPOSAL_RE = re.compile(r"^[-*\s]*(Det indstilles|[A-ZÆØÅ][\wæøå]+ indstiller)\b")
_CASE_RE = re.compile(r"^(SAG-\d{4}-\d{5})\b[\s:]*(.*)$")


@dataclass(frozen=True)
class Marker:
    """Where a section starts: its canonical name, line index and text offset.

    ``kind`` is 'label' (bare line), 'inline' ('Referat: ...'), 'proposal' (implicit
    Indstilling), 'implicit' (unlabelled text under a heading) or 'stop' (boilerplate
    that ends the running section).
    """

    kind: str
    name: str
    line: int
    offset: int


def label_name(clean: str) -> str | None:
    """Canonical section name when the cleaned line is a bare section label."""
    text = clean.strip().rstrip(":.").strip()
    if not text or len(text) > 80:
        return None
    name = SECTION_ALIASES.get(text.lower())
    if name is None and _LABEL_WITH_BODY_RE.match(text):
        name = SECTION_ALIASES[text.split()[0].lower()]
    return name


def find_markers(lines: Sequence[Line], start: int, end: int) -> list[Marker]:
    """All explicit section markers (labels, inline labels, boilerplate stops) in [start, end)."""
    markers: list[Marker] = []
    for line in lines[start:end]:
        if line.blank:
            continue
        name = label_name(line.clean)
        if name is not None:
            markers.append(Marker("label", name, line.index, line.end))
        elif line.clean.rstrip(":.").lower() in BOILERPLATE_LABELS:
            markers.append(Marker("stop", "", line.index, line.start))
        elif m := _INLINE_RE.match(line.raw):
            name = SECTION_ALIASES[m.group(1).lower()]
            markers.append(Marker("inline", name, line.index, line.start + m.end()))
    return markers


def proposal_marker(lines: Sequence[Line], start: int, end: int) -> Marker | None:
    """Implicit Indstilling: the first 'Det indstilles ...' line in [start, end)."""
    for line in lines[start:end]:
        m = _PROPOSAL_RE.match(line.raw)
        if m:
            return Marker("proposal", "Indstilling", line.index, line.start + m.start(1))
    return None


def case_number(lines: Sequence[Line], start: int, end: int) -> tuple[str, str | None, int] | None:
    """(case number, handler initials, line index) of the first 'SAG-...' line in [start, end)."""
    for line in lines[start:end]:
        m = _CASE_RE.match(line.clean)
        if m:
            handler = re.sub(r"\s+", " ", m.group(2)).strip() or None
            if handler is not None and len(handler) > 40:
                handler = None
            return m.group(1), handler, line.index
    return None


def is_case_line(line: Line) -> bool:
    """True when the line is a case number line ('SAG-2023-04402 chbn/jhp')."""
    return bool(_CASE_RE.match(line.clean))


def build_sections(
    text: str, lines: Sequence[Line], markers: Sequence[Marker], end: int
) -> tuple[Section, ...]:
    """Sections from ``markers`` (sorted), each running to the next marker or ``end``."""
    sections: list[Section] = []
    ordered = sorted(markers, key=lambda m: m.offset)
    for k, marker in enumerate(ordered):
        if marker.kind == "stop":
            continue
        stop = end
        if k + 1 < len(ordered):
            stop = lines[ordered[k + 1].line].start
            if ordered[k + 1].line == marker.line:
                stop = ordered[k + 1].offset
        stop = max(stop, marker.offset)
        sections.append(make_section(text, lines, marker.name, marker.offset, stop))
    return tuple(sections)


def make_section(text: str, lines: Sequence[Line], name: str, start: int, end: int) -> Section:
    """A section over text[start:end], trimmed to its first and last meaningful line."""
    first, last = _content_bounds(text, lines, start, end)
    if first >= last:
        return Section(name, "", start, start)
    return Section(name, clean_passage(text[first:last]), first, last)


def _content_bounds(text: str, lines: Sequence[Line], start: int, end: int) -> tuple[int, int]:
    first, last = end, start
    for line in _lines_between(lines, start, end):
        lo, hi = max(line.start, start), min(line.end, end)
        piece = text[lo:hi]
        if is_noise(clean_inline(piece)):
            continue
        lo += len(piece) - len(piece.lstrip())
        hi -= len(piece) - len(piece.rstrip())
        first, last = min(first, lo), max(last, hi)
    return first, last


def _lines_between(lines: Sequence[Line], start: int, end: int) -> list[Line]:
    """Lines overlapping the character range [start, end)."""
    lo, hi = 0, len(lines)
    while lo < hi:  # first line whose end >= start
        mid = (lo + hi) // 2
        if lines[mid].end < start:
            lo = mid + 1
        else:
            hi = mid
    picked = []
    for line in lines[lo:]:
        if line.start >= end:
            break
        picked.append(line)
    return picked
