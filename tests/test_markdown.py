"""Generic Markdown: repositories of unknown subject (or subjects no type renders)."""

from __future__ import annotations

from pathlib import Path

from tx_mkdocs.build import build_site
from tx_mkdocs.core.markup import without_empty_headings

from .helpers import build_cli, content_html, content_pages, ids, visible_text


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _manifest(subject: str, identifier: str = "notes") -> str:
    return (f"dublin_core:\n  identifier: {identifier}\n  subject: '{subject}'\n  title: Notes\n"
            "  language: {identifier: en, title: English}\n")


def test_pages_links_headings_and_unknown_subject(tmp_path: Path):
    repo = _write(tmp_path / "en_notes", {
        "manifest.yaml": _manifest("Field Notes"),
        "README.md": "# Read me\n",
        "LICENSE.md": "# License\n",
        "index.md": "# Welcome\n\n## Part A\n\nSee [the guide](guide/how-to.md#steps).\n\n"
                    "### Detail\n\n## Part A\n",
        "guide/how-to.md": "# How to\n\n## Steps\n\nBack [home](../index.md). "
                           "<script>alert(1)</script>[chunk](../01/02.md)",
        "01/title.md": "# Chapter One",
        "01/01.md": "First chunk.",
        "01/02.md": "Second chunk.",
        ".vscode/notes.md": "# hidden",
    })
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert log["resource_type"] == "Generic_Markdown"
    assert sorted(content_pages(log)) == ["01.html", "guide-how-to.html", "index-2.html"]
    assert any("Unknown subject 'Field Notes'" in w for w in log["warnings"])
    welcome = content_html(site / "index-2.html")
    assert ids(welcome)[:4] == ["welcome", "part-a", "detail", "part-a-2"]
    assert 'href="guide-how-to.html#steps"' in welcome
    guide = content_html(site / "guide-how-to.html")
    assert 'href="index-2.html"' in guide and 'href="01.html#01-02"' in guide
    assert "<script" not in guide
    chunks = content_html(site / "01.html")
    assert {"01-title", "01-01", "01-02"} <= set(ids(chunks))
    assert visible_text(chunks).index("First chunk") < visible_text(chunks).index("Second chunk")
    assert "Read me" not in visible_text(content_html(site / "index.html"))


def test_readme_when_nothing_else(tmp_path: Path):
    repo = _write(tmp_path / "repo", {"README.md": "# Only me\n\nText.", "LICENSE.md": "L"})
    site = tmp_path / "site"
    log = build_cli(repo, site)
    assert content_pages(log) == ["readme.html"]
    assert "Only me" in visible_text(content_html(site / "readme.html"))


def _pages(site) -> list[str]:
    return [p.url for p in site.pages if p.url not in ("index.html", "build-report.html")]


def test_declared_generic_markdown_is_not_a_warning(tmp_path: Path):
    repo = _write(tmp_path / "en_obs-sg", {"manifest.yaml": _manifest("", "obs-sg"),
                                            "content/intro.md": "# Study guide"})
    site = build_site(repo)
    assert site.log.status == "success", site.log.messages
    assert _pages(site) == ["content-intro.html"]


def test_subject_without_a_type_falls_back(tmp_path: Path):
    repo = _write(tmp_path / "en_ugl", {"manifest.yaml": _manifest("Greek Lexicon", "ugl"),
                                         "content/G0001/01.md": "# alpha"})
    site = build_site(repo)
    assert site.subject == "Greek_Lexicon"
    assert _pages(site) == ["content-G0001-01.html"]
    assert [m.text for m in site.log.warnings if "Greek_Lexicon" in m.text] == [
        "No converter was found to convert 'Greek_Lexicon' resources: the subject is unknown, "
        "the repository is shown as generic Markdown"]


def test_no_markdown_at_all(tmp_path: Path):
    repo = _write(tmp_path / "repo", {"manifest.yaml": _manifest("Stuff"), "data.csv": "a,b"})
    site = build_site(repo)
    assert site.log.status == "errors" and _pages(site) == []
    assert any("No Markdown files found" in m.text for m in site.log.errors)


def test_empty_headings_found_outside_fenced_code():
    text = "# \n# Question?\nAnswer\n##\n```\n#\n```\n#hashtag\n    # indented code"
    kept, lines = without_empty_headings(text)
    assert lines == [1, 4]
    assert kept == "# Question?\nAnswer\n```\n#\n```\n#hashtag\n    # indented code"
