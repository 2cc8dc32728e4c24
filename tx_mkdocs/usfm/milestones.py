"""Milestones: alignment (``\\zaln-s`` … ``\\zaln-e\\*``, ``\\k-s``) and the others (``\\qt-s``).

Alignment milestones are stripped from the text by the tokenizer, which only counts them per
text run; they must balance within each verse. A run is scanned again only to place an error.
Other milestones are dropped with their attributes; their starts and ends must match by the end
of the book.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report

_ALIGNMENT_MILESTONE = re.compile(r"\\(?:zaln|k)-(?:(s)|e\\\*)")


class Alignment:
    """How many alignment milestones are open in the current verse."""

    __slots__ = ("depth", "last_run", "report")

    def __init__(self, report: Report) -> None:
        self.report = report
        self.depth = 0
        self.last_run: tuple[str, int] = ("", 0)  # the last run that left some open, its position

    def step(self, delta: int, run: str, pos: int) -> None:
        """A text run at ``pos`` opened (``delta`` > 0) or closed milestones."""
        before = self.depth
        self.depth += delta
        if self.depth < 0:
            for offset, step in _milestones(run):
                before += step
                if before < 0:
                    pos += offset
                    break
            self.report.warn("'\\zaln-e' without a matching '\\zaln-s'", pos,
                             "usfm.unmatched-milestone")
            self.depth = 0
        elif self.depth > 0:
            self.last_run = (run, pos)

    def end(self) -> None:
        """At a verse or chapter boundary every alignment milestone must be closed."""
        if not self.depth:
            return
        run, pos = self.last_run
        opened: list[int] = []  # offsets of the starts still open at the end of the run
        for offset, step in _milestones(run):
            if step > 0:
                opened.append(offset)
            elif opened:
                opened.pop()
        self.report.warn("Unclosed milestone '\\zaln-s' (missing '\\zaln-e\\*')",
                         pos + (opened[0] if opened else 0), "usfm.unclosed-milestone")
        self.depth = 0


class Milestones:
    """The other milestones still open, by name (``qt`` for ``\\qt-s``)."""

    __slots__ = ("open", "report")

    def __init__(self, report: Report) -> None:
        self.report = report
        self.open: dict[str, list[int]] = {}

    def start(self, base: str, pos: int) -> None:
        """``\\X-s``."""
        self.open.setdefault(base, []).append(pos)

    def end(self, name: str, base: str, pos: int) -> None:
        """``\\X-e``: it closes the last ``\\X-s``."""
        opened = self.open.get(base)
        if opened:
            opened.pop()
        else:
            self.report.warn(f"'\\{name}' without a matching '\\{base}-s'", pos,
                             "usfm.unmatched-milestone")

    def end_of_book(self) -> None:
        """Every start still open is worth a warning."""
        for base, positions in self.open.items():
            for pos in positions:
                self.report.warn(f"Unclosed milestone '\\{base}-s'", pos,
                                 "usfm.unclosed-milestone")


def _milestones(run: str) -> Iterator[tuple[int, int]]:
    """(offset, +1 for a start / -1 for an end) for each alignment milestone of a text run."""
    for m in _ALIGNMENT_MILESTONE.finditer(run):
        yield m.start(), 1 if m.group(1) else -1
