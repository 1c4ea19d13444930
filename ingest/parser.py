"""Structure parser: extracted text of an agenda/minutes document -> ``Meeting``.

The parser works on structure, never on file names, dates or body names:

1. **Skeleton.**  The table of contents (``toc.find_toc``) gives the item numbers and
   titles; body headings are matched to it in order (``toc.match_headings``).  Without a
   TOC, numbered headings followed by section labels or case numbers are the skeleton;
   when neither they nor label cycles are found, headings in lenient forms that a label
   follows within a few lines (``fallback``), headings run on with their text
   (``runon_items``) and a plain numbered list under the meeting's line (``listed_items``)
   are tried before the single unnumbered item.
2. **Bodies.**  Section markers (``sections.find_markers``) are grouped into item bodies;
   a label that repeats (a second 'Baggrund') starts the next body.  Between two matched
   headings, bodies whose headings were lost in conversion are aligned with the unmatched
   TOC entries by order and title words, so items that exist only in the TOC ('4.
   Udpegninger') stay without sections.
3. **Fill in.**  Sections, case number + handler initials, presenter ('v. Name'),
   attachments ('./.' lines) and the meeting header (body, date, time, place, doc type,
   participants).

Nothing that has text is refused.  Body, date and document type are looked for in the
header, the first page, the running page headers, the file's metadata (title, subject)
and the file/folder name, in that order; ``MeetingHints`` (the user's ``--body/--date/
--doc-type``) override them; what is still unknown stays None with a warning.  A document
without agenda structure becomes one unnumbered item titled by its first heading.  Only a
document without any text raises ``ParseError``.

Kept whole: the three steps share the skeleton and block records and form one pipeline;
its reusable parts already live in ``toc``, ``sections`` and ``header``.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from .bodies import (
    canonical_body,
    committee_by_areas,
    is_known_body,
    labelled_body,
    municipality_in,
)
from .captioned_runon_toc import split_captioned_agenda
from .casefields import is_case_field_line
from .casenumbers import (
    case_number,
    is_case_line,
    is_handler_line,
    is_lone_case,
    without_empty_case_label,
)
from .cycles import (
    Cycle,
    cycle_case,
    find_cycles,
    is_empty_form_line,
    is_form_line,
    title_above,
)
from .danish import number_key, squash
from .doctypes import unstated_doc_type
from .errors import ParseError
from .fallback import labelled_headings
from .glued import without_full_stop
from .header import doc_type_word, find_date, parse_header, parse_participants
from .headerbodies import header_body
from .headerends import content_start
from .headings_unnumbered import unnumbered_headings
from .inner_lists import without_inner_lists
from .itemcodes import without_item_codes
from .listed_items import listed_headings
from .meetingclues import running_titles, told_doc_type
from .memberlines import without_member_lines
from .models import DOC_TYPES, ISO_DATE_RE, AgendaItem, Document, Meeting, Section
from .nested_lists import nested_list_headings
from .opensections import open_sections
from .pathdates import typed_short_date
from .runon import split_run_on_text
from .runon_items import run_on_headings
from .sections import (
    PRIMARY_BACKGROUND,
    UNLABELLED_SECTION,
    Marker,
    build_sections,
    find_markers,
    in_sentence_case,
    is_primary_label,
    label_name,
    proposal_marker,
)
from .textlines import (
    Line,
    blank_running_lines,
    blank_spans,
    is_attachment_marker,
    is_noise,
    line_above,
    split_lines,
)
from .titlecases import leading_case, without_record_fields
from .titlelist_type import titles_only_type
from .toc import (
    Heading,
    Toc,
    TocEntry,
    content_tokens,
    find_toc,
    headings_without_toc,
    match_headings,
)
from .typeclues import listed_type, records_decision

PARENT_PENALTY = 5.0
"""Cost of giving a body to an item that has sub-items (bodies belong to leaves)."""
CASE_ABOVE_LINES = 8
"""How far above a heading its case number line may stand: the nearest text line, past
the blank and non-breaking-space lines a web page pads between them."""
_SIMILARITY_TOKENS = 150
_ATTACHMENT_PREFIX_RE = re.compile(r"^\s*(?:[-•]\s*)?(?:\./\.{0,2}|/)\s*")


@dataclass
class _Skeleton:
    """Item entries (TOC or headings), matched headings, and where header/body begin."""

    entries: list[TocEntry]
    headings: dict[int, Heading]
    toc: Toc | None
    header_end: int
    body_start: int

    def has_children(self, index: int) -> bool:
        if index + 1 >= len(self.entries):
            return False
        return self.entries[index + 1].number.startswith(self.entries[index].number + ".")


@dataclass
class _Block:
    """A run of lines [start, end) owned by one item: a preamble or one labelled body."""

    start: int
    end: int
    markers: list[Marker] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingHints:
    """What the user says about a document (``meetings ingest --body/--date/--doc-type``);
    each field that is set overrides what the document says."""

    body: str | None = None
    date: str | None = None
    doc_type: str | None = None

    def __post_init__(self) -> None:
        if self.date is not None and not ISO_DATE_RE.match(self.date):
            raise ValueError(f"date {self.date!r} is not YYYY-MM-DD")
        if self.doc_type is not None and self.doc_type not in DOC_TYPES:
            raise ValueError(f"doc type {self.doc_type!r} is not one of {', '.join(DOC_TYPES)}")


NO_STRUCTURE_WARNING = "no agenda structure found: stored as one unnumbered item"


def parse_meeting(
    doc: Document, hints: MeetingHints | None = None, *, keep_closed: bool = False
) -> Meeting:
    """Parse ``doc`` into a Meeting; raises ParseError only when it holds no text.

    ``keep_closed`` keeps the content of closed items (``meetings ingest --include-closed``);
    by default a closed item keeps only its title."""
    if not doc.text.strip():
        raise ParseError(doc.path, "the document contains no text")
    source = without_item_codes(split_captioned_agenda(split_run_on_text(doc.text)))  # same offsets
    split = split_lines(source)
    lines = blank_running_lines(
        split, keep=lambda ln: is_case_line(ln) or label_name(ln.clean) is not None
    )
    if not doc.metadata.get("running_header") and (titles := running_titles(split, lines)):
        doc = replace(doc, metadata={**doc.metadata, "running_header": titles})
    text = blank_spans(source, lines)  # running page headers never reach a passage
    markers = find_markers(lines, 0, len(lines))
    skeleton = _skeleton(without_inner_lists(lines), markers)  # a list set in is item text
    warnings: list[str] = []
    cycles = find_cycles(lines, _item_markers(markers)) if len(skeleton.entries) <= 1 else []
    if not skeleton.entries and not cycles and (
        found := labelled_headings(lines) or run_on_headings(lines, doc.text)
        or listed_headings(lines)
    ):
        skeleton = _heading_skeleton(found)  # numbered headings the strict readers missed
    if cycles:  # no numbered headings, but the labels cycle item by item
        items = [_close(item, warnings, keep_closed) for item in _cycle_items(text, lines, cycles)]
        skeleton = _Skeleton([], {}, None, cycles[0].title_line, cycles[0].title_line)
    elif not skeleton.entries:
        items = [_whole_document_item(text, lines, doc)]
        warnings.append(NO_STRUCTURE_WARNING)
        opening = [m.line for m in _item_markers(markers)
                   if m.kind == "label" and m.name.lower() in PRIMARY_BACKGROUND]
        end = content_start(lines, opening)  # the header ends where the content starts
        skeleton = _Skeleton([], {}, None, end, end)
    else:
        body_markers = [m for m in markers if m.line >= skeleton.body_start]
        owners = _assign_blocks(lines, skeleton, body_markers)
        items = [
            _build_item(text, lines, skeleton, index, owners.get(index, []))
            for index in range(len(skeleton.entries))
        ]
        items = [_close(item, warnings, keep_closed) for item in items]
    if PurePath(doc.path).suffix.lower() == ".pdf":  # labels in the fonts' capitals
        items = [replace(item, sections=in_sentence_case(item.sections)) for item in items]
    return _meeting(doc, lines, skeleton, items, hints or MeetingHints(), warnings)


def _item_markers(markers: Sequence[Marker]) -> list[Marker]:
    """Section markers less boilerplate stops and the page's own type word above every
    other label ('Referat' as the page title is no decision label)."""
    kept = [m for m in markers if m.kind != "stop"]
    while kept and doc_type_word(kept[0].name) is not None:
        kept.pop(0)
    return kept


def _cycle_items(text: str, lines: Sequence[Line], cycles: Sequence[Cycle]) -> list[AgendaItem]:
    """One item per label cycle (``cycles.find_cycles``), its text up to the next title."""
    items: list[AgendaItem] = []
    for k, cycle in enumerate(cycles):
        end_line = cycles[k + 1].title_line if k + 1 < len(cycles) else len(lines)
        end_offset = lines[end_line].start if end_line < len(lines) else len(text)
        sections = build_sections(text, lines, cycle.markers, end_offset)
        case = cycle_case(lines, cycle.title_line, cycle.markers[0].line)
        title, titled_case = split_title_case(cycle.title)
        start = lines[cycle.title_line].content_start
        end = max((s.end for s in sections), default=lines[cycle.title_line].content_end)
        items.append(
            AgendaItem(
                number=cycle.number,
                title=_short(title),
                order=k,
                case_number=case[0] if case else titled_case,
                handler=case[1] if case else None,
                heading=cycle.title,
                sections=sections,
                attachments=_attachments(lines, cycle.title_line + 1, end_line),
                start=start,
                end=max(start, end),
            )
        )
    return items


def _whole_document_item(text: str, lines: Sequence[Line], doc: Document) -> AgendaItem:
    """The single unnumbered item of a document without agenda structure: titled by its
    first markdown heading, else by the nearest text above its first label that is not
    form matter (``cycles.title_above``: site text may stand above it), else by its first
    line."""
    markers = _item_markers(find_markers(lines, 0, len(lines)))
    first = next((line for line in lines if not is_noise(line.clean)), None)
    labelled = title_above(lines, markers[0].line, 0) if markers else None
    heading = next(
        (
            line
            for line in lines
            if line.raw.lstrip().startswith(("#", "**")) and not is_noise(line.clean)
        ),
        labelled or first,
    )
    title = doc.metadata.get("title") or ""
    if heading is not None:
        title = heading.clean
    title = _short(squash(title) or PurePath(doc.path).stem)
    by_label = labelled is not None and heading is labelled
    case = cycle_case(lines, labelled.index, markers[0].line) if labelled and by_label else None
    after_title = (heading.index + 1) if heading is not None else 0
    text_line = is_form_line if by_label else is_noise
    first_text = next(
        (
            ln
            for ln in lines[after_title:]
            if not text_line(ln.clean) and (not markers or ln.index < markers[0].line)
        ),
        None,
    )
    if first_text is not None:
        markers.insert(
            0, Marker("implicit", UNLABELLED_SECTION, first_text.index, first_text.start,
                      "background"),  # the one item's text under no label, as any item's
        )
    sections = build_sections(text, lines, markers, len(text))  # empty fields as printed
    start = lines[heading.index].content_start if heading is not None else 0
    end = max((s.end for s in sections), default=start)
    return AgendaItem(
        number="",
        title=title,
        order=0,
        case_number=case[0] if case else None,
        handler=case[1] if case else None,
        sections=sections,
        start=start,
        end=max(start, end),
    )


_CLOSED_RE = re.compile(
    r"^\s*(?:lukket(?:\s+(?:punkt|sag))?\s*[:.\-–]\s*|lukket\s+(?:punkt|sag)\s+(?=(?-i:[A-ZÆØÅ]))"
    r"|\(?lukket\)?\s+)|"  # 'LUKKET SAG Title': the mark and its noun before a capital
    r"\s*[-–]?\s*\((?:for\s+)?lukkede\s+døre\)\s*$|\s*[-–]\s*lukket(?:\s+punkt)?\s*$|"
    r"\s*\(lukket(?:\s+(?:punkt|sag))?\)\s*$|"  # 'Title (Lukket punkt)', 'Title(Lukket)'
    r"\s+tavshedspligt(?:en)?\s+(?:er\s+)?ikke\s+fraveget\.?\s*$",  # confidentiality kept
    re.IGNORECASE,
)


_OPEN_RE = re.compile(
    r"^\s*(?:\(åben\)|åbent?\s+punkt\s*[:.\-–]|åben\s*[:\-–])\s*|\s*[-–]?\s*\(åbent?(?:\s+punkt)?\)\s*$",
    re.IGNORECASE,
)
"""An explicit 'open item' marker ('(Åben)', 'Åbent punkt:'): not part of the title."""


def closed_title(title: str) -> tuple[str, bool]:
    """('Salg af grund', True) for 'Lukket: Salg af grund', 'X - (FOR LUKKEDE DØRE)'.

    A title that is only 'Lukket punkt' stays as printed, still closed (in sentence case
    where a list prints it in capitals: 'LUKKET PUNKT').
    """
    stripped = _OPEN_RE.sub("", title.strip()).strip() or title.strip()
    if re.fullmatch(r"lukket\s*(?:punkt|sag)?\.?", stripped, re.IGNORECASE):
        return (stripped.capitalize() if stripped.isupper() else stripped), True
    cleaned = _CLOSED_RE.sub("", stripped).strip(" -–")
    if cleaned != stripped and cleaned:
        return cleaned, True
    return stripped, False


_CLOSED_LINE_RE = re.compile(
    r"^\(?(?:lukket(?:\s+(?:punkt|sag|møde))?|for lukkede døre)\)?\.?$", re.IGNORECASE
)


def _close(item: AgendaItem, warnings: list[str], keep_closed: bool = False) -> AgendaItem:
    """Mark a closed item; its content is dropped (only its title kept) unless
    ``keep_closed``."""
    title, closed = closed_title(item.title)
    closed = closed or item.closed  # listed under a closed group's heading
    first = item.sections[0].text.strip().split("\n", 1)[0] if item.sections else ""
    if not closed and _CLOSED_LINE_RE.match(first):
        closed = True  # a 'Lukket punkt' line right under the heading
    if not closed:
        return item if title == item.title else replace(item, title=title)  # '(Åben) Title'
    if keep_closed:
        return replace(item, title=title, closed=True)
    kept = open_sections(item.sections)  # 'Åben beslutning': published as open
    if len(kept) < len(item.sections):
        warnings.append(f"item {item.number}: closed item, its printed content is not stored")
    return replace(item, title=title, closed=True, sections=kept, attachments=())


# ----------------------------------------------------------------------- skeleton


def _skeleton(lines: Sequence[Line], markers: Sequence[Marker]) -> _Skeleton:
    """Find the TOC (or numbered headings) and the body headings."""
    if nested := nested_list_headings(lines):  # items each holding a list that restarts
        return _heading_skeleton(nested)
    structural = [m.line for m in markers if m.kind != "stop" and m.name.casefold() != "referat"]
    first_label = min(structural, default=len(lines))
    toc = find_toc(lines, first_label)
    plain = _plain_skeleton(lines, markers)
    if toc is None:
        return plain
    labels = {m.line for m in markers if m.kind in ("label", "inline")}
    entries, headings = unnumbered_headings(
        toc.entries, match_headings(toc, lines, toc.end), lines, labels, toc.end
    )
    toc_skeleton = _Skeleton(entries, headings, toc, toc.start, toc.end)
    # The "TOC" may be the item headings themselves ('1<TAB>Title' table rows with their
    # bodies): then the plain outline runs through all its lines (and may go further), and
    # its headings keep each body with its own row - unless the body repeats most of its
    # rows as headings of their own: then it is a contents list after all.
    headed = {h.line for h in plain.headings.values()}
    repeated = sum(h.line >= toc.end for h in headings.values()) * 2 >= len(toc.entries)
    if (len(plain.entries) >= len(toc.entries) and {e.line for e in toc.entries} <= headed
            and not repeated):
        return plain
    return _with_unlisted_items(toc_skeleton, _plain_skeleton(lines, markers, toc.end))


def _with_unlisted_items(sk: _Skeleton, body: _Skeleton) -> _Skeleton:
    """Add the body's item headings that the TOC lacks (a TOC row lost in conversion,
    a wrapped table cell), where their numbers fit between the TOC's headed items; after
    the list, as printed, when the body heads none of its entries."""
    listed = {e.number for e in sk.entries}
    extra = [h for h in body.headings.values() if h.number not in listed and h.title]
    if not extra:
        return sk
    rows: list[tuple[TocEntry, Heading | None]] = [
        (e, sk.headings.get(i)) for i, e in enumerate(sk.entries)
    ] + [(TocEntry(h.number, h.title, h.line), h) for h in extra]
    if sk.headings:  # else a list the body heads none of (the closed items): printed order
        rows.sort(key=lambda r: number_key(r[0].number))
    kept: list[tuple[TocEntry, Heading | None]] = []
    last_line = -1
    for entry, heading in rows:
        if heading is not None and heading.line <= last_line:
            if entry.number not in listed:
                continue  # an unlisted heading out of order is a list line, not an item
        elif heading is not None:
            last_line = heading.line
        kept.append((entry, heading))
    return _Skeleton(
        [e for e, _ in kept],
        {i: h for i, (_, h) in enumerate(kept) if h is not None},
        sk.toc,
        sk.header_end,
        sk.body_start,
    )


def _heading_skeleton(headings: Sequence[Heading]) -> _Skeleton:
    entries = [TocEntry(h.number, h.title, h.line) for h in headings]
    return _Skeleton(entries, dict(enumerate(headings)), None, headings[0].line, headings[0].line)


def _plain_skeleton(
    lines: Sequence[Line], markers: Sequence[Marker], start: int = 0
) -> _Skeleton:
    """The skeleton of a document without a TOC: numbered headings in outline order."""
    support = sorted(
        {m.line for m in markers if m.kind != "stop"}
        | {
            line.index
            for line in lines
            if is_case_line(line) or _is_proposal(line) or _CLOSED_LINE_RE.match(line.clean)
        }
    )

    def supported(line: int, until: int) -> bool:
        k = bisect_left(support, line + 1)
        return k < len(support) and support[k] < until

    found = headings_without_toc(lines, start, supported)
    entries = [TocEntry(h.number, h.title, h.line) for h in found if h.title]
    headings = {i: h for i, h in enumerate(h for h in found if h.title)}
    start = entries[0].line if entries else len(lines)
    return _Skeleton(entries, headings, None, start, start)


def _is_proposal(line: Line) -> bool:
    return line.clean.lower().startswith("det indstilles")


# ------------------------------------------------------------------ body -> items


def _assign_blocks(
    lines: Sequence[Line], sk: _Skeleton, markers: Sequence[Marker]
) -> dict[int, list[_Block]]:
    """Give every preamble/body block between the headings to the item it belongs to."""
    anchors = sorted(sk.headings.items())
    owners: dict[int, list[_Block]] = {}
    bounds = [(None, sk.body_start)] + [(i, h.line + 1) for i, h in anchors]
    for k, (anchor, start) in enumerate(bounds):
        end = len(lines)
        if k < len(anchors):
            above = _case_above(lines, anchors[k][1].line, start)
            end = anchors[k][1].line if above is None else above[2]
        previous = -1 if anchor is None else anchor
        following = anchors[k][0] if k < len(anchors) else len(sk.entries)
        unheaded = list(range(previous + 1, following))
        region = [m for m in markers if start <= m.line < end]
        preamble, bodies = _split_bodies(lines, region, start, end)
        if anchor is not None:
            owners.setdefault(anchor, []).append(preamble)
            if bodies and (not unheaded or not sk.has_children(anchor)):
                owners[anchor].append(bodies.pop(0))
            if not unheaded:
                owners[anchor].extend(bodies)
                continue
        if not unheaded:
            continue  # front matter before the first heading: belongs to no item
        for body, slot in zip(bodies, _align(lines, sk, bodies, unheaded), strict=True):
            owners.setdefault(slot, []).append(body)
    return owners


def _split_bodies(
    lines: Sequence[Line], markers: Sequence[Marker], start: int, end: int
) -> tuple[_Block, list[_Block]]:
    """Split [start, end) into a preamble and bodies; a repeated label starts a new body."""
    bodies: list[_Block] = []
    seen: set[str] = set()
    for marker in markers:
        if marker.kind == "stop" and not bodies:
            continue
        if bodies and (marker.kind == "stop" or not is_primary_label(marker.name, marker.role)):
            bodies[-1].markers.append(marker)  # a subheading never starts another body
            continue
        if not bodies or marker.name.casefold() in seen:
            first = _pull_case_line(lines, marker.line, bodies[-1].start if bodies else start)
            bodies.append(_Block(first, end, []))
            seen = set()
        seen.add(marker.name.casefold())
        bodies[-1].markers.append(marker)
    for body, following in zip(bodies, bodies[1:], strict=False):
        body.end = following.start
    preamble = _Block(start, bodies[0].start if bodies else end, [])
    return preamble, bodies


def _case_above(
    lines: Sequence[Line], heading: int, floor: int
) -> tuple[str, str | None, int] | None:
    """The case number on the line just above an item heading when that line holds nothing
    else (but its label): some systems print the journal number over the heading
    ('85.02.02-G01-5-17' / '132. Title', 'Sagnr.: 1-51-71-3321-08' / '1. Title')."""
    k = line_above(lines, heading, floor)
    if k is None:
        return None
    found = case_number(lines, k, k + 1)
    return found if found is not None and is_lone_case(lines[k].clean) else None


def _pull_case_line(lines: Sequence[Line], line: int, floor: int) -> int:
    """Start a body at the case number line that directly precedes its first label."""
    k = line_above(lines, line, floor)
    return k if k is not None and is_case_line(lines[k]) else line


def _align(
    lines: Sequence[Line], sk: _Skeleton, bodies: list[_Block], slots: list[int]
) -> list[int]:
    """Assign bodies (in order) to TOC entries ``slots`` (in order), one body per entry.

    Weighted alignment: a body scores with an entry by the rarity-weighted title words it
    contains; entries with sub-items pay ``PARENT_PENALTY``.  Surplus bodies stay with the
    entry of the body before them.
    """
    if not bodies:
        return []
    words = [_body_words(lines, b) for b in bodies]
    df: dict[str, int] = {}
    for ws in words:
        for w in ws:
            df[w] = df.get(w, 0) + 1
    n = len(bodies)
    indexes = [sorted(ws) for ws in words]
    titles = [sorted(set(content_tokens(sk.entries[s].title))) for s in slots]
    penalty = [PARENT_PENALTY if sk.has_children(s) else 0.0 for s in slots]

    def weight(b: int, s: int) -> float:
        score = 0.0
        for token in titles[s]:
            hit = _find_word(token, words[b], indexes[b])
            if hit is not None:
                score += math.log((n + 1) / (df[hit] + 0.5))
        return score - penalty[s]

    fitting = min(len(bodies), len(slots))
    chosen = _monotone_assignment(fitting, len(slots), weight)
    result = [slots[s] for s in chosen]
    return result + [result[-1]] * (len(bodies) - fitting)


def _monotone_assignment(
    n_bodies: int, n_slots: int, weight: Callable[[int, int], float]
) -> list[int]:
    """Best increasing slot index for each body (dynamic programming, ties -> earlier)."""
    neg = float("-inf")
    f = [[0.0] * (n_slots + 1)] + [[neg] * (n_slots + 1) for _ in range(n_bodies)]
    took = [[False] * (n_slots + 1) for _ in range(n_bodies + 1)]
    for b in range(1, n_bodies + 1):
        for s in range(1, n_slots + 1):
            skip = f[b][s - 1]
            take = f[b - 1][s - 1] + weight(b - 1, s - 1) if f[b - 1][s - 1] > neg else neg
            f[b][s], took[b][s] = (take, True) if take > skip else (skip, False)
    chosen: list[int] = []
    b, s = n_bodies, n_slots
    while b > 0:
        if took[b][s]:
            chosen.append(s - 1)
            b -= 1
        s -= 1
    return chosen[::-1]


def _body_words(lines: Sequence[Line], block: _Block) -> set[str]:
    """Content words at the start of a body (labels skipped), for title alignment."""
    words: list[str] = []
    for line in lines[block.start : block.end]:
        if label_name(line.clean) is None:
            words.extend(content_tokens(line.clean))
        if len(words) >= _SIMILARITY_TOKENS:
            break
    return set(words[:_SIMILARITY_TOKENS])


def _find_word(token: str, words: set[str], ordered: list[str]) -> str | None:
    """The body word matching title word ``token`` (exact, or same stem for long words)."""
    if token in words:
        return token
    if len(token) >= 5:
        stem = token[: max(5, len(token) - 2)]
        k = bisect_left(ordered, stem)
        if k < len(ordered) and ordered[k].startswith(stem):
            return ordered[k]
    return None


# ---------------------------------------------------------------------- items


def _build_item(
    text: str, lines: Sequence[Line], sk: _Skeleton, index: int, blocks: list[_Block]
) -> AgendaItem:
    """One AgendaItem from its TOC entry, heading (if found) and owned blocks."""
    entry = sk.entries[index]
    heading = sk.headings.get(index)
    title = entry.title if sk.toc is not None else (heading.title if heading else entry.title)
    title, titled_case = split_title_case(without_full_stop(title))
    blocks = sorted(blocks, key=lambda b: b.start)
    markers = _without_repeated_title(lines, heading, [m for b in blocks for m in b.markers])
    case = _case(lines, heading, blocks, markers)
    if case is None and heading is not None:
        case = _case_above(lines, heading.line, max(0, heading.line - CASE_ABOVE_LINES))
    if case is None and titled_case is not None:
        case = (titled_case, None, heading.line if heading else entry.line)
    end_line = max((b.end for b in blocks), default=heading.line + 1 if heading else entry.line)
    end_offset = lines[end_line].start if end_line < len(lines) else len(text)
    if heading is not None:
        markers = _preamble_markers(lines, heading, blocks, markers, case) + markers
    sections = build_sections(text, lines, markers, end_offset)
    start, end = _span(lines, entry, heading, blocks, sections)
    content_start = heading.line + 1 if heading else (blocks[0].start if blocks else end_line)
    return AgendaItem(
        number=entry.number,
        title=title,
        order=index,
        level=entry.level,
        case_number=case[0] if case else None,
        handler=case[1] if case else None,
        presenter=heading.presenter if heading else None,
        heading=(heading.title or None) if heading else None,
        sections=sections,
        attachments=_attachments(lines, content_start, end_line),
        start=start,
        end=end,
        closed=entry.closed,
    )


def _without_repeated_title(
    lines: Sequence[Line], heading: Heading | None, markers: list[Marker]
) -> list[Marker]:
    """``markers`` less a label that only repeats the title on the line under its heading:
    web pages print the title twice, and a title that is also a label word ('1. Bemærkninger
    til dagsordenen' / 'Bemærkninger til dagsordenen') is still the title, not a section."""
    if heading is None or not markers:
        return markers
    below = next((ln for ln in lines[heading.line + 1 :] if not ln.blank), None)
    if below is None or squash(below.clean).casefold() != squash(heading.title).casefold():
        return markers
    return [m for m in markers if not (m.kind == "label" and m.line == below.index)]


_TITLE_CASE_RE = re.compile(
    r"\s*[-–(,]?\s*(?:sags?\.?\s*nr\.?|sagsnummer|j\.?\s*nr\.?)\s*[:.]?\s*"
    r"((?=[\w./-]*\d)[\w./-]*\w)\)?\s*$",
    re.IGNORECASE,
)


def split_title_case(title: str) -> tuple[str, str | None]:
    """('Budget 2025', '24/1234') for 'Budget 2025 (Sagsnr. 24/1234)'; titles keep words only."""
    title = without_record_fields(without_empty_case_label(title))
    if (led := leading_case(title)) is not None and led[0]:
        return led  # 'J.nr. 5 DanFiber salg af aktier'
    m = _TITLE_CASE_RE.search(title)
    if m is None or m.start() == 0:
        return title, None
    return title[: m.start()].rstrip(" -–,("), m.group(1)


def _case(
    lines: Sequence[Line], heading: Heading | None, blocks: list[_Block], markers: list[Marker]
) -> tuple[str, str | None, int] | None:
    """Case number in the lines between the heading (or body start) and the first label."""
    if not blocks:
        return None
    first = heading.line + 1 if heading else blocks[0].start
    stop = min((m.line for m in markers), default=blocks[-1].end)
    return case_number(lines, first, stop)


_FILE_LINKS_RE = re.compile(
    r"^(?:\S+\s+){0,8}\S+\.(?:pdf|docx?|xlsx?|pptx?|odt|msg|jpe?g|png)$", re.IGNORECASE
)
"""A line that only lists attached files ('Arbejdsplan_2019.pdf Vision_2019-21.pdf',
'application/pdf icon udkast.pdf'): a web page's attachment links, not case text."""


def _preamble_markers(
    lines: Sequence[Line],
    heading: Heading,
    blocks: list[_Block],
    markers: list[Marker],
    case: tuple[str, str | None, int] | None,
) -> list[Marker]:
    """Implicit markers between heading and first label: proposal, unlabelled text."""
    stop = min((m.line for m in markers), default=max((b.end for b in blocks), default=0))
    found: list[Marker] = []
    if heading.glued_label is not None:  # '1. TitleReferat': the label ends the heading
        name, role = heading.glued_label
        return [Marker("inline", name, heading.line, lines[heading.line].end, role)]
    if heading.text_offset is not None:  # '1. Title Text ...': the text runs on after it
        return [Marker("implicit", UNLABELLED_SECTION, heading.line, heading.text_offset,
                       "background")]
    if heading.proposal_offset is not None:
        found.append(
            Marker("proposal", "Indstilling", heading.line, heading.proposal_offset, "proposal")
        )
    elif (proposal := proposal_marker(lines, heading.line + 1, stop)) is not None:
        found.append(proposal)
    if found and found[0].line == heading.line:
        return found  # the proposal is inline in the heading; what follows continues it
    first_text = heading.line + 1 if case is None else max(heading.line, case[2]) + 1
    limit = found[0].line if found else stop
    repeated = heading.title.casefold()
    if markers and not found and _only_captions(lines, first_text, limit, repeated):
        return found
    for line in lines[first_text:limit]:
        if line.index == heading.number_line or line.index <= (heading.continued_line or -1):
            continue  # 'Sag nr. 129' under its title, the title's further lines
        if line.clean.casefold() == repeated or _FILE_LINKS_RE.match(line.clean):
            continue  # the title again under its heading, attached files' links (web pages)
        if is_empty_form_line(line.clean) or is_handler_line(line.clean):
            continue  # a grid of committee codes and marks, a field left empty, a caseworker
        if is_case_field_line(line.clean):
            continue  # the case block's fields: 'Åbent', 'Initialer', a document's id
        if not is_noise(line.clean):
            found.insert(
                0, Marker("implicit", UNLABELLED_SECTION, line.index, line.start, "background")
            )
            break
    return found


def _only_captions(lines: Sequence[Line], start: int, stop: int, title: str) -> bool:
    """True when the only line between a heading and its first label, besides the title
    printed again, is a web page's link or tab word, not text: one or two words without
    sentence punctuation ('Udskriv', 'INDHOLD').  Two such lines may already be a field and
    its value ('Fraværende' / a name), which stay."""
    texts = [
        line.clean
        for line in lines[start:stop]
        if not is_noise(line.clean) and line.clean.casefold() != title
    ]
    return len(texts) == 1 and len(texts[0].split()) <= 2 and texts[0][-1:] not in ".:!?;,"


def _span(
    lines: Sequence[Line],
    entry: TocEntry,
    heading: Heading | None,
    blocks: list[_Block],
    sections: tuple[Section, ...],
) -> tuple[int, int]:
    """Character span of the item: heading (or first body line) to its last content."""
    if heading is not None:
        start = lines[heading.line].content_start
        end = lines[heading.line].content_end
    else:
        first = next((b.start for b in blocks if b.markers), None)
        line = lines[first] if first is not None else lines[entry.line]
        start, end = line.content_start, line.content_end
    for section in sections:
        end = max(end, section.end)
    return start, max(start, end)


def _attachments(lines: Sequence[Line], start: int, end: int) -> tuple[str, ...]:
    """Attachment titles from './.' lines (a bare marker takes the next line as title)."""
    found: list[str] = []
    i = start
    while i < end:
        line = lines[i]
        i += 1
        if not is_attachment_marker(line.clean):
            continue
        title = _ATTACHMENT_PREFIX_RE.sub("", line.clean, count=1).strip()
        if not title:
            nxt = next((k for k in range(i, min(i + 2, end)) if not lines[k].blank), None)
            if nxt is None or is_attachment_marker(lines[nxt].clean):
                continue
            title, i = lines[nxt].clean, nxt + 1
        found.append(_short(title))
        while i < end and _continues_list(lines[i]):
            found.append(_short(lines[i].clean))
            i += 1
    return tuple(found)


def _continues_list(line: Line) -> bool:
    return (
        not line.blank
        and not is_attachment_marker(line.clean)
        and label_name(line.clean) is None
        and len(line.clean) <= 200
        and not is_noise(line.clean)
    )


def _short(title: str) -> str:
    if len(title) <= 200:
        return title
    cut = title.find(". ", 0, 200)
    return title[: cut + 1] if cut > 0 else title[:200].rstrip() + "…"


# -------------------------------------------------------------------- meeting


def _meeting(
    doc: Document,
    lines: Sequence[Line],
    sk: _Skeleton,
    items: list[AgendaItem],
    hints: MeetingHints,
    warnings: list[str],
) -> Meeting:
    """Combine header fields and items, each field from the first place that states it."""
    header = parse_header(lines, sk.header_end)
    front = _front_matter(lines, sk, items)
    fallback = parse_header(front, len(front))
    head_text = "\n".join(without_member_lines([line.clean for line in lines[: sk.header_end]]))
    front_text = "\n".join(without_member_lines([line.clean for line in front]))
    running = doc.metadata.get("running_header", "")
    meta = "\n".join(doc.metadata.get(k, "") for k in ("title", "subject"))
    name = _path_text(doc.path)
    places: list[tuple[str, str]] = [
        ("the header", head_text), ("the first page", front_text),
        ("the running page header", running), ("the file metadata", meta),
        ("the file name", name),
    ]  # fmt: skip
    body_warnings: list[str] = []
    head_lines = [line.clean for line in lines[: sk.header_end]]
    body = _first(places, canonical_body, hints.body or labelled_body(head_lines), "body",
                  body_warnings)
    if body is None and (named := committee_by_areas(head_lines, text_of(lines))):
        body, body_warnings = named, []  # 'Forebyggelse og Idræt' = 'udvalget for ...'
    if body is None and (named := header_body(head_lines, [line.clean for line in front])):
        body, body_warnings = named, []  # 'Referat byrådet <date>', 'Bestyrelsesmøde ...'
    warnings.extend(body_warnings)
    if body and not hints.body and "," not in body and not is_known_body(body):
        # 'Økonomiudvalget' + 'GLOSTRUP KOMMUNE': keep equal names of two councils apart
        place = next((p for _, t in places if (p := municipality_in(t))), None)
        if place and place not in body:
            body = f"{body}, {place}"
    meeting_date = hints.date or header.date or fallback.date
    if meeting_date is None:
        meeting_date = _first(places[2:], _date_of, None, "meeting date", warnings)
    doc_type = hints.doc_type or header.doc_type or fallback.doc_type
    if doc_type is None:  # a folder names a collection: it counts after the decisions
        fields = [line.clean for line in front]  # 'Godkendelse af dagsorden:' / 'Godkendt'
        decided = any(item.decision for item in items) or records_decision(fields)
        clues = listed_type(fields) or titles_only_type(items), told_doc_type(fields)
        doc_type = unstated_doc_type([running, meta], name, decided, warnings, *clues)
    participants, absentees = parse_participants(front)
    return Meeting(
        body=body,
        date=meeting_date,
        doc_type=doc_type,
        source=doc.path,
        doc_hash=hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()[:16],
        items=tuple(items),
        time=header.time or (fallback.time if header.date is None else None),
        location=header.location or fallback.location,
        participants=participants,
        absentees=absentees,
        title=_title(header.title, doc_type, body, meeting_date),
        warnings=tuple(doc.warnings) + tuple(warnings),
    )


def _first(
    places: Sequence[tuple[str, str]],
    find: Callable[[str], str | None],
    override: str | None,
    label: str,
    warnings: list[str],
) -> str | None:
    """The value ``find`` reads from the first place that states it; warn where it came
    from when that is not the header, and when nothing states it."""
    if override:
        return override
    for k, (place, text) in enumerate(places):
        value = find(text) if text.strip() else None
        if value:
            if k > 1 and label:
                warnings.append(f"{label} taken from {place}: {value}")
            return value
    if label:
        warnings.append(f"{label} not found: stored as unknown")
    return None


def _date_of(text: str) -> str | None:
    found = find_date(text)
    return found[0] if found else None


def _path_text(path: str) -> str:
    """The file and folder names as words: 'Byraad_den_3._maj_2024.pdf' -> '... 3. maj 2024'."""
    parts = PurePath(path).parts[-3:]
    words = [PurePath(parts[-1]).stem] + list(reversed(parts[:-1])) if parts else []
    return "\n".join(
        _compact_date(typed_short_date(_SLUG_DASH_RE.sub(" ", re.sub(r"[_+]+", " ", w))))
        for w in words
    )


_SLUG_DASH_RE = re.compile(r"-{2,}|(?<=\d)-(?=[a-zæøå]{3})|(?<=[a-zæøå]{3})-(?=\d)")
"""Dashes of a web address slug between a day, a month name and a year
('23--marts-2015--referat' -> '23 marts 2015 referat'); '2019-03-12' keeps its dashes."""


_COMPACT_DATE_RE = re.compile(r"(?<!\d)(\d{8})(?!\d)")


def _compact_date(word: str) -> str:
    """A folder named by an 8-digit date ('19042018', '20180419') as 'DD-MM-YYYY', the day
    first or the year first, whichever is a valid date; any other number stays."""

    def spelled(m: re.Match[str]) -> str:
        digits = m.group(1)
        for day, month, year in (
            (digits[6:], digits[4:6], digits[:4]),
            (digits[:2], digits[2:4], digits[4:]),
        ):
            if year[:2] in ("19", "20") and 1 <= int(month) <= 12 and 1 <= int(day) <= 31:
                return f"{day}-{month}-{year}"
        return digits

    return _COMPACT_DATE_RE.sub(spelled, word)


def text_of(lines: Sequence[Line]) -> str:
    return "\n".join(line.clean for line in lines)


def _front_matter(lines: Sequence[Line], sk: _Skeleton, items: list[AgendaItem]) -> list[Line]:
    """Header lines plus the lines between the TOC and the first item's content."""
    first_item = min((item.start for item in items if item.sections or item.heading), default=0)
    after_toc = [line for line in lines[sk.body_start :] if line.end <= first_item]
    return list(lines[: sk.header_end]) + after_toc


def _title(
    header_title: str | None, doc_type: str | None, body: str | None, meeting_date: str | None
) -> str | None:
    if header_title and len(header_title.split()) >= 4:
        return header_title
    parts = [(doc_type or "").capitalize(), body or "", meeting_date or ""]
    return " ".join(p for p in parts if p) or None
