"""Find any verse in one step: references typed into search, the verse picker, verse results,
and a first load that does not bring the search index (Playwright, Debian's Chromium).

Screenshots go to test-output/browser/find-*.png.
"""

from __future__ import annotations

import pytest

from .browser_support import (
    DESKTOP,
    OUTPUT,
    WIDTHS,
    Build,
    built_and_served,
    first_load_bytes,
    page_opener,
    write_mini_bible,
)
from .helpers import require_shared

pytestmark = [pytest.mark.browser, pytest.mark.slow]

COMMIT = "c3" * 20
#: A chapter page's first load, fonts aside (the site ships none): the search index is not in it.
FIRST_LOAD_LIMIT = 700_000
JOHN_3_16 = "44-JHN.html#043-ch-003-v-016"


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory):
    """full_bible, hbo_uhb and a Spanish Genesis built and served; Chromium: (base URL, browser)."""
    samples = require_shared()
    root = tmp_path_factory.mktemp("find")
    spanish = write_mini_bible(tmp_path_factory.mktemp("es") / "es_mini", code="es",
                               title="Español", direction="ltr", book_name="Génesis",
                               verses=["En el principio creó Dios los cielos y la tierra.",
                                       "Y la tierra estaba desordenada y vacía."])
    builds = ([Build(samples / n, root / n, COMMIT) for n in ("full_bible", "hbo_uhb")]
              + [Build(spanish, root / "es_mini", COMMIT)])
    with built_and_served(root, builds) as served:
        yield served


@pytest.fixture
def open_page(web):
    """Opens a page in a context of its own (``width``: desktop or phone); checked when done."""
    with page_opener(*web) as open_page:
        yield open_page


def wait_for_url(page, ending: str) -> None:
    page.wait_for_url(lambda url: url.endswith(ending), timeout=10000)


def type_query(page, text: str) -> None:
    box = page.locator(".md-search__input")
    button = page.locator("label.md-header__button[for=__search]")  # a phone's search button
    if button.is_visible() and not page.evaluate("document.getElementById('__search').checked"):
        button.click()
    box.click()
    box.fill(text)
    box.press("End")  # Material searches on key events; fill() alone only sets the value


@pytest.mark.parametrize("width", WIDTHS)
def test_deep_link_query_lands_on_the_verse(open_page, width: str):
    page = open_page("full_bible/index.html?q=John 3:16", width)
    wait_for_url(page, "full_bible/" + JOHN_3_16)
    page.wait_for_function("() => document.getElementById('043-ch-003-v-016')")
    page.screenshot(path=OUTPUT / f"find-deep-link-{width}.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_typed_reference_is_the_first_result_and_enter_goes_there(open_page, width: str):
    page = open_page("full_bible/43-LUK.html", width)
    if width == "phone":
        page.locator("label[for=__search]").first.click()
    type_query(page, "jhn 3.16")
    hit = page.locator(".tx-ref-hit")
    hit.wait_for(state="visible")
    assert hit.inner_text().replace("\n", " ") == "Go to John 3:16"
    assert hit.get_attribute("href").endswith(JOHN_3_16)
    page.screenshot(path=OUTPUT / f"find-typed-{width}.png")
    page.locator(".md-search__input").press("Enter")
    wait_for_url(page, JOHN_3_16)


def test_references_of_the_bibles_own_language(open_page):
    page = open_page("es_mini/index.html")
    type_query(page, "genesis 1.2")  # typed without the accent of "Génesis" (its \\h)
    page.locator(".tx-ref-hit").wait_for(state="visible")
    assert page.locator(".tx-ref-hit__ref").inner_text() == "Génesis 1:2"
    page.locator(".md-search__input").press("Enter")
    wait_for_url(page, "01-GEN.html#001-ch-001-v-002")


@pytest.mark.parametrize("width", WIDTHS)
def test_words_find_verses_that_link_to_their_anchor(open_page, width: str):
    page = open_page("full_bible/index.html", width)
    type_query(page, "shepherd")
    # the whole Bible's index is fetched and indexed now (search was just opened): be patient
    page.wait_for_selector(".md-search-result__item", timeout=60000)
    assert page.locator(".tx-ref-hit").is_hidden()
    links = page.locator(".md-search-result__item a").evaluate_all(
        "(as) => as.map(a => [a.getAttribute('href'), a.querySelector('h1, h2')?.textContent])")
    verses = [(href, title) for href, title in links if "-v-" in href]
    assert len(verses) >= 5, links
    for href, _ in verses:
        assert "shepherd" in href  # Material's highlight parameter, then the verse anchor
        assert href.split("#")[1].count("-") == 4  # BBB-ch-CCC-v-VVV
    assert any(title and title.startswith("Ezekiel 34:") for _, title in verses), verses
    page.screenshot(path=OUTPUT / f"find-shepherd-{width}.png")
    page.locator(".md-search-result__item a[href*='-v-']").first.click()
    anchor = verses[0][0].split("#")[1]
    page.wait_for_function("(id) => location.hash === '#' + id", arg=anchor)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["full_bible", "hbo_uhb"])
def test_picker_reaches_ruth_2_3(open_page, name: str, width: str):
    page = open_page(f"{name}/index.html", width)
    page.locator("[data-tx-picker]").click()
    dialog = page.locator("dialog.tx-picker")
    dialog.wait_for(state="visible")
    box = dialog.bounding_box()
    viewport = page.viewport_size
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    page.screenshot(path=OUTPUT / f"find-picker-books-{name}-{width}.png")
    dialog.get_by_role("button", name="Ruth", exact=True).click()
    page.screenshot(path=OUTPUT / f"find-picker-chapters-{name}-{width}.png")
    dialog.get_by_role("button", name="2", exact=True).click()
    verse = dialog.get_by_role("link", name="3", exact=True)
    target = verse.bounding_box()
    assert target and target["height"] >= 40  # a thumb's target
    page.screenshot(path=OUTPUT / f"find-picker-verses-{name}-{width}.png")
    verse.click()
    wait_for_url(page, "08-RUT.html#008-ch-002-v-003")


def test_picker_by_keyboard(open_page):
    page = open_page("full_bible/43-LUK.html")
    page.locator("[data-tx-picker]").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.tx-picker")
    dialog.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.textContent") == "Genesis"
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.matches('[data-tx-picker]')")


def test_reference_parser_and_resolver(open_page):
    page = open_page("full_bible/index.html")
    page.wait_for_function("() => window.txFind")
    parsed = page.evaluate("""() => ["John 3:16", "jhn 3.16", "Jn 3", "1 Cor 13:4", "I Cor 13",
        "Song of Songs 2:1", "Juan 3:16-18", "Ps 23", "Isaiah 53", "3", "shepherd of Israel",
        "", "1:2"].map(t => window.txFind.parse(t))""")
    assert parsed == [
        {"book": "john", "chapter": 3, "verse": 16}, {"book": "jhn", "chapter": 3, "verse": 16},
        {"book": "jn", "chapter": 3, "verse": None}, {"book": "1cor", "chapter": 13, "verse": 4},
        {"book": "1cor", "chapter": 13, "verse": None},
        {"book": "songofsongs", "chapter": 2, "verse": 1},
        {"book": "juan", "chapter": 3, "verse": 16}, {"book": "ps", "chapter": 23, "verse": None},
        {"book": "isaiah", "chapter": 53, "verse": None}, None,
        {"book": "shepherdofisrael", "chapter": None, "verse": None}, None, None]
    table = page.evaluate("() => fetch('references.json').then(r => r.json())")
    resolved = page.evaluate("""(table) => ["Jn 3", "1 Cor 13:4", "jude 5", "Rev 22:21",
        "Ex 20", "Phil 4:13", "Mt 5:3", "John 3:99", "John 30", "Narnia 1:1", "Ruth"].map(
        t => window.txFind.resolve(table, window.txFind.parse(t)))""", table)
    assert resolved == [
        {"href": "44-JHN.html#043-ch-003", "label": "John 3"},
        {"href": "47-1CO.html#046-ch-013-v-004", "label": "1 Corinthians 13:4"},
        {"href": "66-JUD.html#065-ch-001-v-005", "label": "Jude 1:5"},
        {"href": "67-REV.html#066-ch-022-v-021", "label": "Revelation 22:21"},
        {"href": "02-EXO.html#002-ch-020", "label": "Exodus 20"},
        {"href": "51-PHP.html#050-ch-004-v-013", "label": "Philippians 4:13"},
        {"href": "41-MAT.html#040-ch-005-v-003", "label": "Matthew 5:3"},
        None, None, None,
        {"href": "08-RUT.html", "label": "Ruth"}]


def test_references_typed_in_any_scripts_digits(open_page):
    """A reader types the digits of their keyboard: Arabic-Indic (a Kurdish or Arabic one),
    Persian, Devanagari, even mathematical bold ones."""
    page = open_page("full_bible/index.html")
    page.wait_for_function("() => window.txFind")
    parsed = page.evaluate(r"""() => ["John \u0663:\u0661\u0666", "John \u06f3:\u06f1\u06f6",
        "John \u0969:\u0967\u096c", "John \ud835\udfd1:\ud835\udfcf\ud835\udfd4",
        "\u0661 Cor \u0661\u0663"].map(t => window.txFind.parse(t))""")
    assert parsed == [{"book": "john", "chapter": 3, "verse": 16}] * 4 + [
        {"book": "1cor", "chapter": 13, "verse": None}]


def test_first_load_of_a_chapter_leaves_the_search_index_for_later(web):
    base, browser = web
    sizes = first_load_bytes(browser, base + "full_bible/43-LUK.html", **DESKTOP)
    assert not [url for url in sizes if "search_index" in url]
    assert sum(sizes.values()) < FIRST_LOAD_LIMIT, sorted(sizes.items(), key=lambda s: -s[1])
