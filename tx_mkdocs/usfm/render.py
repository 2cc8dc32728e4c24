"""USFM book → Door43-compatible HTML, chapter list, headers and diagnostics, in one linear pass.

The tokens of ``tokenizer.TOKEN`` drive a small state machine: the open block (paragraph, heading
or table row, opened lazily so that empty ``\\p`` lines vanish), a stack of character spans, the
open note, the current chapter and verse. Problems never raise: they become ``Message``s in the
Door43 wording ("``RUT 1:2 - …``") with the source line, and the text is always kept.

Ids are those of the old Door43 HTML, so that links in the wild keep working: ``BBB-ch-CCC``,
``BBB-ch-CCC-v-VVV``, ``fn-BBB-CCC-VVV-n`` / ``ref-fn-…``, ``xr-…`` (BBB = anchor key, 040 = MAT).

Rendering decisions:

- Notes are numbered per chapter and listed at the end of their chapter. Endnotes (``\\fe``) are
  kept there too: a page is one book, and a note next to its chapter is where the reader is.
- A ``-`` caller shows no mark, but its (empty) link stays, so the note's back-link still lands.
- ``\\fig`` is a ``<figure>`` between paragraphs (an inline ``span.fig`` inside a note or a
  character span); its image is shown only for a relative file name or an http(s) URL.
- ``\\vp`` replaces the visible verse number (the id stays that of ``\\v``); ``\\ca`` is shown
  after the chapter number; consecutive ``\\tr`` rows make one ``<table>``; ``\\esb`` … ``\\esbe``
  is an ``<aside>``.
- Only the first main title is an ``<h1>``: the page has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from ..core.books import book
from ..core.limits import MAX_MESSAGES_PER_FILE, MAX_USFM_NESTING
from ..core.log import Message, Severity
from ..core.markup import IMAGE_ATTRIBUTES_HTML
from .markers import (
    BLANK,
    CELL,
    CHAR,
    DEFAULT_ATTRIBUTE,
    DEMOTED_TITLE,
    FIGURE,
    HEADER,
    HEADING,
    IGNORE,
    IMPLICIT_PARAGRAPH,
    MARKERS,
    META,
    MILESTONE,
    NOTE,
    NOTE_CHAR,
    PARA,
    ROW,
    SIDEBAR,
    TITLE_MARKERS,
    Marker,
)
from .tokenizer import (
    CLOSER_AT,
    OLD_MILESTONES,
    TOKEN,
    Lookahead,
    attributes_ok,
    clean_text,
    normalize,
    strip_alignment,
    strip_attributes,
)
from .versification import OPTIONAL, VERSES

_ZWSP_IN_HEBREW_WORD = re.compile("(?<=[\u0590-\u05ff])\u200b(?=[\u0590-\u05ff])")


@dataclass
class Chapter:
    """One chapter of a rendered book (for navigation and the page's table of contents)."""

    number: str  # as written after \c ("1")
    id: str  # "040-ch-001"
    label: str  # visible heading text: the number, "Psalm 1" (\cl prefix) or a literal \cl / \cp
    verse_ids: list[str] = field(default_factory=list)  # one per \v, in order


@dataclass
class RenderedBook:
    """A book ready to be placed in a page."""

    code: str | None  # upper-case book code from \id (or the fallback code)
    title: str  # \h, else \toc2, else \mt / \mt1, else ""
    headers: dict[str, str]  # identification markers as found (text only): id, ide, h, toc1 …
    html: str  # intro + chapters (each with its footnotes)
    chapters: list[Chapter]
    messages: list[Message]
    #: Characters the look-aheads read (:class:`Lookahead`): at most the text's length per
    #: needle, whatever the text; the bounds tests check it.
    scanned: int = 0


def render_book(text: str, *, source: str = "", fallback_code: str | None = None) -> RenderedBook:
    """Render one USFM book. ``source`` names the file in messages; ``fallback_code`` is used when
    ``\\id`` is missing or unknown. Never raises on content: problems are in ``messages``."""
    return _Renderer(text, source, fallback_code).run()


_ID_CODE = re.compile(r"\\id[ \t]+([^\s\\]+)")
_NUMBER = re.compile(r"\d+")
_ALIGNMENT_MILESTONE = re.compile(r"\\(?:zaln|k)-(?:(s)|e\\\*)")
_COLUMNS = re.compile(r"(?<!\d)(\d+)(?:-(\d+))?$")
#: Original-language texts (UHB, UGNT) follow their own versification: no count checks there.
_ORIGINAL_SCRIPT = re.compile("[\u0590-\u05ff\u0370-\u03ff\u1f00-\u1fff]")
#: Books without chapters (the old checker's list): no \mt or chapter required.
_NO_CHAPTERS = frozenset(("FRT", "BAK", "OTH", "INT", "CNC", "GLO", "TDX", "NDX"))
#: Non-verse paragraphs that may lead into a verse (``\\lit Glory: \\v 9 …``): no warning there.
_VERSE_AFTER = frozenset(("lit", "iex"))
#: Labels closed by their own ``\X*`` (the others end at the next marker).
_INLINE_META = frozenset(("ca", "vp", "cat"))
#: ``key="value"`` in ``\\fig``; a name starts only where a word starts (else a long word without
#: ``=`` is scanned again from each of its letters).
_FIG_ATTRIBUTE = re.compile(r'(?<![\w-])([\w-]++)[ \t]*+=[ \t]*+"((?:[^"\\]|\\.)*+)"')
_MARKUP = re.compile(r"\\\+?[A-Za-z0-9-]*\*?")
#: An image source we link to: an http(s) URL or a relative file name (no scheme, no "..").
_SAFE_SRC = re.compile(r"https?://[^\s\"'<>\\`]+|(?!.*\.\.)\w[\w .()-]*(?:/\w[\w .()-]*)*")

# Kinds of entries on the character stack; only unclosed CHAR spans deserve a warning.
_K_CHAR, _K_NOTE_CHAR = 0, 1
# Modes: what the next token means.
_NORMAL, _CAPTURE, _CALLER, _ATTRIBUTES, _SKIP = 0, 1, 2, 3, 4


class _Chapter:
    """A chapter being built: its HTML parts and its notes."""

    __slots__ = (
        "ca",
        "cp",
        "crossrefs",
        "fn_count",
        "footnotes",
        "id",
        "implicit",
        "label",
        "last_label",
        "last_pos",
        "last_verse",
        "number",
        "parts",
        "pos",
        "pre",
        "seen_verses",
        "value",
        "verse_ids",
        "xr_count",
    )

    def __init__(self, number: str, value: int, chapter_id: str, pos: int, implicit: bool):
        self.number, self.value, self.id, self.pos = number, value, chapter_id, pos
        self.label: str | None = None  # literal \cl after \c
        self.cp: str | None = None
        self.ca: str | None = None
        self.implicit = implicit
        self.pre: list[str] = []  # headings that came after the previous chapter's last verse
        self.parts: list[str] = []
        self.footnotes: list[str] = []
        self.crossrefs: list[str] = []
        self.fn_count = self.xr_count = 0
        self.verse_ids: list[str] = []
        self.seen_verses: set[str] = set()
        self.last_verse = 0
        self.last_label = ""  # the \v number that reached last_verse ("6-7")
        self.last_pos = pos


class _Note:
    __slots__ = ("chars", "id", "kind", "label", "name", "parts", "pos")

    def __init__(self, kind: str, note_id: str, label: str, name: str, pos: int):
        self.kind, self.id, self.label, self.name, self.pos = kind, note_id, label, name, pos
        self.parts: list[str] = []
        self.chars: list[tuple[str, str, int, int, int]] = []


class _Renderer:
    def __init__(self, text: str, source: str, fallback_code: str | None) -> None:
        self.source = source or None
        raw = normalize(text)
        self.text = strip_alignment(raw)
        self.ahead = Lookahead(self.text)
        self.depth = 0  # open alignment milestones (\zaln-s, \k-s) in the current verse
        self.depth_run: tuple[str, int] = ("", 0)  # the last run that left some open
        self.messages: list[Message] = []
        self.unlisted = 0  # messages beyond MAX_MESSAGES_PER_FILE
        self.headers: dict[str, str] = {}
        self.ids: set[str] = set()
        self.next_suffix: dict[str, int] = {}  # repeated id → next suffix to try
        self.too_deep: dict[str, int] = {}  # spans not opened (nesting limit) → closers to drop
        self.warned: set[str] = set()
        self.line_pos, self.line_no = 0, 1

        self.intro: list[str] = []
        self.intro_notes = _Chapter("", 0, "", 0, False)  # holds notes that come before \c 1
        self.chapters: list[_Chapter] = []
        self.chapter: _Chapter | None = None
        self.cl_prefix = ""
        self.flow = self.intro  # where blocks of the main text go
        self.out = self.intro  # where text goes now: the flow, or the body of the open note
        self.tail: int | None = None  # index in flow where trailing headings start

        self.block: Marker | None = None  # current paragraph/heading/row (maybe not yet opened)
        self.block_name = ""
        self.block_pos = 0
        self.block_open = False
        self.h1 = False  # the page's one <h1> (the first main title) has been emitted
        self.lstrip = True  # drop leading space of the next text (start of block, after \v)
        # Open spans: (name, closing tag, kind, source position, length of out after opening).
        self.chars: list[tuple[str, str, int, int, int]] = []
        self.flow_chars = self.chars
        self.note: _Note | None = None
        self.flow_lstrip = True
        self.plain: list[str] | None = None  # plain text of a title block, for headers

        self.table_open = False
        self.cell: str | None = None  # closing tag of the open table cell
        self.cell_column = 0  # last column used in the open row
        self.row_bare = False  # a row is open but no cell yet: text needs an implicit <td>
        self.sidebar: tuple[list[str], int, int] | None = None  # (flow, index of <aside>, pos)

        self.verse: str | None = None
        self.verse_id: str | None = None
        self.verse_pos = 0
        self.verse_text = False
        self.vnum: tuple[list[str], int, str] | None = None  # where the verse number went (\vp)

        self.mode = _NORMAL
        self.capture_name = ""
        self.capture_pos = 0
        self.capture: list[str] = []
        self.milestone_name = ""
        self.skip_to = 0
        self.pending_note: tuple[str, int] | None = None
        self.open_milestones: dict[str, list[int]] = {}
        self.chapter_values: set[int] = set()
        self.code, self.key = self._book_code(fallback_code)
        self.counts = self._versification()
        self._old_alignment(raw)

    # -- driver ---------------------------------------------------------------------------------

    def run(self) -> RenderedBook:
        text = self.text
        markers = MARKERS
        for m in TOKEN.finditer(text):
            run, cv, number, plus, name, star = m.groups()
            if self.mode:
                if self._mode_token(run, name, plus, star, m.start(), m.end()):
                    continue
            if run is not None:
                self._text(run, m.end())
            elif cv is not None:
                if cv == "v":
                    self._verse(number, m.start())
                else:
                    self._chapter(number, m.start())
            else:
                info = markers.get(name)
                if info is None:
                    self._unknown(name, bool(star), m.start())
                elif star:
                    self._closer(name, info, m.start())
                else:
                    self._marker(name, info, bool(plus), m.start())
        end = len(text)
        self._mode_token(None, None, None, None, end, end)
        self._end_block(end)
        self._close_table()
        self._final_checks(end)
        self._end_verse()
        self._book_checks(end)
        return self._result()

    def _mode_token(self, run: str | None, name: str | None, plus: str | None,
                    star: str | None, start: int, end: int) -> bool:
        """Handle the token that a mode waits for; True if the token was consumed."""
        mode = self.mode
        if mode == _SKIP:
            if start < self.skip_to:
                if run is not None and end > self.skip_to:
                    self.mode = _NORMAL
                    self._text(run[self.skip_to - start:], end)
                return True
            self.mode = _NORMAL
            return False
        if mode == _CAPTURE:
            if run is not None:
                self.capture.append(run)
                return True
            if name is not None:  # character markup inside a header: keep only its text
                info = MARKERS.get(name)
                if info is None:
                    self._unknown(name, bool(star), start)
                    return True
                if star and name == self.capture_name:  # \vp 1b\vp*, \ca 2\ca*, \cat x\cat*
                    self._end_capture(closed=True)
                    return True
                if info.category in (CHAR, NOTE_CHAR) and (
                        plus or self.capture_name not in _INLINE_META):
                    return True  # nested (\+it) in \vp, any in a header: keep the text only
            self._end_capture(closed=False)
            return False
        self.mode = _NORMAL
        if mode == _CALLER:
            assert self.pending_note is not None
            caller = ""
            if run is not None:
                stripped = run.lstrip(" \t\n")
                if stripped[:1] not in ("", "|") and stripped[1:2] in ("", " ", "\t", "\n"):
                    caller, run = stripped[0], stripped[1:]
            self._start_note(caller)
            if run is not None:
                self._text(run, end)
                return True
        elif mode == _ATTRIBUTES and run is not None and run.lstrip(" \t").startswith("|"):
            if self.text.startswith("\\*", end):  # the attributes end at "\*", even lines later
                if "\n" in run:
                    self._warn(f"Line break inside the attributes of '\\{self.milestone_name}'",
                               start, "usfm.attributes")
                return True
            newline = run.find("\n")  # the 2018 form: the attributes end with the line
            if newline >= 0:
                self._text(run[newline:], end)
            return True
        return False

    # -- text -------------------------------------------------------------------------------------

    def _text(self, run: str, end: int) -> None:
        text, delta = clean_text(run)
        if delta:
            self._alignment(delta, run, end - len(run))
        if "|" in text:
            text = self._attributes(text, end)
        if self.note is None:
            if not self.block_open:
                if not text.strip(" "):
                    return
                self._open_for_content("Text", end - len(run.lstrip()))
            if self.row_bare:
                self._implicit_cell()
        if self.lstrip:
            text = text.lstrip(" ")
        if not text:
            return
        if "~" in text:  # USFM's no-break space
            text = text.replace("~", "\u00a0")
        html = escape(text)
        if "\u200b" in html:
            # a morpheme separator inside a Hebrew word (UHB 2018): browsers would break the
            # line there; the word joiner is just as invisible and keeps the word whole
            html = _ZWSP_IN_HEBREW_WORD.sub("\u2060", html)
        if "//" in html:  # an optional line break
            html = html.replace("//", "<wbr>")
            text = text.replace("//", "")
        self.out.append(html)
        self.lstrip = text[-1:] == " "  # one space between words, even across tokens
        if self.plain is not None:
            self.plain.append(text)
        if self.note is None and not self.verse_text and text.strip(" "):
            self.verse_text = True

    def _attributes(self, text: str, end: int) -> str:
        """Drop ``|attributes`` from a text run; check them when they belong to a closing marker."""
        closer = CLOSER_AT.match(self.text, end)
        if closer is None:
            return strip_attributes(text)
        bar = text.index("|")
        attributes = text[bar + 1:]
        name = closer.group()[1:-1].lstrip("+")
        if not attributes_ok(attributes, name in DEFAULT_ATTRIBUTE or name.startswith("z")):
            self._warn(f"Invalid attributes for '\\{name}': '{attributes.strip()}'", end,
                       "usfm.attributes")
        return text[:bar]

    # -- blocks ---------------------------------------------------------------------------------

    def _marker(self, name: str, info: Marker, plus: bool, pos: int) -> None:
        category = info.category
        if category == CHAR or category == NOTE_CHAR:
            self._char_open(name, info, plus, pos)
        elif category == IGNORE:
            return
        elif category == NOTE:
            self._note_open(name, pos)
        elif category == CELL:
            self._cell(name, info, pos)
        elif category == MILESTONE:
            self._milestone(name, pos)
        elif category == HEADER or category == META:
            self.mode = _CAPTURE
            self.capture_name, self.capture_pos, self.capture = name, pos, []
        elif category == FIGURE:
            self._figure(pos, plus)
        elif category == SIDEBAR:
            self._sidebar(name, info, pos)
        else:  # PARA, HEADING, ROW, BLANK
            self._end_block(pos)
            if category == BLANK:
                self._close_table()
                self.flow.append(info.open)
                return
            self.block, self.block_name, self.block_pos = info, name, pos
            if name in TITLE_MARKERS:
                self.plain = []

    def _open_block(self) -> None:
        """Emit the opening tag of the current block; text outside any block gets a ``<p>``."""
        if self.block is None:
            self.block, self.block_name = IMPLICIT_PARAGRAPH, "p"
        elif self.chapter is None and self.block.category == PARA:
            self._paragraph_before_chapter()
        block = self.block
        category = block.category
        if category == ROW:
            if not self.table_open:
                self.flow.append('<table class="usfm-table">\n')
                self.table_open = True
            self.row_bare, self.cell_column = True, 0
        else:
            self._close_table()
            if category == HEADING and block.open.startswith("<h1"):
                if self.h1:
                    self.block = block = DEMOTED_TITLE
                self.h1 = True
        if category == HEADING:
            if self.tail is None and self.chapter is not None:
                self.tail = len(self.flow)
        else:
            self.tail = None
        self.flow.append(block.open)
        self.block_open = True
        self.lstrip = True

    def _paragraph_before_chapter(self) -> None:
        """A body paragraph (not an introduction) with text before ``\\c 1``: once per book."""
        if self.block_name[0] != "i" and self.code not in _NO_CHAPTERS and (
                " paragraph" not in self.warned):
            self.warned.add(" paragraph")  # not a marker name
            self._message("warning", f"{self.code or '???'} - Paragraph '\\{self.block_name}' "
                          "before the first chapter", self._line(self.block_pos),
                          "usfm.paragraph-order", None)

    def _open_for_content(self, what: str, pos: int) -> None:
        """Open the block for text or a figure; outside any block that is worth a warning."""
        if self.block is None and self.chapter is not None:
            self._warn(f"{what} outside a paragraph (missing paragraph marker)", pos,
                       "usfm.missing-paragraph")
        self._open_block()

    def _end_block(self, pos: int) -> None:
        """Close the open note, character spans, cell and block (a paragraph marker ends them)."""
        if self.note is not None:
            self._unclosed_note(pos)
        if self.chars:
            self._close_chars(0)
        if self.cell is not None:
            self._close_cell()
        self.row_bare = False
        if self.block_open:
            flow = self.flow
            if flow[-1].endswith(" "):
                flow[-1] = flow[-1].rstrip(" ")
            flow.append(self.block.close)  # type: ignore[union-attr]
            if self.plain is not None:
                self.headers.setdefault(self.block_name, "".join(self.plain).strip(" "))
        self.plain = None
        self.block, self.block_open = None, False

    # -- tables and sidebars --------------------------------------------------------------------

    def _cell(self, name: str, info: Marker, pos: int) -> None:
        if self.note is not None:  # a cell marker inside a note: keep the text, drop the marker
            return
        if self.block is None or self.block.category != ROW:
            self._end_block(pos)  # a cell without \tr: an implicit row
            self.block, self.block_name = MARKERS["tr"], "tr"
        if not self.block_open:
            self._open_block()
        self._close_cell()
        columns = _COLUMNS.search(name)
        if columns:
            first = int(columns.group(1))
            if first > self.cell_column + 1:
                self._warn(f"Table row skips column {self.cell_column + 1}", pos,
                           "usfm.table-column")
            self.cell_column = int(columns.group(2) or first)
        self.flow.append(info.open)
        self.cell, self.row_bare, self.lstrip = info.close, False, True

    def _implicit_cell(self) -> None:
        self.flow.append("<td>")
        self.cell, self.row_bare = "</td>", False

    def _close_cell(self) -> None:
        if self.cell is None:
            return
        if self.chars:
            self._close_chars(0)
        flow = self.flow
        if flow[-1].endswith(" "):
            flow[-1] = flow[-1].rstrip(" ")
        flow.append(self.cell)
        self.cell = None

    def _close_table(self) -> None:
        if self.table_open:
            self.flow.append("</table>\n")
            self.table_open = False

    def _sidebar(self, name: str, info: Marker, pos: int) -> None:
        self._end_block(pos)
        self._close_table()
        if name == "esb":
            if self.sidebar is not None:
                self._close_sidebar()
            self.flow.append(info.open)
            self.sidebar = (self.flow, len(self.flow) - 1, pos)
        elif self.sidebar is not None:
            self.sidebar[0].append(MARKERS["esb"].close)
            self.sidebar = None
        else:
            self._warn("'\\esbe' without a matching '\\esb'", pos, "usfm.sidebar")
        self.tail = None

    def _close_sidebar(self) -> None:
        """A sidebar still open at another sidebar, a chapter or the end of the book."""
        assert self.sidebar is not None
        flow, _, pos = self.sidebar
        self._warn("Unclosed sidebar '\\esb' (missing '\\esbe')", pos, "usfm.sidebar")
        flow.append(MARKERS["esb"].close)
        self.sidebar = None
        self.tail = None

    # -- character spans ------------------------------------------------------------------------

    def _char_open(self, name: str, info: Marker, plus: bool, pos: int) -> None:
        if self.note is None:
            if not self.block_open:
                self._open_block()
            if self.row_bare:
                self._implicit_cell()
            if info.category == NOTE_CHAR and name != "xt":  # \xt may link from the text too
                self._warn(f"'\\{name}' outside a note", pos, "usfm.note-char")
        chars = self.chars
        kind = _K_NOTE_CHAR if info.category == NOTE_CHAR and self.note else _K_CHAR
        if len(chars) >= MAX_USFM_NESTING:  # the text stays; the style and its closer are dropped
            self._warn_once(" nesting", f"Character styles nested deeper than "
                            f"{MAX_USFM_NESTING} levels: '\\{name}' and deeper styles are "
                            "ignored", pos, "usfm.nesting")
            self.too_deep[name] = self.too_deep.get(name, 0) + 1
            return
        if chars and not plus:
            if chars[-1][0] == name and (kind == _K_CHAR or self._only_punctuation(pos, name)):
                # "\fqa … \fqa ." : an opener where the closer belongs (Luke 2:49 in ULT v1).
                # A note character may start again ("\xt Ps 1; \xt Rev 9"), but not for a ".".
                self._warn(f"Found '\\{name}' where '\\{name}*' was expected", pos,
                           "usfm.opener-for-closer")
                self.out.append(chars.pop()[1])
                return
            if kind != _K_CHAR:  # a note character ends the previous ones
                first = next((i for i, c in enumerate(chars) if c[2] == kind), None)
                if first is not None:
                    self._close_chars(first)
        self.out.append(info.open)
        chars.append((name, info.close, kind, pos, len(self.out)))

    def _only_punctuation(self, pos: int, name: str) -> bool:
        """Whether the text after the marker at ``pos`` (up to the next marker) has no word."""
        start = pos + len(name) + 1
        end = self.text.find("\\", start)
        return not any(c.isalnum() for c in self.text[start:end if end >= 0 else None])

    def _closer(self, name: str, info: Marker, pos: int) -> None:
        category = info.category
        if category == NOTE:
            if self.note is None:
                self._warn(f"Closing marker '\\{name}*' without an opening marker", pos,
                           "usfm.unmatched-closer")
            else:
                if name != self.note.name:
                    self._warn(f"Note '\\{self.note.name}' closed by '\\{name}*'", pos,
                               "usfm.mismatched-closer")
                self._end_note()
        elif category == CHAR or category == NOTE_CHAR:
            chars = self.chars
            for i in range(len(chars) - 1, -1, -1):
                if chars[i][0] == name:
                    self._close_chars(i + 1)
                    span = chars.pop()
                    if span[4] == len(self.out) and not self.text[span[3]:pos].strip(
                            " \t\n\\+").removeprefix(name):  # not even attributes
                        self._warn(f"Empty '\\{name} \\{name}*'", pos, "usfm.empty-char")
                    self.out.append(span[1])
                    return
            if self.too_deep.get(name):
                self.too_deep[name] -= 1
                return
            self._warn(f"Closing marker '\\{name}*' without an opening marker", pos,
                       "usfm.unmatched-closer")
        elif category == MILESTONE:
            self._warn(f"Malformed milestone '\\{name}*' (expected '\\{name}\\*')", pos,
                       "usfm.unmatched-milestone")
        elif category not in (CELL, META, HEADER):
            self._warn(f"Closing marker '\\{name}*' without an opening marker", pos,
                       "usfm.unmatched-closer")

    def _close_chars(self, start: int) -> None:
        """Close the spans from ``start`` to the top; unclosed character styles are reported."""
        chars = self.chars
        while len(chars) > start:
            name, close, kind, opened, _ = chars.pop()
            if kind == _K_CHAR:
                self._warn(f"Missing closing marker '\\{name}*'", opened, "usfm.unclosed-char")
            self.out.append(close)

    # -- notes ----------------------------------------------------------------------------------

    def _note_open(self, name: str, pos: int) -> None:
        if self.note is not None:
            self._unclosed_note(pos)
        self.pending_note = (name, pos)
        self.mode = _CALLER

    def _start_note(self, caller: str) -> None:
        assert self.pending_note is not None
        name, pos = self.pending_note
        self.pending_note = None
        if not self.block_open:
            self._open_block()
        if self.row_bare:
            self._implicit_cell()
        chapter = self.chapter or self.intro_notes
        kind = "xr" if name in ("x", "ex") else "fn"
        if kind == "fn":
            chapter.fn_count += 1
            number = chapter.fn_count
            self.verse_text = True  # a verse may hold just a note ("not in the best manuscripts")
        else:
            chapter.xr_count += 1
            number = chapter.xr_count
        verse = _first_number(self.verse) if self.verse else 0
        note_id = self._unique(f"{kind}-{self.key}-{chapter.value:03d}-{verse:03d}-{number}")
        label = escape(str(number) if caller in ("", "+", "-") else caller)
        if caller == "-":
            self.out.append(f'<sup class="{kind}-caller hidden"><a href="#{note_id}" '
                            f'id="ref-{note_id}" aria-label="{label}"></a></sup>')
        else:
            self.out.append(f'<sup class="{kind}-caller"><a href="#{note_id}" '
                            f'id="ref-{note_id}">{label}</a></sup>')
        self.note = _Note(kind, note_id, label, name, pos)
        self.flow_lstrip, self.lstrip = self.lstrip, True
        self.flow_chars = self.chars
        self.chars = self.note.chars
        self.out = self.note.parts

    def _unclosed_note(self, pos: int) -> None:
        """A note still open at a paragraph, verse, chapter or another note: report, then close."""
        note = self.note
        assert note is not None
        self._warn(f"Unclosed note '\\{note.name}' (missing '\\{note.name}*')", note.pos,
                   "usfm.unclosed-note")
        self._end_note()

    def _end_note(self) -> None:
        note = self.note
        assert note is not None
        if self.chars:
            self._close_chars(0)
        body = "".join(note.parts).strip(" ")
        chapter = self.chapter or self.intro_notes
        css = "footnote" if note.kind == "fn" else "crossref"
        target = chapter.footnotes if note.kind == "fn" else chapter.crossrefs
        target.append(f'<p class="{css}" id="{note.id}"><a href="#ref-{note.id}">{note.label}</a>'
                      f" {body}</p>\n")
        self.note = None
        self.out = self.flow
        self.chars = self.flow_chars
        self.lstrip = self.flow_lstrip

    # -- figures --------------------------------------------------------------------------------

    def _figure(self, pos: int, plus: bool) -> None:
        """``\\fig`` content is read raw up to ``\\fig*`` (its attributes may hold ``\\"``)."""
        text = self.text
        start = pos + (5 if plus else 4)
        if text[start:start + 1] in (" ", "\t"):
            start += 1
        closer = "\\+fig*" if plus else "\\fig*"
        close = self.ahead.find(closer, start)
        line_end = self.ahead.find("\n\\", start)
        if close < 0 or 0 <= line_end < close:
            end = line_end if line_end >= 0 else len(text)
            content, self.skip_to = text[start:end], end
            self._warn("Missing closing marker '\\fig*'", pos, "usfm.unclosed-char")
        else:
            content, self.skip_to = text[start:close], close + len(closer)
        self.mode = _SKIP
        caption, src, alt, ref = _figure_parts(content)
        if not caption and not src:
            self._warn("Empty figure", pos, "usfm.figure")
        if src and not _SAFE_SRC.fullmatch(src):
            self._warn(f"Figure source '{src}' is not a file name or http(s) address", pos,
                       "usfm.figure")
            src = ""
        image = (f'<img src="{escape(src)}" alt="{escape(alt or caption)}" '
                 f'{IMAGE_ATTRIBUTES_HTML}>') if src else ""
        label = escape(caption) + (f' <span class="fig-ref">{escape(ref)}</span>' if ref else "")
        if self.note is not None or self.chars:
            self.out.append(f'<span class="fig">{image}<span class="fig-caption">{label}</span>'
                            "</span>")
            return
        if self.block is None and self.chapter is not None:
            self._warn("Figure outside a paragraph (missing paragraph marker)", pos,
                       "usfm.missing-paragraph")
        block, name = self.block, self.block_name
        self._end_block(pos)
        self._close_table()
        self.flow.append(f'<figure class="fig">{image}<figcaption>{label}</figcaption>'
                         "</figure>\n")
        if block is not None:  # the paragraph goes on after the figure
            self.block, self.block_name = block, name

    # -- milestones, headers, unknown markers ---------------------------------------------------

    def _milestone(self, name: str, pos: int) -> None:
        self.mode = _ATTRIBUTES
        self.milestone_name = name
        base, _, edge = name.rpartition("-")
        if base in ("zaln", "k"):  # "\zaln-e" without "\*" (the usual forms are in text runs)
            self._alignment(1 if edge == "s" else -1, "", pos)
        elif edge == "s":
            self.open_milestones.setdefault(base, []).append(pos)
        elif edge == "e":
            opened = self.open_milestones.get(base)
            if opened:
                opened.pop()
            else:
                self._warn(f"'\\{name}' without a matching '\\{base}-s'", pos,
                           "usfm.unmatched-milestone")

    def _end_capture(self, closed: bool) -> None:
        self.mode = _NORMAL
        name = self.capture_name
        value = clean_text("".join(self.capture))[0].strip(" ")
        if "|" in value:
            value = strip_attributes(value)
        rest = ""
        if name in _INLINE_META and not closed:
            self._warn(f"Missing closing marker '\\{name}*'", self.capture_pos,
                       "usfm.unclosed-char")
            value, _, rest = value.partition(" ")  # the label is one word; the rest is text
        if name == "cl":
            if self.chapter is None:
                self.cl_prefix = value
            else:
                self.chapter.label = value
        elif name in ("cp", "ca"):
            if self.chapter is not None:
                setattr(self.chapter, name, value)
        elif name == "vp":
            if self.vnum is not None and value:
                out, index, verse_id = self.vnum
                out[index] = (f'<span class="v-num" id="{verse_id}"><sup>{escape(value)}</sup>'
                              "</span> ")
        elif name == "cat":
            if self.sidebar is not None and value:
                flow, index, _ = self.sidebar
                flow[index] = f'<aside class="esb" data-category="{escape(value)}">\n'
        else:
            if name == "id" and "id" in self.headers:
                self._warn("'\\id' in the middle of the book", self.capture_pos, "usfm.id")
            self.headers.setdefault(name, value)
        if rest:
            self._text(" " + rest, self.capture_pos)

    def _unknown(self, name: str, star: bool, pos: int) -> None:
        if not name:
            if not star:  # "\*" alone is the end of a milestone's attributes: nothing to do
                self._warn_once("\\", "Unexpected '\\' in USFM file", pos)
            return
        if name.endswith(("-s", "-e")) and not star:
            self._milestone(name, pos)  # a custom milestone: drop it with its attributes
        bare = name.lstrip("+")
        self._warn_once(bare, f"Unknown USFM token: '\\{bare}'", pos)

    # -- chapters and verses --------------------------------------------------------------------

    def _chapter(self, number: str, pos: int) -> None:
        self._end_block(pos)
        self._close_table()
        if self.sidebar is not None:
            self._close_sidebar()
        if self.depth:
            self._end_alignment()
        self._end_verse()
        current = self.chapter
        value = _first_number(number)
        if current is not None and current.implicit and value == current.value:
            current.implicit = False  # "\v" before "\c 1": the implicit chapter was chapter 1
            current.number = number
            return
        if current is not None:
            self._verse_count(current)
        previous = current.value if current else 0
        code = self.code or "???"
        ref = f"{code} {number}".rstrip()
        if number[:1] == "0" and value:
            self._warn(f"Chapter number '{number}' has leading zero", pos, "usfm.leading-zero",
                       ref)
        if not _NUMBER.search(number):
            self._error(f"Bad chapter number '{number}'" if number else "Missing chapter number",
                        pos, "usfm.chapter-number", ref)
            value = previous + 1
        elif value in self.chapter_values:
            self._error("Duplicate chapter", pos, "usfm.duplicate-chapter", ref)
        elif value < previous:
            self._error(f"Chapter out of order: after {code} {current.number}",  # type: ignore
                        pos, "usfm.chapter-order", ref)
        elif value > previous + 1:
            self._missing_chapters(previous + 1, value - 1, pos, "usfm.missing-chapter")
        self._begin_chapter(number or str(value), value, pos, implicit=False)

    def _begin_chapter(self, number: str, value: int, pos: int, implicit: bool) -> _Chapter:
        moved: list[str] = []
        if self.chapter is not None and self.tail is not None:
            moved = self.flow[self.tail:]
            del self.flow[self.tail:]
        chapter_id = self._unique(f"{self.key}-ch-{value:03d}")
        self.chapter = _Chapter(number, value, chapter_id, pos, implicit)
        self.chapter_values.add(value)
        self.chapter.pre = moved
        self.chapters.append(self.chapter)
        self.flow = self.out = self.chapter.parts
        self.tail = None
        return self.chapter

    def _verse(self, number: str, pos: int) -> None:
        if self.note is not None:
            self._unclosed_note(pos)
        if self.chars:
            self._close_chars(0)
        if self.depth:
            self._end_alignment()
        if self.verse is not None:
            self._end_verse()
        chapter = self.chapter
        interrupted = ""
        if chapter is None:
            chapter = self._implicit_chapter(pos)
        elif self.block is not None and self.block.category == HEADING:
            interrupted = self.block_name
            self._end_block(pos)
        if not self.block_open:
            if self.block is None and interrupted not in _VERSE_AFTER:
                self._warn("Missing paragraph marker before verse", pos, "usfm.missing-paragraph",
                           f"{self.code or '???'} {chapter.number}:{number}")
            self._open_block()
        if self.row_bare:
            self._implicit_cell()
        self.verse, self.verse_pos, self.verse_text = number, pos, False
        if number.isdecimal():  # the common case, without regex
            first = last = int(number)
            start = number
        else:
            start = number.split("-", 1)[0]
            first, last = _first_number(start), _last_number(number)
            if not _NUMBER.search(start):
                self.verse_id = self.vnum = None
                self._error(f"Bad verse number '{number}'" if number else "Missing verse number",
                            pos, "usfm.verse-number")
                if number:  # shown, but without an id
                    self.out.append(f'<span class="v-num"><sup>{escape(number)}</sup></span> ')
                    self.lstrip = True
                return
        if start[:1] == "0":
            self._warn(f"Verse number '{number}' has leading zero", pos, "usfm.leading-zero")
        last_verse = chapter.last_verse
        if start in chapter.seen_verses:
            self._error("Duplicated verse number", pos, "usfm.duplicate-verse")
        elif first < last_verse or (first == last_verse and start.isdecimal()):
            self._error(f"Verse out of order: after {self.code or '???'} {chapter.number}:"
                        f"{chapter.last_label}", pos, "usfm.verse-order")
        elif first > last_verse + 1:
            self._missing_verses(chapter, first, number, pos)
        chapter.seen_verses.add(start)
        if last > last_verse:
            chapter.last_verse, chapter.last_label, chapter.last_pos = last, number, pos
        verse_id = self._unique(f"{chapter.id}-v-{first:03d}")
        chapter.verse_ids.append(verse_id)
        self.verse_id = verse_id
        self.tail = None
        self.vnum = (self.out, len(self.out), verse_id)
        self.out.append(f'<span class="v-num" id="{verse_id}"><sup>{escape(number)}</sup></span> ')
        self.lstrip = True

    def _implicit_chapter(self, pos: int) -> _Chapter:
        """A verse before ``\\c 1``: keep it, in a chapter 1 that a later ``\\c 1`` adopts."""
        block = self.block if self.block and self.block.category != HEADING else None
        name = self.block_name
        self._end_block(pos)
        chapter = self._begin_chapter("1", 1, pos, implicit=True)
        self._warn("Verse before the first chapter marker ('\\c 1' assumed)", pos,
                   "usfm.missing-chapter-marker")
        self.block, self.block_name = block, name
        return chapter

    def _end_verse(self) -> None:
        if self.verse and not self.verse_text:
            self._warn("Empty verse", self.verse_pos, "usfm.empty-verse")
        self.verse, self.verse_id = None, None

    # -- versification --------------------------------------------------------------------------

    def _versification(self) -> tuple[int, ...] | None:
        """The book's verse counts, unless it is in Hebrew or Greek (see ``_ORIGINAL_SCRIPT``)."""
        counts = VERSES.get(self.code or "")
        if counts is None:
            return None
        first = self.text.find("\\v ")
        if first >= 0 and _ORIGINAL_SCRIPT.search(self.text, first, first + 2000):
            return None
        return counts

    def _missing_verses(self, chapter: _Chapter, first: int, number: str, pos: int) -> None:
        """A gap before verse ``first`` (the textual variants of ``OPTIONAL`` may be left out)."""
        missing = range(chapter.last_verse + 1, first)
        optional = OPTIONAL.get((self.code or "", chapter.value), frozenset())
        if all(v in optional for v in missing):
            return
        code = self.code or "???"
        previous = f"{code} {chapter.number}" + (f":{chapter.last_label}" if chapter.last_verse
                                                 else "")
        what = "verse" if len(missing) == 1 else "verses"
        self._warn(f"Missing {what} between this and: {code} {chapter.number}:{number}", pos,
                   "usfm.missing-verse", previous)

    def _verse_count(self, chapter: _Chapter) -> None:
        """At the end of a chapter: its last verse against the versification."""
        counts = self.counts
        if counts is None or not 1 <= chapter.value <= len(counts):
            return
        expected, last = counts[chapter.value - 1], chapter.last_verse
        if last == expected:
            return
        optional = OPTIONAL.get((self.code or "", chapter.value), frozenset())
        if last < expected and all(v in optional for v in range(last + 1, expected + 1)):
            return
        ref = f"{self.code} {chapter.number}" + (f":{chapter.last_label}" if last else "")
        anchor = chapter.verse_ids[-1] if chapter.verse_ids else chapter.id
        self._message("warning", f"{ref} - Should have {expected} verses",
                      self._line(chapter.last_pos), "usfm.verse-count", anchor)

    def _missing_chapters(self, first: int, last: int, pos: int, code: str) -> None:
        span = f"{first}" if first == last else f"{first}-{last}"
        what = "chapter" if first == last else "chapters"
        self._error(f"Missing {what}", pos, code, f"{self.code or '???'} {span}")

    # -- alignment milestones -------------------------------------------------------------------

    def _old_alignment(self, raw: str) -> None:
        """One warning per book for the 2018 alignment format (see ``OLD_MILESTONES``)."""
        for pattern in OLD_MILESTONES:
            match = pattern.search(raw)
            if match:
                self._message("warning", f"{self.code or '???'} - '\\{match.group(1)}' "
                              "milestones without '\\*' (old alignment format)",
                              raw.count("\n", 0, match.start()) + 1, "usfm.old-milestone", None)

    def _alignment(self, delta: int, run: str, pos: int) -> None:
        """Track alignment milestones per verse; the run is scanned again only on an error."""
        before = self.depth
        self.depth += delta
        if self.depth < 0:
            for offset, step in _milestones(run):
                before += step
                if before < 0:
                    pos += offset
                    break
            self._warn("'\\zaln-e' without a matching '\\zaln-s'", pos,
                       "usfm.unmatched-milestone")
            self.depth = 0
        elif self.depth > 0:
            self.depth_run = (run, pos)

    def _end_alignment(self) -> None:
        """At a verse or chapter boundary every alignment milestone must be closed."""
        run, pos = self.depth_run
        opened: list[int] = []  # offsets of the starts still open at the end of the run
        for offset, step in _milestones(run):
            if step > 0:
                opened.append(offset)
            elif opened:
                opened.pop()
        self._warn("Unclosed milestone '\\zaln-s' (missing '\\zaln-e\\*')",
                   pos + (opened[0] if opened else 0), "usfm.unclosed-milestone")
        self.depth = 0

    # -- end of book ----------------------------------------------------------------------------

    def _final_checks(self, end: int) -> None:
        if self.depth:
            self._end_alignment()
        for base, positions in self.open_milestones.items():
            for pos in positions:
                self._warn(f"Unclosed milestone '\\{base}-s'", pos, "usfm.unclosed-milestone")
        if self.sidebar is not None:
            self._close_sidebar()
        if self.chapter is not None:
            self._verse_count(self.chapter)

    def _book_checks(self, end: int) -> None:
        """Headers, and chapters against the versification (book-level: no anchor)."""
        code = self.code or "???"
        chapters = self.code not in _NO_CHAPTERS
        headers = self.headers
        missing, empty = [], []
        for name in ("h", "toc1", "toc2", "toc3", "mt") if chapters else ("h", "toc1", "toc2",
                                                                             "toc3"):
            value = headers.get(name, headers.get("mt1")) if name == "mt" else headers.get(name)
            if value is None:
                missing.append(f"\\{name}")
            elif not value:
                empty.append(f"\\{name}")
        for what, names in (("Missing", missing), ("Empty", empty)):
            if names:
                self._message("warning", f"{code} - {what} {', '.join(names)} tag"
                              f"{'s' if len(names) > 1 else ''}", 1, "usfm.missing-header", None)
        if not self.chapters:
            if chapters:
                self._message("warning", f"{code} - USFM book seems empty (no chapters)",
                              self._line(end), "usfm.empty-book", None)
            return
        if self.counts is None:
            return
        expected, top = len(self.counts), max(self.chapter_values)
        if top < expected:
            self._missing_chapters(top + 1, expected, end, "usfm.chapter-count")
        for chapter in self.chapters:
            if chapter.value > expected:
                self._warn(f"Unexpected chapter: {code} has {expected} chapters", chapter.pos,
                           "usfm.chapter-count", f"{code} {chapter.number}")

    def _result(self) -> RenderedBook:
        parts = list(self.intro)
        parts.extend(_notes_html(self.intro_notes))
        chapters = []
        for ch in self.chapters:
            label = ch.label or (f"{self.cl_prefix} {ch.cp or ch.number}" if self.cl_prefix
                                 else ch.cp or ch.number)
            alternate = f' <span class="ca">{escape(ch.ca)}</span>' if ch.ca else ""
            parts.append(f'<div class="chapter" data-chapter="{escape(ch.number)}">\n')
            parts.extend(ch.pre)
            parts.append(f'<h2 class="c-num" id="{ch.id}">{escape(label)}{alternate}</h2>\n')
            parts.extend(ch.parts)
            parts.extend(_notes_html(ch))
            parts.append("</div>\n")
            chapters.append(Chapter(ch.number, ch.id, label, ch.verse_ids))
        headers = self.headers
        title = headers.get("h") or headers.get("toc2") or headers.get("mt") or headers.get(
            "mt1") or ""
        if self.unlisted:
            self.messages.append(Message(
                "warning", f"{self.code or '???'} - {self.unlisted} more problems in this file "
                f"are not listed (only the first {MAX_MESSAGES_PER_FILE} are)", file=self.source,
                code="usfm.too-many-problems"))
        return RenderedBook(self.code, title.strip(), headers, "".join(parts), chapters,
                            self.messages, self.ahead.scanned)

    # -- helpers --------------------------------------------------------------------------------

    def _book_code(self, fallback: str | None) -> tuple[str | None, str]:
        """The book code from ``\\id`` (or the fallback) and its 3-digit anchor key."""
        match = _ID_CODE.search(self.text)
        fallback = fallback.strip().upper() if fallback else None
        found = match.group(1).upper() if match else None
        code = found if found and book(found) else fallback or found
        if match is None:
            self._message("error", f"{code or '???'} - Missing \\id tag", 1, "usfm.missing-id")
        elif code != found or book(match.group(1)) is None:
            self._message("warning" if code != found else "error",
                          f"{code} - Unknown book code '{found}' in \\id",
                          self._line(match.start()), "usfm.book-code")
        info = book(code) if code else None
        return code, info.anchor_key if info else "000"

    def _unique(self, anchor: str) -> str:
        """Ids must be unique in the page: a repeated one (duplicate verse) gets a suffix."""
        if anchor in self.ids:
            n = self.next_suffix.get(anchor, 2)  # not from 2 each time: 10⁶ "\\v 1" are linear
            while f"{anchor}-{n}" in self.ids:
                n += 1
            self.next_suffix[anchor] = n + 1
            anchor = f"{anchor}-{n}"
        self.ids.add(anchor)
        return anchor

    def _line(self, pos: int) -> int:
        """1-based line of a position; positions mostly increase, so counting is incremental."""
        if pos >= self.line_pos:
            self.line_no += self.text.count("\n", self.line_pos, pos)
        else:
            self.line_no -= self.text.count("\n", pos, self.line_pos)
        self.line_pos = pos
        return self.line_no

    def _ref(self) -> str:
        code = self.code or "???"
        chapter = self.chapter
        if chapter is None:
            return code
        if self.verse:
            return f"{code} {chapter.number}:{self.verse}"
        return f"{code} {chapter.number}"

    def _message(self, severity: Severity, text: str, line: int, code: str,
                 anchor: str | None = "") -> None:
        """``anchor`` "" means: the current verse or chapter; None: the page itself."""
        if len(self.messages) >= MAX_MESSAGES_PER_FILE:
            self.unlisted += 1
            return
        if anchor == "":
            anchor = self.verse_id or (self.chapter.id if self.chapter else None)
        self.messages.append(Message(severity, text, file=self.source, line=line, code=code,
                                     anchor=anchor))

    def _warn(self, reason: str, pos: int, code: str, ref: str | None = None) -> None:
        self._message("warning", f"{ref or self._ref()} - {reason}", self._line(pos), code)

    def _error(self, reason: str, pos: int, code: str, ref: str | None = None) -> None:
        self._message("error", f"{ref or self._ref()} - {reason}", self._line(pos), code)

    def _warn_once(self, key: str, reason: str, pos: int,
                   code: str = "usfm.unknown-marker") -> None:
        if key not in self.warned:
            self.warned.add(key)
            self._message("warning", f"{self.code or '???'} - {reason}", self._line(pos), code)



def _first_number(number: str) -> int:
    match = _NUMBER.search(number)
    return int(match.group()) if match else 0


def _last_number(number: str) -> int:
    numbers = _NUMBER.findall(number)
    return int(numbers[-1]) if numbers else 0


def _figure_parts(content: str) -> tuple[str, str, str, str]:
    """(caption, src, alt, ref) of ``\\fig`` content: USFM 3 ``caption|key="value" …`` (or a
    default ``src``), or USFM 2 ``DESC|FILE|SIZE|LOC|COPY|CAP|REF``."""
    parts = content.split("|")
    if len(parts) == 7:
        alt, src, _, _, _, caption, ref = parts
    else:
        caption, _, rest = content.partition("|")
        found = {k: v.replace('\\"', '"') for k, v in _FIG_ATTRIBUTE.findall(rest)}
        if not found and rest.strip():
            found = {"src": rest}
        src, alt, ref = found.get("src", found.get("file", "")), found.get("alt", ""), found.get(
            "ref", "")
    caption, alt, ref = (" ".join(_MARKUP.sub("", part).split()) for part in (caption, alt, ref))
    return caption, src.strip(), alt, ref


def _milestones(run: str) -> Iterator[tuple[int, int]]:
    """(offset, +1 for a start / -1 for an end) for each alignment milestone of a text run."""
    for m in _ALIGNMENT_MILESTONE.finditer(run):
        yield m.start(), 1 if m.group(1) else -1


def _notes_html(chapter: _Chapter) -> list[str]:
    parts = []
    if chapter.footnotes:
        parts.append('<div class="footnotes">\n')
        parts.extend(chapter.footnotes)
        parts.append("</div>\n")
    if chapter.crossrefs:
        parts.append('<div class="crossrefs">\n')
        parts.extend(chapter.crossrefs)
        parts.append("</div>\n")
    return parts
