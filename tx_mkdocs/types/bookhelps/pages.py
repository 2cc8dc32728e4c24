"""The page of one book: entries grouped by chapter and verse, the chapter accordion, the TOC."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from ...core.changes import Item, elements_by_id, html_text, html_words, normalize
from ...core.links import PLACEHOLDER, LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext, render_markdown, without_empty_headings
from ...core.model import Page, TocEntry
from ...core.rc import RC
from ...core.resource import section_items
from .cells import shift_for
from .refs import FRONT, INTRO, OTHER, Anchors, Ref
from .sources import BookSource


@dataclass
class Entry:
    """One rendered item of a book (a note, a question, a word link) and where it belongs."""

    ref: Ref
    html: str


def markdown_entries(rc: RC, source: BookSource, log: BuildLog,
                     links: LinkTable) -> list[Entry]:
    """The chunk files of a Markdown book, each rendered under its verse."""
    entries = []
    for ref, path in source.chunks or []:
        try:
            text = rc.fs.read_text(path)
        except OSError as exc:
            log.error(f"Unable to read '{path}': {exc}", file=path, code="helps.read")
            continue
        text, empty = without_empty_headings(text)
        for line in empty:
            log.warning(f"Empty heading in '{path}' line {line}: it is left out", file=path,
                        line=line, code="helps.empty-heading")
        if not text.strip():
            if not empty:
                log.warning(f"Empty file '{path}'", file=path, code="helps.empty")
            continue
        body = render_markdown(text, LinkContext(links, source=path),
                               shift_headings=shift_for(ref))
        entries.append(Entry(ref, f'<div class="tx-chunk">\n{body}\n</div>'))
    return entries


def book_page(source: BookSource, entries: list[Entry], anchors: Anchors, template: str,
              wrap: Callable[[str], str] = lambda body: body, *, record: bool = False) -> Page:
    """The page of one book: title, chapter accordion, chapters with verse sections, TOC.

    ``wrap`` turns the joined entries of one section into its body (a table for word links).
    ``record``: the entries are TSV rows, and the page gets their content record
    (:func:`entry_items`), made from the entries as they are placed under their headings
    rather than read back from the page.
    """
    esc, title = html.escape, source.title
    #: (group, label, entries) of each section, in page order: the record's headings (only
    #: with ``record``: a build whose record is made from the final pages does without them)
    sections: list[tuple[str, str, list[Entry]]] = []
    chapters: dict[int, dict[int, list[Entry]]] = {}
    for entry in sorted(entries, key=lambda e: (e.ref.chapter, e.ref.verse)):
        chapters.setdefault(entry.ref.chapter, {}).setdefault(entry.ref.verse, []).append(entry)
    body: list[str] = []
    toc: list[TocEntry] = []
    index: list[str] = []
    for chapter, verses in chapters.items():
        chapter_id = anchors.chapter(chapter)
        if chapter == FRONT:
            front = [e for items in verses.values() for e in items]
            if record:
                sections.append((title, title, front))
            content = wrap("\n".join(e.html for e in front))
            body.append(f'<section class="tx-helps-front" id="{chapter_id}">\n{content}\n'
                        '</section>')
            toc.append(TocEntry(2, chapter_id, "Introduction"))
            index.append(f'<a class="tx-helps-front-link" href="#{chapter_id}">Introduction</a>')
            continue
        heading = "Other" if chapter == OTHER else f"{title} {chapter}"
        parts = [f'<h2 class="tx-helps-chapter-title" id="{chapter_id}">{esc(heading)}</h2>']
        children: list[TocEntry] = []
        verse_links: list[str] = []
        for verse, items in verses.items():
            section_id = anchors.section(chapter, verse)
            content = wrap("\n".join(e.html for e in items))
            label = heading
            if chapter == OTHER:
                parts.append(content)
            elif verse == INTRO:
                parts.append(f'<section class="tx-helps-intro" id="{section_id}">\n{content}\n'
                             '</section>')
                children.append(TocEntry(3, section_id, "Introduction"))
                verse_links.append(f'<a href="#{section_id}">Intro</a>')
            else:
                end = max(e.ref.end for e in items)
                span = f"{verse}-{end}" if end > verse else str(verse)
                label = f"{title} {chapter}:{span}"
                parts.append(f'<h3 class="tx-helps-verse" id="{section_id}">{esc(title)} '
                             f'{chapter}:{span}</h3>\n{content}')
                children.append(TocEntry(3, section_id, f"{chapter}:{span}"))
                verse_links.append(f'<a href="#{section_id}">{span}</a>')
            if record:
                sections.append((normalize(heading), normalize(label), items))
        body.append('<section class="tx-helps-chapter">\n' + "\n".join(parts) + "\n</section>")
        toc.append(TocEntry(2, chapter_id, heading, children))
        index.append(f'<details class="tx-helps-chapter-index"><summary>'
                     f'{esc("Other" if chapter == OTHER else str(chapter))}</summary>'
                     f'<a href="#{chapter_id}">{esc(heading)}</a> {" ".join(verse_links)}'
                     '</details>')
    nav = (f'<nav class="tx-helps-index" aria-label="Chapters">\n{chr(10).join(index)}\n</nav>\n'
           if index else '<p class="tx-empty">Nothing could be read for this book; see the '
                         'build log.</p>\n')
    page = Page(
        path=f"{source.info.page_stem}.md",
        title=title,
        html=f'<h1 id="{anchors.book}">{esc(title)}</h1>\n{nav}' + "\n".join(body),
        toc=toc,
        template=template,
        sources=[path for _, path in source.chunks] if source.chunks else [source.path],
        meta={"book": source.info.code},
    )
    if record:
        page.items = entry_items(source.info.code, page.url, sections)
    return page


#: A row's element (a note, a question, a word link's table row), its id the row's ID.
_ROW = re.compile(r'<(div|tr)(?= class="tx-(?:note|question)\b| id=)[^<>]*?\sid="([^"<>]+)"[^<>]*>')
#: The chapter and verse headings rows are grouped under.
_HEADING = re.compile(r'<h([23]) class="tx-helps-(?:chapter-title|verse)"[^<>]*>(.*?)</h\1>', re.S)


def page_items(page: Page) -> list[Item]:
    """The content record of a final book page (:func:`row_items`): the items made where the
    page was rendered (:func:`entry_items`), the text and HTML of rows whose links were resolved
    later read again from the page; read from the page alone when there are none."""
    if page.items is None:
        return row_items(page)
    keys = {item.key for item in page.items if not item.source_hash}
    if not keys:
        return page.items
    # an author's element may have a row's id: every item of those ids, in page order
    places = [n for n, item in enumerate(page.items) if item.key in keys]
    ids = [page.items[n].href.rpartition("#")[2] for n in places]
    found: dict[str, list[str]] = {}
    for row_id, _, outer in elements_by_id(page.html, _ROW, ids):
        found.setdefault(row_id, []).append(outer)
    items = list(page.items)
    for n, row_id in zip(places, ids, strict=True):
        outers = found.get(row_id)
        if outers:
            outer = outers.pop(0)
            if not items[n].source_hash:
                items[n] = Item.of(*items[n][:4], html_words(outer), outer)
    return items


def row_items(page: Page) -> list[Item]:
    """The content record of a book page read from the page: one item per TSV row (``TIT rtc9``:
    row IDs are unique in a book), labelled with its verse and grouped by chapter; a page of
    Markdown chunks (no row IDs) has one item per verse section."""
    rows = list(elements_by_id(page.html, _ROW))
    if not rows:
        return section_items([page])
    code = str(page.meta.get("book") or page.path.rsplit(".", 1)[0]).upper()
    headings = [(m.start(), m.group(1), html_text(m.group(2)))
                for m in _HEADING.finditer(page.html)]
    items, place = [], 0
    group = label = page.title
    for row_id, position, outer in rows:
        while place < len(headings) and headings[place][0] < position:
            _, level, text = headings[place]
            group, label = (text, text) if level == "2" else (group, text)
            place += 1
        items.append(_row_item(code, row_id, group, label, page.url, outer))
    return items


def entry_items(code: str, url: str, sections: list[tuple[str, str, list[Entry]]],
                ) -> list[Item]:
    """The items :func:`row_items` reads from a book page, made from its entries (TSV rows)
    under their headings (``sections``: group, label, entries in page order): no pass over the
    page to find each row again. An item whose HTML still holds a link placeholder (a link into
    the site, resolved with all pages) gets no source hash: :func:`page_items` gives it."""
    return [_row_item(code, row_id, group, label, url, outer, hashed=PLACEHOLDER not in outer)
            for group, label, entries in sections for entry in entries
            for row_id, outer in _entry_rows(entry.html)]


def _entry_rows(fragment: str) -> list[tuple[str, str]]:
    """(id, outer HTML) of the row elements of an entry, as :func:`row_items` finds them in the
    page: the entry itself (one element), and any author's element inside it that looks like
    a row (``<div id=…>``: authors have no classes), which only an entry holding another id
    may have."""
    own = _ROW.match(fragment)
    if own is not None and fragment.find('id="', own.end()) == -1:  # no other id inside
        return [(html.unescape(own.group(2)), fragment)]
    return [(row_id, outer) for row_id, _, outer in elements_by_id(fragment, _ROW)]


def _row_item(code: str, row_id: str, group: str, label: str, url: str, outer: str, *,
              hashed: bool = True) -> Item:
    """The item of a row's element (``outer``): its text as read, its HTML as its source
    (not ``hashed``: none yet, see :func:`entry_items`)."""
    return Item.of(f"{code} {row_id}", group, f"{label} ({row_id})", f"{url}#{row_id}",
                   html_words(outer), outer if hashed else None)
