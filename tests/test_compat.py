"""Other builders of MkDocs projects: ProperDocs (plugin and ``materialize`` output) and Zensical
(``materialize`` output), compared with what ``tx-mkdocs build`` gives a reader.

Each case runs on ``examples/bible`` as it is (English, left to right) and on a copy whose
manifest says Hebrew, right to left. The reference is the same repository built by
``tx-mkdocs build``: page names, verse anchors and visible text must be the same, and the page
chrome must carry our theme overrides and the language and direction.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner

from tx_mkdocs.cli import main
from tx_mkdocs.core.model import Page, TocEntry
from tx_mkdocs.pagefile import page_source, parse_marker

from .helpers import EXAMPLES, build_cli, build_log, content_html, content_pages, ids, visible_text

VERSE = re.compile(r"\d{3}-ch-\d{3}-v-\d{3}")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="module", params=["ltr", "rtl"])
def repo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/bible, or a copy of it in a right-to-left language."""
    if request.param == "ltr":
        return EXAMPLES / "bible"
    copy = tmp_path_factory.mktemp("rtl") / "bible"
    shutil.copytree(EXAMPLES / "bible", copy)
    manifest = copy / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    for old, new in (("direction: 'ltr'", "direction: 'rtl'"), ("identifier: 'en'",
                     "identifier: 'hbo'"), ("title: 'English'", "title: 'Hebrew'")):
        assert old in text, old
        text = text.replace(old, new)
    manifest.write_text(text, encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def reference(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tx-mkdocs build`` of the repository."""
    site = tmp_path_factory.mktemp("reference")
    build_cli(repo, site)
    return site


@pytest.fixture(scope="module")
def materialized(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tx-mkdocs materialize`` of the repository: a folder with docs/ and mkdocs.yml."""
    out = tmp_path_factory.mktemp("materialized") / "project"
    result = CliRunner().invoke(main, ["materialize", str(repo), str(out)])
    assert result.exit_code == 0, result.output
    config = (out / "mkdocs.yml").read_text(encoding="utf-8")
    plugins = config.split("plugins:")[1].split("markdown_extensions:")[0]
    assert "search" in plugins and "tx" not in plugins
    return out


def _run(*args: str, cwd: Path | None = None) -> str:
    """Run ``python -m <tool> …``; its output (exit code 0 expected)."""
    proc = subprocess.run([sys.executable, "-m", *args], cwd=cwd, env=ENV, capture_output=True,
                          text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{' '.join(args[:2])} exited {proc.returncode}:\n{output}"
    return output


def _content_language(site: Path) -> tuple[str, str]:
    """The language code and direction that the tx content of ``site`` declares."""
    match = re.search(r'<div class="tx-content[^"]*" lang="([^"]+)" dir="([^"]+)"',
                      (site / "index.html").read_text(encoding="utf-8"))
    assert match, "no tx content wrapper on the landing page"
    return match[1], match[2]


def _html_lang(page: Path) -> str:
    match = re.search(r'<html lang="([^"]+)"', page.read_text(encoding="utf-8"))
    assert match, f"{page.name}: no <html lang>"
    return match[1]


def _words(fragment: str) -> str:
    return " ".join(visible_text(fragment).split())


def assert_reader_sees_the_same(site: Path, reference: Path) -> None:
    """The pages of ``reference`` (a ``tx-mkdocs build``) are in ``site`` with the same names,
    anchors and text, inside our theme overrides, in the right language and direction."""
    lang, direction = _content_language(reference)
    books = content_pages(build_log(reference))
    assert books == ["64-2JN.html", "65-3JN.html"]
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in books:  # Zensical writes relative URLs as "./…"
        assert re.search(rf'href="(\./)?{re.escape(name)}"', index), f"index.html: no {name}"
    # home.html: the links after the facts, the books (not the landing page itself), the badge
    assert re.search(r'</dl>\s*<p class="tx-resume"[^>]*></p>\s*<ul class="tx-links"', index)
    assert re.findall(r'class="tx-book__title" href="(?:\./)?([^"]+)"', index) == books
    # every book's chapter grid, as in the reference (2 John and 3 John: one chapter each)
    grid = r'<nav class="tx-chapter-grid tx-book__chapters"[^>]*><a href="(?:\./)?([^"]+)"'
    assert re.findall(grid, index) == re.findall(
        grid, (reference / "index.html").read_text(encoding="utf-8")) == [
        "64-2JN.html#063-ch-001", "65-3JN.html#064-ch-001"]
    assert 'data-tx-about' in index and 'this build has errors' in index
    for asset in ("stylesheets/tx.css", "javascripts/tx.js"):
        assert (site / "assets" / asset).is_file(), asset
    for name in [*books, "index.html", "build-report.html"]:
        page, expected = site / name, reference / name
        assert page.is_file(), f"{name} missing from {site}"
        html = page.read_text(encoding="utf-8")
        # our overrides (templates/main.html) and the lang/dir of the content and the chrome
        assert re.search(r'href="(\./)?assets/stylesheets/tx\.css"', html), f"{name}: tx.css"
        assert re.search(r'src="(\./)?assets/javascripts/tx\.js"', html), f"{name}: tx.js"
        assert 'id="tx-config"' in html, f"{name}: no tx-config"
        assert re.search(rf'<body[^>]*\sdir="{direction}"', html), f"{name}: <body dir>"
        assert _html_lang(page) == _html_lang(expected)
        fragment, wanted = content_html(page), content_html(expected)
        assert f'lang="{lang}" dir="{direction}"' in fragment.split(">", 1)[0]
        # materialize knows no build (no commit, no source archive): the About page's builds,
        # downloads and what-changed sections are the CLI build's only
        contextual = {"tx-builds", "tx-downloads", "tx-what-changed"}
        assert ([i for i in ids(fragment) if i not in contextual]
                == [i for i in ids(wanted) if i not in contextual]), f"{name}: anchors differ"
        if name in books:
            assert len([i for i in ids(fragment) if VERSE.fullmatch(i)]) > 10, name
            assert _words(fragment) == _words(wanted), f"{name}: text differs"
    assert "063-ch-001-v-001" in ids(content_html(site / "64-2JN.html"))
    assert "064-ch-001-v-001" in ids(content_html(site / "65-3JN.html"))


def _generator(site: Path) -> str:
    match = re.search(r'<meta name="generator" content="([^"]*)"',
                      (site / "64-2JN.html").read_text(encoding="utf-8"))
    return match[1] if match else ""


def test_properdocs_builds_materialized_site(materialized: Path, reference: Path, tmp_path: Path):
    site = tmp_path / "site"
    _run("properdocs", "build", "-q", "-f", str(materialized / "mkdocs.yml"), "-d", str(site))
    assert "ProperDocs" in _generator(site)
    assert_reader_sees_the_same(site, reference)


def test_plugin_under_properdocs(repo: Path, reference: Path, tmp_path: Path):
    """The plugin mode of the README (``plugins: [search, tx]`` in the repository's mkdocs.yml),
    built by ProperDocs: generated pages, overrides, search entries, records."""
    project = tmp_path / "repo"
    shutil.copytree(repo, project)
    (project / "mkdocs.yml").write_text(
        "site_name: Example\ntheme: material\nplugins: [search, tx]\n")
    (project / "docs").mkdir()
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    _run("properdocs", "build", "-q", cwd=project)
    site = project / "site"
    assert "ProperDocs" in _generator(site)
    assert_reader_sees_the_same(site, reference)
    log, expected = build_log(site), build_log(reference)
    assert log["status"] == "success", log["warnings"] + log["errors"]
    assert log["pages"] == expected["pages"]
    assert (log["resource_type"], log["input_format"]) == ("Bible", "usfm")
    assert (site / "project.json").is_file() and (site / "manifest.json").is_file()
    # the plugin's own search entries (one per book and chapter), as in tx-mkdocs build
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    wanted = json.loads((reference / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "64-2JN.html#063-ch-001" in [doc["location"] for doc in index["docs"]]
    assert index["docs"] == wanted["docs"]
    assert index["config"]["separator"] == wanted["config"]["separator"]
    after = sorted(p.relative_to(project) for p in project.rglob("*") if "site" not in p.parts)
    assert after == before, "the build wrote into the repository"


def test_zensical_builds_materialized_site(materialized: Path, reference: Path,
                                           tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(materialized, project)
    _run("zensical", "build", "-f", str(project / "mkdocs.yml"))
    site = project / "site"
    assert (site / "search.json").is_file()  # Zensical's own search index
    assert_reader_sees_the_same(site, reference)


def test_toc_tokens_have_every_key_of_python_markdown():
    """Zensical reads every key of Python-Markdown's ``toc_tokens`` (``html``, ``data-toc-label``
    too) and prints ``html`` as it is: ours have them all, the heading text escaped once."""
    md = markdown.Markdown(extensions=["toc"])
    md.convert("# Heading\n\n## Sub")
    hostile = '<img src=x onerror=alert(1)> & "q" \'a\' --> x'
    page = Page(path="a.md", title="A", html="<p>a</p>",
                toc=[TocEntry(1, "h", hostile, [TocEntry(2, 'i"d', "Sub")])])
    source = page_source(page, lang="en", direction="ltr", body_class="")
    (tokens,) = [t for t in map(parse_marker, source.splitlines()) if t is not None]
    token, child = tokens[0], tokens[0]["children"][0]
    assert set(token) == set(child) == set(md.toc_tokens[0]) == set(md.toc_tokens[0]["children"][0])
    escaped = "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot; &#x27;a&#x27; --&gt; x"
    assert token["name"] == token["html"] == escaped
    assert token["data-toc-label"] == child["data-toc-label"] == ""
    assert child["id"] == "i&quot;d"


def test_a_page_passes_python_markdown_untouched():
    """A tx page's HTML comes out of Python-Markdown (with MkDocs' own extensions on) exactly as
    it went in, lines that look like Markdown fences or tables included; the same Markdown
    object then renders an ordinary page as Markdown."""
    body = "<p>a &amp; b</p>\n```\n<pre>x | y\n--- | ---\n</pre>\n<p>    indented</p>"
    page = Page(path="a.md", title="A", html=body, toc=[TocEntry(2, "h", "H")])
    source = page_source(page, lang="he", direction="rtl", body_class="tn")
    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "tx_mkdocs.mdext"])
    front_matter_end = source.index("---\n", 4) + 4  # MkDocs reads the front matter itself
    assert md.convert(source[front_matter_end:]) == (
        f'<div class="tx-content tn" lang="he" dir="rtl">\n{body}\n</div>')
    assert [t["id"] for t in md.toc_tokens] == ["h"]
    md.reset()
    assert md.convert("# Plain\n\n```\ncode\n```") == (
        '<h1 id="plain">Plain</h1>\n<pre><code>code\n</code></pre>')


def test_a_page_python_markdown_would_normalise_comes_out_normalised():
    """HTML with tabs, carriage returns or a line of spaces comes out as Python-Markdown's
    whitespace normalisation makes it (as before tx pages were taken aside before it)."""
    body = "<pre>a\tb\r\nc</pre>\n   \n<p>d</p>"
    page = Page(path="a.md", title="A", html=body)
    source = page_source(page, lang="en", direction="ltr", body_class="")
    md = markdown.Markdown(extensions=["fenced_code", "tx_mkdocs.mdext"])
    html = md.convert(source[source.index("---\n", 4) + 4:])
    assert html.endswith("<pre>a  b\nc</pre>\n\n<p>d</p>\n</div>")  # tab stops of 4
