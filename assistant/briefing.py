"""Pinned passages -> a briefing (Markdown or DOCX) where every line carries its citation.

Staff pin search results (:class:`assistant.records.Hit`, or their dicts as the UI keeps
them, converted once on entry) and export them as a briefing.  Each pinned passage is
followed by its full citation and an absolute link to the source item; the decision is
labelled, and a pin from an agenda (dagsorden) says explicitly that no decision is
recorded and shows the recommendation (Indstilling).
The briefing ends with a list of the distinct source items.

Document text is never trusted: in Markdown it is escaped so that a passage cannot inject
headings, links or raw HTML; in DOCX it is stripped of characters XML cannot hold.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ingest.chunker import format_date, item_label, meeting_label
from ingest.danish import number_key as _number_key
from ingest.danish import squash as _squash
from ingest.sections import section_role

from .access import PUBLIC, Viewer
from .messages import section
from .records import Hit

GROUP_BY = ("meeting", "topic")

LABELS: dict[str, dict[str, str]] = section("briefing")
"""Briefing labels by language (assistant/locales, table [briefing])."""


@dataclass(frozen=True)
class BriefingEntry:
    """One pinned passage with everything needed to cite it."""

    chunk_id: str
    meeting_id: str
    body: str
    date: str
    doc_type: str
    item_number: str
    item_title: str
    section: str
    text: str
    decision: str | None
    proposal: str | None
    citation: str
    link: str
    item_citation: str
    item_link: str

    @property
    def is_agenda(self) -> bool:
        return self.doc_type == "dagsorden"

    @property
    def meeting_heading(self) -> str:
        """'KKR Midtjylland · 10.02.2023 · Referat'."""
        return meeting_heading(self.body, self.date, self.doc_type)

    @property
    def item_heading(self) -> str:
        return item_label(self.item_number, self.item_title)

    @property
    def short_cite(self) -> str:
        """'pkt. 3.1, 10.02.2023' - used after decision lines."""
        number = item_label(self.item_number, "").strip()
        return ", ".join(p for p in (number, _fmt_date(self.date)) if p)

    @property
    def passage_is_decision(self) -> bool:
        """True when the pinned passage comes from a decision section (Beslutning/Referat)."""
        return section_role(self.section) == "decision"

    def note(self, language: str) -> tuple[str, str] | None:
        """The labelled decision / no-decision line after the citation, as (label, text).

        None when there is nothing to add: no decision on minutes, or the pinned passage
        already holds the whole decision.
        """
        t = LABELS[language]
        if self.decision:
            if self.passage_is_decision and _squash(self.decision) in _squash(self.text):
                return None
            return t["decision"], _squash(self.decision)
        if self.is_agenda:
            proposal = self.proposal
            if proposal and section_role(self.section) == "proposal":
                proposal = None if _squash(proposal) in _squash(self.text) else proposal
            if proposal:
                return t["no_decision"], f"{t['proposal']} {_squash(proposal)}"
            return t["no_decision"], ""
        return None


@dataclass(frozen=True)
class BriefingGroup:
    """A heading (meeting or topic) and its entries in order."""

    heading: str
    entries: tuple[BriefingEntry, ...]


@dataclass(frozen=True)
class Source:
    """One distinct source item, cited once in the closing list."""

    citation: str
    link: str


@dataclass(frozen=True)
class Briefing:
    title: str
    created: datetime.date
    language: str
    group_by: str
    groups: tuple[BriefingGroup, ...]
    sources: tuple[Source, ...]

    @property
    def entries(self) -> list[BriefingEntry]:
        return [e for g in self.groups for e in g.entries]

    @property
    def labels(self) -> dict[str, str]:
        return LABELS[self.language]

    @property
    def date_text(self) -> str:
        """The creation date as printed: dd.mm.yyyy in Danish, ISO in English."""
        iso = self.created.isoformat()
        return iso if self.language == "en" else format_date(iso)


def meeting_heading(body: str, date: str, doc_type: str) -> str:
    """'KKR Midtjylland · 10.02.2023 · Referat'."""
    return meeting_label(body, date, doc_type)


def build_briefing(
    pins: Sequence[Hit | Mapping[str, Any]],
    title: str | None = None,
    language: str = "da",
    base_url: str = "",
    created: datetime.date | None = None,
    group_by: str = "meeting",
    viewer: Viewer = PUBLIC,
) -> Briefing:
    """Group pinned results into a :class:`Briefing` (duplicates by chunk_id dropped);
    a pin is a :class:`Hit` or its dict (ValueError naming the missing field otherwise).

    ``group_by="meeting"``: one group per meeting in date order, items in item order.
    ``group_by="topic"``: one group per item title across meetings, ordered by first date.
    A pin of a closed item keeps its content only for a ``viewer`` with the closed role
    (others get its title and "Lukket punkt").
    """
    if language not in LABELS:
        raise ValueError(f"language must be one of {sorted(LABELS)}, not {language!r}")
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {GROUP_BY}, not {group_by!r}")
    created = created or datetime.date.today()
    entries: list[BriefingEntry] = []
    seen: set[str] = set()
    for pin in pins:
        data = pin.as_dict() if isinstance(pin, Hit) else pin
        entry = _entry(_hit(viewer.result(data, language)), base_url)
        if entry.chunk_id not in seen:
            seen.add(entry.chunk_id)
            entries.append(entry)
    entries.sort(key=_entry_key)  # stable: pins of one item keep their pinned order
    groups: dict[str, list[BriefingEntry]] = {}
    for entry in entries:
        key = entry.meeting_id if group_by == "meeting" else _squash(entry.item_title).casefold()
        groups.setdefault(key, []).append(entry)
    built = tuple(
        BriefingGroup(
            heading=g[0].meeting_heading if group_by == "meeting" else g[0].item_title,
            entries=tuple(g),
        )
        for g in groups.values()
    )
    sources: dict[tuple[str, str], Source] = {}
    for group in built:
        for e in group.entries:
            sources.setdefault((e.meeting_id, e.item_number), Source(e.item_citation, e.item_link))
    briefing = Briefing(
        title=title or "",
        created=created,
        language=language,
        group_by=group_by,
        groups=built,
        sources=tuple(sources.values()),
    )
    if title:
        return briefing
    return replace(briefing, title=LABELS[language]["title"].format(date=briefing.date_text))


def _hit(pin: Mapping[str, Any]) -> Hit:
    """The pin as a record; ValueError saying it is not a search result dict otherwise."""
    try:
        return Hit.from_dict(pin)
    except ValueError as exc:
        raise ValueError(f"pin is {exc}") from None


def _entry(hit: Hit, base_url: str) -> BriefingEntry:
    c = hit.citation
    root = base_url.rstrip("/")
    return BriefingEntry(
        chunk_id=str(c.chunk_id),
        meeting_id=c.meeting_id,
        body=c.body or "",
        date=c.date or "",
        doc_type=c.doc_type or "",
        item_number=c.item_number,
        item_title=c.item_title,
        section=c.section,
        text=hit.text,
        decision=hit.decision,
        proposal=hit.proposal,
        citation=c.line(),
        link=root + c.url(),
        item_citation=replace(c, section="").line(),
        item_link=root + c.item_url(),
    )


def _entry_key(e: BriefingEntry) -> tuple[str, str, tuple[int, ...]]:
    return e.date, e.meeting_id, _number_key(e.item_number)


def _fmt_date(iso: str) -> str:
    try:
        return format_date(iso)
    except ValueError:
        return iso


# --- Markdown ---------------------------------------------------------------------------

_LINE_START_HAZARD = re.compile(r"^(?:#|[=\-+>](?=\s|$)|[=\-*_+](?:\s*[=\-*_])*\s*$)")
"""A heading mark, a list bullet or quote, or a setext/thematic-break line at the start."""
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])")


def md_escape(text: str) -> str:
    """Escape one line of document text for Markdown: no HTML, links or line-start syntax.

    Raw HTML (``<``, ``>``, ``&``) becomes entities and brackets/backslashes are
    backslash-escaped, so ``[x](javascript:...)`` stays text; emphasis, strike-through and
    table marks (``* _ ~ |``) are escaped; a leading ``#``, list or quote mark (``- x``,
    ``+ x``, ``> x``, ``1. x``) or a setext/thematic-break line (``---``, ``===``) is escaped
    so it cannot become a heading, a list or a quote.
    """
    line = html.escape(text.strip(), quote=False)
    line = re.sub(r"([\\`\[\]*_~|])", r"\\\1", line)  # links, code, emphasis, tables
    line = _ORDERED_START.sub(r"\1\\\2", line)  # '1. x' is text, not a numbered list
    return "\\" + line if _LINE_START_HAZARD.match(line) else line


def _md_inline(text: str) -> str:
    return md_escape(_squash(text))


def _md_url(url: str) -> str:
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def _md_link(text: str, url: str) -> str:
    return f"[{_md_inline(text)}]({_md_url(url)})"


def _md_quote(text: str, label: str = "") -> list[str]:
    lines = [md_escape(line) for line in text.strip().splitlines()] or [""]
    if label:
        lines[0] = f"**{label}** {lines[0]}".rstrip()
    return [f"> {line}" if line else ">" for line in lines]


def to_markdown(b: Briefing) -> str:
    """The briefing as Markdown: title, date, grouped cited passages, then the sources."""
    t = b.labels
    out = [f"# {_md_inline(b.title)}", "", f"{t['date']}: {b.date_text}"]
    for group in b.groups:
        out += ["", f"## {_md_inline(group.heading)}"]
        sub = None
        for e in group.entries:
            heading = e.item_heading if b.group_by == "meeting" else e.meeting_heading
            if heading != sub:
                out += ["", f"### {_md_inline(heading)}"]
                sub = heading
            label = t["decision"] if e.passage_is_decision else ""
            out += ["", *_md_quote(e.text, label)]
            out += ["", f"{t['source']}: {_md_link(e.citation, e.link)}"]
            note = e.note(b.language)
            if note:
                body = f" {_md_inline(note[1])}" if note[1] else ""
                cite = _md_link(e.short_cite, e.item_link)
                out += ["", f"**{note[0]}**{body} ({cite})"]
    out += ["", f"## {t['sources']}", ""]
    out += [f"{n}. {_md_link(s.citation, s.link)}" for n, s in enumerate(b.sources, 1)]
    return "\n".join(out) + "\n"


# --- DOCX -------------------------------------------------------------------------------

PASSAGE_STYLE = "Briefing Passage"
CITATION_STYLE = "Briefing Citation"
NOTE_STYLE = "Briefing Note"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def to_docx(b: Briefing, path: Path) -> Path:
    """Write the briefing as a Word document (real hyperlinks) to ``path``; return it."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    t = b.labels
    doc = Document()
    doc.core_properties.title = _xml_safe(b.title)
    doc.core_properties.language = "da-DK" if b.language == "da" else "en-GB"
    styles = doc.styles
    passage = styles.add_style(PASSAGE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    passage.base_style = styles["Quote"]
    citation = styles.add_style(CITATION_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    citation.base_style = styles["Normal"]
    citation.font.italic = True
    citation.font.size = Pt(9)
    note_style = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note_style.base_style = styles["Normal"]

    doc.add_heading(_xml_safe(b.title), level=0)
    doc.add_paragraph(f"{t['date']}: {b.date_text}")
    for group in b.groups:
        doc.add_heading(_xml_safe(group.heading), level=1)
        sub = None
        for e in group.entries:
            heading = e.item_heading if b.group_by == "meeting" else e.meeting_heading
            if heading != sub:
                doc.add_heading(_xml_safe(heading), level=2)
                sub = heading
            para = doc.add_paragraph(style=PASSAGE_STYLE)
            if e.passage_is_decision:
                para.add_run(t["decision"] + " ").bold = True
            para.add_run(_xml_safe(e.text.strip()))
            cite = doc.add_paragraph(style=CITATION_STYLE)
            cite.add_run(_xml_safe(e.citation) + " — ").italic = True
            add_hyperlink(cite, e.link, e.link, italic=True)
            note = e.note(b.language)
            if note:
                para = doc.add_paragraph(style=NOTE_STYLE)
                para.add_run(note[0]).bold = True
                para.add_run(_xml_safe(f" {note[1]}" if note[1] else "") + " (")
                add_hyperlink(para, e.item_link, e.short_cite)
                para.add_run(")")
    doc.add_heading(t["sources"], level=1)
    for s in b.sources:
        para = doc.add_paragraph(style="List Number")
        para.add_run(_xml_safe(s.citation) + " — ")
        add_hyperlink(para, s.link, s.link)
    path = Path(path)
    doc.save(str(path))
    return path


def add_hyperlink(paragraph: Any, url: str, text: str, italic: bool = False) -> None:
    """Append a real ``w:hyperlink`` (external relationship to ``url``) to a paragraph."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(_xml_safe(url), RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    if italic:  # schema order inside w:rPr: i before color before u
        props.append(OxmlElement("w:i"))
    props.append(color)
    props.append(underline)
    run.append(props)
    node = OxmlElement("w:t")
    node.set(qn("xml:space"), "preserve")
    node.text = _xml_safe(text)
    run.append(node)
    link.append(run)
    paragraph._p.append(link)
