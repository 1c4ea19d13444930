"""The message catalog (assistant/messages.py, assistant/locales/*.toml): complete in every
language, strict about codes and parameters, and the only home of user-facing sentences in
the modules that use it.  Refusals are checked on real questions over the real sample
corpus (fake embedder, real Chroma): their text is byte for byte what the f-strings in
noanswer.py printed before the catalog (captured from that code)."""

from __future__ import annotations

import ast
import fnmatch
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import Assistant
from assistant.messages import (
    CATALOG,
    DEFAULT_LANGUAGE,
    LOCALES,
    MessageError,
    load_catalog,
    message,
    parameters,
    section,
)
from assistant.noanswer import Verdict, assess_answerable
from assistant.query import analyze
from assistant.roles import ROLES, role_evidence
from assistant.search import Retriever
from vectorstore.embedder import HashEmbedder

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples" / "kkr-midtjylland"


# --- the catalog itself ----------------------------------------------------------------


def test_every_code_is_in_danish_and_english_with_the_same_parameters() -> None:
    assert {"da", "en"} <= set(CATALOG.languages) and DEFAULT_LANGUAGE == "da"
    codes = set(CATALOG.texts["da"])
    assert len(codes) > 100
    for lang, texts in CATALOG.texts.items():
        assert set(texts) == codes, lang
        for code, text in texts.items():
            assert text.strip(), (lang, code)
            assert parameters(text) == parameters(CATALOG.texts["da"][code]), (lang, code)


def test_message_fills_parameters_and_refuses_unknown_codes_and_parameters() -> None:
    assert message("answer.closest", "en", items="a; b") == "Closest topics in the archive: a; b."
    assert message("answer.closest", "da", items="x") == "Nærmeste emner i arkivet: x."
    assert message("answer.nothing") == "Ingen resultater i arkivet (tjek filtrene)."
    # a language the catalog lacks is answered in the default language
    assert message("answer.nothing", "de") == message("answer.nothing", "da")
    # '!r' in a template, '{{' as a literal brace
    assert message("api.case_not_found", "en", number="24/1") == (
        "no agenda item with case number '24/1'")
    assert message("api.bad_content_type", "en").endswith("JSON {'paths': [...]}")
    with pytest.raises(MessageError, match="no message 'answer.nope'"):
        message("answer.nope", "da")
    with pytest.raises(MessageError, match=r"missing \['items'\]"):
        message("answer.closest", "da")
    with pytest.raises(MessageError, match=r"not used \['extra'\]"):
        message("answer.closest", "da", items="x", extra="y")
    with pytest.raises(MessageError, match=r"no table \[nope\]"):
        section("nope")


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("da", "en", "problem"),
    [
        ('[a]\nx = "Hej {name}"\ny = "Farvel"\n', '[a]\nx = "Hi {name}"\n',
         r"en\.toml: codes missing \['a\.y'\]"),
        ('[a]\nx = "Hej"\n', '[a]\nx = "Hi"\nz = "More"\n',
         r"en\.toml: codes missing \[\], not in da\.toml \['a\.z'\]"),
        ('[a]\nx = "Hej {name}"\n', '[a]\nx = "Hi {nam}"\n',
         r"en\.toml: a\.x uses \['nam'\], da\.toml uses \['name'\]"),
        ('[a]\nx = "Hej {0}"\n', '[a]\nx = "Hi {0}"\n', r"parameter \{0\} must be a plain name"),
        ('[a]\nx = "Hej {m.n}"\n', '[a]\nx = "Hi {m.n}"\n', r"\{m\.n\} must be a plain name"),
        ('[a]\nx = "Hej {}"\n', '[a]\nx = "Hi {}"\n', r"parameter \{\} must be a plain name"),
        ('[a]\nx = "Hej {n:{w}}"\n', '[a]\nx = "Hi"\n', r"\{n\} must be a plain name"),
        ('[a]\nx = "Hej {"\n', '[a]\nx = "Hi"\n', r"malformed braces"),
        ('[a]\nx = 3\n', '[a]\nx = "Hi"\n', r"da\.toml: a\.x must be text, not int"),
        ('[a]\nx = "Hej\n', '[a]\nx = "Hi"\n', r"da\.toml: not valid TOML"),
    ],
)
def test_a_broken_language_file_is_refused_naming_file_and_code(
    tmp_path: Path, da: str, en: str, problem: str
) -> None:
    _write(tmp_path, "da.toml", da)
    _write(tmp_path, "en.toml", en)
    with pytest.raises(MessageError, match=problem):
        load_catalog(tmp_path)


def test_a_new_language_is_one_file(tmp_path: Path) -> None:
    """How README says to add a language: copy en.toml, translate the values."""
    for lang in ("da", "en"):
        _write(tmp_path, f"{lang}.toml", (LOCALES / f"{lang}.toml").read_text(encoding="utf-8"))
    german = (LOCALES / "en.toml").read_text(encoding="utf-8").replace(
        '"Closest topics in the archive: {items}."', '"Nächste Themen im Archiv: {items}."')
    _write(tmp_path, "de.toml", german)
    catalog = load_catalog(tmp_path)
    assert catalog.languages == ("da", "de", "en")
    assert catalog.message("answer.closest", "de", items="x") == "Nächste Themen im Archiv: x."
    (tmp_path / "da.toml").unlink()
    with pytest.raises(MessageError, match=r"no da\.toml"):
        load_catalog(tmp_path)


def test_the_locale_files_ship_in_the_wheel() -> None:
    """pyproject's package data names every locale file (a wheel install has them)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["assistant"]
    files = sorted(LOCALES.glob("*.toml"))
    assert files and LOCALES.parent == REPO / "assistant"
    for path in files:
        relative = path.relative_to(REPO / "assistant").as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_answer_texts_are_in_the_catalog_as_answer_py_keys_them() -> None:
    """answer.py's TEXTS keys and strings, so that answer.py can take ``section("answer")``."""
    from assistant import answer

    assert section("answer") == answer.TEXTS


def test_module_text_tables_come_from_the_catalog() -> None:
    from assistant import briefing, llm, sourceview, watch
    from web import render, ui

    assert briefing.LABELS == section("briefing")
    assert sourceview.LABELS == section("source")
    assert llm.NOTICES == section("llm")
    assert render.CARD_TEXT == section("cards")
    assert ui.UI_TEXT == section("ui")
    assert watch.TEXTS == section("watch")


# --- refusals: codes and parameters, rendered by the catalog ------------------------------


@pytest.fixture(scope="module")
def sample_services(tmp_path_factory: pytest.TempPathFactory, services_factory: Any) -> Any:
    services = services_factory(tmp_path_factory.mktemp("messages") / "index", HashEmbedder())
    report = services.ingestor.ingest([SAMPLES])
    assert report.ingested == 5, report.as_dict()
    return services


@pytest.fixture(scope="module")
def retriever(sample_services: Any) -> Retriever:
    return Retriever(sample_services.store, sample_services.embedder)


def _verdict(retriever: Retriever, question: str) -> tuple[Verdict, Any]:
    """The verdict as Assistant.ask reaches it (k=5, the role evidence moved first)."""
    query = analyze(question, retriever.bodies)
    hits = retriever.search(query, None, limit=10)
    evidence = role_evidence(query, hits)
    if evidence is not None:
        hits.insert(0, hits.pop(evidence[0] - 1))
        evidence = (1, evidence[1])
    return assess_answerable(query, hits[:5], retriever, evidence), hits


NEAREST = "04.11.2022, 10.02.2023, 21.06.2023, 21.11.2023, 08.04.2025"
REFUSALS = [
    ("Hvad besluttede KKR Syddanmark om budgettet?", "unknown_body",
     "Arkivet har ingen møder i KKR Syddanmark; det har møder i KD-Net, KKR Midtjylland."),
    ("What did KKR Syddanmark decide about the budget?", "unknown_body",
     "The archive holds no meetings of KKR Syddanmark; it holds meetings of KD-Net, "
     "KKR Midtjylland."),
    ("What did the city council decide about the budget?", "unknown_body",
     "The archive holds no meetings of the city council; it holds meetings of KD-Net, "
     "KKR Midtjylland."),
    ("Hvad blev besluttet på mødet den 3. marts 2024?", "no_meeting",
     "Arkivet har hverken dagsorden eller referat fra et møde 03.03.2024 (de nærmeste møder i "
     f"arkivet: {NEAREST})."),
    ("What was decided at the meeting on 3 March 2024?", "no_meeting",
     "The archive holds no agenda or minutes of a meeting on 03.03.2024 (the nearest meetings "
     f"it holds: {NEAREST})."),
    ("Hvad koster zebrafodring i KKR Midtjylland?", "missing_terms",
     "Ordene «koster, zebrafodring» forekommer ikke i arkivet."),
    ("What was decided about the vindmøllepark in Søby?", "missing_terms",
     "The terms «søby, vindmøllepark» do not occur in the archive."),
    ("Hvem er formand for KKR Midtjylland?", "no_role_evidence",
     "Arkivet nævner ingen steder, hvem der er formand for KKR Midtjylland."),
    ("Who chairs KKR Midtjylland?", "no_role_evidence",
     "No passage in the archive states who is the chair of KKR Midtjylland."),
]
"""Questions and the refusal noanswer.py's f-strings gave them before the catalog."""


@pytest.mark.parametrize(("question", "code", "expected"), REFUSALS)
def test_refusals_are_byte_identical_to_the_former_f_strings(
    retriever: Retriever, question: str, code: str, expected: str
) -> None:
    verdict, _ = _verdict(retriever, question)
    assert not verdict.answerable
    assert verdict.reason == expected
    assert verdict.code == code
    language = analyze(question, retriever.bodies).language
    assert verdict.language == language
    assert message(f"refusal.{code}", language, **verdict.params) == expected


@pytest.mark.parametrize(
    ("question", "former"),
    [
        ("Hvad står der om Budget 2031-34?",
         "Det bedste belæg nævner ikke 2031-34; det handler om «{}»."),
        ("What does the Budget 2031-34 say?",
         "The best evidence does not mention 2031-34; it is about «{}»."),
    ],
)
def test_period_refusal_names_the_best_evidence_as_before(
    retriever: Retriever, question: str, former: str
) -> None:
    verdict, hits = _verdict(retriever, question)
    assert verdict.code == "period_not_stated"
    assert verdict.params == {"period": "2031-34", "title": hits[0].item.title}
    assert verdict.reason == former.format(hits[0].item.title)


def test_a_date_beside_a_held_meeting_dates_a_fact_not_a_meeting(retriever: Retriever) -> None:
    """'approved in June 2023 ... on 1 January 2023': June 2023 is the meeting (held), the
    first of January dates the figure asked for, and is no reason to refuse."""
    asked = ("What did KKR Midtjylland decide in June 2023 about the figures from "
             "1 January 2023 for the specialised social area?")
    verdict, _ = _verdict(retriever, asked)
    assert verdict.code != "no_meeting"
    alone, _ = _verdict(retriever, "What did KKR Midtjylland decide on 1 January 2023?")
    assert alone.code == "no_meeting"  # no meeting of any body that day


@pytest.mark.parametrize(
    ("question", "lang"),
    [("Hvad besluttede KKR Midtjylland på mødet den 4. november 2022?", "da"),
     ("What did KKR Midtjylland decide at its meeting on 4 November 2022?", "en")],
)
def test_a_named_body_s_meeting_date_must_be_one_of_its_own_meetings(
    retriever: Retriever, question: str, lang: str
) -> None:
    """4 November 2022 is a KD-Net meeting, not one of KKR Midtjylland's."""
    verdict, _ = _verdict(retriever, question)
    # without 'meeting' the date may be another body's meeting the question speaks of
    loose = question.replace("på mødet den", "den").replace("at its meeting on", "on")
    assert _verdict(retriever, loose)[0].code not in ("no_meeting", "no_body_meeting")
    assert verdict.code == "no_body_meeting" and verdict.language == lang
    assert verdict.params == {"date": "04.11.2022", "body": "KKR Midtjylland",
                              "nearest": "10.02.2023, 21.06.2023, 21.11.2023, 08.04.2025"}
    assert "KKR Midtjylland" in verdict.reason and "04.11.2022" not in verdict.params["nearest"]
    held = verdict.params["nearest"].split(", ")
    assert _verdict(retriever, question.replace("KKR Midtjylland", "KD-Net"))[0].answerable
    assert held and all(
        _verdict(retriever, question.replace("4. november 2022", "10. februar 2023")
                 .replace("4 November 2022", "10 February 2023"))[0].code != code
        for code in ("no_meeting", "no_body_meeting")
    )


def test_answerable_verdict_has_no_reason(retriever: Retriever) -> None:
    verdict, _ = _verdict(retriever, "Hvad blev besluttet om KlimaMidt?")
    assert verdict.answerable and verdict.code == "" and verdict.reason == ""
    assert Verdict(False).reason == ""  # no hits: nothing to explain


REFUSAL_PARAMS = {
    "unknown_body": {"names": "KKR Nordjylland", "listed": "KD-Net"},
    "no_meeting": {"date": "03.03.2024", "nearest": "04.11.2022"},
    "period_not_stated": {"period": "2031-34", "title": "Budget"},
    "name_not_mentioned": {"name": "Skive", "title": "Landstallet for flygtninge 2024"},
    "year_not_held": {"year": "2019", "first": "2022", "last": "2025", "title": "Budget"},
    "year_after_archive": {"year": "2026", "last": "08.04.2025", "title": "Budget"},
    "no_body_meeting": {"date": "03.03.2024", "nearest": "10.02.2023", "body": "KD-Net"},
    "year_before_archive": {"year": "2021", "first": "04.11.2022", "title": "Budget"},
    "missing_terms": {"words": "zebra"},
    "no_role_evidence": {"role": "formand", "body": "KD-Net"},
    "other_place": {"place": "Thisted", "homes": "Vejen, Skive"},
    "other_place_unsaid": {"place": "Thisted"},
    "amount_not_stated": {"title": "Højdevej 13 - Byggesag"},
    "off_topic": {"topic": "stray cats", "title": "Støjhandlingsplan"},
}


def test_every_refusal_code_renders_in_both_languages() -> None:
    codes = {c.split(".")[1] for c in CATALOG.codes
             if c.startswith("refusal.") and c.count(".") == 1}
    assert codes == set(REFUSAL_PARAMS)
    for code, params in REFUSAL_PARAMS.items():
        da = Verdict(False, code, params, "da").reason
        en = Verdict(False, code, params, "en").reason
        assert da != en and da.startswith(("Arkivet", "Det", "Ordene"))
        for value in params.values():
            assert value in da and value in en
    # every role the parser knows has its name in both languages
    for role in set(ROLES.values()):
        assert message(f"refusal.role.{role}", "da") == role
        assert message(f"refusal.role.{role}", "en").startswith("the ")


# --- no user-facing sentence left outside the catalog -------------------------------------

SCANNED = [
    "assistant/access.py", "assistant/answer.py", "assistant/briefing.py", "assistant/cli.py",
    "assistant/llm.py", "assistant/mcp_server.py", "assistant/messages.py",
    "assistant/noanswer.py", "assistant/sourceview.py", "assistant/validate.py",
    "assistant/watch.py",
    "web/api.py", "web/render.py", "web/ui.py",
]
ALLOWED = {
    # text for the language model, not for people (its instructions and passage headers)
    "assistant/llm.py": {"SYSTEM_PROMPT", "build_messages", "passages_from_results",
                         "Verifier.check"},  # ... and why a sentence was dropped (diagnostic)
    "assistant/mcp_server.py": {"INSTRUCTIONS"},
    # operator commands print English reports, like --help and the logs
    "assistant/cli.py": {"cmd_check", "_print_health", "cmd_restore", "_refresh_watches"},
    "assistant/sourceview.py": {"ItemNotFound"},  # an exception message (English)
    "assistant/watch.py": {"WatchStore._corrupt"},  # a WatchError message (English)
}
"""Names (module-level assignments, functions, classes; dotted for methods) whose strings
the scan skips, and why."""
SENTENCE = re.compile(r"[^\W\d_]{2,}(?: [^\W\d_]{2,}){2,}")
"""Three words in a row: a sentence (labels of one or two words are not looked for)."""
SKIPPED_KEYWORDS = {"help", "epilog", "description", "summary", "metavar", "usage", "prog"}
"""argparse help, OpenAPI and schema descriptions: English text for developers."""
USER_FACING_ERRORS = {"HTTPException", "ToolError", "Error"}
"""Raised errors whose message a user reads (others are English library errors)."""
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical"}


class SentenceFinder(ast.NodeVisitor):
    """String literals (f-strings as a whole) that hold a sentence, outside docstrings,
    log calls, word lists (``"a b c".split()``), developer keywords and library errors."""

    def __init__(self, allowed: set[str]) -> None:
        self.allowed = allowed
        self.seen: set[str] = set()
        self.found: list[tuple[int, str]] = []
        self.scope: list[str] = []

    def _scoped(self, name: str, node: ast.AST) -> None:
        qualified = ".".join([*self.scope, name])
        if qualified in self.allowed:
            self.seen.add(qualified)
            return
        self.scope.append(name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._scoped(node.name, node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._scoped(node.name, node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._scoped(node.name, node)

    def visit_Assign(self, node: ast.Assign) -> None:
        names = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if not self.scope and names & self.allowed:
            self.seen |= names & self.allowed
            return
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if not isinstance(node.value, ast.Constant):  # a bare string is a docstring
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and (
            (func.attr in LOG_METHODS and _name(func.value) in ("log", "logger", "logging"))
            or (func.attr == "split" and isinstance(func.value, ast.Constant))
        ):
            return
        self.visit(func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            if keyword.arg not in SKIPPED_KEYWORDS:
                self.visit(keyword.value)

    def visit_Raise(self, node: ast.Raise) -> None:
        if isinstance(node.exc, ast.Call) and _name(node.exc.func) in USER_FACING_ERRORS:
            self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value in SKIPPED_KEYWORDS:
                continue
            if key is not None:
                self.visit(key)
            self.visit(value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
        self._check("".join(str(p) for p in parts), node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            self._check(node.value, node)

    def _check(self, text: str, node: ast.expr) -> None:
        if SENTENCE.search(text):
            self.found.append((node.lineno, text))


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else ""


@pytest.mark.parametrize("module", SCANNED)
def test_no_user_facing_sentence_outside_the_catalog(module: str) -> None:
    allowed = ALLOWED.get(module, set())
    finder = SentenceFinder(allowed)
    finder.visit(ast.parse((REPO / module).read_text(encoding="utf-8")))
    assert not finder.found, (
        f"{module}: user-facing sentences belong in assistant/locales/*.toml "
        f"(messages.message / section): {finder.found}")
    assert finder.seen == allowed, f"{module}: stale ALLOWED entries {allowed - finder.seen}"


def test_the_scan_finds_a_sentence_where_one_is_written() -> None:
    """The guard above can fail: it finds sentences in strings, f-strings, prints and
    user-facing errors, and skips what it says it skips."""
    source = '''
"""Docstring with many words in it."""
import logging
log = logging.getLogger()
A = "Arkivet har ingen møder"
def f(x):
    print(f"Sag {x}: alle punkter her")
    log.warning("this is a log line")
    parser.add_argument("--x", help="help text for developers")
    raise HTTPException(404, "no such meeting here")
def g():
    raise ValueError("library error message here")
WORDS = frozenset("ikke ingen intet".split())
'''
    finder = SentenceFinder(set())
    finder.visit(ast.parse(source))
    assert [line for line, _ in finder.found] == [5, 7, 10]
    allowed = SentenceFinder({"A", "f"})
    allowed.visit(ast.parse(source))
    assert allowed.found == [] and allowed.seen == {"A", "f"}


# --- watch, validation, access and timeline texts: byte for byte what they were -------------
# The "former" tables, f-strings and template below are copied from the code before these
# texts moved into the catalog; each test renders real inputs (the sample index) both ways.

FORMER_WATCH_TEXTS = {
    "da": {
        "decision": "Beslutning:",
        "agenda_no_decision": "Ingen beslutning registreret – dagsorden, indstilling:",
        "agenda_no_decision_bare": "Ingen beslutning registreret – dagsorden.",
        "minutes_no_decision": "Ingen beslutning registreret i referatet.",
        "closed": "Lukket punkt",
        "heading": "{name} («{query}»{body}): {items}{since}",
        "items": "{n} nye punkter", "item": "1 nyt punkt",
        "body": ", organ: {body}",
        "since": " siden {since}",
        "found": "fundet {found}",
        "none": "Ingen emneovervågninger. Opret en med: meetings watch add \"emne\"",
        "feed_title": "Nyt siden sidst: {query}",
    },
    "en": {
        "decision": "Decision:",
        "agenda_no_decision": "No decision recorded – agenda, recommendation (Indstilling):",
        "agenda_no_decision_bare": "No decision recorded – agenda.",
        "minutes_no_decision": "No decision recorded in the minutes.",
        "closed": "Closed item",
        "heading": "{name} (“{query}”{body}): {items}{since}",
        "items": "{n} new items", "item": "1 new item",
        "body": ", body: {body}",
        "since": " since {since}",
        "found": "found {found}",
        "none": "No topic watches. Add one with: meetings watch add \"topic\"",
        "feed_title": "New since last time: {query}",
    },
}


def _former_outcome_line(result: dict[str, Any], language: str = "da") -> str:
    """assistant/watch.py's outcome_line before the catalog."""
    from assistant.watch import _flat

    t = FORMER_WATCH_TEXTS.get(language, FORMER_WATCH_TEXTS["da"])
    meeting = result.get("meeting") or {}
    if result.get("item", {}).get("closed") and not (result.get("decision")
                                                     or result.get("proposal")):
        return t["closed"]
    if result.get("decision"):
        return f"{t['decision']} {_flat(result['decision'])}"
    if meeting.get("doc_type") == "dagsorden":
        if result.get("proposal"):
            return f"{t['agenda_no_decision']} {_flat(result['proposal'])}"
        return t["agenda_no_decision_bare"]
    return t["minutes_no_decision"]


@pytest.fixture(scope="module")
def watched(sample_services: Any, retriever: Retriever,
            tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    """Two watches that recorded every item their query finds in the sample index."""
    from assistant.watch import WatchStore

    store = WatchStore(tmp_path_factory.mktemp("watches") / "watches.json")
    store.add("klima", "KlimaMidt", None, {})
    store.add("kd", "budget", "KD-Net", {})
    store.refresh(retriever, threshold=-1.0)
    return list(store.load().values())


@pytest.mark.parametrize("language", ["da", "en", "de"])
def test_watch_digest_feed_and_outcomes_are_byte_identical(
    watched: list[Any], monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    from assistant import watch
    from assistant.access import PUBLIC

    results = [m.result for w in watched for m in w.matches]
    closed = dict(results[0], item={**results[0]["item"], "closed": True},
                  decision=None, proposal=None)
    agenda = next(r for r in results if r["meeting"]["doc_type"] == "dagsorden")
    probes = [*results, closed, dict(agenda, proposal=None)]
    kinds = {_former_outcome_line(r, "da").split(" ")[0] for r in probes}
    assert kinds == {"Beslutning:", "Ingen", "Lukket"}, kinds  # every branch is rendered

    def rendered() -> list[Any]:
        return [
            [watch.outcome_line(r, language) for r in probes],
            watch.format_digest(watched, PUBLIC, None, language),
            watch.format_digest(watched, PUBLIC, "2001-01-01", language),
            watch.format_digest([], PUBLIC, None, language),
            [watch.count_label(n, language) for n in (0, 1, 2)],
            [watch.atom_feed(w, PUBLIC, "http://127.0.0.1:7860/", language) for w in watched],
        ]

    now = rendered()
    assert all(w.matches for w in watched) and now[1].count("\n[") > 5
    monkeypatch.setattr(watch, "TEXTS", FORMER_WATCH_TEXTS)
    monkeypatch.setattr(watch, "outcome_line", _former_outcome_line)
    assert now == rendered()


def _cli(services: Any, *args: str) -> tuple[int, str]:
    import contextlib
    import io

    from assistant.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--db", str(services.settings.db_dir), *args], services=services)
    return code, out.getvalue()


def test_watch_commands_print_what_they_printed_before(
    sample_services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``meetings watch add|list|remove`` against the former f-strings of assistant/cli.py;
    one defect fixed: the English ``watch add`` line named the body ", organ X"."""
    from dataclasses import replace

    # every match recorded (the fake embedder's scores are not the calibrated model's)
    monkeypatch.setattr(sample_services, "settings",
                        replace(sample_services.settings, watch_min_score="-1"))
    assert _cli(sample_services, "watch", "list") == (
        0, 'Ingen emneovervågninger. Opret en med: meetings watch add "emne"\n')
    items = sum(len(m.items) for m in Retriever(sample_services.store,
                                                 sample_services.embedder).meetings.values())
    assert _cli(sample_services, "watch", "add", "KlimaMidt") == (0, (
        f"watch klimamidt added: «KlimaMidt»; {items} indexed item(s) are the baseline; new "
        "matches are recorded after each `meetings ingest`\n"))
    code, out = _cli(sample_services, "watch", "add", "budget", "--body", "kd-net", "--name",
                     "kd", "--backfill")
    found = re.fullmatch(r"watch kd added: «budget», body KD-Net; (\d+) existing item\(s\) "
                         r"recorded \(meetings digest\)\n", out)
    assert code == 0 and found and int(found[1]) > 0, out
    code, out = _cli(sample_services, "watch", "list", "--json")
    former = []
    for w in json.loads(out):  # cmd_watch's list lines before the catalog
        body = f"  organ: {w['body']}" if w["body"] else ""
        latest = f", senest {w['latest'][:16].replace('T', ' ')}" if w["latest"] else ""
        former.append(f"{w['name']}: «{w['query']}»{body}  ({w['matches']} punkt(er){latest}; "
                      f"oprettet {w['created'][:10]})")
    assert "organ: KD-Net" in former[1] and "senest" in former[1]
    assert _cli(sample_services, "watch", "list") == (0, "\n".join(former) + "\n")
    assert _cli(sample_services, "watch", "remove", "kd") == (
        0, f"watch kd removed ({found[1]} recorded item(s) with it)\n")
    assert _cli(sample_services, "watch", "remove", "klimamidt") == (
        0, "watch klimamidt removed (0 recorded item(s) with it)\n")


VALIDATION = [
    # (check, arguments, field, Danish, English, the question's language) as validate.py's
    # f-strings gave them before the catalog (captured from that code)
    ("check_question", ("   ",), "question", "spørgsmålet er tomt", "the question is blank",
     "da"),
    ("check_question", ("x" * 1001,), "question", "spørgsmålet er 1001 tegn; højst 1000 er "
     "tilladt", "the question has 1001 characters; at most 1000 are allowed", "da"),
    ("check_question", ("What is \x1b this?",), "question",
     "spørgsmålet indeholder et kontroltegn (U+001B)",
     "the question contains a control character (U+001B)", "en"),
    ("check_question", ("?!",), "question", "spørgsmålet har hverken bogstaver eller tal",
     "the question has no letters or digits", "da"),
    ("check_text", ("body", "y" * 201), "body", "201 tegn; højst 200 er tilladt",
     "201 characters; at most 200 are allowed", "da"),
    ("check_text", ("section", "a\x07b", "en"), "section", "indeholder et kontroltegn (U+0007)",
     "contains a control character (U+0007)", "en"),
    ("check_k", (51, "en"), "k", "k er 51; det skal være mellem 1 og 50",
     "k is 51; it must be between 1 and 50", "en"),
    ("check_date", ("from", "2023-13-01"), "from", "'2023-13-01' er ikke en dato som 2023-06-21",
     "'2023-13-01' is not a date like 2023-06-21", "da"),
    ("check_doc_type", ("memo", "en"), "doc_type",
     "'memo' er ingen dokumenttype; brug dagsorden eller referat",
     "'memo' is not a document type; use dagsorden or referat", "en"),
    ("check_body", ("KKR Syd", []), "body", "indekset har ingen organer; 'KKR Syd' findes ikke",
     "the index holds no bodies; 'KKR Syd' is unknown", "da"),
    ("check_body", ("X", [f"Udvalg {i}" for i in range(14)], "en"), "body",
     "'X' er ikke et organ i indekset (organer: " + ", ".join(f"Udvalg {i}" for i in range(12))
     + " …)", "'X' is not a body in the index (bodies: "
     + ", ".join(f"Udvalg {i}" for i in range(12)) + " …)", "en"),
]


@pytest.mark.parametrize(("check", "args", "field", "da", "en", "language"), VALIDATION)
def test_validation_messages_are_byte_identical(
    check: str, args: tuple[Any, ...], field: str, da: str, en: str, language: str
) -> None:
    from assistant import validate

    with pytest.raises(validate.InputError) as caught:
        getattr(validate, check)(*args)
    error = caught.value
    assert (error.field, error.texts, error.language) == (field, {"da": da, "en": en}, language)
    assert str(error) == f"{field}: {da if language == 'da' else en}"


def test_inverted_range_message_in_the_questions_language() -> None:
    from assistant.validate import InputError, validate_ask

    for question, shown in (("Hvad blev besluttet?", "perioden slutter (2023-01-01) før den "
                             "begynder (2024-01-01)"),
                            ("What was decided?", "the date range ends (2023-01-01) before it "
                             "starts (2024-01-01)")):
        with pytest.raises(InputError, match=re.escape(f"to: {shown}")):
            validate_ask(question, date_from="2024-01-01", date_to="2023-01-01")


def test_api_watch_errors_and_closed_note_are_as_before() -> None:
    from assistant import access, mcp_server

    for name in ("nope", "it's"):
        assert message("api.watch_not_found", "en", name=name) == (
            f"no watch named {name!r} (GET /api/watch lists them)")
        assert message("api.watch_exists", "en", name=name) == (
            f"a watch named {name!r} exists already")
    assert message("api.watch_admin", "en") == "adding or removing a watch needs the admin role"
    assert message("api.bad_since", "en", error=ValueError("'x' is not a date")) == (
        "since: 'x' is not a date")
    assert access.CLOSED_NOTE == {"da": "Lukket punkt", "en": "Closed item"}
    assert not hasattr(mcp_server, "CLOSED_NOTE") or mcp_server.CLOSED_NOTE == access.CLOSED_NOTE


FORMER_TIMELINE = (
    '{% from "_outcome.html" import outcome %}\n<div id="mc-timeline">\n{% if results %}\n'
    '<ol class="mc-timeline">\n{% for r in results %}\n'
    '<li><span class="mc-date">{{ r.meeting.date | date }}</span> · {{ r.meeting.body }} · '
    '{{ r.meeting.doc_type | doc_label }} · <a href="{{ r.url }}" target="_blank" '
    'rel="noopener noreferrer">pkt. {{ r.item.number }} {{ r.item.title }}</a>'
    '{{ outcome(r, t) }}</li>\n{% endfor %}\n</ol>\n{% else %}\n<p>{{ t.timeline_empty }}</p>\n'
    '{% endif %}\n</div>'
)
"""web/templates/timeline.html before "pkt." came from the catalog (its comment left out)."""


@pytest.mark.parametrize("language", ["da", "en"])
def test_timeline_html_is_byte_identical(watched: list[Any], language: str) -> None:
    from web.render import CARD_TEXT, environment, timeline_html

    results = [m.result for w in watched for m in w.matches]
    former = environment().from_string(FORMER_TIMELINE)
    for shown in (results, []):
        html = timeline_html(shown, language)
        assert html == former.render(results=shown, t=CARD_TEXT[language])
    assert timeline_html(results, language).count("pkt. ") >= len(results)


@pytest.mark.parametrize(
    ("question", "lang"),
    [("Hvad besluttede KKR Midtjylland om klimasamarbejdet i 2019?", "da"),
     ("What did KKR Midtjylland decide about the climate cooperation in 2019?", "en")],
)
def test_a_year_without_meetings_is_refused_unless_the_evidence_speaks_of_it(
    retriever: Retriever, question: str, lang: str
) -> None:
    verdict, hits = _verdict(retriever, question)
    assert verdict.code == "year_not_held"
    assert verdict.params == {"year": "2019", "first": "2022", "last": "2025",
                              "title": hits[0].item.title}
    assert "2019" in verdict.reason and verdict.language == lang
    # a year the archive holds meetings in is a constraint search uses, not a refusal
    assert _verdict(retriever, question.replace("2019", "2023"))[0].code != "year_not_held"


@pytest.mark.parametrize(
    ("question", "lang"),
    [("Hvad besluttede KKR Midtjylland om klimasamarbejdet i 2026?", "da"),
     ("What did KKR Midtjylland decide about the climate cooperation in 2026?", "en")],
)
def test_an_act_dated_after_the_last_meeting_is_refused_though_documents_plan_it(
    retriever: Retriever, question: str, lang: str
) -> None:
    verdict, hits = _verdict(retriever, question)
    assert any("2026" in p.text for h in hits[:3] for p in h.passages)  # planned, not done
    assert verdict.code == "year_after_archive"
    assert verdict.params == {"year": "2026", "last": "08.04.2025",
                              "title": hits[0].item.title}
    assert "2026" in verdict.reason and "08.04.2025" in verdict.reason
    # a year the archive holds, or a question that looks ahead, is no such refusal
    assert _verdict(retriever, question.replace("2026", "2024"))[0].code != "year_after_archive"
    ahead = ("What was planned for the climate cooperation in 2026?" if lang == "en"
             else "Hvad var planlagt for klimasamarbejdet i 2026?")
    assert _verdict(retriever, ahead)[0].code != "year_after_archive"


def test_an_act_dated_before_the_first_meeting_needs_evidence_that_tells_of_it(
    retriever: Retriever,
) -> None:
    from dataclasses import replace

    from assistant.noanswer import _reports_act

    question = "Hvad besluttede KKR Midtjylland om praksisplanen for fysioterapi i 2021?"
    verdict, hits = _verdict(retriever, question)
    # other results name 2021 (figures 'fra 2021 til 2022'), so it is no year_not_held
    assert any("2021" in p.text for h in hits[:3] for p in h.passages)
    assert verdict.code == "year_before_archive"
    assert verdict.params == {"year": "2021", "first": "04.11.2022",
                              "title": hits[0].item.title}
    assert "2021" in verdict.reason and "04.11.2022" in verdict.reason
    # the best evidence telling of an act that year answers; naming the year does not
    told = replace(hits[0].passages[0], text="I 2021 besluttede KKR Midtjylland en ny plan.")
    named = replace(told, text="Andelen falder fra 8,66 % i 2021 til 8,35 % i 2022.")
    assert _reports_act(replace(hits[0], passages=[told]), 2021)
    assert not _reports_act(replace(hits[0], passages=[named]), 2021)
    assert not _reports_act(replace(hits[0], passages=[replace(told, text=(
        "Partnerskabet DK2021 blev etableret."))]), 2021)
    # a year the archive holds meetings in is no such refusal
    assert _verdict(retriever, question.replace("2021", "2023"))[0].code != "year_before_archive"


def test_a_year_inside_a_period_the_evidence_states_is_spoken_of() -> None:
    from assistant.noanswer import period_years
    from assistant.query import PERIOD_RE

    spans = PERIOD_RE.findall("Budget 2019-22 og planen 2024–2030")
    assert [period_years(p) for p in spans] == [(2019, 2022), (2024, 2030)]


def test_the_nearest_meetings_break_a_tie_by_the_earlier_date() -> None:
    """Two meetings equally far from the asked day: the earlier is named, on every run."""
    from assistant.noanswer import _nearest
    from assistant.query import DateConstraint
    from assistant.tuning import TUNING

    n = TUNING.refusal.nearest_meetings
    near = [f"2024-12-{15 + k:02d}" for k in range(1, n)]  # 16, 17, ... December
    held = {*near, "2024-12-01", "2024-12-29"}  # both 14 days from the 15th
    assert _nearest(DateConstraint(2024, 12, 15), held) == ["2024-12-01", *near]


def test_an_item_titled_with_another_period_does_not_answer_for_the_asked_one() -> None:
    """'Budget 2021-24' asked, 'Budget 2024-27' found (whose text recalls the earlier
    budget): another year's round of a recurring matter; the same period in another
    writing ('2024-2027') is the same round, and a title naming no period says nothing."""
    from types import SimpleNamespace

    from assistant.noanswer import _titled_otherwise

    def hit(title: str) -> Any:
        return SimpleNamespace(item=SimpleNamespace(title=title))

    assert _titled_otherwise(("2021-24",), hit("2. behandling af Budget 2024-27"))
    assert not _titled_otherwise(("2024-2027",), hit("2. behandling af Budget 2024-27"))
    assert not _titled_otherwise(("2021-24", "2024-27"), hit("Budget 2024-27"))
    assert not _titled_otherwise(("2021-24",), hit("Budgetopfølgning 2"))


COUNCIL_PAGE = """Kommunalbestyrelsen

Referat

Mødedato: 24-09-2019

1. Tillæg 1 til Lokalplan 145 - endelig vedtagelse

Sagsfremstilling
Forslaget har været i offentlig høring i 4 uger. Der er modtaget to høringssvar.{home}

Beslutning
Godkendt.
"""


@pytest.mark.parametrize(("home", "answered"), [("", True), (" Greve Kommune svarer.", False)])
def test_a_place_the_archive_names_nowhere_may_be_the_home_of_pages_that_name_none(
    tmp_path: Path, services_factory: Any, home: str, answered: bool
) -> None:
    """Pages that never say their municipality ('Kommunalbestyrelsen', a web page's text)
    may be Rødovre's: 'did Rødovre receive' is no missing topic then.  Once the council's
    pages name their own municipality (Greve), Rødovre is missing again."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "kb-2019-09-24.txt").write_text(COUNCIL_PAGE.format(home=home), encoding="utf-8")
    services = services_factory(tmp_path / "index", HashEmbedder())
    assert services.ingestor.ingest([folder]).ingested == 1
    retriever = Retriever(services.store, services.embedder)
    question = "How many consultation responses did Rødovre receive on Lokalplan 145?"
    verdict, hits = _verdict(retriever, question)
    assert hits[0].item.title.startswith("Tillæg 1 til Lokalplan 145")
    assert verdict.answerable is answered, verdict.reason
    if not answered:
        assert verdict.code == "missing_terms" and verdict.params["words"] == "rødovre"
        return
    assert verdict.unplaced == ("Rødovre",)  # the answer says the pages do not place it
    answer = Assistant(retriever).ask(question)
    assert not answer.no_answer
    assert answer.answer.endswith(
        "(The documents of Kommunalbestyrelsen do not say which municipality they belong to; "
        "the archive names Rødovre nowhere.)")
    danish = Assistant(retriever).ask("Hvad besluttede Kommunalbestyrelsen i Rødovre om "
                                      "Lokalplan 145?")
    assert not danish.no_answer
    assert danish.answer.endswith("arkivet nævner ikke Rødovre.)")


def test_only_a_name_that_owns_or_acts_may_be_an_unnamed_municipality() -> None:
    """The owner or actor of what is asked may be a municipality the pages never name; a
    name that is the topic itself ('Kornblomstvej') stays a word the archive lacks."""
    from assistant.noanswer import _owner_names

    assert _owner_names("What did Holbæk's Committee for the Elderly decide?") == {
        "holbæk": "Holbæk"}
    assert _owner_names("How many responses did Rødovre receive?") == {"rødovre": "Rødovre"}
    assert _owner_names("Hvad besluttede Kommunalbestyrelsen i Rødovre?") == {
        "rødovre": "Rødovre"}
    assert _owner_names("Hvad besluttede Rødovres kommunalbestyrelse?") == {
        "rødovre": "Rødovre"}
    assert _owner_names("Hvad ved vi om Kornblomstvej?") == {}
    assert _owner_names("What was decided about Strandvejen in Greve?") == {}


UNNAMED_PAGE = """Referat

Mødedato: 22-01-2020

301. Åben dagsorden - godkendelse

Resume
Godkendelse af åben dagsorden. Borgmesteren meddelte, at punkt 309 om Lokalplan 460 udgår.

Beslutning
Ikke til stede: Mikkel Lundemann Rasmussen (C)

Godkendt.
"""


@pytest.fixture(scope="module")
def filed_page(tmp_path_factory: pytest.TempPathFactory, services_factory: Any) -> Retriever:
    """One page that prints neither its body nor its municipality, filed under its town's
    web address, as a mirrored archive keeps it."""
    root = tmp_path_factory.mktemp("filed")
    folder = root / "docs" / "stevns.dk" / "dagsorden"
    folder.mkdir(parents=True)
    (folder / "moede-22-01-2020.txt").write_text(UNNAMED_PAGE, encoding="utf-8")
    services = services_factory(root / "index", HashEmbedder())
    assert services.ingestor.ingest([root / "docs"]).ingested == 1
    retriever = Retriever(services.store, services.embedder)
    assert [m.body for m in retriever.meetings.values()] == [None]
    return retriever


@pytest.mark.parametrize(("question", "code"), [
    # the page is filed under Stevns: its council may be the one asked about
    ("Who was not present when Stevns municipal council approved the open agenda on "
     "22 January 2020?", ""),
    ("Hvem var ikke til stede, da Stevns Kommunalbestyrelse godkendte den åbne dagsorden?", ""),
    # nothing says Kolding
    ("Who was not present when Kolding municipal council approved the open agenda on "
     "22 January 2020?", "unknown_body"),
    # a month is a date to check, not a word the page must print ('22-01-2020'); 'udgik' is
    # what the page writes 'udgår'
    ("Hvilket punkt udgik af dagsordenen på mødet den 22. januar 2020?", ""),
    ("Which item was dropped from the agenda (22 January 2020)?", ""),
    ("Hvilket punkt om vindmøller udgik af dagsordenen den 22. januar 2020?", "missing_terms"),
    # a sum of money asked for that the best item does not state at all
    ("Hvad koster godkendelsen af den åbne dagsorden den 22. januar 2020?", "amount_not_stated"),
])
def test_a_page_is_read_with_its_address_and_dates_are_no_topic_words(
    filed_page: Retriever, question: str, code: str
) -> None:
    verdict, hits = _verdict(filed_page, question)
    assert hits[0].item.number == "301"
    assert verdict.code == code, verdict.reason
    assert verdict.answerable is (not code)
    if code == "missing_terms":
        assert verdict.params["words"] == "vindmøller"


def test_a_date_named_only_in_a_section_name_is_mentioned() -> None:
    """'Social og Sundhed, 6. januar 2020, pkt. 123' (an earlier treatment, as a section's
    printed name) mentions 6 January 2020: the item may answer how that committee voted."""
    from types import SimpleNamespace

    from assistant.noanswer import _mentions_date
    from assistant.query import DateConstraint

    section = SimpleNamespace(name="Social og Sundhed, 6. januar 2020, pkt. 123")
    item = SimpleNamespace(title="Planstrategi 2020", sections=[section])
    hit = SimpleNamespace(item=item, decision=None, proposal=None,
                          passages=[SimpleNamespace(text="5 medlemmer anbefaler forslaget.")])
    assert _mentions_date(hit, DateConstraint(2020, 1, 6))
    assert not _mentions_date(hit, DateConstraint(2020, 1, 7))


def test_an_authority_the_pages_report_on_is_mentioned_a_council_needs_its_place() -> None:
    """'Hvad afgjorde Miljø- og Fødevareklagenævnet om Region Midtjyllands klage?' reads the
    board's name with the region after it; pages that report the board's ruling speak of
    it.  'Regionsrådet i Region Hovedstaden' is not spoken of by a page that says 'de
    eksisterende regionsråd' of other regions."""
    from types import SimpleNamespace

    from assistant.noanswer import _mentioned

    def hit(text: str) -> Any:
        meeting = SimpleNamespace(body="Udvalg for regional udvikling", source="a/b.txt")
        return SimpleNamespace(meeting=meeting, item=SimpleNamespace(title="Punkt"),
                               passages=[SimpleNamespace(text=text)])

    ruling = hit("Miljø- og Fødevareklagenævnet har truffet afgørelse om, at regionen ikke "
                 "er klageberettiget.")
    assert _mentioned("Miljø- og Fødevareklagenævnet, Region Midtjyllands", [ruling],
                      Retriever, "Hvad afgjorde Miljø- og Fødevareklagenævnet?")
    others = hit("I Region Sjælland vil regionsrådet drøfte sundhedshuse.")
    assert not _mentioned("Regionsrådet, Region Hovedstaden", [others], Retriever,
                          "Hvad besluttede Regionsrådet i Region Hovedstaden?")


def test_a_decision_quoted_in_part_is_completed() -> None:
    """The answer quoted the decision's first sentence (it shares the question's words);
    the note adds the rest of it - the reply the question asked for - not the whole again."""
    from types import SimpleNamespace

    from assistant.compose import Candidate

    decision = ("Ole Kristensen orienterede om henvendelse fra Vestermose Skole. Der er ikke "
                "hjemmel til at imødekomme henvendelsen.")
    hit = SimpleNamespace(decision=decision, item=SimpleNamespace(closed=False))
    quoted = [Candidate(1, 0, "Ole Kristensen orienterede om henvendelse fra Vestermose Skole.",
                        1.0)]
    note = Assistant._decision_note("da", hit, quoted)
    assert note == "Beslutning: Der er ikke hjemmel til at imødekomme henvendelsen."
    assert Assistant._decision_note("da", hit, []) == f"Beslutning: {decision}"
    whole = [Candidate(1, n, s, 1.0) for n, s in enumerate(decision.split(". "))]
    assert Assistant._decision_note("da", hit, whole) == ""


def test_a_figure_asked_of_a_name_the_best_items_never_mention_is_refused(
    retriever: Retriever,
) -> None:
    verdict, hits = _verdict(retriever, "Hvor mange flygtninge skal Skive Kommune modtage i 2024?")
    assert verdict.code == "name_not_mentioned"
    assert verdict.params == {"name": "Skive", "title": hits[0].item.title}
    # the region the items do name is answered
    region = _verdict(retriever, "Hvor mange flygtninge skal Midtjylland modtage i 2024?")[0]
    assert region.answerable
    # an English question names places as English writes them: not checked
    english = _verdict(retriever, "How many refugees must Skive Kommune receive in 2024?")[0]
    assert english.code != "name_not_mentioned"


def test_question_names_are_capitalised_words_inside_the_question() -> None:
    from assistant.unnamed import question_names

    query = analyze("Hvor mange elever går på Tune Skole i Greve i januar? Hvem er Anne Holm?")
    assert question_names(query) == ["Tune", "Skole", "Greve", "Anne", "Holm"]
