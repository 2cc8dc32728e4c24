"""translationWords sites from the en_tw sample: section pages, term ids, index, links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.build import build_site

from .helpers import build_cli, build_log, content_html, content_pages, ids, visible_text

SECTIONS = ("kt", "names", "other")


@pytest.fixture(scope="module")
def site(built_sample) -> Path:
    return built_sample("en_tw")


def test_one_page_per_section_and_every_article(site: Path, samples: Path):
    log = build_log(site)
    assert content_pages(log) == [f"{s}.html" for s in SECTIONS]
    assert log["status"] in ("success", "warnings") and not log["errors"]
    for section in SECTIONS:
        terms = sorted(p.stem for p in (samples / "en_tw/bible" / section).glob("*.md"))
        fragment = content_html(site / f"{section}.html")
        page_ids = ids(fragment)
        assert page_ids[0] == f"tw-section-{section}"
        assert len(page_ids) == len(set(page_ids)), "duplicate ids"
        articles = re.findall(r'<h2 id="([^"]+)">', fragment)
        assert sorted(articles) == terms
    assert len(ids(content_html(site / "kt.html"))) > 17


def test_articles_sorted_by_title_closed_headings_demoted(site: Path):
    fragment = content_html(site / "kt.html")
    titles = re.findall(r'<h2 id="[^"]+">([^<]+)</h2>', fragment)
    assert titles == sorted(titles, key=str.casefold)
    assert "grace, gracious" in titles and "God" in titles
    assert not any("#" in t for t in titles)
    assert "<h3>Definition:</h3>" in fragment, "## Definition: ## → h3, without its hashes"
    assert len(re.findall(r"<h1\b", fragment)) == 1
    assert "##" not in visible_text(fragment)


def test_term_index_links_every_term(site: Path):
    fragment = content_html(site / "names.html")
    index = fragment[fragment.index('<nav class="tx-tw-index"'):fragment.index("</nav>")]
    linked = re.findall(r'<li><a href="#([^"]+)">', index)
    assert linked == re.findall(r'<h2 id="([^"]+)">', fragment)
    letters = re.findall(r'href="#(tw-index-names-\d+)"', index)
    assert letters and all(f'id="{letter}"' in index for letter in letters)
    assert re.search(r'<a href="#tw-index-names-\d+">B</a>', index)  # Bethlehem, Boaz


def test_nav_has_one_entry_per_section(samples: Path):
    site = build_site(samples / "en_tw")
    assert [item.title for item in site.nav] == [
        "translationWords", "Key Terms", "Names", "Other"]
    kt = site.page("kt.md")
    assert kt is not None and kt.template == "tw.html"
    assert [e.id for e in kt.toc[0].children][:3] == ["apostle", "beloved", "brother"]


def test_links_between_articles(site: Path):
    kt = content_html(site / "kt.html")
    # names/paul.md is in the repo: an internal link, whatever the rendering order
    assert 'href="names.html#paul"' in kt
    # kt/believe.md is not: the published en_tw
    assert 'href="https://door43.org/u/test/en_tw/master/kt.html#believe"' in kt
    # rc:// links to tA go to the published tA, with the tA article as anchor
    assert 'href="https://door43.org/u/test/en_ta/master/03-translate.html#translate-names"' in kt


def test_missing_title_empty_article_no_config(sample_copy, tmp_path: Path):
    repo = sample_copy("en_tw")
    (repo / "bible/config.yaml").unlink()  # occurrences are optional
    (repo / "bible/other/untitled.md").write_text("Just text, see [God](../kt/god.md).\n")
    (repo / "bible/other/empty.md").write_text("# empty #\n")
    log = build_cli(repo, tmp_path / "site")
    fragment = content_html(tmp_path / "site/other.html")
    assert '<h2 id="untitled">untitled</h2>' in fragment
    assert 'href="kt.html#god"' in fragment
    assert '<h2 id="empty">empty</h2>' in fragment
    codes = {(m.get("code"), m.get("file"), m.get("line")) for m in log["messages"]}
    assert ("tw.missing-title", "bible/other/untitled.md", 1) in codes
    assert ("tw.empty", "bible/other/empty.md", None) in codes


def test_no_articles_is_an_error(tmp_path: Path):
    repo = tmp_path / "repo"
    (repo / "bible").mkdir(parents=True)
    (repo / "manifest.yaml").write_text(
        "dublin_core: {identifier: tw, subject: Translation Words, title: tW, "
        "language: {identifier: en}}\nprojects: [{identifier: bible, path: ./bible}]\n")
    log = build_cli(repo, tmp_path / "site")
    assert log["status"] == "errors"
    assert [m["code"] for m in log["messages"] if m["severity"] == "error"] == ["tw.no-articles"]
