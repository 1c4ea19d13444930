"""Danish words of the archive that an English question's words are spelled like.

Much of the domain's vocabulary is shared between English and Danish, spelled a little
differently: 'strategy' / 'strategi', 'conference' / 'konference', 'capacity' / 'kapacitet',
'psychiatry' / 'psykiatri'.  BM25 cannot match those for an English question, and the
glossary only knows the words someone wrote into it.  Here both spellings are brought to
one rough sound form (c before e/i is s, other c is k, ph is f, y is i, doubled letters
once ...) and a question word is matched to the archive's stems (the lexical index's
vocabulary) that share all but a few letters at its end.  Everything comes from the
index: a word the archive does not hold is never proposed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

_SPELLINGS = (("ph", "f"), ("th", "t"), ("ch", "k"), ("ck", "k"), ("qu", "kv"), ("x", "ks"),
              ("z", "s"), ("w", "v"), ("y", "i"), ("æ", "e"), ("ø", "o"), ("å", "a"))
_SOFT_C = re.compile(r"c(?=[ei])")
_DOUBLED = re.compile(r"(.)\1")
_WORD = re.compile(r"[a-zæøå]+")

MIN_SHARED = 5
"""Letters a question word and a stem must share from their start (shorter words are too
often look-alikes by chance: 'rate' / 'rat')."""
MAX_WORD_REST = 2
"""Letters of the question word's sound form after the shared start ('klimate' ->
'klima' + 'te')."""
MAX_REST = 3
"""Letters after the shared start, both words together ('mobiliti' / 'mobilitet': 1 + 2;
'position' / 'positivt': 2 + 2 is too many)."""


def sound_form(word: str) -> str:
    """``word`` lower-cased and respelled by the rules both languages share roughly."""
    form = word.lower()
    for written, said in _SPELLINGS:
        form = form.replace(written, said)
    form = _SOFT_C.sub("s", form).replace("c", "k")
    return _DOUBLED.sub(r"\1", form)


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class Cognates:
    """The stems of one archive's vocabulary, looked up by an English word's sound form."""

    def __init__(self, stems: Iterable[str]) -> None:
        self._stems = stems

    @cached_property
    def _by_start(self) -> dict[str, list[tuple[str, str]]]:
        """(sound form, stem) by the sound form's first letters (built on the first
        English question: a Danish-only process never pays for it)."""
        table: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for stem in self._stems:
            if stem.isalpha():
                form = sound_form(stem)
                if len(form) >= MIN_SHARED:
                    table[form[:MIN_SHARED]].append((form, stem))
        return dict(table)

    def of(self, word: str) -> list[str]:
        """The archive's stems spelled like ``word`` (none for a short word)."""
        form = sound_form(word)
        if len(form) < MIN_SHARED or not _WORD.fullmatch(form):
            return []
        found = []
        for other, stem in self._by_start.get(form[:MIN_SHARED], ()):
            shared = _shared(form, other)
            rest = len(form) - shared
            if rest <= MAX_WORD_REST and rest + len(other) - shared <= MAX_REST:
                found.append(stem)
        return sorted(found)
