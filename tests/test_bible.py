"""Bible sites built from the real samples: page names, ids, text and direction."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .helpers import (
    BIBLE_SAMPLES,
    build_cli,
    build_log,
    content_html,
    content_pages,
    ids,
    visible_text,
)

_VERSE = re.compile(r"\\v\s+\S")
_RESIDUE = re.compile(r"\\[a-z]|\||x-strong|lemma=|strong=|x-occurrence|\\\*")


def _source_verse_count(repo: Path) -> int:
    return sum(len(_VERSE.findall(p.read_text(encoding="utf-8-sig")))
               for p in repo.rglob("*") if p.suffix in (".usfm", ".txt") and p.name != "title.txt"
               and "LICENSE" not in p.name)


@pytest.fixture(scope="module")
def sites(built_sample) -> dict[str, Path]:
    """The sample Bibles, built (about 10 s: the tests that read them are slow)."""
    return {name: built_sample(name) for name in BIBLE_SAMPLES}


@pytest.mark.slow
@pytest.mark.parametrize("name", BIBLE_SAMPLES)
def test_one_verse_id_per_verse_and_no_residue(sites: dict[str, Path], samples: Path,
                                              name: str):
    site = sites[name]
    log = build_log(site)
    pages = [site / p for p in content_pages(log)]
    assert pages, log
    verse_ids: list[str] = []
    for page in pages:
        fragment = content_html(page)
        page_ids = ids(fragment)
        assert len(page_ids) == len(set(page_ids)), f"duplicate ids in {page.name}"
        verse_ids += [i for i in page_ids if re.fullmatch(r"\d{3}-ch-\d{3}-v-\d{3}", i)]
        text = visible_text(fragment)
        residue = _RESIDUE.search(text)
        assert residue is None, f"{page.name}: {text[residue.start() - 40:residue.end() + 40]!r}"
    assert len(verse_ids) == _source_verse_count(samples / name)
    assert log["status"] in ("success", "warnings"), log["errors"]


@pytest.mark.slow
def test_door43_page_names_and_titles(sites: dict[str, Path]):
    ult = sites["en_ult"]
    assert content_pages(build_log(ult)) == ["A0-FRT.html", "08-RUT.html", "32-JON.html",
                                             "57-TIT.html", "65-3JN.html"]
    rut = content_html(ult / "08-RUT.html")
    assert "008-ch-001" in ids(rut) and "008-ch-004-v-022" in ids(rut)
    assert "Boaz" in visible_text(rut)
    ulb = content_html(sites["en_ulb"] / "57-TIT.html")
    assert "056-ch-003-v-015" in ids(ulb)


@pytest.mark.slow
def test_hebrew_is_rtl(sites: dict[str, Path]):
    page = (sites["hbo_uhb"] / "08-RUT.html").read_text()
    assert re.search(r'<body[^>]*dir="rtl"', page)
    assert 'lang="hbo" dir="rtl"' in content_html(sites["hbo_uhb"] / "08-RUT.html")


@pytest.mark.slow
def test_translation_studio_project(sites: dict[str, Path]):
    site = sites["ckb_2pe_text_reg"]
    assert content_pages(build_log(site)) == ["62-2PE.html"]
    page = (site / "62-2PE.html").read_text()
    assert re.search(r'<body[^>]*dir="rtl"', page)
    fragment = content_html(site / "62-2PE.html")
    assert "061-ch-003-v-018" in ids(fragment)
    assert "بەشی١" in visible_text(fragment)  # chapter title from 01/title.txt


def test_broken_manifest_builds_with_errors(sample_copy, tmp_path: Path):
    repo = sample_copy("en_ult")
    text = (repo / "manifest.yaml").read_text().splitlines()
    text[5] = text[5] + " ]: : ["
    (repo / "manifest.yaml").write_text("\n".join(text) + "\n")
    build_cli(repo, tmp_path / "site")
    log = build_log(tmp_path / "site")
    assert log["status"] == "errors"
    [error] = [e for e in log["messages"] if e["severity"] == "error"]
    assert error["file"] == "manifest.yaml" and error["line"] >= 6
    assert "manifest.yaml:" in log["errors"][0]
    assert (tmp_path / "site" / "08-RUT.html").exists(), "the rest still builds"


@pytest.mark.slow
def test_full_bible(samples: Path, tmp_path: Path):
    build_cli(samples / "full_bible", tmp_path)
    log = build_log(tmp_path)
    pages = content_pages(log)
    assert len(pages) == 66 and pages[0] == "01-GEN.html" and pages[-1] == "67-REV.html"
    chapters = verses = 0
    for name in pages:
        page_ids = ids(content_html(tmp_path / name))
        chapters += sum(1 for i in page_ids if re.fullmatch(r"\d{3}-ch-\d{3}", i))
        verses += sum(1 for i in page_ids if re.fullmatch(r"\d{3}-ch-\d{3}-v-\d{3}", i))
    assert (chapters, verses) == (1189, 31105)
    assert log["status"] in ("success", "warnings")
    assert any("LUK 2:49" in w for w in log["warnings"] + log["errors"])
    report = content_html(tmp_path / "build-report.html")
    assert "LUK 2:49" in report and 'href="43-LUK.html' in report


def test_peripheral_books_are_front_or_back_matter():
    """The home page's groups: FRT and INT before the testaments, BAK, GLO … after them."""
    from tx_mkdocs.core.books import book, sort_key

    assert [book(c).testament for c in ("FRT", "INT", "GEN", "MAT", "TOB", "BAK", "GLO")] == [
        "front", "front", "ot", "nt", "dc", "back", "back"]
    assert sorted(["GLO", "MAT", "FRT", "GEN", "INT"], key=sort_key) == [
        "FRT", "INT", "GEN", "MAT", "GLO"]
