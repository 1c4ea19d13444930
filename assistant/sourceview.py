"""HTML view of one source agenda item, with the cited passage highlighted.

The fragment is shown through ``gr.HTML``, which does not sanitize, so every piece of
document text (titles, section texts, attachment names, header fields) goes through
:func:`html.escape`; caller-provided hrefs are escaped and restricted to http(s)/relative.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from ingest.chunker import DOC_TYPE_LABEL, UNKNOWN_BODY, format_date, item_label
from ingest.models import AgendaItem, Meeting, Section

from .access import PUBLIC, Viewer, withheld
from .links import item_url
from .messages import section as texts

SOURCE_CSS = """
.ma-source { line-height: 1.5; }
.ma-meeting { border-bottom: 1px solid #ccc; margin-bottom: .5em; }
.ma-meeting dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 .8em; }
.ma-meeting dt { font-weight: 600; }
.ma-meeting dd { margin: 0; }
.ma-section { margin: .8em 0; padding: .2em .6em; border-left: 3px solid #ddd; }
.ma-section h4 { margin: .2em 0; }
.ma-text { white-space: pre-wrap; }
.ma-empty { color: #888; font-style: italic; }
.ma-decision { border-left-color: #2e7d32; background: #f1f8f1; }
.ma-note { color: #8a5a00; font-style: italic; }
.ma-hl { background: #ffe066; scroll-margin-top: 4em; }
.ma-hl-section { border-left-color: #f0b400; }
.ma-term { background: #fff3b0; padding: 0; }
.ma-nav, .ma-paired { display: flex; gap: 1em; flex-wrap: wrap; margin-top: .8em; }
""".strip()

LABELS: dict[str, dict[str, str]] = texts("source")
"""Source view labels by language (assistant/locales, table [source])."""


class ItemNotFound(LookupError):
    """The requested item number does not exist in the meeting."""

    def __init__(self, meeting_id: str, item_number: str) -> None:
        super().__init__(f"item {item_number!r} not found in meeting {meeting_id!r}")
        self.meeting_id = meeting_id
        self.item_number = item_number


def _esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _term_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)


def highlight_terms(text: str, terms: Sequence[str]) -> str:
    """Escaped HTML of ``text`` with ``<mark class="ma-term">`` around words starting with a term.

    Matching is case-insensitive and anchored at word starts ("klima" marks
    "Klimasamarbejde" but not "byklima"); the whole word is marked.
    """
    pattern = _term_pattern(terms)
    if pattern is None:
        return _esc(text)
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(_esc(text[last : m.start()]))
        out.append(f'<mark class="ma-term">{_esc(m.group(0))}</mark>')
        last = m.end()
    out.append(_esc(text[last:]))
    return "".join(out)


def find_passage(text: str, passage: str) -> tuple[int, int] | None:
    """Span of ``passage`` in ``text``: exact first, then ignoring whitespace differences."""
    needle = passage.strip()
    if not needle:
        return None
    at = text.find(needle)
    if at >= 0:
        return at, at + len(needle)
    pattern = r"\s+".join(re.escape(word) for word in needle.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def _safe_href(href: str) -> str:
    """Escape an href; anything that is not http(s) or relative becomes '#'."""
    scheme = urlsplit(href.strip()).scheme.lower()
    return _esc(href) if scheme in ("", "http", "https") else "#"


def _locate(
    item: AgendaItem, highlight: str | None, highlight_section: str | None
) -> tuple[int, tuple[int, int] | None] | None:
    """(section index, span or None for whole section) of the highlight, or None."""
    order = list(range(len(item.sections)))
    preferred = [i for i in order if item.sections[i].name == highlight_section]
    if highlight:
        for i in preferred + [i for i in order if i not in preferred]:
            span = find_passage(item.sections[i].text, highlight)
            if span:
                return i, span
    return (preferred[0], None) if preferred else None


def _section_html(
    section: Section,
    span: tuple[int, int] | None,
    whole: bool,
    terms: Sequence[str],
    empty_label: str,
) -> str:
    classes = ["ma-section"]
    if section.is_decision:
        classes.append("ma-decision")
    if whole:
        classes.append("ma-hl-section")
    text = section.text
    if not text.strip():
        body = f'<p class="ma-empty">{_esc(empty_label)}</p>'
    elif span or whole:
        start, end = span or (0, len(text))
        body = (
            f'<div class="ma-text">{highlight_terms(text[:start], terms)}'
            f'<mark id="hl" class="ma-hl">{highlight_terms(text[start:end], terms)}</mark>'
            f"{highlight_terms(text[end:], terms)}</div>"
        )
    else:
        body = f'<div class="ma-text">{highlight_terms(text, terms)}</div>'
    anchor = ' id="hl"' if whole and not text.strip() else ""
    return (
        f'<section class="{" ".join(classes)}" data-section="{_esc(section.name)}"{anchor}>'
        f"<h4>{_esc(section.name)}</h4>{body}</section>"
    )


def render_item(
    meeting: Meeting,
    item_number: str,
    *,
    highlight: str | None = None,
    highlight_section: str | None = None,
    query_terms: Sequence[str] = (),
    paired: Sequence[tuple[str, str]] = (),
    same_case: Sequence[tuple[str, str]] = (),
    language: str = "da",
    viewer: Viewer = PUBLIC,
) -> str:
    """HTML fragment for one agenda item: header, all sections in order, navigation.

    ``highlight`` (the cited chunk's text) is wrapped in ``<mark id="hl" class="ma-hl">``
    where it is found (exact, then whitespace-insensitive); otherwise the section named
    ``highlight_section`` is marked as a whole.  ``same_case`` holds (href, label) links to
    the other treatments of the item's case.  ``paired`` holds (href, label) links to
    the same item in related documents (e.g. the agenda of these minutes).  A closed
    item shows its content only to a ``viewer`` with the closed role.

    Kept whole: the fragment is one ordered list of parts whose escaping is checked in
    one place.
    """
    meeting = viewer.meeting(meeting)
    t = LABELS.get(language, LABELS["da"])
    index = next((i for i, it in enumerate(meeting.items) if it.number == item_number), None)
    if index is None:
        raise ItemNotFound(meeting.meeting_id, item_number)
    item = meeting.items[index]

    fields = [
        (t["time"], meeting.time),
        (t["location"], meeting.location),
        (t["case_number"], item.case_number),
        (t["handler"], item.handler),
        (t["presenter"], item.presenter),
    ]
    doc_label = DOC_TYPE_LABEL.get(meeting.doc_type, meeting.doc_type)
    parts = [
        f'<article class="ma-source" data-meeting="{_esc(meeting.meeting_id)}"'
        f' data-item="{_esc(item.number)}">',
        '<header class="ma-meeting">',
        f'<div class="ma-meta"><span class="ma-body">{_esc(meeting.body or UNKNOWN_BODY)}</span> · '
        f'<span class="ma-date">{_esc(format_date(meeting.date))}</span> · '
        f'<span class="ma-doctype">{_esc(doc_label)}</span></div>',
        "<dl>"
        + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in fields if v)
        + "</dl>",
        "</header>",
        f'<h3 class="ma-item-title">{_esc(item_label(item.number, item.title))}</h3>',
    ]
    if item.closed:
        note = t["closed"] if withheld(item) else t["closed_shown"]
        parts.append(f'<p class="ma-note ma-closed">{_esc(note)}</p>')
    if meeting.doc_type == "dagsorden":
        parts.append(f'<p class="ma-note">{_esc(t["agenda_note"])}</p>')

    located = _locate(item, highlight, highlight_section)
    for i, section in enumerate(item.sections):
        span = located[1] if located and located[0] == i else None
        whole = bool(located and located[0] == i and located[1] is None)
        parts.append(_section_html(section, span, whole, query_terms, t["empty"]))
    if not item.sections and not item.closed:
        parts.append(f'<p class="ma-empty">{_esc(t["no_sections"])}</p>')
    if item.attachments:
        parts.append(
            f'<section class="ma-attachments"><h4>{_esc(t["attachments"])}</h4><ul>'
            + "".join(f"<li>{_esc(a)}</li>" for a in item.attachments)
            + "</ul></section>"
        )

    nav = []
    for offset, key, css in ((-1, "prev", "ma-prev"), (1, "next", "ma-next")):
        if 0 <= index + offset < len(meeting.items):
            other = meeting.items[index + offset]
            href = item_url(meeting.meeting_id, other.number)
            text = t[key].format(n=other.number, t=other.title)
            nav.append(f'<a class="{css}" href="{_esc(href)}">{_esc(text)}</a>')
    if nav:
        parts.append(f'<nav class="ma-nav">{"".join(nav)}</nav>')
    if paired:
        links = "".join(
            f'<a class="ma-pair" href="{_safe_href(href)}">{_esc(label)}</a>'
            for href, label in paired
        )
        parts.append(f'<nav class="ma-paired"><span>{_esc(t["paired"])}</span>{links}</nav>')
    if same_case:
        links = "".join(
            f'<a class="ma-case" href="{_safe_href(href)}">{_esc(label)}</a>'
            for href, label in same_case
        )
        parts.append(
            f'<nav class="ma-paired ma-same-case"><span>{_esc(t["same_case"])}</span>{links}</nav>'
        )
    parts.append("</article>")
    return "\n".join(parts)
