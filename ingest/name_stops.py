"""A title that ends in a short proper name closes with a full stop, not an abbreviation.

A title's closing stop is kept when the title ends in an abbreviation ('... 3 mio. kr.',
'... m.m.', 'Evt.'), which a short last word suggests.  A short capitalised word that is no
abbreviation of the language is a name - a place ('... lægesituationen på Fur.', 'i Ry.'),
an acronym ('... med EU.') - and such a word takes no stop of its own: the stop closes the
title as a sentence's stop does and is dropped like one.
"""

from __future__ import annotations

import re

from .danish import ABBREVIATIONS

_LAST_WORD_RE = re.compile(r"(?:^|\s)([A-ZÆØÅ][A-Za-zÆØÅæøå]{0,2})\.$")


def ends_in_name(title: str) -> bool:
    """True when ``title`` ends in a short capitalised word that is no known abbreviation,
    followed by its closing full stop."""
    m = _LAST_WORD_RE.search(title)
    return m is not None and m.group(1).lower() not in ABBREVIATIONS
