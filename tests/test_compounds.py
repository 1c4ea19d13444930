"""Danish compounds split by the archive's own words (``ingest.danish.CompoundSplitter``)
and searched by their parts (``assistant.lexical``).

Example tests fix each rule of the splitter on small vocabularies of real Danish words;
a property test checks that every split reads back as the word; the bundled sample
documents check the rules hold on a real municipality's vocabulary; BM25 tests check that
a part finds the compound without changing what the whole word finds.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.lexical import Analyzer, LexicalIndex
from ingest.danish import COMPOUND_MIN_HEAD, COMPOUND_MIN_TAIL, WORD_RE, CompoundSplitter
from ingest.pipeline import load_meeting

SAMPLES = sorted((Path(__file__).parents[1] / "data" / "samples" / "kkr-midtjylland").glob("*.*"))


@pytest.mark.parametrize(
    ("word", "known", "parts"),
    [
        ("temamøder", {"tema": 5, "møder": 40}, ("tema", "møder")),
        # linking s
        ("fritidsrådet", {"fritid": 3, "rådet": 10}, ("fritid", "rådet")),
        # a first part that drops its -e before the linking s
        ("arbejdsmarkedet", {"arbejde": 10, "markedet": 3}, ("arbejde", "markedet")),
        # linking e
        ("skolekoncert", {"skol": 0, "skole": 9, "koncert": 2}, ("skole", "koncert")),
    ],
)
def test_a_compound_of_known_words_splits(
    word: str, known: dict[str, int], parts: tuple[str, str]
) -> None:
    assert CompoundSplitter(known).parts(word) == parts


@pytest.mark.parametrize(
    ("word", "known", "why"),
    [
        ("beslutningen", {"beslutning": 30}, "no split into two known words"),
        ("styringen", {"styr": 5, "ingen": 50}, "'ingen' is a function word"),
        ("formanden", {"form": 5, "anden": 50}, "'anden' is a function word"),
        ("temamøder", {"tema": 1, "møder": 40}, "'tema' seen in one text only"),
        ("indstillingen", {"indstille": 8, "ingen": 50}, "-e dropped without a linking s"),
        ("møderum", {"møde": 9, "rum": 9}, "shorter than the shortest compound"),
        ("budget2024", {"budget": 9, "2024": 9}, "not a word of letters"),
    ],
)
def test_what_is_not_split(word: str, known: dict[str, int], why: str) -> None:
    assert CompoundSplitter(known).parts(word) == (), why


def test_a_short_last_part_that_ends_many_words_is_an_ending() -> None:
    endings = {f"{stem}ske": 1 for stem in ("dan", "norm", "politi", "økonomi", "prakti")}
    known = {"kirurgi": 4, "ske": 3, **endings}
    assert CompoundSplitter(known).parts("kirurgiske") == ()
    # the same last part is a word where it ends fewer words than it stands alone in
    assert CompoundSplitter({**known, "ske": 9}).parts("kirurgiske") == ("kirurgi", "ske")


def test_of_several_splits_the_one_with_the_commoner_rarer_part_wins() -> None:
    known = {"klima": 30, "handlingsplan": 6, "klimahandling": 2, "plan": 90}
    assert CompoundSplitter(known).parts("klimahandlingsplan") == ("klima", "handlingsplan")


_LETTERS = st.text(alphabet="abdefgiklmnoprstuvæøå", min_size=2, max_size=8)


@given(st.lists(_LETTERS, min_size=2, max_size=12), st.sampled_from(["", "s", "e"]))
def test_every_split_reads_back_as_the_word(words: list[str], link: str) -> None:
    known = {w: 3 for w in words}
    splitter = CompoundSplitter(known)
    for head in words:
        for tail in words:
            word = head + link + tail
            parts = splitter.parts(word)
            if not parts:
                continue
            first, last = parts
            assert len(parts) == 2
            assert word.endswith(last) and len(last) >= COMPOUND_MIN_TAIL
            assert word.startswith(first.removesuffix("e")) and len(first) >= COMPOUND_MIN_HEAD
            assert splitter.known[first] >= 2 and splitter.known[last] >= 2


def _sample_texts() -> list[str]:
    meetings = [load_meeting(path)[1] for path in SAMPLES]
    return [s.text for m in meetings for item in m.items for s in item.sections if s.text]


def test_on_a_real_archive_parts_are_its_own_words() -> None:
    texts = _sample_texts()
    known = Counter(w for t in texts for w in set(WORD_RE.findall(t.lower())))
    splitter = CompoundSplitter(known)
    split = {w: splitter.parts(w) for w in known if splitter.parts(w)}
    assert split, "real agendas and minutes hold compounds of their own words"
    for word, (head, tail) in split.items():
        assert known[head] >= 2 and known[tail] >= 2, word
        assert word.endswith(tail), word
    # inflected words of the archive are not taken for compounds
    for word in known:
        if word.endswith(("ingen", "erne", "ende")) and word in split:
            assert split[word][1] not in {"ingen", "erne", "ende"}, word


def test_a_part_finds_the_compound_in_bm25() -> None:
    texts = [
        "Fritidsrådet - valg af 2 medlemmer til rådet.",
        "Idrætsrådet - valg af 2 medlemmer.",
        "Fritid og kultur i kommunen: fritid for alle.",
        "Budget for fritid og idræt.",
        "Rådet mødes igen i marts.",
    ]
    index = LexicalIndex([f"c{i}" for i in range(len(texts))], texts)
    by_part = index.scores("fritid råd")
    assert by_part.argmax() == 0, by_part
    # the whole word still finds the compound first, and nothing else
    whole = index.scores("fritidsrådet")
    assert whole.argmax() == 0 and (whole > 0).sum() == 1, whole


def test_questions_are_not_split() -> None:
    """Only the texts' side is split: a question's compound is matched whole, so a
    question about 'temamøder' is not turned into one about any 'møder'."""
    analyzer = Analyzer()
    assert analyzer.tokens("temamøder") == analyzer.stem(["temamøder"])
