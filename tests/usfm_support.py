"""The page side of the USFM fidelity tests: the visible text of each verse of a rendered book.

Shared by test_usfm_fidelity (every sample Bible), test_usfm_conformance (the USFM corpus) and
test_usfm (single renders); see test_usfm_fidelity for what counts as verse text.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser

#: Paragraph classes that are not verse text (headings rendered as <p>, introductions).
NON_VERSE_PARAGRAPHS = frozenset(("mr", "sr", "r", "sp", "qa", "cd", "iex", "lit"))
#: Elements whose text is not verse text.
_SKIPPED_CLASSES = frozenset(("fn-caller", "xr-caller", "footnotes", "crossrefs", "va", "vp",
                              "ca", "fig"))
_SKIPPED_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6", "figure", "aside"))
_BLOCKS = frozenset(("p", "td", "th", "tr", "div", "table"))
_VOID = frozenset(("img", "br", "wbr", "hr"))


class _PageVerses(HTMLParser):
    """Visible verse text per verse id; also all visible text (to look for leaked markup)."""

    def __init__(self, boundary: str) -> None:
        super().__init__(convert_charrefs=True)
        self.boundary = boundary
        self.open: list[bool] = []  # per open element: is it skipped?
        self.skipped = 0
        self.verse: str | None = None
        self.verses: dict[str, list[str]] = {}
        self.visible: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        skip = bool(classes & _SKIPPED_CLASSES) or tag in _SKIPPED_TAGS or (
            tag == "p" and any(c in NON_VERSE_PARAGRAPHS or c.startswith("i") for c in classes))
        if "v-num" in classes:
            skip = True
            self.verse = attributes.get("id")
            if self.verse:
                self.verses[self.verse] = []
        elif tag == "div" and "chapter" in classes:
            self.verse = None
        self._boundary(tag)
        self.open.append(skip)
        self.skipped += skip

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.skipped -= self.open.pop()
        self._boundary(tag)

    def _boundary(self, tag: str) -> None:
        if tag in _BLOCKS and self.verse and not self.skipped:
            self.verses[self.verse].append(self.boundary)

    def handle_data(self, data: str) -> None:
        self.visible.append(data)
        if self.verse and not self.skipped:
            self.verses[self.verse].append(data)


def html_verses(page: str, boundary: str = " ") -> tuple[dict[str, str], str]:
    """(verse id → visible verse text, all visible text) of a rendered book; ``boundary`` stands
    where a block (a paragraph, a cell) starts or ends."""
    parser = _PageVerses(boundary)
    parser.feed(page)
    parser.close()
    assert not parser.open, "unbalanced HTML"
    return {k: "".join(v) for k, v in parser.verses.items()}, "".join(parser.visible)


class _Dropped(dict):
    """str.translate table built on demand: punctuation and format characters map to None."""

    def __missing__(self, code: int) -> int | None:
        category = unicodedata.category(chr(code))
        self[code] = None if category[0] == "P" or category == "Cf" else code
        return self[code]


_DROPPED = _Dropped()


def normalize(text: str) -> str:
    """NFC; no punctuation, no format characters (ZWJ, word joiner …); single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_DROPPED).split())


class _Format(dict):
    """str.translate table built on demand: format characters (ZWJ, word joiner …) map to None."""

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.category(chr(code)) == "Cf" else code
        return self[code]


_FORMAT = _Format()


def _letters_and_gaps(text: str) -> tuple[str, set[int]]:
    """The text without whitespace, and the offsets in it where the text had whitespace."""
    words = unicodedata.normalize("NFC", text).translate(_FORMAT).split()
    gaps, offset = set(), 0
    for word in words[:-1]:
        offset += len(word)
        gaps.add(offset)
    return "".join(words), gaps


def same_words(page: str, source: str) -> bool:
    """Whether ``page`` has the characters of ``source`` in order (after NFC, without format
    characters or whitespace), and the same words: where the two put a space differently, a
    punctuation character is on one side of it (``mother-in-law`` for ``mother- in- law``), so
    no two words were run together and no word was split."""
    page_chars, page_gaps = _letters_and_gaps(page)
    source_chars, source_gaps = _letters_and_gaps(source)
    if page_chars != source_chars:
        return False
    return all(unicodedata.category(page_chars[gap - 1])[0] == "P"
               or unicodedata.category(page_chars[gap])[0] == "P"
               for gap in page_gaps ^ source_gaps)
