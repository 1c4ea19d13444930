"""Where a title ends in run-on text.

A transcript that flattens a PDF page to one line runs titles together where a contents
list lost its numbers ('Budgetopfølgning nr Budgetforslag 2016 med overslagsår Minimering
af ...'), and an item's heading together with its text ('Godkendelse af dagsorden Niels
Erik Kjærgaard anmodede om ...').  Titles and sentences are printed in sentence case, so a
capitalised word inside a title is a name, and a name stands after a preposition ('på Aars
Rådhus', 'for Aarhus Kommunes fond', 'til Vandplanen') or closes the title.  The next
title, or the text, therefore opens with a run of capitalised words ('Budgetforslag', 'Den
Selvejende', 'Niels Erik Kjærgaard') that

* follows a word ending in a lower-case letter or a closing parenthesis ('(kuv)') that is
  no preposition, conjunction or article (no title ends with one: 'på Økonomiudvalgets')
  and ends no name that one opened ('for Aarhus Kommunes fond'),
* and is followed by a word in lower case ('Den Selvejende institution', 'Niels Erik
  Kjærgaard anmodede') or by a number that no capitalised word follows ('Budgetforslag
  2016 med'): the run opens a phrase in sentence case.  A number before a capitalised word
  is a page ('Aars Rådhus 31 Afbud'), which closes the title the run belongs to; a year
  ('Bonusopgørelsen 2007/ Nyt ...') is none.

A run of three or more capitalised words that opens the text is a name ('Samsam Abdikarim
Suber Borle anmoder om ...'), not a one-word title before the next.  After a preposition a
verbal noun with a preposition of its own ('Anmodning om', 'Ændring af') opens the next
title: a name there goes on in capitals or closes the title, so the title before lost the
name it ended with ('... udtræde af Anmodning om ...').

Words in capitals ('EU', 'NATURA', 'CO2-udslip') are acronyms, not capitalised words.  An
abbreviation whose number the transcript lost ('Budgetopfølgning nr') may end a title.
Between an item's title and its text a title may also end in a number ('... den 19. august
2011 Bilag'), and a section label opens the text wherever it stands.
"""

from __future__ import annotations

import re

from .danish import TITLE_STOPWORDS
from .sections import LABEL_WORDS

_ABBREVIATIONS = frozenset({"vedr", "ift", "mv", "mm", "kl", "nr"})
LINKING_WORDS = TITLE_STOPWORDS - _ABBREVIATIONS
"""Prepositions, conjunctions and articles: no title ends with one."""
_WORD_RE = re.compile(r"\S+")
_CAPITALISED_RE = re.compile(r"[A-ZÆØÅ][a-zæøå]")
_ENDS_LOWER_RE = re.compile(r"[a-zæøå)]$")
_LABELS = frozenset(LABEL_WORDS)


def next_title_at(text: str) -> int | None:
    """Offset in ``text`` (a title that runs on into titles without numbers) of the space
    before the second title, or None when the text holds one title."""
    return _run_start(text, after_number=False, labels=False)


def text_at(text: str) -> int | None:
    """Offset in ``text`` (an item's title that runs on into its text) of the space before
    the text, or None when the text is a title only."""
    return _run_start(text, after_number=True, labels=True)


def _run_start(text: str, *, after_number: bool, labels: bool) -> int | None:
    """Offset of the space before the first word of ``text`` that opens a new phrase."""
    matches = list(_WORD_RE.finditer(text))
    words, starts = [m.group() for m in matches], [m.start() for m in matches]
    for k in range(1, len(words)):
        word, before = words[k], words[k - 1]
        if labels and word[:1].isupper() and _is_label(words, k):
            return starts[k] - 1
        if not _CAPITALISED_RE.match(word):
            continue
        ends_title = bool(_ENDS_LOWER_RE.search(before)) or (
            after_number and before.rstrip(".,").isdigit()
        )
        if _verbal_noun_opens(words, k):
            return starts[k] - 1
        if ends_title and before.strip("()").casefold() not in LINKING_WORDS:
            if not _in_name(words, k) and not _opening_run(words, k) and _opens_phrase(words, k):
                return starts[k] - 1
    return None


def _in_name(words: list[str], k: int) -> bool:
    """Word ``k`` goes on with a name that a preposition opened ('for Aarhus Kommunes')."""
    r = k - 1
    while r >= 0 and _CAPITALISED_RE.match(words[r]):
        r -= 1
    return 0 <= r < k - 1 and words[r].casefold() in LINKING_WORDS


_VERBAL_NOUN_RE = re.compile(r"[A-ZÆØÅ][a-zæøå]+(?:ing|else|sion|tion)$")


def _verbal_noun_opens(words: list[str], k: int) -> bool:
    """A verbal noun with its preposition ('Anmodning om', 'Ændring af') after a
    preposition: a name there goes on in capitals or closes the title, so the transcript
    lost the name that closed the title before ('... udtræde af Anmodning om ...')."""
    before = words[k - 1].casefold()
    if before not in LINKING_WORDS or k + 1 >= len(words):
        return False
    return bool(_VERBAL_NOUN_RE.match(words[k])) and words[k + 1] in LINKING_WORDS


def _opening_run(words: list[str], k: int) -> bool:
    """Word ``k`` is inside a run of three or more capitalised words that opens the text
    ('Samsam Abdikarim Suber Borle anmoder om ...'): a title that opens with a name (a
    one-word title before a title of two capitalised words is rarer than a name)."""
    end = 0
    while end < len(words) and _CAPITALISED_RE.match(words[end]):
        end += 1
    return k < end and end >= 3


_YEAR_RE = re.compile(r"(?:19|20)\d\d(?:/\d{0,4})?[.,]?")
"""A year, or a range of years ('2007/08', cut short '2007/'): never a page number."""


def _opens_phrase(words: list[str], k: int) -> bool:
    """The run of capitalised words from word ``k`` goes on in lower case, or with a
    number that is no page (no capitalised word follows it, or a year)."""
    end = k
    while end < len(words) and _CAPITALISED_RE.match(words[end]):
        end += 1
    if end >= len(words):
        return False
    following = words[end]
    if _YEAR_RE.fullmatch(following):
        return True  # 'Bonusopgørelsen 2007/ Nyt ...': a year (a range cut short) is no page
    if following[:1].isdigit():
        return end + 1 < len(words) and not words[end + 1][:1].isupper()
    return following[:1].islower()


def _is_label(words: list[str], k: int) -> bool:
    """A section label (one word or several: 'Bilag', 'Økonomiske konsekvenser') at word
    ``k``, after a word that may end a title."""
    if words[k - 1].casefold() in LINKING_WORDS:
        return False
    for size in (3, 2, 1):
        phrase = " ".join(words[k : k + size]).rstrip(":").casefold()
        if phrase in _LABELS:
            return True
    return False
