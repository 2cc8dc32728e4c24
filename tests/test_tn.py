"""translationNotes sites: TSV7 (en_tn), TSV9 (en_tn_9col) and invented Markdown/broken repos."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.types.tn import TYPE

from .helpers import build_log, visible_text
from .helps_support import make_repo, messages, pages, site_of, tsv_ids

BOOK_PAGES = ["08-RUT.html", "32-JON.html", "57-TIT.html", "65-3JN.html"]
TSV7_HEADER = "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote\n"


@pytest.fixture(scope="module")
def sites(built_sample) -> dict[str, Path]:
    return {name: built_sample(name) for name in ("en_tn", "en_tn_9col")}


@pytest.mark.parametrize("name", ["en_tn", "en_tn_9col"])
def test_every_row_once_with_its_id_as_anchor(sites: dict[str, Path], samples: Path, name: str):
    log = build_log(sites[name])
    assert not log["errors"], log["errors"]
    built = pages(sites[name])
    assert list(built) == BOOK_PAGES
    for tsv in sorted((samples / name).glob("*.tsv")):
        page = next(p for p in BOOK_PAGES if p[3:6] in tsv.stem)
        fragment = built[page]
        for row_id in tsv_ids(tsv):
            assert len(re.findall(rf'<div class="tx-note[^"]*" id="{row_id}">', fragment)) == 1
        code = page[3:6].lower()
        assert re.search(rf'<h1 id="tn-{code}">', fragment)
        assert f'id="tn-chapter-{code}-front"' in fragment
        assert f'id="tn-chapter-{code}-001"' in fragment
        text = tsv.read_text(encoding="utf-8")
        has_intro = "\n1:intro\t" in text or "\t1\tintro\t" in text
        assert (f'id="tn-chunk-{code}-001-intro"' in fragment) == has_intro
        assert f'id="tn-chunk-{code}-001-001"' in fragment


@pytest.mark.parametrize("name", ["en_tn", "en_tn_9col"])
def test_note_markdown_line_breaks_and_support_references(sites: dict[str, Path], name: str):
    fragment = pages(sites[name])["57-TIT.html"]
    # literal \n (TSV7) and <br> (TSV9) are line breaks: the intro's headings are real headings
    assert re.search(r"<h2>Introduction to Titus</h2>", fragment)
    assert "<h4>Outline of the book of Titus</h4>" in fragment
    text = visible_text(fragment)
    assert "\\n" not in text and "<br>" not in text
    # SupportReference, rc link (TSV7) or bare slug (TSV9), links to the tA article
    assert re.search(r'<a class="tx-support-reference" href="[^"]*03-translate\.html#figs-metaphor"'
                     r">figs-metaphor</a>", fragment)
    # the quote is shown, in Greek for the New Testament
    assert '<span class="tx-quote" lang="el-x-koine" dir="auto">' in fragment
    assert 'class="tx-helps-index"' in fragment and "<details" in fragment


def test_tsv9_shows_gl_quote_and_original_quote(sites: dict[str, Path]):
    fragment = pages(sites["en_tn_9col"])["08-RUT.html"]
    assert '<span class="tx-quote" lang="hbo" dir="auto">' in fragment
    assert re.search(r'<h4 class="tx-note-title">[^<]+</h4>\n<p class="tx-meta"><span '
                     r'class="tx-label">Quote:</span>', fragment)


def test_links_inside_the_book_become_page_anchors(sites: dict[str, Path]):
    built = pages(sites["en_tn"])
    # ../01/09/pzi1 → the note; ../03/7.md → the verse; ../01/02.md → the verse
    assert '<a href="#pzi1"' in built["57-TIT.html"]
    assert '<a href="#tn-chunk-rut-003-007"' in built["08-RUT.html"]
    assert '<a href="#tn-chunk-jon-001-002"' in built["32-JON.html"]
    assert not [m for m in build_log(sites["en_tn"])["warnings"] if "Unable to resolve" in m]


def test_verse_range_filed_under_its_first_verse(sites: dict[str, Path]):
    fragment = pages(sites["en_tn"])["65-3JN.html"]
    assert '<h3 class="tx-helps-verse" id="tn-chunk-3jn-001-006">3 John 1:6-7</h3>' in fragment
    note = fragment[fragment.index('id="jfun"'):]
    assert '<span class="tx-label">Reference:</span> 1:6-7' in note[:400]


def test_whitespace_traps_reported_with_file_and_line(sites: dict[str, Path]):
    warnings = build_log(sites["en_tn"])["warnings"]
    assert "tn_RUT.tsv:227: RUT 4:1 - Unexpected non-break space in Note" in warnings
    assert "tn_TIT.tsv:10: TIT 1:2 - Unexpected trailing space(s) in Quote" in warnings
    # U+2060 joins Hebrew morphemes in quotes: not a problem there
    assert not [w for w in warnings if "word joiner" in w]


def test_rc_and_path_targets():
    assert TYPE.rc_target(["help", "tit", "01", "02"]) == ("57-TIT.html", "tn-chunk-tit-001-002")
    assert TYPE.rc_target(["tit", "1", "2"]) == ("57-TIT.html", "tn-chunk-tit-001-002")
    assert TYPE.rc_target(["help", "tit", "front", "intro"]) == ("57-TIT.html",
                                                                 "tn-chapter-tit-front")
    assert TYPE.rc_target(["help", "tit", "01", "intro"]) == ("57-TIT.html",
                                                              "tn-chunk-tit-001-intro")
    assert TYPE.rc_target(["help", "tit", "01"]) == ("57-TIT.html", "tn-chapter-tit-001")
    assert TYPE.rc_target(["help", "tit", "01", "06", "zuf5"]) == ("57-TIT.html", "zuf5")
    assert TYPE.rc_target(["help", "mat"]) == ("41-MAT.html", "tn-mat")
    assert TYPE.rc_target(["help", "xyz", "01", "01"]) is None
    assert TYPE.path_target("tit/01/06.md") == ("57-TIT.html", "tn-chunk-tit-001-006")
    assert TYPE.path_target("tn_3JN.tsv") == ("65-3JN.html", "")


def test_door43_row_checks(tmp_path: Path):
    rows = [
        "front:intro\tm2jl\t\t\t\t0\t# Introduction\\n\\nText",
        "1:1\tAB1\t\tfigs-idiom\tλόγος\t1\tBad ID.",
        "1:1\tm2jl\t\t\tλόγος\t1\tDuplicate ID.",
        "1:2\t\t\t\tλόγος\t1\tMissing ID.",
        "1:3\tq1w2\t\t\tλόγος\tx\tBad occurrence.",
        "1:2\tq1w3\t\t\tλόγος\t1\tOut of order.",
        "x:1\tq1w4\t\t\tλόγος\t1\tBad chapter.",
        "front:1\tq1w5\t\t\tλόγος\t1\tBad combination.",
        "1:4\tq1w6\t\t\tλό\u2060γος\t1\tNote with\u200ba zero-width space and [an open bracket.",
        "1:5\tq1w7\tfigs-idiom\tλόγος\t1",
        "1:6\tq1w8\t\tnot a slug!\tλόγος\t1\tBad support reference.",
    ]
    repo = make_repo(tmp_path / "tn", "tn", "TSV Translation Notes",
                     {"tn_TIT.tsv": TSV7_HEADER + "\n".join(rows)}, [("tit", "tn_TIT.tsv")])
    site = site_of(repo)
    found = messages(site)
    for expected in [
        "tn_TIT.tsv:3: TIT 1:1 - Bad ID 'AB1' (Should be exactly four characters long; "
        "Should be lowercase)",
        "tn_TIT.tsv:4: TIT 1:1 - Duplicate ID 'm2jl'",
        "tn_TIT.tsv:5: TIT 1:2 - Missing ID",
        "tn_TIT.tsv:6: TIT 1:3 - Bad Occurrence number 'x' (Should be number -1,0,1,2,…)",
        "tn_TIT.tsv:7: TIT 1:2 - Chapter/Verse numbers out of order",
        "tn_TIT.tsv:8: TIT x:1 - Bad chapter number 'x'",
        "tn_TIT.tsv:9: TIT front:1 - Unexpected C:V combination 'front:1'",
        "tn_TIT.tsv:10: TIT 1:4 - Unexpected zero-width space in Note",
        "tn_TIT.tsv:10: TIT 1:4 - Unmatched square brackets",
        "tn_TIT.tsv:11: Unable to convert bad TSV line (wrong number of fields: 5, expected 7)",
        "tn_TIT.tsv:12: TIT 1:6 - Bad SupportReference 'not a slug!'",
    ]:
        assert expected in found, (expected, found)
    assert not [m for m in found if "word joiner" in m]
    page = site.page("57-TIT.md")
    assert page is not None
    # every readable row is on the page once; unusable IDs get a line anchor
    for anchor in ("m2jl", "AB1", "tn-tit-line-4", "tn-tit-line-5", "q1w2", "q1w3", "q1w4",
                   "q1w5", "q1w6", "q1w8"):
        assert page.html.count(f'id="{anchor}"') == 1, anchor
    assert 'id="tn-chapter-tit-other"' in page.html  # rows with unreadable references
    assert [e.title for e in page.toc] == ["Introduction", "Titus 1", "Other"]
    assert site.log.status == "errors"  # the bad line is an error, the site is still there


def test_tsv9_book_column_checked(tmp_path: Path):
    header = ("Book\tChapter\tVerse\tID\tSupportReference\tOrigQuote\tOccurrence\tGLQuote\t"
              "OccurrenceNote\n")
    rows = ["TIT\t1\t1\tabcd\tfigs-idiom\tλόγος\t1\tword\tNote<br>line two",
            "RUT\t1\t2\tabce\t\tλόγος\t1\t\tOther book code"]
    repo = make_repo(tmp_path / "tn9", "tn", "TSV Translation Notes",
                     {"en_tn_57-TIT.tsv": header + "\n".join(rows)})
    site = site_of(repo)
    assert "en_tn_57-TIT.tsv:3: TIT 1:2 - Bad book code 'RUT' (expected 'TIT')" in messages(site)
    page = site.page("57-TIT.md")
    assert page is not None and 'id="abcd"' in page.html and 'id="abce"' in page.html
    assert "<p>Note<br>\nline two</p>" in page.html  # <br> is a line break


def test_markdown_notes(tmp_path: Path):
    files = {
        "tit/front/intro.md": "# Introduction to Titus\n\nAbout the book.",
        "tit/01/intro.md": "# Titus 1 General Notes\n\nSee [the first note](../01/05.md).",
        "tit/01/01.md": "# Paul\n\nThe writer. (See: [[rc://en/ta/man/translate/figs-idiom]])",
        "tit/01/05.md": "# For this purpose\n\nBack to [verse 1](./01.md).",
        "tit/01/notes.txt": "stray",
        "tit/02/.keep": "",
    }
    repo = make_repo(tmp_path / "tnmd", "tn", "Translation Notes", files, [("tit", "tit")])
    site = site_of(repo)
    page = site.page("57-TIT.md")
    assert page is not None
    for anchor in ("tn-tit", "tn-chapter-tit-front", "tn-chapter-tit-001",
                   "tn-chunk-tit-001-intro", "tn-chunk-tit-001-001", "tn-chunk-tit-001-005"):
        assert page.html.count(f'id="{anchor}"') == 1, anchor
    assert '<a href="57-TIT.html#tn-chunk-tit-001-005"' in page.html
    assert '<a href="57-TIT.html#tn-chunk-tit-001-001"' in page.html
    assert "03-translate.html#figs-idiom" in page.html
    assert "<h2>Introduction to Titus</h2>" in page.html  # book intro at chapter level
    assert "<h4>Paul</h4>" in page.html  # a note's heading under its verse
    found = messages(site)
    assert "tit/01/notes.txt: Unexpected 'notes.txt' file in 'tit/01/'" in found
    assert "tit/02: No .md chunk files found in TIT 02 folder" in found
    assert site.input_format == "md"


def test_no_books_is_an_error(tmp_path: Path):
    repo = make_repo(tmp_path / "empty", "tn", "TSV Translation Notes", {"README.md": "hi"})
    site = site_of(repo)
    assert [p.url for p in site.pages if p.template == "tn.html"] == []
    assert any("No book files found" in m.text for m in site.log.errors)
