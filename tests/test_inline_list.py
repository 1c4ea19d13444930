"""A sentence that runs its enumeration in after a colon holds a list answer
(:func:`assistant.compose.holds`)."""

from __future__ import annotations

from assistant.compose import holds


def test_an_enumeration_after_a_colon_is_a_list() -> None:
    assert holds("list", "Rådet arbejder ud fra tre spor: Det hele menneske, Stærke "
                         "fagmiljøer og Ét område.")
    assert holds("list", "The plan has three tracks: housing, transport and climate.")


def test_a_colon_before_one_thing_or_a_clock_time_is_no_list() -> None:
    assert not holds("list", "Bemærk: mødet er flyttet til rådhuset.")
    assert not holds("list", "Mødet starter kl. 10:00 og slutter kl. 12:00.")
