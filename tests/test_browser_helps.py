"""A verse's helps one tap away, in Chromium at a desktop's and a phone's width: en_ult built
with its notes, questions and word links (and tA, tW for titles); a tap on a verse number opens
them in a side sheet (desktop) or a bottom sheet (phone), fetched per chapter only then.

Screenshots go to test-output/browser/ (helps-*.png).
"""

from __future__ import annotations

import pytest

from .browser_support import (
    OUTPUT,
    Build,
    built_and_served,
    page_opener,
    require_browser,
)
from .helpers import require_shared

pytestmark = pytest.mark.browser

COMMIT = "c4" * 20
VERSE = '[id="056-ch-001-v-001"]'  # Titus 1:1 (the id starts with a digit: no #selector)
FIRST_NOTE = "for the faith of the chosen people of God and knowledge of the truth"
QUESTION = "What was Paul's purpose in his service to God?"
LOADED = "() => document.querySelector('.tx-helps-panel__group')"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory):
    require_browser()
    samples = require_shared()
    root = tmp_path_factory.mktemp("web-helps")
    related = [samples / n for n in ("en_tn", "en_tq", "en_twl", "en_ta", "en_tw")]
    with built_and_served(root, [Build(samples / "en_ult", root / "en_ult", COMMIT,
                                       related=related)]) as served:
        yield served


@pytest.fixture
def open_page(web):
    with page_opener(*web) as open_page:
        yield open_page


def _helps_requests(page) -> list[str]:
    return page.evaluate("() => performance.getEntriesByType('resource')"
                         ".map(e => e.name).filter(n => n.includes('/helps/'))")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_verse_number_opens_its_notes_questions_and_words(open_page, width):
    page = open_page("en_ult/57-TIT.html", width)
    assert page.locator(".tx-helps-panel").count() == 0
    assert not _helps_requests(page)  # a reader who never opens it downloads nothing
    page.click(VERSE)
    page.wait_for_function(LOADED)
    panel = page.locator(".tx-helps-panel")
    assert panel.is_visible()
    assert page.locator(".tx-helps-panel__title").inner_text() == "Titus 1:1"
    notes = panel.locator("[data-kind=notes] .tx-note-title")
    assert notes.first.inner_text().startswith(FIRST_NOTE)
    assert QUESTION in panel.locator("[data-kind=questions]").inner_text()
    assert "Paul, Saul" in panel.locator("[data-kind=words]").inner_text()  # tW's heading
    assert [u.rsplit("/", 3)[-3:] for u in _helps_requests(page)] == [["helps", "tit", "1.json"]]
    # each item leads to its full page, on the related resource's published site
    link = notes.first.locator("a.tx-helps-panel__open").get_attribute("href")
    assert link == "https://door43.org/u/test/en_tn/master/57-TIT.html#rtc9"  # --owner test
    assert panel.locator(".tx-verse-menu button", has_text="Copy").is_visible()  # the menu
    assert not page.locator("body > .tx-verse-menu:not([hidden])").count()  # not twice
    box, view = panel.bounding_box(), page.viewport_size
    if width == "desktop":  # a side sheet at the right edge
        assert box["x"] + box["width"] == pytest.approx(view["width"], abs=1)
        assert box["width"] < view["width"] / 2
    else:  # a bottom sheet across the screen; the verse stays above it
        assert box["width"] == pytest.approx(view["width"], abs=1)
        assert box["y"] + box["height"] == pytest.approx(view["height"], abs=1)
        page.wait_for_timeout(600)  # the smooth scroll that brings the verse up
        verse = page.locator(VERSE).bounding_box()
        assert verse["y"] + verse["height"] <= box["y"]
    page.screenshot(path=OUTPUT / f"helps-{width}.png")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    # another chapter: its file only now; a verse without helps says so
    page.click('[id="056-ch-002-v-001"]')
    page.wait_for_function(LOADED)
    assert len(_helps_requests(page)) == 2
    assert "Titus 2:1" in page.locator(".tx-helps-panel__title").inner_text()


def test_right_to_left_pages_mirror_the_panel(open_page):
    page = open_page("en_ult/57-TIT.html", "desktop")
    page.evaluate("() => { document.documentElement.dir = 'rtl'; document.body.dir = 'rtl' }")
    page.click(VERSE)
    page.wait_for_function(LOADED)
    box = page.locator(".tx-helps-panel").bounding_box()
    assert box["x"] == pytest.approx(0, abs=1)  # at the left edge, the start of an RTL page
    page.screenshot(path=OUTPUT / "helps-desktop-rtl.png")
