"""The site's table of Bible references: what a reader may type ("John 3:16", "Jn 3", "Juan 3:16")
and where it is.

Written with the site as ``references.json``: every Bible book's page, its names (the book's own
``\\h``/``\\toc1``–``\\toc3`` as the Bible type put them into the page's meta, the English name
and common abbreviations of :mod:`.books`) and its chapters with their verse numbers as runs. The
page script resolves a typed reference with it, with no network, and the verse picker draws its
grids from it. Verse ids are ``<chapter id>-v-VVV`` (the USFM renderer's).
"""

from __future__ import annotations

import re
from typing import Any

from .books import ABBREVIATIONS, book
from .model import Page, Site
from .search import VERSE

#: The page meta key of a Bible book's page: the book's own names (``\\h``, ``\\toc1`` …).
NAMES_META = "book_names"
#: Its file name in the site.
REFERENCES_FILE = "references.json"
_CHAPTER_NUMBER = re.compile(r"-ch-(\d{3})")


def _runs(numbers: list[int]) -> list[list[int]]:
    """Sorted distinct numbers as [first, last] runs: 1–31 is [[1, 31]] (verse lists stay small)."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return runs


def _book_entry(page: Page) -> dict[str, Any]:
    code = str(page.meta.get("book") or "")
    info = book(code)
    names = [str(n) for n in page.meta.get(NAMES_META) or [] if str(n).strip()]
    if info:
        names += [info.name, *ABBREVIATIONS.get(info.code, ())]
    verses: dict[str, list[int]] = {}
    for verse in VERSE.finditer(page.html):
        verses.setdefault(verse.group(2), []).append(int(verse.group(4)))
    chapters = []
    for chapter_id, label in page.meta.get("chapters") or []:
        number = _CHAPTER_NUMBER.search(chapter_id)
        if number:
            chapters.append([int(number.group(1)), chapter_id, str(label),
                             _runs(verses.get(chapter_id, []))])
    return {"code": code, "page": page.url, "title": page.title,
            "names": list(dict.fromkeys(names)), "chapters": chapters}


def reference_table(site: Site) -> dict[str, Any] | None:
    """The books of the site's Bible pages in reading order; None when the site has none."""
    books = [_book_entry(page) for page in site.pages if NAMES_META in page.meta]
    return {"books": books} if books else None
