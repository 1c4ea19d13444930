"""Size and time limits on input files, in one place.

Ingest reads files that users upload or point at, so a file may be broken or hostile (a zip
bomb, a text dump, a PDF that never finishes).  Each limit is far above any real meeting
document (the largest file of the Greve archive, a full city-council meeting with every item
text, is 0.6 MB of JSON; minutes exported to PDF with scanned appendices run to tens of MB)
and low enough that one file cannot exhaust memory or hold the ingest run for long.  A file
over a limit is refused with a ``ReadError`` that names the limit; nothing is half-read.

The readers look the values up at call time (``limits.MAX_...``), so tests and callers may
change them; lower layers read no environment variables (see ``assistant.settings``).
"""

from __future__ import annotations

MB = 1024 * 1024

MAX_FILE_BYTES = 200 * MB
"""Any input file (checked on the file size, before reading a byte)."""

MAX_TEXT_FILE_BYTES = 20 * MB
"""A text-format file (.txt, .md, .html, .htm, .json): 30 times the largest real meeting.
Reading holds the file about three times over (bytes, decoded, normalised), and the whole
text is stored with its document record, so a 50 MB dump is refused rather than read."""

TEXT_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".json")
"""Extensions :data:`MAX_TEXT_FILE_BYTES` applies to."""

MAX_DOCX_XML_BYTES = 32 * MB
"""One unpacked XML part of a DOCX (``word/document.xml`` ...), by its declared size in the
ZIP directory, checked before anything is inflated.  A 200-page Word document has 5-10 MB;
python-docx and the reader each build a tree of it (measured: ~10 bytes per XML byte).
Also the most a damaged package's entry is inflated to when it is recovered."""

MAX_DOCX_UNPACKED_BYTES = 512 * MB
"""All parts of a DOCX together (images included), unpacked: python-docx holds them all."""

MAX_PDF_SECONDS = 300.0
"""Text extraction of one PDF stops with an error after this long (checked between pages;
a real 300-page PDF takes well under a minute)."""


def megabytes(size: int) -> str:
    """``52428800`` -> ``"50.0 MB"`` (for messages)."""
    return f"{size / MB:.1f} MB"
