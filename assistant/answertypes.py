"""The kinds of answer a question asks for: a figure, an amount, a date, a person, a list ...

Read off the question's wording (:func:`answer_types`); the answer composer looks for
sentences that hold that kind (:mod:`assistant.compose`), and the answerability check asks
the best evidence for it (an amount asked, none stated).
"""

from __future__ import annotations

import re

ANSWER_TYPES = (
    "number", "amount", "date", "person", "list", "reason", "frequency", "statement",
    "decision",
)
""""decision" is never read off a question's wording: the answer composer asks for it when
a question about what was decided needs sentences that report a decision."""

_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("number", re.compile(
        # a measure is a number too ('how tall', 'hvor bred')
        r"\b(hvor (?:mange|meget|stor|store|høj|højt|dyr|dyrt|lang|langt|bred|bredt|dyb|dybt"
        r"|gammel|gamle|tung|tungt)|hvilket beløb"
        r"|hvad koster|how (?:many|much|large|big|high|tall|wide|deep|old|heavy|expensive|long)"
        r"|what (?:amount|share|percentage)|antal(?:let)?\b|beløb"
        # 'what connection fee ... and what charge per cubic metre', 'hvilken takst'
        r"|what (?:\w+ ){0,3}(?:fee|charge|price|cost|rate|tax|sum)s?\b"
        r"|(?:hvilk\w*|hvad (?:er|var)) (?:\w+ ){0,2}\w*"  # 'hvad er grundkøbesummen'
        r"(?:takst|pris|gebyr|afgift|bidrag|sats|summen)\w*)", re.I)),
    ("date", re.compile(r"\b(hvornår|hvilken dato|what date|by what date|deadline"
                        # 'when' that asks ('When is', 'and when will', 'until when?'), not
                        # one that opens a clause ('which points did it stress when it met')
                        r"|when\s+(?:is|was|are|were|did|does|do|will|would|should|shall|can"
                        r"|could|has|have|had|must|may|might)|(?:until|till|since|by) when"
                        r"|when(?=\s*[?,]|\s*$)"
                        # a period or year asked for is a date too ('2023-2026'), and a
                        # season ('during which part of the year', 'hvilke måneder')
                        r"|(?:in )?(?:which|what) (?:period|year|months?|season)"
                        r"|(?:which|what) (?:part|time) of (?:the )?year|i hvilken periode"
                        r"|hvilken periode|hvilket år|hvilke måneder|hvilken del af året)\b",
                        re.I)),
    ("person", re.compile(r"\b(hvem|who|whom)\b"
        # 'hvilke to byrådsmedlemmer', 'which members': people asked for by what they are
        r"|\b(?:hvilke|hvilken|which)\s+(?:\w+\s+){0,2}?(?:\w*medlem\w*|members?|personer"
        r"|persons?|people|repræsentant\w*|representatives?|politiker\w*|politicians?"
        r"|councillors?|councilors?|borgmester|mayor)\b", re.I)),
    ("list", re.compile(r"\b(hvilke|which|list|name the|what are the)\b", re.I)),
    ("reason", re.compile(
        r"\b(hvorfor|why|(?:hvad|what) (?:var|was|were|er|is|are) (?:den |de |the )?(?:\w+ )?"
        r"(?:\w*årsag\w*|\w*grund\w*|begrundelse\w*|reasons?|causes?))\b", re.I)),
    ("frequency", re.compile(r"\b(hvor ofte|hvor mange gange|how often|how many times)\b",
                             re.I)),
)  # fmt: skip


_MONEY_RE = re.compile(
    # Danish money words also end compounds ('frokosttaksten', 'driftstilskud')
    r"(?:takst|gebyr|afgift|beløb|tilskud|bevilling|købesum)\w*"
    r"|\b(?:kr\b|kroner|koste\w*|pris\w*|bidrag\w*"
    r"|bevilg\w*|betal\w*|penge|løn\w*|diæt\w*|honorar\w*"
    r"|price|prices|priced|fee|fees|charge|charges|charged|cost|costs|pay|paid|payment\w*"
    r"|grant|grants|money|funding|allowance\w*|salar\w*|rent|tax|taxes|subsid\w*)\b",
    re.I)
"""A figure asked for in money ('hvor meget koster', 'what fee', 'how large a grant'): the
answer is an amount (kr., mio., a percentage), not any number - a date's day or a count."""


def answer_types(question: str) -> tuple[str, ...]:
    """Every kind of answer a question asks for, the main one first ('Who stepped in, and
    until when?' asks for a person and a date); ``("statement",)`` when none."""
    matches = [(m.start(), m.end(), kind) for kind, pattern in _TYPE_PATTERNS
               if (m := pattern.search(question))]
    # 'which' of 'which part of the year' is the date's, not a list's
    found = [(start, kind) for start, end, kind in matches
             if kind != "list" or not any(k != "list" and s <= start < e for s, e, k in matches)]
    kinds = tuple(kind for _, kind in sorted(found))
    if "frequency" in kinds:  # 'hvor mange gange' asks how often, not for a count
        kinds = tuple(k for k in kinds if k != "number")
    if "number" in kinds and _MONEY_RE.search(question):
        kinds = tuple("amount" if k == "number" else k for k in kinds)
    if "person" in kinds and "list" in kinds:
        kinds = tuple(k for k in kinds if k != "list")  # 'which two members': the people
    return kinds or ("statement",)


def answer_type(question: str) -> str:
    """The main kind of answer a question expects (one of ``ANSWER_TYPES``)."""
    return answer_types(question)[0]
