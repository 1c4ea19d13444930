"""A name the question gives that none of the best items mentions.

'Hvor mange flygtninge skal Randers Kommune modtage i 2024?' is not answered by the item on
the region's refugee numbers when that item never names Randers: the figure asked for is
Randers', and the item states others.  A name here is a capitalised word that does not open
the question (a place, a person, an organisation) which the archive itself writes somewhere
(its stem is in the lexical index): a name the archive never writes is the missing-terms
check's, an English word the archive does not know is no name of its.  Body names are the
body checks' and are left out, as are months and weekdays, and names that fill the
archive's passages (its own town: ``Composition.person_word_idf``).

Only a Danish question that asks for a figure, a date or a person is checked: an English
question names places as English writes them ('Copenhagen', which some Danish page may write
too), and a question about a matter may name what the item calls otherwise.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ingest.danish import MONTH_NAMES, WEEKDAYS

from .query import QueryAnalysis
from .tuning import TUNING

if TYPE_CHECKING:
    from .access import Viewer
    from .search import ItemHit, Retriever

_FACT_KINDS = frozenset({"number", "amount", "date", "person"})
_NAME_RE = re.compile(r"(?<![\w.-])[A-ZÆØÅ][\wæøåÆØÅ]{2,}(?:['’]s)?(?![\w-])")


def question_names(query: QueryAnalysis) -> list[str]:
    """The capitalised words of the question that do not open it or a sentence, outside
    the body names it gives."""
    text = query.masked_bodies()
    found = []
    for m in _NAME_RE.finditer(text):
        before = text[: m.start()].rstrip()
        if not before or before[-1] in ".?!:|\"'(":
            continue
        word = re.sub(r"['’]s$", "", m.group())
        if word.lower() not in MONTH_NAMES and word.lower() not in WEEKDAYS:
            found.append(word)
    return found


def unmentioned_name(query: QueryAnalysis, hits: list[ItemHit], retriever: Retriever,
                     viewer: Viewer, depth: int = 3) -> str:
    """The first name of the question the archive writes but none of the ``depth`` best
    items (their whole text, title and meeting) mentions; '' when there is none."""
    if query.language != "da" or not set(query.kinds) & _FACT_KINDS:
        return ""
    lexical = retriever.lexical
    stem = lexical.analyzer.stem
    vocabulary = lexical.vocabulary if viewer.sees_closed else lexical.open_vocabulary
    names = [(n, stem([n.lower()])[0]) for n in question_names(query)]
    # the archive's own town or region fills its passages: it names the archive, not a
    # place of the question (the same measure tells a person's name from a place's)
    floor = TUNING.answer.person_word_idf
    names = [(n, s) for n, s in names
             if s in vocabulary and s not in retriever.bodies.naming_stems
             and lexical.idf(s, restricted=viewer.sees_closed) >= floor]
    if not names:
        return ""
    said: set[str] = set()
    for hit in hits[:depth]:
        parts = [hit.item.title, hit.meeting.body or "", hit.meeting.location or "",
                 hit.meeting.title or "", retriever.address(hit.meeting)]
        parts += [p.text for p in hit.passages]
        if viewer.sees_closed or not hit.item.closed:
            parts += [s.text for s in hit.item.sections]
        said |= set(lexical.analyzer.tokens(" ".join(parts)))
    return next((n for n, s in names if s not in said), "")
