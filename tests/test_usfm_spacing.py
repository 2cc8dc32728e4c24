"""Spacing of Scripture text (usfm/spacing): the cases of tests/data/spacing_cases.tsv, and no
spacing defect in the verse text of any sample Bible.

A defect is a space that the characters around it do not want: before closing punctuation
(``them ,``), after opening punctuation (``( which``), around a maqaf (``גַם־ שְׁנֵיהֶם``) or
inside a hyphenated word (``mother- in- law``). French spacing (`` ; : ! ? »``, ``« ``) and a
spaced ellipsis (``Abijah. ... of``) are written that way and are no defects. A straight quote
after a comma may open (``said, "What``) or close (``his house," David``): the scan does not
judge it, the cases do.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tx_mkdocs.usfm import render_book

from .test_usfm_fidelity import BIBLES, _books
from .usfm_support import html_verses

_CASES = Path(__file__).parent / "data" / "spacing_cases.tsv"


def _cases() -> list[tuple[str, str, str]]:
    rows = []
    for line in _CASES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            where, snippet, expected = line.split("\t")
            rows.append((where, snippet.replace("⏎", "\n"), expected))
    return rows


def _verse_one(snippet: str) -> str:
    rendered = render_book(f"\\id GEN\n\\c 1\n\\p\n\\v 1 {snippet}\n")
    text = html_verses(rendered.html)[0]["001-ch-001-v-001"]
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


@pytest.mark.parametrize(("where", "snippet", "expected"), _cases(), ids=lambda v: v[:40])
def test_spacing_case(where, snippet, expected):
    assert _verse_one(snippet) == expected


def _chars(categories: tuple[str, ...], extra: str, minus: str) -> str:
    chars = {chr(c) for c in range(0x3000) if unicodedata.category(chr(c)) in categories}
    return re.escape("".join(sorted((chars | set(extra)) - set(minus))))


_DEFECT = re.compile(
    rf" [{_chars(('Pe', 'Pf'), ',.', '»›')}](?!\.\.)"  # space before closing punctuation
    rf"|[{_chars(('Ps', 'Pi'), '', '«‹')}] "  # space after opening punctuation
    r"|(?<=[(\[])[\"'] (?=\w)"  # after a straight quote that opens
    r"| \u05be|\u05be "  # space around a maqaf
    r"|(?<=\w)- (?=\w)|(?<=\w) -(?=\w)")  # space inside a hyphenated word


def test_defect_pattern_finds_the_reported_defects():
    reported = 'Rabbi( which mother- in- law גַם־ שְׁנֵיהֶם there , and (" Yes )'
    assert len(_DEFECT.findall(reported)) == 7
    assert not _DEFECT.search("Il dit : « Venez ! » ; Abijah. ... of (which) mother-in-law")


@pytest.mark.parametrize("sample", [
    pytest.param(s, marks=pytest.mark.slow) if s == "full_bible" else s for s in BIBLES])
def test_no_spacing_defects(samples, sample):
    defects = []
    for name, usfm in _books(samples, sample):
        verses, _ = html_verses(render_book(usfm, source=name).html, boundary="\n")
        for verse_id, text in verses.items():
            defects += [(verse_id, text[max(m.start() - 20, 0):m.end() + 20])
                        for m in _DEFECT.finditer(" ".join(text.split(" ")))]
    assert not defects, defects[:5]


@pytest.mark.parametrize("before", ["", "a", " ", "(", "a(", " (", "((", "«", "a“", "\u05d0\u05be",
                                    "a\"", "a,'", "-", "a-", "'", "’", "a.", "a)"])
def test_a_break_at_the_end_is_resolved_as_every_break_is(before):
    """The usual run (one line's text, its break at its end) takes a short path: the same result
    as the rules applied to every break."""
    from tx_mkdocs.usfm.spacing import _breaks_between, space

    for text in (before + "\n", "word " + before + "\n"):
        assert space(text) == _breaks_between(text), repr(text)
