"""Questions in TSV (tQ, Study Questions: Reference, ID, Tags, Quote, Occurrence, Question,
Response), shown as the old Markdown files had them: the question as a heading, the response
below. Shared by the ``tq`` and ``study`` types."""

from __future__ import annotations

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext, note_text
from ...core.rc import RC
from ..tsvhelps import TQ
from .cells import LocalLinks, cell_html, meta_html, quote_html, tags_html
from .pages import Entry
from .refs import Anchors
from .rows import Placed, TsvChecks, placed_rows
from .sources import BookSource


def question_entries(rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                     links: LinkTable) -> list[Entry]:
    """The questions of one TSV book."""
    placed, checks = placed_rows(rc, source, anchors, log, TQ)
    local = LocalLinks(anchors, placed)
    return [Entry(item.ref, _question(item, source, checks, local, links)) for item in placed]


def _question(item: Placed, source: BookSource, checks: TsvChecks, local: LocalLinks,
              links: LinkTable) -> str:
    row = item.row
    question = " ".join(note_text(row["Question"]).split())
    if not question:
        checks.warn(item.row, item.where, "Missing question",
                    code="tsv.question-missing")
    markdown = (f"# {question}\n\n" if question else "") + row["Response"]
    body = cell_html(markdown, LinkContext(links, source=source.path, line=row.line), item.ref,
                     local=local)
    quote = row["Quote"].strip()
    meta = meta_html([("Quote:", quote_html(quote, source.info) if quote else ""),
                      ("Tags:", tags_html(row["Tags"]))])
    return f'<div class="tx-question" id="{item.anchor}">\n{meta}{body}\n</div>'
