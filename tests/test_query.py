"""Question analysis: language, intent, named bodies, dates, timeline."""

from __future__ import annotations

import pytest

from assistant.bodies import BodyIndex
from assistant.query import (
    DateConstraint,
    act_years,
    analyze,
    detect_intent,
    detect_language,
    english_own_words,
    extract_dates,
)


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("What was decided about KlimaMidt funding?", "en"),
        ("Hvad blev besluttet om KlimaMidt?", "da"),
        ("Hvor mange studiepladser på pædagoguddannelsen?", "da"),
        ("Who chairs the municipal directors' network?", "en"),
        ("KlimaMidt", "da"),  # Danish is the default
        # Danish letters in the names an English question uses are no Danish
        ("Who took chairman Mikkel Dam's place at Faxe's Children and Learning Committee "
         "(Børn & Læringsudvalget) on 8 September 2021?", "en"),
        ("Hvem afløste Mikkel Dam i Børn & Læringsudvalget?", "da"),
    ],
)
def test_language(question: str, lang: str) -> None:
    assert detect_language(question) == lang


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("What was decided about KlimaMidt funding?", "decision"),
        ("Hvad blev der besluttet om afbureaukratisering?", "decision"),
        ("What was the outcome of the discussion of lægevagten?", "decision"),
        ("What came out of the directors' discussion of the rate agreement?", "decision"),
        ("Hvad kom der ud af drøftelsen af takstaftalen?", "decision"),
        ("Hvad indstilles KKR Midtjylland til?", "proposal"),
        ("What is KKR asked to do with the practice plan?", "proposal"),
        ("Hvad skal KKR tage stilling til vedrørende høringssvaret?", "proposal"),
        ("Hvor mange lærepladser skal der fordeles?", "fact"),
        ("Who briefed KD-Net on the health area?", "fact"),
        # a proposal named as the thing decided on: the verb says what is asked
        ("Hvad besluttede Økonomiudvalget om forslaget om indkøb af kyllingekød?", "decision"),
        ("What was recommended on the proposal to fly the flag?", "proposal"),
        ("What did the administration recommend the committee decide?", "proposal"),
        ("Hvad gik forslaget ud på?", "proposal"),
        # the decision verb names the thing asked about, in a relative clause
        ("What is the 'fast track' that KL and the state have agreed on?", "fact"),
        ("What is it that the council decided about the fast track?", "decision"),
        ("Hvad er det, som byrådet besluttede om skolen?", "decision"),
    ],
)
def test_intent(question: str, intent: str) -> None:
    assert detect_intent(question) == intent


def test_dates_in_danish_and_english() -> None:
    assert extract_dates("på KKR-mødet den 21. juni 2023") == (DateConstraint(2023, 6, 21),)
    assert extract_dates("at the June 2023 KKR meeting") == (DateConstraint(2023, 6),)
    assert extract_dates("on 4 November 2022") == (DateConstraint(2022, 11, 4),)
    assert extract_dates("Dato: 21-11-2023") == (DateConstraint(2023, 11, 21),)
    assert extract_dates("i april 2025") == (DateConstraint(2025, 4),)
    assert extract_dates("i 2024") == (DateConstraint(2024),)
    # a year range is a period, not the meeting date
    assert extract_dates("valgperioden 2022-2026") == ()


def test_date_constraint_matching() -> None:
    june = DateConstraint(2023, 6)
    assert june.matches("2023-06-21") and not june.matches("2023-02-10")
    assert DateConstraint(2023).matches("2023-11-21")
    assert DateConstraint(2022, 11, 4).label() == "04.11.2022"


def test_bodies_doc_type_and_timeline() -> None:
    held = BodyIndex(["KD-Net", "KKR Midtjylland"])
    q = analyze("What did the municipal directors' network (KD-Net) decide in November 2022?", held)
    assert q.bodies == ("KD-Net",) and q.intent == "decision" and q.language == "en"
    q = analyze("Hvad stod der i referatet fra KKR Midtjylland?", held)
    assert q.bodies == ("KKR Midtjylland",) and q.doc_type == "referat"
    # without the archive's bodies no body is recognised: the code knows none
    assert analyze("Hvad stod der i referatet fra KKR Midtjylland?").bodies == ()
    assert not analyze("What did the city council decide about business development?").timeline
    assert analyze("Trace how welfare technology was followed up in 2023").timeline
    assert analyze("Hvordan forløb arbejdet med strategien?").timeline
    assert not analyze("Hvornår overtager regionen den akutte natordning?").timeline


def test_a_year_that_opens_or_closes_a_span_names_no_matter() -> None:
    """'Budget 2025' or 'the 2024 forecast' may name a recurring matter (the title-year
    bonus); 'from 2025' or 'by the end of 2035' dates something inside it."""
    from assistant.query import matter_years

    assert matter_years("Who runs the tender for waste from 2025?") == ()
    assert matter_years("What did the 2024 population forecast expect by the end of 2035?") == (
        2024,)
    assert matter_years("Hvad koster ordningen fra og med 2026 og i 2027?") == (2027,)
    assert matter_years("Hvor meget blev afsat til 2025, til og med 2027?") == (2025,)
    assert analyze("Hvad står der i Budget 2025?").matter_years == (2025,)


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("What price did the City Council accept in 2026 when it sold the site?", (2026,)),
        ("Hvad besluttede Byrådet i 2024 om skolerne?", (2024,)),
        ("Har Byrådet solgt grunden i løbet af 2026?", (2026,)),
        ("Who was elected chair in 2022?", (2022,)),
        # the year of what an act is about, or of what was foreseen, dates no act
        ("What did the council decide about the budget for 2026?", ()),
        ("How many residents was Greve expected to have in 2030?", ()),
        ("Hvad er allerede aftalt i 2026?", ()),
        ("What is planned in 2026?", ()),
        ("Hvor meget blev afsat til vejene i 2026?", ()),  # money set aside for a year
    ],
)
def test_act_years_are_the_years_a_past_act_is_dated_to(
    question: str, years: tuple[int, ...]
) -> None:
    assert act_years(question) == years


def test_an_english_question_s_own_words_are_those_written_as_documents_write_them() -> None:
    question = ("When was the 72-hour treatment responsibility for patients from Køge "
                "implemented, according to SAG-2023-00155?")
    assert english_own_words(question).split() == ["72", "Køge", "2023", "00155"]


def test_a_vote_asks_for_the_decision_and_a_period_for_a_date() -> None:
    from assistant.query import answer_types

    assert detect_intent("How did the council's two votes on it go?") == "decision"
    assert detect_intent("Hvem stemte imod forslaget?") == "decision"
    assert "date" in answer_types("How much did it inherit, and in which period must it be spent?")
    assert answer_types("Hvilket år blev skolen bygget?")[0] == "date"


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("When is the constituent meeting scheduled?", ("date",)),
        ("Who stepped in, and until when?", ("person", "date")),
        ("And when will the new school open?", ("date",)),
        # a 'when' that opens a clause asks for nothing
        ("Which points did the council stress when it discussed the strategy?", ("list",)),
        ("When the council met in June, what did it decide?", ("statement",)),
    ],
)
def test_when_asks_for_a_date_only_as_a_question_word(
    question: str, kinds: tuple[str, ...]
) -> None:
    from assistant.query import answer_types

    assert answer_types(question) == kinds


def test_a_span_of_years_outside_the_archive_is_the_matter_s_period() -> None:
    from assistant.query import within_archive

    question = "How much did spending rise from 2018 to 2022, and how does that compare?"
    read = analyze(question)
    assert read.timeline and {d.year for d in read.dates} == {2018, 2022}
    # an archive from 2022 holds no meetings of 2018: the span is what the figures cover
    matter = within_archive(read, "2022-11-04", "2025-04-08")
    assert not matter.timeline and matter.dates == ()
    # an archive that holds those years reads the span as the meetings asked about
    held = within_archive(read, "2017-01-10", "2025-04-08")
    assert held == read
    # a named month stays a meeting date, and other timeline words keep the timeline
    traced = within_archive(
        analyze("Trace the budget from 2018 to 2022 up to the June 2023 meeting"),
        "2022-11-04", "2025-04-08")
    assert traced.timeline and [(d.year, d.month) for d in traced.dates] == [(2023, 6)]
