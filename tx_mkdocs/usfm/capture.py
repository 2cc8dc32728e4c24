"""Captured text: identification headers (``\\h``, ``\\toc1`` …) and labels (``\\cl``, ``\\vp`` …).

Their text is not shown where it stands: headers become ``RenderedBook.headers``, labels replace
a chapter's or a verse's visible number. Character markup inside keeps only its text. A header
ends at the next marker; the inline labels (``\\ca``, ``\\vp``, ``\\cat``) at their own closer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .markers import CHAR, NOTE_CHAR
from .tokenizer import clean_text, strip_attributes

if TYPE_CHECKING:
    from .markers import Marker
    from .report import Report

#: Labels closed by their own ``\X*`` (the others end at the next marker).
_INLINE = frozenset(("ca", "vp", "cat"))


class Capture:
    """The text of one header or label marker, being read."""

    __slots__ = ("name", "parts", "pos")

    def __init__(self, name: str, pos: int) -> None:
        self.name, self.pos = name, pos
        self.parts: list[str] = []

    def closed_by(self, name: str, star: str | None) -> bool:
        """Whether ``\\name*`` is this label's own closer (``\\vp 1b\\vp*``)."""
        return bool(star) and name == self.name

    def holds(self, info: Marker, plus: str | None) -> bool:
        """Whether a marker is markup inside the text (kept as text): any character style in a
        header, a nested one (``\\+it``) in an inline label."""
        return info.category in (CHAR, NOTE_CHAR) and bool(plus or self.name not in _INLINE)

    def finish(self, closed: bool, report: Report) -> tuple[str, str]:
        """The value (spaces normalized, attributes dropped), and the text after an unclosed
        inline label: such a label is one word, the rest belongs to the text."""
        value = clean_text("".join(self.parts))[0].strip(" ")
        if "|" in value:
            value = strip_attributes(value)
        if self.name not in _INLINE or closed:
            return value, ""
        report.warn(f"Missing closing marker '\\{self.name}*'", self.pos, "usfm.unclosed-char")
        value, _, rest = value.partition(" ")
        return value, rest
