"""The Gradio UI: chat with cited cards, timeline, filters, pins -> briefing (DOCX/Markdown).

Each part is built by its own function (layout) and wired by another (events); all state
is per browser session (``gr.State``).  Questions and filters pass the same rules as the
API and the CLI (:mod:`assistant.validate`); a refused value is shown as an error naming
the control.

Kept whole: the tabs' layouts and their wiring share the per-session state records; each
tab is already its own pair of functions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.access import PUBLIC
from assistant.briefing import build_briefing, md_escape, to_docx, to_markdown
from assistant.followup import followup_search_text
from assistant.messages import section
from assistant.validate import MAX_QUESTION_CHARS, AskInput, InputError, validate_ask
from assistant.watch import WatchError, count_label, outcome_line
from ingest.chunker import format_date

from .core import TIMELINE_K, AppCore, make_filters
from .render import cards_html, chat_markdown, timeline_html

UI_CONCURRENCY = 20  # Gradio events running at once (per event)
UI_QUEUE_SIZE = 64  # Gradio queue; beyond it the browser shows "busy, try again"

UI_TEXT = section("ui")
"""Labels and notices by language (assistant/locales, table [ui]); the label keys are also
the field names validate gives (``from``, ``body``, ...)."""
EXAMPLE_LANGUAGES = ("da", "da", "en")
"""The chat's example questions, one per entry, about items the index holds
(:meth:`AppCore.examples`): Danish first, and one English to show both are understood."""

Update = dict[str, Any]


# --- layout ----------------------------------------------------------------------------


@dataclass
class ChatTab:
    tab: Any
    chatbot: Any
    question: Any
    send: Any
    new_chat: Any
    cards: Any
    pick: Any
    pin: Any
    asked: Any  # previous questions of this conversation (raw text)
    results: Any  # current answer's result dicts

    def relabel(self, u: dict[str, str]) -> list[Any]:
        return [gr.update(label=u["chat_tab"]), gr.update(label=u["chat"]),
                gr.update(label=u["question"], placeholder=u["placeholder"]), u["send"],
                u["new"], gr.update(label=u["pick"]), u["pin"]]

    def relabelled(self) -> list[Any]:
        return [self.tab, self.chatbot, self.question, self.send, self.new_chat, self.pick,
                self.pin]


@dataclass
class TimelineTab:
    tab: Any
    topic: Any
    show: Any
    html: Any
    pick: Any
    pin: Any
    results: Any

    def relabel(self, u: dict[str, str]) -> list[Any]:
        return [gr.update(label=u["timeline_tab"]),
                gr.update(label=u["topic"], placeholder=u["topic_ph"]), u["show_timeline"],
                gr.update(label=u["pick"]), u["pin"]]

    def relabelled(self) -> list[Any]:
        return [self.tab, self.topic, self.show, self.pick, self.pin]


@dataclass
class FilterPanel:
    heading: Any
    body: Any
    date_from: Any
    date_to: Any
    doc_type: Any
    decisions: Any
    k: Any

    def inputs(self) -> list[Any]:
        return [self.body, self.date_from, self.date_to, self.doc_type, self.decisions]

    def relabel(self, u: dict[str, str], bodies: list[str]) -> list[Any]:
        return [
            u["filters"],
            gr.update(label=u["body"], choices=_body_choices(u, bodies)),
            gr.update(label=u["from"]), gr.update(label=u["to"]),
            gr.update(label=u["doc_type"], choices=_doc_type_choices(u)),
            gr.update(label=u["decisions"]), gr.update(label=u["k"]),
        ]

    def relabelled(self) -> list[Any]:
        return [self.heading, self.body, self.date_from, self.date_to, self.doc_type,
                self.decisions, self.k]


@dataclass
class BriefingPanel:
    heading: Any
    pins: Any  # gr.State: the pinned result dicts
    pinned: Any
    remove: Any
    clear: Any
    title: Any
    group: Any
    docx: Any
    md: Any
    download: Any

    def relabel(self, u: dict[str, str]) -> list[Any]:
        return [u["briefing"], gr.update(label=u["pins"]), u["remove"], u["clear"],
                gr.update(label=u["btitle"]),
                gr.update(label=u["group"], choices=_group_choices(u)),
                u["docx"], u["md"], gr.update(label=u["file"])]

    def relabelled(self) -> list[Any]:
        return [self.heading, self.pinned, self.remove, self.clear, self.title, self.group,
                self.docx, self.md, self.download]


def _body_choices(u: dict[str, str], bodies: list[str]) -> list[tuple[str, str]]:
    return [(u["all"], ""), *[(b, b) for b in bodies]]


def _doc_type_choices(u: dict[str, str]) -> list[tuple[str, str]]:
    return [(u["all"], ""), (u["agenda"], "dagsorden"), (u["minutes"], "referat")]


def _group_choices(u: dict[str, str]) -> list[tuple[str, str]]:
    return [(u["by_meeting"], "meeting"), (u["by_topic"], "topic")]


def chat_tab(t: dict[str, str], examples: list[str]) -> ChatTab:
    with gr.Tab(t["chat_tab"], id="chat") as tab:
        chatbot = gr.Chatbot(label=t["chat"], height=380, elem_id="chatbot",
                             feedback_options=None)
        with gr.Row():
            question = gr.Textbox(label=t["question"], placeholder=t["placeholder"], scale=5,
                                  elem_id="question", max_length=MAX_QUESTION_CHARS)
            send = gr.Button(t["send"], variant="primary", scale=1, elem_id="send")
        if examples:  # an empty index has nothing to ask about
            gr.Examples([[q] for q in examples], inputs=[question])
        new_chat = gr.Button(t["new"], size="sm")
        cards = gr.HTML("", elem_id="cards")
        pick = gr.CheckboxGroup([], label=t["pick"], elem_id="pick")
        pin = gr.Button(t["pin"], elem_id="pin")
        asked, results = gr.State([]), gr.State([])
    return ChatTab(tab, chatbot, question, send, new_chat, cards, pick, pin, asked, results)


def timeline_tab(t: dict[str, str]) -> TimelineTab:
    with gr.Tab(t["timeline_tab"], id="timeline") as tab:
        topic = gr.Textbox(label=t["topic"], placeholder=t["topic_ph"], elem_id="topic",
                           max_length=MAX_QUESTION_CHARS)
        show = gr.Button(t["show_timeline"], variant="primary")
        html = gr.HTML("", elem_id="timeline-html")
        pick = gr.CheckboxGroup([], label=t["pick"])
        pin = gr.Button(t["pin"])
        results = gr.State([])
    return TimelineTab(tab, topic, show, html, pick, pin, results)


def filter_panel(t: dict[str, str], bodies: list[str]) -> FilterPanel:
    heading = gr.Markdown(t["filters"])
    body = gr.Dropdown(_body_choices(t, bodies), value="", label=t["body"], elem_id="f-body")
    date_from = gr.Textbox(label=t["from"], elem_id="f-from")
    date_to = gr.Textbox(label=t["to"], elem_id="f-to")
    doc_type = gr.Radio(_doc_type_choices(t), value="", label=t["doc_type"])
    decisions = gr.Checkbox(False, label=t["decisions"], elem_id="f-decisions")
    k = gr.Slider(1, 20, value=5, step=1, label=t["k"])
    return FilterPanel(heading, body, date_from, date_to, doc_type, decisions, k)


def briefing_panel(t: dict[str, str]) -> BriefingPanel:
    heading = gr.Markdown(t["briefing"])
    pinned = gr.CheckboxGroup([], label=t["pins"], elem_id="pinned")
    with gr.Row():
        remove = gr.Button(t["remove"], size="sm")
        clear = gr.Button(t["clear"], size="sm")
    title = gr.Textbox(label=t["btitle"], elem_id="b-title")
    group = gr.Radio(_group_choices(t), value="meeting", label=t["group"])
    with gr.Row():
        docx = gr.Button(t["docx"], elem_id="export-docx")
        md = gr.Button(t["md"], elem_id="export-md")
    download = gr.File(label=t["file"], interactive=False, elem_id="download")
    return BriefingPanel(heading, gr.State([]), pinned, remove, clear, title, group, docx, md,
                         download)


# --- events ----------------------------------------------------------------------------


def checked_input(core: AppCore, text: str, ui: str, *, field_label: str, k: int = 5,
                  body: str = "", date_from: str = "", date_to: str = "", doc_type: str = "",
                  ) -> AskInput:
    """The API's and CLI's rules for a question and its filters; a refused value becomes an
    error dialog that names the control (in the UI's language)."""
    try:
        return validate_ask(text, k=k, body=body, date_from=date_from, date_to=date_to,
                            doc_type=doc_type, bodies=core.bodies())
    except InputError as exc:
        u = UI_TEXT.get(ui, UI_TEXT["da"])
        # the fields validate names ('from', 'body', ...) are also UI_TEXT's label keys
        label = field_label if exc.field == "question" else u.get(exc.field, exc.field)
        raise gr.Error(f"{label}: {exc.message(ui)}") from None


def _pick_choices(results: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f"[{r['rank']}] {r['citation']}", r["chunk_id"]) for r in results]


def _pin_choices(pins: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["citation"], r["chunk_id"]) for r in pins]


def _base_url(request: gr.Request | None) -> str:
    inner = getattr(request, "request", None)
    if inner is not None and hasattr(inner, "base_url"):
        return str(inner.base_url).rstrip("/")
    host = request.headers.get("host") if request is not None else None
    return f"http://{host}" if host else ""


def wire_chat(core: AppCore, chat: ChatTab, panel: FilterPanel, lang: Any) -> None:
    """Ask (button or Enter), follow-up questions, new conversation."""

    def on_ask(q: str, history: list[Any], previous: list[str], b: str, f: str, to: str,
               d: str, dec: bool, n: float, ui: str, request: gr.Request,
               ) -> Iterator[tuple[Any, ...]]:
        """One yield with the answer; with an LLM, first each verified sentence as it is
        written (the fallback replaces them), then the whole answer with its cards."""
        if not (q or "").strip():
            yield history, previous, gr.skip(), gr.skip(), gr.skip(), ""
            return
        ok = checked_input(core, q, ui, field_label=UI_TEXT[ui]["question"], k=int(n),
                           body=b, date_from=f, date_to=to, doc_type=d)
        filters = make_filters(ok.body, ok.date_from, ok.date_to, ok.doc_type, None, dec)
        search_text = followup_search_text(ok.question, previous, core.body_words())
        asked = [*(history or []), {"role": "user", "content": md_escape(ok.question)}]
        shown: list[str] = []
        for event in core.ask_stream(ok.question, k=ok.k, filters=filters,
                                     search_text=search_text,
                                     viewer=core.viewer(request.headers)):
            if event.kind in ("sentence", "fallback"):
                shown = [*shown, event.text] if event.kind == "sentence" else [event.text]
                partial = "\n".join(md_escape(line) for line in " ".join(shown).splitlines())
                yield ([*asked, {"role": "assistant", "content": partial}], gr.skip(),
                       gr.skip(), gr.skip(), gr.skip(), gr.skip())
            elif event.kind == "done" and event.answer is not None:
                answer = event.answer
                terms = core.query_terms(search_text or ok.question)
                history = [*asked, {"role": "assistant", "content": chat_markdown(answer)}]
                yield (history, [*previous, ok.question], cards_html(answer, terms),
                       answer.results, gr.update(choices=_pick_choices(answer.results),
                                                 value=[]), "")

    gr.on([chat.send.click, chat.question.submit], on_ask,
          [chat.question, chat.chatbot, chat.asked, *panel.inputs(), panel.k, lang],
          [chat.chatbot, chat.asked, chat.cards, chat.results, chat.pick, chat.question],
          concurrency_limit=UI_CONCURRENCY, concurrency_id="ask", api_visibility="private")

    def on_new() -> tuple[Any, ...]:
        return [], [], "", [], gr.update(choices=[], value=[])

    cleared = [chat.chatbot, chat.asked, chat.cards, chat.results, chat.pick]
    chat.new_chat.click(on_new, None, cleared, api_visibility="private")
    chat.chatbot.clear(on_new, None, cleared, api_visibility="private")


def wire_timeline(core: AppCore, tl: TimelineTab, panel: FilterPanel, lang: Any) -> None:
    """Every item on a topic, in date order."""

    def on_timeline(tp: str, b: str, f: str, to: str, d: str, dec: bool,
                    ui: str, request: gr.Request) -> tuple[Any, ...]:
        if not (tp or "").strip():
            return gr.skip(), gr.skip(), gr.skip()
        ok = checked_input(core, tp, ui, field_label=UI_TEXT[ui]["topic"], k=TIMELINE_K,
                           body=b, date_from=f, date_to=to, doc_type=d)
        filters = make_filters(ok.body, ok.date_from, ok.date_to, ok.doc_type, None, dec)
        items = core.timeline(ok.question, filters, core.viewer(request.headers))
        choices = [(f"{format_date(r['meeting']['date'])} · {r['citation']}", r["chunk_id"])
                   for r in items]
        return timeline_html(items, ui), items, gr.update(choices=choices, value=[])

    gr.on([tl.show.click, tl.topic.submit], on_timeline, [tl.topic, *panel.inputs(), lang],
          [tl.html, tl.results, tl.pick], concurrency_limit=UI_CONCURRENCY,
          concurrency_id="timeline", api_visibility="private")


def wire_pins(chat: ChatTab, tl: TimelineTab, brief: BriefingPanel, lang: Any) -> None:
    """Pin passages from answers or the timeline; remove some or all."""

    def on_pin(selected: list[str], current: list[dict[str, Any]],
               pinned_now: list[dict[str, Any]], ui: str) -> tuple[Any, ...]:
        have = {p["chunk_id"] for p in pinned_now}
        chosen = [r for r in current if r["chunk_id"] in (selected or [])
                  and r["chunk_id"] not in have]
        new = [*pinned_now, *chosen]
        gr.Info(UI_TEXT[ui]["pinned"].format(n=len(new)))
        return new, gr.update(choices=_pin_choices(new), value=[]), gr.update(value=[])

    chat.pin.click(on_pin, [chat.pick, chat.results, brief.pins, lang],
                   [brief.pins, brief.pinned, chat.pick], api_visibility="private")
    tl.pin.click(on_pin, [tl.pick, tl.results, brief.pins, lang],
                 [brief.pins, brief.pinned, tl.pick], api_visibility="private")

    def on_remove(selected: list[str], pinned_now: list[dict[str, Any]]) -> tuple[Any, ...]:
        new = [p for p in pinned_now if p["chunk_id"] not in (selected or [])]
        return new, gr.update(choices=_pin_choices(new), value=[])

    brief.remove.click(on_remove, [brief.pinned, brief.pins], [brief.pins, brief.pinned],
                       api_visibility="private")
    brief.clear.click(lambda: ([], gr.update(choices=[], value=[])), None,
                      [brief.pins, brief.pinned], api_visibility="private")


def wire_export(brief: BriefingPanel, lang: Any, export_dir: Path,
                core: AppCore | None = None) -> None:
    """The pinned passages as a DOCX or Markdown briefing (a fresh folder per export); a
    closed item's content only for a viewer with the closed role (``core.viewer``)."""

    def export(fmt: str, pinned_now: list[dict[str, Any]], title: str, grouping: str,
               ui: str, request: gr.Request) -> str | None:
        if not pinned_now:
            gr.Warning(UI_TEXT[ui]["no_pins"])
            return None
        briefing = build_briefing(pinned_now, title=(title or "").strip() or None,
                                  language=ui, base_url=_base_url(request),
                                  group_by=grouping or "meeting",
                                  viewer=core.viewer(request.headers) if core else PUBLIC)
        folder = export_dir / uuid.uuid4().hex
        folder.mkdir(parents=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        path = folder / f"briefing-{stamp}.{fmt}"
        if fmt == "docx":
            to_docx(briefing, path)
        else:
            path.write_text(to_markdown(briefing), encoding="utf-8")
        return str(path)

    def export_docx(p: list[dict[str, Any]], ti: str, g: str, ui: str,
                    request: gr.Request) -> str | None:
        return export("docx", p, ti, g, ui, request)

    def export_md(p: list[dict[str, Any]], ti: str, g: str, ui: str,
                  request: gr.Request) -> str | None:
        return export("md", p, ti, g, ui, request)

    inputs = [brief.pins, brief.title, brief.group, lang]
    brief.docx.click(export_docx, inputs, brief.download, api_visibility="private")
    brief.md.click(export_md, inputs, brief.download, api_visibility="private")


def wire_language(core: AppCore, lang: Any, header: Any, chat: ChatTab, tl: TimelineTab,
                  panel: FilterPanel, brief: BriefingPanel) -> None:
    """Every label follows the language toggle."""

    def on_lang(ui: str) -> tuple[Any, ...]:
        u = UI_TEXT[ui]
        return (u["header"], *chat.relabel(u), *tl.relabel(u), *panel.relabel(u, core.bodies()),
                *brief.relabel(u))

    outputs = [header, *chat.relabelled(), *tl.relabelled(), *panel.relabelled(),
               *brief.relabelled()]
    lang.change(on_lang, lang, outputs, api_visibility="private")


WATCH_UI_ITEMS = 10
"""The most recent matches shown per watch in "Nyt siden sidst"."""


def watch_markdown(core: AppCore, ui: str, viewer: Any) -> str:
    """Each topic watch's most recent matches (as ``viewer`` may see them): citation linked
    to the source, when it was found, the decision or recommendation."""
    u = UI_TEXT.get(ui, UI_TEXT["da"])
    try:
        watches = list(core.watches.load().values())
    except WatchError as exc:
        return md_escape(str(exc))
    if not watches:
        return u["watch_none"]
    blocks = []
    for watch in watches:
        shown = watch.visible(viewer, ui)
        body = u["watch_body"].format(body=watch.body) if watch.body else ""
        lines = ["### " + md_escape(u["watch_head"].format(
            name=watch.name, query=watch.query, body=body, items=count_label(len(shown), ui)))]
        if not shown:
            lines.append(u["watch_empty"].format(created=watch.created[:10]))
        for m in shown[:WATCH_UI_ITEMS]:
            found = u["watch_found"].format(found=m.found[:16].replace("T", " "))
            lines.append(f"- [{md_escape(m.result['citation'])}]({m.result['url']}) ({found})"
                         f"  \n  {md_escape(outcome_line(m.result, ui))}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@dataclass
class WatchTab:
    tab: Any
    refresh: Any
    shown: Any


def watch_tab(t: dict[str, str]) -> WatchTab:
    """"Nyt siden sidst": what the topic watches recorded (filled by :func:`wire_watch`)."""
    with gr.Tab(t["watch_tab"], id="watch") as tab:
        refresh = gr.Button(t["watch_refresh"], size="sm", elem_id="watch-refresh")
        shown = gr.Markdown(t["watch_none"], elem_id="watch-md")
    return WatchTab(tab, refresh, shown)


def wire_watch(core: AppCore, wt: WatchTab, lang: Any) -> None:
    """Shown when the tab is opened, refreshed or the language changes, as the request's
    viewer may see it (closed items: title and "Lukket punkt" only)."""

    def on_show(ui: str, request: gr.Request) -> tuple[Any, ...]:
        u = UI_TEXT.get(ui, UI_TEXT["da"])
        text = watch_markdown(core, ui, core.viewer(request.headers))
        return gr.update(label=u["watch_tab"]), u["watch_refresh"], text

    gr.on([wt.tab.select, wt.refresh.click, lang.change], on_show, [lang],
          [wt.tab, wt.refresh, wt.shown], api_visibility="private")


def build_ui(core: AppCore, export_dir: Path) -> gr.Blocks:
    """The Gradio Blocks app: tabs on the left, filters and the briefing on the right."""
    t = UI_TEXT["da"]
    with gr.Blocks(title="Mødeassistent", analytics_enabled=False,
                   delete_cache=(3600, 3600)) as demo:
        header = gr.Markdown(t["header"])
        with gr.Row():
            with gr.Column(scale=3), gr.Tabs():
                chat = chat_tab(t, core.examples(EXAMPLE_LANGUAGES))
                tl = timeline_tab(t)
                watches = watch_tab(t)
            with gr.Column(scale=1, min_width=260):
                lang = gr.Radio([("Dansk", "da"), ("English", "en")], value="da",
                                label=t["lang"], elem_id="lang")
                panel = filter_panel(t, core.bodies())
                brief = briefing_panel(t)
        wire_chat(core, chat, panel, lang)
        wire_timeline(core, tl, panel, lang)
        wire_pins(chat, tl, brief, lang)
        wire_export(brief, lang, export_dir, core)
        wire_watch(core, watches, lang)
        wire_language(core, lang, header, chat, tl, panel, brief)
    return demo
