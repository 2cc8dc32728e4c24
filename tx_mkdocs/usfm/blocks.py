"""The blocks of the main text: paragraphs, headings and table rows, between tables and sidebars.

A block is opened at its first content, so that empty ``\\p`` lines vanish; text outside any
block gets a ``<p>``. Only the first main title is an ``<h1>`` (the page has one). Headings after
a chapter's last verse belong to the next chapter: they move after its ``\\c``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .markers import DEMOTED_TITLE, HEADING, IMPLICIT_PARAGRAPH, ROW, TITLE_MARKERS
from .tables import Sidebar, Table

if TYPE_CHECKING:
    from .markers import Marker
    from .report import Report


class Blocks:
    """The current block (maybe not opened yet) and the flow of blocks it goes into."""

    __slots__ = ("flow", "h1", "headers", "is_open", "marker", "name", "plain", "pos",
                 "sidebar", "table", "tail")

    def __init__(self, flow: list[str], headers: dict[str, str]) -> None:
        self.flow = flow  # where blocks go: the introduction, then each chapter's parts
        self.headers = headers  # the text of title blocks goes there too
        self.marker: Marker | None = None  # the current paragraph, heading or row
        self.name = ""
        self.pos = 0
        self.is_open = False
        self.h1 = False  # the page's one <h1> (the first main title) has been emitted
        self.plain: list[str] | None = None  # plain text of a title block, for headers
        self.tail: int | None = None  # index in flow where trailing headings start
        self.table = Table()
        self.sidebar = Sidebar()

    def start(self, marker: Marker, name: str, pos: int) -> None:
        """A paragraph, heading or row marker: the block its content will open."""
        self.marker, self.name, self.pos = marker, name, pos
        if name in TITLE_MARKERS:
            self.plain = []

    def open(self, in_chapter: bool) -> None:
        """Emit the opening tag of the current block (a ``<p>`` if there is none)."""
        if self.marker is None:
            self.marker, self.name = IMPLICIT_PARAGRAPH, "p"
        block = self.marker
        category = block.category
        if category == ROW:
            self.table.start_row(self.flow)
        else:
            self.table.close(self.flow)
            if category == HEADING and block.open.startswith("<h1"):
                if self.h1:
                    self.marker = block = DEMOTED_TITLE
                self.h1 = True
        if category == HEADING:
            if self.tail is None and in_chapter:
                self.tail = len(self.flow)
        else:
            self.tail = None
        self.flow.append(block.open)
        self.is_open = True

    def close(self) -> None:
        """End the open cell and block (their character spans are already closed)."""
        table = self.table
        if table.cell is not None:
            table.close_cell(self.flow)
        table.row_bare = False
        if self.is_open:
            flow = self.flow
            if flow[-1].endswith(" "):
                flow[-1] = flow[-1].rstrip(" ")
            flow.append(self.marker.close)  # type: ignore[union-attr]
            if self.plain is not None:
                self.headers.setdefault(self.name, "".join(self.plain).strip(" "))
        self.plain = None
        self.marker, self.is_open = None, False

    def append(self, html: str) -> None:
        """A block of its own (``\\b``, a figure) between the others: it ends a table."""
        self.table.close(self.flow)
        self.flow.append(html)

    def aside(self, name: str, info: Marker, pos: int, report: Report) -> None:
        """``\\esb`` or ``\\esbe`` (the block before is closed): an aside around blocks."""
        self.table.close(self.flow)
        if name == "esb":
            self.sidebar.start(info, pos, self.flow, report)
        else:
            self.sidebar.end(pos, report)
        self.tail = None

    def close_sidebar(self, report: Report) -> None:
        """A sidebar left open at a chapter or the end of the book."""
        if self.sidebar.open is not None:
            self.sidebar.close_unclosed(report)
            self.tail = None

    def enter(self, parts: list[str]) -> list[str]:
        """Blocks go into a new chapter's ``parts`` from now; the trailing headings of the
        previous chapter, taken out of it, go along."""
        moved: list[str] = []
        if self.tail is not None:
            moved = self.flow[self.tail:]
            del self.flow[self.tail:]
        self.flow = parts
        self.tail = None
        return moved
