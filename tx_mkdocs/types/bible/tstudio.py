"""translationStudio chunk projects (``01/01.txt``, ``01/title.txt``, ``front/title.txt``) → USFM.

The old preprocessor synthesized the missing headers; we do the same, and keep a line map so that
problems found in the assembled USFM are reported against the chunk file and line they came from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from ...core.fs import RepoFS
from ...core.log import Message

_CHAPTER = re.compile(r"^\s*\\c\s+\S+\s*")
_VERSE = re.compile(r"\\v\s")


@dataclass
class Assembled:
    """USFM text made from chunk files, with a map back to the files."""

    usfm: str
    #: (first assembled line, source, first source line or 0 if synthesized), sorted.
    pieces: list[tuple[int, str, int]] = field(default_factory=list)
    #: Chunk files that could not be read (too large, unreadable): reported, left out.
    problems: list[Message] = field(default_factory=list)

    def locate(self, message: Message) -> Message:
        """The message with its file/line moved from the assembled text to the chunk file."""
        if message.line is None or not self.pieces:
            return message
        i = bisect_right([p[0] for p in self.pieces], message.line) - 1
        if i < 0:
            return message
        start, source, source_line = self.pieces[i]
        line = source_line + message.line - start if source_line else None
        return Message(message.severity, message.text, file=source, line=line, code=message.code,
                       page=message.page, anchor=message.anchor)


def is_chunk_project(fs: RepoFS, path: str) -> bool:
    """A folder with numbered chapter folders holding ``NN.txt`` chunks."""
    return any(
        name.isdigit() and any(c.endswith(".txt") for c in fs.listdir(f"{path}/{name}"))
        for name in fs.listdir(path)
    )


def _numeric(name: str) -> int:
    return int(name) if name.isdigit() else 0


def assemble(fs: RepoFS, path: str, code: str, title: str) -> Assembled:
    """Concatenate a chunk project into one USFM book, synthesizing the headers it lacks."""
    lines: list[str] = []
    pieces: list[tuple[int, str, int]] = []
    problems: list[Message] = []

    def read(rel: str) -> str:
        try:
            return fs.read_text(rel)
        except OSError as exc:
            problems.append(Message("error", f"Unable to read '{rel}': {exc}", file=rel,
                                    code="bible.read"))
            return ""

    def emit(text: str, source: str | None = None) -> None:
        """Append text; synthesized lines map to the project folder without a line number."""
        pieces.append((len(lines) + 1, source or path, 1 if source else 0))
        lines.extend(text.split("\n"))

    front = f"{path}/front/title.txt"
    book_title = read(front).strip() if fs.is_file(front) else ""
    book_title = " ".join(book_title.split()) or title
    emit(f"\\id {code} \n\\ide UTF-8\n\\h {book_title}\n\\toc1 {book_title}\n"
         f"\\toc2 {book_title}\n\\toc3 {code.title()}\n\\mt {book_title}")
    chapters = sorted((n for n in fs.listdir(path) if n.isdigit()), key=_numeric)
    for chapter in chapters:
        folder = f"{path}/{chapter}"
        number = _numeric(chapter)
        if number == 0:
            continue
        emit(f"\\c {number}")
        title_file = f"{folder}/title.txt"
        if fs.is_file(title_file):
            label = " ".join(read(title_file).split())
            if label:
                emit(f"\\cl {label}", fs.relpath(fs.resolve(title_file)))
        chunks = sorted(
            (n for n in fs.listdir(folder) if n.endswith(".txt") and n[:-4].isdigit()),
            key=lambda n: _numeric(n[:-4]),
        )
        for chunk in chunks:
            rel = f"{folder}/{chunk}"
            text = _CHAPTER.sub("", read(rel).strip("\n"), count=1)
            if not _VERSE.search(text):
                text = f"\\v {_numeric(chunk[:-4])} {text}"
            emit("\\p")
            emit(text, fs.relpath(fs.resolve(rel)))
    return Assembled("\n".join(lines) + "\n", pieces, problems)
