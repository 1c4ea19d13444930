"""HTML of the web app: Jinja2 templates (``web/templates``) with autoescape on.

Every value a template prints is escaped unless it is :class:`markupsafe.Markup`; the only
Markup passed in is HTML built by code that escapes document text itself
(:func:`assistant.sourceview.highlight_terms`, :func:`assistant.sourceview.render_item`)
and our own CSS and script.  Documents come from outside (uploads, archives), so no
template may mark document text safe.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from assistant.answer import Answer
from assistant.briefing import md_escape
from assistant.messages import section
from assistant.sourceview import SOURCE_CSS, highlight_terms
from ingest.chunker import DOC_TYPE_LABEL, format_date
from ingest.danish import squash as _squash

CARD_TEXT = section("cards")
"""Card, timeline and page labels by language (assistant/locales, table [cards])."""

APP_CSS = """
.mc-card { border: 1px solid #d0d7de; border-radius: 8px; padding: .6em .9em; margin: .6em 0; }
.mc-cite { font-weight: 600; }
.mc-rank { color: #57606a; margin-right: .3em; }
.mc-passage { white-space: pre-wrap; max-height: 14em; overflow: auto; margin: .5em 0;
  padding-left: .7em; border-left: 3px solid #d0d7de; }
.mc-decision { background: #f1f8f1; border-left: 3px solid #2e7d32; padding: .3em .6em; }
.mc-nodecision { background: #fff8e6; border-left: 3px solid #c98a00; padding: .3em .6em; }
.mc-open { display: inline-block; margin-top: .4em; }
mark.ma-term { background: #ffe58a; color: inherit; padding: 0; }
.mc-timeline li { margin: .5em 0; }
.mc-date { font-weight: 600; }
"""

SCROLL_SCRIPT = (
    "document.addEventListener('DOMContentLoaded',function(){"
    "var m=document.getElementById('hl');if(m){m.scrollIntoView({block:'center'});}});"
)
SCROLL_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCROLL_SCRIPT.encode()).digest()).decode()
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; "
    f"script-src 'sha256-{SCROLL_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)
PAGE_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60em; margin: 1em auto; padding: 0 1em; }
.ma-top { margin-bottom: 1em; }
"""
PAGE_HEADERS = {"Content-Security-Policy": PAGE_CSP, "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer"}
"""Headers of every source page (the CSP admits exactly :data:`SCROLL_SCRIPT`)."""


def _highlight(text: str, terms: Sequence[str]) -> Markup:
    """Document text escaped, with the question's words marked (escaping happens inside)."""
    return Markup(highlight_terms(text, terms))  # highlight_terms escapes the text


@cache
def environment() -> Environment:
    """The template environment: autoescape always on, a missing variable is an error."""
    env = Environment(
        loader=PackageLoader("web", "templates"), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
    )
    env.filters.update(squash=_squash, highlight=_highlight, date=format_date,
                       doc_label=lambda kind: DOC_TYPE_LABEL[kind])
    return env


def render(template: str, **values: Any) -> str:
    return environment().get_template(template).render(**values)


def _lang(language: str) -> str:
    return language if language in CARD_TEXT else "da"


def cards_html(answer: Answer, terms: list[str]) -> str:
    """The cited results of an answer as cards: citation link, highlighted passage,
    decision or recommendation, source link."""
    lang = _lang(answer.language)
    return render("cards.html", results=answer.results, terms=terms, t=CARD_TEXT[lang])


def timeline_html(results: list[dict[str, Any]], lang: str) -> str:
    return render("timeline.html", results=results, t=CARD_TEXT[_lang(lang)])


def chat_markdown(answer: Answer) -> str:
    """The chatbot message: escaped summary plus numbered citation links (open in new tab)."""
    lang = _lang(answer.language)
    lines = [md_escape(line) for line in answer.answer.splitlines()]
    if answer.results:
        lines += ["", f"**{CARD_TEXT[lang]['sources']}:**"]
        lines += [
            f"{r['rank']}. [{md_escape(r['citation'])}]({r['url']})" for r in answer.results
        ]
    return "\n".join(lines)


def _page_values(title: str, lang: str) -> dict[str, Any]:
    lang = _lang(lang)
    return {"title": title, "lang": lang, "back": CARD_TEXT[lang]["back"],
            "css": Markup(SOURCE_CSS + PAGE_CSS), "script": Markup(SCROLL_SCRIPT)}


def source_page(title: str, fragment: str, lang: str = "da") -> str:
    """A complete page around an item fragment from :func:`assistant.sourceview.render_item`
    (which escapes all document text itself)."""
    return render("item_page.html", fragment=Markup(fragment), **_page_values(title, lang))


def error_page(status: int, message: str, lang: str = "da") -> str:
    """A source page that says why the item could not be shown."""
    return render("error_page.html", status=status, message=message,
                  **_page_values(str(status), lang))
