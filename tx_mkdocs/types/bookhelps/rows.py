"""A book's TSV rows: read with the header the file starts with, checked (Door43's row checks,
door43-conventions §11) and placed at their references with their anchors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.ids import content_id
from ...core.log import BuildLog
from ...core.rc import RC
from ...core.tsv import Row, Table, read_tsv
from .refs import INTRO, OTHER, Anchors, Ref, parse_ref
from .sources import BookSource

#: Columns holding original-language text, where U+2060 WORD JOINER is legitimate (Hebrew).
QUOTE_COLUMNS = ("Quote", "OrigQuote", "OrigWords")

_GOOD_ID = re.compile(r"[a-z][a-z0-9-]{3}")
_OCCURRENCE = re.compile(r"-1|\d+")


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


@dataclass(frozen=True)
class Placed:
    """A TSV row with its place in the book and its anchor."""

    row: Row
    ref: Ref
    anchor: str
    #: The reference as written (for messages).
    where: str


class TsvChecks:
    """Door43's TSV row checks (door43-conventions §11) for one file, reported with file+line.

    Wording as the old preprocessor: ``TIT 1:2 - Duplicate ID 'abcd'``.
    """

    def __init__(self, log: BuildLog, path: str, anchors: Anchors) -> None:
        self.log, self.path, self.anchors = log, path, anchors
        self.ids: set[str] = set()
        self.previous: tuple[int, int] | None = None

    def warn(self, row: Row, where: str, text: str, code: str) -> None:
        """A warning about ``row`` (``where``: its reference as written)."""
        self.log.warning(f"{self.anchors.code} {where} - {text}", file=self.path, line=row.line,
                         code=f"tsv.{code}")

    def place(self, row: Row, chapter: str, verse: str, book_code: str | None = None) -> Placed:
        """Check one row (book, reference, order, ID, Occurrence, whitespace) and place it."""
        where = f"{chapter.strip()}:{verse.strip()}"
        if book_code is not None:
            if not book_code.strip():
                self.warn(row, where, "Missing book code", "book")
            elif book_code.strip().upper() != self.anchors.code:
                self.warn(row, where, f"Bad book code '{book_code}' (expected "
                                 f"'{self.anchors.code}')", "book")
        ref = parse_ref(chapter, verse)
        if isinstance(ref, str):
            self.warn(row, where, ref, "reference")
            ref = Ref(OTHER, INTRO)
        else:
            key = (ref.chapter, ref.verse)
            if self.previous is not None and key < self.previous:
                self.warn(row, where, "Chapter/Verse numbers out of order", "order")
            self.previous = key
        self._occurrence(row, where)
        self._spaces(row, where)
        return Placed(row, ref, self._anchor(row, where), where)

    def _anchor(self, row: Row, where: str) -> str:
        value = row["ID"]
        if not value.strip():
            self.warn(row, where, "Missing ID", "id-missing")
            return self.anchors.fallback(row.line)
        if not _GOOD_ID.fullmatch(value):
            reasons = [reason for bad, reason in (
                (len(value) != 4, "Should be exactly four characters long"),
                (not value[:1].isalpha(), "Should start with a letter"),
                (not re.fullmatch(r"[A-Za-z0-9-]+", value),
                 "Should only contain letters, digits and hyphens"),
                (value != value.lower(), "Should be lowercase"),
            ) if bad]
            self.warn(row, where, f"Bad ID '{value}' ({'; '.join(reasons)})", "id-bad")
        if value in self.ids:
            self.warn(row, where, f"Duplicate ID '{value}'", "id-duplicate")
            return self.anchors.fallback(row.line)
        self.ids.add(value)
        return content_id(value) or self.anchors.fallback(row.line)

    def _occurrence(self, row: Row, where: str) -> None:
        if "Occurrence" not in row.cells:
            return
        value = row["Occurrence"].strip()
        if not value and not any(row[c].strip() for c in QUOTE_COLUMNS):
            return  # nothing quoted, nothing to count (questions without a quote)
        if not _OCCURRENCE.fullmatch(value):
            self.warn(row, where, f"Bad Occurrence number '{value}' (Should be number -1,0,1,2,…)",
                      "occurrence")

    def _spaces(self, row: Row, where: str) -> None:
        for column, cell in row.cells.items():
            problems = (
                (cell.startswith(" "), "leading space(s)"),
                (cell.endswith(" "), "trailing space(s)"),
                ("  " in cell, "double spaces"),
                ("\u00a0" in cell, "non-break space"),
                ("\u200b" in cell, "zero-width space"),
                ("\u2060" in cell and column not in QUOTE_COLUMNS, "word joiner"),
            )
            for found, what in problems:
                if found:
                    self.warn(row, where, f"Unexpected {what} in {column}", "whitespace")


def placed_rows(rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                *headers: list[str]) -> tuple[list[Placed], TsvChecks]:
    """The rows of a TSV book, checked and placed at their references (``Reference``, or the
    ``Chapter``/``Verse``/``Book`` columns of tN TSV9), with the checks that placed them (for
    the checks of each row's content); no rows when the file cannot be read."""
    table = read_book_tsv(rc, source.path, log, *headers)
    checks = TsvChecks(log, source.path, anchors)
    placed = [checks.place(row, *split_reference(row["Reference"])) if "Reference" in row.cells
              else checks.place(row, row["Chapter"], row["Verse"], row["Book"])
              for row in (table.rows if table is not None else [])]
    return placed, checks
