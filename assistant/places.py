"""Which municipality a meeting's document is of, as far as the document says it.

An archive that mixes municipalities holds bodies of the same name ('Økonomiudvalget' of
Middelfart and of Ringkøbing-Skjern, 'Kommunalbestyrelsen' of three towns).  A question
that names the municipality ('Økonomiudvalget i Middelfart', "Ringkøbing-Skjern's Finance
Committee") is answered from that municipality's documents, and refused when the archive
holds none of them while the best evidence is another municipality's.

A document is of a place when its address names it (an archive files a page under its
town: 'hjortsoe.dk/...', 'hjortsø/2023/...') or the municipality its text names most is
that place ('Middelfart Kommune' on its pages); it is of another place when its text names
another municipality most and its address not this one; else it says nothing.  Everything
here is read from the index: no list of municipalities.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from .bodies import BODY_WORD, council_place, folded, is_no_place
from .mentions import MUNICIPALITY_RE

if TYPE_CHECKING:
    from ingest.models import Meeting

_HOME_SHARE = 0.5
"""The municipality a document names most is its own only when it has at least this share
of the municipalities it names (a regional paper naming nineteen is of none of them)."""
_HOME_MENTIONS = 2
"""... and names it more than once: a page naming one municipality once names where the
meeting was held ('i Herning Kommune, Torvet 5') as often as whose it is."""
_PLACE = r"[A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?"
_OWNER_BEFORE_RE = re.compile(
    # "Ringkøbing-Skjern's Finance Committee", "Stevns' Social and Health committee",
    # 'Middelfarts Økonomiudvalg', 'Albertslund Kommunes Børne- og Skoleudvalg',
    # 'Fredensborg Økonomiudvalgs', 'Fredensborg Finance
    # Committee' (without a genitive only capitalised words between)
    # (not 'the Culture and Leisure Committee': a word after 'and' is part of the name)
    rf"(?<![\wæøåÆØÅ-])(?<!and )(?<!og )(?<!& )(?<!, )({_PLACE})"
    rf"(?:(?:\s+Kommunes|\s+Municipality['’]s|['’]s?|s)\s+(?:[\w&-]+\s+){{0,5}}?"
    rf"|\s+(?:[A-ZÆØÅ][\w&-]*\s+){{0,4}}?){BODY_WORD}(?![\wæøå])"
)
_OWNER_AFTER_RE = re.compile(
    # 'Økonomiudvalget i Middelfart', 'the Finance Committee of Middelfart'
    # (not 'the Committee for Regional Development': a name goes on in capitals)
    # (not 'Udvalget for Teknik og Miljø': 'for' names what a committee is for)
    rf"\b{BODY_WORD}\s+(?:i|in|of)\s+({_PLACE})(?![\wæøå])(?!\s+[A-ZÆØÅ])"
)


def question_places(text: str) -> tuple[str, ...]:
    """The places a question names as the owner of a body ('Økonomiudvalget i Middelfart',
    "Ringkøbing-Skjern's Finance Committee", 'Stevns Kommunalbestyrelse'); whether each is
    a municipality the archive knows is :meth:`PlaceIndex.known`'s to say."""
    found = [council_place(text)]
    found += [m.group(1) for r in (_OWNER_BEFORE_RE, _OWNER_AFTER_RE) for m in r.finditer(text)]
    # a region ('Region Vestland's committee') is no municipality: its pages name the
    # municipalities it meets in, and its bodies are named with it ('Regionsrådet, Region X')
    regions = {m[1] for m in re.finditer(rf"\bRegion\s+({_PLACE})", text)}
    return tuple(dict.fromkeys(p for p in found if p and not is_no_place(p) and p not in regions))


def names_place(place: str, text: str) -> bool:
    """True when ``text`` names ``place`` as a word, in either spelling of Danish letters."""
    return any(re.search(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])", t)
               for p, t in zip(folded(place), folded(text), strict=True))


class PlaceIndex:
    """The place each meeting is of, read from its address and the municipalities its pages
    name, on first need."""

    def __init__(
        self,
        meetings: Callable[[], Iterable[Meeting]],
        mentions: Callable[[str], Mapping[str, int]],
        address: Callable[[Meeting], str],
    ) -> None:
        """``mentions``: the municipalities a meeting's pages name, by its id
        (:mod:`.mentions`); ``address``: where a meeting's document is filed."""
        self._meetings = meetings
        self._mentions = mentions
        self._address = address
        self._homes: dict[str, str | None] = {}
        self._filed: dict[str, bool] = {}

    def home(self, meeting: Meeting) -> str | None:
        """The municipality ``meeting``'s text names most, when it has the greater share of
        those it names ('Middelfart'); None when it names none or several alike."""
        if meeting.meeting_id not in self._homes:
            named = MUNICIPALITY_RE.search(meeting.body or "")  # 'Byrådet, Hjørring Kommune'
            counts = Counter(self._mentions(meeting.meeting_id))
            top = counts.most_common(1)
            share = top[0][1] / sum(counts.values()) if top else 0.0
            home = top[0][0] if share > _HOME_SHARE and top[0][1] >= _HOME_MENTIONS else None
            self._homes[meeting.meeting_id] = named.group(1) if named else home
        return self._homes[meeting.meeting_id]

    def of(self, meeting: Meeting, place: str) -> bool | None:
        """True when ``meeting`` is of ``place`` (its address or its own municipality names
        it), False when it is of another municipality, None when it does not say."""
        if names_place(place, self._address(meeting)):
            return True
        home = self.home(meeting)
        if home is None:
            return None
        return names_place(place, home)

    def known(self, place: str, items: Iterable[Meeting]) -> bool:
        """True when the archive files documents under ``place`` or one of ``items`` (the
        results) is of it by its own text: a name the question uses as an owner that is no
        municipality of the archive ('Copenhagen' of an archive that writes 'København', a
        party, a district) is no place to hold the question to."""
        return self.files(place) or any(names_place(place, self.home(m) or "") for m in items)

    def first(
        self, places: Sequence[str], items: list[Meeting], bodies: Sequence[str] = ()
    ) -> list[int]:
        """The order that puts the named bodies' meetings of ``places`` first, then theirs
        that do not say their place, then other municipalities' (stable within each); a
        meeting of another body than the ``bodies`` named keeps its place after them."""
        def rank(n: int) -> int:
            if not _of_bodies(items[n], bodies):
                return 3
            said = [self.of(items[n], p) for p in places]
            return 0 if any(said) else 1 if None in said else 2

        return sorted(range(len(items)), key=rank)

    def held_nowhere(
        self, place: str, items: Sequence[Meeting], bodies: Sequence[str] = ()
    ) -> bool:
        """True when ``place`` is known and none of ``items`` (of the ``bodies`` named, when
        any) is of it: each is of another municipality - or, when the archive files
        documents under ``place``, does not say it is of ``place``."""
        if not self.known(place, items):
            return False
        # a document that does not say is this place's only where the archive does not
        # file this place's documents under its name
        could_be = (True,) if self.files(place) else (True, None)
        return not any(self.of(m, place) in could_be for m in items if _of_bodies(m, bodies))

    def files(self, place: str) -> bool:
        """True when the archive files documents under ``place`` (its addresses name it):
        its documents of ``place`` say so, and one that does not say is another's."""
        if place not in self._filed:  # every address read once per place asked about
            self._filed[place] = any(names_place(place, self._address(m))
                                     for m in self._meetings())
        return self._filed[place]


def _of_bodies(meeting: Meeting, bodies: Sequence[str]) -> bool:
    """True when ``meeting`` may be of one of ``bodies`` (any, when none is named; a
    document that prints no body may be any; 'Udvalget for teknik og miljø, Vejen Kommune'
    is an 'Udvalget for Teknik og Miljø')."""
    if not bodies or meeting.body is None:
        return True
    own = meeting.body.lower()
    return any(own.startswith(b.lower()) or b.lower().startswith(own) for b in bodies)
