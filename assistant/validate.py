"""The rules for a question and its filters, shared by every front end (API, CLI, web UI).

A bad value is refused before any search with an :class:`InputError` that names the field
(as the JSON API spells it: ``question``, ``k``, ``body``, ``from``, ``to``, ``doc_type``)
and says what is wrong, in Danish unless the question is English.  Silently searching with a
misspelt body or an inverted date range would instead answer "nothing found", which reads
as a fact about the archive.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .answer import MAX_QUESTION_CHARS
from .messages import message
from .query import detect_language
from .search import parse_date

MAX_K = 50
DOC_TYPES = ("dagsorden", "referat")
ALLOWED_CONTROLS = frozenset("\t\n\r")
"""Line breaks and tabs come with pasted text; every other control character is refused."""
LISTED_BODIES = 12
"""How many of the held bodies an 'unknown body' message names."""
MAX_FIELD_CHARS = 200
"""Longest body or section name accepted (the longest stored ones are far shorter)."""


class InputError(ValueError):
    """A refused input value: ``field`` names it, the message says why (Danish and English;
    ``str()`` gives the one of ``language``)."""

    def __init__(self, field: str, da: str, en: str, language: str = "da") -> None:
        self.field = field
        self.texts = {"da": da, "en": en}
        self.language = language if language in self.texts else "da"
        super().__init__(self.message())

    @classmethod
    def coded(cls, field: str, key: str, language: str = "da", /, **params: Any) -> InputError:
        """The refusal ``validate.<key>`` of the message catalog, in Danish and English."""
        return cls(field, message(f"validate.{key}", "da", **params),
                   message(f"validate.{key}", "en", **params), language)

    def message(self, language: str | None = None) -> str:
        """The message in ``language`` (default: the question's)."""
        return self.texts.get(language or self.language, self.texts["da"])

    def __str__(self) -> str:
        return f"{self.field}: {self.message()}"


@dataclass(frozen=True)
class AskInput:
    """A question and filters that passed :func:`validate_ask` (dates in ISO form)."""

    question: str
    k: int = 5
    body: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    doc_type: str | None = None
    section: str | None = None


def check_question(question: str | None) -> str:
    """The question, stripped; refused when blank, without a letter or digit, too long, or
    holding control characters (a NUL or an escape sequence is never part of a question)."""
    text = (question or "").strip()
    lang = detect_language(text)
    if not text:
        raise InputError.coded("question", "blank", lang)
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError.coded("question", "too_long", lang, n=len(text), max=MAX_QUESTION_CHARS)
    bad = next((c for c in text if _forbidden(c)), None)
    if bad is not None:
        raise InputError.coded("question", "question_control", lang, char=f"U+{ord(bad):04X}")
    if not any(c.isalnum() for c in text):
        raise InputError.coded("question", "no_letters", lang)
    return text


def check_text(field: str, value: str | None, language: str = "da") -> str | None:
    """A short free-text filter value (body, section), stripped; '' -> None; refused when
    over ``MAX_FIELD_CHARS`` or holding control characters."""
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > MAX_FIELD_CHARS:
        raise InputError.coded(field, "field_too_long", language, n=len(text),
                               max=MAX_FIELD_CHARS)
    bad = next((c for c in text if _forbidden(c)), None)
    if bad is not None:
        raise InputError.coded(field, "field_control", language, char=f"U+{ord(bad):04X}")
    return text


def _forbidden(char: str) -> bool:
    """Control characters (except tab and line breaks) and lone surrogates (not text)."""
    return unicodedata.category(char) in ("Cc", "Cs") and char not in ALLOWED_CONTROLS


def check_k(k: int, language: str = "da") -> int:
    if not 1 <= k <= MAX_K:
        raise InputError.coded("k", "k_range", language, k=k, max=MAX_K)
    return k


def check_date(field: str, value: str | None, language: str = "da") -> str | None:
    """'' / None -> None; a date (YYYY-MM-DD or DD-MM-YYYY) -> ISO; otherwise refused."""
    try:
        return parse_date(value)
    except ValueError:
        raise InputError.coded(field, "bad_date", language, value=value) from None


def check_doc_type(value: str | None, language: str = "da") -> str | None:
    if not value:
        return None
    if value not in DOC_TYPES:
        da, en = (
            message("validate.doc_type", lang, value=value,
                    types=f" {message('validate.or', lang)} ".join(DOC_TYPES))
            for lang in ("da", "en")
        )
        raise InputError("doc_type", da, en, language)
    return value


def check_body(value: str | None, bodies: Sequence[str], language: str = "da") -> str | None:
    """The body as stored; a different letter case is forgiven (the filter is exact)."""
    wanted = check_text("body", value, language)
    if wanted is None:
        return None
    match = next((b for b in bodies if b.casefold() == wanted.casefold()), None)
    if match is not None:
        return match
    shown = ", ".join(bodies[:LISTED_BODIES]) + (" …" if len(bodies) > LISTED_BODIES else "")
    if not bodies:
        raise InputError.coded("body", "no_bodies", language, body=wanted)
    raise InputError.coded("body", "unknown_body", language, body=wanted, bodies=shown)


def validate_ask(
    question: str | None,
    *,
    k: int = 5,
    body: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    doc_type: str | None = None,
    section: str | None = None,
    bodies: Sequence[str] | None = None,
) -> AskInput:
    """Every rule for one question; the first broken one raises :class:`InputError`.

    ``bodies`` are the bodies the index holds (``None``: the body is not checked, for a
    caller that validates before it opens the index and calls :func:`check_body` later)."""
    text = check_question(question)
    lang = detect_language(text)
    k = check_k(k, lang)
    start = check_date("from", date_from, lang)
    end = check_date("to", date_to, lang)
    if start and end and end < start:
        raise InputError.coded("to", "range_inverted", lang, end=end, start=start)
    kind = check_doc_type(doc_type, lang)
    name = check_body(body, bodies, lang) if bodies is not None else check_text("body", body, lang)
    return AskInput(text, k, name, start, end, kind, check_text("section", section, lang))
