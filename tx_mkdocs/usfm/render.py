"""USFM book → Door43-compatible HTML, chapter list, headers and diagnostics, in one linear pass.

The tokens of ``tokenizer.TOKEN`` drive a small state machine: the open block (paragraph or
heading, opened lazily so that empty ``\\p`` lines vanish), a stack of character spans, the open
note, the current chapter and verse. Problems never raise: they become ``Message``s in the Door43
wording ("``RUT 1:2 - …``") with the source line, and the text is always kept.

Ids are those of the old Door43 HTML, so that links in the wild keep working: ``BBB-ch-CCC``,
``BBB-ch-CCC-v-VVV``, ``fn-BBB-CCC-VVV-n`` / ``ref-fn-…``, ``xr-…`` (BBB = anchor key, 040 = MAT).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape

from ..core.books import book
from ..core.log import Message, Severity
from .markers import (
    BLANK,
    CELL,
    CHAPTER_LABEL,
    CHAPTER_PUB,
    CHAR,
    HEADER,
    HEADING,
    IGNORE,
    IMPLICIT_PARAGRAPH,
    MARKERS,
    MILESTONE,
    NOTE,
    NOTE_CHAR,
    TITLE_MARKERS,
    Marker,
)
from .tokenizer import CLOSER_AT, TOKEN, clean_text, normalize, strip_alignment, strip_attributes


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


def render_book(text: str, *, source: str = "", fallback_code: str | None = None) -> RenderedBook:
    """Render one USFM book. ``source`` names the file in messages; ``fallback_code`` is used when
    ``\\id`` is missing or unknown. Never raises on content: problems are in ``messages``."""
    return _Renderer(text, source, fallback_code).run()


_ID_CODE = re.compile(r"\\id[ \t]+([^\s\\]+)")
_NUMBER = re.compile(r"\d+")
_ALIGNMENT_MILESTONE = re.compile(r"\\(?:zaln|k)-(?:(s)|e\\\*)")

# Kinds of entries on the character stack; only unclosed CHAR spans deserve a warning.
_K_CHAR, _K_NOTE_CHAR, _K_CELL = 0, 1, 2
# Modes: what the next token means.
_NORMAL, _CAPTURE, _CALLER, _ATTRIBUTES = 0, 1, 2, 3


class _Chapter:
    """A chapter being built: its HTML parts and its notes."""

    __slots__ = (
        "cp",
        "crossrefs",
        "fn_count",
        "footnotes",
        "id",
        "implicit",
        "label",
        "last_verse",
        "number",
        "parts",
        "pre",
        "seen_verses",
        "value",
        "verse_ids",
        "xr_count",
    )

    def __init__(self, number: str, value: int, chapter_id: str, implicit: bool = False):
        self.number, self.value, self.id = number, value, chapter_id
        self.label: str | None = None  # literal \cl after \c
        self.cp: str | None = None
        self.implicit = implicit
        self.pre: list[str] = []  # headings that came after the previous chapter's last verse
        self.parts: list[str] = []
        self.footnotes: list[str] = []
        self.crossrefs: list[str] = []
        self.fn_count = self.xr_count = 0
        self.verse_ids: list[str] = []
        self.seen_verses: set[str] = set()
        self.last_verse = 0


class _Note:
    __slots__ = ("chars", "id", "kind", "label", "name", "parts", "pos")

    def __init__(self, kind: str, note_id: str, label: str, name: str, pos: int):
        self.kind, self.id, self.label, self.name, self.pos = kind, note_id, label, name, pos
        self.parts: list[str] = []
        self.chars: list[tuple[str, str, int, int]] = []


class _Renderer:
    def __init__(self, text: str, source: str, fallback_code: str | None) -> None:
        self.source = source or None
        self.text = strip_alignment(normalize(text))
        self.depth = 0  # open alignment milestones (\zaln-s, \k-s) in the current verse
        self.depth_run: tuple[str, int] = ("", 0)  # the last run that left some open
        self.messages: list[Message] = []
        self.headers: dict[str, str] = {}
        self.ids: set[str] = set()
        self.warned: set[str] = set()
        self.line_pos, self.line_no = 0, 1

        self.intro: list[str] = []
        self.intro_notes = _Chapter("", 0, "")  # holds notes that come before \c 1
        self.chapters: list[_Chapter] = []
        self.chapter: _Chapter | None = None
        self.cl_prefix = ""
        self.flow = self.intro  # where blocks of the main text go
        self.out = self.intro  # where text goes now: the flow, or the body of the open note
        self.tail: int | None = None  # index in flow where trailing headings start

        self.block: Marker | None = None  # current paragraph/heading (maybe not yet opened)
        self.block_name = ""
        self.block_open = False
        self.lstrip = True  # drop leading space of the next text (start of block, after \v)
        self.chars: list[tuple[str, str, int, int]] = []  # (name, closing tag, kind, position)
        self.flow_chars = self.chars
        self.note: _Note | None = None
        self.flow_lstrip = True
        self.plain: list[str] | None = None  # plain text of a title block, for headers

        self.verse: str | None = None
        self.verse_id: str | None = None
        self.verse_pos = 0
        self.verse_text = False

        self.mode = _NORMAL
        self.capture_name = ""
        self.capture: list[str] = []
        self.pending_note: tuple[str, int] | None = None
        self.open_milestones: dict[str, list[int]] = {}
        self.chapter_values: set[int] = set()
        self.code, self.key = self._book_code(fallback_code)

    # -- driver ---------------------------------------------------------------------------------

    def run(self) -> RenderedBook:
        text = self.text
        markers = MARKERS
        for m in TOKEN.finditer(text):
            run, cv, number, plus, name, star = m.groups()
            if self.mode:
                if self._mode_token(run, name, m.start(), m.end()):
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
        self._mode_token(None, None, end, end)
        self._end_block(end)
        self._final_checks()
        self._end_verse()
        return self._result()

    def _mode_token(self, run: str | None, name: str | None, start: int, end: int) -> bool:
        """Handle the token that a mode waits for; True if the token was consumed."""
        mode = self.mode
        if mode == _CAPTURE:
            if run is not None:
                self.capture.append(run)
                return True
            if name is not None:  # character markup inside a header: keep only its text
                info = MARKERS.get(name)
                if info is None:
                    self._unknown(name, False, start)
                    return True
                if info.category in (CHAR, NOTE_CHAR):
                    return True
            self._end_capture()
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
            newline = run.find("\n")
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
            text = strip_attributes(text, CLOSER_AT.match(self.text, end) is not None)
        if self.note is None and not self.block_open:
            if not text.strip(" "):
                return
            self._open_block()
        if self.lstrip:
            text = text.lstrip(" ")
        if not text:
            return
        self.out.append(escape(text))
        self.lstrip = text[-1] == " "  # one space between words, even across tokens
        if self.plain is not None:
            self.plain.append(text)
        if self.note is None and not self.verse_text and text.strip(" "):
            self.verse_text = True

    # -- blocks ---------------------------------------------------------------------------------

    def _marker(self, name: str, info: Marker, plus: bool, pos: int) -> None:
        category = info.category
        if category == CHAR or category == NOTE_CHAR or category == CELL:
            self._char_open(name, info, plus, pos)
        elif category == IGNORE:
            return
        elif category == NOTE:
            self._note_open(name, pos)
        elif category == MILESTONE:
            self._milestone(name, pos)
        elif category == HEADER or category == CHAPTER_LABEL or category == CHAPTER_PUB:
            self.mode = _CAPTURE
            self.capture_name, self.capture = name, []
        else:  # PARA, HEADING, BLANK
            self._end_block(pos)
            if category == BLANK:
                self.flow.append(info.open)
                return
            self.block, self.block_name = info, name
            if name in TITLE_MARKERS:
                self.plain = []

    def _open_block(self) -> None:
        """Emit the opening tag of the current block; text outside any block gets a ``<p>``."""
        if self.block is None:
            self.block, self.block_name = IMPLICIT_PARAGRAPH, "p"
        if self.block.category == HEADING:
            if self.tail is None and self.chapter is not None:
                self.tail = len(self.flow)
        else:
            self.tail = None
        self.flow.append(self.block.open)
        self.block_open = True
        self.lstrip = True

    def _end_block(self, pos: int) -> None:
        """Close the open note, character spans and block (a paragraph marker ends them all)."""
        if self.note is not None:
            self._unclosed_note(pos)
        if self.chars:
            self._close_chars(0)
        if self.block_open:
            flow = self.flow
            if flow[-1].endswith(" "):
                flow[-1] = flow[-1].rstrip(" ")
            flow.append(self.block.close)  # type: ignore[union-attr]
            if self.plain is not None:
                self.headers.setdefault(self.block_name, "".join(self.plain).strip(" "))
        self.plain = None
        self.block, self.block_open = None, False

    # -- character spans ------------------------------------------------------------------------

    def _char_open(self, name: str, info: Marker, plus: bool, pos: int) -> None:
        if self.note is None and not self.block_open:
            self._open_block()
        chars = self.chars
        kind = _K_NOTE_CHAR if info.category == NOTE_CHAR and self.note else (
            _K_CELL if info.category == CELL else _K_CHAR)
        if chars and not plus:
            if chars[-1][0] == name and kind != _K_CELL:
                # "\fqa … \fqa ." : an opener where the closer belongs (Luke 2:49 in ULT v1).
                self._warn(f"Found '\\{name}' where '\\{name}*' was expected", pos,
                           "usfm.opener-for-closer")
                self.out.append(chars.pop()[1])
                return
            if kind != _K_CHAR:  # a note character or a cell ends the previous ones
                first = next((i for i, c in enumerate(chars) if c[2] == kind), None)
                if first is not None:
                    self._close_chars(first)
        chars.append((name, info.close, kind, pos))
        self.out.append(info.open)

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
        elif category in (CHAR, NOTE_CHAR, CELL):
            chars = self.chars
            for i in range(len(chars) - 1, -1, -1):
                if chars[i][0] == name:
                    self._close_chars(i + 1)
                    self.out.append(chars.pop()[1])
                    return
            self._warn(f"Closing marker '\\{name}*' without an opening marker", pos,
                       "usfm.unmatched-closer")

    def _close_chars(self, start: int) -> None:
        """Close the spans from ``start`` to the top; unclosed character styles are reported."""
        chars = self.chars
        while len(chars) > start:
            name, close, kind, opened = chars.pop()
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
        chapter = self.chapter or self.intro_notes
        kind = "xr" if name in ("x", "ex") else "fn"
        if kind == "fn":
            chapter.fn_count += 1
            number = chapter.fn_count
        else:
            chapter.xr_count += 1
            number = chapter.xr_count
        verse = _first_number(self.verse) if self.verse else 0
        note_id = self._unique(f"{kind}-{self.key}-{chapter.value:03d}-{verse:03d}-{number}")
        label = escape(str(number) if caller in ("", "+", "-") else caller)
        self.out.append(f'<sup class="{kind}-caller"><a href="#{note_id}" id="ref-{note_id}">'
                        f"{label}</a></sup>")
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

    # -- milestones, headers, unknown markers ---------------------------------------------------

    def _milestone(self, name: str, pos: int) -> None:
        self.mode = _ATTRIBUTES
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

    def _end_capture(self) -> None:
        self.mode = _NORMAL
        name = self.capture_name
        value = clean_text("".join(self.capture))[0].strip(" ")
        if "|" in value:
            value = strip_attributes(value, False)
        if name == "cl":
            if self.chapter is None:
                self.cl_prefix = value
            else:
                self.chapter.label = value
        elif name == "cp":
            if self.chapter is not None:
                self.chapter.cp = value
        else:
            self.headers.setdefault(name, value)

    def _unknown(self, name: str, star: bool, pos: int) -> None:
        if not name:
            if not star:  # "\*" alone is the end of a milestone's attributes: nothing to do
                self._warn_once("\\", "Unexpected '\\' in USFM file", pos)
            return
        if name.endswith(("-s", "-e")) and not star:
            self._milestone(name, pos)  # a custom milestone: drop it with its attributes
        bare = name.lstrip("+")
        self._warn_once(bare, f"Unknown USFM marker '\\{bare}'", pos)

    # -- chapters and verses --------------------------------------------------------------------

    def _chapter(self, number: str, pos: int) -> None:
        self._end_block(pos)
        if self.depth:
            self._end_alignment()
        self._end_verse()
        current = self.chapter
        value = _first_number(number)
        if current is not None and current.implicit and value == current.value:
            current.implicit = False  # "\v" before "\c 1": the implicit chapter was chapter 1
            current.number = number
            return
        previous = current.value if current else 0
        ref = f"{self.code or '???'} {number}".rstrip()
        if not _NUMBER.search(number):
            self._error(f"Bad chapter number '{number}'" if number else "Missing chapter number",
                        pos, "usfm.chapter-number", ref)
            value = previous + 1
        elif value in self.chapter_values:
            self._error("Duplicate chapter", pos, "usfm.duplicate-chapter", ref)
        elif value < previous:
            self._error(f"Chapter out of order (after {previous})", pos, "usfm.chapter-order",
                        ref)
        elif value > previous + 1 and current is not None:
            self._warn(f"Missing chapter(s) between {previous} and {value}", pos,
                       "usfm.missing-chapter", ref)
        self._begin_chapter(number or str(value), value, implicit=False)

    def _begin_chapter(self, number: str, value: int, implicit: bool) -> _Chapter:
        moved: list[str] = []
        if self.chapter is not None and self.tail is not None:
            moved = self.flow[self.tail:]
            del self.flow[self.tail:]
        chapter_id = self._unique(f"{self.key}-ch-{value:03d}")
        self.chapter = _Chapter(number, value, chapter_id, implicit)
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
        if chapter is None:
            chapter = self._implicit_chapter(pos)
        elif self.block is not None and self.block.category == HEADING:
            self._end_block(pos)
        if not self.block_open:
            self._open_block()
        self.verse, self.verse_pos, self.verse_text = number, pos, False
        if number.isdecimal():  # the common case, without regex
            first = last = int(number)
            start = number
        else:
            start = number.split("-", 1)[0]
            first, last = _first_number(start), _last_number(number)
            if not _NUMBER.search(start):
                self.verse_id = None
                self._error(f"Bad verse number '{number}'" if number else "Missing verse number",
                            pos, "usfm.verse-number")
                if number:  # shown, but without an id
                    self.out.append(f'<span class="v-num"><sup>{escape(number)}</sup></span> ')
                    self.lstrip = True
                return
        last_verse = chapter.last_verse
        if start in chapter.seen_verses:
            self._error(f"Duplicated verse number '{number}'", pos, "usfm.duplicate-verse")
        elif first < last_verse or (first == last_verse and start.isdecimal()):
            self._error(f"Verse out of order ({number} after {last_verse})", pos,
                        "usfm.verse-order")
        chapter.seen_verses.add(start)
        if last > last_verse:
            chapter.last_verse = last
        verse_id = self._unique(f"{chapter.id}-v-{first:03d}")
        chapter.verse_ids.append(verse_id)
        self.verse_id = verse_id
        self.tail = None
        self.out.append(f'<span class="v-num" id="{verse_id}"><sup>{escape(number)}</sup></span> ')
        self.lstrip = True

    def _implicit_chapter(self, pos: int) -> _Chapter:
        """A verse before ``\\c 1``: keep it, in a chapter 1 that a later ``\\c 1`` adopts."""
        block = self.block if self.block and self.block.category != HEADING else None
        name = self.block_name
        self._end_block(pos)
        chapter = self._begin_chapter("1", 1, implicit=True)
        self._warn("Verse before the first chapter marker ('\\c 1' assumed)", pos,
                   "usfm.missing-chapter-marker")
        self.block, self.block_name = block, name
        return chapter

    def _end_verse(self) -> None:
        if self.verse and not self.verse_text:
            self._warn("Empty verse", self.verse_pos, "usfm.empty-verse")
        self.verse, self.verse_id = None, None

    # -- alignment milestones -------------------------------------------------------------------

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

    def _final_checks(self) -> None:
        if self.depth:
            self._end_alignment()
        for base, positions in self.open_milestones.items():
            for pos in positions:
                self._warn(f"Unclosed milestone '\\{base}-s'", pos, "usfm.unclosed-milestone")

    def _result(self) -> RenderedBook:
        parts = list(self.intro)
        parts.extend(_notes_html(self.intro_notes))
        chapters = []
        for ch in self.chapters:
            label = ch.label or (f"{self.cl_prefix} {ch.cp or ch.number}" if self.cl_prefix
                                 else ch.cp or ch.number)
            parts.append(f'<div class="chapter" data-chapter="{escape(ch.number)}">\n')
            parts.extend(ch.pre)
            parts.append(f'<h2 class="c-num" id="{ch.id}">{escape(label)}</h2>\n')
            parts.extend(ch.parts)
            parts.extend(_notes_html(ch))
            parts.append("</div>\n")
            chapters.append(Chapter(ch.number, ch.id, label, ch.verse_ids))
        headers = self.headers
        title = headers.get("h") or headers.get("toc2") or headers.get("mt") or headers.get(
            "mt1") or ""
        return RenderedBook(self.code, title.strip(), headers, "".join(parts), chapters,
                            self.messages)

    # -- helpers --------------------------------------------------------------------------------

    def _book_code(self, fallback: str | None) -> tuple[str | None, str]:
        """The book code from ``\\id`` (or the fallback) and its 3-digit anchor key."""
        match = _ID_CODE.search(self.text)
        fallback = fallback.strip().upper() if fallback else None
        found = match.group(1).upper() if match else None
        code = found if found and book(found) else fallback or found
        if match is None:
            self._message("error", f"{code or '???'} - Missing \\id tag", 1, "usfm.missing-id")
        elif code != found or book(found) is None:
            self._message("warning" if code != found else "error",
                          f"{code} - Unknown book code '{found}' in \\id",
                          self._line(match.start()), "usfm.book-code")
        info = book(code) if code else None
        return code, info.anchor_key if info else "000"

    def _unique(self, anchor: str) -> str:
        """Ids must be unique in the page: a repeated one (duplicate verse) gets a suffix."""
        if anchor in self.ids:
            n = 2
            while f"{anchor}-{n}" in self.ids:
                n += 1
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

    def _message(self, severity: Severity, text: str, line: int, code: str) -> None:
        anchor = self.verse_id or (self.chapter.id if self.chapter else None)
        self.messages.append(Message(severity, text, file=self.source, line=line, code=code,
                                     anchor=anchor))

    def _warn(self, reason: str, pos: int, code: str, ref: str | None = None) -> None:
        self._message("warning", f"{ref or self._ref()} - {reason}", self._line(pos), code)

    def _error(self, reason: str, pos: int, code: str, ref: str | None = None) -> None:
        self._message("error", f"{ref or self._ref()} - {reason}", self._line(pos), code)

    def _warn_once(self, key: str, reason: str, pos: int) -> None:
        if key not in self.warned:
            self.warned.add(key)
            self._message("warning", f"{self.code or '???'} - {reason}", self._line(pos),
                          "usfm.unknown-marker")


def _first_number(number: str) -> int:
    match = _NUMBER.search(number)
    return int(match.group()) if match else 0


def _last_number(number: str) -> int:
    numbers = _NUMBER.findall(number)
    return int(numbers[-1]) if numbers else 0


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
