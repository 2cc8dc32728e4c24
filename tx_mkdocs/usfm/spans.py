"""Character spans (``\\bd …\\bd*``, ``\\+it``, ``\\ft``): the open ones, in one stream of HTML.

The main text has one ``Spans``; each note gets its own, so that a note's spans end with the
note. A note character (``\\ft``, ``\\fq`` …) ends the previous ones; an unclosed character style
is reported where it ends; deeper nesting than ``MAX_USFM_NESTING`` keeps the text and drops the
style (and, later, its closer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.limits import MAX_USFM_NESTING
from .markers import NOTE_CHAR

if TYPE_CHECKING:
    from .markers import Marker
    from .report import Report

# Kinds of spans; only unclosed CHAR spans deserve a warning.
_K_CHAR, _K_NOTE_CHAR = 0, 1


class Spans:
    """The spans open in ``out``: (name, closing tag, kind, source position, len(out) after)."""

    __slots__ = ("out", "report", "stack", "text", "too_deep")

    def __init__(self, out: list[str], text: str, report: Report,
                 too_deep: dict[str, int] | None = None) -> None:
        self.out = out
        self.text, self.report = text, report
        self.stack: list[tuple[str, str, int, int, int]] = []
        #: Spans not opened (nesting limit) → closers to drop; shared by the text and its notes.
        self.too_deep: dict[str, int] = {} if too_deep is None else too_deep

    def for_note(self, out: list[str]) -> Spans:
        """The spans of a note's body."""
        return Spans(out, self.text, self.report, self.too_deep)

    def open(self, name: str, info: Marker, plus: bool, pos: int, in_note: bool) -> None:
        """``\\name`` (``plus``: ``\\+name``, nested) at ``pos``."""
        stack = self.stack
        kind = _K_NOTE_CHAR if info.category == NOTE_CHAR and in_note else _K_CHAR
        if len(stack) >= MAX_USFM_NESTING:  # the text stays; the style and its closer are dropped
            self.report.warn_once(" nesting", f"Character styles nested deeper than "
                                  f"{MAX_USFM_NESTING} levels: '\\{name}' and deeper styles are "
                                  "ignored", pos, "usfm.nesting")
            self.too_deep[name] = self.too_deep.get(name, 0) + 1
            return
        if stack and not plus:
            if stack[-1][0] == name and (kind == _K_CHAR or self._only_punctuation(pos, name)):
                # "\fqa … \fqa ." : an opener where the closer belongs (Luke 2:49 in ULT v1).
                # A note character may start again ("\xt Ps 1; \xt Rev 9"), but not for a ".".
                self.report.warn(f"Found '\\{name}' where '\\{name}*' was expected", pos,
                                 "usfm.opener-for-closer")
                self.out.append(stack.pop()[1])
                return
            if kind != _K_CHAR:  # a note character ends the previous ones
                first = next((i for i, c in enumerate(stack) if c[2] == kind), None)
                if first is not None:
                    self.close_from(first)
        self.out.append(info.open)
        stack.append((name, info.close, kind, pos, len(self.out)))

    def _only_punctuation(self, pos: int, name: str) -> bool:
        """Whether the text after the marker at ``pos`` (up to the next marker) has no word."""
        start = pos + len(name) + 1
        end = self.text.find("\\", start)
        return not any(c.isalnum() for c in self.text[start:end if end >= 0 else None])

    def close(self, name: str, pos: int) -> None:
        """``\\name*`` at ``pos``: it closes the last ``\\name`` and the spans opened inside."""
        stack = self.stack
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                self.close_from(i + 1)
                span = stack.pop()
                if span[4] == len(self.out) and not self.text[span[3]:pos].strip(
                        " \t\n\\+").removeprefix(name):  # not even attributes
                    self.report.warn(f"Empty '\\{name} \\{name}*'", pos, "usfm.empty-char")
                self.out.append(span[1])
                return
        if self.too_deep.get(name):
            self.too_deep[name] -= 1
            return
        self.report.warn(f"Closing marker '\\{name}*' without an opening marker", pos,
                         "usfm.unmatched-closer")

    def close_from(self, start: int) -> None:
        """Close the spans from ``start`` to the top; unclosed character styles are reported."""
        stack = self.stack
        while len(stack) > start:
            name, close, kind, opened, _ = stack.pop()
            if kind == _K_CHAR:
                self.report.warn(f"Missing closing marker '\\{name}*'", opened,
                                 "usfm.unclosed-char")
            self.out.append(close)
