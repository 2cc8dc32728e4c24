"""Fidelity of the USFM renderer, measured verse by verse on every Bible in ../shared/samples.

Two independent readings of each verse are compared:

- the source: a crude line- and regex-based stripper of the USFM (``source_verses``), written
  without the tokenizer or the marker table;
- the page: the visible text between a verse's anchor and the next anchor of the rendered HTML
  (``html_verses``, an ``html.parser`` walk).

What counts as verse text (the same rule on both sides): the words of the verse, without note
callers and bodies, figures, sidebars, headings and other non-verse paragraphs (titles, section
headings, references, speakers, introductions, ``\\iex``, ``\\lit``), and without the alternate or
published numbers (``\\va``, ``\\vp``, ``\\ca``). One Door43 repair applies to both: tC 2018 split
"camel's" into ``camel`` ⏎ ``'`` ⏎ ``s`` (see usfm/spacing).

The renderer places spaces by the characters, not by the source's line breaks (``mother-in-law``,
``Rabbi (which``), so the two sides are compared in two steps (``same_words``), after NFC and
without format characters: every character, punctuation included, is the same in the same order
once whitespace is removed; and where the two sides put a space differently, a punctuation
character is on one side of it, so that no two words were run together or a word split.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.core.books import book
from tx_mkdocs.core.fs import RepoFS
from tx_mkdocs.types.bible.tstudio import assemble
from tx_mkdocs.usfm import render_book

from .usfm_support import html_verses, same_words

BIBLES = ["en_ult", "en_ust", "en_ulb", "bdf_reg", "ceb_ulb", "hbo_uhb", "el-x-koine_ugnt",
          "ckb_2pe_text_reg", "full_bible"]

# -- the source side -------------------------------------------------------------------------

_NOTE = re.compile(r"\\(f|fe|ef|x|ex)\s.*?\\\1\*", re.S)
_FIGURE = re.compile(r"\\fig\s.*?\\fig\*", re.S)
_LABELS = re.compile(r"\\(va|vp|ca|cat)\s.*?\\\1\*", re.S)
#: Lines (from the marker to the line end, or to a \v on that line) that are not verse text.
_NON_VERSE_LINE = re.compile(
    r"\\(?:id|ide|usfm|rem|h\d?|toc\d|toca\d|mt\d?|mte\d?|ms\d?|mr|s\d?|sr|r|sp|qa|cd|cl|cp"
    r"|imt\d?|imte\d?|is\d?|ip|ipi|im|imi|ipq|imq|ipr|iq\d?|ili\d?|iot|io\d?|iex|ie|lit|sts)"
    r"(?![a-z0-9*-])[^\n]*?(?=\\v\s|\n|$)")
_START_MILESTONE = re.compile(r"\\(?:zaln|k)-s\b[^\\\n]*(?:\\\*)?")
_END_MILESTONE = re.compile(r"\s*\\(?:zaln|k)-e\\\*")  # it takes the whitespace before it
_ATTRIBUTES = re.compile(r"\|[^\\\n]*(?=\\\+?[a-z0-9]+\*)")
#: Paragraph markers: a new block, so a word boundary even without whitespace ("you,'\\m and").
_PARAGRAPH = re.compile(r"\\(?:p|m|pi\d?|mi|nb|pc|pr|po|cls|q\d?|qr|qc|qm\d?|qd|li\d?|lim\d?|ph\d?"
                        r"|pm|pmo|pmc|pmr|b|d|tr|esb|esbe)(?![a-z0-9*-]) ?")
#: Any other marker: "\\ts\\*", a closer "\\nd*" (the space after it is text), or an opener and
#: the one space that separates it from its text.
_MARKER = re.compile(r"\\\+?[a-z][a-z0-9-]*(?:\\\*|\*| ?)")
_SPLIT = re.compile(r"\\([cv])\s+([^\s\\]+)\s?")
_SPLIT_POSSESSIVE = re.compile(r"(?<=\w)(['’])[ \t]*\n\s*(?=s(?!\w))")


def source_verses(usfm: str, key: str) -> dict[str, str]:
    """verse id → text of that verse in the source, by crude stripping (see the module doc)."""
    text = usfm.replace("\ufeff", "").replace("\r\n", "\n")
    for pattern in (_NOTE, _FIGURE, _LABELS, _NON_VERSE_LINE, _START_MILESTONE):
        text = pattern.sub("", text)
    text = _END_MILESTONE.sub("", text)
    text = _ATTRIBUTES.sub("", text)
    text = _PARAGRAPH.sub(" ", text)
    verses: dict[str, str] = {}
    pieces = _SPLIT.split(text)  # text, kind, number, text, kind, number, text …
    chapter, seen = 0, set()
    for kind, number, body in zip(pieces[1::3], pieces[2::3], pieces[3::3], strict=True):
        first = int(re.match(r"\d+", number).group()) if number[:1].isdigit() else 0
        if kind == "c":
            chapter = first
            continue
        verse_id = base = f"{key}-ch-{chapter:03d}-v-{first:03d}"
        n = 1
        while verse_id in seen:
            n += 1
            verse_id = f"{base}-{n}"
        seen.add(verse_id)
        body = _MARKER.sub("", body).replace("~", " ").replace("//", "")
        verses[verse_id] = _SPLIT_POSSESSIVE.sub(r"\1", body)
    return verses


# -- the test --------------------------------------------------------------------------------


def _books(samples: Path, name: str):
    """(file, USFM text) of each book of a sample; a tS project is assembled as the build does."""
    folder = samples / name
    files = sorted(folder.glob("*.usfm"))
    if files:
        for path in files:
            yield path.name, path.read_text(encoding="utf-8")
    else:
        yield name, assemble(RepoFS(folder), ".", "2PE", "").usfm


_LEAKS = ("\\", "|", "x-occurrence", "x-strong", "lemma=", "strong=", "\ufeff")


@pytest.mark.parametrize("sample", [
    pytest.param(s, marks=pytest.mark.slow) if s == "full_bible" else s for s in BIBLES])
def test_every_verse_equals_its_source(samples, sample, capsys):
    verses = equal = leaks = 0
    differences = []
    for name, usfm in _books(samples, sample):
        rendered = render_book(usfm, source=name)
        page, visible = html_verses(rendered.html)
        source = source_verses(usfm, book(rendered.code).anchor_key)
        assert page.keys() == source.keys(), name
        leaks += sum(visible.count(leak) for leak in _LEAKS)
        for verse_id, text in source.items():
            verses += 1
            if same_words(page[verse_id], text):
                equal += 1
            else:
                differences.append((name, verse_id, page[verse_id], text))
    with capsys.disabled():
        print(f"\nfidelity {sample}: {verses} verses, {equal} equal, "
              f"{verses - equal} different, {leaks} leaked markup")
    assert verses and not differences, differences[:3]
    assert leaks == 0


def test_same_words_tells_spacing_from_lost_words():
    assert same_words("mother-in-law (which", "mother- in- law( which")
    assert same_words("גַם־שְׁנֵיהֶם", "גַם־ שְׁנֵיהֶם")
    assert not same_words("saidthem", "said them")  # two words run together
    assert not same_words("sa id", "said")  # a word split
    assert not same_words("said them", "said, them")  # a character lost
