"""The web app in a real browser (Debian chromium driven by Playwright, headless).

Asks the sample question, follows a citation into a new tab (the cited passage is marked
and scrolled into view), pins two passages and exports a DOCX briefing, and checks that a
hostile document is shown as text.  Any JavaScript dialog (alert) fails the test.
Screenshots go to docs/screenshots/.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

pytestmark = pytest.mark.slow

playwright_api = pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402
from test_app_api import HOSTILE  # noqa: E402

if TYPE_CHECKING:
    from conftest import LiveServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
QUESTION = "Hvad blev besluttet om KlimaMidt?"
ANSWER_TIMEOUT_MS = 90_000


@pytest.fixture(scope="module")
def live(live: LiveServer) -> LiveServer:
    """conftest's served app, with the hostile document added."""
    r = httpx.post(f"{live.url}/api/ingest", files={"files": ("hackervaern.txt", HOSTILE)},
                   timeout=120)
    assert r.status_code == 200 and r.json()["ingested"] == 1, r.text
    return live


@pytest.fixture(scope="module")
def browser(live: LiveServer) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def context(browser: Browser) -> Iterator[tuple[BrowserContext, list[str]]]:
    """A fresh context; every page in it records JavaScript dialogs (which must not occur)."""
    dialogs: list[str] = []

    def watch(page: Page) -> None:
        def on_dialog(dialog: Any) -> None:
            dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.on("page", watch)
    yield ctx, dialogs
    ctx.close()
    assert not dialogs, f"a document opened a JavaScript dialog: {dialogs}"


def open_app(ctx: BrowserContext, live: LiveServer) -> Page:
    page = ctx.new_page()
    page.goto(live.url + "/", wait_until="load")
    page.wait_for_selector("#question textarea", timeout=30_000)
    return page


def ask(page: Page, question: str) -> None:
    box = page.locator("#question textarea").first
    box.fill(question)
    box.press("Enter")
    expect(page.locator("#chatbot")).to_contain_text(question, timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_function(
        "() => document.querySelectorAll('#cards .mc-card').length > 0 &&"
        " document.querySelector('#question textarea').value === ''",
        timeout=ANSWER_TIMEOUT_MS,
    )


def api_results(live: LiveServer, question: str) -> list[dict[str, Any]]:
    r = httpx.post(f"{live.url}/api/ask", json={"question": question}, timeout=60)
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def test_chat_cites_and_opens_the_source(
    live: LiveServer, context: tuple[BrowserContext, list[str]]
) -> None:
    ctx, _ = context
    page = open_app(ctx, live)
    ask(page, QUESTION)
    cards = page.locator("#cards .mc-card")
    expect(cards.first).to_be_visible()
    expected = api_results(live, QUESTION)
    assert cards.count() == len(expected)
    first = cards.first
    expect(first.locator(".mc-link")).to_have_text(expected[0]["citation"])
    expect(first.locator(".mc-decision, .mc-nodecision")).to_be_visible()
    expect(page.locator("#chatbot")).to_contain_text("[1]")
    expect(page.locator("#cards mark.ma-term").first).to_be_visible()  # query words marked
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat.png"), full_page=True)

    link = first.locator("a.mc-link")
    assert link.get_attribute("target") == "_blank"
    with ctx.expect_page() as opened:
        link.click()
    source = opened.value
    source.wait_for_load_state("load")
    assert source.url.endswith(expected[0]["url"])
    mark = source.locator("mark#hl")
    expect(mark).to_be_visible()
    expect(mark).to_be_in_viewport()
    expect(source.locator(".ma-item-title")).to_contain_text(expected[0]["item"]["title"])
    source.screenshot(path=str(SCREENSHOTS / "source.png"))

    # a deep link pasted into a fresh tab works the same
    fresh = ctx.new_page()
    fresh.goto(live.url + expected[1]["url"], wait_until="load")
    expect(fresh.locator("mark#hl")).to_be_in_viewport()


def test_pin_two_passages_and_export_docx(
    live: LiveServer, context: tuple[BrowserContext, list[str]], tmp_path: Path
) -> None:
    import docx

    from ingest.chunker import format_date

    ctx, _ = context
    page = open_app(ctx, live)
    ask(page, QUESTION)
    expected = api_results(live, QUESTION)[:2]
    boxes = page.locator("#pick input[type=checkbox]")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.locator("#pin").click()
    expect(page.locator("#pinned input[type=checkbox]")).to_have_count(2)
    page.locator("#export-docx").click()
    link = page.locator("#download a").first
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.suffix == ".docx"

    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    for pin in expected:
        first_line = pin["text"].strip().splitlines()[0]
        at = next(i for i, text in enumerate(paragraphs) if first_line in text)
        citation = paragraphs[at + 1]  # the citation follows its passage
        assert pin["meeting"]["body"] in citation
        assert format_date(pin["meeting"]["date"]) in citation
        assert f"pkt. {pin['item']['number']} " in citation
        assert re.search(r"https?://127\.0\.0\.1:\d+/item/", citation)


def test_hostile_document_is_shown_as_text(
    live: LiveServer, context: tuple[BrowserContext, list[str]]
) -> None:
    ctx, _ = context
    page = open_app(ctx, live)
    ask(page, "Hvad indstilles om hackerværn?")
    cards = page.locator("#cards")
    expect(cards).to_contain_text("<svg/onload=alert(2)>")
    expect(cards).to_contain_text("<img/src=x/onerror=alert(3)>")
    expect(page.locator("#chatbot")).to_contain_text("<img/src=x/onerror=alert(3)>")
    assert page.locator("#cards svg[onload], #cards img, #chatbot img[onerror]").count() == 0

    with ctx.expect_page() as opened:
        cards.locator("a.mc-link").first.click()
    source = opened.value
    source.wait_for_load_state("load")
    expect(source.locator("body")).to_contain_text("<svg/onload=alert(5)>")
    expect(source.locator("body")).to_contain_text('"><svg/onload=alert(8)>')
    assert source.locator("svg, img").count() == 0
    source.wait_for_timeout(500)  # give any injected handler the chance to fire


def test_follow_up_timeline_and_language(
    live: LiveServer, context: tuple[BrowserContext, list[str]]
) -> None:
    ctx, _ = context
    page = open_app(ctx, live)
    ask(page, QUESTION)
    ask(page, "og hvad skete der i 2023?")
    # the elliptic follow-up still searched for KlimaMidt
    expect(page.locator("#cards")).to_contain_text("KlimaMidt")

    page.get_by_role("tab", name="Tidslinje").click()
    page.locator("#topic textarea").fill("KlimaMidt klimasamarbejde")
    page.locator("#topic textarea").press("Enter")
    rows = page.locator("#timeline-html li")
    expect(rows.first).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    dates = [d.split(".")[::-1] for d in rows.locator(".mc-date").all_inner_texts()]
    assert len(dates) >= 2 and dates == sorted(dates)

    page.get_by_label("English").check()
    expect(page.locator("#send")).to_have_text("Ask")
    expect(page.get_by_role("tab", name="Timeline")).to_be_visible()
