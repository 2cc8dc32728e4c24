"""What related resources add to each other's pages (``--with``), once the site is built.

- **A Bible's verse helps**: with tN, tQ, TWL (or SN, SQ) related, each chapter's notes,
  questions and words are written as ``helps/<book>/<chapter>.json``; the Bible page names its
  book's folder (page meta ``tx_helps``) and ``assets/javascripts/tx-helps.js`` fetches one
  chapter's file when a verse number is opened: a reader who never opens it downloads nothing.
- **The verse above its helps**: with a Bible related, each verse section of a tN or tQ page
  shows that verse's text from it, in a collapsible line under the verse heading.

The related resources are built as their own sites are (:func:`~tx_mkdocs.build.build_site`,
with this repository and the other related ones as theirs: the notes carry their GL quotes and
their links' titles), so the panel shows what their pages show. Their links, relative to their
own site, become links to its published Door43 site (:class:`~tx_mkdocs.core.links.ExternalSites`),
where each item's full page is. Everything put into the JSON is HTML of our renderer, sanitized
as every page is; its ids are dropped (they would collide with the Bible page's).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from .build import build_site
from .core.cache import RenderCache
from .core.links import ExternalSites
from .core.log import BuildLog
from .core.model import Page, Site
from .core.rc import BIBLE_SUBJECTS, load_rc
from .core.search import search_entries
from .registry import known_identifiers, known_subjects

#: The site folder of the verse helps, and the Bible page meta key that names a book's folder.
HELPS_DIR = "helps"
HELPS_META = "tx_helps"
#: Subjects whose verse sections go into a Bible's panel, and the group each is shown in.
HELPS_KINDS = {
    "TSV_Translation_Notes": "notes", "Translation_Notes": "notes", "TSV_Study_Notes": "notes",
    "Translation_Questions": "questions", "TSV_Translation_Questions": "questions",
    "TSV_Study_Questions": "questions", "TSV_Translation_Words_Links": "words",
}
#: Helps pages that show the verse above its section.
VERSE_TEXT_KINDS = ("notes", "questions")

#: A verse section's heading on a helps page (``bookhelps.pages.book_page``): its id (1), book
#: code (2), chapter (3), verse (4) and title (5).
_SECTION = re.compile(r'<h3 class="tx-helps-verse" id="([a-z]+-chunk-([a-z0-9]+)-(\d{3})-(\d{3}))">'
                      r"([^<]*)</h3>\n")
_SECTION_END = re.compile(r'\n</section>|\n<section\b|\n<h3 class="tx-helps-verse"')
_RANGE_END = re.compile(r":\d+-(\d+)$")
#: The id of an item (a note, a word link's row) → a link to it; other ids are dropped. Only
#: tags are touched: ``<`` in text is always escaped by the renderer.
_ITEM_ID = re.compile(r'(<(?:div class="tx-note"|tr)) id="([^"<>]*)"')
_ID = re.compile(r'(<[a-z][a-z0-9]*\b[^<>]*?)\sid="[^"<>]*"')
_HREF = re.compile(r'(<a\b[^<>]*?\shref=")([^"<>]*)"')
_CODE = re.compile(r"[a-z0-9]{1,8}")
_FILE = re.compile(rf"{HELPS_DIR}/{_CODE.pattern}/\d+\.json")


@dataclass
class Related:
    """The related resources of one build, each built as its own site."""

    helps: list[tuple[str, Site, str]] = field(default_factory=list)  # kind, site, published
    bible: Site | None = None


def add_related(site: Site, repo: Path, paths: Sequence[str | Path], external: ExternalSites,
                caches: dict[str, RenderCache] | None = None) -> dict[str, str]:
    """Add to ``site``'s pages what its related resources give (see the module); returns the
    files to write with the site (site path → text). ``caches`` keeps each related build's
    render cache between rebuilds (``serve``)."""
    if not paths:
        return {}
    related = _build_related(site, repo, [Path(p) for p in paths], external, caches)
    files: dict[str, str] = {}
    bibles = [p for p in site.pages if p.template == "bible.html" and p.meta.get("book")]
    if related.helps and bibles:
        files = _verse_helps(bibles, related.helps)
    kind = HELPS_KINDS.get(site.subject)
    if related.bible is not None and kind in VERSE_TEXT_KINDS:
        _verse_texts(site, related.bible)
    return files


def write_files(site_dir: Path, files: dict[str, str]) -> None:
    """Write the files :func:`add_related` returned into the built site."""
    for name, text in files.items():
        if not _FILE.fullmatch(name):  # made here from book codes: never anything else
            raise ValueError(f"unexpected verse helps file {name!r}")
        target = site_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _build_related(site: Site, repo: Path, paths: list[Path], external: ExternalSites,
                   caches: dict[str, RenderCache] | None) -> Related:
    """The related helps built with this repository as their Bible; the first related Bible."""
    found = Related()
    is_bible = site.subject in BIBLE_SUBJECTS
    for path in paths:
        other = load_rc(path, None, BuildLog(), known_identifiers(), known_subjects())
        kind = HELPS_KINDS.get(other.subject)
        cache = caches.setdefault(str(path), RenderCache()) if caches is not None else None
        if kind is not None and is_bible:
            rest = [repo, *(p for p in paths if p != path)]
            built = build_site(path, external=external, cache=cache, related=rest, record=False)
            m = other.manifest
            published = external.with_relation(built.manifest.relation).url(
                m.language.identifier, m.identifier.lower(), "", "")
            found.helps.append((kind, built, published))
        elif other.subject in BIBLE_SUBJECTS and found.bible is None and not is_bible:
            found.bible = build_site(path, external=external, cache=cache, record=False)
    order = list(HELPS_KINDS.values())
    found.helps.sort(key=lambda item: order.index(item[0]))
    return found


@dataclass
class Section:
    """A verse section of a helps page."""

    id: str
    chapter: int
    first: int
    last: int
    heading: str  # escaped HTML text ("Titus 1:6-7")
    html: str


def _sections(page: Page) -> list[Section]:
    """The verse sections of a helps page, in order."""
    found = []
    text = page.html
    for match in _SECTION.finditer(text):
        end = _SECTION_END.search(text, match.end())
        found.append(Section(match.group(1), int(match.group(3)), *_verses(match),
                             match.group(5), text[match.end(): end.start() if end else len(text)]))
    return found


def _verses(heading: re.Match[str]) -> tuple[int, int]:
    """The first and last verse of a section heading (a range ``1:6-7`` is filed under 6)."""
    first = int(heading.group(4))
    last = _RANGE_END.search(heading.group(5))
    return first, min(int(last.group(1)), first + 200) if last else first


def _portable(fragment: str, page_url: str) -> str:
    """A section's HTML for another page: its items link to their place on the published page,
    other ids dropped, relative links made absolute."""
    fragment = _ITEM_ID.sub(lambda m: f'{m.group(1)} data-href="{html.escape(page_url)}#'
                                      f'{m.group(2)}"', fragment)
    fragment = _ID.sub(r"\1", fragment)

    def absolute(match: re.Match[str]) -> str:
        href = urljoin(page_url, html.unescape(match.group(2)))
        return f'{match.group(1)}{html.escape(href)}"'

    return _HREF.sub(absolute, fragment)


def _verse_helps(bibles: list[Page], helps: list[tuple[str, Site, str]]) -> dict[str, str]:
    """``helps/<book>/<chapter>.json`` of every chapter with helps; Bible pages get the meta."""
    codes = {code: page for page in bibles
             if _CODE.fullmatch(code := str(page.meta["book"]).lower())}  # a file name
    chapters: dict[tuple[str, int], dict[str, list[dict[str, Any]]]] = {}
    sources: list[dict[str, str]] = []
    for index, (kind, built, published) in enumerate(helps):
        language = built.manifest.language
        sources.append({"kind": kind, "title": built.manifest.title, "url": published,
                        "lang": language.identifier, "dir": language.direction})
        for page in built.pages:
            code = str(page.meta.get("book") or "").lower()
            if code not in codes:
                continue
            page_url = urljoin(published, page.url)
            for section in _sections(page):
                item = {"source": index, "heading": html.unescape(section.heading),
                        "url": f"{page_url}#{section.id}",
                        "html": _portable(section.html, page_url)}
                verses = chapters.setdefault((code, section.chapter), {})
                for verse in range(section.first, section.last + 1):
                    verses.setdefault(str(verse), []).append(item)
    files = {}
    for (code, chapter), verses in chapters.items():
        data = {"book": code, "chapter": chapter, "sources": sources, "verses": verses}
        files[f"{HELPS_DIR}/{code}/{chapter}.json"] = json.dumps(
            data, ensure_ascii=False, separators=(",", ":"))
    for code in {code for code, _ in chapters}:
        codes[code].meta[HELPS_META] = f"{HELPS_DIR}/{code}/"
    return files


def _verse_texts(site: Site, bible: Site) -> None:
    """Under each verse heading of the helps pages, the verse's text in the related Bible."""
    texts: dict[tuple[str, int, int], str] = {}
    for page in bible.pages:
        code = str(page.meta.get("book") or "").lower()
        for entry in search_entries(page) if code else ():
            if entry.verse:
                texts[(code, *entry.verse)] = entry.text
    if not texts:
        return
    label = html.escape(bible.manifest.identifier.upper())
    language = bible.manifest.language
    attributes = (f'lang="{html.escape(language.identifier)}" '
                  f'dir="{html.escape(language.direction)}"')

    def add(match: re.Match[str]) -> str:
        code, chapter = match.group(2), int(match.group(3))
        first, last = _verses(match)
        found = [texts[(code, chapter, v)] for v in range(first, last + 1)
                 if (code, chapter, v) in texts]
        if not found:
            return match.group(0)
        # search text is escaped HTML already
        return (f'{match.group(0)}<details class="tx-verse-text"><summary>{label}</summary>'
                f'<p {attributes}>{" ".join(found)}</p></details>\n')

    for page in site.pages:
        if 'class="tx-helps-verse"' in page.html:
            page.html = _SECTION.sub(add, page.html)
