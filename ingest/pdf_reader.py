"""PDF -> light-markdown text with pdfplumber (pdfminer.six), keeping the layout signals.

Output conventions (what ``ingest.parser`` may rely on):

* one line per printed line, in reading order (top to bottom, left to right); pages are
  separated by one blank line; no blank lines inside a page;
* a line whose font is clearly larger than the body text (the most common size by character
  count; larger by 10 % and by 1 pt at least) is a heading: ``# `` for the largest size tier,
  ``## `` for the second, ``### `` for all smaller ones (a size carrying more than half as
  much text as the body size is taken for running text, not headings); a heading that wraps
  onto the next printed line (same tier, line spacing at most 1.4 font sizes, the next line
  not starting with a number like "2.") is joined into one line with a space;
* a whole body-size line set in a bold font is wrapped as ``**line**`` (partly bold lines are
  left as they are);
* a wide horizontal gap between words (a tab stop, a table cell boundary, the space before a
  TOC page number) and a dot leader (``.....``) become one TAB character;
* running headers/footers (lines in the top/bottom 12 % of the page that repeat on at least
  half of the pages and at least two; digits are ignored in the comparison unless the line
  is heading-sized) are removed from the text and kept, once each and without page-number
  cells, in ``metadata["running_header"]``; page-number lines in those bands
  ("Side 3 af 12", "3", "- 3 -", "Side 3") are removed;
* ``metadata["outline"]``: the bookmarks as "level<TAB>title" lines (1 = top level);
  ``metadata["title" | "subject" | "author" | "created"]`` from the document info
  (``created`` as an ISO date; producer placeholders such as "untitled" are left out).

Hyphenated words at line ends are left as printed.  pypdf is only a fallback for files that
pdfminer cannot parse at all (their text then comes without layout markup, with a warning).

Kept whole: every function serves the one output contract above over pdfplumber's
characters, and the heading, bold and margin rules are tuned together.
"""

from __future__ import annotations

import io
import math
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import limits
from .danish import squash
from .errors import ReadError

BAND = 0.12
"""Top/bottom share of the page height searched for running headers, footers, page numbers."""
SPACE_GAP = 0.15
"""A gap wider than this share of the font size between two glyphs is a word space."""
TAB_GAP = 1.0
"""... and one at least this wide (and well above the line's word spacing) is a TAB."""
HEADING_STEP = 0.1
"""A line is a heading when its size exceeds the body size by this share (and by 1 pt)."""
WRAP_LEADING = 1.4
"""Heading lines of one tier closer than this many font sizes are one wrapped heading."""
MAX_HEADING_SHARE = 0.5
"""A font size whose lines hold more than this share of the body-size text is no heading."""
MAX_OUTLINE = 5000
ENCRYPTED = "the PDF is encrypted; a password is needed to open it"
NO_TEXT_LAYER = (
    "the PDF has no text layer (its pages are images, e.g. a scan); OCR is not supported"
)

_BOLD_RE = re.compile(
    r"bold|black|heavy|semibold|demibold|extrabold|ultrabold|[,-](?:b|bd|bdit|bi|bdcn)$",
    re.IGNORECASE,
)
_PAGE_NUMBER_RE = re.compile(
    r"^(?:(?:side|page|s\.|pag\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"(?:\s*(?:af|of|/|ud af)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_DOT_LEADER_RE = re.compile(r"[ \t]*(?:[.…·_][ \u00a0]?){4,}[ \t]*")
_NUMBERED_RE = re.compile(r"^\d{1,4}(?:\.\d{1,3})*\.?\s")
_PLACEHOLDERS = frozenset({"untitled", "unspecified", "anonymous", "unknown", "none", "-"})
"""Document-info values that producers fill in when nothing was given (reportlab...)."""
_PDF_DATE_RE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")


def is_page_number(text: str) -> bool:
    """'3', '- 3 -', 'Side 3', 'Side 3 af 12', 'Page 3 of 12', '3/12'."""
    return bool(_PAGE_NUMBER_RE.match(text.strip()))


def is_bold_font(fontname: str) -> bool:
    """'ABCDEF+Arial-BoldMT', 'Arial,Bold', 'Calibri-Black', 'Frutiger-Bd', 'Arial,B' ..."""
    return bool(_BOLD_RE.search(fontname.split("+")[-1]))


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(slots=True)
class _Line:
    page: int
    top: float
    bottom: float
    text: str
    size: float
    bold: bool
    level: int = 0


def read_pdf(path: Path, data: bytes) -> tuple[str, list[str], dict[str, str]]:
    """Return (text, warnings, metadata) of a PDF; ReadError for unreadable/encrypted files."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ReadError(str(path), "not a PDF file (no %PDF header)")
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfplumber wraps every pdfminer error in PdfminerException
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        if isinstance(cause, PDFEncryptionError):
            raise ReadError(str(path), ENCRYPTED) from exc
        return _read_with_pypdf(path, data, _describe(cause))
    warnings: list[str] = []
    image_pages: list[int] = []
    try:
        extracted = _extract(pdf, warnings, image_pages, _deadline(path))
    except ReadError:
        raise
    except Exception as exc:  # pdfminer fails in many ways on damaged files
        return _read_with_pypdf(path, data, _describe(exc))
    finally:
        try:
            pdf.close()
        except Exception:  # closing re-reads the page tree, which may be what is broken
            pass
    if extracted is None:
        return _read_with_pypdf(path, data, "no pages found")
    pages, heights, sizes, metadata = extracted
    text, running = _layout(pages, heights, sizes)
    if image_pages and not text.strip():
        raise ReadError(str(path), NO_TEXT_LAYER)
    if image_pages:
        listed = ", ".join(str(n) for n in image_pages[:20])
        listed += ", ..." if len(image_pages) > 20 else ""
        warnings.append(f"pages with images but no text layer were not read (no OCR): {listed}")
    if running:
        metadata["running_header"] = "\n".join(running)
    return text, warnings, metadata


# ------------------------------------------------------------------------- chars


def _deadline(path: Path) -> Callable[[int, int], None]:
    """A check, called before each page, that raises once ``limits.MAX_PDF_SECONDS`` passed.

    A hostile or pathological PDF can take pdfminer minutes per page; the ingest run must
    go on with the next file.  (A single page that never finishes is not interrupted.)
    """
    budget = limits.MAX_PDF_SECONDS
    end = time.monotonic() + budget

    def check(number: int, total: int) -> None:
        if time.monotonic() > end:
            raise ReadError(
                str(path),
                f"reading the PDF took longer than {budget:g} s: stopped at page {number} "
                f"of {total}",
            )

    return check


def _extract(
    pdf: Any, warnings: list[str], image_pages: list[int], deadline: Callable[[int, int], None]
) -> tuple[list[list[_Line]], list[float], Counter[float], dict[str, str]] | None:
    """Printed lines and height of every page, glyph count by font size, and the metadata.

    None when there are no pages.  Pages are turned into lines one by one, so that the
    glyphs of a long document are never all in memory at once.  Pages that show images but
    no text (scans) are listed in ``image_pages``.
    """
    metadata = _info(pdf, warnings)
    outline = _outline(pdf.doc)
    if outline:
        metadata["outline"] = "\n".join(outline)
    pages = pdf.pages
    if not pages:
        return None
    lines: list[list[_Line]] = []
    heights: list[float] = []
    sizes: Counter[float] = Counter()
    unmapped = 0
    for number, page in enumerate(pages, start=1):
        deadline(number, len(pages))
        page_lines: list[_Line] = []
        height = 842.0
        try:
            height = float(page.height)
            chars, skipped, lost = _page_chars(page, height)
            unmapped += lost
            if skipped:
                warnings.append(f"page {number}: skipped {skipped} characters of rotated text")
            if not chars and _lost_content(page):
                warnings.append(f"page {number}: damaged content stream, no text read")
            elif not chars and page.images:
                image_pages.append(number)
            for char in chars:
                if char.text.strip():
                    sizes[_size_key(char.size)] += 1
            page_lines = _lines_of(chars, number - 1)
        except Exception as exc:  # one bad page must not lose the rest
            warnings.append(f"page {number}: text extraction failed ({_describe(exc)})")
        finally:
            page.close()
        lines.append(page_lines)
        heights.append(height if height > 0 else 842.0)
    if unmapped:
        warnings.append(f"dropped {unmapped} characters without a Unicode mapping")
    return lines, heights, sizes, metadata


def _page_chars(page: Any, height: float) -> tuple[list[_Char], int, int]:
    """Upright glyphs of one page (duplicates from fake-bold overprinting dropped).

    Also counts rotated glyphs (reported when there are many) and glyphs without a Unicode
    mapping (pdfminer's "(cid:N)"), which are dropped.
    """
    from pdfminer.layout import LTChar, LTContainer

    chars: list[_Char] = []
    skipped = unmapped = 0
    seen: set[tuple[str, int, int]] = set()

    def walk(items: Any) -> Iterator[Any]:
        for item in items:
            if isinstance(item, LTChar):
                yield item
            elif isinstance(item, LTContainer):
                yield from walk(item)

    fonts: dict[str, bool] = {}
    for obj in walk(page.layout):
        text = obj.get_text()
        if text.startswith("(cid:"):
            unmapped += 1
            continue
        if not obj.upright:
            if not text.isspace():
                skipped += 1
            continue
        key = (text, round(obj.x0), round(obj.y0))
        if key in seen:
            continue
        seen.add(key)
        name = obj.fontname if isinstance(obj.fontname, str) else str(obj.fontname)
        bold = fonts.get(name)
        if bold is None:
            bold = fonts[name] = is_bold_font(name)
        chars.append(
            _Char(
                text=text,
                x0=float(obj.x0),
                x1=float(obj.x1),
                top=height - float(obj.y1),
                bottom=height - float(obj.y0),
                size=float(obj.size),
                bold=bold,
            )
        )
    # A page that is mostly rotated text (a landscape table on a portrait page) would lose
    # its content: report it; the upright rest is still read.
    return chars, skipped if skipped > 20 else 0, unmapped


def _lost_content(page: Any) -> bool:
    """Whether a content stream of the page had data that pdfminer could not decode.

    pdfminer replaces an undecodable stream by nothing, silently; this tells a damaged page
    from a blank or image-only one.
    """
    from pdfminer.pdftypes import PDFStream

    for stream in getattr(page.page_obj, "contents", None) or []:
        stream = _resolve(stream)
        if isinstance(stream, PDFStream):
            length = _resolve(stream.attrs.get("Length"))
            data = stream.get_data()
            if isinstance(length, int) and length > 0 and not data:
                return True
    return False


def _size_key(size: float) -> float:
    return round(size * 2) / 2


def _lines_of(chars: list[_Char], page: int) -> list[_Line]:
    """Group glyphs into printed lines (by baseline) and render each with spaces/TABs."""
    ordered = sorted(chars, key=lambda c: (c.bottom, c.x0))
    groups: list[list[_Char]] = []
    anchor = 0.0
    for char in ordered:
        if groups and char.bottom - anchor <= max(1.5, 0.4 * char.size):
            groups[-1].append(char)
        else:
            groups.append([char])
            anchor = char.bottom
    lines = []
    for group in groups:
        line = _render(group, page)
        if line is not None:
            lines.append(line)
    lines.sort(key=lambda line: line.bottom)
    return lines


def _render(group: list[_Char], page: int) -> _Line | None:
    group.sort(key=lambda c: c.x0)
    glyphs = [c for c in group if c.text.strip()]
    if not glyphs:
        return None
    gaps = []
    for prev, cur in zip(glyphs, glyphs[1:], strict=False):
        size = max(prev.size, cur.size, 1.0)
        gap = (cur.x0 - prev.x1) / size
        if gap > SPACE_GAP:
            gaps.append(gap)
    reference = statistics.median_low(gaps) if len(gaps) >= 3 else 0.3
    tab_at = max(TAB_GAP, 2.5 * reference)
    parts: list[str] = []
    prev_glyph: _Char | None = None
    pending_space = False
    for char in group:
        if not char.text.strip():
            pending_space = prev_glyph is not None
            continue
        if prev_glyph is not None:
            size = max(prev_glyph.size, char.size, 1.0)
            gap = (char.x0 - prev_glyph.x1) / size
            if gap >= tab_at:
                parts.append("\t")
            elif pending_space or gap > SPACE_GAP:
                parts.append(" ")
        parts.append(char.text)
        prev_glyph = char
        pending_space = False
    text = _DOT_LEADER_RE.sub("\t", "".join(parts)).strip(" \t")
    text = re.sub(r" *\t[ \t]*", "\t", text)
    if not text:
        return None
    weights: Counter[float] = Counter()
    for char in glyphs:
        weights[_size_key(char.size)] += len(char.text)
    size = weights.most_common(1)[0][0]
    letters = [c for c in glyphs if any(ch.isalnum() for ch in c.text)]
    bold = bool(letters) and all(c.bold for c in letters)
    top = min(c.top for c in glyphs)
    bottom = statistics.median(c.bottom for c in glyphs)
    return _Line(page=page, top=top, bottom=bottom, text=text, size=size, bold=bold)


# ------------------------------------------------------------------------ layout


def _layout(
    pages: list[list[_Line]], heights: list[float], sizes: Counter[float]
) -> tuple[str, list[str]]:
    if not sizes:
        return "", []
    body = sizes.most_common(1)[0][0]
    running = _strip_margins(pages, heights, body)
    _mark_headings(pages, body)
    out_pages = ["\n".join(_markdown(lines, body)) for lines in pages]
    return "\n\n".join(out_pages).strip("\n") + "\n", running


def _strip_margins(pages: list[list[_Line]], heights: list[float], body: float) -> list[str]:
    """Remove page numbers and repeated margin lines in place; return the repeated ones.

    A margin line repeats when its text, or (for lines not larger than the body text) its
    text with digits ignored, is in the same margin band (top or bottom) of at least half
    the pages (and two; every page of a document of up to three pages).
    Digits are not ignored for larger lines, so that item headings that open each page
    ("3. Budget", "4. Budget") are not mistaken for a running header.
    """

    def in_band(line: _Line) -> bool:
        height = heights[line.page]
        return line.top < BAND * height or line.bottom > (1 - BAND) * height

    def key(line: _Line) -> str:
        text = squash(line.text).casefold()
        text = re.sub(r"\d+", "#", text) if not _is_heading_size(line.size, body) else text
        top = line.top < BAND * heights[line.page]
        return ("top:" if top else "bottom:") + text  # a running header keeps its band

    seen_on: dict[str, set[int]] = {}
    for lines in pages:
        for line in lines:
            if in_band(line) and not is_page_number(line.text):
                seen_on.setdefault(key(line), set()).add(line.page)
    # in a short document a line that recurs by chance (a repeated label at a page foot)
    # must not be taken for a running header: there it must be on every page
    needed = len(pages) if len(pages) <= 3 else math.ceil(len(pages) / 2)
    needed = max(2, needed)
    repeated = {k for k, on in seen_on.items() if len(on) >= needed}
    running: list[str] = []
    stored: set[str] = set()
    for index, lines in enumerate(pages):
        kept = []
        for line in lines:
            if in_band(line):
                if is_page_number(line.text):
                    continue
                k = key(line)
                if k in repeated:
                    if k not in stored:
                        stored.add(k)
                        cells = [c for c in line.text.split("\t") if not is_page_number(c)]
                        running.append("\t".join(cells) or line.text)
                    continue
            kept.append(line)
        pages[index] = kept
    return running


def _is_heading_size(size: float, body: float) -> bool:
    return size - body >= max(1.0, HEADING_STEP * body)


def _mark_headings(pages: list[list[_Line]], body: float) -> None:
    """Heading levels by size tier; a size that carries much of the text is not a heading.

    (When small table print outweighs the running text, the "body size" is the table's and
    the running text would otherwise all read as headings.)
    """
    share: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            share[line.size] += len(line.text)
    tiers = sorted(
        {
            line.size
            for lines in pages
            for line in lines
            if _is_heading_size(line.size, body)
            and any(ch.isalpha() for ch in line.text)
            and share[line.size] <= MAX_HEADING_SHARE * share[body]
        },
        reverse=True,
    )
    level_of = {size: min(rank + 1, 3) for rank, size in enumerate(tiers)}
    for lines in pages:
        for line in lines:
            if line.size in level_of and any(ch.isalpha() for ch in line.text):
                line.level = level_of[line.size]


def _markdown(lines: list[_Line], body: float) -> list[str]:
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        if line.level:
            text = line.text.strip()
            if (
                previous is not None
                and previous.level == line.level
                and line.bottom - previous.bottom <= WRAP_LEADING * line.size
                and not _NUMBERED_RE.match(text)
            ):
                joiner = "" if out[-1].endswith("-") and out[-1][-2:-1].isalpha() else " "
                out[-1] = out[-1] + joiner + text
            else:
                out.append("#" * line.level + " " + text)
        elif line.bold and line.size >= body - 1.0:
            out.append(f"**{line.text}**")
        else:
            out.append(line.text)
        previous = line
    return out


# ---------------------------------------------------------------------- metadata


def _info(pdf: Any, warnings: list[str]) -> dict[str, str]:
    metadata: dict[str, str] = {}
    try:
        info = dict(pdf.metadata or {})
    except Exception as exc:
        warnings.append(f"document info unreadable ({_describe(exc)})")
        return metadata
    for key, name in (("Title", "title"), ("Subject", "subject"), ("Author", "author")):
        value = _as_text(info.get(key))
        if value and value.strip("()[] ").casefold() not in _PLACEHOLDERS:
            metadata[name] = value
    created = _pdf_date(_as_text(info.get("CreationDate")))
    if created:
        metadata["created"] = created
    return metadata


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        from pdfminer.utils import decode_text

        try:
            value = decode_text(value)
        except Exception:
            return ""
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", "").split())


def _pdf_date(value: str) -> str:
    match = _PDF_DATE_RE.match(value.strip())
    if not match or not match.group(2) or not match.group(3):
        return ""
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2200):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


def _resolve(value: object) -> Any:
    """pdfminer's resolve1 without its endless loop on an object that refers to itself."""
    from pdfminer.pdftypes import PDFObjRef

    for _ in range(32):
        if not isinstance(value, PDFObjRef):
            return value
        value = value.resolve()
    return None


def _outline(doc: Any) -> list[str]:
    """Bookmarks depth-first as 'level<TAB>title' (iterative; cycles and junk tolerated)."""
    from pdfminer.pdftypes import PDFObjRef

    lines: list[str] = []
    try:
        root = _resolve((doc.catalog or {}).get("Outlines"))
        if not isinstance(root, dict):
            return []
        stack: list[tuple[Any, int]] = [(root.get("First"), 1)]
        seen: set[object] = set()
        while stack and len(seen) < MAX_OUTLINE:
            ref, level = stack.pop()
            if ref is None:
                continue
            key = ("ref", ref.objid) if isinstance(ref, PDFObjRef) else ("id", id(ref))
            if key in seen:
                continue
            seen.add(key)
            node = _resolve(ref)
            if not isinstance(node, dict):
                continue
            title = _as_text(_resolve(node.get("Title")))
            if title:
                lines.append(f"{level}\t{title}")
            if node.get("Next") is not None:
                stack.append((node.get("Next"), level))
            if node.get("First") is not None and level < 20:
                stack.append((node.get("First"), level + 1))
    except Exception:  # a broken outline is no reason to lose the text
        return lines
    return lines


# ---------------------------------------------------------------------- fallback


def _read_with_pypdf(path: Path, data: bytes, why: str) -> tuple[str, list[str], dict[str, str]]:
    """Plain text via pypdf for files pdfminer cannot parse; ReadError when it fails too."""
    from pypdf import PdfReader

    warnings: list[str] = []
    pages: list[str] = []
    deadline = _deadline(path)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(str(path), ENCRYPTED)
        for number, page in enumerate(reader.pages, start=1):
            deadline(number, len(reader.pages))
            try:
                pages.append(page.extract_text() or "")
            except Exception as exc:
                warnings.append(f"page {number}: text extraction failed ({_describe(exc)})")
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(str(path), _unreadable(data, why)) from exc
    if not pages:
        raise ReadError(str(path), _unreadable(data, why))
    warnings.insert(0, f"PDF layout not available, read as plain text ({why})")
    if _cut_off(data):
        warnings.insert(0, "the PDF is cut off (no end-of-file marker): text may be missing")
    return "\n\n".join(pages), warnings, {}


def _cut_off(data: bytes) -> bool:
    """Whether the file lacks the ``%%EOF`` marker every complete PDF ends with."""
    return b"%%EOF" not in data[-2048:]


def _unreadable(data: bytes, why: str) -> str:
    """The problem of a PDF neither library can read, in words a user can act on."""
    if _cut_off(data):
        return f"the PDF is incomplete: the file is cut off, e.g. a broken download ({why})"
    return f"corrupt or unreadable PDF ({why})"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, RecursionError) or "maximum recursion depth" in text:
        return "circular references between objects of the file"  # (also when wrapped)
    return text if len(text) <= 200 else text[:197] + "..."
