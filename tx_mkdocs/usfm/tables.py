"""Tables (``\\tr`` rows of ``\\th``/``\\tc`` cells) and sidebars (``\\esb`` … ``\\esbe``).

Consecutive ``\\tr`` rows make one ``<table>``; a cell without ``\\tr`` opens an implicit row,
and text in a row before any cell gets an implicit ``<td>``. A sidebar is an ``<aside>`` around
paragraphs; one left open is closed at the next sidebar, chapter or the end of the book.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from .markers import MARKERS

if TYPE_CHECKING:
    from .markers import Marker
    from .report import Report

_COLUMNS = re.compile(r"(?<!\d)(\d+)(?:-(\d+))?$")
_ASIDE_CLOSE = MARKERS["esb"].close


class Table:
    """The open table of the flow: its row and cell."""

    __slots__ = ("cell", "column", "open", "row_bare")

    def __init__(self) -> None:
        self.open = False
        self.cell: str | None = None  # closing tag of the open cell
        self.column = 0  # last column used in the open row
        self.row_bare = False  # a row is open but no cell yet: text needs an implicit <td>

    def start_row(self, flow: list[str]) -> None:
        """A row begins; the first one opens the table."""
        if not self.open:
            flow.append('<table class="usfm-table">\n')
            self.open = True
        self.row_bare, self.column = True, 0

    def start_cell(self, name: str, info: Marker, pos: int, flow: list[str],
                   report: Report) -> None:
        """A cell marker (the previous cell is closed): a skipped column is worth a warning."""
        columns = _COLUMNS.search(name)
        if columns:
            first = int(columns.group(1))
            if first > self.column + 1:
                report.warn(f"Table row skips column {self.column + 1}", pos, "usfm.table-column")
            self.column = int(columns.group(2) or first)
        flow.append(info.open)
        self.cell, self.row_bare = info.close, False

    def implicit_cell(self, flow: list[str]) -> None:
        """Text in a row before any cell marker."""
        flow.append("<td>")
        self.cell, self.row_bare = "</td>", False

    def close_cell(self, flow: list[str]) -> None:
        """End the open cell (its character spans are already closed)."""
        cell = self.cell
        assert cell is not None
        if flow[-1].endswith(" "):
            flow[-1] = flow[-1].rstrip(" ")
        flow.append(cell)
        self.cell = None

    def close(self, flow: list[str]) -> None:
        """End the table, if one is open (at any block that is not a row)."""
        if self.open:
            flow.append("</table>\n")
            self.open = False


class Sidebar:
    """The open ``\\esb``: where its ``<aside>`` is, for ``\\cat`` and for closing it."""

    __slots__ = ("open",)

    def __init__(self) -> None:
        self.open: tuple[list[str], int, int] | None = None  # (flow, index of <aside>, pos)

    def start(self, info: Marker, pos: int, flow: list[str], report: Report) -> None:
        """``\\esb``: one still open is closed first."""
        if self.open is not None:
            self.close_unclosed(report)
        flow.append(info.open)
        self.open = (flow, len(flow) - 1, pos)

    def end(self, pos: int, report: Report) -> None:
        """``\\esbe``."""
        if self.open is not None:
            self.open[0].append(_ASIDE_CLOSE)
            self.open = None
        else:
            report.warn("'\\esbe' without a matching '\\esb'", pos, "usfm.sidebar")

    def close_unclosed(self, report: Report) -> None:
        """A sidebar still open at another sidebar, a chapter or the end of the book."""
        assert self.open is not None
        flow, _, pos = self.open
        report.warn("Unclosed sidebar '\\esb' (missing '\\esbe')", pos, "usfm.sidebar")
        flow.append(_ASIDE_CLOSE)
        self.open = None

    def categorize(self, value: str) -> None:
        """``\\cat``: the open sidebar's category."""
        if self.open is not None and value:
            flow, index, _ = self.open
            flow[index] = f'<aside class="esb" data-category="{escape(value)}">\n'
