"""Repair of mojibake: UTF-8 text garbled before it reached us -> the text it was.

Documents from other Danish systems often arrive as 'RegionsrÃ¥det', 'â€“' (UTF-8 read as
cp1252 somewhere upstream) or 'Regionsr├ądet' (read as a DOS code page).  The file decodes
fine - the text in it is already wrong - so bodies, labels and words are not recognised.
``ingest.readers.read_document`` repairs every reader's text here before it is parsed (so
every offset points into the repaired text), and ``read_repaired_firstagenda`` does the same
for the strings of a FirstAgenda export; the warning says what was repaired.

ftfy (https://pypi.org/project/ftfy/) is used for its encoding fixes only; the DOS code
pages it leaves out are tried here, and every repair must pass ``_plausible``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ftfy import TextFixerConfig, fix_encoding_and_explain
from ftfy.badness import badness

if TYPE_CHECKING:
    from .models import Document, Meeting

_FTFY_CONFIG = TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
)
"""ftfy limited to its encoding fixes (``fix_encoding_and_explain`` reads only those): no
HTML unescaping (a reader already did it; '&amp;' in text is text), no quote, width,
ligature or line-break changes - correct text must come through unchanged."""
_CODE_PAGES = ("sloppy-windows-1252", "cp437", "cp850", "cp852", "cp865")
"""Code pages a whole line is re-read through: Windows (ftfy's lenient cp1252, which maps
its 5 unassigned bytes as Windows does) and the DOS pages ('├ą' / '├©' for 'å' / 'ø'; ftfy
itself tries only cp437, and only on lines its badness flags)."""
_CODEC_NAMES = {
    "sloppy-windows-1252": "cp1252", "sloppy-windows-1250": "cp1250",
    "sloppy-windows-1251": "cp1251", "sloppy-windows-1253": "cp1253",
    "sloppy-windows-1254": "cp1254", "sloppy-windows-1257": "cp1257", "macroman": "Mac Roman",
}  # fmt: skip
_MAX_LAYERS = 3


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Repair lines garbled upstream by decoding UTF-8 with the wrong code page ->
    (text, warning or None when nothing was repaired).

    Documents from other systems arrive as 'RegionsrÃ¥det' or 'Regionsr├ądet': the file
    decodes fine, the text in it is already wrong, and bodies, labels and words are not
    recognised.  Each line is re-read as UTF-8 through the code pages it may have been
    garbled by, and by ftfy's encoding fixes (``_repair_line``); a repair is kept only when
    it is valid UTF-8, brings in only characters Danish text is written in and no more
    unlikely sequences, so correct Danish text ('æøå', '–', '§', '½', '€', quotes) comes
    through unchanged.  Line by line, as ftfy itself works, so that one garbled paragraph
    pasted into a clean document is repaired too; the line count does not change.
    """
    causes: dict[str, int] = {}
    return repair_lines(text, causes), repair_warning(causes)


def repair_lines(text: str, causes: dict[str, int]) -> str:
    """``text`` with its garbled lines repaired (see ``repair_mojibake``); counts the lines
    repaired by cause ('UTF-8 read as cp1252') into ``causes``, so that a reader repairing
    many strings (FirstAgenda's JSON fields) can say once what it repaired."""
    if text.isascii():
        return text
    lines = text.split("\n")
    for k in range(len(lines)):
        first = None
        for _ in range(_MAX_LAYERS):  # text garbled twice is repaired twice
            fixed, cause = _repair_line(lines[k])
            if cause is None:
                break
            lines[k], first = fixed, first or cause
        if first is not None:
            causes[first] = causes.get(first, 0) + 1
    return "\n".join(lines)


def repair_warning(causes: dict[str, int]) -> str | None:
    """The warning for lines repaired by cause ('what was assumed'), None when none were."""
    if not causes:
        return None
    how = ", ".join(sorted(causes, key=lambda c: -causes[c]))
    return f"text repaired: mojibake ({how}) on {sum(causes.values())} line(s)"


def _repair_line(line: str) -> tuple[str, str | None]:
    """One line's repair and what it was read as, or (line, None) when none is accepted.

    Candidates: the whole line re-read through each of ``_CODE_PAGES`` (its bytes in that
    code page must be valid UTF-8 - every non-ASCII character part of a sequence), and
    ftfy's fix when ftfy's badness flags the line (it also knows Mac Roman, cp1250 ... and
    repairs a garbled stretch inside a clean line).  A candidate is accepted only when it
    brings in plausible characters (``_plausible``) and does not raise ftfy's count of
    unlikely sequences; ftfy's piecewise fix ('decode_inconsistent_utf8', which on DOS
    mojibake repairs the wrong pieces) only when it lowers that count.  ftfy's badness
    alone misses 'LÃ¥nepulje' ('Ã¥' is not flagged), hence the whole-line re-reading."""
    if line.isascii():
        return line, None
    before = badness(line)
    candidates: list[tuple[int, bool, str, str]] = []
    for codepage in _CODE_PAGES:
        try:
            decoded = line.encode(codepage).decode("utf-8")
        except UnicodeError:
            continue
        name = _CODEC_NAMES.get(codepage, codepage)
        candidates.append((badness(decoded), False, decoded, f"UTF-8 read as {name}"))
    if before:
        fixed, plan = fix_encoding_and_explain(line, _FTFY_CONFIG)
        piecewise = not any(action == "encode" for action, _ in plan or [])
        candidates.append((badness(fixed), piecewise, fixed, _cause(plan or [])))
    accepted = [
        c for c in candidates
        if c[2] != line and _plausible(line, c[2]) and (c[0] < before or not c[1])
        and c[0] <= before
    ]  # fmt: skip
    if not accepted:
        return line, None
    _, _, best, cause = min(accepted, key=lambda c: c[:2])
    return best, cause


def _plausible(line: str, fixed: str) -> bool:
    """True when every character a repair brings in is a Latin-1 character or one of the
    signs Windows-1252 adds ('–', '“', '€', '…'): what Danish text is written in.

    A line of correct Danish whose odd pair happens to be valid UTF-8 in some code page
    yields something else ('”Ældre' read as Mac Roman -> 'Ӯldre', 'TRÆ«' -> 'TRƫ',
    'PÅ“' -> 'Pœ'), which ftfy's badness alone would count as an improvement.  The price:
    a garbled name with a letter Latin-1 lacks ('Å¡' for 'š') is left as it is."""
    for char in set(fixed) - set(line):
        if ord(char) > 0xFF and (unicodedata.category(char)[0] == "L" or not _in_cp1252(char)):
            return False
    return True


def _in_cp1252(char: str) -> bool:
    try:
        char.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _cause(plan: Sequence[tuple[str, str]]) -> str:
    """What went wrong upstream, in words, from ftfy's explanation of its fix."""
    encoded = [p for action, p in plan if action == "encode"]
    decoded = [p for action, p in plan if action == "decode"]
    if encoded and decoded and decoded[0] == "windows-1252":
        return f"cp1252 read as {encoded[0]}"
    if encoded:
        return f"UTF-8 read as {_CODEC_NAMES.get(encoded[0], encoded[0])}"
    return "UTF-8 read as cp1252 in part"


def repair_json(data: bytes) -> tuple[bytes, str | None]:
    """A FirstAgenda export with its strings' mojibake repaired -> (bytes, warning or None).

    The FirstAgenda reader builds its text and spans from the JSON strings themselves, so
    the repair (:func:`repair_lines`) is done on those strings before it reads them; the
    bytes come back untouched when nothing is repaired or the file is not JSON (the reader
    then reports the problem as always).  Repaired bytes are written ASCII-escaped, which
    keeps every string (even a lone surrogate) as it was parsed."""
    if data.isascii() and b"\\u" not in data:
        return data, None  # no character that could be mojibake
    causes: dict[str, int] = {}
    try:
        fixed = _repair_strings(json.loads(data), causes)
    except (ValueError, RecursionError):
        return data, None
    if not causes:
        return data, None
    return json.dumps(fixed).encode("ascii"), repair_warning(causes)


def _repair_strings(value: Any, causes: dict[str, int]) -> Any:
    """``value`` with every string in it (not the keys) repaired; causes counted."""
    if isinstance(value, str):
        return repair_lines(value, causes)
    if isinstance(value, list):
        return [_repair_strings(v, causes) for v in value]
    if isinstance(value, dict):
        return {k: _repair_strings(v, causes) for k, v in value.items()}
    return value


def read_repaired_firstagenda(
    path: Path, data: bytes, *, keep_closed: bool = False
) -> tuple[Document, Meeting]:
    """:func:`ingest.firstagenda.read_firstagenda` of the export with its strings repaired
    (``repair_json``); the Document's and the Meeting's warnings say what was repaired."""
    from .firstagenda import read_firstagenda

    data, repaired = repair_json(data)
    doc, meeting = read_firstagenda(path, data, keep_closed=keep_closed)
    if repaired:
        doc.warnings.append(repaired)
        meeting = replace(meeting, warnings=meeting.warnings + (repaired,))
    return doc, meeting
