"""A change question naming two meetings keeps the items of those meetings
(:mod:`assistant.compare`), not every item near the topic in between."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from assistant.compare import compared_hits
from assistant.query import analyze


def _hits(*ranked: tuple[str, float]) -> list[Any]:
    return [SimpleNamespace(meeting=SimpleNamespace(date=d), score=s, n=i)
            for i, (d, s) in enumerate(ranked)]


RANKED = _hits(("2022-11-04", 0.950), ("2023-02-10", 0.945), ("2022-11-04", 0.930),
               ("2023-06-21", 0.925), ("2022-11-04", 0.920), ("2023-06-21", 0.910),
               ("2023-02-10", 0.900))
"""Ranked results: the named meetings (November 2022, June 2023) and one between them
(February 2023) whose first item scores nearly as well as the best."""


def test_a_change_between_two_named_meetings_keeps_their_best_items() -> None:
    query = analyze("How did the steering-group set-up change between the network's meeting "
                    "in November 2022 and the minutes of June 2023?")
    assert query.timeline
    kept = compared_hits(query, RANKED)
    # two of each named month, and the step between them scoring nearly as well as the best
    assert [h.n for h in kept] == [0, 1, 2, 3, 5]


def test_a_danish_change_question_is_narrowed_too() -> None:
    query = analyze("Hvordan ændrede styregruppen sig fra mødet i november 2022 til "
                    "referatet fra juni 2023?")
    assert query.timeline
    assert [h.n for h in compared_hits(query, RANKED)] == [0, 1, 2, 3, 5]


def test_other_timelines_and_one_named_meeting_are_left_as_they_are() -> None:
    developed = analyze("How did the loan pool develop between November 2022 and June 2023?")
    assert developed.timeline
    assert compared_hits(developed, RANKED) == RANKED  # no change word: the whole span
    one = analyze("How did the set-up change after the meeting in June 2023?")
    assert compared_hits(one, RANKED) == RANKED
    unheld = analyze("How did the set-up change between March 2021 and June 2023?")
    assert compared_hits(unheld, RANKED) == RANKED  # only one named meeting is in the results
