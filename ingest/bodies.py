"""Which body (committee, network, council) a meeting document belongs to.

``BODY_ALIASES`` maps how a body is written in document headers (lower-cased) to its
canonical name; add a row to support another body.  ``canonical_body`` also knows the
five KKRs generically ("KKR NORDJYLLAND" -> "KKR Nordjylland") and, for bodies nobody has
registered, falls back to the committee named in the header ("Dagsorden for
Økonomiudvalget, Aarhus Kommune" -> "Økonomiudvalget, Aarhus Kommune"), so an unseen
municipality's documents still parse.
"""

from __future__ import annotations

import re

BODY_ALIASES: dict[str, str] = {
    "kkr midtjylland": "KKR Midtjylland",
    "kkr-midtjylland": "KKR Midtjylland",
    "kommunekontaktråd midtjylland": "KKR Midtjylland",
    "kommunekontaktrådet i midtjylland": "KKR Midtjylland",
    "kd-net": "KD-Net",
    "kdnet": "KD-Net",
    "kommunaldirektørnetværket i den midtjyske region": "KD-Net",
    "kommunaldirektørnetværket i midtjylland": "KD-Net",
    "kommunaldirektørnetværket (kd-net)": "KD-Net",
}

KKR_REGIONS = ("Nordjylland", "Midtjylland", "Syddanmark", "Sjælland", "Hovedstaden")

_KKR_RE = re.compile(r"\bKKR[\s-]+(" + "|".join(KKR_REGIONS) + r")\b", re.IGNORECASE)
_COMMITTEE_RE = re.compile(
    r"(?<![\wæøåÆØÅ])([A-ZÆØÅ][\wæøåÆØÅ-]*?"
    r"(?:udvalget|udvalg|rådet|råd|bestyrelsen|bestyrelse|forum|netværket|komitéen|komiteen))"
    r"(?:s)?(?![\wæøå])"
)
_MUNICIPALITY_RE = re.compile(
    r"\b([A-ZÆØÅ][\wæøåÆØÅ-]+ (?:Kommune|Regionskommune)|Region [A-ZÆØÅ]\w+)"
)


def canonical_body(text: str) -> str | None:
    """Return the canonical body named earliest in ``text`` (a document header), or None.

    Registered aliases and the five KKRs win over the committee-name fallback.
    """
    found = _known_body(text)
    if found is not None:
        return found
    return guess_committee(text)


def _known_body(text: str) -> str | None:
    lowered = text.lower()
    hits: list[tuple[int, int, str]] = []
    for alias, name in BODY_ALIASES.items():
        for m in re.finditer(r"(?<![\wæøå])" + re.escape(alias) + r"(?![\wæøå])", lowered):
            hits.append((m.start(), -len(alias), name))
    for m in _KKR_RE.finditer(text):
        hits.append((m.start(), -len(m.group(0)), "KKR " + m.group(1).capitalize()))
    return min(hits)[2] if hits else None


def guess_committee(text: str) -> str | None:
    """Committee name from a header ('Økonomiudvalgets møde' -> 'Økonomiudvalget').

    When the header also names a municipality or region, it is appended
    ("Økonomiudvalget, Aarhus Kommune") so equally named committees stay apart.
    """
    m = _COMMITTEE_RE.search(text)
    if m is None:
        return None
    committee = m.group(1)
    place = _MUNICIPALITY_RE.search(text)
    if place and place.group(1) not in committee:
        return f"{committee}, {place.group(1)}"
    return committee
