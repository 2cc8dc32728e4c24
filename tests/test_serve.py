"""``serve`` rebuilds in this process, as MkDocs' ``serve --dirty`` runs them (a fresh config for
each build, the plugins kept): what a rebuild skips to be quick must never hide a change."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import jinja2
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from tx_mkdocs.themeview import listing_view

from .helpers import EXAMPLE

SERVE_URL = "http://127.0.0.1:8000/"


def _project(tmp_path: Path) -> Path:
    """examples/bible with an mkdocs.yml of its own: Material, a custom_dir with a stylesheet."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    (tmp_path / "docs").mkdir()
    (tmp_path / "overrides" / "assets").mkdir(parents=True)
    (tmp_path / "overrides" / "assets" / "extra.css").write_text("a { color: red }")
    config = {"site_name": "T", "docs_dir": "docs",
              "theme": {"name": "material", "custom_dir": "overrides"},
              "plugins": ["search", {"tx": {"repo": str(repo), "records": False}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return tmp_path / "mkdocs.yml"


@contextlib.contextmanager
def _serving(config_file: Path, site_dir: Path) -> Iterator[Callable[[], MkDocsConfig]]:
    """A function that builds as each of ``serve``'s builds does; the first is the first."""

    def rebuild() -> MkDocsConfig:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir))
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL, dirty=True)
        return config

    first = load_config(config_file=str(config_file), site_dir=str(site_dir))
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        yield rebuild
    finally:
        first.plugins.on_shutdown()


def _later(path: Path, text: str) -> None:
    """Write ``text`` with a modification time clearly after the last build's."""
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_serve_copies_the_theme_files_a_build_copies_and_shows_its_icons(tmp_path: Path):
    config_file = _project(tmp_path)
    built = load_config(config_file=str(config_file), site_dir=str(tmp_path / "built"))
    built.plugins.on_startup(command="build", dirty=False)
    build(built)
    built.plugins.on_shutdown()
    served = tmp_path / "served"
    with _serving(config_file, served) as rebuild:
        rebuild()
        rebuild()
    assert _files(served / "assets") == _files(tmp_path / "built" / "assets")
    assert "assets/extra.css" in _files(served)
    page = (served / "64-2JN.html").read_text(encoding="utf-8")
    assert page.count("<svg") == (tmp_path / "built" / "64-2JN.html").read_text().count("<svg")
    assert "<svg" in page, "Material's icons (.icons/…) are included"


def test_a_theme_file_edited_or_added_under_serve_is_copied(tmp_path: Path):
    config_file = _project(tmp_path)
    site = tmp_path / "site"
    assets = tmp_path / "overrides" / "assets"
    with _serving(config_file, site) as rebuild:
        rebuild()
        assert (site / "assets" / "extra.css").read_text() == "a { color: red }"
        _later(assets / "extra.css", "a { color: blue }")
        _later(assets / "added.js", "// added")
        rebuild()
        assert (site / "assets" / "extra.css").read_text() == "a { color: blue }"
        assert (site / "assets" / "added.js").read_text() == "// added"


def _theme(folder: Path) -> Path:
    for rel, text in {"main.html": "main", "assets/app.css": "v1", ".icons/a/b.svg": "<svg/>",
                      "partials/.hidden/x.html": "x"}.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def test_a_listing_view_lists_no_hidden_folder_yet_loads_from_it(tmp_path: Path):
    theme = _theme(tmp_path / "theme")
    view = listing_view(str(theme), tmp_path / "views")
    assert view != str(theme)
    loader = jinja2.FileSystemLoader([view])
    assert loader.list_templates() == ["assets/app.css", "main.html"]
    env = jinja2.Environment(loader=loader)
    assert env.get_template(".icons/a/b.svg").render() == "<svg/>"
    assert env.get_template("partials/.hidden/x.html").render() == "x"
    (theme / "assets" / "app.css").write_text("v2", encoding="utf-8")
    assert env.loader.get_source(env, "assets/app.css")[0] == "v2", "an edit shows at once"


def test_a_listing_view_follows_files_added_and_removed(tmp_path: Path):
    theme = _theme(tmp_path / "theme")
    views = tmp_path / "views"
    listing_view(str(theme), views)
    (theme / "main.html").unlink()
    (theme / "assets" / "new").mkdir()
    (theme / "assets" / "new" / "added.js").write_text("js", encoding="utf-8")
    view = listing_view(str(theme), views)
    assert jinja2.FileSystemLoader([view]).list_templates() == ["assets/app.css",
                                                                "assets/new/added.js"]


def test_a_folder_without_hidden_folders_is_listed_as_it_is(tmp_path: Path):
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "main.html").write_text("main", encoding="utf-8")
    assert listing_view(str(theme), tmp_path / "views") == str(theme)


def test_a_search_opened_while_serve_renders_finds_the_last_complete_index(
        tmp_path: Path, monkeypatch):
    """While a rebuild renders its pages, the served search index is the last complete one
    (not none, nor Material's of the other pages); after it, the new one."""
    from mkdocs.commands import build as mkdocs_build

    config_file = _project(tmp_path)
    site = tmp_path / "site"
    index = site / "search" / "search_index.json"
    seen: list[str] = []
    render = mkdocs_build._build_page

    def build_page(page, *args, **kwargs):
        seen.append(index.read_text(encoding="utf-8") if index.is_file() else "")
        return render(page, *args, **kwargs)

    usfm = tmp_path / "repo" / "64-2JN.usfm"
    with _serving(config_file, site) as rebuild:
        rebuild()
        first = index.read_text(encoding="utf-8")
        assert "the chosen lady" in first
        _later(usfm, usfm.read_text(encoding="utf-8").replace("the chosen lady", "the elect"))
        monkeypatch.setattr(mkdocs_build, "_build_page", build_page)
        rebuild().plugins.on_shutdown()  # waits for the index written after serving
    assert seen and all(text == first for text in seen)
    assert "the elect" in index.read_text(encoding="utf-8")


def test_the_404_page_shows_the_nav_of_the_last_rebuild(tmp_path: Path):
    """The 404 page shows only what every page shows: an edit of a book's text leaves it as it
    was, a book added is in its nav."""
    config_file = _project(tmp_path)
    site = tmp_path / "site"
    repo = tmp_path / "repo"
    third = repo / "65-3JN.usfm"
    usfm = third.read_text(encoding="utf-8")
    third.unlink()
    with _serving(config_file, site) as rebuild:
        rebuild()
        not_found = (site / "404.html").read_text(encoding="utf-8")
        assert "64-2JN.html" in not_found and "65-3JN.html" not in not_found
        second = repo / "64-2JN.usfm"
        _later(second, second.read_text(encoding="utf-8").replace("the chosen lady", "the elect"))
        rebuild()
        assert "the elect" in (site / "64-2JN.html").read_text(encoding="utf-8")
        assert (site / "404.html").read_text(encoding="utf-8") == not_found
        _later(third, usfm)
        rebuild()
        assert "65-3JN.html" in (site / "404.html").read_text(encoding="utf-8")
