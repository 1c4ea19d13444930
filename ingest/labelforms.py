"""Section label forms that extend a known label: a second area after a comma, a
decision label whose date the conversion lost, and a decision stamp with a colon inside.

* 'Lovgrundlag, politikker': a known label ('Lovgrundlag') followed by a comma and one
  lower-case word that names what else the section covers; it has the known label's role.
  A dash in place of the comma ('Lovgrundlag – link': the section holds a link to the
  law) is the same form.
  A longer tail ('Finansiering, kasseopbygning og likviditet') is a subheading inside a
  section, as a web archive prints them under 'Økonomiske konsekvenser', not a label.
* 'Beslutning Økonomiudvalget den': the decision label naming the body and the date word
  whose date a PDF's text layer dropped (as 'Beslutning Direktionen den 6. september
  2018' without the date).
* 'BESLUTNING: Social-, Sundheds- og Arbejdsmarkedsudvalget den 11-01-2021': the decision
  word, a colon, and the body that decided with the date, the whole line a label (the
  stamp of 'Beslutning Kommunalbestyrelsen den 24-04-2019' with the colon a web page sets
  after its upper-case label words).  Only a body's name and a full date may follow the
  colon: 'Beslutning: Godkendt den 3. maj 2024' is the decision's text after its label.
* 'Besluttet på Integrationsrådet den 02-11-2011 som punkt 1': the participle of deciding
  or treating, the body (the whole of the name) with 'på'/'i', a full date and perhaps the
  item's number in that meeting: the stamp over what that body decided.
"""

from __future__ import annotations

import re

from .bodies import guess_committee
from .danish import squash

_COMPOUND_RE = re.compile(r"^([^,]{3,40}?)(?:,|\s[-–])\s+[a-zæøå][a-zæøå-]*$")
_DATE_LOST_RE = re.compile(r"^[\wæøå][\wæøå.,\- ]{0,50}?\s+(?:den|d\.)$", re.IGNORECASE)


def compound_head(text: str) -> str:
    """The known label a compound label opens with ('lovgrundlag, politikker' or
    'lovgrundlag – link' -> 'lovgrundlag'); '' when ``text`` is no such label."""
    m = _COMPOUND_RE.match(text)
    return m.group(1) if m else ""


def date_lost(tail: str) -> bool:
    """True for a decision label's tail that names the body and ends on the date word
    whose date is lost ('økonomiudvalget den')."""
    return bool(_DATE_LOST_RE.match(tail))


_COLON_STAMP_RE = re.compile(
    r"^(?:beslutning|afgørelse)\s*:\s*(?P<body>[^:]{3,70}?)\s+(?:den\s+|d\.\s*)?"
    r"(?:\d{1,2}\.\s*[a-zæøå]+\.?\s*\d{4}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))$",
    re.IGNORECASE,
)


def colon_stamp(label: str) -> bool:
    """True for a decision stamp with a colon after the decision word whose tail is a
    body's name (the whole of it) and a full date ('BESLUTNING: Økonomiudvalget den
    11-01-2021'); False for a decision's text after its label ('Beslutning: Sagen sendes
    til Byrådet den 3. maj 2024')."""
    m = _COLON_STAMP_RE.match(squash(label).rstrip(":."))
    if m is None:
        return False
    named = guess_committee(m.group("body"))
    return named is not None and named.casefold() == m.group("body").casefold()


_PARTICIPLE_STAMP_RE = re.compile(
    r"^(?:besluttet|behandlet)\s+(?:på|i)\s+(?P<body>[^:]{3,70}?)\s+(?:den\s+|d\.\s*)?"
    r"(?:\d{1,2}\.\s*[a-zæøå]+\.?\s*\d{4}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))"
    r"(?:\s+(?:som\s+)?(?:punkt|pkt\.?)\s*(?:nr\.?\s*)?\d{1,4})?$",
    re.IGNORECASE,
)


def participle_stamp(label: str) -> bool:
    """True for a body's dated stamp opened by a participle ('Besluttet på Integrationsrådet
    den 02-11-2011 som punkt 1'), the body's whole name between 'på'/'i' and the date;
    False for a sentence ('Besluttet på mødet den 3. maj 2024')."""
    m = _PARTICIPLE_STAMP_RE.match(squash(label).rstrip(":."))
    if m is None:
        return False
    named = guess_committee(m.group("body"))
    return named is not None and named.casefold() == m.group("body").casefold()
