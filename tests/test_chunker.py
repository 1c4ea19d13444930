"""Chunker properties: chunks cover every section, none exceeds the budget, ids are stable."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.chunker import RESERVED_TOKENS, Chunker, citation_line
from ingest.models import AgendaItem, Meeting, Section


def word_tokens(text: str) -> int:
    """A deterministic stand-in tokenizer: words and punctuation marks."""
    return len(re.findall(r"\w+|[^\w\s]", text))


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=14)
paragraph = st.lists(words, min_size=1, max_size=120).map(" ".join)
section_text = st.lists(paragraph, min_size=0, max_size=8).map("\n\n".join)


def build_meeting(texts: list[str]) -> tuple[Meeting, str]:
    """A meeting with one item whose sections hold ``texts``, and its source text."""
    source = ""
    sections = []
    names = ["Baggrund", "Indstilling", "Sagsfremstilling", "Beslutning"]
    for i, text in enumerate(texts):
        label = names[i % len(names)] + "\n"
        source += label
        sections.append(Section(names[i % len(names)], text, len(source), len(source) + len(text)))
        source += text + "\n\n"
    item = AgendaItem(number="3.1", title="Fremadrettet klimasamarbejde", order=0,
                      sections=tuple(sections))
    meeting = Meeting(body="KKR Midtjylland", date="2023-02-10", doc_type="referat",
                      source="x.txt", doc_hash="f" * 64, items=(item,))
    return meeting, source


@settings(max_examples=60, deadline=None)
@given(st.lists(section_text, min_size=1, max_size=4), st.integers(40, 200))
@example([" ".join(["a"] * 41)], 40)  # repeated words: the second piece is not an earlier copy
@example(["a a a a a a a a a a a a a a a a a a a a a a\n\na a a a a a a a a a a a a a a a a a a"
          "\n\na"], 40)  # ... nor one that straddles a paragraph break
def test_chunks_cover_sections_and_respect_budget(texts: list[str], size: int) -> None:
    meeting, source = build_meeting(texts)
    chunker = Chunker(word_tokens, chunk_tokens=size, overlap_tokens=size // 5, max_tokens=256)
    chunks = chunker.chunk_meeting(meeting, source)
    for chunk in chunks:
        assert word_tokens(chunk.embed_text) <= 256 - RESERVED_TOKENS
        # offsets point at the passage in the source text
        assert source[chunk.start : chunk.end] == chunk.text
    for s_index, section in enumerate(meeting.items[0].sections):
        mine = [c for c in chunks if c.chunk_id.split("-")[3] == str(s_index)]
        covered = set()
        for c in mine:
            covered.update(range(c.start, c.end))
        for m in re.finditer(r"\S+", section.text):
            # every word of the section lies inside some chunk
            assert set(range(section.start + m.start(), section.start + m.end())) <= covered
        if not section.text.strip():
            assert not mine


@settings(max_examples=30, deadline=None)
@given(st.lists(section_text, min_size=1, max_size=4))
def test_ids_are_stable_and_unique(texts: list[str]) -> None:
    meeting, source = build_meeting(texts)
    chunker = Chunker(word_tokens, chunk_tokens=60, overlap_tokens=10)
    first = [c.chunk_id for c in chunker.chunk_meeting(meeting, source)]
    second = [c.chunk_id for c in chunker.chunk_meeting(meeting, source)]
    assert first == second
    assert len(set(first)) == len(first)


def test_embedded_text_carries_citation_header_but_stored_text_is_clean() -> None:
    meeting, source = build_meeting(["Godkendt."])
    (chunk,) = Chunker(word_tokens).chunk_meeting(meeting, source)
    assert chunk.text == "Godkendt."
    assert chunk.embed_text.startswith(
        "KKR Midtjylland · 10.02.2023 · Referat · pkt. 3.1 Fremadrettet klimasamarbejde"
    )
    assert chunk.embed_text.endswith("\nGodkendt.")
    meta = chunk.metadata()
    assert meta["date_int"] == 20230210 and meta["item_number"] == "3.1"
    assert None not in meta.values()


def test_one_huge_word_is_still_split_under_budget() -> None:
    meeting, source = build_meeting(["x" * 5000])
    chunker = Chunker(lambda t: len(t) // 10, chunk_tokens=100, overlap_tokens=10, max_tokens=200)
    chunks = chunker.chunk_meeting(meeting, source)
    assert len(chunks) > 1
    assert all(len(c.embed_text) // 10 <= 200 - RESERVED_TOKENS for c in chunks)
    assert "".join(c.text for c in chunks) == "x" * 5000


def test_citation_line_format() -> None:
    meeting, _ = build_meeting(["a"])
    assert citation_line(meeting, meeting.items[0], "Beslutning") == (
        "KKR Midtjylland · 10.02.2023 · Referat · pkt. 3.1 Fremadrettet klimasamarbejde"
        " · Beslutning"
    )
