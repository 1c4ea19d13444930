"""FirstAgenda publication-API JSON -> Document + Meeting (ingest.firstagenda)."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ingest.errors import ReadError
from ingest.firstagenda import html_to_text, looks_like_firstagenda, read_firstagenda
from ingest.models import Document, Meeting

GREVE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "greve"

ITEM_ONE_HTML = (
    "<div><div id='sagsfremstillingContainer'>\r\n"
    "<div><h3>Beslutning</h3>\r\n<span><div>Godkendt &amp; underskrevet.</div></span></div>"
    "<h3>Fremstilling</h3>\r\n<span class='ukendt'>"
    "<h4>Resume</h4><p>Dagsordenen \r\n  forelægges.</p>"
    "<h4><span>Indstilling</span></h4>"
    "<p><em>Administrationen indstiller,</em> <em>at dagsordenen godkendes.</em></p>"
    "<h4>Sagsbeskrivelse</h4><p>Første afsnit.<br>Anden linje.</p>"
    "<ul><li>punkt et</li><li>punkt to</li></ul>"
    "<table><tbody><tr><td>År</td><td>Beløb</td></tr><tr><td>2024</td><td>1,5</td></tr>"
    "</tbody></table>"
    "<p><strong>Delresultat</strong></p><p>Under-afsnit tekst.</p>"
    "<h4>Øvrige forhold</h4><p>Ingen bemærkninger.</p>"
    "<h4>Tom</h4><p>&nbsp;</p></span>\r\n</div></div>"
)


def sample() -> dict[str, Any]:
    """A small FirstAgenda meeting: items out of Sorting order, closed items with content,
    a null and an empty case number, an item without Felter, a bad Number, a supplement."""
    return {
        "Id": "02e86ff6-0000-0000-0000-000000000000",
        "TillaegsDagsorden": True,
        "Lydfiler": None,
        "Udvalg": {"Id": "d2b6", "Navn": "  Økonomiudvalget ", "Historisk": False},
        "Moede": {
            "Id": "00000000-0000-0000-0000-000000000000",
            # 00:30 local is the previous day in UTC: the date must stay the local one
            "Dato": "2024-03-05T00:30:00+01:00",
            "MeetingBeginUtc": "2024-03-04T23:30:00+00:00",
            "MeetingEndUtc": None,
            "Sted": " Mødelokale 2 ",
            "Afsluttet": True,
            "Navn": "Dagsorden",
            "Description": "",
            "IsSupplementaryAgenda": True,
            "Moededeltagere": [
                {"Name": "Anna Holm", "Absent": False, "ParticipationCancelled": False},
                {"Name": "Bo Berg", "Absent": True, "ParticipationCancelled": False},
                {"Name": None, "Absent": False},
                {"Name": "Carl Dam", "Absent": False, "ParticipationCancelled": True},
            ],
        },
        "Dagsordenpunkter": [
            {
                "Number": "2",
                "Sorting": 2,
                "Caption": "Lukket: Salg af grund",
                "CaseNumber": "24-000111",
                "IsOpen": True,
                "Felter": [{"Navn": "", "Html": "<h3>Beslutning</h3><p>Købesum 4 mio. kr.</p>"}],
                "Bilag": [{"Navn": "Hemmeligt skøde.pdf", "Order": 1}],
            },
            {
                "Number": "1",
                "Punktnummer": "1",
                "Sorting": 1,
                "Caption": "Godkendelse af dagsorden",
                "Navn": "Godkendelse af dagsorden",
                "CaseNumber": None,
                "SagsNummer": "",
                "IsOpen": False,
                "Felter": [{"Navn": "", "Html": ITEM_ONE_HTML, "Tekst": None}],
                "Bilag": [
                    {"Navn": "Bilag 2.pdf", "Order": 2},
                    {"Navn": "Bilag 1.pdf", "Order": 1},
                    {"Navn": None, "Order": 3},
                ],
            },
            {
                "Number": None,
                "Punktnummer": "3",
                "Sorting": 3,
                "Caption": None,
                "Navn": "Eventuelt",
                "CaseNumber": " 23-010897K ",
                "Bilag": None,
            },
            {
                "Number": "4a",
                "Sorting": 40,
                "Caption": "Orientering",
                "CaseNumber": "",
                "SagsNummer": "22-000004",
                "Felter": [
                    {
                        "Navn": "",
                        "Html": "<p>Tekst uden overskrift.</p>"
                        "<h3>Beslutning</h3><p>Taget til efterretning.</p>",
                    },
                    {"Navn": None, "Html": None},
                ],
                "Bilag": [],
            },
            {
                "Number": "5",
                "Sorting": 50,
                "Caption": "Lukket punkt: Personalesag",
                "CaseNumber": "",
                "Felter": [],
                "Bilag": [],
            },
        ],
    }


def read(data: object, name: str = "moede.json") -> tuple[Document, Meeting]:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode("utf-8")
    return read_firstagenda(Path(name), raw)


@pytest.fixture(scope="module")
def parsed() -> tuple[Document, Meeting]:
    return read(sample(), "arkiv/okonomiudvalget.json")


# ------------------------------------------------------------------ meeting fields


def test_meeting_fields(parsed: tuple[Document, Meeting]) -> None:
    doc, m = parsed
    assert m.body == "Økonomiudvalget"
    assert m.date == "2024-03-05"  # local date as printed, not the UTC 2024-03-04
    assert m.time == "00:30"
    assert m.location == "Mødelokale 2"
    assert m.participants == ("Anna Holm",)
    assert m.absentees == ("Bo Berg", "Carl Dam")
    assert m.doc_type == "referat"  # Afsluttet, although Moede.Navn says "Dagsorden"
    assert m.title == "Referat af tillægsdagsorden Økonomiudvalget 5. marts 2024"
    assert m.id_suffix == "tillaeg"
    assert m.meeting_id == "oekonomiudvalget-2024-03-05-referat-tillaeg"
    assert m.source == "arkiv/okonomiudvalget.json" == doc.path
    expected_hash = hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    assert m.doc_hash == expected_hash
    assert doc.metadata["title"] == m.title
    assert len(m.warnings) == 1 and "'4a'" in m.warnings[0] and "Number" in m.warnings[0]
    assert doc.warnings == list(m.warnings)


def test_header_block(parsed: tuple[Document, Meeting]) -> None:
    doc, _ = parsed
    assert doc.text.startswith(
        "Økonomiudvalget\n"
        "Referat af tillægsdagsorden\n"
        "Mødedato: 5. marts 2024 kl. 00.30\n"
        "Mødested: Mødelokale 2\n"
        "Deltagere: Anna Holm\n"
        "Afbud: Bo Berg, Carl Dam\n\n"
        "1. Godkendelse af dagsorden\n"
    )


# ------------------------------------------------------------------ items


def test_items_sorted_numbered_and_titled(parsed: tuple[Document, Meeting]) -> None:
    _, m = parsed
    assert [i.number for i in m.items] == ["1", "2", "3", "4", "5"]
    assert [i.order for i in m.items] == [0, 1, 2, 3, 4]
    assert [i.title for i in m.items] == [
        "Godkendelse af dagsorden",
        "Salg af grund",
        "Eventuelt",
        "Orientering",
        "Personalesag",
    ]
    assert [i.closed for i in m.items] == [False, True, False, False, True]
    assert [i.case_number for i in m.items] == [None, "24-000111", "23-010897K", "22-000004", None]
    assert m.items[1].heading == "Lukket: Salg af grund"


def test_item_sections_names_roles_and_text(parsed: tuple[Document, Meeting]) -> None:
    doc, m = parsed
    one = m.items[0]
    # 'Fremstilling' (only a wrapper) and 'Tom' (no text) are dropped
    assert [(s.name, s.role) for s in one.sections] == [
        ("Beslutning", "decision"),
        ("Resume", "background"),
        ("Indstilling", "proposal"),
        ("Sagsbeskrivelse", "background"),
        ("Øvrige forhold", "background"),
    ]
    assert one.decision == "Godkendt & underskrevet."
    assert one.proposal == "Administrationen indstiller, at dagsordenen godkendes."
    resume = one.section("Resume")
    assert resume is not None and resume.text == "Dagsordenen forelægges."
    body = one.section("Sagsbeskrivelse")
    assert body is not None
    assert body.text == (
        "Første afsnit.\nAnden linje.\n\n"
        "- punkt et\n- punkt to\n\n"
        "År\tBeløb\n2024\t1,5\n\n"
        "Delresultat\n\n"  # a bold sub-heading stays inside its section
        "Under-afsnit tekst."
    )
    assert one.attachments == ("Bilag 1.pdf", "Bilag 2.pdf")
    assert "\nBilag:\n- Bilag 1.pdf\n- Bilag 2.pdf\n" in doc.text


def test_unlabelled_text_is_sagsfremstilling_and_felter_may_be_missing(
    parsed: tuple[Document, Meeting],
) -> None:
    _, m = parsed
    three, four = m.items[2], m.items[3]
    assert three.sections == () and three.attachments == ()
    assert [(s.name, s.role, s.text) for s in four.sections] == [
        ("Sagsfremstilling", "background", "Tekst uden overskrift."),
        ("Beslutning", "decision", "Taget til efterretning."),
    ]


def test_closed_items_keep_no_content(parsed: tuple[Document, Meeting]) -> None:
    doc, m = parsed
    for item in (m.items[1], m.items[4]):
        assert item.closed
        assert item.sections == () and item.attachments == ()
    assert "Købesum" not in doc.text
    assert "Hemmeligt" not in doc.text
    closed = doc.text[m.items[1].start : m.items[1].end]
    assert closed == "2. Salg af grund\nSagsnr.: 24-000111\n(Lukket punkt)"


def test_offsets_point_into_the_text(parsed: tuple[Document, Meeting]) -> None:
    doc, m = parsed
    text = doc.text
    previous_end = 0
    for item in m.items:
        assert item.start >= previous_end
        assert text[item.start : item.end].startswith(f"{item.number}. {item.title}\n")
        previous_end = item.end
        for s in item.sections:
            assert item.start < s.start <= s.end <= item.end
            assert text[s.start : s.end] == s.text
            assert text[s.start : s.end].startswith(" ".join(s.text.split()[:2]))
            if s.name != "Sagsfremstilling":
                heading = text[: s.start].rstrip("\n").rsplit("\n", 1)[-1]
                assert heading == s.name
    assert text[m.items[0].end :].startswith("\n\n2. Salg af grund")


# ------------------------------------------------------------------ variants


def test_agenda_not_held_and_not_supplementary() -> None:
    data = sample()
    data["Moede"]["Afsluttet"] = False
    data["TillaegsDagsorden"] = False
    data["Moede"]["IsSupplementaryAgenda"] = False
    _, m = read(data)
    assert m.doc_type == "dagsorden"
    assert m.title == "Dagsorden Økonomiudvalget 5. marts 2024"
    assert m.id_suffix == ""
    assert m.meeting_id == "oekonomiudvalget-2024-03-05-dagsorden"
    data["Moede"]["IsSupplementaryAgenda"] = True
    _, m = read(data)
    assert m.title == "Tillægsdagsorden Økonomiudvalget 5. marts 2024"
    assert m.id_suffix == "tillaeg"


def test_missing_body_and_date_are_stored_as_unknown_with_warnings() -> None:
    data = sample()
    data["Udvalg"] = None
    data["Moede"]["Dato"] = None
    data["Moede"]["MeetingBeginUtc"] = None
    doc, m = read(data)
    assert m.body is None and m.date is None and m.time is None
    assert any("Udvalg.Navn" in w for w in m.warnings)
    assert any("Moede.Dato" in w for w in m.warnings)
    assert m.meeting_id == "ukendt-ukendt-referat-tillaeg"
    assert doc.text.startswith("Referat af tillægsdagsorden\nMødested: Mødelokale 2\n")
    assert len(m.items) == 5


def test_date_falls_back_to_meeting_begin() -> None:
    data = sample()
    del data["Moede"]["Dato"]
    data["Moede"]["MeetingBeginUtc"] = "2024-06-10T08:15:00+02:00"
    _, m = read(data)
    assert (m.date, m.time) == ("2024-06-10", "08:15")


def test_missing_held_flag_is_decided_by_recorded_decisions() -> None:
    data = sample()
    del data["Moede"]["Afsluttet"]
    _, m = read(data)
    assert m.doc_type == "referat"
    assert any("Moede.Afsluttet" in w for w in m.warnings)
    for item in data["Dagsordenpunkter"]:
        item["Felter"] = []
    _, m = read(data)
    assert m.doc_type == "dagsorden"


def test_nulls_everywhere_do_not_break_the_reader() -> None:
    data = sample()
    data["Moede"]["Moededeltagere"] = [None, {"Name": "Eva Lund", "Absent": None}]
    data["Moede"]["Sted"] = None
    data["Dagsordenpunkter"][1]["Bilag"].append(None)
    data["Dagsordenpunkter"][1]["Felter"].insert(0, None)
    data["Dagsordenpunkter"].insert(0, None)
    data["Dagsordenpunkter"].append(
        {"Number": None, "Punktnummer": None, "Sorting": None, "Caption": None, "Navn": None,
         "CaseNumber": None, "SagsNummer": None, "Felter": [{"Html": None}], "Bilag": None}
    )  # fmt: skip
    doc, m = read(data)
    assert m.participants == ("Eva Lund",) and m.absentees == () and m.location is None
    assert m.items[0].attachments == ("Bilag 1.pdf", "Bilag 2.pdf")
    assert [s.name for s in m.items[0].sections][0] == "Beslutning"
    assert any("'Dagsordenpunkter[0]' is null" in w for w in m.warnings)
    last = m.items[-1]
    assert (last.number, last.title, last.sections, last.case_number) == ("6", "Punkt 6", (), None)
    assert any("Caption" in w for w in m.warnings)
    assert doc.text.rstrip().endswith("6. Punkt 6")


def test_repeated_title_layout_gives_the_decision_in_minutes_only() -> None:
    html = (
        "<div id='sagsfremstillingContainer'>\r\nGodkendelse af dagsorden\r\n"
        '<p class="xsltFirstParagraph">Godkendt.</p>'
        "<h2>Resume</h2><p>Dagsorden for mødet.</p></div>"
    )
    data = sample()
    data["Dagsordenpunkter"][1]["Felter"] = [{"Navn": "", "Html": html}]
    _, m = read(data)
    one = m.items[0]
    assert [(s.name, s.role, s.text) for s in one.sections] == [
        ("Beslutning", "decision", "Godkendt."),
        ("Resume", "background", "Dagsorden for mødet."),
    ]
    assert any("repeated item title" in w for w in m.warnings)
    data["Moede"]["Afsluttet"] = False
    _, m = read(data)
    assert [(s.name, s.role) for s in m.items[0].sections] == [
        ("Sagsfremstilling", "background"),
        ("Resume", "background"),
    ]


def test_bold_line_right_under_a_heading_is_text_not_a_heading() -> None:
    data = sample()
    data["Dagsordenpunkter"][1]["Felter"] = [
        {
            "Navn": "",
            "Html": "<p><strong>Beslutning</strong></p><p><strong>Godkendt</strong></p>"
            "<p><b>Resume</b></p><p>Kort.</p>"
            "<p><b>Ny praksis</b></p><p>Tekst.</p>",
        }
    ]
    _, m = read(data)
    assert [(s.name, s.role, s.text) for s in m.items[0].sections] == [
        ("Beslutning", "decision", "Godkendt"),
        ("Resume", "background", "Kort."),
        ("Ny praksis", "other", "Tekst."),  # an unknown label at section level
    ]


def test_plain_tekst_field_and_multiline_caption() -> None:
    data = sample()
    one = data["Dagsordenpunkter"][1]
    one["Caption"] = "Godkendelse\n af   dagsorden"
    one["Felter"] = [{"Navn": "Beslutning", "Html": None, "Tekst": "Godkendt <uden>\nændringer."}]
    doc, m = read(data)
    assert m.items[0].title == "Godkendelse af dagsorden"
    assert [(s.name, s.text) for s in m.items[0].sections] == [
        ("Beslutning", "Godkendt <uden>\nændringer.")
    ]
    assert "\n1. Godkendelse af dagsorden\n" in doc.text


def test_field_name_is_a_heading() -> None:
    data = sample()
    data["Dagsordenpunkter"][1]["Felter"] = [
        {"Navn": "Indstilling", "Html": "<p>Det indstilles, at sagen godkendes.</p>"},
        {"Navn": "Beslutning", "Html": "<p>Godkendt.</p>"},
    ]
    _, m = read(data)
    assert [(s.name, s.role) for s in m.items[0].sections] == [
        ("Indstilling", "proposal"),
        ("Beslutning", "decision"),
    ]


def test_html_to_text() -> None:
    html = (
        "<p>A&nbsp;&amp;&nbsp;B</p><ol><li>en<li>to</ol>"
        "<table><tr><th>x</th><td>1<br>2</td></tr></table>"
        "<p>slut<script>ignored()</script><!-- note --></p>"
    )
    assert html_to_text(html) == "A & B\n\n- en\n- to\n\nx\t1 2\n\nslut"


# ------------------------------------------------------------------ shape and errors


def test_looks_like_firstagenda_by_shape() -> None:
    assert looks_like_firstagenda(sample())
    assert looks_like_firstagenda({"Dagsordenpunkter": [], "Udvalg": {"Navn": "X"}})
    assert not looks_like_firstagenda([])
    assert not looks_like_firstagenda({})
    assert not looks_like_firstagenda({"Dagsordenpunkter": []})
    assert not looks_like_firstagenda({"Dagsordenpunkter": {}, "Moede": {}})
    assert not looks_like_firstagenda({"items": [], "Moede": {}, "Udvalg": {}})


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe\x00", "invalid JSON"),
        ([], "top level is a list"),
        ({"Moede": {}, "Udvalg": {}}, "no 'Dagsordenpunkter' list"),
        ({"Dagsordenpunkter": [], "Moede": None}, "no 'Moede' or 'Udvalg' object"),
        ({"Dagsordenpunkter": ["x"], "Moede": {}}, "'Dagsordenpunkter[0]' is not an object"),
    ],
)
def test_errors_name_the_problem(data: object, problem: str) -> None:
    with pytest.raises(ReadError) as info:
        read(data, "bad.json")
    assert info.value.path == "bad.json"
    assert problem in info.value.problem


def test_bad_date_and_bad_field_types_are_errors() -> None:
    data = sample()
    data["Moede"]["Dato"] = "i morgen"
    with pytest.raises(ReadError, match=r"field 'Moede\.Dato' is not a date: 'i morgen'"):
        read(data)
    data = sample()
    data["Dagsordenpunkter"][1]["Felter"] = "tekst"
    with pytest.raises(ReadError, match=r"field 'Dagsordenpunkter\[1\]\.Felter' is not a list"):
        read(data)
    data = sample()
    data["Udvalg"]["Navn"] = {"x": 1}
    with pytest.raises(ReadError, match=r"field 'Udvalg\.Navn' is not text"):
        read(data)


def test_same_content_same_hash_different_content_different_hash() -> None:
    _, a = read(sample(), "a.json")
    _, b = read(copy.deepcopy(sample()), "b.json")
    assert a.doc_hash == b.doc_hash
    changed = sample()
    changed["Moede"]["Sted"] = "Byrådssalen"
    _, c = read(changed)
    assert c.doc_hash != a.doc_hash


# ------------------------------------------------------------------ the real archive

BESLUTNING_HEADING = re.compile(r"<h[1-6][^>]*>\s*(?:<[^>]+>\s*)*Beslutning\s*(?:<[^>]+>\s*)*</h")
NO_DECISION_RECORDED = {"Byr_d_2022-2025_2023-09-27T08_00_00_02_00_c26b34b4"}
"""Held meetings whose open items (with content) carry no decision in the JSON."""


@pytest.fixture(scope="module")
def archive() -> list[tuple[Path, dict[str, Any], Document, Meeting]]:
    if not GREVE.is_dir():
        pytest.skip(f"archive not present: {GREVE}")
    out = []
    for path in sorted(GREVE.glob("*.json")):
        data = path.read_bytes()
        doc, meeting = read_firstagenda(path, data)
        out.append((path, json.loads(data), doc, meeting))
    return out


def test_archive_totals(archive: list[tuple[Path, dict[str, Any], Document, Meeting]]) -> None:
    meetings = [m for _, _, _, m in archive]
    items = [i for m in meetings for i in m.items]
    assert len(meetings) == 373
    assert len(items) == 5553
    assert sum(i.closed for i in items) == 385
    assert len({i.case_number for i in items if i.case_number}) == 1608
    assert sum(i.case_number is None for i in items) == 442
    assert all(m.body and m.date and m.time for m in meetings)
    assert Counter(m.doc_type for m in meetings) == {"referat": 371, "dagsorden": 2}


def test_archive_closed_items_have_no_content(
    archive: list[tuple[Path, dict[str, Any], Document, Meeting]],
) -> None:
    closed = [i for _, _, _, m in archive for i in m.items if i.closed]
    assert closed
    assert all(i.sections == () and i.attachments == () for i in closed)
    assert all(not i.title.lower().startswith("lukket") for i in closed)


def test_archive_offsets_are_exact(
    archive: list[tuple[Path, dict[str, Any], Document, Meeting]],
) -> None:
    for path, _, doc, m in archive:
        for item in m.items:
            assert doc.text[item.start :].startswith(f"{item.number}. {item.title}"), path
            for s in item.sections:
                assert s.text and doc.text[s.start : s.end] == s.text, (path, item.number)


def test_archive_decisions(archive: list[tuple[Path, dict[str, Any], Document, Meeting]]) -> None:
    without = set()
    for path, raw, _, m in archive:
        entries = sorted(raw["Dagsordenpunkter"], key=lambda e: e["Sorting"])
        for item in m.items:
            html = "".join(f.get("Html") or "" for f in entries[item.order]["Felter"])
            # every open item printing a Beslutning heading has its decision read
            if not item.closed and BESLUTNING_HEADING.search(html):
                assert item.decision, (path.name, item.number)
        open_with_content = [i for i in m.items if not i.closed and i.sections]
        if m.doc_type == "referat" and open_with_content:
            if not any(s.role == "decision" for i in m.items for s in i.sections):
                without.add(path.name[:50])
    assert without == NO_DECISION_RECORDED
