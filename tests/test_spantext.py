"""A timeline is searched by its topic, not by the meetings and months that bound it
(:mod:`assistant.spantext`)."""

from __future__ import annotations

import pytest

from assistant.answer import Assistant
from assistant.search import Retriever
from assistant.spantext import timeline_search_text


@pytest.fixture(scope="module")
def assistant(real_services) -> Assistant:
    return Assistant(Retriever(real_services.store, real_services.embedder))


def test_dates_months_years_and_meeting_words_are_left_out() -> None:
    text = timeline_search_text(
        "Beskriv forløbet for klimasamarbejdet fra Rådets møde i november 2022 over "
        "byråds-mødet den 3. februar 2023 til dagsordenen i april 2025.")
    assert text is not None
    for gone in ("møde", "november", "2022", "3. februar", "dagsorden", "april", "2025"):
        assert gone not in text.lower()
    assert "klimasamarbejdet" in text
    english = timeline_search_text("How did the loan pool develop between the June 2023 "
                                   "minutes and the November 2023 agenda?")
    assert english is not None and "loan pool" in english
    assert not any(w in english for w in ("June", "2023", "minutes", "agenda"))


def test_a_question_about_meetings_only_is_searched_as_it_is() -> None:
    assert timeline_search_text("Hvilke møder blev holdt i 2023?") is None


def test_a_timeline_over_named_meetings_lists_the_matter_not_the_procedure(
        assistant: Assistant) -> None:
    """The months named bound the timeline; searched as words they brought in the approval
    of earlier minutes and lists of coming meetings instead of the matter's treatments."""
    answer = assistant.ask("Beskriv forløbet for klimasamarbejdet KlimaMidt fra KD-Nets møde i "
                           "november 2022 over KKR-mødet i februar 2023 til KKR-dagsordenen i "
                           "april 2025.")
    assert answer.timeline
    titles = [r["item"]["title"] for r in answer.results]
    assert not any(t.startswith("Godkendelse af referat") for t in titles), titles
    assert any("klima" in t.lower() for t in titles if t), titles
    dates = {r["meeting"]["date"] for r in answer.results}
    assert {"2022-11-04", "2023-02-10", "2025-04-08"} <= dates, dates
