"""DOCX -> light-markdown text: one lxml walker over ``word/document.xml``.

python-docx only opens the package and resolves its relationships (document, styles,
numbering, headers/footers, core properties).  When it cannot (a truncated or otherwise
damaged ZIP), the ZIP's local file headers are scanned directly and the text is rebuilt from
the intact entries, with a warning; the same walker reads both.

Output conventions (what ``ingest.parser`` may rely on):

* one line per paragraph, in document order; an empty paragraph is an empty line; a manual
  line break inside a paragraph starts a new line;
* a paragraph with a heading style ("Heading N", "Overskrift N", style id ``OverskriftN`` /
  ``HeadingN``, or an outline level on the paragraph or its style) is ``#``*N + " " + text
  (N capped at 6; a line break inside a heading becomes a space);
* a paragraph whose text runs are all bold is ``**text**`` (per line);
* a bulleted list paragraph (numbering format "bullet" in numbering.xml) starts with ``- ``;
  numbered lists keep their text only (numbers Word computes are not in the file's text);
* tables: one line per row, cells joined by TAB (a merged cell once; a vertically merged
  continuation cell is empty), cell text whitespace-collapsed; a table with a single column,
  or a row whose cells hold headings, nested tables or many paragraphs (a layout table), is
  read as ordinary paragraphs instead; nested tables are flattened to rows;
* TABs inside paragraphs stay (one TAB for a run of tabs/spaces around a tab), so a Word TOC
  entry reads "1.<TAB>Title<TAB>3"; field codes (``instrText``) are dropped, field results
  kept; deleted revisions and hidden (``vanish``) text are dropped; text boxes follow the
  paragraph they are anchored in; no-break spaces become spaces;
* headers/footers go to ``metadata["running_header"]`` (plain lines, de-duplicated, page
  numbers left out), never
  into the text; core properties to ``metadata["title" | "subject" | "author" |
  "created"]`` (``created`` as an ISO date).

Kept whole: the package checks, the damaged-ZIP recovery and the walker all serve the
one output contract above and share the style and numbering state.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from . import limits
from .danish import squash
from .errors import ReadError
from .pdf_reader import is_page_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DC = "{http://purl.org/dc/elements/1.1/}"
DCTERMS = "{http://purl.org/dc/terms/}"

_PROLOG_BYTES = 64 * 1024
"""How much of each XML part is searched for a ``<!DOCTYPE`` (it must precede the root)."""
_BINARY_FOLDERS = ("media/", "embeddings/")
"""Package folders of images and embedded objects: never parsed, so not under the XML cap."""
MAX_STYLE_DEPTH = 12
LAYOUT_PARAGRAPHS = 5
"""A table cell with more non-empty paragraphs than this makes its row a layout row."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADING_NAME_RE = re.compile(r"^(?:heading|overskrift)\s*([1-9])$", re.IGNORECASE)
_HEADING_ID_RE = re.compile(
    r"^(?:heading|overskrift|berschrift|titre|kop|rubrik|otsikko)([1-9])$", re.IGNORECASE
)
_OFF = ("0", "false", "off", "none")
_WRAPPERS = (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", W + "moveTo")
_INLINE_CONTAINERS = (
    W + "hyperlink", W + "ins", W + "moveTo", W + "smartTag", W + "customXml",
    W + "fldSimple", W + "dir", W + "bdo", W + "sdtContent",
)  # fmt: skip
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


class _Refused(Exception):
    """A package refused as unsafe (zip bomb, entity declarations); str() is the problem."""


@dataclass
class _Parts:
    """The XML the walker needs, however the package was opened."""

    document: Any
    styles: Any = None
    numbering: Any = None
    headers: list[Any] = field(default_factory=list)
    core: dict[str, str] = field(default_factory=dict)


def read_docx(path: Path, data: bytes) -> tuple[str, list[str], dict[str, str]]:
    """Return (text, warnings, metadata) of a DOCX; ReadError when nothing can be read."""
    warnings: list[str] = []
    try:
        _check_package(data)
        parts = _open_package(data)
    except _Refused as refused:
        raise ReadError(str(path), str(refused)) from refused
    except Exception as exc:
        if data.startswith(_OLE_MAGIC):
            raise ReadError(
                str(path),
                "not a DOCX package: an old binary Word (.doc) file or a password-protected "
                "document",
            ) from exc
        if not data.startswith(b"PK"):
            raise ReadError(
                str(path), "not a DOCX file (it is no ZIP package: another format renamed?)"
            ) from exc
        try:
            recovered, note = _recover(data)
        except _Refused as refused:
            raise ReadError(str(path), str(refused)) from refused
        except Exception as inner:  # the scanner must never leak an exception either
            raise ReadError(str(path), f"corrupt or unreadable DOCX ({_describe(exc)})") from inner
        if recovered is None:
            raise ReadError(str(path), f"corrupt or unreadable DOCX ({_describe(exc)})") from exc
        parts = recovered
        warnings.append(f"recovered text from a damaged DOCX ({_describe(exc)}; {note})")
    try:
        walker = _Walker(_Styles(parts.styles), _Numbering(parts.numbering))
        body = parts.document.find(W + "body")
        lines = walker.blocks(body if body is not None else parts.document)
        metadata = dict(parts.core)
        running = _running_lines(parts)
    except Exception as exc:
        raise ReadError(str(path), f"corrupt or unreadable DOCX ({_describe(exc)})") from exc
    if running:
        metadata["running_header"] = "\n".join(running)
    return "\n".join(lines), warnings, metadata


# ---------------------------------------------------------------------- packages


def _xml(blob: bytes, *, recover: bool = False, name: str = "an XML part") -> Any:
    """Parse one part safely: no entity expansion, no DTD or network, libxml2's size limits
    on (no ``huge_tree``); a part that declares entities at all is refused."""
    if _declares_dtd(blob[:_PROLOG_BYTES]):
        raise _Refused(_DTD_PROBLEM.format(name=name))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=recover
    )
    root = etree.fromstring(blob, parser=parser)
    if root is None:
        raise ValueError("empty XML part")
    if root.getroottree().docinfo.internalDTD is not None:
        raise _Refused(_DTD_PROBLEM.format(name=name))
    return root


_DTD_PROBLEM = (
    "the DOCX is refused: {name} declares XML entities (<!DOCTYPE>), which Word never "
    "writes (an entity-expansion attack?)"
)


def _declares_dtd(head: bytes) -> bool:
    """Whether an XML prolog (UTF-8 or UTF-16, as OOXML allows) holds a ``<!DOCTYPE``."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "ignore")
    elif head[:2] in (b"<\x00", b"\x00<"):
        text = head.decode("utf-16-le" if head[:1] == b"<" else "utf-16-be", "ignore")
    else:
        text = head.decode("latin-1")
    return "<!DOCTYPE" in text


def _is_binary_part(name: str) -> bool:
    """An image or embedded object (XML stays under the XML cap wherever it is)."""
    xml = name.lower().endswith((".xml", ".rels"))
    return not xml and any(folder in name for folder in _BINARY_FOLDERS)


def _check_package(data: bytes) -> None:
    """Refuse a zip bomb or an entity-declaring part before python-docx inflates anything.

    The declared (unpacked) sizes in the ZIP directory are checked against ``ingest.limits``;
    zipfile never inflates an entry beyond its declared size, so a lying directory cannot
    get around it.  A package zipfile cannot open is left to the recovery scanner, which
    has its own caps.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return
    with archive:
        infos = archive.infolist()
        for info in infos:
            if _is_binary_part(info.filename) or info.is_dir():
                continue
            if info.file_size > limits.MAX_DOCX_XML_BYTES:
                raise _too_large(info.filename, info.file_size)
        total = sum(info.file_size for info in infos)
        if total > limits.MAX_DOCX_UNPACKED_BYTES:
            raise _Refused(
                f"the DOCX is refused: it unpacks to {limits.megabytes(total)}, above the limit "
                f"of {limits.megabytes(limits.MAX_DOCX_UNPACKED_BYTES)} (a zip bomb?)"
            )
        for info in infos:
            if not _is_binary_part(info.filename) and not info.is_dir():
                try:
                    with archive.open(info) as member:
                        head = member.read(_PROLOG_BYTES)
                except Exception:  # a damaged entry: python-docx or the recovery says so
                    continue
                if _declares_dtd(head):
                    raise _Refused(_DTD_PROBLEM.format(name=info.filename))


def _too_large(name: str, size: int) -> _Refused:
    return _Refused(
        f"the DOCX is refused: its part {name} unpacks to {limits.megabytes(size)}, above "
        f"the limit of {limits.megabytes(limits.MAX_DOCX_XML_BYTES)} (a zip bomb?)"
    )


def _open_package(data: bytes) -> _Parts:
    """Open with python-docx and take the parts it resolves (raises on a damaged package)."""
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document(io.BytesIO(data))
    part = document.part
    parts = _Parts(document=_xml(part.blob))
    for reltype, name in ((RT.STYLES, "styles"), (RT.NUMBERING, "numbering")):
        try:
            setattr(parts, name, _xml(part.part_related_by(reltype).blob))
        except (KeyError, ValueError, etree.XMLSyntaxError):
            pass
    related = part.related_parts
    for rid in _header_ids(parts.document):
        target = related.get(rid)
        if target is not None:
            try:
                parts.headers.append(_xml(target.blob))
            except (ValueError, etree.XMLSyntaxError):
                pass
    try:  # python-docx would invent default properties for a package without them
        part.package.part_related_by(RT.CORE_PROPERTIES)
    except KeyError:
        return parts
    try:
        props = document.core_properties
        for key, value in (("title", props.title), ("subject", props.subject),
                           ("author", props.author)):  # fmt: skip
            if value and value.strip():
                parts.core[key] = squash(value)
        if props.created is not None:
            parts.core["created"] = props.created.date().isoformat()
    except Exception:  # unreadable properties are no reason to lose the text
        pass
    return parts


def _header_ids(document: Any) -> list[str]:
    """Relationship ids of the headers and footers, in section order, each once."""
    ids: list[str] = []
    for sect in document.iter(W + "sectPr"):
        for ref in sect:
            if ref.tag in (W + "headerReference", W + "footerReference"):
                rid = ref.get(R + "id")
                if rid and rid not in ids:
                    ids.append(rid)
    return ids


def _scan_zip(data: bytes) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Entries found by their local file headers: (complete ones, truncated prefixes).

    Images are skipped; an entry declaring or inflating to more than
    ``limits.MAX_DOCX_XML_BYTES`` (or all of them to more than ``MAX_DOCX_UNPACKED_BYTES``)
    is refused as a zip bomb: a declared size is refused before inflating, an undeclared
    one (data descriptor) when the cap is reached.

    Kept whole: one pass over the local headers, whose running size caps must see every
    entry.
    """
    complete: dict[str, bytes] = {}
    partial: dict[str, bytes] = {}
    pos = 0
    inflated = 0
    while True:
        start = data.find(b"PK\x03\x04", pos)
        if start < 0 or start + 30 > len(data):
            break
        _, flag, method, _, _, crc, csize, usize, nlen, xlen = struct.unpack(
            "<HHHHHIIIHH", data[start + 4 : start + 30]
        )
        raw_name = data[start + 30 : start + 30 + nlen]
        name = raw_name.decode("utf-8" if flag & 0x800 else "cp437", "replace").lstrip("/")
        begin = start + 30 + nlen + xlen
        pos = start + 4
        if flag & 1 or begin > len(data) or not name or name in complete:
            continue
        if _is_binary_part(name):  # images are not read; never inflate them
            continue
        sized = not flag & 8 and csize > 0
        if sized and usize > limits.MAX_DOCX_XML_BYTES:
            raise _too_large(name, usize)
        if method == 0 and sized:
            body = data[begin : begin + csize]
            if len(body) == csize and zlib.crc32(body) == crc:
                complete[name] = body
                pos = begin + csize
            else:
                partial[name] = body
        elif method == 8:
            chunk = data[begin : begin + csize] if sized else data[begin:]
            inflater = zlib.decompressobj(-15)
            try:
                body = inflater.decompress(chunk, limits.MAX_DOCX_XML_BYTES)
            except zlib.error:
                continue
            inflated += len(body)
            if inflater.unconsumed_tail:
                raise _Refused(
                    f"the DOCX is refused: its part {name} unpacks to more than "
                    f"{limits.megabytes(limits.MAX_DOCX_XML_BYTES)} (a zip bomb?)"
                )
            if inflated > limits.MAX_DOCX_UNPACKED_BYTES:
                raise _Refused(
                    f"the DOCX is refused: it unpacks to more than "
                    f"{limits.megabytes(limits.MAX_DOCX_UNPACKED_BYTES)} (a zip bomb?)"
                )
            if inflater.eof and not inflater.unconsumed_tail:
                if not sized or zlib.crc32(body) == crc:
                    complete[name] = body
                    pos = begin + (len(chunk) - len(inflater.unused_data))
            elif body and not inflater.unconsumed_tail:
                partial[name] = body
    return complete, partial


def _rels(entries: dict[str, bytes], source: str) -> dict[str, tuple[str, str]]:
    """Relationships of part ``source`` ('' = package): id -> (type, part name)."""
    folder, base = posixpath.split(source)
    blob = entries.get(posixpath.join(folder, "_rels", base + ".rels"))
    if blob is None:
        return {}
    try:
        root = _xml(blob)
    except (ValueError, etree.XMLSyntaxError):
        return {}
    out: dict[str, tuple[str, str]] = {}
    for rel in root.iter(PKG_REL + "Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        if target.startswith("/"):
            name = target.lstrip("/")
        else:
            name = posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = (rel.get("Type") or "", name)
    return out


def _recover(data: bytes) -> tuple[_Parts | None, str]:
    """Rebuild the parts from the ZIP's local entries; (None, why) when there is no text."""
    complete, partial = _scan_zip(data)
    package = _rels(complete, "")
    main = next((n for t, n in package.values() if t.endswith("/officeDocument")), None)
    main = main or "word/document.xml"
    notes = [f"{len(complete)} intact ZIP entries"]
    if main in complete:
        document = _xml(complete[main], recover=True, name=main)
    elif main in partial:
        document = _xml(partial[main], recover=True, name=main)
        notes.append(f"{main} is cut off, text after the cut is lost")
    else:
        return None, f"no {main} in the file"
    parts = _Parts(document=document)
    rels = _rels(complete, main)
    by_type: dict[str, list[str]] = {}
    for reltype, name in rels.values():
        by_type.setdefault(reltype.rsplit("/", 1)[-1], []).append(name)
    folder = posixpath.dirname(main)
    for kind in ("styles", "numbering"):
        name = (by_type.get(kind) or [posixpath.join(folder, f"{kind}.xml")])[0]
        if name in complete:
            setattr(parts, kind, _xml(complete[name], recover=True, name=name))
        else:
            notes.append(f"{posixpath.basename(name)} missing")
    if rels:
        names = [rels[rid][1] for rid in _header_ids(document) if rid in rels]
    else:
        pattern = re.compile(re.escape(folder) + r"/(?:header|footer)\d*\.xml$")
        names = sorted(n for n in complete if pattern.match(n))
    for name in names:
        if name in complete:
            try:
                parts.headers.append(_xml(complete[name], recover=True, name=name))
            except (ValueError, etree.XMLSyntaxError):
                pass
    core = next((n for t, n in package.values() if t.endswith("/core-properties")), None)
    core_blob = complete.get(core or "docProps/core.xml")
    if core_blob is not None:
        parts.core = _core_from_xml(core_blob)
    return parts, "; ".join(notes)


def _core_from_xml(blob: bytes) -> dict[str, str]:
    try:
        root = _xml(blob, recover=True)
    except (ValueError, etree.XMLSyntaxError):
        return {}
    out: dict[str, str] = {}
    for key, tag in (("title", DC + "title"), ("subject", DC + "subject"),
                     ("author", DC + "creator")):  # fmt: skip
        el = root.find(tag)
        if el is not None and el.text and el.text.strip():
            out[key] = squash(el.text)
    created = root.find(DCTERMS + "created")
    match = _ISO_DATE_RE.match((created.text or "").strip()) if created is not None else None
    if match:
        out["created"] = match.group(0)
    return out


# ------------------------------------------------------------------ styles, lists


class _Styles:
    """Heading level and bold of styles, following ``basedOn`` (styles.xml may be absent)."""

    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, Any] = {}
        self.default_paragraph: str | None = None
        if root is None:
            return
        for style in root.iter(W + "style"):
            style_id = style.get(W + "styleId")
            if not style_id:
                continue
            self.by_id.setdefault(style_id, style)
            if style.get(W + "type") == "paragraph" and style.get(W + "default") in ("1", "true"):
                self.default_paragraph = style_id

    def _chain(self, style_id: str | None) -> Iterator[Any]:
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < MAX_STYLE_DEPTH:
            seen.add(style_id)
            style = self.by_id.get(style_id)
            if style is None:
                return
            yield style
            based = style.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None

    def heading_level(self, style_id: str | None) -> int:
        if not style_id:
            return 0
        style = self.by_id.get(style_id)
        name_el = style.find(W + "name") if style is not None else None
        name = (name_el.get(W + "val") or "") if name_el is not None else ""
        match = _HEADING_NAME_RE.match(name.strip()) or _HEADING_ID_RE.match(style_id)
        if match:
            return int(match.group(1))
        for st in self._chain(style_id):
            level = st.find(f"{W}pPr/{W}outlineLvl")
            if level is not None:
                return _outline_level(level)
        return 0

    def bold(self, style_id: str | None) -> bool | None:
        for st in self._chain(style_id):
            b = st.find(f"{W}rPr/{W}b")
            if b is not None:
                return _on(b)
        return None

    def numbering(self, style_id: str | None) -> tuple[str, str] | None:
        for st in self._chain(style_id):
            num = st.find(f"{W}pPr/{W}numPr")
            if num is not None:
                return _num_pr(num)
        return None


class _Numbering:
    """numId/ilvl -> number format ("bullet", "decimal", ...) from numbering.xml."""

    def __init__(self, root: Any) -> None:
        self.formats: dict[tuple[str, str], str] = {}
        if root is None:
            return
        abstract: dict[str, dict[str, str]] = {}
        for an in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in an.iter(W + "lvl"):
                fmt = lvl.find(W + "numFmt")
                levels[lvl.get(W + "ilvl") or "0"] = (
                    fmt.get(W + "val") or "" if fmt is not None else ""
                )
            abstract[an.get(W + "abstractNumId") or ""] = levels
        for num in root.iter(W + "num"):
            ref = num.find(W + "abstractNumId")
            levels = abstract.get(ref.get(W + "val") or "" if ref is not None else "", {})
            for ilvl, fmt in levels.items():
                self.formats[(num.get(W + "numId") or "", ilvl)] = fmt

    def is_bullet(self, num: tuple[str, str] | None) -> bool:
        return num is not None and self.formats.get(num) == "bullet"


def _on(el: Any) -> bool:
    return (el.get(W + "val") or "true").lower() not in _OFF


def _outline_level(el: Any) -> int:
    try:
        value = int(el.get(W + "val") or "9")
    except ValueError:
        return 0
    return value + 1 if 0 <= value <= 8 else 0


def _num_pr(el: Any) -> tuple[str, str] | None:
    num_id = el.find(W + "numId")
    ilvl = el.find(W + "ilvl")
    nid = num_id.get(W + "val") if num_id is not None else None
    if not nid or nid == "0":
        return None
    return nid, (ilvl.get(W + "val") or "0") if ilvl is not None else "0"


# ------------------------------------------------------------------------ walker


def _children(el: Any, tag: str) -> Iterator[Any]:
    """Children with ``tag``, looking through content-control and revision wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


@dataclass
class _Inline:
    parts: list[str] = field(default_factory=list)
    bold: list[bool] = field(default_factory=list)
    boxes: list[Any] = field(default_factory=list)


class _Walker:
    """document.xml (or a header part) -> lines of light markdown."""

    def __init__(self, styles: _Styles, numbering: _Numbering, *, markup: bool = True) -> None:
        self.styles = styles
        self.numbering = numbering
        self.markup = markup
        self.fields: list[bool] = []  # open fields: True once their result has begun

    def blocks(self, container: Any) -> list[str]:
        out: list[str] = []
        for child in container:
            tag = child.tag
            if tag == W + "p":
                out.extend(self.paragraph(child))
            elif tag == W + "tbl":
                out.extend(self.table(child))
            elif tag in _WRAPPERS:
                out.extend(self.blocks(child))
            elif tag == MC + "AlternateContent":
                branch = child.find(MC + "Choice")
                branch = branch if branch is not None else child.find(MC + "Fallback")
                if branch is not None:
                    out.extend(self.blocks(branch))
        return out

    # paragraphs

    def _style_id(self, p: Any) -> str | None:
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(W + "val"):
            return str(style.get(W + "val"))
        return self.styles.default_paragraph

    def paragraph_text(self, p: Any) -> tuple[str, _Inline]:
        # A field whose instructions run on past a paragraph end is taken as broken (Word
        # keeps instructions in one paragraph): stop hiding text for it.
        while self.fields and not self.fields[-1]:
            self.fields.pop()
        inline = _Inline()
        self._inline(p, self._style_id(p), inline)
        return "".join(inline.parts), inline

    def paragraph(self, p: Any) -> list[str]:
        style_id = self._style_id(p)
        raw, inline = self.paragraph_text(p)
        lines = [_clean(line) for line in raw.split("\n")]
        while len(lines) > 1 and not lines[-1]:
            lines.pop()
        while len(lines) > 1 and not lines[0]:
            lines.pop(0)
        out: list[str]
        if not self.markup or not any(lines):
            out = lines
        else:
            level = 0
            own = p.find(f"{W}pPr/{W}outlineLvl")
            if own is not None:
                level = _outline_level(own)
            level = level or self.styles.heading_level(style_id)
            if level:
                out = ["#" * min(level, 6) + " " + " ".join(line for line in lines if line)]
            else:
                if inline.bold and all(inline.bold):
                    out = [f"**{line}**" if line else line for line in lines]
                else:
                    out = lines
                num = p.find(f"{W}pPr/{W}numPr")
                numbered = _num_pr(num) if num is not None else self.styles.numbering(style_id)
                if self.numbering.is_bullet(numbered):
                    out[0] = "- " + out[0]
        for box in inline.boxes:
            out.extend(self.blocks(box))
        return out

    def _inline(self, el: Any, style_id: str | None, inline: _Inline) -> None:
        for child in el:
            tag = child.tag
            if tag == W + "r":
                self._run(child, style_id, inline)
            elif tag in _INLINE_CONTAINERS:
                self._inline(child, style_id, inline)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._inline(content, style_id, inline)
            elif tag == MC + "AlternateContent":
                self._boxes(child, inline)

    def _run_bold(self, r: Any, style_id: str | None) -> bool:
        rpr = r.find(W + "rPr")
        if rpr is not None:
            b = rpr.find(W + "b")
            if b is not None:
                return _on(b)
            rstyle = rpr.find(W + "rStyle")
            if rstyle is not None:
                value = self.styles.bold(rstyle.get(W + "val"))
                if value is not None:
                    return value
        return bool(self.styles.bold(style_id))

    def _run(self, r: Any, style_id: str | None, inline: _Inline) -> None:
        rpr = r.find(W + "rPr")
        vanish = rpr.find(W + "vanish") if rpr is not None else None
        hidden = vanish is not None and _on(vanish)
        bold: bool | None = None
        for child in r:
            tag = child.tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.fields.append(False)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if hidden or not all(self.fields):
                continue
            if tag == W + "t":
                text = child.text or ""
                inline.parts.append(text)
                if text.strip():
                    if bold is None:
                        bold = self._run_bold(r, style_id)
                    inline.bold.append(bold)
            elif tag in (W + "tab", W + "ptab"):
                inline.parts.append("\t")
            elif tag in (W + "br", W + "cr"):
                inline.parts.append("\n")
            elif tag == W + "noBreakHyphen":
                inline.parts.append("-")
            elif tag in (W + "drawing", W + "pict", MC + "AlternateContent"):
                self._boxes(child, inline)

    def _boxes(self, el: Any, inline: _Inline) -> None:
        """Text boxes under a drawing (one branch of an AlternateContent only)."""
        if el.tag == MC + "AlternateContent":
            branch = el.find(MC + "Choice")
            el = branch if branch is not None else el.find(MC + "Fallback")
            if el is None:
                return
        found = list(el.iter(W + "txbxContent"))
        for box in found:
            if not any(other is not box and box in other.iter() for other in found):
                inline.boxes.append(box)

    # tables

    def _cell_info(self, tc: Any) -> tuple[bool, int, bool]:
        """(vertical-merge continuation, non-empty paragraphs, holds heading or table)."""
        vmerge = tc.find(f"{W}tcPr/{W}vMerge")
        continued = vmerge is not None and (vmerge.get(W + "val") or "continue") == "continue"
        paragraphs = list(_children(tc, W + "p"))
        filled = 0
        rich = any(True for _ in _children(tc, W + "tbl"))
        for p in paragraphs:
            if "".join(t.text or "" for t in p.iter(W + "t")).strip():
                filled += 1
                if self.markup and not rich:
                    own = p.find(f"{W}pPr/{W}outlineLvl")
                    level = _outline_level(own) if own is not None else 0
                    rich = bool(level or self.styles.heading_level(self._style_id(p)))
        return continued, filled, rich

    def table(self, tbl: Any) -> list[str]:
        rows = [list(_children(tr, W + "tc")) for tr in _children(tbl, W + "tr")]
        single_column = all(len(cells) <= 1 for cells in rows)
        out: list[str] = []
        for cells in rows:
            infos = [self._cell_info(tc) for tc in cells]
            layout = single_column or any(
                rich or filled > LAYOUT_PARAGRAPHS for _, filled, rich in infos
            )
            if layout:
                for tc, (continued, _, _) in zip(cells, infos, strict=True):
                    if not continued:
                        out.extend(self.blocks(tc))
                continue
            texts = []
            for tc, (continued, _, _) in zip(cells, infos, strict=True):
                texts.append("" if continued else self._cell_text(tc))
            out.append("\t".join(texts))
        return out

    def _cell_text(self, tc: Any) -> str:
        parts = []
        for child in tc:
            if child.tag == W + "p" or child.tag in _WRAPPERS:
                for p in [child] if child.tag == W + "p" else _children(child, W + "p"):
                    parts.append(self.paragraph_text(p)[0])
        return squash(" ".join(parts))


def _clean(line: str) -> str:
    line = line.replace("\u00a0", " ")
    line = re.sub(r"[ ]*\t[ \t]*", "\t", line)
    line = re.sub(r" {2,}", " ", line)
    return line.strip(" \t")


def _running_lines(parts: _Parts) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    styles = _Styles(parts.styles)
    numbering = _Numbering(None)
    for root in parts.headers:
        for line in _Walker(styles, numbering, markup=False).blocks(root):
            key = squash(line).casefold()
            if key and key not in seen and not is_page_number(line):
                seen.add(key)
                lines.append(line.strip())
    return lines


def _describe(exc: BaseException) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        return f"not a complete ZIP archive: {exc}"
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
