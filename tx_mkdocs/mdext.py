"""Python-Markdown extension that passes tx pages (see :mod:`tx_mkdocs.pagefile`) through as HTML.

Registered by the MkDocs plugin, and listed in the ``mkdocs.yml`` written by ``materialize`` —
Markdown extensions also run under ProperDocs and Zensical. Pages without the marker are
ordinary Markdown and are left alone.

A tx page's HTML is taken aside as soon as its whitespace is normalised and put back as the
whole output at the very end: no other preprocessor scans it (fenced code looked for fences in
a whole book's notes), and it is not a raw-HTML stash entry (Python-Markdown scans a restored
stash entry again for placeholders, which costs a pass over megabytes of notes on every edit
under ``serve``).
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .pagefile import parse_marker


class _TakePage(Preprocessor):
    """Take a tx page's HTML aside: Markdown parses an empty document instead."""

    def __init__(self, md: Markdown, ext: TxPageExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        self.ext.toc = parse_marker(lines[0]) if lines else None
        if self.ext.toc is None:
            self.ext.html = None
            return lines
        self.ext.html = "\n".join(lines[1:])
        return []


class _SetToc(Treeprocessor):
    """Give the theme our table of contents (runs after the toc extension)."""

    def __init__(self, md: Markdown, ext: TxPageExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: Element) -> None:
        if self.ext.toc is not None:
            self.md.toc_tokens = self.ext.toc  # type: ignore[attr-defined]  # set by toc, no stub


class _PutPage(Postprocessor):
    """The page's HTML, untouched, as the output (the empty document's is nothing)."""

    def __init__(self, ext: TxPageExtension) -> None:
        super().__init__()
        self.ext = ext

    def run(self, text: str) -> str:
        return text if self.ext.html is None else self.ext.html


class TxPageExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.toc: list[dict] | None = None
        self.html: str | None = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Markdown API
        # After whitespace normalisation (30), before fenced code (25) and HTML blocks (20).
        md.preprocessors.register(_TakePage(md, self), "tx_page", 28)
        md.treeprocessors.register(_SetToc(md, self), "tx_toc", 4)
        md.postprocessors.register(_PutPage(self), "tx_page", 0)  # last


def makeExtension(**kwargs) -> TxPageExtension:  # noqa: N802 - Markdown API
    return TxPageExtension(**kwargs)
