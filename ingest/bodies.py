"""Which body (committee, network, council) a meeting document belongs to.

``BODY_ALIASES`` (the data file ``body_aliases.json``, extended by the user's own file named
in ``MEETINGS_BODY_ALIASES``) maps how a body is written (lower-cased) to its canonical
name; add a row to support another body.  ``canonical_body`` also knows the
five KKRs generically ("KKR NORDJYLLAND" -> "KKR Nordjylland") and, for bodies nobody has
registered, falls back to the committee named in the header ("Dagsorden for
Økonomiudvalget, Aarhus Kommune" -> "Økonomiudvalget, Aarhus Kommune"), so an unseen
municipality's documents still parse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from .quotednames import quoted_name
from .tables import load_table
from .townnames import hyphenated_name, lists_members, with_town

ALIASES_FILE = Path(__file__).with_name("body_aliases.json")
ALIASES_ENV = "MEETINGS_BODY_ALIASES"


def load_aliases(extra: str | None = None) -> dict[str, str]:
    """The alias table: ``body_aliases.json`` plus the user's file (``MEETINGS_BODY_ALIASES``)."""
    return load_table(ALIASES_FILE, ALIASES_ENV, "body alias", extra)


BODY_ALIASES: dict[str, str] = load_aliases()

KKR_REGIONS = ("Nordjylland", "Midtjylland", "Syddanmark", "Sjælland", "Hovedstaden")

_KKR_RE = re.compile(r"\bKKR[\s-]+(" + "|".join(KKR_REGIONS) + r")\b", re.IGNORECASE)
_BODY_WORDS = (
    r"(?i:udvalget|udvalg|rådet|råd|raadet|raad|bestyrelsen|bestyrelse|forum|netværket|"
    r"netværk|komitéen|komiteen|komité|styregruppen|styregruppe|repræsentantskabet|"
    r"repræsentantskab|borgerrepræsentationen|direktionen|kontaktrådet|kontaktråd|"
    r"forsamlingen|forsamling|nævnet|nævn|panelet|panel)"
)
_LIST_WORD = r"(?![\wæøå]*(?i:udvalg|råd|bestyrelse|nævn))[A-ZÆØÅ][a-zæøå]+"
"""A word of a committee's list of areas that is no body itself ('Teknik' in 'Teknik,
Erhverv, Plan og Miljøudvalget'; 'Kommunalbestyrelsen, Økonomiudvalget og ...' is two)."""
_COMMITTEE_RE = re.compile(
    # 'Teknik- og Miljøudvalget', 'Social-, Sundheds- og Ældreudvalget', 'Børn &
    # Læringsudvalget', 'Teknik, Erhverv, Plan og Miljøudvalget', 'Byrådet'
    r"(?<![\wæøåÆØÅ])((?:[A-ZÆØÅ][\wæøåÆØÅ]*-(?:,\s*[\wæøåÆØÅ]+-)*\s+og\s+|"
    rf"(?:{_LIST_WORD},[ \t]+)+{_LIST_WORD}[ \t]+og[ \t]+|"
    r"[A-ZÆØÅ][\wæøåÆØÅ]*\s+&\s+)?"
    r"[A-ZÆØÅa-zæøå]?[\wæøåÆØÅ-]*?" + _BODY_WORDS + r")"
    r"(?:s)?(?![\wæøå])"
)
_MUNICIPALITY_RE = re.compile(
    r"\b([A-ZÆØÅ][\wæøåÆØÅ-]+ (?:Kommune|Regionskommune)|Region [A-ZÆØÅ][a-zæøå]+)"
)
_ANY_CASE_MUNICIPALITY_RE = re.compile(
    r"(?<![\wæøå])([A-ZÆØÅ][\wæøåÆØÅ-]+)[ \t]*\n?[ \t]*(?<=\s)"
    r"(KOMMUNE|Kommune|KOMMUNIA|Kommunia|REGIONSKOMMUNE|Regionskommune)\b"
)
"""A municipality: its name and the word on one line or wrapped onto the next, never
across a paragraph break ('... afholdt som: Telefonmøde' / '' / 'KOMMUNE QEQERTALIK'); the
word in Danish or, for Greenland's municipalities, Greenlandic ('QEQQATA KOMMUNIA')."""


_SUBJECT_BEFORE_RE = re.compile(r"(?i:vedr\.|vedrørende|angående)[ \t]+$")
"""A municipality after 'vedr.' ('PUNKTER VEDR. VESTHIMMERLANDS KOMMUNE') is what the
items concern, not the body's own."""


def municipality_in(text: str) -> str | None:
    """The first municipality named in ``text`` ('GLOSTRUP KOMMUNE' -> 'Glostrup Kommune'),
    not counting a meeting place ('i Herning Kommune, Torvet 5') or what items concern
    ('vedr. Vesthimmerlands Kommune')."""
    m = next(
        (
            m
            for m in _ANY_CASE_MUNICIPALITY_RE.finditer(text)
            if not _meeting_place(text, m) and not _SUBJECT_BEFORE_RE.search(text, 0, m.start())
            and not lists_members(text, m.start())
        ),
        None,
    )
    if m is None:
        return None
    name = m.group(1)
    if name.isupper():  # 'LYNGBY-TAARBÆK' -> 'Lyngby-Taarbæk'
        name = "-".join(part.capitalize() for part in name.split("-"))
    return f"{name} {m.group(2).capitalize()}"


def is_known_body(name: str) -> bool:
    """True for a body of the alias table or a KKR (these carry no municipality)."""
    return name in BODY_ALIASES.values() or bool(_KKR_RE.fullmatch(name))


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


_BARE_WORDS = frozenset(
    "udvalg udvalget råd rådet nævn nævnet panel panelet forum netværk netværket forsamling "
    "komité komitéen komiteen".split()
)
"""A body word alone is a label ('Udvalg<TAB>Økonomiudvalget'), not a body's name."""
_QUALIFIER_RE = re.compile(
    r"(?P<for>[ \t]+for)?[ \t]+(?P<name>(?:[A-ZÆØÅ][\wæøåÆØÅ&./-]*)"
    r"(?:[ \t]+[A-ZÆØÅ][\wæøåÆØÅ&./-]*){0,3})"
    r"(?:[ \t]*(?:\n|$)|(?(for)(?=[ \t]+(?:den[ \t]+)?\d{1,2}\.?[ \t]*[a-zæøå]{3})|(?!)))"
)
"""The rest of the body's line that names it further: capitalised words up to the line's
end, or after 'for' up to the meeting's date ('Repræsentantskabet for Midttrafik 8. maj
2015')."""
_NOT_QUALIFIER = frozenset(
    "dagsorden referat mødereferat beslutningsprotokol mødedato dato tid sted mødested "
    "deltagere afbud indholdsfortegnelse".split()
)


_PERIOD_RE = re.compile(
    r"[ \t]+(?:19|20)\d\d-(?:(?:19|20)\d\d|\d\d)(?:[ \t]*(?=\n|$)|(?=[ \t]+(?:den|d\.)[ \t]+\d))"
)
"""An election period after the body's name, ending its line or followed by the meeting's
date ('Kommunalbestyrelsen 2022-25 den 3. oktober 2022'): systems that name a committee
per term."""


def _qualifier(text: str, end: int) -> str:
    """The rest of the body's line when it names the body further: 'Bestyrelsen for Kragsø
    Forsyning A/S', 'Beskæftigelsesnetværket Sydvest' (capitalised words up to line end)."""
    if period := _PERIOD_RE.match(text, end):
        return period.group(0).rstrip()  # 'Regionsrådet 2018-2021': the election period
    m = _QUALIFIER_RE.match(text, end)
    if m is None or m.group("name").split()[0].lower() in _NOT_QUALIFIER:
        return ""
    if _MUNICIPALITY_RE.fullmatch(m.group("name")):
        return ""  # 'Økonomiudvalget Aarhus Kommune' is appended as ', Aarhus Kommune'
    return m.group(0).rstrip()


_AREA = r"[\wæøåÆØÅ][\wæøåÆØÅ-]*"
_FOR_AREAS_RE = re.compile(
    rf"[ \t]+for[ \t]+((?!(?:den|de|det|at|mødet)\b){_AREA}"
    rf"(?:[ \t]+(?!(?:og|den|d|kl|i|på|afholdt)\b)[a-zæøå][\wæøå-]*(?=[ \t]*\n))?"
    rf"(?:(?:,[ \t]*|[ \t]+(?:og|&)[ \t]+){_AREA}){{0,4}}"
    rf"(?:[ \t]+(?!(?:og|den|d|kl|i|på|afholdt)\b)[a-zæøå][\wæøå-]*(?=[ \t]*\n))?)"
    r"(?=[ \t]+(?:den|d\.|kl\.|i|på|afholdt)\b|[ \t]*(?:[\n,.:]|$)|['’]s[ \t]+møde\b)"
)
"""The areas a bare body word is named by: 'Udvalget for Teknik og Miljø', 'Udvalget for
Social, Sundhed og Ældre' (up to a date, a time, a place, the line's end or the possessive
"'s møde" an apostrophe sets off); an area of an adjective and a noun ends the line
('Udvalg for regional udvikling', 'Udvalg for natur, miljø og grøn omstilling')."""


_TOWN_BEFORE_RE = re.compile(r"(?<![\wæøå])([A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)[ \t]+$")


def _town_before(text: str, start: int, word: str) -> str:
    """'Aarhus ' for 'Aarhus Byråd': a council named by its town ('Odense Byråd') keeps the
    town, which a bare 'Byråd' (no definite article) needs to name one body."""
    if word.lower() != "byråd":
        return ""
    m = _TOWN_BEFORE_RE.search(text, max(0, start - 40), start)
    if m is None or "\n" in text[m.start() : start] or m.group(1).lower() in _NOT_QUALIFIER:
        return ""
    return m.group(0)


_DEFINITE_NAME_RE = re.compile(
    r"(?<![\wæøåÆØÅ])((?:Det|Den)[ \t]+(?:[\wæøåÆØÅ-]+[ \t]+){0,2}?[\wæøåÆØÅ-]*?"
    r"(?i:udvalg|råd|nævn|forum|bestyrelse|panel))(?![\wæøåÆØÅ])"
)
"""A council named with the definite article and an adjective, the body word in lower
case ('Det fælles landdistriktsråd', 'Det Centrale Handicapråd')."""


_KIND = r"(?:by)?råd|udvalg|nævn|bestyrelser|komitéer"
_KIND_BEFORE_RE = re.compile(rf"(?<![\wæøå])(?i:{_KIND})[ \t]+(?:og|&)[ \t]+$")
_KIND_AFTER_RE = re.compile(rf"[ \t]+(?:og|&)[ \t]+(?i:{_KIND})(?![\wæøå])")


def _kinds_of_bodies(text: str, m: re.Match[str]) -> bool:
    """True when the match is one of two kinds of bodies joined by 'og', each without the
    article ('Byråd og udvalg', 'Råd og Nævn'): a site's menu or section heading over all
    its bodies, not the name of one."""
    if not re.fullmatch(rf"(?i:{_KIND})", m.group(1)):
        return False
    return bool(_KIND_AFTER_RE.match(text, m.end()) or _KIND_BEFORE_RE.search(text, 0, m.start()))


_BODY_FIELD_RE = re.compile(r"^(?:udvalg|forum|mødeforum|organ)[ \t]*:[ \t]*(\S.*)$", re.I)


def labelled_body(head: Sequence[str]) -> str | None:
    """The body a header's caption names ('Udvalg: Byrådet'): the meeting's own field,
    which outranks a body that the site's menu or text names above it."""
    for line in head:
        m = _BODY_FIELD_RE.match(line.strip())
        if m is not None and (body := canonical_body(m.group(1))):
            return body
    return None


def _named_committee(text: str) -> str | None:
    """The first committee name in ``text``: a capitalised body word with the rest of its
    line when that names it further ('Økonomiudvalget', 'Bestyrelsen for Kragsø Forsyning
    A/S'), a bare one with the areas it is for ('Udvalget for teknik og miljø'), or a name
    with the definite article ('Det fælles landdistriktsråd'); a bare word alone is a label
    ('Udvalg:'), not a name."""
    definite = _DEFINITE_NAME_RE.search(text)
    for m in _COMMITTEE_RE.finditer(text):
        if definite is not None and definite.start() < m.start():
            break
        word = m.group(1)
        if not word[:1].isupper() or _kinds_of_bodies(text, m):
            continue
        if word.lower() not in _BARE_WORDS:
            return _town_before(text, m.start(), word) + word + _qualifier(text, m.end())
        areas = _FOR_AREAS_RE.match(text, m.end())
        if areas is not None:
            return f"{word} for {areas.group(1)}"
        if (quoted := quoted_name(text, m.end())) is not None:
            return word + quoted  # 'Udvalget "Læring og Trivsel for Børn og Unge"'
    return definite.group(1) if definite is not None else None


_MEETING_OF_RE = re.compile(
    r"^[ \t]*([A-ZÆØÅ][\wæøåÆØÅ]*(?:,?[ \t]+(?:og|&|[A-ZÆØÅa-zæøå][\wæøåÆØÅ-]*)){0,5}?)s[ \t]+møde"
    r"[ \t]+(?:den|d\.)[ \t]+\d",
    re.MULTILINE,
)
"""A header line '<Name>s møde den <date>': names a committee that carries no body word
('Social og sundheds møde den 17. april 2023'), its areas perhaps listed with commas
('Unge, fritid og idræts møde den 02. april 2024')."""


def guess_committee(text: str) -> str | None:
    """Committee name from a header ('Økonomiudvalgets møde' -> 'Økonomiudvalget').

    When the header also names a municipality or region, it is appended
    ("Økonomiudvalget, Aarhus Kommune") so equally named committees stay apart.
    """
    committee = _named_committee(text)
    if committee is None and (meeting_of := _MEETING_OF_RE.search(text)):
        committee = meeting_of.group(1)
    if committee is None:
        return None
    if committee.isupper():
        committee = committee.capitalize()  # 'BYRÅDET' -> 'Byrådet'

    place = next(
        (
            m
            for m in _MUNICIPALITY_RE.finditer(text)
            if not _meeting_place(text, m) and not lists_members(text, m.start())
        ),
        None,
    )
    if place and place.group(1) not in committee:  # 'Lyngby Taarbæk', 'Middelfart Ældreråd'
        name = hyphenated_name(text, place.group(1))
        return f"{with_town(committee, name, text)}, {name}"
    return committee


def _meeting_place(text: str, m: re.Match[str]) -> bool:
    """A municipality on a line that starts with 'i' is where the meeting was held ('i
    Herning Kommune, Torvet 5' under a region's committee), not the body's own."""
    line_start = text.rfind("\n", 0, m.start()) + 1
    return text[line_start : m.start()].strip().lower() == "i"


_AREAS_LINE_RE = re.compile(r"^[A-ZÆØÅ][\wæøåÆØÅ-]*(?:,? [\wæøåÆØÅ-]+){0,5}$")


def committee_by_areas(head: Sequence[str], text: str) -> str | None:
    """A header line that names a committee by its areas alone ('Forebyggelse og Idræt'
    over the meeting's date, as a site prints its committees), when the document calls
    that committee 'udvalget for <the line>' ('Administrationen indstiller til udvalget
    for Forebyggelse og Idræt'); None when no header line is named so."""
    for line in head:
        line = line.strip()
        if not _AREAS_LINE_RE.match(line) or line.split()[0].lower() in _NOT_QUALIFIER:
            continue
        named = rf"(?i:udvalget|udvalg)[ \t]+for[ \t]+{re.escape(line)}(?![\wæøåÆØÅ])"
        if re.search(named, text):
            return line
    return None
