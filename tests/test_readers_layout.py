"""Readers keep the layout signals an agenda's structure lives in (light markdown + metadata).

PDFs are drawn with reportlab, DOCX files built with python-docx, HTML written as bytes; the
real truncated Glostrup DOCX (shared corpus) is read when that folder is present.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ingest.errors import ReadError
from ingest.pdf_reader import is_bold_font, is_page_number
from ingest.readers import SUPPORTED_EXTENSIONS, iter_source_files, read_document

CORPUS = Path("/work/shared/corpus/other")
WIDTH, HEIGHT = A4

# --------------------------------------------------------------------------- PDF


def agenda_pdf(path: Path) -> Path:
    """Three pages: big bold title, TOC lines with gaps, bold labels, running header/footer,
    bookmarks, document info, Danish letters."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle("Dagsorden – Økonomiudvalget")
    c.setAuthor("Glostrup Kommune")
    c.setSubject("Møde 19-11-2025")

    def chrome(page: int) -> None:
        c.setFont("Helvetica", 9)
        c.drawString(72, HEIGHT - 40, "Økonomiudvalget")
        c.drawRightString(WIDTH - 72, HEIGHT - 40, "Møde den 19-11-2025")
        c.drawCentredString(WIDTH / 2, 30, f"Side {page} af 3")

    def line(y: float, text: str, font: str = "Helvetica", size: float = 11) -> None:
        c.setFont(font, size)
        c.drawString(72, HEIGHT - y, text)

    chrome(1)
    line(100, "Dagsorden for Økonomiudvalget", "Helvetica-Bold", 20)
    c.bookmarkPage("toc")
    c.addOutlineEntry("Indholdsfortegnelse", "toc", level=0)
    c.setFont("Helvetica", 11)
    for y, number, title, page in ((140, "1.", "Godkendelse af dagsordenen", "2"),
                                   (156, "2.", "Budget for året", "3")):  # fmt: skip
        c.drawString(72, HEIGHT - y, number)
        c.drawString(100, HEIGHT - y, title)
        c.drawRightString(WIDTH - 72, HEIGHT - y, page)
    line(190, "Mødet holdes på Rådhuset med deltagelse af æøå ÆØÅ.")
    c.showPage()
    chrome(2)
    line(100, "1. Godkendelse af dagsordenen", "Helvetica-Bold", 14)
    c.bookmarkPage("p1")
    c.addOutlineEntry("1. Godkendelse af dagsordenen", "p1", level=1)
    line(125, "Sagsfremstilling", "Helvetica-Bold", 11)
    line(140, "Dagsordenen forelægges til godkendelse, teksten fortsætter med bin-")
    line(154, "destreg på næste linje.")
    line(175, "Beslutning", "Helvetica-Bold", 11)
    line(190, "Godkendt.")
    c.showPage()
    chrome(3)
    line(100, "2. Budget for året, med en overskrift der er så lang at den", "Helvetica-Bold", 14)
    line(117, "brydes over to linjer", "Helvetica-Bold", 14)
    c.bookmarkPage("p2")
    c.addOutlineEntry("2. Budget for året", "p2", level=1)
    line(140, "Beslutning", "Helvetica-Bold", 11)
    line(155, "Budgettet blev vedtaget.")
    c.showPage()
    c.save()
    return path


def test_pdf_light_markdown_lines(tmp_path: Path) -> None:
    doc = read_document(agenda_pdf(tmp_path / "dagsorden.pdf"))
    assert doc.encoding == "pdf" and doc.warnings == []
    assert doc.text.split("\n") == [
        "# Dagsorden for Økonomiudvalget",
        "1.\tGodkendelse af dagsordenen\t2",
        "2.\tBudget for året\t3",
        "Mødet holdes på Rådhuset med deltagelse af æøå ÆØÅ.",
        "",
        "## 1. Godkendelse af dagsordenen",
        "**Sagsfremstilling**",
        "Dagsordenen forelægges til godkendelse, teksten fortsætter med bin-",
        "destreg på næste linje.",
        "**Beslutning**",
        "Godkendt.",
        "",
        "## 2. Budget for året, med en overskrift der er så lang at den brydes over to linjer",
        "**Beslutning**",
        "Budgettet blev vedtaget.",
        "",
    ]


def test_pdf_running_header_and_page_numbers_are_stripped(tmp_path: Path) -> None:
    doc = read_document(agenda_pdf(tmp_path / "dagsorden.pdf"))
    assert "Møde den 19-11-2025" not in doc.text and "Side " not in doc.text
    assert doc.metadata["running_header"] == "Økonomiudvalget\tMøde den 19-11-2025"


def test_pdf_outline_and_document_info(tmp_path: Path) -> None:
    doc = read_document(agenda_pdf(tmp_path / "dagsorden.pdf"))
    assert doc.metadata["outline"].split("\n") == [
        "1\tIndholdsfortegnelse",
        "2\t1. Godkendelse af dagsordenen",
        "2\t2. Budget for året",
    ]
    assert doc.metadata["title"] == "Dagsorden – Økonomiudvalget"
    assert doc.metadata["subject"] == "Møde 19-11-2025"
    assert doc.metadata["author"] == "Glostrup Kommune"
    assert doc.metadata["created"] == "2000-01-01"  # reportlab's invariant date


def test_pdf_item_headings_opening_each_page_are_not_a_running_header(tmp_path: Path) -> None:
    path = tmp_path / "punkter.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in (1, 2, 3):
        c.setFont("Helvetica", 9)
        c.drawString(72, HEIGHT - 40, f"Dagsorden side {page}")
        c.setFont("Helvetica-Bold", 14)
        c.drawString(72, HEIGHT - 80, f"Punkt {page}: Orientering")
        c.setFont("Helvetica", 11)
        for row in range(5):
            c.drawString(72, HEIGHT - 120 - 14 * row, f"Brødtekst {row} på side {page}.")
        c.showPage()
    c.save()
    doc = read_document(path)
    headings = [line for line in doc.text.splitlines() if line.startswith("#")]
    assert headings == [
        "# Punkt 1: Orientering",
        "# Punkt 2: Orientering",
        "# Punkt 3: Orientering",
    ]
    assert "Dagsorden side" not in doc.text
    assert doc.metadata["running_header"] == "Dagsorden side 1"
    assert "outline" not in doc.metadata and "title" not in doc.metadata


def test_pdf_words_without_space_glyphs_and_table_gaps(tmp_path: Path) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    path = tmp_path / "ord.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)

    def words(x: float, y: float, items: list[str]) -> None:
        for word in items:  # one glyph run per word, no space characters
            c.drawString(x, HEIGHT - y, word)
            x += stringWidth(word, "Helvetica", 11) + 0.25 * 11

    words(72, 200, ["Mødedato:"])
    words(200, 200, ["Onsdag", "den", "19.", "november", "2025"])
    words(72, 216, ["Punkt", "Indhold"])
    words(300, 216, ["Bilag"])
    c.drawString(72, HEIGHT - 232, "3. Godkendelse af referat ........................ 7")
    c.showPage()
    c.save()
    assert read_document(path).text.splitlines() == [
        "Mødedato:\tOnsdag den 19. november 2025",
        "Punkt Indhold\tBilag",
        "3. Godkendelse af referat\t7",
    ]


def test_pdf_encrypted_with_password_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "hemmelig.pdf"
    c = canvas.Canvas(str(path), encrypt="hemmelig")
    c.drawString(72, 700, "Fortrolig tekst")
    c.showPage()
    c.save()
    with pytest.raises(ReadError, match="encrypted") as info:
        read_document(path)
    assert info.value.path == str(path)


def test_pdf_with_owner_password_only_reads(tmp_path: Path) -> None:
    path = tmp_path / "ejer.pdf"
    c = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("", ownerPassword="x"))
    c.drawString(72, 400, "Åben tekst æøå")
    c.showPage()
    c.save()
    assert read_document(path).text == "Åben tekst æøå\n"


def test_pdf_without_text_is_the_no_text_error(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(72, 72, 300, 300, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(ReadError, match="no text could be extracted"):
        read_document(path)


def test_pdf_damaged_page_is_a_warning(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pageCompression=0)
    c.drawString(72, 400, "Første side")
    c.showPage()
    c.drawString(72, 400, "ANDEN side")
    c.showPage()
    c.save()
    data = buffer.getvalue()
    mark = data.index(b"ANDEN")
    head = data.rindex(b"<<\n/Length", 0, mark)
    end = data.index(b">>", head) + 2
    length = data[head + 2 : end - 2].strip()
    # Declare the plain content stream as deflated: it cannot be decoded any more.
    data = data[:head] + b"<< " + length + b" /Filter /FlateDecode >>" + data[end:]
    path = tmp_path / "skadet.pdf"
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text == "Første side\n"
    assert doc.warnings == ["page 2: damaged content stream, no text read"]


@pytest.mark.parametrize(
    ("name", "bold"),
    [
        ("ABCDEF+Arial-BoldMT", True),
        ("Arial,Bold", True),
        ("Arial,BoldItalic", True),
        ("Calibri-Black", True),
        ("FrutigerLTStd-Bd", True),
        ("Arial,B", True),
        ("Helvetica-Bold", True),
        ("Helvetica", False),
        ("ABCDEF+Calibri", False),
        ("TimesNewRomanPS-ItalicMT", False),
        ("Bodoni-Roman", False),
    ],
)
def test_bold_font_names(name: str, bold: bool) -> None:
    assert is_bold_font(name) is bold


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", True), ("- 3 -", True), ("Side 3", True), ("Side 3 af 12", True),
     ("Page 2 of 9", True), ("3/12", True), ("Side 3 Økonomi", False), ("2025-11-19", False),
     ("Punkt 3", False)],
)  # fmt: skip
def test_page_number_lines(text: str, expected: bool) -> None:
    assert is_page_number(text) is expected


# -------------------------------------------------------------------------- DOCX


def add_runs(paragraph: object, *items: tuple[str, str]) -> None:
    """Append runs: ("begin"|"separate"|"end", "") field chars, ("instr"|"t", text) text."""
    for kind, text in items:
        run = OxmlElement("w:r")
        if kind in ("begin", "separate", "end"):
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText" if kind == "instr" else "w:t")
            el.text = text
        run.append(el)
        paragraph._p.append(run)  # type: ignore[attr-defined]


def agenda_docx(path: Path) -> Path:
    document = docx.Document()
    props = document.core_properties
    props.title = "Referat Økonomiudvalget"
    props.subject = "Møde 19. november 2025"
    props.author = "Sekretariatet"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Glostrup Kommune – Referat"
    section.footer.paragraphs[0].text = "Side 1"
    document.add_paragraph("Referat", style="Title")
    table = document.add_table(rows=2, cols=2)
    for r, (label, value) in enumerate([("Mødedato:", "Onsdag den 19. november 2025"),
                                        ("Afbud:", "Lars Thomsen (U)")]):  # fmt: skip
        table.cell(r, 0).text = label
        table.cell(r, 1).text = value
    toc = document.add_paragraph("1.\tGodkendelse af dagsordenen\t")
    add_runs(toc, ("begin", ""), ("instr", " PAGEREF _Toc1 \\h "), ("separate", ""), ("t", "2"),
             ("end", ""))  # fmt: skip
    document.add_heading("1. Godkendelse af dagsordenen", level=1)
    document.add_heading("Sagsfremstilling", level=2)
    document.add_paragraph("Dagsordenen   forelægges.")
    bold = document.add_paragraph()
    bold.add_run("Beslutning").bold = True
    mixed = document.add_paragraph()
    mixed.add_run("Afbud: ").bold = True
    mixed.add_run("ingen")
    document.add_paragraph("Første punkt", style="List Bullet")
    document.add_paragraph("Andet punkt", style="List Number")
    grid = document.add_table(rows=3, cols=3)
    grid.cell(0, 0).merge(grid.cell(0, 1)).text = "Flettet"
    grid.cell(0, 2).text = "C"
    grid.cell(1, 0).merge(grid.cell(2, 0)).text = "Lodret"
    grid.cell(1, 1).text = "b"
    grid.cell(2, 1).text = "e"
    grid.cell(1, 2).text = "x"
    inner = grid.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "indre 1"
    inner.cell(0, 1).text = "indre 2"
    document.save(str(path))
    return path


def test_docx_light_markdown_lines(tmp_path: Path) -> None:
    doc = read_document(agenda_docx(tmp_path / "referat.docx"))
    assert doc.encoding == "docx" and doc.warnings == []
    assert doc.text.split("\n") == [
        "Referat",
        "Mødedato:\tOnsdag den 19. november 2025",
        "Afbud:\tLars Thomsen (U)",
        "1.\tGodkendelse af dagsordenen\t2",
        "# 1. Godkendelse af dagsordenen",
        "## Sagsfremstilling",
        "Dagsordenen forelægges.",
        "**Beslutning**",
        "Afbud: ingen",
        "- Første punkt",
        "Andet punkt",
        "Flettet\tC",  # a horizontally merged cell once
        "Lodret\tb\tx",
        # the row with a nested table is read as paragraphs: the vertically merged
        # continuation cell gives nothing, "e", then the cell with the flattened table
        "e",
        "",
        "indre 1\tindre 2",
        "",
    ]


def test_docx_headers_and_core_properties_go_to_metadata(tmp_path: Path) -> None:
    doc = read_document(agenda_docx(tmp_path / "referat.docx"))
    assert doc.metadata["running_header"] == "Glostrup Kommune – Referat"
    assert "Glostrup Kommune" not in doc.text and "PAGEREF" not in doc.text
    assert doc.metadata["title"] == "Referat Økonomiudvalget"
    assert doc.metadata["subject"] == "Møde 19. november 2025"
    assert doc.metadata["author"] == "Sekretariatet"
    assert len(doc.metadata["created"]) == 10 and doc.metadata["created"][4] == "-"


def test_docx_fields_keep_results_and_drop_instructions(tmp_path: Path) -> None:
    document = docx.Document()
    nested = document.add_paragraph("Svar: ")
    add_runs(
        nested,
        ("begin", ""), ("instr", " IF "),
        ("begin", ""), ("instr", " MERGEFIELD svar "), ("separate", ""), ("t", "1"), ("end", ""),
        ("instr", ' = "1" "Ja" "Nej" '), ("separate", ""), ("t", "Ja"), ("end", ""),
    )  # fmt: skip
    broken = document.add_paragraph("Uafsluttet ")
    add_runs(broken, ("begin", ""), ("instr", " PAGE "))
    document.add_paragraph("Næste afsnit")
    path = tmp_path / "felter.docx"
    document.save(str(path))
    assert read_document(path).text.splitlines() == ["Svar: Ja", "Uafsluttet", "Næste afsnit"]


def test_docx_outline_level_and_danish_style_ids_make_headings(tmp_path: Path) -> None:
    document = docx.Document()
    outlined = document.add_paragraph("Punkt med dispositionsniveau")
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "1")
    outlined._p.get_or_add_pPr().append(level)
    danish = document.add_paragraph("2.\tOrientering")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), "Overskrift1")  # no such style in styles.xml: the id is enough
    danish._p.get_or_add_pPr().insert(0, style)
    path = tmp_path / "niveauer.docx"
    document.save(str(path))
    assert read_document(path).text.splitlines() == [
        "## Punkt med dispositionsniveau",
        "# 2.\tOrientering",
    ]


def truncate_before_central_directory(data: bytes, keep: str) -> bytes:
    """Cut a DOCX right after the local entry ``keep`` (no central directory left)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = sorted(archive.infolist(), key=lambda i: i.header_offset)
    after = [
        i.header_offset for i in infos if i.header_offset > archive.getinfo(keep).header_offset
    ]
    return data[: after[0] + 10]


def test_truncated_docx_is_recovered_with_a_warning(tmp_path: Path) -> None:
    data = agenda_docx(tmp_path / "fuld.docx").read_bytes()
    path = tmp_path / "afkortet.docx"
    path.write_bytes(truncate_before_central_directory(data, "word/document.xml"))
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(path)
    doc = read_document(path)
    assert len(doc.warnings) == 1 and doc.warnings[0].startswith(
        "recovered text from a damaged DOCX ("
    )
    lines = doc.text.splitlines()
    # styles.xml comes after document.xml in python-docx's files: it is lost, but the
    # style ids ("Heading1") still tell the headings.
    assert "# 1. Godkendelse af dagsordenen" in lines and "## Sagsfremstilling" in lines
    assert "Mødedato:\tOnsdag den 19. november 2025" in lines
    assert "1.\tGodkendelse af dagsordenen\t2" in lines


def test_docx_cut_inside_document_xml_keeps_the_text_before_the_cut(tmp_path: Path) -> None:
    document = docx.Document()
    for number in range(1, 400):
        document.add_paragraph(f"Afsnit {number} med noget tekst om budgettet for året.")
    data = io.BytesIO()
    document.save(data)
    raw = data.getvalue()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    path = tmp_path / "midt.docx"
    path.write_bytes(raw[: start + info.compress_size // 2])
    doc = read_document(path)
    lines = doc.text.splitlines()
    assert lines[0] == "Afsnit 1 med noget tekst om budgettet for året."
    assert 20 < len(lines) < 399
    assert "cut off" in doc.warnings[0]


def test_unrecoverable_docx_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "gammel.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError, match="old binary Word"):
        read_document(path)
    path = tmp_path / "tom.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x14\x00\x00\x00\x08\x00" + b"\xff" * 200)
    with pytest.raises(ReadError, match="corrupt or unreadable DOCX"):
        read_document(path)


# ------------------------------------------------------------ Glostrup (real file)

GLOSTRUP_ITEMS = [
    "# 1.\tGodkendelse af dagsordenen",
    "# 2.\tOrientering fra borgmesteren",
    "# 3.\tAnsættelse af centerchef til Center for Glostrup Ejendomme",
    "# 4.\tOrientering fra borgmesteren - (FOR LUKKEDE DØRE)",
]


def glostrup(kind: str) -> Path:
    path = CORPUS / f"glostrup_oeu_2025-11-19_{kind}.docx"
    if not path.exists():
        pytest.skip(f"{CORPUS} is not available")
    return path


@pytest.mark.parametrize("kind", ["truncated", "repaired"])
def test_glostrup_items_are_heading_lines(kind: str) -> None:
    doc = read_document(glostrup(kind))
    lines = doc.text.splitlines()
    truth = json.loads((CORPUS / "truth.json").read_text(encoding="utf-8"))
    titles = [f"# {i['number']}.\t{i['title']}" for i in truth[0]["items"]]
    assert titles == GLOSTRUP_ITEMS
    assert [line for line in lines if line.startswith("# ") and line[2].isdigit()] == titles
    assert "Mødedato:\tOnsdag den 19. november 2025" in lines
    assert "Afbud:\tLars Thomsen (U), Torben Martinsen (V)" in lines
    assert "1.\tGodkendelse af dagsordenen\t2" in lines  # TOC entry, page number apart
    assert "## Beslutning i Økonomiudvalget den 19-11-2025" in lines
    assert "**Ansættelsesudvalget indstiller:**" in lines
    assert "PAGEREF" not in doc.text and "TOC \\o" not in doc.text
    assert "Glostrup Kommune den" in doc.metadata["running_header"]
    assert "Formandens initialer" not in doc.text
    recovered = [w for w in doc.warnings if w.startswith("recovered text from a damaged DOCX")]
    assert len(recovered) == (1 if kind == "truncated" else 0)


def test_glostrup_truncated_reads_like_the_repaired_copy() -> None:
    truncated = read_document(glostrup("truncated"))
    repaired = read_document(glostrup("repaired"))
    assert truncated.text == repaired.text
    assert truncated.metadata == repaired.metadata


# -------------------------------------------------------------------------- HTML


def test_html_cp1252_without_charset(tmp_path: Path) -> None:
    path = tmp_path / "side.htm"
    path.write_bytes("<html><body><p>Mødet på Rådhuset: æøå ÆØÅ</p></body></html>".encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Mødet på Rådhuset: æøå ÆØÅ\n" and doc.encoding == "cp1252"


def test_html_declared_charset_wins_over_utf8_guess(tmp_path: Path) -> None:
    path = tmp_path / "erklaeret.html"
    # The bytes are valid UTF-8 ("æ"), but the page says windows-1252: the page decides the
    # decoding ("Ã¦"), and the mojibake repair (ingest/mojibake.py) then gives back the "æ"
    # the page's author wrote, saying so in the warnings.
    path.write_bytes(
        b'<html><head><meta charset="windows-1252"><title>Dagsorden</title></head>'
        b"<body><p>\xc3\xa6</p></body></html>"
    )
    doc = read_document(path)
    assert doc.encoding == "cp1252" and "æ" in doc.text and "Ã¦" not in doc.text
    assert any(w.startswith("text repaired: mojibake (UTF-8 read as cp1252)")
               for w in doc.warnings)


def test_html_http_equiv_charset_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "meta.html"
    path.write_bytes(
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=iso-8859-1'>"
        "<title>  Referat   KKR  </title><meta name='description' content='Møde i KKR'>"
        "</head><body><h2>Beslutning</h2><p>Godkendt – æøå</p></body></html>".encode("cp1252")
    )
    doc = read_document(path)
    assert doc.metadata == {"title": "Referat KKR", "subject": "Møde i KKR"}
    assert doc.text.splitlines() == ["Referat KKR", "", "## Beslutning", "", "Godkendt – æøå"]


def test_html_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bred.html"
    path.write_bytes("<html><body><p>Økonomi – æøå</p></body></html>".encode("utf-16"))
    doc = read_document(path)
    assert doc.text == "Økonomi – æøå\n" and doc.encoding == "utf-16"


# -------------------------------------------------------------------- extensions


def test_upper_case_extensions_read(tmp_path: Path) -> None:
    pdf = agenda_pdf(tmp_path / "DAGSORDEN.PDF")
    word = agenda_docx(tmp_path / "REFERAT.DOCX")
    html = tmp_path / "SIDE.HTM"
    html.write_bytes(b"<p>Dagsorden</p>")
    assert read_document(pdf).text.startswith("# Dagsorden for Økonomiudvalget\n")
    assert read_document(word).text.startswith("Referat\n")
    assert read_document(html).text == "Dagsorden\n"
    (tmp_path / "firstagenda.JSON").write_text("{}")
    assert [p.name for p in iter_source_files([tmp_path])] == [
        "DAGSORDEN.PDF",
        "REFERAT.DOCX",
        "SIDE.HTM",
        "firstagenda.JSON",
    ]


def test_json_is_a_source_but_not_read_here(tmp_path: Path) -> None:
    assert ".json" in SUPPORTED_EXTENSIONS
    path = tmp_path / "moede.json"
    path.write_text('{"agenda": []}')
    with pytest.raises(ReadError, match="FirstAgenda reader") as info:
        read_document(path)
    assert info.value.path == str(path)
