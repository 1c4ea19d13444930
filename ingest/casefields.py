"""Lines of an item's case block that are no text of the item.

Between an item's heading and its first label, web and ESDH layouts print fields of the
case around its number: its open status alone ('Åbent', 'Åben sag'), the caseworker's
initials as a caption in one cell over its value in the next ('Initialer' / 'NIB'), a
routing line that ends in the id the register gave the document ('Forretningsudvalget
2018-2021 Brevid: 4251204'), the case's KLE subject and facet alone
('00.22.04G01').  None of them starts the item's unlabelled text.  A closed
status ('Lukket punkt') is not among them: it closes the item (``parser._close``).
"""

from __future__ import annotations

import re

_OPEN_STATUS_RE = re.compile(r"^åben(?:t)?(?:\s+(?:punkt|sag))?\.?$", re.IGNORECASE)
_INITIALS_CAPTION_RE = re.compile(r"^(?:sags)?initialer\s*:?$", re.IGNORECASE)
_DOCUMENT_ID_RE = re.compile(
    r"(?<![\wæøå])(?:brev|dokument|dok\.?)\s?-?id\.?\s*:\s*\d{3,}$", re.IGNORECASE
)


_KLE_SUBJECT_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}[-\s]?[A-ZÆØÅ]\d{2}$")
"""The KLE subject and facet of the case alone ('00.22.04G01'), printed by its number."""


def is_case_field_line(clean: str) -> bool:
    """True for a case block's field line under an item's heading ('Åbent', 'Initialer',
    '... Brevid: 4251204'), which is not the item's text."""
    return bool(
        _OPEN_STATUS_RE.match(clean)
        or _INITIALS_CAPTION_RE.match(clean)
        or _KLE_SUBJECT_RE.match(clean)
        or (len(clean) <= 120 and _DOCUMENT_ID_RE.search(clean))
    )
