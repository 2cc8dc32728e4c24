"""Search entries straight from the pages the core rendered: one per section heading with an id.

Material's search plugin re-parses every page's HTML with ``html.parser`` — about a third of a
whole-Bible build. The core made that HTML and can cut it into sections with a few regular
expressions instead; the entries have Material's shape (location, title, text as escaped HTML).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape as html_unescape

from .model import Page

_HEADING = re.compile(r'<h([1-3])\b[^>]*\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^<>]*>")  # not across "<": linear on any text
_NAV = re.compile(r"<nav\b.*?</nav>", re.S)  # chapter grids and indexes: links, not text
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchEntry:
    anchor: str  # the heading's id ("" for the page itself)
    title: str  # escaped HTML text
    text: str  # escaped HTML text


def _text(fragment: str) -> str:
    """Tags removed, whitespace folded; entities stay escaped (the search UI shows HTML)."""
    return _SPACE.sub(" ", _TAG.sub(" ", _NAV.sub(" ", fragment))).strip()


def search_entries(page: Page) -> list[SearchEntry]:
    """The page (text before its first heading) and each heading's section until the next."""
    html = page.html
    headings = list(_HEADING.finditer(html))
    title = _text(page.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    entries = [SearchEntry("", title, _text(html[: headings[0].start()] if headings else html))]
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(html)
        entries.append(SearchEntry(html_unescape(heading.group(2)),  # the id, not its HTML form
                                   _text(heading.group(3)) or title,
                                   _text(html[heading.end():end])))
    return entries
