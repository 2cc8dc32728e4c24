"""Translation Words Links (``twl_TIT.tsv``: Reference, ID, Tags, OrigWords, Occurrence, TWLink):
one page per book with ``twl-…`` ids, each verse a table of original words and their tW articles.

The old tX never rendered TWL. ``TWLink`` (``rc://*/tw/dict/bible/kt/god``) is resolved by the
link table: into the tW site of the manifest's ``relation`` (or of this language).
"""

from __future__ import annotations

import html

from ...core.links import LinkTable
from ...core.log import BuildLog
from ...core.markup import LinkContext
from ...core.rc import RC
from ..bookhelps import (
    Anchors,
    BookHelpsType,
    BookSource,
    Entry,
    GlQuotes,
    Placed,
    TsvChecks,
    placed_rows,
    quote_html,
    tags_html,
)
from ..tsvhelps import TWL, tw_link

_HEAD = ("<thead><tr><th>Original words</th><th>Occurrence</th><th>Translation Word</th>"
         "<th>Tags</th></tr></thead>")


class TwlType(BookHelpsType):
    name = "twl"
    templates = ("twl.html",)
    subjects = ("TSV_Translation_Words_Links",)
    rc_resources = ("twl",)

    def wrap(self, body: str) -> str:
        return f'<table class="tx-twl">\n{_HEAD}\n<tbody>\n{body}\n</tbody>\n</table>'

    def tsv_entries(self, rc: RC, source: BookSource, anchors: Anchors, log: BuildLog,
                    links: LinkTable) -> list[Entry]:
        placed, checks = placed_rows(rc, source, anchors, log, TWL)
        gl = GlQuotes(rc, source.info.code, log)
        return [Entry(item.ref, self._row(item, source, checks, links, gl)) for item in placed]

    def _row(self, item: Placed, source: BookSource, checks: TsvChecks,
             links: LinkTable, gl: GlQuotes) -> str:
        row = item.row
        context = LinkContext(links, source=source.path, line=row.line)
        link = tw_link(checks, row, item.where, context)
        target = row["TWLink"].strip()
        if link:  # rc://…/tw/dict/bible/<category>/<word>
            word = f'{link} <span class="tx-tag">{target.rsplit("/", 2)[1]}</span>'
        else:
            word = html.escape(target)
        aligned = gl.html(item, row["OrigWords"], checks)
        words = f"{aligned}<br>{quote_html(row['OrigWords'], source.info)}" if aligned else (
            quote_html(row["OrigWords"], source.info))
        return (f'<tr id="{item.anchor}"><td>{words}</td>'
                f'<td>{html.escape(row["Occurrence"])}</td><td>{word}</td>'
                f'<td>{tags_html(row["Tags"])}</td></tr>')


TYPE = TwlType()
