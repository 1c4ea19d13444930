"""Section label forms that extend a known label: a second area after a comma, and a
decision label whose date the conversion lost.

* 'Lovgrundlag, politikker': a known label ('Lovgrundlag') followed by a comma and one
  lower-case word that names what else the section covers; it has the known label's role.
  A longer tail ('Finansiering, kasseopbygning og likviditet') is a subheading inside a
  section, as a web archive prints them under 'Økonomiske konsekvenser', not a label.
* 'Beslutning Økonomiudvalget den': the decision label naming the body and the date word
  whose date a PDF's text layer dropped (as 'Beslutning Direktionen den 6. september
  2018' without the date).
"""

from __future__ import annotations

import re

_COMPOUND_RE = re.compile(r"^([^,]{3,40}),\s+[a-zæøå][a-zæøå-]*$")
_DATE_LOST_RE = re.compile(r"^[\wæøå][\wæøå.,\- ]{0,50}?\s+(?:den|d\.)$", re.IGNORECASE)


def compound_head(text: str) -> str:
    """The known label a compound label opens with ('lovgrundlag, politikker' ->
    'lovgrundlag'); '' when ``text`` is no such label."""
    m = _COMPOUND_RE.match(text)
    return m.group(1) if m else ""


def date_lost(tail: str) -> bool:
    """True for a decision label's tail that names the body and ends on the date word
    whose date is lost ('økonomiudvalget den')."""
    return bool(_DATE_LOST_RE.match(tail))
