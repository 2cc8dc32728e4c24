"""Python-Markdown extension that passes tx pages (see :mod:`tx_mkdocs.pagefile`) through as HTML.

Registered by the MkDocs plugin, and listed in the ``mkdocs.yml`` written by ``materialize`` —
Markdown extensions also run under ProperDocs and Zensical. Pages without the marker are
ordinary Markdown and are left alone.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .pagefile import parse_marker


class _StashPage(Preprocessor):
    """Replace the whole page by one stash placeholder: no Markdown parsing of our HTML."""

    def __init__(self, md: Markdown, ext: TxPageExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.toc = parse_marker(lines[0]) if lines else None
        if self.ext.toc is None:
            return lines
        return [self.md.htmlStash.store("\n".join(lines[1:]))]


class _SetToc(Treeprocessor):
    """Give the theme our table of contents (runs after the toc extension)."""

    def __init__(self, md: Markdown, ext: TxPageExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: Element) -> None:
        if self.ext.toc is not None:
            self.md.toc_tokens = self.ext.toc  # type: ignore[attr-defined]  # set by toc, no stub


class TxPageExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.toc: list[dict] | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown API
        # Before the HTML block preprocessor (20), after whitespace normalisation (30).
        md.preprocessors.register(_StashPage(md, self), "tx_page", 25)
        md.treeprocessors.register(_SetToc(md, self), "tx_toc", 4)


def makeExtension(**kwargs) -> TxPageExtension:  # noqa: N802 - Markdown API
    return TxPageExtension(**kwargs)
