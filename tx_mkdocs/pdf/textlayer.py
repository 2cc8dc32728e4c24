"""The text layer of a PDF Typst wrote, made to read right where Typst 0.15 writes it wrong.

Typst (its PDF writer, krilla) sets a cluster — a letter with its points, as in pointed
Hebrew — whose marks the font moves up or down (GPOS) as several text objects, one per
height, and gives *each* piece the whole cluster's text: an ``/ActualText`` span, or a glyph
whose ``ToUnicode`` entry is the whole cluster (typst/typst#4225). Readers then copy a cluster
once per piece. It also starts a cluster's span with a mark drawn off the pen (``[-181 <mark>
181 <letter>] TJ``), and a reader that places the span's text from its first glyph to its
last (poppler: pdftotext, evince) sees a gap there and breaks the word.

:func:`repair` rewrites the page content streams, nothing else: the pieces of one cluster
(consecutive text objects, nothing drawn between, the same text, one spacing glyph among them)
keep the text once, on the piece with the letter, the others an empty ``/ActualText``; a span
whose first glyph is not drawn where it starts, or whose last does not end where it ends, gets
an invisible glyph (render mode 3) at that edge. What is drawn stays as it was (docs/pdf.md,
Text out of a PDF). Run in the typesetting process (:mod:`.worker`), which imports nothing of
the package: this module imports only pypdf.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

_OPERAND = rb"""(?:\((?:[^()\\]|\\.)*\)|<<(?:\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>|[^<>()])*>>
    |<[0-9A-Fa-f\s]*>|\[(?:\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f\s]*>|[^\[\]()<>])*\]
    |/[^\s/\[\]()<>{}%]*|[+-]?(?:\d+\.?\d*|\.\d+))"""
#: One operation: its operands, then its operator (or the white space at the end).
_OPERATION = re.compile(rb"\s*((?:(?>" + _OPERAND + rb")\s*)*+)"
                        rb"(?:([A-Za-z'\"*][A-Za-z0-9'\"*]*)|$)", re.X | re.S)
#: One element of a show operation's operands (a string, a number, a bracket of the array).
_SHOWN = re.compile(rb"\s*(?:(?P<str>\((?:[^()\\]|\\.)*\))|(?P<hex><[0-9A-Fa-f\s]*>)"
                    rb"|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+))|[\[\]])", re.S)
_ACTUAL_TEXT = re.compile(rb"/ActualText\s*(<[0-9A-Fa-f\s]*>|\((?:[^()\\]|\\.)*\))")
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
_OCTAL = re.compile(rb"\\([0-7]{1,3})|\\(\r\n|[\r\n])|\\(.)", re.S)
#: Operators that paint something other than text: pieces on either side are not one cluster.
_PAINT = frozenset((b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"Do", b"sh"))
#: Text operators whose effect on positions this module does not follow.
_UNFOLLOWED = frozenset((b"'", b'"', b"Tc", b"Tw", b"Tz"))
_FOLLOWED = _PAINT | _UNFOLLOWED | {b"BT", b"Tf", b"Tr", b"BDC", b"BMC", b"EMC", b"Tj", b"TJ"}
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*"
                      rb"(<[0-9A-Fa-f]*>|\[(?:\s*<[0-9A-Fa-f]*>)*\s*\])")
_HEX_ITEM = re.compile(rb"<([0-9A-Fa-f]*)>")
#: Thousandths of the font size: places closer than this are the same place.
_EPSILON = 0.5


class ContentError(Exception):
    """The content is not what Typst writes: the PDF is left as it is."""


@dataclass
class _Font:
    """What the text layer needs of a font: bytes per glyph code, advances (thousandths of
    the size; None: not known, as for Type 3 fonts) and the ``ToUnicode`` text of each code."""

    code_bytes: int
    widths: dict[int, float] | None
    default_width: float
    text: dict[int, str]

    def width(self, code: int) -> float:
        assert self.widths is not None
        return self.widths.get(code, self.default_width)


@dataclass
class _Show:
    """A Tj or TJ operation: where it is in the stream and its elements, each a glyph code
    (int) or a TJ adjustment (float, with its bytes as written)."""

    op: int
    elements: list[int | tuple[float, bytes]]
    font: _Font
    render: bytes


@dataclass(eq=False)
class _Unit:
    """One piece of text as a reader sees it: an ``/ActualText`` span (``span`` its BDC
    operation) or a glyph outside any span (``glyph``: its show and element)."""

    text: str | None
    text_object: int
    barrier: int
    shows: list[_Show] = field(default_factory=list)
    span: int | None = None
    glyph: tuple[_Show, int] | None = None

    def widths(self) -> list[float] | None:
        """The advance of each of its glyphs (None: a font's advances are not known)."""
        if self.glyph is not None:
            show, k = self.glyph
            code = show.elements[k]
            assert isinstance(code, int)
            return [show.font.width(code)] if show.font.widths is not None else None
        if any(s.font.widths is None for s in self.shows):
            return None
        return [s.font.width(e) for s in self.shows for e in s.elements if isinstance(e, int)]


def _unescape(literal: bytes) -> bytes:
    """The bytes of a literal string ``(…)``."""

    def one(m: re.Match[bytes]) -> bytes:
        if m.group(1) is not None:
            return bytes([int(m.group(1), 8) & 0xFF])
        if m.group(2) is not None:
            return b""
        c = m.group(3)[0]
        return bytes([_ESCAPES.get(c, c)])

    return _OCTAL.sub(one, literal[1:-1])


@lru_cache(maxsize=4096)
def _string_bytes(kind: str, raw: bytes) -> bytes:
    if kind == "hex":
        digits = b"".join(raw[1:-1].split())
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
    return _unescape(raw)


def _text_string(raw: bytes) -> str:
    """A PDF text string (``/ActualText``): UTF-16BE with its BOM, else PDFDocEncoding (read
    as Latin-1: it differs only in characters no cluster has)."""
    data = _string_bytes("hex" if raw.startswith(b"<") else "str", raw)
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be", errors="replace")
    return data.decode("latin-1")


def _blocks(cmap: bytes, name: bytes) -> list[bytes]:
    """The bodies of a CMap's ``begin<name>`` … ``end<name>`` blocks."""
    out = []
    for part in cmap.split(b"begin" + name)[1:]:
        body, end, _ = part.partition(b"end" + name)
        if end:
            out.append(body)
    return out


def _to_unicode(stream: Any) -> dict[int, str]:
    """A ``ToUnicode`` CMap's ``bfchar`` and ``bfrange`` entries."""
    data = stream.get_data()
    out: dict[int, str] = {}
    for block in _blocks(data, b"bfchar"):
        for src, dst in _BFCHAR.findall(block):
            out[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in _blocks(data, b"bfrange"):
        for lo, hi, dst in _BFRANGE.findall(block):
            start, end = int(lo, 16), int(hi, 16)
            if end - start > 0xFFFF:
                raise ContentError("a ToUnicode range too large")
            if dst.startswith(b"["):
                for code, item in zip(range(start, end + 1), _HEX_ITEM.findall(dst),
                                      strict=False):
                    out[code] = bytes.fromhex(item.decode()).decode("utf-16-be", "replace")
            else:
                first = bytes.fromhex(dst[1:-1].decode()).decode("utf-16-be", "replace")
                for code in range(start, end + 1):
                    out[code] = first[:-1] + chr(ord(first[-1]) + code - start) if first else ""
    return out


def _font(obj: Any) -> _Font:
    """What :class:`_Font` needs, read from a font dictionary."""
    text = _to_unicode(obj["/ToUnicode"].get_object()) if "/ToUnicode" in obj else {}
    subtype = obj.get("/Subtype")
    if subtype == "/Type0":
        cid = obj["/DescendantFonts"][0].get_object()
        widths: dict[int, float] = {}
        w = [x.get_object() for x in cid.get("/W", [])]
        i = 0
        while i < len(w):
            first = int(w[i])
            if isinstance(w[i + 1], list):
                for k, width in enumerate(w[i + 1]):
                    widths[first + k] = float(width)
                i += 2
            else:
                if int(w[i + 1]) - first > 0xFFFF:
                    raise ContentError("a width range too large")
                for code in range(first, int(w[i + 1]) + 1):
                    widths[code] = float(w[i + 2])
                i += 3
        return _Font(2, widths, float(cid.get("/DW", 1000)), text)
    if subtype == "/Type3" or "/Widths" not in obj:
        return _Font(1, None, 0.0, text)
    first = int(obj.get("/FirstChar", 0))
    widths = {first + k: float(x) for k, x in enumerate(obj["/Widths"])}
    return _Font(1, widths, 0.0, text)


@dataclass
class _Op:
    """An operation: where it is (its operands and operator), its operator, and where its
    operands end (they are read only for the operators this module follows)."""

    start: int
    end: int
    name: bytes
    operands_end: int
    data: bytes

    @property
    def arguments(self) -> list[bytes]:
        """Its operands split at white space (names and numbers: Tf, Tr)."""
        return self.data[self.start:self.operands_end].split()

    @property
    def shown(self) -> list[tuple[str, bytes]]:
        """A show operation's strings and adjustments, as (kind, bytes)."""
        out = []
        pos = self.start
        while pos < self.operands_end:
            m = _SHOWN.match(self.data, pos, self.operands_end)
            if m is None:
                raise ContentError(f"a show operation with other operands at byte {pos}")
            if m.lastgroup is not None:
                out.append((m.lastgroup, m.group(m.lastgroup)))
            pos = m.end()
        return out


def _operations(data: bytes) -> list[_Op]:
    """The operations of a content stream that this module follows, in order (all of them
    are read: one that is not well formed is an error)."""
    ops: list[_Op] = []
    pos = 0
    while pos < len(data):
        m = _OPERATION.match(data, pos)
        if m is None or m.end() == pos:
            raise ContentError(f"unreadable content at byte {pos}")
        start, pos = pos, m.end()
        if m.group(2) is None:
            if m.group(1):
                raise ContentError("operands without an operator at the end")
            continue  # white space at the end
        name = m.group(2)
        if name in (b"BI", b"ID"):
            raise ContentError("an inline image")
        if name in _FOLLOWED:
            ops.append(_Op(start, pos, name, m.start(2), data))
    return ops


def _elements(shown: list[tuple[str, bytes]], font: _Font) -> list[int | tuple[float, bytes]]:
    """A show operation's glyph codes and adjustments."""
    out: list[int | tuple[float, bytes]] = []
    n = font.code_bytes
    for kind, raw in shown:
        if kind == "num":
            out.append((float(raw), raw))
        else:
            data = _string_bytes(kind, raw)
            out.extend(int.from_bytes(data[i:i + n], "big") for i in range(0, len(data), n))
    return out


def _units(ops: list[_Op], fonts: dict[bytes, _Font]) -> list[_Unit]:
    """The page's pieces of text, in the order they are drawn."""
    units: list[_Unit] = []
    font: _Font | None = None
    render = b"0"
    text_object = barrier = 0
    marked: list[_Unit | None] = []  # open marked content: its span, if it is one
    span: _Unit | None = None
    for i, op in enumerate(ops):
        name = op.name
        if name == b"BT":
            text_object += 1
        elif name in _PAINT:
            barrier += 1
        elif name in _UNFOLLOWED:
            raise ContentError(f"operator {name.decode()}")
        elif name == b"Tf":
            key = op.arguments[0] if op.arguments else b""
            if key not in fonts:
                raise ContentError("a font not in the page's resources")
            font = fonts[key]
        elif name == b"Tr":
            render = op.arguments[0] if op.arguments else b"0"
        elif name in (b"BDC", b"BMC"):
            m = _ACTUAL_TEXT.search(op.data, op.start, op.operands_end)
            if m and span is not None:
                raise ContentError("an ActualText span inside another")
            if m:
                span = _Unit(_text_string(m.group(1)), text_object, barrier, span=i)
                units.append(span)
            marked.append(span if m else None)
        elif name == b"EMC":
            if not marked:
                raise ContentError("EMC without BDC")
            if marked.pop() is not None:
                span = None
        elif name in (b"Tj", b"TJ"):
            if font is None:
                raise ContentError("text before a font")
            show = _Show(i, _elements(op.shown, font), font, render)
            if span is not None:
                span.shows.append(show)
                continue
            for k, e in enumerate(show.elements):
                if isinstance(e, int):
                    units.append(_Unit(font.text.get(e), text_object, barrier, glyph=(show, k)))
    return units


def _clusters(units: list[_Unit]) -> list[list[_Unit]]:
    """Runs of units that are pieces of one cluster: in consecutive text objects with nothing
    drawn between them, the same text, and at most one glyph that advances (its letter)."""
    groups: list[list[_Unit]] = []
    i = 0
    while i < len(units):
        group = [units[i]]
        widths = units[i].widths()
        spacing = sum(w > 0 for w in widths) if widths is not None else 2
        while i + 1 < len(units):
            a, b = units[i], units[i + 1]
            more = b.widths()
            if (not a.text or a.text != b.text or b.text_object != a.text_object + 1
                    or b.barrier != a.barrier or more is None
                    or spacing + sum(w > 0 for w in more) > 1):
                break
            spacing += sum(w > 0 for w in more)
            group.append(b)
            i += 1
        if len(group) > 1:
            groups.append(group)
        i += 1
    return groups


def _number(value: float) -> bytes:
    return f"{value:.3f}".rstrip("0").rstrip(".").encode() or b"0"


def _tj(elements: list[int | tuple[float, bytes]], font: _Font) -> bytes:
    parts = []
    for e in elements:
        if isinstance(e, int):
            parts.append(b"<%0*X>" % (2 * font.code_bytes, e))
        else:
            parts.append(e[1])
    return b"[" + b" ".join(parts) + b"]TJ"


def _invisible(show: _Show, code: int, before: float, after: float) -> bytes:
    """``code`` drawn in render mode 3 (nothing painted) between the adjustments ``before``
    and ``after``, then the render mode the show had."""
    elements: list[int | tuple[float, bytes]] = [
        (before, _number(before)), code, (after, _number(after))]
    elements = [e for e in elements if isinstance(e, int) or abs(e[0]) > 1e-9]
    return b"3 Tr " + _tj(elements, show.font) + b" " + show.render + b" Tr"


def _edges(show: _Show) -> bytes | None:
    """A span's show whose first glyph is not drawn where the span starts (a mark moved off
    the pen, an accent hanging over the space before) or whose last glyph does not end where
    it ends, with an invisible glyph drawn at that edge: a reader places the span's text from
    its first glyph to its last, so the text then covers the cluster's advance, as a letter's
    does (None: it needs none)."""
    pen = 0.0
    first = last = None
    for e in show.elements:
        if isinstance(e, int):
            first = pen if first is None else first
            pen += show.font.width(e)
            last = pen
        else:
            pen -= e[0]
    if first is None or last is None:
        return None
    codes = [e for e in show.elements if isinstance(e, int)]
    code = min(codes, key=show.font.width)
    width = show.font.width(code)
    out = []
    if abs(first) > _EPSILON:
        out.append(_invisible(show, code, 0.0, width))
    out.append(_tj(show.elements, show.font))
    if abs(last - pen) > _EPSILON:
        out.append(_invisible(show, code, width, 0.0))
    return b" ".join(out) if len(out) > 1 else None


def _wrap(show: _Show, empty: set[int]) -> bytes:
    """A show with the glyphs at ``empty`` each in an ``/ActualText`` span of no text."""
    out: list[bytes] = []
    run: list[int | tuple[float, bytes]] = []
    for k, e in enumerate(show.elements):
        if k in empty:
            if run:
                out.append(_tj(run, show.font))
            out.append(b"/Span<</ActualText()>>BDC " + _tj([e], show.font) + b" EMC")
            run = []
        else:
            run.append(e)
    if run:
        out.append(_tj(run, show.font))
    return b" ".join(out)


def repair_content(data: bytes, fonts: dict[bytes, _Font]) -> bytes | None:
    """A page's content stream with its text layer repaired (None: nothing to change)."""
    ops = _operations(data)
    units = _units(ops, fonts)
    replace: dict[int, bytes] = {}
    silent: set[_Unit] = set()  # the units whose text is dropped
    emptied: dict[int, tuple[_Show, set[int]]] = {}
    for group in _clusters(units):
        carrier = max(group, key=lambda u: sum(u.widths() or [0.0]))
        for unit in group:
            if unit is carrier:
                continue
            silent.add(unit)
            if unit.span is not None:
                op = ops[unit.span]
                raw = data[op.start:op.end]
                replace[unit.span] = _ACTUAL_TEXT.sub(b"/ActualText()", raw, count=1)
            elif unit.glyph is not None:
                show, k = unit.glyph
                emptied.setdefault(show.op, (show, set()))[1].add(k)
    for show, empty in emptied.values():
        replace[show.op] = _wrap(show, empty)
    for unit in units:
        if (unit.span is not None and unit.text and unit not in silent
                and len(unit.shows) == 1 and unit.widths() is not None):
            edged = _edges(unit.shows[0])
            if edged is not None:
                replace[unit.shows[0].op] = edged
    if not replace:
        return None
    out, pos = [], 0
    for i in sorted(replace):
        op = ops[i]
        out += [data[pos:op.start], b" ", replace[i], b" "]
        pos = op.end
    out.append(data[pos:])
    return b"".join(out)


def _needs_repair(data: bytes) -> bool:
    """Whether a page has spans of text with marks (points, accents …): only those can be
    split or drawn off their pen, so other pages are not read further."""
    for m in _ACTUAL_TEXT.finditer(data):
        text = _text_string(m.group(1))
        if any(unicodedata.category(c).startswith("M") for c in text):
            return True
    return False


def _replace_streams(pdf: bytes, offsets: dict[int, int], streams: dict[int, bytes]) -> bytes:
    """``pdf`` (one classic cross-reference table, as Typst writes) with the stream objects
    numbered in ``streams`` given new data, and its table made anew; every other byte stays."""
    start = pdf.rfind(b"startxref")
    table = int(pdf[start + 9:].split()[0])
    trailer = pdf.find(b"trailer", table)
    if not pdf.startswith(b"xref", table) or trailer < 0 or b"/Prev" in pdf[trailer:start]:
        raise ContentError("not one cross-reference table")
    order = sorted(offsets, key=offsets.__getitem__)
    if not order or offsets[order[-1]] >= table or set(streams) - set(offsets):
        raise ContentError("objects not where the table says")
    out = [pdf[:offsets[order[0]]]]
    size = len(out[0])
    new: dict[int, int] = {}
    for number, end in zip(order, [offsets[n] for n in order[1:]] + [table], strict=True):
        new[number] = size
        if number in streams:
            data = zlib.compress(streams[number])
            chunk = (b"%d 0 obj\n<</Length %d/Filter/FlateDecode>>\nstream\n" % (number, len(data))
                     + data + b"\nendstream\nendobj\n")
        else:
            chunk = pdf[offsets[number]:end]
        out.append(chunk)
        size += len(chunk)
    count = max(offsets) + 1
    rows = [b"0000000000 65535 f \n"] + [
        b"%010d 00000 n \n" % new[n] if n in new else b"0000000000 00000 f \n"
        for n in range(1, count)]
    out += [b"xref\n0 %d\n" % count, *rows, pdf[trailer:start], b"startxref\n%d\n%%%%EOF\n" % size]
    return b"".join(out)


def repair(path: Path) -> str | None:
    """Repair the text layer of the PDF at ``path`` in place. A PDF it cannot read as Typst
    writes them is left as it is: the answer is then why (None: repaired or nothing to do)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import DictionaryObject, IndirectObject, StreamObject

    try:
        reader = PdfReader(path)
        fonts: dict[int, _Font] = {}
        changed: dict[int, bytes] = {}  # content stream's object number → its new content
        for page in reader.pages:
            ref = page.get("/Contents")
            if ref is None:
                continue
            stream = ref.get_object() if isinstance(ref, IndirectObject) else None
            if not isinstance(ref, IndirectObject) or not isinstance(stream, StreamObject):
                raise ContentError("a page's content not in one stream")
            data = stream.get_data()
            if not _needs_repair(data):
                continue
            resources = page["/Resources"].get_object()
            page_fonts = resources.get("/Font") if isinstance(resources, DictionaryObject) else None
            page_fonts = page_fonts.get_object() if page_fonts is not None else None
            if not isinstance(page_fonts, DictionaryObject):
                raise ContentError("a page with text and no fonts")
            named = {}
            for name, font in page_fonts.items():
                key = font.idnum if isinstance(font, IndirectObject) else id(font)
                if key not in fonts:
                    fonts[key] = _font(font.get_object())
                named[name.encode()] = fonts[key]
            new = repair_content(data, named)
            if new is not None:
                changed[ref.idnum] = new
        if not changed:
            return None
        if reader.xref_objStm:
            raise ContentError("objects in object streams")
        pdf = _replace_streams(path.read_bytes(), reader.xref.get(0, {}), changed)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(pdf)
        os.replace(temporary, path)
    except (ContentError, PyPdfError, KeyError, ValueError, TypeError, IndexError, OSError) as exc:
        path.with_name(path.name + ".tmp").unlink(missing_ok=True)
        return f"{type(exc).__name__}: {exc}"[:300]
    return None
