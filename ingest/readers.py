"""Readers: one file (.txt, .md, .pdf, .docx, .html/.htm) -> ``Document`` with light markdown.

Every problem with a file surfaces as ``ReadError(path, problem)``; library exceptions
from pdfplumber / pypdf / python-docx / BeautifulSoup are wrapped, never leaked.  Text files
are decoded by BOM (UTF-8, UTF-16, UTF-32), then strict UTF-8, then cp1252 (Danish Windows
files); HTML also honours a declared ``<meta charset>``.  Newlines are normalised to ``\\n``
and text to Unicode NFC.  Extensions are matched case-insensitively (``.PDF`` reads).

Text that was garbled before it reached us (UTF-8 read as cp1252 upstream: 'Ã¸' for 'ø',
'â€“' for '–'; or as a DOS code page: 'Regionsr├ądet') is repaired line by line by
``ingest.mojibake`` (ftfy's encoding fixes, nothing else), before parsing, so every offset
points into the repaired text; the Document's warnings say so.

PDF, DOCX and HTML come out as the light markdown the structure parser reads: ``#``..``######``
heading lines, ``**whole bold line**``, one table row per line with TAB-separated cells, TABs
kept from the layout (see ``pdf_reader`` and ``docx_reader`` for the exact conventions).
``Document.metadata`` carries what the file says about itself outside the text (``title``,
``subject``, ``author``, ``created``, ``running_header``, ``outline``).

``.json`` is a supported *source* extension (FirstAgenda exports, read by their own
connector), but ``read_document`` itself does not read it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from . import limits
from .errors import ReadError
from .models import Document
from .mojibake import repair_lines, repair_warning

SUPPORTED_EXTENSIONS: tuple[str, ...] = (
    ".txt", ".md", ".pdf", ".docx", ".html", ".htm", ".json",
)  # fmt: skip
"""Source files ``iter_source_files`` picks up (lower case; matched case-insensitively).
``.json`` (FirstAgenda) is read by its own connector, not by ``read_document``."""

FOLDER_DOC_STEMS: frozenset[str] = frozenset(
    {"readme", "license", "licence", "changelog", "contributing", "copying", "notice"}
)
"""Names (without extension, any case) of the files that document a folder or repository,
by the common convention, rather than record a meeting: a folder walk skips them (an
archive exported with its README would else gain a 'meeting' guessed from the README's
words); named explicitly they are read like any file."""

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

Reader = Callable[[Path, bytes], tuple[str, str, list[str], dict[str, str]]]
"""(path, bytes) -> (text, encoding, warnings, metadata)."""


def read_document(path: str | Path) -> Document:
    """Read one file into a Document; raises ReadError naming the file on any problem."""
    p = Path(path)
    ext = p.suffix.lower()
    if ext == ".json":
        raise ReadError(
            str(p),
            "a .json file is a FirstAgenda export: use the FirstAgenda reader "
            "(the ingest pipeline dispatches .json files to it), not read_document",
        )
    if ext not in _READERS:
        kinds = ", ".join(SUPPORTED_EXTENSIONS)
        raise ReadError(str(p), f"unsupported file type '{ext or p.name}' (supported: {kinds})")
    check_size(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(str(p), f"cannot read the file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ReadError(str(p), "the file is empty")
    text, encoding, warnings, metadata = _READERS[ext](p, data)
    causes: dict[str, int] = {}  # mojibake repaired, in the text and the file's properties
    text = repair_lines(text, causes)
    metadata = {k: repair_lines(v, causes) for k, v in metadata.items()}
    if causes:
        warnings.append(str(repair_warning(causes)))
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
    metadata = {k: normalize_text(v) for k, v in metadata.items() if v and v.strip()}
    return Document(path=str(p), text=text, encoding=encoding, warnings=warnings, metadata=metadata)


def check_size(path: Path) -> None:
    """Refuse a file over its size limit (``ingest.limits``) before a byte of it is read.

    A hostile or mistaken file (a 50 MB text dump, a huge PDF) must not fill memory; the
    message says how large the file is and what the limit is.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(str(path), f"cannot read the file: {exc.strerror or exc}") from exc
    text = path.suffix.lower() in limits.TEXT_EXTENSIONS
    limit = limits.MAX_TEXT_FILE_BYTES if text else limits.MAX_FILE_BYTES
    if size > limit:
        kind = "text files" if text else "files"
        raise ReadError(
            str(path),
            f"the file is too large ({limits.megabytes(size)}; {kind} above "
            f"{limits.megabytes(limit)} are not read)",
        )


def iter_source_files(paths: Iterable[str | Path]) -> list[Path]:
    """Supported files under ``paths`` (files or folders, recursive), sorted, no hidden ones
    and no folder documentation (``FOLDER_DOC_STEMS``: README.md, LICENSE.txt ...).

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
                    if (child.suffix.lower() in SUPPORTED_EXTENSIONS
                            and child.stem.lower() not in FOLDER_DOC_STEMS):
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


def _read_text(path: Path, data: bytes) -> tuple[str, str, list[str], dict[str, str]]:
    if b"\x00" in data[:4096] and not data.startswith(tuple(b for b, _ in _BOMS)):
        raise ReadError(str(path), "the file looks like binary data, not text")
    text, encoding = decode_bytes(data)
    warnings = [] if encoding != "cp1252" else ["not UTF-8; decoded as cp1252"]
    return text, encoding, warnings, {}


def _read_pdf(path: Path, data: bytes) -> tuple[str, str, list[str], dict[str, str]]:
    from .pdf_reader import read_pdf

    text, warnings, metadata = read_pdf(path, data)
    return text, "pdf", warnings, metadata


def _read_docx(path: Path, data: bytes) -> tuple[str, str, list[str], dict[str, str]]:
    from .docx_reader import read_docx

    text, warnings, metadata = read_docx(path, data)
    return text, "docx", warnings, metadata


_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)


def _decode_html(data: bytes) -> tuple[str, str, list[str]]:
    """BOM, then a charset declared in the first 2 KB, then strict UTF-8, then cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, encoding = decode_bytes(data)
            return text, encoding, []
    match = _META_CHARSET_RE.search(data[:2048])
    if match:
        label = match.group(1).decode("ascii", "replace").strip().lower()
        try:
            name = codecs.lookup(label).name
        except LookupError:
            name = ""
        if name in ("latin-1", "iso8859-1", "ascii"):
            name = "cp1252"  # as browsers do: windows-1252 is what these labels mean
        if name and not name.startswith(("utf-16", "utf-32")):
            try:
                return data.decode(name), name, []
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252", ["not UTF-8; decoded as cp1252"]


def _read_html(path: Path, data: bytes) -> tuple[str, str, list[str], dict[str, str]]:
    from bs4 import BeautifulSoup

    text, encoding, warnings = _decode_html(data)
    metadata: dict[str, str] = {}
    try:
        soup = BeautifulSoup(text, "html.parser")
        if soup.title is not None:
            metadata["title"] = " ".join(soup.title.get_text(" ").split())
        for meta in soup.find_all("meta"):
            name = str(meta.get("name") or "").strip().lower()
            key = {"description": "subject", "subject": "subject", "author": "author"}.get(name)
            content = " ".join(str(meta.get("content") or "").split())
            if key and content and key not in metadata:
                metadata[key] = content
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
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
    return text, encoding, warnings, metadata


_READERS: dict[str, Reader] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
    ".html": _read_html,
    ".htm": _read_html,
}
