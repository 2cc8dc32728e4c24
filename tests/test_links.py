"""Links between resources: rc://, [[rc://…]], relative .md links, bare tA slugs.

On the built samples: no raw ``rc://`` reaches a reader, internal links land on ids that exist,
links to articles absent from a partial repo go to the published Door43 site, and every link that
cannot be resolved is reported once, with its file.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tx_mkdocs.core.links import ExternalSites, LinkTable, parse_relation, rc_label
from tx_mkdocs.core.log import BuildLog
from tx_mkdocs.core.markup import LinkContext, render_markdown
from tx_mkdocs.core.model import Page
from tx_mkdocs.registry import rc_target

from .helpers import HREF, build_cli, build_log, content_html, ids, visible_text

LINKED_SAMPLES = ["en_tw", "en_ta", "en_obs-tn", "en_tn"]
_RELATIVE_MD = re.compile(r"\]\((\.\./[^)#\s]+\.md)\)")


@pytest.fixture(scope="module")
def sites(built_sample) -> dict[str, Path]:
    return {name: built_sample(name) for name in LINKED_SAMPLES}


def _table(**external) -> LinkTable:
    return LinkTable(resource="tn", language="hi", rc_mapper=rc_target,
                     external=ExternalSites(owner="o", **external).with_relation(
                         ["en/ta", "hbo/uhb?v=2.1.30", "garbage"]))


def _finalize(table: LinkTable, fragment: str) -> tuple[str, BuildLog]:
    page = Page("01-GEN.md", "Genesis", fragment)
    log = BuildLog()
    table.finalize([page], log)
    return page.html, log


# --- the link table -----------------------------------------------------------------------


def test_relation_gives_the_language_of_other_resources():
    assert parse_relation("hbo/uhb?v=2.1.30") == ("hbo", "uhb")
    assert parse_relation("en/ta") == ("en", "ta")
    assert parse_relation("no-slash") is None
    table = _table()
    hrefs = [table.rc(url, source="tn_GEN.tsv", line=2) for url in (
        "rc://*/ta/man/translate/figs-idiom",  # a bare SupportReference slug, as tN passes it
        "rc://*/tw/dict/bible/kt/god",  # no relation: the language of this repository
        "rc://*/uhb/book/rut/01/02",
        "rc://fr/ta/man/checking/intro-check",  # an explicit language wins
    )]
    html, log = _finalize(table, "".join(f'<a href="{h}">x</a>' for h in hrefs))
    assert HREF.findall(html) == [
        "https://door43.org/u/o/en_ta/master/03-translate.html#figs-idiom",
        "https://door43.org/u/o/hi_tw/master/kt.html#god",
        "https://door43.org/u/o/hbo_uhb/master/08-RUT.html#008-ch-001-v-002",
        "https://door43.org/u/o/fr_ta/master/04-checking.html#intro-check",
    ]
    assert not log.messages


def test_configured_language_and_base_url_win_over_relation():
    table = _table(language="fr", base_url="https://example.org/pub/")
    href = table.rc("rc://*/ta/man/translate/figs-idiom", source="x.tsv")
    html, _ = _finalize(table, f'<a href="{href}">x</a>')
    assert HREF.findall(html) == [
        "https://example.org/pub/o/fr_ta/master/03-translate.html#figs-idiom"]


def test_relative_links_resolve_whatever_the_rendering_order():
    table = LinkTable(resource="tw", language="en", rc_mapper=rc_target,
                      path_mapper=lambda path: ("kt.html", path.rsplit("/", 1)[-1][:-3]))
    early = table.relative("../names/paul.md", source="bible/kt/apostle.md")
    absent = table.relative("../kt/believe.md#x", source="bible/kt/apostle.md")
    table.register_file("bible/names/paul.md", "names.html", "paul")
    page = Page("names.md", "Names", '<h2 id="paul">Paul</h2>')
    log = BuildLog()
    kt = Page("kt.md", "kt", f'<a href="{early}">Paul</a><a href="{absent}">believe</a>')
    table.finalize([page, kt], log)
    assert HREF.findall(kt.html) == [
        "names.html#paul", "https://door43.org/u/unfoldingWord/en_tw/master/kt.html#x"]


def test_old_obs_notes_links_name_the_obs_notes_resource():
    seen = []
    table = LinkTable(resource="tw", language="en",
                      rc_mapper=lambda r, p: seen.append((r, p)) or ("26.html", "26-10"))
    table.rc("rc://en/tn/help/obs/26/10", source="bible/kt/god.md")
    assert seen == [("obs-tn", ["help", "obs", "26", "10"])]


def test_raw_rc_text_never_shown_and_unresolved_reported_once():
    table = _table()
    context = LinkContext(table, source="bible/kt/god.md", line=4)
    fragment = render_markdown(
        "See <rc://en/tn/help/act/04/33>, rc://en/zz/foo/bar. and [x](rc://en/zz/foo/bar).\n\n"
        "Also [[rc://en/zz/foo/bar]] and `code` and <help@door43.org>.", context)
    html, log = _finalize(table, fragment)
    assert "rc://" not in visible_text(html) and "rc://" not in "".join(HREF.findall(html))
    assert 'href="mailto:' in html or "&#" in html  # obfuscated mailto left alone
    assert [(m.text, m.file, m.line) for m in log.messages] == [
        ("Unable to resolve link 'en/zz/foo/bar'", "bible/kt/god.md", 4)]
    assert html.count('class="tx-broken-link"') == 3
    assert rc_label("rc://en/tn/help/act/04/33") == "Acts 4:33"


# --- the built samples --------------------------------------------------------------------


@pytest.mark.parametrize("name", LINKED_SAMPLES)
def test_no_rc_and_internal_links_land(sites: dict[str, Path], name: str):
    site = sites[name]
    log = build_log(site)
    pages = log["pages"]
    assert len(pages) > 1, log["errors"]
    page_ids = {p: set(ids(content_html(site / p))) for p in pages}
    checked = 0
    for page in pages:
        full = (site / page).read_text(encoding="utf-8")
        assert not [h for h in HREF.findall(full) if "rc://" in h], page
        fragment = content_html(site / page)
        assert "rc://" not in visible_text(fragment), page
        assert "#tx-link-" not in fragment, page
        for href in HREF.findall(fragment):
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.endswith(".json"):
                continue
            target, _, anchor = href.partition("#")
            target = target or page
            assert target in page_ids, f"{page}: {href}"
            assert not anchor or anchor in page_ids[target], f"{page}: {href}"
            checked += 1
    assert checked, "no internal link checked"


@pytest.mark.parametrize("name", LINKED_SAMPLES)
def test_unresolved_links_reported_once_with_file(sites: dict[str, Path], name: str):
    messages = [m for m in build_log(sites[name])["messages"]
                if m.get("code") == "link.unresolved"]
    keys = [(m["text"], m.get("file")) for m in messages]
    assert len(keys) == len(set(keys))
    assert all(m.get("file") for m in messages)


def test_absent_tw_articles_link_to_the_published_site(sites: dict[str, Path], samples: Path):
    repo = samples / "en_tw"
    absent = set()
    for source in (repo / "bible").glob("*/*.md"):
        for href in _RELATIVE_MD.findall(source.read_text(encoding="utf-8")):
            target = (source.parent / href).resolve()
            if not target.exists():
                absent.add((target.parent.name, target.stem))
    assert len(absent) == 104
    built = "".join(content_html(sites["en_tw"] / f"{s}.html") for s in ("kt", "names", "other"))
    hrefs = set(HREF.findall(built))
    for section, term in absent:
        assert f"https://door43.org/u/test/en_tw/master/{section}.html#{term}" in hrefs
        assert f"{section}.html#{term}" not in hrefs


def test_broken_links_in_a_build(sample_copy, tmp_path: Path):
    repo = sample_copy("en_tw")
    manifest = repo / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace("- 'en/tq'", "- 'fr/ta?v=3'"))
    (repo / "bible/kt/god.md").write_text(
        "# God #\n\n[a](rc://en/zz/foo/bar) [a again](rc://en/zz/foo/bar)\n"
        "[outside](../../../outside.md) [no anchor](../kt/grace.md#nowhere)\n"
        "[idiom](rc://*/ta/man/translate/figs-idiom)\n")
    log = build_cli(repo, tmp_path / "site")
    unresolved = sorted(m["text"] for m in log["messages"] if m.get("code") == "link.unresolved"
                        and m.get("file") == "bible/kt/god.md")
    assert unresolved == ["Unable to resolve link '../../../outside.md'",
                          "Unable to resolve link '../kt/grace.md#nowhere'",
                          "Unable to resolve link 'en/zz/foo/bar'"]
    kt = content_html(tmp_path / "site/kt.html")
    assert 'href="https://door43.org/u/test/fr_ta/master/03-translate.html#figs-idiom"' in kt
    assert "rc://" not in visible_text(kt)


def test_plugin_link_options(sample_copy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)
    repo = sample_copy("en_tw")
    (repo / "bible/kt/god.md").write_text("# God #\n\n[idiom](rc://*/ta/man/translate/figs-idiom)\n"
                                          "[Acts](rc://en/tn/help/act/04/33)\n")
    (tmp_path / "docs").mkdir()
    found = {}
    for name, options in (("configured", {"links_owner": "me", "links_language": "fr",
                                          "links_base_url": "https://example.org/u"}),
                          ("default", {})):
        config = tmp_path / f"{name}.yml"
        config.write_text(yaml.safe_dump({
            "site_name": "x", "docs_dir": str(tmp_path / "docs"),
            "site_dir": str(tmp_path / name), "theme": {"name": "material"},
            "plugins": [{"tx": {"repo": str(repo), "records": False, **options}}]}))
        build(load_config(config_file=str(config)))
        found[name] = HREF.findall(content_html(tmp_path / name / "kt.html"))
    assert "https://example.org/u/me/fr_ta/master/03-translate.html#figs-idiom" in found[
        "configured"]
    # no owner known (no git remote, no CI): unfoldingWord's published resources
    assert "https://door43.org/u/unfoldingWord/en_ta/master/03-translate.html#figs-idiom" in found[
        "default"]


def test_placeholder_links_are_found_from_their_placeholders_as_the_pattern_finds_them():
    """Finalize and settle find a page's placeholder links from the placeholders, not tag by
    tag: the same links as the pattern, wherever a placeholder-like text stands."""
    from tx_mkdocs.core.links import _PLACEHOLDER_LINK, _replace_links

    link = '<a class="x" href="#tx-link-0123456789abcdef-{n}" title="t">{text}</a>'
    texts = [
        "no link at all",
        link.format(n=1, text="one") + " and " + link.format(n=22, text="<b>two</b>"),
        "text that says #tx-link-0123456789abcdef-3 " + link.format(n=3, text="x"),
        '<a title="#tx-link-0123456789abcdef-4" href="#tx-link-0123456789abcdef-5">y</a>',
        '<a href="#tx-link-0123456789abcdef-6">unclosed <a href="#tx-link-zz-1">',
        '<p id="#tx-link-0123456789abcdef-7">' + link.format(n=8, text=link.format(n=9, text="")),
        '<a href="#tx-link-0123456789abcdef-10"' + "<" * 3 + link.format(n=11, text="z"),
    ]
    for text in texts:
        assert (_replace_links(text, lambda m: f"[{m.group(3)}:{m.group(5)}]")
                == _PLACEHOLDER_LINK.sub(lambda m: f"[{m.group(3)}:{m.group(5)}]", text)), text


def test_links_that_leave_the_site_are_final_where_they_are_rendered():
    """A part rendered apart (a tN book in a worker) settles its links to other resources
    (targets known without the other pages), with the related articles' titles: finalize then
    gives the same page and the same log; links into the site wait for finalize."""
    figs = "rc://*/ta/man/translate/figs-idiom"
    titled = _table()._target(figs)[2]
    assert titled is not None
    titles = {titled[:2]: {titled[2:]: "Idioms"}}
    markdown = (f"See [[{figs}]], <rc://hi/tn/help/act/04/33> and [x](rc://en/zz/foo/bar).\n\n"
                "[y](../kt/god.md)")
    pages = []
    for settle in (False, True):
        table = replace(_table(), titles=titles)
        part = table.fork()
        html = render_markdown(markdown, LinkContext(part, source="tn_ACT.tsv", line=2))
        html = table.absorb(part, part.settle(html) if settle else html)
        pages.append((*_finalize(table, html), html))
    (before, log_before, _), (after, log_after, settled) = pages
    assert after == before and ">Idioms</a>" in after
    assert [m.text for m in log_after.messages] == [m.text for m in log_before.messages] == [
        "Unable to resolve link 'en/zz/foo/bar'", "Unable to resolve link '../kt/god.md'"]
    assert settled.count("#tx-link-") == 3, "into the site, unresolved, relative: left to finalize"
    assert _table().outside(figs) == (
        "https://door43.org/u/o/en_ta/master/03-translate.html#figs-idiom", "figs-idiom")
    assert _table().outside("rc://*/tn/help/act/04/33") is None  # this resource: its pages
