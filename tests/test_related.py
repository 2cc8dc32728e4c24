"""Resources built together (``--with``): the related resources, and GL quotes from an aligned
Bible in tN, TWL and study notes. Expected GL quotes were checked by hand against the ULT text of
the samples (``../shared/samples/en_ult``)."""

from __future__ import annotations

import html
import json
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml

from tx_mkdocs.build import build_site
from tx_mkdocs.core.links import ExternalSites
from tx_mkdocs.core.model import Site
from tx_mkdocs.usfm.alignment import SourceVerse, quote_parts, read_alignment
from tx_mkdocs.versehelps import add_related, write_files

from .helpers import build_log, cli, require_shared

#: note ID → (original quote, GL quote), TIT and 3JN of en_tn with en_ult.
EXPECTED = {
    "57-TIT.html": {
        "rtc9": "for the faith of the chosen people of God and knowledge of the truth",
        "xrtm": "of the chosen people of God",  # Θεοῦ: the 2nd of the verse, next to ἐκλεκτῶν
        "tn97": "and knowledge of the truth",
        "fyf8": "that agrees with godliness",
        "xyz9": "with the certain hope of eternal life",
        "vyuu": "the non lying God",
        "r2gj": "before all the ages of time",
        "swi9": "he revealed his word",  # ἐφανέρωσεν & τὸν λόγον αὐτοῦ
        "gu55": "a true son",
    },
    "65-3JN.html": {
        "w99t": "The elder",
        "lls6": "to … Gaius",  # "to the beloved Gaius": τῷ ἀγαπητῷ is another note's
        "k1jl": "to … truth … truth",  # ἀληθείᾳ & ἀληθείᾳ: both occurrences
        "c375": "I have no greater joy",  # μειζοτέραν & οὐκ ἔχω χαράν
        "w79m": "my children",
        "hsgh": "are walking in the truth",
    },
}
#: note ID → GL quote when the original-language Bibles count the words (``--with
#: el-x-koine_ugnt --with hbo_uhb``): the quote's words are found in the verse text, so a word
#: that occurs twice is the one next to the others (hand-checked against the ULT text).
EXPECTED_WITH_ORIGINAL = {
    "57-TIT.html": {
        "abcd": "empty talkers and deceivers",  # ματαιολόγοι, καὶ φρεναπάται: the 2nd καὶ
        "nx42": "to the ones who are pure",  # τοῖς καθαροῖς, not the first "pure"
        "qt8f": "We were led astray enslaved by various passions and pleasures",
        "xrtm": "of the chosen people of God",
    },
    "65-3JN.html": {
        "it7p": "and he stops the ones willing",  # καὶ τοὺς βουλομένους κωλύει
        "k1jl": "to … truth … truth",
    },
    "08-RUT.html": {
        "q2hn": "Do I still have sons in my womb that they may become husbands for you",
        "eq2u": "and uncovered his feet",
        "zz42": "to the elders and to all the people",
        "xa78": "And they called his name Obed",
    },
    "32-JON.html": {
        "tg27": "to lighten it from upon them",
        "xj6l": "person or animal herd or flock",
        "ab81": "long of nostrils",
        "yijn": "the evil",  # הָ⁠רָעָ֛ה as written (tevir): the 2nd of 3:10, not "their evil ways"
        "alr2": "Yahweh his God",  # UHB 2:2 is the ULT's 2:1: the alignment's own occurrences
    },
}
_NOTE = re.compile(r'<div class="tx-note" id="([^"]+)">\s*<h4 class="tx-note-title">(.*?)</h4>',
                   re.S)
_GL = re.compile(r'<span class="tx-gl-quote" lang="en" dir="ltr">([^<]*)</span>$')


def gl_quotes(page_html: str) -> dict[str, str]:
    """Note ID → its GL quote, for the notes that have one."""
    found = {}
    for anchor, heading in _NOTE.findall(page_html):
        match = _GL.match(heading)
        if match:
            found[anchor] = html.unescape(match.group(1))
    return found


def page_html(site: Site, name: str) -> str:
    """The content of a built page (``57-TIT.html``)."""
    page = site.page(name.replace(".html", ".md"))
    assert page is not None, name
    return page.html


def codes(site: Site, code: str) -> list[str]:
    return [m.format() for m in site.log.messages if m.code == code]


@pytest.fixture(scope="module")
def samples() -> Path:
    return require_shared()


@pytest.fixture(scope="module")
def tn_with_ult(samples: Path) -> Site:
    return build_site(samples / "en_tn", related=[samples / "en_ult"])


def test_tn_notes_show_the_ult_words_of_their_quotes(tn_with_ult: Site):
    for path, expected in EXPECTED.items():
        found = gl_quotes(page_html(tn_with_ult, path))
        assert {k: found.get(k) for k in expected} == expected
    # every verse note of the samples' four books is in the ULT's alignment
    assert not codes(tn_with_ult, "helps.gl-quote")
    rut = page_html(tn_with_ult, "08-RUT.html")
    assert "Ephrathites" in gl_quotes(rut).values()  # Hebrew, word joiners and cantillation


def test_occurrences_are_counted_in_the_original_bible(samples: Path):
    site = build_site(samples / "en_tn", related=[samples / "en_ult", samples / "el-x-koine_ugnt",
                                                  samples / "hbo_uhb"])
    for path, expected in EXPECTED_WITH_ORIGINAL.items():
        found = gl_quotes(page_html(site, path))
        assert {k: found.get(k) for k in expected} == expected, path
    assert not codes(site, "helps.gl-quote")
    assert not any("ugnt" in m or "uhb" in m for m in codes(site, "related.missing"))
    rut = gl_quotes(page_html(site, "08-RUT.html"))
    assert rut["jdr1"] == "as they were entering Bethlehem"  # not the 1st Bethlehem of 1:19


def test_the_english_notes_read_with_english_headings(tn_with_ult: Site):
    """A translator reads the ULT's words as the heading, then the Greek they translate (as a
    TSV9 note with its GLQuote column)."""
    page = page_html(tn_with_ult, "57-TIT.html")
    note = page[page.index('id="rtc9"'):].split("</div>", 1)[0]
    heading, after = note.split("</h4>", 1)
    assert heading.endswith('<span class="tx-gl-quote" lang="en" dir="ltr">for the faith of the '
                            "chosen people of God and knowledge of the truth</span>")
    quote = after.index('lang="el-x-koine"')  # the original quote stays, next to it
    assert "Quote:" in after[:quote]
    intro = page[page.index('id="m2jl"'):][:400]
    assert "tx-gl-quote" not in intro  # occurrence 0: not in a verse


def test_missing_related_resources_are_reported_once(tn_with_ult: Site, samples: Path):
    missing = codes(tn_with_ult, "related.missing")
    assert len(missing) == 6  # en/ust, en/ta, en/tq, en/tw, hbo/uhb, el-x-koine/ugnt
    assert sum("'en/tw'" in m for m in missing) == 1
    assert not any("'en/ult'" in m for m in missing)
    assert all(m.startswith("manifest.yaml: ") for m in missing)
    assert tn_with_ult.log.status == "warnings"  # never fatal
    alone = build_site(samples / "en_tn")  # built alone, as before: nothing said
    assert not codes(alone, "related.missing")
    assert "tx-gl-quote" not in page_html(alone, "57-TIT.html")


def test_twl_rows_show_the_ult_words(samples: Path):
    site = build_site(samples / "en_twl", related=[samples / "en_ult", samples / "en_tn"])
    page = page_html(site, "57-TIT.html")
    row = page[page.index('<tr id="pmq8">'):].split("</tr>", 1)[0]  # Θεοῦ, occurrence 1
    assert '<span class="tx-gl-quote" lang="en" dir="ltr">of God</span>' in row
    paul = page[page.index('<tr id="trr8">'):].split("</tr>", 1)[0]
    assert ">Paul</span>" in paul
    assert not codes(site, "helps.gl-quote")


def _tn_repo(tmp_path: Path, samples: Path, rows: list[str]) -> Path:
    """A tN of TIT alone with these rows (after the header)."""
    repo = tmp_path / "en_tn"
    repo.mkdir()
    manifest = yaml.safe_load((samples / "en_tn" / "manifest.yaml").read_text(encoding="utf-8"))
    manifest["projects"] = [p for p in manifest["projects"] if p["identifier"] == "tit"]
    (repo / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    header = "Reference\tID\tTags\tSupportReference\tQuote\tOccurrence\tNote"
    (repo / "tn_TIT.tsv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return repo


def test_occurrences_normalization_and_unmatched_quotes(tmp_path: Path, samples: Path):
    nfd = unicodedata.normalize("NFD", "ἐκλεκτῶν Θεοῦ")
    repo = _tn_repo(tmp_path, samples, [
        "1:1\ta001\t\t\tΘεοῦ\t-1\tEvery occurrence.",
        "1:1\ta002\t\t\tΘεοῦ\t2\tThe second.",
        f"1:1\ta003\t\t\t{nfd}\t1\tDecomposed.",
        "1:1\ta004\t\t\tλόγος\t1\tNot in the verse.",
        "1:1\ta005\t\t\tΘεοῦ\t3\tThere are two only.",
        "1:1\ta006\t\t\tΘεοῦ\t0\tNot quoted in the verse.",
    ])
    site = build_site(repo, related=[samples / "en_ult"])
    found = gl_quotes(page_html(site, "57-TIT.html"))
    assert found == {"a001": "of God … of God", "a002": "of God",
                     "a003": "of the chosen people of God"}
    unmatched = codes(site, "helps.gl-quote")
    assert [m.split(" - ")[0] for m in unmatched] == ["tn_TIT.tsv:5: TIT 1:1",
                                                     "tn_TIT.tsv:6: TIT 1:1"]
    assert "'λόγος'" in unmatched[0] and "en_ult" in unmatched[0]
    assert 'id="a004"' in page_html(site, "57-TIT.html")  # the row is still shown


def test_hebrew_quotes_survive_joiners_cantillation_and_maqaf(samples: Path):
    book = read_alignment((samples / "en_ult" / "08-RUT.usfm").read_text(encoding="utf-8"))
    verse = book.verse(1, 6)
    assert verse is not None
    quote = "כִּֽי־פָקַ֤ד יְהוָה֙ אֶת־עַמּ֔⁠וֹ"  # as tN writes it: maqaf, U+2060, cantillation
    expected = verse.gl_quote(quote, 1)
    assert expected is not None and "Yahweh" in expected
    plain = "".join(c for c in quote if not 0x0591 <= ord(c) <= 0x05AF and c != "\u2060")
    assert verse.gl_quote(plain, 1) == expected
    assert verse.gl_quote(unicodedata.normalize("NFD", quote), 1) == expected
    assert verse.gl_quote(quote, 2) is None


def test_cli_build_and_plugin_option(tmp_path: Path, samples: Path):
    code, _, err = cli("build", str(samples / "en_tn"), "--with", str(samples / "en_ult"),
                       "-d", str(tmp_path / "site"))
    assert code == 0, err
    page = (tmp_path / "site" / "65-3JN.html").read_text(encoding="utf-8")
    assert gl_quotes(page)["w79m"] == "my children"
    assert any("'en/tw'" in w for w in build_log(tmp_path / "site")["warnings"])
    for command in ("serve", "publish"):
        assert "--with PATH" in cli(command, "--help")[1]


def test_mkdocs_plugin_option_with(tmp_path: Path, samples: Path):
    import subprocess
    import sys

    repo = tmp_path / "en_tn"
    shutil.copytree(samples / "en_tn", repo)
    (repo / "docs").mkdir()
    (repo / "mkdocs.yml").write_text(
        "site_name: tN\ntheme: material\nplugins:\n  - tx:\n"
        f"      with: [{samples / 'en_ult'}]\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo, check=True,
                   env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})
    page = (repo / "site" / "57-TIT.html").read_text(encoding="utf-8")
    assert gl_quotes(page)["xrtm"] == "of the chosen people of God"


def test_an_unaligned_bible_gives_no_gl_quotes_and_says_so_once_a_book(samples: Path):
    site = build_site(samples / "en_tn", related=[samples / "en_ulb"])
    unaligned = codes(site, "helps.gl-unaligned")
    assert len(unaligned) == 4  # RUT, JON, TIT, 3JN: once each, not once a row
    assert not codes(site, "helps.gl-quote")
    assert "tx-gl-quote" not in page_html(site, "57-TIT.html")


def test_original_verse_runs_and_occurrences(samples: Path):
    """uw-quote-helpers' rules on TIT 1:1-2: a part is a run of adjacent words, the Occurrence
    counts the first part's runs, a later part is the next run after it; -1 takes every one."""
    ult = read_alignment((samples / "en_ult" / "57-TIT.usfm").read_text(encoding="utf-8"))
    ugnt = read_alignment((samples / "el-x-koine_ugnt" / "57-TIT.usfm").read_text(
        encoding="utf-8"))
    verse, words = ult.verse(1, 1), ugnt.verse(1, 1)
    assert verse is not None and words is not None
    source = SourceVerse(words.targets)
    assert verse.gl_quote("Θεοῦ", -1, source) == "of God … of God"
    assert verse.gl_quote(unicodedata.normalize("NFD", "ἐκλεκτῶν Θεοῦ"), 1, source) == (
        "of the chosen people of God")
    assert source.places(quote_parts("Θεοῦ"), 3) is None
    assert source.places(quote_parts("Θεοῦ & ἐκλεκτῶν"), 1) == [("Θεοῦ", 1), ("ἐκλεκτῶν", 1)]
    assert source.places(quote_parts("ἐκλεκτῶν … Παῦλος"), 1) is None  # no Παῦλος after it
    both = ult.verse(1, 1, 2)
    joined = ugnt.verse(1, 1, 2)
    assert both is not None and joined is not None
    assert both.gl_quote("Θεὸς", 1, SourceVerse(joined.targets)) == "God"  # 1:2's, counted on


def test_links_to_related_articles_show_their_titles(samples: Path):
    """tA links read the article's title.md, on the related tA's published site."""
    site = build_site(samples / "en_tn", related=[samples / "en_ta"])
    page = page_html(site, "57-TIT.html")
    ta = "https://door43.org/u/unfoldingWord/en_ta/master/03-translate.html"
    assert (f'<a class="tx-support-reference" href="{ta}#figs-abstractnouns">Abstract Nouns</a>'
            in page)
    assert f'href="{ta}#translate-names" rel="noopener noreferrer">How to Translate Names</a>' in (
        page)  # a [[rc://…]] link in a note's text
    # an article the related tA has not: its slug, as before
    assert f'<a class="tx-support-reference" href="{ta}#figs-ellipsis">figs-ellipsis</a>' in page
    alone = page_html(build_site(samples / "en_tn"), "57-TIT.html")
    assert ">Abstract Nouns</a>" not in alone and ">figs-abstractnouns</a>" in alone


def test_twl_links_show_the_tw_headings(samples: Path):
    site = build_site(samples / "en_twl", related=[samples / "en_tw"])
    page = page_html(site, "57-TIT.html")
    row = page[page.index('<tr id="trr8">'):].split("</tr>", 1)[0]
    assert re.search(r'<a class="tx-tw-link" href="https://door43\.org/u/unfoldingWord/en_tw/'
                     r'master/names\.html#paul">Paul, Saul</a>', row), row


def test_a_bibles_verse_helps_per_chapter(samples: Path):
    """en_ult with tN, tQ, TWL: one JSON file per chapter, items keyed by verse, HTML without
    ids, links absolute to the related resources' published sites; the page names its folder."""
    related = [samples / n for n in ("en_tn", "en_tq", "en_twl", "en_ta")]
    site = build_site(samples / "en_ult", related=related)
    files = add_related(site, samples / "en_ult", related, ExternalSites())
    assert "helps/tit/1.json" in files and "helps/rut/4.json" in files
    data = json.loads(files["helps/tit/1.json"])
    assert [s["kind"] for s in data["sources"]] == ["notes", "questions", "words"]
    items = data["verses"]["1"]
    assert [i["source"] for i in items] == [0, 1, 2]
    note = items[0]
    assert note["heading"] == "Titus 1:1"
    assert note["url"] == ("https://door43.org/u/unfoldingWord/en_tn/master/57-TIT.html"
                           "#tn-chunk-tit-001-001")
    assert ' id="' not in note["html"] and 'data-href="https://door43.org/u/unfoldingWord/en_tn/' \
        'master/57-TIT.html#rtc9"' in note["html"]
    assert ">for the faith of the chosen people of God and knowledge of the truth</span>" in (
        note["html"])  # GL quotes from the Bible being built
    assert ">Abstract Nouns</a>" in note["html"]  # tA titles
    assert all(h.startswith("https://") for h in re.findall(r'href="([^"]*)"', note["html"]))
    assert "What was Paul" in items[1]["html"]
    tit = site.page("57-TIT.md")
    assert tit is not None and tit.meta["tx_helps"] == "helps/tit/"
    alone = build_site(samples / "en_ult")
    assert add_related(alone, samples / "en_ult", [], ExternalSites()) == {}


def test_helps_pages_show_the_verse_from_the_related_bible(samples: Path):
    site = build_site(samples / "en_tq", related=[samples / "en_ult"])
    assert add_related(site, samples / "en_tq", [samples / "en_ult"], ExternalSites()) == {}
    page = page_html(site, "57-TIT.html")
    heading = '<h3 class="tx-helps-verse" id="tq-chunk-tit-001-001">Titus 1:1</h3>\n'
    after = page[page.index(heading) + len(heading):]
    assert after.startswith('<details class="tx-verse-text"><summary>ULT</summary>'
                            '<p lang="en" dir="ltr">Paul, a servant of God')


def test_verse_helps_files_stay_in_their_folder(tmp_path: Path):
    write_files(tmp_path, {"helps/tit/1.json": "{}"})
    assert (tmp_path / "helps" / "tit" / "1.json").read_text() == "{}"
    with pytest.raises(ValueError):
        write_files(tmp_path, {"helps/../../x.json": "{}"})


def test_an_occurrence_without_its_milestone_is_no_crash():
    """x-occurrence="2" with no 1st aligned (an alignment in progress): no GL quote for the 1st,
    the 2nd found, and no traceback."""
    book = read_alignment("\\c 1\n\\v 1 \\w and|x-occurrence=\"1\"\\w* "
                          "\\zaln-s |x-occurrence=\"2\" x-content=\"καὶ\"\\*\\w also|x\\w*"
                          "\\zaln-e\\* \\zaln-s |x-occurrence=\"1\" x-content=\"Θεοῦ\"\\*"
                          "\\w God|x\\w*\\zaln-e\\*\n")
    verse = book.verse(1, 1)
    assert verse is not None
    assert verse.gl_quote("καὶ", 1) is None
    assert verse.gl_quote("καὶ", 2) == "also"
    assert verse.gl_quote("καὶ Θεοῦ", -1) == "also God"


def test_a_rebuild_follows_an_edit_of_the_related_bible(tmp_path: Path, samples: Path):
    """serve: the render cache keeps the notes while nothing changed, and renders them again
    when the related Bible's alignment changes (their GL quotes come from it)."""
    from tx_mkdocs.core.cache import RenderCache

    ult = tmp_path / "en_ult"
    shutil.copytree(samples / "en_ult", ult)
    cache = RenderCache()
    first = build_site(samples / "en_tn", related=[ult], cache=cache)
    assert gl_quotes(page_html(first, "65-3JN.html"))["w99t"] == "The elder"
    again = build_site(samples / "en_tn", related=[ult], cache=cache)
    assert cache.hits and page_html(again, "65-3JN.html") == page_html(first, "65-3JN.html")
    book = ult / "65-3JN.usfm"
    book.write_text(book.read_text(encoding="utf-8").replace("\\w elder|", "\\w presbyter|", 1),
                    encoding="utf-8")
    edited = build_site(samples / "en_tn", related=[ult], cache=cache)
    assert gl_quotes(page_html(edited, "65-3JN.html"))["w99t"] == "The presbyter"
