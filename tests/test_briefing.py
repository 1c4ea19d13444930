"""Briefing export: pins from real parsed sample meetings -> Markdown / DOCX with citations."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE

from assistant.briefing import (
    CITATION_STYLE,
    NOTE_STYLE,
    PASSAGE_STYLE,
    build_briefing,
    to_docx,
    to_markdown,
)
from assistant.links import item_url
from ingest.chunker import DOC_TYPE_LABEL, chunk_id, citation_line, format_date
from ingest.models import Meeting
from ingest.parser import parse_meeting
from ingest.readers import read_document

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples" / "kkr-midtjylland"
BASE = "https://moeder.example.dk"
DAY = datetime.date(2024, 5, 1)

REF_2023_02 = "kkr-midtjylland-2023-02-10-referat"
REF_2023_06 = "kkr-midtjylland-2023-06-21-referat"
AGENDA_2023_11 = "kkr-midtjylland-2023-11-21-dagsorden"
KDNET_2022_11 = "kd-net-2022-11-04-referat"


@pytest.fixture(scope="module")
def meetings() -> dict[str, Meeting]:
    parsed = [parse_meeting(read_document(str(p))) for p in sorted(SAMPLES.glob("*.txt"))]
    return {m.meeting_id: m for m in parsed}


def make_pin(
    meeting: Meeting, number: str, section: str, text: str | None = None, index: int = 0
) -> dict[str, Any]:
    """A result dict shaped like ``assistant.answer.result_dict`` from a real parsed item."""
    item = meeting.item(number)
    assert item is not None
    s_index = [s.name for s in item.sections].index(section)
    cid = chunk_id(meeting.doc_hash, item, s_index, section, index)
    return {
        "rank": 1,
        "score": 0.9,
        "meeting": {
            "meeting_id": meeting.meeting_id,
            "body": meeting.body,
            "date": meeting.date,
            "doc_type": meeting.doc_type,
            "location": meeting.location,
        },
        "item": {"number": item.number, "title": item.title, "case_number": item.case_number},
        "section": section,
        "text": item.sections[s_index].text if text is None else text,
        "decision": item.decision,
        "proposal": item.proposal,
        "url": item_url(meeting.meeting_id, item.number, cid),
        "citation": citation_line(meeting, item, section),
        "chunk_id": cid,
    }


@pytest.fixture()
def pins(meetings: dict[str, Meeting]) -> list[dict[str, Any]]:
    """Pins deliberately out of date order, with one duplicate."""
    first = make_pin(meetings[REF_2023_02], "3.1", "Baggrund")
    return [
        make_pin(meetings[AGENDA_2023_11], "3.4", "Baggrund"),
        make_pin(meetings[REF_2023_02], "3.2", "Sagsfremstilling"),
        first,
        make_pin(meetings[KDNET_2022_11], "4", "Referat"),
        dict(first, rank=3),  # same chunk pinned twice
        make_pin(meetings[REF_2023_06], "3.6", "Indstilling"),
    ]


def _para_kind(p: Any) -> str:
    """The paragraph's style name."""
    return str(p.style.name) if p.style is not None else ""


def test_docx_every_passage_is_followed_by_a_cited_hyperlink(
    tmp_path: Path, pins: list[dict[str, Any]]
) -> None:
    b = build_briefing(pins, base_url=BASE + "/", created=DAY)
    out = to_docx(b, tmp_path / "briefing.docx")
    doc = docx.Document(str(out))
    assert doc.core_properties.title == "Briefing: 01.05.2024"
    assert _para_kind(doc.paragraphs[0]) == "Title"
    assert doc.paragraphs[0].text == "Briefing: 01.05.2024"

    paragraphs = doc.paragraphs
    passages = [i for i, p in enumerate(paragraphs) if _para_kind(p) == PASSAGE_STYLE]
    assert len(passages) == 5  # six pins, one duplicate
    by_url = {BASE + p["url"]: p for p in pins}
    for i in passages:
        cite = paragraphs[i + 1]
        assert _para_kind(cite) == CITATION_STYLE
        assert all(run.italic for run in cite.runs)
        links = [h.address for h in cite.hyperlinks]
        assert len(links) == 1 and links[0] in by_url
        pin = by_url[links[0]]
        for part in (
            pin["meeting"]["body"],
            format_date(pin["meeting"]["date"]),
            DOC_TYPE_LABEL[pin["meeting"]["doc_type"]],
            f"pkt. {pin['item']['number']} ",
        ):
            assert part in cite.text
        assert pin["citation"] in cite.text
        assert pin["text"].strip().split("\n")[0] in paragraphs[i].text

    # the hyperlinks are real relationships with the absolute targets
    targets = {
        rel.target_ref
        for rel in doc.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
    }
    assert set(by_url) <= targets
    assert doc.element.body.xml.count("<w:hyperlink ") >= 2 * len(passages)


def test_docx_groups_in_date_order_and_sources_at_end(
    tmp_path: Path, pins: list[dict[str, Any]]
) -> None:
    b = build_briefing(pins, base_url=BASE, created=DAY)
    doc = docx.Document(str(to_docx(b, tmp_path / "b.docx")))
    groups = [p.text for p in doc.paragraphs if _para_kind(p) == "Heading 1"]
    assert groups == [
        "KD-Net · 04.11.2022 · Referat",
        "KKR Midtjylland · 10.02.2023 · Referat",
        "KKR Midtjylland · 21.06.2023 · Referat",
        "KKR Midtjylland · 21.11.2023 · Dagsorden",
        "Kilder",
    ]
    items_in_feb = [
        p.text
        for p in doc.paragraphs
        if _para_kind(p) == "Heading 2" and p.text.startswith("pkt. 3.")
    ]
    assert items_in_feb[:2] == [
        "pkt. 3.1 Fremadrettet klimasamarbejde i Midtjylland - KlimaMidt",
        "pkt. 3.2 Disposition for revideret KKR Midtjylland klimastrategi",
    ]
    kilder = next(i for i, p in enumerate(doc.paragraphs) if p.text == "Kilder")
    sources = doc.paragraphs[kilder + 1 :]
    assert len(sources) == 5 and all(_para_kind(p) == "List Number" for p in sources)
    assert [h.address for p in sources for h in p.hyperlinks] == [
        BASE + "/item/kd-net-2022-11-04-referat/4",
        BASE + f"/item/{REF_2023_02}/3.1",
        BASE + f"/item/{REF_2023_02}/3.2",
        BASE + f"/item/{REF_2023_06}/3.6",
        BASE + f"/item/{AGENDA_2023_11}/3.4",
    ]
    assert "pkt. 3.4 Lånepulje til botilbud" in sources[-1].text


def test_docx_decision_vs_agenda_labelling(
    tmp_path: Path, meetings: dict[str, Meeting]
) -> None:
    agenda = make_pin(meetings[AGENDA_2023_11], "3.4", "Baggrund")
    minutes = make_pin(meetings[REF_2023_02], "3.1", "Baggrund")
    decided = make_pin(meetings[REF_2023_02], "1.1", "Beslutning")
    b = build_briefing([agenda, minutes, decided], created=DAY)
    doc = docx.Document(str(to_docx(b, tmp_path / "b.docx")))
    notes = [p.text for p in doc.paragraphs if _para_kind(p) == NOTE_STYLE]
    agenda_item = meetings[AGENDA_2023_11].item("3.4")
    assert agenda_item is not None
    proposal = re.sub(r"\s+", " ", agenda_item.proposal or "")
    assert (
        f"Ingen beslutning registreret (dagsorden). Indstilling: {proposal} (pkt. 3.4, 21.11.2023)"
        in notes
    )
    assert any(
        n.startswith("Beslutning: Stine Johansen") and "godkendte indstillingerne" in n
        for n in notes
    )
    # a pinned decision passage is labelled itself, not repeated in a note
    assert len(notes) == 2
    passages = [p.text for p in doc.paragraphs if _para_kind(p) == PASSAGE_STYLE]
    assert "Beslutning: Godkendt" in passages


def test_dedupe_keeps_first_and_sources_are_per_item(meetings: dict[str, Meeting]) -> None:
    m = meetings[REF_2023_02]
    a = make_pin(m, "3.3", "Sagsfremstilling", text="første", index=0)
    b = make_pin(m, "3.3", "Sagsfremstilling", text="anden", index=1)
    again = dict(a, text="ændret kopi")
    briefing = build_briefing([a, b, again], created=DAY)
    assert [e.text for e in briefing.entries] == ["første", "anden"]
    assert len(briefing.sources) == 1
    title = "Ny erhvervsfremmestrategi – indhold og proces"
    assert briefing.sources[0].citation.endswith(f"pkt. 3.3 {title}")


def test_group_by_topic_orders_groups_by_first_date(meetings: dict[str, Meeting]) -> None:
    pins = [
        make_pin(meetings[AGENDA_2023_11], "2.1", "Baggrund"),  # "Orientering", 2023-11-21
        make_pin(meetings[REF_2023_06], "3.2", "Indstilling"),  # velfærdsteknologi, 2023-06
        make_pin(meetings[REF_2023_02], "2.1", "Baggrund"),  # "Orientering", 2023-02-10
    ]
    b = build_briefing(pins, created=DAY, group_by="topic")
    assert [g.heading for g in b.groups] == ["Orientering", "Tema om velfærdsteknologi"]
    assert [e.date for e in b.groups[0].entries] == ["2023-02-10", "2023-11-21"]
    md = to_markdown(b)
    assert md.index("## Orientering") < md.index("## Tema om velfærdsteknologi")
    assert "### KKR Midtjylland · 10.02.2023 · Referat" in md


def test_markdown_citations_links_and_sources(pins: list[dict[str, Any]]) -> None:
    b = build_briefing(pins, base_url=BASE, created=DAY)
    md = to_markdown(b)
    lines = md.splitlines()
    assert lines[0] == "# Briefing: 01.05.2024"
    assert "Dato: 01.05.2024" in lines
    headings = [line[3:] for line in lines if line.startswith("## ")]
    assert headings[0] == "KD-Net · 04.11.2022 · Referat"
    assert headings[-1] == "Kilder"
    # every blockquote (passage) is followed, after a blank line, by its cited link
    for i, line in enumerate(lines):
        if line.startswith(">") and not lines[i + 1].startswith(">"):
            cite = lines[i + 2]
            assert cite.startswith("Kilde: [")
            link = re.search(r"\]\((\S+)\)$", cite)
            assert link and link.group(1).startswith(BASE + "/item/")
    for pin in pins:
        assert f"[{pin['citation']}]({BASE}{pin['url']})" in md
    assert "**Ingen beslutning registreret (dagsorden).** Indstilling: Det indstilles" in md
    assert "**Beslutning:** Stine Johansen" in md
    tail = lines[lines.index("## Kilder") + 2 :]
    assert len(tail) == 5 and all(re.match(r"^\d\. \[.+\]\(https://\S+\)$", t) for t in tail)


def test_english_labels(tmp_path: Path, meetings: dict[str, Meeting]) -> None:
    pins = [
        make_pin(meetings[AGENDA_2023_11], "3.4", "Baggrund"),
        make_pin(meetings[REF_2023_02], "3.1", "Baggrund"),
    ]
    b = build_briefing(pins, language="en", created=DAY)
    assert b.title == "Briefing: 2024-05-01"
    md = to_markdown(b)
    assert "**No decision recorded (agenda).** Recommendation: Det indstilles" in md
    assert "**Decision:** Stine Johansen" in md
    assert "## Sources" in md and "Kilder" not in md
    doc = docx.Document(str(to_docx(b, tmp_path / "en.docx")))
    assert doc.paragraphs[-3].text == "Sources"
    assert build_briefing(pins, title="Klima", created=DAY).title == "Klima"


def test_markdown_escapes_injection(meetings: dict[str, Meeting], tmp_path: Path) -> None:
    evil = (
        "# heading\n"
        "<script>alert(1)</script>\n"
        "[x](javascript:alert(1)) and ![img](javascript:alert(2))\n"
        "Tekst\n"
        "---\n"
        "    ## indented heading"
    )
    pin = make_pin(meetings[REF_2023_02], "3.1", "Baggrund", text=evil)
    pin["item"] = dict(pin["item"], title="[t](javascript:alert(3)) <img src=x onerror=alert(1)>")
    pin["citation"] = "# [c](javascript:alert(4))"
    pin["decision"] = "\n# Besluttet <b>ja</b>"
    md = to_markdown(build_briefing([pin], created=DAY))
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    # no unescaped "[...](javascript" (escaped characters are consumed in pairs)
    assert not re.search(r"(?<!\\)\[(?:\\.|[^\\\]])*\]\(javascript", md)
    assert "\\[x\\](javascript:alert(1))" in md
    # only our own headings: title, one group, one item, sources
    headings = [line for line in md.splitlines() if re.match(r"^\s{0,3}(>\s*)*#", line)]
    assert len(headings) == 4
    assert "> \\# heading" in md
    assert "> \\---" in md  # no setext heading out of "Tekst"
    # rendered by a CommonMark parser: no injected heading, link, image or HTML
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert not any("javascript" in url for url in re.findall(r'(?:href|src)="([^"]*)"', rendered))
    assert len(re.findall(r"<h\d>", rendered)) == 4
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    # the DOCX keeps the text literally (it is not markup there)
    doc = docx.Document(str(to_docx(build_briefing([pin], created=DAY), tmp_path / "e.docx")))
    passage = next(p for p in doc.paragraphs if _para_kind(p) == PASSAGE_STYLE)
    assert "<script>alert(1)</script>" in passage.text


def test_docx_survives_control_characters(meetings: dict[str, Meeting], tmp_path: Path) -> None:
    pin = make_pin(meetings[REF_2023_02], "3.1", "Baggrund", text="før\x0cefter\x00")
    doc = docx.Document(str(to_docx(build_briefing([pin], created=DAY), tmp_path / "c.docx")))
    assert any(p.text == "førefter" for p in doc.paragraphs)


def test_rejects_bad_arguments(pins: list[dict[str, Any]]) -> None:
    with pytest.raises(ValueError, match="group_by"):
        build_briefing(pins, group_by="color")
    with pytest.raises(ValueError, match="language"):
        build_briefing(pins, language="de")
    with pytest.raises(ValueError, match="result dict"):
        build_briefing([{"text": "løs tekst"}])
