"""User Markdown → safe HTML, for every resource type that carries Markdown.

Door43 content is hostile until proven otherwise: the HTML that Python-Markdown makes (and any
HTML the author typed) passes an allow-list sanitizer (nh3): no scripts, event handlers,
``javascript:``/``data:`` URLs, iframes, objects, styles or meta refreshes. Links are handed to the
:class:`~tx_mkdocs.core.links.LinkTable` so that ``rc://`` and relative links resolve.
"""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from .links import RC_LINK, LinkTable

#: Tags allowed in rendered user Markdown (nh3's safe defaults minus the exotic ones).
ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_WIKI_LINK = re.compile(r"\[\[(rc://[^\]\s]+)\]\]")
_BR = re.compile(r"<br\s*/?>", re.I)
_LONE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
#: ``rc://…`` not already inside a link, an autolink, a wiki link, an attribute or code.
_BARE_RC = re.compile(r"(?<![\w(<\[/\"'=`])rc://[^\s<>()\[\]\"'`]+(?<![.,;:!?])")


def sanitize(fragment: str) -> str:
    """Allow-list sanitize an HTML fragment (links: http(s), mailto, relative)."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer",
                     clean_content_tags={"script", "style"})


@dataclass
class LinkContext:
    """Where the Markdown comes from, so its links can be resolved and reported."""

    table: LinkTable
    source: str
    line: int | None = None


class _Links(Treeprocessor):
    """Route every ``<a href>`` through the link table (rc://, relative .md links)."""

    #: The context of the text being converted; None: links are left as they are.
    context: LinkContext | None = None

    def run(self, root: ET.Element) -> None:
        ctx = self.context
        if ctx is None:
            return
        for a in root.iter("a"):
            href = (a.get("href") or "").strip()
            if href.startswith(markdown.util.AMP_SUBSTITUTE):
                continue  # an obfuscated <user@example.org> autolink: mailto
            if href.startswith("rc://"):
                a.set("href", ctx.table.rc(href, source=ctx.source, line=ctx.line))
            elif href and not re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href, re.I):
                a.set("href", ctx.table.relative(href, source=ctx.source, line=ctx.line))


class _Converter(threading.local):
    """One Markdown converter per thread, reused: building one costs more than most notes."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "attr_list"])
        self.links = _Links(self.md)
        self.md.treeprocessors.register(self.links, "tx_links", 1)

    def convert(self, text: str, context: LinkContext | None) -> str:
        self.links.context = context
        try:
            return self.md.reset().convert(text)
        finally:
            self.links.context = None


_CONVERTER = _Converter()


def wiki_links(text: str) -> str:
    """``[[rc://…/kt/god]]`` → ``[god](rc://…/kt/god)`` (the label is the last path part)."""
    return _WIKI_LINK.sub(lambda m: f"[{m.group(1).rstrip('/').rsplit('/', 1)[-1]}]({m.group(1)})",
                          text)


def bare_rc_links(text: str) -> str:
    """A bare ``rc://…`` address in the text becomes an autolink, so that it is resolved too."""
    return _BARE_RC.sub(lambda m: f"<{m.group(0)}>", text)


def render_markdown(text: str, links: LinkContext | None = None, *,
                    shift_headings: int = 0) -> str:
    """Markdown (with ``[[rc://…]]`` links) → sanitized HTML.

    ``shift_headings`` demotes headings (``#`` → ``<h3>`` with 2), for notes shown inside a page.
    """
    rendered = _CONVERTER.convert(bare_rc_links(wiki_links(text)), links)
    if shift_headings:
        rendered = re.sub(r"<(/?)h([1-6])\b",
                          lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift_headings)}",
                          rendered)
    return sanitize(rendered)


def note_text(cell: str) -> str:
    """A TSV note cell as Markdown: literal ``\\n`` and ``<br>`` become line breaks.

    One becomes a Markdown hard break (two spaces, newline); two or more end a paragraph.
    """
    text = _BR.sub("\n", cell.replace("\\n", "\n"))
    return _LONE_NEWLINE.sub("  \n", text)


def has_rc_link(text: str) -> bool:
    return RC_LINK.search(text) is not None
