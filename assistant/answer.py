"""Question -> cited answer: ranked items, decision/proposal fields, extractive summary.

The summary is extractive: sentences taken verbatim from the cited passages, each followed
by its citation marker, framed in the question's language.  A decision question about an
agenda says plainly that no decision is recorded and shows the recommendation.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.parse import quote

from ingest.chunker import DOC_TYPE_LABEL, UNKNOWN_BODY, citation_line, format_date
from ingest.danish import split_sentences

from .lexical import Analyzer
from .noanswer import assess_answerable, role_evidence
from .query import QueryAnalysis, analyze
from .search import Filters, ItemHit, Retriever

TIMELINE_LIMIT = 25
# An item's result text: its best passages, up to this many, in rank order.
PASSAGES_PER_ITEM = 3
# Words every passage shares with questions about this archive: no evidence of relevance.
GENERIC_STEMS = frozenset({"kkr", "midtjylland", "kd", "net", "kd-net", "mød", "møde", "meeting"})
TIMELINE_RELATIVE_FLOOR = 0.06

TEXTS = {
    "da": {
        "no_answer": "Arkivet indeholder ikke svaret på spørgsmålet. {why}",
        "closest": "Nærmeste emner i arkivet: {items}.",
        "no_decision": (
            "Der er ikke registreret nogen beslutning i arkivet om dette punkt: "
            "{where} er en dagsorden, så den viser kun indstillingen:"
        ),
        "no_decision_recorded": (
            "Der er ikke registreret nogen beslutning om dette punkt i {where}; "
            "dokumentet viser kun:"
        ),
        "closed": "Pkt. {number} {title} ({where}) er et lukket punkt; indholdet vises ikke.",
        "decision": "Beslutning ({where}):",
        "proposal": "Indstilling ({where}):",
        "timeline": "Punkter i datoorden:",
        "nothing": "Ingen resultater i arkivet (tjek filtrene).",
    },
    "en": {
        "no_answer": "The archive does not contain the answer to this question. {why}",
        "closest": "Closest topics in the archive: {items}.",
        "no_decision": (
            "No decision is recorded in the archive for this item: {where} is an agenda, "
            "so it only shows the recommendation (Indstilling):"
        ),
        "no_decision_recorded": (
            "No decision is recorded for this item in {where}; the document only shows:"
        ),
        "closed": "Item {number} {title} ({where}) is a closed item; its content is not shown.",
        "decision": "Decision ({where}):",
        "proposal": "Recommendation ({where}):",
        "timeline": "Items in date order:",
        "nothing": "No results in the archive (check the filters).",
    },
}


class Generator(Protocol):
    """Optional answer writer (e.g. an OpenAI-compatible LLM); not required."""

    def generate(self, question: str, results: list[dict[str, Any]], language: str) -> str: ...


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

    def as_dict(self) -> dict[str, Any]:
        """The `meetings ask --json` contract."""
        return {
            "question": self.question,
            "language": self.language,
            "intent": self.intent,
            "no_answer": self.no_answer,
            "answer": self.answer,
            "results": self.results,
        }


UNNUMBERED = "-"
"""The URL segment of the unnumbered item of a document without agenda structure."""


def item_url(meeting_id: str, item_number: str, chunk_id: str | None = None) -> str:
    """Stable deep link to the source item, optionally highlighting one chunk."""
    url = f"/item/{quote(meeting_id)}/{quote(item_number or UNNUMBERED)}"
    return f"{url}?hl={quote(chunk_id)}" if chunk_id else url


def result_dict(rank: int, hit: ItemHit) -> dict[str, Any]:
    m, it = hit.meeting, hit.item
    passages = hit.passages[:PASSAGES_PER_ITEM]
    return {
        "rank": rank,
        "score": round(hit.score, 4),
        "meeting": {
            "meeting_id": m.meeting_id,
            "body": m.body,
            "date": m.date,
            "doc_type": m.doc_type,
            "location": m.location,
        },
        "item": {
            "number": it.number, "title": it.title, "case_number": it.case_number,
            "closed": it.closed,
        },
        "section": hit.best.section,
        "text": "\n\n".join(p.text for p in passages),
        "decision": hit.decision,
        "proposal": hit.proposal,
        "url": item_url(m.meeting_id, it.number, hit.best.chunk_id),
        "citation": citation_line(m, it, hit.best.section),
        "chunk_id": hit.best.chunk_id,
    }


class Assistant:
    """The answering API used by the CLI, the web app and the eval."""

    def __init__(self, retriever: Retriever, generator: Generator | None = None) -> None:
        self.retriever = retriever
        self.generator = generator
        self.analyzer = Analyzer()

    def ask(
        self,
        question: str,
        k: int = 5,
        filters: Filters | None = None,
        search_text: str | None = None,
        language: str | None = None,
        timeline: bool | None = None,
    ) -> Answer:
        """Answer ``question``: ranked items (one per item), summary, no-answer flag.

        ``timeline=True`` treats any question as a timeline (every item close to the best);
        None decides from the question's wording."""
        started = time.perf_counter()
        query = analyze(question)
        if timeline is not None:
            query = replace(query, timeline=timeline)
        lang = language or query.language
        limit = max(k, TIMELINE_LIMIT) if query.timeline else max(k, 10)
        hits = self.retriever.search(query, filters, limit=limit, search_text=search_text)
        # looked for before cutting to k, so that `--k 1` still finds the stating passage
        evidence = role_evidence(query, hits)
        if evidence is not None:
            # the result that states who holds the asked role is the best answer
            hits.insert(0, hits.pop(evidence[0] - 1))
            evidence = (1, evidence[1])
        if query.timeline and hits:
            floor = hits[0].score - TIMELINE_RELATIVE_FLOOR
            hits = [h for h in hits if h.score >= floor]
        else:
            hits = hits[:k]
        verdict = assess_answerable(query, hits, self.retriever, evidence)
        results = [result_dict(i, h) for i, h in enumerate(hits, 1)]
        if not hits:
            text = TEXTS[lang]["nothing"]
        elif not verdict.answerable:
            text = self._refusal(lang, verdict.reason, hits)
        elif self.generator is not None:
            text = self.generator.generate(question, results, lang)
        else:
            text = self._summary(query, lang, hits, evidence)
        return Answer(
            question=question,
            language=lang,
            intent=query.intent,
            no_answer=bool(hits) and not verdict.answerable,
            answer=text,
            results=results,
            timeline=query.timeline,
            seconds=time.perf_counter() - started,
        )

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
    ) -> str:
        t = TEXTS[lang]
        top = hits[0]
        lines: list[str] = []
        if query.timeline:
            lines.append(t["timeline"])
            ordered = sorted(enumerate(hits, 1), key=lambda p: (p[1].meeting.date, p[1].item.order))
            for n, hit in ordered[:6]:
                sentence = self._best_sentence(query, hit.decision or hit.best.text)
                lines.append(f"- {_where(hit, lang)}, pkt. {hit.item.number} {hit.item.title}: "
                             f"{sentence} [{n}]")
            return "\n".join(lines)
        if top.item.closed:
            where = _where(top, lang)
            return t["closed"].format(number=top.item.number, title=top.item.title, where=where)
        if query.wants_decision:
            if top.decision:
                lines.append(t["decision"].format(where=_where(top, lang)))
                lines.append(f"{_first_sentences(top.decision, 2)} [1]")
            else:
                agenda = top.meeting.doc_type == "dagsorden"
                key = "no_decision" if agenda else "no_decision_recorded"
                lines.append(t[key].format(where=_where(top, lang)))
                lines.append(f"{_first_sentences(top.proposal or top.best.text, 2)} [1]")
            return " ".join(lines)
        if query.intent == "proposal" and top.proposal:
            lines.append(t["proposal"].format(where=_where(top, lang)))
            lines.append(f"{_first_sentences(top.proposal, 2)} [1]")
            return " ".join(lines)
        if evidence is not None:  # "who chairs X": the sentence that says so
            return f"{evidence[1]} [{evidence[0]}]"
        picked = self._best_sentences(query, hits[:3], limit=3)
        return " ".join(f"{s} [{n}]" for n, s in picked)

    def _best_sentences(
        self, query: QueryAnalysis, hits: list[ItemHit], limit: int
    ) -> list[tuple[int, str]]:
        terms = self._terms(query)
        scored: list[tuple[float, int, int, str]] = []
        for n, hit in enumerate(hits, 1):
            text = " ".join(p.text for p in hit.passages[:2])
            for pos, sentence in enumerate(split_sentences(text)):
                overlap = len(terms & set(self.analyzer.tokens(sentence)))
                if n > 1 and overlap == 0:
                    continue  # lower results only contribute sentences that share words
                # earlier results and earlier sentences win ties
                scored.append((overlap - 0.6 * (n - 1) - 0.01 * pos, n, pos, sentence))
        scored.sort(key=lambda s: s[0], reverse=True)
        if not scored:
            return []
        # keep the best sentence, and others only when they are nearly as relevant
        floor = scored[0][0] * 0.6
        chosen = [scored[0]] + [s for s in scored[1:limit] if s[0] >= floor and s[0] > 0]
        chosen.sort(key=lambda s: (s[1], s[2]))
        return [(n, s) for _, n, _, s in chosen]

    def _terms(self, query: QueryAnalysis) -> set[str]:
        """Stemmed words that a Danish passage sentence can share with the question."""
        terms = set(self.analyzer.tokens(query.text)) | set(
            self.analyzer.tokens(query.lexical_text)
        )
        return terms - GENERIC_STEMS

    def _best_sentence(self, query: QueryAnalysis, text: str) -> str:
        terms = self._terms(query)
        sentences = split_sentences(text) or [text]
        return max(sentences, key=lambda s: len(terms & set(self.analyzer.tokens(s))))


def _where(hit: ItemHit, lang: str) -> str:
    label = DOC_TYPE_LABEL[hit.meeting.doc_type]
    if lang == "en":
        label = {"Dagsorden": "agenda", "Referat": "minutes"}.get(label, "document")
    body = hit.meeting.body or UNKNOWN_BODY
    return f"{body} {format_date(hit.meeting.date)} ({label})"


def _first_sentences(text: str, n: int) -> str:
    sentences = split_sentences(text)
    return " ".join(sentences[:n]) if sentences else text.strip()
