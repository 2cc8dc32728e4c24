"""Hostile repositories: nothing outside the repository is read or published."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tx_mkdocs.cli import main

from .helpers import EXAMPLES, build_log

SECRET = "TOP-SECRET-SERVER-FILE-CONTENT"


def test_symlinks_outside_are_neither_read_nor_published(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text(f"\\v 1 {SECRET}\n# {SECRET}\n")
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "bible", repo)
    (repo / "stolen.usfm").symlink_to(secret)
    (repo / "notes.md").symlink_to(secret)
    (repo / "outside-dir").symlink_to(tmp_path)
    os.mkfifo(repo / "pipe.usfm")
    # a manifest project pointing at the link must not be followed either
    manifest = (repo / "manifest.yaml").read_text()
    (repo / "manifest.yaml").write_text(manifest.replace("./65-3JN.usfm", "./stolen.usfm"))
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    for path in site.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    log = build_log(site)
    refused = {m["file"] for m in log["messages"] if m.get("code") == "fs.refused"}
    assert {"notes.md", "outside-dir", "pipe.usfm"} <= refused
    assert any(m.get("code") == "rc.path-outside" for m in log["messages"])


# --------------------------------------------------------------------------- names and paths


def _markdown_repo(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.yaml").write_text(
        "dublin_core: {identifier: notes, title: Notes, subject: Generic Markdown,\n"
        "  language: {identifier: en, title: English}}\n", encoding="utf-8")
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


ODD_NAMES = [
    "with spaces and (brackets).md", "ünïcödé — ταυτότητα.md", "עברית.md", "中文 名字.md",
    "emoji 📖.md", "quote's \"double\".md", "hash#percent%20question?amp&.md", "-leading-dash.md",
    "...dots...md", "x" * 196 + ".md", "é" * 120 + ".md",
]


def test_odd_file_names_build(tmp_path: Path):
    """Spaces, Unicode, quotes, URL characters, 200-character and 243-byte names: each file is
    a page with a safe name, and every page of the nav exists."""
    files = {name: f"Text of {name}.\n" for name in ODD_NAMES}
    files["long folder " + "y" * 150 + "/" + "z" * 150 + ".md"] = "nested\n"
    repo = _markdown_repo(tmp_path / "odd", files)
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    log = build_log(site)
    pages = [p for p in log["pages"] if p not in ("index.html", "build-report.html")]
    assert len(pages) == len(files), pages
    for page in pages:
        assert (site / page).is_file(), page
        assert len(page.encode()) <= 205 and "/" not in page and "?" not in page, page
    assert not [m for m in log["messages"] if m.get("code") == "internal"]
    index = (site / "index.html").read_text(encoding="utf-8")  # titles: the names, made safe
    for title in ("ünïcödé-ταυτότητα", "中文-名字", "emoji", "quote-s-double",
                  "hash-percent-20question-amp", "x" * 196):
        assert f">{title}</a>" in index, title


def test_identifiers_never_lead_out_of_the_site(tmp_path: Path):
    """A manual identifier or a book code makes a page name: made safe, never a path."""
    from tx_mkdocs.build import build_site
    from tx_mkdocs.materialize import materialize

    repo = tmp_path / "repo"
    (repo / "x" / "art").mkdir(parents=True)
    (repo / "manifest.yaml").write_text(
        "dublin_core: {identifier: ta, title: TA, subject: Translation_Academy,\n"
        "  language: {identifier: en, title: English}}\n"
        "projects:\n  - {identifier: '../../../../escaped', title: M, path: ./x, sort: 0}\n",
        encoding="utf-8")
    (repo / "x" / "toc.yaml").write_text("sections: [{title: A, link: art}]\n")
    (repo / "x" / "art" / "01.md").write_text("# A\n")
    site = build_site(repo)
    assert [p.path for p in site.pages][1] == "01-escaped.md"
    out = tmp_path / "deep" / "out"
    materialize(repo, out)
    written = list(tmp_path.rglob("*escaped*"))
    assert written and all(out / "docs" in p.parents for p in written), written

    bible = tmp_path / "bible"
    bible.mkdir()
    (bible / "a.usfm").write_text("\\id ../../ESC\n\\c 1\n\\p\n\\v 1 w\n")
    assert [p.path for p in build_site(bible).pages][1] == "ESC.md"


def test_unsafe_page_names_from_a_type_are_left_out():
    from tx_mkdocs.build import _checked
    from tx_mkdocs.core.log import BuildLog
    from tx_mkdocs.core.model import NavItem, Page

    log = BuildLog()
    pages = [Page("ok.md", "ok", ""), Page("../up.md", "up", ""), Page("/abs.md", "abs", ""),
             Page("ok.md", "twice", ""), Page("index.md", "home", ""), Page("a b.md", "sp", "")]
    kept, nav = _checked(pages, [NavItem(p.title, p.path) for p in pages], log)
    assert [p.path for p in kept] == ["ok.md"] and [n.path for n in nav] == ["ok.md", "ok.md"]
    assert len(log.errors) == 5 and all(m.code == "internal" for m in log.errors)


def test_forged_link_placeholders_are_inert(tmp_path: Path):
    repo = _markdown_repo(tmp_path / "forged", {"a.md": (
        "[x](#tx-link-999) [y](#tx-link-0123456789abcdef-0) "
        '<a href="#tx-link-0">z</a> [[rc://en/tw/dict/bible/kt/god]]\n')})
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(repo), "--site-dir", str(site)])
    assert result.exit_code == 0, result.output
    page = (site / "a.html").read_text(encoding="utf-8")
    assert 'href="#tx-link-999"' in page and "kt.html#god" in page


def test_author_ids_cannot_stand_in_for_the_pages_own():
    """Authors' ids follow the one id policy (tests/test_ids.py): the theme's and ours are
    namespaced, others kept."""
    from tx_mkdocs.core.markup import sanitize

    html = sanitize('<div id="__config">{}</div><span id="tx-config">x</span>'
                    '<p id="md-header">a</p><p id="note-1">b</p><a id="x:1.2">c</a>')
    for reserved in ("__config", "tx-config", "md-header"):
        assert f'id="{reserved}"' not in html and f'id="user-content-{reserved}"' in html
    assert 'id="note-1"' in html and 'id="x:1.2"' in html


def test_author_classes_are_dropped():
    """Material's and our scripts and styles act on classes (``md-dialog`` is a fixed box over
    the page, ``pre.mermaid`` loads mermaid from a CDN), and our stylesheet defines none for
    authors: an author's classes are dropped, the text kept."""
    from tx_mkdocs.core.markup import sanitize

    html = sanitize('<div class="md-dialog md-dialog--active">a</div>'
                    '<p class="TX-note note big">b</p><pre class="mermaid">graph TD</pre>')
    assert "class" not in html
    assert "<div>a</div>" in html and "<p>b</p>" in html and "<pre>graph TD</pre>" in html


def test_images_tell_no_remote_host_which_page_shows_them():
    from tx_mkdocs.core.markup import render_markdown

    html = render_markdown('![pixel](https://tracker.example/p.gif "t")')
    assert 'referrerpolicy="no-referrer"' in html and 'loading="lazy"' in html


def test_material_tooltips_are_never_on():
    """Material 9's content.tooltips puts titles into the page as HTML: never on, even if a
    resource type asks for it."""
    from tx_mkdocs.core.model import Manifest, Site, ThemeSettings
    from tx_mkdocs.theme import theme_config

    site = Site("n", Manifest("x", "t", "s"), "s", "md", [], [],
                ThemeSettings(features=["content.tooltips"]))
    assert "content.tooltips" not in theme_config(site)["features"]


# --------------------------------------------------------------------------- --timeout


def test_build_timeout_stops_the_build_cleanly(tmp_path: Path):
    """--timeout: the build (a child process) is killed, no half site stays, build_log.json
    says failed and why, exit code 1. Unstopped, the build would take minutes: the
    subprocess timeout only catches that hang."""
    repo = _markdown_repo(tmp_path / "slow", {
        f"part{i}.md": "paragraph\n\n" * 90_000 for i in range(24)})  # ~10 s each to render
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "tx_mkdocs.cli", "build", str(repo), "--site-dir", str(site),
         "--timeout", "1.5"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1, result.stdout + result.stderr
    log = build_log(site)
    assert log["status"] == "failed" and not log["success"]
    assert "took longer than the --timeout of 1.5 seconds" in log["errors"][0]
    assert sorted(p.name for p in site.iterdir()) == ["build_log.json", "project.json"]


def test_build_within_its_timeout_is_a_normal_build(tmp_path: Path):
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", str(EXAMPLES / "bible"), "--site-dir",
                                       str(site), "--timeout", "120", "--owner", "o"])
    assert result.exit_code == 0, result.output
    log = build_log(site)
    assert log["status"] == "success" and (site / "65-3JN.html").is_file()
    assert log["repo_owner"] == "o"
