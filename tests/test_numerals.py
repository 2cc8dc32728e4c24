"""The site's digits (core/numerals.py): decided once from all the books, used for every number
the site writes itself; ids and URLs stay ASCII."""

from __future__ import annotations

import re
from pathlib import Path

from tx_mkdocs.build import build_site
from tx_mkdocs.core.numerals import WESTERN_DIGITS, digits_of, in_digits, site_digits
from tx_mkdocs.core.references import reference_table
from tx_mkdocs.core.search import search_entries
from tx_mkdocs.theme import extra_config

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
DEVANAGARI = "०१२३४५६७८९"


def test_digits_of_a_number_or_label():
    assert digits_of("بەشی١") == ARABIC_INDIC
    assert digits_of("Sabta 12") == WESTERN_DIGITS
    assert digits_of("१२") == DEVANAGARI
    assert digits_of("Psalm") is None and digits_of("مزمور") is None and digits_of("") is None


def test_the_most_evidence_decides_a_tie_goes_to_the_bibles_own():
    assert site_digits([]) == site_digits([{}, {}]) == WESTERN_DIGITS
    assert site_digits([{ARABIC_INDIC: 3}, {}, {WESTERN_DIGITS: 1}]) == ARABIC_INDIC
    assert site_digits([{ARABIC_INDIC: 1}, {WESTERN_DIGITS: 2}]) == WESTERN_DIGITS
    assert site_digits([{WESTERN_DIGITS: 2}, {DEVANAGARI: 2}]) == DEVANAGARI
    assert in_digits("1:12", ARABIC_INDIC) == "١:١٢"
    assert in_digits("1:12", WESTERN_DIGITS) == "1:12"


def _two_books(folder: Path) -> Path:
    """A Sorani Bible of two books: 2 Peter labels its chapters "بەشی١", Jude shows no digits."""
    folder.mkdir()
    (folder / "manifest.yaml").write_text(
        "dublin_core:\n"
        "  conformsto: 'rc0.2'\n  format: 'text/usfm'\n  identifier: 'reg'\n"
        "  language: {direction: 'rtl', identifier: 'ckb', title: 'سورانی'}\n"
        "  rights: 'CC BY-SA 4.0'\n  subject: 'Bible'\n  title: 'Regular'\n  type: 'bundle'\n"
        "  version: '1'\n  contributor: ['a', 'b', 'c']\n"
        "projects:\n"
        "  - {title: 'پەترۆس', identifier: '2pe', sort: 61, path: './61-2PE.usfm'}\n"
        "  - {title: 'یەهودا', identifier: 'jud', sort: 66, path: './66-JUD.usfm'}\n",
        encoding="utf-8")
    (folder / "61-2PE.usfm").write_text(
        "\\id 2PE\n\\h پەترۆس\n\\c 1\n\\cl بەشی١\n\\p\n\\v 1 یەک\n\\v 2 دوو\n"
        "\\c 2\n\\cl بەشی٢\n\\p\n\\v 1 سێ\n", encoding="utf-8")
    (folder / "66-JUD.usfm").write_text(
        "\\id JUD\n\\h یەهودا\n\\c 1\n\\p\n\\v 1 چوار\n\\v 12 پێنج\n", encoding="utf-8")
    return folder


def test_a_book_without_evidence_shows_the_sites_digits(tmp_path: Path):
    site = build_site(_two_books(tmp_path / "ckb"))
    assert site.theme.digits == ARABIC_INDIC
    jude = site.page("66-JUD.md")
    assert jude is not None
    # Jude: its verse numbers, default heading, chapter grid and table of contents in the
    # Bible's digits; its ids ASCII.
    marks = re.findall(r'<span class="v-num" id="([^"]+)"><sup>([^<]+)<', jude.html)
    assert marks == [("065-ch-001-v-001", "١"), ("065-ch-001-v-012", "١٢")]
    assert '<h2 class="c-num" id="065-ch-001">بەشی ١</h2>' in jude.html
    assert '<a href="#065-ch-001">١</a>' in jude.html
    assert [(t.id, t.title) for t in jude.toc] == [("065-ch-001", "١")]
    # generated from the pages: the home page's grids, the picker's table, search results
    assert jude.meta["chapters"] == [["065-ch-001", "١"]]
    found = reference_table(site)
    assert found is not None
    table = {b["code"]: b["chapters"] for b in found["books"]}
    assert table["JUD"][0][:3] == [1, "065-ch-001", "١"]
    assert [e.title for e in search_entries(jude)][-1] == "یەهودا ١:١٢"
    peter = site.page("62-2PE.md")
    assert peter is not None
    assert [e.title for e in search_entries(peter)][-1] == "پەترۆس ٢:١"
    # the content record's chapters, on the "What changed" page
    assert {i.group for i in site.items if i.href.startswith("66-JUD.html#")} == {"یەهودا ١"}
    # the pages' own numbers (the footer's count) and the scripts' (#tx-config)
    tx = extra_config(site)
    assert tx["digits"] == ARABIC_INDIC and tx["attribution"]["contributors_shown"] == "٣"


def test_western_digits_win_by_evidence(tmp_path: Path):
    repo = _two_books(tmp_path / "ckb")
    jude = repo / "66-JUD.usfm"  # Jude now labels its chapter in Western digits, twice as often
    jude.write_text(jude.read_text(encoding="utf-8").replace(
        "\\c 1\n", "\\c 1\n\\cl Chapter 1\n\\v 1 \\vp 1\\vp*", 1), encoding="utf-8")
    for _ in range(2):
        jude.write_text(jude.read_text(encoding="utf-8") + "\\c 2\n\\cl Chapter 2\n\\p\n\\v 1 a\n"
                        "\\c 3\n\\cl Chapter 3\n\\p\n\\v 1 b\n", encoding="utf-8")
    site = build_site(repo)
    assert site.theme.digits == WESTERN_DIGITS
    peter = site.page("62-2PE.md")
    assert peter is not None and '<sup>1</sup>' in peter.html  # its numbers as the site's
    assert '<h2 class="c-num" id="061-ch-001">بەشی١</h2>' in peter.html  # its labels as written
