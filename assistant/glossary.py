"""English -> Danish glossary of Danish local-government vocabulary, for lexical search.

BM25 cannot match an English question to Danish documents; the dense model can, but
loosely.  Translating the domain's key terms lets BM25 contribute for English questions
too.  The table is the data file ``glossary.json`` (plus the user's own file named in
``MEETINGS_GLOSSARY``): keys are lower-case English word beginnings (matched at word
start; a key ending in ``$`` is a whole word), values Danish words as the documents write
them.  Entries only ever add search terms: no answer or refusal depends on an entry being
present.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ingest.tables import load_table

GLOSSARY_FILE = Path(__file__).with_name("glossary.json")
GLOSSARY_ENV = "MEETINGS_GLOSSARY"


def load_glossary(extra: str | None = None) -> dict[str, str]:
    """``glossary.json`` plus the user's file (``MEETINGS_GLOSSARY``)."""
    return load_table(GLOSSARY_FILE, GLOSSARY_ENV, "glossary", extra)


GLOSSARY: dict[str, str] = load_glossary()

_ENTRIES = sorted(GLOSSARY.items(), key=lambda kv: len(kv[0]), reverse=True)


def _key_pattern(key: str) -> str:
    """A key matches at a word start and may go on ('subsid' -> 'subsidies'); one ending in
    '$' is a whole word ('bus$' matches 'bus', not 'business')."""
    if key.endswith("$"):
        return rf"\b{re.escape(key[:-1])}\b"
    return rf"\b{re.escape(key)}"


@cache
def _compiled() -> list[tuple[re.Pattern[str], list[str]]]:
    """The keys compiled once, on the first English question (a thousand patterns overflow
    ``re``'s own cache - compiling them per question cost ~20 ms - and compiling them at
    import cost every process ~40 ms, Danish-only ones too)."""
    return [(re.compile(_key_pattern(english)), danish.split()) for english, danish in _ENTRIES]


def translate_terms(question: str) -> list[str]:
    """Danish search words for the glossary terms an English question uses."""
    low = question.lower()
    found: list[str] = []
    for pattern, danish in _compiled():
        if pattern.search(low):
            found.extend(danish)
    return found

