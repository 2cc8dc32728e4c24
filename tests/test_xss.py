"""The XSS corpus (tests/xss_corpus.py) in every content type, built through the CLI, then every
page opened in Debian's Chromium (Playwright), served on 127.0.0.1.

Each page is opened with ``?h=onerror+script+img`` (Material's search highlighting rewrites the
text around those words, and anyone can send such a link), with a dialog handler (every
``alert`` counts), the ``window.__xss`` canary the payloads try to set, and every request
recorded (any to another host counts, and is refused). Then every element is hovered and
focused, every link and note caller clicked (the navigations that follow are cancelled;
``javascript:`` links would run), details toggled, and on each home page the search is run on
payload words (Material shows results as HTML). After that the DOM is audited: no event handler
attribute, no ``javascript:``/``vbscript:``/``data:`` URL, no iframe, object, embed, base, form
(but Material's search and palette), meta refresh or foreign script, and the theme's configuration
elements are the theme's (no DOM clobbering). The built files are audited the same way without a
browser, and no repository text may ever have been read as a Jinja template.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from . import fuzzing
from .browser_support import (
    CHROMIUM_ARGS,
    Build,
    build_sites,
    chromium_path,
    require_playwright,
    serve,
)
from .xss_corpus import FORGED_IDS, PAYLOADS, TEMPLATE_MARK, content_types

COMMIT = "c3" * 20
SEARCHES = ("onerror",)
#: Pages in the browser at a time (Chromium renders them in parallel).
PARALLEL = 4

_URL_ATTRS = ("href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster",
              "background", "srcset", "ping")
_BAD_URL = re.compile(r"(?i)^(?:javascript|vbscript|data):")
_CONTROL = re.compile(r"[\x00-\x20]")
_FORBIDDEN = ("iframe", "object", "embed", "base", "frame", "frameset", "applet")

AUDIT_JS = """() => {
  const bad = []
  const urlAttrs = URL_ATTRS
  const forbidden = FORBIDDEN
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase()
    for (const a of el.attributes) {
      const name = a.name.toLowerCase()
      if (name.startsWith('on')) bad.push(`<${tag} ${name}>`)
      if (urlAttrs.includes(name)
          && /^(javascript|vbscript|data):/i.test(a.value.replace(/[\\u0000-\\u0020]/g, '')))
        bad.push(`<${tag} ${name}="${a.value.slice(0, 50)}">`)
    }
    if (forbidden.includes(tag)) bad.push(`<${tag}>`)
    if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || ''))
      bad.push('<meta http-equiv=refresh>')
    if (tag === 'form' && !el.matches('.md-search__form, form[data-md-component=palette]'))
      bad.push('<form>')
    if (tag === 'script' && el.type !== 'application/json') {
      if (el.src && !el.src.startsWith(location.origin + '/')) bad.push(`<script src=${el.src}>`)
      if (/__xss|alert\\(/.test(el.textContent)) bad.push('<script> of a payload')
    }
    if (tag === 'link' && el.href && !el.href.startsWith(location.origin + '/')
        && !['canonical', 'alternate'].includes(el.rel)) bad.push(`<link href=${el.href}>`)
  }
  // the configuration ids: once each, on the theme's and our script elements (no clobbering)
  for (const id of ['__config', 'tx-config']) {
    const found = document.querySelectorAll(`[id="${id}"]`)
    if (found.length !== 1 || found[0].tagName !== 'SCRIPT')
      bad.push(`#${id}: ${found.length} elements, the first a ${found[0] && found[0].tagName}`)
  }
  if (typeof window.component$ === 'undefined')
    bad.push('the theme did not start')
  return bad
}""".replace("URL_ATTRS", json.dumps(_URL_ATTRS)).replace("FORBIDDEN", json.dumps(_FORBIDDEN))

INTERACT_JS = """() => {
  let n = 0
  const types = ['mouseover', 'mouseenter', 'focusin']  // inline handlers, Material's hovers
  for (const el of document.querySelectorAll('body *')) {
    for (const type of types) el.dispatchEvent(new Event(type, {bubbles: true}))
    if (el.tabIndex >= 0) try { el.focus({preventScroll: true}) } catch (e) {}
    n++
  }
  for (const d of document.querySelectorAll('details')) d.open = !d.open
  // every link that could leave the page (a "#…" one cannot run anything), the first note
  // callers (they open their popup), but not the theme's "Made with Material" (a new window)
  const links = [...document.querySelectorAll('a[href], [onclick]')]
    .filter(a => !(a.getAttribute('href') || '').startsWith('#') && !a.closest('.md-copyright'))
  const callers = [...document.querySelectorAll('.fn-caller a, .xr-caller a')].slice(0, 20)
  for (const a of [...links, ...callers]) try { a.click(); n++ } catch (e) {}
  return n
}"""


#: A mouse pointer entering the first note caller (tx.js opens the note's popup).
HOVER_NOTE_JS = """() => {
  const caller = document.querySelector('.fn-caller:not(.hidden) a, .xr-caller:not(.hidden) a')
  if (caller) caller.dispatchEvent(new PointerEvent('pointerenter', {pointerType: 'mouse'}))
  return !!caller
}"""


@dataclass
class Stats:
    """What the pages did. ``executions``: the canary set, a new window, or a DOM audit finding
    (an event handler, a script URL, a foreign element) — anything that is or could run code."""

    pages: int = 0
    dialogs: list[str] = field(default_factory=list)
    executions: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    interactions: int = 0
    searches: int = 0
    #: What the Content-Security-Policy refused (it backs the sanitizer; it may refuse payloads).
    csp: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def xss_sites(tmp_path_factory: pytest.TempPathFactory):
    """Every content type with the corpus, built by the CLI, served:
    (root folder, base URL, builds, Chromium)."""
    require_playwright()
    executable = chromium_path()
    root = tmp_path_factory.mktemp("xss")
    with serve(root) as base:  # first: OBS pictures point at it
        builds = []
        for n, (name, write) in enumerate(content_types(f"{base}picture.jpg").items()):
            repo = write(root / "repos" / name, n)
            builds.append(Build(repo, root / "u" / "test" / name / COMMIT[:10], COMMIT,
                                name=f"xss-{name}".replace("-", "_")))
        build_sites(builds)
        yield root, base, builds, executable


def _theme_form(attrs: dict[str, str]) -> bool:
    """Material's own forms: search, and the light/dark palette (no action; CSP form-action
    'none' refuses any submission anyway)."""
    return ("md-search__form" in attrs.get("class", "")
            or attrs.get("data-md-component") == "palette")


def _audit_file(path: Path) -> list[str]:
    """The DOM audit of AUDIT_JS, on a built file (every page, without a browser)."""
    found: list[str] = []

    class Audit(HTMLParser):
        script: dict | None = None

        def handle_starttag(self, tag, attrs):
            values = {k.lower(): v or "" for k, v in attrs}
            for name, value in values.items():
                if name.startswith("on"):
                    found.append(f"<{tag} {name}>")
                if name in _URL_ATTRS and _BAD_URL.match(_CONTROL.sub("", value)):
                    found.append(f"<{tag} {name}={value[:50]!r}>")
                if name == "style":
                    found.append(f"<{tag} style>")
            if tag in _FORBIDDEN:
                found.append(f"<{tag}>")
            if tag == "meta" and "refresh" in values.get("http-equiv", "").lower():
                found.append("<meta http-equiv=refresh>")
            if tag == "form" and not _theme_form(values):
                found.append("<form>")
            if tag == "script":
                self.script = values
                if re.match(r"(?i)(?:https?:)?//", values.get("src", "")):
                    found.append(f"<script src={values['src']}>")

        def handle_endtag(self, tag):
            if tag == "script":
                self.script = None

        def handle_data(self, data):
            if self.script is None:
                return
            if self.script.get("type") == "application/json":
                json.loads(data)  # still data: the payload did not end the element
            elif "__xss" in data or "alert(" in data:
                found.append(f"<script>{data[:50]!r}")

    Audit().feed(path.read_text(encoding="utf-8"))
    return [f"{path.name}: {f}" for f in found]


def _audit_search_index(path: Path) -> list[str]:
    """Material shows search titles and texts as HTML: they must hold no tag of the author's."""
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    return [f"{path}: {doc['location']}: {key}" for doc in docs for key in ("title", "text")
            if re.search(r"<(?!/?(?:mark|code|em|strong|b|i)>)[a-z!/]", doc[key], re.I)]


@pytest.mark.browser
def test_xss_corpus_in_every_content_type(xss_sites):
    root, base, builds, executable = xss_sites
    files = sorted(p for b in builds for p in b.site.rglob("*.html"))
    static = [f for path in files for f in _audit_file(path)]
    static += [f for b in builds for f in _audit_search_index(b.site / "search/search_index.json")]
    templated = [str(p) for b in builds for p in b.site.rglob("*")
                 if p.is_file() and TEMPLATE_MARK.encode() in p.read_bytes()]

    stats = asyncio.run(_browse(base, root, files, builds, executable))
    line = (f"xss: {len(PAYLOADS)} payloads and {len(FORGED_IDS)} forged configuration ids × "
            f"{len(builds)} content types, {stats.pages} pages "
            f"opened in Chromium ({stats.interactions} hovers/focuses/clicks, {stats.searches} "
            f"searches), {len(stats.dialogs)} dialogs, {len(stats.executions)} executions, "
            f"{len(stats.external)} external requests, {len(stats.csp)} refused by the CSP; "
            f"{len(files)} files audited, "
            f"{len(static) + len(templated)} findings")
    fuzzing.REPORTS.append(line)
    assert not static, "\n".join(static[:40])
    assert not templated, templated
    assert not stats.dialogs, stats.dialogs[:20]
    assert not stats.executions, stats.executions[:20]
    assert not stats.external, stats.external[:20]
    assert not stats.navigations, stats.navigations[:20]
    assert not stats.errors, stats.errors[:20]
    assert not stats.csp, stats.csp[:20]
    assert stats.pages == len(files) and stats.searches == len(SEARCHES) * len(builds)


async def _browse(base: str, root: Path, files: list[Path], builds: list[Build],
                  executable: str) -> Stats:
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    stats = Stats()
    origin = base.rstrip("/")
    settled: set = set()  # pages loaded: a navigation of theirs is not expected…
    clicking: set = set()  # …until we click their links: then it is ours

    async def route(route, request):
        url = request.url
        parts = urlsplit(url)
        local = parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" == origin
        try:
            page = request.frame.page
        except PlaywrightError:  # a frame being made: an iframe or a window
            stats.navigations.append(f"a new frame or window → {url}")
            await route.abort("aborted")
            return
        if request.is_navigation_request() and page in settled:
            if page not in clicking:  # a refresh or a script moving the page
                stats.navigations.append(f"{page.url} → {url}")
            await route.abort("aborted")  # cancelled: the page stays (no error page)
            return
        if not local and parts.scheme not in ("data", "blob", "about"):
            stats.external.append(f"{request.resource_type} {url}")
            await route.abort()
            return
        await route.continue_()

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        await context.route("**/*", route)
        limit = asyncio.Semaphore(PARALLEL)
        homes = {b.site / "index.html" for b in builds}

        async def visit(path: Path) -> None:
            try:
                await _visit(path)
            except PlaywrightError as exc:
                stats.errors.append(f"{path.relative_to(root)}: {exc}")

        async def _visit(path: Path) -> None:
            async with limit:
                page = await context.new_page()
                page.on("popup", lambda p: stats.executions.append(
                    f"{path.relative_to(root)}: a new window {p.url}"))

                async def dialog(d):
                    stats.dialogs.append(f"{path.relative_to(root)}: {d.type} {d.message!r}")
                    try:
                        await d.dismiss()
                    except PlaywrightError:  # the page went on meanwhile
                        pass

                page.on("dialog", dialog)
                page.on("pageerror", lambda e: stats.errors.append(f"{path.name}: {e}"))
                page.on("console", lambda m: "Content Security Policy" in m.text and (
                    stats.csp.append(f"{path.relative_to(root)}: {m.text[:200]}")))
                # ?h=: Material highlights these words in the page (a link anyone can send)
                url = f"{base}{path.relative_to(root).as_posix()}?h=onerror+script+img"
                await page.goto(url, wait_until="load")
                settled.add(page)
                stats.pages += 1
                if await page.evaluate(HOVER_NOTE_JS):  # a note's popup: its content, copied
                    await page.locator("#tx-note-popup").wait_for(state="visible")
                    await page.keyboard.press("Escape")
                    stats.interactions += 1
                clicking.add(page)  # from now on, navigations are those of our clicks
                stats.interactions += await page.evaluate(INTERACT_JS)
                await page.wait_for_timeout(300)
                if path in homes:
                    await _search(page, stats)
                    await page.wait_for_timeout(300)
                if await page.evaluate("() => window.__xss !== undefined"):
                    stats.executions.append(f"{path.relative_to(root)}: window.__xss is set")
                stats.executions.extend(f"{path.relative_to(root)}: {f}"
                                        for f in await page.evaluate(AUDIT_JS))
                await page.close()

        await asyncio.gather(*(visit(path) for path in files))
        await context.close()
        await browser.close()
    return stats


async def _search(page, stats: Stats) -> None:
    """Material's search on words of the payloads: its results are put in the page as HTML."""
    box = page.locator(".md-search__input")
    for word in SEARCHES:
        await box.click()
        await box.fill(word)
        await box.press("End")  # Material searches on key events
        await page.wait_for_selector(".md-search-result__item", timeout=10000)
        stats.searches += 1
        stats.interactions += await page.evaluate(INTERACT_JS.replace("body *",
                                                                      ".md-search-result *"))
        await page.keyboard.press("Escape")
