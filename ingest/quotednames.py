"""A committee named in quotation marks after its body word.

Some councils give a committee a name of its own and print it quoted after the bare body
word: 'Udvalget "Læring og Trivsel for Børn og Unge"', 'Udvalget “Klima og Miljø”'.  The
quoted words are the name (a bare 'Udvalget' names no committee), so the body is the word
with its quoted name as printed.
"""

from __future__ import annotations

import re

_QUOTED_RE = re.compile(r"[ \t]+([\"“„»«][^\"“”„»«\n]{3,80}[\"”“«»])")


def quoted_name(text: str, end: int) -> str | None:
    """The quoted name right after a bare body word that ends at ``end`` in ``text``, with
    its space and quotation marks as printed (' "Læring og Trivsel"'); None when none
    follows."""
    m = _QUOTED_RE.match(text, end)
    if m is None or not m.group(1)[1:2].isupper():
        return None
    return m.group(0)
