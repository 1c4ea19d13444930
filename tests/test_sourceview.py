"""Source item HTML: real parsed samples, highlighting, navigation and escaping (XSS)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.sourceview import SOURCE_CSS, ItemNotFound, highlight_terms, render_item
from ingest.chunker import Chunker
from ingest.models import AgendaItem, Meeting, Section
from ingest.parser import parse_meeting
from ingest.readers import read_document

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "kkr-midtjylland"
ALLOWED_TAGS = {
    "article", "header", "div", "span", "dl", "dt", "dd", "h3", "h4", "p",
    "section", "mark", "ul", "li", "nav", "a",
}  # fmt: skip


@pytest.fixture(scope="module")
def meetings() -> dict[str, Meeting]:
    parsed = [parse_meeting(read_document(str(p))) for p in sorted(SAMPLES.glob("*.txt"))]
    return {m.meeting_id: m for m in parsed}


@pytest.fixture(scope="module")
def minutes(meetings: dict[str, Meeting]) -> Meeting:
    return meetings["kkr-midtjylland-2023-02-10-referat"]


class TagCollector(HTMLParser):
    """Collects start tags and their attributes, and the text inside <mark id="hl">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.depth = 0
        self.hl_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "mark" and dict(attrs).get("id") == "hl":
            self.depth = 1
        elif tag == "mark" and self.depth:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.hl_text += data


def parse(fragment: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(fragment)
    collector.close()
    return collector


def sections_of(fragment: str) -> list[tuple[str, str]]:
    """(data-section, class) of every rendered section, in order."""
    return [
        (str(a["data-section"]), str(a["class"]))
        for tag, a in parse(fragment).tags
        if tag == "section" and "data-section" in a
    ]


def word_tokens(text: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", text))


def test_header_title_and_all_sections_in_order(minutes: Meeting) -> None:
    item = minutes.item("3.1")
    assert item is not None
    out = render_item(minutes, "3.1")
    assert [name for name, _ in sections_of(out)] == [s.name for s in item.sections]
    assert re.findall(r"<h4>([^<]*)</h4>", out)[: len(item.sections)] == [
        s.name for s in item.sections
    ]
    for part in ("KKR Midtjylland", "10.02.2023", "Referat", "10:00", "SAG-2023-00155"):
        assert part in out
    assert html.escape("Scandic, Udgårdsvej 2, 8600 Silkeborg") in out
    assert "<dt>Sagsbehandler</dt><dd>chbn/jr</dd>" in out
    assert "pkt. 3.1 Fremadrettet klimasamarbejde i Midtjylland - KlimaMidt</h3>" in out
    assert "<li>Oplæg til KlimaMidt – formål og indhold</li>" in out
    # the decision section is styled as such; minutes get no agenda note
    assert ("Beslutning", "ma-section ma-decision") in sections_of(out)
    assert "ingen beslutning registreret" not in out
    assert 'id="hl"' not in out


def test_presenter_and_kdnet_decision_section(meetings: dict[str, Meeting]) -> None:
    out = render_item(meetings["kd-net-2022-11-04-referat"], "4")
    assert "<dt>Fremlægger</dt><dd>Thomas Lindberg</dd>" in out
    assert ("Referat", "ma-section ma-decision") in sections_of(out)


def test_empty_sections_and_agenda_note(meetings: dict[str, Meeting]) -> None:
    agenda = meetings["kkr-midtjylland-2025-04-08-dagsorden"]
    out = render_item(agenda, "7.1")
    assert [n for n, _ in sections_of(out)] == ["Baggrund", "Indstilling", "Sagsfremstilling"]
    assert out.count('<p class="ma-empty">(tom)</p>') == 3
    assert '<p class="ma-note">Dagsorden: ingen beslutning registreret</p>' in out
    english = render_item(agenda, "7.1", language="en")
    assert "(empty)" in english and "Agenda: no decision recorded" in english


def test_highlight_exact_chunk(minutes: Meeting) -> None:
    chunker = Chunker(word_tokens, chunk_tokens=60, overlap_tokens=10)
    chunks = [c for c in chunker.chunk_meeting(minutes) if c.item_number == "3.3"]
    chunk = next(c for c in chunks if c.section == "Sagsfremstilling" and c.chunk_index == 2)
    out = render_item(minutes, "3.3", highlight=chunk.text, highlight_section=chunk.section)
    assert out.count('id="hl"') == 1
    assert f'<mark id="hl" class="ma-hl">{html.escape(chunk.text)}</mark>' in out
    section = re.search(r'data-section="Sagsfremstilling">.*?</section>', out, re.S)
    assert section and 'id="hl"' in section.group(0)


def test_highlight_whitespace_insensitive(minutes: Meeting) -> None:
    item = minutes.item("3.1")
    assert item is not None
    original = item.sections[2].text[:600].strip()  # spans paragraph breaks
    assert "\n\n" in original
    reflowed = " ".join(original.split())
    out = render_item(minutes, "3.1", highlight="  " + reflowed.replace(" ", "  \n", 3))
    assert parse(out).hl_text == original
    assert 'data-section="Sagsfremstilling">' in out.split('id="hl"')[0]


def test_highlight_falls_back_to_section(minutes: Meeting) -> None:
    out = render_item(
        minutes, "3.1", highlight="Dette står ikke i punktet.", highlight_section="Indstilling"
    )
    assert ("Indstilling", "ma-section ma-hl-section") in sections_of(out)
    item = minutes.item("3.1")
    assert item is not None and item.proposal is not None
    assert parse(out).hl_text == item.proposal
    assert out.count('id="hl"') == 1
    assert 'id="hl"' not in render_item(minutes, "3.1", highlight="Dette står ikke i punktet.")


def test_query_terms_inside_and_around_highlight(minutes: Meeting) -> None:
    out = render_item(minutes, "3.1", highlight="KKR Midtjylland godkendte", query_terms=["klima"])
    assert '<mark class="ma-term">KlimaMidt</mark>' in out
    assert '<mark id="hl" class="ma-hl">KKR Midtjylland godkendte</mark>' in out


def test_prev_next_links(minutes: Meeting) -> None:
    mid = minutes.meeting_id
    out = render_item(minutes, "3.1")
    assert f'class="ma-prev" href="/item/{mid}/3"' in out
    assert f'class="ma-next" href="/item/{mid}/3.2"' in out
    first = render_item(minutes, minutes.items[0].number)
    assert "ma-prev" not in first and f'href="/item/{mid}/1.1"' in first
    last = render_item(minutes, minutes.items[-1].number)
    assert "ma-next" not in last and "ma-prev" in last
    hrefs = [a["href"] for t, a in parse(out).tags if t == "a"]
    assert all(str(h).startswith(f"/item/{mid}/") for h in hrefs)


def test_paired_links(minutes: Meeting) -> None:
    out = render_item(
        minutes,
        "3.1",
        paired=[
            ("/item/kkr-midtjylland-2023-02-10-dagsorden/3.1", "Dagsorden 10.02.2023"),
            ("javascript:alert(1)", "<b>ond</b>"),
        ],
    )
    assert '<a class="ma-pair" href="/item/kkr-midtjylland-2023-02-10-dagsorden/3.1">' in out
    assert '<a class="ma-pair" href="#">&lt;b&gt;ond&lt;/b&gt;</a>' in out
    assert "javascript:" not in out


def test_item_not_found(minutes: Meeting) -> None:
    with pytest.raises(ItemNotFound) as info:
        render_item(minutes, "9.9")
    assert isinstance(info.value, LookupError)
    assert minutes.meeting_id in str(info.value) and "9.9" in str(info.value)


EVIL = "<script>alert(1)</script> og <img src=x onerror=alert(1)>"


def evil_meeting() -> Meeting:
    item = AgendaItem(
        number="2.1",
        title=f"Titel {EVIL}",
        order=1,
        level=2,
        handler=EVIL,
        presenter='"><script>alert(2)</script>',
        sections=(
            Section("Baggrund", f"Før {EVIL} efter", 0, 10),
            Section("Beslutning", EVIL, 10, 20),
            Section("<img src=x onerror=alert(3)>", "x", 20, 21),
        ),
        attachments=(EVIL,),
    )
    neighbour = AgendaItem(number="2.2", title=EVIL, order=2, level=2)
    return Meeting(
        body="KKR <script>",
        date="2023-02-10",
        doc_type="referat",
        source="evil.txt",
        doc_hash="0" * 64,
        items=(item, neighbour),
        time=EVIL,
        location=EVIL,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"highlight": EVIL, "query_terms": ["script", "<img", "alert"]},
        {"highlight": "findes ikke", "highlight_section": "Beslutning"},
        {"paired": [(f"/item/x?{EVIL}", EVIL)]},
    ],
)
def test_document_text_is_escaped(kwargs: dict[str, object]) -> None:
    out = render_item(evil_meeting(), "2.1", **kwargs)  # type: ignore[arg-type]
    assert "<script" not in out.lower() and "<img" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    tags = parse(out).tags
    assert {t for t, _ in tags} <= ALLOWED_TAGS
    assert not any(name.startswith("on") for _, attrs in tags for name in attrs)


def test_highlight_terms_marks_word_prefixes_and_escapes() -> None:
    text = "Klimasamarbejde og byklima: KLIMA-plan"
    assert highlight_terms(text, ["klima"]) == (
        '<mark class="ma-term">Klimasamarbejde</mark> og byklima: '
        '<mark class="ma-term">KLIMA</mark>-plan'
    )
    assert highlight_terms(text, []) == html.escape(text)
    assert highlight_terms("c++ (a|b)", ["c++", "(a|b"]).count("<mark") == 2
    evil = highlight_terms(EVIL, ["script", "img", "<img", "alert"])
    assert "<script" not in evil and "<img" not in evil
    assert '&lt;<mark class="ma-term">script</mark>&gt;' in evil
    assert {t for t, _ in parse(evil).tags} == {"mark"}


def test_css_covers_the_classes() -> None:
    for cls in ("ma-section", "ma-decision", "ma-hl", "ma-hl-section", "ma-term", "ma-note"):
        assert f".{cls}" in SOURCE_CSS
