"""User Markdown → safe HTML, for every resource type that carries Markdown.

Door43 content is hostile until proven otherwise: the HTML that Python-Markdown makes (and any
HTML the author typed) passes an allow-list sanitizer (nh3): no scripts, event handlers,
``javascript:``/``data:`` URLs, iframes, objects, styles or meta refreshes; ids follow the one
policy of :mod:`~tx_mkdocs.core.ids` (none can stand in for the page's own elements: DOM
clobbering), and no classes at all (the theme switches features on by class: ``mermaid`` loads a
script from a CDN, ``md-dialog`` covers the page; our own stylesheet defines none for authors).
Links are
handed to the :class:`~tx_mkdocs.core.links.LinkTable` so that ``rc://`` and relative links
resolve.

Python-Markdown is pure Python and superlinear on some inputs (unclosed ``[``, ``<``, deep
nesting, long blocks: minutes for a few kilobytes). Before conversion, :func:`bounded_markdown`
takes those shapes apart in one linear pass, within the limits of :mod:`~tx_mkdocs.core.limits`;
what it changes is reported (the text itself is never dropped).
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import markdown
import nh3
from markdown.extensions.tables import PIPE_LEFT, PIPE_NONE, PIPE_RIGHT, TableProcessor
from markdown.inlinepatterns import (
    IMAGE_LINK_RE,
    LINK_RE,
    ImageInlineProcessor,
    LinkInlineProcessor,
)
from markdown.treeprocessors import Treeprocessor

from .ids import content_id
from .limits import (
    MAX_HTML_NESTING,
    MAX_MARKDOWN_BLOCK,
    MAX_MARKDOWN_BLOCK_LINES,
    MAX_MARKDOWN_CHARS,
    MAX_MARKDOWN_LINK,
    MAX_MARKDOWN_NESTING,
)
from .links import LinkTable

#: Tags allowed in rendered user Markdown (nh3's safe defaults minus the exotic ones).
ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "lang", "dir", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
#: Set on every image of a page (authors' and ours): loaded when scrolled to, and a remote host
#: is not told which page shows it.
IMAGE_ATTRIBUTES = {"loading": "lazy", "referrerpolicy": "no-referrer"}
IMAGE_ATTRIBUTES_HTML = " ".join(f'{k}="{v}"' for k, v in IMAGE_ATTRIBUTES.items())

#: ``[[rc://…]]``; the address never holds ``[`` (else every ``[[rc://`` scans to the end).
_WIKI_LINK = re.compile(r"\[\[(rc://[^\[\]\s]+)\]\]")
_BR = re.compile(r"<br\s*/?>", re.I)
_LONE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
#: ``rc://…`` not already inside a link, an autolink, a wiki link, an attribute or code.
_BARE_RC = re.compile(r"(?<![\w(<\[/\"'=`])rc://[^\s<>()\[\]\"'`]+(?<![.,;:!?])")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    return content_id(value) if attribute == "id" else value


def sanitize(fragment: str) -> str:
    """Allow-list sanitize an HTML fragment (links: http(s), mailto, relative)."""
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     attribute_filter=_attribute_filter, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", clean_content_tags={"script", "style"},
                     set_tag_attribute_values={"img": IMAGE_ATTRIBUTES})


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


class _TableProcessor(TableProcessor):
    """The tables extension's processor, with a test that reads only the lines it needs.

    The original splits and strips every line of the block each time it is asked, and blocks
    are asked again after each heading or rule split off them: quadratic in the block.
    """

    if TYPE_CHECKING:  # where types-Markdown differs from Markdown's own code
        border: int  # type: ignore[assignment]  # PIPE_* bit flags; the stubs say bool
        separator: list[str]  # type: ignore[assignment]  # the stubs say str

        def _split_row(self, row: str) -> list[str]: ...  # missing from the stubs

    def test(self, parent: ET.Element, block: str) -> bool:
        head = block.split("\n", 2)
        if len(head) < 2 or "|" not in head[0]:
            return False  # a header row holds a pipe, or it is no table
        header0 = head[0].strip(" ")
        self.border = PIPE_NONE
        if header0.startswith("|"):
            self.border |= PIPE_LEFT
        if self.RE_END_BORDER.search(header0) is not None:
            self.border |= PIPE_RIGHT
        row0_len = len(self._split_row(header0))
        separator = self._split_row(head[1].strip(" "))
        if len(separator) != row0_len or not set("".join(separator)) <= set("|:- "):
            return False
        if row0_len == 1:  # a one-column table: every row needs a pipe
            if not self.border:
                return False
            for line in block.split("\n")[1:]:
                line = line.strip(" ")
                if not (line.startswith("|") or self.RE_END_BORDER.search(line)):
                    return False
        self.separator = separator
        return True


class _BoundedLinkTarget:
    """``getLink`` that reads at most :data:`~tx_mkdocs.core.limits.MAX_MARKDOWN_LINK`
    characters: the original reads to the end of the text after an unclosed ``(`` or quote."""

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:  # noqa: N802
        href, title, end, handled = super().getLink(  # type: ignore[misc]
            data[index:index + MAX_MARKDOWN_LINK], 0)
        return href, title, end + index, handled


class _LinkProcessor(_BoundedLinkTarget, LinkInlineProcessor):
    pass


class _ImageProcessor(_BoundedLinkTarget, ImageInlineProcessor):
    pass


class _Converter(threading.local):
    """One Markdown converter per thread, reused: building one costs more than most notes."""

    def __init__(self) -> None:
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "attr_list"])
        self.links = _Links(self.md)
        self.md.treeprocessors.register(self.links, "tx_links", 1)
        table: Any = self.md.parser.blockprocessors["table"]  # its .config is not in the stubs
        self.md.parser.blockprocessors.register(_TableProcessor(self.md.parser, table.config),
                                                "table", 75)
        self.md.inlinePatterns.register(_LinkProcessor(LINK_RE, self.md), "link", 160)
        self.md.inlinePatterns.register(_ImageProcessor(IMAGE_LINK_RE, self.md), "image_link", 150)

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


# ------------------------------------------------------------------ bounding hostile Markdown

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
#: Leading block-quote markers and indentation of a line.
_QUOTES = re.compile(r"(?:[ ]{0,3}>)+")
_INDENT = re.compile(r"[ \t]+")
#: Runs of backticks: a code span goes from one to the next run of the same length.
_BACKTICKS = re.compile(r"`+")
#: What the linear pass looks at: escaped characters, brackets, parentheses, angle brackets.
_SYNTAX = re.compile(r"\\.|[\[\]()<>]", re.S)
_TAG_START = re.compile(r"[A-Za-z/!?]")
#: An opening or closing tag's start, and its name as an HTML parser reads it.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)")
#: Elements without content: never open.
_VOID_TAGS = frozenset(("area", "base", "br", "col", "embed", "hr", "image", "img", "input",
                        "keygen", "link", "meta", "param", "source", "track", "wbr"))
#: Elements that an opening tag of the same name closes (``<li>a<li>b``, ``<p>a<p>b``).
_SIBLING_TAGS = frozenset(("dd", "dt", "li", "option", "p", "rp", "rt", "td", "th", "tr"))
#: Elements that the closing tag of an element holding them closes (``<ul><li>a</ul>``): the
#: "implied end tags" of the HTML parsing algorithm.
_IMPLIED_END_TAGS = frozenset(("dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt",
                               "rtc"))


def _nesting(line: str, notes: set[str]) -> str:
    """Block quotes deeper than the limit become text; list indentation is capped."""
    quotes = _QUOTES.match(line)
    prefix = ""
    if quotes:
        markers = [i for i, c in enumerate(quotes.group()) if c == ">"]
        if len(markers) > MAX_MARKDOWN_NESTING:
            notes.add(f"block quotes nested deeper than {MAX_MARKDOWN_NESTING} levels")
            cut = markers[MAX_MARKDOWN_NESTING]
            return line[:cut] + "\\" + line[cut:]
        prefix, line = quotes.group(), line[quotes.end():]
    indent = _INDENT.match(line)
    if indent and len(indent.group().expandtabs(4)) > 4 * MAX_MARKDOWN_NESTING + 3:
        notes.add(f"lists nested deeper than {MAX_MARKDOWN_NESTING} levels")
        line = " " * (4 * MAX_MARKDOWN_NESTING) + line[indent.end():]
    return prefix + line


def _cut_block(block: str, notes: set[str]) -> list[str]:
    """A block longer than the limits, cut at line ends (a longer line at a space) into blocks."""
    if len(block) <= MAX_MARKDOWN_BLOCK and block.count("\n") < MAX_MARKDOWN_BLOCK_LINES:
        return [block]
    notes.add(f"a paragraph longer than {MAX_MARKDOWN_BLOCK} characters or "
              f"{MAX_MARKDOWN_BLOCK_LINES} lines was cut into several")
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in block.split("\n"):
        while len(line) > MAX_MARKDOWN_BLOCK:
            space = line.rfind(" ", MAX_MARKDOWN_BLOCK // 2, MAX_MARKDOWN_BLOCK)
            cut = space + 1 if space > 0 else MAX_MARKDOWN_BLOCK
            if current:
                pieces.append("\n".join(current))
                current, size = [], 0
            pieces.append(line[:cut])
            line = line[cut:]
        if current and (size + len(line) > MAX_MARKDOWN_BLOCK
                        or len(current) >= MAX_MARKDOWN_BLOCK_LINES):
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        pieces.append("\n".join(current))
    return pieces


def _code_spans(block: str) -> list[tuple[int, int]]:
    """(start, end) of the backtick code spans of a block: a run of backticks opens a span that
    the next run of the same length closes (a run without one is literal).

    In one pass over the runs: the regular expression of Python-Markdown,
    ``(`+)(.+?)(?<!`)\\1(?!`)``, is quadratic on a long run of backticks.
    """
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(block)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = last.get(length)
        last[length] = i
    spans, i = [], 0
    while i < len(runs):
        j = following[i]
        if j is None:
            i += 1
        else:
            spans.append((runs[i][0], runs[j][1]))
            i = j + 1
    return spans


class _HtmlNesting:
    """The HTML elements an author typed, followed through a whole text (all its blocks, in
    order): an opening tag deeper than :data:`~tx_mkdocs.core.limits.MAX_HTML_NESTING` is
    escaped (it shows as text), and so is the closing tag that goes with it.

    An element is closed here only by its closing tag when nothing but elements with implied
    end tags was opened after it (``</ul>`` after ``<ul><li>``), or by a sibling (``<li>``
    after ``<li>``): parsers close more (``</div>`` closes what the div still holds; a
    misnested ``</b>`` is moved), so the depth counted here is never much below theirs, and the
    open elements html5ever and Python-Markdown scan at each tag stay few.
    """

    def __init__(self) -> None:
        self.open: list[str] = []
        self.escaped: Counter[str] = Counter()  # escaped opening tags whose closing tag is due
        self.deep = False  # whether any tag was escaped

    def escapes(self, block: str, pos: int) -> bool:
        """Follow the tag at ``pos`` (if any); True if it is to be escaped."""
        m = _TAG.match(block, pos)
        if m is None:
            return False
        name = m.group(2).lower()
        if m.group(1):  # a closing tag
            if self.escaped[name]:
                self.escaped[name] -= 1
                return True
            top = len(self.open) - 1
            while top >= 0 and self.open[top] != name and self.open[top] in _IMPLIED_END_TAGS:
                top -= 1
            if top >= 0 and self.open[top] == name:
                del self.open[top:]
            return False
        sibling = name in _SIBLING_TAGS and self.open[-1:] == [name]
        if name in _VOID_TAGS or sibling:
            return False
        if len(self.open) >= MAX_HTML_NESTING:
            self.escaped[name] += 1
            self.deep = True
            return True
        self.open.append(name)
        return False


def _defuse_syntax(block: str, notes: set[str], tags: _HtmlNesting) -> str:
    """Escape the ``[``, ``(`` and ``<`` that would make Python-Markdown scan to the end of the
    block, or Python-Markdown and the sanitizer scan deep nesting at each tag.

    - ``[`` without its ``]`` in the block, or nested deeper than the limit: link, image and
      reference parsing start at every ``[`` and scan for the matching ``]``;
    - ``(`` right after a ``]`` without its ``)``: a link target is scanned for the same way;
    - ``<`` that could start a tag but meets another ``<`` before any ``>``: the HTML parser
      reads the rest of the text as that tag's attributes;
    - ``<`` of a tag nested too deeply (:class:`_HtmlNesting`).

    An escaped character shows as before (``\\[`` is ``[``, ``&lt;`` is ``<``): only Markdown or
    HTML that could not be complete, or is nested too deeply, loses its meaning. Code spans are
    left alone.
    """
    spans = _code_spans(block) if "`" in block else []
    marks: list[tuple[int, str]] = []
    span = 0
    for m in _SYNTAX.finditer(block):
        start = m.start()
        while span < len(spans) and spans[span][1] <= start:
            span += 1
        if span < len(spans) and spans[span][0] <= start:
            continue  # inside a code span
        marks.append((start, m.group()))
    escape: dict[int, str] = {}
    brackets: list[int] = []
    parens: list[int] = []
    deep = False
    next_angle = None  # the next "<" or ">" after the current mark, scanning backwards
    for pos, mark in reversed(marks):
        if mark == "<":
            if next_angle != ">" and _TAG_START.match(block, pos + 1):
                escape[pos] = "&lt;"
            next_angle = mark
        elif mark == ">":
            next_angle = mark
    for pos, mark in marks:
        if mark == "<":
            if pos not in escape and tags.escapes(block, pos):
                escape[pos] = "&lt;"
        elif mark == "[":
            if len(brackets) >= MAX_MARKDOWN_NESTING:
                escape[pos] = "\\["
                deep = True
            else:
                brackets.append(pos)
        elif mark == "]" and brackets:
            brackets.pop()
        elif mark == "(":
            parens.append(pos)
        elif mark == ")" and parens:
            parens.pop()
    for pos in brackets:  # never closed
        escape[pos] = "\\["
    for pos in parens:
        if pos and block[pos - 1] == "]":
            escape[pos] = "\\("
    if not escape:
        return block
    if deep:
        notes.add(f"square brackets nested deeper than {MAX_MARKDOWN_NESTING} levels")
    if tags.deep:
        notes.add(f"HTML elements nested deeper than {MAX_HTML_NESTING} levels (the deeper "
                  "tags are shown as text)")
    out: list[str] = []
    last = 0
    for pos in sorted(escape):
        out.append(block[last:pos])
        out.append(escape[pos])
        last = pos + 1
    out.append(block[last:])
    return "".join(out)


def bounded_markdown(text: str) -> tuple[list[str], list[str]]:
    """The text defused (nesting capped, long blocks cut, see :func:`_defuse_syntax`), in pieces
    of at most :data:`~tx_mkdocs.core.limits.MAX_MARKDOWN_CHARS` cut at blank lines; and what
    was changed that a reader would notice, for the build log."""
    notes: set[str] = set()
    if ">" in text or "\t" in text or "  " in text:  # one line too: ">" × 10 000 is 288 deep
        text = "\n".join(_nesting(line, notes) for line in text.split("\n"))
    parts: list[tuple[str, str]] = []  # (block, separator after it)
    tags = _HtmlNesting()
    last = 0
    for m in [*_BLANK_LINES.finditer(text), None]:
        block, sep = (text[last:m.start()], m.group()) if m else (text[last:], "")
        cut = _cut_block(block, notes)
        for i, part in enumerate(cut):
            if "[" in part or "<" in part:  # "(" matters only after "]"
                part = _defuse_syntax(part, notes, tags)
            parts.append((part, sep if i == len(cut) - 1 else "\n\n"))
        if m:
            last = m.end()
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for part, sep in parts:
        if current and size + len(part) > MAX_MARKDOWN_CHARS:
            notes.add(f"a text longer than {MAX_MARKDOWN_CHARS} characters was rendered in parts")
            pieces.append("".join(current))
            current, size = [], 0
        current.append(part + sep)
        size += len(part) + len(sep)
    pieces.append("".join(current))
    return pieces, sorted(notes)


def render_markdown(text: str, links: LinkContext | None = None, *,
                    shift_headings: int = 0) -> str:
    """Markdown (with ``[[rc://…]]`` links) → sanitized HTML.

    ``shift_headings`` demotes headings (``#`` → ``<h3>`` with 2), for notes shown inside a page.
    Hostile shapes are bounded first (:func:`bounded_markdown`); what that changed is reported
    through the link table of ``links``.
    """
    pieces, notes = bounded_markdown(bare_rc_links(wiki_links(text)))
    if notes and links is not None:
        links.table.note(f"Markdown too large or too deeply nested: {'; '.join(notes)}",
                         source=links.source, line=links.line)
    try:
        rendered = "".join(_CONVERTER.convert(piece, links) for piece in pieces)
    except RecursionError:  # nesting the limits let through, on a small stack (a thread)
        if links is not None:
            links.table.note("Markdown nested too deeply: shown as plain text",
                             source=links.source, line=links.line)
        return "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n") if p.strip())
    if shift_headings:
        rendered = re.sub(r"<(/?)h([1-6])\b",
                          lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift_headings)}",
                          rendered)
    return sanitize(rendered)


_ATX_START = re.compile(r"[ \t]{0,3}#{1,6}[ \t]+")


def atx_heading(line: str) -> str | None:
    """The text of a Markdown ATX heading line (``## Title ##`` → ``Title``), or None.

    String operations rather than one regular expression: ``(.*?)(?:\\s+#+)?\\s*$`` is
    quadratic on a line of spaces.
    """
    start = _ATX_START.match(line)
    if start is None:
        return None
    text = line[start.end():].rstrip()
    hashes = text.rstrip("#")
    if hashes != text and hashes[-1:].isspace():  # a closing sequence after a space
        text = hashes
    return text.strip()


_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")


def without_empty_headings(text: str) -> tuple[str, list[int]]:
    """``text`` without its ATX headings that have no text (``# `` alone on a line), and the
    line numbers (1-based) they were on.

    Such a heading renders as an empty ``<h1>``: in a verse's helps, a blank line under the verse
    heading and nothing else. Fenced code is left alone.
    """
    kept: list[str] = []
    empty: list[int] = []
    fence = ""
    for number, line in enumerate(text.split("\n"), start=1):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
        elif opening:
            fence = opening.group(1)
        elif atx_heading(line + " ") == "":  # the space: "#" alone is a heading too
            empty.append(number)
            continue
        kept.append(line)
    return "\n".join(kept), empty


def note_text(cell: str) -> str:
    """A TSV note cell as Markdown: literal ``\\n`` and ``<br>`` become line breaks.

    One becomes a Markdown hard break (two spaces, newline); two or more end a paragraph.
    """
    text = _BR.sub("\n", cell.replace("\\n", "\n"))
    return _LONE_NEWLINE.sub("  \n", text)
