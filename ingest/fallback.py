"""Last resort before a page becomes one unnumbered item: numbered headings backed by labels.

A page whose items are plainly numbered ('Punkt 571 Title', 'Pkt. 197 Title', '4 : Title',
'- 3) Title') may still miss the skeleton: its heading form or its label form may be one
the strict readers do not know, and the site text around the items (menus, link text,
cookie notices, a list of titles without numbers) hides it further.  Whatever surrounds
them, item headings share one trait a careful reader goes by: each is followed, within a
few lines, by a known section label, whether it stands alone, behind a bullet, before a
colon or glued to its text ('BeslutningGodkendt.'), or by a case number line.  This
module reads such headings leniently, keeps those a label follows before the next
candidate, and returns them in increasing number order (a numbered list inside an item
has no label under each entry, and its numbers do not go on from the item's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .casenumbers import is_case_line
from .sections import LABEL_WORDS, label_name, section_role
from .textlines import Line
from .toc import Heading

LABEL_WINDOW = 6
"""Text lines under a heading within which its first label (or case line) must stand."""
MAX_TITLE_WORDS = 60
_LENIENT_HEADING_RE = re.compile(
    r"^[\s•*#\-]*(?:(?:punkt|pkt\.?|sag(?:\s+nr\.?)?|nr\.?)\s*)?(?P<number>\d{1,4})"
    r"(?P<mark>[.:)]|\s+[-–:])?\s+(?=(?-i:[A-ZÆØÅ]))(?P<title>.+)$",
    re.IGNORECASE,
)
"""'Punkt 571 Title', 'Pkt. 197 Title', '4. Title', '4 : Title', '- 4) Title', 'Sag nr. 4
- Title': a number (after an item word) before a capitalised title."""
MAX_BARE_TITLE_WORDS = 25
"""A number with neither item word nor mark ('1 Erhvervsudvalget Referat Dato ...') heads
a short title only: a longer line is a transcript's page behind its page number."""
_LABEL_START_RE = re.compile(
    r"^[\s•*#\-]*("
    + "|".join(re.escape(w) for w in LABEL_WORDS)
    + r")(?=\s*(?::|$)|(?-i:[A-ZÆØÅ][a-zæøå]))",
    re.IGNORECASE,
)
"""A line that opens with a known label: alone, before a colon, or glued to a capital."""


def labelled_headings(lines: Sequence[Line]) -> list[Heading]:
    """The numbered headings of ``lines`` that a section label or case line follows within
    ``LABEL_WINDOW`` text lines, in increasing number order; [] when there are none."""
    candidates = [(i, m) for i, line in enumerate(lines) if (m := _candidate(line))]
    chain: list[Heading] = []
    for k, (index, m) in enumerate(candidates):
        number = int(m.group("number"))
        if chain and number <= int(chain[-1].number):
            continue
        # the label may stand below a numbered list inside the item ('1. Pris' '2. Areal')
        later = (i for i, n in candidates[k + 1 :] if int(n.group("number")) > number)
        until = next(later, len(lines))
        if _labelled(lines, index + 1, until):
            chain.append(Heading(m.group("number"), m.group("title").strip(), index, strong=False))
    return chain


def _candidate(line: Line) -> re.Match[str] | None:
    if line.blank or len(line.clean) > 400:
        return None
    m = _LENIENT_HEADING_RE.match(line.clean)
    words = len(m.group("title").split()) if m is not None else 0
    if m is None or words > MAX_TITLE_WORDS:
        return None
    marked = m.group("mark") or not line.clean.lstrip(" •*#-")[:1].isdigit()
    if not marked and words > MAX_BARE_TITLE_WORDS:
        return None
    if m.group("title").rstrip().endswith((",", ";")) or label_name(m.group("title")) is not None:
        return None
    return m


def _labelled(lines: Sequence[Line], start: int, until: int) -> bool:
    seen = 0
    for line in lines[start:until]:
        if line.blank:
            continue
        if is_case_line(line) or label_name(line.clean) is not None:
            return True
        m = _LABEL_START_RE.match(line.clean)
        if m is not None and section_role(m.group(1)) is not None:
            return True
        seen += 1
        if seen >= LABEL_WINDOW:
            return False
    return False
