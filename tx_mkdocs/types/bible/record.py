"""The content record of a Bible: one item per verse (``TIT 1:2``), its text as the page shows
it (the search entry of the verse: no verse number, no note callers), and the hash of the verse's
raw USFM, so that a re-alignment that leaves the words alone is told apart from a text change.
Chapter headings and notes, introductions and front matter are items of their sections."""

from __future__ import annotations

import html
import re

from ...core.changes import Item
from ...core.fs import RepoFS
from ...core.model import Page
from ...core.search import search_entries

#: The id of a verse as the renderer writes it: chapter number, verse number, repeat suffix.
_VERSE_ID = re.compile(r"\d{3}-ch-(\d{3})(?:-\d+)?-v-(\d{3})((?:-\d+)?)")


def _number(part: bytes) -> int | None:
    """The number a chapter's or verse's raw USFM starts with (at most 6 digits)."""
    head = part[:16].lstrip()
    digits = len(head) - len(head.lstrip(b"0123456789"))
    return int(head[:min(digits, 6)]) if digits else None


def raw_verses(data: bytes) -> dict[tuple[int, int], bytes]:
    """(chapter, verse) → the raw USFM after its ``\\v`` to the next chapter or verse marker
    (the first of repeated numbers). Bytes and literal splits, not a scan of every marker: an
    aligned Bible is about 30 MB of markers and words in any script."""
    verses: dict[tuple[int, int], bytes] = {}
    for part in data.split(b"\\c ")[1:]:
        chapter = _number(part)
        if chapter is None:
            continue
        for verse in part.split(b"\\v ")[1:]:
            number = _number(verse)
            if number is not None:
                verses.setdefault((chapter, number), verse)
    return verses


def _raw(fs: RepoFS, page: Page) -> dict[tuple[int, int], bytes]:
    """The verses of the page's USFM file (none for a tStudio project: chunks, not one file)."""
    source = page.sources[0] if len(page.sources) == 1 else ""
    if not source or not fs.is_file(source):
        return {}
    try:
        return raw_verses(fs.read_bytes(source))
    except OSError:
        return {}


def book_items(fs: RepoFS, page: Page) -> list[Item]:
    """The items of one book page."""
    code = str(page.meta.get("book") or page.path.rsplit(".", 1)[0])
    raw = _raw(fs, page)
    items: list[Item] = []
    seen: set[str] = set()
    group = page.title
    shown = {str(c[0]): str(c[1]) for c in page.meta.get("chapters") or ()}  # in the site's digits
    for entry in search_entries(page):
        href = f"{page.url}#{entry.anchor}" if entry.anchor else page.url
        label, text = html.unescape(entry.title), html.unescape(entry.text)
        verse = _VERSE_ID.fullmatch(entry.anchor)
        if verse is None:
            if entry.anchor.count("-ch-") == 1 and entry.anchor.rsplit("-", 1)[-1].isdigit():
                number = shown.get(entry.anchor) or int(entry.anchor.rsplit("-", 1)[-1])
                group = f"{page.title} {number}"
            if text:
                items.append(Item.of(f"{code} #{entry.anchor}", group, label, href, text))
            continue
        chapter, number = int(verse.group(1)), int(verse.group(2))
        key = f"{code} {label.rsplit(' ', 1)[-1]}"
        if key in seen:  # a repeated verse number keeps its own item
            key += verse.group(3) or f"-{len(seen)}"
        seen.add(key)
        items.append(Item.of(key, group, label, href, text, raw.get((chapter, number))))
    return items
