"""The book's checks: its code, chapter and verse numbering, the versification, the headers.

Why apart from the renderer: these are rules about numbers and headers, not about HTML. The
renderer calls them during its one pass over the tokens (and once at the end of the book), so no
second pass over the text is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from ..core.books import book
from .tokenizer import OLD_MILESTONES
from .versification import OPTIONAL, VERSES

if TYPE_CHECKING:
    from .report import Report


class ChapterSoFar(Protocol):
    """What the checks read of a chapter being rendered (``chapters.ChapterSoFar``; a protocol,
    so that the checks do not depend on the chapters module, which uses them)."""

    number: str
    value: int
    id: str
    verse_ids: list[str]
    seen_verses: set[str]
    last_verse: int
    last_label: str
    last_pos: int
    pos: int

_ID_CODE = re.compile(r"\\id[ \t]+([^\s\\]+)")
_NUMBER = re.compile(r"\d+")
#: Original-language texts (UHB, UGNT) follow their own versification: no count checks there.
_ORIGINAL_SCRIPT = re.compile("[\u0590-\u05ff\u0370-\u03ff\u1f00-\u1fff]")
#: Books without chapters (the old checker's list): no \mt or chapter required.
NO_CHAPTERS = frozenset(("FRT", "BAK", "OTH", "INT", "CNC", "GLO", "TDX", "NDX"))
_HEADERS = ("h", "toc1", "toc2", "toc3")


def first_number(number: str) -> int:
    """The first number in a chapter or verse number ("6-7" → 6); 0 if there is none."""
    match = _NUMBER.search(number)
    return int(match.group()) if match else 0


def last_number(number: str) -> int:
    """The last number in a verse number ("6-7" → 7); 0 if there is none."""
    numbers = _NUMBER.findall(number)
    return int(numbers[-1]) if numbers else 0


def has_number(number: str) -> bool:
    """Whether a chapter or verse number holds a digit at all."""
    return _NUMBER.search(number) is not None


def book_code(text: str, fallback: str | None, report: Report) -> tuple[str | None, str]:
    """The book code from ``\\id`` (or the fallback) and its 3-digit anchor key."""
    match = _ID_CODE.search(text)
    fallback = fallback.strip().upper() if fallback else None
    found = match.group(1).upper() if match else None
    code = found if found and book(found) else fallback or found
    if match is None:
        report.message("error", f"{code or '???'} - Missing \\id tag", 1, "usfm.missing-id")
    elif code != found or book(match.group(1)) is None:
        report.message("warning" if code != found else "error",
                       f"{code} - Unknown book code '{found}' in \\id",
                       report.line(match.start()), "usfm.book-code")
    info = book(code) if code else None
    return code, info.anchor_key if info else "000"


def old_alignment(raw: str, report: Report) -> None:
    """One warning per book for the 2018 alignment format (see ``OLD_MILESTONES``)."""
    for pattern in OLD_MILESTONES:
        match = pattern.search(raw)
        if match:
            report.book_warning(f"'\\{match.group(1)}' milestones without '\\*' (old alignment "
                                "format)", raw.count("\n", 0, match.start()) + 1,
                                "usfm.old-milestone")


class Checks:
    """Numbering and versification checks of one book, fed as the walk meets them."""

    def __init__(self, text: str, code: str | None, report: Report) -> None:
        self.code = code
        self.report = report
        self.counts = self._versification(text)

    def _versification(self, text: str) -> tuple[int, ...] | None:
        """The book's verse counts, unless it is in Hebrew or Greek (see ``_ORIGINAL_SCRIPT``)."""
        counts = VERSES.get(self.code or "")
        if counts is None:
            return None
        first = text.find("\\v ")
        if first >= 0 and _ORIGINAL_SCRIPT.search(text, first, first + 2000):
            return None
        return counts

    def paragraph_before_chapter(self, name: str, pos: int) -> None:
        """A body paragraph (not an introduction) with text before ``\\c 1``: once per book."""
        if name[0] != "i" and self.code not in NO_CHAPTERS and " paragraph" not in (
                self.report.warned):
            self.report.warned.add(" paragraph")  # not a marker name
            self.report.book_warning(f"Paragraph '\\{name}' before the first chapter",
                                     self.report.line(pos), "usfm.paragraph-order")

    def chapter_number(self, number: str, previous: ChapterSoFar | None, values: set[int],
                       pos: int) -> int:
        """Check a ``\\c`` number against the chapters before it; the value to use for it."""
        value = first_number(number)
        before = previous.value if previous else 0
        code = self.report.book
        ref = f"{code} {number}".rstrip()
        if number[:1] == "0" and value:
            self.report.warn(f"Chapter number '{number}' has leading zero", pos,
                             "usfm.leading-zero", ref)
        if not has_number(number):
            self.report.error(f"Bad chapter number '{number}'" if number else
                              "Missing chapter number", pos, "usfm.chapter-number", ref)
            value = before + 1
        elif value in values:
            self.report.error("Duplicate chapter", pos, "usfm.duplicate-chapter", ref)
        elif previous is not None and value < before:
            self.report.error(f"Chapter out of order: after {code} {previous.number}", pos,
                              "usfm.chapter-order", ref)
        elif value > before + 1:
            self._missing_chapters(before + 1, value - 1, pos, "usfm.missing-chapter")
        return value

    def verse_number(self, chapter: ChapterSoFar, number: str, start: str, first: int,
                     pos: int) -> None:
        """Check a ``\\v`` number (``start`` is its first part) against the chapter so far."""
        if start[:1] == "0":
            self.report.warn(f"Verse number '{number}' has leading zero", pos,
                             "usfm.leading-zero")
        last_verse = chapter.last_verse
        if start in chapter.seen_verses:
            self.report.error("Duplicated verse number", pos, "usfm.duplicate-verse")
        elif first < last_verse or (first == last_verse and start.isdecimal()):
            self.report.error(f"Verse out of order: after {self.report.book} {chapter.number}:"
                              f"{chapter.last_label}", pos, "usfm.verse-order")
        elif first > last_verse + 1:
            self._missing_verses(chapter, first, number, pos)

    def _missing_verses(self, chapter: ChapterSoFar, first: int, number: str, pos: int) -> None:
        """A gap before verse ``first`` (the textual variants of ``OPTIONAL`` may be left out)."""
        missing = range(chapter.last_verse + 1, first)
        optional = OPTIONAL.get((self.code or "", chapter.value), frozenset())
        if all(v in optional for v in missing):
            return
        code = self.report.book
        previous = f"{code} {chapter.number}" + (f":{chapter.last_label}" if chapter.last_verse
                                                 else "")
        what = "verse" if len(missing) == 1 else "verses"
        self.report.warn(f"Missing {what} between this and: {code} {chapter.number}:{number}",
                         pos, "usfm.missing-verse", previous)

    def verse_count(self, chapter: ChapterSoFar) -> None:
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
        self.report.message("warning", f"{ref} - Should have {expected} verses",
                            self.report.line(chapter.last_pos), "usfm.verse-count", anchor)

    def _missing_chapters(self, first: int, last: int, pos: int, code: str) -> None:
        span = f"{first}" if first == last else f"{first}-{last}"
        what = "chapter" if first == last else "chapters"
        self.report.error(f"Missing {what}", pos, code, f"{self.report.book} {span}")

    def end_of_book(self, headers: dict[str, str], chapters: Sequence[ChapterSoFar],
                    values: set[int], end: int) -> None:
        """Headers, and chapters against the versification (book-level: no anchor)."""
        with_chapters = self.code not in NO_CHAPTERS
        missing, empty = [], []
        for name in (*_HEADERS, "mt") if with_chapters else _HEADERS:
            value = headers.get(name, headers.get("mt1")) if name == "mt" else headers.get(name)
            if value is None:
                missing.append(f"\\{name}")
            elif not value:
                empty.append(f"\\{name}")
        for what, names in (("Missing", missing), ("Empty", empty)):
            if names:
                self.report.book_warning(f"{what} {', '.join(names)} tag"
                                         f"{'s' if len(names) > 1 else ''}", 1,
                                         "usfm.missing-header")
        if not chapters:
            if with_chapters:
                self.report.book_warning("USFM book seems empty (no chapters)",
                                         self.report.line(end), "usfm.empty-book")
            return
        if self.counts is None:
            return
        code = self.report.book
        expected, top = len(self.counts), max(values)
        if top < expected:
            self._missing_chapters(top + 1, expected, end, "usfm.chapter-count")
        for chapter in chapters:
            if chapter.value > expected:
                self.report.warn(f"Unexpected chapter: {code} has {expected} chapters",
                                 chapter.pos, "usfm.chapter-count", f"{code} {chapter.number}")
