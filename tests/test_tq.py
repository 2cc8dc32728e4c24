"""translationQuestions sites: Markdown (en_tq lower-case, hi_tq upper-case and Hindi) and TSV."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.types.tq import TYPE

from .helpers import build_log, visible_text
from .helps_support import make_repo, messages, pages, site_of

TSV_HEADER = "Reference\tID\tTags\tQuote\tOccurrence\tQuestion\tResponse\n"


@pytest.fixture(scope="module")
def sites(built_sample) -> dict[str, Path]:
    return {name: built_sample(name) for name in ("en_tq", "hi_tq")}


@pytest.mark.parametrize(("name", "books"), [("en_tq", ["57-TIT.html"]),
                                             ("hi_tq", ["57-TIT.html", "65-3JN.html"])])
def test_every_question_file_under_its_verse(sites: dict[str, Path], samples: Path, name: str,
                                             books: list[str]):
    log = build_log(sites[name])
    # hi_tq: files whose heading is just "# " (the only warnings; see the next test)
    assert log["status"] == ("warnings" if name == "hi_tq" else "success")
    assert {m.get("code") for m in log["messages"]
            if m["severity"] != "info"} <= {"helps.empty-heading"}
    built = pages(sites[name])
    assert list(built) == books
    for page in books:
        code = page[3:6]
        folder = next(p for p in (samples / name).iterdir() if p.name.upper() == code)
        fragment = built[page]
        assert f'<h1 id="tq-{code.lower()}">' in fragment
        files = sorted(folder.glob("*/*.md"))
        assert files
        for file in files:
            chapter, verse = int(file.parent.name), int(file.stem)
            anchor = f"tq-chunk-{code.lower()}-{chapter:03d}-{verse:03d}"
            questions_in_file = _questions(file)
            assert fragment.count(f'id="{anchor}"') == (1 if questions_in_file else 0), anchor
            if questions_in_file:
                assert f'id="tq-chapter-{code.lower()}-{chapter:03d}"' in fragment
        questions = sum(_questions(file) for file in files)
        assert len(re.findall(r"<h4>", fragment)) == questions


def _questions(file: Path) -> int:
    """The questions of a Markdown tQ file: its headings that have text."""
    return sum(line.startswith("# ") and bool(line[2:].strip())
               for line in file.read_text(encoding="utf-8").split("\n"))


def test_empty_heading_warned_with_file_and_line(sites: dict[str, Path], samples: Path):
    """hi_tq TIT/02/05.md is just ``# ``: a warning with file and line, and no empty "Titus 2:5"
    (other files have one before their questions: those stay, without the empty heading)."""
    warned = {(m["file"], m["line"]) for m in build_log(sites["hi_tq"])["messages"]
              if m.get("code") == "helps.empty-heading"}
    expected = {(str(f.relative_to(samples / "hi_tq")), n)
                for f in (samples / "hi_tq").glob("*/*/*.md")
                for n, line in enumerate(f.read_text(encoding="utf-8").split("\n"), start=1)
                if line.strip() == "#"}
    assert ("TIT/02/05.md", 1) in warned
    assert warned == expected
    fragment = pages(sites["hi_tq"])["57-TIT.html"]
    assert 'id="tq-chunk-tit-002-005"' not in fragment and "Titus 2:5<" not in fragment
    assert "<h4></h4>" not in fragment and 'id="tq-chunk-tit-001-011"' in fragment


def test_hindi_renders_and_titles_use_the_book_name(sites: dict[str, Path]):
    fragment = pages(sites["hi_tq"])["57-TIT.html"]
    assert 'lang="hi"' in fragment
    text = visible_text(fragment)
    assert "परमेश्वर की सेवा में पौलुस का उद्देश्य क्या था?" in text
    assert "उसका उद्देश्य था कि परमेश्वर के चुने हुओं का विश्वास" in text
    # no blank line after "# question": question and answer are still heading and paragraph
    assert re.search(r"<h4>[^<]*\?</h4>\n<p>[^<]+</p>", fragment)
    assert '<h3 class="tx-helps-verse" id="tq-chunk-tit-001-001">Titus 1:1</h3>' in fragment
    en = pages(sites["en_tq"])["57-TIT.html"]  # project title "translationQuestions" → book name
    assert '<h1 id="tq-tit">Titus</h1>' in en


def test_tsv_questions(tmp_path: Path):
    rows = [
        "1:1\tq001\t\t\t\tWhat was Paul's purpose?\tTo establish the faith.\\n\\nAnd the truth.",
        "1:2\tq002\tpeople\tἐπ’ ἐλπίδι\t1\tWhen did God promise?\tBefore time began. See [1:1]"
        "(../01/01/q001).",
        "1:3\tq003\t\t\t\t\tNo question.",
        "1:3\tq004\t\tλόγος\t\tWhich word?\tThis one.",
    ]
    repo = make_repo(tmp_path / "tq", "tq", "TSV Translation Questions",
                     {"tq_TIT.tsv": TSV_HEADER + "\n".join(rows)}, [("tit", "tq_TIT.tsv")])
    site = site_of(repo)
    page = site.page("57-TIT.md")
    assert page is not None and page.template == "tq.html" and site.input_format == "tsv"
    for anchor in ("q001", "q002", "q003", "q004", "tq-chunk-tit-001-002"):
        assert page.html.count(f'id="{anchor}"') == 1, anchor
    answer = ("<h4>What was Paul's purpose?</h4>\n<p>To establish the faith.</p>\n"
              "<p>And the truth.</p>")
    assert answer in page.html
    assert '<a href="#q001"' in page.html
    assert '<span class="tx-tag">people</span>' in page.html
    found = messages(site)
    assert "tq_TIT.tsv:4: TIT 1:3 - Missing question" in found
    assert ("tq_TIT.tsv:5: TIT 1:3 - Bad Occurrence number '' (Should be number -1,0,1,2,…)"
            in found)


def test_rc_target():
    assert TYPE.rc_target(["help", "tit", "01", "02"]) == ("57-TIT.html", "tq-chunk-tit-001-002")
    assert TYPE.path_target("TIT/03/14.md") == ("57-TIT.html", "tq-chunk-tit-003-014")


def test_book_folder_without_chapters(tmp_path: Path):
    repo = make_repo(tmp_path / "tq", "tq", "Translation Questions",
                     {"tit/readme.md": "nothing", "tit/01/01.md": "# Q?\n\nA."},
                     [("tit", "tit"), ("rut", "rut")])
    (repo / "rut").mkdir()
    site = site_of(repo)
    found = messages(site)
    assert "rut: No chapter folders found in RUT folder" in found
    assert [p.url for p in site.pages if p.template == "tq.html"] == ["57-TIT.html"]
