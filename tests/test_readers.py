"""Readers: every supported format to text, and a clear ReadError for every bad file."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from conftest import raw_pdf

from ingest.errors import ReadError
from ingest.parser import parse_meeting
from ingest.readers import SUPPORTED_EXTENSIONS, iter_source_files, read_document

SAMPLES = Path(__file__).parents[1] / "data" / "samples" / "kkr-midtjylland"


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF (Helvetica, WinAnsi) showing ``lines``; xref offsets exact."""

    def escape(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " ".join(f"({escape(line)}) Tj T*" for line in lines)
    content = f"BT /F1 12 Tf 14 TL 72 720 Td {shown} ET".encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return raw_pdf(objects)


# ------------------------------------------------------------------------ text


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfDagsorden \xc3\xa6\xc3\xb8\xc3\xa5\r\nlinje 2\r\n")
    doc = read_document(path)
    assert doc.text == "Dagsorden æøå\nlinje 2\n"
    assert doc.encoding == "utf-8-sig" and doc.path == str(path)


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Referat – Økonomiudvalget\n".encode("utf-16"))
    doc = read_document(path)
    assert doc.text == "Referat – Økonomiudvalget\n" and doc.encoding == "utf-16"


def test_cp1252_fallback(tmp_path: Path) -> None:
    path = tmp_path / "windows.md"
    path.write_bytes("Sted: Rådhuset, Århus – æøå ÆØÅ\rslut".encode("cp1252"))
    doc = read_document(path)
    assert doc.text == "Sted: Rådhuset, Århus – æøå ÆØÅ\nslut"
    assert doc.encoding == "cp1252" and doc.warnings


def test_plain_utf8_samples_read_unchanged() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = read_document(path)
        assert doc.text == path.read_text(encoding="utf-8") and doc.encoding == "utf-8"


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \r\n"])
def test_empty_file_is_a_read_error_naming_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tom.txt"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert info.value.path == str(path) and str(path) in str(info.value)
    assert "empty" in info.value.problem


def test_binary_garbage_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(os.urandom(4096) + b"\x00\x01\x02")
    with pytest.raises(ReadError, match="binary"):
        read_document(path)


def test_control_character_soup_without_nuls_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "soup.md"
    path.write_bytes(bytes(range(1, 32)) * 50 + b"tekst")
    with pytest.raises(ReadError, match="binary"):
        read_document(path)


@pytest.mark.parametrize("name", ["regneark.xlsx", "noextension", "billede.png"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"data")
    with pytest.raises(ReadError, match="unsupported file type") as info:
        read_document(path)
    assert info.value.path == str(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read"):
        read_document(tmp_path / "findes-ikke.txt")


# ------------------------------------------------------------------------ docx


def test_docx_paragraphs_and_tables_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Referat fra møde i KD-Net, den 4. november 2022")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("Punkt", "Indhold", "Bilag"), ("1", "Godkendelse", ""),
                             ("2", "Kommende møder", "./.")]):  # fmt: skip
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("1. Godkendelse v. Jesper Kaas Schmidt")
    document.add_paragraph("Referat: Godkendt.")
    path = tmp_path / "kdnet.docx"
    document.save(str(path))
    doc = read_document(path)
    assert doc.encoding == "docx"
    assert doc.text.splitlines() == [
        "Referat fra møde i KD-Net, den 4. november 2022",
        "Punkt\tIndhold\tBilag",
        "1\tGodkendelse\t",
        "2\tKommende møder\t./.",
        "1. Godkendelse v. Jesper Kaas Schmidt",
        "Referat: Godkendt.",
    ]


def test_generated_docx_agenda_parses(tmp_path: Path) -> None:
    document = docx.Document()
    for line in [
        "KKR Midtjylland",
        "Dagsorden",
        "Dato: 08-04-2025 10:00",
        "Sted: Scandic, Silkeborg",
        "1.1. Godkendelse af referat",
        "Baggrund",
        "Referatet kan ses her.",
        "Indstilling",
        "Det indstilles, at referatet godkendes.",
    ]:
        document.add_paragraph(line)
    path = tmp_path / "agenda.docx"
    document.save(str(path))
    meeting = parse_meeting(read_document(path))
    assert (meeting.body, meeting.date, meeting.doc_type) == (
        "KKR Midtjylland",
        "2025-04-08",
        "dagsorden",
    )
    assert meeting.items[0].proposal == "Det indstilles, at referatet godkendes."


def test_corrupt_docx_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(ReadError, match="corrupt or unreadable DOCX") as info:
        read_document(path)
    assert info.value.path == str(path)


# ------------------------------------------------------------------------ html


def test_html_blocks_tables_and_entities(tmp_path: Path) -> None:
    path = tmp_path / "side.html"
    path.write_text(
        "<html><head><title>Dagsorden</title><style>p {color: red}</style></head><body>"
        "<h1>KKR Midtjylland</h1><p>Dato: 21-11-2023 <b>10:00</b></p>"
        "<table><tr><td>1.</td><td>Godkendelse af referat</td><td>3</td></tr></table>"
        "<ul><li>Punkt &amp; emne</li></ul><script>alert('x')</script>"
        "<p>Linje<br>to</p></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path)
    lines = [line for line in doc.text.splitlines() if line]
    assert lines == [
        "Dagsorden",
        "# KKR Midtjylland",
        "Dato: 21-11-2023 10:00",
        "1.\tGodkendelse af referat\t3",
        "- Punkt & emne",
        "Linje",
        "to",
    ]


# ------------------------------------------------------------------------- pdf


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "referat.pdf"
    path.write_bytes(
        make_pdf(["Referat KKR Midtjylland", "Dato: 10-02-2023 10:00", "Rådhus (æøå)"])
    )
    doc = read_document(path)
    assert doc.encoding == "pdf"
    assert doc.text.splitlines()[:3] == [
        "Referat KKR Midtjylland",
        "Dato: 10-02-2023 10:00",
        "Rådhus (æøå)",
    ]


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", b"not a pdf at all", b"%PDF-"],
)
def test_corrupt_pdf_is_a_read_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert info.value.path == str(path)
    assert "PDF" in info.value.problem


def test_truncated_pdf_is_a_read_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(make_pdf(["Dagsorden"])[:120])
    with pytest.raises(ReadError):
        read_document(path)


# ---------------------------------------------------------------- source files


def test_iter_source_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for rel in ["b/2.pdf", "a.txt", "b/1.DOCX", "c.htm", ".hidden.txt", ".git/x.txt", "d.xlsx",
                "README.md", "b/License.txt", "readme-first.txt"]:
        (tmp_path / rel).write_bytes(b"x")
    found = iter_source_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.txt",
        "b/1.DOCX",
        "b/2.pdf",
        "c.htm",
        "readme-first.txt",  # only the conventional names document a folder
    ]
    explicit = iter_source_files([tmp_path / "d.xlsx", tmp_path / "a.txt", tmp_path / "a.txt"])
    assert explicit == [tmp_path / "a.txt", tmp_path / "d.xlsx"]
    # a folder's README named explicitly is read like any file
    assert iter_source_files([tmp_path / "README.md"]) == [tmp_path / "README.md"]
    with pytest.raises(ReadError, match="no such file"):
        iter_source_files([tmp_path / "missing"])
    assert set(SUPPORTED_EXTENSIONS) == {".txt", ".md", ".pdf", ".docx", ".html", ".htm", ".json"}
