"""The messages of one book: Door43 wording ("``RUT 1:2 - …``"), source line, anchor, a cap.

Why a class of its own: every construct of the renderer reports problems, and all of them need
the same line counting, the same reference to where the reader is, and the same cap per file.
"""

from __future__ import annotations

from typing import Protocol

from ..core.limits import MAX_MESSAGES_PER_FILE
from ..core.log import Message, Severity


class Place(Protocol):
    """Where the walk is: the reference and the anchor of a message about "here"."""

    def ref(self) -> str: ...

    def anchor(self) -> str | None: ...


class Report:
    """Collects the messages of one book; never more than ``MAX_MESSAGES_PER_FILE``."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source or None
        self.code: str | None = None  # the book code, once known
        self.place: Place | None = None  # set by the renderer: the current chapter and verse
        self.messages: list[Message] = []
        self.unlisted = 0  # messages beyond MAX_MESSAGES_PER_FILE
        self.warned: set[str] = set()  # keys of the warnings given once per book
        self.line_pos, self.line_no = 0, 1

    @property
    def book(self) -> str:
        """The book code as messages show it."""
        return self.code or "???"

    def line(self, pos: int) -> int:
        """1-based line of a position; positions mostly increase, so counting is incremental."""
        if pos >= self.line_pos:
            self.line_no += self.text.count("\n", self.line_pos, pos)
        else:
            self.line_no -= self.text.count("\n", pos, self.line_pos)
        self.line_pos = pos
        return self.line_no

    def message(self, severity: Severity, text: str, line: int, code: str,
                anchor: str | None = "") -> None:
        """``anchor`` "" means: the current verse or chapter; None: the page itself."""
        if len(self.messages) >= MAX_MESSAGES_PER_FILE:
            self.unlisted += 1
            return
        if anchor == "":
            anchor = self.place.anchor() if self.place is not None else None
        self.messages.append(Message(severity, text, file=self.source, line=line, code=code,
                                     anchor=anchor))

    def warn(self, reason: str, pos: int, code: str, ref: str | None = None) -> None:
        """A warning about ``pos``, referred to as ``ref`` or where the walk is."""
        self.message("warning", f"{ref or self._ref()} - {reason}", self.line(pos), code)

    def error(self, reason: str, pos: int, code: str, ref: str | None = None) -> None:
        """An error about ``pos``, referred to as ``ref`` or where the walk is."""
        self.message("error", f"{ref or self._ref()} - {reason}", self.line(pos), code)

    def book_warning(self, reason: str, line: int, code: str) -> None:
        """A warning about the whole book: no verse, no anchor."""
        self.message("warning", f"{self.book} - {reason}", line, code, None)

    def warn_once(self, key: str, reason: str, pos: int,
                  code: str = "usfm.unknown-marker") -> None:
        """A warning given once per book (``key``), where it first happens."""
        if key not in self.warned:
            self.warned.add(key)
            self.message("warning", f"{self.book} - {reason}", self.line(pos), code)

    def finish(self) -> list[Message]:
        """The messages, with one more that counts those left out."""
        if self.unlisted:
            self.messages.append(Message(
                "warning", f"{self.book} - {self.unlisted} more problems in this file are not "
                f"listed (only the first {MAX_MESSAGES_PER_FILE} are)", file=self.source,
                code="usfm.too-many-problems"))
        return self.messages

    def _ref(self) -> str:
        return self.place.ref() if self.place is not None else self.book
