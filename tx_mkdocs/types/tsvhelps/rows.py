"""The rows of helps TSV, Bible-book and OBS alike: the columns of each kind of file, Door43's
row checks (door43-conventions §11) with one set of message codes, and the links a row makes
(SupportReference → its tA article, rc:// targets)."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ...core.ids import content_id
from ...core.links import rc_label
from ...core.log import BuildLog
from ...core.markup import LinkContext
from ...core.tsv import Row

#: tN, and SN laid out like it (Bible books: ``Reference`` ``1:6``; OBS: ``1:6`` = story 1
#: frame 6).
TN7 = ["Reference", "ID", "Tags", "SupportReference", "Quote", "Occurrence", "Note"]
#: The old nine-column tN (Bible books only).
TN9 = ["Book", "Chapter", "Verse", "ID", "SupportReference", "OrigQuote", "Occurrence",
       "GLQuote", "OccurrenceNote"]
#: tQ, and SQ laid out like it.
TQ = ["Reference", "ID", "Tags", "Quote", "Occurrence", "Question", "Response"]
#: Translation Words Links.
TWL = ["Reference", "ID", "Tags", "OrigWords", "Occurrence", "TWLink"]
#: Help kind → the columns of its TSV; the OBS forms (``tn_OBS.tsv`` …) have the same ones.
COLUMNS = {"tn": TN7, "sn": TN7, "tq": TQ, "sq": TQ, "twl": TWL}

#: Columns holding original-language text, where U+2060 WORD JOINER is legitimate (Hebrew).
QUOTE_COLUMNS = ("Quote", "OrigQuote", "OrigWords")

_GOOD_ID = re.compile(r"[a-z][a-z0-9-]{3}")
_OCCURRENCE = re.compile(r"-1|0|[1-9]\d*")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TWLINK = re.compile(r"rc://[^/\s]+/tw/dict/bible/(kt|names|other)/[^/\s]+")


class RowChecks:
    """Door43's checks of a TSV row's own cells (ID, Occurrence, whitespace) for one file,
    reported with file and line: ``TIT 1:2 - Duplicate ID 'abcd'`` (``label`` ``TIT``, the
    reference as written), or ``Duplicate ID 'abcd'`` when there is neither.

    ``ids`` are the IDs seen so far, shared by the files whose rows share a page.
    """

    def __init__(self, log: BuildLog, path: str, label: str = "",
                 ids: set[str] | None = None) -> None:
        self.log, self.path, self.label = log, path, label
        self.ids = ids if ids is not None else set()

    def warn(self, row: Row, where: str, text: str, code: str) -> None:
        """A warning about ``row`` (``where``: its reference as written, or empty)."""
        prefix = " ".join(part for part in (self.label, where) if part)
        self.log.warning(f"{prefix} - {text}" if prefix else text, file=self.path, line=row.line,
                         code=code)

    def check(self, row: Row, where: str) -> str | None:
        """Check the row's Occurrence, whitespace and ID; its anchor id, None when its ID is
        missing, a duplicate or unfit for an HTML id."""
        self._occurrence(row, where)
        self._spaces(row, where)
        return self._anchor(row, where)

    def _anchor(self, row: Row, where: str) -> str | None:
        """The row's anchor: its ID, trimmed (a stray space is reported, and links to the ID
        still lead to the row)."""
        cell = row["ID"]
        value = cell.strip()
        if not value:
            self.warn(row, where, "Missing ID", code="tsv.id-missing")
            return None
        if value != cell:
            self.warn(row, where, f"ID '{cell}' has whitespace around it: read as '{value}'",
                      code="tsv.id-trimmed")
        if not _GOOD_ID.fullmatch(value):
            reasons = [reason for bad, reason in (
                (len(value) != 4, "Should be exactly four characters long"),
                (not value[:1].isalpha(), "Should start with a letter"),
                (not re.fullmatch(r"[A-Za-z0-9-]+", value),
                 "Should only contain letters, digits and hyphens"),
                (value != value.lower(), "Should be lowercase"),
            ) if bad]
            self.warn(row, where, f"Bad ID '{value}' ({'; '.join(reasons)})", code="tsv.id-bad")
        if value in self.ids:
            self.warn(row, where, f"Duplicate ID '{value}'", code="tsv.id-duplicate")
            return None
        self.ids.add(value)
        return content_id(value)

    def _occurrence(self, row: Row, where: str) -> None:
        if "Occurrence" not in row:
            return
        value = row["Occurrence"].strip()
        if not value and not any(row[c].strip() for c in QUOTE_COLUMNS):
            return  # nothing quoted, nothing to count (questions without a quote)
        if not _OCCURRENCE.fullmatch(value):
            self.warn(row, where, f"Bad Occurrence number '{value}' (Should be number -1,0,1,2,…)",
                      code="tsv.occurrence")

    def _spaces(self, row: Row, where: str) -> None:
        """Whitespace problems of the row's cells (the ID's own are reported by
        :meth:`_anchor`)."""
        joined = "\t".join(row.values())
        if not (joined[:1] == " " or joined[-1:] == " " or "\t " in joined or " \t" in joined
                or "  " in joined or "\u00a0" in joined or "\u200b" in joined
                or ("\u2060" in joined  # outside the quotes: counted, not read cell by cell
                    and joined.count("\u2060") > sum(row[column].count("\u2060")
                                                     for column in QUOTE_COLUMNS))):
            return  # the usual row (Hebrew quotes too): one reading instead of six per cell
        for column, cell in row.items():
            if column == "ID":
                continue
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
                    self.warn(row, where, f"Unexpected {what} in {column}", code="tsv.whitespace")


def rc_link(url: str, context: LinkContext, css: str) -> str:
    """``<a>`` to an rc:// target, resolved by the link table (``figs-idiom``, ``god``): at once
    when it leads out of the site, else when every page is known."""
    href, text = (context.table.outside(url)
                  or (context.table.rc(url, source=context.source, line=context.line),
                      rc_label(url)))
    return _link_html(href, text, css)


@lru_cache(maxsize=1024)
def _link_html(href: str, text: str, css: str) -> str:
    """An ``<a>`` of :func:`rc_link`: the rows of a tN link to the same few hundred tA articles
    (each link made once, not escaped again on every row)."""
    return f'<a class="{css}" href="{html.escape(href)}">{html.escape(text)}</a>'


def support_reference(checks: RowChecks, row: Row, where: str, context: LinkContext) -> str:
    """The row's SupportReference as a link to its tA article (rc link, ``[[rc]]`` or bare slug
    such as ``figs-idiom``); anything else is reported and shown as text."""
    value = row["SupportReference"].strip()
    if value.startswith("[[") and value.endswith("]]"):
        value = value[2:-2].strip()
    if not value:
        return ""
    if value.startswith("rc://"):
        return rc_link(value, context, "tx-support-reference")
    if _SLUG.fullmatch(value):
        return rc_link(f"rc://*/ta/man/translate/{value}", context, "tx-support-reference")
    checks.warn(row, where, f"Bad SupportReference '{value}'", code="tsv.support-reference")
    return html.escape(value)


def tw_link(checks: RowChecks, row: Row, where: str, context: LinkContext) -> str | None:
    """The row's TWLink as a link to its tW article; None (and a warning) when it names none."""
    target = row["TWLink"].strip()
    if _TWLINK.fullmatch(target):
        return rc_link(target, context, "tx-tw-link")
    checks.warn(row, where, f"Bad TWLink '{target}'", code="tsv.twlink")
    return None
