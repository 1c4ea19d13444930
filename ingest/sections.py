"""Section labels inside agenda items and the sections they delimit.

Labels come as bare lines ('Baggrund', '### **Indstilling**', ' Baggrund', 'Sagsfremstilling.'),
as inline prefixes ('Referat: Dagsordenen blev godkendt.', '**Beslutning:** Godkendt') or
implicitly ('Det indstilles, at ...' right under a heading is the Indstilling).  They are
named as printed and given a role through ``section_role`` (``LABEL_ROLES`` plus the
'<body>s beslutning den <date>' forms); any other subheading stays part of the section it
appears in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .bulletlabels import bulleted_label
from .captions import caption_under_opening
from .danish import squash
from .endlabels import label_at_end
from .gridcells import in_grid
from .labelforms import colon_stamp, compound_head, date_lost, participle_stamp
from .models import Section
from .textlines import Line, clean_inline, clean_passage, is_noise

LABEL_ROLES: dict[str, str] = {
    # background: what the case is about
    "baggrund": "background", "resume": "background", "resumé": "background",
    "sagsresume": "background", "sagsresumé": "background", "sammendrag": "background",
    "sagsfremstilling": "background", "sagsbeskrivelse": "background",
    "sagens indhold": "background", "sagens baggrund": "background",
    "beskrivelse af sagen": "background", "supplerende sagsfremstilling": "background",
    "fremstilling": "background", "sagsforløb": "background", "sagens forløb": "background",
    "sagsprocedure": "background", "sagsproces": "background", "øvrige konsekvenser": "background",
    "øvrige forhold": "background", "den videre proces": "background",
    "miljøvurdering": "background", "finansiering": "background", "anlæg": "background",
    "drift": "background", "likviditet": "background", "supplerende sagsbeskrivelse": "background",
    "offentlig høring": "background", "høringsproces": "background",
    "gældende plangrundlag": "background", "supplerende indstilling": "proposal",
    "beslutningstema": "background", "tidligere beslutninger": "background",
    "tidligere behandling": "background", "historik": "background",
    "sagens tidligere behandling": "background", "problemstilling": "background",
    "lovgrundlag": "background", "præsentation": "background", "retsgrundlag": "background",
    "høring": "background", "høringssvar": "background", "vurdering": "background",
    "administrationens vurdering": "background", "forvaltningens vurdering": "background",
    "kommunikation": "background", "økonomi": "background",
    "økonomiske konsekvenser": "background", "økonomi og finansiering": "background",
    "bevillingsmæssige konsekvenser": "background",
    "økonomiske og personalemæssige konsekvenser": "background",
    "personalemæssige konsekvenser": "background", "konsekvenser": "background",
    "tidsplan": "background", "videre proces": "background", "forventet konsekvens": "background",
    "organisering og kommunikation": "background", "oplæg": "background",
    "indledning": "background", "formål": "background", "politisk behandling": "background",
    "sagsgang": "background", "proces": "background",
    "handicappolitiske konsekvenser": "background", "klimamæssige konsekvenser": "background",
    "miljømæssige konsekvenser": "background", "bæredygtighed": "background",
    "anledning": "background", "sagens kerne": "background", "forventet sagsgang": "background",
    "personale": "background", "retsregler og andre forskrifter": "background",
    "sagsgang og sagstype": "background", "sagstema": "background", "redegørelse": "background",
    "andre konsekvenser": "background", "høring og sagsgang": "background",
    "retligt grundlag": "background", "sagshistorik, henvisninger": "background",
    "konsekvenser for andre udvalg": "background",
    "beskrivelse af alternativ indstilling": "background", "tema": "background",
    "relateret behandling": "other", "punkttype": "other", "bemærkninger til dagsordenen": "other",
    "hvem beslutter": "other", "beslutningskompetence": "other",
    "beslutningen træffes af": "other", "sagen afgøres af": "other", "sagen afgøres i": "other",
    "kompetence": "other", "afgørelseskompetence": "other", "mødedeltagelse": "other",
    # proposal: what the body is asked to decide
    "indstilling": "proposal", "indstillinger": "proposal", "forslag": "proposal",
    "forslag til beslutning": "proposal", "administrationens indstilling": "proposal",
    "forvaltningens indstilling": "proposal", "direktionens indstilling": "proposal",
    "direktørens indstilling": "proposal", "indstilling til beslutning": "proposal",
    "anbefaling": "proposal", "anbefalinger": "proposal", "forslag til indstilling": "proposal",
    "administrativ indstilling": "proposal", "alternativ indstilling": "proposal",
    "indstilling og beslutning": "proposal",
    # decision: what the body decided (resolution text)
    "beslutning": "decision", "beslutninger": "decision", "afgørelse": "decision",
    "referat": "decision", "protokoltilførsel": "decision", "udvalgets beslutning": "decision",
    "byrådets beslutning": "decision", "kommunalbestyrelsens beslutning": "decision",
    "vedtagelse": "decision", "åben beslutning": "decision",
    # attachments
    "bilag": "attachments", "bilagsliste": "attachments", "vedlagte bilag": "attachments",
}  # fmt: skip
"""Section label as printed (lower case, no markup, no trailing ':'/'.') -> role.

Labels that name a body or a date ("Beslutning i Økonomiudvalget den 3. maj 2024",
"Økonomiudvalgets beslutning den ...") are recognised by ``section_role`` from their key
word, so this table lists only the bare words.  Extend it for a new convention."""

_GENITIVE = r"(?:(?P<listed>[\wæøå]+-(?:,\s*[\wæøå]+-)*\s+(?:og|&)\s+)?[\wæøå-]+s\s+)?"
_ROLE_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^{_GENITIVE}(?:beslutning|afgørelse)(?:er)?\b", re.I), "decision"),
    (re.compile(rf"^{_GENITIVE}(?:indstilling|anbefaling)(?:er)?\b", re.I), "proposal"),
)
"""A label that starts with a decision/proposal word, optionally after a body in the
genitive ('Byrådets beslutning den 3. maj', 'Beslutning i Økonomiudvalget 19-11-2025'); a
body of listed areas must date it ('Miljø- og klimaudvalgets beslutning den 2. november
2022': a body's stamp, where an undated one names another authority's ruling)."""

_DATE_TAIL = r"(?:den\s+|d\.\s*)?(?:\d{1,2}\.?\s*[a-zæøå]+\.?\s*\d{4}|\d[\d./-]*\d)"
_TAIL_RE = re.compile(
    rf"^(?:(?:i|på|fra)\s+(?:mødet\s+(?:i\s+)?)?[\wæøå][\wæøå.,\- ]{{0,50}}?)?"
    rf"\s*(?:{_DATE_TAIL}(?:,\s*(?:pkt|punkt)\.?\s*\d{{1,4}})?)?\s*$",
    re.IGNORECASE,
)


_FULL_DATE = (
    r"(?:den\s+|d\.\s*)?(?:\d{1,2}\.\s*[a-zæøå]+\.?\s*\d{4}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})"
)
_BODY_DATE_TAIL_RE = re.compile(rf"^[\wæøå][\wæøå.,\- ]{{0,50}}?\s+{_FULL_DATE}$", re.IGNORECASE)
"""A decision label's tail that names the body without 'i'/'på' but then must carry the
date: 'Beslutning Teknik- og Miljøudvalget den 11-08-2021'."""
_STAMP_RE = re.compile(
    rf"^[\wæøå][\wæøå&.\- ]{{0,60}}?,\s*{_DATE_TAIL},\s*(?:pkt|punkt)\.?\s*\d{{1,4}}$",
    re.IGNORECASE,
)
"""A body's treatment stamp that heads what that body decided on the item:
'Kultur- og Idrætsudvalget, 03-04-2019, pkt. 42', 'Økonomiudvalget, 18. september 2019,
pkt. 153:' (the decision of this meeting and of the bodies that treated the case before)."""


_BODY_STAMP_RE = re.compile(
    rf"^[\wæøå][\wæøå&,\- ]{{0,60}}?(?:udvalget|udvalg|rådet|bestyrelsen|"
    rf"kommunalbestyrelsen|byrådet|regionsrådet|repræsentantskabet|forsamlingen|nævnet)"
    rf"\s+{_FULL_DATE}$",
    re.IGNORECASE,
)
"""A body's dated stamp over what it decided, standing alone as a label that ends in ':'
('Børne- og Skoleudvalget den 6. november 2018:'): the body word ends the name and a full
date follows.  Without the colon the line is a schedule entry ('Social- og
Sundhedsudvalget den 2. september 2020' under 'Høring og sagsgang')."""


_PROPOSER_RE = re.compile(
    r"^[\wæøå-]+(?:en|et|ne)\s+(?:indstiller|foreslår)"
    r"(?:\s+til\s+(?:(?!at\b)[\wæøå-]+\s*){1,8}?)?(?:\s+at\s+tiltræde)?$",
    re.IGNORECASE,
)
"""A label that names who proposes ('Administrationen indstiller', 'Forvaltningen
foreslår'), perhaps to whom ('Administrationen indstiller til udvalget for Forebyggelse
og Idræt', '... at tiltræde:'): the proposal follows (an 'at ...' list)."""


def names_proposer(label: str) -> bool:
    """True for a label that names who proposes ('Administrationen indstiller:'), which is
    the proposal's text, not a label of its own, right under an 'Indstilling' label."""
    return bool(_PROPOSER_RE.match(printed_label(label)))


def section_role(label: str) -> str | None:
    """The role of a printed section label, or None when it is not a known label.

    >>> section_role("Beslutning i Økonomiudvalget den 19-11-2025")
    'decision'
    >>> section_role("Økonomiske konsekvenser")
    'background'
    """
    text = squash(label).rstrip(":.").strip().lower()
    if not text or len(text) > 90:
        return None
    role = LABEL_ROLES.get(text) or LABEL_ROLES.get(compound_head(text))
    if role is not None:
        return role
    for pattern, word_role in _ROLE_WORDS:
        m = pattern.match(text)
        if m is None:
            continue
        tail = text[m.end() :].strip()
        if m.group("listed") and not re.search(r"\d{4}$", tail):
            continue  # 'Miljø- og Fødevareklagenævnets afgørelse': a subheading without date
        dated = _BODY_DATE_TAIL_RE.match(tail) or date_lost(tail)
        if _TAIL_RE.match(tail) or (word_role == "decision" and dated):
            return word_role
    if _PROPOSER_RE.match(text):
        return "proposal"
    if colon_stamp(label) or participle_stamp(label):
        return "decision"
    if _STAMP_RE.match(text) or (label.rstrip().endswith(":") and _BODY_STAMP_RE.match(text)):
        return "decision"
    return None


PRIMARY_BACKGROUND = frozenset(
    "baggrund resume resumé sagsresume sagsresumé sammendrag sagsfremstilling "
    "sagsbeskrivelse fremstilling".split()
) | {"sagens indhold"}
"""Background labels that open an item's body.  Every other background label (Økonomi,
Høringssvar, Tidsplan ...) is a subheading: it starts a section of its own but never a
new item body (it may repeat inside one item)."""


def is_primary_label(name: str, role: str) -> bool:
    """Does this label open an item's body structure (see ``PRIMARY_BACKGROUND``)?"""
    return role in ("proposal", "decision") or name.lower() in PRIMARY_BACKGROUND


BOILERPLATE_LABELS = frozenset({"mission", "vision"})
"""Headings of organisation boilerplate (KL's mission/vision) that end a section."""

UNLABELLED_SECTION = "Sagsfremstilling"
"""Name given to item text that precedes every label (the case as presented)."""

LABEL_WORDS = sorted(LABEL_ROLES, key=len, reverse=True)
"""The known labels, longest first (a regex alternation tries them in this order)."""
_INLINE_RE = re.compile(
    r"^[\s\-#*]*(?:<b>)?\s*("
    + "|".join(map(re.escape, LABEL_WORDS))
    + r"|(?:[\wæøåÆØÅ-]+s\s+)?(?:beslutning|afgørelse|indstilling)"
    + r"(?:\s+(?:i|fra|på)\s+[\wæøåÆØÅ.\- ]{1,50}?)?(?:\s+(?:den|d\.)?\s*\d[\d./-]*\d)?"
    + r")\s*(?:\*\*|</b>)?\s*:\s*(?:\*\*|</b>)?\s*(?=\S)",
    re.IGNORECASE,
)
_PROPOSAL_RE = re.compile(r"^[-*\s]*(Det indstilles|[A-ZÆØÅ][\wæøå]+ indstiller)\b")
@dataclass(frozen=True)
class Marker:
    """Where a section starts: its printed name, role, line index and text offset.

    ``kind`` is 'label' (bare line), 'inline' ('Referat: ...'), 'proposal' (implicit
    Indstilling), 'implicit' (unlabelled text under a heading) or 'stop' (boilerplate
    that ends the running section).
    """

    kind: str
    name: str
    line: int
    offset: int
    role: str = "other"
    begins: int | None = None  # where a label glued to the text above it is printed


def printed_label(text: str) -> str:
    """A label as printed, without markup, trailing ':'/'.' and extra spaces; an
    upper-case label stays upper-case ('INDSTILLING'), as the page prints it."""
    text = squash(text).rstrip(":.").strip()
    return text[:1].upper() + text[1:]


def in_sentence_case(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """``sections`` with upper-case names in sentence case ('INDSTILLING' -> 'Indstilling'):
    a PDF's text layer gives a label set in small caps or capitals by its font in capitals,
    which the document's own text does not print."""
    return tuple(
        replace(s, name=s.name.capitalize()) if s.name.isupper() and len(s.name) > 3 else s
        for s in sections
    )


def label_name(clean: str) -> str | None:
    """Printed section name when the cleaned line is a bare section label."""
    if not clean or len(clean) > 90 or "\t" in clean:
        return None
    if section_role(clean) is not None:
        return printed_label(clean)
    m = _CAPTIONED_LABEL_RE.match(clean)
    if m is not None and (role := section_role(m.group(1))) is not None:
        if is_primary_label(printed_label(m.group(1)), role):
            return printed_label(m.group(1))
    return None


_CAPTIONED_LABEL_RE = re.compile(r"^(?:[a-zæøå]+ ){1,5}([A-ZÆØÅ][\wæøå ]{2,40})$")
"""A label behind a web page's link text in lower case ('fold dette punkt ind Resume'):
only an opening label (Resume, Sagsfremstilling, Indstilling, Beslutning) counts, so a
sentence that ends in a subheading word ('se vedlagte Bilag') stays text."""


def find_markers(lines: Sequence[Line], start: int, end: int) -> list[Marker]:
    """All explicit section markers (labels, inline labels, boilerplate stops) in [start, end)."""
    markers: list[Marker] = []
    after_label = False  # the previous text line was a bare label
    for line in lines[start:end]:
        if line.blank:
            continue
        name = label_name(line.clean) or bulleted_label(lines, line, label_name)
        if name and (after_label and line.clean.endswith(".") or in_grid(lines, line, label_name)):
            name = None  # a field's value ('Punkttype' / 'Beslutning.') or a grid's cell
        if name is not None and names_proposer(name) and _in_proposal(markers):
            name = None  # 'Indstilling' / 'Borgmesteren indstiller' / 'at ...': its text
        role = (section_role(line.clean) or section_role(name) or "other") if name else ""
        if name and caption_under_opening(
            markers, lines, line, name, role, is_primary_label, label_name
        ):
            name = None  # 'Resume' / 'Politisk behandling:' / text: a caption in the Resume
        after_label = name is not None
        if name is not None:
            markers.append(Marker("label", name, line.index, line.end, role))
        elif line.clean.rstrip(":.").lower() in BOILERPLATE_LABELS:
            markers.append(Marker("stop", "", line.index, line.start))
        elif (m := _INLINE_RE.match(line.raw)) and (inline := section_role(m.group(1))):
            name = printed_label(m.group(1))
            markers.append(Marker("inline", name, line.index, line.start + m.end(), inline))
        elif (m := _GLUED_LABEL_RE.match(line.raw)) and (glued := section_role(m.group(1))):
            name = printed_label(m.group(1))
            markers.append(Marker("inline", name, line.index, line.start + m.end(), glued))
        elif at_end := label_at_end(line, section_role):  # '... skole.Økonomi'
            role, name = section_role(at_end[0]) or "other", printed_label(at_end[0])
            markers.append(Marker("label", name, line.index, line.end, role, at_end[1]))
    return markers


_GLUED_LABEL_RE = re.compile(
    r"^\s*(" + "|".join(re.escape(w.capitalize()) for w in LABEL_WORDS if " " not in w)
    + r")(?=[A-ZÆØÅ][a-zæøå])"
)
"""A one-word label glued to its text, with neither space nor line break between them
('BeslutningGodkendt.', 'BilagIngen bilag.'): a web page that prints the label and its
text as two blocks side by side loses the break when stored as text.  Only a capital
right after the label word counts (a 'camel' joint no Danish word contains)."""


def _in_proposal(markers: Sequence[Marker]) -> bool:
    return bool(markers) and markers[-1].role == "proposal"


def proposal_marker(lines: Sequence[Line], start: int, end: int) -> Marker | None:
    """Implicit Indstilling: the first 'Det indstilles ...' line in [start, end)."""
    for line in lines[start:end]:
        m = _PROPOSAL_RE.match(line.raw)
        if m:
            return Marker(
                "proposal", "Indstilling", line.index, line.start + m.start(1), "proposal"
            )
    return None


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
            stop = ordered[k + 1].begins or stop
        stop = max(stop, marker.offset)
        sections.append(
            make_section(text, lines, marker.name, marker.offset, stop, marker.role)
        )
    return tuple(sections)


def make_section(
    text: str, lines: Sequence[Line], name: str, start: int, end: int, role: str = "other"
) -> Section:
    """A section over text[start:end], trimmed to its first and last meaningful line."""
    first, last = _content_bounds(text, lines, start, end)
    if first >= last:
        return Section(name, "", start, start, role)
    return Section(name, clean_passage(text[first:last]), first, last, role)


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
