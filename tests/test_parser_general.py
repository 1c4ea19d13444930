"""What "reads any Danish agenda/minutes" means: a corpus of unseen conventions + properties.

``tests/general/`` holds documents in the light markdown the readers emit, each imitating a
different system (numbering, TOC, header, case numbers, section labels, closed items, page
headers, a document without agenda structure); ``tests/general/expected.json`` says what a
careful reader finds in each (its ``_rules`` explain titles, numbers, roles, bodies).  The
hypothesis tests generate agenda-like documents and structure-free prose and check that
the parser finds exactly the generated items, and never invents items in prose.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.models import ITEM_NUMBER_RE, ROLES, Document, Meeting
from ingest.parser import parse_meeting

CORPUS = Path(__file__).parent / "general"
EXPECTED: dict[str, Any] = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
DOCS = sorted(name for name in EXPECTED if not name.startswith("_"))
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load(name: str) -> Document:
    """The corpus file as a reader would hand it over, under its realistic path."""
    want = EXPECTED[name]
    return Document(
        path=want["path"],
        text=(CORPUS / name).read_text(encoding="utf-8"),
        metadata=dict(want.get("metadata", {})),
    )


# ------------------------------------------------------------------------- outlines


def outline(meeting: Meeting) -> dict[str, Any]:
    """The parts of a Meeting that expected.json describes, in its shape."""
    return {
        "body": meeting.body,
        "date": meeting.date,
        "doc_type": meeting.doc_type,
        "items": [
            {
                "number": item.number,
                "title": item.title,
                "case_number": item.case_number,
                "closed": item.closed,
                "sections": [[s.name, s.role] for s in item.sections],
            }
            for item in meeting.items
        ],
    }


def expected_outline(name: str) -> dict[str, Any]:
    want = EXPECTED[name]
    return {key: want[key] for key in ("body", "date", "doc_type", "items")}


def render(out: dict[str, Any]) -> list[str]:
    """One line per fact, so that a diff points at the wrong item or section."""
    lines = [f"body: {out['body']!r}", f"date: {out['date']!r}", f"doc_type: {out['doc_type']!r}"]
    for item in out["items"]:
        closed = " [LUKKET]" if item["closed"] else ""
        lines.append(f"{item['number'] or '(unnumbered)'} | {item['title']}{closed}")
        lines.append(f"    case: {item['case_number']!r}")
        lines.extend(f"    - {name} ({role})" for name, role in item["sections"])
    return lines


def outline_diff(want: dict[str, Any], got: dict[str, Any]) -> str:
    return "\n".join(
        difflib.unified_diff(render(want), render(got), "expected", "parsed", lineterm="", n=2)
    )


# -------------------------------------------------------------- the corpus itself


def test_corpus_is_complete_and_consistent() -> None:
    """Every document has an expectation and every expectation is well-formed."""
    files = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md"))
    assert files == DOCS
    assert len(DOCS) >= 12
    for name in DOCS:
        want = EXPECTED[name]
        assert want["path"].startswith("/") and want["covers"], name
        assert want["doc_type"] in (None, "dagsorden", "referat"), name
        assert want["date"] is None or ISO_DATE.match(want["date"]), name
        text = (CORPUS / name).read_text(encoding="utf-8")
        items = want["items"]
        assert items, name
        if any(i["number"] == "" for i in items):
            assert len(items) == 1, name
        for item in items:
            assert item["number"] == "" or ITEM_NUMBER_RE.match(item["number"]), name
            assert item["title"].strip() == item["title"] and item["title"], name
            assert all(role in ROLES for _, role in item["sections"]), (name, item["number"])
            if item["closed"]:
                assert item["sections"] == [], (name, item["number"])
            if item["case_number"]:
                assert item["case_number"] in text, (name, item["case_number"])
            for label, _ in item["sections"]:
                assert label in text, (name, label)


# ------------------------------------------------------------ expected outlines


@pytest.mark.parametrize("name", DOCS)
def test_document_outline(name: str) -> None:
    doc = load(name)
    try:
        meeting = parse_meeting(doc)
    except Exception as exc:  # the parser must never refuse a document with text
        pytest.fail(f"{name}: parse_meeting raised {type(exc).__name__}: {exc}")
    want, got = expected_outline(name), outline(meeting)
    if got != want:
        pytest.fail(f"{name} ({EXPECTED[name]['covers']})\n{outline_diff(want, got)}")
    for fragment in EXPECTED[name].get("warnings_contain", []):
        assert any(fragment in w for w in meeting.warnings), (fragment, meeting.warnings)


# ---------------------------------------------------------------- aggregate


def _norm(title: str) -> str:
    return " ".join(title.split()).casefold()


@dataclass
class _Score:
    expected_items: int = 0
    parsed_items: int = 0
    found_items: int = 0
    correct_cases: int = 0
    correct_titles: int = 0
    correct_sections: int = 0
    correct_closed: int = 0
    dates: int = 0
    doc_types: int = 0
    bodies: int = 0
    documents: int = 0
    crashed: int = 0


def test_corpus_scores() -> None:
    """Item recall/precision (number + title), case number, date, doc type over the corpus."""
    score = _Score()
    rows = []
    for name in DOCS:
        want = EXPECTED[name]
        score.documents += 1
        try:
            got = outline(parse_meeting(load(name)))
        except Exception:  # noqa: BLE001 - a crash scores zero for the document
            score.crashed += 1
            got = {"body": "<crash>", "date": "<crash>", "doc_type": "<crash>", "items": []}
        keys = [(i["number"], _norm(i["title"])) for i in got["items"]]
        by_number = {i["number"]: i for i in got["items"]}
        found = 0
        for w in want["items"]:
            key = (w["number"], _norm(w["title"]))
            if key in keys:
                keys.remove(key)
                found += 1
            g = by_number.get(w["number"])
            if g is not None:
                score.correct_cases += g["case_number"] == w["case_number"]
                score.correct_titles += g["title"] == w["title"]
                score.correct_sections += g["sections"] == w["sections"]
                score.correct_closed += g["closed"] == w["closed"]
        score.expected_items += len(want["items"])
        score.parsed_items += len(got["items"])
        score.found_items += found
        score.dates += got["date"] == want["date"]
        score.doc_types += got["doc_type"] == want["doc_type"]
        score.bodies += got["body"] == want["body"]
        rows.append(
            f"  {name:<52} items {found}/{len(want['items'])} (parsed {len(got['items'])})"
            f"  date {'ok' if got['date'] == want['date'] else got['date']}"
            f"  type {'ok' if got['doc_type'] == want['doc_type'] else got['doc_type']}"
            f"  body {'ok' if got['body'] == want['body'] else got['body']}"
        )
    n = score.expected_items
    recall = score.found_items / n
    precision = score.found_items / score.parsed_items if score.parsed_items else 0.0
    report = "\n".join(
        [
            "general corpus:",
            *rows,
            f"item recall     {recall:.3f} ({score.found_items}/{n})",
            f"item precision  {precision:.3f} ({score.found_items}/{score.parsed_items})",
            f"titles          {score.correct_titles / n:.3f}",
            f"case numbers    {score.correct_cases / n:.3f}",
            f"closed flags    {score.correct_closed / n:.3f}",
            f"sections        {score.correct_sections / n:.3f}",
            f"dates           {score.dates / score.documents:.3f}",
            f"doc types       {score.doc_types / score.documents:.3f}",
            f"bodies          {score.bodies / score.documents:.3f}",
            f"crashed         {score.crashed}",
        ]
    )
    print(report)
    assert recall >= 0.95 and precision >= 0.95, report


# ------------------------------------------------------- generated agendas


BODIES = (
    "Økonomiudvalget", "Byrådet", "Kommunalbestyrelsen", "Teknik- og Miljøudvalget",
    "Børne- og Skoleudvalget", "Regionsrådet", "Social- og Sundhedsudvalget",
)  # fmt: skip
DOC_WORDS = ("Dagsorden", "Referat", "Beslutningsprotokol", "Mødereferat")
DATE_LINES = (
    "Mødedato: 12.03.2024", "Tirsdag den 3. september 2024 kl. 16.00", "Dato: 2024-03-12",
    "12-03-2024", "Mødedato\tOnsdag den 19. november 2025",
)  # fmt: skip
TITLES = (
    "Godkendelse af dagsorden", "Budgetopfølgning pr. 31. marts 2024",
    "Anlægsbevilling til ny daginstitution i Vestby", "Høring over forslag til trafikplan",
    "Udbud af rengøring på rådhuset", "Takster for madservice 2025",
    "Orientering om ventelister til plejeboliger", "Lokalplan 1187 for boliger ved havnen",
    "Salg af grund på Industrivej 14", "Meddelelser", "Eventuelt",
    "Status på klimaplanen", "Valg af medlem til Folkeoplysningsudvalget",
    "Ændring af styrelsesvedtægten", "Tilskud til foreningernes lokaler",
    "Kvalitetsrapport for folkeskolerne 2023/24", "Ny organisering af dagplejen",
    "Renovering af svømmehallen - anlægsregnskab", "Vejbelysning - udskiftning til LED",
)  # fmt: skip
LABELS = (  # (label, rank): labels of one item appear in rank order
    ("Resumé", 0), ("Sammendrag", 0), ("Baggrund", 1), ("Sagsfremstilling", 1),
    ("Supplerende sagsfremstilling", 2), ("Sagsforløb", 2), ("Økonomi", 3),
    ("Økonomiske konsekvenser", 3), ("Indstilling", 4), ("Forslag", 4),
    ("Beslutningen træffes af", 5), ("Beslutning", 6), ("Referat", 6), ("Beslutninger", 6),
    ("Beslutning i Økonomiudvalget den 19-11-2025", 6), ("Bilag", 7),
)  # fmt: skip
SENTENCES = (
    "Administrationen har udarbejdet et forslag, som beskrives nedenfor.",
    "Udgiften afholdes inden for udvalgets eksisterende ramme.",
    "Sagen har været drøftet med de berørte foreninger og skolebestyrelser.",
    "Der er tre muligheder: 1) at bygge nyt, 2) at renovere eller 3) at udskyde projektet.",
    "Forslaget forventes at træde i kraft den 1. januar 2025.",
    "Der er indkommet 12 høringssvar, som er samlet i et høringsnotat.",
    "Prisen stiger med 3,8 procent i forhold til 2024.",
    "Godkendt.",
    "Taget til efterretning.",
    "Anbefales over for Byrådet med 5 stemmer mod 2.",
    "Direktionen indstiller,\n1. at forslaget godkendes, og\n2. at sagen genoptages i 2025.",
    "Projektet koster 14,7 mio. kr. og gennemføres i 2025 og 2026.",
)
CASES = (
    ("Sagsnr.: {}", "24/3311"), ("Sagsnr. {}", "13/1234"), ("Sag nr. {}", "23-010897"),
    ("J.nr. {}", "2012-12345"), ("Sagsnummer: {}", "27.00.00-A00-1-17-24"),
    ("{} abc/def", "SAG-2023-00155"), ("Sagsnr. i ESDH: {}", "EMN-2024-004711"),
    ("Sagsnr.\t{}", "25/23642"), ("Sagsnr. i ESDH:\t{}", "25/23642"),
)  # fmt: skip
STYLES = ("dot", "plain", "punkt", "pkt", "paren", "running", "dotted2", "spaced2")


@dataclass(frozen=True)
class GenItem:
    number: str
    title: str
    closed: bool
    case_number: str | None


def _printed(style: str, number: str, trailing_dot: bool) -> str:
    if style in ("dot", "running"):
        return number + "."
    if style == "punkt":
        return f"Punkt {number}:"
    if style == "pkt":
        return f"Pkt. {number}"
    if style == "paren":
        return number + ")"
    if style == "dotted2":
        return number + ("." if trailing_dot else "")
    if style == "spaced2":
        return number.replace(".", " ")
    return number


def _numbers(draw: st.DrawFn, style: str) -> list[str]:
    if style in ("dotted2", "spaced2"):
        numbers = []
        for group in range(1, draw(st.integers(1, 3)) + 1):
            numbers.append(str(group))
            numbers.extend(f"{group}.{k}" for k in range(1, draw(st.integers(1, 3)) + 1))
        return numbers
    start = draw(st.integers(120, 480)) if style == "running" else 1
    return [str(start + k) for k in range(draw(st.integers(2, 6)))]


def _paragraphs(draw: st.DrawFn) -> list[str]:
    return [
        " ".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3)))
        for _ in range(draw(st.integers(1, 2)))
    ]


def _heading(style: str, number: str, title: str, trailing_dot: bool, markup: str) -> str:
    label = _printed(style, number, trailing_dot)
    if markup == "tab":
        return f"{label}\t{title}"  # the item heading as a table row
    if markup == "**":
        return f"**{label} {title}**"
    return f"{markup}{label} {title}"


def _label_line(label: str, markup: str) -> str:
    if markup == "**":
        return f"**{label}**"
    if markup == ":":
        return f"{label}:"
    return f"{markup}{label}"


@st.composite
def agendas(draw: st.DrawFn) -> tuple[str, list[GenItem]]:
    """An agenda/minutes text in a random system's conventions, and the items in it."""
    style = draw(st.sampled_from(STYLES))
    trailing_dot = draw(st.booleans())
    numbers = _numbers(draw, style)
    titles = draw(st.permutations(TITLES))
    body = draw(st.sampled_from(BODIES))
    page_header = f"{body} 12-03-2024 Side {{}} af {len(numbers) + 2}"
    toc_style = draw(st.sampled_from(("none", "dots", "tabs", "plain")))
    heading_markup = draw(st.sampled_from(("# ", "## ", "**", "", "tab")))
    label_markup = draw(st.sampled_from(("", "## ", "### ", "**", ":")))
    inline_decisions = draw(st.booleans())
    after_label = draw(st.sampled_from(("\n", "\n\n")))

    items: list[GenItem] = []
    printed_titles: list[str] = []
    blocks: list[str] = []
    for k, number in enumerate(numbers):
        title = titles[k % len(titles)]
        is_parent = any(n.startswith(number + ".") for n in numbers)
        closed = not is_parent and k > 0 and draw(st.integers(0, 5)) == 0
        printed = title
        if closed:
            form = draw(st.sampled_from(("prefix", "suffix", "line", "whole")))
            printed = {
                "prefix": f"Lukket: {title}",
                "suffix": f"{title} - (FOR LUKKEDE DØRE)",
                "line": title,
                "whole": "Lukket punkt",
            }[form]
            title = "Lukket punkt" if form == "whole" else title
        case = None
        if not closed and not is_parent and draw(st.booleans()):
            case = draw(st.sampled_from(CASES))
        items.append(GenItem(number, title, closed, case[1] if case else None))
        printed_titles.append(printed)

        lines: list[str] = [_heading(style, number, printed, trailing_dot, heading_markup)]
        if closed and printed == title and title != "Lukket punkt":
            lines.append("Lukket punkt")
        elif not closed and not is_parent:
            if case is not None:
                lines.append(case[0].format(case[1]))
            chosen = draw(
                st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique_by=lambda x: x[1])
            )
            for label, rank in sorted(chosen, key=lambda x: x[1]):
                text = "\n\n".join(_paragraphs(draw))
                if rank == 6 and inline_decisions and label in ("Beslutning", "Referat"):
                    lines.append(f"{label}: {text}")
                else:
                    lines.append(_label_line(label, label_markup) + after_label + text)
                if draw(st.integers(0, 4)) == 0:
                    lines.append(page_header.format(k + 2))
        only_in_toc = (
            toc_style != "none" and not closed and not is_parent and draw(st.integers(0, 7)) == 0
        )
        if not only_in_toc:
            blocks.append("\n\n".join(lines))
        elif case is not None:  # its case number is printed nowhere, so it is not known
            items[-1] = GenItem(number, title, closed, None)

    kommune = draw(st.sampled_from(("Hjortsø", "Lyngdal", "Bøgely", "Skovlund")))
    header = [f"{kommune} Kommune", draw(st.sampled_from(DOC_WORDS)), body]
    header.append(draw(st.sampled_from(DATE_LINES)))
    toc: list[str] = []
    if toc_style != "none":
        if draw(st.booleans()):
            toc.append("Indholdsfortegnelse")
        for k, (item, printed) in enumerate(zip(items, printed_titles, strict=True)):
            label = _printed(style, item.number, trailing_dot)
            if toc_style == "dots":
                toc.append(f"{label} {printed} {'.' * 20} {k + 2}")
            elif toc_style == "tabs":
                toc.append(f"{label}\t{printed}\t{k + 2}")
            else:
                toc.append(f"{label} {printed}")
        if toc_style != "plain" and draw(st.booleans()):
            toc.append(f"Underskriftsside {'.' * 12} {len(items) + 2}")
    parts = ["\n".join(header), *(["\n".join(toc)] if toc else []), *blocks]
    return "\n\n".join(parts) + "\n", items


def _parse_generated(text: str) -> Meeting:
    return parse_meeting(Document("/archive/generated/2024-03-12/dokument.txt", text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agendas())
def test_generated_agenda_items_are_found_in_order(case: tuple[str, list[GenItem]]) -> None:
    text, generated = case
    meeting = _parse_generated(text)
    numbers = [item.number for item in meeting.items]
    assert all(ITEM_NUMBER_RE.match(n) for n in numbers) or numbers == [""], numbers
    want = [item.number for item in generated]
    missing = [n for n in want if n not in numbers]
    assert not missing, f"generated items not found: {missing}; parsed {numbers}"
    assert [n for n in numbers if n in want] == want, f"order/duplicates: parsed {numbers}"
    extra = [n for n in numbers if n not in want]
    assert not extra, f"items that were not generated: {extra}; parsed {numbers}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agendas())
def test_generated_agenda_titles_closed_and_case_numbers(case: tuple[str, list[GenItem]]) -> None:
    text, generated = case
    meeting = _parse_generated(text)
    got = [(i.number, i.title, i.closed, i.case_number) for i in meeting.items]
    want = [(g.number, g.title, g.closed, g.case_number) for g in generated]
    assert got == want, "\n".join(
        difflib.unified_diff(list(map(repr, want)), list(map(repr, got)), lineterm="", n=1)
    )


# ------------------------------------------------------------------ garbage

_WORDS = (
    "kommunen", "borgerne", "vejen", "projektet", "budgettet", "skolen", "der", "er", "blev",
    "og", "i", "på", "med", "til", "har", "ikke", "mange", "nye", "gamle", "kr.", "mio.",
    "procent", "cykelstien", "haven", "huset", "vandet", "om", "efter", "sommeren",
    "Jensen", "Holm", "Vestby", "Kragsø", "Søren", "Kirsten", "Rådhuset", "Skovbrynet",
)  # fmt: skip
_FIRST_WORDS = tuple(w for w in _WORDS if w[0].islower()) + ("Jensen", "Søren", "Vestby")


@st.composite
def prose_line(draw: st.DrawFn) -> str:
    """A line of prose: no line starts with a number + capitalised title, and no labels."""
    kind = draw(st.integers(0, 5))
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14))
    if kind == 0:  # a number at the start, followed by a lower-case word
        first = draw(st.sampled_from(tuple(w for w in _WORDS if w[0].islower())))
        number = draw(st.integers(0, 2000))
        sep = draw(st.sampled_from((" ", ". ", ") ", ", ")))
        return f"{number}{sep}{first} " + " ".join(words)
    if kind == 1:  # an enumeration inside prose
        a, b, c = (draw(st.sampled_from(_WORDS)) for _ in range(3))
        return f"{draw(st.sampled_from(_FIRST_WORDS))} valgte: 1) {a}, 2) {b} og 3) {c}."
    if kind == 2:  # digits in the middle
        return " ".join(words) + f" {draw(st.integers(0, 99999))} " + draw(st.sampled_from(_WORDS))
    if kind == 3:
        return ""
    return draw(st.sampled_from(_FIRST_WORDS)) + " " + " ".join(words) + "."


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(prose_line(), min_size=1, max_size=40).filter(lambda ls: any(ls)))
def test_prose_without_structure_is_one_unnumbered_item(lines: list[str]) -> None:
    text = "\n".join(lines)
    meeting = parse_meeting(Document("/archive/indgaaende/brev.txt", text))
    assert [i.number for i in meeting.items] == [""], [(i.number, i.title) for i in meeting.items]
    assert any("no agenda structure found" in w for w in meeting.warnings), meeting.warnings


WRAPPED_TOC = """Ravnsholt Kommune
Referat
Udvalg\tØkonomiudvalget
Mødedato\tOnsdag den 19. november 2025
Punkt Titel\tSide
1.\tGodkendelse af dagsorden\t2
Budgetopfølgning pr. 30. september
2.\t2
2025
3.\tForlængelse af aftale om fælles indkøb\t4
4.\tAnlægsregnskab for Ravnsholt Bibliotek 5
## 1. Godkendelse af dagsorden
Beslutning
Godkendt.
## 2. Budgetopfølgning pr. 30. september 2025
Beslutning
Taget til efterretning.
## 3. Forlængelse af aftale om fælles indkøb
Beslutning
Godkendt.
## 4. Anlægsregnskab for Ravnsholt Bibliotek
Beslutning
Godkendt.
## 5. Eventuelt
Beslutning
Intet.
"""


def test_toc_rows_as_pdf_text_wrapped_cells_glued_pages_and_a_missing_row() -> None:
    """A TOC table printed to PDF: a title cell wrapped around its number and page cells,
    a page number that lost its gap, and an item the TOC lacks (5) found by its heading."""
    meeting = parse_meeting(Document("ravnsholt/referat.pdf", WRAPPED_TOC))
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Godkendelse af dagsorden"),
        ("2", "Budgetopfølgning pr. 30. september 2025"),
        ("3", "Forlængelse af aftale om fælles indkøb"),
        ("4", "Anlægsregnskab for Ravnsholt Bibliotek"),
        ("5", "Eventuelt"),
    ]
    assert [i.decision for i in meeting.items] == [
        "Godkendt.", "Taget til efterretning.", "Godkendt.", "Godkendt.", "Intet."
    ]
    assert meeting.body == "Økonomiudvalget, Ravnsholt Kommune"
