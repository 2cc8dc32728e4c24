"""Finding one's way, in Chromium at a desktop's and a phone's width: the home page by testament
with folding chapter grids, the book and chapter in the header, the page TOC marking the section
a link led to, OBS pictures (their place kept, never enlarged, a placeholder offline).

Screenshots go to test-output/browser/ (nav-*.png).
"""

from __future__ import annotations

import functools
import struct
import zlib

import pytest

from .browser_support import (
    OUTPUT,
    Build,
    browsing,
    build_sites,
    page_opener,
    published_path,
    require_browser,
)
from .helpers import require_shared

pytestmark = pytest.mark.browser

COMMIT = "c3" * 20
SITES = ["full_bible", "en_tn", "en_tw", "en_ta", "en_tq", "en_obs"]
#: Where Door43's OBS pictures come from (never reached in these tests).
PICTURES = "https://cdn.door43.org/**"


def site(name: str) -> str:
    return published_path(name, COMMIT)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory):
    """The sites built and served, and a Chromium: (base URL, browser)."""
    require_browser()
    samples = require_shared()
    root = tmp_path_factory.mktemp("web-nav")
    build_sites([Build(samples / n, root / site(n), COMMIT) for n in SITES])
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with browsing(root) as served:
        yield served


@pytest.fixture
def open_page(web):
    """Opens a page in a context of its own (a width); at the end, no script errors (the
    pictures' host is cut off in some tests)."""
    with page_opener(*web, clean=False) as open_page:
        yield functools.partial(open_page, pattern=PICTURES)  # routes: the pictures' host


# --------------------------------------------------------------------------- home page


def test_home_page_by_testament_with_folded_grids(open_page):
    page = open_page(site("full_bible") + "index.html", "phone")
    titles = page.locator(".tx-testament__title").all_inner_texts()
    assert titles == ["Old Testament", "New Testament"]
    ot = page.locator(".tx-testament--ot .tx-book__title").all_inner_texts()
    nt = page.locator(".tx-testament--nt .tx-book__title").all_inner_texts()
    assert (len(ot), len(nt), ot[0], ot[-1], nt[0], nt[-1]) == (
        39, 27, "Genesis", "Malachi", "Matthew", "Revelation")
    # 66 books, every grid folded: a short page (the 66 open grids were 12,752 px on a phone)
    assert page.locator("details.tx-book").count() == 66
    assert page.locator("details.tx-book[open]").count() == 0
    assert page.locator(".tx-chapter-grid a:visible").count() == 0
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"full_bible home page on a phone: {height} px")
    page.screenshot(path=OUTPUT / "nav-home-phone.png")
    # a book unfolds its chapters under its name; a chapter is one more tap
    page.locator("details.tx-book", has_text="Ruth").locator("summary").click(position={
        "x": 300, "y": 10})
    ruth = page.locator("details.tx-book", has_text="Ruth")
    assert ruth.get_attribute("open") is not None
    assert page.locator("details.tx-book[open]").count() == 1
    chapters = ruth.locator(".tx-chapter-grid a")
    assert chapters.all_inner_texts() == ["1", "2", "3", "4"]
    assert page.evaluate("document.documentElement.scrollHeight") < height + 200
    page.screenshot(path=OUTPUT / "nav-home-phone-ruth.png")
    chapters.nth(1).click()
    page.wait_for_function("() => location.hash === '#008-ch-002'")
    assert page.url.split("/")[-1] == "08-RUT.html#008-ch-002"


def test_home_page_on_a_desktop(open_page):
    page = open_page(site("full_bible") + "index.html")
    assert page.locator(".tx-testament__title").count() == 2
    page.screenshot(path=OUTPUT / "nav-home-desktop.png", full_page=True)


# --------------------------------------------------------------------------- Bible pages


def test_book_and_chapter_in_the_header_on_a_phone(open_page):
    page = open_page(site("full_bible") + "08-RUT.html#008-ch-002", "phone")
    topic = page.locator('[data-md-component="header-topic"] .md-ellipsis')
    page.wait_for_function("() => document.querySelector("
                           "'[data-md-component=\"header-topic\"] .md-ellipsis')"
                           ".textContent === 'Ruth 2'")
    assert page.locator(".md-header__title--active").count() == 1  # the topic is the one shown
    page.screenshot(path=OUTPUT / "nav-header-phone.png")
    page.evaluate("document.getElementById('008-ch-003').scrollIntoView()")
    page.wait_for_function("() => document.querySelector("
                           "'[data-md-component=\"header-topic\"] .md-ellipsis')"
                           ".textContent === 'Ruth 3'")
    # at the top, under the book's title, the header names the resource again (Material)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_function("() => !document.querySelector('.md-header__title--active')")
    assert topic.count() == 1


def test_side_grid_is_the_chapters_and_not_clipped(open_page):
    page = open_page(site("full_bible") + "19-PSA.html")
    sidebar = page.locator(".md-sidebar--secondary")
    title = sidebar.locator(".md-nav__title")
    assert title.inner_text().strip() == "Chapters"
    first = sidebar.locator(".md-nav__link").first
    assert first.get_attribute("href") == "#019-ch-001"
    label, cell = title.bounding_box(), first.bounding_box()
    # the title's shadow (the page's colour, .4rem) must not cover the first row
    assert cell["y"] >= label["y"] + label["height"] + 7, (label, cell)
    page.screenshot(path=OUTPUT / "nav-psalms-chapters.png")


# --------------------------------------------------------------------------- TOC follows links


@pytest.mark.parametrize(("name", "path", "anchor"), [
    ("en_tn", "57-TIT.html", "tn-chunk-tit-001-002"),
    ("en_tw", "kt.html", "brother"),
    ("en_ta", "03-translate.html", "translate-names"),
    ("en_tq", "57-TIT.html", "tq-chunk-tit-001-003"),
    ("full_bible", "08-RUT.html", "008-ch-002"),
])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_toc_marks_the_section_a_link_led_to(open_page, name, path, anchor, width):
    page = open_page(f"{site(name)}{path}#{anchor}", width)
    active = ("() => [...document.querySelectorAll('.md-nav--secondary .md-nav__link--active')]"
              ".map(a => decodeURIComponent(a.hash.slice(1)))")
    page.wait_for_timeout(300)  # Material's scroll-spy has run (it did mark the one before)
    marked = page.evaluate(active)
    assert marked and set(marked) == {anchor}, marked
    if width == "desktop":
        page.screenshot(path=OUTPUT / f"nav-toc-{name}.png")
        # following another entry of the TOC marks that one; scrolling gives the marks back
        # to Material
        entries = page.locator(".md-sidebar--secondary a.md-nav__link[href^='#']")
        target = entries.nth(entries.count() // 2)
        wanted = target.get_attribute("href")[1:]
        target.click()
        page.wait_for_function("(id) => location.hash === '#' + id", arg=wanted)
        page.wait_for_timeout(300)
        assert set(page.evaluate(active)) == {wanted}
        page.mouse.move(640, 400)
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(500)
        assert page.evaluate(active) and set(page.evaluate(active)) != {wanted}


# --------------------------------------------------------------------------- OBS pictures


def _png(width: int, height: int) -> bytes:
    """A grey PNG of that size (what the picture host would send)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0,
                                                                0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


_BOX = "(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); " \
       "return [r.width, r.height] }"


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_obs_pictures_never_enlarged(open_page, width):
    """Shown at their own size and proportions (not a 9:5 guess: this one is 360 × 240), never
    wider, on a phone no wider than the column."""
    picture = _png(360, 240)
    page = open_page(site("en_obs") + "01.html", width, route=lambda route: route.fulfill(
        status=200, content_type="image/png", body=picture))
    page.wait_for_function("() => { const i = document.querySelector('.obs-image img');"
                           " return i && i.complete && i.naturalWidth > 0 }")
    shown, content = page.evaluate(_BOX, ".obs-image img"), page.evaluate(_BOX, ".tx-content")
    assert shown[0] <= 360 and abs(shown[1] - shown[0] * 240 / 360) < 1, shown
    if content[0] >= 360:
        assert shown == [360, 240]  # its own size, not stretched to the column (640 px before)
    else:  # the width of the column
        assert abs(shown[0] - content[0]) < 1
    page.screenshot(path=OUTPUT / f"nav-obs-{width}.png")
    if width == "phone":  # a small tablet: the phone layout, a column wider than the picture
        page.set_viewport_size({"width": 700, "height": 900})
        assert page.evaluate(_BOX, ".obs-image img") == [360, 240]


def test_obs_picture_place_kept_while_loading(open_page):
    page = open_page(site("en_obs") + "01.html", route=lambda route: None,  # never answered
                     wait_until="domcontentloaded")
    assert page.evaluate(_BOX, ".obs-image img") == [360, 200]  # its width, a landscape box


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_obs_picture_placeholder_offline(open_page, width):
    page = open_page(site("en_obs") + "01.html", width, route=lambda route: route.abort())
    page.wait_for_selector(".obs-image .tx-image-missing")
    first = page.locator(".obs-image").first
    assert first.locator("img").count() == 0
    box = first.locator(".tx-image-missing")
    assert box.inner_text() == "Frame 01-01"
    assert box.get_attribute("role") == "img" and box.get_attribute("aria-label") == "Frame 01-01"
    w, h = page.evaluate(_BOX, ".obs-image .tx-image-missing")
    assert abs(h - w * 200 / 360) < 1 and w <= 360
    page.screenshot(path=OUTPUT / f"nav-obs-offline-{width}.png")


# --------------------------------------------------------------------------- tA


def test_ta_article_titles_are_titles(open_page):
    page = open_page(site("en_ta") + "03-translate.html")
    size = ("(sel) => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)")
    body = page.evaluate(size, ".tx-content p")
    h3, h4 = (page.evaluate(size, f"{h}.tx-ta-article-title") for h in ("h3", "h4"))
    inner = page.evaluate(size, ".tx-content h5:not(.tx-ta-article-title)")
    assert h3 > h4 >= body * 1.15 > inner * 1.1, (h3, h4, body, inner)
