"""References and anchors of a book page: ``1:6-7`` → :class:`Ref`, a place → its Door43 id,
an ``rc://*/<res>/help/…`` path or a repository file → page and anchor (see the package doc)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache

from ...core.books import Book, book
from ...core.ids import content_id

#: Chapter number of the book's front matter, and verse number of an introduction.
FRONT = 0
INTRO = 0
#: Chapter of rows whose reference cannot be read: shown last, under "Other".
OTHER = 1_000_000

_TSV_CODE = re.compile(r"(?:^|[_\-. ])([1-4a-z][a-z0-9]{2})\.tsv$", re.I)
_CHUNK_PATH = re.compile(r"(?:^|/)([1-4a-z][a-z0-9]{2})/(\d+|front)/(\d+|intro)\.md$",
                         re.I)


@dataclass(frozen=True)
class Ref:
    """Where an entry belongs: chapter (``FRONT``), verse (``INTRO``), last verse of a range."""

    chapter: int
    verse: int
    end: int = 0


@lru_cache(maxsize=4096)  # a book's rows name the same few thousand references
def parse_ref(chapter: str, verse: str) -> Ref | str:
    """``("1", "6-7")`` → ``Ref(1, 6, 7)``; an error text (Door43 wording) when unreadable."""
    chapter, verse = chapter.strip(), verse.strip()
    if chapter.lower() == "front":
        number = FRONT
    elif chapter.isdigit() and int(chapter) > 0:
        number = int(chapter)
    else:
        return f"Bad chapter number '{chapter}'"
    if verse.lower() == "intro":
        return Ref(number, INTRO)
    if number == FRONT:
        return f"Unexpected C:V combination '{chapter}:{verse}'"
    first, _, last = verse.partition("-")
    if not (first.isdigit() and int(first) > 0):
        return f"Bad verse number '{verse}'"
    if not last:
        return Ref(number, int(first))
    if last.isdigit() and int(last) >= int(first):
        return Ref(number, int(first), int(last))
    if re.fullmatch(r"\d+:\d+", last):  # a range into the next chapter: filed at its start
        return Ref(number, int(first))
    return f"Bad verse number '{verse}'"


@dataclass(frozen=True)
class Anchors:
    """The Door43 ids of one book page (see the module docstring)."""

    prefix: str
    code: str

    @property
    def book(self) -> str:
        return f"{self.prefix}-{self.code.lower()}"

    def chapter(self, chapter: int) -> str:
        key = {FRONT: "front", OTHER: "other"}.get(chapter, f"{chapter:03d}")
        return f"{self.prefix}-chapter-{self.code.lower()}-{key}"

    def section(self, chapter: int, verse: int) -> str:
        """Id of a verse section; the front intro is the front section itself."""
        if chapter in (FRONT, OTHER):
            return self.chapter(chapter)
        key = "intro" if verse == INTRO else f"{verse:03d}"
        return f"{self.prefix}-chunk-{self.code.lower()}-{chapter:03d}-{key}"

    def fallback(self, line: int) -> str:
        """Anchor of a TSV row whose ID cannot serve as one."""
        return f"{self.prefix}-{self.code.lower()}-line-{line}"


def page_url(info: Book) -> str:
    return f"{info.page_stem}.html"


def book_from_filename(path: str) -> Book | None:
    """``en_tn_57-TIT.tsv`` / ``tn_TIT.tsv`` / ``twl_TIT.tsv`` → Titus (known codes only)."""
    match = _TSV_CODE.search(posixpath.basename(path))
    return book(match.group(1)) if match else None


def help_target(prefix: str, parts: list[str]) -> tuple[str, str] | None:
    """``rc://*/<res>/help/tit/01/02[/id]`` parts → ``("57-TIT.html", "<p>-chunk-tit-001-002")``.

    Works without the repository: the deepest part that can be read decides the anchor.
    """
    parts = parts[1:] if parts and parts[0].lower() == "help" else parts
    info = book(parts[0]) if parts else None
    if info is None:
        return None
    page, anchors = page_url(info), Anchors(prefix, info.code)
    anchor = content_id(parts[3]) if len(parts) >= 4 else None
    if anchor:
        return page, anchor
    ref = parse_ref(parts[1], parts[2]) if len(parts) >= 3 else None
    if isinstance(ref, Ref):
        return page, anchors.section(ref.chapter, ref.verse)
    chapter = parse_ref(parts[1], "intro") if len(parts) >= 2 else None
    if isinstance(chapter, Ref):
        return page, anchors.chapter(chapter.chapter)
    return page, anchors.book


def file_target(prefix: str, path: str) -> tuple[str, str] | None:
    """Page and anchor of a repo file (``tit/01/06.md``, ``tn_TIT.tsv``), present or not."""
    if match := _CHUNK_PATH.search(path):
        return help_target(prefix, list(match.groups()))
    info = book_from_filename(path)
    return (page_url(info), "") if info else None
