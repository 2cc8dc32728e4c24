"""The site as a reader sees it, in Debian's Chromium driven by Playwright.

Sites are built from the samples through the CLI and served on 127.0.0.1 in the published layout
(``u/<owner>/<repo>/<commit10>/`` with the history in ``u/<owner>/<repo>/project.json``).
Checked on every page opened: no console errors or uncaught exceptions, and no request leaves
127.0.0.1 (fonts, scripts and styles are all local: the site works offline).
Screenshots (and a print PDF) go to test-output/browser/ for people to look at.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tx_mkdocs.core.records import commit_entry, dumps_json
from tx_mkdocs.uiwords import ENGLISH, TRANSLATIONS

from .browser_support import (
    OUTPUT,
    PHONE,
    WIDTHS,
    Build,
    PageWatch,
    browsing,
    build_sites,
    published_path,
    require_browser,
    serve,
    write_mini_bible,
)
from .helpers import require_shared

pytestmark = pytest.mark.browser

COMMIT = "a1" * 20
OLDER = "b2" * 20
SAMPLES = ["en_ult", "hbo_uhb", "ckb_2pe_text_reg", "en_obs", "en_tn", "en_ta"]
#: Only searched: more scripts than the samples above have.
SEARCH_ONLY = ["el-x-koine_ugnt", "hi_tq"]
RTL = {"hbo_uhb", "ckb_2pe_text_reg"}
#: en_ult built from a release tag.
RELEASE = "en_ult_release"
#: Read as a reader would, at a desktop's and at a phone's width.
READER_SAMPLES = ["full_bible", "hbo_uhb", "ckb_2pe_text_reg", "en_tn", "en_ta", "en_obs"]

#: A word of each site's language, as a reader types it (Hebrew and Greek without points or
#: accents, and once with them), and the page it must be found on.
SEARCHES = [
    ("en_ult", "Boaz", "08-RUT.html"),
    ("hbo_uhb", "בעז", "08-RUT.html"),              # Boaz, typed without points
    ("hbo_uhb", "וַיְהִי", "08-RUT.html"),          # "and it was", pointed
    ("el-x-koine_ugnt", "λογον", "57-TIT.html"),    # λόγον, typed without accents
    ("el-x-koine_ugnt", "Παῦλος", "57-TIT.html"),
    ("hi_tq", "पत्नी", "57-TIT.html"),               # Hindi: wife
    ("ckb_2pe_text_reg", "مەسیح", "62-2PE.html"),    # Sorani Kurdish (Arabic script): Messiah
    ("am_mini", "እግዚአብሔር", "01-GEN.html"),         # Amharic (Ethiopic): God
    ("zh_mini", "天地", "01-GEN.html"),              # Chinese: heaven and earth
    ("en_obs", "Abraham", None),
    ("en_tn", "Naomi", None),
]
MINI = {
    "am_mini": dict(code="am", title="አማርኛ", direction="ltr", book_name="ዘፍጥረት",
                    verses=["በመጀመሪያ እግዚአብሔር ሰማይንና ምድርን ፈጠረ።\\x + \\xo 1:1 \\xt ዮሐ 1:1\\x*",
                            "ምድርም ባዶ ነበረች፥ አንዳችም አልነበረባትም፤"]),
    "zh_mini": dict(code="zh", title="中文", direction="ltr", book_name="创世记",
                    verses=["起初，神创造天地。", "地是空虚混沌，渊面黑暗；神的灵运行在水面上。"]),
    "es_mini": dict(code="es-419", title="Español", direction="ltr", book_name="Génesis",
                    verses=["En el principio creó Dios los cielos y la tierra.",
                            "Y la tierra estaba desordenada y vacía."]),
}


def words_of(name: str) -> dict[str, str]:
    """Our UI words on a sample's site (uiwords.py): Sorani on the Kurdish one, else English."""
    return TRANSLATIONS["ku-IQ"] if name == "ckb_2pe_text_reg" else ENGLISH


def site_path(name: str, commit: str = COMMIT) -> str:
    return published_path(name, commit)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory):
    """Every site built, served, and a Chromium: (root folder, base URL, browser)."""
    require_browser()
    samples = require_shared()
    root = tmp_path_factory.mktemp("web")
    minis = tmp_path_factory.mktemp("mini")
    builds = [Build(samples / n, root / site_path(n), COMMIT)
              for n in [*SAMPLES, *SEARCH_ONLY, "full_bible"]]
    builds.append(Build(samples / "en_ult", root / site_path(RELEASE), COMMIT, ref="v83",
                        name=RELEASE, ref_type="tag"))
    builds += [Build(write_mini_bible(minis / n, **MINI[n]), root / site_path(n), COMMIT)
               for n in MINI]
    build_sites(builds)
    for b in builds:  # the repository's history, as publishing writes it
        (b.site.parent / "project.json").write_text((b.site / "project.json").read_text())
    _add_older_build(root / "u/test/en_ult")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with browsing(root) as (base, browser):
        yield root, base, browser


def _add_older_build(repo_dir: Path) -> None:
    """A second, older build of en_ult (a tag), listed in project.json."""
    current = json.loads((repo_dir / COMMIT[:10] / "build_log.json").read_text())
    shutil.copytree(repo_dir / COMMIT[:10], repo_dir / OLDER[:10])
    newest = {**commit_entry(current), "created_at": "2024-01-23T10:15:03Z"}
    older = {**newest, "id": OLDER[:10], "commit_hash": OLDER[:10], "ref": "v82", "type": "tag",
             "status": "warnings", "created_at": "2024-01-20T08:00:01Z"}
    project = {"user": "test", "repo": "en_ult", "repo_url": current["repo_url"],
               "commits": [older, newest]}  # oldest first, as project.json keeps them
    (repo_dir / "project.json").write_text(dumps_json(project))
    # The older folder's log says that build has errors: its footer must say so.
    log_file = repo_dir / OLDER[:10] / "build_log.json"
    log = json.loads(log_file.read_text())
    error = {"severity": "error", "text": "Bad chapter number", "file": "08-RUT.usfm", "line": 3}
    log_file.write_text(dumps_json({**log, "status": "errors", "errors": [error["text"]],
                                    "messages": [error]}))


class Reader:
    """One page, watched for console errors and requests; a context of its own if asked."""

    def __init__(self, browser, shared, base: str, **context):
        self.context = browser.new_context(**context) if context else None
        self.page = (self.context or shared).new_page()
        self.watch = PageWatch().attach(self.page)
        self.base = base

    def open(self, path: str, base: str | None = None):
        self.page.goto((base or self.base) + path, wait_until="load")
        return self.page

    def close(self, *, check: bool = True) -> None:
        try:
            if check:
                self.watch.assert_clean()
        finally:
            self.page.close()
            if self.context:
                self.context.close()


@pytest.fixture(scope="module")
def shared_context(web):
    context = web[2].new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


@pytest.fixture
def reader(web, shared_context):
    """Opens watched pages; at the end of the test each must be clean (errors, requests)."""
    readers: list[Reader] = []

    def make(**context) -> Reader:
        readers.append(Reader(web[2], shared_context, web[1], **context))
        return readers[-1]

    yield make
    for r in readers:
        r.close()


def first_content_page(root: Path, name: str) -> str:
    pages = json.loads((root / site_path(name) / "build_log.json").read_text())["pages"]
    return next(p for p in pages if p not in ("index.html", "build-report.html"))


_GEOMETRY = """(id) => {
    const el = document.getElementById(id)
    const bar = document.querySelector('.md-header')
    if (!bar) return {id: id, ok: false, loading: true}  // the next page is still parsing
    const header = bar.getBoundingClientRect()
    const r = el ? el.getBoundingClientRect() : {top: -1, bottom: -1, height: 0}
    return {id: id, top: r.top, bottom: r.bottom, header: header.bottom, height: innerHeight,
            ok: r.height > 0 && r.top >= header.bottom - 1 && r.bottom <= innerHeight}
}"""


def wait_in_view(page, element_id: str) -> dict:
    """Where the element is once scrolling settled: ``ok`` if fully visible below the header."""
    page.wait_for_load_state("domcontentloaded")
    try:
        page.wait_for_function(f"(id) => ({_GEOMETRY})(id).ok", arg=element_id, timeout=3000)
    except Exception:  # the geometry says what is wrong
        pass
    return page.evaluate(_GEOMETRY, element_id)


# --------------------------------------------------------------------------- every sample


@pytest.mark.parametrize("name", SAMPLES)
def test_page_is_themed_clean_offline_and_directed(web, reader, name: str):
    root = web[0]
    path = first_content_page(root, name)
    if name in ("en_ult", "hbo_uhb"):
        path = "08-RUT.html"
    r = reader()
    page = r.open(site_path(name) + path + ("#008-ch-003" if name in ("en_ult", "hbo_uhb") else ""))
    direction = "rtl" if name in RTL else "ltr"
    assert page.evaluate("document.body.dir") == direction
    assert page.evaluate("document.querySelector('.tx-content').dir") == direction
    language = json.loads((root / site_path(name) / "manifest.json").read_text())
    code = language["dublin_core"]["language"]["identifier"]
    assert page.evaluate("document.querySelector('.tx-content').lang") == code
    # <html lang dir>: the content's, whatever language Material's UI strings are in.
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        code, direction]
    # The reader's header: language name, resource title and "draft" (a branch build); no
    # commit hash, no warnings badge; the footer: the license and About this build.
    header = page.locator(".md-header").inner_text()
    assert language["dublin_core"]["language"]["title"] in header
    assert page.locator(".tx-header-version").inner_text() == words_of(name)["draft"]
    assert COMMIT[:7] not in page.locator(".md-header").inner_text()
    assert page.locator(".md-header [data-tx-status], .md-header .md-source").count() == 0
    license_link = page.locator(".tx-footer__license a")
    assert license_link.inner_text() == "CC BY-SA 4.0"
    assert "creativecommons.org/licenses/by-sa/4.0/" in license_link.get_attribute("href")
    assert page.locator(".tx-footer__about-link").get_attribute("href") == "build-report.html"
    assert "Material for MkDocs" not in page.locator(".md-footer").inner_text()
    # Only local font families: Material's Google Fonts link is off and no @font-face is used.
    assert page.evaluate("[...document.fonts].length") == 0
    if name == "en_ult":  # the chapter with a footnote popup open
        caller = page.locator(".chapter[data-chapter='3'] .fn-caller a").first
        caller.hover()
        page.wait_for_selector("#tx-note-popup:not([hidden])")
    page.screenshot(path=OUTPUT / f"{name}.png")
    _static_assets_are_local(root / site_path(name) / path)


def _static_assets_are_local(page_file: Path) -> None:
    html = page_file.read_text(encoding="utf-8")
    for tag in re.findall(r"<(?:script|link|img|source|iframe)\b[^>]*>", html):
        for url in re.findall(r'\s(?:src|href)="([^"]*)"', tag):
            if 'rel="canonical"' in tag or 'rel="alternate"' in tag:
                continue
            assert not re.match(r"(?:https?:)?//", url), f"external asset {url} in {tag}"


# --------------------------------------------------------------------------- Bible reading


@pytest.mark.parametrize(("name", "path", "anchor"), [
    ("en_ult", "08-RUT.html", "008-ch-002-v-003"),
    ("hbo_uhb", "08-RUT.html", "008-ch-003-v-010"),
    ("ckb_2pe_text_reg", "62-2PE.html", "061-ch-002-v-005"),
])
def test_verse_deep_link_lands_below_the_header(web, reader, name, path, anchor):
    page = reader().open(f"{site_path(name)}{path}#{anchor}")
    geometry = wait_in_view(page, anchor)
    assert geometry["ok"], geometry
    if name == "hbo_uhb":
        page.screenshot(path=OUTPUT / "hbo_uhb-verse.png")


def test_footnote_popup_on_hover_then_link_to_the_note(web, reader):
    page = reader().open(site_path("en_ult") + "08-RUT.html")
    caller = page.locator(".fn-caller a").first
    note_id = caller.get_attribute("href")[1:]
    note = page.locator(f"[id='{note_id}']").inner_text()
    note_text = re.sub(r"^\S+\s+", "", note).strip()  # without its number
    caller.scroll_into_view_if_needed()
    caller.hover()
    popup = page.locator("#tx-note-popup")
    popup.wait_for(state="visible")
    assert note_text in popup.inner_text().replace("\n", " ")
    box, caller_box = popup.bounding_box(), caller.bounding_box()
    assert box["y"] > caller_box["y"] + caller_box["height"] - 2 or box["y"] < caller_box["y"]
    # A click while the note shows follows the link: the note is below the fixed header.
    caller.click()
    page.wait_for_function("(id) => location.hash === '#' + id", arg=note_id)
    geometry = wait_in_view(page, note_id)
    assert geometry["ok"], geometry
    # …and its number leads back to the caller, below the header too.
    page.locator(f"[id='{note_id}'] > a").first.click()
    geometry = wait_in_view(page, f"ref-{note_id}")
    assert geometry["ok"], geometry


def test_footnote_popup_on_tap(web, reader):
    r = reader(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
               device_scale_factor=2)
    page = r.open(site_path("en_ult") + "08-RUT.html")
    caller = page.locator(".fn-caller a").first
    caller.scroll_into_view_if_needed()
    caller.tap()
    page.locator("#tx-note-popup").wait_for(state="visible")
    assert page.evaluate("location.hash") == "", "the first tap shows the note, it does not jump"
    page.screenshot(path=OUTPUT / "en_ult-mobile.png")
    page.locator(".tx-content h1").first.tap()
    page.locator("#tx-note-popup").wait_for(state="hidden")


def test_cross_reference_popup(web, reader):
    page = reader().open(site_path("am_mini") + "01-GEN.html")
    caller = page.locator(".xr-caller a").first
    caller.hover()
    popup = page.locator("#tx-note-popup")
    popup.wait_for(state="visible")
    assert "ዮሐ 1:1" in popup.inner_text()
    assert page.locator(".crossrefs .crossref").count() == 1  # and listed at chapter end


def test_chapter_grid_pager_and_poetry(web, reader):
    page = reader().open(site_path("en_ult") + "32-JON.html")
    grid = page.locator(".tx-content .tx-chapter-grid a")
    chapters = page.locator(".tx-content .chapter")
    assert grid.count() == chapters.count() == 4
    pagers = page.locator(".tx-chapter-pager")
    assert pagers.count() == 4
    assert pagers.nth(1).locator(".tx-chapter-pager__prev").get_attribute("href") == "#032-ch-001"
    assert pagers.nth(1).locator(".tx-chapter-pager__next").get_attribute("href") == "#032-ch-003"
    # The last chapter leads on to the next book.
    assert pagers.nth(3).locator(".tx-chapter-pager__next").get_attribute("href").endswith(
        "57-TIT.html")
    pagers.nth(1).locator(".tx-chapter-pager__next").click()
    assert wait_in_view(page, "032-ch-003")["ok"]
    # Poetry: \q2 lines are indented further than \q1 lines, which are indented from \p.
    indent = page.evaluate("""() => {
        const pad = (sel) => parseFloat(getComputedStyle(document.querySelector(sel))
            .paddingInlineStart)
        return {p: pad('.tx-content p.p'), q1: pad('.tx-content .q1'), q2: pad('.tx-content .q2')}
    }""")
    assert indent["p"] < indent["q1"] < indent["q2"], indent
    # Verse numbers are small superscripts.
    verse = page.evaluate("""() => {
        const v = getComputedStyle(document.querySelector('.tx-content .v-num'))
        const p = getComputedStyle(document.querySelector('.tx-content p.p'))
        return {v: parseFloat(v.fontSize), p: parseFloat(p.fontSize), align: v.verticalAlign}
    }""")
    assert verse["v"] < 0.8 * verse["p"] and verse["align"] == "super", verse
    # A click on a verse number puts its deep link in the address bar.
    page.locator("[id='032-ch-003-v-002']").click()
    assert page.evaluate("location.hash") == "#032-ch-003-v-002"


def test_print_layout(web, reader):
    page = reader().open(site_path("en_ult") + "08-RUT.html")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-footer',
        '.tx-content .tx-chapter-grid', '.tx-chapter-pager', '.md-content__button']
        .map(s => [s, document.querySelector(s) ? getComputedStyle(document.querySelector(s))
                   .display : 'none'])""")
    assert all(display == "none" for _, display in hidden), hidden
    # Instead of the header: one line saying which resource, version and build this is.
    assert page.locator(".tx-print-header").inner_text().startswith("English: ")
    breaks = page.evaluate("""() => [...document.querySelectorAll('.tx-content .chapter')]
        .map(c => getComputedStyle(c).breakBefore)""")
    assert breaks[0] != "page" and all(b == "page" for b in breaks[1:]), breaks
    pdf = OUTPUT / "en_ult-print.pdf"
    page.pdf(path=pdf, format="A4")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf.read_bytes()))
    assert pages >= len(breaks), f"{pages} printed pages for {len(breaks)} chapters"


# --------------------------------------------------------------------------- search


def test_search_finds_words_of_every_language(web, reader):
    """One query per script, typed as a reader would; all pages search at the same time."""
    pages = []
    for name, word, expected in SEARCHES:
        page = reader().open(site_path(name) + "index.html")
        box = page.locator(".md-search__input")
        box.click()
        box.fill(word)
        box.press("End")  # Material searches on key events; fill() alone only sets the value
        pages.append((name, word, expected, page))
    missing = []
    for name, word, expected, page in pages:
        try:
            page.wait_for_selector(".md-search-result__item", timeout=10000)
        except Exception:
            missing.append(f"{name}: no hit for {word!r}")
            continue
        links = page.locator(".md-search-result__item > a").evaluate_all(
            "(as) => as.map(a => a.getAttribute('href'))")
        if expected and not any(expected in href for href in links):
            missing.append(f"{name}: {word!r} not found on {expected} (hits: {links})")
    assert not missing, "\n".join(missing)


# --------------------------------------------------------------------------- versions, status


def test_about_this_build_lists_the_builds_of_project_json(web, reader):
    page = reader().open(site_path("en_ult") + "08-RUT.html")
    page.locator(".tx-footer__about-link").click()
    page.wait_for_url("**/build-report.html")
    assert page.locator("h1").inner_text() == "About this build"
    assert page.locator(".tx-about__commit").inner_text() == COMMIT[:10]
    page.wait_for_function(
        "() => document.querySelector('[data-tx-versions]').dataset.count === '2'", timeout=5000)
    items = page.locator(".tx-builds__item")
    labels = [items.nth(i).inner_text() for i in range(items.count())]
    assert "master" in labels[0] and "2024-01-23" in labels[0], labels  # newest first
    assert "v82" in labels[1] and "2024-01-20" in labels[1], labels
    assert "tx-builds__item--current" in items.first.get_attribute("class")
    page.screenshot(path=OUTPUT / "en_ult-about.png", full_page=True)
    items.nth(1).locator("a").click()
    page.wait_for_url(f"**/{site_path('en_ult', OLDER)}index.html")
    # That build's build_log.json says it has errors: the footer marks its About link.
    page.locator("[data-tx-build-marker]").wait_for(state="visible")


def test_about_this_build_of_a_site_opened_on_its_own(web, reader):
    """A local build served from its own folder: its own project.json, nothing else fetched."""
    with serve(web[0] / site_path("en_ult")) as base:
        r = reader()
        r.page.goto(base + "build-report.html", wait_until="load")
        r.page.wait_for_function(
            "() => document.querySelector('[data-tx-versions]').dataset.count === '1'",
            timeout=5000)
        assert r.page.locator("[data-tx-versions] a[aria-current]").count() == 1


def test_not_found_page_is_themed_under_its_published_folder(web, reader):
    """404.html of a site under u/<owner>/<repo>/<commit>/ loads the theme from that folder."""
    page = reader().open(site_path("en_ult") + "404.html")
    page.wait_for_function("() => typeof window.component$ !== 'undefined'", timeout=5000)
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") \
        == "sticky"
    home = page.locator(".md-header .md-logo").get_attribute("href")
    assert page.evaluate("(h) => new URL(h, location.href).pathname", home) == (
        "/" + site_path("en_ult") + "index.html")
    page.screenshot(path=OUTPUT / "en_ult-404.png")


def test_build_report_lists_warnings_with_working_links(web, reader):
    root = web[0]
    site = root / site_path("full_bible")
    log = json.loads((site / "build_log.json").read_text())
    assert log["warnings"], "full_bible is expected to have warnings"
    assert not log["errors"], "full_bible is expected to have no errors"
    page = reader().open(site_path("full_bible") + "index.html")
    # Warnings are not errors: no marker, only the link in the footer.
    assert page.locator("[data-tx-build-marker]").is_hidden()
    page.locator(".tx-footer__about-link").click()
    page.wait_for_url("**/build-report.html")
    counts = page.locator("table.tx-report tbody td:nth-child(2)").all_inner_texts()
    assert sum(map(int, counts)) == sum(log["counts"].values()) >= len(log["messages"])
    hrefs = page.locator("table.tx-report tbody td:last-child a").evaluate_all(
        "(as) => as.map(a => a.getAttribute('href'))")
    assert hrefs
    pages: dict[str, str] = {}
    for href in hrefs:
        file, _, anchor = href.partition("#")
        if file not in pages:
            pages[file] = (site / file).read_text(encoding="utf-8")
        assert not anchor or f'id="{anchor}"' in pages[file], href
    page.screenshot(path=OUTPUT / "full_bible-report.png", full_page=False)
    first = page.locator("table.tx-report tbody td:last-child a[href*='#']").first
    anchor = first.get_attribute("href").partition("#")[2]
    first.click()
    page.wait_for_function("(id) => location.hash === '#' + id", arg=anchor)
    geometry = wait_in_view(page, anchor)
    assert geometry["ok"], geometry


def test_home_page_book_chapter_grid(web, reader):
    page = reader().open(site_path("en_ult") + "index.html")
    books = page.locator(".tx-books .tx-book")
    assert books.count() >= 4
    ruth = page.locator(".tx-book", has_text="Ruth").locator(".tx-chapter-grid a")
    assert ruth.count() == 4
    assert ruth.nth(2).get_attribute("href") == "08-RUT.html#008-ch-003"
    # front matter first, before the testaments (as printed Bibles have it), not under "Other"
    groups = page.locator(".tx-testament").evaluate_all("(gs) => gs.map(g => g.className)")
    assert [g.split("--")[-1] for g in groups] == ["front", "ot", "nt"]
    assert page.locator(".tx-testament--front .tx-book__title").all_inner_texts() == [
        "Front matter"]
    assert page.locator(".tx-testament__title").all_inner_texts() == [
        "Old Testament", "New Testament"]
    page.screenshot(path=OUTPUT / "en_ult-home.png")


def test_search_separator_splits_words_of_every_script():
    """The separator as Python reads it (the browser's RegExp agrees: see the search test)."""
    from tx_mkdocs.theme import SEARCH_SEPARATOR

    def split(text: str) -> list[str]:
        return [t for t in re.split(SEARCH_SEPARATOR, text) if t]

    assert split("Boaz, “Go!” (Ruth 2:3)") == ["Boaz", "Go", "Ruth", "2", "3"]
    assert split("וַ\u200bיְהִ֗י בִּ\u200bימֵי֙־שְׁפֹ֣ט׃") == ["וַ\u200bיְהִ֗י", "בִּ\u200bימֵי֙", "שְׁפֹ֣ט"]
    assert split("ምድርም፡ባዶ፤") == ["ምድርም", "ባዶ"]
    assert split("起初，神创造天地。") == ["起", "初", "神", "创", "造", "天", "地"]
    assert split("खुशी। हाँ") == ["खुशी", "हाँ"]
    assert split("مەسیح، خودا؟") == ["مەسیح", "خودا"]


# --------------------------------------------------------------------------- the reader's chrome


def _fits(page, selector: str) -> bool:
    """The element is inside the viewport horizontally (nothing runs off a phone's screen)."""
    return page.evaluate("""(sel) => { const r = document.querySelector(sel).getBoundingClientRect()
        return r.left >= 0 && r.right <= document.documentElement.clientWidth + 1 }""", selector)


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", READER_SAMPLES)
def test_reader_header_footer_and_downloads(web, reader, name: str, width: str):
    page = reader(**WIDTHS[width]).open(site_path(name) + first_content_page(web[0], name))
    header = page.locator(".md-header")
    assert COMMIT[:7] not in header.inner_text() and "⚠" not in header.inner_text()
    w = words_of(name)
    assert page.locator(".tx-header-version").inner_text() == w["draft"]
    footer = page.locator(".tx-footer")
    dublin_core = json.loads((web[0] / site_path(name) / "manifest.json").read_text())[
        "dublin_core"]
    assert f"{w['license']} CC BY-SA 4.0" in footer.inner_text()
    assert f"{w['published_by'].strip(',، ')} {dublin_core['publisher']}" in footer.inner_text()
    assert page.locator("[data-tx-build-marker]").is_hidden()
    # resource, language and version readable at every width (on a phone: two lines)
    shown = page.evaluate("""() => ['.tx-header-title', '.tx-header-language',
        '.tx-header-version'].map(s => { const e = document.querySelector('.md-header ' + s)
          const r = e.getBoundingClientRect()
          return {s, width: r.width, whole: e.scrollWidth <= e.clientWidth + 1,
                  inside: r.left >= 0 && r.right <= innerWidth} })""")
    assert all(e["inside"] and e["width"] > 20 for e in shown), shown
    assert shown[1]["whole"] and shown[2]["whole"], shown  # the language and version whole
    assert shown[0]["whole"] or shown[0]["width"] > 90, shown  # the resource's name, or most
    if width == "desktop":  # the Downloads menu: the source files, named as such
        menu = page.locator(".tx-downloads")
        menu.locator("summary").click()
        entry = menu.locator(".tx-download--source")
        assert re.fullmatch(re.escape(w["source_files"]) + r" \((USFM|TSV|Markdown), ZIP\)",
                            entry.inner_text())
        assert entry.get_attribute("href").endswith(f"/test/{name}/archive/{COMMIT}.zip")
        assert _fits(page, ".tx-downloads .tx-menu__panel")
    page.screenshot(path=OUTPUT / f"reader-{name}-{width}.png")
    page.locator(".md-footer").scroll_into_view_if_needed()
    page.screenshot(path=OUTPUT / f"reader-{name}-{width}-footer.png")


def test_release_build_shows_its_tag(web, reader):
    page = reader().open(site_path(RELEASE) + "08-RUT.html")
    assert page.locator(".tx-header-version").inner_text() == "v83"
    assert page.locator(".tx-print-header").inner_text().endswith("· v83")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_kurdish_site_speaks_kurdish(web, reader, width: str):
    page = reader(**WIDTHS[width]).open(site_path("ckb_2pe_text_reg") + "62-2PE.html")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ckb", "rtl"]
    assert page.locator(".md-search__input").get_attribute("placeholder") == "گەڕان"
    assert page.locator(".md-search__input").get_attribute("lang") is None  # Kurdish, not English
    # Material's previous/next (Kurdish), arrows mirrored: "previous" points right.
    prev = page.locator(".md-footer__link--prev")
    assert prev.get_attribute("aria-label").startswith("پێشتر")
    transform = page.evaluate("""() => getComputedStyle(
        document.querySelector('.md-footer__link--prev svg')).transform""")
    assert transform.startswith("matrix(-1"), transform
    page.screenshot(path=OUTPUT / f"reader-ckb-{width}.png", full_page=width == "phone")
    # Our own words (uiwords.py) in Sorani, marked lang="ckb" and isolated (dir=auto or <bdi>).
    w = TRANSLATIONS["ku-IQ"]
    version = page.locator(".tx-header-version")
    assert version.inner_text() == w["draft"] == "ڕەشنووس"
    assert [version.get_attribute(a) for a in ("lang", "dir")] == ["ckb", "auto"]
    assert page.locator(".tx-settings summary").get_attribute("aria-label") == w["reading_settings"]
    assert page.locator("[data-tx-print]").first.get_attribute("title") == w["print"]
    assert page.locator(".tx-content > .tx-chapter-grid").get_attribute("aria-label") == "بەشەکان"
    assert page.locator(".c-num").first.inner_text() == "بەشی١"  # the project's own heading
    footer = page.locator(".tx-footer")
    assert f"{w['license']} CC BY-SA 4.0" in footer.inner_text()
    assert w["about_build"] in footer.inner_text()
    assert footer.locator("bdi[lang=ckb]").count() >= 2
    # sentences of ours: right to left, the names in them isolated
    assert footer.locator(".tx-footer__credit, .tx-footer__license").evaluate_all(
        "ps => ps.map(p => getComputedStyle(p).direction)") == ["rtl", "rtl"]
    if width == "desktop":  # the side grid, labelled as chapters
        title = page.locator(".md-sidebar--secondary .md-nav__title")
        assert title.inner_text().strip() == w["chapters"]
    page.locator(".v-num[id]").nth(2).click()  # verse 3: Copy / Share of "verse — 2 Peter 1:3"
    menu = page.locator(".tx-verse-menu")
    assert [menu.get_attribute(a) for a in ("lang", "dir")] == ["ckb", "auto"]
    assert menu.locator(".tx-verse-menu__copy").inner_text() == w["copy"] == "لەبەرگرتنەوە"
    assert menu.locator(".tx-verse-menu__ref").inner_text() == "دووهەم نامەی پەترۆ ١:٣"
    page.screenshot(path=OUTPUT / f"reader-ckb-verse-menu-{width}.png")
    page.keyboard.press("Escape")
    settings = page.locator(".tx-settings")
    settings.locator("summary").click()
    assert w["verse_numbers"] in settings.inner_text() and w["footnotes"] in settings.inner_text()
    page.screenshot(path=OUTPUT / f"reader-ckb-settings-{width}.png")
    settings.locator("summary").click()
    page.locator("[data-tx-picker]").click()  # the verse picker: books, then chapters
    dialog = page.locator("dialog.tx-picker")
    dialog.wait_for(state="visible")
    assert dialog.locator(".tx-picker__title").inner_text() == w["books"]
    assert dialog.locator(".tx-picker__close").get_attribute("aria-label") == w["close"]
    dialog.get_by_role("button", name="دووهەم نامەی پەترۆ").click()
    assert dialog.locator(".tx-picker__number").all_inner_texts() == ["١", "٢", "٣"]
    page.screenshot(path=OUTPUT / f"reader-ckb-picker-{width}.png")
    home = reader(**WIDTHS[width]).open(site_path("ckb_2pe_text_reg") + "index.html")
    assert home.locator(".tx-testament__title").all_inner_texts() == ["پەیمانی نوێ"]
    assert home.locator(".tx-facts dt").all_inner_texts() == [
        w["language"], w["version"], w["resource"], w["rights"]]
    assert home.locator(".tx-books").get_attribute("aria-label") == w["books"]
    assert w["about_build"] in home.locator(".tx-links").inner_text()
    home.screenshot(path=OUTPUT / f"reader-ckb-home-{width}.png")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_a_spanish_site_reads_in_spanish(web, reader, width: str):
    """Material speaks Spanish there; so do our words (uiwords.py) and the chapter headings."""
    r = reader(**WIDTHS[width])
    page = r.open(site_path("es_mini") + "01-GEN.html")
    assert page.locator(".c-num").first.inner_text() == "Capítulo 1"
    assert page.locator(".tx-header-version").inner_text() == "borrador"
    assert page.locator(".tx-header-version").get_attribute("lang") == "es"
    assert page.locator(".tx-settings summary").get_attribute("aria-label") == "Opciones de lectura"
    assert "Licencia:" in page.locator(".tx-footer").inner_text()
    assert "Acerca de esta compilación" in page.locator(".tx-footer").inner_text()
    page.locator(".v-num").first.click()
    assert page.locator(".tx-verse-menu__copy").inner_text() == "Copiar"
    page.screenshot(path=OUTPUT / f"reader-es-{width}.png")
    home = r.open(site_path("es_mini") + "index.html")
    assert home.locator(".tx-testament__title").all_inner_texts() == ["Antiguo Testamento"]
    assert home.locator(".tx-resume").inner_text().startswith("Seguir leyendo en")


@pytest.mark.parametrize("width", list(WIDTHS))
def test_kurdish_numbers_in_the_bibles_own_digits(web, reader, width: str):
    """The tS project writes its chapter labels بەشی١: grids, verse numbers and the chapter in
    the header use those digits too; the links stay ASCII."""
    page = reader(**WIDTHS[width]).open(site_path("ckb_2pe_text_reg") + "62-2PE.html#061-ch-002")
    grid = page.locator(".tx-content .tx-chapter-grid a")
    assert grid.all_inner_texts() == ["١", "٢", "٣"]
    assert grid.nth(1).get_attribute("href") == "#061-ch-002"
    assert page.locator(".v-num sup").first.inner_text() == "١"
    page.wait_for_function("""() => document.querySelector(
        '[data-md-component="header-topic"] .md-ellipsis').textContent.trim().endsWith('٢')""")
    if width == "desktop":
        toc = page.locator(".md-sidebar--secondary .md-nav--secondary .md-nav__link")
        assert [t.strip() for t in toc.all_inner_texts()] == ["١", "٢", "٣"]
    page.screenshot(path=OUTPUT / f"reader-ckb-digits-{width}.png")
    # Numbers the scripts write: the text size, the picker's verses, search results and count.
    assert page.locator("[data-tx-size-value]").text_content() == "١٠٠%"
    page.locator("[data-tx-picker]").click()
    dialog = page.locator("dialog.tx-picker")
    dialog.get_by_role("button", name="دووهەم نامەی پەترۆ").click()
    dialog.get_by_role("button", name="٢", exact=True).click()
    verses = dialog.locator(".tx-picker__number").all_inner_texts()
    assert verses[1:4] == ["١", "٢", "٣"] and verses[-1] == "٢٢"
    assert dialog.get_by_role("link", name="٣", exact=True).get_attribute("href").endswith(
        "#061-ch-002-v-003")
    page.keyboard.press("Escape")
    page = reader(**WIDTHS[width]).open(site_path("ckb_2pe_text_reg") + "62-2PE.html")
    if width == "phone":
        page.locator("label.md-header__button[for=__search]").click()
    box = page.locator(".md-search__input")
    box.click()
    box.fill("مەسیح")
    box.press("End")  # Material searches on key events
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    page.wait_for_function("""() => !/[0-9]/.test(
        document.querySelector('.md-search-result__meta').textContent)""")
    more = page.locator(".md-search-result__more summary").first
    assert re.search("[١-٩]", more.inner_text()) and not re.search("[0-9]", more.inner_text())
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    titles = page.locator(".md-search-result__item h1, .md-search-result__item h2")
    assert re.search("[١-٩]:[١-٩]", " ".join(titles.all_inner_texts()))
    assert not re.search("[0-9]", " ".join(titles.all_inner_texts()))
    page.screenshot(path=OUTPUT / f"reader-ckb-search-{width}.png")


def test_ui_strings_in_english_are_marked_and_isolated_in_rtl(web, reader):
    """Ancient Hebrew: Material has no UI strings for it; they are English, marked and isolated."""
    page = reader().open(site_path("hbo_uhb") + "index.html")
    assert page.evaluate("document.documentElement.lang") == "hbo"
    meta = page.locator(".md-search-result__meta")
    assert meta.get_attribute("lang") == "en" and meta.get_attribute("dir") == "auto"
    box = page.locator(".md-search__input")
    box.click()
    box.fill("בעז")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10000)
    assert page.evaluate("getComputedStyle(document.querySelector('.md-search-result__meta'))"
                         ".direction") == "ltr"  # "1 matching document", in this order
    # UI text in a sans-serif UI font, never the Hebrew content's serif fallback.
    family = page.evaluate("getComputedStyle(document.querySelector('.md-search-result__meta'))"
                           ".fontFamily")
    assert family.startswith('"Noto Sans"'), family
    page.screenshot(path=OUTPUT / "reader-hbo-search.png")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("name", READER_SAMPLES)
def test_dark_system_setting_gives_a_dark_site_with_a_toggle(web, reader, name: str, width: str):
    r = reader(color_scheme="dark", **WIDTHS[width])
    page = r.open(site_path(name) + first_content_page(web[0], name))
    background = "() => getComputedStyle(document.body).backgroundColor"
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    dark = page.evaluate(background)
    assert sum(map(int, re.findall(r"\d+", dark)[:3])) < 200, dark
    page.screenshot(path=OUTPUT / f"reader-dark-{name}-{width}.png")
    page.locator("[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'default'")
    page.reload()  # the choice is remembered
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_reading_settings_text_size_verses_and_notes(web, reader, width: str):
    page = reader(**WIDTHS[width]).open(site_path("en_ult") + "08-RUT.html")
    size = "() => parseFloat(getComputedStyle(document.querySelector('.tx-content p.p')).fontSize)"
    before = page.evaluate(size)
    settings = page.locator("[data-tx-settings]")
    settings.locator("summary").click()
    assert _fits(page, "[data-tx-settings] .tx-menu__panel")
    settings.locator('[data-tx-size="1"]').click()
    settings.locator('[data-tx-size="1"]').click()
    assert settings.locator("[data-tx-size-value]").inner_text() == "120%"
    assert page.evaluate(size) == pytest.approx(before * 1.2, rel=0.02)
    settings.locator('[data-tx-show="verses"]').uncheck()
    settings.locator('[data-tx-show="notes"]').uncheck()
    page.screenshot(path=OUTPUT / f"reader-settings-{width}.png")
    assert page.locator(".tx-content .v-num").first.is_hidden()
    assert page.locator(".tx-content .fn-caller").first.is_hidden()
    page.reload()  # remembered for this site…
    assert page.evaluate(size) == pytest.approx(before * 1.2, rel=0.02)
    assert page.locator(".tx-content .v-num").first.is_hidden()
    other = page.context.new_page()  # …and for this site only
    PageWatch().attach(other)
    other.goto(web[1] + site_path("hbo_uhb") + "08-RUT.html", wait_until="load")
    assert other.locator(".tx-content .v-num").first.is_visible()
    other.close()


def test_copy_and_share_a_verse_with_its_reference(web, reader):
    r = reader(**PHONE)
    r.context.grant_permissions(["clipboard-read", "clipboard-write"])
    r.context.add_init_script("navigator.share = (data) => { window.txShared = data; "
                              "return Promise.resolve() }")
    page = r.open(site_path("en_ult") + "08-RUT.html")
    verse = page.locator("[id='008-ch-002-v-003']")
    verse.scroll_into_view_if_needed()
    verse.tap()
    menu = page.locator("#tx-verse-menu")
    menu.wait_for(state="visible")
    assert menu.locator(".tx-verse-menu__ref").inner_text() == "Ruth 2:3"
    assert _fits(page, "#tx-verse-menu")
    page.screenshot(path=OUTPUT / "reader-verse-menu-phone.png")
    menu.locator(".tx-verse-menu__copy").tap()
    page.wait_for_function("() => document.querySelector('.tx-verse-menu__copy')"
                           ".textContent === 'Copied'")
    copied = page.evaluate("navigator.clipboard.readText()")
    text, _, url = copied.partition("\n")
    assert text.startswith("So she left and went to glean") and text.endswith(" — Ruth 2:3"), copied
    assert "¹" not in text and "\u2060" not in text
    assert url.endswith("08-RUT.html#008-ch-002-v-003")
    menu.locator(".tx-verse-menu__share").tap()
    shared = page.evaluate("() => window.txShared")
    assert shared["text"] == text and shared["url"] == url and shared["title"] == "Ruth 2:3"


def test_continue_reading_where_the_reader_stopped(web, reader):
    page = reader().open(site_path("en_ult") + "32-JON.html#032-ch-003")
    page.wait_for_function("() => location.hash === '#032-ch-003'")
    page.wait_for_timeout(600)  # the place is noted once scrolling stopped
    page.goto(web[1] + site_path("en_ult") + "index.html", wait_until="load")
    resume = page.locator("[data-tx-resume]")
    resume.wait_for(state="visible")
    assert resume.inner_text().startswith("Continue reading at Jonah 3:1")
    page.screenshot(path=OUTPUT / "reader-continue.png")
    resume.locator("a").click()
    page.wait_for_url("**/32-JON.html#032-ch-003-v-001")
