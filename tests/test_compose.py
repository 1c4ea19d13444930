"""Answer composition: expected answer types, sentence picking, list entries, the Danish
sentence splitter."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.compose import SentencePicker, cite, holds, list_heads
from assistant.lexical import Analyzer
from assistant.query import answer_type, answer_types
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
        ("How large is the yearly operating grant?", "amount"),
        ("What connection fee per housing unit did the utility set?", "amount"),
        ("Hvor meget skulle frokosttaksten være om måneden?", "amount"),
        ("Hvor mange borgere boede i kommunen?", "number"),
        ("Hvilke to byrådsmedlemmer skulle deltage i møderne?", "person"),
        ("Which members were appointed to the council?", "person"),
        ("Why was the project postponed again?", "reason"),
        ("Hvad var den største enkeltårsag til merforbruget?", "reason"),
        ("Hvor ofte bliver elevtoiletterne rengjort?", "frequency"),
        ("How many times a year does the council meet?", "frequency"),
        # 'which' of a season asked for is the date's, not a list's
        ("During which part of the year may motorhomes park there?", "date"),
        ("Hvilke måneder må der holdes åbent?", "date"),
        # 'granted an exemption' is no sum of money ('how large a grant' is)
        ("How many spaces did the committee's exemption, granted in May, allow?", "number"),
    ],
)
def test_answer_type(question: str, kind: str) -> None:
    assert answer_type(question) == kind


def test_a_question_in_two_parts_asks_for_two_kinds_in_its_order() -> None:
    assert answer_types("Who stepped in for her, and until when?") == ("person", "date")
    assert answer_types("Hvornår blev det vedtaget, og hvor meget koster det?") == (
        "date", "amount")
    assert answer_types("Hvornår blev det vedtaget, og hvor mange deltog?") == (
        "date", "number")
    assert answer_types("Hvad blev besluttet?") == ("statement",)
    assert answer_types("How tall will the tower be, and who applied for it?") == (
        "number", "person")
    assert answer_types("Hvor bred bliver stien?") == ("number",)
    assert answer_types("Hvem blev nyt medlem, og hvorfor trådte det hidtidige medlem ud?") == (
        "person", "reason")


def test_each_asked_kind_gets_a_sentence() -> None:
    analyzer = Analyzer()
    picker = _picker({})
    text = ("Byrådet godkender orlov til byrådsmedlem Ronni Hansen til og med 29. maj 2025. "
            "Orloven skyldes arbejde i udlandet. "
            "Stedfortræderen for Ronni Hansen er Jesper Fini Khure.")
    question = "Hvem trådte ind for Ronni Hansen under orloven, og til hvornår varede orloven?"
    weights = picker.weights(analyzer.tokens(question))
    date, person = split_sentences(text)[0], split_sentences(text)[2]
    # the person asked about is no answer to 'who stepped in for him'
    assert [c.text for c in picker.pick(weights, "person", [(1, text)], limit=1)] == [person]
    assert [c.text for c in picker.pick(weights, "date", [(1, text)], limit=1)] == [date]
    both = picker.pick(weights, answer_types(question), [(1, text)], limit=1)
    assert [c.text for c in both] == [date, person]


def test_holds_the_expected_kind() -> None:
    assert holds("number", "Udgifterne steg med 858 mio. kr. svarende til 10,9 %.")
    assert not holds("number", "Udgifterne steg meget.")
    # a date's day is no figure; an amount is money or a rate, not any number
    assert not holds("number", "Varsling 5. - 16. februar 2024, ikrafttræden 1. juni 2024.")
    assert holds("amount", "Taksten bliver 854 kr. pr. barn pr. måned.")
    assert holds("amount", "en garantiprovision på 0,4 % af restgælden")
    assert not holds("amount", "I 2036 forventes 166 færre borgere i målgruppen.")
    assert holds("reason", "Han ønsker at træde ud pga. et betydeligt arbejdspres.")
    assert holds("reason", "Projektet udskydes grundet gravearbejder i området.")
    assert not holds("reason", "Udvalget godkendte sagen.")
    assert holds("frequency", "På alle skoler rengøres elevtoiletterne to gange om dagen.")
    assert not holds("frequency", "Elevtoiletterne er kønsopdelte på alle årgange.")
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
        # a decision's numbered points: '1.-2.' and a point after an amount open a point
        ("1.-2. Godkendt. 3. Godkendt med en pris på 100 kr. 4. Kan ikke godkendes.",
         ["1.-2. Godkendt.", "3. Godkendt med en pris på 100 kr.", "4. Kan ikke godkendes."]),
        ("Ad 1. Godkendt. Ad 2. Taget til efterretning.",
         ["Ad 1. Godkendt.", "Ad 2. Taget til efterretning."]),
        ("Beløbet er 5 mio. kr. Det blev aftalt. Mødet er kl. 10. Der er kaffe.",
         ["Beløbet er 5 mio. kr.", "Det blev aftalt.", "Mødet er kl. 10.", "Der er kaffe."]),
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


def test_a_list_entry_is_about_its_heading_and_brings_it() -> None:
    """'...udpeget følgende...' + 'Biodiversitet:' + names: the names under the heading
    the question asks about are the answer, and they come with their headings."""
    analyzer = Analyzer()
    picker = _picker({})
    text = (
        "Formandskabet har udpeget følgende repræsentanter til de to fora.\n\n"
        "Unge uden job:\n\n- Dorte Jensby, Silkeborg\n- Jens Aagaard, Syddjurs.\n\n"
        "Biodiversitet:\n\n- Jørgen Ivar Holm, Syddjurs\n- Anders Bækgaard, Skive.\n\n"
        "Kommissorierne sendes rundt til kommunerne."
    )
    question = "Hvem har formandskabet udpeget til forummet om biodiversitet?"
    weights = picker.weights(analyzer.tokens(question))
    picked = picker.pick(weights, answer_type(question), [(1, text)], limit=2)
    answer = cite(picked)
    assert "Biodiversitet: Jørgen Ivar Holm, Syddjurs; Anders Bækgaard, Skive" in answer
    assert answer.startswith("Formandskabet har udpeget følgende repræsentanter")


def test_a_line_ending_in_a_semicolon_introduces_its_list() -> None:
    analyzer = Analyzer()
    picker = _picker({})
    text = (
        "Udvalget drøftede status på politikken.\n\n"
        "1. Udvalget ønsker, at der fremlægges sager om;\n\n"
        "- mulighed for en fagdag i kommunen\n\n- én indgang for virksomhederne\n\n"
        "2. Orienteringen blev taget til efterretning."
    )
    question = "Hvilke sager ønskede udvalget fremlagt?"
    weights = picker.weights(analyzer.tokens(question))
    picked = picker.pick(weights, "list", [(1, text)], limit=1)
    assert cite(picked) == (
        "1. Udvalget ønsker, at der fremlægges sager om: "
        "mulighed for en fagdag i kommunen; én indgang for virksomhederne. [1]"
    )


def test_a_two_part_question_gets_a_sentence_for_each_part() -> None:
    """Once a sentence answers the first part, the words it shares count less, so the
    sentence with the second part's words comes next - not a repeat of the first."""
    analyzer = Analyzer()
    picker = _picker({})
    text = (
        "Servicerammen øges med 2,4 mia. kr. i 2024 for kommunerne. "
        "Servicerammen for kommunerne er drøftet i 2024 i mange fora. "
        "Servicerammen for 2024 blev omtalt af kommunerne i pressen. "
        "Dvs. et nettoløft på 1,7 mia. kr."
    )
    question = "Hvor meget øges kommunernes serviceramme i 2024, og hvad er nettoløftet?"
    weights = picker.weights(analyzer.tokens(question))
    picked = picker.pick(weights, answer_type(question), [(1, text)], limit=2)
    assert [c.text for c in picked] == [
        "Servicerammen øges med 2,4 mia. kr. i 2024 for kommunerne.",
        "Dvs. et nettoløft på 1,7 mia. kr.",
    ]


def test_a_recorded_decision_is_favoured_over_the_case_text() -> None:
    analyzer = Analyzer()
    picker = _picker({})
    case = "Udvalget udpegede i 2020 medlemmer til rådet for fire år."
    decision = "Udvalget udpegede Anne Holm og Maria Berg til rådet."
    question = "Hvad udpegede udvalget til rådet?"
    weights = picker.weights(analyzer.tokens(question))
    text = f"{case}\n\n{decision}"
    plain = picker.pick(weights, "statement", [(1, text)], limit=1)
    favoured = picker.pick(weights, "statement", [(1, text)], limit=1, favoured=[decision])
    assert [c.text for c in plain] == [case]  # as many shared words, and read first ...
    assert [c.text for c in favoured] == [decision]  # ... but the decision says what was done


def test_meaning_finds_the_sentence_an_english_question_asks_for() -> None:
    """Word overlap cannot cross languages: a sentence's closeness in meaning decides."""
    analyzer = Analyzer()
    picker = _picker({})
    text = "Sagen blev drøftet. Tilskuddet er på 87.500 kr. om året. Mødet sluttede."
    question = "How large a grant was awarded?"
    weights = picker.weights(analyzer.tokens(question))
    assert picker.pick(weights, answer_type(question), [(1, text)]) == []

    def meaning(sentences: Sequence[str]) -> np.ndarray:
        return np.array([0.9 if "Tilskud" in s else 0.8 for s in sentences])

    picked = picker.pick(weights, answer_type(question), [(1, text)], limit=1, meaning=meaning)
    assert [c.text for c in picked] == ["Tilskuddet er på 87.500 kr. om året."]


def test_a_sentence_opening_with_a_full_name_holds_a_person() -> None:
    assert holds("person", "Lasse Jensby orienterede om sundhedsområdet.")
    assert not holds("person", "Orienteringen blev taget til efterretning.")


def test_a_name_whose_words_fill_the_archive_is_no_person() -> None:
    analyzer = Analyzer()
    greve = analyzer.tokens("Greve")[0]
    picker = _picker({greve: 60})  # the municipality's name is in most passages
    text = ("Tunnelerne i Greve Nord er udpeget som indsatsområde. "
            "Fra Seniorrådet er Anna Winnifred udpeget.")
    question = "Hvem blev udpeget?"
    weights = picker.weights(analyzer.tokens(question))
    candidates = {c.text: c for c in picker.candidates(weights, "person", [(1, text)])}
    place, person = split_sentences(text)
    assert "person" not in candidates[place].kinds  # 'Greve Nord' is a place of the archive
    assert "person" in candidates[person].kinds
    # without the archive's counts both read as names: the floor is what tells them apart
    assert holds("person", place) and holds("person", person)


def test_attachment_lines_are_never_quoted() -> None:
    picker = SentencePicker(Analyzer().tokens, lambda t: 1.0)
    text = (
        "./. Høringssvar til visions- og udviklingsplan for socialområdet\n\n"
        "Bilag 2: Høringssvar om socialområdet\n\n"
        "KKR godkender høringssvaret om visions- og udviklingsplanen for socialområdet."
    )
    question = "Hvad med høringssvaret om visions- og udviklingsplan for socialområdet?"
    weights = picker.weights(Analyzer().tokens(question))
    picked = picker.pick(weights, answer_type(question), [(1, text)], limit=3)
    assert [c.text for c in picked] == [
        "KKR godkender høringssvaret om visions- og udviklingsplanen for socialområdet."
    ]


def test_a_reported_decision_holds_the_decision_kind() -> None:
    assert holds("decision", "Her blev det besluttet at ændre vedtægterne.")
    assert holds("decision", "The board approved the plan.")
    assert not holds("decision", "Sagen drøftes på næste møde.")


def test_a_recommendation_opened_with_a_comma_brings_its_points() -> None:
    """'Administrationen indstiller,' above '- at ...' lines: its points are one list, and a
    point chosen brings its siblings ('which providers were approved and which refused')."""
    text = ("Administrationen indstiller,\n- at der gives afslag til Amandi Pleje ApS,\n"
            "- at AjourCare ApS bliver godkendt,\n- at Kvik Vikar ApS bliver godkendt.\n"
            "Sagen blev drøftet i udvalget.")
    sentences = split_sentences(text)
    assert list_heads(sentences) == [None, 0, 0, 0, None]
    analyzer = Analyzer()
    picker = _picker({})
    weights = picker.weights(analyzer.tokens("Hvem fik afslag som leverandør?"))
    said = cite(picker.pick(weights, "list", [(1, text)], limit=1))
    assert "Kvik Vikar ApS bliver godkendt" in said and "AjourCare" in said
    assert "drøftet" not in said and said.startswith("Administrationen indstiller: at ")
    assert "Amandi Pleje ApS; at AjourCare ApS bliver godkendt; at Kvik" in said


def test_meaning_is_asked_for_the_most_promising_sentences_only() -> None:
    """Embedding a sentence costs ~10 ms: only ``meaning_sentences`` of them are embedded,
    chosen by shared words, the kind of answer held, rank and place - so the figure that
    stands late in a long item is among them."""
    from assistant.tuning import TUNING

    analyzer = Analyzer()
    picker = _picker({})
    filler = [f"Udvalget drøftede emne nummer {chr(65 + n % 26)} uden videre." for n in range(30)]
    figure = "Driftstilskuddet til hallerne udgør årligt 9.777.800 kr."
    text = " ".join([*filler, figure])
    asked: list[list[str]] = []

    def meaning(sentences: Sequence[str]) -> np.ndarray:
        asked.append(list(sentences))
        return np.linspace(0.7, 0.8, len(sentences))

    question = "How large is the yearly operating grant (driftstilskuddet) for the halls?"
    weights = picker.weights(analyzer.tokens("driftstilskuddet hallerne"))
    picked = picker.pick(weights, answer_type(question), [(1, text)], limit=1, meaning=meaning)
    assert len(asked) == 1 and len(asked[0]) == TUNING.answer.meaning_sentences
    assert figure in asked[0]
    assert [c.text for c in picked] == [figure]


def test_the_sentence_after_one_that_restates_the_question_is_kept() -> None:
    """A Danish question's best sentence by shared words often restates it ('om der fortsat
    skal lægges moms'); the sentence that answers it shares fewer of its words and must
    still be kept."""
    analyzer = Analyzer()
    picker = _picker({})
    text = ("Forsyningen har anmodet Skattestyrelsen om et bindende svar om, hvorvidt der "
            "fortsat skal lægges moms på renovationsydelserne til borgere og virksomheder. "
            "Sagen har været drøftet med revisionen. "
            "Det bindende svar betyder, at selskabet kan opkræve moms som hidtil.")
    question = ("Skal selskabet fortsat lægge moms på renovationsydelserne ifølge det bindende "
                "svar fra Skattestyrelsen?")
    weights = picker.weights(analyzer.tokens(question))
    picked = [c.text for c in picker.pick(weights, answer_types(question), [(1, text)], limit=4)]
    restates, _, answers = split_sentences(text)
    assert picked[0] == restates and answers in picked


def test_a_count_of_the_asked_thing_holds_the_number() -> None:
    """'hvor mange høringsmøder' is answered by '3 høringsmøder' (a single digit and no
    unit, which alone counts nothing), not by a count of something else."""
    analyzer = Analyzer()
    picker = _picker({})
    text = ("Der blev i perioden afholdt 3 høringsmøder med borgerne. "
            "Udvalget holdt 2 temadrøftelser om sagen.")
    weights = picker.weights(analyzer.tokens("Hvor mange høringsmøder blev der holdt?"))
    candidates = {c.text: c for c in picker.candidates(weights, "number", [(1, text)])}
    asked, other = split_sentences(text)
    assert "number" in candidates[asked].kinds
    assert "number" not in candidates[other].kinds
    assert not holds("number", asked)  # without the question's words: no figure


def test_a_why_question_finds_the_reason_of_the_best_item_in_its_own_words() -> None:
    """'Hvorfor skal tandklinikken flyttes?' is answered by the item's 'I forlængelse af en
    ny lov ...', a sentence sharing no word with the question; another item's reasons are
    not the best item's."""
    analyzer = Analyzer()
    picker = _picker({})
    reason = ("I forlængelse af en ny lov om at udvide målgruppen skal Tandplejen udvide "
              "kapaciteten fra 2024.")
    texts = [(1, f"Sagen drejer sig om tandklinikken på skolen. {reason}"),
             (2, "Parkeringen udvides på grund af flere besøgende.")]
    weights = picker.weights(analyzer.tokens("Hvorfor skal tandklinikken flyttes?"))
    picked = [c.text for c in picker.pick(weights, ("reason",), texts, limit=2)]
    assert reason in picked
    assert not any(t.startswith("Parkeringen") for t in picked)
