"""Every ranking, refusal and answer-composition constant, in one place.

The figures were set on the tuning questions (``../shared/eval/dev.jsonl`` over the samples
and the tuning sets of ``eval/README.md`` over real archives) and checked on that file's
held-out sets, never tuned on; the measurements behind each are in docs/BENCHMARKS.md
("Answers ..." sections).  Nothing here names a body,
a meeting or a topic: these are weights of kinds of evidence.

Code reads them through :data:`TUNING`; an experiment (or a test) swaps in another
``Tuning`` with :func:`dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ranking:
    """How chunks and items are scored (:mod:`assistant.search`)."""

    dense_candidates: int = 200
    """Chunks asked of the dense index per question."""
    lexical_candidates: int = 1000
    """BM25 candidates grouped per question beside the dense ones (bounded work at scale)."""
    exact_search_max: int = 150_000
    """Up to this many chunks an unfiltered dense search is exact, in memory (a filtered one
    always is): 2 / 8 / 12 ms at 51k / 100k / 150k chunks on 2 cores, against HNSW's 2-4 ms,
    but exact, and a cold process then never opens Chroma to answer (docs/BENCHMARKS.md,
    "Cold ask")."""
    lexical_weight: dict[str, float] = field(default_factory=lambda: {"da": 0.06, "en": 0.04})
    """BM25's share by question language: Danish questions share words with the documents,
    English ones only their names, glossary terms and the words spelled alike
    (:mod:`assistant.cognates`; with those, 0.04 over 0.02: docs/BENCHMARKS.md)."""
    lexical_weight_other: float = 0.03
    body_match_bonus: float = 0.012
    body_mismatch_penalty: float = 0.03
    date_match_bonus: float = 0.025
    date_mismatch_penalty: float = 0.02
    decision_section_bonus: float = 0.01
    minutes_bonus_for_decisions: float = 0.008
    second_passage_weight: float = 0.15
    title_year_bonus: float = 0.01
    """Added to an item whose title carries a year the question names; taken off one whose
    title carries only other years."""
    max_items_per_meeting: int = 2
    """Items of one meeting before items of other meetings get their turn (one long meeting
    must not crowd out the others); not applied when the question names the meeting."""


@dataclass(frozen=True)
class Refusal:
    """When the archive cannot answer (:mod:`assistant.noanswer`, :mod:`assistant.bodies`)."""

    missing_term_dense_floor: float = 0.88
    """A Danish question whose content words are missing from the archive is accepted only
    when the dense match is at least this strong."""
    same_body: float = 0.845
    """Cosine (query vs passage) at or above which an English body name and a held body's
    Danish name are the same body."""
    other_body: float = 0.835
    """Below this the English body name is a body the archive lacks; between the two the
    name is left alone."""
    max_listed: int = 12
    """Bodies named in a refusal that says a named body is not in the archive."""
    nearest_meetings: int = 5
    """Held meetings named when a question names a meeting date the archive lacks."""
    topic_items_ahead: int = 60
    """An English question's topic alone finds at least this many items nearer to it than
    the best item: the item was found by the question's frame (:mod:`assistant.topic`)."""
    flat_ranking_gap: float = 0.015
    """... and the best item's fused score is within this of the item ``flat_ranking_depth``
    places below it: no item stands out."""
    flat_ranking_depth: int = 4
    role_evidence_depth: int = 10
    """Results a who-holds-this-role question searches for the sentence that states it."""


@dataclass(frozen=True)
class Composition:
    """How the answer line is chosen (:mod:`assistant.compose`, :mod:`assistant.answer`)."""

    type_bonus: float = 0.35
    """Added to a sentence that holds the kind of answer the question expects (0..1 scale)."""
    person_word_idf: float = 3.0
    """A name holds a person only when each of its words is in at most ~5 % of the archive's
    passages (idf >= this): a district of the archive's own town or its region's name fill
    the archive's passages, a person's name does not."""
    rank_penalty: float = 0.12
    """Taken off per result rank below the first: lower results must be clearly better."""
    keep_ratio: float = 0.35
    """Further sentences are kept when they score at least this share of the best one (0.5
    kept only the sentence that restates a Danish question, not the next one that answers
    it: docs/BENCHMARKS.md, eighth session)."""
    kind_keep_ratio: float = 0.25
    """A sentence holding a kind of answer the question asks for and no chosen sentence
    holds (the date of 'who ..., and until when?') joins when it scores this share of the
    best."""
    fresh_keep_ratio: float = 0.3
    """The same for a sentence holding question words no chosen sentence holds."""
    covered_share: float = 0.5
    """Weight of question words an already chosen sentence holds, for the next choice."""
    favoured_bonus: float = 0.15
    """Added to a related sentence of a recorded decision: minutes say there what was done."""
    meaning_weight: float = 0.6
    """Weight of a sentence's closeness in meaning to the question (0..1 within candidates)."""
    meaning_type_floor: float = 0.6
    """A sentence this close in meaning (0..1) earns the answer-type bonus without shared
    words."""
    max_list_lines: int = 8
    """Entries a list brings along at most."""
    max_list_entry: int = 80
    """A line after a list's introduction is an entry when it is this short or marked."""
    answer_sentences: int = 4
    """Sentences in an answer line that is not a decision (with the list lines they bring)."""
    decision_sentences: int = 3
    """Sentences of a decision (or recommendation) quoted in the answer line."""
    whole_decision_chars: int = 600
    """A recorded decision up to this long is quoted whole in a 'what was decided' answer."""
    decision_note_sentences: int = 2
    """Sentences of the quoted item's decision added after the facts when they lack it."""
    terse_decision: int = 60
    """A decision shorter than this (characters) gets two supporting sentences, not one."""
    fact_sentences: int = 6
    """Sentences from outside an item's retrieved passages that may answer a figure, date
    or name question (those sharing most of its words)."""
    passages_per_item: int = 3
    """An item's result text: its best passages, up to this many, in rank order (chosen
    among all of the item's chunks: :meth:`assistant.search.Retriever.search`)."""
    top_passages: int = 5
    """The same for the first result, which the answer is mostly drawn from: its evidence
    shown more fully."""
    same_case_depth: int = 5
    """Results searched for other treatments of the top result's case."""
    timeline_limit: int = 25
    """Results a timeline question searches."""
    case_search_limit: int = 40
    """Results searched for a question naming several bodies, so that the best item's other
    treatments (same case number) are found and put right after it."""
    timeline_sentences: int = 2
    """Sentences of each timeline entry at most (the best, and one more only when it adds
    question words the first lacks, as in any answer)."""
    timeline_lines: int = 6
    timeline_relative_floor: float = 0.06
    """A timeline keeps the items scoring within this of the best."""
    change_items_per_meeting: int = 2
    """A change question naming two meetings keeps this many items of each named meeting
    (:mod:`assistant.compare`)..."""
    change_keep_margin: float = 0.015
    """... and, of the meetings between them, the items scoring within this of the best (a
    step of the same matter: in the one such tuning question the treatment between the
    two named meetings scores 0.005 below the best, unrelated items of the named months
    0.03-0.04 below it)."""
    meaning_sentences: int = 16
    """Sentences embedded for meaning per pick at most: the most promising by shared words,
    answer kind, rank and place (16 chosen so gave the English answers of the first 24 in
    reading order, or better; 12 lost some: docs/BENCHMARKS.md)."""
    timeline_meaning_sentences: int = 4
    """The same for each item of a timeline (one sentence per item, up to six items)."""
    # A sentence is judged by its first 200 characters: vectorstore.sentences.SENTENCE_CHARS,
    # where ingest stores the vectors of those prefixes (long ones cost time, add little).


@dataclass(frozen=True)
class Tuning:
    ranking: Ranking = field(default_factory=Ranking)
    refusal: Refusal = field(default_factory=Refusal)
    answer: Composition = field(default_factory=Composition)


TUNING = Tuning()
