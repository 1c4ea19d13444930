"""Questions that hold a body to its municipality in an archive of several (assistant/places.py)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import Assistant
from assistant.places import question_places
from assistant.search import Retriever
from vectorstore.embedder import HashEmbedder


@pytest.mark.parametrize(("question", "places"), [
    ("Hvad besluttede Økonomiudvalget i Middelfart om budgettet?", ("Middelfart",)),
    ("What did Ringkøbing-Skjern's Finance Committee decide?", ("Ringkøbing-Skjern",)),
    ("How did the Fredensborg Finance Committee vote?", ("Fredensborg",)),
    ("Hvem deltog i Fredensborg Økonomiudvalgs møde?", ("Fredensborg",)),
    ("How did the members of Stevns' Social and Health committee split?", ("Stevns",)),
    ("Hvad besluttede Greve Byråd om skolerne?", ("Greve",)),
    ("Hvad skal Albertslund Kommunes Børne- og Skoleudvalg tage stilling til?", ("Albertslund",)),
    # no owner: a question word, a body's own name, a region
    ("Hvad besluttede Økonomiudvalget om budgettet?", ()),
    ("What did the Committee for Regional Development decide?", ()),
    ("Hvad besluttede Udvalget for Teknik og Miljø om vejene?", ()),
    ("What did the Culture and Leisure Committee decide?", ()),
    ("Hvad besluttede Social, Sundhed og Ældreudvalget?", ()),
    ("What did Region Midtjylland's Committee for Regional Development decide?", ()),
])
def test_the_places_a_question_names_as_a_body_s_owner(question: str, places: tuple) -> None:
    assert question_places(question) == places


def test_the_municipalities_a_meeting_names_are_counted_once_without_closed_content() -> None:
    from assistant.mentions import mentions_by_meeting, municipality_mentions, summed

    assert municipality_mentions(["Hjortsø Kommune og Nørre-Vang Kommune", "Hjortsø Kommunes "
                                  "borgere", "kommunen"]) == {"Hjortsø": 2, "Nørre-Vang": 1}
    counted = mentions_by_meeting(["a", "a", "b", "c"],
                                  ["Hjortsø Kommune", "Nørreby Kommune", "Hjortsø Kommune",
                                   "ingen kommune her"], [True, False, True, True])
    assert counted == {"a": {"Hjortsø": 1}, "b": {"Hjortsø": 1}}
    assert summed(counted.values()) == {"Hjortsø": 2}


PAGE = """Økonomiudvalget

Referat

Mødedato: {date}

1. {title}

Sagsfremstilling
{text}

Beslutning
{decision}
"""


@pytest.fixture(scope="module")
def two_towns(tmp_path_factory: pytest.TempPathFactory, services_factory: Any) -> Retriever:
    """Økonomiudvalget of two towns, each page filed under its town and never naming it,
    and a committee of a third town that has no Økonomiudvalget page."""
    root = tmp_path_factory.mktemp("towns")
    pages = {
        "middelfart.dk/oekonomiudvalget/2017-05-22.txt": PAGE.format(
            date="22-05-2017", title="Budget 2018 - rammer",
            text="Rammerne for budget 2018 fremlægges.", decision="Rammerne blev godkendt."),
        "skive.dk/oekonomiudvalget/2017-06-12.txt": PAGE.format(
            date="12-06-2017", title="Budget 2018 - rammer og budget 2018 proces",
            text="Budget 2018 rammer og budget 2018 proces for budget 2018.",
            decision="Budget 2018 rammerne blev sendt videre."),
        "thisted.dk/socialudvalget/2020-09-02.txt": PAGE.replace(
            "Økonomiudvalget", "Social- og Sundhedsudvalget").format(
            date="02-09-2020", title="Budget 2021 på udvalgets område",
            text="Budgettet drøftes.", decision="Drøftet."),
    }
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    services = services_factory(root / "index", HashEmbedder())
    assert services.ingestor.ingest([root / "docs"]).ingested == 3
    return Retriever(services.store, services.embedder)


def test_a_body_held_to_its_town_is_answered_from_that_town_s_pages(two_towns: Retriever) -> None:
    """Skive's page matches the question's words best; Middelfart's is the one asked for."""
    question = "Hvad besluttede Økonomiudvalget i Middelfart om budget 2018 rammer og proces?"
    plain = Assistant(two_towns).ask(question.replace(" i Middelfart", ""))
    assert plain.results[0]["meeting"]["date"] == "2017-06-12"  # Skive's
    answer = Assistant(two_towns).ask(question)
    assert not answer.no_answer, answer.answer
    assert answer.results[0]["meeting"]["date"] == "2017-05-22"  # Middelfart's
    assert "Rammerne blev godkendt." in answer.answer


@pytest.mark.parametrize(("question", "reason"), [
    ("Hvad besluttede Økonomiudvalget i Thisted om budget 2018?",
     "Arkivet har ingen dokumenter fra Thisted, der svarer på spørgsmålet; de nærmeste kilder "
     "siger ikke, hvilken kommune de er fra."),
    ("What did Thisted's Finance Committee decide about budget 2018?",
     "The archive holds no document of Thisted that answers the question; the nearest "
     "sources do not say which municipality they are of."),
])
def test_a_town_without_the_named_body_is_refused(
    two_towns: Retriever, question: str, reason: str
) -> None:
    """Thisted's pages are another committee's: the Økonomiudvalget pages, which do not say
    their town, are not Thisted's (the archive files Thisted's under its name)."""
    answer = Assistant(two_towns).ask(question)
    assert answer.no_answer
    assert reason in answer.answer


def test_a_name_the_archive_never_files_or_names_is_not_held_to(two_towns: Retriever) -> None:
    """'Copenhagen' is no municipality of this archive: the question is answered as if it
    named none (the missing-word check, not the place check, decides)."""
    answer = Assistant(two_towns).ask("What did Copenhagen's Finance Committee decide about "
                                      "budget 2018?")
    assert "Copenhagen that answers" not in answer.answer


def test_no_other_place_refusal_when_the_nearest_documents_are_of_that_place() -> None:
    """'Økonomiudvalget i Hjortsø' where the archive's Økonomiudvalget pages are Nørreby's
    and Hjortsø's pages are another body's: the refusal would say "no document of Hjortsø;
    the nearest sources are of Hjortsø" - when the nearest documents are of the place, the
    question is answered from them."""
    from types import SimpleNamespace

    from assistant.noanswer import _other_place
    from assistant.places import PlaceIndex
    from ingest.models import Meeting

    def meeting(body: str, source: str) -> Meeting:
        return Meeting(body=body, date="2024-01-01", doc_type="referat", source=source,
                       doc_hash=source)

    noerreby = meeting("Økonomiudvalget", "/arkiv/a.txt")
    hjortsoe = meeting("Byrådet", "/arkiv/hjortsoe/b.txt")  # filed under its town
    mentions = {noerreby.meeting_id: {"Nørreby": 3}, hjortsoe.meeting_id: {"Hjortsø": 4}}
    places = PlaceIndex(lambda: [noerreby, hjortsoe], lambda m: mentions.get(m, {}),
                        lambda m: m.source)
    retriever = SimpleNamespace(places=places)
    query = SimpleNamespace(places=("Hjortsø",), bodies=("Økonomiudvalget",))
    hits = [SimpleNamespace(meeting=noerreby), SimpleNamespace(meeting=hjortsoe)]
    assert _other_place(query, hits, retriever) is None  # type: ignore[arg-type]
    only_other = [SimpleNamespace(meeting=noerreby)]
    assert _other_place(query, only_other, retriever) == {  # type: ignore[arg-type]
        "place": "Hjortsø", "homes": "Nørreby"}

