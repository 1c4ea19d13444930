"""Question -> cited answer: ranked items, decision/proposal fields, extractive summary.

The summary is extractive: sentences taken verbatim from the cited passages, each followed
by its citation marker, framed in the question's language.  A decision question about an
agenda says plainly that no decision is recorded and shows the recommendation.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Protocol

from ingest.chunker import DOC_TYPE_LABEL, UNKNOWN_BODY, format_date, item_label
from ingest.danish import split_paragraphs, split_sentences
from ingest.danish import text_key as _squash_text
from ingest.danish_forms import present_forms

from .access import PUBLIC, Viewer, withheld
from .cases import Treatment, case_key
from .compare import compared_hits
from .compose import Candidate, Meaning, SentencePicker, cite, holds
from .decisionnote import decision_note
from .lexical import Analyzer
from .meaning import SentenceVectors
from .messages import section
from .noanswer import assess_answerable
from .query import QueryAnalysis, analyze, detect_language, within_archive
from .records import Hit
from .roles import role_evidence
from .search import Filters, ItemHit, Retriever
from .spantext import timeline_search_text
from .tuning import TUNING

FACT_KINDS = ("number", "amount", "date", "person")
"""Answer kinds that are one fact: the fact comes first even when a decision is asked about."""
ITEM_SCAN_KINDS = (*FACT_KINDS, "reason", "frequency")
"""Answer kinds looked for in the whole item, not only in its retrieved passages."""
MAX_QUESTION_CHARS = 1000

TEXTS = section("answer")
"""The answer line's frames and refusals by language (assistant/locales/*.toml)."""


@dataclass
class Written:
    """An answer line and who wrote it: "llm" only when its citations were verified;
    ``dropped`` lists the model's sentences that were not shown, with the reason."""

    text: str
    writer: str = "extractive"
    dropped: list[dict[str, str]] = field(default_factory=list)


class Generator(Protocol):
    """Optional answer writer (e.g. an OpenAI-compatible LLM, ``assistant/llm.py``); it gets
    the extractive answer as ``fallback`` and returns it (with a notice) when it fails."""

    def generate(
        self, question: str, results: list[dict[str, Any]], language: str, fallback: str
    ) -> Written: ...


@dataclass
class Answer:
    question: str
    language: str
    intent: str
    no_answer: bool
    answer: str
    results: list[dict[str, Any]]
    timeline: bool = False
    seconds: float = 0.0
    writer: str = "extractive"
    dropped: list[dict[str, str]] = field(default_factory=list)
    hits: tuple[Hit, ...] = ()
    """The results as records (``results`` is their JSON shape, made once from them)."""

    def as_dict(self) -> dict[str, Any]:
        """The `meetings ask --json` contract."""
        return {
            "question": self.question,
            "language": self.language,
            "intent": self.intent,
            "no_answer": self.no_answer,
            "answer": self.answer,
            "results": self.results,
            "writer": self.writer,
            "dropped": self.dropped,
        }


def result_dict(rank: int, hit: ItemHit) -> dict[str, Any]:
    """The JSON shape of one search hit (:meth:`Hit.as_dict` of :meth:`Hit.of`)."""
    return Hit.of(rank, hit).as_dict()


class Assistant:
    """The answering API used by the CLI, the web app and the eval."""

    def __init__(self, retriever: Retriever, generator: Generator | None = None) -> None:
        self.retriever = retriever
        self.generator = generator
        self.analyzer = Analyzer()
        # the word weights of the retriever's current index (it is rebuilt on refresh)
        self.picker = SentencePicker(self.analyzer.tokens, lambda t: retriever.lexical.idf(t))
        self.sentences = SentenceVectors(retriever.embedder, retriever.store.sentences)

    def ask(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        search_text: str | None = None,
        language: str | None = None,
        timeline: bool | None = None,
        viewer: Viewer = PUBLIC,
    ) -> Answer:
        """Answer ``question``: ranked items (one per item), summary, no-answer flag.

        ``timeline=True`` treats any question as a timeline (every item close to the best);
        None decides from the question's wording.  ``viewer`` decides what closed items
        show (:mod:`assistant.access`)."""
        started = time.perf_counter()
        unusable = self._unusable(question, language)
        if unusable is not None:
            return unusable
        query = within_archive(analyze(question, self.retriever.bodies, self.retriever.cognates),
                               *self.retriever.span)
        if timeline is not None:
            query = replace(query, timeline=timeline)
        lang = language or query.language
        limit = max(k, TUNING.answer.timeline_limit) if query.timeline else max(k, 10)
        several = len(query.bodies) > 1 and not query.timeline
        if several:
            limit = max(limit, TUNING.answer.case_search_limit)
        if query.timeline and search_text is None:  # its dates bound it, they are no topic
            search_text = timeline_search_text(question)
        hits = self.retriever.search(query, filters, limit=limit, search_text=search_text,
                                     viewer=viewer)
        if several:
            hits = _case_first(hits)
        found = [h.meeting for h in hits]
        owners = [p for p in query.places if self.retriever.places.known(p, found)]
        if owners:  # 'Økonomiudvalget i Middelfart': Middelfart's documents first
            order = self.retriever.places.first(owners, found, query.bodies)
            hits = [hits[n] for n in order]
        # looked for before cutting to k, so that `--k 1` still finds the stating passage
        evidence = role_evidence(query, hits)
        if evidence is not None:
            # the result that states who holds the asked role is the best answer
            hits.insert(0, hits.pop(evidence[0] - 1))
            evidence = (1, evidence[1])
        if query.timeline and hits:
            floor = hits[0].score - TUNING.answer.timeline_relative_floor
            hits = [h for h in hits if h.score >= floor]
            # a named span ("from November 2024 to September 2025") bounds the timeline
            hits = [h for h in hits if query.in_period(h.meeting.date or "")] or hits
            hits = compared_hits(query, hits)  # 'how did it change between A and B'
        else:
            hits = hits[:k]
        verdict = assess_answerable(query, hits, self.retriever, evidence, viewer)
        records = tuple(Hit.of(i, h) for i, h in enumerate(hits, 1))
        results = [r.as_dict() for r in records]
        if not hits:
            text = TEXTS[lang]["nothing"]
        elif not verdict.answerable:
            text = self._refusal(lang, verdict.reason, hits)
        else:
            text = self._summary(query, lang, hits, evidence, viewer)
            if verdict.unplaced:  # answered from pages that never say their municipality
                body = hits[0].meeting.body or UNKNOWN_BODY
                places = ", ".join(verdict.unplaced)
                text += " " + TEXTS[lang]["unplaced"].format(body=body, places=places)
        written = Written(text)
        if self.generator is not None and hits and verdict.answerable and not query.timeline:
            written = self.generator.generate(question, results, lang, text)
        return Answer(
            question=question,
            language=lang,
            intent=query.intent,
            no_answer=bool(hits) and not verdict.answerable,
            answer=written.text,
            results=results,
            timeline=query.timeline,
            seconds=time.perf_counter() - started,
            writer=written.writer,
            dropped=written.dropped,
            hits=records,
        )

    def case(self, number: str, viewer: Viewer = PUBLIC) -> list[Treatment]:
        """Every treatment of case ``number`` in date order ([] when the archive has none),
        closed items as ``viewer`` may see them."""
        return viewer.treatments(self.retriever.cases.get(case_key(number), []))

    def _unusable(self, question: str, language: str | None) -> Answer | None:
        """An answer without results for a question with no words, or one too long."""
        lang = language or detect_language(question)
        if len(question) > MAX_QUESTION_CHARS:
            text = TEXTS[lang]["too_long"].format(n=len(question), max=MAX_QUESTION_CHARS)
        elif not re.search(r"[^\W\d_]{2,}", question):
            text = TEXTS[lang]["empty"]
        else:
            return None
        return Answer(question=question, language=lang, intent="none", no_answer=True,
                      answer=text, results=[])

    # --- summary ------------------------------------------------------------------
    def _refusal(self, lang: str, why: str, hits: list[ItemHit]) -> str:
        closest = "; ".join(_where(h, lang) + f" {h.item.title}" for h in hits[:3])
        return (
            TEXTS[lang]["no_answer"].format(why=why).strip()
            + " "
            + TEXTS[lang]["closest"].format(items=closest)
        )

    def _summary(
        self,
        query: QueryAnalysis,
        lang: str,
        hits: list[ItemHit],
        evidence: tuple[int, str] | None = None,
        viewer: Viewer = PUBLIC,
    ) -> str:
        """The answer line: what was asked first (the decision, the recommendation, the
        figure, date, person or list), each sentence with its result number.  Word weights
        count only the texts ``viewer`` may see (closed content must not shift them)."""
        t = TEXTS[lang]
        top = hits[0]
        kind = query.kind
        kinds = query.kinds
        idf = partial(self.retriever.lexical.idf, restricted=viewer.sees_closed)
        weights = SentencePicker(self.analyzer.tokens, idf).weights(self._terms(query))
        # shared words pick Danish sentences for a Danish question well and fast; across
        # languages they cannot, so an English question is matched by meaning too
        meaning = self.sentences.meaning(query.text) if lang == "en" else None
        if query.timeline:
            # the best-ranked items enter the timeline (each with a sentence that shares
            # the topic), then they are told in date order
            entries: list[tuple[tuple[str, int], str]] = []
            for n, hit in enumerate(hits, 1):
                picked = self.picker.pick(
                    weights, kind, [(1, _passages_text(hit))],
                    limit=TUNING.answer.timeline_sentences, meaning=meaning,
                    meaning_limit=TUNING.answer.timeline_meaning_sentences,
                )
                if not picked:
                    continue
                sentence = " ".join(c.text for c in picked)
                if hit.decision and _squash_text(hit.decision) not in _squash_text(sentence):
                    told = TUNING.answer.decision_sentences if query.wants_decision else 1
                    note = decision_note(hit.decision, _first_sentences(hit.decision, told))
                    sentence += f" {t['decided']} {note}"
                label = item_label(hit.item.number, hit.item.title)
                entries.append(((hit.meeting.date or "", hit.item.order),
                                f"- {_where(hit, lang)}, {label}: {sentence} [{n}]"))
                if len(entries) >= TUNING.answer.timeline_lines:
                    break
            if not entries:
                return f"{_first_sentences(top.best.text, 2)} [1]"
            return "\n".join([t["timeline"], *(line for _, line in sorted(entries))])
        if withheld(top.item):
            where = _where(top, lang)
            return t["closed"].format(number=top.item.number, title=top.item.title, where=where)
        # "when will the council decide ...?" asks for a date, not for the decision
        decides = kind not in FACT_KINDS
        if decides and (query.wants_decision or (query.intent == "proposal" and top.proposal)):
            line = self._decision_line(query, lang, top, kind, weights, meaning)
            return " ".join([line, *self._same_case_lines(lang, hits)])
        if evidence is not None:  # "who chairs X": the sentence that says so
            return f"{evidence[1]} [{evidence[0]}]"
        texts = [(n, self._answer_text(h, query, weights)) for n, h in enumerate(hits[:3], 1)]
        decisions = [h.decision or "" for h in hits[:3]]
        picked = self.picker.pick(
            weights, kinds, texts, limit=TUNING.answer.answer_sentences, meaning=meaning,
            favoured=decisions,
        )
        if not picked:
            return f"{_first_sentences(top.best.text, 2)} [1]"
        parts = [self._source_frame(lang, hits, picked[0].rank), cite(picked)]
        source = hits[picked[0].rank - 1]
        decided = self._decision_note(lang, source, picked)
        if decided:
            parts.append(f"{decided} [{picked[0].rank}]")
            approved = _approved_recommendation(source) if query.wants_decision else ""
            said = _squash_text(" ".join(c.text for c in picked))
            if approved and _squash_text(approved) not in said:
                # 'how much ... according to the council's decision' and it approved the
                # recommendation: the recommendation holds the decided figure
                parts.append(f"{TEXTS[lang]['approved']} {approved} [{picked[0].rank}]")
        if len(query.bodies) > 1 and picked[0].rank == 1:
            # 'how did the committee, the Finance Committee and the council deal with it':
            # each body's treatment of the case
            parts += self._same_case_lines(lang, hits)
        return " ".join(parts)

    @staticmethod
    def _decision_note(lang: str, hit: ItemHit, picked: Sequence[Candidate]) -> str:
        """What the body decided on the quoted item, when the quoted sentences do not
        say it: minutes record the outcome there, and a briefing needs it beside the
        facts ("Beslutning: ...")."""
        if not hit.decision or hit.item.closed:
            return ""
        said = _squash_text(" ".join(c.text for c in picked))
        decision = _first_sentences(hit.decision, TUNING.answer.decision_note_sentences)
        sentences = split_sentences(decision)
        # of a decision quoted in part, the rest ('Fraværende: ... orienterede om
        # henvendelsen.' quoted, 'Der er ikke hjemmel til at imødekomme den.' not)
        unsaid = [s for s in sentences if _squash_text(s) not in said]
        if len(unsaid) < len(sentences):
            decision = " ".join(unsaid)
        return f"{TEXTS[lang]['decided']} {decision}" if decision else ""

    @staticmethod
    def _source_frame(lang: str, hits: list[ItemHit], rank: int) -> str:
        """Where the quoted sentences begin: the meeting, its document type and the item,
        in the question's language ("From <body> <date> (minutes), item 3 <title>:")."""
        hit = hits[rank - 1]
        item = item_label(hit.item.number, hit.item.title, lang)
        return TEXTS[lang]["source"].format(where=_where(hit, lang), item=item)

    def _decision_line(
        self, query: QueryAnalysis, lang: str, top: ItemHit, kind: str,
        weights: dict[str, float], meaning: Meaning | None = None,
    ) -> str:
        """What was decided (or, with no decision recorded, what was recommended), then
        the sentence of the item that best carries what the question asks about."""
        t = TEXTS[lang]
        where = _where(top, lang)
        if query.wants_decision and top.decision:
            head, stated = t["decision"].format(where=where), top.decision
        elif query.wants_decision:
            key = "no_decision" if top.meeting.doc_type == "dagsorden" else "no_decision_recorded"
            head, stated = t[key].format(where=where), top.proposal or top.best.text
        else:
            head, stated = t["proposal"].format(where=where), top.proposal or ""
        # a decision is the answer: quoted whole when it is short enough to read at once
        whole = len(stated) <= TUNING.answer.whole_decision_chars and query.wants_decision
        first = (" ".join(split_sentences(stated)) if whole else "") or _first_sentences(
            stated, TUNING.answer.decision_sentences)
        lines = [head, f"{first} [1]"]
        approved = _approved_recommendation(top) if query.wants_decision else ""
        if approved and _squash_text(approved) not in _squash_text(first):
            # 'Byrådet godkendte Økonomiudvalgets indstilling': what it approved is the answer
            lines.append(f"{t['approved']} {approved} [1]")
        # a terse decision ("Godkendt.") needs the sentences that say what was approved;
        # with none recorded, the item's own report of decisions taken elsewhere may answer
        unrecorded = query.wants_decision and not top.decision
        room = 2 if len(first) < TUNING.answer.terse_decision or unrecorded else 1
        wanted: str | tuple[str, ...] = query.kinds
        if unrecorded and kind == "statement":
            wanted = "decision"
        facts = self._fact_sentences(top, query, weights, _item_text(top))
        text = "\n\n".join([_passages_text(top), *facts])
        support = self.picker.pick(
            weights, wanted, [(1, text)], limit=room,
            exclude=split_sentences(f"{first} {approved}"), meaning=meaning,
        )
        quoted = _squash_text(f"{first} {approved}")
        support = [c for c in support if _squash_text(c.text) not in quoted]
        if support:
            lines.append(cite(support))
        if not query.wants_decision and top.decision:
            # what was recommended, then what the body did with it (a committee's decision
            # is often its own recommendation to the council)
            decided = self._decision_note(lang, top, support)
            if decided:
                lines.append(f"{decided} [1]")
        return " ".join(lines)

    def _same_case_lines(self, lang: str, hits: list[ItemHit]) -> list[str]:
        """The other treatments of the top item's case among the results (committee ->
        Økonomiudvalget -> Byråd), each with its decision or recommendation."""
        case = hits[0].item.case_number
        if not case:
            return []
        lines: list[str] = []
        seen = {hits[0].meeting.meeting_id}
        for n, hit in enumerate(hits[:TUNING.answer.same_case_depth], 1):
            if hit.meeting.meeting_id in seen or hit.item.case_number != case or hit.item.closed:
                continue
            seen.add(hit.meeting.meeting_id)
            stated = hit.decision or hit.proposal
            if not stated:
                continue
            key = "decision" if hit.decision else "proposal"
            lines.append(
                f"{TEXTS[lang]['same_case']} {TEXTS[lang][key].format(where=_where(hit, lang))} "
                f"{_first_sentences(stated, 2)} [{n}]"
            )
        return lines

    def _answer_text(self, hit: ItemHit, query: QueryAnalysis, weights: dict[str, float]) -> str:
        """:func:`_item_text` and the item's :meth:`_fact_sentences`."""
        text = _item_text(hit)
        return "\n\n".join([text, *self._fact_sentences(hit, query, weights, text)])

    def _fact_sentences(
        self, hit: ItemHit, query: QueryAnalysis, weights: dict[str, float], shown: str
    ) -> list[str]:
        """Sentences of the item outside its retrieved passages that hold a figure, date or
        name the question asks for and share its words, best first: the passages match the
        question's topic, while the figure often stands in another section ('Økonomiske
        konsekvenser', 'Driftstilskuddet: ... udgør årligt 9.777.800 kr.').  A sentence
        already in ``shown`` (the item's text as the answer has it) is not offered again."""
        asked = [k for k in query.kinds if k in ITEM_SCAN_KINDS]
        if not asked or hit.item.closed:
            return []
        said = _squash_text(shown)
        found: dict[str, float] = {}
        for part in hit.item.sections:
            if part.role == "attachments":
                continue
            for sentence in split_sentences(part.text):
                if sentence in found or not any(holds(k, sentence) for k in asked):
                    continue
                overlap = sum(weights.get(t, 0.0) for t in set(self.analyzer.tokens(sentence)))
                if overlap > 0 and _squash_text(sentence) not in said:
                    found[sentence] = overlap
        best = sorted(found, key=lambda s: -found[s])
        return best[: TUNING.answer.fact_sentences]

    def _terms(self, query: QueryAnalysis) -> list[str]:
        """Stemmed words that a Danish passage sentence can share with the question: its
        own, and a strong verb's present form ('afgjorde' asks what the text writes
        'afgør'/'afgørelse')."""
        verbs = " ".join(f for w in query.text.split() for f in present_forms(w.strip("?,.!"))[:1])
        return (self.analyzer.tokens(query.text) + self.analyzer.tokens(query.lexical_text)
                + list(query.lexical_stems) + self.analyzer.tokens(verbs))


def _item_text(hit: ItemHit) -> str:
    """The retrieved passages plus the item's decision and recommendation, which often
    hold the figure, date or names a question asks for."""
    text = _passages_text(hit)
    extra = [t for t in (hit.decision, hit.proposal) if t and _squash_text(t) not in
             _squash_text(text)]
    return "\n\n".join([text, *extra])


def _passages_text(hit: ItemHit) -> str:
    """The retrieved passages of one result, as one text (paragraphs kept)."""
    return "\n\n".join(p.text for p in hit.passages[:TUNING.answer.passages_per_item])


def _where(hit: ItemHit, lang: str) -> str:
    label = DOC_TYPE_LABEL[hit.meeting.doc_type]
    if lang == "en":
        label = {"Dagsorden": "agenda", "Referat": "minutes"}.get(label, "document")
    body = hit.meeting.body or UNKNOWN_BODY
    return f"{body} {format_date(hit.meeting.date)} ({label})"


def _case_first(hits: list[ItemHit]) -> list[ItemHit]:
    """The best result, then the other treatments of its case among the results (the
    committee, Økonomiudvalget, the council), then the rest: a question naming several
    bodies asks how the case went through them."""
    if not hits or not hits[0].item.case_number:
        return hits
    case = hits[0].item.case_number
    same = [h for h in hits[1:] if h.item.case_number == case]
    return [hits[0], *same, *(h for h in hits[1:] if h.item.case_number != case)]


_APPROVES_RE = re.compile(
    r"^\W*(?:[\d.,\s-]+\s)?(?:\S+\s+){0,8}?(?:godkend\w*|anbefal\w*|tiltræd\w*|tiltrådt\w*"
    r"|vedtog|vedtaget)\b(?:\s+\S+){0,6}?\s+indstilling\w*"
    r"|^\W*indstilling\w*\s+(?:blev\s+|er\s+)?(?:godkendt|tiltrådt|vedtaget|anbefalet)"
    r"|^\W*(?:[\d.,\s-]+\s)?(?:godkendt|anbefales|tiltrådt|vedtaget)"
    r"(?:\s+(?:over\s*for|til)\s+\S+)?\W*$", re.I)
"""A decision that approves the recommendation without restating it: 'Byrådet godkendte
Økonomiudvalgets indstilling.', 'Godkendt.', '1.-3. Anbefales.', 'Anbefales over for
Byrådet.'"""


def _approved_recommendation(hit: ItemHit) -> str:
    """The recommendation a terse decision approves (its first sentences and points), or
    '' when the decision says what it decided itself or no recommendation is recorded."""
    if not hit.decision or not hit.proposal:
        return ""
    opening = next(iter(split_sentences(hit.decision)), "")
    if not _APPROVES_RE.search(opening):
        return ""
    return _first_sentences(hit.proposal, TUNING.answer.decision_sentences)


def _first_sentences(text: str, n: int) -> str:
    """The first ``n`` sentences; list entries ('a. ...', '- ...', '3. ...') come along whole
    without counting, so a decision's points are quoted whole (up to 8 entries), and a
    sentence that opens a list ('... ud fra følgende vilkår:') does not count."""
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        return text.strip()
    taken: list[str] = []
    counted = entries = 0
    for sentences in paragraphs:
        if _ENTRY_RE.match(sentences[0]) and entries < 8 and taken:
            taken.extend(sentences)
            entries += 1
            continue
        for sentence in sentences:
            if counted >= n and not taken[-1].endswith(":"):
                return " ".join(taken)
            taken.append(sentence)
            counted += not sentence.endswith(":")
    return " ".join(taken)


_ENTRY_RE = re.compile(r"^(?:[-•*–]\s|\d{1,2}[.)]\s|[a-zæøå][.)]\s)")
