"""Answer composition on a built item: the figure, date or name a question asks for from
outside the retrieved passages; a short decision quoted whole."""

from __future__ import annotations

from typing import Any

from assistant.answer import Assistant, _item_text
from assistant.query import analyze
from assistant.search import ItemHit, Passage, Retriever
from ingest.models import AgendaItem, Meeting, Section

TOPIC = "Greve Kommune yder driftstilskud til Karlslunde Idrætsforening til driften af hallerne."
FIGURE = "Driftstilskuddet til Karlslunde Idrætsforening udgør årligt 9.777.800 kr."
UNRELATED = "Tune Hallen fik 120.000 kr. til nye måtter."


def _hit(closed: bool = False) -> ItemHit:
    sections = (
        Section("Sagsbeskrivelse", TOPIC, 0, len(TOPIC), "background"),
        Section("Økonomiske konsekvenser", f"{FIGURE} {UNRELATED}", 0, 10, "other"),
        Section("Bilag", "Bilag 1: Aftale med 9.777.800 kr. Karlslunde", 0, 10, "attachments"),
    )
    item = AgendaItem("23", "Selvforvaltningsaftale", 1, sections=sections, closed=closed)
    meeting = Meeting("Økonomiudvalget", "2024-11-27", "referat", "x.json", "h", (item,))
    passage = Passage("c1", TOPIC, "Sagsbeskrivelse", 1.0, 0.8, 0.2)
    return ItemHit(meeting, item, [passage], 1.0, 0.8)


def _facts(assistant: Assistant, question: str, hit: ItemHit) -> list[str]:
    query = analyze(question)
    weights = assistant.picker.weights(assistant._terms(query))
    return assistant._fact_sentences(hit, query, weights, _item_text(hit))


def test_the_figure_outside_the_passages_is_offered(hash_services: Any) -> None:
    assistant = Assistant(Retriever(hash_services.store, hash_services.embedder))
    question = "Hvor stort er det årlige driftstilskud til Karlslunde Idrætsforening?"
    # the sentence with the figure that shares the question's words; not the other
    # figure, not the attachment list, not the passage already retrieved
    assert _facts(assistant, question, _hit()) == [FIGURE]
    answer_text = assistant._answer_text(_hit(), analyze(question), assistant.picker.weights(
        assistant._terms(analyze(question))))
    assert FIGURE in answer_text and answer_text.count(TOPIC) == 1


def test_no_facts_for_other_questions_or_closed_items(hash_services: Any) -> None:
    assistant = Assistant(Retriever(hash_services.store, hash_services.embedder))
    assert _facts(assistant, "Hvad handler aftalen med Karlslunde Idrætsforening om?",
                  _hit()) == []
    assert _facts(assistant, "Hvor stort er driftstilskuddet til Karlslunde?",
                  _hit(closed=True)) == []


def test_a_short_decision_is_quoted_whole_and_a_long_one_begins(hash_services: Any) -> None:
    assistant = Assistant(Retriever(hash_services.store, hash_services.embedder))
    sentences = [f"Punkt {n} om lægevagten blev drøftet af direktørerne." for n in range(1, 6)]
    for count, quoted in ((5, 5), (20, 3)):  # 5 sentences fit the limit, 20 do not
        text = " ".join((sentences * 4)[:count])
        decision = Section("Beslutning", text, 0, len(text), "decision")
        item = AgendaItem("3", "Lægevagten", 1, sections=(decision,))
        meeting = Meeting("KD-Net", "2022-11-04", "referat", "x.pdf", "h", (item,))
        hit = ItemHit(meeting, item, [Passage("c", text, "Beslutning", 1.0, 0.8, 0.2)], 1.0)
        query = analyze("Hvad blev besluttet om lægevagten?")
        weights = assistant.picker.weights(assistant._terms(query))
        line = assistant._decision_line(query, "da", hit, query.kind, weights)
        first = line.split(" [1]")[0]
        assert first.count("blev drøftet") == quoted, line
