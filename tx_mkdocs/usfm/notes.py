"""Footnotes and cross references: numbered per chapter, listed at the end of their chapter.

A footnote's automatic caller (``\\f +``) is a letter, ``a`` … ``z``, ``aa`` … restarting each
chapter, so that it never reads as a verse number; a caller the source gives (``\\f * ``) is
shown as written. Cross references keep numbers.

Endnotes (``\\fe``) are kept there too: a page is one book, and a note next to its chapter is
where the reader is. A ``-`` caller shows no mark, but its (empty) link stays, so the note's
back-link still lands. Ids are those of the old Door43 HTML: ``fn-BBB-CCC-VVV-n`` /
``ref-fn-…``, ``xr-…``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape


def letter(number: int) -> str:
    """1 → ``a``, 26 → ``z``, 27 → ``aa``: the automatic caller of the ``number``-th footnote."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(97 + rest) + letters
    return letters


def split_caller(run: str | None) -> tuple[str, str | None]:
    """The caller at the start of a note's text (``+``, ``-`` or one character) and the text
    after it; no caller when the text does not start with one."""
    if run is not None:
        stripped = run.lstrip(" \t\n")
        if stripped[:1] not in ("", "|") and stripped[1:2] in ("", " ", "\t", "\n"):
            return stripped[0], stripped[1:]
    return "", run


class Note:
    """An open note: its body is written apart, and listed at the end of the chapter."""

    __slots__ = ("id", "kind", "label", "name", "parts", "pos")

    def __init__(self, kind: str, note_id: str, label: str, name: str, pos: int):
        self.kind, self.id, self.label, self.name, self.pos = kind, note_id, label, name, pos
        self.parts: list[str] = []


class ChapterNotes:
    """The notes of one chapter (or of the introduction), in the order of their callers."""

    __slots__ = ("crossrefs", "fn_count", "footnotes", "xr_count")

    def __init__(self) -> None:
        self.footnotes: list[str] = []
        self.crossrefs: list[str] = []
        self.fn_count = self.xr_count = 0

    def open(self, name: str, pos: int, caller: str, where: str,
             unique: Callable[[str], str]) -> tuple[Note, str]:
        """Number a note (``where`` = ``BBB-CCC-VVV``); the note and its caller's HTML."""
        kind = "xr" if name in ("x", "ex") else "fn"
        if kind == "fn":
            self.fn_count += 1
            number = self.fn_count
        else:
            self.xr_count += 1
            number = self.xr_count
        note_id = unique(f"{kind}-{where}-{number}")
        if caller not in ("", "+", "-"):
            label = escape(caller)
        else:
            label = letter(number) if kind == "fn" else str(number)
        if caller == "-":
            html = (f'<sup class="{kind}-caller hidden"><a href="#{note_id}" id="ref-{note_id}" '
                    f'aria-label="{label}"></a></sup>')
        else:
            html = (f'<sup class="{kind}-caller"><a href="#{note_id}" id="ref-{note_id}">'
                    f"{label}</a></sup>")
        return Note(kind, note_id, label, name, pos), html

    def close(self, note: Note) -> None:
        """List a finished note (its spans already closed)."""
        body = "".join(note.parts).strip(" ")
        css = "footnote" if note.kind == "fn" else "crossref"
        target = self.footnotes if note.kind == "fn" else self.crossrefs
        target.append(f'<p class="{css}" id="{note.id}"><a href="#ref-{note.id}">{note.label}</a>'
                      f" {body}</p>\n")

    def html(self) -> list[str]:
        """The lists that end the chapter: footnotes, then cross references."""
        parts = []
        if self.footnotes:
            parts.append('<div class="footnotes">\n')
            parts.extend(self.footnotes)
            parts.append("</div>\n")
        if self.crossrefs:
            parts.append('<div class="crossrefs">\n')
            parts.extend(self.crossrefs)
            parts.append("</div>\n")
        return parts
