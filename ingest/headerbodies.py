"""Bodies a header names without a capitalised body name.

Two ways a header names its body that the committee reader (``bodies``), which looks for a
capitalised body word, does not see:

* the title line prints the body in lower case between the type word and the date, as a
  sentence would ('Referat byrådet 31. oktober 2018', 'Dagsorden for mødet i vækstforum
  den 5. april 2006'): what stands between them is the body when, capitalised, all of it
  is a body's name;
* the body is named only by the meeting word compounded with it ('Kommisionsmøde
  18-02-2020', 'Bestyrelsesmøde i Sydtrafik', 'Referat af bestyrelsesmøde den ...'): the
  meeting of the board is the board's ('Bestyrelsen').  The compound's head must be a
  noun for a body (a 'Temamøde' or 'Informationsmøde' is no body's), given in the
  definite form its gender takes ('bestyrelse' -> 'Bestyrelsen', 'byråd' -> 'Byrådet').
  A word for a kind of body that names none alone ('Udvalgsmøde', 'Rådsmøde') counts only
  inside a compound that names which ('Kontaktrådsmøde' -> 'Kontaktrådet').  A doubled
  consonant written single is the same word ('Kommisionsmøde', 'kommission').

Both are read only where nothing else names the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .bodies import canonical_body, guess_committee
from .danish import find_dates, squash

_TYPE_THEN_LOWER_RE = re.compile(
    r"^(?i:dagsorden|referat|mødereferat|beslutningsreferat|beslutningsprotokol|protokol)"
    r"(?:\s+(?:for|fra|til))?(?:\s+mødet\s+i)?\s+(?P<name>[a-zæøå][\wæøå,\- ]{2,80}?)"
    r"\s+(?=(?:den\s+|d\.\s*)?\d)"
)


def lower_case_body(head: Sequence[str]) -> str | None:
    """The body a title line prints in lower case between its type word and its date
    ('Referat byrådet 31. oktober 2018' -> 'Byrådet'), else None."""
    for line in head:
        line = squash(line)
        m = _TYPE_THEN_LOWER_RE.match(line)
        if m is None:
            continue
        dates = find_dates(line[m.end() :])
        if not dates or dates[0].iso is None or line[m.end() : m.end() + dates[0].start].strip(
            " ."
        ).lower() not in ("", "den", "d"):
            continue
        name = m.group("name")
        named = name[:1].upper() + name[1:]
        if (guess_committee(named) or "").casefold() == named.casefold():
            return canonical_body(named)
    return None


_BODY_NOUNS: dict[str, tuple[str, bool]] = {
    "bestyrelse": ("n", True), "byråd": ("et", True), "kommission": ("en", True),
    "direktion": ("en", True), "repræsentantskab": ("et", True), "styregruppe": ("n", True),
    "udvalg": ("et", False), "råd": ("et", False), "nævn": ("et", False),
    "netværk": ("et", False), "panel": ("et", False), "forsamling": ("en", False),
    "komité": ("en", False),
}  # fmt: skip
"""A noun for a body -> (its definite ending, whether it names a body alone)."""
_MEETING_WORD_RE = re.compile(r"(?<![\wæøåÆØÅ])([A-ZÆØÅa-zæøå][a-zæøåé]+?)s?møde(?![\wæøå])")


def _single(word: str) -> str:
    """``word`` with each doubled letter written once ('kommission' -> 'komision')."""
    return re.sub(r"(.)\1", r"\1", word)


def _definite(stem: str) -> str | None:
    """'Bestyrelsen' for 'bestyrelse', 'Kontaktrådet' for 'kontaktråd'; None for a stem
    whose head is no body noun, or a bare kind of body ('udvalg')."""
    low = _single(stem.lower())
    for noun, (ending, alone) in _BODY_NOUNS.items():
        if low.endswith(_single(noun)) and (alone or len(low) > len(_single(noun))):
            return stem[:1].upper() + stem[1:].lower() + ending
    return None


def meeting_word_body(lines: Sequence[str]) -> str | None:
    """The body named only by a meeting word in ``lines`` ('Kommisionsmøde 18-02-2020' ->
    'Kommisionen', 'Referat af bestyrelsesmøde den ...' -> 'Bestyrelsen'), else None."""
    for line in lines:
        for m in _MEETING_WORD_RE.finditer(line):
            if (body := _definite(m.group(1))) is not None:
                return body
    return None


def header_body(head: Sequence[str], front: Sequence[str]) -> str | None:
    """The body the header names in lower case or by its meeting word (the header first,
    then the first page's text above the first item), else None."""
    return lower_case_body(head) or meeting_word_body(head) or meeting_word_body(front)
