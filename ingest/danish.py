"""Danish text helpers shared by ingest and the assistant: sentence splitting.

Danish administrative prose is full of periods that do not end a sentence: abbreviations
("bl.a.", "jf.", "pkt. 3.1", "2,4 mia. kr.", "d. 1. januar"), ordinals ("3. behandling",
"1. januar 2027") and numbered lists.  ``split_sentences`` keeps those whole and treats
list lines and paragraph breaks as boundaries.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """
    a.h.t alm ang bl.a bl ca d dvs el etc evt ekskl f.eks fx hhv ift iht inkl jf jvf kap
    kl kr m.fl m.m m.v mht mio mia mm mv nr o.a o.l osv p.t pct pga pkt resp s sa.
    stk tlf vedr vha ml mdr md gl sml nuv bilag afd adm dir tidl min max
    jan feb mar apr jun jul aug sep sept okt nov dec man tirs ons tors fre lør søn
    mr mrs dr st no vs e.g i.e etc approx
    """.split()
)
"""Words (lower case, without the final period) after which a period ends no sentence."""

_BOUNDARY_RE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“„(]?[A-ZÆØÅ0-9])")
_LIST_LINE_RE = re.compile(r"^\s*(?:[-•*–]\s+|\d{1,2}[.)]\s+|[a-zæøå][.)]\s+)")
_WORD_BEFORE_RE = re.compile(r"([\wæøåÆØÅ.]+)[.!?][\"”’)]?$")
_MARKER_ONLY_RE = re.compile(r"\s*(?:\d{1,2}|[a-zæøåA-ZÆØÅ])[.)]")
_MIN_CHARS = 4


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, whitespace flattened, fragments dropped.

    A paragraph break or a list line ('- ...', '2) ...', 'a. ...') always starts a new
    sentence; inside a paragraph a period, '!' or '?' ends one when an upper-case letter
    or digit follows, unless the word before is an abbreviation or an ordinal number
    ("den 3. Maj" is rare; "3. behandling" is common and never splits: lower case).
    """
    sentences: list[str] = []
    for block in _blocks(text):
        sentences.extend(_split_block(block))
    return [s for s in sentences if len(s) >= _MIN_CHARS]


def _blocks(text: str) -> list[str]:
    """Paragraphs and list lines, each flattened to one line."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        if _LIST_LINE_RE.match(line) and current:
            blocks.append(" ".join(current))
            current = []
        current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return [re.sub(r"\s+", " ", b).strip() for b in blocks]


def _split_block(block: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(block):
        before = block[start : m.start()]
        if _no_end(before, block[m.end() :]):
            continue
        pieces.append(block[start : m.start()].strip())
        start = m.end()
    pieces.append(block[start:].strip())
    return [p for p in pieces if p]


def _no_end(before: str, after: str) -> bool:
    """True when the period closing ``before`` does not end the sentence."""
    if _MARKER_ONLY_RE.fullmatch(before):
        return True  # '1. Udvalget ...': a list line's number, not a sentence
    m = _WORD_BEFORE_RE.search(before)
    if m is None:
        return False
    word = m.group(1).lower()
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return True
    if "." in word and len(word) <= 6 and not word.replace(".", "").isdigit():
        return True  # 'f.eks', 'm.v', 'o.l' and other dotted abbreviations
    if word.isdigit() and len(word) <= 2 and after[:1].isdigit():
        return True  # 'den 1. 2. og 3. april' - enumerated days
    if len(word) == 1 and word.isalpha() and word.isupper() is False:
        return True  # a lone letter: 'd. 1.', 's. 4'
    return False
