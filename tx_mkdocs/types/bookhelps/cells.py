"""The Markdown and HTML of an entry's cells: notes with their in-book links, quotes, tags, the
line of facts, and links to rc:// targets."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from ...core.books import Book
from ...core.ids import content_id
from ...core.markup import LinkContext, note_text, render_markdown
from .refs import FRONT, INTRO, OTHER, Anchors, Ref
from .rows import Placed

_NOTE_LINK = re.compile(r"\]\(\.\./(\d{1,3})/(\d{1,3})(?:\.md)?(?:/([A-Za-z0-9-]+))?/?\)")


class LocalLinks:
    """A TSV note's links into its own book (``../01/06.md``, ``../01/06/zuf5``) → page ids.

    The notes are written as if they were the old ``tit/01/05.md`` files; those files do not
    exist, so such links point into the page being built: the note, else the verse, else the
    chapter. Links to places the book does not have stay as they are (and are reported).
    """

    def __init__(self, anchors: Anchors, placed: Iterable[Placed]) -> None:
        self.anchors = anchors
        self.ids: set[str] = set()
        self.sections: set[tuple[int, int]] = set()
        for item in placed:
            self.ids.add(item.anchor)
            if item.ref.chapter not in (FRONT, OTHER):
                self.sections.add((item.ref.chapter, item.ref.verse))
        self.chapters = {chapter for chapter, _ in self.sections}

    def __call__(self, text: str) -> str:
        return _NOTE_LINK.sub(self._replace, text) if "](../" in text else text

    def _replace(self, match: re.Match[str]) -> str:
        chapter, verse, note = int(match.group(1)), int(match.group(2)), match.group(3)
        anchor = content_id(note) if note else None
        if anchor and anchor in self.ids:
            return f"](#{anchor})"
        if (chapter, verse) in self.sections:
            return f"](#{self.anchors.section(chapter, verse)})"
        if chapter in self.chapters:
            return f"](#{self.anchors.chapter(chapter)})"
        return match.group(0)


def shift_for(ref: Ref, *, titled: bool = False) -> int:
    """Heading shift that nests an entry's own headings under its section.

    The book intro's ``#`` becomes a chapter-level ``h2``, a chapter intro's an ``h3``; a verse
    entry's ``#`` an ``h4`` (the question or quote), or ``h5`` below an entry title of our own.
    """
    if ref.chapter == FRONT:
        return 1
    if ref.verse == INTRO:
        return 2
    return 4 if titled else 3


def cell_html(cell: str, context: LinkContext, ref: Ref, *, local: LocalLinks | None = None,
              titled: bool = False) -> str:
    """A TSV Markdown cell (literal ``\\n`` and ``<br>`` as line breaks) → safe HTML."""
    text = note_text(cell)
    return render_markdown(local(text) if local else text, context,
                           shift_headings=shift_for(ref, titled=titled))


def quote_html(quote: str, info: Book) -> str:
    """An original-language quote: Hebrew for the Old Testament, Greek otherwise."""
    lang = "hbo" if info.testament == "ot" else "el-x-koine"
    return f'<span class="tx-quote" lang="{lang}" dir="auto">{html.escape(quote.strip())}</span>'


def tags_html(tags: str) -> str:
    if not tags:  # most rows have none
        return ""
    return " ".join(f'<span class="tx-tag">{html.escape(t.strip())}</span>'
                    for t in tags.split(";") if t.strip())


def meta_html(items: Iterable[tuple[str, str]]) -> str:
    """A line of ``label: value`` facts of an entry (values are HTML already)."""
    parts = [f"{_label_html(label)} {value}" for label, value in items if value]
    return f'<p class="tx-meta">{" · ".join(parts)}</p>\n' if parts else ""


@lru_cache(maxsize=64)
def _label_html(label: str) -> str:
    """A fact's label: the same few for every row of a book (made once, not per row)."""
    return f'<span class="tx-label">{html.escape(label)}</span>'
