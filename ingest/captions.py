"""A label printed right under an opening label, before any text: a caption inside it.

A web template may open an item's Resume with a caption of its own ('Resume' / 'Politisk
behandling:' / 'Kultur- og Demokratiudvalget (til efterretning), 03.09.2018' / the resume's
text).  A subheading label (a background label that opens no item body) that follows an
opening background label with no text between them heads no section of its own: it and
what follows are the opening section's text.  A subheading after text, or any label after
a proposal or a decision, or one with no text under it (a form's empty fields, one label
under the other), still starts its own section.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from .textlines import Line


class _Labelled(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def role(self) -> str: ...


def caption_under_opening(
    markers: Sequence[_Labelled],
    lines: Sequence[Line],
    line: Line,
    name: str,
    role: str,
    opening: Callable[[str, str], bool],
    label: Callable[[str], str | None],
) -> bool:
    """True when label ``name`` (``role``) on ``line`` is a caption inside the opening
    section whose label is the previous text line, with text under it (``opening(name,
    role)`` tells an opening label, ``label(clean)`` any label: a form's empty fields, one
    label under the other, stay fields)."""
    if not markers or role != "background" or opening(name, role):
        return False
    last = markers[-1]
    if last.kind != "label" or last.role != "background" or not opening(last.name, last.role):
        return False
    before = next((ln for ln in reversed(lines[: line.index]) if not ln.blank), None)
    after = next((ln for ln in lines[line.index + 1 :] if not ln.blank), None)
    if after is None or label(after.clean) is not None:
        return False
    return before is not None and before.index == last.line
