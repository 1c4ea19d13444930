"""Is the best item about what an English question asks about?  A check by meaning.

A Danish question's own words are looked up in the archive (:mod:`assistant.noanswer`'s
missing-terms check).  An English question's cannot be: the documents are Danish, and no
translation may decide a refusal (the glossary only boosts the search).  So a question on a
matter the archive never treats ('a ferry service', 'stray cats') is answered from the item
nearest to its frame ('What did the City Council decide about ...'): some broad item of that
body that sits near every such question.

Two signs, both required, tell that near miss from an answer:

* its **topic alone** - the question without its frame: question and function words, intent
  verbs, body names, dates and figures - finds many items nearer to it than the best item
  (``Refusal.topic_items_ahead``): the item was found by the frame, not the topic;
* the full question's **ranking is flat**: the best item's fused score is within
  ``Refusal.flat_ranking_gap`` of the one ``Refusal.flat_ranking_depth`` places below, so no
  item stands out.

Both are counted within one archive and one question (items ahead, a score difference), not
read off a similarity level, which moves with the archive and the question's language.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from bm25s.stopwords import STOPWORDS_EN

from ingest.danish import MONTH_NAMES, STOPWORDS

from .bodies import BODY_WORD
from .query import QueryAnalysis, is_intent_word
from .search import item_key, unit_vector
from .tuning import TUNING

if TYPE_CHECKING:
    from .access import Viewer
    from .search import ItemHit, Retriever

EN_FUNCTION_WORDS = frozenset(
    """
    there their they them these those per among into onto than then also its our your
    each any all some such very can may must shall out up so but if while during after
    before between within without under over again further once here where why both few
    more most other own same too just only
    """.split()
)
"""English words the Danish analyzer keeps but that carry no content (the glossary-less
rest of an English sentence is checked by its figures, dates and names)."""
FRAME_WORDS = frozenset(
    "whom whose much many had his according could might meeting meetings municipality "
    "municipal".split()
)
"""English words of a question's frame that the function-word lists lack (question words,
auxiliaries, 'according to', 'at its meeting', 'the municipality')."""
_NOT_TOPIC = frozenset(STOPWORDS_EN) | EN_FUNCTION_WORDS | STOPWORDS | FRAME_WORDS
_BODY_WORD_RE = re.compile(BODY_WORD)
_TOKEN_RE = re.compile(r"\||[\wæøåÆØÅ][\wæøåÆØÅ'’-]*")


def topic_words(query: QueryAnalysis) -> tuple[str, str]:
    """(the topic's words, the phrase that shows it): the question without its frame, and
    its longest run of topic words as written ('What did the City Council decide about
    subsidising a ferry service from Hjortsø?' -> ('subsidising ferry service Hjortsø',
    'subsidising a ferry service from Hjortsø')); ('', '') when only frame is left."""
    text = query.masked_bodies()
    words: list[str] = []
    runs: list[list[tuple[int, int]]] = [[]]
    for m in _TOKEN_RE.finditer(text):
        word = m.group().rstrip("'’").removesuffix("'s").removesuffix("’s")
        if _is_topic_word(word):
            words.append(word)
            runs[-1].append(m.span())
        elif word == "|" or word.lower() not in _NOT_TOPIC:  # a name, a verb of intent, a date
            runs.append([])
    best = max(runs, key=len)
    if not best:
        return "", ""
    return " ".join(words), query.text[best[0][0]:best[-1][1]]


def _is_topic_word(word: str) -> bool:
    low = word.lower()
    return not (
        low in _NOT_TOPIC or low in MONTH_NAMES or low.isdigit() or len(low) < 2
        or is_intent_word(low) or bool(_BODY_WORD_RE.fullmatch(word)) or word == "|"
    )


def items_nearer(retriever: Retriever, vector: np.ndarray, hit: ItemHit, viewer: Viewer) -> int:
    """How many items (of those ``viewer`` may read) hold a passage nearer to ``vector``
    than ``hit``'s nearest passage."""
    own = retriever.item_rows().get(item_key(hit.meeting.meeting_id, hit.item.number))
    if own is None or not own.size:
        return 0
    sims = retriever.vectors @ unit_vector(vector)
    if not viewer.sees_closed:
        sims[retriever.closed_rows()] = -1.0
    nearer = sims > sims[own].max()
    return int(np.unique(retriever.row_items()[nearer]).size)


def off_topic(query: QueryAnalysis, hits: list[ItemHit], retriever: Retriever,
              viewer: Viewer) -> str:
    """The topic phrase of an English question that ``hits`` do not treat (the two signs
    above); '' when they may."""
    tune = TUNING.refusal
    depth = tune.flat_ranking_depth
    if query.language == "da" or len(hits) <= depth:
        return ""
    if hits[0].score - hits[depth].score >= tune.flat_ranking_gap:
        return ""
    words, phrase = topic_words(query)
    if not words:
        return ""
    vector = retriever.embedder.embed_query(words)
    ahead = items_nearer(retriever, vector, hits[0], viewer)
    return phrase if ahead >= tune.topic_items_ahead else ""
