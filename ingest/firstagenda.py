"""Reader for FirstAgenda's publication-API JSON: one meeting per file -> Document + Meeting.

FirstAgenda (the meeting system of many Danish municipalities and regions) publishes each
meeting as JSON: ``Udvalg`` (the body), ``Moede`` (date, place, participants, whether it
has been held) and ``Dagsordenpunkter`` (the items, each with ``Felter[].Html`` holding its
sections as headed blocks, and ``Bilag[]`` naming its attachments).

The reader renders the meeting as plain text a person can read (``Document.text``) and
builds the Meeting from the JSON fields directly; every ``Section`` and ``AgendaItem``
span points into that text, and ``Section.text`` is exactly ``text[start:end]``.

Rendered layout::

    Beskæftigelses- og Erhvervsudvalget
    Referat
    Mødedato: 10. januar 2022 kl. 08.00
    Mødested: Mødelokale 1
    Deltagere: ...
    Afbud: ...

    1. Godkendelse af dagsorden
    Sagsnr.: 21-014448

    Beslutning
    Godkendt.

    Bilag:
    - Bilag 1.pdf

Closed items ("Lukket: ...") keep their number, title and case number, nothing else.

Kept whole: the shape checks, the text writer and the HTML renderer serve one contract
(every span points into the text rendered here), which is only checkable in one place.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from html import escape as html_escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .danish import long_date, squash
from .errors import ReadError
from .models import ITEM_NUMBER_RE, AgendaItem, Document, Meeting, Section
from .sections import UNLABELLED_SECTION, names_proposer, section_role

CLOSED_PREFIX_RE = re.compile(r"^\s*lukket(?:\s+punkt)?\s*:\s*", re.IGNORECASE)
"""'Lukket: ' / 'Lukket punkt: ' before the title of a closed item."""

_HEADING_RANKS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_STRONG_RANK = 7
"""Rank of a line printed wholly in <strong>/<b> (a heading in some templates)."""
_FIELD_NAME_RANK = 0
"""Rank of a non-empty ``Felter[].Navn`` (always a heading)."""
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "header", "footer", "blockquote", "pre", "dl",
        "dt", "dd", "address", "center", "figure", "figcaption", "hr", "main", "aside",
        "nav", "form", "fieldset", "caption",
    }
)  # fmt: skip
_LIST_TAGS = frozenset({"ul", "ol"})
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "meta", "link", "img", "svg"})
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_LABEL_END = tuple(".,;:!?…")
DECISION_UNDER_TITLE = "Beslutning"
"""Name of a decision printed without heading under the repeated item title."""
MAX_LABEL_CHARS = 60
MAX_LABEL_WORDS = 6


# ------------------------------------------------------------------------------ shape


def looks_like_firstagenda(data: object) -> bool:
    """True when ``data`` (parsed JSON) has FirstAgenda's meeting shape.

    That is a dict with a ``Dagsordenpunkter`` list and a ``Moede`` or ``Udvalg`` object;
    the file name plays no part.
    """
    return isinstance(data, dict) and _shape_problem(data) is None


def _shape_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        return f"not FirstAgenda meeting JSON (the top level is {kind}, not an object)"
    if not isinstance(data.get("Dagsordenpunkter"), list):
        return "not FirstAgenda meeting JSON (no 'Dagsordenpunkter' list)"
    if not isinstance(data.get("Moede"), dict) and not isinstance(data.get("Udvalg"), dict):
        return "not FirstAgenda meeting JSON (no 'Moede' or 'Udvalg' object)"
    return None


# ------------------------------------------------------------------------------ reader


def read_firstagenda(
    path: Path, data: bytes, *, keep_closed: bool = False
) -> tuple[Document, Meeting]:
    """Parse one FirstAgenda meeting JSON file into its rendered Document and its Meeting.

    A closed item keeps only its title unless ``keep_closed`` (``--include-closed``).

    Raises ReadError(path, problem) when the bytes are not JSON, not this shape, or a
    field has the wrong type; a missing body or date is stored as None with a warning.
    """
    source = str(path)
    try:
        parsed = json.loads(data)
    except UnicodeDecodeError as exc:
        raise ReadError(source, f"invalid JSON: not UTF-8/16/32 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise ReadError(
            source, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ReadError(source, f"invalid JSON: {exc}") from exc
    problem = _shape_problem(parsed)
    if problem is not None:
        raise ReadError(source, problem)
    return _Builder(source, parsed, keep_closed).build()


@dataclass
class _Item:
    """One agenda item as read from the JSON, before rendering."""

    index: int
    number: str
    title: str
    heading: str
    closed: bool
    case_number: str | None
    fields: list[tuple[str, str]]
    attachments: tuple[str, ...]


@dataclass
class _Writer:
    """Appends text and knows the offset of what it appends."""

    parts: list[str] = field(default_factory=list)
    pos: int = 0

    def add(self, text: str) -> tuple[int, int]:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return start, self.pos

    def line(self, text: str = "") -> tuple[int, int]:
        span = self.add(text)
        self.add("\n")
        return span

    def text(self) -> str:
        return "".join(self.parts)


class _Builder:
    def __init__(self, source: str, data: dict[str, Any], keep_closed: bool = False) -> None:
        self.source = source
        self.data = data
        self.keep_closed = keep_closed
        self.warnings: list[str] = []
        moede = data.get("Moede")
        udvalg = data.get("Udvalg")
        self.moede: dict[str, Any] = moede if isinstance(moede, dict) else {}
        self.udvalg: dict[str, Any] = udvalg if isinstance(udvalg, dict) else {}
        if not isinstance(moede, dict):
            self.warnings.append("field 'Moede' is missing: no date, place or participants")

    def fail(self, problem: str) -> ReadError:
        return ReadError(self.source, problem)

    # -------------------------------------------------------------- fields

    def string(
        self, obj: dict[str, Any], key: str, where: str, collapse: bool = True
    ) -> str | None:
        """``obj[key]`` as a cleaned string, whitespace collapsed to single spaces (or only
        stripped, ``collapse=False``); None when missing, null or empty."""
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(f"field '{_field(where, key)}' is not text: {_show(value)}")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = _clean_str(str(value))
        text = squash(text) if collapse else text.strip()
        return text or None

    def flag(self, obj: dict[str, Any], key: str, where: str) -> bool | None:
        value = obj.get(key)
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.fail(f"field '{_field(where, key)}' is not true/false: {_show(value)}")
        return value

    def when(self) -> datetime | None:
        for key in ("Dato", "MeetingBeginUtc"):
            raw = self.string(self.moede, key, "Moede")
            if raw is None:
                continue
            try:
                return datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                raise self.fail(f"field 'Moede.{key}' is not a date: {raw!r}") from None
        self.warnings.append("field 'Moede.Dato' is missing: meeting date unknown")
        return None

    def people(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        raw = self.moede.get("Moededeltagere")
        if raw is None:
            return (), ()
        if not isinstance(raw, list):
            raise self.fail(f"field 'Moede.Moededeltagere' is not a list: {_show(raw)}")
        present: list[str] = []
        absent: list[str] = []
        for k, person in enumerate(raw):
            where = f"Moede.Moededeltagere[{k}]"
            if person is None:
                continue
            if not isinstance(person, dict):
                raise self.fail(f"field '{where}' is not an object: {_show(person)}")
            name = self.string(person, "Name", where)
            if name is None:
                continue
            away = self.flag(person, "Absent", where) or self.flag(
                person, "ParticipationCancelled", where
            )
            (absent if away else present).append(name)
        return tuple(present), tuple(absent)

    def items(self) -> list[_Item]:
        raw = self.data["Dagsordenpunkter"]
        entries: list[tuple[float, int, dict[str, Any]]] = []
        for k, entry in enumerate(raw):
            if entry is None:
                self.warnings.append(f"field 'Dagsordenpunkter[{k}]' is null; skipped")
                continue
            if not isinstance(entry, dict):
                raise self.fail(f"field 'Dagsordenpunkter[{k}]' is not an object: {_show(entry)}")
            sorting = entry.get("Sorting")
            if isinstance(sorting, bool) or not isinstance(sorting, int | float | None):
                raise self.fail(f"field 'Dagsordenpunkter[{k}].Sorting' is not a number")
            entries.append((float(sorting) if sorting is not None else float("inf"), k, entry))
        entries.sort(key=lambda e: (e[0], e[1]))
        items: list[_Item] = []
        seen: set[str] = set()
        for index, (_, k, entry) in enumerate(entries):
            item = self.item(index, k, entry)
            if item.number in seen:
                self.warnings.append(
                    f"item number {item.number!r} repeats (Dagsordenpunkter[{k}]); "
                    f"numbered {index + 1} by its position"
                )
                item.number = str(index + 1)
            seen.add(item.number)
            items.append(item)
        return items

    def item(self, index: int, k: int, entry: dict[str, Any]) -> _Item:
        where = f"Dagsordenpunkter[{k}]"
        number = self.string(entry, "Number", where) or self.string(entry, "Punktnummer", where)
        if number is None and entry.get("Sorting") is not None:
            number = self.string(entry, "Sorting", where)
        number = (number or "").rstrip(".")
        if not ITEM_NUMBER_RE.match(number):
            self.warnings.append(
                f"field '{where}.Number' {number!r} is not an item number; "
                f"numbered {index + 1} by its position"
            )
            number = str(index + 1)
        printed = self.string(entry, "Caption", where) or self.string(entry, "Navn", where)
        closed = bool(printed and CLOSED_PREFIX_RE.match(printed))
        title = CLOSED_PREFIX_RE.sub("", printed, count=1).strip() if printed else ""
        if not title:
            self.warnings.append(f"field '{where}.Caption' is empty: item {number} has no title")
            title = f"Punkt {number}"
        case = self.string(entry, "CaseNumber", where) or self.string(entry, "SagsNummer", where)
        if case is not None and len(case) > 60:
            self.warnings.append(f"field '{where}.CaseNumber' is too long; ignored")
            case = None
        fields: list[tuple[str, str]] = []
        attachments: tuple[str, ...] = ()
        if not closed or self.keep_closed:
            fields = self.fields(entry, where)
            attachments = self.attachments(entry, where)
        return _Item(index, number, title, printed or title, closed, case, fields, attachments)

    def fields(self, entry: dict[str, Any], where: str) -> list[tuple[str, str]]:
        raw = entry.get("Felter")
        if raw is None:
            return []
        if not isinstance(raw, list):
            raise self.fail(f"field '{where}.Felter' is not a list: {_show(raw)}")
        out: list[tuple[str, str]] = []
        for j, felt in enumerate(raw):
            if felt is None:
                continue
            if not isinstance(felt, dict):
                raise self.fail(f"field '{where}.Felter[{j}]' is not an object: {_show(felt)}")
            name = self.string(felt, "Navn", f"{where}.Felter[{j}]") or ""
            html = self.string(felt, "Html", f"{where}.Felter[{j}]", collapse=False)
            if html is None:
                text = self.string(felt, "Tekst", f"{where}.Felter[{j}]", collapse=False)
                html = html_escape(text).replace("\n", "<br>") if text else None
            if html or name:
                out.append((name, html or ""))
        return out

    def attachments(self, entry: dict[str, Any], where: str) -> tuple[str, ...]:
        raw = entry.get("Bilag")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.fail(f"field '{where}.Bilag' is not a list: {_show(raw)}")
        named: list[tuple[float, int, str]] = []
        for j, bilag in enumerate(raw):
            if bilag is None:
                continue
            if isinstance(bilag, str):
                name: str | None = squash(_clean_str(bilag)) or None
                order: object = None
            elif isinstance(bilag, dict):
                name = self.string(bilag, "Navn", f"{where}.Bilag[{j}]") or self.string(
                    bilag, "Name", f"{where}.Bilag[{j}]"
                )
                order = bilag.get("Order")
            else:
                raise self.fail(f"field '{where}.Bilag[{j}]' is not an object: {_show(bilag)}")
            if name:
                rank = float(order) if isinstance(order, int | float) else float("inf")
                named.append((rank, j, name))
        return tuple(name for _, _, name in sorted(named))

    # -------------------------------------------------------------- build

    def build(self) -> tuple[Document, Meeting]:
        """The rendered Document and the Meeting whose spans point into it.

        Kept whole: it renders the text and records the spans in the same order, so they
        cannot drift apart."""
        body = self.string(self.udvalg, "Navn", "Udvalg")
        if body is None:
            self.warnings.append("field 'Udvalg.Navn' is missing: meeting body unknown")
        when = self.when()
        location = self.string(self.moede, "Sted", "Moede")
        participants, absentees = self.people()
        held = self.flag(self.moede, "Afsluttet", "Moede")
        supplementary = bool(
            self.flag(self.data, "TillaegsDagsorden", "")
            or self.flag(self.moede, "IsSupplementaryAgenda", "Moede")
        )
        items = self.items()

        rendered = [(item, _item_sections(item, held is True)) for item in items]
        inferred = [
            item.number
            for item, secs in rendered
            if any(name == DECISION_UNDER_TITLE and not printed for name, printed, _, _ in secs)
        ]
        if inferred:
            self.warnings.append(
                "decision read from the unlabelled text under the repeated item title "
                f"(no 'Beslutning' heading) in item {', '.join(inferred)}"
            )
        if held is None:
            decided = any(
                role == "decision" and body_lines
                for _, secs in rendered
                for _, _, role, body_lines in secs
            )
            doc_type = "referat" if decided else "dagsorden"
            self.warnings.append(
                f"field 'Moede.Afsluttet' is missing: taken as {doc_type} "
                f"({'decisions' if decided else 'no decisions'} recorded)"
            )
        else:
            doc_type = "referat" if held else "dagsorden"

        label = {"referat": "Referat", "dagsorden": "Dagsorden"}[doc_type]
        if supplementary:
            label = "Referat af tillægsdagsorden" if doc_type == "referat" else "Tillægsdagsorden"
        date_text = long_date(when) if when else None
        title = " ".join(p for p in (label, body, date_text) if p)

        out = _Writer()
        if body:
            out.line(body)
        out.line(label)
        if when is not None:
            out.line(f"Mødedato: {date_text} kl. {when:%H.%M}")
        if location:
            out.line(f"Mødested: {location}")
        if participants:
            out.line("Deltagere: " + ", ".join(participants))
        if absentees:
            out.line("Afbud: " + ", ".join(absentees))

        agenda_items = [self.render_item(out, item, secs) for item, secs in rendered]
        text = out.text().rstrip("\n") + "\n"

        doc = Document(
            path=self.source,
            text=text,
            encoding="utf-8",
            warnings=list(self.warnings),
            metadata={"title": title, "format": "firstagenda"},
        )
        meeting = Meeting(
            body=body,
            date=when.date().isoformat() if when else None,
            doc_type=doc_type,
            source=self.source,
            doc_hash=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16],
            items=tuple(agenda_items),
            time=f"{when:%H:%M}" if when else None,
            location=location,
            participants=participants,
            absentees=absentees,
            title=title,
            warnings=tuple(self.warnings),
            id_suffix="tillaeg" if supplementary else "",
        )
        return doc, meeting

    def render_item(
        self, out: _Writer, item: _Item, secs: list[tuple[str, str, str, list[str]]]
    ) -> AgendaItem:
        out.line()
        start, end = out.line(f"{item.number}. {item.title}")
        if item.case_number:
            _, end = out.line(f"Sagsnr.: {item.case_number}")
        if item.closed:
            _, end = out.line("(Lukket punkt)")
        sections: list[Section] = []
        for name, printed, role, body_lines in secs:
            out.line()
            if printed:
                out.line(printed)
            body_text = "\n".join(body_lines)
            s_start, s_end = out.line(body_text)
            sections.append(Section(name, body_text, s_start, s_end, role))
            end = s_end
        if item.attachments:
            out.line()
            out.line("Bilag:")
            for name in item.attachments:
                _, end = out.line(f"- {name}")
        return AgendaItem(
            number=item.number,
            title=item.title,
            order=item.index,
            level=item.number.count(".") + 1,
            case_number=item.case_number,
            heading=item.heading,
            sections=tuple(sections),
            attachments=item.attachments,
            start=start,
            end=end,
            closed=item.closed,
        )


# ------------------------------------------------------------------------------ sections


def _item_sections(item: _Item, held: bool) -> list[tuple[str, str, str, list[str]]]:
    """(name, printed heading or '', role, body lines) of every non-empty section.

    Text before the first heading is the unlabelled Sagsfremstilling, except in one
    layout of minutes (``held``): the item title repeated, then the decision, then the
    headed sections.  There the repeated title is dropped and the text under it becomes
    the decision (named ``DECISION_UNDER_TITLE``) when no headed section is one.

    A known label
    (``section_role``) printed as a heading, or a ``Felter[].Navn``, always starts a
    section; an unknown heading starts one when it reads like a label and is printed no
    smaller than the known labels so far (a sibling: 'Sagens forløb', 'Øvrige forhold'),
    else it stays a line of the running section (a sub-heading inside Sagsbeskrivelse).

    Kept whole: one pass over the lines whose state (running section, label level) every
    rule reads.
    """
    if item.closed and not item.fields:
        return []
    lines: list[_Line] = []
    for name, html in item.fields:
        if name:
            lines.append(_Line(name, _FIELD_NAME_RANK))
        lines.extend(html_lines(html))
    first = next((k for k, line in enumerate(lines) if line.text), None)
    repeated = False
    if first is not None and lines[first].rank != _FIELD_NAME_RANK:
        repeated = _same_text(lines[first].text, item.title, item.heading)
        if repeated:
            del lines[: first + 1]
    out: list[tuple[str, str, str, list[str]]] = []
    name, printed, role = UNLABELLED_SECTION, "", "background"
    body: list[str] = []
    level: int | None = None  # the deepest rank a known label was printed at so far
    for line in lines + [_Line("", _FIELD_NAME_RANK, end=True)]:
        known = line.rank is not None and (
            line.rank == _FIELD_NAME_RANK or section_role(line.text) is not None
        )
        if known and role == "proposal" and not any(body) and names_proposer(line.text):
            known = False  # 'Indstilling' / 'Administrationen indstiller:': its text
        starts = line.end or known
        if not starts and line.rank is not None and is_section_heading(line.text):
            sibling = level is None or line.rank <= level
            under_heading = bool(printed) and not any(body)  # 'Beslutning' / bold 'Godkendt'
            starts = sibling and not under_heading
        if not starts:
            if line.text or body:
                body.append(line.text)
            continue
        while body and not body[-1]:
            body.pop()
        if body:
            out.append((name, printed, role, body))
        if known and line.rank:
            level = line.rank if level is None else max(level, line.rank)
        printed = line.text
        name = line.text.rstrip(":").strip() or line.text
        role = section_role(name) or "other"
        body = []
    if (
        held
        and repeated
        and out
        and not out[0][1]
        and not any(role == "decision" for _, _, role, _ in out)
    ):
        out[0] = (DECISION_UNDER_TITLE, "", "decision", out[0][3])
    return out


def _same_text(text: str, *others: str) -> bool:
    key = squash(text).casefold()
    return any(key == squash(o).casefold() for o in others if o)


def is_section_heading(text: str) -> bool:
    """Is a line printed as a heading (h1-h6, bold) a section label, not emphasised prose?

    A known label ('Beslutning', 'Økonomiske konsekvenser', 'Byrådets beslutning den ...')
    always is; another is when it reads like a label: short, starting with a capital
    letter and not ending like a sentence ('Sagens forløb' yes, 'Kultur- og
    Fritidsudvalget.' and 'Administrationen indstiller,' no).
    """
    if section_role(text) is not None:
        return True
    words = text.split()
    return (
        bool(words)
        and len(text) <= MAX_LABEL_CHARS
        and len(words) <= MAX_LABEL_WORDS
        and text[0].isalpha()
        and text[0].isupper()
        and not text.endswith(_LABEL_END)
    )


# ------------------------------------------------------------------------------ html


@dataclass(frozen=True)
class _Line:
    """A rendered line: its text ('' is a paragraph gap) and, for a line printed wholly as
    a heading or in bold, its rank (0 field name, 1-6 h1-h6, 7 bold), else None."""

    text: str
    rank: int | None = None
    end: bool = False


@dataclass
class _Table:
    rows: list[list[str]] = field(default_factory=list)
    cell: list[str] | None = None
    in_row: bool = False

    def close_cell(self) -> None:
        if self.cell is not None:
            if not self.rows or not self.in_row:
                self.rows.append([])
                self.in_row = True
            self.rows[-1].append(squash("".join(self.cell)))
            self.cell = None

    def lines(self) -> list[str]:
        self.close_cell()
        out = []
        for cells in self.rows:
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                out.append("\t".join(cells))
        return out


class _HtmlRenderer(HTMLParser):
    """HTML fragment -> ``_Line``s, streaming (no tree): blocks and <br> end lines, list
    items read '- ...', table rows are TAB-joined cells, whitespace is collapsed and
    entities decoded.  Unclosed and stray end tags are tolerated."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[_Line] = []
        self.frags: list[tuple[str, int | None]] = []
        self.prefix = ""
        self.list_depth = 0
        self.stack: list[str] = []
        self.ranks: list[int] = []
        self.strong = 0
        self.skip = 0
        self.tables: list[_Table] = []

    # ---------------------------------------------------------------- output

    def newline(self) -> None:
        if self.tables:
            self.cell_text(" ")
            return
        text = squash("".join(f for f, _ in self.frags))
        if text:
            ranks = [r for f, r in self.frags if f.strip()]
            rank = None
            if not self.prefix and not self.list_depth and all(r is not None for r in ranks):
                rank = min(r for r in ranks if r is not None)
            self.lines.append(_Line(self.prefix + text, rank))
            self.prefix = ""
        self.frags = []

    def gap(self) -> None:
        self.newline()
        if not self.list_depth and not self.tables and self.lines and self.lines[-1].text:
            self.lines.append(_Line(""))

    def cell_text(self, text: str) -> None:
        table = self.tables[-1]
        if table.cell is not None:
            table.cell.append(text)

    # ---------------------------------------------------------------- parser events

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.tables:
            self.cell_text(data)
            return
        rank = min(self.ranks) if self.ranks else (_STRONG_RANK if self.strong else None)
        self.frags.append((data, rank))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID_TAGS:
            if tag in ("br", "hr") and not self.skip:
                self.newline()
            return
        if tag in _IMPLIED_END and tag in self.stack:
            # a new <li>/<p>/<tr>/<td> ends the open one of its kind in the same container
            scope = _IMPLIED_END[tag]
            for k in range(len(self.stack) - 1, -1, -1):
                if self.stack[k] == tag:
                    self.close_to(k)
                    break
                if self.stack[k] in scope:
                    break
        self.stack.append(tag)
        if self.skip or tag in _SKIP_TAGS:
            self.skip += 1
            return
        if tag == "table":
            self.gap()
            self.tables.append(_Table())
        elif self.tables:
            table = self.tables[-1]
            if tag == "tr":
                table.close_cell()
                table.rows.append([])
                table.in_row = True
            elif tag in ("td", "th"):
                table.close_cell()
                table.cell = []
            elif tag in _BLOCK_TAGS or tag in _HEADING_RANKS or tag in ("li", "ul", "ol"):
                self.cell_text(" ")
        elif tag in _HEADING_RANKS:
            self.gap()
            self.ranks.append(_HEADING_RANKS[tag])
        elif tag in ("strong", "b"):
            self.strong += 1
        elif tag == "li":
            self.newline()
            self.prefix = "- "
            self.list_depth += 1
        elif tag in _LIST_TAGS:
            self.gap()
            self.list_depth += 1
        elif tag in _BLOCK_TAGS:
            self.gap()

    def handle_endtag(self, tag: str) -> None:
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k] == tag:
                self.close_to(k)
                return
        # a stray end tag: a block one still ends the line
        if not self.skip and (tag in _BLOCK_TAGS or tag in _HEADING_RANKS):
            self.gap()

    def close_to(self, index: int) -> None:
        while len(self.stack) > index:
            self.end_element(self.stack.pop())

    def end_element(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        if tag == "table":
            table = self.tables.pop()
            rows = table.lines()
            if self.tables:
                self.cell_text(" " + " ".join(rows) + " ")
            else:
                for row in rows:
                    self.lines.append(_Line(row))
                self.gap()
        elif self.tables:
            table = self.tables[-1]
            if tag in ("td", "th"):
                table.close_cell()
            elif tag == "tr":
                table.close_cell()
                table.in_row = False
            elif tag in _BLOCK_TAGS or tag in _HEADING_RANKS or tag == "li":
                self.cell_text(" ")
        elif tag in _HEADING_RANKS:
            self.gap()
            if self.ranks:
                self.ranks.pop()
        elif tag in ("strong", "b"):
            self.strong = max(0, self.strong - 1)
        elif tag == "li":
            self.newline()
            self.list_depth = max(0, self.list_depth - 1)
            self.prefix = ""
        elif tag in _LIST_TAGS:
            self.list_depth = max(0, self.list_depth - 1)
            self.gap()
        elif tag in _BLOCK_TAGS:
            self.gap()

    def finish(self) -> list[_Line]:
        self.close()  # HTMLParser.close: flush buffered data
        self.close_to(0)
        self.newline()
        while self.lines and not self.lines[-1].text:
            self.lines.pop()
        return self.lines


_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip
_IMPLIED_END = {
    "li": frozenset({"ul", "ol", "table"}),
    "p": frozenset({"div", "li", "td", "th", "table", "blockquote", "section"}),
    "tr": frozenset({"table"}),
    "td": frozenset({"tr", "table"}),
    "th": frozenset({"tr", "table"}),
}


def html_lines(html: str) -> list[_Line]:
    """Plain lines of an HTML fragment (see ``_HtmlRenderer``)."""
    renderer = _HtmlRenderer()
    renderer.feed(_clean_str(html))
    return renderer.finish()


def html_to_text(html: str) -> str:
    """The plain text of an HTML fragment, lines as :func:`html_lines` renders them."""
    return "\n".join(line.text for line in html_lines(html))


# ------------------------------------------------------------------------------ helpers


def _clean_str(value: str) -> str:
    value = _SURROGATE_RE.sub("\ufffd", value)
    return _CONTROL_RE.sub("", unicodedata.normalize("NFC", value))


def _field(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
