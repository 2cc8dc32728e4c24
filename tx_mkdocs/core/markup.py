"""User Markdown → safe HTML, for every resource type that carries Markdown.

One CommonMark renderer with GFM tables and strikethrough (pyromark: pulldown-cmark), the rules
of markdown-it, which tc-create and the Door43 reader show authors (docs/types/markdown.md has the
comparison). It works in time linear in the text, and is native: a note takes microseconds.

Door43 content is hostile until proven otherwise: the HTML the renderer makes (and any HTML the
author typed) passes an allow-list sanitizer (nh3): no scripts, event handlers,
``javascript:``/``data:`` URLs, iframes, objects, styles or meta refreshes; ids follow the one
policy of :mod:`~tx_mkdocs.core.ids` (none can stand in for the page's own elements: DOM
clobbering), and no classes at all (the theme switches features on by class: ``mermaid`` loads a
script from a CDN, ``md-dialog`` covers the page; our own stylesheet defines none for authors).
While sanitizing, every link (``rc://``, relative ``.md``) is handed to the
:class:`~tx_mkdocs.core.links.LinkTable`, so that it resolves.

Most notes need no sanitizer (:func:`generated_html`): when the Markdown holds no ``<``, the
author typed no HTML (raw HTML and autolinks both start with ``<``; an entity such as ``&lt;``
is text, and text comes out escaped), so every tag of the renderer's HTML is one it generated
itself from our options: ``p h1–h6 blockquote pre code ol ul li em strong del a img hr br table
thead tbody tr th td``, all allowed. What the sanitizer would still do there is done, or
refused, by string operations: a tag with any attribute but ``start`` (a list's number) and
``align`` (a table cell's, ours) goes to the sanitizer — ``href`` and ``src`` (``javascript:``,
``rc://`` and relative links through the link table, the image attributes), ``title``, a code
block's ``class``; so does HTML with ``\\r`` or NUL (the HTML parser turns the one into ``\\n``
and drops the other). The rest is the HTML serializer's spelling: void tags without `` /``
(``<br>``, ``<hr>``), U+00A0 as ``&nbsp;``; text that the renderer escaped (``&amp; &lt; &gt;``)
is spelled as the serializer spells it. The output is byte-identical to the sanitizer's
(tests/test_markdown_render.py renders every note and Markdown file of the samples, and hostile
cases, both ways); the sanitizer's ~10 µs a note are saved on nine notes in ten of a tN.

The sanitizer (html5ever) scans the open elements at each tag: quadratic in the nesting depth.
Before rendering, :func:`bounded_markdown` caps that depth in one linear pass (block quotes, list
indentation, the HTML elements an author typed), within the limits of
:mod:`~tx_mkdocs.core.limits`; what it changes is reported (the text itself is never dropped).
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import NamedTuple

import nh3
import pyromark

from .ids import content_id
from .limits import MAX_HTML_NESTING, MAX_MARKDOWN_NESTING
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
#: A newline alone, found by its literal (a look-behind first is tried at every character).
_LONE_NEWLINE = re.compile(r"\n(?<!\n\n)(?!\n)")
#: ``rc://…`` not already inside a link, an autolink, a wiki link, an attribute or code. The
#: literal first, the character before it checked behind it: the regex engine then searches for
#: ``rc://`` instead of trying the look-behind at every character (180 → 3 µs on a book intro).
_BARE_RC = re.compile(r"rc://(?<![\w(<\[/\"'=`]rc://)[^\s<>()\[\]\"'`]+(?<![.,;:!?])")


#: A link with a scheme, in-page or from the site root: not a repository file.
_NOT_RELATIVE = re.compile(r"^[a-z][a-z0-9+.-]*:|^#|^/", re.I)
#: Table cell alignment as the renderer writes it: a style, which the sanitizer (and the page's
#: Content-Security-Policy) refuse; ``align`` says the same.
_ALIGN_STYLE = re.compile(r'<(t[hd]) style="text-align: (left|center|right)">')
_OPTIONS = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
#: A heading's opening or closing tag, for demoting headings (``shift_headings``).
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")


class LinkContext(NamedTuple):
    """Where the Markdown comes from, so its links can be resolved and reported (a tuple: a
    TSV book makes one for every row)."""

    table: LinkTable
    source: str
    line: int | None = None


class _Sanitizing(threading.local):
    """The links of the fragment being sanitized in this thread (None: none are resolved)."""

    links: LinkContext | None = None


_SANITIZING = _Sanitizing()


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Ids by the one id policy; an ``<a href>`` (``rc://``, relative) through the link table.

    nh3 calls this after its URL-scheme check, which lets ``rc`` through for it, and does not
    check what it returns: a value is returned as it came, or is a placeholder of the table.
    """
    if attribute == "id":
        return content_id(value)
    if attribute not in ("href", "src"):
        return value
    ctx, href = _SANITIZING.links, value.strip()
    rc = href[:5].lower() == "rc://"
    if ctx is None or tag != "a" or attribute != "href":
        return None if rc else value  # an rc:// image, or no table to resolve it: no target
    if rc:
        return ctx.table.rc(href, source=ctx.source, line=ctx.line)
    if href and not _NOT_RELATIVE.match(href):
        return ctx.table.relative(href, source=ctx.source, line=ctx.line)
    return value


#: One sanitizer, built once (building it from the allow-lists costs more than a note).
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                       attribute_filter=_attribute_filter, url_schemes=URL_SCHEMES | {"rc"},
                       link_rel="noopener noreferrer", clean_content_tags={"script", "style"},
                       set_tag_attribute_values={"img": IMAGE_ATTRIBUTES})


def sanitize(fragment: str, links: LinkContext | None = None) -> str:
    """Allow-list sanitize an HTML fragment (links: http(s), mailto, relative); with ``links``,
    its ``rc://`` and relative links go through that link table."""
    _SANITIZING.links = links
    try:
        return _CLEANER.clean(fragment)
    finally:
        _SANITIZING.links = None


#: A tag with an attribute that only the sanitizer may judge (anything but ``start``, ``align``).
_JUDGED_ATTRIBUTE = re.compile(r'<[a-z][a-z0-9]* (?!/>|start="|align=")')


def generated_html(rendered: str) -> str | None:
    """The renderer's HTML of Markdown without ``<`` as the sanitizer would return it, or None
    when only the sanitizer may say (links, images, classes, ``\\r``, NUL): the module
    docstring has why this is safe."""
    if "\r" in rendered or "\0" in rendered or _JUDGED_ATTRIBUTE.search(rendered):
        return None
    if " />" in rendered:  # only in a void tag: text's ">" is "&gt;"
        rendered = rendered.replace(" />", ">")
    return rendered.replace("\u00a0", "&nbsp;") if "\u00a0" in rendered else rendered


def wiki_links(text: str) -> str:
    """``[[rc://…/kt/god]]`` → ``[god](rc://…/kt/god)`` (the label is the last path part)."""
    if "[[" not in text:
        return text
    return _WIKI_LINK.sub(lambda m: f"[{m.group(1).rstrip('/').rsplit('/', 1)[-1]}]({m.group(1)})",
                          text)


def bare_rc_links(text: str) -> str:
    """A bare ``rc://…`` address in the text becomes an autolink, so that it is resolved too."""
    return _BARE_RC.sub(lambda m: f"<{m.group(0)}>", text) if "rc://" in text else text


# ------------------------------------------------------------------ bounding hostile Markdown

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
#: Leading block-quote markers and indentation of a line.
_QUOTES = re.compile(r"(?:[ ]{0,3}>)+")
_INDENT = re.compile(r"[ \t]+")
#: The fewest spaces that indent a list too deeply: a text without them (nor tabs, nor ``>``)
#: has no line for :func:`_nesting` to change (a note's hard breaks end lines in two spaces).
_DEEP_INDENT = " " * (4 * MAX_MARKDOWN_NESTING + 4)
#: Runs of backticks: a code span goes from one to the next run of the same length.
_BACKTICKS = re.compile(r"`+")
#: Where a tag may start.
_TAG_OPEN = re.compile(r"<(?=/?[A-Za-z])")
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


def _code_spans(block: str) -> list[tuple[int, int]]:
    """(start, end) of the backtick code spans of a block: a run of backticks opens a span that
    the next run of the same length closes (a run without one is literal).

    In one pass over the runs: a regular expression such as ``(`+)(.+?)(?<!`)\\1(?!`)`` is
    quadratic on a long run of backticks.
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
    open elements html5ever scans at each tag stay few.
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


def bounded_markdown(text: str) -> tuple[str, list[str]]:
    """The text with its nesting capped (block quotes, list indentation, HTML elements: see
    :class:`_HtmlNesting`), and what was changed that a reader would notice, for the build log.

    Blocks (between blank lines) are read one by one: a code span never crosses one.
    """
    notes: set[str] = set()
    # one line too: ">" × 10 000 is 288 deep
    if ">" in text or "\t" in text or _DEEP_INDENT in text:
        text = "\n".join(_nesting(line, notes) for line in text.split("\n"))
    if "<" not in text:
        return text, sorted(notes)
    tags = _HtmlNesting()
    out: list[str] = []
    last = 0
    for m in [*_BLANK_LINES.finditer(text), None]:
        block = text[last:m.start()] if m else text[last:]
        out.append(_deep_tags(block, tags) if "<" in block else block)
        if m:
            out.append(m.group())
            last = m.end()
    if tags.deep:
        notes.add(f"HTML elements nested deeper than {MAX_HTML_NESTING} levels (the deeper "
                  "tags are shown as text)")
    return "".join(out), sorted(notes)


def _deep_tags(block: str, tags: _HtmlNesting) -> str:
    """The block with the ``<`` of its tags nested too deeply escaped (code spans left alone)."""
    spans = _code_spans(block) if "`" in block else []
    out: list[str] = []
    last = span = 0
    for m in _TAG_OPEN.finditer(block):
        start = m.start()
        while span < len(spans) and spans[span][1] <= start:
            span += 1
        if span < len(spans) and spans[span][0] <= start:
            continue  # inside a code span
        if tags.escapes(block, start):
            out.append(block[last:start])
            out.append("&lt;")
            last = start + 1
    out.append(block[last:])
    return "".join(out)


def markdown_html(text: str) -> str:
    """CommonMark with GFM tables and strikethrough → HTML, not yet sanitized."""
    rendered = pyromark.html(text, options=_OPTIONS)
    if "<table>" in rendered:
        rendered = _ALIGN_STYLE.sub(r'<\1 align="\2">', rendered)
    return rendered


def render_markdown(text: str, links: LinkContext | None = None, *,
                    shift_headings: int = 0) -> str:
    """Markdown (with ``[[rc://…]]`` links) → sanitized HTML.

    ``shift_headings`` demotes headings (``#`` → ``<h3>`` with 2), for notes shown inside a page.
    Nesting is bounded first (:func:`bounded_markdown`); what that changed is reported through
    the link table of ``links``.
    """
    if "rc://" in text:  # what both look for (most notes have none: one search, not two)
        text = bare_rc_links(wiki_links(text))
    text, notes = bounded_markdown(text)
    if notes and links is not None:
        links.table.note(f"Markdown too deeply nested: {'; '.join(notes)}",
                         source=links.source, line=links.line)
    rendered = markdown_html(text)
    if shift_headings and "<h" in rendered:
        rendered = _HEADING_TAG.sub(
            lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift_headings)}", rendered)
    generated = None if "<" in text else generated_html(rendered)
    return sanitize(rendered, links) if generated is None else generated


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
    text = cell.replace("\\n", "\n")
    if "<" in text:
        text = _BR.sub("\n", text)
    return _LONE_NEWLINE.sub("  \n", text) if "\n" in text else text
