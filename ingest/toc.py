"""The item skeleton: table of contents (TOC) entries and the body headings that match them.

A meeting document's TOC is the best witness of its item list, whatever system produced it:

* a run of lines ``N[.N]. Title [.....] [page]`` (dot leaders, TAB page numbers, ``<b>``),
* or a TAB table ``Punkt<TAB>Indhold<TAB>Bilag`` with rows ``N<TAB>Title<TAB>./.``.

Body headings are then located in order by number + fuzzy title (tolerant to markdown,
bold, a ``- `` prefix, case and spelling differences).  Without a TOC, numbered headings
that are followed by section labels or case numbers form the skeleton.

Kept whole: finding the TOC and matching body headings to it share the tokens and title
similarity and are tuned together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from .captioned_runon_toc import captioned_run_on_toc
from .celled_toc import celled_toc
from .closedgroups import close_grouped
from .closedrestart import with_closed_restart
from .coded_toc import coded_toc
from .column_toc import column_toc, without_parentless_subnumbers
from .danish import TITLE_STOPWORDS, number_key, squash
from .glued import glued_tail, printed_title
from .inner_entries import with_inner_entries
from .labelled_toc import labelled_toc
from .lone_entry_toc import lone_entry_toc
from .lonenumbers import in_sub_point_run, number_over_title
from .lostentries import without_lost_titles
from .oneline_toc import one_line_toc
from .paged_toc import paged_toc
from .punkt_toc import punkt_toc
from .selected_items import skips_to
from .textlines import Line, strip_markup
from .toccaption import under_contents_caption
from .tocentries import Toc, TocEntry
from .tocgroups import is_compact, is_group_heading

NUMBER = r"\d{1,3}(?:\.\d{1,3})*"
_NUMBER_CELL_RE = re.compile(rf"^(?:(?:punkt|pkt\.?)\s*)?({NUMBER})[.:)]?$", re.IGNORECASE)
_NUMBER_TITLE_RE = re.compile(
    rf"^(?:(?:punkt|pkt\.?)\s*)?({NUMBER})(?:(?:[.)]|(?<=\d):)?\s+|\.(?=(?-i:[A-ZÆØÅ][a-zæøå])))(.+)$",
    re.IGNORECASE,
)
"""'3. Title', 'Pkt. 3 Title', '3: Title'; also '3.Title' where a web page's list lost the
space after the number's dot (a capitalised word follows: '3.5 mio.' stays a number)."""
_ROMAN_PAGE = r"[ivxlc]{1,6}"
"""A front-matter page number in lower-case roman numerals ('...iii'), as PDF TOCs print."""
_DOTS_RE = re.compile(rf"\s*\.{{2,}}\s*(\d{{1,4}}|{_ROMAN_PAGE})?\s*$")
_PAGE_RE = re.compile(r"^(?:(?:side|s\.)\s*)?\d{1,4}$", re.IGNORECASE)
_PAGE_CELL_RE = re.compile(rf"(?:\t|\.{{2,}})\s*(?:\d{{1,4}}|{_ROMAN_PAGE})\s*$")
_GLUED_PAGE_RE = re.compile(r"\s+\d{1,3}$")
_GLUED_ANY_PAGE_RE = re.compile(rf"\s+(?:\d{{1,3}}|{_ROMAN_PAGE})$")
_TRAILING_PAGE_RE = re.compile(r"\s+(?:side|s\.)\s*\d{1,4}\s*$", re.IGNORECASE)
_TABLE_HEAD_RE = re.compile(r"^\s*(?:punkt|pkt\.?|nr\.?|sag)\s*\t", re.IGNORECASE)
_HEADING_RE = re.compile(
    rf"^(?:indholdsfortegnelse(?=\d))?(?:[-•]\s*)?(?:(?:punkt|pkt\.?|nr\.)\s*)?({NUMBER})[.:)]?"
    r"(?:(?:\s+[-–:](?=\s)|)(?:\s+|(?<=[.)])(?=(?-i:[A-ZÆØÅ]))|(?<=\d)(?=(?-i:[A-ZÆØÅ][a-zæøå]{2})))(.*))?$",
    re.IGNORECASE,
)
"""'3. Title', 'Pkt. 3 Title', '3' alone; also '3.Title' and '38Title' where a web page's
text lost the space (and the dot) between the number and a capitalised word ('38Godkendelse
af dagsorden'; '5G-net' or '3D' are no word), and 'Indholdsfortegnelse1. Title' where it
glued a collapsed TOC's caption to the first heading; 'Nr.60 - Title' (a number mark and a
dash between number and title); '1 : Title' (a colon set off by spaces)."""
_PRESENTER_RE = re.compile(r"\sv\.\s+(?P<name>[^*]+?)\s*(?=\*|\sDet indstilles|$)")
_INLINE_PROPOSAL_RE = re.compile(r"\*?\s*(Det indstilles)\b", re.IGNORECASE)
MIN_SIMILARITY = 0.34
NUMBER_BELOW_RE = re.compile(r"^sag\s+nr\.?\s*(\d{1,4})$", re.IGNORECASE)
"""A line that is only 'Sag nr. 129': the running number of the item whose title stands
on the line just above it (a web publication's layout), not a case number - case numbers
are not bare small integers."""


@dataclass(frozen=True)
class Heading:
    """A body line that heads an item: its number, title text, presenter, inline proposal."""

    number: str
    title: str
    line: int
    strong: bool
    presenter: str | None = None
    proposal_offset: int | None = None
    number_line: int | None = None
    """The line that printed the number when it stands under the title ('Sag nr. 129')."""
    glued_label: tuple[str, str] | None = None
    """(name, role) of a section label glued to the heading's end ('...formandenReferat'):
    the item's text after the heading line is that section (``glued.glued_tail``)."""
    text_offset: int | None = None
    """Where the item's text begins on the heading's own line, when the heading runs on
    with it ('1. Title Text ...', ``runon_items``): the text is the item's, under no label."""
    continued_line: int | None = None
    """The last line a title goes on to when a transcript broke it after a word that cannot
    end it ('... besættelse af' / 'kasserer posten.', ``listed_items``) or a page wrapped
    it (``wrapped_list``): it and the lines above it are no text of the item."""


_SPACED_NUMBER_RE = re.compile(
    r"^((?:[-•]\s*)?(?:(?:punkt|pkt\.?)\s*)?)(\d{1,3}) (\d{1,2})\.?(?=[ \t]+[A-ZÆØÅ])",
    re.IGNORECASE,
)


def dotted_numbers(text: str) -> str:
    """'1 2 Regnskab' -> '1.2 Regnskab': two-level numbers printed with a space."""
    return _SPACED_NUMBER_RE.sub(r"\1\2.\3", text, count=1)


# --------------------------------------------------------------------------- TOC


@dataclass(frozen=True)
class _TocLine:
    number: str | None
    title: str
    signal: bool


def _parse_toc_line(raw: str) -> _TocLine | None:
    """Parse one candidate TOC line; None when it is not entry-shaped."""
    line = _status_after(dotted_numbers(strip_markup(raw).lstrip()))
    cells = [c.strip() for c in line.split("\t")]
    cells = [c for c in cells if c]
    if not cells:
        return None
    number: str | None = None
    table = False
    first = _NUMBER_CELL_RE.match(cells[0])
    if first and len(cells) > 1:
        number, title, rest, table = first.group(1), cells[1], cells[2:], True
    elif m := _NUMBER_TITLE_RE.match(cells[0]):
        number, title, rest = m.group(1), m.group(2), cells[1:]
    else:
        title, rest = cells[0], cells[1:]
    page = bool(rest) and bool(_PAGE_RE.match(rest[-1]))
    if trailing := _TRAILING_PAGE_RE.search(title):  # 'Budget 2025 side 4'
        title, page = title[: trailing.start()], True
    dots = _DOTS_RE.search(title)
    if dots:
        page = page or dots.group(1) is not None
        title = title[: dots.start()]
    title = printed_title(title).strip(" ").lstrip(". ")
    if not any(ch.isalpha() for ch in title) or len(title) > 250:
        return None
    return _TocLine(number, title, signal=page or bool(dots) or table)


_STATUS_FIRST_RE = re.compile(r"^(åbent?|lukket)\s+(\d{1,3})\s+(?=\S)", re.IGNORECASE)


def _status_after(text: str) -> str:
    """'åbent 3 Title' -> '3 Title', 'lukket 9 Title' -> '9 Lukket: Title': a list that
    prints each item's open/closed status before its number (the closed mark is kept
    where ``closed_title`` reads it)."""
    m = _STATUS_FIRST_RE.match(text)
    if m is None:
        return text
    mark = "Lukket: " if m.group(1).lower() == "lukket" else ""
    return f"{m.group(2)} {mark}{text[m.end() :]}"


def find_toc(lines: Sequence[Line], before: int) -> Toc | None:
    """Return the first TOC that starts before line ``before`` (the first section label)."""
    i = 0
    while i < min(before, len(lines)):
        toc = (
            _toc_run(lines, i) or labelled_toc(lines, i) or paged_toc(lines, i)
            or celled_toc(lines, i) or column_toc(lines, i) or lone_entry_toc(lines, i)
            or coded_toc(lines, i) or punkt_toc(lines, i) or one_line_toc(lines, i)
            or captioned_run_on_toc(lines, i)
        )
        if toc is not None:
            toc = without_parentless_subnumbers(with_inner_entries(toc), lines)
            toc = with_closed_restart(without_lost_titles(toc), lines)
            return close_grouped(toc, lines)
        i += 1
    return None


def _toc_run(lines: Sequence[Line], start: int) -> Toc | None:
    """Grow a TOC run from ``start``; None unless it looks like a real TOC."""
    first = _parse_toc_line(lines[start].raw)
    if (first is None or first.number is None) and _wrapped_row(lines, start) is None:
        return None
    table_head = start > 0 and bool(_TABLE_HEAD_RE.match(lines[start - 1].raw))
    entries: list[TocEntry] = []
    signals, saw_blank, last_paged = 0, False, False
    end = index = start
    groups: list[int] = []  # the group headings the run went on across
    while index < len(lines):
        line = lines[index]
        index += 1
        if line.blank:
            saw_blank = True
            continue
        parsed = _parse_toc_line(line.raw)
        if parsed is None or (parsed.number is None and not parsed.signal):
            if entries and line.index == end and not last_paged and _title_goes_on(line.clean):
                last = entries[-1]  # 'Vedtagelse af ... lokalplan for' / 'forlystelsesanlæg'
                entries[-1] = TocEntry(last.number, f"{last.title} {squash(line.clean)}", last.line)
                end = line.index + 1
                continue
            wrapped = _wrapped_row(lines, line.index)
            if wrapped is None:
                if entries and is_group_heading(lines, line.index, entries[-1]):
                    groups.append(line.index)
                    continue  # 'Fra Børneudvalget' between '57. Title' and '58. Title'
                break
            # the entry is the number row; the TOC runs to the title's second line
            row, line, index = line.index + 1, lines[line.index + 2], line.index + 3
            parsed = wrapped
        else:
            row = line.index
        if parsed.number is not None:
            if entries and number_key(parsed.number) <= entries[-1].key:
                break
            if signals and not parsed.signal and saw_blank:
                break
            entries.append(TocEntry(parsed.number, parsed.title, row))
            signals += parsed.signal
            last_paged = parsed.signal  # a page number or leader ends the entry's title
        end = line.index + 1
    if len(entries) < 2:
        return None
    entries = _strip_glued_pages(entries, lines)
    paged = _page_column(entries)
    if paged is not None:
        entries, signals = paged, len(paged)
    signalled = table_head or signals * 2 >= len(entries) or under_contents_caption(lines, start)
    compact = is_compact(lines, start, end, groups)
    titled = all(e.title[:1].isupper() and not e.title.endswith((",", ";")) for e in entries)
    # a bare numbered list is a TOC only when its entries read as titles: most of them
    # capitalised ('1. Godkendelse af dagsorden'), not prose ('0 kommunen har ...')
    capitalised = sum(e.title[:1].isupper() or e.title[:1].isdigit() for e in entries)
    plain_list = compact and ((len(entries) >= 3 and capitalised * 2 > len(entries))
                              or (titled and _headed_later(lines, entries, end)))
    return Toc(tuple(entries), start, end) if signalled or plain_list else None


def _title_goes_on(clean: str) -> bool:
    """A line right under a TOC entry that continues its title: it starts in lower case
    (a PDF broke the title), is short and carries no number of its own."""
    return clean[:1].islower() and len(clean) <= 80 and not _NUMBER_TITLE_RE.match(clean)


_NUMBER_PAGE_ROW_RE = re.compile(
    rf"^\s*(?:(?:punkt|pkt\.?)\s*)?({NUMBER})[.:)]?\t+\s*(\d{{1,4}})\s*$", re.IGNORECASE
)


def _wrapped_row(lines: Sequence[Line], index: int) -> _TocLine | None:
    """A TOC table row whose title cell wrapped onto two lines around the number and page
    cells ('Budgetopfølgning pr. 30.' / '2.<TAB>3' / 'september 2025'), as PDF text."""
    if index + 2 >= len(lines):
        return None
    before, row, after = lines[index], lines[index + 1], lines[index + 2]
    m = _NUMBER_PAGE_ROW_RE.match(strip_markup(row.raw))
    if m is None or before.blank or after.blank or "\t" in before.raw or "\t" in after.raw:
        return None
    if _NUMBER_TITLE_RE.match(after.clean) or len(before.clean) + len(after.clean) > 250:
        return None
    title = f"{before.clean} {after.clean}"
    return _TocLine(m.group(1), title, signal=True)


def _strip_glued_pages(entries: list[TocEntry], lines: Sequence[Line]) -> list[TocEntry]:
    """'Anlægsregnskab for Biblioteket 5' in a TOC whose other rows have their page number
    in a cell of its own: the 5 is a page number that lost its gap."""
    paged = [bool(_PAGE_CELL_RE.search(lines[e.line].raw)) for e in entries]
    if sum(paged) * 2 < len(entries):
        return entries
    return [
        TocEntry(e.number, _GLUED_ANY_PAGE_RE.sub("", e.title) or e.title, e.line)
        if not has_page else e
        for e, has_page in zip(entries, paged, strict=True)
    ]


def _page_column(entries: list[TocEntry]) -> list[TocEntry] | None:
    """Entries without their page numbers when EVERY title of a list of three or more ends
    in a number after a space and those numbers never decrease ('1 (Åben) Godkendelse af
    dagsorden 4', '2 (Åben) Forslag til plan 5'): a TOC whose page column lost its TAB.
    A title ending in a year or a plan number ('Budget 2025', 'Lokalplan 12') is not
    paged unless the whole list is."""
    if len(entries) < 3:
        return None
    pages: list[int] = []
    for entry in entries:
        m = _GLUED_PAGE_RE.search(entry.title)
        if m is None or not entry.title[: m.start()].strip():
            return None
        pages.append(int(m.group(0)))
    if any(b < a for a, b in zip(pages, pages[1:], strict=False)) or pages[-1] == pages[0]:
        return None
    return [TocEntry(e.number, _GLUED_PAGE_RE.sub("", e.title), e.line) for e in entries]


def _headed_later(lines: Sequence[Line], entries: list[TocEntry], end: int) -> bool:
    """A short list is a TOC when a later heading repeats one of its entries, or when it
    is all the document has (a bare agenda of two items)."""
    if all(line.blank for line in lines[end:]):
        return True
    wanted = {e.number: e.title for e in entries}
    for index in range(end, len(lines)):
        if lines[index].blank:
            continue
        heading = parse_heading(lines, index)
        if heading is not None and heading.number in wanted:
            if title_similarity(wanted[heading.number], heading.title) >= 0.5:
                return True
    return False


# --------------------------------------------------------------------- similarity


def tokens(text: str) -> list[str]:
    """Lower-case word tokens (letters/digits) of ``text``."""
    return [t for t in re.findall(r"[^\W_]+", text.lower()) if t]


def content_tokens(text: str) -> list[str]:
    """Tokens without Danish function words."""
    return [t for t in tokens(text) if t not in TITLE_STOPWORDS]


def token_match(a: str, b: str, fuzzy: bool = True) -> bool:
    """Same word up to inflection (shared stem of >= 5 letters) or a small spelling slip."""
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and (a.startswith(b) or b.startswith(a)):
        return True
    if fuzzy and min(len(a), len(b)) >= 6 and a[:2] == b[:2]:
        matcher = SequenceMatcher(None, a, b)
        return matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85
    return False


def title_similarity(title: str, candidate: str) -> float:
    """Share of the title's content words found near the start of ``candidate`` (0..1)."""
    want = content_tokens(title) or tokens(title)
    if not want:
        return 0.0
    have = content_tokens(candidate)[: 2 * len(want) + 3]
    exact = set(have)
    found = sum(1 for w in want if w in exact or any(token_match(w, h) for h in have))
    return found / len(want)


# ----------------------------------------------------------------------- headings


def parse_heading(lines: Sequence[Line], index: int) -> Heading | None:
    """Read line ``index`` as a numbered heading ('3.1. Title', '- 4. **Title** v. Name')."""
    line = lines[index]
    m = _HEADING_RE.match(dotted_numbers(line.clean))
    if not m:
        return _title_over_number(lines, index)
    number, rest = m.group(1), (m.group(2) or "").strip()
    rest = _without_repeated_number(number, rest)
    if not rest:
        rest = _next_text(lines, index)
    raw = line.raw.replace("**", "")
    presenter = None
    if pm := _PRESENTER_RE.search(raw):
        name = pm.group("name").strip(" .,")
        if name[:1].isupper() and len(name) <= 80:
            presenter = name
    title = re.split(r"\sv\.\s|\s\*?Det indstilles\b", rest, maxsplit=1)[0].strip(" *")
    glued = glued_tail(title)
    if glued is not None:
        title = glued.title
    proposal = _INLINE_PROPOSAL_RE.search(line.raw, pos=_after_number(line.raw))
    offset = None
    if proposal and proposal.start() > 0 and title:
        offset = line.start + proposal.start(1)
    stripped = line.raw.lstrip()
    strong = stripped.startswith("#") or stripped.startswith(("**", "<b>"))
    label = (glued.label, glued.role or "other") if glued and glued.label else None
    return Heading(number, title, index, strong, presenter, offset, glued_label=label)


def _without_repeated_number(number: str, rest: str) -> str:
    """'Title' for ' 1.  1. Title': an ordered list whose entries print their own number
    again after the list's number (a web page's list markup over numbered headings)."""
    m = re.match(rf"^{re.escape(number)}[.:)]?\s+(?=\S)", rest)
    return rest[m.end() :] if m else rest


def _title_over_number(lines: Sequence[Line], index: int) -> Heading | None:
    """'Spørgetid' directly over 'Sag nr. 129': the heading of item 129."""
    below = index + 1
    if below >= len(lines) or lines[index].blank:
        return None
    m = NUMBER_BELOW_RE.match(lines[below].clean)
    if m is None or NUMBER_BELOW_RE.match(lines[index].clean):
        return None
    strong = lines[index].raw.lstrip().startswith(("#", "**", "<b>"))
    return Heading(m.group(1), lines[index].clean, index, strong, number_line=below)


def _after_number(raw: str) -> int:
    m = re.search(r"\d", raw)
    return m.end() if m else 0


def _next_text(lines: Sequence[Line], index: int) -> str:
    for line in lines[index + 1 : index + 3]:
        if not line.blank:
            return line.clean
    return ""


def match_headings(toc: Toc, lines: Sequence[Line], start: int) -> dict[int, Heading]:
    """Map TOC entry index -> its body heading, searching lines from ``start`` in order.

    Every line that starts with an entry's number is a candidate scored by title
    similarity; the chosen headings are the best-scoring increasing sequence, so a
    numbered list inside an item ('1. Taksterne ...') cannot steal later items.
    """
    by_number: dict[str, list[int]] = {}
    for i, entry in enumerate(toc.entries):
        by_number.setdefault(entry.number, []).append(i)
    pairs: list[tuple[int, int, float, Heading]] = []
    for index in range(start, len(lines)):
        if lines[index].blank or not lines[index].clean[:1].isdigit() and not _bullet(lines[index]):
            continue
        heading = parse_heading(lines, index)
        if heading is None or heading.number not in by_number:
            continue
        for entry_index in by_number[heading.number]:
            sim = title_similarity(toc.entries[entry_index].title, heading.title)
            if sim >= MIN_SIMILARITY or (heading.strong and heading.title):
                score = sim + (0.25 if heading.strong else 0.0) + 0.01 - index * 1e-7
                pairs.append((entry_index, index, score, heading))
    chosen = _best_chain(pairs)
    return {entry_index: heading for entry_index, _, _, heading in chosen}


def _bullet(line: Line) -> bool:
    return line.clean[:2] in ("- ", "• ") or line.clean[:1].lower() == "p"


def _best_chain(
    pairs: list[tuple[int, int, float, Heading]],
) -> list[tuple[int, int, float, Heading]]:
    """Highest-scoring subsequence increasing in both entry index and line index."""
    pairs.sort(key=lambda p: (p[0], p[1]))
    best: list[float] = []
    back: list[int] = []
    for i, (entry, line, score, _) in enumerate(pairs):
        best.append(score)
        back.append(-1)
        for j in range(i):
            if pairs[j][0] < entry and pairs[j][1] < line and best[j] + score > best[i]:
                best[i], back[i] = best[j] + score, j
    if not pairs:
        return []
    i = max(range(len(pairs)), key=lambda k: best[k])
    chain = []
    while i >= 0:
        chain.append(pairs[i])
        i = back[i]
    return chain[::-1]


# ------------------------------------------------------------------ without a TOC


def headings_without_toc(
    lines: Sequence[Line], start: int, supported: Callable[[int, int], bool]
) -> list[Heading]:
    """Numbered headings of a document without TOC, in outline order.

    ``supported(line, until)`` tells whether section labels, a case number or a
    proposal follow the heading before line ``until``; numbered lists inside items
    rarely have that, and their numbers do not continue the outline either.
    """
    candidates = [h for i in range(start, len(lines)) if (h := _plain_heading(lines, i))]
    styles = {(h.number, heading_style(lines[h.line])) for h in candidates}
    chain: list[Heading] = []
    inner: tuple[int, ...] | None = None  # the last number of a list restarted inside an item
    for k, heading in enumerate(candidates):
        if chain and _off_style(lines, heading, chain[0], styles):
            continue  # '3. Bevaring ...' in a list while the items read '# Punkt 3: ...'

        until = candidates[k + 1].line if k + 1 < len(candidates) else len(lines)
        child_follows = k + 1 < len(candidates) and candidates[k + 1].number.startswith(
            heading.number + "."
        )
        backed = heading.strong or child_follows or supported(heading.line, until)
        backed = backed or number_over_title(lines, heading.line, heading.title) or (
            bool(chain) and in_sub_point_run(
                lines, heading.line, heading.number, (chain[-1].number, chain[-1].line))
        )
        key = number_key(heading.number)
        if not chain:
            if backed:
                chain.append(heading)
            continue
        continues_inner = inner is not None and key == (inner[0] + 1,)
        if key not in _next_numbers(number_key(chain[-1].number)):
            if key == (1,) or continues_inner:
                inner = key  # '1. Overborgmester ...' restarts a numbered list in the item
            elif (backed or _stands_alone(lines, heading, chain[0])) and skips_to(
                lines, candidates, k, chain
            ):
                chain.append(heading)  # a page of selected items: '4.' after '2.', no '3.'
                inner = None
            continue
        if backed:
            chain.append(heading)
            inner = None
        elif continues_inner:
            inner = key  # '2. Lars Weiss (A)' goes on with that list, not with the outline
        elif _stands_alone(lines, heading, chain[0]):
            chain.append(heading)
    return chain


def heading_style(line: Line) -> tuple[bool, bool, str]:
    """How an item heading is printed: (strong, 'Punkt'/'Pkt.' prefix, mark after number)."""
    raw = line.raw.lstrip()
    strong = raw.startswith(("#", "**", "<b>"))
    clean = dotted_numbers(line.clean)
    prefixed = bool(re.match(r"^(?:[-•]\s*)?(?:punkt|pkt\.?)\s*\d", clean, re.IGNORECASE))
    m = re.match(rf"^(?:[-•]\s*)?(?:(?:punkt|pkt\.?)\s*)?{NUMBER}([.:)]?)", clean, re.IGNORECASE)
    return strong, prefixed, m.group(1) if m else ""


def _off_style(
    lines: Sequence[Line], heading: Heading, first: Heading, styles: set[tuple[str, Any]]
) -> bool:
    """True when ``heading`` is printed unlike the first item heading while another line
    with the same number is printed like it (so that line is the item, this one a list)."""
    want = heading_style(lines[first.line])
    return heading_style(lines[heading.line]) != want and (heading.number, want) in styles


def _stands_alone(lines: Sequence[Line], heading: Heading, first: Heading) -> bool:
    """A short title line between blank lines ('4. Eventuelt'), not a list entry; it ends
    in a full stop only when the first item heading does too (a layout that closes every
    heading with one)."""
    index = heading.line
    before = index == 0 or lines[index - 1].blank
    after = index + 1 >= len(lines) or lines[index + 1].blank
    stops = (":", ",") if first.title.endswith(".") else (".", ":", ",")
    short = len(heading.title.split()) <= 12 and not heading.title.endswith(stops)
    return before and after and short


def _plain_heading(lines: Sequence[Line], index: int) -> Heading | None:
    """A numbered heading line; a paragraph that opens with a number is none.  A line
    that names itself an item ('Pkt. 197 Forslag til beslutning fra ...') may carry a
    long title, as a proposal that names its proposers does."""
    marked = heading_style(lines[index])[1]
    limit = LONG_TITLE_CHARS if marked else 200
    if lines[index].blank or len(lines[index].clean) > limit:
        return None
    heading = parse_heading(lines, index)
    if heading is None or not heading.title[:1].isupper():
        return None
    words = len(heading.title.split())
    if heading.title.endswith((",", ";")) or words > (LONG_TITLE_WORDS if marked else 25):
        return None
    return heading


LONG_TITLE_CHARS = 400
LONG_TITLE_WORDS = 60
"""Limits of a title after 'Punkt'/'Pkt.' (the longest of the corpora: 35 words)."""


def _next_numbers(key: tuple[int, ...]) -> set[tuple[int, ...]]:
    """Numbers that may follow ``key`` in an outline: first child or next sibling."""
    following = {key + (1,)}
    for depth in range(1, len(key) + 1):
        following.add(key[: depth - 1] + (key[depth - 1] + 1,))
    return following
