"""USFM → HTML: counts on the real samples, Door43 quirks, every marker class, diagnostics, hostile
input. Verse-by-verse text fidelity is measured in test_usfm_fidelity.py, the conformance corpus
in test_usfm_conformance.py.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tx_mkdocs.core.books import book
from tx_mkdocs.usfm import Chapter, RenderedBook, render_book
from tx_mkdocs.usfm.chapters import CHAPTER_WORDS

from .fuzzing import tried
from .usfm_support import html_verses

BIBLES = ["en_ult", "en_ust", "en_ulb", "bdf_reg", "ceb_ulb", "hbo_uhb", "el-x-koine_ugnt",
          "full_bible"]

_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
_VERSE = re.compile(r"\\v(?![A-Za-z0-9*-])")
_WORD = re.compile(r"\w+")


def visible(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment))


def render(text: str, **kwargs) -> RenderedBook:
    return render_book(text, source="test.usfm", **kwargs)


#: Checks of a whole book (headers, chapter and verse counts) and gaps: noise for the small
#: synthetic books, unless a test is about them.
BOOK_LEVEL = frozenset(("usfm.missing-header", "usfm.chapter-count", "usfm.verse-count"))
COMPLETENESS = BOOK_LEVEL | {"usfm.missing-chapter", "usfm.missing-verse"}


def texts(messages, skip=COMPLETENESS) -> list[str]:
    return [m.text for m in messages if m.code not in skip]


@pytest.fixture(scope="module")
def books(samples: Path) -> dict[str, list[tuple[str, str, RenderedBook]]]:
    """Every Bible sample rendered once: dir → [(file name, source text, rendered book)]."""
    rendered = {}
    for name in BIBLES:
        rendered[name] = []
        for path in sorted((samples / name).glob("*.usfm")):
            text = path.read_text(encoding="utf-8")
            rendered[name].append((path.name, text, render_book(text, source=path.name)))
    return rendered


def find(books, sample: str, file: str) -> tuple[str, RenderedBook]:
    for name, text, rendered in books[sample]:
        if name == file:
            return text, rendered
    raise AssertionError(f"{sample}/{file} not rendered")


# -- the real samples -------------------------------------------------------------------------


@pytest.mark.parametrize("sample", BIBLES)
def test_one_unique_verse_id_per_verse_marker(books, sample):
    assert books[sample]
    for name, text, rendered in books[sample]:
        verse_ids = [v for c in rendered.chapters for v in c.verse_ids]
        assert len(verse_ids) == len(_VERSE.findall(text)), name
        page_ids = _ID.findall(rendered.html)
        duplicates = [i for i, n in Counter(page_ids).items() if n > 1]
        assert not duplicates, (name, duplicates[:5])
        assert set(verse_ids) <= set(page_ids)
        assert [c.id for c in rendered.chapters] == [
            f"{book(rendered.code).anchor_key}-ch-{int(c.number):03d}" for c in rendered.chapters]


@pytest.mark.parametrize("sample", BIBLES)
def test_no_markup_in_visible_text(books, sample):
    for name, _, rendered in books[sample]:
        text = visible(rendered.html)
        for residue in ("\\", "|", "x-strong", "lemma=", "strong=", "x-occurrence", "\ufeff"):
            assert residue not in text, (name, residue)


def test_real_samples_report_only_known_problems(books):
    """No errors; the warnings are genuine: the Luke 2:49 footnote, ULT v1's empty REV 18:25,
    the missing headers of UHB and UGNT, and the 2018 alignment format (one per book)."""
    messages = [m for sample in BIBLES for _, _, r in books[sample] for m in r.messages]
    assert not [m for m in messages if m.severity == "error"]
    old_format = [m for m in messages if m.code == "usfm.old-milestone"]
    assert len(old_format) == 28  # 27 NT books of full_bible, UGNT Titus
    assert "TIT - '\\k-s' milestones without '\\*' (old alignment format)" in texts(old_format)
    assert sorted(m.format() for m in messages if m.code != "usfm.old-milestone") == [
        "08-RUT.usfm:1: RUT - Missing \\h, \\toc1, \\toc2, \\toc3, \\mt tags",
        "32-JON.usfm:1: JON - Missing \\h, \\toc1, \\toc2, \\toc3, \\mt tags",
        "43-LUK.usfm:6627: LUK 2:49 - Found '\\fqa' where '\\fqa*' was expected",
        "57-TIT.usfm:1: TIT - Empty \\toc1 tag",
        "65-3JN.usfm:1: 3JN - Empty \\toc1 tag",
        "67-REV.usfm:24063: REV 18:25 - Empty verse",
        "67-REV.usfm:24063: REV 18:25 - Should have 24 verses",
    ]


def test_luke_2_49_opener_where_closer_belongs(books):
    text, rendered = find(books, "full_bible", "43-LUK.usfm")
    [message] = [m for m in rendered.messages if m.code == "usfm.opener-for-closer"]
    assert message.text.startswith("LUK 2:49 - ")
    assert "\\fqa" in message.text
    assert (message.file, message.line, message.severity) == ("43-LUK.usfm", 6627, "warning")
    assert message.anchor == "042-ch-002-v-049"
    assert "\\fqa . \\f*" in text.splitlines()[6626]
    # The footnote itself is intact: the quotation in <em class="fqa">, the "." after it.
    assert '<em class="fqa">in my Father&#x27;s house </em>.</p>' in rendered.html


def test_bridge_counts_once(books):
    _, rendered = find(books, "en_ust", "65-3JN.usfm")
    ids = rendered.chapters[0].verse_ids
    assert ids.count("064-ch-001-v-006") == 1
    assert "064-ch-001-v-007" not in ids
    assert '<span class="v-num" id="064-ch-001-v-006"><sup>6-7</sup>&nbsp;</span>' in rendered.html


def test_chapter_labels_from_cl(books):
    _, psalms = find(books, "full_bible", "19-PSA.usfm")
    assert len(psalms.chapters) == 150
    assert psalms.chapters[0].label == "Psalm 1"
    assert psalms.chapters[149].label == "Psalm 150"
    assert '<h2 class="c-num" id="019-ch-001">Psalm 1</h2>' in psalms.html
    assert '<h3 class="ms1">Book One</h3>' in psalms.html
    _, titus = find(books, "bdf_reg", "57-TIT.usfm")
    assert [c.label for c in titus.chapters] == ["Sabta 1", "Sabta 2", "Sabta 3"]
    assert [c.number for c in titus.chapters] == ["1", "2", "3"]
    assert visible(titus.html).count("Sabta 2") == 1  # the heading only, not body text


def test_headers_and_titles(books):
    _, third_john = find(books, "en_ult", "65-3JN.usfm")
    assert third_john.code == "3JN"
    assert third_john.title == "3 John"
    assert third_john.headers["mt"] == "Third John"  # trailing space in the source
    assert third_john.headers["usfm"] == "3.0"
    _, ruth = find(books, "hbo_uhb", "08-RUT.usfm")
    assert ruth.title == "" and set(ruth.headers) == {"id", "ide"}
    _, titus = find(books, "el-x-koine_ugnt", "57-TIT.usfm")
    assert titus.headers["toc1"] == "" and titus.title == "Titus"
    _, front = find(books, "en_ult", "A0-FRT.usfm")
    assert front.code == "FRT" and front.chapters == []
    assert '<h2 class="imt1">Overview</h2>' in front.html


def test_bom_sample(books):
    text, rendered = find(books, "ceb_ulb", "65-3JN.usfm")
    assert text.startswith("\ufeff")
    assert rendered.code == "3JN" and "\ufeff" not in rendered.html


def test_footnotes_door43_ids(books):
    _, ruth = find(books, "en_ult", "08-RUT.usfm")
    caller = ('<sup class="fn-caller"><a href="#fn-008-002-001-1" id="ref-fn-008-002-001-1">a'
              "</a></sup>")
    assert caller in ruth.html
    assert '<p class="footnote" id="fn-008-002-001-1"><a href="#ref-fn-008-002-001-1">a</a> ' \
           '<em class="fq">a relative of her husband </em>' in ruth.html
    chapter_two = ruth.html.split('data-chapter="2"')[1].split('data-chapter="3"')[0]
    assert chapter_two.index("fn-caller") < chapter_two.index('<div class="footnotes">')


def test_full_bible_counts_and_2018_alignment(books):
    assert len(books["full_bible"]) == 66
    assert sum(len(c.verse_ids) for _, _, r in books["full_bible"] for c in r.chapters) == 31105
    assert sum(len(r.chapters) for _, _, r in books["full_bible"]) == 1189
    _, matthew = find(books, "full_bible", "41-MAT.usfm")
    first = matthew.html.split('id="040-ch-001-v-001">')[1].split('class="v-num"')[0]
    assert (" ".join(visible(first).split()) ==
            "1 The book of the genealogy of Jesus Christ, son of David, son of Abraham. <span")
    # tC 2018 put "camel", "'" and "s" on three lines: one word again, not "camel' s".
    assert "camel's hair" in visible(matthew.html) and "' s " not in visible(matthew.html)


# -- synthetic cases (raw strings: one USFM line per source line) ------------------------------


def test_public_api_shape():
    rendered = render("\\id RUT\n\\c 1\n\\p\n\\v 1 In the days\n")
    assert rendered.chapters == [Chapter("1", "008-ch-001", "Chapter 1", ["008-ch-001-v-001"])]
    assert texts(rendered.messages) == []
    assert texts(rendered.messages, skip=()) == [
        "RUT 1:1 - Should have 22 verses", "RUT - Missing \\h, \\toc1, \\toc2, \\toc3, \\mt tags",
        "RUT 2-4 - Missing chapters"]


def test_bom_and_crlf():
    rendered = render("\ufeff\\id RUT x\r\n\\h Ruth\r\n\\c 1\r\n\\p\r\n\\v 1 In the\r\ndays\r\n"
                      "\\v 2 Boaz\\f + \\ft note\\f*\r\n")
    assert rendered.code == "RUT" and rendered.title == "Ruth"
    assert "\r" not in rendered.html and "\ufeff" not in rendered.html
    assert "In the days" in rendered.html
    assert rendered.chapters[0].verse_ids == ["008-ch-001-v-001", "008-ch-001-v-002"]


def test_paragraph_and_verse_without_space():
    rendered = render("\\id MAT\n\\c 1   \n\\p\\v 1 Hello\n\\p\\v 2  World\n")
    assert rendered.chapters[0].number == "1"
    assert rendered.chapters[0].verse_ids == ["040-ch-001-v-001", "040-ch-001-v-002"]
    assert ('<p class="p"><span class="v-num" id="040-ch-001-v-002"><sup>2</sup>&nbsp;</span>'
            'World</p>') in rendered.html


def test_whitespace_rule():
    rendered = render(r"""\id TIT
\c 1
\p
\v 1 \w And|x-occurrence="1"\w*
\w these|a="b"\w* \w 23|x="1"\w*\w rd|x="1"\w* \nd Lord\nd* said \w glossary\w*~word//end
""")
    assert ('And these 23rd <span class="nd">Lord</span> said <span class="w">glossary</span>'
            '\u00a0word<wbr>end</p>' in rendered.html)


def test_possessive_split_by_the_2018_export():
    rendered = render("""\\id MAT
\\c 1
\\p
\\v 1
\\zaln-s | x-strong="G1"
\\w camel|x-occurrence="1"\\w*
\\zaln-e\\*'
\\zaln-s | x-strong="G1"
\\w s|x-occurrence="1"\\w*
\\zaln-e\\*
\\w Caesar|x-occurrence="1"\\w*'
\\w s|x-occurrence="1"\\w*, to the
\\zaln-s | x-strong="G2"
\\w brothers|x-occurrence="1"\\w*
\\zaln-e\\*'
\\zaln-s | x-strong="G3"
\\w sons|x-occurrence="1"\\w*
\\zaln-e\\*, 'go' so
""")
    assert "camel's Caesar's, to the brothers' sons, 'go' so" in visible(rendered.html)


def test_alignment_2024_and_2018_forms():
    aligned = render(r"""\id RUT
\c 1
\p
\v 1 \zaln-s |x-strong="H1" x-content="א"\*\w Now|x-occurrence="1"\w*
\w it|x-occurrence="1"\w*\zaln-e\*
\zaln-s |x-a="1"\*\zaln-s |x-b="2"\*\w land|x-occurrence="1"\w*\zaln-e\*\zaln-e\*.
""")
    assert "Now it land.</p>" in aligned.html
    assert texts(aligned.messages) == []
    old = render(r"""\id MAT
\c 1
\p
\v 1
\zaln-s | x-strong="G1" x-content="a"
\w Christ|x-occurrence="1"\w*
\zaln-e\*,
\zaln-s | x-strong="G2"
\w the|x-occurrence="1"\w*
\w son|x-occurrence="1"\w*
\zaln-e\*
\zaln-e\*.
\k-s | x-tw="rc://x"
\w word|lemma="λ" strong="G1" \w*
\k-e\*
""")
    assert "Christ, the son. word</p>" in old.html
    # One \zaln-e too many, reported on its line; nothing leaks from the attributes. The old
    # format itself is worth one warning per milestone name.
    assert texts(old.messages) == [
        "MAT - '\\zaln-s' milestones without '\\*' (old alignment format)",
        "MAT - '\\k-s' milestones without '\\*' (old alignment format)",
        "MAT 1:1 - '\\zaln-e' without a matching '\\zaln-s'"]
    assert [m.line for m in old.messages[:3]] == [5, 13, 12]
    assert "x-" not in visible(old.html) and "|" not in visible(old.html)


def test_milestones_dropped_and_checked():
    rendered = render(r"""\id TIT
\c 1
\p
\v 1 a \qt-s |who="Pilate"\* quoted\qt-e\* \ts\* b \ts* c
\s5
\v 2 \zaln-s |x="1"\*d
\v 3 e \qt1-s |sid="qt1_TIT_1:3"
who="Paul"\*f\qt1-e\*
""")
    assert "a quoted b c" in visible(rendered.html)
    assert "e f" in visible(rendered.html) and "Paul" not in visible(rendered.html)
    assert texts(rendered.messages) == [
        "TIT 1:1 - Malformed milestone '\\ts*' (expected '\\ts\\*')",
        "TIT 1:2 - Unclosed milestone '\\zaln-s' (missing '\\zaln-e\\*')",
        "TIT 1:3 - Line break inside the attributes of '\\qt1-s'"]
    assert [m.line for m in rendered.messages[:3]] == [4, 6, 7]


def test_unknown_marker_keeps_text_and_warns_once():
    rendered = render(r"""\id TIT
\c 1
\p
\v 1 a \xyz kept
\v 2 b \xyz more \zfoo z\zfoo* end
\v 3 c
""")
    assert rendered.chapters[0].verse_ids == [f"056-ch-001-v-00{n}" for n in (1, 2, 3)]
    assert "a kept" in visible(rendered.html) and "b more z end" in visible(rendered.html)
    assert texts(rendered.messages) == ["TIT - Unknown USFM token: '\\xyz'",
                                        "TIT - Unknown USFM token: '\\zfoo'"]
    assert [m.line for m in rendered.messages[:2]] == [4, 5]


def test_hostile_text_is_escaped():
    rendered = render(r"""\id TIT
\h <b>x</b>
\c 1"><x
\cl <img src=x onerror=alert(1)>
\p
\v 1"<i> <script>alert("x")</script> & \f <\ft n\f* \fig cap|src="javascript:x"\fig*
\v 2 \fig a|src="x.jpg\" onerror=\"alert(1)"\fig* \fig b|src="../../etc/passwd"\fig*
\v 3 \fig c|src="//evil.example/x.png"\fig* \fig d|alt="<x>" src="https://e.org/a.png?b=1&c"\fig*
""")
    page = rendered.html
    assert "<script" not in page and "<i>" not in page and "<x>" not in page
    assert page.count("<img") == 1  # only the https URL
    assert ('<img src="https://e.org/a.png?b=1&amp;c" alt="&lt;x&gt;" loading="lazy" '
            'referrerpolicy="no-referrer">') in page
    assert "&lt;script&gt;" in page
    assert 'data-chapter="1&quot;&gt;&lt;x"' in page
    assert "javascript" not in page and "passwd" not in page and "evil" not in page
    assert rendered.title == "<b>x</b>"  # plain text: the caller escapes it
    assert [m.text.split(" - ", 1)[1] for m in rendered.messages if m.code == "usfm.figure"] == [
        "Figure source 'javascript:x' is not a file name or http(s) address",
        "Figure source 'x.jpg\" onerror=\"alert(1)' is not a file name or http(s) address",
        "Figure source '../../etc/passwd' is not a file name or http(s) address",
        "Figure source '//evil.example/x.png' is not a file name or http(s) address"]


def test_figures():
    rendered = render(r"""\id MRK
\c 1
\p
\v 18 At once they left.\fig Nets.|src="avnt016.jpg" size="span" ref="1.18"\fig* And
\v 19 went.\f + \ft See \fig Fish|alt="A fish" src="fish.png"\fig*\f*
\p \fig DESC|old.jpg|col||©|Caption|1:19\fig*
\p \fig not closed|src="x.png"
\v 20 after
""")
    page = rendered.html
    assert ('At once they left.</p>\n<figure class="fig"><img src="avnt016.jpg" alt="Nets." '
            'loading="lazy" referrerpolicy="no-referrer"><figcaption>Nets. '
            '<span class="fig-ref">1.18</span></figcaption></figure>\n'
            '<p class="p">And <span class="v-num"') in page
    assert ('<span class="fig"><img src="fish.png" alt="A fish" loading="lazy" '
            'referrerpolicy="no-referrer"><span class="fig-caption">Fish</span></span>') in page
    assert ('<figure class="fig"><img src="old.jpg" alt="DESC" loading="lazy" '
            'referrerpolicy="no-referrer"><figcaption>Caption <span class="fig-ref">1:19</span>'
            '</figcaption></figure>') in page
    assert texts(rendered.messages) == ["MRK 1:19 - Missing closing marker '\\fig*'"]
    assert '<figcaption>not closed</figcaption></figure>\n<p class="p"><span class="v-num"' in page
    assert "after" in visible(page)


def test_notes_callers_and_cross_references():
    rendered = render(r"""\id TIT
\c 2
\p
\v 3 a\x - \xo 2:3 \xt Gen 1:1\x* b\f a \fr 2:3 \ft custom \+bk Book\+bk*\f* c\f + \ft two\f*
\v 4 d\fe + \ft end\fe*
""")
    page = rendered.html
    # "-": no mark, but the caller's link stays so the back-link lands.
    assert ('<sup class="xr-caller hidden"><a href="#xr-056-002-003-1" id="ref-xr-056-002-003-1" '
            'aria-label="1"></a></sup>') in page
    assert '<a href="#fn-056-002-003-1" id="ref-fn-056-002-003-1">a</a>' in page
    assert '<a href="#fn-056-002-003-2" id="ref-fn-056-002-003-2">b</a>' in page
    assert '<div class="crossrefs">\n<p class="crossref" id="xr-056-002-003-1">' in page
    assert '<a href="#ref-xr-056-002-003-1">1</a>' in page
    assert '<span class="ft">custom <span class="bk">Book</span></span>' in page
    # An endnote is numbered and listed with the chapter's footnotes.
    assert '<p class="footnote" id="fn-056-002-004-3"><a href="#ref-fn-056-002-004-3">c</a>' in page
    assert texts(rendered.messages) == []


def test_unclosed_note_and_character_styles():
    rendered = render(r"""\id TIT
\c 1
\p
\v 1 a\f + \ft note text
\v 2 b \nd Lord
\v 3 c\add*
\p \wj x \add y\add z\wj*
\v 4 \w \w* \add \add* \xq quote\xq* \em e|no default\em*
""")
    assert texts(rendered.messages) == [
        "TIT 1:1 - Unclosed note '\\f' (missing '\\f*')",
        "TIT 1:2 - Missing closing marker '\\nd*'",
        "TIT 1:3 - Closing marker '\\add*' without an opening marker",
        "TIT 1:3 - Found '\\add' where '\\add*' was expected",
        "TIT 1:4 - Empty '\\w \\w*'",
        "TIT 1:4 - Empty '\\add \\add*'",
        "TIT 1:4 - '\\xq' outside a note",
        "TIT 1:4 - Invalid attributes for '\\em': 'no default'",
    ]
    assert [m.line for m in rendered.messages[:8]] == [4, 5, 6, 7, 8, 8, 8, 8]
    assert "b Lord 3 c" in " ".join(visible(rendered.html).split())
    assert '<span class="woc">x <span class="add">y</span>z</span>' in rendered.html


def test_attributes_are_checked_where_they_are_not_stripped():
    rendered = render(r"""\id GEN
\c 1
\p
\v 1 \w a|lemma="x" strong="l"\w* \w b|lemma= strong="l"\w* \w c|lemma strong="l"\w*
\v 2 \w d|"quoted"\w* \w e|grace\w* \rb BB|g:g\rb* \em f|x-weight="heavy"\em*
""")
    assert " ".join(visible(rendered.html).split()) == "Chapter 1 1 a b c 2 d e BB f"
    assert texts(rendered.messages) == [
        "GEN 1:1 - Invalid attributes for '\\w': 'lemma= strong=\"l\"'",
        "GEN 1:1 - Invalid attributes for '\\w': 'lemma strong=\"l\"'"]


def test_chapter_and_verse_order_checks():
    rendered = render(r"""\id TIT
\c 1
\p
\v 1 a
\v 1 b
\v 3 c
\v 2 d
\v 4
\c 1
\p
\v 1 z
\c 3
\p
\v 01 y
\v 5 x
\c 2
\p
\v 1 w
""")
    assert texts(rendered.messages, skip=BOOK_LEVEL) == [
        "TIT 1:1 - Duplicated verse number",
        "TIT 1:1 - Missing verse between this and: TIT 1:3",
        "TIT 1:2 - Verse out of order: after TIT 1:3",
        "TIT 1:4 - Empty verse",
        "TIT 1 - Duplicate chapter",
        "TIT 2 - Missing chapter",
        "TIT 3:01 - Verse number '01' has leading zero",
        "TIT 3:01 - Missing verses between this and: TIT 3:5",
        "TIT 2 - Chapter out of order: after TIT 3",
    ]
    structural = [m for m in rendered.messages if m.code not in BOOK_LEVEL]
    assert [m.line for m in structural] == [5, 6, 7, 8, 9, 12, 14, 15, 16]
    assert [m.severity for m in structural] == [
        "error", "warning", "error", "warning", "error", "error", "warning", "warning", "error"]
    ids = _ID.findall(rendered.html)
    assert len(ids) == len(set(ids)) == 13
    assert rendered.chapters[0].verse_ids[:2] == ["056-ch-001-v-001", "056-ch-001-v-001-2"]


def test_versification_checks():
    rendered = render(r"""\id 3JN
\h 3 John
\toc1 Third John
\toc2 3 John
\toc3 3jn
\mt Third John
\c 1
\p
\v 1 a
\v 2-13 b
\v 14 c
""")
    assert rendered.messages == []  # 3JN 1:15 is optional
    matthew = render(r"""\id MAT
\c 17
\p
\v 20 a
\v 22 b
\v 27 c
\c 29
\p
\v 1 d
""")
    assert texts(matthew.messages, skip=()) == [
        "MAT 1-16 - Missing chapters",
        "MAT 17 - Missing verses between this and: MAT 17:20",  # 17:21 may be left out
        "MAT 17:22 - Missing verses between this and: MAT 17:27",
        "MAT 18-28 - Missing chapters",
        "MAT - Missing \\h, \\toc1, \\toc2, \\toc3, \\mt tags",
        "MAT 29 - Unexpected chapter: MAT has 28 chapters",
    ]
    assert [m.severity for m in matthew.messages] == ["error", "warning", "warning", "error",
                                                     "warning", "warning"]
    jonah = "\\id JON\n\\c 1\n\\p\n" + "".join(f"\\v {n} word\n" for n in range(1, 17))
    [count] = [m for m in render(jonah).messages if m.code == "usfm.verse-count"]
    assert (count.text, count.line, count.anchor) == ("JON 1:16 - Should have 17 verses", 19,
                                                      "032-ch-001-v-016")
    # Hebrew (and Greek) texts follow the original-language versification: not checked.
    hebrew = jonah.replace("word", "\u05d3\u05d1\u05e8")
    assert not [m for m in render(hebrew).messages if m.code.endswith("-count")]
    # Books without a table entry are not checked either.
    assert not [m for m in render("\\id TOB\n\\c 3\n\\p\n\\v 9 x\n").messages
                if m.code.endswith("-count")]


def test_headers_and_title_checks():
    rendered = render(r"""\id RUT
\h Ruth
\toc1
\toc2 Ruth
\mt1 Ruth
\mt1 Again
\c 1
\p
\v 1 a
\id RUT
""")
    assert texts(rendered.messages, skip=()) == [
        "RUT 1:1 - '\\id' in the middle of the book",
        "RUT 1:1 - Should have 22 verses",
        "RUT - Missing \\toc3 tag",
        "RUT - Empty \\toc1 tag",
        "RUT 2-4 - Missing chapters"]
    # One <h1> per page: a second main title is demoted.
    assert rendered.html.count("<h1") == 1
    assert '<h1 class="mt1">Ruth</h1>\n<h2 class="mt1">Again</h2>' in rendered.html
    empty = render("\\id GEN\n\\h Genesis\n")
    assert texts(empty.messages)[-1] == "GEN - USFM book seems empty (no chapters)"
    front = render("\\id FRT\n\\h Front\n\\toc1 F\n\\toc2 F\n\\toc3 F\n\\p Text\n")
    assert front.messages == []  # front matter has no chapters and needs no \mt


def test_paragraph_checks():
    rendered = render(r"""\id GAL
\mt Galatians
\ip An introduction
\p A body paragraph before the first chapter
\c 1
\s Heading
\v 1 verse after a heading
\b
loose text
\p
\v 2 ok
""")
    assert texts(rendered.messages) == [
        "GAL - Paragraph '\\p' before the first chapter",
        "GAL 1:1 - Missing paragraph marker before verse",
        "GAL 1:1 - Text outside a paragraph (missing paragraph marker)"]
    assert [m.line for m in rendered.messages[:3]] == [4, 7, 9]
    assert [m.anchor for m in rendered.messages[:3]] == [None, "048-ch-001", "048-ch-001-v-001"]


def test_tables():
    rendered = render(r"""\id NUM
\c 7
\p
\v 12 The offerings:
\tr \th1 Day \th2 Tribe \thr3 Leader
\tr \tc1 1st \tc2 Judah \tcr3 \v 13 Nahshon
\tr \tc1-2 Total \tcc3 12
\tr \tc1 a \tc3 c
\p After the table.
""")
    page = rendered.html
    assert ('<table class="usfm-table">\n<tr><th class="th1">Day</th><th class="th2">Tribe</th>'
            '<th class="thr3">Leader</th></tr>\n') in page
    assert ('<tr><td class="tc1">1st</td><td class="tc2">Judah</td><td class="tcr3">'
            '<span class="v-num" id="004-ch-007-v-013"><sup>13</sup>&nbsp;</span>Nahshon'
            '</td></tr>\n') in page
    assert '<tr><td class="tc1-2" colspan="2">Total</td><td class="tcc3">12</td></tr>' in page
    assert '</tr>\n</table>\n<p class="p">After the table.</p>' in page
    assert texts(rendered.messages) == ["NUM 7:13 - Table row skips column 2"]


def test_sidebars_and_categories():
    rendered = render(r"""\id MRK
\c 1
\p
\v 18 They left their nets.
\esb \cat History\cat*
\ms Fish
\p Fishing in Galilee.
\esbe
\p
\v 19 More.
\esbe
\esb
\p Never closed.
""")
    page = rendered.html
    assert ('They left their nets.</p>\n<aside class="esb" data-category="History">\n'
            '<h3 class="ms1">Fish</h3>\n<p class="p">Fishing in Galilee.</p>\n</aside>\n') in page
    assert "History" not in visible(page)
    assert page.count("<aside") == page.count("</aside>") == 2
    assert texts(rendered.messages) == ["MRK 1:19 - '\\esbe' without a matching '\\esb'",
                                        "MRK 1:19 - Unclosed sidebar '\\esb' (missing '\\esbe')"]


def test_chapter_and_verse_labels():
    rendered = render(r"""\id MAT
\c 1
\ca 2\ca*
\p
\v 1 \va 3\va* \vp 1b\vp* Text
\v 2 \vp 2a
more
""")
    page = rendered.html
    assert '<h2 class="c-num" id="040-ch-001">Chapter 1 <span class="ca">2</span></h2>' in page
    assert ('<span class="v-num" id="040-ch-001-v-001"><sup>1b</sup>&nbsp;</span>'
            '<span class="va">3</span> Text') in page
    assert '<span class="v-num" id="040-ch-001-v-002"><sup>2a</sup>&nbsp;</span>more' in page
    assert rendered.chapters[0].verse_ids == ["040-ch-001-v-001", "040-ch-001-v-002"]
    assert texts(rendered.messages) == ["MAT 1:2 - Missing closing marker '\\vp*'"]


def test_missing_or_unknown_id_uses_fallback():
    rendered = render("\\c 1\n\\p\n\\v 1 a\n", fallback_code="rut")
    assert rendered.code == "RUT" and rendered.chapters[0].id == "008-ch-001"
    assert texts(rendered.messages) == ["RUT - Missing \\id tag"]
    assert rendered.messages[0].severity == "error" and rendered.messages[0].line == 1
    unknown = render("\\id XYZ\n\\c 1\n\\p\n\\v 1 a\n", fallback_code="TIT")
    assert unknown.code == "TIT"
    assert texts(unknown.messages) == ["TIT - Unknown book code 'XYZ' in \\id"]
    empty = render("")
    assert (empty.code, empty.html, empty.chapters) == (None, "", [])


def test_verse_before_first_chapter_is_kept():
    rendered = render(r"""\id TIT
\mt Titus
\p
\v 1 early
\c 1
\v 2 next
\c 2
\p
\v 1 x
""")
    assert [c.number for c in rendered.chapters] == ["1", "2"]
    assert rendered.chapters[0].verse_ids == ["056-ch-001-v-001", "056-ch-001-v-002"]
    assert "early" in visible(rendered.html)
    assert texts(rendered.messages) == [
        "TIT 1 - Verse before the first chapter marker ('\\c 1' assumed)",
        "TIT 1:2 - Missing paragraph marker before verse"]
    assert rendered.headers["mt"] == "Titus"


def test_cl_cp_labels_and_headings():
    rendered = render(r"""\id PSA
\cl Psalm
\c 1
\p
\v 1 a
\s Later
\c 2
\cl Special
\p
\v 1 b
\c 3
\cp C
\d Title
\q1
\v 1 c
\b
\q2 d \qs Selah\qs*
""")
    assert [c.label for c in rendered.chapters] == ["Psalm 1", "Special", "Psalm C"]
    page = rendered.html
    assert '<div class="chapter" data-chapter="2">\n<h3 class="s1">Later</h3>\n<h2' in page
    assert '<p class="d">Title</p>\n<p class="q1"><span class="v-num"' in page
    assert '<div class="b"></div>\n<p class="q2">d <span class="qs">Selah</span></p>' in page


def test_heading_before_verse_gets_paragraph():
    rendered = render("\\id TIT\n\\c 1\n\\s1 Heading \\f + \\ft n\\f*\n\\v 1 text\n")
    assert '<h3 class="s1">Heading<sup class="fn-caller">' in rendered.html
    assert '<p class="p"><span class="v-num" id="056-ch-001-v-001">' in rendered.html


def test_stray_bar_and_backslash():
    rendered = render(r"""\id TIT
\c 1
\p
\v 1 a \\ b | c \w word|lemma="x"
\v 2 ok
""")
    text = visible(rendered.html)
    assert "\\" not in text and "|" not in text and "lemma" not in text
    assert "a b c word" in " ".join(text.split())
    assert "TIT - Unexpected '\\' in USFM file" in texts(rendered.messages)
    assert "TIT 1:1 - Missing closing marker '\\w*'" in texts(rendered.messages)


_FRAGMENTS = [
    "\\id TIT\n", "\\c 1", "\\c 2\n", "\\c x", "\\v 1 ", "\\v 2-3 ", "\\v ", "\\p", "\\q2 ", "\\s ",
    "\\f + ", "\\ft ", "\\fqa ", "\\f*", "\\x - ", "\\x*", "\\nd ", "\\nd*", "\\+w ", "\\ts\\*",
    '\\w w|a="1"\\w*', '\\zaln-s |x="1"\\*', '\\zaln-s | x="1"\n', "\\zaln-e\\*", "\\cl L",
    "\\xyz ", "\\", "|", "*", "<b>&", "word ", "\n", " ", "\ufeff", "\r\n", '\\qt-s |a="b"\\*',
    "\\qt-e\\*", "\\tr \\tc1 ", "\\cp 9", "\\th2-3 ", "\\tcr1 ", "\\esb ", "\\esbe\n",
    "\\cat c\\cat*", '\\fig cap|src="a.png"\\fig*', "\\fig ", "\\fig*", "\\vp 1a\\vp*",
    "\\vp ", "\\ca 2\\ca*", "\\va 3\\va*", "~", "//", "\\mt1 T", "\\b ", "\\ip ", "\\fe + ",
    "\\fe*", "'\n", "s ",
]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40))
def test_any_marker_soup_renders(fragments):
    rendered = tried("usfm marker soup", render, "".join(fragments))
    _, text = html_verses(rendered.html)  # asserts that the HTML is balanced
    assert "\\" not in text and "|" not in text and "<b>" not in rendered.html
    ids = _ID.findall(rendered.html)
    assert len(ids) == len(set(ids))
    verse_ids = [v for c in rendered.chapters for v in c.verse_ids]
    assert set(verse_ids) <= set(ids)
    assert all(m.line and m.line >= 1 and m.file == "test.usfm" for m in rendered.messages)
    assert rendered.html.count("<h1") <= 1


def test_every_marker_class_renders():
    rendered = render(r"""\id MAT
\mt2 The Gospel of
\mt1 Matthew
\imt Introduction
\is Author
\ip Matthew wrote \bk this\bk*.
\iot Outline
\io1 Birth \ior 1:1\ior*
\c 1
\ms Part One
\mr (1–4)
\s1 Heading
\s2 Sub
\r (Luke 3)
\sp Speaker
\d Title
\p
\v 1 \add a\add* \nd b\nd* \wj c\wj* \qt d\qt* \tl e\tl* \sc f\sc* \bd g\bd* \it h\it* \em i\em*
\pn j\pn* \k k\k* \rq l\rq* \w m\w* \+nd n\+nd*
\m
\v 2 o
\pi p \nb q \pc r \li1 s \li2 t \q1 u \q2 v \qr w \qc x \qa Aleph \q3 y \qs Selah\qs*
""")
    page = rendered.html
    for fragment in ('<h2 class="mt2">The Gospel of</h2>', '<h1 class="mt1">Matthew</h1>',
                     '<h2 class="imt1">Introduction</h2>', '<h3 class="is1">Author</h3>',
                     '<p class="ip">Matthew wrote <span class="bk">this</span>.</p>',
                     '<h3 class="iot">Outline</h3>', '<p class="io1">Birth <span class="ior">',
                     '<h3 class="ms1">Part One</h3>', '<p class="mr">(1–4)</p>',
                     '<h3 class="s1">Heading</h3>', '<h4 class="s2">Sub</h4>',
                     '<p class="r">(Luke 3)</p>', '<p class="sp">Speaker</p>',
                     '<p class="d">Title</p>', '<span class="add">a</span>',
                     '<span class="nd">b</span>', '<span class="woc">c</span>',
                     '<span class="qt">d</span>', '<span class="tl">e</span>',
                     '<span class="sc">f</span>', '<strong class="bd">g</strong>',
                     '<em class="it">h</em>', '<em class="em">i</em>', '<span class="pn">j</span>',
                     '<span class="k">k</span>', '<span class="rq">l</span>',
                     '<span class="w">m</span>', '<span class="nd">n</span>', '<p class="m">',
                     '<p class="pi1">p</p>', '<p class="nb">q</p>', '<p class="pc">r</p>',
                     '<p class="li1">s</p>', '<p class="li2">t</p>', '<p class="q1">u</p>',
                     '<p class="q2">v</p>', '<p class="qr">w</p>', '<p class="qc">x</p>',
                     '<p class="qa">Aleph</p>', '<p class="q3">y <span class="qs">Selah</span>'):
        assert fragment in page, fragment
    assert texts(rendered.messages) == []


def test_repeated_note_character_and_verse_after_liturgical_note():
    rendered = render(r"""\id PSA
\c 3
\p
\v 1 a\x - \xo 3:1 \xt Ps 1; \xt Rev 9.\x* b\f + \fqa word \fqa .\f*
\lit Glory:
\v 2 c
""")
    assert '<span class="xt">Ps 1; </span><span class="xt">Rev 9.</span>' in rendered.html
    assert texts(rendered.messages) == ["PSA 3:1 - Found '\\fqa' where '\\fqa*' was expected"]
    assert '<p class="lit">Glory:</p>\n<p class="p"><span class="v-num"' in rendered.html


def test_chapter_headings():
    def headings(text: str, **kwargs) -> list[str]:
        return [c.label for c in render(text, **kwargs).chapters]

    plain = "\\id MAT\n\\c 1\n\\p\n\\v 1 a\n\\c 2\n\\p\n\\v 1 b\n"
    assert headings(plain) == ["Chapter 1", "Chapter 2"]
    assert headings(plain, language="hbo") == ["1", "2"]  # no words for it: the bare number
    assert headings(plain.replace("MAT", "PSA")) == ["Psalm 1", "Psalm 2"]
    # A book-wide \cl before \c 1 is a prefix; a \cl after \c is that chapter's own heading.
    assert headings("\\id PSA\n\\cl Salmo\n" + plain[8:]) == ["Salmo 1", "Salmo 2"]
    assert headings(plain.replace("\\c 2\n", "\\c 2\n\\cl Sabta 2\n")) == ["Chapter 1", "Sabta 2"]
    assert headings(plain.replace("\\c 2\n", "\\c 2\n\\cp B\n")) == ["Chapter 1", "B"]
    rendered = render(plain)
    assert '<h2 class="c-num" id="040-ch-002">Chapter 2</h2>' in rendered.html  # ids unchanged


def test_chapter_heading_words_per_language(monkeypatch):
    monkeypatch.setitem(CHAPTER_WORDS, "fr", ("Chapitre {}", "Psaume {}"))
    text = "\\id PSA\n\\c 1\n\\p\n\\v 1 a\n"
    assert render(text, language="fr-CA").chapters[0].label == "Psaume 1"
    assert render(text.replace("PSA", "MAT"), language="fr").chapters[0].label == "Chapitre 1"


def test_chapter_words_of_gateway_languages():
    text = "\\id PSA\n\\c 23\n\\p\n\\v 1 a\n"
    assert render(text, language="zh").chapters[0].label == "第23篇"
    assert render(text.replace("PSA", "MAT"), language="es-419").chapters[0].label == "Capítulo 23"
    assert render(text.replace("PSA", "MAT"), language="arb").chapters[0].label == "الأصحاح 23"
    # no psalm form known for Sorani: the bare number, not the chapter word
    assert render(text, language="ckb").chapters[0].label == "23"
    assert render(text, language="el-x-koine").chapters[0].label == "23"


def test_numbers_in_the_bibles_own_digits():
    """A Bible that writes its numbers in its own digits (the Kurdish tS \\cl بەشی١) has every
    number it does not write out in them too; ids stay ASCII (Door43 links)."""
    text = ("\\id 2PE\n\\c 1\n\\cl بەشی١\n\\p\n\\v 1 a\n\\v 2 b\n\\c 2\n\\p\n\\v 1 c\n"
            "\\v 12 d\n")
    rendered = render(text, language="ckb")
    assert [(c.number, c.shown, c.label) for c in rendered.chapters] == [
        ("1", "١", "بەشی١"), ("2", "٢", "بەشی ٢")]
    assert re.findall(r'<span class="v-num" id="([^"]+)"><sup>([^<]+)<', rendered.html) == [
        ("061-ch-001-v-001", "١"), ("061-ch-001-v-002", "٢"), ("061-ch-002-v-001", "١"),
        ("061-ch-002-v-012", "١٢")]
    assert 'data-chapter="٢"' in rendered.html
    # Western digits everywhere else, and a \\vp in Devanagari digits decides as well
    assert render(text.replace("\\cl بەشی١\n", ""), language="ckb").chapters[0].shown == "1"
    devanagari = render("\\id MAT\n\\c 3\n\\p\n\\v 1 \\vp १\\vp* a\n\\v 2 b\n", language="hi")
    assert devanagari.chapters[0].label == "अध्याय ३"
    assert "<sup>२</sup>" in devanagari.html


def test_footnote_callers_are_letters_per_chapter():
    notes = "".join(f"\\v {v} w\\f + \\ft n\\f*\n" for v in range(1, 29))
    rendered = render(f"\\id MAT\n\\c 1\n\\p\n{notes}\\c 2\n\\p\n\\v 1 x\\f + \\ft n\\f*"
                      " y\\f * \\ft given\\f*\n")
    callers = re.findall(r'class="fn-caller"><a [^>]*>([^<]*)<', rendered.html)
    assert callers == [*"abcdefghijklmnopqrstuvwxyz", "aa", "ab", "a", "*"]
    assert 'id="ref-fn-040-001-028-28"' in rendered.html  # ids keep the note's number
    # The caller sits on the word before it, never after a space.
    assert "w<sup" in rendered.html and " <sup" not in rendered.html


def test_verse_number_keeps_its_first_word():
    rendered = render("\\id MAT\n\\c 1\n\\p\n\\v 1 In the beginning\n")
    assert '<sup>1</sup>&nbsp;</span>In the' in rendered.html
