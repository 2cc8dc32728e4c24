"""Search entries straight from the pages the core rendered: one per section heading with an id,
and one per verse in Bible chapters.

Material's search plugin re-parses every page's HTML with ``html.parser`` — about a third of a
whole-Bible build. The core made that HTML and can cut it into sections with a few regular
expressions instead; the entries have Material's shape (location, title, text as escaped HTML).
A reader searching a Bible wants the verse, not its chapter: a section with verse numbers is cut
at each one (title "Book C:V", the verse's own short text), and the chapter's notes stay with the
chapter's entry. C is the chapter's number as the page shows it (``meta["chapters"]``: in the
site's digits), V the verse's label.
"""

from __future__ import annotations

import functools
import re
from html import unescape as html_unescape
from typing import NamedTuple

from .model import Page

_HEADING = re.compile(r'<h([1-3])\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^<>]*>")  # not across "<": linear on any text
_NAV = re.compile(r"<nav\b.*?</nav>", re.S)  # chapter grids and indexes: links, not text
#: A run of whitespace that is not one space alone (what folding whitespace to one space
#: changes): a whole Bible's single spaces are not matched and replaced one by one.
_SPACE = re.compile(r"[^\S ]\s*| \s+")
#: A verse number as the USFM renderer writes it (``BBB-ch-CCC-v-VVV``), its label in <sup>,
#: and the no-break space that keeps it with its first word (not verse text).
#: Groups: 1 the id, 2 the chapter's id, 3 the chapter number, 4 the verse number, 5 the label.
VERSE = re.compile(r'<span class="v-num" id="((\d{3}-ch-(\d{3})(?:-\d+)?)-v-(\d{3})(?:-\d+)?)">'
                   r"<sup>([^<]*)</sup>(?:&nbsp;)?")
#: A chapter's footnotes and cross references (lists of <p>) and their callers in the text.
_NOTES = re.compile(r'<div class="(?:footnotes|crossrefs)">.*?</div>', re.S)
_CALLER = re.compile(r'<sup class="(?:fn|xr)-caller[^"]*">.*?</sup>', re.S)


class SearchEntry(NamedTuple):
    """One section or verse. A tuple: a whole Bible cuts into 32 000 of them, and a frozen
    dataclass takes twice as long to make."""

    anchor: str  # the heading's or verse's id ("" for the page itself)
    title: str  # escaped HTML text
    text: str  # escaped HTML text
    #: A verse's (chapter, verse) numbers, as its id has them (None: not a verse).
    verse: tuple[int, int] | None = None


def _text(fragment: str) -> str:
    """Tags removed, whitespace folded; entities stay escaped (the search UI shows HTML)."""
    if "<nav" in fragment:  # most fragments have none: not even a scan for one
        fragment = _NAV.sub(" ", fragment)
    return _SPACE.sub(" ", _TAG.sub(" ", fragment)).strip()


def _section(anchor: str, title: str, book: str, body: str,
             chapters: dict[str, str]) -> list[SearchEntry]:
    """A heading's section: one entry, or (with verses) its head and notes, then each verse."""
    if not VERSE.search(body):
        return [SearchEntry(anchor, title, _text(body))]
    notes = " ".join(m.group(0) for m in _NOTES.finditer(body))
    text = _NOTES.sub(" ", _CALLER.sub("", body))
    verses = list(VERSE.finditer(text))
    entries = [SearchEntry(anchor, title, _text(text[: verses[0].start()] + " " + notes))]
    for i, verse in enumerate(verses):
        end = verses[i + 1].start() if i + 1 < len(verses) else len(text)
        label, number = verse.group(5), int(verse.group(3))
        shown = label if label.isalnum() else _text(label)  # "12": nothing to remove
        chapter = chapters.get(verse.group(2)) or str(number)
        entries.append(SearchEntry(verse.group(1), f"{book} {chapter}:{shown}",
                                   _text(text[verse.end():end]), (number, int(verse.group(4)))))
    return entries


def search_entries(page: Page) -> list[SearchEntry]:
    """The page (text before its first heading) and each heading's section until the next.

    Kept for the last pages cut: the search index and the content record (core/changes.py)
    both read them, a whole Bible's cost once."""
    chapters = tuple((str(c[0]), str(c[1])) for c in page.meta.get("chapters") or ())
    return list(_entries(page.html, page.title, chapters))


def clear_cache() -> None:
    """Forget the sections cut so far (:func:`search_entries` keeps the last pages'): a
    measurement of the cutting starts cold, and a long-lived process can give the memory back."""
    _entries.cache_clear()


@functools.lru_cache(maxsize=256)
def _entries(html: str, page_title: str,
             chapters: tuple[tuple[str, str], ...]) -> tuple[SearchEntry, ...]:
    headings = list(_HEADING.finditer(html))
    title = _text(page_title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    entries = [SearchEntry("", title, _text(html[: headings[0].start()] if headings else html))]
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(html)
        entries += _section(html_unescape(heading.group(2)),  # the id, not its HTML form
                            _text(heading.group(3)) or title, title, html[heading.end():end],
                            dict(chapters))
    return tuple(entries)
