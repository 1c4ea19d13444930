"""Hostile and broken input files through the real ingest pipeline (issue 13).

Each case ingests a folder into a real temporary Chroma (fake embedder) that already holds
documents: a sample meeting, and a good version of the very file that is now broken.  The
batch holds the hostile file plus two more sample meetings.  Refused files must come back as
one clear error naming the file and the problem; the rest of the batch must be stored; what
was stored before (the good version of the broken file included) must be untouched; and no
exception may escape.  Files the readers can read despite their quirks must be stored.

All files are generated here (reportlab/pypdf for PDFs, python-docx plus a hand-written ZIP
for DOCX); the limits they run into are those of ``ingest.limits``.
"""

from __future__ import annotations

import functools
import io
import shutil
import struct
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import raw_pdf
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ingest import limits
from ingest.errors import ReadError
from ingest.pipeline import FileError, source_key
from ingest.readers import read_document

MEETING = [
    "Referat",
    "Økonomiudvalget",
    "Dato: 03-05-2024 17:00",
    "Sted: Rådhuset, mødelokale 2",
    "1. Godkendelse af dagsorden",
    "Beslutning",
    "Dagsordenen blev godkendt.",
    "2. Budgetopfølgning for året",
    "Indstilling",
    "Det indstilles, at Økonomiudvalget tager budgetopfølgningen til efterretning.",
]
DANISH = "Mødet blev holdt på Rådhuset. Særlige bemærkninger: ÆØÅ æøå – “citat”"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_SECONDS = 20.0
"""No single hostile file may hold the run longer than this (they take well under 1 s)."""


# ----------------------------------------------------------------------- builders


def pdf_bytes(lines: list[str], pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(pages):
        y = 800
        for line in lines:
            c.drawString(72, y, line if pages == 1 else f"{line} ({page + 1})")
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(user: str, owner: str, algorithm: str) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(MEETING))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user, owner_password=owner, algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    """A scanned page: one picture of text, no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).text((10, 10), "Referat Byrådet 3. maj 2024", fill="black")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.drawImage(ImageReader(image), 72, 500, 450, 150)
    c.showPage()
    c.save()
    return buf.getvalue()


CONTENT = (b"BT /F1 12 Tf 14 TL 72 720 Td (Referat af m\xf8de i Byr\xe5det) Tj T* "
           b"(1. Godkendelse af dagsorden) Tj T* (Dagsordenen blev godkendt.) Tj ET")
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
PAGE = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")  # fmt: skip


def stream(content: bytes, length: bytes | None = None) -> bytes:
    return b"<< /Length %s >>\nstream\n" % (length or b"%d" % len(content)) + content + (
        b"\nendstream"
    )


def looping_pdf(kind: str) -> bytes:
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    pages = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    if kind == "xref-prev":  # the xref section's /Prev points at itself
        return raw_pdf([catalog, pages, PAGE, stream(CONTENT), FONT], b"/Prev XREF ")
    if kind == "page-tree":  # the page tree lists itself among its kids
        tree = b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>"
        return raw_pdf([catalog, tree, PAGE, stream(CONTENT), FONT])
    if kind == "form-xobject":  # a form that draws itself, outlines that refer in a circle
        page = PAGE.replace(b"/F1 5 0 R >>", b"/F1 5 0 R >> /XObject << /X1 8 0 R >>")
        form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources "
                b"<< /XObject << /X1 8 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream")
        catalog = b"<< /Type /Catalog /Pages 2 0 R /Outlines 6 0 R >>"
        return raw_pdf([catalog, pages, page, stream(CONTENT + b" /X1 Do"), FONT,
                        b"7 0 R", b"6 0 R", form])  # fmt: skip
    if kind == "only-itself":  # a page tree whose only kid is itself: no page at all
        return raw_pdf([catalog, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])
    if kind == "stream-length":  # the content stream's /Length refers to the stream itself
        return raw_pdf([catalog, pages, PAGE, stream(CONTENT, b"4 0 R"), FONT])
    raise ValueError(kind)


def docx_bytes(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _zip(entries: list[tuple[str, bytes, int, int]], hide: str = "") -> bytes:
    """A ZIP from (name, raw deflate data, crc32, unpacked size) entries; the local header
    of entry ``hide`` states no sizes (flag 8: "sizes follow the data", as streamed ZIPs)."""
    out, central = bytearray(), bytearray()
    for name, raw, crc, size in entries:
        encoded = name.encode()
        offset = len(out)
        local = (8, 0, 0, 0) if name == hide else (0, crc, len(raw), size)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, local[0], 8, 0, 0, *local[1:],
                           len(encoded), 0) + encoded + raw  # fmt: skip
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc,
                               len(raw), size, len(encoded), 0, 0, 0, 0, 0, offset)
        central += encoded
    start = len(out)
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                                 len(central), start, 0)  # fmt: skip
    return bytes(out)


def _deflate(data: bytes, final: bool = True) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


@functools.cache
def zip_bomb_docx(megabytes: int = 1024, hide_size: bool = False) -> bytes:
    """A DOCX whose word/document.xml unpacks to ``megabytes`` MB (about 1 MB packed).

    One deflated MB of spaces is repeated: full-flushed deflate blocks may be concatenated.
    """
    head = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
            f'xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Referat').encode()  # fmt: skip
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    spaces = b" " * (1 << 20)
    raw = _deflate(head, False) + _deflate(spaces, False) * megabytes + _deflate(tail)
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + megabytes * len(spaces) + len(tail)
    template = zipfile.ZipFile(io.BytesIO(docx_bytes(["Referat"])))
    entries = []
    for info in template.infolist():
        if info.filename == "word/document.xml":
            entries.append((info.filename, raw, crc, size))
        else:
            data = template.read(info)
            entries.append((info.filename, _deflate(data), zlib.crc32(data), len(data)))
    return _zip(entries, hide="word/document.xml" if hide_size else "")


def _replace_document_xml(package: bytes, xml: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return out.getvalue()


def billion_laughs_docx(where: str) -> bytes:
    """A DOCX whose document.xml declares nested entities (10^9 "lol"s when expanded)."""
    entities = ['<!ENTITY lol0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    padding = "<!--" + " " * 100_000 + "-->" if where == "after-long-comment" else ""
    attribute = ' xml:space="&lol9;"' if where == "attribute" else ""
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{padding}'
           f'<!DOCTYPE w:document [{"".join(entities)}]><w:document xmlns:w="{W_NS}"><w:body>'
           f'<w:p><w:r><w:t{attribute}>Referat &lol9;</w:t></w:r></w:p></w:body></w:document>')
    return _replace_document_xml(docx_bytes(["Referat"]), xml.encode())


def big_text(megabytes: int) -> Callable[[Path], None]:
    line = ("Det indstilles, at Økonomiudvalget godkender budgettet for året på rådhuset.\n"
            * 1000).encode()  # fmt: skip

    def write(path: Path) -> None:
        with path.open("wb") as out:
            for _ in range(megabytes * limits.MB // len(line) + 1):
                out.write(line)
            out.truncate(megabytes * limits.MB)

    return write


HTML = ("<html><head><title>Referat æøå</title>{meta}</head><body><h1>Økonomiudvalget</h1>"
        "<p>" + DANISH + "</p><h2>1. Godkendelse af dagsorden</h2><p>Godkendt.</p>"
        "</body></html>")  # fmt: skip


# -------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    write: Callable[[Path], None]
    problem: str | None
    """A phrase the error must contain; None: the file is readable and must be stored."""
    expect_text: tuple[str, ...] = ()
    """For stored files: text the stored document must contain (letters intact)."""


def data(content: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(content() if callable(content) else content)

    return write


GARBAGE = bytes((i * 7919 + 13) % 256 for i in range(20_000))
"""Fixed pseudo-random bytes (no %PDF header, no ZIP signature)."""

REFUSED = [
    Case("empty-txt", "tom.txt", data(b""), "the file is empty"),
    Case("empty-pdf", "tom.pdf", data(b""), "the file is empty"),
    Case("empty-docx", "tom.docx", data(b"  \n"), "the file is empty"),
    Case("garbage-pdf", "skrald.pdf", data(GARBAGE), "not a PDF file"),
    Case("garbage-docx", "skrald.docx", data(GARBAGE), "not a DOCX file"),
    Case("truncated-pdf", "afbrudt download.pdf",
         data(lambda: pdf_bytes(MEETING, pages=3)[:2500]),
         "the PDF is incomplete: the file is cut off"),  # fmt: skip
    Case("encrypted-pdf-rc4", "fortroligt referat.pdf",
         data(lambda: encrypted_pdf("hemmelig", "ejer", "RC4-128")),
         "the PDF is encrypted; a password is needed"),  # fmt: skip
    Case("encrypted-pdf-aes256", "fortroligt referat.pdf",
         data(lambda: encrypted_pdf("hemmelig", "ejer", "AES-256")),
         "the PDF is encrypted; a password is needed"),  # fmt: skip
    Case("image-only-pdf", "scannet referat.pdf", data(image_only_pdf),
         "no text layer (its pages are images, e.g. a scan); OCR is not supported"),  # fmt: skip
    Case("pdf-page-tree-only-itself", "løkke.pdf", data(lambda: looping_pdf("only-itself")),
         "corrupt or unreadable PDF"),  # fmt: skip
    Case("pdf-stream-length-loop", "løkke.pdf", data(lambda: looping_pdf("stream-length")),
         "circular references between objects"),  # fmt: skip
    Case("docx-zip-bomb", "bombe.docx", data(zip_bomb_docx),
         "the DOCX is refused: its part word/document.xml unpacks to 1024.0 MB, above the "
         "limit of 32.0 MB (a zip bomb?)"),  # fmt: skip
    Case("docx-zip-bomb-damaged-directory", "bombe.docx", data(lambda: zip_bomb_docx()[:-200]),
         "its part word/document.xml unpacks to 1024.0 MB, above the limit of 32.0 MB"),
    Case("docx-zip-bomb-no-sizes-damaged-directory", "bombe.docx",
         data(lambda: zip_bomb_docx(hide_size=True)[:-200]),
         "its part word/document.xml unpacks to more than 32.0 MB (a zip bomb?)"),  # fmt: skip
    Case("docx-billion-laughs", "latter.docx", data(lambda: billion_laughs_docx("text")),
         "word/document.xml declares XML entities (<!DOCTYPE>)"),  # fmt: skip
    Case("docx-billion-laughs-attribute", "latter.docx",
         data(lambda: billion_laughs_docx("attribute")),
         "word/document.xml declares XML entities (<!DOCTYPE>)"),  # fmt: skip
    Case("docx-billion-laughs-after-long-comment", "latter.docx",
         data(lambda: billion_laughs_docx("after-long-comment")),
         "declares XML entities (<!DOCTYPE>)"),  # fmt: skip
    Case("text-50-mb", "dump.txt", big_text(50),
         "the file is too large (50.0 MB; text files above 20.0 MB are not read)"),
]

STORED = [
    Case("pdf-owner-password-only-rc4", "ejerkode.pdf",
         data(lambda: encrypted_pdf("", "ejer", "RC4-128")), None,
         ("Økonomiudvalget", "tager budgetopfølgningen til efterretning")),  # fmt: skip
    Case("pdf-owner-password-only-aes256", "ejerkode.pdf",
         data(lambda: encrypted_pdf("", "ejer", "AES-256")), None,
         ("Økonomiudvalget", "tager budgetopfølgningen til efterretning")),  # fmt: skip
    Case("pdf-xref-prev-loop", "løkke.pdf", data(lambda: looping_pdf("xref-prev")), None,
         ("Referat af møde i Byrådet", "Dagsordenen blev godkendt.")),  # fmt: skip
    Case("pdf-page-tree-loop", "løkke.pdf", data(lambda: looping_pdf("page-tree")), None,
         ("Referat af møde i Byrådet", "Dagsordenen blev godkendt.")),  # fmt: skip
    Case("pdf-self-drawing-form", "løkke.pdf", data(lambda: looping_pdf("form-xobject")), None,
         ("Referat af møde i Byrådet", "Dagsordenen blev godkendt.")),  # fmt: skip
    Case("html-cp1252", "side.html", data(HTML.format(meta="").encode("cp1252")), None,
         ("# Økonomiudvalget", DANISH)),  # fmt: skip
    Case("html-utf16-bom", "side.html",
         data(HTML.format(meta='<meta charset="utf-16">').encode("utf-16")), None,
         ("# Økonomiudvalget", DANISH)),  # fmt: skip
    Case("html-misdeclared-utf8", "side.html",
         data(HTML.format(meta='<meta charset="utf-8">').encode("cp1252")), None,
         ("# Økonomiudvalget", DANISH)),  # fmt: skip
    Case("html-misdeclared-http-equiv", "side.htm",
         data(HTML.format(meta='<meta http-equiv="Content-Type" content="text/html; '
                               'charset=utf-8">').encode("cp1252")), None,
         ("# Økonomiudvalget", DANISH)),  # fmt: skip
    Case("danish-file-name", "Referat æøå møde 2024.pdf", data(lambda: pdf_bytes(MEETING)),
         None, ("Sted: Rådhuset, mødelokale 2",)),  # fmt: skip
]


# ------------------------------------------------------------------------ harness


def _snapshot(services: Any) -> tuple[dict[str, tuple[str, list[str]]], dict[str, list[str]]]:
    """Every stored document (hash, sources) and the chunk ids of every source."""
    documents = {
        r.source: (r.doc_hash, list(r.payload.get("sources") or []))
        for r in services.store.all_documents()
    }
    ids, _, metas = services.store.all_chunks()
    chunks: dict[str, list[str]] = {}
    for chunk_id, meta in zip(ids, metas, strict=True):
        chunks.setdefault(str(meta["source"]), []).append(chunk_id)
    return documents, {k: sorted(v) for k, v in chunks.items()}


def _good_version(name: str) -> bytes:
    """A readable meeting document of the file's type (stored before it is broken)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return pdf_bytes(MEETING)
    if suffix == ".docx":
        return docx_bytes(MEETING)
    return "\n".join(MEETING).encode("utf-8")


@pytest.fixture()
def archive(tmp_path: Path, sample_dir: Path) -> tuple[Path, list[Path]]:
    """An archive folder with one sample meeting, and two more samples for the batch."""
    folder = tmp_path / "arkiv"
    folder.mkdir()
    samples = sorted(sample_dir.glob("*.txt"))
    shutil.copy(samples[0], folder)
    later = [Path(shutil.copy(s, tmp_path / s.name)) for s in samples[1:3]]
    return folder, later


@pytest.mark.parametrize("case", REFUSED, ids=[c.id for c in REFUSED])
def test_hostile_file_is_refused_and_nothing_else_is_lost(
    case: Case, hash_services: Any, archive: tuple[Path, list[Path]]
) -> None:
    folder, later = archive
    path = folder / case.name
    path.write_bytes(_good_version(case.name))
    first = hash_services.ingestor.ingest([folder])
    assert (first.ingested, first.errors) == (2, []), first.as_dict()
    before_docs, before_chunks = _snapshot(hash_services)
    assert source_key(path) in before_docs

    case.write(path)  # the stored file is overwritten by its broken version
    for sample in later:
        shutil.move(sample, folder / sample.name)
    started = time.perf_counter()
    report = hash_services.ingestor.ingest([folder])
    elapsed = time.perf_counter() - started

    assert report.errors == [FileError(str(path), report.errors[0].reason)], report.as_dict()
    assert case.problem is not None and case.problem in report.errors[0].reason
    assert (report.documents, report.ingested, report.skipped_unchanged) == (4, 2, 1)
    assert elapsed < MAX_SECONDS, elapsed
    after_docs, after_chunks = _snapshot(hash_services)
    for source, stored in before_docs.items():  # the broken file's good version included
        assert after_docs[source] == stored
        assert after_chunks[source] == before_chunks[source]
    for sample in later:
        assert source_key(folder / sample.name) in after_docs
        assert after_chunks[source_key(folder / sample.name)]


@pytest.mark.parametrize("case", STORED, ids=[c.id for c in STORED])
def test_odd_but_readable_file_is_stored_with_the_batch(
    case: Case, hash_services: Any, archive: tuple[Path, list[Path]]
) -> None:
    folder, later = archive
    first = hash_services.ingestor.ingest([folder])
    before_docs, before_chunks = _snapshot(hash_services)
    assert first.ingested == 1

    path = folder / case.name
    case.write(path)
    for sample in later:
        shutil.move(sample, folder / sample.name)
    started = time.perf_counter()
    report = hash_services.ingestor.ingest([folder])
    assert time.perf_counter() - started < MAX_SECONDS

    assert (report.errors, report.ingested, report.skipped_unchanged) == ([], 3, 1), (
        report.as_dict()
    )
    assert source_key(path) in report.ingested_sources
    record = hash_services.store.get_document(source_key(path))
    assert record is not None and record.payload["sources"] == [source_key(path)]
    for expected in case.expect_text:
        assert expected in record.payload["text"], (expected, record.payload["text"])
    assert "\ufffd" not in record.payload["text"] and "Ã" not in record.payload["text"]
    _, texts, metas = hash_services.store.all_chunks()
    assert any(m["source"] == source_key(path) for m in metas)
    after_docs, after_chunks = _snapshot(hash_services)
    for source, stored in before_docs.items():
        assert after_docs[source] == stored and after_chunks[source] == before_chunks[source]


def test_same_content_under_two_names_is_stored_once_with_both_listed(
    hash_services: Any, archive: tuple[Path, list[Path]]
) -> None:
    folder, _ = archive
    original = folder / "Referat æøå møde 2024.pdf"
    original.write_bytes(pdf_bytes(MEETING))
    copy = folder / "kopi af referat.pdf"
    shutil.copyfile(original, copy)
    report = hash_services.ingestor.ingest([folder])
    assert (report.errors, report.ingested, report.duplicates) == ([], 2, 1)
    sources = {source_key(original), source_key(copy)}
    records = [r for r in hash_services.store.all_documents() if r.source in sources]
    assert len(records) == 1 and set(records[0].payload["sources"]) == sources
    _, _, metas = hash_services.store.all_chunks()
    assert {m["source"] for m in metas} & sources == {records[0].source}


# ----------------------------------------------------------------- limits, directly


def _peak_bytes(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_50_mb_text_file_is_refused_without_being_read(
    tmp_path: Path, hash_services: Any
) -> None:
    """Reading would allocate at least the file's 50 MB (decoding needs as much again);
    refusing it on its size must stay below a tenth of that."""
    path = tmp_path / "dump.txt"
    big_text(50)(path)
    hash_services.store.all_documents()  # open Chroma outside the measurement
    peak = _peak_bytes(lambda: hash_services.ingestor.ingest([path]))
    assert peak < path.stat().st_size / 10, peak


def test_text_just_under_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TEXT_FILE_BYTES", 2 * limits.MB)
    path = tmp_path / "stor.txt"
    big_text(1)(path)
    assert read_document(path).text.startswith("Det indstilles")
    big_text(3)(path)
    with pytest.raises(ReadError, match=r"too large \(3.0 MB; text files above 2.0 MB"):
        read_document(path)


def test_zip_bomb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    """The 1 GB part is refused on its declared size, whether the ZIP directory (zipfile) or,
    with the directory cut off, the local header (recovery scanner) declares it: memory stays
    at a few copies of the ~1 MB file.  Where no size is declared anywhere, the scanner
    inflates up to the 32 MB cap and no further (zlib's growing output buffer may briefly
    hold the cap twice, hence 3x)."""
    path = tmp_path / "bombe.docx"
    bomb = zip_bomb_docx()
    for data in (bomb, bomb[:-200]):
        path.write_bytes(data)
        peak = _peak_bytes(lambda: pytest.raises(ReadError, read_document, path))
        assert peak < 4 * len(bomb), peak
    path.write_bytes(zip_bomb_docx(hide_size=True)[:-200])
    peak = _peak_bytes(lambda: pytest.raises(ReadError, read_document, path))
    assert peak < 3 * limits.MAX_DOCX_XML_BYTES, peak


def test_docx_over_the_unpacked_total_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_DOCX_UNPACKED_BYTES", 10 * limits.MB)
    path = tmp_path / "stor.docx"
    path.write_bytes(zip_bomb_docx(megabytes=12))
    with pytest.raises(ReadError, match=r"it unpacks to 12.\d MB, above the limit of 10.0 MB"):
        read_document(path)


def test_pdf_reading_stops_at_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "langsom.pdf"
    path.write_bytes(pdf_bytes(MEETING, pages=3))
    assert read_document(path).text.count("Økonomiudvalget") == 3
    monkeypatch.setattr(limits, "MAX_PDF_SECONDS", 0.0)
    with pytest.raises(ReadError, match=r"took longer than 0 s: stopped at page 1 of 3"):
        read_document(path)


def test_scanned_page_among_text_pages_is_a_warning(tmp_path: Path) -> None:
    writer = PdfWriter()
    for source in (pdf_bytes(MEETING), image_only_pdf()):
        for page in PdfReader(io.BytesIO(source)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "blandet.pdf"
    path.write_bytes(out.getvalue())
    doc = read_document(path)
    assert "Økonomiudvalget" in doc.text
    assert "pages with images but no text layer were not read (no OCR): 2" in doc.warnings


def test_an_unexpected_reader_failure_is_reported_not_raised(
    hash_services: Any, archive: tuple[Path, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader bug on some odd file (here: the parser raising) must not stop the batch."""
    import ingest.pipeline as pipeline

    folder, _ = archive
    odd = folder / "underlig.txt"
    odd.write_text("\n".join(MEETING), encoding="utf-8")
    real = pipeline.parse_meeting

    def parse(doc: Any, hints: Any = None, **options: Any) -> Any:
        if doc.path.endswith("underlig.txt"):
            raise IndexError("list index out of range")
        return real(doc, hints, **options)

    monkeypatch.setattr(pipeline, "parse_meeting", parse)
    report = hash_services.ingestor.ingest([folder])
    assert report.ingested == 1
    assert report.errors == [FileError(str(odd), "unexpected error while reading the file "
                                                 "(IndexError: list index out of range)")]
