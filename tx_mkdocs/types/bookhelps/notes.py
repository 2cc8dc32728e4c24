"""Notes in TSV (tN TSV7 and TSV9, Study Notes): each note with its quote, occurrence, tA link
(SupportReference: an rc link or a bare slug such as ``figs-idiom``) and its Markdown with literal
``\\n`` and ``<br>`` as line breaks. Shared by the ``tn`` and ``study`` types."""

from __future__ import annotations

import html

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext
from ...core.rc import RC
from ..tsvhelps import TN7, TN9, support_reference
from .cells import LocalLinks, cell_html, meta_html, quote_html, tags_html
from .glquotes import GlQuotes
from .pages import Entry
from .refs import INTRO, Anchors
from .rows import Placed, TsvChecks, placed_rows
from .sources import BookSource


def note_entries(rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                 links: LinkTable) -> list[Entry]:
    """The notes of one TSV book, TSV7 or TSV9 (decided by the header)."""
    placed, checks = placed_rows(rc, source, anchors, log, TN7, TN9)
    local = LocalLinks(anchors, placed)
    gl = GlQuotes(rc, source.info.code, log)
    return [Entry(item.ref, _note(item, source, checks, local, links, gl)) for item in placed]


def _note(item: Placed, source: BookSource, checks: TsvChecks, local: LocalLinks,
          links: LinkTable, gl: GlQuotes) -> str:
    row = item.row
    context = LinkContext(links, source=source.path, line=row.line)
    note = row["Note"] or row["OccurrenceNote"]
    if note.count("[") != note.count("]"):
        checks.warn(item.row, item.where, "Unmatched square brackets",
                    code="tsv.brackets")
    body = cell_html(note, context, item.ref, local=local, titled=True)
    if item.ref.verse == INTRO:
        return f'<div class="tx-note tx-intro" id="{item.anchor}">\n{body}\n</div>'
    quote, gl_quote = (row["Quote"] or row["OrigQuote"]).strip(), row["GLQuote"].strip()
    # the GL quote (TSV9's column, else the related Bible's words) heads the note, as in TSV9
    aligned = "" if gl_quote else gl.html(item, quote, checks)
    title = html.escape(gl_quote) if gl_quote else aligned or (
        quote_html(quote, source.info) if quote else "")
    occurrence = row["Occurrence"].strip()
    meta = meta_html([
        ("Reference:", html.escape(item.where) if item.ref.end else ""),
        ("Quote:", quote_html(quote, source.info) if (gl_quote or aligned) and quote else ""),
        ("Occurrence:", html.escape(occurrence) if quote and occurrence not in ("", "1") else ""),
        ("Support Reference:", support_reference(checks, row, item.where, context)),
        ("Tags:", tags_html(row["Tags"])),
    ])
    heading = f'<h4 class="tx-note-title">{title}</h4>\n' if title else ""
    return f'<div class="tx-note" id="{item.anchor}">\n{heading}{meta}{body}\n</div>'
