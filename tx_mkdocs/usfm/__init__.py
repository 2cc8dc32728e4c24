"""USFM → HTML for Bible pages: our own small tokenizer, no third-party parser, no MkDocs.

Why our own: the parsers that exist either lose text or whitespace on real Door43 files, or are
far too slow, or ship wheels for one CPython only (see the project's USFM notes). This package
keeps every word, follows the USFM whitespace rule, strips alignment markup, and reports problems
as build-log messages instead of raising.
"""

from .chapters import Chapter
from .render import RenderedBook, render_book

__all__ = ["Chapter", "RenderedBook", "render_book"]
