"""Chapters and verses: where the walk is, the ids of the old Door43 HTML, the chapter labels.

Ids are those of the old Door43 HTML, so that links in the wild keep working: ``BBB-ch-CCC`` and
``BBB-ch-CCC-v-VVV`` (BBB = anchor key, 040 = MAT). Every message about "here" is referred to
(``RUT 1:2``) and anchored (the verse, else the chapter) by ``Position``. ``\\vp`` replaces the
visible verse number (the id stays that of ``\\v``); ``\\ca`` is shown after the chapter heading.

A chapter's heading is its own ``\\cl`` (after ``\\c``), else the book's ``\\cl`` before ``\\c 1``
and the number ("Psalm" → "Psalm 1"), else ``\\cp`` (the published chapter character), else
"Chapter N" ("Psalm N" in the Psalms) in the site's language (:data:`CHAPTER_WORDS`). Numbers
that the source does not write out are shown in the site's digits (:mod:`tx_mkdocs.core.numerals`),
which the books' chapter and verse numbers and labels decide (the Kurdish `\\cl بەشی١`); ids stay
ASCII.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from ..core.numerals import WESTERN_DIGITS, digits_of
from .checks import Checks, first_number, has_number, last_number
from .notes import ChapterNotes
from .report import Report

#: Language code → the default heading of a chapter and of a psalm (``{}``: the number, in the
#: Bible's digits), as Bibles in that language word them ("第{}章": the number inside). A language
#: not listed, or a psalm form left None, gets the bare number (safer than a wrong word); add a
#: row only from a published Bible in that language. Ancient languages (``hbo``, ``grc``,
#: ``el-x-koine``) have none: a modern word would misread the source text.
CHAPTER_WORDS: dict[str, tuple[str, str | None]] = {
    "am": ("ምዕራፍ {}", "መዝሙር {}"),
    "ar": ("الأصحاح {}", "المزمور {}"),
    "ckb": ("بەشی {}", None),
    "de": ("Kapitel {}", "Psalm {}"),
    "en": ("Chapter {}", "Psalm {}"),
    "es": ("Capítulo {}", "Salmo {}"),
    "fa": ("فصل {}", "مزمور {}"),
    "fr": ("Chapitre {}", "Psaume {}"),
    "he": ("פרק {}", "מזמור {}"),
    "hi": ("अध्याय {}", "भजन {}"),
    "id": ("Pasal {}", "Mazmur {}"),
    "it": ("Capitolo {}", "Salmo {}"),
    "ja": ("第{}章", "第{}篇"),
    "ko": ("{}장", "{}편"),
    "mr": ("अध्याय {}", None),
    "ms": ("Bab {}", "Mazmur {}"),
    "ne": ("अध्याय {}", "भजन {}"),
    "nl": ("Hoofdstuk {}", "Psalm {}"),
    "pl": ("Rozdział {}", "Psalm {}"),
    "pt": ("Capítulo {}", "Salmo {}"),
    "ro": ("Capitolul {}", "Psalmul {}"),
    "ru": ("Глава {}", "Псалом {}"),
    "sw": ("Sura {}", "Zaburi {}"),
    "tl": ("Kabanata {}", "Awit {}"),
    "tr": ("Bölüm {}", "Mezmur {}"),
    "uk": ("Розділ {}", "Псалом {}"),
    "ur": ("باب {}", "زبور {}"),
    "vi": ("Chương {}", "Thi Thiên {}"),
    "zh": ("第{}章", "第{}篇"),
}
#: Codes that Door43 manifests use for the languages above.
_CHAPTER_WORD_ALIASES = {"arb": "ar", "pes": "fa", "prs": "fa", "cmn": "zh", "zsm": "ms",
                         "ind": "id", "swh": "sw", "npi": "ne", "urd": "ur", "tgl": "tl"}


def chapter_heading(number: str, language: str, psalms: bool) -> str:
    """The default heading of chapter ``number``: "Chapter 3", "Psalm 23"; the bare number in a
    language without words here (an English word in a Hebrew or Kurdish Bible reads worse)."""
    code = language.lower().split("-", 1)[0]
    words = CHAPTER_WORDS.get(_CHAPTER_WORD_ALIASES.get(code, code))
    form = words[psalms] if words else None
    return form.format(number) if form else number


@dataclass
class Chapter:
    """One chapter of a rendered book (for navigation and the page's table of contents)."""

    number: str  # as written after \c ("1")
    id: str  # "040-ch-001"
    label: str  # visible heading: a literal \cl, "Psalm 1" (\cl prefix), \cp or "Chapter 1"
    verse_ids: list[str] = field(default_factory=list)  # one per \v, in order
    shown: str = ""  # the number in the Bible's own digits ("١"); the number if it has none

    def __post_init__(self) -> None:
        self.shown = self.shown or self.number


#: The visible number of a verse mark (up to an entity: ``&#x27;`` keeps its digits).
_VERSE_MARK_NUMBER = re.compile(r'(<span class="v-num"[^>]*><sup>)([^<&]*)')


def verse_mark(shown: str, verse_id: str | None) -> str:
    """A verse number (``shown``: HTML) that never ends a line apart from its verse: a no-break
    space inside its span joins it to the first word (and hides along with the number)."""
    anchor = f' id="{verse_id}"' if verse_id else ""
    return f'<span class="v-num"{anchor}><sup>{shown}</sup>&nbsp;</span>'


class UniqueIds:
    """The ids of the page: a repeated one (a duplicate verse) gets a suffix."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.next_suffix: dict[str, int] = {}  # repeated id → next suffix to try

    def unique(self, anchor: str) -> str:
        """``anchor``, or ``anchor-2``, ``anchor-3`` … if it is taken; now taken."""
        if anchor in self.ids:
            n = self.next_suffix.get(anchor, 2)  # not from 2 each time: 10⁶ "\\v 1" are linear
            while f"{anchor}-{n}" in self.ids:
                n += 1
            self.next_suffix[anchor] = n + 1
            anchor = f"{anchor}-{n}"
        self.ids.add(anchor)
        return anchor


class DraftChapter:
    """A chapter being built: its HTML parts, its notes and its verses so far."""

    __slots__ = ("ca", "cp", "id", "implicit", "label", "last_label", "last_pos", "last_verse",
                 "notes", "number", "parts", "pos", "pre", "seen_verses", "value", "verse_ids")

    def __init__(self, number: str, value: int, chapter_id: str, pos: int, implicit: bool):
        self.number, self.value, self.id, self.pos = number, value, chapter_id, pos
        self.label: str | None = None  # literal \cl after \c
        self.cp: str | None = None
        self.ca: str | None = None
        self.implicit = implicit  # opened by a verse before "\c 1"
        self.pre: list[str] = []  # headings that came after the previous chapter's last verse
        self.parts: list[str] = []
        self.notes = ChapterNotes()
        self.verse_ids: list[str] = []
        self.seen_verses: set[str] = set()
        self.last_verse = 0
        self.last_label = ""  # the \v number that reached last_verse ("6-7")
        self.last_pos = pos


class Position:
    """The current chapter and verse, their numbering and ids; the chapters met so far."""

    def __init__(self, key: str, checks: Checks, report: Report, ids: UniqueIds) -> None:
        self.key = key  # the book's anchor key ("040")
        self.checks, self.report, self.ids = checks, report, ids
        self.chapters: list[DraftChapter] = []
        self.intro_notes = ChapterNotes()  # notes that come before \c 1
        self.chapter: DraftChapter | None = None
        self.values: set[int] = set()  # chapter numbers met
        self.cl_prefix = ""  # a \cl before \c 1: "Psalm" for every chapter
        self.verse: str | None = None
        self.verse_id: str | None = None
        self.verse_pos = 0
        self.verse_text = False  # the open verse has text (or a footnote): not empty
        #: Where the last verse number went, and its id (for \vp).
        self.vnum: tuple[list[str], int, str] | None = None
        #: How the book writes its numbers: digits → its numbers and labels written in them.
        self.numerals: dict[str, int] = {}

    def see_digits(self, value: str, label: bool = False) -> None:
        """Count how ``value`` writes its digits: a label (``\\cl``, ``\\vp`` …) always, a
        chapter or verse number only in other digits than Western (which USFM requires)."""
        if label or not value.isascii():
            digits = digits_of(value)
            if digits is not None:
                self.numerals[digits] = self.numerals.get(digits, 0) + 1

    def ref(self) -> str:
        """``RUT``, ``RUT 1`` or ``RUT 1:2``: where the walk is, for messages."""
        code = self.report.book
        chapter = self.chapter
        if chapter is None:
            return code
        if self.verse:
            return f"{code} {chapter.number}:{self.verse}"
        return f"{code} {chapter.number}"

    def anchor(self) -> str | None:
        """The id a message about "here" links to: the verse, else the chapter."""
        return self.verse_id or (self.chapter.id if self.chapter else None)

    def notes(self) -> ChapterNotes:
        """Where a note goes: its chapter's list (the introduction's before ``\\c 1``)."""
        return self.chapter.notes if self.chapter is not None else self.intro_notes

    def note_place(self) -> str:
        """``BBB-CCC-VVV`` for the id of a note here (000 before the first chapter or verse)."""
        chapter = self.chapter.value if self.chapter is not None else 0
        verse = first_number(self.verse) if self.verse else 0
        return f"{self.key}-{chapter:03d}-{verse:03d}"

    def open_chapter(self, number: str, pos: int) -> DraftChapter | None:
        """The chapter of ``\\c number``; None when it is the implicit chapter 1, now adopted."""
        current = self.chapter
        if current is not None and current.implicit and first_number(number) == current.value:
            current.implicit = False  # "\v" before "\c 1": the implicit chapter was chapter 1
            current.number = number
            return None
        if current is not None:
            self.checks.verse_count(current)
        self.see_digits(number)
        value = self.checks.chapter_number(number, current, self.values, pos)
        return self.begin_chapter(number or str(value), value, pos, implicit=False)

    def begin_chapter(self, number: str, value: int, pos: int, implicit: bool) -> DraftChapter:
        """Start a chapter (``implicit``: for a verse before ``\\c 1``)."""
        chapter = DraftChapter(number, value, self.ids.unique(f"{self.key}-ch-{value:03d}"), pos,
                               implicit)
        self.chapter = chapter
        self.values.add(value)
        self.chapters.append(chapter)
        return chapter

    def open_verse(self, number: str, pos: int, out: list[str]) -> str | None:
        """Number and check the verse ``\\v number`` and write its mark to ``out``; its id, or
        None for a bad number (shown, if there is one, without an id)."""
        chapter = self.chapter
        assert chapter is not None
        self.verse, self.verse_pos, self.verse_text = number, pos, False
        if not number.isascii():
            self.see_digits(number)
        if number.isdecimal():  # the common case, without regex (and nothing to escape)
            first = last = int(number)
            start = shown = number
        else:
            shown = escape(number)
            start = number.split("-", 1)[0]
            first, last = first_number(start), last_number(number)
            if not has_number(start):
                self.verse_id = self.vnum = None
                self.report.error(f"Bad verse number '{number}'" if number else
                                  "Missing verse number", pos, "usfm.verse-number")
                if number:
                    out.append(verse_mark(shown, None))
                return None
        self.checks.verse_number(chapter, number, start, first, pos)
        chapter.seen_verses.add(start)
        if last > chapter.last_verse:
            chapter.last_verse, chapter.last_label, chapter.last_pos = last, number, pos
        verse_id = self.ids.unique(f"{chapter.id}-v-{first:03d}")
        chapter.verse_ids.append(verse_id)
        self.verse_id = verse_id
        self.vnum = (out, len(out), verse_id)
        out.append(verse_mark(shown, verse_id))
        return verse_id

    def end_verse(self) -> None:
        """A verse ends (at the next verse, chapter or the end): it must have had text."""
        if self.verse and not self.verse_text:
            self.report.warn("Empty verse", self.verse_pos, "usfm.empty-verse")
        self.verse, self.verse_id = None, None

    def label(self, name: str, value: str) -> None:
        """``\\cl``, ``\\cp``, ``\\ca`` or ``\\vp``: a label for the chapter or verse."""
        chapter = self.chapter
        self.see_digits(value, label=True)
        if name == "vp":
            if self.vnum is not None and value:
                out, index, verse_id = self.vnum
                out[index] = verse_mark(escape(value), verse_id)
        elif name == "cl":
            if chapter is None:
                self.cl_prefix = value
            else:
                chapter.label = value
        elif chapter is not None:  # cp, ca
            setattr(chapter, name, value)

    def page(self, intro: list[str], language: str, digits: str) -> tuple[str, list[Chapter]]:
        """The book's HTML (``intro`` and its notes, then each chapter with its heading and its
        notes), and its chapters; default headings in ``language``, numbers that the source
        does not write (verse marks, default headings, the chapter list) in ``digits``."""
        parts = intro + self.intro_notes.html()
        chapters = []
        psalms = self.report.code == "PSA"
        table = str.maketrans(WESTERN_DIGITS, digits) if digits != WESTERN_DIGITS else None
        for ch in self.chapters:
            shown = ch.number.translate(table) if table else ch.number
            if ch.label:
                label = ch.label
            elif self.cl_prefix:
                label = f"{self.cl_prefix} {ch.cp or shown}"
            else:
                label = ch.cp or chapter_heading(shown, language, psalms)
            alternate = f' <span class="ca">{escape(ch.ca)}</span>' if ch.ca else ""
            parts.append(f'<div class="chapter" data-chapter="{escape(shown)}">\n')
            parts.extend(ch.pre)
            parts.append(f'<h2 class="c-num" id="{ch.id}">{escape(label)}{alternate}</h2>\n')
            parts.extend(ch.parts)
            parts.extend(ch.notes.html())
            parts.append("</div>\n")
            chapters.append(Chapter(ch.number, ch.id, label, ch.verse_ids, shown))
        html = "".join(parts)
        if table:
            html = _VERSE_MARK_NUMBER.sub(lambda m: m[1] + m[2].translate(table), html)
        return html, chapters
