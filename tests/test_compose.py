"""Answer composition: expected answer types, sentence picking, list entries, the Danish
sentence splitter."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.compose import SentencePicker, answer_type, cite, holds
from assistant.lexical import Analyzer
from ingest.danish import split_sentences


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvor mange pladser er der oprettet?", "number"),
        ("How much did the spending rise?", "number"),
        ("Hvornår træder loven i kraft?", "date"),
        ("When is the final decision due?", "date"),
        ("Hvem er udpeget til forummet?", "person"),
        ("Which tasks move to the regions?", "list"),
        ("Hvad blev besluttet om budgettet?", "statement"),
    ],
)
def test_answer_type(question: str, kind: str) -> None:
    assert answer_type(question) == kind


def test_holds_the_expected_kind() -> None:
    assert holds("number", "Udgifterne steg med 858 mio. kr. svarende til 10,9 %.")
    assert not holds("number", "Udgifterne steg meget.")
    assert holds("date", "Loven træder i kraft den 1. januar 2027.")
    assert holds("person", "Udvalget udpegede Anders Bøge, Skive.")
    assert not holds("person", "Udvalget udpegede en repræsentant.")


def _picker(df: dict[str, int], n: int = 100) -> SentencePicker:
    analyzer = Analyzer()

    def idf(token: str) -> float:
        import math

        return math.log((n + 1) / (df.get(token, 0) + 0.5))

    return SentencePicker(analyzer.tokens, idf)


def test_rare_words_and_the_answer_type_decide_the_sentence() -> None:
    analyzer = Analyzer()
    kommun = analyzer.tokens("kommunerne")[0]
    picker = _picker({kommun: 95})  # 'kommunerne' is in almost every passage
    text = (
        "Kommunerne har drøftet sagen længe. "
        "Kommunerne har bidraget med 13 eksempler på barrierer for velfærdsteknologi. "
        "Sagen er i øvrigt omtalt i kommunerne."
    )
    question = "Hvor mange eksempler på barrierer har kommunerne bidraget med?"
    weights = picker.weights(analyzer.tokens(question))
    picked = picker.pick(weights, answer_type(question), [(1, text)], limit=1)
    assert [c.text for c in picked] == [
        "Kommunerne har bidraget med 13 eksempler på barrierer for velfærdsteknologi."
    ]


def test_a_list_introduction_brings_its_entries_and_reads_as_one_sentence() -> None:
    analyzer = Analyzer()
    picker = _picker({})
    text = (
        "Baggrund for sagen.\n\nKKR godkendte følgende fokusområder for valgperioden:\n\n"
        "- Mental sundhed\n- Afbureaukratisering\n- Klima og energi\n\nEt andet afsnit."
    )
    weights = picker.weights(analyzer.tokens("Hvilke fokusområder godkendte KKR?"))
    picked = picker.pick(weights, "list", [(1, text)], limit=1)
    assert cite(picked) == (
        "KKR godkendte følgende fokusområder for valgperioden: "
        "Mental sundhed; Afbureaukratisering; Klima og energi. [1]"
    )


def test_nothing_is_picked_without_shared_words() -> None:
    analyzer = Analyzer()
    picker = _picker({})
    weights = picker.weights(analyzer.tokens("Hvad koster letbanen?"))
    assert picker.pick(weights, "number", [(1, "Mødet sluttede kl. 12.")]) == []


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Loven træder i kraft d. 1. januar 2027. Det er vedtaget.",
         ["Loven træder i kraft d. 1. januar 2027.", "Det er vedtaget."]),
        ("Se bl.a. pkt. 3.1 om budgettet. Rammen er 2,4 mia. kr. i 2024. Næste møde.",
         ["Se bl.a. pkt. 3.1 om budgettet.", "Rammen er 2,4 mia. kr. i 2024.", "Næste møde."]),
        ("Følgende punkter:\n- Klima\n- Energi", ["Følgende punkter:", "- Klima", "- Energi"]),
        ("Sagen behandles jf. Bilag 2. Mødet sluttede kl. 12.00.",
         ["Sagen behandles jf. Bilag 2.", "Mødet sluttede kl. 12.00."]),
    ],
)
def test_danish_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


WORDS = st.sampled_from(
    ["Kommunen", "har", "bl.a.", "besluttet", "pkt.", "3.1", "kr.", "1.", "januar", "2027.",
     "Det", "er", "godkendt.", "mio.", "og", "jf.", "Bilag", "\n", "\n\n", "- ", "ca."]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=60))
def test_splitting_keeps_every_word_in_order(words: list[str]) -> None:
    text = " ".join(words)
    out = " ".join(split_sentences(text)).split()
    source = text.split()
    # the sentences are the text's words in order (fragments under 4 characters dropped)
    it = iter(source)
    assert all(any(w == s for s in it) for w in out)
    assert {w for w in source if len(w) >= 4} <= set(out)
