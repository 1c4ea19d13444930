"""The type of a document whose header and first page name none.

The places after the page itself are read in order: the running page header, the file's
metadata, the file's own name ('Referat_ØU_2024-03-12.pdf', 'dagsorden.html').  Then the
items: a page that records decisions is minutes ('referat').  Only then the folders the
file is filed under: a folder names the collection a site or archive files its meeting
pages under ('/dagsorden/kommunalbestyrelsen-24-04-2019', one section for agendas and
minutes alike), not this document.
"""

from __future__ import annotations

from collections.abc import Sequence

from .header import doc_type_word


def path_doc_types(path_text: str) -> tuple[str | None, str | None]:
    """(type the file's own name names, type its folders name) of ``path_text``: the
    path as words, the file's name on the first line and its folders on the lines after.

    >>> path_doc_types("kommunalbestyrelsen 24 04 2019\\ndagsorden\\nvallensbaek.dk")
    (None, 'dagsorden')
    >>> path_doc_types("referat\\nsocial og sundhed")
    ('referat', None)
    """
    own, _, folders = path_text.partition("\n")
    return doc_type_word(own), doc_type_word(folders)


def unstated_doc_type(
    places: Sequence[str],
    path_text: str,
    decided: bool,
    warnings: list[str],
    listed: str | None = None,
    told: str | None = None,
) -> str | None:
    """The type the first of ``places`` (running header, metadata) names, else the file's
    own name in ``path_text``, else 'referat' when ``decided`` (decisions are recorded),
    else the type ``told`` by the tense the page tells its meeting in (``meetingclues``),
    else the type ``listed`` by the caption over the items ('Dagsorden:', ``typeclues``),
    else its folders; None when nothing names one.  Warns when the type is assumed or
    unknown."""
    own, filed = path_doc_types(path_text)
    found = next((t for text in places if text.strip() and (t := doc_type_word(text))), own)
    if found is None and decided:
        warnings.append("document type not stated: assumed 'referat' (decisions are recorded)")
        return "referat"
    if found is None and told:
        tense = "held" if told == "referat" else "still to come"
        warnings.append(f"document type not stated: assumed '{told}' (meeting told as {tense})")
        return told
    if (found := found or listed or filed) is None:
        warnings.append("document type not found: stored as unknown")
    return found
