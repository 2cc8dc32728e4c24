"""Tab-separated helps (tN, tQ, TWL, SN, SQ, OBS helps): rows with their line numbers.

Real files lack final newlines, carry NBSPs and literal ``\\n``; a row with the wrong number of
columns is reported (file and line) and skipped — it never stops the rest of the file. A file
with more rows than :data:`~tx_mkdocs.core.limits.MAX_TSV_ROWS` is refused as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .limits import MAX_TSV_ROWS
from .log import BuildLog


class Row(dict[str, str]):
    """A TSV row: its cells by column name (a column the file lacks reads as ""), and its line.

    A dict itself: a row's cells are read a score of times while it is checked and rendered,
    and a dict's own lookup is several times cheaper than a method of ours.
    """

    __slots__ = ("line",)

    def __init__(self, line: int, cells: Iterable[tuple[str, str]] | dict[str, str]) -> None:
        super().__init__(cells)
        self.line = line

    def __missing__(self, column: str) -> str:
        return ""


@dataclass
class Table:
    header: list[str]
    rows: list[Row]


def read_tsv(text: str, *, source: str, log: BuildLog,
             expected: list[str] | None = None) -> Table:
    """Parse TSV text; the first line is the header. Problems go to ``log``.

    ``expected`` is the header the type knows; a different header is an error (Door43 wording)
    but rows are still read by position when the column count matches.
    """
    count = text.count("\n")
    if count > MAX_TSV_ROWS:  # counted before anything is split or rendered
        log.error(f"TSV file has {count} lines, more than the {MAX_TSV_ROWS} rows a table may "
                  "have: it was not read", file=source, code="tsv.too-many-rows")
        return Table(expected or [], [])
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        log.error("Empty TSV file", file=source, line=1, code="tsv.empty")
        return Table(expected or [], [])
    header = [h.strip() for h in lines[0].split("\t")]
    if expected and header != expected:
        log.error(f"Unexpected TSV header line #1: '{lines[0]}' (expected "
                  f"'{chr(9).join(expected)}')", file=source, line=1, code="tsv.header")
        if len(header) == len(expected):
            header = expected
    rows: list[Row] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line or line.isspace():  # not line.strip(): no copy of every line
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            log.error(f"Unable to convert bad TSV line (wrong number of fields: {len(cells)}, "
                      f"expected {len(header)})", file=source, line=number, code="tsv.columns")
            continue
        rows.append(Row(number, zip(header, cells, strict=True)))
    return Table(header, rows)
