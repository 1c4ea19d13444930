"""The records of a table of contents: its entries (number, title, line) and its span.

Kept apart from ``toc`` so that the readers of special TOC forms (``labelled_toc``,
``paged_toc``) build the same records without importing the TOC finder.
"""

from __future__ import annotations

from dataclasses import dataclass

from .danish import number_key


@dataclass(frozen=True)
class TocEntry:
    """One numbered TOC line: item number, title as printed, line index; ``closed`` when
    the list puts it under a closed group's heading (``closedgroups``)."""

    number: str
    title: str
    line: int
    closed: bool = False

    @property
    def key(self) -> tuple[int, ...]:
        return number_key(self.number)

    @property
    def level(self) -> int:
        return len(self.key)


@dataclass(frozen=True)
class Toc:
    """The TOC entries in order and the line range [start, end) the TOC occupies."""

    entries: tuple[TocEntry, ...]
    start: int
    end: int
