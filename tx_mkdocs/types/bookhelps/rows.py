"""A book's TSV rows: read with the header the file starts with, checked (Door43's row checks,
door43-conventions §11) and placed at their references with their anchors."""

from __future__ import annotations

from typing import NamedTuple

from ...core.log import BuildLog
from ...core.rc import RC
from ...core.tsv import Row, Table, read_tsv
from ..tsvhelps import RowChecks
from .refs import INTRO, OTHER, Anchors, Ref, parse_ref
from .sources import BookSource


def read_book_tsv(rc: RC, path: str, log: BuildLog, *headers: list[str]) -> Table | None:
    """A book's TSV; the expected header is the one whose first column the file starts with."""
    try:
        text = rc.fs.read_text(path)
    except OSError as exc:
        log.error(f"Unable to read '{path}': {exc}", file=path, code="helps.read")
        return None
    first = text.split("\n", 1)[0].split("\t", 1)[0].strip()
    expected = next((h for h in headers if h[0] == first), headers[0])
    return read_tsv(text, source=path, log=log, expected=expected)


def split_reference(reference: str) -> tuple[str, str]:
    """``"1:6-7"`` → ``("1", "6-7")``."""
    chapter, _, verse = reference.partition(":")
    return chapter, verse


class Placed(NamedTuple):
    """A TSV row with its place in the book and its anchor (a tuple: made for every row)."""

    row: Row
    ref: Ref
    anchor: str
    #: The reference as written (for messages).
    where: str


class TsvChecks(RowChecks):
    """The row checks of one book's TSV file, with those of the row's place in the book (book
    code, reference, order), reported as ``TIT 1:2 - …``."""

    def __init__(self, log: BuildLog, path: str, anchors: Anchors) -> None:
        super().__init__(log, path, anchors.code)
        self.anchors = anchors
        self.previous: tuple[int, int] | None = None

    def place(self, row: Row, chapter: str, verse: str, book_code: str | None = None) -> Placed:
        """Check one row (book, reference, order, ID, Occurrence, whitespace) and place it."""
        where = f"{chapter.strip()}:{verse.strip()}"
        if book_code is not None:
            if not book_code.strip():
                self.warn(row, where, "Missing book code", code="tsv.book")
            elif book_code.strip().upper() != self.anchors.code:
                self.warn(row, where, f"Bad book code '{book_code}' (expected "
                                      f"'{self.anchors.code}')", code="tsv.book")
        ref = parse_ref(chapter, verse)
        if isinstance(ref, str):
            self.warn(row, where, ref, code="tsv.reference")
            ref = Ref(OTHER, INTRO)
        else:
            key = (ref.chapter, ref.verse)
            if self.previous is not None and key < self.previous:
                self.warn(row, where, "Chapter/Verse numbers out of order", code="tsv.order")
            self.previous = key
        anchor = self.check(row, where) or self.anchors.fallback(row.line)
        return Placed(row, ref, anchor, where)


def placed_rows(rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                *headers: list[str]) -> tuple[list[Placed], TsvChecks]:
    """The rows of a TSV book, checked and placed at their references (``Reference``, or the
    ``Chapter``/``Verse``/``Book`` columns of tN TSV9), with the checks that placed them (for
    the checks of each row's content); no rows when the file cannot be read."""
    table = read_book_tsv(rc, source.path, log, *headers)
    checks = TsvChecks(log, source.path, anchors)
    placed = [checks.place(row, *split_reference(row["Reference"])) if "Reference" in row
              else checks.place(row, row["Chapter"], row["Verse"], row["Book"])
              for row in (table.rows if table is not None else [])]
    return placed, checks
