"""Danish text, one home: sentences, words, month names and dates, squashing, number keys.

Every module that reads Danish (and the English of questions) takes these from here, so
that a month name, a stop word or a date form is added in one place:

* ``split_sentences``: Danish administrative prose is full of periods that do not end a
  sentence: abbreviations ("bl.a.", "jf.", "pkt. 3.1", "2,4 mia. kr.", "d. 1. januar"),
  ordinals ("3. behandling", "1. januar 2027") and numbered lists.  They stay whole; list
  lines and paragraph breaks are boundaries.
* words: ``WORD_RE``, ``STOPWORDS`` (search), ``TITLE_STOPWORDS`` (title matching), one
  Snowball Danish stemmer per thread (``stem_words``).
* ``MONTHS`` (Danish and English names and abbreviations), ``WEEKDAYS``, ``find_dates``
  (every written form the archive and the questions use, as typed ``FoundDate``s),
  ``long_date`` ('10. januar 2022').
* ``squash`` (whitespace), ``text_key`` (containment tests), ``number_key`` (item order).

Kept whole: it is the one place the rules of written Danish live, and its parts share
them - the sentence splitter, the words, the dates and the compound splitter all read the
same abbreviation, month and stop-word tables.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import Stemmer
from bm25s.stopwords import STOPWORDS_DANISH

# ------------------------------------------------------------------------------ sentences

ABBREVIATIONS = frozenset(
    """
    a.h.t alm ang bl.a bl ca d dvs el etc evt ekskl f.eks fx hhv ift iht inkl jf jvf kap
    kl kr m.fl m.m m.v mht mio mia mm mv nr o.a o.l osv p.t pct pga pkt pr resp s sa.
    stk tlf vedr vha ml mdr md gl sml nuv bilag afd adm dir tidl min max
    jan feb mar apr jun jul aug sep sept okt nov dec man tirs ons tors fre lør søn
    mr mrs dr st no vs e.g i.e etc approx
    """.split()
)
"""Words (lower case, without the final period) after which a period ends no sentence."""

_BOUNDARY_RE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“„(]?[A-ZÆØÅ0-9])")
_LIST_LINE_RE = re.compile(r"^\s*(?:[-•*–]\s+|\d{1,2}[.)]\s+|[a-zæøå][.)]\s+)")
_WORD_BEFORE_RE = re.compile(r"([\wæøåÆØÅ.]+)[.!?][\"”’)]?$")
_MARKER_ONLY_RE = re.compile(
    r"\s*(?:(?:[Aa]d|[Pp]kt\.|[Pp]unkt)\s+)?"  # 'Ad 1.', 'Pkt. 2.'
    r"(?:\d{1,2}\.?(?:\s*[-–]\s*\d{1,2})?|[a-zæøåA-ZÆØÅ])[.)]"  # '1.', '1.-2.', '1-3.', 'a)'
    r"|\s*\./\."  # './.': an attachment marker
)
ENDING_ABBREVIATIONS = frozenset("kr mio mia pct osv mv m.v m.m mm etc m.fl o.l o.a".split())
"""Abbreviations that close an amount or an enumeration: a point number right after one
('... 100 kr. 4. Kan ikke godkendes') opens the next point."""
_POINT_AFTER_RE = re.compile(r"([\wæøåÆØÅ.]+)\.\s+(\d{1,2}\.)$")
_MIN_CHARS = 4


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, whitespace flattened, fragments dropped.

    A paragraph break or a list line ('- ...', '2) ...', 'a. ...') always starts a new
    sentence; inside a paragraph a period, '!' or '?' ends one when an upper-case letter
    or digit follows, unless the word before is an abbreviation or an ordinal number
    ("den 3. Maj" is rare; "3. behandling" is common and never splits: lower case).
    """
    return [sentence for group in split_paragraphs(text) for sentence in group]


def split_paragraphs(text: str) -> list[list[str]]:
    """The sentences of ``text`` grouped by paragraph or list line (a numbered point of a
    decision - '2. Ikke godkendt. Udvalget ønsker ...' - is one group)."""
    groups = [[s for s in _split_block(b) if len(s) >= _MIN_CHARS] for b in _blocks(text)]
    return [g for g in groups if g]


def _blocks(text: str) -> list[str]:
    """Paragraphs, list lines and headings, each flattened to one line."""
    blocks: list[str] = []
    current: list[str] = []
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if not line.strip():
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        if _LIST_LINE_RE.match(line) and current:
            blocks.append(" ".join(current))
            current = []
        current.append(line.strip())
        following = lines[n + 1].strip() if n + 1 < len(lines) else ""
        if len(current) == 1 and _is_heading(line.strip(), following):
            blocks.append(current.pop())
    if current:
        blocks.append(" ".join(current))
    return [squash(b) for b in blocks]


_HEADING_WORDS = 8
"""A heading line has at most this many words."""
_HEADING_CHARS = 60
"""... and at most this many characters (a wrapped line of running text is longer)."""


def _is_heading(line: str, following: str) -> bool:
    """'Fremtidig KKR struktur' on a line of its own above 'I forbindelse med ...': a short
    capitalised line without punctuation at its end, opening a paragraph and followed by a
    capitalised line, is a heading - not the start of the sentence below it."""
    return (
        bool(following)
        and len(line) <= _HEADING_CHARS
        and len(line.split()) <= _HEADING_WORDS
        and line[:1].isupper()
        and following[:1].isupper()
        and line[-1:].isalnum()
    )


def _split_block(block: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY_RE.finditer(block):
        before = block[start : m.start()]
        point = _POINT_AFTER_RE.search(before)
        if point and point[1].lower() in ENDING_ABBREVIATIONS:
            # '... 100 kr. 4. Kan ...': the sentence ended at 'kr.', '4.' opens the next
            pieces.append(before[: point.start(2)].strip())
            start += point.start(2)
            continue
        if _no_end(before, block[m.end() :]):
            continue
        pieces.append(block[start : m.start()].strip())
        start = m.end()
    pieces.append(block[start:].strip())
    return [p for p in pieces if p]


def _no_end(before: str, after: str) -> bool:
    """True when the period closing ``before`` does not end the sentence."""
    if _MARKER_ONLY_RE.fullmatch(before):
        return True  # '1. Udvalget ...': a list line's number, not a sentence
    m = _WORD_BEFORE_RE.search(before)
    if m is None:
        return False
    word = m.group(1).lower()
    if word.rstrip(".") in ENDING_ABBREVIATIONS and after[:1].isalpha():
        return False  # '... 5 mio. kr. Det blev også aftalt': an amount ends the sentence
    if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
        return True
    if "." in word and len(word) <= 6 and not word.replace(".", "").isdigit():
        return True  # 'f.eks', 'm.v', 'o.l' and other dotted abbreviations
    if word.isdigit() and len(word) <= 2 and after[:1].isdigit():
        return True  # 'den 1. 2. og 3. april' - enumerated days
    if len(word) == 1 and word.isalpha() and word.isupper() is False:
        return True  # a lone letter: 'd. 1.', 's. 4'
    return False


# ---------------------------------------------------------------------------------- words


def squash(text: str) -> str:
    """``text`` with each run of whitespace (any Unicode space, tab, newline) one space,
    and none at the ends: the form texts are shown and compared in."""
    return " ".join(text.split())


def text_key(text: str) -> str:
    """Lower-case letters and digits of ``text`` only: the key 'is this passage already
    said in that one' is tested on (punctuation, spaces and line breaks vary)."""
    return re.sub(r"\W+", "", text.lower())


def number_key(number: str) -> tuple[int, ...]:
    """Sort key of an item number ('2.10' after '2.9'; an unnumbered item last)."""
    parts = [_number_part(p) for p in number.split(".")]
    return tuple(p for p in parts if p is not None) if None not in parts else (10**9,)


def _number_part(part: str) -> int | None:
    """One level of an item number as an int: '12'; a year-sequence number '19-027' as one
    level (19 * 10**4 + 27, so the count orders within its year); a sub-item's letter 'a'
    as 1, 'b' as 2 ...; None for anything else."""
    if part.isdigit():
        return int(part)
    if re.fullmatch(r"\d{1,4}-\d{2,4}", part):
        year, count = part.split("-")
        return int(year) * 10**4 + int(count)
    if re.fullmatch(r"[a-z]", part):
        return ord(part) - ord("a") + 1
    return None


WORD_RE = re.compile(r"[0-9a-zæøåéü]+(?:[-'][0-9a-zæøåéü]+)*")
"""A word of lower-cased text; hyphenated compounds ('kd-net', 'it-udstyr') stay one."""

STOPWORDS = frozenset(
    """
    af alle andet andre at blev blive bliver da de dem den denne der deres det dette dig din
    disse dog du efter eller en end er et for fra ham han hans har havde have hende hendes
    her hos hun hvad hvem hvis hvor hvordan hvornår hvilke hvilken i ikke ind jeg jer jo kan
    kunne man mange med meget men mig min mine mit mod ned noget nogle nu når og også om op
    os over på sig sin sine sit skal skulle som sådan thi til ud under var vi vil ville vor
    være været the a an and or of to in on at for is are was were be been by with about what
    who when which how did does do this that it its as from has have will would should
    """.split()
)
"""Danish and English function words that search ignores (questions mix both languages).

Not bm25s' ``STOPWORDS_DANISH``: its 31 further words include 'ingen', 'intet', 'uden',
'kun', 'mellem' and 'ved', which carry meaning in a question about decisions ('ingen
beslutning', 'uden tilskud'), and adding them changes the BM25 scores the evaluation
figures were measured with."""

TITLE_STOPWORDS = frozenset(
    "af at de den der det efter eller en er et for fra i med mellem om og over på samt som "
    "til under ved vedr ift mv mm kl nr".split()
)
"""Words left out when an item title is matched with a heading: prepositions,
conjunctions and the abbreviations titles abbreviate ('vedr.', 'mv.').  Shorter than
``STOPWORDS`` on purpose: pronouns and quantifiers ('alle', 'andre', 'mange') tell two
titles apart."""

_STEMMERS = threading.local()


def danish_stemmer() -> Stemmer.Stemmer:
    """This thread's Snowball Danish stemmer, made once (PyStemmer objects keep a cache
    and are not safe to share between threads)."""
    stemmer = getattr(_STEMMERS, "danish", None)
    if stemmer is None:
        stemmer = _STEMMERS.danish = Stemmer.Stemmer("danish")
    return stemmer


def stem_words(words: Iterable[str]) -> list[str]:
    """The Snowball Danish stems of lower-case ``words``, in order."""
    return list(danish_stemmer().stemWords(list(words)))


# ---------------------------------------------------------------------- compounds
COMPOUND_MIN_HEAD = 4
"""Shortest first part of a compound split ('fritid|s|rådet'): three-letter heads are
mostly prefixes and prepositions ('ind|stilling', 'for|slag', 'god|kendelse')."""
COMPOUND_MIN_TAIL = 3
"""Shortest last part ('fritids|råd'); shorter tails are inflection endings."""
COMPOUND_MIN_WORD = 8
"""Shorter words are not split."""
COMPOUND_ENDING_CHARS = 4
"""Last parts this short may be inflection endings ('erne', 'ske', 'ren'): they must pass
the ending test.  Longer ones ('rådet', 'møder') are words, however many compounds end
with them."""
_FUNCTION_WORDS = STOPWORDS | frozenset(STOPWORDS_DANISH)
"""Never a part of a compound: 'styr|ingen' and 'form|anden' are inflected words, not
compounds.  bm25s' full Danish list (which search keeps, see ``STOPWORDS``) is right here:
its extra words ('ingen', 'anden', 'uden') are exactly the ones that look like endings."""


class CompoundSplitter:
    """Splits Danish compounds into two parts that are words of the same archive.

    Danish writes compounds as one word ('Fritidsrådet', 'temamøder'); a question that
    names a part ('fritid', 'tema' - or an English question whose glossary words are the
    parts) finds the compound only if search also sees the parts.  No dictionary: ``known``
    maps each word of the archive to the number of texts it occurs in, and a split
    ('fritid' + linking 's' + 'rådet') is accepted only when

    * both parts occur as words of their own in at least ``min_count`` texts,
    * a short last part is a word rather than an ending: it occurs on its own in more
      texts than there are longer words ending with it ('plan', 'møde' pass; 'erne',
      'ske' and 'ren' end thousands of words and fail), and
    * a first part that drops a final -e does so before a linking s ('arbejd-s-marked').

    Among several accepted splits the one whose rarer part is most common wins."""

    def __init__(self, known: dict[str, int], min_count: int = 2) -> None:
        self.known = known
        self.min_count = min_count
        self.endings = Counter(
            word[-n:] for word in known
            for n in range(COMPOUND_MIN_TAIL, COMPOUND_ENDING_CHARS + 1)
            if len(word) > n
        )
        self._cache: dict[str, tuple[str, ...]] = {}

    def _count(self, word: str) -> int:
        return 0 if word in _FUNCTION_WORDS else self.known.get(word, 0)

    def parts(self, word: str) -> tuple[str, ...]:
        """The two parts of ``word`` (empty when it is not a compound of known words)."""
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = self._split(word)
        return found

    def _split(self, word: str) -> tuple[str, ...]:
        if len(word) < COMPOUND_MIN_WORD or not word.isalpha():
            return ()
        best: tuple[int, str, str] | None = None
        for cut in range(COMPOUND_MIN_HEAD, len(word) - COMPOUND_MIN_TAIL + 1):
            for head, link in self._heads(word[:cut], word[cut]):
                tail = word[cut + len(link):]
                score = min(self._count(head), self._tail_count(tail))
                if score >= self.min_count and (best is None or score > best[0]):
                    best = (score, head, tail)
        return () if best is None else best[1:]

    def _heads(self, head: str, following: str) -> list[tuple[str, str]]:
        """(first part as a word, linking letters) readings of a cut before ``following``."""
        found = [(head, "")]
        if following in "se":
            found.append((head, following))
        if following == "s":
            found.append((head + "e", "s"))
        return found

    def _tail_count(self, tail: str) -> int:
        if len(tail) < COMPOUND_MIN_TAIL:
            return 0
        count = self._count(tail)
        if len(tail) > COMPOUND_ENDING_CHARS:
            return count
        return count if count > self.endings.get(tail, 0) else 0


# ---------------------------------------------------------------------- months and dates

DANISH_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)  # fmt: skip
ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
MONTH_NAMES: dict[str, int] = {
    name: number for names in (DANISH_MONTHS, ENGLISH_MONTHS)
    for number, name in enumerate(names, start=1)
}
"""Month names written out, Danish and English -> 1..12."""
MONTHS: dict[str, int] = MONTH_NAMES | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
"""Every month word a date is written with: names and abbreviations (without the '.')."""
WEEKDAYS = frozenset(
    "mandag tirsdag onsdag torsdag fredag lørdag søndag monday tuesday wednesday thursday "
    "friday saturday sunday".split()
)

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_FORMS = (
    # 04.11.2022, 4/11-2022, 21-06-2023
    ("numeric", re.compile(r"\b(?P<d>\d{1,2})[-./](?P<m>\d{1,2})[-./](?P<y>\d{4})\b")),
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    # 4. november 2022, 4 Nov. 2022, den 4. nov., 3.april 2017 (the space lost)
    ("day_month", re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:\.\s*|\s+)(?P<M>{_MONTH})\.?(?:\s+(?P<y>\d{{4}}))?\b", re.I)),
    # November 4, 2022
    ("month_day", re.compile(
        rf"\b(?P<M>{_MONTH})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b", re.I)),
    # maj 2024, November 2022
    ("month_year", re.compile(rf"\b(?P<M>{_MONTH})\.?\s+(?P<y>\d{{4}})\b", re.I)),
    # 2023 (not one end of a range '2022-2026', nor part of a name: 'DK2020', 'COP2015')
    ("year", re.compile(r"(?<![A-Za-zÆØÅæøå\d-])(?P<y>(?:19|20)\d{2})(?![\d-])")),
)  # fmt: skip
DATE_FORMS = tuple(form for form, _ in _DATE_FORMS)
"""The written forms ``find_dates`` reads, the more specific first."""


@dataclass(frozen=True)
class FoundDate:
    """A date written in a text: its parts (None where the writing leaves one out), where
    it stands (``text[start:end]``) and its form (one of ``DATE_FORMS``)."""

    year: int | None
    month: int | None
    day: int | None
    start: int
    end: int
    form: str

    @property
    def parts(self) -> tuple[int | None, int | None, int | None]:
        return self.year, self.month, self.day

    @property
    def iso(self) -> str | None:
        """'YYYY-MM-DD' when a whole, real calendar date is written, else None."""
        if self.year is None or self.month is None or self.day is None:
            return None
        try:
            return date(self.year, self.month, self.day).isoformat()
        except ValueError:
            return None


def find_dates(text: str) -> list[FoundDate]:
    """The dates written in ``text``, in text order.

    Forms are tried from the most specific (``DATE_FORMS``); a match overlapping one
    already found is part of it ('juni 2023' in '21. juni 2023').  A numeric month outside
    1..12 or day outside 1..31 is no date.  A bare year counts only from 1900 to 2099.
    """
    found: list[FoundDate] = []
    for form, pattern in _DATE_FORMS:
        for m in pattern.finditer(text):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            parts = _parts(m)
            if parts is not None:
                found.append(FoundDate(*parts, m.start(), m.end(), form))
    return sorted(found, key=lambda f: f.start)


def _parts(m: re.Match[str]) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) of a match; None for a numeric month or day out of range."""
    g = m.groupdict()
    if g.get("M"):
        named = MONTHS.get(g["M"].casefold())  # re.I also matches 'ſept' (long s)
        return None if named is None else (_int(g["y"]), named, _int(g.get("d")))
    year, month, day = _int(g["y"]), _int(g.get("m")), _int(g.get("d"))
    if month is not None and day is not None and not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return year, month, day


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def long_date(when: date) -> str:
    """'10. januar 2022': a date as Danish documents write it out."""
    return f"{when.day}. {DANISH_MONTHS[when.month - 1]} {when.year}"
