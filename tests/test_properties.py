"""Property tests: the search filter's two evaluations agree, a meeting survives its JSON
round trip, and Markdown escaping keeps document text as text.

* ``Filters.where()`` is evaluated twice in the product: by Chroma (``Store.query``, through
  ``chroma_where``) and in memory (``MetadataFilter.mask`` in ``vectorstore/filters.py``);
  ``Filters.accepts`` decides the same question over one chunk's metadata.  For any filter
  and any chunk metadata all three must select the same chunks.
* ``meeting_to_dict`` / ``meeting_from_dict`` through JSON (how the ``documents``
  collection stores a meeting) give back an equal ``Meeting``.
* ``briefing.md_escape``: one line of document text, escaped and rendered by a CommonMark
  parser, stays one paragraph of text and never becomes HTML, a link, an image, code or
  a heading.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.briefing import md_escape
from assistant.search import Filters
from ingest.models import DOC_TYPES, ROLES, AgendaItem, Chunk, Meeting, Section
from ingest.serialize import meeting_from_dict, meeting_to_dict
from vectorstore.filters import MetadataFilter, metadata_column
from vectorstore.store import chroma_where, make_client

BODIES = ["KKR Midtjylland", "KD-Net", "Byrådet", "Økonomiudvalget"]
SECTION_NAMES = [
    "Beslutning", "Referat", "Indstilling", "Baggrund", "Sagsfremstilling",
    "Byrådets beslutning den 3. maj 2023", "Økonomiske konsekvenser", "Noget helt andet",
]

dates = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2026, 12, 31)).map(str)


def metadata(section: str = "Beslutning", role: str = "decision", body: str = BODIES[0],
             date: str = "2023-01-01", doc_type: str = "referat",
             closed: bool = False) -> dict[str, Any]:
    """Metadata as ingest stores it (``Chunk.metadata``)."""
    chunk = Chunk(
        chunk_id=f"c-{uuid.uuid4().hex[:8]}",
        text="Godkendt.",
        embed_text="Godkendt.",
        meeting_id="m",
        body=body,
        date=date,
        doc_type=doc_type,
        item_number="1",
        item_order=1,
        item_title="Punkt",
        section=section,
        source="m.pdf",
        doc_hash="h",
        start=0,
        end=9,
        section_role=role,
        closed=closed,
    )
    return dict(chunk.metadata())


@st.composite
def chunk_metadata(draw: st.DrawFn) -> dict[str, Any]:
    """Chunk metadata with body, date, doc type, section, role and closed drawn
    independently (a role need not match its label)."""
    return metadata(
        section=draw(st.sampled_from(SECTION_NAMES)),
        role=draw(st.sampled_from(ROLES)),
        body=draw(st.sampled_from(["", *BODIES])),
        date=draw(st.one_of(st.just(""), dates)),
        doc_type=draw(st.sampled_from(["", *DOC_TYPES])),
        closed=draw(st.booleans()),
    )


filters = st.builds(
    Filters,
    body=st.one_of(st.none(), st.sampled_from(BODIES)),
    date_from=st.one_of(st.none(), dates),
    date_to=st.one_of(st.none(), dates),
    doc_type=st.one_of(st.none(), st.sampled_from(DOC_TYPES)),
    section=st.one_of(st.none(), st.sampled_from([*SECTION_NAMES, *ROLES])),
)
populations = st.lists(chunk_metadata(), min_size=1, max_size=25)


def in_memory(where: MetadataFilter | None, metas: list[dict[str, Any]]) -> list[bool]:
    """The chunks the retriever's in-memory evaluation of ``where`` selects."""
    if where is None:
        return [True] * len(metas)

    def column(key: str) -> Any:
        return metadata_column([m.get(key) for m in metas])

    mask = where.mask(column, len(metas))
    assert mask is not None, f"every filter's clause is evaluated in memory: {where}"
    return [bool(x) for x in mask]


BOUNDARIES = (Filters(date_from="2023-01-01", date_to="2023-06-30"),
              [metadata(date=d) for d in ("", "2022-12-31", "2023-01-01", "2023-06-30",
                                          "2023-07-01")])
"""A date range and chunks on and just outside its bounds (random dates seldom hit them)."""


@settings(max_examples=200, deadline=None)
@given(f=filters, metas=populations)
@example(*BOUNDARIES)
def test_where_evaluated_in_memory_selects_what_accepts_accepts(
    f: Filters, metas: list[dict[str, Any]]
) -> None:
    assert in_memory(f.where(), metas) == [f.accepts(m) for m in metas]


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real embedded Chroma in a temporary folder (no embedding function: vectors given)."""
    yield make_client(tmp_path_factory.mktemp("where-chroma"))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters, metas=populations)
@example(*BOUNDARIES)
def test_where_evaluated_by_chroma_selects_what_accepts_accepts(
    chroma: Any, f: Filters, metas: list[dict[str, Any]]
) -> None:
    collection = chroma.create_collection(f"where-{uuid.uuid4().hex[:12]}",
                                          embedding_function=None)
    try:
        ids = [f"c{i}" for i in range(len(metas))]
        collection.add(ids=ids, embeddings=[[1.0, float(i)] for i in range(len(metas))],
                       metadatas=metas)
        where = chroma_where(f.where())
        got = set(collection.get(where=where, include=[])["ids"]) if where else set(ids)
        assert got == {i for i, m in zip(ids, metas, strict=True) if f.accepts(m)}, where
    finally:
        chroma.delete_collection(collection.name)


# --- serialize round trip ------------------------------------------------------------------

text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
names = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=20)
titles = names.filter(lambda s: bool(s.strip()))


@st.composite
def sections(draw: st.DrawFn) -> Section:
    start = draw(st.integers(0, 10_000))
    return Section(name=draw(names), text=draw(text), start=start,
                   end=start + draw(st.integers(0, 500)), role=draw(st.sampled_from(ROLES)))


@st.composite
def items(draw: st.DrawFn, order: int) -> AgendaItem:
    number = ".".join(str(n) for n in draw(st.lists(st.integers(1, 99), min_size=1,
                                                        max_size=3)))
    case = draw(st.one_of(st.none(), st.from_regex(r"[A-Z]{3}-20\d\d-\d{5}", fullmatch=True)))
    return AgendaItem(
        number=number, title=draw(titles), order=order, level=draw(st.integers(1, 3)),
        case_number=case, handler=draw(st.one_of(st.none(), names)),
        presenter=draw(st.one_of(st.none(), names)),
        heading=draw(st.one_of(st.none(), text)),
        sections=tuple(draw(st.lists(sections(), max_size=3))),
        attachments=tuple(draw(st.lists(names, max_size=2))),
        start=draw(st.integers(0, 100)), end=draw(st.integers(100, 10_000)),
        closed=draw(st.booleans()),
    )


@st.composite
def meetings(draw: st.DrawFn) -> Meeting:
    n_items = draw(st.integers(0, 4))
    return Meeting(
        body=draw(st.one_of(st.none(), titles)),
        date=draw(st.one_of(st.none(), dates)),
        doc_type=draw(st.one_of(st.none(), st.sampled_from(DOC_TYPES))),
        source=draw(names),
        doc_hash=draw(st.text("0123456789abcdef", min_size=8, max_size=64)),
        items=tuple(draw(items(order)) for order in range(n_items)),
        time=draw(st.one_of(st.none(), st.from_regex(r"\d\d:\d\d", fullmatch=True))),
        location=draw(st.one_of(st.none(), text)),
        participants=tuple(draw(st.lists(names, max_size=3))),
        absentees=tuple(draw(st.lists(names, max_size=2))),
        title=draw(st.one_of(st.none(), text)),
        warnings=tuple(draw(st.lists(text, max_size=2))),
        sources=tuple(draw(st.lists(names, max_size=2))),
        id_suffix=draw(st.sampled_from(["", "2", "tillaeg"])),
    )


@settings(max_examples=100, deadline=None)
@given(meeting=meetings())
def test_meeting_survives_its_json_round_trip(meeting: Meeting) -> None:
    stored = json.loads(json.dumps(meeting_to_dict(meeting), ensure_ascii=False))
    again = meeting_from_dict(stored)
    assert again == meeting
    assert again.meeting_id == meeting.meeting_id == stored["meeting_id"]


# --- Markdown escaping ---------------------------------------------------------------------

markdown_it = pytest.importorskip("markdown_it")
PARSER = markdown_it.MarkdownIt("commonmark").enable("table")
# a line of document text: any printable text, dense in Markdown's punctuation
md_lines = st.text(
    st.one_of(st.sampled_from(list("#*_-+=>|[]()!`~<&;\\.:/ 1aæ")),
              st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"))),
    max_size=30,
).filter(lambda s: bool(s.strip()))
STRUCTURE = {"html_inline", "html_block", "link_open", "image", "code_inline", "code_block",
             "heading_open", "hr", "table_open"}


def tokens(markdown: str) -> tuple[list[str], list[str]]:
    """(block token types, inline token types) of the rendered Markdown."""
    blocks = PARSER.parse(markdown)
    inline = [c.type for b in blocks if b.type == "inline" for c in b.children or []]
    return [b.type for b in blocks], inline


@settings(max_examples=500, deadline=None)
@given(line=md_lines)
def test_escaped_text_never_becomes_html_links_code_or_headings(line: str) -> None:
    for context in ("{}", "> {}", "# {}", "[{}](https://x.dk/a)"):
        blocks, inline = tokens(context.format(md_escape(line)))
        found = STRUCTURE & {*blocks, *inline} - ({"heading_open"} if "#" in context else set())
        found -= {"link_open"} if "](" in context else set()
        assert not found, (line, context, blocks, inline)
        if "](" in context:
            assert inline.count("link_open") == 1, (line, inline)


@settings(max_examples=500, deadline=None)
@given(line=md_lines)
def test_escaped_text_renders_as_exactly_the_text(line: str) -> None:
    blocks, _ = tokens(md_escape(line))
    assert blocks == ["paragraph_open", "inline", "paragraph_close"], (line, blocks)
    [inline] = [b for b in PARSER.parse(md_escape(line)) if b.type == "inline"]
    shown = "".join(c.content for c in inline.children or [] if c.type == "text")
    assert shown == " ".join(line.split()) or shown == line.strip(), (line, shown)
