"""A page's HTML → print data: blocks and inline runs that the Typst template typesets.

The input is the HTML a resource type made for a page (``Page.html``: for a Bible the output of
the USFM model in ``tx_mkdocs/usfm``, for the helps their Markdown/TSV rendering), held in memory
— never the built site, whose theme chrome is not content. It is our own, sanitized markup of a
small vocabulary (paragraph classes of USFM markers, ``v-num`` verse marks, footnote callers and
their bodies, headings, lists, tables, images), so one walk serves every type.

The result is plain data (dicts, lists, strings) written as JSON: the template reads it with
``json()`` and places strings as text, so no repository text is ever Typst markup or code.
Navigation aids of the web page (``nav``, ``details``: chapter grids, indexes, tables of
contents) are left out; footnote bodies move to their callers (Typst sets them at the page foot).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"))
#: Web-page navigation, never printed; footnote lists are read for their bodies only.
_SKIP = frozenset(("nav", "details", "script", "style", "template", "button", "form"))
_NOTE_LISTS = frozenset(("footnotes", "crossrefs"))
_CALLERS = frozenset(("fn-caller", "xr-caller"))
_INLINE_STYLES = {"em": "i", "i": "i", "cite": "i", "dfn": "i", "strong": "b", "b": "b",
                  "sup": "sup", "sub": "sub", "code": "code", "kbd": "code", "small": "small"}
_BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
                     "table", "pre", "hr", "div", "section", "article", "header", "footer",
                     "figure", "figcaption", "dl", "dt", "dd", "main", "aside", "tbody", "thead",
                     "tr", "td", "th"))
#: Headings whose text runs in the page header: chapters, tN/tQ chapters and verse references.
_RUNNING = frozenset(("c-num", "tx-helps-chapter-title", "tx-helps-verse"))
#: USFM title lines (``\\mt2``, ``\\imt1`` …): printed as title lines, not as headings.
_TITLE_LINE = re.compile(r"i?mte?\d")
_SPACE = re.compile(r"[ \t\n\r\f]+")

Inline = str | dict[str, Any]


@dataclass
class Node:
    """An element of the parsed fragment."""

    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        """The element's classes."""
        return self.attrs.get("class", "").split()


class _TreeBuilder(HTMLParser):
    """A forgiving tree of the fragment: unknown end tags are ignored, open ones closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(fragment: str) -> Node:
    """The element tree of an HTML fragment."""
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


def text_of(node: Node | str) -> str:
    """The text of a node, tags dropped."""
    if isinstance(node, str):
        return node
    return "".join(text_of(child) for child in node.children)


class Converter:
    """One page's blocks. ``image`` maps an image's ``src`` to a file name in the Typst root,
    or None (a placeholder is printed)."""

    def __init__(self, image: Any = None) -> None:
        self.image = image or (lambda src: None)
        self.notes: dict[str, Node] = {}
        self.blocks: list[dict[str, Any]] = []

    def convert(self, fragment: str) -> list[dict[str, Any]]:
        """The blocks of ``fragment`` (see the module docstring)."""
        root = parse(fragment)
        self._collect_notes(root)
        self.blocks = []
        self._blocks(root, indent=0)
        return self.blocks

    def _collect_notes(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, Node):
                if child.tag == "p" and {"footnote", "crossref"} & set(child.classes):
                    if child.attrs.get("id"):
                        self.notes[child.attrs["id"]] = child
                else:
                    self._collect_notes(child)

    # blocks ------------------------------------------------------------------------------
    def _blocks(self, node: Node, indent: int) -> None:
        """Walk a container: block children become blocks, runs of inline content paragraphs."""
        run: list[Node | str] = []
        for child in node.children:
            if isinstance(child, Node) and (child.tag in _BLOCKS or child.tag in _SKIP
                                            or child.tag == "img"):
                self._paragraph(run, "p", indent)
                run = []
                self._block(child, indent)
            else:
                run.append(child)
        self._paragraph(run, "p", indent)

    def _block(self, node: Node, indent: int) -> None:
        tag, classes = node.tag, node.classes
        if tag in _SKIP or _NOTE_LISTS & set(classes):
            return
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and (
                tag == "h1" or not any(_TITLE_LINE.fullmatch(c) for c in classes)):
            content = self._inlines(node.children)
            if _has_text(content):
                self.blocks.append({"k": "h", "l": int(tag[1]), "c": content,
                                    "r": bool(_RUNNING & set(classes))})
        elif tag == "p" or tag.startswith("h"):
            images = [c for c in node.children if isinstance(c, Node) and c.tag == "img"]
            if images and not text_of(node).strip():
                for image in images:
                    self._block(image, indent)
                return
            self._paragraph(node.children, classes[0] if classes else "p", indent)
        elif tag in ("ul", "ol"):
            number = 0
            for item in node.children:
                if isinstance(item, Node) and item.tag == "li":
                    number += 1
                    self._item(item, f"{number}." if tag == "ol" else "•", indent)
        elif tag == "li":
            self._item(node, "•", indent)
        elif tag in ("blockquote", "dd"):
            self._blocks(node, indent + 1)
        elif tag == "table":
            self._table(node)
        elif tag == "pre":
            self.blocks.append({"k": "pre", "t": text_of(node)})
        elif tag == "hr":
            self.blocks.append({"k": "hr"})
        elif tag == "img":
            self.blocks.append({"k": "img", "f": self.image(node.attrs.get("src", "")),
                                "a": node.attrs.get("alt", "")})
        elif tag == "dt":
            self._paragraph([Node("strong", {}, node.children)], "p", indent)
        else:  # div, section, figure …: a container
            self._blocks(node, indent)

    def _paragraph(self, children: list[Node | str], style: str, indent: int) -> None:
        content = self._inlines(children)
        if _has_text(content):
            self.blocks.append({"k": "p", "s": style, "i": indent, "c": content})

    def _item(self, item: Node, marker: str, indent: int) -> None:
        """A list item: its own text with the marker, nested blocks indented below it."""
        inline = [c for c in item.children
                  if not (isinstance(c, Node) and (c.tag in _BLOCKS and c.tag != "p"))]
        nested = [c for c in item.children if isinstance(c, Node) and c not in inline]
        paragraphs = [c for c in inline if isinstance(c, Node) and c.tag == "p"]
        if paragraphs:  # "loose" list: <li><p>…</p></li>
            inline = [part for p in paragraphs for part in (*p.children, " ")]
        content = self._inlines(inline)
        self.blocks.append({"k": "li", "m": marker, "i": indent, "c": content})
        for child in nested:
            self._block(child, indent + 1)

    def _table(self, table: Node) -> None:
        rows: list[list[list[Inline]]] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, Node):
                    if child.tag == "tr":
                        cells = [self._inlines(c.children) for c in child.children
                                 if isinstance(c, Node) and c.tag in ("td", "th")]
                        if cells:
                            rows.append(cells)
                    else:
                        walk(child)

        walk(table)
        if rows:
            width = max(len(r) for r in rows)
            self.blocks.append({"k": "table", "n": width,
                                "rows": [r + [[]] * (width - len(r)) for r in rows]})

    # inline ------------------------------------------------------------------------------
    def _inlines(self, children: list[Node | str], *, trim: bool = True) -> list[Inline]:
        """Inline runs; ``trim``: a block's (its ends stripped), not an element's inside one."""
        out: list[Inline] = []
        for child in children:
            if isinstance(child, str):
                _add_text(out, _SPACE.sub(" ", child))
            else:
                for part in self._inline(child):
                    if isinstance(part, str):
                        _add_text(out, part)
                    else:
                        out.append(part)
        return _trim(out) if trim else out

    def _inline(self, node: Node) -> list[Inline]:
        tag, classes = node.tag, set(node.classes)
        if tag in _SKIP:
            return []
        if tag == "br":
            return [{"t": "br"}]
        if tag == "span" and "v-num" in classes:
            number = text_of(node).replace("\xa0", " ").strip()
            return [{"t": "v", "n": number}] if number else []
        if tag == "sup" and _CALLERS & classes:
            return self._note(node)
        if tag == "img":
            return [f"[{node.attrs.get('alt', '')}]"] if node.attrs.get("alt") else []
        inner = self._inlines(node.children, trim=False)
        if tag == "a":
            href = node.attrs.get("href", "")
            if href.startswith(("https://", "http://")) and inner:
                return [{"t": "a", "u": href, "c": inner}]
            return inner
        style = _INLINE_STYLES.get(tag)
        if style is None and tag == "span" and "tx-quote" in classes:
            style = "b"
        return [{"t": style, "c": inner}] if style and inner else inner

    def _note(self, caller: Node) -> list[Inline]:
        """A footnote caller → the note itself (with its body), set at the page foot."""
        link = next((c for c in caller.children if isinstance(c, Node) and c.tag == "a"), None)
        target = link.attrs.get("href", "").lstrip("#") if link else ""
        body = self.notes.get(target)
        if body is None:
            return []
        parts = list(body.children)
        if parts and isinstance(parts[0], Node) and parts[0].tag == "a":  # the back-link label
            parts = parts[1:]
        return [{"t": "fn", "c": self._inlines(parts)}]


def _add_text(out: list[Inline], text: str) -> None:
    if not text:
        return
    if out and isinstance(out[-1], str):
        out[-1] += text
    else:
        out.append(text)


def _trim(out: list[Inline]) -> list[Inline]:
    """Collapse the spaces of neighbouring runs and strip the ends."""
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip(" ")
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" ")
    return [part for part in out if part != ""]


def _has_text(content: list[Inline]) -> bool:
    return any((isinstance(part, str) and part.strip()) or isinstance(part, dict)
               for part in content)
