"""English words matched to the archive's Danish stems they are spelled like."""

from assistant.cognates import Cognates, sound_form
from assistant.query import analyze
from ingest.danish import stem_words

STEMS = stem_words(["strategi", "konference", "kapacitet", "psykiatri", "klima", "positivt",
                    "revision", "rate", "mobilitet", "hospitaler"])


def test_sound_form_brings_both_spellings_together() -> None:
    assert sound_form("strategy") == sound_form("strategi")
    assert sound_form("conference") == sound_form("konference")
    assert sound_form("psychiatry") == sound_form("psykiatri")
    assert sound_form("Accept") == "aksept"


def test_words_spelled_alike_find_the_archive_stems() -> None:
    cognates = Cognates(STEMS)
    assert cognates.of("strategy") == stem_words(["strategi"])
    assert cognates.of("conference") == stem_words(["konference"])
    assert cognates.of("psychiatry") == stem_words(["psykiatri"])
    assert cognates.of("climate") == ["klima"]
    assert cognates.of("mobility") == stem_words(["mobilitet"])
    assert cognates.of("hospitals") == stem_words(["hospitaler"])


def test_look_alikes_and_short_words_are_not_matched() -> None:
    cognates = Cognates(STEMS)
    assert cognates.of("position") == []  # 'positivt': too many letters differ
    assert cognates.of("revised") == []
    assert cognates.of("rates") == []  # under five letters of sound form in common
    assert cognates.of("budget") == []  # not in this archive: nothing is invented


def test_an_english_question_searches_the_stems_its_words_are_spelled_like() -> None:
    cognates = Cognates(STEMS)
    english = analyze("What was the strategy for psychiatry in March 2024?", cognates=cognates)
    assert set(english.lexical_stems) == set(stem_words(["strategi", "psykiatri"]))
    danish = analyze("Hvad er strategien for psykiatri?", cognates=cognates)
    assert danish.lexical_stems == ()  # a Danish question's own words are searched


def test_the_lexical_index_searches_stems_as_they_are() -> None:
    from assistant.lexical import LexicalIndex

    index = LexicalIndex(["a", "b"], ["Kapaciteten på botilbud udvides.", "Budgettet for 2024."])
    cognates = Cognates(index.open_vocabulary)
    stems = cognates.of("capacity")
    assert stems == stem_words(["kapaciteten"])
    scores = index.scores("", stems)
    assert scores[0] > 0 and scores[1] == 0
    assert not index.scores("capacity").any()  # the English word itself matches nothing
