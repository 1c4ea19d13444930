"""Readers: one file (.txt, .md, .pdf, .docx, .html/.htm) -> ``Document`` with plain text.

Every problem with a file surfaces as ``ReadError(path, problem)``; library exceptions
from pypdf / python-docx / BeautifulSoup are wrapped, never leaked.  Text files are decoded
by BOM (UTF-8, UTF-16, UTF-32), then strict UTF-8, then cp1252 (Danish Windows files);
newlines are normalised to ``\\n`` and text to Unicode NFC.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import ReadError
from .models import Document

SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl"})
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01
_BLOCK_TAGS = (
    "p", "div", "li", "tr", "table", "ul", "ol", "section", "article", "header", "footer",
    "blockquote", "pre", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "title",
)  # fmt: skip

Reader = Callable[[Path, bytes], tuple[str, str, list[str]]]


def read_document(path: str | Path) -> Document:
    """Read one file into a Document; raises ReadError naming the file on any problem."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext not in _READERS:
        kinds = ", ".join(SUPPORTED_EXTENSIONS)
        raise ReadError(str(p), f"unsupported file type '{ext or p.name}' (supported: {kinds})")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(str(p), f"cannot read the file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ReadError(str(p), "the file is empty")
    text, encoding, warnings = _READERS[ext](p, data)
    text = normalize_text(text)
    if ext in (".pdf", ".docx"):
        # Extracted text: stray control characters come from fonts, not from binary input.
        text, removed = _CONTROL_RE.subn("", text)
        if removed:
            warnings.append(f"removed {removed} control characters")
    else:
        _reject_binary(p, text)
    if not text.strip():
        raise ReadError(str(p), "no text could be extracted (empty or image-only document)")
    return Document(path=str(p), text=text, encoding=encoding, warnings=warnings)


def iter_source_files(paths: Iterable[str | Path]) -> list[Path]:
    """Supported files under ``paths`` (files or folders, recursive), sorted, no hidden ones.

    A file named explicitly is always returned, so that an unsupported one is reported by
    ``read_document`` instead of silently skipped.  A path that does not exist raises
    ReadError.
    """
    found: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            for child in path.rglob("*"):
                rel = child.relative_to(path).parts
                if child.is_file() and not any(part.startswith(".") for part in rel):
                    if child.suffix.lower() in SUPPORTED_EXTENSIONS:
                        found.add(child)
        else:
            raise ReadError(str(path), "no such file or folder")
    return sorted(found, key=lambda p: str(p))


def normalize_text(text: str) -> str:
    """Newlines to ``\\n``, NFC, ligatures expanded, NULs and BOMs dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\ufeff", "")
    text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", text).translate(_LIGATURES)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode text bytes: BOM, then strict UTF-8, then cp1252 -> (text, encoding)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _reject_binary(path: Path, text: str) -> None:
    controls = len(_CONTROL_RE.findall(text))
    replaced = text.count("\ufffd")
    if controls + replaced > max(2, _MAX_CONTROL_SHARE * len(text)):
        raise ReadError(str(path), "the file looks like binary data, not text")


def _read_text(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    if b"\x00" in data[:4096] and not data.startswith(tuple(b for b, _ in _BOMS)):
        raise ReadError(str(path), "the file looks like binary data, not text")
    text, encoding = decode_bytes(data)
    warnings = [] if encoding != "cp1252" else ["not UTF-8; decoded as cp1252"]
    return text, encoding, warnings


def _read_pdf(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ReadError(str(path), "not a PDF file (no %PDF header)")
    from pypdf import PdfReader

    warnings: list[str] = []
    pages: list[str] = []
    # pypdf raises many exception types on damaged files (PdfReadError, ValueError,
    # KeyError, zlib errors...); all of them mean "this PDF cannot be read".
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(str(path), "the PDF is encrypted")
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text() or "")
            except Exception as exc:  # one bad page must not lose the rest
                warnings.append(f"page {number}: text extraction failed ({exc})")
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(str(path), f"corrupt or unreadable PDF ({exc})") from exc
    return "\n\n".join(pages), "pdf", warnings


def _read_docx(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    import docx
    from docx.table import Table

    # python-docx raises zipfile/KeyError/lxml/ValueError on damaged packages.
    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                blocks.extend(_table_rows(block))
            else:
                blocks.append(block.text)
    except Exception as exc:
        raise ReadError(str(path), f"corrupt or unreadable DOCX ({exc})") from exc
    return "\n".join(blocks), "docx", []


def _table_rows(table: object) -> list[str]:
    """One line per table row, cells joined by TAB (merged cells only once)."""
    rows: list[str] = []
    for row in getattr(table, "rows", []):
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        rows.append("\t".join(cells))
    return rows


def _read_html(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    from bs4 import BeautifulSoup

    text, encoding = decode_bytes(data)
    try:
        soup = BeautifulSoup(text, "html.parser")
        for tag in soup(["script", "style", "noscript", "template"]):
            tag.decompose()
        for br in soup.find_all("br"):
            br.replace_with("\n")
        for row in soup.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]
            row.replace_with("\n" + "\t".join(cells) + "\n")
        for level in range(1, 7):
            for heading in soup.find_all(f"h{level}"):
                heading.insert(0, "#" * level + " ")
        for item in soup.find_all("li"):
            item.insert(0, "- ")
        for block in soup.find_all(_BLOCK_TAGS):
            block.insert_before("\n")
            block.insert_after("\n")
        raw = soup.get_text("")
    except Exception as exc:
        raise ReadError(str(path), f"unreadable HTML ({exc})") from exc
    lines = [
        re.sub(r"[ \u00a0]+", " ", line).strip(" ") if line.strip() else ""
        for line in raw.split("\n")
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n", encoding, []


_READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
}
