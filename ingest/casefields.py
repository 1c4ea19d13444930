"""Lines of an item's case block that are no text of the item.

Between an item's heading and its first label, web and ESDH layouts print fields of the
case around its number: its open status alone ('Åbent', 'Åben sag'), the caseworker's
initials as a caption in one cell over its value in the next ('Initialer' / 'NIB'), a
routing line that ends in the id the register gave the document ('Forretningsudvalget
2018-2021 Brevid: 4251204').  None of them starts the item's unlabelled text.  A closed
status ('Lukket punkt') is not among them: it closes the item (``parser._close``).
"""

from __future__ import annotations

import re

_OPEN_STATUS_RE = re.compile(r"^åben(?:t)?(?:\s+(?:punkt|sag))?\.?$", re.IGNORECASE)
_INITIALS_CAPTION_RE = re.compile(r"^(?:sags)?initialer\s*:?$", re.IGNORECASE)
_DOCUMENT_ID_RE = re.compile(
    r"(?<![\wæøå])(?:brev|dokument|dok\.?)\s?-?id\.?\s*:\s*\d{3,}$", re.IGNORECASE
)


def is_case_field_line(clean: str) -> bool:
    """True for a case block's field line under an item's heading ('Åbent', 'Initialer',
    '... Brevid: 4251204'), which is not the item's text."""
    return bool(
        _OPEN_STATUS_RE.match(clean)
        or _INITIALS_CAPTION_RE.match(clean)
        or (len(clean) <= 120 and _DOCUMENT_ID_RE.search(clean))
    )
