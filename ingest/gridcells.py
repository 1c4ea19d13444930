"""Cells of a flattened grid: a web page's routing table ('Sagsgang': committee codes 'BY',
'ØK', 'PBU' ... as column or row heads, then 'Orientering' / 'Indstilling' / 'Beslutning'
and an 'x' in each cell it ticks) given one cell a line.  A cell that spells a label word
is no label: it stands in a run of one-word cells, those right above it no labels, and a
cell follows it ('Relevans' / 'Nej' / 'Bilag' / 'First-agenda Sagsfremstilling' is a label
after an app's fields)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .textlines import Line

_CELL_CHARS = 15
_CELLS_ABOVE = 2
"""Non-label cells that must stand in the run above a label word for it to be a cell:
one short line above a label ('Godkendt' / 'Beslutning') is a decision's text."""


def _is_cell(line: Line) -> bool:
    clean = line.clean
    return 0 < len(clean) <= _CELL_CHARS and " " not in clean and not clean.endswith((".", ":"))


def in_grid(lines: Sequence[Line], line: Line, label_of: Callable[[str], str | None]) -> bool:
    """True when ``line`` (a label word) is a cell of a grid flattened one cell a line: the
    text line below it and those right above it are one-word cells, at least two of those
    above no label (``label_of`` gives a line's label or None)."""
    below = next((ln for ln in lines[line.index + 1 :] if not ln.blank), None)
    if not _is_cell(line) or below is None or not _is_cell(below):
        return False
    plain = 0
    for above in reversed(lines[: line.index]):
        if above.blank:
            continue
        if not _is_cell(above):
            break
        if label_of(above.clean) is None:
            plain += 1
            if plain >= _CELLS_ABOVE:
                return True
    return False
