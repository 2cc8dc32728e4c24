"""translationAcademy sites from the en_ta sample: manual pages, article ids, boxes, ToC, links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tx_mkdocs.build import build_site

from .helpers import build_cli, build_log, content_html, content_pages, ids, visible_text


@pytest.fixture(scope="module")
def site(built_sample) -> Path:
    return built_sample("en_ta")


def _heading_level(fragment: str, anchor: str) -> int:
    match = re.search(rf'<h(\d) id="{re.escape(anchor)}"', fragment)
    assert match, anchor
    return int(match.group(1))


def test_manual_pages_in_uw_order_with_every_article(site: Path, samples: Path):
    log = build_log(site)
    assert content_pages(log) == ["01-intro.html", "03-translate.html"]
    assert not log["errors"]
    for manual, page in (("intro", "01-intro.html"), ("translate", "03-translate.html")):
        slugs = {p.parent.name for p in (samples / "en_ta" / manual).glob("*/01.md")}
        page_ids = ids(content_html(site / page))
        assert slugs <= set(page_ids), slugs - set(page_ids)
        assert len(page_ids) == len(set(page_ids)), "duplicate ids"
    assert len(slugs) == 12


def test_headings_follow_toc_depth(site: Path):
    intro = content_html(site / "01-intro.html")
    assert _heading_level(intro, "ta-intro") == 2
    translate = content_html(site / "03-translate.html")
    assert _heading_level(translate, "section-container-1") == 2  # "Introduction", no link
    assert _heading_level(translate, "translate-manual") == 3
    assert _heading_level(translate, "guidelines-clear") == 4  # under an absent article
    # the article's own headings sit below its title
    simile = translate[translate.index('id="figs-simile"'):]
    level = _heading_level(translate, "figs-simile")
    first_body_heading = int(re.search(r"<h(\d)>", simile).group(1))
    assert first_body_heading > level


def test_article_boxes(site: Path):
    translate = content_html(site / "03-translate.html")
    article = translate[translate.index('id="figs-simile"'):translate.index('id="figs-simile"')
                        + 20000]
    article = article[:article.index("<hr>")]
    text = visible_text(article)
    assert "This page answers the question: What is a simile?" in " ".join(text.split())
    assert "In order to understand this topic, it would be good to read:" in text
    assert "Next we recommend you learn about:" in text
    # dependencies of figs-simile: figs-metaphor (here) and figs-intro (absent: published tA)
    assert 'href="03-translate.html#figs-metaphor"' in article
    assert 'href="https://door43.org/u/test/en_ta/master/03-translate.html#figs-intro"' in article


def test_relative_links_resolve(site: Path):
    intro = content_html(site / "01-intro.html")
    assert 'href="03-translate.html#translate-manual"' in intro  # ../../translate/…/01.md
    assert 'href="https://door43.org/u/test/en_ta/master/02-process.html#process-manual"' in intro
    translate = content_html(site / "03-translate.html")
    assert 'href="03-translate.html#figs-simile"' in translate  # ../figs-simile/01.md


def test_absent_articles_reported_once_per_manual(site: Path):
    messages = build_log(site)["messages"]
    missing = [m for m in messages if m.get("code") == "ta.missing-articles"]
    assert len(missing) == 1
    assert missing[0]["file"] == "translate/toc.yaml"
    assert "lists 162 articles" in missing[0]["text"]
    assert len(missing[0]["text"]) < 300
    assert len(messages) < 20


def test_nested_manual_toc(site: Path, samples: Path):
    translate = content_html(site / "03-translate.html")
    toc = translate[translate.index('<details class="tx-ta-toc"'):]
    toc = toc[:toc.index('<h2 ')]
    assert "<summary>Table of Contents</summary>" in toc
    assert re.search(r'<details open><summary><a href="#section-container-3">The Qualities of a '
                     r'Good Translation</a></summary>\s*<ul>\s*<li><a href="#guidelines-clear">',
                     toc)
    page = build_site(samples / "en_ta").page("03-translate.md")
    assert page is not None and page.template == "ta.html"
    [root] = page.toc
    intro = root.children[0]
    assert (intro.id, intro.level) == ("section-container-1", 2)
    assert [(e.id, e.level) for e in intro.children] == [
        ("translate-manual", 3), ("translate-whatis", 3)]


def test_broken_and_partial_manuals(sample_copy, tmp_path: Path):
    repo = sample_copy("en_ta")
    (repo / "intro/toc.yaml").write_text("title: [unclosed\n")
    (repo / "translate/config.yaml").unlink()
    extra = repo / "translate/my-article"
    extra.mkdir()
    (extra / "01.md").write_text("Some text.\n")
    (extra / "title.md").write_text("My <b>article</b>\n")
    with (repo / "translate/toc.yaml").open("a") as toc:
        toc.write('  - title: "Hostile"\n    link: "../../manifest"\n')
    log = build_cli(repo, tmp_path / "site")
    codes = {m.get("code"): m for m in log["messages"]}
    assert codes["ta.yaml-syntax"]["file"] == "intro/toc.yaml"
    assert codes["ta.yaml-syntax"]["severity"] == "error"
    assert codes["ta.missing-config"]["file"] == "translate/config.yaml"
    assert codes["ta.unlisted-article"]["file"] == "translate/my-article/01.md"
    assert "ta.bad-link" in codes
    intro = content_html(tmp_path / "site/01-intro.html")
    assert {"ta-intro", "uw-intro", "gl-strategy"} <= set(ids(intro)), "articles without a ToC"
    translate = content_html(tmp_path / "site/03-translate.html")
    assert '<h2 id="my-article" class="tx-ta-article-title">My &lt;b&gt;article&lt;/b&gt;</h2>' \
        in translate


def _manual_repo(root: Path, manual: str, sort: int, links_to: str) -> Path:
    """A tA repo of one manual with articles ``a`` (linking to ``links_to``) and ``b``."""
    root.mkdir()
    (root / "manifest.yaml").write_text(
        "dublin_core:\n  identifier: ta\n  subject: Translation Academy\n  language:\n"
        "    identifier: en\n    direction: ltr\n"
        f"projects:\n  - identifier: {manual}\n    path: ./{manual}\n    sort: {sort}\n"
        "    title: Field Guide\n", encoding="utf-8")
    folder = root / manual
    folder.mkdir()
    (folder / "toc.yaml").write_text("title: Field Guide\nsections:\n  - title: A\n    link: a\n"
                                     "  - title: B\n    link: b\n", encoding="utf-8")
    for slug, body in (("a", f"See [[{links_to}]] and [the other](../b/01.md).\n"),
                       ("b", "Text of b.\n")):
        (folder / slug).mkdir()
        (folder / slug / "title.md").write_text(slug.upper(), encoding="utf-8")
        (folder / slug / "01.md").write_text(body, encoding="utf-8")
    return root


def test_links_to_a_manual_of_this_build_only(tmp_path: Path):
    """A manual outside unfoldingWord's numbering is linked by its page in its own build; the
    next build (another repository, same process) does not inherit that page."""
    guide = _manual_repo(tmp_path / "guide", "guide", 5, "rc://*/ta/man/guide/b")
    site = build_site(guide)
    page = next(p for p in site.pages if p.path == "06-guide.md")
    assert page.html.count('href="06-guide.html#b"') == 2  # the rc link and the relative one
    other = build_site(_manual_repo(tmp_path / "other", "other", 7, "rc://*/ta/man/guide/b"))
    page = next(p for p in other.pages if p.path == "08-other.md")
    assert "06-guide.html" not in page.html
    assert 'href="08-other.html#b"' in page.html
