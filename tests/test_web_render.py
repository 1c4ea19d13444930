"""The web app's HTML (web/render.py + web/templates): document text is only ever text.

Result dicts here have the shape of ``Answer.results`` (assistant/answer.py) with hostile
values in every field a document or an upload controls."""

from __future__ import annotations

import base64
import hashlib
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jinja2
import pytest

from assistant.answer import Answer
from ingest.chunker import DOC_TYPE_LABEL
from web.render import (
    CARD_TEXT,
    PAGE_CSP,
    chat_markdown,
    environment,
    error_page,
    render,
    source_page,
    timeline_html,
)
from web.render import cards_html as render_cards

REPO = Path(__file__).resolve().parents[1]
EVIL = '<img src=x onerror=alert(1)>"\'&'


def result(rank: int = 1, **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "rank": rank, "score": 0.5, "section": "Indstilling", "chunk_id": f'c{rank}"><x',
        "meeting": {"meeting_id": "m1", "body": f"Udvalget {EVIL}", "date": "2023-06-21",
                    "doc_type": "dagsorden"},
        "item": {"number": "3", "title": f"Titel {EVIL}"},
        "text": f"Klimaplanen {EVIL} og klimasamarbejdet\nanden linje",
        "decision": None, "proposal": f"Det indstilles, at {EVIL}   godkendes.",
        "url": f"/item/m1/3?hl=c{rank}&q=x\"y", "citation": f"Udvalget · 21.06.2023 {EVIL}",
    }
    base.update(over)
    return base


def answer(results: list[dict[str, Any]], language: str = "da") -> Answer:
    return Answer(question="q", language=language, intent="decision", no_answer=False,
                  answer=f"Svar {EVIL} [1]\n# ikke en overskrift", results=results)


class Tags(HTMLParser):
    """Start tags and their attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_cards_show_hostile_text_as_text() -> None:
    html = render_cards(answer([result(1), result(2, decision=f"Godkendt {EVIL}")]), ["klima"])
    names = [t for t, _ in tags(html)]
    assert "img" not in names and "script" not in names
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 6
    cards = [a for t, a in tags(html) if t == "div" and a.get("class") == "mc-card"]
    assert [c["data-chunk"] for c in cards] == ['c1"><x', 'c2"><x']  # attribute kept whole
    links = [a for t, a in tags(html) if t == "a"]
    assert links[0]["href"] == '/item/m1/3?hl=c1&q=x"y'
    assert all(a["target"] == "_blank" and a["rel"] == "noopener noreferrer" for a in links)


def test_cards_mark_the_question_words_and_keep_line_breaks() -> None:
    html = render_cards(answer([result()]), ["klima"])
    passage = re.search(r'<div class="mc-passage">(.*?)</div>', html, re.S)
    assert passage is not None
    assert passage[1].startswith('<mark class="ma-term">Klimaplanen</mark> &lt;img')
    assert '<mark class="ma-term">klimasamarbejdet</mark>\nanden linje' in passage[1]


@pytest.mark.parametrize(
    ("over", "css", "text"),
    [
        ({"decision": "Godkendt\n  med  ændringer"}, "mc-decision",
         "<b>Beslutning:</b> Godkendt med ændringer"),
        ({}, "mc-nodecision",
         "Ingen beslutning registreret – dagsorden, indstilling:</b> Det indstilles, at "),
        ({"proposal": None}, "mc-nodecision",
         "<b>Ingen beslutning registreret – dagsorden.</b>"),
        ({"proposal": None, "meeting": {"meeting_id": "m2", "body": "B", "date": "2023-01-02",
                                        "doc_type": "referat"}},
         "mc-nodecision", "Ingen beslutning registreret i referatet."),
    ],
)
def test_outcome_line(over: dict[str, Any], css: str, text: str) -> None:
    html = render_cards(answer([result(**over)]), [])
    assert f'<div class="{css}">' in html and text in html


def test_cards_follow_the_answer_language() -> None:
    html = render_cards(answer([result()], "en"), [])
    assert "No decision recorded – agenda" in html and CARD_TEXT["en"]["open"] in html
    assert render_cards(answer([], "en"), []).count("No results.") == 1
    assert "Ingen resultater." in render_cards(answer([], "xx"), [])  # unknown: Danish


def test_timeline_rows_escape_and_format() -> None:
    rows = [result(1), result(2, meeting={"meeting_id": "m3", "body": "KD-Net",
                                          "date": "2024-02-01", "doc_type": "referat"},
                          decision="Vedtaget")]
    html = timeline_html(rows, "da")
    assert re.findall(r'<span class="mc-date">([^<]*)</span>', html) == [
        "21.06.2023", "01.02.2024"]
    assert f" · {DOC_TYPE_LABEL['referat']} · " in html
    assert "img" not in [t for t, _ in tags(html)]
    assert "pkt. 3 Titel &lt;img" in html
    assert "Ingen punkter fundet om emnet." in timeline_html([], "da")
    assert "No items found on this topic." in timeline_html([], "en")


def test_chat_markdown_escapes_and_lists_sources() -> None:
    md = chat_markdown(answer([result()]))
    assert "&lt;img src=x onerror=alert(1)&gt;" in md and "<img" not in md
    assert "\\# ikke en overskrift" in md
    assert "**Kilder:**" in md and "1. [Udvalget · 21.06.2023" in md


def test_source_page_admits_exactly_its_own_script() -> None:
    page = source_page(f"Titel {EVIL}", '<div class="ma-source">fragment</div>', "en")
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script is not None and page.count("<script>") == 1
    digest = base64.b64encode(hashlib.sha256(script[1].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in PAGE_CSP
    assert "<title>Titel &lt;img src=x onerror=alert(1)&gt;&#34;&#39;&amp;</title>" in page
    assert '<div class="ma-source">fragment</div>' in page  # the escaped fragment as is
    assert '<html lang="en">' in page and "← Back to search" in page
    assert "grid-template-columns: max-content 1fr" in page  # CSS not escaped


def test_error_page_escapes_the_message() -> None:
    page = error_page(404, f"meeting {EVIL!r} not found")
    assert "<h1>404</h1>" in page and "<title>404</title>" in page
    assert "img" not in [t for t, _ in tags(page)]
    assert '<html lang="da">' in page and "← Til søgningen" in page


def test_every_template_autoescapes_and_refuses_missing_values() -> None:
    env = environment()
    names = sorted(p.name for p in (REPO / "web" / "templates").glob("*.html"))
    assert set(env.list_templates()) >= set(names) and len(names) >= 5
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(jinja2.UndefinedError):
        render("cards.html", results=[], terms=[])  # no labels given


def test_templates_ship_with_the_package() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert "web" in setuptools["packages"]
    assert "templates/*.html" in setuptools["package-data"]["web"]
    assert any(d.startswith("jinja2") for d in project["project"]["dependencies"])
    assert "web" in project["tool"]["mypy"]["files"]
