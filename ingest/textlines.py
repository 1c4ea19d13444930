"""Line-level view of extracted text: offsets, markup stripping and passage cleaning.

Conversions of the same kind of meeting document differ mostly in markup: PDF->markdown
adds ``#``/``**``/``<b>``, DOCX->text leaves ``[bookmark: ...]`` residue, PDF->text splits
words across page breaks.  Everything here is about that surface; no meeting knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from .countedlists import first_counted_entry
from .listgroups import group_heading_cuts

_BOOKMARK_RE = re.compile(r"\[(?:bookmark|image):[^\]]*\]", re.IGNORECASE)
_AUTOLINK_RE = re.compile(r"<((?:https?|ftp)://[^>\s]+|www\.[^>\s]+)>", re.IGNORECASE)
_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_LINK_RE = re.compile(r"\[((?:[^\]\\]|\\.)*)\]\(([^)\s]*)\)")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")
_HEADING_MARK_RE = re.compile(r"^\s*#{1,6}(?=\s|$)\s*")
_STAR_BULLET_RE = re.compile(r"^(\s*)\*\s+")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_ATTACHMENT_MARK_RE = re.compile(r"^\s*(?:[-•]\s*)?(?:\./\.{0,2}|/)(?=\s|$)")
_LETTER_ITEM_RE = re.compile(r"^[a-zæøå][.)]\s")
_NO_SPLIT_WORDS = frozenset({"og", "eller", "samt", "til", "som", "men", "der", "at"})


@dataclass(frozen=True)
class Line:
    """One line of the document: 0-based index, character span (no newline), raw and clean."""

    index: int
    start: int
    end: int
    raw: str
    clean: str

    @property
    def blank(self) -> bool:
        return not self.clean

    @property
    def indent(self) -> int:
        """Characters of whitespace before the line's text."""
        return len(self.raw) - len(self.raw.lstrip())

    @property
    def content_start(self) -> int:
        """Offset of the first non-whitespace character (``end`` for blank lines)."""
        return min(self.start + self.indent, self.end)

    @property
    def content_end(self) -> int:
        """Offset just after the last non-whitespace character."""
        return self.start + len(self.raw.rstrip())


def split_lines(text: str) -> list[Line]:
    """Return the lines of ``text`` with offsets into it and their cleaned form."""
    lines: list[Line] = []
    pos = 0
    for index, raw in enumerate(text.split("\n")):
        lines.append(Line(index, pos, pos + len(raw), raw, clean_inline(raw)))
        pos += len(raw) + 1
    return lines


_MARKUP_CHARS = frozenset("<[#*_\\")


def strip_markup(raw: str) -> str:
    """Remove markup (tags, bookmarks, bold/italic stars, link syntax) but keep TABs."""
    if _MARKUP_CHARS.isdisjoint(raw):
        return raw
    s = _BOOKMARK_RE.sub("", raw)
    s = _AUTOLINK_RE.sub(r"\1", s)
    s = _TAG_RE.sub("", s)
    s = _LINK_RE.sub(_link_text, s)
    s = _HEADING_MARK_RE.sub("", s)
    s = _STAR_BULLET_RE.sub(r"\1- ", s)
    s = s.replace("**", "").replace("__", "")
    s = re.sub(r"(?<!\\)\*", "", s)
    return _ESCAPE_RE.sub(r"\1", s)


def _link_text(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    return label if url in ("", "#") else f"{label} ({url})"


def clean_inline(raw: str) -> str:
    """Markup-free, whitespace-collapsed form of one line ('' for blank lines)."""
    return _SPACES_RE.sub(" ", strip_markup(raw)).strip()


def is_attachment_marker(clean: str) -> bool:
    """True for a line starting with an attachment ("bilag") marker: './.', './', '/'."""
    return bool(_ATTACHMENT_MARK_RE.match(clean))


def is_noise(clean: str) -> bool:
    """True for lines without any letter or digit that are not attachment markers.

    Such lines are conversion residue (a lone '.' + TAB where a heading was, stray
    bullets); they carry nothing a reader would cite.
    """
    if not clean:
        return True
    if any(ch.isalnum() for ch in clean):
        return False
    return not is_attachment_marker(clean)


def line_above(lines: Sequence[Line], line: int, floor: int) -> int | None:
    """The nearest line above ``line``, down to ``floor``, that is not noise (the line at
    ``floor`` itself is returned whatever it holds); None when there is none."""
    k = line - 1
    while k > floor and is_noise(lines[k].clean):
        k -= 1
    return k if floor <= k < line else None


def clean_passage(raw: str) -> str:
    """Clean a block of source text into a readable passage.

    Markup is removed, noise lines dropped, blank-line runs collapsed to one paragraph
    break, and words or sentences that a page break split (``kompressi-`` / ``onsstrømper``,
    ``den`` / ``kommunale``) joined again.  Only characters that are not letters or digits
    are ever removed, so every word of the passage can be found in the source span.
    """
    paragraphs: list[list[str]] = [[]]
    for raw_line in raw.split("\n"):
        line = clean_inline(raw_line)
        if is_noise(line):
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        current = paragraphs[-1]
        if current and _continues(current[-1], line):
            current[-1] = _join(current[-1], line)
        else:
            current.append(line)
    merged: list[str] = []
    for para in (p for p in paragraphs if p):
        text = "\n".join(para)
        if merged and _continues(merged[-1], text):
            merged[-1] = _join(merged[-1], text)
        else:
            merged.append(text)
    return "\n\n".join(merged)


def _continues(previous: str, following: str) -> bool:
    """Does ``following`` continue the sentence or word that ``previous`` broke off?"""
    if not previous or not following:
        return False
    first = following[0]
    if previous.endswith("-") and len(previous) > 1:
        before = previous[-2]
        if before.isdigit() and first.isdigit():
            return True
        word = following.split(" ", 1)[0].rstrip(".,;:")
        return before.isalpha() and first.islower() and word not in _NO_SPLIT_WORDS
    last_line = previous.rsplit("\n", 1)[-1]
    if _LETTER_ITEM_RE.match(following) or last_line.startswith("- "):
        return False  # 'a. Nyt forslag' starts a list entry; bullets stay separate
    return first.islower() and not previous.endswith(":")


def _join(previous: str, following: str) -> str:
    if previous.endswith("-") and not previous.endswith(" -"):
        if previous[-2].isdigit():
            return previous + following
        return previous[:-1] + following
    return previous + " " + following


_PAGE_NUMBER_RE = re.compile(
    r"(?<![\wæøå])(?:side|page)\s+\d{1,4}(?:\s*(?:af|/|of)\s*\d{1,4})?\b", re.I
)
_MIN_RUNNING_REPEATS = 3


def blank_running_lines(
    lines: list[Line], keep: Callable[[Line], bool] = lambda line: False
) -> list[Line]:
    """Blank the running page headers/footers a converter left in the text.

    A line is running matter when it is short and carries a page number ('Økonomiudvalget
    12-03-2024 Side 3 af 9'), or when the very same line repeats at least three times and
    carries a digit (a dated page header 'Referat Byrådet 12.03.2024').  Offsets stay as
    they were; only ``clean`` becomes '' so the parser skips the line.  Lines for which
    ``keep`` is true (case number lines, which repeat with other digits) are never blanked.
    """
    counts: dict[str, int] = {}
    for line in lines:
        if line.clean:
            counts[line.clean] = counts.get(line.clean, 0) + 1
    result: list[Line] = []
    for line in lines:
        clean = line.clean
        running = False
        if clean and len(clean) <= 120 and not keep(line):
            paged = bool(_PAGE_NUMBER_RE.search(clean))
            repeated = counts[clean] >= _MIN_RUNNING_REPEATS and len(clean) >= 12
            dated = any(ch.isdigit() for ch in clean) and not clean[:1].isdigit()
            running = paged or (repeated and dated)
        result.append(Line(line.index, line.start, line.end, line.raw, "") if running else line)
    return result


def blank_spans(text: str, lines: list[Line]) -> str:
    """``text`` with the characters of every line whose ``clean`` is '' but whose raw text
    is not blank replaced by spaces (same length, so every offset still holds)."""
    pieces: list[str] = []
    pos = 0
    for line in lines:
        if not line.clean and line.raw.strip():
            pieces.append(text[pos : line.start])
            pieces.append(" " * (line.end - line.start))
            pos = line.end
    pieces.append(text[pos:])
    return "".join(pieces)


ERASE_GROUP = "erase"
"""Name of the ``split_run_on_lines`` pattern group whose characters become spaces."""


def split_run_on_lines(
    text: str,
    breaks: re.Pattern[str],
    min_length: int,
    min_kinds: int,
    page_line: re.Pattern[str] | None = None,
    pages: Collection[int] = frozenset(),
) -> str:
    """``text`` with its run-on lines split where ``breaks`` finds a boundary.

    Text converters and document sites flatten a PDF page to ONE line, so no heading or
    label starts a line.  A line longer than ``min_length`` in which ``breaks`` matches
    with at least ``min_kinds`` different named groups (kinds of boundary) is such a page:
    every single whitespace character that a named group covers becomes a newline, and
    the characters of a group named ``ERASE_GROUP`` (a page number, which is no kind)
    become spaces.  The result has the same length, so every offset into ``text`` still
    holds; every other line stays as it was.  A line that ``page_line`` matches (a page
    by its own number and footer) is a page whatever its length, and so is a line whose
    start offset is in ``pages`` (a page by its number in a sequence), with one kind less.
    """
    chars: list[str] | None = None
    pos = 0
    for raw in text.split("\n"):
        paged = pos in pages
        if len(raw) > min_length or paged or (page_line is not None and page_line.match(raw)):
            cuts: list[int] = []
            erased: list[tuple[int, int]] = []
            kinds: set[str] = set()
            for match in breaks.finditer(raw):
                for group, value in match.groupdict().items():
                    if value is None:
                        continue
                    if group == ERASE_GROUP:
                        erased.append((pos + match.start(group), pos + match.end(group)))
                    elif value.isspace() and len(value) == 1:
                        cuts.append(pos + match.start(group))
                        kinds.add(next(g for g, v in match.groupdict().items() if v))
            if len(kinds) >= min_kinds - paged:
                chars = chars if chars is not None else list(text)
                for cut in cuts:
                    chars[cut] = "\n"
                for start, end in erased:
                    chars[start:end] = " " * (end - start)
        pos += len(raw) + 1
    return text if chars is None else "".join(chars)


_LIST_ENTRY_RE = re.compile(r"(?:^|(?<=\s))(\d{1,3})\.\s+(?=[A-ZÆØÅ])")


def split_numbered_lists(text: str, min_length: int, min_entries: int) -> str:
    """Same-length ``text`` whose one-line numbered lists are split before each entry.

    A web page may print a whole list of titles on ONE line ('1. Godkendelse af
    dagsordenen 2. Orientering fra borgmesteren 3. ...').  A line longer than
    ``min_length`` that opens with a numbered entry ('N. Capitalised') and holds at least
    ``min_entries`` entries numbered N, N+1, N+2 ... in that order is such a list: the
    space before each following entry becomes a newline.  A number that does not continue
    the count ('pr. 31. Marts', a list inside an entry) never splits.  A flattened page
    may run its header into the list ('... Dagsorden 1. Godkendelse af dagsorden 2. ...'):
    a list that starts at '1.' inside a transcript's page line splits there too.  A group
    heading run on at an entry's end ('... Punkter til beslutning: 4. ...') is split off
    (``listgroups``).
    """
    chars: list[str] | None = None
    pos = 0
    for raw in text.split("\n"):
        if len(raw) > min_length and (first := _list_start(raw, min_entries)):
            cuts = [pos + first.start() - 1] if first.start() else []
            expected, titles = int(first.group(1)) + 1, [first.end()]
            for m in _LIST_ENTRY_RE.finditer(raw, first.end()):
                if int(m.group(1)) == expected:
                    cuts.append(pos + m.start() - 1)
                    expected, titles = expected + 1, [*titles, m.end()]
            if len(cuts) + (0 if first.start() else 1) >= min_entries:
                chars = chars if chars is not None else list(text)
                ends = [cut - pos for cut in cuts if cut - pos > first.start()] + [len(raw)]
                groups = group_heading_cuts(raw, list(zip(titles, ends, strict=False)))
                for cut in cuts + [pos + c for c in groups]:
                    chars[cut] = "\n"
        pos += len(raw) + 1
    return text if chars is None else "".join(chars)


def _list_start(line: str, min_entries: int) -> re.Match[str] | None:
    """The numbered entry that opens ``line``, else, in a transcript's page line (it opens
    with its page number: '1 Referat af ...'), its first entry numbered '1.', or where the
    transcript lost that number, the first that the next entries count on from
    (``countedlists``); a prose paragraph's list ('partnerskaber: 1. Alsidig træning ...
    5. Spring') splits no line."""
    first = _LIST_ENTRY_RE.match(line)
    if first is not None or not re.match(r"\d{1,4} [A-ZÆØÅ]", line):
        return first
    one = next((m for m in _LIST_ENTRY_RE.finditer(line) if m.group(1) == "1"), None)
    return one or first_counted_entry(line, min_entries)
