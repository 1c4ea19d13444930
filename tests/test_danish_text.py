"""The Danish text module (``ingest/danish.py``): dates, sentences, words, squashing.

Property tests render a date in every written form the finder reads and find it back,
build texts from sentences holding the abbreviations Danish minutes are full of and split
them back, and check the word helpers' invariants; example tests use the sample documents
and the Greve fixture read through the product's readers.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.danish import (
    ABBREVIATIONS,
    DANISH_MONTHS,
    DATE_FORMS,
    ENGLISH_MONTHS,
    MONTHS,
    STOPWORDS,
    TITLE_STOPWORDS,
    WORD_RE,
    FoundDate,
    danish_stemmer,
    find_dates,
    long_date,
    number_key,
    split_sentences,
    squash,
    stem_words,
    text_key,
)
from ingest.header import find_date
from ingest.pipeline import load_meeting
from ingest.readers import read_document

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "data" / "samples" / "kkr-midtjylland").iterdir())
GENERAL = sorted(p for p in (REPO / "tests" / "general").iterdir() if p.suffix != ".json")
GREVE = sorted((REPO / "tests" / "fixtures" / "greve").glob("*.json"))

# ------------------------------------------------------------------------------- dates

ABBREVIATED = {n: [a for a, m in MONTHS.items() if m == n and len(a) <= 4] for n in range(1, 13)}
FILLER = st.lists(
    st.sampled_from(["Mødet", "holdes", "den", "og", "blev", "udsat", "til", "efter", "aftale",
                     "i", "Byrådet", "kl.", "om", "meeting", "held", "on", "the"]),
    max_size=6,
).map(" ".join)
"""Words around a date: no digits, no month names."""


@st.composite
def written_dates(draw: st.DrawFn) -> tuple[str, tuple[int | None, int | None, int | None]]:
    """A date written in one of the forms the finder reads, and the parts it names."""
    day = draw(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
    form = draw(st.sampled_from(DATE_FORMS))
    month_word = draw(st.sampled_from(
        [DANISH_MONTHS[day.month - 1], ENGLISH_MONTHS[day.month - 1], *ABBREVIATED[day.month]]
    ))
    month_word = draw(st.sampled_from([month_word, month_word.capitalize(), month_word.upper()]))
    dot = "." if month_word.lower() in ABBREVIATED[day.month] and draw(st.booleans()) else ""
    d = f"{day.day:02d}" if draw(st.booleans()) else str(day.day)
    m = f"{day.month:02d}" if draw(st.booleans()) else str(day.month)
    if form == "numeric":
        a, b = draw(st.sampled_from([".", "/", "-"])), draw(st.sampled_from([".", "/", "-"]))
        return f"{d}{a}{m}{b}{day.year}", (day.year, day.month, day.day)
    if form == "iso":
        return day.isoformat(), (day.year, day.month, day.day)
    if form == "day_month":
        period = draw(st.sampled_from([".", ""]))
        if draw(st.booleans()):
            return f"{d}{period} {month_word}{dot} {day.year}", (day.year, day.month, day.day)
        return f"{d}{period} {month_word}", (None, day.month, day.day)
    if form == "month_day":
        comma = draw(st.sampled_from([",", ""]))
        return f"{month_word}{dot} {d}{comma} {day.year}", (day.year, day.month, day.day)
    if form == "month_year":
        return f"{month_word}{dot} {day.year}", (day.year, day.month, None)
    return str(day.year), (day.year, None, None)


@settings(max_examples=400, deadline=None)
@given(written=written_dates(), before=FILLER, after=FILLER)
def test_a_date_written_in_any_form_is_found_back(
    written: tuple[str, tuple[int | None, int | None, int | None]], before: str, after: str
) -> None:
    text, parts = written
    prefix = f"{before} " if before else ""
    found = find_dates(f"{prefix}{text} {after}".rstrip())
    assert [f.parts for f in found] == [parts]
    assert (found[0].start, found[0].end) == (len(prefix), len(prefix) + len(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(written_dates(), min_size=1, max_size=4))
def test_several_dates_come_back_in_text_order(
    written: list[tuple[str, tuple[int | None, int | None, int | None]]],
) -> None:
    text = " og ".join(w for w, _ in written)
    assert [f.parts for f in find_dates(text)] == [p for _, p in written]


@settings(max_examples=200, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
def test_long_date_is_read_back_as_the_same_date(day: date) -> None:
    [found] = find_dates(long_date(day))
    assert found.iso == day.isoformat() and found.form == "day_month"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 .-/,ajnuregmdsovptkbæø"), max_size=60))
def test_found_dates_never_overlap_and_hold_their_text(text: str) -> None:
    found = find_dates(text)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    for f in found:
        assert f.form in DATE_FORMS and text[f.start : f.end].strip() == text[f.start : f.end]
        assert f.month is None or 1 <= f.month <= 12


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("21.13.2023", [(2023, None, None)]),  # no month 13: only the year is a date
        ("32.01.2023", [(2023, None, None)]),
        ("Budget 2022-2026", []),  # a range's ends are not dates
        ("Budget 2025-28", []),
        ("1/2-2027", [(2027, 2, 1)]),
        ("2023-06-21", [(2023, 6, 21)]),
        ("den 4. nov.", [(None, 11, 4)]),
    ],
)
def test_what_is_not_a_date(text: str, parts: list[tuple[int | None, ...]]) -> None:
    assert [f.parts for f in find_dates(text)] == parts


def test_iso_is_only_a_real_calendar_date() -> None:
    assert FoundDate(2024, 2, 29, 0, 1, "numeric").iso == "2024-02-29"
    assert FoundDate(2023, 2, 29, 0, 1, "numeric").iso is None
    assert FoundDate(2023, 2, None, 0, 1, "month_year").iso is None


def test_real_header_lines_give_the_meeting_date() -> None:
    """Header lines as the sample documents print them (read through the readers)."""
    lines = {line for p in SAMPLES for line in read_document(p).text.splitlines()[:20]}
    assert "Dato: 21-11-2023 10:00 – 12.00" in lines
    assert find_date("Dato: 21-11-2023 10:00 – 12.00") == ("2023-11-21", 16)
    tid = next(line for line in lines if line.startswith("Tid og sted:"))
    found = find_date(tid)
    assert found is not None and found[0] == "2022-11-04"


@pytest.mark.parametrize("path", SAMPLES + GREVE[:3], ids=lambda p: p.name)
def test_every_document_writes_its_meeting_date_in_a_form_found(path: Path) -> None:
    doc, meeting = load_meeting(path)
    assert meeting.date is not None
    assert meeting.date in {f.iso for f in find_dates(doc.text)}


# --------------------------------------------------------------------------- sentences

PROTECTED = [
    "jf. pkt. 3.1", "bl.a. Aarhus", "2,4 mia. kr. til Randers", "d. 1. januar 2027",
    "f.eks. KL", "ca. 12 pct. af budgettet", "jf. Byrådets beslutning", "kl. 10.00",
    "3. behandling", "m.v. i Viborg", "pkt. 4.2.1 Budget", "pr. 1. december 2022",
    "pr. 1. januar",
]  # fmt: skip
WORDS = ["kommunen", "budget", "sagen", "udvalget", "godkendte", "forslaget", "borgere",
         "midler", "indstillingen", "drøftede", "området", "Aarhus", "Region"]  # fmt: skip


@st.composite
def sentences(draw: st.DrawFn) -> str:
    """A sentence: a capitalised opening word, words and protected phrases, an end mark."""
    opening = draw(st.sampled_from(["Udvalget", "Sagen", "Det", "Byrådet", "KKR", "Der"]))
    middle = draw(st.lists(st.sampled_from(WORDS + PROTECTED), min_size=1, max_size=6))
    last = draw(st.sampled_from(WORDS))
    return f"{opening} {' '.join(middle)} {last}{draw(st.sampled_from(['.', '!', '?']))}"


@settings(max_examples=300, deadline=None)
@given(st.lists(sentences(), min_size=1, max_size=6), st.sampled_from([" ", "  ", "\n", " \n "]))
def test_sentences_joined_are_split_back(parts: list[str], gap: str) -> None:
    """No split inside 'pkt. 3.1', 'bl.a.', 'kr.', 'jf.', 'd. 1. januar' or ordinals."""
    assert split_sentences(gap.join(parts)) == parts


@settings(max_examples=200, deadline=None)
@given(st.lists(sentences(), min_size=1, max_size=5), st.sampled_from(["-", "•", "1.", "a)"]))
def test_list_lines_are_sentences_of_their_own(items: list[str], mark: str) -> None:
    intro = "Udvalget besluttede følgende:"
    text = "\n".join([intro] + [f"{mark} {item}" for item in items])
    assert split_sentences(text) == [intro] + [f"{mark} {item}" for item in items]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("Ab c.1\n!?-:æ"), max_size=80))
def test_pieces_are_the_text_in_order(text: str) -> None:
    """Joined, the pieces are the text (whitespace squashed) less dropped fragments."""
    flat = squash(text)
    position = 0
    for piece in split_sentences(text):
        found = flat.find(piece, position)
        assert found >= position, (piece, flat)
        position = found + len(piece)


def test_real_sentences_never_end_on_an_abbreviation() -> None:
    """Over the samples and the general documents: no sentence ends on 'pkt.', 'jf.',
    'bl.a.' or 'd.' and none starts with a month name ('d. 1. | januar')."""
    for path in SAMPLES + GENERAL:
        for sentence in split_sentences(read_document(path).text):
            words = sentence.split()
            assert words[-1].lower() not in {"pkt.", "jf.", "bl.a.", "d.", "pr."}, sentence
            assert words[0].lower() not in DANISH_MONTHS, sentence


def test_the_abbreviations_the_issue_names_are_known() -> None:
    assert {"pkt", "bl.a", "kr", "jf", "d"} <= ABBREVIATIONS


# ------------------------------------------------------------------------------- words


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_squash_leaves_single_spaces_and_is_idempotent(text: str) -> None:
    flat = squash(text)
    assert flat == flat.strip() and "  " not in flat and squash(flat) == flat
    assert flat.split() == text.split()


DANISH_TEXT = st.text(alphabet=st.sampled_from("abæøå ABÆØÅ19.,;:-\n\t"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(DANISH_TEXT, DANISH_TEXT, DANISH_TEXT)
def test_text_key_finds_a_passage_whatever_its_spacing(a: str, b: str, c: str) -> None:
    assert text_key(b) in text_key(f"{a}\n{b.upper()} ,  {c}")


def test_text_key_ignores_punctuation_and_case() -> None:
    assert text_key("Indstillingen blev\n godkendt.") in text_key("indstillingen BLEV godkendt")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 99), min_size=1, max_size=3), min_size=1, max_size=8))
def test_number_key_orders_item_numbers_numerically(numbers: list[list[int]]) -> None:
    written = [".".join(map(str, n)) for n in numbers]
    assert sorted(written, key=number_key) == [".".join(map(str, n)) for n in sorted(numbers)]
    assert number_key("Bilag") > max(number_key(w) for w in written)


def test_stop_words_are_words_the_tokenizer_yields() -> None:
    for word in STOPWORDS | TITLE_STOPWORDS:
        assert WORD_RE.fullmatch(word), word
        assert word == word.lower()


def test_stop_words_keep_what_a_decision_question_needs() -> None:
    """Negations and 'uden'/'mellem' carry meaning (why bm25s' Danish list is not used)."""
    assert not {"ingen", "intet", "uden", "mellem", "kun"} & STOPWORDS
    assert {"og", "i", "the", "what", "hvornår"} <= STOPWORDS


def test_danish_stems_join_inflected_forms() -> None:
    assert len(set(stem_words(["kommunerne", "kommunens", "kommune"]))) == 1
    assert stem_words(["beslutningen", "beslutning"])[0] == stem_words(["beslutning"])[0]
    assert stem_words([]) == []


def test_each_thread_has_its_own_stemmer_with_the_same_stems() -> None:
    words = WORDS * 50
    here = stem_words(words)
    with ThreadPoolExecutor(4) as pool:
        stemmers = list(pool.map(lambda _: id(danish_stemmer()), range(4)))
        results = list(pool.map(lambda _: stem_words(words), range(8)))
    assert all(r == here for r in results)
    assert id(danish_stemmer()) not in stemmers  # main's stemmer lives on: ids not reused
    assert danish_stemmer() is danish_stemmer()


def test_a_heading_line_is_not_glued_to_the_sentence_below() -> None:
    text = "Fremtidig KKR struktur\nI forbindelse med KL's topmøde blev der afholdt et møde."
    assert split_sentences(text) == [
        "Fremtidig KKR struktur",
        "I forbindelse med KL's topmøde blev der afholdt et møde.",
    ]
    # a wrapped line of running text is longer, or ends in a word that continues below
    wrapped = ("Udvalget godkendte på mødet den 3. maj budgettet for det kommende år og bad\n"
               "Administrationen om en plan.")
    assert len(split_sentences(wrapped)) == 1


@pytest.mark.parametrize(("word", "forms"), [
    ("udgik", ("udgå", "udgår")),  # 'Hvilket punkt udgik?' / 'punkt 9 udgår'
    ("vedtog", ("vedtage", "vedtager")),
    ("foreslog", ("foreslå", "foreslår")),
    ("afgjorde", ("afgøre", "afgører")),
    ("åbne", ("åben", "åbben")),  # 'den åbne dagsorden' / 'Åben dagsorden'
    ("gamle", ("gamel", "gammel")),
    ("besluttede", ()),  # a weak verb: the stemmer joins it already
    ("blå", ()),  # no prefix of one letter
])
def test_base_forms_join_what_a_stemmer_cannot(word: str, forms: tuple[str, ...]) -> None:
    from ingest.danish_forms import base_forms

    assert base_forms(word) == forms


def test_a_year_inside_a_name_is_no_date() -> None:
    """'DK2020' (a climate programme), 'COP2015': a name with digits, not the year; a year
    on its own or after an underscore (a file name) still is."""
    assert find_dates("den treårige DK2020-periode og COP2015") == []
    assert [f.parts for f in find_dates("i 2020 vedtog byrådet")] == [(2020, None, None)]
    assert [f.parts for f in find_dates("referat_2023")] == [(2023, None, None)]
