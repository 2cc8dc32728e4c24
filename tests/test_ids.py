"""One id policy (tx_mkdocs/core/ids.py): repository text never makes an id that the theme's or
our templates and scripts look up.

The ids looked up are collected from the files themselves — Material's templates and bundle,
our templates and scripts — so a new one in a theme upgrade or in tx.js is checked too. Then
every content type of the attack corpus (tests/xss_corpus.py: row IDs, slugs, file names and
headings named ``__config`` or ``tx-config``, carrying a forged configuration) is built, and no
element of the page content may carry any of those ids.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tx_mkdocs.core.ids import NAMESPACE, content_id, is_reserved
from tx_mkdocs.core.markup import render_markdown
from tx_mkdocs.theme import template_dirs

from .browser_support import Build, build_sites
from .xss_corpus import FORGED_IDS, content_types

ROOT = Path(__file__).resolve().parents[1]
COMMIT = "1d" * 20

#: ``id="…"`` in templates (a Jinja expression ends the literal part: ``__nav_{{ … }}``).
_TEMPLATE_ID = re.compile(r"""\bid=["']([^"'{]+)""")
#: Ids scripts look up or give: ``getElementById("…")``, ``"#…"`` selectors, ``script#…``,
#: ``{id: "…"}`` and ``el.id = "…"``.
_SCRIPT_ID = re.compile(r"""getElementById\(["']([\w-]+)|(?<!=)["'`]#([A-Za-z_][\w-]*)"""
                        r"""|script#([\w-]+)|\bid:\s*["']([\w-]+)|\.id\s*=\s*["']([\w-]+)""")


def _material() -> Path:
    import material

    return Path(material.__file__).parent / "templates"


def looked_up_ids() -> dict[str, str]:
    """Every id named in Material's and our templates and scripts → the file naming it."""
    found: dict[str, str] = {}
    for folder in (_material(), *template_dirs()):
        for path in folder.rglob("*"):
            if path.suffix == ".html":
                names = _TEMPLATE_ID.findall(path.read_text(encoding="utf-8"))
            elif path.suffix == ".js":
                names = [n for groups in _SCRIPT_ID.findall(path.read_text(encoding="utf-8"))
                         for n in groups if n]
            else:
                continue
            for name in names:
                found.setdefault(name, str(path.relative_to(folder)))
    return found


def test_the_ids_templates_and_scripts_look_up_are_collected():
    ids = looked_up_ids()
    for known in ("__config", "__search", "__drawer", "tx-config", "tx-note-popup"):
        assert known in ids, known


def test_content_can_produce_none_of_the_looked_up_ids():
    for name, where in looked_up_ids().items():
        assert is_reserved(name), f"{name} ({where}): add its prefix to RESERVED_PREFIXES"
        assert content_id(name) != name
        assert content_id(name.upper()) != name.upper()


def test_content_ids():
    assert content_id("zuf5") == "zuf5"
    assert content_id("figs-idiom") == "figs-idiom"
    assert content_id("040-ch-001-v-001") == "040-ch-001-v-001"
    assert content_id("__config") == "user-content-__config"
    assert content_id("TX-Config") == "user-content-TX-Config"
    assert content_id("md-dialog") == "user-content-md-dialog"
    # the namespace is reserved too: no two candidates share an id
    assert content_id("user-content-__config") == "user-content-user-content-__config"
    for unfit in ("", "a b", 'a"b', "a'b", "a<b", "a&b", "a#b", "a\\b", "a\x00b", "a\tb"):
        assert content_id(unfit) is None, repr(unfit)


def test_authors_ids_and_classes_in_markdown():
    html = render_markdown('<p id="__config" class="mermaid md-dialog">x</p>\n\n'
                           '<pre class="mermaid">graph TD; A-->B</pre>\n\n'
                           '<span id="note-1">y</span> {: .md-typeset }')
    assert 'id="user-content-__config"' in html
    assert 'id="note-1"' in html
    assert "class=" not in html  # the theme switches features on by class (mermaid: a CDN)


class _Ids(HTMLParser):
    """Ids of a page: (id, tag, inside the page content)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[tuple[str, str, bool]] = []
        self.depth = 0  # open divs inside the content wrapper (0: outside)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        inside = self.depth > 0
        if tag == "div" and inside:
            self.depth += 1
        elif tag == "div" and "tx-content" in (values.get("class") or "").split():
            self.depth = 1
        if values.get("id"):
            self.ids.append((values["id"] or "", tag, inside))

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1


def _our_ids() -> set[str]:
    """Reserved ids our own code and templates write (``<h1 id="tx-manual">``, the About page's
    ``<h2 id="tx-builds">``): not from content."""
    found: set[str] = set()
    sources = [*(ROOT / "tx_mkdocs").rglob("*.py"),
               *(p for folder in template_dirs() for p in folder.rglob("*.html"))]
    for path in sources:
        found |= set(re.findall(r'id="((?:tx|md)-[\w-]+)"', path.read_text(encoding="utf-8")))
    return found


@pytest.fixture(scope="module")
def corpus_sites(tmp_path_factory: pytest.TempPathFactory) -> list[Build]:
    root = tmp_path_factory.mktemp("ids")
    builds = []
    for n, (name, write) in enumerate(content_types("https://cdn.example/p.jpg").items()):
        repo = write(root / "repos" / name, n)
        builds.append(Build(repo, root / "sites" / name, COMMIT, name=f"ids-{name}"))
    build_sites(builds)
    return builds


@pytest.mark.slow
def test_no_content_type_makes_a_looked_up_or_reserved_id(corpus_sites: list[Build]):
    looked_up, ours = set(looked_up_ids()), _our_ids()
    problems, namespaced = [], set()
    for build in corpus_sites:
        for page in build.site.rglob("*.html"):
            parser = _Ids()
            parser.feed(page.read_text(encoding="utf-8"))
            where = f"{build.site.name}/{page.name}"
            for config in ("__config", "tx-config"):
                tags = [tag for i, tag, _ in parser.ids if i == config]
                if tags != ["script"]:
                    problems.append(f"{where}: #{config} on {tags}")
            for i, tag, inside in parser.ids:
                if not inside:
                    continue
                if i.startswith(NAMESPACE):
                    namespaced.add((build.site.name, i))
                elif (i in looked_up or is_reserved(i)) and i not in ours:
                    problems.append(f"{where}: <{tag} id={i!r}> in the content")
    assert not problems, "\n".join(problems[:40])
    # the forged ids did reach the pages, namespaced, in every type that makes ids of them
    types = {site for site, i in namespaced if i == content_id(FORGED_IDS[0])}
    assert types >= {"tn", "tn9", "tq", "twl", "tw", "ta", "markdown", "obs-tn", "sn"}, types
