"""Typed result records (assistant/records.py), frozen passages and Chunk validation.

The records must carry exactly what the result dicts carried before they existed: every
hit's ``as_dict`` is compared, byte for byte as JSON, with the former ``result_dict``
(kept below as the reference) over real answers from the sample index.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import Assistant
from assistant.briefing import build_briefing, to_markdown
from assistant.links import item_url
from assistant.query import analyze
from assistant.records import Citation, Hit
from assistant.search import ItemHit, Passage, Retriever
from assistant.tuning import TUNING
from ingest.chunker import Chunker, citation_line, item_label
from ingest.models import Chunk, Meeting
from vectorstore.embedder import HashEmbedder

GENERAL = Path(__file__).parent / "general"
QUESTIONS = [
    ("Hvad besluttede KKR Midtjylland om befolkningsprognosen?", False),
    ("What was decided about the population forecast?", False),
    ("Hvad var indstillingen om praktikpladser?", False),
    ("vintertjeneste", False),
    ("befolkningsprognose", True),
]


def reference_result_dict(rank: int, hit: ItemHit) -> dict[str, Any]:
    """``answer.result_dict`` as it was written before the records (the contract)."""
    m, it = hit.meeting, hit.item
    # the first result shows its evidence more fully (TUNING.answer.top_passages)
    shown = TUNING.answer.top_passages if rank == 1 else TUNING.answer.passages_per_item
    passages = hit.passages[:shown]
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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, services_factory: Any,
              sample_dir: Path) -> Assistant:
    """The sample meetings plus a plain note (no body, no agenda numbers), hash-embedded."""
    root = tmp_path_factory.mktemp("records")
    docs = root / "docs"
    docs.mkdir()
    shutil.copy(GENERAL / "12_notat_vintertjeneste.md", docs)
    services = services_factory(root / "index", HashEmbedder())
    report = services.ingestor.ingest([sample_dir, docs])
    assert report.ingested == 6 and not report.errors, report.as_dict()
    return Assistant(Retriever(services.store, services.embedder))


@pytest.mark.parametrize(("question", "timeline"), QUESTIONS)
def test_hit_dicts_are_the_former_result_dicts(
    assistant: Assistant, question: str, timeline: bool
) -> None:
    retriever = assistant.retriever
    hits = retriever.search(analyze(question, retriever.bodies), None, limit=10)
    assert hits
    for rank, hit in enumerate(hits, 1):
        record = Hit.of(rank, hit)
        assert _json(record.as_dict()) == _json(reference_result_dict(rank, hit))
        assert Hit.from_dict(record.as_dict()) == record
    longest = max(hits, key=lambda h: len(h.passages))
    assert len(longest.passages) > TUNING.answer.passages_per_item
    first, later = Hit.of(1, longest).text, Hit.of(2, longest).text
    assert first.startswith(later) and len(first) > len(later)
    answer = assistant.ask(question, timeline=timeline)
    assert answer.results and len(answer.hits) == len(answer.results)
    assert _json([h.as_dict() for h in answer.hits]) == _json(answer.results)
    assert "hits" not in answer.as_dict()


def test_citation_line_label_and_url_match_the_formatters(assistant: Assistant) -> None:
    meetings: list[Meeting] = list(assistant.retriever.meetings.values())
    assert any(not i.number for m in meetings for i in m.items)  # the plain note
    for meeting in meetings:
        for item in meeting.items:
            for section in ["", *(s.name for s in item.sections)]:
                c = Citation(meeting.body, meeting.date, meeting.doc_type, item.number,
                             item.title, section, meeting.meeting_id, "cid")
                assert c.line() == citation_line(meeting, item, section)
                assert c.label("en") == item_label(item.number, item.title, "en")
                assert c.url() == item_url(meeting.meeting_id, item.number, "cid")
                assert c.item_url() == item_url(meeting.meeting_id, item.number)
                assert c.line().startswith(c.heading() + " · " + c.label())


def test_citation_labels() -> None:
    c = Citation("KKR Midtjylland", "2023-02-10", "referat", "3.1", "Prognose", "Beslutning",
                 "kkr-midtjylland-2023-02-10-referat")
    assert c.label() == "pkt. 3.1 Prognose" and c.label("en") == "item 3.1 Prognose"
    assert c.line() == "KKR Midtjylland · 10.02.2023 · Referat · pkt. 3.1 Prognose · Beslutning"
    assert c.url() == "/item/kkr-midtjylland-2023-02-10-referat/3.1"
    unknown = Citation(None, None, None, "", "Notat", "", "ukendt-ukendt-dokument")
    assert unknown.label() == "Notat"
    assert unknown.line() == "Ukendt organ · udateret · Dokument · Notat"


def test_from_dict_names_what_is_missing(assistant: Assistant) -> None:
    data = assistant.ask("befolkningsprognose").results[0]
    with pytest.raises(ValueError, match="missing 'chunk_id'"):
        Hit.from_dict({k: v for k, v in data.items() if k != "chunk_id"})
    with pytest.raises(ValueError, match="missing 'meeting_id'"):
        Hit.from_dict(dict(data, meeting={"body": "x", "date": None, "doc_type": None}))
    with pytest.raises(ValueError, match="not a search result dict"):
        Hit.from_dict(dict(data, rank="first"))


def test_records_and_passages_are_frozen(assistant: Assistant) -> None:
    hit = assistant.ask("befolkningsprognose").hits[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.citation.section = "x"  # type: ignore[misc]
    passage = Passage("c", "tekst", "Baggrund", 1.0, 0.5, 0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        passage.score = 2.0  # type: ignore[misc]


def test_briefing_takes_hits_as_it_takes_their_dicts(assistant: Assistant) -> None:
    answer = assistant.ask("befolkningsprognose")
    day = datetime.date(2024, 5, 1)
    from_hits = to_markdown(build_briefing(answer.hits, created=day))
    assert from_hits == to_markdown(build_briefing(answer.results, created=day))
    assert answer.hits[0].citation.line() in from_hits.replace("\\", "")


def test_briefing_of_an_unnumbered_item_has_no_empty_item_number(assistant: Assistant) -> None:
    answer = assistant.ask("vintertjeneste")
    plain = [h for h in answer.hits if not h.citation.item_number]
    assert plain, [h.citation.line() for h in answer.hits]
    md = to_markdown(build_briefing(plain, created=datetime.date(2024, 5, 1)))
    assert "pkt. " not in md and plain[0].citation.item_title in md


# --- Chunk validation -------------------------------------------------------------------

@pytest.fixture(scope="module")
def chunk(assistant: Assistant) -> Chunk:
    meeting = next(iter(assistant.retriever.meetings.values()))
    return Chunker(lambda text: len(text.split())).chunk_meeting(meeting)[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"chunk_id": ""}, r"Chunk of '.+': chunk_id must not be empty"),
        ({"chunk_id": "  "}, r"chunk_id must not be empty"),
        ({"text": ""}, r"Chunk '.+': text must not be empty"),
        ({"text": " \n "}, r"text must not be empty"),
        ({"start": -1}, r"Chunk '.+': bad offsets -1\.\.\d+ \(need 0 <= start <= end\)"),
        ({"start": 10, "end": 9}, r"bad offsets 10\.\.9 \(need 0 <= start <= end\)"),
    ],
)
def test_chunk_refuses_bad_fields(chunk: Chunk, change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(chunk, **change)


def test_chunk_accepts_an_empty_span(chunk: Chunk) -> None:
    assert dataclasses.replace(chunk, start=5, end=5).end == 5
