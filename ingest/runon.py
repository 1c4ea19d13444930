"""Flattened pages: a PDF page that a transcript or a text layer gives as one long line
('89. Title Sagsfremstilling Text ... Side 3 af 12') is split before the structural signals
it holds, so that the parser sees the lines the page lost (same length and offsets)."""

from __future__ import annotations

import re

from .columned_toc import split_columned_tocs
from .heading_pages import heading_pages
from .page_sequence import numbered_pages, without_folios
from .sections import LABEL_WORDS
from .textlines import split_numbered_lists, split_run_on_lines

_DOC_TYPE_WORD_RE = re.compile(r"referat|dagsorden|beslutningsprotokol|protokol")
"""Labels that are also document-type words: in a flattened page they are the page
header's type ('Kommunalbestyrelsen Referat Dato: ...', 'Referat Byrådet 12.03.2024 Side
3'), so the re-flow never breaks at them."""
_PAGE_HEADING = r"\d{1,3}\.\s+[A-ZÆØÅ].*\s\d{1,4}\s*$"
"""The rest of a transcript page that opens with an item heading ('1. Godkendelse af
dagsorden ...') and closes with its printed page number."""
_LABELS = "|".join(re.escape(w) for w in LABEL_WORDS if not _DOC_TYPE_WORD_RE.fullmatch(w))
_RUN_ON_BREAK_RE = re.compile(
    r"^(?P<erase>\d{1,4})(?= \D| .*\s(?i:side)\s+(?P=erase)\s*$| (?="
    + _PAGE_HEADING
    + r"))"
    # the page's number, which a transcript puts first ('3 35 Title ... Side 3': before a
    # number, when the page's footer repeats it or the page opens with a heading)
    r"|(?P<heading>\s)(?=\d{1,3}\.\s+[A-ZÆØÅ])"  # an item heading or TOC entry '89. Title'
    r"|(?P<page_header>\s)(?=(?i:side\s+\d{1,4}(?:\s+af\s+\d|\s*$)))"  # 'Side 3 af 12'
    r"|(?P<case>\s)(?=(?i:(?:sags?\.?\s*nr|sags-?id|dok\.?\s*nr)\.?\s*:?\s*\d))"
    # a case line 'Sagsnr. 13/1234', 'Sagsid.: 14/40', or the document's 'Dok.nr.: 1965'
    r"|(?P<contents>\s)(?=(?i:indholdsfortegnelse\b|følgende\s+sager\s+behandles\b))"
    r"|(?P<title>\s)(?=[DR](?i:agsorden|eferat)\s+(?:fra|til|for)\s+(?:\w+\s+)?møde\b)"
    # the document's title 'Referat fra ordinært møde' after the body's name (capitalised:
    # '... til referat fra møde den 3. maj' inside a title is none)
    r"|(?<=\.\.)(?:\d{1,4}|[ivxlc]{1,6})(?P<toc_page>\s)"  # after a TOC row's '...12'
    r"|(?P<label>\s)(?=[A-ZÆØÅ])(?i:" + _LABELS + r")"
    r"(?-i:(?<=[A-ZÆØÅÉ])(?:\s(?!(?i:" + _LABELS + r")\b)[A-ZÆØÅ]+)+"
    r"(?:(?P<next_label>\s)(?=[A-ZÆØÅ]{2})(?i:" + _LABELS + r")(?=\s))?)?"
    # an upper-case label runs on in capitals, up to the next label ('OPLÆG OM RÅSTOFOPGAVEN
    # SAGSFREMSTILLING': a title in capitals, which that label ends)
    r"(?-i:\s[A-ZÆØÅ][\wæøå-]+\sden(?=\s[A-ZÆØÅ]))?"  # 'Beslutning Byrådet den' (date lost)
    + r":?(?P<label_text>\s)(?=[A-ZÆØÅ]|at\s)"  # 'Sagsfremstilling' between title and text,
    # which opens with a capital or with the 'at' of a proposal ('at dagsordenen godkendes')
    r"|(?P<status>\s)(?=(?i:åben|lukket)\s+sag\s+(?i:sags?\.?\s*nr))"  # 'Åben sag Sagsnr.:'
)
"""Where a flattened page line ('89. Title Sagsfremstilling Text ... Side 3 af 12') holds
the starts of the lines it lost: the parser's own structural signals (each named group is
a kind), never prose words."""
RUN_ON_MIN_LENGTH = 300
"""A line this long is prose or a flattened page: no heading, label or TOC row of the
samples, the Greve archive or the test corpora reaches it (the longest is 296)."""
RUN_ON_MIN_KINDS = 2
"""Kinds of signal a long line must hold to count as a flattened page.  Prose paragraphs
of the corpora (up to 3,400 characters) hold one kind at most: a numbered list
('partnerskaber: 1. Alsidig træning ... 2. Motionshold'), never a label as well."""
ONE_LINE_LIST_MIN_ENTRIES = 5
"""Entries, numbered on from the line's first, that make a long line a list of titles
printed on one line; a paragraph that enumerates ('1. Alsidig træning ... 2. Motionshold')
seldom counts to five in order from its very start."""


PAGE_LINE_RE = re.compile(rf"^(\d{{1,4}}) (?:.*\s(?i:side)\s+\1|{_PAGE_HEADING})\s*$")
"""A whole PDF page as one line of a transcript: it opens with its page number and closes
with its footer 'Side N' of the same number, or it opens with an item heading after that
number and closes with the page's printed number ('3 1. Godkendelse af dagsorden ...
Godkendt. 2'); such a line is a flattened page whatever its length (a short page holds
one item with empty fields)."""


def split_run_on_text(text: str) -> str:
    """Same-length ``text`` whose flattened page lines are split before their signals
    (a transcript's pages numbered in sequence however short, ``page_sequence``, their
    closing folios blanked), whose one-line numbered lists are split before each entry,
    and whose one-line 'Pkt. Tekst Side' contents tables are split before each row."""
    pages = numbered_pages(text, RUN_ON_MIN_LENGTH) | heading_pages(text, RUN_ON_MIN_LENGTH)
    text = split_columned_tocs(without_folios(text, pages))
    text = split_run_on_lines(
        text, _RUN_ON_BREAK_RE, RUN_ON_MIN_LENGTH, RUN_ON_MIN_KINDS, PAGE_LINE_RE, pages
    )
    return split_numbered_lists(text, RUN_ON_MIN_LENGTH, ONE_LINE_LIST_MIN_ENTRIES)
