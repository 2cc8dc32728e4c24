"""Toy Glossary: the example of docs/adding-a-type.md (tests/test_docs.py builds it).

A repository with subject ``Toy Glossary`` holds ``glossary.tsv`` (columns ``Term`` and
``Meaning``); the site gets one page, ``glossary.html``, with one entry per term whose id is the
term's slug, so that ``rc://*/toy-glossary/<slug>`` links land on it.
"""

from __future__ import annotations

import html
import re

from tx_mkdocs.core.ids import content_id
from tx_mkdocs.core.links import LinkTable
from tx_mkdocs.core.log import BuildLog
from tx_mkdocs.core.markup import LinkContext, render_markdown
from tx_mkdocs.core.model import Page, TocEntry
from tx_mkdocs.core.rc import RC
from tx_mkdocs.core.resource import ResourceType, TypeOutput
from tx_mkdocs.core.tsv import read_tsv

SOURCE = "glossary.tsv"
COLUMNS = ["Term", "Meaning"]
PAGE = "glossary.md"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(term: str) -> str:
    """The id of a term: lower case ASCII letters and digits joined by ``-``, under the one id
    policy (``content_id``: a term ``tx-config`` must not become an id our scripts read)."""
    return content_id(_NOT_SLUG.sub("-", term.lower()).strip("-") or "term") or "term"


class ToyGlossaryType(ResourceType):
    name = "toytype"
    subjects = ("Toy_Glossary",)
    rc_resources = ("toy-glossary",)
    templates = ("toy.html",)  # in templates/ next to this file

    def build(self, rc: RC, log: BuildLog, links: LinkTable) -> TypeOutput:
        if not rc.fs.is_file(SOURCE):
            log.error(f"No {SOURCE} found", code="toy.no-glossary")
            return TypeOutput(body_class="toy")
        links.register_file(SOURCE, "glossary.html")
        table = read_tsv(rc.fs.read_text(SOURCE), source=SOURCE, log=log, expected=COLUMNS)
        entries, toc, seen = [], [], set()
        for row in table.rows:
            anchor = slug(row["Term"])
            if anchor in seen:
                log.warning(f"Duplicate term '{row['Term']}'", file=SOURCE, line=row.line,
                            code="toy.duplicate")
                continue
            seen.add(anchor)
            meaning = render_markdown(row["Meaning"], LinkContext(links, SOURCE, row.line))
            entries.append(f'<h2 id="{anchor}">{html.escape(row["Term"])}</h2>\n{meaning}')
            toc.append(TocEntry(2, anchor, row["Term"]))
        page = Page(path=PAGE, title="Glossary", html="\n".join(entries), toc=toc,
                    template="toy.html", sources=[SOURCE])
        return TypeOutput.flat([page], body_class="toy")

    def rc_target(self, parts: list[str]) -> tuple[str, str] | None:
        """``rc://en/toy-glossary/<term>`` → the term on the glossary page."""
        return ("glossary.html", slug(parts[0])) if len(parts) == 1 else None


TYPE = ToyGlossaryType()
