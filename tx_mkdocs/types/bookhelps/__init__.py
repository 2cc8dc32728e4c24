"""Book-based helps (tN, tQ, TWL, SN, SQ): book → chapter → verse pages, anchors and checks.

A library of the types layer, not a type (it has no entry point): ``refs`` (references and
anchors), ``sources`` (finding the books), ``rows`` (TSV rows placed in their book, checked with
the row checks of ``tsvhelps``), ``cells`` (the Markdown of notes), ``pages`` (a book's page),
``pool`` (worker processes), ``base`` (the base class), ``glquotes`` (the words of a related
aligned Bible for a row's original quote), and the TSV renderers ``notes`` (tN, SN) and
``questions`` (tQ, SQ).

Every book of such a resource becomes one page ``NN-BOOK.html`` (Door43's USFM number). Its ids
follow Door43 (door43-conventions §6.5/§6.10), with ``<p>`` the type's prefix (``tn``, ``tq`` …)
and ``<book>`` the lower-case book code:

- ``<p>-<book>`` on the book title (``h1``);
- ``<p>-chapter-<book>-CCC`` on each chapter heading, ``<p>-chapter-<book>-front`` on the book
  introduction (old markdown tN zero-filled the folder name, so ``front`` stayed ``front``);
- ``<p>-chunk-<book>-CCC-VVV`` on each verse heading (a range ``1:6-7`` is filed under its first
  verse) and ``<p>-chunk-<book>-CCC-intro`` on a chapter introduction;
- one anchor per TSV row: the row ID itself (``id="zuf5"``). IDs are unique per book and a book is
  one page, so the bare ID is unique in its page; it is what ``rc://*/tn/help/tit/01/06/zuf5``
  and the notes' own ``../01/06/zuf5`` links name (an ID with whitespace around it is trimmed,
  with a warning). A row whose ID is missing, duplicated or unfit
  for an HTML id gets ``<p>-<book>-line-N`` instead (and a warning); an ID the theme or our
  scripts use (``__config``) is namespaced, as every id from repository text
  (:func:`~tx_mkdocs.core.ids.content_id`).

A page carries its own chapter accordion (a ``details`` per chapter listing its verses) and a
table of contents of chapters with their verse sections as children; the site nav has one entry
per book.
"""

from __future__ import annotations

from .base import BookHelpsType
from .cells import LocalLinks, cell_html, meta_html, quote_html, shift_for, tags_html
from .glquotes import GlQuotes
from .notes import note_entries
from .pages import Entry, book_page, markdown_entries
from .pool import RenderedBook, render_tsv_book, render_tsv_books
from .questions import question_entries
from .refs import FRONT, INTRO, OTHER, Anchors, Ref, file_target, help_target, parse_ref
from .rows import Placed, TsvChecks, placed_rows
from .sources import BookSource, find_books

__all__ = [
    "FRONT",
    "INTRO",
    "OTHER",
    "Anchors",
    "BookHelpsType",
    "BookSource",
    "Entry",
    "GlQuotes",
    "LocalLinks",
    "Placed",
    "Ref",
    "RenderedBook",
    "TsvChecks",
    "book_page",
    "cell_html",
    "file_target",
    "find_books",
    "help_target",
    "markdown_entries",
    "meta_html",
    "note_entries",
    "parse_ref",
    "placed_rows",
    "question_entries",
    "quote_html",
    "render_tsv_book",
    "render_tsv_books",
    "shift_for",
    "tags_html",
]
