"""Python-Markdown extension that passes tx pages (see :mod:`tx_mkdocs.pagefile`) through as HTML.

Registered by the MkDocs plugin, and listed in the ``mkdocs.yml`` written by ``materialize`` —
Markdown extensions also run under ProperDocs and Zensical. Pages without the marker are
ordinary Markdown and are left alone.

A tx page's HTML is taken aside before any other preprocessor and put back as the whole output
at the very end: nothing scans it (fenced code looked for fences in a whole book's notes,
whitespace normalisation for spaces on a line of their own), and it is not a raw-HTML stash
entry (Python-Markdown scans a restored stash entry again for placeholders) — passes over
megabytes of notes on every edit under ``serve``. HTML that whitespace normalisation would
change (the core's never has such characters) is taken after it, as normalised.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Extension, Markdown, util
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .pagefile import parse_marker

#: What Python-Markdown's whitespace normalisation changes (its placeholders' markers, carriage
#: returns, tabs, a line of spaces): HTML without any of them is the same normalised.
_NORMALISED = (util.STX, util.ETX, "\r", "\t", " \n")


class _TakePage(Preprocessor):
    """Take a tx page's HTML aside: Markdown parses an empty document instead. Before
    whitespace normalisation (``early``), only HTML that it would not change."""

    def __init__(self, md: Markdown, ext: TxPageExtension, *, early: bool) -> None:
        super().__init__(md)
        self.ext, self.early = ext, early

    def run(self, lines: list[str]) -> list[str]:
        if not self.early and self.ext.html is not None:  # taken before normalisation
            return lines
        toc = parse_marker(lines[0]) if lines else None
        html = "\n".join(lines[1:]) if toc is not None else None
        if html is not None and self.early and any(c in html for c in _NORMALISED):
            toc = html = None  # taken after normalisation
        self.ext.toc, self.ext.html = toc, html
        return lines if html is None else []


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
        # Before whitespace normalisation (30), or after it, before fenced code (25).
        md.preprocessors.register(_TakePage(md, self, early=True), "tx_page_early", 40)
        md.preprocessors.register(_TakePage(md, self, early=False), "tx_page", 28)
        md.treeprocessors.register(_SetToc(md, self), "tx_toc", 4)
        md.postprocessors.register(_PutPage(self), "tx_page", 0)  # last


def makeExtension(**kwargs) -> TxPageExtension:  # noqa: N802 - Markdown API
    return TxPageExtension(**kwargs)
