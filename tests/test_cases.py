"""Case history: the treatments of one case number across bodies, in date order."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.cli import main

DOCS = {
    "teknik.txt": """Teknik- og Miljøudvalget, Hjortsø Kommune
Dagsorden
Mødedato: 3. april 2024

1. Ny cykelsti langs Strandvejen
Sagsnr.: 24/1234
Indstilling
Administrationen indstiller, at udvalget anbefaler projektet.
""",
    "oeu.txt": """Økonomiudvalget, Hjortsø Kommune
Referat
Mødedato: 17. april 2024

4. Ny cykelsti langs Strandvejen
Sagsnr.: 24/1234
Indstilling
Teknik- og Miljøudvalget anbefaler, at der gives en anlægsbevilling.
Beslutning
Anbefales over for Byrådet.

5. Andet punkt
Sagsnr.: 24/9999
Beslutning
Godkendt.
""",
    "byraad.txt": """Byrådet, Hjortsø Kommune
Referat
Mødedato: 30. april 2024

7. Ny cykelsti langs Strandvejen
Sagsnr. 24/1234
Beslutning
Anlægsbevillingen på 4,2 mio. kr. blev givet.
""",
}


def _archive(tmp_path: Path, docs: dict[str, str] = DOCS) -> Path:
    folder = tmp_path / "arkiv"
    folder.mkdir()
    for name, text in docs.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _assistant(tmp_path: Path, hash_embedder, services_factory, docs: dict[str, str] = DOCS):
    """An Assistant over ``docs`` ingested into a fresh index (the fast fake embedder)."""
    from assistant.answer import Assistant
    from assistant.search import Retriever

    services = services_factory(tmp_path / "db", hash_embedder)
    services.ingestor.ingest([_archive(tmp_path, docs)])
    return Assistant(Retriever(services.store, services.embedder))


def test_case_history_in_date_order_across_bodies(tmp_path, hash_embedder, capsys,
                                                  services_factory):
    services = services_factory(tmp_path / "db", hash_embedder)
    assert main(["ingest", "--no-progress", str(_archive(tmp_path))], services) == 0
    capsys.readouterr()
    assert main(["case", " 24/1234", "--json"], services) == 0
    history = json.loads(capsys.readouterr().out)
    assert [(h["meeting"]["body"], h["meeting"]["date"], h["item"]["number"]) for h in history] == [
        ("Teknik- og Miljøudvalget, Hjortsø Kommune", "2024-04-03", "1"),
        ("Økonomiudvalget, Hjortsø Kommune", "2024-04-17", "4"),
        ("Byrådet, Hjortsø Kommune", "2024-04-30", "7"),
    ]
    assert history[0]["decision"] is None and "anbefaler projektet" in history[0]["proposal"]
    assert history[2]["decision"] == "Anlægsbevillingen på 4,2 mio. kr. blev givet."
    assert history[1]["url"].startswith("/item/") and history[1]["url"].endswith("/4")

    assert main(["case", "24/1234"], services) == 0
    out = capsys.readouterr().out
    assert "3 behandling(er)" in out and "Ingen beslutning registreret; indstilling" in out
    assert main(["case", "99/0000"], services) == 1
    assert "ingen punkter med sagsnummer 99/0000" in capsys.readouterr().out


def test_source_view_links_the_other_treatments(tmp_path, hash_embedder, services_factory):
    from assistant.sourceview import render_item

    assistant = _assistant(tmp_path, hash_embedder, services_factory)
    treatments = assistant.case("24/1234")
    middle = treatments[1]
    links = [(t.url(), t.label()) for t in treatments if t is not middle]
    page = render_item(middle.meeting, middle.item.number, same_case=links)
    assert "Samme sag:" in page
    assert page.count('class="ma-case"') == 2
    assert "Byrådet, Hjortsø Kommune · 30.04.2024 · Referat · pkt. 7" in page


def test_decision_answer_brings_the_other_treatments_of_the_case(
    tmp_path, hash_embedder, services_factory
):
    assistant = _assistant(tmp_path, hash_embedder, services_factory)
    answer = assistant.ask("Hvad besluttede Byrådet om den nye cykelsti langs Strandvejen?")
    bodies = {"Byrådet, Hjortsø Kommune", "Økonomiudvalget, Hjortsø Kommune",
              "Teknik- og Miljøudvalget, Hjortsø Kommune"}
    top = answer.results[0]["meeting"]["body"]
    assert top in bodies and answer.answer.count("Samme sag:") == 2
    for other in bodies - {top}:
        assert other in answer.answer.split("Samme sag:", 1)[1]
    assert "Anlægsbevillingen på 4,2 mio. kr. blev givet." in answer.answer


def test_a_question_naming_several_bodies_gets_each_treatment_of_the_case(
    tmp_path, hash_embedder, services_factory
):
    assistant = _assistant(tmp_path, hash_embedder, services_factory)
    both = "Hvordan behandlede Økonomiudvalget og Byrådet cykelstien langs Strandvejen?"
    answer = assistant.ask(both)
    assert answer.answer.count("Samme sag:") >= 1
    assert "Anbefales over for Byrådet." in answer.answer
    assert "Anlægsbevillingen på 4,2 mio. kr. blev givet." in answer.answer
    # naming one body asks about that body's treatment: no other treatments are added
    one = assistant.ask("Hvordan behandlede Byrådet cykelstien langs Strandvejen?")
    assert "Samme sag:" not in one.answer


TERSE = {
    "udvalg.txt": """Teknik- og Miljøudvalget, Hjortsø Kommune
Referat
Mødedato: 5. juni 2024

1. Ny cykelsti langs Strandvejen
Sagsnr.: 24/1234
Indstilling
Administrationen indstiller, at der gives en anlægsbevilling på 4,2 mio. kr. til cykelstien.
Beslutning
Godkendt.

2. Ny belysning på Havnevej
Sagsnr.: 24/2222
Indstilling
Administrationen indstiller, at belysningen udskiftes for 1,1 mio. kr.
Beslutning
Udvalget afviste at udskifte belysningen i 2024.
""",
}


def test_a_terse_approval_is_answered_with_the_recommendation_it_approved(
    tmp_path, hash_embedder, services_factory
):
    assistant = _assistant(tmp_path, hash_embedder, services_factory, TERSE)
    answer = assistant.ask("Hvad besluttede udvalget om cykelstien langs Strandvejen?")
    assert answer.results[0]["item"]["title"] == "Ny cykelsti langs Strandvejen"
    assert "Godkendt." in answer.answer
    assert "Den godkendte indstilling: Administrationen indstiller, at der gives en " \
           "anlægsbevilling på 4,2 mio. kr. til cykelstien. [1]" in answer.answer
    # a decision that says what was decided is its own answer
    other = assistant.ask("Hvad besluttede udvalget om belysningen på Havnevej?")
    assert other.results[0]["item"]["title"] == "Ny belysning på Havnevej"
    assert "Udvalget afviste at udskifte belysningen i 2024." in other.answer
    assert "Den godkendte indstilling" not in other.answer
    english = assistant.ask("What did the committee decide about the cycle path on Strandvejen?")
    assert "The recommendation it approved: Administrationen indstiller" in english.answer


def test_the_best_item_s_other_treatments_follow_it_when_several_bodies_are_named() -> None:
    from assistant.answer import _case_first
    from assistant.search import ItemHit
    from ingest.models import AgendaItem, Meeting

    def hit(body: str, number: str, case: str | None, score: float) -> ItemHit:
        meeting = Meeting(body=body, date="2024-09-04", doc_type="referat", source="x",
                          doc_hash=body)
        item = AgendaItem(number=number, title=f"Punkt {number}", order=int(number),
                          case_number=case)
        return ItemHit(meeting=meeting, item=item, score=score)

    hits = [hit("Byrådet", "26", "24/4433", 0.9), hit("Byrådet", "24", "24/5701", 0.8),
            hit("Økonomiudvalget", "8", "23/7717", 0.7),
            hit("Økonomiudvalget", "9", "24/4433", 0.6),
            hit("Teknikudvalget", "3", "24/4433", 0.5)]
    ordered = _case_first(hits)
    assert [(h.meeting.body, h.item.number) for h in ordered] == [
        ("Byrådet", "26"), ("Økonomiudvalget", "9"), ("Teknikudvalget", "3"),
        ("Byrådet", "24"), ("Økonomiudvalget", "8")]
    # without a case number on the best item nothing moves
    plain = [hit("Byrådet", "1", None, 0.9), *hits[1:]]
    assert _case_first(plain) == plain


FIGURE = {
    "udvalg.txt": """Teknik- og Miljøudvalget, Hjortsø Kommune
Referat
Mødedato: 5. juni 2024

1. Ny cykelsti langs Strandvejen
Sagsnr.: 24/1234
Sagsbeskrivelse
Cykelstien langs Strandvejen blev i 2023 anslået til et beløb på 3,9 mio. kr.
Indstilling
Administrationen indstiller, at projektet gennemføres som beskrevet i 2024.
Beslutning
Godkendt.
""",
}


def test_a_figure_asked_for_by_the_decision_comes_with_the_recommendation_it_approved(
    tmp_path, hash_embedder, services_factory
):
    assistant = _assistant(tmp_path, hash_embedder, services_factory, FIGURE)
    answer = assistant.ask("Hvor stort et beløb blev cykelstien langs Strandvejen anslået til "
                           "ifølge udvalgets beslutning?")
    assert "3,9 mio. kr." in answer.answer and "Beslutning: Godkendt." in answer.answer
    assert ("Den godkendte indstilling: Administrationen indstiller, at projektet "
            "gennemføres som beskrevet i 2024. [1]") in answer.answer
    # without asking for the decision the figure and the decision suffice
    plain = assistant.ask("Hvor stort et beløb blev cykelstien langs Strandvejen anslået til?")
    assert "3,9 mio. kr." in plain.answer and "Den godkendte indstilling" not in plain.answer


def test_a_council_of_another_municipality_is_refused_by_name(
    tmp_path, hash_embedder, services_factory
):
    # the council's name does not say whose it is: its minutes do ('Hjortsø Kommune')
    docs = {"byraad.txt": DOCS["byraad.txt"].replace("Byrådet, Hjortsø Kommune", "Byrådet")
            .replace("blev givet.", "blev givet. Hjortsø Kommune orienterer Roskilde Kommune.")}
    assistant = _assistant(tmp_path, hash_embedder, services_factory, docs)
    assert assistant.retriever.bodies.bodies == ("Byrådet",)
    answer = assistant.ask("Hvad besluttede Roskilde Byråd om cykelstien langs Strandvejen?")
    assert answer.no_answer and "Roskilde Byråd" in answer.answer
    own = assistant.ask("Hvad besluttede Hjortsø Byråd om cykelstien langs Strandvejen?")
    assert not own.no_answer, own.answer
    assert "4,2 mio. kr." in own.answer
