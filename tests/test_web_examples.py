"""The chat's example questions come from what the index holds (``web.core``), phrased by
the message catalog: a real temporary index of the samples, embedded by the fake embedder."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.messages import message
from ingest.models import Meeting
from web.core import AppCore, example_questions
from web.ui import EXAMPLE_LANGUAGES

LANGUAGES = ("da", "da", "en")


@pytest.fixture()
def core(hash_services: Any, corpus_copy: Path) -> AppCore:
    core = AppCore(hash_services)
    assert core.examples(LANGUAGES) == []  # an empty index: nothing to ask about
    assert core.ingest([corpus_copy])["ingested"] == 5
    return core


def days_with(meetings: list[Meeting], title: str) -> set[tuple[str | None, str | None]]:
    return {(m.body, m.date) for m in meetings for i in m.items if i.title == title}


def test_examples_ask_about_the_newest_meetings_of_each_body(core: AppCore) -> None:
    assert core.examples(LANGUAGES) == [
        "Hvad er indstillingen om Sundhedsreformens konsekvenser for CDEU, klima og "
        "kultursamarbejdet?",  # KKR Midtjylland's newest meeting (an agenda, 2025-04-08)
        "Hvad blev besluttet om KlimaMidt – Midtjysk klimasamarbejde efter 2023?",  # KD-Net
        "What is proposed about Analyse af udgiftsudviklingen på det specialiserede "
        "socialområde?",  # KKR's next meeting (2023-11-21): every body had its turn
    ]


def test_examples_skip_standing_items_and_never_repeat(core: AppCore) -> None:
    meetings = list(core.retriever.meetings.values())
    asked = core.examples(["da"] * 10)
    assert len(asked) == 5 == len(meetings)  # one item of each meeting
    titles = [q.removeprefix("Hvad er indstillingen om ").removeprefix(
        "Hvad blev besluttet om ").removesuffix("?") for q in asked]
    assert len(set(titles)) == len(titles)
    for title in titles:
        assert days_with(meetings, title) and len(days_with(meetings, title)) == 1, title
    # items every meeting day carries are never asked about
    standing = {i.title for m in meetings for i in m.items if len(days_with(meetings, i.title)) > 1}
    assert {"Eventuelt", "Godkendelse af referat"} <= standing
    assert not any(s in titles for s in standing)


def test_examples_are_the_same_for_the_same_index_and_skip_closed_items(
    core: AppCore,
) -> None:
    meetings = list(core.retriever.meetings.values())
    first = example_questions(meetings, LANGUAGES)
    assert example_questions(list(reversed(meetings)), LANGUAGES) == first
    newest = max(meetings, key=lambda m: m.date or "")
    picked = next(i.title for i in newest.items if f" {i.title}?" in first[0])
    closed = dataclasses.replace(newest, items=tuple(
        dataclasses.replace(i, closed=True) if i.title == picked else i
        for i in newest.items))
    others = [m for m in meetings if m is not newest]
    again = example_questions([closed, *others], LANGUAGES)
    assert picked not in again[0] and again[1:] == first[1:]
    assert any(f" {i.title}?" in again[0] for i in newest.items)  # still the newest meeting


def test_examples_are_phrased_by_the_catalog_in_each_language(core: AppCore) -> None:
    da, en = core.examples(["da"]), core.examples(["en"])
    assert da == [message("examples.proposed", "da",
                          title="Sundhedsreformens konsekvenser for CDEU, klima og "
                          "kultursamarbejdet")]
    assert en == [message("examples.proposed", "en",
                          title="Sundhedsreformens konsekvenser for CDEU, klima og "
                          "kultursamarbejdet")]


def ui_examples(app: Any) -> list[list[list[str]]]:
    with TestClient(app) as client:
        config = client.get("/config").json()
    return [c["props"]["samples"] for c in config["components"] if c.get("type") == "dataset"]


def test_the_chat_shows_the_index_examples_and_none_for_an_empty_index(
    hash_app: Any, tmp_path: Path, services_factory: Any
) -> None:
    from app import create_app
    from vectorstore.embedder import HashEmbedder

    shown = ui_examples(hash_app)
    assert shown == [[[q] for q in hash_app.state.core.examples(EXAMPLE_LANGUAGES)]]
    assert len(shown[0]) == len(EXAMPLE_LANGUAGES)
    empty = create_app(services_factory(tmp_path / "index", HashEmbedder()),
                       ingest_samples=False)
    assert ui_examples(empty) == []
