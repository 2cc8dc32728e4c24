"""USFM book → Door43-compatible HTML, chapter list, headers and diagnostics, in one linear pass.

The tokens of ``tokenizer.TOKEN`` drive a small state machine. The renderer holds the walk: which
token means what (a few modes wait for a note's caller, a header's text, a milestone's attributes
or the end of a figure), the text itself, and the order in which constructs end (a verse ends the
open note, a paragraph ends the character spans …). Each construct keeps its state in its own
module: ``blocks`` (paragraphs, with ``tables``), ``spans``, ``notes``, ``capture``, ``figures``,
``milestones``, ``chapters`` (chapters and verses); the numbering, versification and end-of-book
rules are in ``checks``. Problems never raise: they become messages in the Door43 wording
(``report``), and the text is always kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from ..core.log import Message
from ..core.numerals import WESTERN_DIGITS, site_digits
from .blocks import Blocks
from .capture import Capture
from .chapters import Chapter, DraftChapter, Position, UniqueIds
from .checks import Checks, book_code, old_alignment
from .figures import read_figure
from .markers import (
    BLANK,
    CELL,
    CHAR,
    DEFAULT_ATTRIBUTE,
    FIGURE,
    HEADER,
    HEADING,
    IGNORE,
    MARKERS,
    META,
    MILESTONE,
    NOTE,
    NOTE_CHAR,
    PARA,
    ROW,
    SIDEBAR,
    Marker,
)
from .milestones import Alignment, Milestones
from .notes import Note, split_caller
from .report import Report
from .spans import Spans
from .tokenizer import (
    CLOSER_AT,
    TOKEN,
    Lookahead,
    attributes_ok,
    clean_text,
    normalize,
    strip_alignment,
    strip_attributes,
)

_ZWSP_IN_HEBREW_WORD = re.compile("(?<=[\u0590-\u05ff])\u200b(?=[\u0590-\u05ff])")


@dataclass
class RenderedBook:
    """A book ready to be placed in a page."""

    code: str | None  # upper-case book code from \id (or the fallback code)
    title: str  # \h, else \toc2, else \mt / \mt1, else ""
    headers: dict[str, str]  # identification markers as found (text only): id, ide, h, toc1 …
    html: str  # intro + chapters (each with its footnotes)
    chapters: list[Chapter]
    messages: list[Message]
    #: The digits its numbers are shown in, and its evidence for the site's: digits → its
    #: chapter and verse numbers and labels written in them (:mod:`tx_mkdocs.core.numerals`).
    digits: str = WESTERN_DIGITS
    numerals: dict[str, int] = field(default_factory=dict)
    #: Characters the look-aheads read (:class:`Lookahead`): at most the text's length per
    #: needle, whatever the text; the bounds tests check it.
    scanned: int = 0


def render_book(text: str, *, source: str = "", fallback_code: str | None = None,
                language: str = "en", digits: str | None = None) -> RenderedBook:
    """Render one USFM book. ``source`` names the file in messages; ``fallback_code`` is used when
    ``\\id`` is missing or unknown; ``language`` (the site's) words the default chapter headings;
    ``digits`` (the site's) write the numbers the source does not, by default those of the
    book's own evidence. Never raises on content: problems are in ``messages``."""
    return _Renderer(text, source, fallback_code, language, digits).run()


#: Non-verse paragraphs that may lead into a verse (``\\lit Glory: \\v 9 …``): no warning there.
_VERSE_AFTER = frozenset(("lit", "iex"))
#: Labels of a chapter or a verse (the other captured markers are headers).
_LABELS = frozenset(("cl", "cp", "ca", "vp"))

# Modes: what the next token means.
_NORMAL, _CAPTURE, _CALLER, _ATTRIBUTES, _SKIP = 0, 1, 2, 3, 4


class _Renderer:
    """The walk over the tokens: blocks, character spans and the text; the rest is delegated."""

    def __init__(self, text: str, source: str, fallback_code: str | None,
                 language: str, digits: str | None) -> None:
        self.language, self.digits = language, digits
        raw = normalize(text)
        self.text = strip_alignment(raw)
        self.ahead = Lookahead(self.text)
        self.report = report = Report(self.text, source)
        self.code, key = book_code(self.text, fallback_code, report)
        report.code = self.code
        self.checks = Checks(self.text, self.code, report)
        self.ids = UniqueIds()
        self.position = Position(key, self.checks, report, self.ids)
        report.place = self.position
        self.alignment = Alignment(report)
        self.milestones = Milestones(report)
        self.headers: dict[str, str] = {}
        self.intro: list[str] = []
        self.blocks = Blocks(self.intro, self.headers)
        self.flow_spans = Spans(self.intro, self.text, report)  # inline in the blocks' flow
        self.spans = self.flow_spans  # where text goes now: the flow, or the open note's body
        self.lstrip = True  # drop leading space of the next text (start of block, after \v)
        self.note: Note | None = None
        self.flow_lstrip = True  # lstrip of the flow, while a note is open

        self.mode = _NORMAL
        self.capture: Capture | None = None  # mode _CAPTURE
        self.pending_note: tuple[str, int] | None = None  # mode _CALLER: (name, pos)
        self.milestone_name = ""  # mode _ATTRIBUTES
        self.skip_to = 0  # mode _SKIP
        old_alignment(raw, report)

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
        self.blocks.table.close(self.blocks.flow)
        self.alignment.end()
        self.milestones.end_of_book()
        self.blocks.close_sidebar(self.report)
        position = self.position
        if position.chapter is not None:
            self.checks.verse_count(position.chapter)
        position.end_verse()
        self.checks.end_of_book(self.headers, position.chapters, position.values, end)
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
            capture = self.capture
            assert capture is not None
            if run is not None:
                capture.parts.append(run)
                return True
            if name is not None:  # character markup inside a header: keep only its text
                info = MARKERS.get(name)
                if info is None:
                    self._unknown(name, bool(star), start)
                    return True
                if capture.closed_by(name, star):
                    self._end_capture(closed=True)
                    return True
                if capture.holds(info, plus):
                    return True
            self._end_capture(closed=False)
            return False
        self.mode = _NORMAL
        if mode == _CALLER:
            caller, run = split_caller(run)
            self._start_note(caller)
            if run is not None:
                self._text(run, end)
                return True
        elif mode == _ATTRIBUTES and run is not None and run.lstrip(" \t").startswith("|"):
            if self.text.startswith("\\*", end):  # the attributes end at "\*", even lines later
                if "\n" in run:
                    self.report.warn(f"Line break inside the attributes of "
                                     f"'\\{self.milestone_name}'", start, "usfm.attributes")
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
            self.alignment.step(delta, run, end - len(run))
        if "|" in text:
            text = self._attributes(text, end)
        blocks, note = self.blocks, self.note
        if note is None:
            if not blocks.is_open:
                if not text.strip(" "):
                    return
                self._open_for_content("Text", end - len(run.lstrip()))
            if blocks.table.row_bare:
                blocks.table.implicit_cell(blocks.flow)
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
        self.spans.out.append(html)
        self.lstrip = text[-1:] == " "  # one space between words, even across tokens
        if blocks.plain is not None:
            blocks.plain.append(text)
        if note is None and not self.position.verse_text and text.strip(" "):
            self.position.verse_text = True

    def _attributes(self, text: str, end: int) -> str:
        """Drop ``|attributes`` from a text run; check them when they belong to a closing marker."""
        closer = CLOSER_AT.match(self.text, end)
        if closer is None:
            return strip_attributes(text)
        bar = text.index("|")
        attributes = text[bar + 1:]
        name = closer.group()[1:-1].lstrip("+")
        if not attributes_ok(attributes, name in DEFAULT_ATTRIBUTE or name.startswith("z")):
            self.report.warn(f"Invalid attributes for '\\{name}': '{attributes.strip()}'", end,
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
            if self.note is not None:
                self._unclosed_note(pos)
            self.pending_note = (name, pos)
            self.mode = _CALLER
        elif category == CELL:
            self._cell(name, info, pos)
        elif category == MILESTONE:
            self._milestone(name, pos)
        elif category == HEADER or category == META:
            self.mode = _CAPTURE
            self.capture = Capture(name, pos)
        elif category == FIGURE:
            self._figure(pos, plus)
        elif category == SIDEBAR:
            self._end_block(pos)
            self.blocks.aside(name, info, pos, self.report)
        else:  # PARA, HEADING, ROW, BLANK
            self._end_block(pos)
            if category == BLANK:
                self.blocks.append(info.open)
            else:
                self.blocks.start(info, name, pos)

    def _open_block(self) -> None:
        """Open the current block (a paragraph before ``\\c 1`` is worth a warning)."""
        blocks = self.blocks
        in_chapter = self.position.chapter is not None
        if not in_chapter and blocks.marker is not None and blocks.marker.category == PARA:
            self.checks.paragraph_before_chapter(blocks.name, blocks.pos)
        blocks.open(in_chapter)
        self.lstrip = True

    def _open_for_content(self, what: str, pos: int) -> None:
        """Open the block for text or a figure; outside any block that is worth a warning."""
        if self.blocks.marker is None and self.position.chapter is not None:
            self.report.warn(f"{what} outside a paragraph (missing paragraph marker)", pos,
                             "usfm.missing-paragraph")
        self._open_block()

    def _open_inline(self) -> None:
        """Inline content (a span, a note) in the flow: open the block, and a cell in a row."""
        blocks = self.blocks
        if not blocks.is_open:
            self._open_block()
        if blocks.table.row_bare:
            blocks.table.implicit_cell(blocks.flow)

    def _end_block(self, pos: int) -> None:
        """Close the open note, character spans, cell and block (a paragraph marker ends them)."""
        if self.note is not None:
            self._unclosed_note(pos)
        if self.spans.stack:
            self.spans.close_from(0)
        self.blocks.close()

    def _cell(self, name: str, info: Marker, pos: int) -> None:
        if self.note is not None:  # a cell marker inside a note: keep the text, drop the marker
            return
        blocks = self.blocks
        if blocks.marker is None or blocks.marker.category != ROW:
            self._end_block(pos)  # a cell without \tr: an implicit row
            blocks.marker, blocks.name = MARKERS["tr"], "tr"
        if not blocks.is_open:
            self._open_block()
        table = blocks.table
        if table.cell is not None:
            if self.spans.stack:
                self.spans.close_from(0)
            table.close_cell(blocks.flow)
        table.start_cell(name, info, pos, blocks.flow, self.report)
        self.lstrip = True

    # -- character spans ------------------------------------------------------------------------

    def _char_open(self, name: str, info: Marker, plus: bool, pos: int) -> None:
        if self.note is None:
            self._open_inline()
            if info.category == NOTE_CHAR and name != "xt":  # \xt may link from the text too
                self.report.warn(f"'\\{name}' outside a note", pos, "usfm.note-char")
        self.spans.open(name, info, plus, pos, self.note is not None)

    def _closer(self, name: str, info: Marker, pos: int) -> None:
        category = info.category
        if category == NOTE:
            if self.note is None:
                self.report.warn(f"Closing marker '\\{name}*' without an opening marker", pos,
                                 "usfm.unmatched-closer")
            else:
                if name != self.note.name:
                    self.report.warn(f"Note '\\{self.note.name}' closed by '\\{name}*'", pos,
                                     "usfm.mismatched-closer")
                self._end_note()
        elif category == CHAR or category == NOTE_CHAR:
            self.spans.close(name, pos)
        elif category == MILESTONE:
            self.report.warn(f"Malformed milestone '\\{name}*' (expected '\\{name}\\*')", pos,
                             "usfm.unmatched-milestone")
        elif category not in (CELL, META, HEADER):
            self.report.warn(f"Closing marker '\\{name}*' without an opening marker", pos,
                             "usfm.unmatched-closer")

    # -- notes ----------------------------------------------------------------------------------

    def _start_note(self, caller: str) -> None:
        """The note's caller is known: number the note, and write its text into it from now."""
        assert self.pending_note is not None
        name, pos = self.pending_note
        self.pending_note = None
        self._open_inline()
        position = self.position
        note, html = position.notes().open(name, pos, caller, position.note_place(),
                                             self.ids.unique)
        if note.kind == "fn":
            position.verse_text = True  # a verse may hold just a note ("not in the best mss.")
        out, lstrip = self.spans.out, self.lstrip
        if out and out[-1].endswith(" "):  # the caller sits on the word before it
            out[-1] = out[-1].rstrip(" ")
            lstrip = False
        out.append(html)
        self.note = note
        self.flow_lstrip, self.lstrip = lstrip, True
        self.spans = self.flow_spans.for_note(note.parts)

    def _unclosed_note(self, pos: int) -> None:
        """A note still open at a paragraph, verse, chapter or another note: report, then close."""
        note = self.note
        assert note is not None
        self.report.warn(f"Unclosed note '\\{note.name}' (missing '\\{note.name}*')", note.pos,
                         "usfm.unclosed-note")
        self._end_note()

    def _end_note(self) -> None:
        note = self.note
        assert note is not None
        if self.spans.stack:
            self.spans.close_from(0)
        self.position.notes().close(note)
        self.note = None
        self.spans = self.flow_spans
        self.lstrip = self.flow_lstrip

    # -- figures, milestones, headers, unknown markers ------------------------------------------

    def _figure(self, pos: int, plus: bool) -> None:
        figure, self.skip_to = read_figure(self.text, self.ahead, pos, plus, self.report)
        self.mode = _SKIP
        if self.note is not None or self.spans.stack:
            self.spans.out.append(figure.inline())
            return
        blocks = self.blocks
        if blocks.marker is None and self.position.chapter is not None:
            self.report.warn("Figure outside a paragraph (missing paragraph marker)", pos,
                             "usfm.missing-paragraph")
        block, name = blocks.marker, blocks.name
        self._end_block(pos)
        blocks.append(figure.block())
        if block is not None:  # the paragraph goes on after the figure
            blocks.marker, blocks.name = block, name

    def _milestone(self, name: str, pos: int) -> None:
        self.mode = _ATTRIBUTES
        self.milestone_name = name
        base, _, edge = name.rpartition("-")
        if base in ("zaln", "k"):  # "\zaln-e" without "\*" (the usual forms are in text runs)
            self.alignment.step(1 if edge == "s" else -1, "", pos)
        elif edge == "s":
            self.milestones.start(base, pos)
        elif edge == "e":
            self.milestones.end(name, base, pos)

    def _end_capture(self, closed: bool) -> None:
        self.mode = _NORMAL
        capture = self.capture
        assert capture is not None
        name = capture.name
        value, rest = capture.finish(closed, self.report)
        if name in _LABELS:
            self.position.label(name, value)
        elif name == "cat":
            self.blocks.sidebar.categorize(value)
        else:
            if name == "id" and "id" in self.headers:
                self.report.warn("'\\id' in the middle of the book", capture.pos, "usfm.id")
            self.headers.setdefault(name, value)
        if rest:
            self._text(" " + rest, capture.pos)

    def _unknown(self, name: str, star: bool, pos: int) -> None:
        if not name:
            if not star:  # "\*" alone is the end of a milestone's attributes: nothing to do
                self.report.warn_once("\\", "Unexpected '\\' in USFM file", pos)
            return
        if name.endswith(("-s", "-e")) and not star:
            self._milestone(name, pos)  # a custom milestone: drop it with its attributes
        bare = name.lstrip("+")
        self.report.warn_once(bare, f"Unknown USFM token: '\\{bare}'", pos)

    # -- chapters and verses --------------------------------------------------------------------

    def _chapter(self, number: str, pos: int) -> None:
        self._end_block(pos)
        self.blocks.table.close(self.blocks.flow)
        self.blocks.close_sidebar(self.report)
        self.alignment.end()
        self.position.end_verse()
        chapter = self.position.open_chapter(number, pos)
        if chapter is not None:
            self._enter(chapter)

    def _enter(self, chapter: DraftChapter) -> None:
        """Text goes into a new chapter; headings after the last verse move along with it."""
        chapter.pre = self.blocks.enter(chapter.parts)
        self.flow_spans.out = chapter.parts

    def _verse(self, number: str, pos: int) -> None:
        if self.note is not None:
            self._unclosed_note(pos)
        if self.spans.stack:
            self.spans.close_from(0)
        if self.alignment.depth:  # the common case, none open, without a call: once per verse
            self.alignment.end()
        position = self.position
        if position.verse is not None:
            position.end_verse()
        chapter = position.chapter
        blocks = self.blocks
        interrupted = ""
        if chapter is None:
            chapter = self._implicit_chapter(pos)
        elif blocks.marker is not None and blocks.marker.category == HEADING:
            interrupted = blocks.name
            self._end_block(pos)
        if not blocks.is_open:
            if blocks.marker is None and interrupted not in _VERSE_AFTER:
                self.report.warn("Missing paragraph marker before verse", pos,
                                 "usfm.missing-paragraph",
                                 f"{self.report.book} {chapter.number}:{number}")
            self._open_block()
        if blocks.table.row_bare:
            blocks.table.implicit_cell(blocks.flow)
        if position.open_verse(number, pos, self.spans.out) is not None:
            blocks.tail = None
        if number:  # a verse mark was written (with an id or not)
            self.lstrip = True

    def _implicit_chapter(self, pos: int) -> DraftChapter:
        """A verse before ``\\c 1``: keep it, in a chapter 1 that a later ``\\c 1`` adopts."""
        blocks = self.blocks
        block = blocks.marker if blocks.marker and blocks.marker.category != HEADING else None
        name = blocks.name
        self._end_block(pos)
        chapter = self.position.begin_chapter("1", 1, pos, implicit=True)
        self._enter(chapter)
        self.report.warn("Verse before the first chapter marker ('\\c 1' assumed)", pos,
                         "usfm.missing-chapter-marker")
        blocks.marker, blocks.name = block, name
        return chapter

    # -- the page -------------------------------------------------------------------------------

    def _result(self) -> RenderedBook:
        numerals = self.position.numerals
        digits = self.digits or site_digits([numerals])
        html, chapters = self.position.page(self.intro, self.language, digits)
        headers = self.headers
        title = headers.get("h") or headers.get("toc2") or headers.get("mt") or headers.get(
            "mt1") or ""
        return RenderedBook(self.code, title.strip(), headers, html, chapters,
                            self.report.finish(), scanned=self.ahead.scanned, digits=digits,
                            numerals=numerals)
