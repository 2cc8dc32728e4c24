"""The content record of a Bible: one item per verse (``TIT 1:2``), its text as the page shows
it (the search entry of the verse: no verse number, no note callers), and the hash of the verse's
raw USFM, so that a re-alignment that leaves the words alone is told apart from a text change.
Chapter headings and notes, introductions and front matter are items of their sections.

A whole Bible has ~31 000 verses in ~30 MB of aligned USFM: the record is made in one loop over
the search entries (which the search index cuts anyway), each raw verse hashed once where the
file is split, and nothing hashed twice (the text is stored, so it is compared, not hashed)."""

from __future__ import annotations

import re
from html import unescape

from ...core.changes import Item, digest, normalize
from ...core.fs import OutsideRepoError, RepoFS
from ...core.model import Page
from ...core.search import search_entries

#: The suffix of a repeated verse number's id (``056-ch-001-v-002-2``).
_REPEAT = re.compile(r"(?<=-v-\d{3})-\d+$")
#: The chapter and verse markers that cut a book's raw USFM (they cannot overlap), with the
#: number their part starts with: whitespace, then up to six digits, within its first 16 bytes
#: (group 2 the whitespace, 3 the digits: more than 16 bytes together are cut to 16).
_RAW_MARKS = re.compile(rb"\\([cv]) (?=(\s{0,15})(\d{1,6}))?")


def verse_digests(data: bytes) -> dict[tuple[int, int], str]:
    """(chapter, verse) → the hash of the raw USFM after its ``\\v`` to the next chapter or
    verse marker (the first of repeated numbers). One split of the bytes at both markers, which
    also reads each number, not a scan of every marker: an aligned Bible is about 30 MB of
    markers and words in any script."""
    keys, parts = [], []
    pieces = iter(_RAW_MARKS.split(data))
    next(pieces)  # before the first marker
    chapter = None
    for marker, space, digits, part in zip(pieces, pieces, pieces, pieces, strict=True):
        number = None
        if digits is not None:
            number = int(digits if len(space) + len(digits) <= 16 else digits[:16 - len(space)])
        if marker == b"c":
            chapter = number
        elif chapter is not None and number is not None:
            keys.append((chapter, number))
            parts.append(part)
    keys.reverse()  # the first of repeated numbers is the last one the dict keeps
    return dict(zip(keys, map(digest, reversed(parts)), strict=True))


def _source_digests(fs: RepoFS, page: Page) -> dict[tuple[int, int], str]:
    """The verses of the page's USFM file (none for a tStudio project: chunks, not one file)."""
    if len(page.sources) != 1:
        return {}
    try:
        return verse_digests(fs.read_bytes(page.sources[0]))
    except (OSError, OutsideRepoError):  # not a regular file of the repository
        return {}


def _unescaped(text: str) -> tuple[str, bool]:
    """The escaped HTML text of a search entry as text, and whether it is still folded (no
    entity but the quotes brought back whitespace). The quotes the renderer escapes are almost
    all a Bible's entities: replaced at C speed (``html.unescape`` calls Python per entity)."""
    plain = text.replace("&quot;", '"').replace("&#x27;", "'")
    return (plain, True) if "&" not in plain else (unescape(text), False)


def book_items(fs: RepoFS, page: Page) -> list[Item]:
    """The items of one book page."""
    code = str(page.meta.get("book") or page.path.rsplit(".", 1)[0])
    sources = _source_digests(fs, page)
    url, title = page.url, page.title
    items: list[Item] = []
    seen: set[str] = set()
    group = title
    shown = {str(c[0]): str(c[1]) for c in page.meta.get("chapters") or ()}  # in the site's digits
    for anchor, label, text, verse in search_entries(page):
        if "&" in label:  # most have no entity: not even a call
            label = _unescaped(label)[0]
        folded = True  # the cut folds whitespace; an entity other than a quote may bring some back
        if "&" in text:
            text, folded = _unescaped(text)
        if verse is None:
            if anchor.count("-ch-") == 1 and anchor.rsplit("-", 1)[-1].isdigit():
                group = f"{title} {shown.get(anchor) or int(anchor.rsplit('-', 1)[-1])}"
            if text:
                items.append(Item.of(f"{code} #{anchor}", group, label,
                                     f"{url}#{anchor}" if anchor else url, text))
            continue
        # the chapter in ASCII whatever digits the site shows (keys outlive that choice), the
        # verse as its label has it ("1-2")
        key = f"{code} {verse[0]}:{label.rsplit(':', 1)[-1]}"
        if key in seen:  # a repeated verse number keeps its own item ("-2" from its id)
            repeat = _REPEAT.search(anchor)
            key += repeat.group() if repeat else f"-{len(seen)}"
        seen.add(key)
        items.append(Item(key, group, label, f"{url}#{anchor}", normalize(text, folded=folded),
                          sources.get(verse, "")))
    return items
