"""Contents entries whose numbers were lost: their titles run on in the entry above.

A transcript that flattens a contents list may lose the numbers of whole entries, digits
and all ('4. Strategi Opfølgning på turismemøde den 10. januar Økonomi 7. Nordjysk Open
Data indsats').  The numbering says where that happened: an entry whose next entry's
number skips ('4.' then '7.') holds the titles of the entries between, run on after its
own.  Titles are printed in sentence case, so the first of those titles opens where a
capitalised word starts a new phrase (``titleends.next_title_at``); the entry's title ends
there.  The lost entries themselves stay out of the list: their numbers are not printed,
and a reader cannot tell which of the run-on words belong to which of them.

The same reading already splits the one-line 'Pkt. Tekst Side' tables (``columned_toc``);
this applies it to any contents list.  An entry whose next number follows on keeps its
title whole: there nothing was lost, and a name inside a title ('Henvendelse fra borger
Hans Jensen om ...') is no second title.
"""

from __future__ import annotations

from .titleends import next_title_at
from .tocentries import Toc, TocEntry


def without_lost_titles(toc: Toc) -> Toc:
    """``toc`` with each entry that precedes a gap in the numbering cut where the titles
    of the lost entries begin."""
    entries = list(toc.entries)
    changed = False
    for k, (entry, following) in enumerate(zip(entries, entries[1:], strict=False)):
        if entry.level != 1 or following.level != 1 or following.key[0] <= entry.key[0] + 1:
            continue
        cut = next_title_at(entry.title)
        if cut is not None and entry.title[:cut].strip():
            entries[k] = TocEntry(entry.number, entry.title[:cut].rstrip(), entry.line,
                                  entry.closed)
            changed = True
    return Toc(tuple(entries), toc.start, toc.end) if changed else toc
