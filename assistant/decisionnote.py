"""The sentence of a recorded decision that says what was decided.

A timeline entry quotes its item's decision briefly (the first sentence), but minutes often
open a decision with what was said ('Formanden gav en kort status på forhandlingerne ...')
and only then record what the body did ('Udvalget godkendte indstillingerne.').
A reader preparing a briefing needs the second: so when the first sentences quoted hold no
operative word - approved, decided, adopted, recommended, rejected, granted, postponed,
noted - the quote runs on to the first sentence that does (within the decision's first few
sentences), and otherwise stays as it was.
"""

from __future__ import annotations

import re

from ingest.danish import split_sentences

OPERATIVE_RE = re.compile(
    r"(?<![\wæøå])(?:godkend\w*|beslut\w*|vedt[oa]g\w*|tiltr[åa]d\w*|anbefal\w*|afvis\w*"
    r"|bevilg\w*|udsat\w*|udsætte\w*|(?:tog|taget|tager)\s+[^.]{0,80}?til\s+"
    r"(?:efterretning|orientering))",
    re.IGNORECASE,
)
"""A word that records what a body did with a case (not what was said about it)."""
REACH = 3
"""Sentences of a decision searched for its operative one."""


def decision_note(decision: str, first: str) -> str:
    """``first`` (the decision's opening sentences as quoted) when it says what was done,
    else the decision's sentences up to the first operative one within ``REACH``."""
    if OPERATIVE_RE.search(first):
        return first
    sentences = split_sentences(decision)[:REACH]
    for k, sentence in enumerate(sentences):
        if OPERATIVE_RE.search(sentence):
            return " ".join(sentences[: k + 1])
    return first
